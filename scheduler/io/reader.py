"""Read an instance from an ``.xlsx`` workbook or a folder of CSV files (pandas does the reading).

Every problem found (unreadable file, unknown or missing sheet or column, bad cell, bad row,
broken reference, arithmetic impossibility) is collected and raised at once in an
:class:`~scheduler.errors.InputError`, each located by file, sheet, row and column.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.errors import InputError, Problem
from scheduler.instance import Instance, Weights
from scheduler.io.cells import CellError, is_blank
from scheduler.io.records import (
    MAPPINGS,
    BuildContext,
    RowErrors,
    build_term,
    build_weight,
    last_teaching_week,
)
from scheduler.io.schema import TABLE_BY_NAME, TABLES, Table
from scheduler.validate import Issue, check_instance


@dataclass
class RawTable:
    """A table as found in the file: its header and its non-blank rows with their row numbers."""

    name: str
    source: str
    sheet: str | None
    header: list[Any]
    rows: list[tuple[int, list[Any]]]
    readable: bool = True


@dataclass
class Locator:
    """Where each record of a read instance came from, to place validation problems."""

    source: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    row_of: dict[tuple[str, int], int] = field(default_factory=dict)

    def problem(self, issue: Issue) -> Problem:
        raw = self.tables.get(issue.table)
        row = None
        if issue.index is not None:
            row = self.row_of.get((issue.table, issue.index), issue.index + 2)
        if raw is None:
            return Problem(self.source, issue.message, issue.fix, sheet=issue.table, row=row,
                           column=issue.column)
        return Problem(raw.source, issue.message, issue.fix, sheet=raw.sheet, row=row,
                       column=issue.column)


def _frame_rows(frame: pd.DataFrame) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    values = frame.astype(object).where(frame.notna(), None).values.tolist()
    if not values:
        return [], []
    header = values[0]
    rows = [(i + 1, row) for i, row in enumerate(values) if i > 0 and not all(map(is_blank, row))]
    return header, rows


def _read_workbook(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    source = str(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object,
                               engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError, TypeError) as exc:
        problems.append(Problem(source, f"not a readable .xlsx workbook ({exc})",
                                "open it in Excel and save it again as .xlsx, or give a folder "
                                "of CSV files"))
        return {}
    tables: dict[str, RawTable] = {}
    for sheet_name, frame in sheets.items():
        name = str(sheet_name).strip()
        if name.startswith("#"):
            continue
        key = name.lower()
        if key not in TABLE_BY_NAME:
            problems.append(Problem(source, f"unknown sheet '{name}'",
                                    f"rename it to one of: {', '.join(TABLE_BY_NAME)}; or start "
                                    "its name with # to keep it as notes", sheet=name))
            continue
        header, rows = _frame_rows(frame)
        tables[key] = RawTable(key, source, name, header, rows)
    return tables


def _read_csv_file(path: Path, problems: list[Problem]) -> RawTable | None:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(source, f"cannot read the file ({exc.strerror})"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(source, "the file is not UTF-8 text", "save it as 'CSV UTF-8' "
                                "(Excel: File > Save As > CSV UTF-8)", line=line))
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        problems.append(Problem(source, "the file is empty", "add the header row"))
        return None
    except pd.errors.ParserError as exc:
        problems.append(Problem(source, f"not a well-formed CSV file ({exc})",
                                "check the quotes and the number of commas on that line"))
        return None
    header, rows = _frame_rows(frame.replace("", None))
    return RawTable(path.stem.lower(), source, None, header, rows)


def _read_folder(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for file in sorted(path.iterdir()):
        if file.name.startswith((".", "#")) or file.is_dir():
            continue
        if file.suffix.lower() != ".csv":
            continue
        stem = file.stem.lower()
        if stem not in TABLE_BY_NAME:
            problems.append(Problem(str(file), f"unknown table file '{file.name}'",
                                    f"rename it to one of: "
                                    f"{', '.join(t + '.csv' for t in TABLE_BY_NAME)}"))
            continue
        raw = _read_csv_file(file, problems)
        tables[stem] = raw if raw is not None else RawTable(stem, str(file), None, [], [],
                                                            readable=False)
    return tables


def read_raw_tables(path: str | Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """The tables of a workbook or CSV folder as found, before any typing."""
    path = Path(path)
    problems: list[Problem] = []
    if not path.exists():
        problems.append(Problem(str(path), "no such file or folder",
                                "give an .xlsx workbook or a folder of CSV files"))
        return {}, problems
    if path.is_dir():
        return _read_folder(path, problems), problems
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, problems), problems
    problems.append(Problem(str(path), "not an instance: expected an .xlsx workbook or a folder "
                            "of CSV files", "give an .xlsx file or a folder"))
    return {}, problems


def _locate(raw: RawTable, message: str, fix: str = "", row: int | None = None,
            column: str | None = None) -> Problem:
    return Problem(raw.source, message, fix, sheet=raw.sheet, row=row, column=column)


def _typed_rows(raw: RawTable, table: Table, problems: list[Problem]) -> list[tuple[int, dict]]:
    """Check the header, then parse every cell; rows with a bad cell are returned as None."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(raw.header):
        if is_blank(cell):
            if any(not is_blank(r[index]) for _, r in raw.rows if index < len(r)):
                problems.append(_locate(raw, f"column {index + 1} has values but no header",
                                        "give the column a name from docs/format.md", row=1))
            continue
        name = str(cell).strip()
        if name.startswith("#"):
            continue
        key = name.lower()
        if key not in table.column_names:
            problems.append(_locate(raw, f"unknown column '{name}'",
                                    f"rename it to one of: {', '.join(table.column_names)}; or "
                                    "start its name with # to keep it as a note", row=1,
                                    column=name))
        elif key in positions:
            problems.append(_locate(raw, f"column '{key}' appears twice", "remove one of them",
                                    row=1, column=key))
        else:
            positions[key] = index
    for column in table.columns:
        if column.required and column.name not in positions:
            problems.append(_locate(raw, f"required column '{column.name}' is missing",
                                    f"add a column '{column.name}' ({column.doc})", row=1,
                                    column=column.name))
    header_ok = all(c.name in positions for c in table.columns if c.required)
    typed: list[tuple[int, dict]] = []
    for row_number, cells in raw.rows:
        values: dict[str, Any] = {}
        ok = header_ok
        for column in table.columns:
            index = positions.get(column.name)
            cell = cells[index] if index is not None and index < len(cells) else None
            if is_blank(cell):
                if column.required and index is not None:
                    problems.append(_locate(raw, f"empty required cell ({column.doc})",
                                            f"fill it in, e.g. {column.example}",
                                            row=row_number, column=column.name))
                    ok = False
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.kind.parse(cell)
            except CellError as exc:
                problems.append(_locate(raw, exc.message, exc.fix, row=row_number,
                                        column=column.name))
                ok = False
        typed.append((row_number, values if ok else {"__bad__": values}))
    return typed


def read_instance(path: str | Path, arithmetic: bool = True) -> Instance:
    """Read and validate an instance; raise :class:`InputError` listing every problem.

    ``arithmetic=False`` skips the counting checks (capacity against demand), for relaxed
    solving, which places what it can and explains the rest.
    """
    instance, _ = read_instance_located(path, arithmetic)
    return instance


def read_instance_located(path: str | Path,
                          arithmetic: bool = True) -> tuple[Instance, Locator]:
    """Like :func:`read_instance`, also returning where each record came from."""
    raw_tables, problems = read_raw_tables(path)
    if problems and not raw_tables:
        raise InputError(problems)
    locator = Locator(str(path), raw_tables)
    for table in TABLES:
        if table.required and table.name not in raw_tables:
            kind = "sheet" if Path(path).is_file() else "file"
            target = table.name if kind == "sheet" else f"{table.name}.csv"
            problems.append(Problem(str(path), f"required {kind} '{target}' is missing",
                                    f"add it with the columns {', '.join(table.column_names)}"))
    typed = {name: _typed_rows(raw, TABLE_BY_NAME[name], problems)
             for name, raw in raw_tables.items() if raw.readable}
    unreadable = {name for name, raw in raw_tables.items() if not raw.readable}

    term = None
    term_rows = typed.get("term", [])
    if "term" in typed:
        raw = raw_tables["term"]
        if len(term_rows) != 1:
            problems.append(_locate(raw, f"the term sheet needs exactly one data row, found "
                                    f"{len(term_rows)}", "keep one row describing the term"))
        elif "__bad__" not in term_rows[0][1]:
            try:
                term = build_term(term_rows[0][1])
            except RowErrors as exc:
                for e in exc.errors:
                    problems.append(_locate(raw, e.message, e.fix, row=term_rows[0][0],
                                            column=e.column))
    ctx = BuildContext(last_teaching_week(term) if term else 53)

    records: dict[str, list[Any]] = {}
    known_ids: dict[str, set[str]] = {}
    for name, mapping in MAPPINGS.items():
        records[name] = []
        if name not in typed:
            continue
        raw, table = raw_tables[name], TABLE_BY_NAME[name]
        for row_number, values in typed[name]:
            bad = values.get("__bad__")
            if bad is None:
                try:
                    records[name].append(mapping.build(values, ctx))
                    locator.row_of[(name, len(records[name]) - 1)] = row_number
                    continue
                except RowErrors as exc:
                    for e in exc.errors:
                        problems.append(_locate(raw, e.message, e.fix, row=row_number,
                                                column=e.column))
                    bad = values
            owner = bad.get(table.key or table.columns[0].name)
            if owner is not None:
                known_ids.setdefault(name, set()).add(str(owner))

    weights = Weights()
    if "weights" in typed:
        raw = raw_tables["weights"]
        seen: dict[str, int] = {}
        for row_number, values in typed["weights"]:
            if "__bad__" in values:
                continue
            try:
                key, value = build_weight(values, ctx)
            except RowErrors as exc:
                for e in exc.errors:
                    problems.append(_locate(raw, e.message, e.fix, row=row_number,
                                            column=e.column))
                continue
            if key in seen:
                problems.append(_locate(raw, f"weight '{key}' is given twice (first on row "
                                        f"{seen[key]})", "keep one row", row=row_number,
                                        column="name"))
            seen[key] = row_number
            weights = replace(weights, **{key: value})

    if term is None or unreadable:
        raise InputError(problems)
    instance = Instance(term=term, weights=weights,
                        **{name: tuple(rows) for name, rows in records.items()})
    issues = check_instance(instance, known_ids, arithmetic=arithmetic and not problems)
    problems.extend(locator.problem(issue) for issue in issues)
    if problems:
        raise InputError(problems)
    return instance, locator


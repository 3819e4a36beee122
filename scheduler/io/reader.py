"""Read an instance from an ``.xlsx`` workbook or a folder of CSV files.

Every problem found (unreadable file, unknown or missing sheet or column, bad cell, bad row,
broken reference, arithmetic impossibility) is collected and raised at once in an
:class:`~scheduler.errors.InputError`, each located by file, sheet, row and column. The steps:
:mod:`~scheduler.io.raw` finds the tables, :mod:`~scheduler.io.rows` types their cells, the
builders of :mod:`~scheduler.io.records` make the records, and :mod:`scheduler.validate`
checks the whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.errors import InputError, Problem
from scheduler.instance import Instance, Term, Weights
from scheduler.io.limits import FIRST_DATE, LAST_DATE
from scheduler.io.raw import RawTable, merged_cells_named, read_raw_tables
from scheduler.io.records import (
    MAPPINGS,
    BuildContext,
    RowErrors,
    TableMapping,
    build_term,
    build_weight,
    last_teaching_week,
)
from scheduler.io.rows import ParsedRow, parse_rows
from scheduler.io.schema import TABLE_BY_NAME, TABLES
from scheduler.levels import Level, RuleLevels
from scheduler.validate import UNREADABLE_ID, Issue, check_instance

__all__ = ["Locator", "read_instance", "read_instance_located"]

DEFAULT_LAST_WEEK = 53
"""Last teaching week assumed for later tables when the term row cannot be read."""


@dataclass
class Locator:
    """Where each record of a read instance came from, to place validation problems."""

    source: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    row_of: dict[tuple[str, int], int] = field(default_factory=dict)

    def problem(self, issue: Issue) -> Problem:
        raw = self.tables.get(issue.table) if issue.table is not None else None
        row = self._row(issue.table, issue.index)
        message = issue.text(self._row(issue.table, issue.also))
        if raw is None:
            return Problem(self.source, message, issue.fix, sheet=issue.table, row=row,
                           column=issue.column)
        return raw.problem(message, issue.fix, row=row, column=issue.column)

    def _row(self, table: str | None, index: int | None) -> int | None:
        """The row (as the sheet or file shows it) of a table's record ``index``."""
        if index is None:
            return None
        return self.row_of.get((table or "", index), index + 2)


@dataclass
class _Records:
    """The records built from the tables, where each came from, and the ids of bad rows."""

    tables: dict[str, list[Any]] = field(default_factory=dict)
    row_of: dict[tuple[str, int], int] = field(default_factory=dict)
    known_ids: dict[str, set[str]] = field(default_factory=dict)


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
    problems.extend(_missing_tables(Path(path), raw_tables))
    problems.extend(_empty_tables(raw_tables))
    parsed = {name: parse_rows(raw, TABLE_BY_NAME[name], problems)
              for name, raw in raw_tables.items() if raw.readable}
    term = _read_term(raw_tables.get("term"), parsed.get("term"), problems)
    ctx = BuildContext(last_teaching_week(term) if term else DEFAULT_LAST_WEEK,
                       frozenset(row.values["period"] for row in parsed.get("periods", ())
                                 if not row.bad and row.values.get("period") is not None))
    records = _read_records(raw_tables, parsed, ctx, problems)
    weights, levels = _read_weights(raw_tables.get("weights"), parsed.get("weights", []), ctx,
                                    problems)
    if not all(raw.readable for raw in raw_tables.values()):
        raise InputError(merged_cells_named(path, raw_tables, problems))
    if term is None:
        raise InputError(merged_cells_named(path, raw_tables, problems + _checks_without_term(
            str(path), raw_tables, records, weights, levels)))
    instance = _instance(term, weights, levels, records)
    locator = Locator(str(path), raw_tables, records.row_of)
    issues = check_instance(instance, records.known_ids, arithmetic=arithmetic and not problems)
    problems.extend(locator.problem(issue) for issue in issues)
    if problems:
        raise InputError(merged_cells_named(path, raw_tables, problems))
    return instance, locator


def _instance(term: Term, weights: Weights, levels: RuleLevels, records: _Records) -> Instance:
    """The instance of the records built from the tables."""
    return Instance(term=term, weights=weights, levels=levels,
                    **{name: tuple(rows) for name, rows in records.tables.items()})


def _checks_without_term(source: str, raw_tables: dict[str, RawTable], records: _Records,
                         weights: Weights, levels: RuleLevels) -> list[Problem]:
    """The problems the checks across tables find that do not depend on the term (unknown and
    duplicate ids, the period grid...), for an instance whose term could not be read: so that
    one bad term cell does not hide the other tables' problems until it is fixed."""
    monday = FIRST_DATE - dt.timedelta(days=FIRST_DATE.weekday())
    stand_in = Term(name="", first_date=FIRST_DATE, last_date=LAST_DATE, week1_monday=monday,
                    max_trip_days=(LAST_DATE - FIRST_DATE).days + 1)
    instance = _instance(stand_in, weights, levels, records)
    locator = Locator(source, raw_tables, records.row_of)
    return [locator.problem(issue) for issue in
            check_instance(instance, records.known_ids, arithmetic=False, term_known=False)]


def _empty_tables(raw_tables: dict[str, RawTable]) -> list[Problem]:
    """A required table given with its header but no rows (the term's own check says how many
    rows it needs)."""
    return [raw.problem("no data rows below the header",
                        f"add the {name} below the header, one per row")
            for name, raw in raw_tables.items()
            if name != "term" and TABLE_BY_NAME[name].required and raw.readable
            and not raw.rows and not raw.blank]


def _missing_tables(path: Path, raw_tables: dict[str, RawTable]) -> list[Problem]:
    problems = []
    for table in TABLES:
        if table.required and table.name not in raw_tables:
            what = f"sheet '{table.name}'" if path.is_file() else f"file '{table.name}.csv'"
            problems.append(Problem(str(path), f"required {what} is missing",
                                    f"add it with the columns {', '.join(table.column_names)}"))
    return problems


def _row_problems(raw: RawTable, row: ParsedRow, errors: RowErrors) -> list[Problem]:
    return [raw.problem(e.message, e.fix, row=row.number, column=e.column)
            for e in errors.errors]


def _read_term(raw: RawTable | None, rows: list[ParsedRow] | None,
               problems: list[Problem]) -> Term | None:
    """The term, from the term table's single row (None if it cannot be built)."""
    if raw is None or rows is None:
        return None
    if len(rows) != 1:
        problems.append(raw.problem(f"the term sheet needs exactly one data row, found "
                                    f"{len(rows)}", "keep one row describing the term"))
        return None
    if rows[0].bad:
        return None
    try:
        return build_term(rows[0].values)
    except RowErrors as exc:
        problems.extend(_row_problems(raw, rows[0], exc))
        return None


def _read_records(raw_tables: dict[str, RawTable], parsed: dict[str, list[ParsedRow]],
                  ctx: BuildContext, problems: list[Problem]) -> _Records:
    records = _Records()
    for name, mapping in MAPPINGS.items():
        records.tables[name] = []
        if name in parsed:
            _read_table(raw_tables[name], mapping, parsed[name], ctx, records, problems)
    return records


def _read_table(raw: RawTable, mapping: TableMapping, rows: list[ParsedRow], ctx: BuildContext,
                records: _Records, problems: list[Problem]) -> None:
    """Build one table's records; a bad row only leaves its id behind (as known)."""
    built = records.tables[raw.name]
    for row in rows:
        if not row.bad:
            try:
                built.append(mapping.build(row.values, ctx))
                records.row_of[(raw.name, len(built) - 1)] = row.number
                continue
            except RowErrors as exc:
                problems.extend(_row_problems(raw, row, exc))
        key = row.key(TABLE_BY_NAME[raw.name])
        records.known_ids.setdefault(raw.name, set()).add(UNREADABLE_ID if key is None else key)


def _read_weights(raw: RawTable | None, rows: list[ParsedRow], ctx: BuildContext,
                  problems: list[Problem]) -> tuple[Weights, RuleLevels]:
    """The weights and the rules' levels of the ``weights`` table (defaults without one)."""
    weights = Weights()
    levels: list[tuple[str, Level]] = []
    first_row: dict[str, int] = {}
    for row in rows:
        if row.bad or raw is None:
            continue
        try:
            key, value, level = build_weight(row.values, ctx)
        except RowErrors as exc:
            problems.extend(_row_problems(raw, row, exc))
            continue
        if key in first_row:
            problems.append(raw.problem(f"weight '{key}' is given twice (first on row "
                                        f"{first_row[key]})", "keep one row", row=row.number,
                                        column="name"))
        first_row.setdefault(key, row.number)
        if value is not None:
            weights = replace(weights, **{key: value})
        if level is not None:
            levels.append((key, level))
    return weights, RuleLevels.from_pairs(levels)

"""The tables of an instance as found in its files, before any typing.

A workbook gives one table per sheet, a folder one per ``<table>.csv`` file. Problems with the
files themselves (unreadable, unknown table) are collected as located
:class:`~scheduler.errors.Problem` s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.errors import Problem
from scheduler.io.cells import is_blank
from scheduler.io.csvfile import UnreadableCsv, read_grid
from scheduler.io.schema import TABLE_BY_NAME
from scheduler.io.xlsx import (
    UnreadableWorkbook,
    hidden_sheets,
    name_merged_cells,
    read_workbook,
)
from scheduler.paths import INSTANCES_DIR


@dataclass
class RawTable:
    """A table as found in the file: its header and its non-blank rows with their row numbers."""

    name: str
    source: str
    sheet: str | None
    header: list[Any]
    rows: list[tuple[int, list[Any]]]
    readable: bool = True

    @property
    def blank(self) -> bool:
        """Whether the table holds nothing at all: no header, no rows (an emptied sheet)."""
        return not self.rows and all(is_blank(cell) for cell in self.header)

    def problem(self, message: str, fix: str = "", row: int | None = None,
                column: str | None = None) -> Problem:
        """A problem located in this table."""
        return Problem(self.source, message, fix, sheet=self.sheet, row=row, column=column)


def raw_table(name: str, source: str, sheet: str | None, grid: list[list[Any]]) -> RawTable:
    """The header (row 1) and the numbered non-blank rows of a grid of cells."""
    width = max((len(row) for row in grid), default=0)
    header = [*grid[0], *[None] * (width - len(grid[0]))] if grid else []
    rows = [(number, row) for number, row in enumerate(grid[1:], start=2)
            if not all(map(is_blank, row))]
    return RawTable(name, source, sheet, header, rows)


def _read_workbook(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    source = str(path)
    try:
        sheets = read_workbook(path)
    except UnreadableWorkbook as exc:
        problems.append(Problem(source, f"not a readable .xlsx workbook: {exc.reason}",
                                "open it in Excel and save it again as .xlsx, or give a folder "
                                "of CSV files"))
        return {}
    tables: dict[str, RawTable] = {}
    hidden: set[str] | None = None
    for sheet_name, grid in sheets:
        name = sheet_name.strip()
        if name.startswith("#"):
            continue
        key = name.lower()
        if key not in TABLE_BY_NAME:
            hidden = hidden_sheets(path) if hidden is None else hidden
            what = (" (a hidden sheet: right-click a sheet tab in Excel and choose Unhide to see "
                    "it)" if sheet_name in hidden else "")
            problems.append(Problem(source, f"unknown sheet '{name}'{what}",
                                    f"rename it to one of: {', '.join(TABLE_BY_NAME)}; or start "
                                    "its name with # to keep it as notes", sheet=name))
            continue
        tables[key] = raw_table(key, source, name, grid)
    return tables


def _read_csv_file(path: Path, problems: list[Problem]) -> RawTable | None:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(source, f"cannot read the file ({exc.strerror})",
                                "check that you may read it (its permissions) and that no "
                                "other program keeps it locked"))
        return None
    table = TABLE_BY_NAME[path.stem.lower()]
    try:
        grid = read_grid(data, table.column_names)
    except UnreadableCsv as exc:
        problems.extend(exc.problems(source))
        return None
    return raw_table(table.name, source, None, grid)


LOCK_FILE_PREFIXES = (".", "#", "~$")
"""Names of files a CSV folder may hold that are not tables: hidden files, and the lock files
of editors (Excel's ``~$rooms.csv`` while rooms.csv is open; LibreOffice's
``.~lock.rooms.csv#``)."""


def _read_folder(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for file in sorted(path.iterdir()):
        if file.name.startswith(LOCK_FILE_PREFIXES) or file.suffix.lower() != ".csv":
            continue
        stem = file.stem.lower()
        if stem not in TABLE_BY_NAME:
            if file.is_dir():  # a folder of the user's, not a table
                continue
            problems.append(Problem(str(file), f"unknown table file '{file.name}'",
                                    f"rename it to one of: "
                                    f"{', '.join(t + '.csv' for t in TABLE_BY_NAME)}; "
                                    "or move it out of the folder if it is not a table"))
            continue
        if not file.is_file():  # read, it would be missing (a folder) or never end (a pipe)
            kind = "a folder" if file.is_dir() else (
                "a link to nothing" if not file.exists() else
                "not a regular file (a pipe, socket or device)")
            problems.append(Problem(str(file), f"'{file.name}' is {kind}, not a CSV file",
                                    f"replace it by the {stem} table saved as a CSV file"))
            raw = None
        else:
            raw = _read_csv_file(file, problems)
        tables[stem] = raw if raw is not None else RawTable(stem, str(file), None, [], [],
                                                            readable=False)
    return tables


def _missing_fix(path: Path) -> str:
    """How to fix a path that does not exist: a shipped instance's name (as the README's
    examples write it, relative to the repository) gets the shipped instance's own path."""
    shipped = INSTANCES_DIR / path.name
    if path.name and shipped.exists():
        return (f"give an .xlsx workbook or a folder of CSV files; the shipped instance "
                f"'{path.name}' is {shipped}")
    return "give an .xlsx workbook or a folder of CSV files"


def read_raw_tables(path: str | Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """The tables of a workbook or CSV folder as found, and the problems of its files."""
    path = Path(path)
    problems: list[Problem] = []
    if not path.exists():
        problems.append(Problem(str(path), "no such file or folder", _missing_fix(path)))
        return {}, problems
    if path.is_dir():
        return _read_folder(path, problems), problems
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, problems), problems
    problems.append(Problem(str(path), "not an instance: expected an .xlsx workbook or a folder "
                            "of CSV files", "give an .xlsx file or a folder"))
    return {}, problems


def merged_cells_named(path: str | Path, tables: dict[str, RawTable],
                       problems: list[Problem]) -> list[Problem]:
    """``problems``, each one at a cell of a workbook's merged range (other than its first
    cell, where Excel keeps the value) saying so: the cell reads as empty."""
    return name_merged_cells(path, {t.sheet: t.header for t in tables.values() if t.sheet},
                             problems)

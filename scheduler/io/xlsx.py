"""The cells of an ``.xlsx`` workbook as its sheets show them, read with openpyxl.

Numbers, text, dates and yes/no cells come as Python values. A cell that shows a spreadsheet
error comes as :class:`~scheduler.io.cells.ErrorValue`, and a formula whose value was never
calculated and saved as :class:`~scheduler.io.cells.Formula`, so that the cell parser can
reject them instead of reading them as blank (a formula with a saved value reads as that value).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter

from scheduler.errors import Problem
from scheduler.io.cells import ErrorValue, Formula

Grid = list[list[Any]]
"""The cells of a sheet, row by row from row 1 (rows may differ in length)."""


class UnreadableWorkbook(Exception):
    """The file is not a workbook openpyxl can read; ``reason`` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_workbook(path: str | Path) -> list[tuple[str, Grid]]:
    """Every worksheet's name and cells, in the workbook's order."""
    try:
        if Path(path).stat().st_size == 0:
            raise UnreadableWorkbook("the file is empty")
        _check_sheet_parts(path)
        sheets = _read(path, data_only=False)
        formulas = [(s, r, c) for s, (_, grid) in enumerate(sheets)
                    for r, row in enumerate(grid) for c, value in enumerate(row)
                    if isinstance(value, Formula)]
        if formulas:
            saved = _read(path, data_only=True)
            for s, r, c in formulas:
                value = _at(saved[s][1], r, c)
                if value is not None:
                    sheets[s][1][r][c] = value
        return sheets
    except UnreadableWorkbook:
        raise
    except OSError as exc:
        raise UnreadableWorkbook(exc.strerror or str(exc)) from exc
    except Exception as exc:  # a damaged file can fail anywhere in zipfile, XML or openpyxl
        raise UnreadableWorkbook("the file is damaged or is not an .xlsx workbook") from exc


def _check_sheet_parts(path: str | Path) -> None:
    """Raise :class:`UnreadableWorkbook` when a sheet the workbook lists has no cells in the
    file (its part is missing from the zip): openpyxl would leave the sheet out silently, and a
    table of the instance (e.g. the holidays) would read as absent; or when its cell formats
    (the styles part) are missing: every date would read as a number."""
    reader = ExcelReader(path, read_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_workbook()
        missing = [sheet.name for sheet, rel in reader.parser.find_sheets()
                   if rel.target not in reader.valid_files]
        styles_lost = any(rel.Type.endswith("/styles") and rel.target not in reader.valid_files
                          for rel in reader.parser.rels.values())
    finally:
        reader.archive.close()
    if styles_lost:  # every date would read as its serial number
        raise UnreadableWorkbook("the workbook's cell formats are missing from the file (the "
                                 "file is damaged): its dates would read as numbers")
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        raise UnreadableWorkbook(f"the workbook lists the sheet{'s' if len(missing) > 1 else ''} "
                                 f"{names} but the file holds no cells for "
                                 f"{'them' if len(missing) > 1 else 'it'} (the file is damaged)")


def hidden_sheets(path: str | Path) -> set[str]:
    """The names of a readable workbook's hidden sheets (empty when it cannot be read)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, keep_links=False)
            try:
                return {s.title for s in book.worksheets if s.sheet_state != "visible"}
            finally:
                book.close()
    except Exception:  # a damaged file is reported by read_workbook
        return set()


def merged_ranges(path: str | Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Each sheet's merged cells as ``(first row, first column, last row, last column)``,
    1-based (empty when the file cannot be read). Read in openpyxl's full mode, which the
    fast read-only mode of :func:`read_workbook` does not offer: call it only to explain a
    problem."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, keep_links=False)
            try:
                return {sheet.title: [(r.min_row, r.min_col, r.max_row, r.max_col)
                                      for r in sheet.merged_cells.ranges]
                        for sheet in book.worksheets}
            finally:
                book.close()
    except Exception:  # a damaged file is reported by read_workbook
        return {}


def name_merged_cells(path: str | Path, headers: Mapping[str, Sequence[Any]],
                      problems: list[Problem]) -> list[Problem]:
    """``problems``, each one at a cell of a workbook's merged range (other than its first
    cell, where Excel keeps the value) saying so: the cell reads as empty. ``headers`` gives
    each sheet's column names (row 1), by which a problem names its column."""
    if Path(path).suffix.lower() != ".xlsx" or not any(p.row and p.column for p in problems):
        return problems
    ranges = merged_ranges(path)
    named = []
    for problem in problems:
        header = headers.get(problem.sheet or "")
        found = None
        if header is not None and problem.row and problem.column:
            names = [str(h).strip().lower() if h is not None else "" for h in header]
            if problem.column.lower() in names:
                column = names.index(problem.column.lower()) + 1
                found = next((r for r in ranges.get(problem.sheet or "", ())
                              if r[0] <= problem.row <= r[2] and r[1] <= column <= r[3]
                              and (problem.row, column) != (r[0], r[1])), None)
        if found is None:
            named.append(problem)
            continue
        first = f"{get_column_letter(found[1])}{found[0]}"
        span = f"{first}:{get_column_letter(found[3])}{found[2]}"
        named.append(replace(problem, message=f"{problem.message}; the cell is part of the "
                             f"merged cells {span}, whose value Excel keeps in {first} only",
                             fix="unmerge the cells (Home > Merge & Center) and fill in each "
                             "one"))
    return named


def _read(path: str | Path, data_only: bool) -> list[tuple[str, Grid]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on unsupported extensions
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only,
                                      keep_links=False)
        try:
            return [(sheet.title, list(_rows(sheet))) for sheet in book.worksheets]
        finally:
            book.close()


def _rows(sheet: Any) -> Iterator[list[Any]]:
    sheet.reset_dimensions()  # the stored size may be wrong: read every cell there is
    for row in sheet.iter_rows():
        yield [_value(cell) for cell in row]


def _value(cell: Any) -> Any:
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "e":  # stored, or openpyxl's for a date-formatted number beyond dates
        return ErrorValue(str(value), beyond_calendar=str(value) == "#VALUE!"
                          and is_date_format(cell.number_format))
    if cell.data_type == "f":
        return Formula(str(getattr(value, "text", None) or value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return ErrorValue("#NUM!")
        if value.is_integer():
            return int(value)  # 120.0 is how a sheet stores 120
    return value


def _at(grid: Grid, row: int, column: int) -> Any:
    if row < len(grid) and column < len(grid[row]):
        return grid[row][column]
    return None

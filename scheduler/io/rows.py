"""Typing a raw table: match its header to the schema's columns, then parse every cell.

Each data row becomes a :class:`ParsedRow`; a row with a cell that does not parse is kept,
marked ``bad``, so that its id is still known (references to it are not reported again) but no
record is built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from scheduler.errors import Problem
from scheduler.io.cells import CellError, is_blank, no_value
from scheduler.io.raw import RawTable
from scheduler.io.schema import Column, Table
from scheduler.paths import doc

Row = dict[str, Any]


@dataclass(frozen=True)
class ParsedRow:
    """One data row with its typed cells (blank optional cells hold their default).

    ``bad`` when a cell did not parse or the header lacks a required column: its problems are
    reported already and ``values`` holds only what could be read.
    """

    number: int
    values: Row
    bad: bool = False

    def key(self, table: Table) -> str | None:
        """The row's id (its key column, else its first column), if that cell was read."""
        value = self.values.get(table.key or table.columns[0].name)
        return None if value is None else str(value)


def _names(cells: list[Any], table: Table) -> int:
    """How many cells name a column of ``table``."""
    return sum(not is_blank(c) and str(c).strip().lower() in table.column_names for c in cells)


def _header_below(raw: RawTable, table: Table) -> int | None:
    """The row (2-5) holding the column names, when row 1 names none of them (a title row
    typed above the header)."""
    if _names(raw.header, table):
        return None
    required = sum(c.required for c in table.columns)
    for number, cells in raw.rows:
        if number > 5:
            break
        if _names(cells, table) >= max(2, required // 2):
            return number
    return None


def column_positions(raw: RawTable, table: Table,
                     problems: list[Problem]) -> tuple[dict[str, int], bool]:
    """Where each known column is in the header, and whether every required one is there."""
    positions: dict[str, int] = {}
    lower = _header_below(raw, table)
    if lower is not None:
        problems.append(raw.problem(f"the column names are in row {lower}, not in row 1",
                                    f"delete the {lower - 1} row(s) above them (titles and "
                                    "notes can go in a sheet or file whose name starts with #)",
                                    row=1))
        return positions, False
    if raw.blank:
        what = "the sheet" if raw.sheet is not None else "the file"
        problems.append(raw.problem(f"{what} is empty", f"add the header row "
                                    f"({', '.join(table.column_names)}) and the rows below it"))
        return positions, False
    for index, cell in enumerate(raw.header):
        if is_blank(cell):
            if any(not is_blank(r[index]) for _, r in raw.rows if index < len(r)):
                where = (f"column {get_column_letter(index + 1)}" if raw.sheet is not None
                         else f"column {index + 1}")
                problems.append(raw.problem(f"{where} has values but no header",
                                            f"give the column a name from {doc('format.md')}",
                                            row=1))
            continue
        name = str(cell).strip()
        if name.startswith("#"):
            continue
        key = name.lower()
        if key not in table.column_names:
            problems.append(raw.problem(f"unknown column '{name}'",
                                        f"rename it to one of: {', '.join(table.column_names)}; "
                                        "or start its name with # to keep it as a note", row=1,
                                        column=name))
        elif key in positions:
            problems.append(raw.problem(f"column '{key}' appears twice", "remove one of them",
                                        row=1, column=key))
        else:
            positions[key] = index
    complete = True
    for column in table.columns:
        if column.required and column.name not in positions:
            problems.append(raw.problem(f"required column '{column.name}' is missing",
                                        f"add a column '{column.name}' ({column.doc})", row=1,
                                        column=column.name))
            complete = False
    return positions, complete


def parse_cell(column: Column, cell: Any) -> Any:
    """The typed value of a cell; a blank optional cell gives the column's default.

    Raises :class:`CellError` for a blank required cell, a cell that holds no value (a
    placeholder such as ``N/A``, a spreadsheet error, a formula without its value) and a value
    of the wrong kind.
    """
    if is_blank(cell):
        if column.required:
            raise CellError(f"empty required cell ({column.doc})",
                            f"fill it in, e.g. {column.example}")
        return column.default
    reason = no_value(cell)
    if reason is None:
        return column.kind.parse(cell)
    if column.required:
        raise CellError(f"{reason.message}; this cell is required ({column.doc})",
                        "enter the value, not a formula" if reason.formula else
                        f"enter the value, e.g. {column.example}")
    if reason.formula:
        raise CellError(reason.message, "enter the value, not a formula")
    shown = "" if column.default in (None, "", ()) else f" ({column.kind.format(column.default)})"
    raise CellError(reason.message, f"leave the cell empty for the default{shown}, or enter a "
                    "value")


def parse_rows(raw: RawTable, table: Table, problems: list[Problem]) -> list[ParsedRow]:
    """Every data row of ``raw`` typed by ``table``'s columns; problems are appended."""
    positions, complete = column_positions(raw, table, problems)
    parsed: list[ParsedRow] = []
    for number, cells in raw.rows:
        values: Row = {}
        bad = not complete
        for column in table.columns:
            index = positions.get(column.name)
            if index is None:
                values[column.name] = column.default
                continue
            try:
                values[column.name] = parse_cell(column, cells[index] if index < len(cells)
                                                 else None)
            except CellError as exc:
                problems.append(raw.problem(exc.message, exc.fix, row=number,
                                            column=column.name))
                bad = True
        parsed.append(ParsedRow(number, values, bad))
    return parsed

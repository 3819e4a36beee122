"""A problem of an instance found by a check that spans rows or tables, placed in its table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem, placed by table, row index (0-based position in the table) and column;
    ``also`` is the index of another row of the same table the problem involves (the first
    row of a duplicate id), which a reader names as it names rows."""

    table: str | None
    index: int | None
    column: str | None
    message: str
    fix: str = ""
    also: int | None = None

    def text(self, also_row: int | None = None) -> str:
        """The message, naming the other row as ``also_row`` (default: the other row's
        position among the table's rows, counted from 1)."""
        if self.also is None:
            return self.message
        if also_row is None:
            return f"{self.message} (also in data row {self.also + 1} of this table)"
        return f"{self.message} (also in row {also_row})"

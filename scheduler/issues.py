"""A problem of an instance found by a check that spans rows or tables, placed in its table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem, placed by table, row index (0-based position in the table) and column."""

    table: str | None
    index: int | None
    column: str | None
    message: str
    fix: str = ""

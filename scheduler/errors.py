"""Errors the library raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    ``source`` is the file (or folder) read; ``sheet`` the sheet of a workbook (``None`` for a
    CSV file, which is one table: ``source`` names it, e.g. ``.../teachers.csv``);
    ``row`` the 1-based row as a spreadsheet program shows it (the header is row 1);
    ``line`` the 1-based line of a text file; ``column`` the column name; ``fix`` says how to
    repair it.
    """

    source: str
    message: str
    fix: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def location(self) -> str:
        """Where the problem is, e.g. ``term.xlsx, sheet 'rooms', row 4, column 'capacity'``."""
        parts = [self.source]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.fix:
            end = "" if text.endswith((".", "!", "?", ":")) else "."
            text += f"{end} Fix: {self.fix}"
        return text


class SchedulerError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(SchedulerError):
    """An input (instance, timetable, scenario, benchmark file) is invalid.

    Carries every problem found, so that a user can fix them all in one pass.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class OutputError(SchedulerError):
    """An output could not be written (the destination is unusable)."""

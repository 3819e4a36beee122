"""Small helpers for writing readable worksheets: sheet names and cached formats."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from scheduler.formulas import looks_like_formula

MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "sheet"
    candidate = base[:MAX_SHEET_NAME]
    counter = 2
    while candidate.lower() in taken:
        suffix = f"~{counter}"
        candidate = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        counter += 1
    taken.add(candidate.lower())
    return candidate


class Formats:
    """Cell formats created on first use and shared (a workbook allows only so many)."""

    def __init__(self, book: Workbook, base: dict[str, Any] | None = None) -> None:
        self._book = book
        self._base = base or {}
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **properties: Any) -> Format:
        merged = {**self._base, **properties}
        key = tuple(sorted(merged.items()))
        if key not in self._cache:
            self._cache[key] = self._book.add_format(merged)
        return self._cache[key]

    def text(self, value: str, **properties: Any) -> Format:
        """The format for a text cell; text that looks like a formula gets Excel's quote
        prefix, so that editing the cell in Excel does not turn it into a formula."""
        if looks_like_formula(value):
            properties["quote_prefix"] = True
        return self.get(**properties)


def table_sheet(book: Workbook, name: str, header: Sequence[str],
                body: Iterable[Sequence[object]], heading: Format,
                widths: tuple[int, int, int], frozen_columns: int) -> None:
    """A sheet holding one table: ``header`` in ``heading``'s format, then one row per item of
    ``body`` (numbers as numbers, anything else as text); each column ``len(title) + pad``
    wide within ``(least, most, pad) = widths``; the header row (and ``frozen_columns``)
    frozen."""
    least, most, pad = widths
    sheet = book.add_worksheet(name)
    for col, title in enumerate(header):
        sheet.write_string(0, col, title, heading)
        sheet.set_column(col, col, max(least, min(most, len(title) + pad)))
    for r, row in enumerate(body, start=1):
        for col, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    sheet.freeze_panes(1, frozen_columns)

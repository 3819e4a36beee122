"""Spreadsheet safety: text that a spreadsheet program would evaluate as a formula is escaped.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
programs strip before looking) is read as a formula by Excel, LibreOffice and Google Sheets
when a CSV file is opened ("CSV injection"). CSV text cells are written with a leading
apostrophe, which those programs show as plain text; reading strips it again. The rule is a
bijection, so any text survives the round trip: one apostrophe is added to every text that,
after its leading apostrophes, starts with a trigger character, and one is removed on reading
from every text of that form.

In ``.xlsx`` workbooks text is always written as a string cell, which no program evaluates, so
no apostrophe is needed there.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program treat a CSV cell as a formula."""


def looks_like_formula(text: str) -> bool:
    """True when ``text`` (after any leading apostrophes) starts with a formula trigger."""
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def escape_formula(value: Any) -> Any:
    """``value`` made safe for a CSV cell: text that could be a formula gets a leading ``'``.

    Non-text values (numbers, dates) are returned unchanged.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """Undo :func:`escape_formula` on a cell read back from CSV."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value):
        return value[1:]
    return value

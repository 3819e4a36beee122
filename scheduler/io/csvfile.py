"""The cells of a CSV file, read as text (pandas splits the lines).

Accepted: UTF-8 with or without the BOM that Excel's "CSV UTF-8" adds, or UTF-16/32 with a BOM
(Excel's "Unicode text"); values separated by commas, semicolons (Excel in a locale with decimal
commas) or tabs, whichever splits the header row into known column names.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection
from typing import Any

import pandas as pd

Grid = list[list[Any]]
"""The cells of a file, row by row from line 1; blank cells are None."""

DELIMITERS = (",", ";", "\t")

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class UnreadableCsv(Exception):
    """The file cannot be read as CSV text; says why and how to fix it, with the line if known."""

    def __init__(self, message: str, fix: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.line = line


def decode(data: bytes) -> str:
    """The text of the file: UTF-8, or the Unicode encoding its BOM names."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        what = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
        raise UnreadableCsv(f"the file is not {what} text", "save it as 'CSV UTF-8' "
                            "(Excel: File > Save As > CSV UTF-8)", line=line) from exc


def read_grid(data: bytes, known_columns: Collection[str]) -> Grid:
    """The cells of a CSV file's bytes; raise :class:`UnreadableCsv` when it cannot be read."""
    text = decode(data)
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, sep=delimiter(text, known_columns))
    except pd.errors.EmptyDataError as exc:
        raise UnreadableCsv("the file is empty", "add the header row") from exc
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        detail = str(exc).split("C error: ")[-1].strip()
        line = re.search(r"\bline (\d+)", detail)
        raise UnreadableCsv(f"not a well-formed CSV file ({detail})",
                            "check the quotes and the number of commas on that line",
                            line=int(line.group(1)) if line else None) from exc
    return [[None if _empty(v) else v for v in row] for row in frame.values.tolist()]


def delimiter(text: str, known_columns: Collection[str]) -> str:
    """The separator that splits the first line into the most known column names.

    A comma wins a tie, so a file whose header names no known column reads as before.
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0]

    def known(sep: str) -> int:
        try:
            cells = next(csv.reader([first], delimiter=sep), [])
        except csv.Error:
            return 0
        return sum(c.strip().lower() in known_columns for c in cells)

    return max(DELIMITERS, key=lambda sep: (known(sep), -DELIMITERS.index(sep)))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""

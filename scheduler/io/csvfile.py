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
from collections import Counter
from collections.abc import Collection
from typing import Any

import pandas as pd

from scheduler.errors import Problem

Grid = list[list[Any]]
"""The cells of a file, row by row from line 1; blank cells are None."""

DELIMITERS = (",", ";", "\t")

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class UnreadableCsv(Exception):
    """The file cannot be read as CSV text; says why and how to fix it, with the line if known,
    and the further lines with a problem of the same kind (``more``: line, message)."""

    def __init__(self, message: str, fix: str, line: int | None = None,
                 more: tuple[tuple[int, str], ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.line = line
        self.more = more

    def problems(self, source: str) -> list[Problem]:
        """One problem per line found, located in ``source``."""
        return [Problem(source, self.message, self.fix, line=self.line),
                *(Problem(source, message, self.fix, line=line) for line, message in self.more)]


def decode(data: bytes) -> str:
    """The text of the file: UTF-8, or the Unicode encoding its BOM names."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if data.startswith(b"PK\x03\x04"):  # a zip: a workbook given a .csv name
        raise UnreadableCsv("the file is a workbook (.xlsx or another zip file), not CSV "
                            "text", "open it in Excel and save this sheet as 'CSV UTF-8' "
                            "(File > Save As), or give the whole instance as one .xlsx workbook")
    if encoding is None and b"\x00" in data[:4096]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UnreadableCsv("the file holds NUL bytes, as UTF-16 text without its byte-order "
                            "mark does, and is not UTF-8 text", "save it as 'CSV UTF-8' "
                            "(Excel: File > Save As > CSV UTF-8)", line=line)
    encoding = encoding or "utf-8"
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
    sep = delimiter(text, known_columns)
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, sep=sep)
    except pd.errors.EmptyDataError as exc:
        raise UnreadableCsv("the file is empty", "add the header row") from exc
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        grid = _ragged_grid(text, sep)
        if grid is not None:
            return grid
        detail = str(exc).split("C error: ")[-1].strip()
        if "EOF inside string" in detail:
            line = _unclosed_quote_line(text, sep)
            raise UnreadableCsv(f"not a well-formed CSV file: the quote (\") opened on line "
                                f"{line} is never closed", "close the quote, or remove it (a "
                                "value in quotes ends with a quote; a quote inside it is "
                                "doubled)", line=line) from exc
        found = re.search(r"\bline (\d+)", detail)
        raise UnreadableCsv(f"not a well-formed CSV file ({detail})",
                            "check the quotes and the number of commas on that line",
                            line=int(found.group(1)) if found else None) from exc
    return [[None if _empty(v) else v for v in row] for row in frame.values.tolist()]


def _unclosed_quote_line(text: str, sep: str) -> int:
    """The line on which the record that a quote left open to the end of the file starts."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep)
    start = ended = 0
    for _ in reader:
        start, ended = ended + 1, reader.line_num
    return start


def _ragged_grid(text: str, sep: str) -> Grid | None:
    """The cells of a file whose lines hold different numbers of values (where pandas stops at
    the first line longer than line 1), or ``None`` when it cannot be split at all.

    The width is that of line 1 or, when more lines share another, longer width (a title typed
    on line 1, above the header), that one; shorter lines are padded with blank cells. Raises
    :class:`UnreadableCsv` naming every line with values beyond the width.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep,
                        strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error:
        return None
    if not rows:
        return None
    lengths = Counter(len(row) for _, row in rows if any(cell.strip() for cell in row))
    width = max(len(rows[0][1]), lengths.most_common(1)[0][0] if lengths else 0)
    overlong = [(line, len(row)) for line, row in rows
                if any(not _empty(cell) for cell in row[width:])]
    if overlong:
        (line, count), *more = overlong
        message = "not a well-formed CSV file: line {} has {} values, the others {}"
        raise UnreadableCsv(message.format(line, count, width),
                            "remove the extra values, or put in quotes a value that holds the "
                            f"separator {sep!r}", line=line,
                            more=tuple((n, message.format(n, c, width)) for n, c in more))
    return [[None if _empty(v) else v for v in [*row[:width], *[None] * (width - len(row))]]
            for _, row in rows]


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

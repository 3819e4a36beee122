"""Text as people see it: Chinese characters are twice as wide as Latin ones; names made safe
as file names."""

from __future__ import annotations

import functools
import re
import unicodedata

_UNSAFE = re.compile(r"[^\w.-]+")


def safe_filename(text: str) -> str:
    """``text`` usable as a file name on every system (letters of any script kept)."""
    return _UNSAFE.sub("_", text).strip("._") or "unnamed"


def char_width(ch: str) -> int:
    """Columns one character takes: 2 for wide (Chinese) characters, else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@functools.lru_cache(maxsize=1 << 16)
def display_width(text: str) -> int:
    """Columns a line of text takes (Chinese characters count twice)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap each line of ``text`` to ``width`` columns, at spaces where possible (Chinese
    may break between any two characters)."""
    width = max(width, 4)
    out: list[str] = []
    for line in text.split("\n"):
        current, used = "", 0
        for word in line.split(" "):
            wide = display_width(word)
            needed = used + 1 + wide if current else wide
            if needed <= width:
                current = f"{current} {word}" if current else word
                used = needed
                continue
            if current:
                out.append(current)
            current, used = "", 0
            for ch in word:
                step = char_width(ch)
                if used + step > width:
                    out.append(current)
                    current, used = "", 0
                current += ch
                used += step
        out.append(current)
    return out


@functools.lru_cache(maxsize=1 << 14)
def wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` needs when wrapped in a column ``width`` characters wide."""
    return len(wrap_text(text, width))

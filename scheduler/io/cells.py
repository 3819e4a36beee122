"""Typed cell values: parse what a spreadsheet or CSV holds, and format values back.

Each :class:`CellKind` accepts the forms a user may type (``2026-09-07`` or an Excel date,
``Mon`` or ``周一`` or ``пн``) and raises :class:`CellError` with a message and a fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.instance import WEEKDAY_NAMES


class CellError(ValueError):
    """A cell holds a value of the wrong kind."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def is_blank(value: Any) -> bool:
    """True for an empty cell (None, NaN, NaT or whitespace)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, tuple)) else False
    except (TypeError, ValueError):
        return False


def _show(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


_LIST_SPLIT = re.compile(r"\s*[;,，；]\s*")

_WEEKDAY_ALIASES: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("mon", "monday", "周一", "星期一", "пн", "понедельник"),
        ("tue", "tues", "tuesday", "周二", "星期二", "вт", "вторник"),
        ("wed", "wednesday", "周三", "星期三", "ср", "среда"),
        ("thu", "thur", "thurs", "thursday", "周四", "星期四", "чт", "четверг"),
        ("fri", "friday", "周五", "星期五", "пт", "пятница"),
        ("sat", "saturday", "周六", "星期六", "сб", "суббота"),
        ("sun", "sunday", "周日", "星期日", "周天", "星期天", "вс", "воскресенье"),
    ]
):
    for _n in _names:
        _WEEKDAY_ALIASES[_n] = _i
    _WEEKDAY_ALIASES[str(_i + 1)] = _i


@dataclass(frozen=True)
class CellKind:
    """How one column's cells are read and written."""

    name: str
    describe: str

    def parse(self, value: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def format(self, value: Any) -> Any:
        return value


@dataclass(frozen=True)
class Text(CellKind):
    name: str = "text"
    describe: str = "text"

    def parse(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime):
            raise CellError(f"expected text, got the date {value:%Y-%m-%d}",
                            "format the cell as Text so the spreadsheet keeps what you typed")
        return str(value).strip()


@dataclass(frozen=True)
class Integer(CellKind):
    name: str = "integer"
    describe: str = "whole number"
    minimum: int | None = None

    def parse(self, value: Any) -> int:
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+(\.0*)?\s*", value):
            number = int(float(value))
        if number is None:
            raise CellError(f"expected a whole number, got {_show(value)}",
                            "type a whole number such as 4")
        if self.minimum is not None and number < self.minimum:
            raise CellError(f"must be at least {self.minimum}, got {number}",
                            f"use a whole number of {self.minimum} or more")
        return number


_TRUE = {"true", "yes", "y", "1", "是", "да", "x"}
_FALSE = {"false", "no", "n", "0", "否", "нет"}


@dataclass(frozen=True)
class Boolean(CellKind):
    name: str = "boolean"
    describe: str = "yes/no (true/false, 1/0)"

    def parse(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError(f"expected yes or no, got {_show(value)}", "write yes or no")

    def format(self, value: Any) -> str:
        return "yes" if value else "no"


@dataclass(frozen=True)
class Date(CellKind):
    name: str = "date"
    describe: str = "date, YYYY-MM-DD (or a spreadsheet date)"

    def parse(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                raise CellError(f"expected a date without time, got {value}",
                                "type the date only, as YYYY-MM-DD")
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?", text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise CellError(f"expected a date as YYYY-MM-DD, got {_show(value)}",
                        "type the date as 2026-09-07")

    def format(self, value: Any) -> Any:
        return value


@dataclass(frozen=True)
class Time(CellKind):
    name: str = "time"
    describe: str = "clock time, HH:MM"

    def parse(self, value: Any) -> dt.time:
        if isinstance(value, dt.datetime):
            return value.time()
        if isinstance(value, dt.time):
            return value
        match = re.fullmatch(r"\s*(\d{1,2})[:：.](\d{2})(?::00)?\s*", str(value))
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        raise CellError(f"expected a clock time as HH:MM, got {_show(value)}",
                        "type the time as 08:00")

    def format(self, value: Any) -> str:
        return value.strftime("%H:%M")


@dataclass(frozen=True)
class Weekday(CellKind):
    name: str = "weekday"
    describe: str = "weekday: Mon..Sun (also Monday, 1..7 with 1 = Monday, 周一, пн)"

    def parse(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = str(value).strip().lower().rstrip(".")
        if key in _WEEKDAY_ALIASES:
            return _WEEKDAY_ALIASES[key]
        raise CellError(f"expected a weekday, got {_show(value)}", "write Mon, Tue, ... or Sun")

    def format(self, value: Any) -> str:
        return WEEKDAY_NAMES[value]


@dataclass(frozen=True)
class WeekdayList(CellKind):
    name: str = "weekday list"
    describe: str = "weekdays separated by ';' (e.g. Mon;Tue;Wed), or a range Mon-Fri"

    def parse(self, value: Any) -> tuple[int, ...]:
        single = Weekday()
        days: list[int] = []
        for part in _LIST_SPLIT.split(str(value).strip()):
            if not part:
                continue
            if "-" in part and part.count("-") == 1 and part.strip("-") == part:
                first, last = (single.parse(p) for p in part.split("-"))
                if last < first:
                    raise CellError(f"weekday range {part!r} runs backwards",
                                    "write the earlier day first, e.g. Mon-Fri")
                days.extend(range(first, last + 1))
            else:
                days.append(single.parse(part))
        if not days:
            raise CellError("expected at least one weekday", "write e.g. Mon;Tue;Wed")
        return tuple(sorted(set(days)))

    def format(self, value: Any) -> str:
        return ";".join(WEEKDAY_NAMES[d] for d in value)


@dataclass(frozen=True)
class TextList(CellKind):
    name: str = "list"
    describe: str = "ids separated by ';'"

    def parse(self, value: Any) -> tuple[str, ...]:
        text = Text().parse(value)
        items = tuple(p for p in _LIST_SPLIT.split(text) if p)
        if not items:
            raise CellError("expected at least one item", "list the ids separated by ';'")
        if len(set(items)) != len(items):
            raise CellError(f"lists an item twice: {text!r}", "list each item once")
        return items

    def format(self, value: Any) -> str:
        return ";".join(value)


LANGUAGE_CODES = ("zh", "ru", "en")


@dataclass(frozen=True)
class Language(CellKind):
    name: str = "language"
    describe: str = "language code: zh, ru or en"
    codes: Sequence[str] = LANGUAGE_CODES

    def parse(self, value: Any) -> str:
        code = str(value).strip().lower()
        if code not in self.codes:
            raise CellError(f"unknown language {_show(value)}",
                            f"use one of {', '.join(self.codes)}")
        return code


@dataclass(frozen=True)
class LanguageList(CellKind):
    name: str = "language list"
    describe: str = "language codes separated by ';' (zh, ru, en)"

    def parse(self, value: Any) -> tuple[str, ...]:
        items = TextList().parse(value)
        return tuple(Language().parse(i) for i in items)

    def format(self, value: Any) -> str:
        return ";".join(value)


@dataclass(frozen=True)
class LanguagePairs(CellKind):
    name: str = "language pairs"
    describe: str = "pairs of language codes separated by ';', e.g. ru-zh;en-zh"

    def parse(self, value: Any) -> tuple[frozenset[str], ...]:
        pairs: list[frozenset[str]] = []
        for item in TextList().parse(value):
            parts = [p.strip() for p in item.split("-")]
            if len(parts) != 2 or parts[0] == parts[1]:
                raise CellError(f"{item!r} is not a pair of two different languages",
                                "write pairs like ru-zh")
            pairs.append(frozenset(Language().parse(p) for p in parts))
        return tuple(pairs)

    def format(self, value: Any) -> str:
        return ";".join("-".join(sorted(pair)) for pair in value)


@dataclass(frozen=True)
class Choice(CellKind):
    name: str = "choice"
    describe: str = "one of a fixed set"
    values: Sequence[str] = ()
    case_sensitive: bool = False

    def parse(self, value: Any) -> str:
        text = str(value).strip()
        for v in self.values:
            if text == v or (not self.case_sensitive and text.lower() == v.lower()):
                return v
        raise CellError(f"expected one of {', '.join(self.values)}, got {_show(value)}",
                        f"write one of {', '.join(self.values)}")

"""Typed cell values: parse what a spreadsheet or CSV holds, and format values back.

Each :class:`CellKind` accepts the forms a user may type (``2026-09-07`` or an Excel date,
``Mon`` or ``周一`` or ``пн``) and raises :class:`CellError` with a message and a fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.instance import WEEKDAY_NAMES
from scheduler.io.limits import FIRST_DATE, LAST_DATE, MAX_ID


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


@dataclass(frozen=True)
class ErrorValue:
    """A spreadsheet error cell (``#N/A``, ``#DIV/0!``...) as an ``.xlsx`` workbook stores it;
    ``beyond_calendar``: no error was stored, but a date-formatted number that is no date
    (openpyxl reads it as ``#VALUE!``; Excel shows ``########``)."""

    code: str
    beyond_calendar: bool = False

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Formula:
    """A formula cell whose value was never calculated and saved: the file holds ``=...`` only.

    (Programs that write workbooks without a spreadsheet engine save formulas this way.)
    """

    text: str

    def __str__(self) -> str:
        return self.text


EXCEL_ERRORS = frozenset({
    "#null!", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#n/a", "#getting_data",
    "#spill!", "#calc!", "#field!", "#blocked!", "#connect!", "#busy!", "#unknown!",
    "#external!", "#python!",
})
"""Error values a spreadsheet shows in a cell (lower case), also when exported to CSV."""

PLACEHOLDERS = frozenset({
    "n/a", "n.a.", "na", "#na", "#n/a n/a", "null", "none", "nil", "nan", "-nan", "nat",
    "<na>", "undefined", "1.#ind", "-1.#ind", "1.#qnan", "-1.#qnan",
})
"""Texts that stand for a missing value (lower case): never read as a value, nor as blank."""


@dataclass(frozen=True)
class NoValue:
    """Why a cell that is not blank holds no value; ``formula`` when a formula is the cause."""

    message: str
    formula: bool


def no_value(value: Any) -> NoValue | None:
    """The reason ``value`` is not a value (a placeholder, an error, a formula), else None.

    The same text gives the same answer whether it comes from a workbook or a CSV file.
    """
    if isinstance(value, Formula):
        return NoValue(f"the cell holds the formula {_show(value.text)} but not its value (the "
                       "program that saved the file did not calculate it)", True)
    if isinstance(value, ErrorValue):
        if value.beyond_calendar:
            return NoValue("the cell is formatted as a date but holds a number that is no date "
                           "(Excel shows ########)", False)
        return NoValue(f"the cell shows the spreadsheet error {value.code}", True)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in EXCEL_ERRORS:
        return NoValue(f"the cell shows the spreadsheet error {text}", True)
    if text.lower() in PLACEHOLDERS:
        return NoValue(f"{_show(text)} stands for a missing value", False)
    if len(text) > 1 and text.startswith("="):
        return NoValue(f"the cell holds the formula {_show(text)}, not a value", True)
    return None


def _show(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _show_number(number: int) -> str:
    return str(number) if abs(number) < 10**_MAX_DIGITS else \
        f"a number of more than {_MAX_DIGITS} digits"


ORDINARY_SPACE = " \t\r\n"
"""What is trimmed around an id: ordinary spaces, tabs and line ends (other spaces are named)."""
_LIST_SPLIT = re.compile(r"[ \t\r\n]*[;,，；][ \t\r\n]*")

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
    max_length: int | None = None
    controls: bool = True
    """Whether control characters (a NUL...) may stand in the text: a timetable's cells keep
    any text (an unknown id is the verifier's to report); texts shown to people refuse them."""

    def parse(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return self._checked(str(int(value)))
        if isinstance(value, dt.datetime):
            raise CellError(f"expected text, got the date {value:%Y-%m-%d}",
                            "format the cell as Text so the spreadsheet keeps what you typed")
        return self._checked(str(value).strip())

    def _checked(self, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(f"{len(text)} characters is longer than the {self.max_length} "
                            f"allowed", f"shorten it to {self.max_length} characters or fewer")
        control = None if self.controls else next(
            (c for c in text if c not in "\t\n\r" and unicodedata.category(c) == "Cc"), None)
        if control is not None:  # a NUL or another control character: no text shows it
            raise CellError(f"the text holds the control character U+{ord(control):04X} at "
                            f"character {text.index(control) + 1}",
                            "retype the text (the character does not show)")
        return text


@dataclass(frozen=True)
class Id(Text):
    """An id (or a reference to one): text of at most ``max_length`` characters."""

    name: str = "id"
    describe: str = "id"
    max_length: int | None = MAX_ID

    def parse(self, value: Any) -> str:
        if isinstance(value, str):  # only ordinary spaces are trimmed: a no-break or
            return self._checked(value.strip(ORDINARY_SPACE))  # ideographic space is named
        return super().parse(value)

    def _checked(self, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(f"an id of {len(text)} characters is longer than the "
                            f"{self.max_length} allowed",
                            f"use an id of at most {self.max_length} characters")
        for position, char in enumerate(text, start=1):
            deceptive = _deceptive(char)
            if deceptive is not None:
                what, fix = deceptive
                name = unicodedata.name(char, "unnamed")
                raise CellError(f"the id {_show(text)} holds {what} at character "
                                f"{position} (U+{ord(char):04X} {name}); ids must match "
                                "those of the other sheets character for character", fix)
        return text


def _deceptive(char: str) -> tuple[str, str] | None:
    """What is wrong with ``char`` in an id and how to fix it, when it looks like nothing or
    like another character (a zero-width space pasted from the web, a full-width hyphen typed
    with a Chinese input method, a non-breaking space); ``None`` for an ordinary character."""
    if "\uff01" <= char <= "\uff5e":
        return ("a full-width character", f"type '{chr(ord(char) - 0xFEE0)}' instead (switch "
                "the input method to half-width)")
    category = unicodedata.category(char)
    if category == "Zs" and char != " ":
        return ("a full-width character" if char == "\u3000" else
                "a space that is not an ordinary space",
                "type an ordinary space instead, or none")
    if category in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
        return ("an invisible character", "retype the id (the character does not show; "
                "deleting the cell and typing it helps)")
    return None


@functools.cache
def time_zones() -> frozenset[str]:
    """Names of the IANA time zone database (without the host's ``localtime``)."""
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory", "posixrules"})


@dataclass(frozen=True)
class TimeZone(CellKind):
    name: str = "time zone"
    describe: str = "IANA time zone name"

    def parse(self, value: Any) -> str:
        text = Text().parse(value)
        if text in time_zones():
            return text
        same = sorted(z for z in time_zones() if z.lower() == text.lower())
        raise CellError(f"unknown time zone {_show(value)}",
                        f"write it as {same[0]}" if same else
                        "use a name of the IANA time zone database, e.g. Asia/Shanghai")


def _whole_fix(value: Any) -> str:
    """How to fix a cell that should hold a whole number: a fraction below 1 is most likely
    a percentage the spreadsheet stored as a fraction (25 % as 0.25)."""
    if isinstance(value, float) and 0 < value < 1:
        return (f"type the percentage as a whole number ({value * 100:g} for {value:.0%}), "
                "in a cell formatted as a number, not as a percentage")
    return "type a whole number such as 4"


@dataclass(frozen=True)
class Integer(CellKind):
    name: str = "integer"
    describe: str = "whole number"
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, value: Any) -> int:
        number = _whole_number(value)
        if number is None:
            raise CellError(f"expected a whole number, got {_show(value)}", _whole_fix(value))
        if self.minimum is not None and number < self.minimum:
            raise CellError(f"must be at least {self.minimum}, got {_show_number(number)}",
                            f"use a whole number of {self.minimum} or more")
        if self.maximum is not None and number > self.maximum:
            raise CellError(f"must be at most {self.maximum}, got {_show_number(number)}",
                            f"use a whole number of {self.maximum} or less")
        if abs(number) >= 10**_MAX_DIGITS:
            raise CellError(f"expected a whole number of at most {_MAX_DIGITS} digits, got "
                            f"{_show_number(number)}", "type a smaller number")
        return number


_MAX_DIGITS = 18
_WHOLE = re.compile(r"\s*([+-]?)0*(\d+?)(?:\.0*)?\s*")


def _whole_number(value: Any) -> int | None:
    """The whole number a cell holds (``4``, ``4.0``, ``" 4 "``), else None.

    Text of more than 18 digits reads as the nearest number of 19 digits, so that a message
    can still say it is too large without converting thousands of digits.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if not isinstance(value, str):
        return None
    match = _WHOLE.fullmatch(value)
    if match is None:
        return None
    sign, digits = match.groups()
    if len(digits) > _MAX_DIGITS + 1:
        digits = "9" * (_MAX_DIGITS + 1)
    return int(sign + digits)


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
        day = self._date(value)
        if not FIRST_DATE <= day <= LAST_DATE:
            raise CellError(f"the date {day.isoformat()} is not between "
                            f"{FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}",
                            "check the year")
        return day

    @staticmethod
    def _date(value: Any) -> dt.date:
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
            except ValueError as exc:
                raise CellError(f"there is no such date: {_show(value)} ({exc})",
                                "check the day and the month (YYYY-MM-DD)") from None
        raise CellError(f"expected a date as YYYY-MM-DD, got {_show(value)}",
                        "type the date as YYYY-MM-DD, e.g. 2026-09-07")

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
            raise CellError(f"there is no such time: {_show(value)}",
                            "use hours 00-23 and minutes 00-59, e.g. 08:00")
        if isinstance(value, float) and 0 <= value < 1:
            minutes = round(value * 24 * 60)
            shown = f"{minutes // 60:02d}:{minutes % 60:02d}"
            raise CellError(f"expected a clock time as HH:MM, got the number {value:g}",
                            f"a spreadsheet shows {value:g} as {shown} in a cell formatted as "
                            f"a time: format the cell as Time, or type {shown} as text")
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
    item: Text = Text()

    def parse(self, value: Any) -> tuple[str, ...]:
        text = Text().parse(value) if not isinstance(value, str) else value.strip(ORDINARY_SPACE)
        items = tuple(self.item.parse(p) for p in _LIST_SPLIT.split(text) if p)
        if not items:
            raise CellError("expected at least one item", "list the ids separated by ';'")
        if len(set(items)) != len(items):
            raise CellError(f"lists an item twice: {_show(text)}", "list each item once")
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

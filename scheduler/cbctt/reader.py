"""Reading CB-CTT instances in the ITC2007 ``.ctt`` format and the extended ``.ectt`` format.

Both formats are line-oriented: a header of ``Key: value`` lines, then sections
(``COURSES:``, ``ROOMS:``, ``CURRICULA:``, ``UNAVAILABILITY_CONSTRAINTS:`` and, in ``.ectt``,
``ROOM_CONSTRAINTS:``) with one record per line, and ``END.``. The format is recognised from the
header (``Constraints:`` versus ``UnavailabilityConstraints:``), not from the file name. Every
problem of a file is collected and raised at once as an :class:`~scheduler.errors.InputError`.
"""

from __future__ import annotations

import os
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.cbctt.instance import CbcttInstance, Course, Curriculum, Format, Room
from scheduler.errors import InputError, Problem

CTT_HEADER = ("Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula", "Constraints")
ECTT_HEADER = (
    "Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula",
    "Min_Max_Daily_Lectures", "UnavailabilityConstraints", "RoomConstraints",
)
SECTIONS = ("COURSES", "ROOMS", "CURRICULA", "UNAVAILABILITY_CONSTRAINTS", "ROOM_CONSTRAINTS")
COURSE_FIELDS = {
    "ctt": "course teacher lectures min_working_days students",
    "ectt": "course teacher lectures min_working_days students double_lectures",
}
ROOM_FIELDS = {"ctt": "room capacity", "ectt": "room capacity building"}


class CbcttInputWarning(UserWarning):
    """Legal but suspicious input (e.g. a repeated unavailability line), read anyway."""


@dataclass
class _Line:
    number: int
    tokens: list[str]


LARGEST = 1_000_000_000
"""The largest number a ``.ctt`` file may give (a student count, a room's capacity, a count
of lectures): larger ones are refused, not carried into the model's arithmetic."""

CALENDAR_LIMITS = {"Days": 31, "Periods_per_day": 48}
"""The most days and periods a day an instance may have: a model of more periods than these
would take longer to build than a search is given (2,000 days of 10 periods: 11 s)."""


@dataclass
class _Parse:
    """State of one read: the problems found so far and where each section starts."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    header: dict[str, tuple[str, int]] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    records: dict[str, list[_Line]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    end_line: int | None = None
    last_line: int = 0

    def problem(self, line: int | None, message: str, fix: str = "") -> None:
        self.problems.append(Problem(source=self.source, line=line, message=message, fix=fix))

    def integer(self, token: str, what: str, line: int, minimum: int = 0,
                maximum: int = LARGEST, why: str = "") -> int | None:
        """``token`` as an integer from ``minimum`` to ``maximum``, or ``None`` after
        recording a problem (``why``: the reason for the maximum, in the message)."""
        try:
            value = int(token)
        except ValueError:
            self.problem(line, f"{what} must be an integer, found '{token}'.")
            return None
        if value < minimum:
            self.problem(line, f"{what} must be at least {minimum}, found {value}.")
            return None
        if value > maximum:
            self.problem(line, f"{what} must be at most {maximum:,}, found {value:,}"
                         f"{why or ''}.")
            return None
        return value


def read_cbctt(path: str | os.PathLike[str]) -> CbcttInstance:
    """Read a ``.ctt`` or ``.ectt`` file; raise :class:`InputError` listing every problem."""
    return parse_cbctt(read_text(path), str(path))


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a file; an unreadable file raises :class:`InputError`."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror}."
    except UnicodeDecodeError:
        message = "the file is not UTF-8 text."
    raise InputError([Problem(source=str(path), message=message)])


def parse_cbctt(text: str, source: str = "<text>") -> CbcttInstance:
    """Parse the text of a ``.ctt`` or ``.ectt`` file (``source`` names it in messages)."""
    state = _Parse(source)
    _split(text, state)
    fmt = _detect_format(state)
    header = _read_header(state, fmt)
    days, ppd = header.get("Days"), header.get("Periods_per_day")
    courses = _read_courses(state, fmt)
    rooms = _read_rooms(state, fmt)
    # Ids declared on a line, even a faulty one, so that a bad course line is not also
    # reported as an unknown course wherever the course is named.
    course_ids = {rec.tokens[0] for rec in state.records["COURSES"]}
    room_ids = {rec.tokens[0] for rec in state.records["ROOMS"]}
    curricula = _read_curricula(state, course_ids)
    unavailability = _read_unavailability(state, course_ids, days, ppd)
    room_constraints = _read_room_constraints(state, fmt, course_ids, room_ids)
    _check_counts(state, fmt, header)
    if state.end_line is None:
        state.problem(state.last_line or None, "the file ends without the closing line 'END.'.",
                      "Add a line 'END.' after the last section.")
    if state.problems:
        raise InputError(state.problems)
    assert isinstance(days, int) and isinstance(ppd, int)
    try:
        return CbcttInstance(
            name=str(header.get("Name", "")),
            days=days,
            periods_per_day=ppd,
            courses=tuple(courses),
            rooms=tuple(rooms),
            curricula=tuple(curricula),
            unavailability=frozenset(unavailability),
            room_constraints=frozenset(room_constraints),
            daily_lectures=header.get("Min_Max_Daily_Lectures"),  # type: ignore[arg-type]
            format=fmt,
            source=source,
        )
    except ValueError as exc:  # a rule the line checks above missed
        raise InputError([Problem(source=source, message=str(exc))]) from None


def _split(text: str, state: _Parse) -> None:
    """Sort the lines into header fields and section records."""
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        state.last_line = number
        hidden = next((ch for ch in line if unicodedata.category(ch) in ("Cc", "Cf")
                       and not ch.isspace()), None)
        if hidden is not None:
            state.problem(number, f"the line holds the invisible character U+{ord(hidden):04X} "
                          f"({unicodedata.name(hidden, 'a control character')}).",
                          "Remove it: ids and numbers are separated by spaces or tabs.")
            continue
        if state.end_line is not None:
            state.problem(number, f"text after 'END.' (line {state.end_line}): '{line}'.",
                          "Remove it, or move 'END.' to the end of the file.")
            continue
        if line == "END.":
            state.end_line = number
            continue
        if line.endswith(":") and line[:-1].upper() in SECTIONS:
            section = line[:-1].upper()
            if line[:-1] != section:
                state.problem(number, f"section names are upper-case: '{line}' should be "
                              f"'{section}:'.", f"Write '{section}:'.")
            if section in state.sections:
                state.problem(number, f"section {line} appears twice (first on line "
                              f"{state.sections[section]}).", "Merge the two sections.")
            state.sections.setdefault(section, number)
            continue
        if section is None:
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep:
                state.problem(number, f"expected a header line 'Key: value', found '{line}'.")
            elif key not in CTT_HEADER and key not in ECTT_HEADER:
                state.problem(number, f"unknown header field '{key}'.",
                              f"Use one of: {', '.join(dict.fromkeys(CTT_HEADER + ECTT_HEADER))}.")
            elif key in state.header:
                state.problem(number, f"header field '{key}' appears twice (first on line "
                              f"{state.header[key][1]}).")
            else:
                state.header[key] = (value.strip(), number)
            continue
        if line.endswith(":") and " " not in line:
            state.problem(number, f"unknown section '{line}'.",
                          f"Use one of: {', '.join(s + ':' for s in SECTIONS)}.")
            section = "UNKNOWN"
            state.records.setdefault("UNKNOWN", [])
            continue
        state.records[section].append(_Line(number, line.split()))


def _detect_format(state: _Parse) -> Format:
    if "Constraints" in state.header:
        if "UnavailabilityConstraints" in state.header:
            state.problem(state.header["Constraints"][1],
                          "the header mixes 'Constraints' (.ctt) and "
                          "'UnavailabilityConstraints' (.ectt).", "Keep the one of your format.")
        return "ctt"
    if any(k in state.header for k in ECTT_HEADER[6:]):
        return "ectt"
    state.problem(_first_section_line(state),
                  "the header has neither 'Constraints:' (.ctt) nor "
                  "'UnavailabilityConstraints:' (.ectt).",
                  "Add the count of unavailability lines to the header.")
    return "ctt"


def _first_section_line(state: _Parse) -> int | None:
    return min(state.sections.values(), default=None)


def _read_header(state: _Parse, fmt: Format) -> dict[str, object]:
    """Header values, converted; a missing or invalid field is a problem."""
    expected = CTT_HEADER if fmt == "ctt" else ECTT_HEADER
    values: dict[str, object] = {}
    for key in expected:
        if key not in state.header:
            state.problem(_first_section_line(state), f"the header has no '{key}:' line.",
                          f"Add '{key}: ...' before the first section.")
            continue
        text, line = state.header[key]
        if key == "Name":
            if not text:
                state.problem(line, "the instance name is empty.")
            values[key] = text
        elif key == "Min_Max_Daily_Lectures":
            parts = text.split()
            if len(parts) != 2:
                state.problem(line, f"'{key}' needs two integers (minimum maximum), "
                              f"found '{text}'.")
                continue
            low = state.integer(parts[0], "the daily minimum", line)
            high = state.integer(parts[1], "the daily maximum", line)
            if low is not None and high is not None:
                if low > high:
                    state.problem(line, f"the daily minimum {low} exceeds the maximum {high}.")
                values[key] = (low, high)
        elif key in CALENDAR_LIMITS:
            value = state.integer(text, f"'{key}'", line, 1, CALENDAR_LIMITS[key],
                                  " (a CB-CTT timetable is one week, repeated; the published "
                                  "instances have 5 or 6 days of 4 to 9 periods)")
            if value is not None:
                values[key] = value
        else:
            value = state.integer(text, f"'{key}'", line)
            if value is not None:
                values[key] = value
    for key, (_, line) in state.header.items():
        if key not in expected:
            state.problem(line, f"header field '{key}' does not belong to the .{fmt} format.",
                          "Remove it, or use the header of the other format throughout.")
    return values


def _fields(state: _Parse, rec: _Line, count: int, layout: str, section: str) -> bool:
    if len(rec.tokens) == count:
        return True
    state.problem(rec.number, f"{section} line has {len(rec.tokens)} fields, expected {count}: "
                  f"{layout}.")
    return False


def _duplicate(state: _Parse, seen: dict[str, int], ident: str, kind: str, line: int) -> bool:
    if ident in seen:
        state.problem(line, f"duplicate {kind} id '{ident}' (first on line {seen[ident]}).",
                      f"Give each {kind} a distinct id.")
        return True
    seen[ident] = line
    return False


def _read_courses(state: _Parse, fmt: Format) -> list[Course]:
    courses: list[Course] = []
    seen: dict[str, int] = {}
    width = 5 if fmt == "ctt" else 6
    for rec in state.records["COURSES"]:
        if not _fields(state, rec, width, COURSE_FIELDS[fmt], "COURSES"):
            continue
        ident, teacher, *numbers = rec.tokens
        lectures = state.integer(numbers[0], f"lectures of course {ident}", rec.number)
        mwd = state.integer(numbers[1], f"min_working_days of course {ident}", rec.number)
        students = state.integer(numbers[2], f"students of course {ident}", rec.number)
        double = False
        if fmt == "ectt":
            if numbers[3] not in ("0", "1"):
                state.problem(rec.number, f"double_lectures of course {ident} must be 0 or 1, "
                              f"found '{numbers[3]}'.")
            double = numbers[3] == "1"
        if _duplicate(state, seen, ident, "course", rec.number):
            continue
        if lectures is None or mwd is None or students is None:
            continue
        courses.append(Course(ident, teacher, lectures, mwd, students, double))
    return courses


def _read_rooms(state: _Parse, fmt: Format) -> list[Room]:
    rooms: list[Room] = []
    seen: dict[str, int] = {}
    width = 2 if fmt == "ctt" else 3
    for rec in state.records["ROOMS"]:
        if not _fields(state, rec, width, ROOM_FIELDS[fmt], "ROOMS"):
            continue
        ident = rec.tokens[0]
        capacity = state.integer(rec.tokens[1], f"capacity of room {ident}", rec.number)
        if _duplicate(state, seen, ident, "room", rec.number) or capacity is None:
            continue
        rooms.append(Room(ident, capacity, rec.tokens[2] if fmt == "ectt" else None))
    return rooms


def _read_curricula(state: _Parse, course_ids: set[str]) -> list[Curriculum]:
    curricula: list[Curriculum] = []
    seen: dict[str, int] = {}
    for rec in state.records["CURRICULA"]:
        if len(rec.tokens) < 2:
            state.problem(rec.number, "CURRICULA line needs: curriculum k course_1 ... course_k.")
            continue
        ident, count_text, *members = rec.tokens
        count = state.integer(count_text, f"the course count of curriculum {ident}", rec.number)
        ok = count is not None
        if count is not None and count != len(members):
            state.problem(rec.number, f"curriculum {ident} says {count} courses but lists "
                          f"{len(members)}.", "Make the count match the courses listed.")
            ok = False
        for course in members:
            if course not in course_ids:
                state.problem(rec.number, f"curriculum {ident} lists unknown course '{course}'.",
                              "Use a course id from the COURSES section.")
                ok = False
        repeated = sorted({c for c in members if members.count(c) > 1})
        if repeated:
            state.problem(rec.number, f"curriculum {ident} lists course "
                          f"{', '.join(repeated)} more than once.")
            ok = False
        if _duplicate(state, seen, ident, "curriculum", rec.number) or not ok:
            continue
        curricula.append(Curriculum(ident, tuple(members)))
    return curricula


def _read_unavailability(
    state: _Parse, course_ids: set[str], days: object, ppd: object
) -> set[tuple[str, int, int]]:
    result: set[tuple[str, int, int]] = set()
    first: dict[tuple[str, int, int], int] = {}
    for rec in state.records["UNAVAILABILITY_CONSTRAINTS"]:
        if not _fields(state, rec, 3, "course day period", "UNAVAILABILITY_CONSTRAINTS"):
            continue
        course = rec.tokens[0]
        ok = True
        if course not in course_ids:
            state.problem(rec.number, f"unavailability of unknown course '{course}'.",
                          "Use a course id from the COURSES section.")
            ok = False
        day = state.integer(rec.tokens[1], "the day", rec.number)
        slot = state.integer(rec.tokens[2], "the period", rec.number)
        if isinstance(days, int) and day is not None and day >= days:
            state.problem(rec.number, f"day {day} is out of range: days are 0 to {days - 1}.")
            ok = False
        if isinstance(ppd, int) and slot is not None and slot >= ppd:
            state.problem(rec.number, f"period {slot} is out of range: periods of a day are "
                          f"0 to {ppd - 1}.")
            ok = False
        if not ok or day is None or slot is None:
            continue
        key = (course, day, slot)
        if key in first:
            warnings.warn(CbcttInputWarning(
                f"{state.source}, line {rec.number}: repeats the unavailability on line "
                f"{first[key]}."), stacklevel=4)
        first.setdefault(key, rec.number)
        result.add(key)
    return result


def _read_room_constraints(
    state: _Parse, fmt: Format, course_ids: set[str], room_ids: set[str]
) -> set[tuple[str, str]]:
    records = state.records["ROOM_CONSTRAINTS"]
    if fmt == "ctt" and "ROOM_CONSTRAINTS" in state.sections:
        state.problem(state.sections["ROOM_CONSTRAINTS"],
                      "section ROOM_CONSTRAINTS: belongs to the .ectt format, not .ctt.",
                      "Remove it, or write the file in the .ectt format.")
        return set()
    result: set[tuple[str, str]] = set()
    for rec in records:
        if not _fields(state, rec, 2, "course room", "ROOM_CONSTRAINTS"):
            continue
        course, room = rec.tokens
        if course not in course_ids:
            state.problem(rec.number, f"room constraint of unknown course '{course}'.")
        elif room not in room_ids:
            state.problem(rec.number, f"room constraint names unknown room '{room}'.",
                          "Use a room id from the ROOMS section.")
        else:
            result.add((course, room))
    return result


def _check_counts(state: _Parse, fmt: Format, header: dict[str, object]) -> None:
    """The header's counts must match the number of records in each section."""
    counted = [
        ("Courses", "COURSES"),
        ("Rooms", "ROOMS"),
        ("Curricula", "CURRICULA"),
        ("Constraints" if fmt == "ctt" else "UnavailabilityConstraints",
         "UNAVAILABILITY_CONSTRAINTS"),
    ]
    if fmt == "ectt":
        counted.append(("RoomConstraints", "ROOM_CONSTRAINTS"))
    for key, section in counted:
        expected = header.get(key)
        if not isinstance(expected, int):
            continue
        found = len(state.records[section])
        if section not in state.sections:
            if expected > 0:
                state.problem(state.end_line or state.last_line or None,
                              f"section {section}: is missing (the header, line "
                              f"{state.header[key][1]}, says {key}: {expected}).",
                              f"Add the section '{section}:' with {expected} lines.")
            continue
        if found != expected:
            state.problem(state.sections[section],
                          f"section {section}: has {found} lines but the header (line "
                          f"{state.header[key][1]}) says {key}: {expected}.",
                          "Make the header count match the lines of the section.")
    if "UNKNOWN" in state.records:
        del state.records["UNKNOWN"]

"""A scenario: named changes to a base instance, each a frozen record with its file line.

Changes are plain data; :mod:`scheduler.scenarios.apply` applies them to an instance and
:mod:`scheduler.scenarios.reader` reads them from a YAML file (docs/scenarios.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

TripRef = dt.date | int | None
"""Which trip of a teacher: its arrival date, its number (1 = first), or ``None`` (the only
one)."""


@dataclass(frozen=True)
class Change:
    """Base of every change; ``line`` is its line in the scenario file (0: built in code)."""

    line: int = field(default=0, kw_only=True)


@dataclass(frozen=True)
class ShiftTrip(Change):
    """Move a trip ``days`` later (earlier when negative), keeping its length."""

    teacher: str
    days: int
    trip: TripRef = None


@dataclass(frozen=True)
class ShortenTrip(Change):
    """Arrive ``arrive_later`` days later and/or leave ``leave_earlier`` days earlier."""

    teacher: str
    arrive_later: int = 0
    leave_earlier: int = 0
    trip: TripRef = None


@dataclass(frozen=True)
class CancelTrip(Change):
    """Drop a trip altogether."""

    teacher: str
    trip: TripRef = None


@dataclass(frozen=True)
class AddTrip(Change):
    """A new trip of a visiting teacher."""

    teacher: str
    arrival: dt.date
    departure: dt.date
    teach_on_arrival: bool = False
    teach_on_departure: bool = False


@dataclass(frozen=True, kw_only=True)
class Blocked(Change):
    """Dates ``first`` to ``last`` (periods ``first_period`` to ``last_period``, or whole
    days) on which a person or a room cannot be used, and why."""

    first: dt.date
    last: dt.date
    first_period: int | None = None
    last_period: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class PersonUnavailable(Blocked):
    """A teacher or an interpreter cannot teach on some dates."""

    person: str


@dataclass(frozen=True)
class RoomClosed(Blocked):
    """A room cannot be used on some dates."""

    room: str


@dataclass(frozen=True)
class CohortSize(Change):
    """New numbers of Chinese/Russian students (``students_*``) or added ones (``add_*``)."""

    cohorts: tuple[str, ...]
    students_cn: int | None = None
    students_ru: int | None = None
    add_cn: int = 0
    add_ru: int = 0


@dataclass(frozen=True)
class AddCourse(Change):
    """A new course, given with the columns of the courses table (``values`` by column
    name, ``lines`` where each was given)."""

    course_id: str
    values: tuple[tuple[str, Any], ...]
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class RemoveCourse(Change):
    """A course that will not be taught this term."""

    course_id: str


@dataclass(frozen=True)
class ChangeCourse(Change):
    """New values for some columns of a course (``values`` by column name, ``lines`` where
    each was given)."""

    course_id: str
    values: tuple[tuple[str, Any], ...]
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ChangeTripRules(Change):
    """New values for some trip rules of a planned visitor (``teacher``) or of an
    institution's visitors (``institution``), as the columns of the trip_rules table; a row
    is added when there is none (``values`` by column name, ``lines`` where each was given)."""

    teacher: str | None
    institution: str | None
    values: tuple[tuple[str, Any], ...]
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class AddHoliday(Change):
    """Dates ``first`` to ``last`` become holidays (a make-up day among them is cancelled)."""

    first: dt.date
    last: dt.date
    name: str = ""


@dataclass(frozen=True)
class Scenario:
    """A named list of changes to a base instance."""

    name: str
    changes: tuple[Change, ...]
    description: str = ""
    source: str = "<scenario>"

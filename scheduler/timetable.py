"""A term timetable: the dated meetings of every course, in rooms, with interpreters.

This is what the solver produces, the verifier judges, and exports render. It holds only the
decisions; everything else (weekday, teaching week, clock times, names) is derived from the
instance by :func:`meeting_rows`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from scheduler.instance import WEEKDAY_NAMES, Instance

Mode = Literal["onsite", "online"]
MODES: tuple[Mode, ...] = ("onsite", "online")


@dataclass(frozen=True, order=True)
class Meeting:
    """One dated meeting of a course: a run of periods in a room, maybe with an interpreter.

    ``mode`` is ``online`` when the visiting teachers teach it from home over the room's
    video link (the students and the interpreter are in the room), else ``onsite``.
    """

    date: dt.date
    first_period: int
    last_period: int
    course_id: str
    room_id: str
    interpreter_id: str | None = None
    mode: Mode = "onsite"

    @property
    def online(self) -> bool:
        """True for a meeting held online (no room)."""
        return self.mode == "online"

    @property
    def periods(self) -> range:
        """The periods of the day it takes, first to last."""
        return range(self.first_period, self.last_period + 1)

    @property
    def length(self) -> int:
        """How many periods it takes."""
        return self.last_period - self.first_period + 1

    @property
    def place(self) -> Place:
        """Where and when the meeting is held: what a pin keeps (the interpreter may change)."""
        return (self.course_id, self.date, self.first_period, self.last_period, self.room_id)


Place = tuple[str, dt.date, int, int, str]
"""A meeting's course, date, first and last period and room (:attr:`Meeting.place`)."""


class Trip(NamedTuple):
    """One trip of a planned visitor: days abroad from ``arrival`` to ``departure``."""

    teacher_id: str
    arrival: dt.date
    departure: dt.date

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1


@dataclass(frozen=True)
class Timetable:
    """All meetings of a term, sorted by date, period and course, and the trips planned for
    the visitors whose trips the solver plans (sorted by teacher and arrival).

    ``pinned``: the meetings the academic office has pinned (agreed with the teachers): a later
    solve keeps each at its date, periods and room (see docs/pins.md). Each is one of
    ``meetings``.
    """

    meetings: tuple[Meeting, ...]
    pinned: frozenset[Meeting] = frozenset()
    trips: tuple[Trip, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "meetings", tuple(sorted(self.meetings)))
        object.__setattr__(self, "pinned", frozenset(self.pinned))
        object.__setattr__(self, "trips", tuple(sorted(self.trips)))
        if not self.pinned <= set(self.meetings):
            raise ValueError("Expected every pinned meeting to be one of the meetings")

    def trips_of(self, teacher_id: str) -> tuple[Trip, ...]:
        """The planned trips of teacher ``teacher_id``."""
        return tuple(t for t in self.trips if t.teacher_id == teacher_id)

    def of_course(self, course_id: str) -> tuple[Meeting, ...]:
        """The meetings of course ``course_id``."""
        return tuple(m for m in self.meetings if m.course_id == course_id)

    def with_pins(self, pins: Iterable[Meeting]) -> Timetable:
        """This timetable with exactly its meetings held where one of ``pins`` is (same
        course, date, periods and room) marked pinned."""
        places = {p.place for p in pins}
        return Timetable(self.meetings, frozenset(m for m in self.meetings
                                                  if m.place in places), self.trips)

    def __len__(self) -> int:
        return len(self.meetings)


MEETING_COLUMNS = (
    "date", "weekday", "teaching_week", "first_period", "last_period", "start", "end",
    "course_id", "course_name", "delivery", "cohorts", "students", "teachers", "teacher_names",
    "room_id", "building", "capacity", "language", "interpreter_id", "interpreter_name",
    "pinned",
)
"""Columns of the master table (CSV, JSON, the workbook's master sheet), in order; ``mode``
follows when the term teaches online (:func:`meeting_columns`)."""

ESSENTIAL_COLUMNS = ("date", "first_period", "last_period", "course_id", "room_id",
                     "interpreter_id", "pinned", "mode")
"""The columns a timetable is read back from (``interpreter_id``, ``pinned`` and ``mode`` may
be left out: no interpreter, not pinned, on site); the others are derived for people."""


def teaching_week(instance: Instance, day: dt.date) -> int:
    """The teaching week printed for a meeting: the followed week on an adjusted workday."""
    for adjusted in instance.adjusted_workdays:
        if adjusted.date == day and adjusted.follows_week is not None:
            return adjusted.follows_week
    return instance.term.week_of(day)


def teaches_online(instance: Instance, timetable: Timetable) -> bool:
    """Some course allows online meetings, or some meeting is online."""
    return any(c.online_allowed for c in instance.courses) or \
        any(m.online for m in timetable.meetings)


def meeting_columns(instance: Instance, timetable: Timetable) -> tuple[str, ...]:
    """The master table's columns: :data:`MEETING_COLUMNS`, then ``mode`` (onsite|online)
    when the term teaches online (so that the tables of other terms stay as they were)."""
    return MEETING_COLUMNS + (("mode",) if teaches_online(instance, timetable) else ())


def meeting_rows(instance: Instance, timetable: Timetable) -> list[dict[str, Any]]:
    """One row per meeting with everything people read: names, clock times, week, building
    (and ``mode`` when the term teaches online)."""
    online = teaches_online(instance, timetable)
    rows = []
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        room = instance.room_by_id.get(m.room_id)
        interpreter = instance.interpreter_by_id.get(m.interpreter_id or "")
        first = instance.period_by_number.get(m.first_period)
        last = instance.period_by_number.get(m.last_period)
        teachers = course.teachers if course else ()
        rows.append({
            "date": m.date.isoformat(),
            "weekday": WEEKDAY_NAMES[m.date.weekday()],
            "teaching_week": teaching_week(instance, m.date),
            "first_period": m.first_period,
            "last_period": m.last_period,
            "start": first.start.strftime("%H:%M") if first else "",
            "end": last.end.strftime("%H:%M") if last else "",
            "course_id": m.course_id,
            "course_name": course.name if course else "",
            "delivery": course.delivery if course else "",
            "cohorts": ";".join(course.cohorts) if course else "",
            "students": instance.course_size(course) if course else 0,
            "teachers": ";".join(teachers),
            "teacher_names": ";".join(instance.teacher_by_id[t].name for t in teachers
                                      if t in instance.teacher_by_id),
            "room_id": m.room_id,
            "building": room.building if room else "",
            "capacity": room.capacity if room else 0,
            "language": course.language if course else "",
            "interpreter_id": m.interpreter_id or "",
            "interpreter_name": interpreter.name if interpreter else "",
            "pinned": "yes" if m in timetable.pinned else "no",
            **({"mode": m.mode} if online else {}),
        })
    return rows

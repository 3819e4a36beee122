"""Everything a meeting could be: weekly patterns and intensive slots that can actually happen.

Only options that pass every unary rule are created (room type and capacity, bookings, teacher
and interpreter availability, travel windows, block length), so the CP-SAT model never carries
a variable that could not be true. Rejections are counted per reason so that a course left
without any option can be explained.
"""

from __future__ import annotations

import random
import zlib
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from scheduler.availability import Availability, DatedPeriod
from scheduler.calendar import TeachingDay, TermCalendar
from scheduler.instance import Block, Course, Instance, Room
from scheduler.timetable import Mode

if TYPE_CHECKING:
    from scheduler.model.pins import Pin


@dataclass(frozen=True)
class Option:
    """A way to hold meetings of a course: a block on one or more dated days.

    For a weekly course, ``days`` are all dates a (weekday, block) pattern meets; for an
    intensive course, a single date. ``rooms`` and ``interpreters`` are those free on all of
    them. ``pins``: (requirement group, room) of each pin that requires the option, in that
    room (see :mod:`scheduler.model.pins`).
    """

    index: int
    course: Course
    block: Block
    days: tuple[TeachingDay, ...]
    rooms: tuple[str, ...]
    interpreters: tuple[str, ...]
    weekday: int | None = None
    pins: tuple[tuple[tuple[str, ...], str], ...] = ()
    online: bool = False
    """The visiting teachers teach from home over the room's video link."""

    @property
    def weekly(self) -> bool:
        return self.weekday is not None

    @property
    def periods_delivered(self) -> int:
        return len(self.days) * self.block.length

    def dated_periods(self) -> tuple[DatedPeriod, ...]:
        """Every (date, period) the option occupies (computed once per option)."""
        cached = self.__dict__.get("_dated")
        if cached is None:
            cached = tuple((d.date, p) for d in self.days for p in self.block.periods)
            self.__dict__["_dated"] = cached  # a cache, not state: frozen fields are unchanged
        return cached

    def narrowed(self, index: int, rooms: tuple[str, ...],
                 interpreters: tuple[str, ...] | None = None) -> Option:
        """This option under a new ``index`` with only ``rooms`` (and ``interpreters``),
        sharing the cached dated periods (model building reads them for every constraint)."""
        new = replace(self, index=index, rooms=rooms,
                      interpreters=self.interpreters if interpreters is None else interpreters)
        new.__dict__["_dated"] = self.dated_periods()
        return new

    @property
    def name(self) -> str:
        when = (f"w{self.weekday}" if self.weekly else self.days[0].date.isoformat())
        return f"{self.course.id}@{when}/{self.block.id}{'~online' if self.online else ''}"

    @property
    def mode(self) -> Mode:
        return "online" if self.online else "onsite"


@dataclass
class OptionSet:
    """All options of an instance, plus why options of each course were rejected.

    ``pins``: each pin's requirement group and what it keeps; ``lost_pins``: the groups of
    pins that no option can keep (see :func:`scheduler.model.pins.place_pins`).
    """

    options: list[Option] = field(default_factory=list)
    by_course: dict[str, list[Option]] = field(default_factory=lambda: defaultdict(list))
    rejections: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    pins: dict[tuple[str, ...], Pin] = field(default_factory=dict)
    lost_pins: tuple[tuple[str, ...], ...] = ()


def _fitting_rooms(instance: Instance, course: Course) -> list[Room]:
    """Rooms of the course's type that seat its students."""
    size = instance.course_size(course)
    return [r for r in instance.rooms if r.room_type == course.room_type and r.capacity >= size]


def _course_rooms(instance: Instance, course: Course, limit: int | None = None,
                  also: Collection[str] = ()) -> list[str]:
    """Rooms of the right type and size; with ``limit``, at most that many of them, and those
    of ``also`` that fit.

    The limited choice is half the best-fitting rooms and half drawn from the other fitting
    rooms (a draw fixed by the course id): if every small class had only the smallest rooms,
    those would run out while larger rooms of the type stood empty.
    """
    fitting = _fitting_rooms(instance, course)
    rooms = fitting
    if limit is not None and len(rooms) > limit:
        rooms = sorted(rooms, key=lambda r: (r.capacity, r.id))
        best, rest = rooms[:limit // 2], rooms[limit // 2:]
        draw = random.Random(zlib.crc32(course.id.encode("utf-8")))
        rooms = best + sorted(draw.sample(rest, limit - len(best)),
                              key=lambda r: (r.capacity, r.id))
        chosen = {r.id for r in rooms}
        rooms += [r for r in fitting if r.id in also and r.id not in chosen]
    return [r.id for r in rooms]


ROOM_CANDIDATES = 16
"""Rooms considered per course on large instances (half best-fitting, half drawn)."""
LARGE_ROOM_CHOICES = 400_000
"""Above this many (option, room) pairs an instance counts as large."""


def _course_interpreters(instance: Instance, course: Course) -> list[str] | None:
    """Interpreters covering the course's pairs; ``None`` when none is needed."""
    pairs = instance.interpreter_pairs(course)
    if not pairs:
        return None
    return [i.id for i in instance.interpreters
            if all(i.covers(p) for p in pairs) and i.max_periods_per_day >= course.meeting_length]


def _teacher_cannot(free: Availability, teacher_id: str, day: TeachingDay,
                    periods: tuple[int, ...], online: bool = False) -> str | None:
    """``None`` if the teacher can teach ``periods`` that day (from home when ``online``),
    else the reason why not."""
    if online and free.site_dates(teacher_id) is not None:
        if not free.teacher_at_home(teacher_id, day.date):
            return "teacher not at home for an online meeting (on a trip)"
    elif not free.teacher_on_site(teacher_id, day.date):
        return "teacher not on site (outside travel windows or on a travel day)"
    if not free.person_free_at(teacher_id, ((day.date, p) for p in periods)):
        return "teacher unavailable"
    return None


def _add(result: OptionSet, instance: Instance, free: Availability, course: Course,
         block: Block, days: tuple[TeachingDay, ...], rooms: list[str],
         interpreters: list[str] | None, weekday: int | None, online: bool = False) -> None:
    reasons = result.rejections[course.id]
    periods = block.periods
    for teacher_id in course.teachers:
        for day in days:
            reason = _teacher_cannot(free, teacher_id, day, tuple(periods), online)
            if reason:
                reasons[f"{reason}: {instance.teacher_by_id[teacher_id].name}"] += 1
                return
    dated = tuple((d.date, p) for d in days for p in periods)
    free_rooms = tuple(r for r in rooms if free.room_free_at(r, dated))
    if not free_rooms:
        reasons["no suitable room free (type, capacity, bookings)"] += 1
        return
    free_interpreters: tuple[str, ...] = ()
    if interpreters is not None:
        free_interpreters = tuple(i for i in interpreters if free.person_free_at(i, dated))
        if not free_interpreters:
            reasons["no interpreter for the language pair available"] += 1
            return
    option = Option(len(result.options), course, block, days, free_rooms, free_interpreters,
                    weekday, online=online)
    result.options.append(option)
    result.by_course[course.id].append(option)


def room_limit(instance: Instance) -> int | None:
    """How many rooms each course considers: all, unless the instance is large.

    On a whole-college instance a lecture course fits a hundred rooms, and (option, room)
    variables run into millions; keeping :data:`ROOM_CANDIDATES` rooms per course keeps the
    model in memory and loses little (extra seats cost ``seat_waste`` anyway).
    """
    pairs = 0
    for course in instance.courses:
        fitting = len(_fitting_rooms(instance, course))
        per_week = (course.meetings_per_week or 1) if course.delivery == "weekly" else 10
        pairs += fitting * 6 * 5 * per_week
    return ROOM_CANDIDATES if pairs > LARGE_ROOM_CHOICES else None


def build_options(instance: Instance, calendar: TermCalendar,
                  rooms_per_course: int | None = None,
                  also_rooms: Mapping[str, Collection[str]] | None = None) -> OptionSet:
    """Every weekly pattern and intensive slot that passes the unary rules.

    ``rooms_per_course`` keeps only that many rooms per course (see :func:`room_limit`), plus
    the rooms ``also_rooms`` gives the course (e.g. the rooms its pinned meetings are in).
    """
    free = Availability(instance, calendar)
    result = OptionSet()
    for course in instance.courses:
        blocks = [b for b in instance.blocks if b.length == course.meeting_length]
        limit = min(instance.teacher_by_id[t].max_periods_per_day for t in course.teachers)
        if course.meeting_length > limit:
            result.rejections[course.id]["meeting longer than the teachers' daily limit"] += 1
            continue
        rooms = _course_rooms(instance, course, rooms_per_course,
                              (also_rooms or {}).get(course.id, ()))
        if not rooms:
            result.rejections[course.id]["no room of the type large enough"] += 1
            continue
        interpreters = _course_interpreters(instance, course)
        if interpreters == []:
            result.rejections[course.id]["no interpreter covers the language pairs"] += 1
            continue
        if course.delivery == "weekly":
            for weekday in instance.term.teaching_weekdays:
                days = calendar.occurrences(weekday, course.weeks)
                if not days:
                    continue
                for block in blocks:
                    _add(result, instance, free, course, block, days, rooms, interpreters,
                         weekday)
        else:
            days_in_weeks = calendar.days_in_weeks(course.weeks)
            on_site = [d for d in days_in_weeks
                       if all(free.teacher_on_site(t, d.date) for t in course.teachers)]
            if len(on_site) < len(days_in_weeks):
                result.rejections[course.id]["days with a teacher not on site (outside travel "
                                             "windows or on a travel day)"] += \
                    len(days_in_weeks) - len(on_site)
            for day in on_site:
                for block in blocks:
                    _add(result, instance, free, course, block, (day,), rooms, interpreters,
                         None)
    for course in instance.courses:
        _online_options(result, instance, calendar, free, course)
    return result


def online_course(instance: Instance, course: Course) -> bool:
    """A course some of whose meetings visitors may teach online from home."""
    return course.max_online_periods >= course.meeting_length and any(
        instance.teacher_by_id[t].visiting for t in course.teachers)


def _online_options(result: OptionSet, instance: Instance, calendar: TermCalendar,
                    free: Availability, course: Course) -> None:
    """Meetings the visitors teach from home: on days they are at home, in periods of their
    working day at home, in a room with a video link (after every on-site option, so that
    those keep their indices)."""
    if not online_course(instance, course):
        return
    limit = min(instance.teacher_by_id[t].max_periods_per_day for t in course.teachers)
    if course.meeting_length > limit:
        return
    rooms = [r for r in _course_rooms(instance, course) if instance.room_by_id[r].video_link]
    blocks = [b for b in instance.blocks if b.length == course.meeting_length
              and all(instance.period_by_number[p].in_home_hours() for p in b.periods)]
    interpreters = _course_interpreters(instance, course)
    if not rooms or not blocks or interpreters == []:
        result.rejections[course.id]["no room with a video link, or no block in the "
                                     "visitors' working hours at home"] += 1
        return
    if course.delivery == "weekly":
        for weekday in instance.term.teaching_weekdays:
            days = calendar.occurrences(weekday, course.weeks)
            for block in blocks if days else ():
                _add(result, instance, free, course, block, days, rooms, interpreters, weekday,
                     online=True)
        return
    for day in calendar.days_in_weeks(course.weeks):
        for block in blocks:
            _add(result, instance, free, course, block, (day,), rooms, interpreters, None,
                 online=True)

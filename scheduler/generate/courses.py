"""Offerings with their teachers as courses: weekly ones with their week ranges, intensive
ones inside the visitor's trips."""

from __future__ import annotations

import random
from collections.abc import Sequence

from scheduler.calendar import TermCalendar
from scheduler.generate.offerings import Offering
from scheduler.generate.staff import StaffMember
from scheduler.generate.visitors import Visitor
from scheduler.instance import Course, Parity, WeekRange


class WeekPlanner:
    """Week ranges of weekly courses (cached: many courses share the same shape)."""

    def __init__(self, calendar: TermCalendar, last_week: int) -> None:
        self._calendar = calendar
        self.last_week = last_week
        self._cache: dict[tuple[int, int, int, Parity], WeekRange] = {}

    def weeks(self, contact: int, per_week: int, first: int, parity: Parity) -> WeekRange:
        key = (contact, per_week, first, parity)
        if key not in self._cache:
            self._cache[key] = _weeks_for(self._calendar, self.last_week, *key)
        return self._cache[key]


def _weeks_for(calendar: TermCalendar, last_week: int, contact: int, per_week: int,
               first: int, parity: Parity) -> WeekRange:
    """The shortest range from ``first`` (or earlier) whose every teaching weekday occurs
    often enough to deliver ``contact`` periods at ``per_week`` periods a week."""
    for start in range(first, 0, -1):
        for last in range(start, last_week + 1):
            weeks = WeekRange(start, last, parity)
            worst = min(len(calendar.occurrences(d, weeks)) for d in range(5))
            if worst * per_week >= contact:
                return weeks
    raise ValueError(f"{contact} contact periods do not fit in {last_week} weeks")


def _weekly_course(o: Offering, teacher: str, planner: WeekPlanner,
                   rng: random.Random) -> Course:
    t = o.template
    parity: Parity = "all"
    first = t.first_week
    if t.alternate:
        parity = rng.choice(("odd", "even"))
        first = 1 if parity == "odd" else 2
    assert t.per_week is not None
    weeks = planner.weeks(t.contact, t.per_week * t.length, first, parity)
    return Course(o.id, o.name, tuple(c.id for c in o.cohorts), (teacher,), t.contact, t.length,
                  "weekly", t.room_type, t.language, weeks, meetings_per_week=t.per_week,
                  needs_interpreter=t.interpreter, core=t.core)


def _intensive_course(o: Offering, visitor: Visitor, last_week: int,
                      rng: random.Random) -> Course:
    t = o.template
    language = visitor.teaching_language
    if t.length == 4 and "en" in visitor.teacher.languages:
        language = "en"  # practice sessions run in English
    per_day = 4 if t.length == 4 else rng.choice((4, 6))
    per_day = min(per_day, visitor.teacher.max_periods_per_day)
    return Course(o.id, o.name, tuple(c.id for c in o.cohorts), (visitor.teacher.id,),
                  t.contact, t.length, "intensive", t.room_type, language,
                  WeekRange(1, last_week), max_periods_per_day=per_day,
                  needs_interpreter=t.interpreter, core=t.core)


def make_courses(offerings: Sequence[Offering], staff: Sequence[StaffMember],
                 visitors: Sequence[Visitor], planner: WeekPlanner,
                 rng: random.Random) -> tuple[Course, ...]:
    """Every offering as a course of its teacher, in the order of the offerings."""
    by_id: dict[str, Course] = {}
    for member in staff:
        for o in member.offerings:
            by_id[o.id] = _weekly_course(o, member.teacher.id, planner, rng)
    for visitor in visitors:
        for o in visitor.offerings:
            by_id[o.id] = _intensive_course(o, visitor, planner.last_week, rng)
    return tuple(by_id[o.id] for o in offerings)

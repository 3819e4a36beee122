"""How much room and interpreter time the courses need in their busiest week."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from scheduler.calendar import TermCalendar
from scheduler.generate.data.calendar import DAYTIME_PERIODS
from scheduler.generate.data.rooms import ROOM_SIZES
from scheduler.generate.trips import Trip
from scheduler.instance import Course, Instance


def _room_size(room_type: str, students: int) -> int:
    fitting = [s for s in ROOM_SIZES[room_type] if s >= students]
    return min(fitting) if fitting else 10 * math.ceil(students / 10)


def daily_shares(courses: Sequence[Course], trips: dict[str, tuple[Trip, ...]]
                 ) -> dict[str, tuple[list[int], float]]:
    """Intensive courses: the teaching-day indices they may use and their periods per day."""
    shares: dict[str, tuple[list[int], float]] = {}
    for c in courses:
        if c.delivery == "intensive":
            days = [i for t in trips[c.teachers[0]] for i in t.days]
            shares[c.id] = (days, c.contact_periods / len(days))
    return shares


def room_demand(instance: Instance, calendar: TermCalendar,
                shares: dict[str, tuple[list[int], float]]) -> dict[tuple[str, int], float]:
    """Peak share of a week's daytime periods each (room type, size) is needed for."""
    weeks = sorted({d.calendar_week for d in calendar.days})
    days_in = {w: sum(d.calendar_week == w for d in calendar.days) for w in weeks}
    week_of_day = [d.calendar_week for d in calendar.days]
    need: dict[tuple[str, int], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for c in instance.courses:
        key = (c.room_type, _room_size(c.room_type, instance.course_size(c)))
        if c.delivery == "weekly":
            for w in c.weeks.weeks():
                need[key][w] += (c.meetings_per_week or 0) * c.meeting_length / (
                    5 * DAYTIME_PERIODS)
        else:
            days, per_day = shares[c.id]
            for i in days:
                w = week_of_day[i]
                need[key][w] += per_day / (days_in[w] * DAYTIME_PERIODS)
    return {key: max(per_week.values()) for key, per_week in need.items()}


def interpreter_demand(courses: Sequence[Course], instance: Instance, calendar: TermCalendar,
                       shares: dict[str, tuple[list[int], float]]) -> float:
    """Peak interpreted periods in one calendar week (weekly courses plus intensive ones)."""
    week_of_day = [d.calendar_week for d in calendar.days]
    per_week: dict[int, float] = defaultdict(float)
    for c in courses:
        if not instance.interpreter_pairs(c):
            continue
        if c.delivery == "weekly":
            for w in c.weeks.weeks():
                per_week[w] += (c.meetings_per_week or 0) * c.meeting_length
        else:
            days, per_day = shares[c.id]
            for i in days:
                per_week[week_of_day[i]] += per_day
    return max(per_week.values(), default=0.0)

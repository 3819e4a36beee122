"""What a student and a teacher would notice in a timetable, in plain figures.

The weighted objective says how costly a timetable is; these figures say what it is like to
live with: each student group's longest day and evening periods, the days with idle periods
between classes, and each visitor's days on site and days there without teaching. They are
computed from the timetable alone, for the summary that ``scheduler solve`` prints first.

A student group here is a *leaf* cohort (a cohort without sub-groups, or a sub-group): its
students attend its own meetings and those of its parent cohort, so a leaf's day is what one
student actually sits through.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable
from scheduler.views.visitors import trip_facts


@dataclass(frozen=True)
class GroupDays:
    """One student group's days: the longest one, evenings, idle periods, long days."""

    cohort_id: str
    teaching_days: int
    longest_periods: int
    longest_date: dt.date | None
    longest_from: dt.time | None
    longest_to: dt.time | None
    evening_periods: int
    days_with_idle_periods: int
    days_over_cap: int


@dataclass(frozen=True)
class VisitorDays:
    """One visitor's stays: days in Chongqing, days teaching, days there without teaching
    between the first and last teaching day of a trip."""

    teacher_id: str
    teacher_name: str
    trips: int
    days_on_site: int
    teaching_days: int
    idle_days: int


@dataclass(frozen=True)
class PlainFigures:
    """The plain figures of a timetable (see the module docstring)."""

    cap: int
    groups: tuple[GroupDays, ...]
    visitors: tuple[VisitorDays, ...]
    evening_periods: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view, as written under ``plain`` in ``summary.json``."""
        return {"daily_cap": self.cap, "evening_periods": self.evening_periods,
                "days_over_cap": self.days_over_cap,
                "days_with_idle_periods": self.days_with_idle_periods,
                "groups": [_jsonable(asdict(g)) for g in self.groups],
                "visitors": [asdict(v) for v in self.visitors]}

    @property
    def longest(self) -> GroupDays | None:
        """The group with the longest day (first in instance order on ties)."""
        taught = [g for g in self.groups if g.longest_date is not None]
        return max(taught, key=lambda g: g.longest_periods) if taught else None

    @property
    def days_over_cap(self) -> int:
        return sum(g.days_over_cap for g in self.groups)

    @property
    def days_with_idle_periods(self) -> int:
        return sum(g.days_with_idle_periods for g in self.groups)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat(timespec="minutes") if isinstance(v, dt.time)
            else v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def leaf_attendance(instance: Instance) -> dict[str, frozenset[str]]:
    """Each leaf cohort with the cohorts whose meetings its students attend."""
    parents = {c.parent for c in instance.cohorts if c.parent}
    return {c.id: frozenset({c.id} | ({c.parent} if c.parent else set()))
            for c in instance.cohorts if c.id not in parents}


def _group_days(instance: Instance, cohort_id: str, days: dict[dt.date, list[Meeting]],
                evening: frozenset[int], cap: int) -> GroupDays:
    longest: tuple[int, dt.date] | None = None
    idle_days = over = evening_count = 0
    for date in sorted(days):
        taught = {p for m in days[date] for p in m.periods}
        load = sum(m.length for m in days[date])
        evening_count += len(taught & evening)
        if min(taught) + len(taught) - 1 != max(taught):
            idle_days += 1
        if load > cap:
            over += 1
        if longest is None or load > longest[0]:
            longest = (load, date)
    start = end = None
    if longest is not None:
        periods = sorted(p for m in days[longest[1]] for p in m.periods)
        start = instance.period_by_number[periods[0]].start
        end = instance.period_by_number[periods[-1]].end
    return GroupDays(cohort_id, len(days), longest[0] if longest else 0,
                     longest[1] if longest else None, start, end, evening_count, idle_days,
                     over)


def plain_figures(instance: Instance, timetable: Timetable) -> PlainFigures:
    """The plain figures of ``timetable`` (every meeting's course must be in ``instance``)."""
    evening = frozenset(p.number for p in instance.periods if p.session == "evening")
    cap = instance.weights.cohort_daily_cap
    cohorts_of = {c.id: set(c.cohorts) for c in instance.courses}
    groups = []
    for leaf, attends in leaf_attendance(instance).items():
        days: dict[dt.date, list[Meeting]] = defaultdict(list)
        for m in timetable.meetings:
            if cohorts_of.get(m.course_id, set()) & attends:
                days[m.date].append(m)
        groups.append(_group_days(instance, leaf, days, evening, cap))
    by_teacher: dict[str, list] = defaultdict(list)
    for facts in trip_facts(instance.with_trips(timetable.trips), timetable):
        by_teacher[facts.teacher_id].append(facts)
    visitors = tuple(
        VisitorDays(tid, trips[0].teacher_name, len(trips),
                    sum(t.days_in_china for t in trips),
                    sum(len(t.teaching_days) for t in trips),
                    sum(len(t.idle_days) for t in trips))
        for tid, trips in by_teacher.items())
    evening_total = sum(len(evening.intersection(m.periods)) for m in timetable.meetings)
    return PlainFigures(cap, tuple(groups), visitors, evening_total)

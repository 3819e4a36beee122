"""The dated term: which dates are taught, in which teaching week, following which weekday."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from scheduler.instance import Instance, Weekday, WeekRange


@dataclass(frozen=True)
class TeachingDay:
    """A date with teaching.

    ``weekday`` and ``week`` say whose timetable the date holds: for an adjusted workday these
    are the weekday (and week) it follows, not its own. ``calendar_week`` is the teaching week
    the date itself falls in (used for weekly load limits).
    """

    date: dt.date
    weekday: Weekday
    week: int
    calendar_week: int
    adjusted: bool = False


class TermCalendar:
    """The teaching days of an instance's term, in date order."""

    def __init__(self, instance: Instance) -> None:
        term = instance.term
        holidays = {h.date for h in instance.holidays}
        adjusted = {a.date: a for a in instance.adjusted_workdays}
        days: list[TeachingDay] = []
        day = term.first_date
        while day <= term.last_date:
            own_week = term.week_of(day)
            if day in holidays:
                pass
            elif day in adjusted:
                a = adjusted[day]
                week = a.follows_week if a.follows_week is not None else own_week
                days.append(TeachingDay(day, a.follows_weekday, week, own_week, adjusted=True))
            elif day.weekday() in term.teaching_weekdays:
                days.append(TeachingDay(day, day.weekday(), own_week, own_week))
            day += dt.timedelta(days=1)
        self.days: tuple[TeachingDay, ...] = tuple(days)
        self.by_date: dict[dt.date, TeachingDay] = {d.date: d for d in days}
        self._by_key: dict[tuple[Weekday, int], list[TeachingDay]] = defaultdict(list)
        for d in days:
            self._by_key[(d.weekday, d.week)].append(d)
        self.period_numbers: tuple[int, ...] = tuple(sorted(p.number for p in instance.periods))
        weeks = {d.week for d in days} | {d.calendar_week for d in days}
        self.weeks: tuple[int, ...] = tuple(sorted(weeks))

    def occurrences(self, weekday: Weekday, weeks: WeekRange) -> tuple[TeachingDay, ...]:
        """Dates on which a weekly meeting on ``weekday`` in ``weeks`` takes place."""
        found: list[TeachingDay] = []
        for week in weeks.weeks():
            found.extend(self._by_key.get((weekday, week), ()))
        return tuple(sorted(found, key=lambda d: d.date))

    def days_in_weeks(self, weeks: WeekRange) -> tuple[TeachingDay, ...]:
        """Teaching days whose calendar week lies in ``weeks`` (for intensive courses)."""
        return tuple(d for d in self.days if d.calendar_week in weeks)

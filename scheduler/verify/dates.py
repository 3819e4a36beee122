"""The verifier's own reading of the term calendar (deliberately not shared with the model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.instance import Instance, TimeMask


@dataclass(frozen=True)
class DayFacts:
    """What a date is in the term: is it taught, and whose timetable does it hold."""

    date: dt.date
    taught: bool
    timetable_weekday: int
    timetable_week: int
    calendar_week: int
    why_not: str = ""


class TermDates:
    """Answers questions about dates of the term from the raw instance tables."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.holidays = {h.date: h.name for h in instance.holidays}
        self.adjusted = {a.date: a for a in instance.adjusted_workdays}

    def week(self, day: dt.date) -> int:
        monday = self.instance.term.week1_monday
        return 1 + (day.toordinal() - monday.toordinal()) // 7

    def facts(self, day: dt.date) -> DayFacts:
        term = self.instance.term
        week = self.week(day)
        if not term.first_date <= day <= term.last_date:
            return DayFacts(day, False, day.weekday(), week, week, "outside the term")
        if day in self.holidays:
            return DayFacts(day, False, day.weekday(), week, week,
                            f"a holiday ({self.holidays[day] or 'no teaching'})")
        if day in self.adjusted:
            a = self.adjusted[day]
            followed = a.follows_week if a.follows_week is not None else week
            return DayFacts(day, True, a.follows_weekday, followed, week)
        if day.weekday() not in term.teaching_weekdays:
            return DayFacts(day, False, day.weekday(), week, week, "not a teaching weekday")
        return DayFacts(day, True, day.weekday(), week, week)

    def all_days(self) -> list[DayFacts]:
        term = self.instance.term
        days = []
        day = term.first_date
        while day <= term.last_date:
            days.append(self.facts(day))
            day += dt.timedelta(days=1)
        return days

    def weekly_dates(self, weekday: int, weeks_first: int, weeks_last: int,
                     parity: str) -> set[dt.date]:
        """Dates on which a weekly meeting on ``weekday`` takes place in the given weeks."""
        found = set()
        for facts in self.all_days():
            if not facts.taught or facts.timetable_weekday != weekday:
                continue
            w = facts.timetable_week
            if not weeks_first <= w <= weeks_last:
                continue
            if (parity == "odd" and w % 2 == 0) or (parity == "even" and w % 2 == 1):
                continue
            found.add(facts.date)
        return found


def mask_blocks(mask: TimeMask, facts: DayFacts, period: int) -> bool:
    """True when the mask covers ``period`` on the day described (the verifier's own logic)."""
    if mask.date is not None:
        if mask.date != facts.date:
            return False
    elif mask.weekday is not None:
        if mask.weekday != facts.timetable_weekday:
            return False
        if mask.weeks is not None:
            w = facts.timetable_week
            if w < mask.weeks.first or w > mask.weeks.last:
                return False
            if mask.weeks.parity == "odd" and w % 2 == 0:
                return False
            if mask.weeks.parity == "even" and w % 2 == 1:
                return False
    if mask.first_period is not None and period < mask.first_period:
        return False
    return mask.last_period is None or period <= mask.last_period

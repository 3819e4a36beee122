"""Who and what is free on which dated period: teachers, interpreters and rooms.

One index serves the instance checks, the summaries and the CP-SAT model's options (the
independent verifier keeps its own reading of the masks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from scheduler.calendar import TeachingDay, TermCalendar
from scheduler.instance import Instance, TimeMask

DatedPeriod = tuple[dt.date, int]


def _covered(mask: TimeMask, calendar: TermCalendar) -> Iterator[DatedPeriod]:
    """The dated periods of the calendar that ``mask`` covers."""
    if mask.date is None:
        days: Iterable[TeachingDay] = calendar.days
    else:
        days = (calendar.by_date[mask.date],) if mask.date in calendar.by_date else ()
    for day in days:
        for p in calendar.period_numbers:
            if mask.covers(day.date, day.weekday, day.week, p):
                yield day.date, p


class Availability:
    """Dated periods when each person or room is taken, and the dates visitors are on site.

    A teacher or an interpreter is taken in the periods their unavailability masks cover, an
    interpreter also on every teaching day of a weekday they do not work; a room in the periods
    its bookings cover. A visiting teacher is on site on the teaching days of their trips
    (travel days excluded unless they teach on them); a visitor whose trips the solver plans
    may be on site on every teaching day a trip within their rules could cover (not on a home
    blackout); other teachers always are. Questions are about teaching days of ``calendar``
    (by default the instance's own).
    """

    def __init__(self, instance: Instance, calendar: TermCalendar | None = None) -> None:
        calendar = calendar or TermCalendar(instance)
        self._busy: dict[str, set[DatedPeriod]] = defaultdict(set)
        self._booked: dict[str, set[DatedPeriod]] = defaultdict(set)
        self._on_site: dict[str, set[dt.date]] = {}
        self._abroad: dict[str, set[dt.date]] = {}
        periods = calendar.period_numbers
        for u in instance.unavailability:
            self._busy[u.person_id].update(_covered(u.mask, calendar))
        for b in instance.bookings:
            self._booked[b.room_id].update(_covered(b.mask, calendar))
        for interpreter in instance.interpreters:
            for day in calendar.days:
                if day.weekday not in interpreter.available_weekdays:
                    self._busy[interpreter.id].update((day.date, p) for p in periods)
        for teacher in instance.teachers:
            if teacher.visiting:
                dates: set[dt.date] = set()
                for window in instance.windows_of(teacher.id):
                    first, last = window.teaching_dates()
                    dates.update(d.date for d in calendar.days if first <= d.date <= last)
                plan = instance.trip_plan(teacher.id)
                if plan is not None:
                    first = plan.earliest_arrival + dt.timedelta(
                        days=plan.travel_days + plan.rest_days)
                    last = plan.latest_departure - dt.timedelta(days=plan.travel_days)
                    dates.update(d.date for d in calendar.days
                                 if first <= d.date <= last and d.date not in plan.blackouts)
                self._on_site[teacher.id] = dates
                self._abroad[teacher.id] = {
                    d.date for w in instance.windows_of(teacher.id) for d in calendar.days
                    if w.arrival <= d.date <= w.departure}

    def teacher_on_site(self, teacher_id: str, date: dt.date) -> bool:
        """A visiting teacher teaches only on non-travel days of a trip; others always can."""
        site = self._on_site.get(teacher_id)
        return site is None or date in site

    def teacher_at_home(self, teacher_id: str, date: dt.date) -> bool:
        """A visiting teacher is at home (may teach online) on no day of a given trip,
        travel days included (a planned visitor's trips are the model's to keep clear)."""
        abroad = self._abroad.get(teacher_id)
        return abroad is not None and date not in abroad

    def site_dates(self, teacher_id: str) -> frozenset[dt.date] | None:
        """The teaching days a visiting teacher is on site (``None``: not a visitor)."""
        site = self._on_site.get(teacher_id)
        return None if site is None else frozenset(site)

    def person_free_at(self, person_id: str, dated: Iterable[DatedPeriod]) -> bool:
        """True when no unavailability (nor a day off, for an interpreter) covers ``dated``.

        A teacher's trips are not considered here (see :meth:`teacher_on_site`).
        """
        taken = self._busy.get(person_id)
        return not taken or taken.isdisjoint(dated)

    def room_free_at(self, room_id: str, dated: Iterable[DatedPeriod]) -> bool:
        """True when no booking covers any of ``dated``."""
        taken = self._booked.get(room_id)
        return not taken or taken.isdisjoint(dated)

    def teacher_free(self, teacher_id: str, day: TeachingDay, period: int) -> bool:
        return self.teacher_on_site(teacher_id, day.date) and \
            self.person_free_at(teacher_id, ((day.date, period),))

    def interpreter_free(self, interpreter_id: str, day: TeachingDay, period: int) -> bool:
        return self.person_free_at(interpreter_id, ((day.date, period),))

    def room_free(self, room_id: str, day: TeachingDay, period: int) -> bool:
        return self.room_free_at(room_id, ((day.date, period),))

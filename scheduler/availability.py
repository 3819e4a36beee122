"""Who and what is free on which dated period: teachers, interpreters and rooms."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from scheduler.calendar import TeachingDay
from scheduler.instance import Instance, TimeMask


class Availability:
    """Answers "is X free at this period of this teaching day?" for an instance."""

    def __init__(self, instance: Instance) -> None:
        self._instance = instance
        self._masks: dict[str, list[TimeMask]] = defaultdict(list)
        for u in instance.unavailability:
            self._masks[u.person_id].append(u.mask)
        self._bookings: dict[str, list[TimeMask]] = defaultdict(list)
        for b in instance.bookings:
            self._bookings[b.room_id].append(b.mask)
        self._windows: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for w in instance.travel_windows:
            self._windows[w.teacher_id].append(w.teaching_dates())

    @staticmethod
    def _masked(masks: Iterable[TimeMask], day: TeachingDay, period: int) -> bool:
        return any(m.covers(day.date, day.weekday, day.week, period) for m in masks)

    def teacher_on_site(self, teacher_id: str, date: dt.date) -> bool:
        """A visiting teacher teaches only on non-travel days of a trip; others always can."""
        teacher = self._instance.teacher_by_id[teacher_id]
        if not teacher.visiting:
            return True
        return any(first <= date <= last for first, last in self._windows[teacher_id])

    def teacher_free(self, teacher_id: str, day: TeachingDay, period: int) -> bool:
        return self.teacher_on_site(teacher_id, day.date) and not self._masked(
            self._masks[teacher_id], day, period
        )

    def interpreter_free(self, interpreter_id: str, day: TeachingDay, period: int) -> bool:
        interpreter = self._instance.interpreter_by_id[interpreter_id]
        if day.weekday not in interpreter.available_weekdays:
            return False
        return not self._masked(self._masks[interpreter_id], day, period)

    def room_free(self, room_id: str, day: TeachingDay, period: int) -> bool:
        return not self._masked(self._bookings[room_id], day, period)

"""The rows of ``trips.csv`` and of ``summary.json``'s trips: every visitor's trips with what
the timetable makes of them.

Given travel windows and planned trips are listed alike (a planned trip is the travel window
it makes, :meth:`~scheduler.instance.Instance.with_trips`); only planned trips have a cost
(``cost_per_trip`` plus ``cost_per_day`` per day abroad): the tickets of given trips are bought.
"""

from __future__ import annotations

from typing import Any

from scheduler.calendar import TermCalendar
from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.views.visitors import TripFacts, trip_facts


def travel_days(facts: TripFacts) -> int:
    """Travel days of a trip, both ends together."""
    window = facts.window
    return ((0 if window.teach_on_arrival else window.travel_days)
            + (0 if window.teach_on_departure else window.travel_days))


def trip_rows(instance: Instance, timetable: Timetable,
              calendar: TermCalendar | None = None) -> list[dict[str, Any]]:
    """One row per trip of every visitor (teacher order, then arrival), with the columns of
    :data:`~scheduler.trips_io.TRIP_COLUMNS`; ``cost`` is blank for a given trip."""
    rows = []
    for facts in trip_facts(instance.with_trips(timetable.trips), timetable, calendar):
        plan = instance.trip_plan(facts.teacher_id)
        window = facts.window
        rows.append({
            "teacher_id": facts.teacher_id,
            "trip": facts.trip,
            "arrival": window.arrival.isoformat(),
            "departure": window.departure.isoformat(),
            "travel_days": travel_days(facts),
            "teaching_days": len(facts.teaching_days),
            "idle_days": len(facts.idle_days),
            "periods": facts.periods_taught,
            "cost": plan.cost(window.arrival, window.departure) if plan is not None else None,
        })
    return rows

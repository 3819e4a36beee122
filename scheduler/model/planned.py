"""The planned trips of a timetable found by any strategy.

The searches keep only the meetings (options with rooms and interpreters); the trips are
variables of the same model that the meetings determine up to ties. :func:`planned_trips`
fixes the meetings, holds the trip-related counts at what the search claimed for them (so the
trips read agree with the claimed costs), and reads the trips of an optimal completion.
"""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, run_cpsat
from scheduler.instance import Instance
from scheduler.model.builder import TimetableModel
from scheduler.model.lns import Choice, restricted_options
from scheduler.model.objective import ObjectiveBuilder
from scheduler.model.options import OptionSet
from scheduler.timetable import Timetable, Trip

TRIP_TERMS = frozenset({"visitor_trip", "visitor_day_abroad", "visitor_idle_day"})
"""Soft terms whose count depends on the planned trips (given the meetings)."""
TRIP_SECONDS = 120.0
"""Time allowed to complete the trips of fixed meetings (it takes moments)."""


def chosen_of(options: OptionSet, timetable: Timetable) -> dict[int, Choice]:
    """The options (with room and interpreter) whose meetings make up ``timetable``."""
    meetings = {(m.course_id, m.date, m.first_period, m.last_period, m.mode):
                (m.room_id, m.interpreter_id) for m in timetable.meetings}
    chosen: dict[int, Choice] = {}
    for option in options.options:
        keys = [(option.course.id, d.date, option.block.first_period, option.block.last_period,
                 option.mode) for d in option.days]
        found = {meetings.get(k) for k in keys}
        if len(found) == 1 and None not in found:
            chosen[option.index] = found.pop()  # type: ignore[assignment]
    return chosen


def planned_trips(instance: Instance, calendar: TermCalendar, options: OptionSet,
                  timetable: Timetable, counts: Mapping[str, int] | None = None,
                  relax: bool = False) -> tuple[Trip, ...]:
    """The trips of the planned visitors for ``timetable``: the cheapest ones that hold its
    meetings, with the counts of :data:`TRIP_TERMS` equal to ``counts`` where given.

    Empty when the instance plans no trip, or when no trips hold the meetings.
    """
    if not instance.planned_visitors:
        return ()
    chosen = chosen_of(options, timetable)
    for held in (counts, None):
        trips = _complete(instance, calendar, options, chosen, held, relax)
        if trips is not None:
            return trips
    return ()


def _complete(instance: Instance, calendar: TermCalendar, options: OptionSet,
              chosen: dict[int, Choice], counts: Mapping[str, int] | None,
              relax: bool) -> tuple[Trip, ...] | None:
    sub, origin = restricted_options(options, chosen, set())
    tm = TimetableModel(instance, calendar, sub, relax=relax)
    terms = ObjectiveBuilder(tm).build()
    for option in sub.options:
        room, who = chosen[origin[option.index]]
        tm.model.add(tm.use[option.index] == 1)
        for key, var in ((r, tm.room[(option.index, r)]) for r in option.rooms):
            tm.model.add(var == int(key == room))
        for key, var in ((i, tm.interpreter[(option.index, i)]) for i in option.interpreters):
            tm.model.add(var == int(key == who))
    if relax:
        placed = {o.course.id for o in sub.options}
        for course_id, var in tm.placed.items():
            tm.model.add(var == int(course_id in placed))
    for term in terms:
        if counts is not None and term.name in TRIP_TERMS and term.name in counts:
            tm.model.add(sum(k * e for k, e in term.parts) == counts[term.name])
    solver, stats = run_cpsat(tm.model, SolverParams(time_limit=TRIP_SECONDS, workers=1),
                              stoppable=False)
    if not stats.has_solution:
        return None
    return tuple(trip for trips in tm.trips.values() for trip in trips.read(solver))

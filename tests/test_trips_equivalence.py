"""Planned trips fixed to the given windows give the same timetables as the windows.

A visitor whose trip rules allow exactly one trip, the given window (earliest arrival and
latest departure at its ends, flights only on its weekdays, one trip), is planned by the
solver to that window; with the trip costs switched off, the best timetable then costs what
the best timetable of the fixed instance costs, and each verifies against the other's data.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.instance import TripRule
from scheduler.model.solve import solve_timetable
from scheduler.timetable import Trip
from scheduler.verify import verify_timetable
from tests.tiny import ARRIVALS, ROOM_BOOKINGS, with_bookings_and_arrival

PARAMS = SolverParams(time_limit=20, workers=2)


def planned_like(fixed):
    (window,) = fixed.travel_windows
    rule = TripRule(teacher_id="V1", earliest_arrival=window.arrival,
                    latest_departure=window.departure,
                    arrival_weekdays=(window.arrival.weekday(),),
                    departure_weekdays=(window.departure.weekday(),), max_trips=1)
    weights = replace(fixed.weights, visitor_trip=0, visitor_day_abroad=0)
    return replace(fixed, travel_windows=(), trip_rules=(rule,), weights=weights)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bookings=ROOM_BOOKINGS, arrival=ARRIVALS)
def test_a_plan_fixed_to_the_windows_gives_the_windows_timetable(bookings, arrival):
    fixed = with_bookings_and_arrival(bookings, arrival)
    planned = planned_like(fixed)
    given_side = solve_timetable(fixed, PARAMS)
    planned_side = solve_timetable(planned, PARAMS)
    assert given_side.status == planned_side.status
    if given_side.timetable is None:
        return
    assert given_side.status == SolveStatus.OPTIMAL
    (window,) = fixed.travel_windows
    assert planned_side.timetable.trips == (Trip("V1", window.arrival, window.departure),)
    on_plan = verify_timetable(planned, planned_side.timetable)
    on_windows = verify_timetable(fixed, given_side.timetable)
    assert on_plan.ok and on_windows.ok
    assert on_plan.objective == on_windows.objective
    # each timetable keeps the other side's rules, at the same cost
    crossed = verify_timetable(fixed, replace(planned_side.timetable, trips=()))
    assert crossed.ok and crossed.objective == on_plan.objective
    back = verify_timetable(planned, replace(given_side.timetable, trips=(
        Trip("V1", window.arrival, window.departure),)))
    assert back.ok and back.objective == on_windows.objective

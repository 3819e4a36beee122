"""Planned trips in the model: the tiny instance with V1's trips planned by the solver.

V1 teaches I1 (6 periods, at most 4 a day: two teaching days). With one travel day at each end
the shortest trip lasts 4 days; Friday 09-11 is a holiday, so two consecutive teaching days
fall Mon-Tue, Tue-Wed, Wed-Thu of either week (or around the make-up Sunday 13).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.instance import (
    Course,
    Teacher,
    TimeMask,
    TravelWindow,
    TripRule,
    Unavailability,
    WeekRange,
)
from scheduler.model.params import LnsSettings
from scheduler.model.solve import solve_timetable
from scheduler.timetable import Trip
from scheduler.verify import verify_timetable
from scheduler.verify.soft import SOFT_TERMS
from tests.tiny import planned_tiny, tiny_instance

D = dt.date
PARAMS = SolverParams(time_limit=60, workers=2)
TRIP_ONLY = {name: 0 for name in SOFT_TERMS}


def solved(instance, settings=None, params=PARAMS):
    result = solve_timetable(instance, params, settings=settings)
    assert result.timetable is not None, result.explanation
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok, verification.violations
    claimed = {k: v for k, v in result.objective_terms.items() if v}
    assert claimed == {k: v for k, v in verification.costs.items() if v}
    return result, verification


def test_the_cheapest_trip_is_four_days_around_two_teaching_days():
    instance = planned_tiny(cost_per_trip=10, cost_per_day=1)
    instance = replace(instance, weights=replace(instance.weights, **TRIP_ONLY))
    result, verification = solved(instance)
    assert result.status == SolveStatus.OPTIMAL
    (trip,) = result.timetable.trips
    assert trip.days == 4
    taught = sorted({m.date for m in result.timetable.meetings if m.course_id == "I1"})
    assert taught == [trip.arrival + dt.timedelta(days=1), trip.arrival + dt.timedelta(days=2)]
    # 10 for the trip, 4 days abroad at 1
    assert verification.costs == {"visitor_trip": 10, "visitor_day_abroad": 4}


def test_weekdays_and_a_home_blackout_decide_the_trip():
    # flights in on Sundays, out on Saturdays; the blackout on Thursday 09-10 rules out the
    # first week's trip Sun 09-06..Sat 09-12, which leaves Sun 09-13..Sat 09-19
    instance = replace(planned_tiny(arrival_weekdays=(6,), departure_weekdays=(5,),
                                    latest_departure=D(2026, 9, 19)),
                       unavailability=(
                           *tiny_instance().unavailability,
                           Unavailability("V1", TimeMask(date=D(2026, 9, 10)), "home exams")))
    result, _ = solved(instance)
    assert result.timetable.trips == (Trip("V1", D(2026, 9, 13), D(2026, 9, 19)),)


def test_a_rest_day_and_two_travel_days():
    instance = planned_tiny(travel_days=2, rest_days=1, cost_per_day=1, cost_per_trip=0)
    instance = replace(instance, weights=replace(instance.weights, **TRIP_ONLY))
    result, _ = solved(instance)
    (trip,) = result.timetable.trips
    taught = sorted({m.date for m in result.timetable.meetings if m.course_id == "I1"})
    assert taught[0] >= trip.arrival + dt.timedelta(days=3)
    assert taught[-1] <= trip.departure - dt.timedelta(days=2)
    assert trip.days == 7  # 2 travel + 1 rest + 2 teaching + 2 travel


def mixed() -> object:
    """V1 fixed (its window), V2 planned, teaching I2 to C2 (4 periods)."""
    base = tiny_instance()
    return replace(
        base,
        teachers=(*base.teachers, Teacher("V2", "Петров А. Б.", "FEFU", ("ru", "en"), True)),
        courses=(*base.courses, Course("I2", "Discrete maths", ("C2",), ("V2",), 4, 2,
                                       "intensive", "lecture", "ru", WeekRange(1, 2),
                                       max_periods_per_day=2)),
        trip_rules=(TripRule(institution="FEFU", max_trips=2, min_days_between=1),))


def test_fixed_and_planned_visitors_solve_together():
    instance = mixed()
    assert instance.planned_visitors == ("V2",)
    result, _ = solved(instance)
    assert {t.teacher_id for t in result.timetable.trips} == {"V2"}
    v1 = instance.windows_of("V1")[0]
    assert all(v1.arrival < m.date < v1.departure for m in result.timetable.meetings
               if m.course_id == "I1")


def test_planned_trips_through_the_large_neighbourhood_search():
    settings = LnsSettings(full_model_options=0, bound_share=0.0, sub_time_limit=2.0)
    # LNS proves nothing here (no bound): it runs to its time limit
    result, _ = solved(mixed(), settings, replace(PARAMS, time_limit=10))
    assert "lns" in result.stats.params.get("strategy", "")
    assert result.timetable.trips


def test_a_fixed_window_is_a_plan_with_one_possible_trip():
    window = TravelWindow("V1", D(2026, 9, 13), D(2026, 9, 18))
    fixed = tiny_instance()
    planned = planned_tiny(earliest_arrival=window.arrival, latest_departure=window.departure,
                           arrival_weekdays=(6,), departure_weekdays=(4,), max_trips=1)
    planned = replace(planned, weights=replace(planned.weights, visitor_trip=0,
                                               visitor_day_abroad=0))
    assert fixed.windows_of("V1") == (window,)
    result, verification = solved(planned)
    assert result.timetable.trips == (Trip("V1", window.arrival, window.departure),)
    again = verify_timetable(fixed, replace(result.timetable, trips=()))
    assert again.ok and again.costs == verification.costs

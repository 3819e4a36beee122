"""A weekly course of a planned visitor is taught within one trip, never across two.

W3 (one meeting a week, weeks 1-2) is given to the planned visitor V1, with days abroad dear
(10 each) and trips cheap (1), and no days at home required between trips: two short trips,
one per meeting, would cost less than one trip over both weeks, but a weekly course's
meetings must fall within one trip, so the solver makes one.
"""

from __future__ import annotations

import datetime as dt

from scheduler.cpsat import SolverParams
from scheduler.model.solve import solve_timetable
from scheduler.timetable import Timetable, Trip
from scheduler.verify import verify_timetable
from tests.tiny import planned_tiny, with_course

D = dt.date


def _instance():
    instance = planned_tiny(cost_per_trip=1, cost_per_day=10, min_days_between=0,
                            max_stay_days=20)
    return with_course(instance, "W3", teachers=("V1",))


def test_the_weekly_course_s_meetings_share_one_trip():
    instance = _instance()
    result = solve_timetable(instance, SolverParams(time_limit=30, workers=2))
    assert result.timetable is not None, result.explanation
    assert verify_timetable(instance, result.timetable).ok
    dates = [m.date for m in result.timetable.of_course("W3")]
    assert any(t.arrival <= min(dates) and max(dates) <= t.departure
               for t in result.timetable.trips)


def test_the_verifier_rejects_a_weekly_course_split_over_two_trips():
    instance = _instance()
    result = solve_timetable(instance, SolverParams(time_limit=30, workers=2))
    assert result.timetable is not None
    w3 = sorted(m.date for m in result.timetable.of_course("W3"))
    # one short trip around each meeting (travel day before and after)
    day = dt.timedelta(days=1)
    split = tuple(Trip("V1", d - day, d + day) for d in w3)
    others = tuple(m for m in result.timetable.meetings if m.course_id != "W3")
    timetable = Timetable(tuple(result.timetable.of_course("W3")) + others, trips=split)
    rules = {v.rule for v in verify_timetable(instance, timetable).violations}
    assert "weekly course in one trip" in rules

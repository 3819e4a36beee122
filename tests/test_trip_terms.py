"""The trip costs and a planned visitor's idle days, counted by hand, by the verifier and by
the model with every meeting fixed (the model then chooses the cheapest trips, which are the
hand-made ones below).

The valid tiny timetable has V1 teach I1 on Mon 14, Tue 15 and Wed 16: the cheapest trip
holding them is Sun 13 .. Thu 17 (a travel day at each end), 5 days abroad.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from scheduler.calendar import TermCalendar
from scheduler.model.lns import evaluate
from scheduler.model.options import build_options
from scheduler.report import teacher_kpis
from scheduler.timetable import Trip
from scheduler.verify import verify_timetable
from scheduler.verify.soft import SOFT_TERMS
from scheduler.views.plain import plain_figures
from tests.test_soft_terms import chosen_from, move_intensive
from tests.tiny import planned_tiny, valid_timetable

D = dt.date
TRIP_TERMS = ("visitor_trip", "visitor_day_abroad")


def only(instance, *terms):
    off = {name: 0 for name in (*SOFT_TERMS, *TRIP_TERMS) if name not in terms}
    return replace(instance, weights=replace(instance.weights, **off))


def with_trips(timetable, *trips):
    return replace(timetable, trips=tuple(Trip("V1", D(2026, 9, a), D(2026, 9, d))
                                          for a, d in trips))


CASES = {
    # one trip at 25, 5 days abroad at 3
    "visitor_trip": (dict(cost_per_trip=25, cost_per_day=3), valid_timetable, (13, 17), 25),
    "visitor_day_abroad": (dict(cost_per_trip=25, cost_per_day=3), valid_timetable, (13, 17),
                           15),
    # I1 on 14, 15 and 17: one trip 13..18 (two would need 7 days at home between), idle 16
    "visitor_idle_day": (dict(), lambda: move_intensive(16, 17), (13, 18), 1),
}


@pytest.mark.parametrize("term", list(CASES))
def test_trip_term_counted_alike_by_verifier_and_model(term):
    rules, timetable, trip, expected = CASES[term]
    instance = only(planned_tiny(**rules), term)
    schedule = with_trips(timetable(), trip)
    verification = verify_timetable(instance, schedule)
    assert verification.ok, verification.violations
    assert verification.costs[term] == expected
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    _, counts = evaluate(instance, calendar, options, chosen_from(options, schedule))
    assert counts[term] == expected


def test_trip_costs_are_counted_only_when_trips_are_planned():
    from tests.tiny import tiny_instance

    costs = verify_timetable(tiny_instance(), valid_timetable()).costs
    assert not set(TRIP_TERMS) & set(costs)


def test_the_plain_figures_count_a_planned_visitors_trips():
    # V1 is planned (no travel window): the summary's plain figures take the trip of the
    # timetable, 13..17 (5 days on site), taught on 14, 15 and 16, none idle
    figures = plain_figures(planned_tiny(), with_trips(valid_timetable(), (13, 17)))
    (visitor,) = figures.visitors
    assert (visitor.teacher_id, visitor.trips, visitor.days_on_site, visitor.teaching_days,
            visitor.idle_days) == ("V1", 1, 5, 3, 0)


def test_the_report_counts_a_planned_visitors_trips():
    # as above, in the teachers' key figures of scheduler report
    kpis = teacher_kpis(planned_tiny(), with_trips(valid_timetable(), (13, 17)))
    (v1,) = [k for k in kpis if k.teacher_id == "V1"]
    assert (v1.trips, v1.days_on_campus, v1.idle_days) == (1, 5, 0)

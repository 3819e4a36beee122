"""The lower bound from independent parts: parts share no term, and the bound is never above
the cost of a timetable."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.model.bound import lower_bound, parts
from scheduler.model.builder import leaf_cohorts
from scheduler.model.options import build_options
from scheduler.model.params import LnsSettings
from scheduler.model.solve import solve_timetable
from scheduler.verify import verify_timetable
from scheduler.verify.soft import SOFT_TERMS
from tests.interrupting import ctrl_c_when_searching
from tests.tiny import (
    ARRIVALS,
    ROOM_BOOKINGS,
    tiny_instance,
    valid_timetable,
    with_bookings_and_arrival,
)

PARAMS = SolverParams(time_limit=10, workers=2, seed=0)
LNS = LnsSettings(full_model_options=0)
"""Large-neighbourhood search on any instance, however small."""


def bound_of(instance, seconds: float = 5.0):
    calendar = TermCalendar(instance)
    return lower_bound(instance, calendar, build_options(instance, calendar), PARAMS, seconds)


@pytest.mark.parametrize("by", ["leaf", "family"])
@pytest.mark.parametrize("which", ["tiny", "fall"])
def test_parts_carry_every_term_instance_exactly_once(by, which, fall_instance):
    instance = tiny_instance() if which == "tiny" else fall_instance
    found = parts(instance, by)
    leaves = [leaf for p in found for leaf in p.scope.leaves]
    courses = [c for p in found for c in p.scope.courses]
    teachers = [t for p in found for t in p.scope.teachers]
    all_leaves = {leaf for c in instance.courses for leaf in leaf_cohorts(instance, c)}
    assert sorted(leaves) == sorted(all_leaves)
    assert sorted(courses) == sorted(c.id for c in instance.courses)
    assert sorted(teachers) == sorted({t for c in instance.courses for t in c.teachers})
    for part in found:  # a part holds every course its terms depend on
        held = set(part.courses)
        assert part.scope.courses <= held
        for course in instance.courses:
            if set(leaf_cohorts(instance, course)) & part.scope.leaves \
                    or set(course.teachers) & part.scope.teachers:
                assert course.id in held


def test_visitor_days_are_bounded_exactly():
    """I1 needs 6 periods at most 4 a day: V1 teaches on at least 2 days (cost 2 x 4)."""
    base = tiny_instance()
    off = {name: 0 for name in SOFT_TERMS if name != "visitor_teaching_day"}
    instance = replace(base, weights=replace(base.weights, **off))
    bound = bound_of(instance)
    assert bound.complete
    assert bound.value == 2 * instance.weights.visitor_teaching_day
    result = solve_timetable(instance, PARAMS)
    assert result.status == SolveStatus.OPTIMAL
    assert result.stats.objective == bound.value


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(room_bookings=ROOM_BOOKINGS, arrival=ARRIVALS)
def test_the_bound_never_exceeds_a_verified_timetable(room_bookings, arrival):
    instance = with_bookings_and_arrival(room_bookings, arrival)
    result = solve_timetable(instance, PARAMS)
    if verify_timetable(instance, valid_timetable()).ok:  # feasible by construction
        assert result.timetable is not None, "a timetable exists, but the solver found none"
    assume(result.timetable is not None)  # the bookings may leave no timetable
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok
    assert bound_of(instance).value <= verification.objective


def test_large_neighbourhood_search_reports_the_bound():
    """Above the whole-model size, the solve ends with the bound from parts and its gap."""
    result = solve_timetable(tiny_instance(), replace(PARAMS, time_limit=8), settings=LNS)
    assert result.stats.params["strategy"].endswith(" + lns")
    assert result.lower_bound is not None and result.lower_bound.parts
    assert result.stats.best_bound == result.lower_bound.value
    verification = verify_timetable(tiny_instance(), result.timetable)
    assert result.lower_bound.value <= verification.objective
    assert result.stats.objective == verification.objective


def test_ctrl_c_during_the_second_start_keeps_the_first_timetable(monkeypatch):
    """A real SIGINT as the construction (the second start, built group by group after phase
    1) begins its search: phase 1's timetable is returned at once, marked interrupted, with
    no further search and no bound."""
    import scheduler.model.construct as construct_module

    began = time.perf_counter()
    with ctrl_c_when_searching(monkeypatch, construct_module) as token:
        result = solve_timetable(tiny_instance(), replace(PARAMS, time_limit=60), settings=LNS)
    assert token.reason == "SIGINT"
    assert time.perf_counter() - began < 30
    assert result.stats.interrupted
    assert result.lower_bound is None
    assert result.stats.params["strategy"] == "phase 1 + lns"
    assert result.stats.params["lns_iterations"] == 0
    assert verify_timetable(tiny_instance(), result.timetable).ok

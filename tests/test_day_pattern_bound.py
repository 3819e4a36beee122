"""The day-pattern LP of ``benchmarks/day_pattern_bound.py`` (a diagnosis quoted in
docs/performance.md) is a relaxation: its bound never exceeds a verified timetable's cost,
even with that timetable's options fixed."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams
from scheduler.model.options import build_options
from scheduler.model.solve import solve_timetable
from scheduler.timetable import Timetable
from scheduler.verify import verify_timetable
from tests.tiny import (
    ARRIVALS,
    ROOM_BOOKINGS,
    tiny_instance,
    valid_timetable,
    with_bookings_and_arrival,
)

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "day_pattern_bound.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("day_pattern_bound", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["day_pattern_bound"] = module
    spec.loader.exec_module(module)
    return module


def the_lp(script, instance, rooms: bool = False, solver: str = "GLOP"):
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    return script.DayPatternLP(instance, options, calendar, rooms, solver), options


def fix_to(lp, options, timetable: Timetable) -> None:
    """Fix every option to whether the timetable holds all its meetings."""
    held = {(m.course_id, m.date, m.first_period, m.last_period) for m in timetable.meetings}
    for o in options.options:
        used = all((o.course.id, d.date, o.block.first_period, o.block.last_period) in held
                   for d in o.days)
        lp.x[o.index].SetBounds(float(used), float(used))


def test_block_sets_are_every_set_of_disjoint_blocks(script):
    blocks = tiny_instance().blocks  # 1-2, 3-4, 5-6
    sets = script.block_sets(blocks)
    assert len(sets) == 2 ** len(blocks)
    assert len(set(sets)) == len(sets)
    for chosen in sets:
        assert all(a.last_period < b.first_period for a, b in itertools.pairwise(chosen))


def test_a_day_costs_its_idle_periods_single_meeting_and_overload(script):
    instance = tiny_instance()
    w = instance.weights
    first, _, last = sorted(instance.blocks, key=lambda b: b.first_period)
    assert script.day_cost(instance, ()) == 0
    assert script.day_cost(instance, (first,)) == w.cohort_single_meeting_day
    assert script.day_cost(instance, (first, last)) == 2 * w.cohort_idle_period
    tight = replace(instance, weights=replace(w, cohort_daily_cap=2))
    assert script.day_cost(tight, (first, last)) == (2 * w.cohort_idle_period
                                                     + 2 * w.cohort_overload_period)


@pytest.mark.parametrize("rooms", [False, True])
def test_the_bound_is_below_the_valid_timetable_even_with_its_options_fixed(script, rooms):
    instance = tiny_instance()
    timetable = valid_timetable()
    cost = verify_timetable(instance, timetable).objective
    lp, options = the_lp(script, instance, rooms)
    free = lp.solve()
    fix_to(lp, options, timetable)
    fixed = lp.solve()
    assert free <= fixed + 1e-6
    assert fixed <= cost + 1e-6


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(room_bookings=ROOM_BOOKINGS, arrival=ARRIVALS)
def test_the_bound_never_exceeds_an_optimal_timetable(script, room_bookings, arrival):
    instance = with_bookings_and_arrival(room_bookings, arrival)
    result = solve_timetable(instance, SolverParams(time_limit=10, workers=2, seed=0))
    if verify_timetable(instance, valid_timetable()).ok:  # feasible by construction
        assert result.timetable is not None, "a timetable exists, but the solver found none"
    assume(result.timetable is not None)  # the bookings may leave no timetable
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok
    lp, _ = the_lp(script, instance)
    assert lp.solve() <= verification.objective + 1e-6


def test_as_a_mip_its_bound_stays_below_the_valid_timetable(script):
    instance = tiny_instance()
    lp, _ = the_lp(script, instance, solver="CP_SAT")
    assert all(v.integer() for v in lp.x.values())
    bound = lp.solve(seconds=5)
    assert bound is not None
    assert 0 <= bound <= verify_timetable(instance, valid_timetable()).objective + 1e-6

"""Large-neighbourhood search pieces: operators, sub-problems, merging of parallel results."""

from __future__ import annotations

import random

import pytest

from scheduler.cbctt.lns import CbcttAdapter, LnsSettings, feasible, merge_lectures
from scheduler.cbctt.model import (
    Release,
    build_feasibility_model,
    build_placement_model,
    build_time_model,
    periods_cost,
    timetable_cost,
)
from scheduler.cbctt.neighbourhoods import OPERATORS, course_costs
from scheduler.cbctt.rooms import assign_rooms
from scheduler.cbctt.scorer import score
from scheduler.cbctt.solve import to_assignment
from scheduler.cpsat import SolverParams, run_cpsat
from scheduler.search import SearchSettings, search

from .conftest import ctt

QUICK = SolverParams(time_limit=10, workers=1, extra={"max_deterministic_time": 0.3})


@pytest.fixture
def start(comp01):
    tm = build_feasibility_model(comp01)
    solver, stats = run_cpsat(tm.model, SolverParams(time_limit=10, workers=1))
    assert stats.has_solution
    periods = tm.periods(solver)
    return comp01, periods, assign_rooms(comp01, periods)


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_operators_release_lectures_of_the_timetable(start, name):
    inst, _, timetable = start
    rng = random.Random(3)
    release = OPERATORS[name](inst, timetable, rng, 25, course_costs(inst, timetable))
    held = {(c, p) for c, lectures in enumerate(timetable) for p, _ in lectures}
    assert release.lectures and release.lectures <= held
    # Re-solving the released lectures never makes the timetable worse, and the sub-model's
    # objective is the cost of the whole timetable.
    pm = build_placement_model(inst, timetable, release)
    solver, stats = run_cpsat(pm.model, QUICK)
    new = pm.timetable(solver)
    assert stats.objective <= timetable_cost(inst, timetable)
    s = score(inst, to_assignment(inst, new))
    assert s.feasible and s.total == stats.objective


def test_rooms_only_release_keeps_periods(start):
    inst, _, timetable = start
    release = OPERATORS["room_courses"](inst, timetable, random.Random(0), 40, [0.0] * 30)
    pm = build_placement_model(inst, timetable, release)
    solver, _ = run_cpsat(pm.model, SolverParams(time_limit=10, workers=1))
    new = pm.timetable(solver)
    assert [[p for p, _ in ls] for ls in new] == [[p for p, _ in ls] for ls in timetable]


def test_period_submodel_cost_is_the_whole_cost(start):
    inst, periods, timetable = start
    release = OPERATORS["curricula"](inst, timetable, random.Random(1), 30, [0.0] * 30)
    tm = build_time_model(inst, periods, release)
    solver, stats = run_cpsat(tm.model, SolverParams(time_limit=10, workers=1))
    new = tm.periods(solver)
    assert stats.objective == periods_cost(inst, new) <= periods_cost(inst, periods)


def test_merge_applies_a_result_to_a_changed_timetable():
    base = (((0, 0), (3, 1)), ((1, 0),), ((2, 1),))
    released = frozenset({(0, 3)})
    new = (((0, 0), (4, 1)), ((1, 0),), ((2, 1),))  # lecture of course 0 moved from 3 to 4
    current = (((0, 0), (3, 1)), ((1, 1),), ((2, 1),))  # meanwhile course 1 changed room
    assert merge_lectures(current, base, new, released) == [((0, 0), (4, 1)), ((1, 1),), ((2, 1),)]
    moved = (((0, 0), (5, 1)), ((1, 0),), ((2, 1),))  # meanwhile the released lecture moved
    assert merge_lectures(moved, base, new, released) is None


def test_feasible_catches_clashes(toy):
    roomed = assign_rooms(toy, [(0, 1, 2), (3, 4, 5), (6, 7, 10, 11, 12), (13, 14, 15, 16, 17)])
    assert feasible(toy, roomed, periods_only=False)
    clash = list(roomed)
    clash[1] = ((0, 0), (4, 0), (5, 0))  # ArcTec at period 0 with SceCosC (same curriculum)
    assert not feasible(toy, clash, periods_only=False)
    assert not feasible(toy, [(0, 1, 2), (3, 4, 5), (6, 7, 10, 11), (13, 14, 15, 16, 17)],
                         periods_only=True)  # TecCos one lecture short


def test_search_with_two_threads_keeps_claims_true(start):
    inst, _, timetable = start
    cost = timetable_cost(inst, timetable)
    out = search(CbcttAdapter(inst, LnsSettings(), periods_only=False), timetable,
                 SolverParams(workers=2, seed=4),
                 SearchSettings(max_iterations=8, sub_deterministic_limit=0.1), lower_bound=0)
    assert out.iterations >= 8 and out.cost <= cost
    s = score(inst, to_assignment(inst, out.state))
    assert s.feasible and s.total == out.cost


def test_settings_are_checked():
    with pytest.raises(ValueError, match="Expected operators among"):
        LnsSettings(operators=("teleport",))
    with pytest.raises(ValueError, match="min_size <= initial_size"):
        SearchSettings(initial_size=2, min_size=5)


def test_unsettled_lectures_move_when_it_costs_nothing():
    inst = ctt("a t1 2 1 5", "r1 10\nr2 10", days=1)  # one day of three periods
    timetable = (((0, 0), (1, 0)),)
    release = Release(frozenset({(0, 0)}), unsettle=frozenset({(0, 0)}))
    pm = build_placement_model(inst, timetable, release)
    solver, stats = run_cpsat(pm.model, SolverParams(time_limit=5, workers=1))
    assert pm.scale == 2
    # Period 2 (next to period 1, same room) costs nothing, like period 0: the lecture moves.
    assert pm.timetable(solver) == (((1, 0), (2, 0)),)
    moved = pm.timetable(solver)
    assert pm.cost(stats.objective) == 0 == score(inst, to_assignment(inst, moved)).total

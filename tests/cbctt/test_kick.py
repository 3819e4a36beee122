"""Kicked restarts of the period search: each drawn course leaves one of its periods, only
courses it conflicts with move too, and a solve restarting from kicks still claims exactly
the scorer's cost."""

from __future__ import annotations

import random
from dataclasses import replace

from scheduler.cbctt.kick import kicked
from scheduler.cbctt.lns import feasible
from scheduler.cbctt.model import build_feasibility_model
from scheduler.cbctt.scorer import score
from scheduler.cbctt.solve import PhaseShares, solve_cbctt
from scheduler.cpsat import SolverParams, run_cpsat

from .conftest import ctt


def first_periods(instance):
    tm = build_feasibility_model(instance)
    solver, stats = run_cpsat(tm.model, SolverParams(time_limit=10, workers=1))
    assert stats.has_solution
    return tm.periods(solver)


def test_kicked_courses_leave_a_period_and_only_their_neighbours_move(comp01):
    periods = first_periods(comp01)
    new, interrupted = kicked(comp01, periods, 0.2, random.Random(3), 10.0)
    assert new is not None and not interrupted
    assert feasible(comp01, new, periods_only=True)
    # the same draws as the kick: the courses, then the period each must leave
    rng = random.Random(3)
    holding = [c for c, ps in enumerate(periods) if ps]
    moved = rng.sample(holding, round(0.2 * len(comp01.courses)))
    left = {c: rng.choice(periods[c]) for c in moved}
    for c, p in left.items():
        assert p not in new[c]
    free = set(moved).union(*(comp01.conflicts[c] for c in moved))
    assert all(new[c] == periods[c] for c in range(len(periods)) if c not in free)


def test_a_course_with_nowhere_else_to_go_cannot_be_kicked():
    # A's two lectures may only be in periods 0 and 1 (2-5 unavailable): kicked off one of
    # them, it has nowhere to go, and the kick says so instead of guessing
    instance = ctt("A t1 2 1 10", "R1 20",
                   unavailability="A 0 2\nA 1 0\nA 1 1\nA 1 2")
    periods = first_periods(instance)
    assert periods == ((0, 1),)
    assert kicked(instance, periods, 1.0, random.Random(0), 5.0) == (None, False)


def test_a_restart_of_the_period_search_starts_from_the_kicked_best(comp01):
    from scheduler.cbctt.solve import _Run

    run = _Run(comp01, SolverParams(time_limit=20, workers=1, seed=4), None)
    best = first_periods(comp01)
    start = run.restart_periods(1, best, kick=0.1)
    assert start is not None and start != best and feasible(comp01, start, periods_only=True)
    changed = sum(a != b for a, b in zip(best, start, strict=True))
    assert 0 < changed < len(comp01.courses)  # the best, kicked: not a new timetable


def test_a_solve_restarting_from_kicks_claims_the_scorers_cost(comp01):
    # a tiny stagnation share makes the period search restart (from kicks) several times
    shares = replace(PhaseShares(), stagnation=0.002, kick=0.1)
    result = solve_cbctt(comp01, SolverParams(time_limit=8, workers=2, seed=2), shares=shares)
    assert result.restarts >= 1
    s = score(comp01, result.assignment)
    assert s.feasible and s.total == result.cost

"""Kicked restarts of the period search: the drawn courses leave every period they held, the
rest stays, and a solve restarting from kicks still claims exactly the scorer's cost."""

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


def test_kicked_courses_leave_their_periods_and_the_others_stay(comp01):
    periods = first_periods(comp01)
    new, interrupted = kicked(comp01, periods, 0.2, random.Random(3), 10.0)
    assert new is not None and not interrupted
    assert feasible(comp01, new, periods_only=True)
    moved = [c for c, (was, now) in enumerate(zip(periods, new, strict=True)) if was != now]
    assert len(moved) == round(0.2 * len(comp01.courses))
    for c in moved:
        assert not set(periods[c]) & set(new[c])  # off every period it held


def test_a_course_with_nowhere_else_to_go_cannot_be_kicked():
    # A's two lectures may only be in periods 0 and 1 (2-5 unavailable): kicked off both,
    # it has nowhere to go, and the kick says so instead of guessing
    instance = ctt("A t1 2 1 10", "R1 20",
                   unavailability="A 0 2\nA 1 0\nA 1 1\nA 1 2")
    periods = first_periods(instance)
    assert periods == ((0, 1),)
    assert kicked(instance, periods, 1.0, random.Random(0), 5.0) == (None, False)


def test_a_solve_restarting_from_kicks_claims_the_scorers_cost(comp01):
    # a tiny stagnation share makes the period search restart (from kicks) several times
    shares = replace(PhaseShares(), stagnation=0.01, kick=0.1)
    result = solve_cbctt(comp01, SolverParams(time_limit=6, workers=2, seed=2), shares=shares)
    assert result.restarts >= 1
    s = score(comp01, result.assignment)
    assert s.feasible and s.total == result.cost

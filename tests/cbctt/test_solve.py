"""The solver's claimed UD2 cost always equals the independent scorer's."""

from __future__ import annotations

import pytest

from scheduler.cbctt.scorer import score
from scheduler.cbctt.solve import solve_cbctt
from scheduler.cpsat import SolverParams, SolveStatus

from .conftest import ctt


def test_toy_is_solved_to_zero(toy):
    # Zero is the optimum: every cost is non-negative, and a zero-cost timetable exists (the
    # period model finds one; rooms A 32 and B 50 then fit every course without changes).
    result = solve_cbctt(toy, SolverParams(time_limit=10, workers=1, seed=0))
    assert result.status == SolveStatus.OPTIMAL and result.cost == 0
    s = score(toy, result.assignment)
    assert s.feasible and s.total == result.cost
    assert result.time_to_first is not None and result.time_to_first <= result.wall_time


def test_comp01_with_parallel_search(comp01):
    # Two search threads on a real instance: results computed on a timetable the other thread
    # has changed meanwhile are merged, and the claimed cost must still be the scorer's.
    result = solve_cbctt(comp01, SolverParams(time_limit=4, workers=2, seed=1))
    s = score(comp01, result.assignment)
    assert s.feasible and s.total == result.cost
    assert result.time_to_first is not None and result.time_to_first < 2
    assert result.time_to_first <= result.time_to_best <= result.wall_time


def test_plain_cpsat_strategy(toy):
    result = solve_cbctt(toy, SolverParams(time_limit=3, workers=1, seed=0), strategy="cpsat")
    s = score(toy, result.assignment)
    assert s.feasible and s.total == result.cost == 0


def test_unknown_strategy_is_refused(toy):
    with pytest.raises(ValueError, match="Expected strategy in"):
        solve_cbctt(toy, SolverParams(time_limit=1), strategy="magic")  # type: ignore[arg-type]


def test_infeasible_instance_reports_no_timetable():
    # Two courses of one curriculum, two lectures each, but only three periods in the week.
    inst = ctt("a t1 2 1 5\nb t2 2 1 5", "r 10", curricula="q 2 a b", days=1)
    result = solve_cbctt(inst, SolverParams(time_limit=5, workers=1))
    assert result.status == SolveStatus.INFEASIBLE and not result.has_solution
    assert result.assignment == () and result.cost is None


def test_result_summary_and_dict(toy):
    result = solve_cbctt(toy, SolverParams(time_limit=5, workers=1))
    assert result.summary().startswith("ToyExample: OPTIMAL, UD2 0")
    data = result.as_dict()
    assert data["cost"] == 0 and data["strategy"] == "lns"

"""The solver's claimed UD2 cost always equals the independent scorer's."""

from __future__ import annotations

from scheduler.cbctt.scorer import score
from scheduler.cbctt.solve import solve_cbctt
from scheduler.cpsat import SolverParams


def test_toy_is_solved_to_zero(toy):
    # Zero is the optimum: every cost is non-negative, and a zero-cost timetable exists (the
    # period model finds one; rooms A 32 and B 50 then fit every course without changes).
    result = solve_cbctt(toy, SolverParams(time_limit=10, workers=1, seed=0))
    assert result.status == "OPTIMAL" and result.cost == 0
    s = score(toy, result.assignment)
    assert s.feasible and s.total == result.cost
    assert result.time_to_first is not None and result.time_to_first <= result.wall_time

"""Lexicographic optimisation: the placement tier, then the norm tier, then the comfort tier.

Each tier is minimised on the whole model in turn, hinted with the previous tier's timetable;
once a tier's value ``v`` is found it is held (``cost <= v``) while the later tiers are
minimised. A tier's lower bound is the larger of CP-SAT's bound and, for the norm tier, the
structural bound of :mod:`scheduler.model.norm_bounds` (which is also given to CP-SAT as a
floor, so that it can stop once a timetable meets it). A tier is proven minimal when its value
meets its bound. A comfort bound is a bound *given* the tiers before it at their values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from scheduler.cpsat import RunStats, SolverParams, run_cpsat
from scheduler.model.builder import TimetableModel
from scheduler.model.context import SolveContext
from scheduler.model.norm_bounds import NormBounds
from scheduler.model.objective import SoftTerm, tier_expression
from scheduler.model.params import optimisation_params

TIER_SHARES = {"placement": 0.3, "norm": 0.4}
"""Share of the time left that a tier may take before the next one starts (the last tier
takes the rest); a tier proven minimal hands on at once."""


@dataclass(frozen=True)
class TierOutcome:
    """One tier of a lexicographic solve: its cost (weighted), its lower bound (``None``: not
    known) and whether the cost is proven minimal (given the tiers before it)."""

    name: str
    cost: int
    bound: int | None
    optimal: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TieredRun:
    """The last tier's solver (holding the timetable), each tier's outcome, the runs."""

    solver: cp_model.CpSolver | None
    tiers: tuple[TierOutcome, ...]
    runs: tuple[RunStats, ...]


def tier_floor(tier: str, terms: Sequence[SoftTerm], floors: NormBounds | None,
               weights: Any) -> int:
    """The structural lower bound of a tier's cost (norm tier only; 0 otherwise)."""
    if tier != "norm" or floors is None:
        return 0
    rules = tuple(t.name for t in terms if t.tier == "norm")
    return floors.bound_value(weights, rules)


def hint_solution(tm: TimetableModel, solver: cp_model.CpSolver) -> None:
    """Replace ``tm``'s hints by the decisions of ``solver``'s solution of ``tm``."""
    tm.model.clear_hints()
    for var in tm.use.values():
        tm.model.add_hint(var, solver.boolean_value(var))
    for key, var in (*tm.room.items(), *tm.interpreter.items()):
        if var is not tm.use[key[0]]:
            tm.model.add_hint(var, solver.boolean_value(var))


def solve_tiers(ctx: SolveContext, tm: TimetableModel, terms: Sequence[SoftTerm],
                tiers: Sequence[str], floors: NormBounds | None) -> TieredRun:
    """Minimise ``tiers`` of ``tm`` in order (``tm`` holds a hint already)."""
    outcomes: list[TierOutcome] = []
    runs: list[RunStats] = []
    best: cp_model.CpSolver | None = None
    for position, tier in enumerate(tiers):
        last = position == len(tiers) - 1
        left = ctx.remaining()
        if left is not None and left <= ctx.settings.min_run_seconds:
            break
        share = 1.0 if last or left is None else TIER_SHARES.get(tier, 0.5)
        limit = None if left is None else left * share
        expression = tier_expression(terms, tier)
        floor = tier_floor(tier, terms, floors, ctx.instance.weights)
        tm.model.minimize(expression)
        if floor:
            tm.model.add(expression >= floor)
        params: SolverParams = optimisation_params(replace(ctx.params, time_limit=limit))
        solver, stats = run_cpsat(tm.model, params, on_progress=ctx.on_progress,
                                  phase=f"optimize {tier}", time_offset=ctx.elapsed())
        runs.append(stats)
        if stats.interrupted and not stats.has_solution:
            break
        if not stats.has_solution:
            continue  # the next tier starts from the same hint, this tier unbounded
        best = solver
        cost = sum(t.weight * t.count(solver) for t in terms if t.tier == tier)
        bound = max(floor, _cpsat_bound(stats))
        outcomes.append(TierOutcome(tier, cost, min(bound, cost), bound >= cost))
        if stats.interrupted:
            break
        if not last:
            tm.model.add(expression <= cost)
            hint_solution(tm, solver)
    return TieredRun(best, tuple(outcomes), tuple(runs))


def _cpsat_bound(stats: RunStats) -> int:
    """CP-SAT's proven bound, rounded up to a whole number (the objective is integral)."""
    if stats.best_bound is None:
        return 0
    return max(0, math.ceil(stats.best_bound - 1e-6))

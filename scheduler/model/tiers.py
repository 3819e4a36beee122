"""Lexicographic optimisation: the placement tier, then the norm tier, then the comfort tier.

The search starts with a share of the time on the whole weighted sum (a timetable good in
every respect), then minimises the tiers as one exactly lexicographic objective hinted with it:
each tier is multiplied by more than the later tiers can ever cost together, so a unit less in
an earlier tier outweighs anything in the later ones. A tier's lower bound comes from CP-SAT's
bound of that objective (for a later tier: given the tiers before it at their values) and, for
the norm tier, from the structural bound of :mod:`scheduler.model.norm_bounds` (also given to
CP-SAT as a floor, so that it can stop once a timetable meets it). A tier is proven minimal
when its value meets its bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from scheduler.cpsat import RunStats, SolveStatus, run_cpsat
from scheduler.interrupt import stop_requested
from scheduler.model.builder import TimetableModel
from scheduler.model.context import SolveContext
from scheduler.model.norm_bounds import NormBounds
from scheduler.model.objective import SoftTerm, lexicographic_expression, tier_expression
from scheduler.model.params import optimisation_params

WARM_SHARE = 0.3
"""Share of the time the weighted sum of every rule takes before the tiers."""


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
    """Minimise ``tiers`` of ``tm`` in order (``tm`` holds a hint already).

    A share of the time (:data:`WARM_SHARE`) goes to the weighted sum of every rule, which
    finds a timetable good in every respect quickly; the rest to the tiers as one exactly
    lexicographic objective (:func:`~scheduler.model.objective.lexicographic_expression`),
    hinted with it. One search instead of one per tier keeps CP-SAT's presolve and learning.
    """
    runs: list[RunStats] = []
    best: cp_model.CpSolver | None = None
    left = ctx.remaining()
    warm = optimisation_params(replace(ctx.params, time_limit=None if left is None
                                       else left * WARM_SHARE))
    tm.model.minimize(tier_expression(terms))
    solver, stats = run_cpsat(tm.model, warm, on_progress=ctx.on_progress, phase="optimize",
                              time_offset=ctx.elapsed())
    runs.append(stats)
    if stats.has_solution:
        best = solver
        hint_solution(tm, solver)
    left = ctx.remaining()
    if stop_requested() or stats.interrupted or (
            left is not None and left <= ctx.settings.min_run_seconds):
        return TieredRun(best, _outcomes(best, terms, tiers, None, {}, {}), tuple(runs))
    floors_by_tier = {tier: tier_floor(tier, terms, floors, ctx.instance.weights)
                      for tier in tiers}
    for tier, floor in floors_by_tier.items():
        if floor:
            tm.model.add(tier_expression(terms, tier) >= floor)
    objective, multipliers = lexicographic_expression(tm.model, terms, tiers)
    tm.model.minimize(objective)
    solver, stats = run_cpsat(tm.model, optimisation_params(replace(ctx.params,
                                                                      time_limit=left)),
                              on_progress=ctx.on_progress, phase="optimize tiers",
                              time_offset=ctx.elapsed())
    runs.append(stats)
    if stats.has_solution:
        best = solver
    return TieredRun(best, _outcomes(best, terms, tiers, stats if stats.has_solution else None,
                                     multipliers, floors_by_tier), tuple(runs))


def _outcomes(solver: cp_model.CpSolver | None, terms: Sequence[SoftTerm],
              tiers: Sequence[str], stats: RunStats | None, multipliers: dict[str, int],
              floors: dict[str, int]) -> tuple[TierOutcome, ...]:
    """Each tier's cost in ``solver``'s timetable and its bound: a tier's bound is the
    lexicographic run's bound less what the tiers before it cost, over its multiplier (a
    bound given the tiers before it at their values; the first tier's holds outright),
    raised to the tier's structural floor."""
    if solver is None:
        return ()
    optimal = stats is not None and stats.status == SolveStatus.OPTIMAL
    residual = None if stats is None else _cpsat_bound(stats)
    outcomes = []
    for tier in tiers:
        cost = sum(t.weight * t.count(solver) for t in terms if t.tier == tier)
        bound: int | None = floors.get(tier) or None
        if residual is not None and tier in multipliers:
            derived = max(0, residual // multipliers[tier])
            bound = max(bound or 0, derived)
            residual -= multipliers[tier] * cost
        if optimal:
            bound = cost
        bound = None if bound is None else min(bound, cost)
        outcomes.append(TierOutcome(tier, cost, bound, bound is not None and bound >= cost))
    return tuple(outcomes)


def _cpsat_bound(stats: RunStats) -> int:
    """CP-SAT's proven bound, rounded up to a whole number (the objective is integral)."""
    if stats.best_bound is None:
        return 0
    return max(0, math.ceil(stats.best_bound - 1e-6))

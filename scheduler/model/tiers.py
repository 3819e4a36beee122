"""Lexicographic optimisation: the placement tier, then the norm tier, then the comfort tier.

The search starts with a short share of the time on the whole weighted sum (a timetable good
in every respect, the hint of what follows), then minimises each tier on its own, one after
the other, hinted with the best timetable so far; once a tier's search ends, its cost is held
at the value found (a constraint) while the later tiers are minimised. A tier's lower bound is
CP-SAT's bound of its own search (for a later tier: given the tiers before it at their values)
and, for the norm tier, also the structural bound of :mod:`scheduler.model.norm_bounds` (given
to CP-SAT as a floor, so that it stops once a timetable meets it). A tier is proven minimal
when its value meets its bound.

Searching one tier at a time is what makes the norms come first in practice: one exactly
lexicographic objective (each tier multiplied by more than the later ones can cost) was
measured on the default instance at 60 s to leave the norm tier at 928, where the norm-only
search reaches 428 (docs/performance.md).

:func:`solve_tiers` does this on the whole model; :func:`lns_tiers` does the same with the
large-neighbourhood search engine (instances too large for the whole model): the same shares
of the time, each neighbourhood's sub-model minimising the current tier with the tiers before
it held. LNS proves nothing, so a tier's bound is then its structural floor alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from scheduler.cpsat import RunStats, SolveStatus, run_cpsat
from scheduler.instance import Instance
from scheduler.interrupt import stop_requested
from scheduler.levels import TIERS, has_level
from scheduler.model.builder import TimetableModel
from scheduler.model.context import SolveContext
from scheduler.model.lns import Goal, Incumbent, LnsResult, run_lns
from scheduler.model.norm_bounds import NormBounds
from scheduler.model.objective import SoftTerm, tier_expression
from scheduler.model.params import optimisation_params

WARM_SHARE = 0.15
"""Share of the time the weighted sum of every rule takes before the tiers."""

WARM_MIN_SECONDS = 30.0
"""With less time left than this, the tiers start from the hint at once: each search starts
with CP-SAT's presolve again, which a short time limit cannot pay three times."""

TIER_SHARE = 0.55
"""Share of the time left that each tier but the last takes (the last takes the rest)."""


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
                tiers: Sequence[str], floors: NormBounds | None,
                reserve: float = 0.0) -> TieredRun:
    """Minimise ``tiers`` of ``tm`` in order (``tm`` holds a hint already), leaving the last
    ``reserve`` seconds of the time limit unused.

    A share of the time (:data:`WARM_SHARE`, when at least :data:`WARM_MIN_SECONDS` are left)
    goes to the weighted sum of every rule; then each
    tier is minimised alone (:data:`TIER_SHARE` of the time left, the last tier the rest),
    hinted with the best timetable so far, and held at its value for the tiers after it.
    """
    runs: list[RunStats] = []
    best: cp_model.CpSolver | None = None
    outcomes: list[TierOutcome] = []

    def time_left() -> float | None:
        left = ctx.remaining()
        return None if left is None else max(0.0, left - reserve)

    def search(share: float, phase: str) -> RunStats:
        nonlocal best
        left = time_left()
        params = optimisation_params(replace(ctx.params, time_limit=None if left is None
                                             else left * share))
        solver, stats = run_cpsat(tm.model, params, on_progress=ctx.on_progress, phase=phase,
                                  time_offset=ctx.elapsed())
        runs.append(stats)
        if stats.has_solution:
            best = solver
            hint_solution(tm, solver)
        return stats

    left = time_left()
    if left is None or left >= WARM_MIN_SECONDS:
        tm.model.minimize(tier_expression(terms))
        search(WARM_SHARE, "optimize")
    for index, tier in enumerate(tiers):
        left = time_left()
        if stop_requested() or (runs and runs[-1].interrupted) or (
                left is not None and left <= ctx.settings.min_run_seconds):
            break
        floor = tier_floor(tier, terms, floors, ctx.instance.weights)
        expression = tier_expression(terms, tier)
        if floor:
            tm.model.add(expression >= floor)
        tm.model.minimize(expression)
        last = index == len(tiers) - 1
        stats = search(1.0 if last else TIER_SHARE, f"optimize {tier}")
        if best is None:
            break
        cost = _tier_cost(best, terms, tier)
        outcomes.append(_outcome(tier, cost, floor, stats))
        tm.model.add(expression <= cost)
    done = {o.name for o in outcomes}
    outcomes += [_outcome(tier, _tier_cost(best, terms, tier),
                          tier_floor(tier, terms, floors, ctx.instance.weights), None)
                 for tier in tiers if tier not in done and best is not None]
    return TieredRun(best, tuple(outcomes), tuple(runs))


def _tier_cost(solver: cp_model.CpSolver, terms: Sequence[SoftTerm], tier: str) -> int:
    """The weighted cost of ``tier`` in ``solver``'s timetable."""
    return sum(t.weight * t.count(solver) for t in terms if t.tier == tier)


def _outcome(tier: str, cost: int, floor: int, stats: RunStats | None) -> TierOutcome:
    """A tier's outcome: its bound is the larger of its structural floor and the bound of
    its own search (``stats``; ``None`` when it had none), capped at the cost."""
    bound: int | None = floor or None
    if stats is not None and stats.has_solution:
        if stats.status == SolveStatus.OPTIMAL:
            bound = cost
        else:
            bound = max(bound or 0, _cpsat_bound(stats))
    bound = None if bound is None else min(bound, cost)
    return TierOutcome(tier, cost, bound, bound is not None and bound >= cost)


def _cpsat_bound(stats: RunStats) -> int:
    """CP-SAT's proven bound, rounded up to a whole number (the objective is integral)."""
    if stats.best_bound is None:
        return 0
    return max(0, math.ceil(stats.best_bound - 1e-6))


def tiers_in(instance: Instance, relax: bool = False) -> list[str]:
    """The tiers that hold a soft rule of non-zero weight (and ``placement`` when courses
    may be left out), most important first."""
    weights, levels = instance.weights, instance.levels
    present = {levels.tier(name) for name in weights.names()
               if has_level(name) and getattr(weights, name)}
    if relax:
        present.add("placement")
    return [tier for tier in TIERS if tier in present]


def lns_tiers(ctx: SolveContext, start: Incumbent, deadline: float, tiers: Sequence[str],
              floors: NormBounds | None, warm: bool = True,
              bounds: Mapping[str, int] | None = None, searched: Sequence[str] | None = None,
              ) -> tuple[LnsResult, tuple[TierOutcome, ...]]:
    """Minimise ``tiers`` of the timetable ``start`` in order by large-neighbourhood search
    until ``deadline`` (a ``time.perf_counter`` value), with the shares of
    :func:`solve_tiers`: the weighted sum first (unless not ``warm``), then each tier, the
    tiers before it held at most at their values found. A tier's search stops when it
    reaches its bound: the larger of its structural floor (norm tier) and its value in
    ``bounds`` (bounds known already, e.g. CP-SAT's of each tier, given the tiers before it
    at values no lower than those LNS holds). Returns the search's totals (its best
    timetable) and each tier's outcome, its bound being that bound (``None`` when neither is
    known and the cost is above 0). Only the tiers in ``searched`` (``None``: all) are
    searched; the others are held at their values in ``start``. With the settings'
    ``break_ties`` (off by default) each tier's search prefers, at an equal cost of that
    tier, the timetable whose later tiers cost less."""
    runs: list[LnsResult] = []
    known = dict(bounds or {})

    def tier_bound(tier: str) -> int | None:
        floor = _floor(ctx, tier, floors)
        if tier in known:
            return max(floor, known[tier])
        return floor or None

    def search(share: float, best: Incumbent, goal: Goal | None = None, floor: int = 0,
               stop_at_floor: bool = False) -> Incumbent:
        now = time.perf_counter()
        runs.append(run_lns(ctx, best, now + max(0.0, deadline - now) * share,
                            floor if stop_at_floor else None, goal))
        return runs[-1].incumbent

    best = search(WARM_SHARE, start) if warm else start
    held: list[tuple[str, int]] = []
    for index, tier in enumerate(tiers):
        if searched is not None and tier not in searched:
            held.append((tier, best.tiers.get(tier, 0)))
            continue
        if stop_requested() or (runs and runs[-1].interrupted) or (
                deadline - time.perf_counter() <= ctx.settings.min_run_seconds):
            break
        last = index == len(tiers) - 1
        then = tuple(tiers[index + 1:]) if ctx.settings.break_ties else ()
        goal = Goal(tier, tuple(held), then, ctx.settings.weigh_ties)
        best = search(1.0 if last else TIER_SHARE, best, goal,
                      tier_bound(tier) or 0, stop_at_floor=True)
        held.append((tier, best.tiers.get(tier, 0)))
    outcomes = []
    for tier in tiers:
        cost, bound = best.tiers.get(tier, 0), tier_bound(tier)
        if bound is not None:
            bound = min(cost, bound)
        elif cost == 0:
            bound = 0
        outcomes.append(TierOutcome(tier, cost, bound, bound is not None and bound >= cost))
    sizes = [r.model_size for r in runs if r.model_size is not None]
    total = LnsResult(best, sum(r.iterations for r in runs), sum(r.improvements for r in runs),
                      sum(r.solutions for r in runs), any(r.interrupted for r in runs),
                      sizes[-1] if sizes else None)
    return total, tuple(outcomes)


def _floor(ctx: SolveContext, tier: str, floors: NormBounds | None) -> int:
    """The structural floor of ``tier`` (norm tier only; the rules at level norm)."""
    if tier != "norm" or floors is None:
        return 0
    instance = ctx.instance
    rules = [r for r in instance.weights.names() if instance.levels.tier(r) == "norm"]
    return floors.bound_value(instance.weights, rules)

"""Solving a CB-CTT instance under UD2: the public entry point :func:`solve_cbctt`.

Strategy ``"lns"`` (the default):

1. *Periods*: the time model (:func:`~scheduler.cbctt.model.build_time_model`, rooms by counting)
   runs for a share of the time limit; its bound is a lower bound on UD2.
2. *Rooms*: the best period assignment gets rooms by a capacity-optimal matching, then CP-SAT
   re-assigns every room (periods fixed) to trade capacity against room stability.
3. *Improvement*: large-neighbourhood search (:mod:`scheduler.cbctt.lns`) until the time limit.

Strategy ``"cpsat"`` runs steps 1 and 2 only (most of the time on step 1): the plain CP-SAT
baseline the benchmark compares against.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from ortools.sat.python import cp_model

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.lns import LnsSettings, OperatorStats, improve
from scheduler.cbctt.model import (
    Release,
    Timetable,
    build_placement_model,
    build_time_model,
    timetable_cost,
)
from scheduler.cbctt.rooms import assign_rooms
from scheduler.cbctt.solution import Assignment, Placement
from scheduler.cpsat import SolverParams, TracePoint, run_cpsat
from scheduler.progress import Progress, ProgressCallback

Strategy = Literal["lns", "cpsat"]
STRATEGIES: tuple[str, ...] = ("lns", "cpsat")


@dataclass(frozen=True)
class PhaseShares:
    """Shares of the time limit given to the period model and to the room model."""

    periods: float = 0.15
    rooms: float = 0.05
    min_periods: float = 2.0
    min_rooms: float = 1.0


@dataclass(frozen=True)
class CbcttResult:
    """What a solve achieved.

    ``cost`` is the UD2 cost the solver claims (its model's objective, not a re-scoring);
    ``lower_bound`` is proven by the period model; times are seconds since the start.
    """

    instance: str
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
    assignment: Assignment
    cost: int | None
    lower_bound: int | None
    time_to_first: float | None
    time_to_best: float | None
    wall_time: float
    interrupted: bool
    strategy: str
    params: dict[str, Any]
    lns_iterations: int = 0
    trace: tuple[TracePoint, ...] = ()
    operators: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def has_solution(self) -> bool:
        """True when every lecture has a period and a room."""
        return self.cost is not None

    def summary(self) -> str:
        """One line, e.g. ``comp01: FEASIBLE, UD2 5 (bound 4), first 0.3 s, best 12.0 s``."""
        if not self.has_solution:
            return f"{self.instance}: {self.status}, no timetable after {self.wall_time:.1f} s"
        bound = "" if self.lower_bound is None else f" (bound {self.lower_bound})"
        return (f"{self.instance}: {self.status}, UD2 {self.cost}{bound}, "
                f"first {self.time_to_first:.1f} s, best {self.time_to_best:.1f} s, "
                f"{self.wall_time:.1f} s in all")

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view (without the assignment)."""
        return {
            "instance": self.instance,
            "status": self.status,
            "cost": self.cost,
            "lower_bound": self.lower_bound,
            "time_to_first_solution": _rounded(self.time_to_first),
            "time_to_best_solution": _rounded(self.time_to_best),
            "solve_time": round(self.wall_time, 3),
            "interrupted": self.interrupted,
            "strategy": self.strategy,
            "lns_iterations": self.lns_iterations,
            "solver_parameters": self.params,
            "operators": self.operators,
        }


def solve_cbctt(
    instance: CbcttInstance,
    params: SolverParams,
    on_progress: ProgressCallback | None = None,
    strategy: Strategy = "lns",
    settings: LnsSettings | None = None,
    shares: PhaseShares | None = None,
) -> CbcttResult:
    """Find a timetable of least UD2 cost for ``instance`` within ``params.time_limit``.

    Progress events go to ``on_progress`` with phase ``"periods"`` (objective: UD2 without room
    stability), ``"rooms"`` and ``"lns"`` (objective: UD2). Ctrl-C stops the search and the best
    timetable found so far is returned with ``interrupted`` set. ``params.seed`` fixes the
    neighbourhood choices; with several workers CP-SAT itself is not deterministic.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"Expected strategy in {STRATEGIES}, got {strategy!r}")
    shares = shares or PhaseShares()
    if strategy == "cpsat":
        shares = PhaseShares(periods=0.8, rooms=0.2)
    run = _Run(instance, params, on_progress)
    limit = params.time_limit

    # 1. Periods.
    periods, bound, interrupted = run.periods(_share(limit, shares.periods, shares.min_periods))
    if periods is None:
        return run.result(None, None, bound, interrupted, strategy)
    timetable = assign_rooms(instance, periods)
    cost = timetable_cost(instance, timetable)
    run.improved(cost)
    if interrupted:
        return run.result(timetable, cost, bound, interrupted, strategy)

    # 2. Rooms.
    rooms_limit = _share(limit, shares.rooms, shares.min_rooms)
    if strategy == "cpsat" and limit is not None:
        rooms_limit = max(0.1, run.deadline - time.perf_counter())  # type: ignore[operator]
    timetable, cost, interrupted = run.rooms(timetable, cost, rooms_limit, bound)
    if interrupted or strategy == "cpsat":
        return run.result(timetable, cost, bound, interrupted, strategy)

    # 3. Large-neighbourhood search.
    outcome = improve(
        instance, timetable, cost, params,
        deadline=run.deadline, clock_start=run.start, lower_bound=bound or 0,
        rng=random.Random(params.seed), settings=settings, solutions=run.solutions,
        on_progress=on_progress,
    )
    for elapsed, value in outcome.history:
        run.trace.append(TracePoint(elapsed, value, bound))
        run.best_time = elapsed
    return run.result(outcome.timetable, outcome.cost, bound, outcome.interrupted, strategy,
                      outcome.iterations, outcome.operators)


def to_assignment(instance: CbcttInstance, timetable: Timetable) -> Assignment:
    """Placements (named by instance ids) of an internal timetable."""
    return tuple(
        Placement(instance.courses[c].id, instance.rooms[r].id, *instance.day_slot(p))
        for c, lectures in enumerate(timetable)
        for p, r in lectures
    )


def _share(limit: float | None, share: float, minimum: float) -> float | None:
    return None if limit is None else min(limit, max(minimum, share * limit))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class _Run:
    """Clock, counters and progress forwarding shared by the phases of one solve."""

    def __init__(self, instance: CbcttInstance, params: SolverParams,
                 on_progress: ProgressCallback | None) -> None:
        self.instance = instance
        self.params = params
        self.on_progress = on_progress
        self.start = time.perf_counter()
        self.deadline = None if params.time_limit is None else self.start + params.time_limit
        self.first_time: float | None = None
        self.best_time: float | None = None
        self.solutions = 0
        self.trace: list[TracePoint] = []
        self.bound: int | None = None
        self.status = "UNKNOWN"
        self._lock = threading.Lock()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def remaining(self, wanted: float | None) -> float | None:
        if self.deadline is None:
            return wanted
        left = max(0.05, self.deadline - time.perf_counter())
        return left if wanted is None else min(wanted, left)

    def forward(self, phase: str, offset: float) -> ProgressCallback:
        def callback(event: Progress) -> None:
            if self.on_progress is not None:
                self.on_progress(Progress(offset + event.elapsed, self.solutions, event.objective,
                                          event.bound, phase=phase))
        return callback

    def improved(self, cost: int) -> None:
        now = self.elapsed()
        self.solutions += 1
        if self.first_time is None:
            self.first_time = now
        self.best_time = now
        self.trace.append(TracePoint(now, cost, self.bound))

    def periods(self, limit: float | None) -> tuple[tuple[tuple[int, ...], ...] | None,
                                                    int | None, bool]:
        """Run the time model; return the best periods, the lower bound, interrupted."""
        tm = build_time_model(self.instance)
        first: list[float] = []

        def on_solution(_: cp_model.CpSolverSolutionCallback) -> None:
            with self._lock:
                if not first:
                    first.append(self.elapsed())

        solver, stats = run_cpsat(
            tm.model, self._params(self.remaining(limit)),
            on_progress=self.forward("periods", self.elapsed()), on_solution=on_solution)
        bound = None
        if stats.best_bound is not None and stats.status != "INFEASIBLE":
            bound = max(0, math.ceil(stats.best_bound - 1e-6))
        self.bound = bound
        self.status = stats.status
        if not stats.has_solution:
            return None, bound, stats.interrupted
        self.first_time = first[0] if first else self.elapsed()
        periods = tm.periods(solver)
        periods += ((),) * (len(self.instance.courses) - len(periods))
        return periods, bound, stats.interrupted

    def rooms(self, timetable: Timetable, cost: int, limit: float | None,
              bound: int | None) -> tuple[Timetable, int, bool]:
        """Re-assign every room with periods fixed; keep the result if it is not worse."""
        release = Release(
            frozenset((c, p) for c, lectures in enumerate(timetable) for p, _ in lectures),
            periods={c: frozenset(p for p, _ in ls) for c, ls in enumerate(timetable) if ls},
            name="rooms",
        )
        pm = build_placement_model(self.instance, timetable, release)
        solver, stats = run_cpsat(pm.model, self._params(self.remaining(limit)),
                                    on_progress=self.forward("rooms", self.elapsed()))
        if stats.has_solution and stats.objective is not None and stats.objective < cost:
            timetable, cost = pm.timetable(solver), round(stats.objective)
            self.improved(cost)
        return timetable, cost, stats.interrupted

    def _params(self, limit: float | None) -> SolverParams:
        p = self.params
        return SolverParams(limit, p.workers, p.seed, p.log_search, p.extra)

    def result(self, timetable: Timetable | None, cost: int | None, bound: int | None,
               interrupted: bool, strategy: str, iterations: int = 0,
               operators: dict[str, OperatorStats] | None = None) -> CbcttResult:
        if timetable is None or cost is None:
            status = "INFEASIBLE" if self.status == "INFEASIBLE" else "UNKNOWN"
        else:
            status = "OPTIMAL" if bound is not None and cost <= bound else "FEASIBLE"
        return CbcttResult(
            instance=self.instance.name,
            status=status,
            assignment=() if timetable is None else to_assignment(self.instance, timetable),
            cost=cost,
            lower_bound=bound,
            time_to_first=self.first_time if timetable is not None else None,
            time_to_best=self.best_time if timetable is not None else None,
            wall_time=self.elapsed(),
            interrupted=interrupted,
            strategy=strategy,
            params=self.params.as_dict(),
            lns_iterations=iterations,
            trace=tuple(self.trace),
            operators={
                name: {"tries": s.tries, "improvements": s.improvements, "gain": s.gain,
                       "seconds": round(s.seconds, 2), "size": round(s.size, 1)}
                for name, s in (operators or {}).items()
            },
        )

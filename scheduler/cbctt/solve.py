"""Solving a CB-CTT instance under UD2: the public entry point :func:`solve_cbctt`.

Strategy ``"lns"`` (the default):

1. *First timetable*: the time model without objective
   (:func:`~scheduler.cbctt.model.build_feasibility_model`), stopped at its first solution.
2. *Periods*: large-neighbourhood search (:mod:`scheduler.cbctt.lns`) over periods only, rooms
   by counting, while it improves, for at most a share of the time limit.
3. *Periods and rooms*: rooms by a capacity-optimal matching, settled period by period for
   fewer rooms per course, then large-neighbourhood search over periods and rooms until the
   time limit.

Strategy ``"cpsat"`` is the plain CP-SAT baseline: the time model with its objective for most
of the time limit (its bound is a lower bound on UD2), then one model re-assigning every room.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Literal

from ortools.sat.python import cp_model

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.kick import kicked
from scheduler.cbctt.lns import CbcttAdapter, LnsSettings
from scheduler.cbctt.model import (
    BuildStopped,
    Periods,
    Release,
    Timetable,
    build_feasibility_model,
    build_placement_model,
    build_time_model,
    timetable_cost,
)
from scheduler.cbctt.rooms import assign_rooms, settle_rooms
from scheduler.cbctt.solution import Assignment, Placement
from scheduler.cpsat import SolverParams, SolveStatus, TracePoint, run_cpsat
from scheduler.interrupt import stop_requested
from scheduler.progress import Progress, ProgressCallback
from scheduler.search import OperatorStats, search

Strategy = Literal["lns", "cpsat"]
STRATEGIES: tuple[str, ...] = ("lns", "cpsat")
SETTLE_SHARE = 0.2  # of the time left when settling rooms starts


@dataclass(frozen=True)
class PhaseShares:
    """How the time limit is split between phases.

    ``periods``: the most the period search may take. A search that has not improved for
    ``stagnation`` of the time limit ends; with ``restarts`` a new one starts while the phase
    lasts, and the best result is kept: from a new first timetable, or with ``kick`` > 0 from
    the best periods so far with that share of the courses moved off their periods
    (:func:`~scheduler.cbctt.kick.kicked`). With ``settle``, the rooms of the capacity-optimal
    matching that ends the period search are re-chosen period by period for fewer rooms per
    course (:func:`~scheduler.cbctt.rooms.settle_rooms`) before the search over periods and
    rooms. For strategy ``"cpsat"``, ``periods`` is the share of the time model and the rest
    goes to the room model.
    """

    periods: float = 0.6
    stagnation: float = 0.05
    restarts: bool = True
    kick: float = 0.0
    settle: bool = True
    rooms: float = 0.2
    min_periods: float = 2.0


@dataclass(frozen=True)
class CbcttResult:
    """What a solve achieved.

    ``cost`` is the UD2 cost the solver claims (its model's objective, not a re-scoring);
    ``lower_bound`` is proven by the period model; times are seconds since the start.
    """

    instance: str
    status: SolveStatus  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
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
    periods_cost: int | None = None  # cost after the period search (UD2 without stability)
    restarts: int = 0  # restarts of the period search
    merges: dict[str, tuple[int, int]] = field(default_factory=dict)  # (merged, discarded)
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
            "periods_cost": self.periods_cost,
            "restarts": self.restarts,
            "merges": {k: {"merged": m, "discarded": d} for k, (m, d) in self.merges.items()},
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

    Progress events go to ``on_progress`` with phase ``"first"`` (no objective yet),
    ``"periods"`` (objective: UD2 without room stability, rooms by counting) and ``"lns"`` or
    ``"rooms"`` (objective: UD2). Ctrl-C stops the search and the best timetable found so far is
    returned with ``interrupted`` set. ``params.seed`` fixes the neighbourhood choices.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"Expected strategy in {STRATEGIES}, got {strategy!r}")
    run = _Run(instance, params, on_progress)
    try:
        if strategy == "cpsat":
            return _solve_cpsat(run, shares or PhaseShares(periods=0.8, rooms=0.2))
        return _solve_lns(run, shares or PhaseShares(), settings or LnsSettings())
    except KeyboardInterrupt:  # between two CP-SAT runs: keep what was found
        if run.best is not None:
            return run.result(*run.best, True, strategy)
        if run.best_periods is not None:
            return run.finish_periods(run.best_periods, True, strategy)
        return run.result(None, None, True, strategy)


def _solve_lns(run: _Run, shares: PhaseShares, settings: LnsSettings) -> CbcttResult:
    """Feasible periods, LNS over periods, rooms, LNS over periods and rooms."""
    instance, params, strategy = run.instance, run.params, "lns"

    # 1. A first feasible period assignment (the time model without objective).
    periods, interrupted = run.first_periods(params.seed)
    if periods is None:
        return run.result(None, None, interrupted, strategy)
    run.best_periods = periods
    run.first_time = run.elapsed()
    if interrupted:
        return run.finish_periods(periods, interrupted, strategy)

    # 2. Large-neighbourhood search over periods, rooms handled by counting. A search that has
    #    stopped improving is restarted from a new first timetable while the phase lasts (runs
    #    stall in local optima of very different quality); the best periods are kept.
    first = search(
        CbcttAdapter(instance, settings, periods_only=True,
                     restart=partial(run.restart_periods, kick=shares.kick)),
        periods, params,
        replace(settings.search, patience=run.patience(shares.stagnation),
                restarts=shares.restarts),
        deadline=run.phase_deadline(shares.periods), clock_start=run.start, lower_bound=0,
        on_progress=run.on_progress, phase="periods", restart_phase="restart",
    )
    periods = first.state  # type: ignore[assignment]
    run.best_periods = periods
    run.restarts = first.restarts
    run.periods_cost = first.cost  # type: ignore[assignment]
    if first.interrupted:
        return run.finish_periods(periods, True, strategy)

    # 3. Rooms by a capacity-optimal matching, settled period by period for fewer rooms per
    #    course, then large-neighbourhood search over periods and rooms.
    timetable = assign_rooms(instance, periods)
    if shares.settle:
        timetable = settle_rooms(instance, timetable, deadline=run.settle_deadline(),
                                 stop=stop_requested, seed=params.seed)
    cost = timetable_cost(instance, timetable)
    run.best = (timetable, cost)
    run.improved(cost)
    outcome = search(
        CbcttAdapter(instance, settings, periods_only=False), timetable, params,
        settings.search, seed=params.seed + 1, cost=cost, deadline=run.deadline,
        clock_start=run.start, lower_bound=0, solutions=run.solutions,
        on_progress=run.on_progress,
    )
    for elapsed, value in outcome.history:
        run.trace.append(TracePoint(elapsed, value, None))  # type: ignore[arg-type]
        run.best_time = elapsed
    operators = {f"periods/{k}": v for k, v in first.operators.items()}
    operators.update({f"lns/{k}": v for k, v in outcome.operators.items()})
    run.merges = {"periods": (first.merged, first.discarded),
                  "lns": (outcome.merged, outcome.discarded)}
    return run.result(
        outcome.state, outcome.cost, outcome.interrupted, strategy,  # type: ignore[arg-type]
        first.iterations + outcome.iterations, operators)


def _solve_cpsat(run: _Run, shares: PhaseShares) -> CbcttResult:
    """The plain CP-SAT baseline: the time model with its objective, then every room at once."""
    periods, bound, interrupted = run.periods(
        _share(run.params.time_limit, shares.periods, shares.min_periods))
    if periods is None:
        return run.result(None, None, interrupted, "cpsat")
    timetable = assign_rooms(run.instance, periods)
    cost = timetable_cost(run.instance, timetable)
    run.best = (timetable, cost)
    run.improved(cost)
    if not interrupted:
        timetable, cost, interrupted = run.rooms(timetable, cost, run.remaining(None))
    return run.result(timetable, cost, interrupted, "cpsat", bound=bound)


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
        self.status = SolveStatus.UNKNOWN
        self.periods_cost: int | None = None
        self.merges: dict[str, tuple[int, int]] = {}
        self.best: tuple[Timetable, int] | None = None  # complete timetable and its UD2 cost
        self.best_periods: Periods | None = None
        self.restarts = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def remaining(self, wanted: float | None) -> float | None:
        if self.deadline is None:
            return wanted
        left = max(0.05, self.deadline - time.perf_counter())
        return left if wanted is None else min(wanted, left)

    def out_of_time(self) -> bool:
        """True once a stop is requested or the time limit has passed."""
        return stop_requested() or (self.deadline is not None
                                    and time.perf_counter() > self.deadline)

    def phase_deadline(self, share: float) -> float | None:
        """The end of a phase allowed ``share`` of the time limit (``None``: no limit)."""
        if self.params.time_limit is None:
            return None
        return time.perf_counter() + share * self.params.time_limit

    def settle_deadline(self) -> float | None:
        """When settling rooms must end: after a fifth of the time left, so that the search
        over periods and rooms keeps most of it (settling gains most in its first seconds)."""
        if self.deadline is None:
            return None
        now = time.perf_counter()
        return now + SETTLE_SHARE * max(0.0, self.deadline - now)

    def patience(self, share: float) -> float | None:
        """Seconds without improvement after which a phase gives up."""
        return None if self.params.time_limit is None else share * self.params.time_limit

    def forward(self, phase: str) -> ProgressCallback:
        offset = self.elapsed()

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
        self.trace.append(TracePoint(now, cost, None))

    def _params(self, limit: float | None, **extra: Any) -> SolverParams:
        p = self.params
        return SolverParams(limit, p.workers, p.seed, p.log_search, {**p.extra, **extra})

    def first_periods(self, seed: int) -> tuple[Periods | None, bool]:
        """A feasible period assignment from the time model without objective (none, when
        building the model outlasts the time limit or a stop is requested meanwhile)."""
        try:
            tm = build_feasibility_model(self.instance, self.out_of_time)
        except BuildStopped:
            return None, stop_requested()
        params = self._params(self.remaining(None), stop_after_first_solution=True)
        solver, stats = run_cpsat(tm.model, replace(params, seed=seed),
                                  on_progress=self.forward("first"))
        self.status = stats.status
        if not stats.has_solution:
            return None, stats.interrupted
        return tm.periods(solver), stats.interrupted

    def restart_periods(self, attempt: int, best: Periods, kick: float = 0.0) -> Periods | None:
        """The start of restart ``attempt`` of the period search: ``best`` kicked (``kick``
        > 0, when the kick finds periods), else a new first period assignment."""
        seed = self.params.seed + attempt
        periods, interrupted = (kicked(self.instance, best, kick, random.Random(seed),
                                       self.remaining(None)) if kick > 0 else (None, False))
        if periods is None and not interrupted:
            periods, interrupted = self.first_periods(seed)
        if interrupted:
            raise KeyboardInterrupt
        return periods

    def finish_periods(self, periods: Periods, interrupted: bool, strategy: str) -> CbcttResult:
        """Complete periods with rooms and report (when stopped before the last phase)."""
        timetable = assign_rooms(self.instance, periods)
        cost = timetable_cost(self.instance, timetable)
        self.improved(cost)
        return self.result(timetable, cost, interrupted, strategy)

    def periods(self, limit: float | None) -> tuple[Periods | None, int | None, bool]:
        """Run the time model with its objective; return periods, lower bound, interrupted."""
        try:
            tm = build_time_model(self.instance, stop=self.out_of_time)
        except BuildStopped:
            return None, None, stop_requested()
        first: list[float] = []
        lock = threading.Lock()

        def on_solution(_: cp_model.CpSolverSolutionCallback) -> None:
            with lock:
                if not first:
                    first.append(self.elapsed())

        solver, stats = run_cpsat(tm.model, self._params(self.remaining(limit)),
                                  on_progress=self.forward("periods"), on_solution=on_solution)
        self.status = stats.status
        bound = None
        if stats.best_bound is not None and stats.status != SolveStatus.INFEASIBLE:
            bound = max(0, math.ceil(stats.best_bound - 1e-6))
        if not stats.has_solution:
            return None, bound, stats.interrupted
        self.first_time = first[0] if first else self.elapsed()
        return tm.periods(solver), bound, stats.interrupted

    def rooms(self, timetable: Timetable, cost: int,
              limit: float | None) -> tuple[Timetable, int, bool]:
        """Re-assign every room with periods fixed; keep the result if it is better."""
        release = Release(
            frozenset((c, p) for c, lectures in enumerate(timetable) for p, _ in lectures),
            periods={c: frozenset(p for p, _ in ls) for c, ls in enumerate(timetable) if ls},
            name="rooms",
        )
        pm = build_placement_model(self.instance, timetable, release)
        solver, stats = run_cpsat(pm.model, self._params(limit),
                                  on_progress=self.forward("rooms"))
        if stats.has_solution and stats.objective is not None and stats.objective < cost:
            # cost the solution itself: CP-SAT's value is that of its presolved model
            new = pm.timetable(solver)
            exact = timetable_cost(self.instance, new)
            if exact < cost:
                timetable, cost = new, exact
                self.improved(cost)
        return timetable, cost, stats.interrupted

    def result(self, timetable: Timetable | None, cost: int | None, interrupted: bool,
               strategy: str, iterations: int = 0,
               operators: dict[str, OperatorStats] | None = None,
               bound: int | None = None) -> CbcttResult:
        if timetable is None or cost is None:
            status = (SolveStatus.INFEASIBLE if self.status == SolveStatus.INFEASIBLE
                      else SolveStatus.UNKNOWN)
        else:
            bound = 0 if bound is None else bound  # UD2 costs are never negative
            status = SolveStatus.OPTIMAL if cost <= bound else SolveStatus.FEASIBLE
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
            periods_cost=self.periods_cost,
            restarts=self.restarts,
            merges=self.merges,
            trace=tuple(self.trace),
            operators={name: s.as_dict() for name, s in (operators or {}).items()},
        )

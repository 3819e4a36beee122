"""Running a CP-SAT model: parameters, progress reporting, interruption, run statistics and
infeasibility cores.

Every solving mode of the project (term timetables, CB-CTT) goes through :func:`run_cpsat`, so
progress display, stopping on request (Ctrl-C, see :mod:`scheduler.interrupt`) and the figures
written to ``summary.json`` behave the same.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import numbers
import os
import sys
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

from scheduler import interrupt
from scheduler.interrupt import StopToken
from scheduler.progress import Progress, ProgressCallback, relative_gap


class SolveStatus(StrEnum):
    """How a search ended, named as CP-SAT names it (a string, so JSON shows the name).

    ``FEASIBLE``: a solution whose optimality is not proven; ``UNKNOWN``: none found in time
    (or before an interrupt); ``INFEASIBLE``: proven that none exists.
    """

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    MODEL_INVALID = "MODEL_INVALID"

    @property
    def has_solution(self) -> bool:
        """True for ``OPTIMAL`` and ``FEASIBLE``."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


STATUS_NAMES = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}


@dataclass(frozen=True)
class SolverParams:
    """What the user controls about a search.

    ``workers=0`` means one worker per CPU core; ``time_limit=None`` means no limit.
    ``log_search``: CP-SAT's search log, each line an INFO record of the logger
    :data:`SEARCH_LOG` (``scheduler.cpsat``; configure :mod:`logging` to see it: the library
    prints nothing). ``extra`` holds further CP-SAT parameters by their protobuf names.
    """

    time_limit: float | None = None
    workers: int = 0
    seed: int = 0
    log_search: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Raise :class:`ValueError` for a negative or NaN ``time_limit``, a negative
        ``workers`` and a key of ``extra`` that CP-SAT has no parameter for."""
        if self.time_limit is not None and not self.time_limit >= 0:
            raise ValueError(f"time_limit must be at least 0 seconds, or None for no limit; "
                             f"got {self.time_limit!r}")
        if isinstance(self.workers, bool) or not isinstance(self.workers, numbers.Integral) \
                or self.workers < 0:
            raise ValueError(f"workers must be a whole number, at least 0 (0: one per CPU "
                             f"core); got {self.workers!r}")
        known = sat_parameters_pb2.SatParameters.DESCRIPTOR.fields_by_name
        unknown = sorted(str(name) for name in self.extra if name not in known)
        if unknown:
            raise ValueError(f"CP-SAT has no parameter {', '.join(map(repr, unknown))} (extra "
                             f"takes the names of its SatParameters, e.g. 'num_workers')")

    def resolved_workers(self) -> int:
        """The number of workers actually used."""
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)

    def as_dict(self) -> dict[str, Any]:
        """Parameters as written to ``summary.json``."""
        return {
            "time_limit": self.time_limit,
            "workers": self.resolved_workers(),
            "seed": self.seed,
            **dict(self.extra),
        }


@dataclass(frozen=True)
class TracePoint:
    """Objective and bound at one moment of the search (for benchmark plots)."""

    elapsed: float
    objective: float | None
    bound: float | None


@dataclass(frozen=True)
class RunStats:
    """What a CP-SAT run achieved, independent of the problem solved."""

    status: SolveStatus
    objective: float | None
    best_bound: float | None
    wall_time: float
    time_to_first: float | None
    solutions: int
    interrupted: bool
    num_variables: int
    num_constraints: int
    params: Mapping[str, Any]
    trace: tuple[TracePoint, ...] = ()

    @property
    def gap(self) -> float | None:
        """Relative gap between the best objective and the best bound."""
        return relative_gap(self.objective, self.best_bound)

    @property
    def has_solution(self) -> bool:
        """True when the solver holds a solution (optimal or not)."""
        return self.status.has_solution

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view, as written to ``summary.json``."""
        return {
            "status": self.status,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "gap": self.gap,
            "solve_time": round(self.wall_time, 3),
            "time_to_first_solution": (
                None if self.time_to_first is None else round(self.time_to_first, 3)
            ),
            "solutions": self.solutions,
            "interrupted": self.interrupted,
            "model_size": {
                "variables": self.num_variables,
                "constraints": self.num_constraints,
            },
            "solver_parameters": dict(self.params),
        }


class _Monitor(cp_model.CpSolverSolutionCallback):
    """Counts solutions, records their times and forwards progress events."""

    def __init__(
        self,
        on_progress: ProgressCallback | None,
        on_solution: Callable[[cp_model.CpSolverSolutionCallback], None] | None,
        has_objective: bool,
        phase: str = "search",
        time_offset: float = 0.0,
    ) -> None:
        super().__init__()
        self._phase = phase
        self._offset = time_offset
        self._on_progress = on_progress
        self._on_solution = on_solution
        self._has_objective = has_objective
        self._start = time.perf_counter()
        self._lock = threading.Lock()
        self.solutions = 0
        self.time_to_first: float | None = None
        self.objective: float | None = None
        self.bound: float | None = None
        self.trace: list[TracePoint] = []

    def elapsed(self) -> float:
        return time.perf_counter() - self._start

    def on_solution_callback(self) -> None:
        with self._lock:
            now = self.elapsed()
            self.solutions += 1
            if self.time_to_first is None:
                self.time_to_first = now
            if self._has_objective:
                self.objective = self.objective_value
                self.bound = self.best_objective_bound
            self.trace.append(TracePoint(now, self.objective, self.bound))
            if self._on_solution is not None:
                self._on_solution(self)
            self._emit(now)

    def on_bound(self, bound: float) -> None:
        with self._lock:
            self.bound = bound
            now = self.elapsed()
            self.trace.append(TracePoint(now, self.objective, bound))
            self._emit(now)

    def tick(self) -> None:
        """Emit a progress event so that displays can show the clock moving."""
        with self._lock:
            self._emit(self.elapsed())

    def _emit(self, now: float) -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(now + self._offset, self.solutions, self.objective,
                                       self.bound, self._phase))


SEARCH_LOG = logging.getLogger("scheduler.cpsat")
"""Where CP-SAT's search log goes when ``SolverParams.log_search`` is set."""


def _log_line(line: str) -> None:
    SEARCH_LOG.info("%s", line)


def configure_solver(params: SolverParams) -> cp_model.CpSolver:
    """A solver with the user's parameters applied."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    if params.time_limit is not None:
        p.max_time_in_seconds = float(params.time_limit)
    p.num_workers = params.resolved_workers()
    p.random_seed = int(params.seed)
    p.log_search_progress = params.log_search
    if params.log_search:  # to logging, not to the standard output (file descriptor 1)
        p.log_to_stdout = False
        solver.log_callback = _log_line
    p.catch_sigint_signal = False
    for name, value in params.extra.items():
        if isinstance(value, (list, tuple)):
            field_ = getattr(p, name)
            field_.clear()
            field_.extend(value)
        else:
            setattr(p, name, value)
    return solver


POLL_SECONDS = 0.05
"""How often a waiting search checks for a stop request."""


def _search(solver: cp_model.CpSolver, model: cp_model.CpModel, monitor: _Monitor,
            tick_seconds: float, token: StopToken | None) -> tuple[Any, bool]:
    """Solve in a worker thread while this one waits, ticking ``monitor``.

    A stop request of ``token`` (or a ``KeyboardInterrupt`` here, when no signal handler
    is installed) stops the search; so does an error in this thread (e.g. in a progress
    display), which is then re-raised. Either way the worker has ended before this returns
    (a CP-SAT thread left running would abort the interpreter at exit). Returns CP-SAT's
    status code and whether the search was interrupted.
    """
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def search() -> None:
        try:
            outcome["status"] = solver.solve(model, monitor)
        except BaseException as exc:  # re-raised in the calling thread
            outcome["error"] = exc
        finally:
            done.set()

    # Waiting on an event, not on Thread.join: a KeyboardInterrupt landing inside join() can
    # mark a running thread as finished.
    worker = threading.Thread(target=search, name="cpsat-search", daemon=True)
    interrupted = False
    next_tick = time.perf_counter() + tick_seconds
    worker.start()
    try:
        while not done.is_set():
            try:
                if done.wait(POLL_SECONDS):
                    break
                if interrupted or (token is not None and token.requested):
                    solver.stop_search()  # again at every poll: a no-op until solve() starts
                if time.perf_counter() >= next_tick:
                    next_tick += tick_seconds
                    monitor.tick()
            except KeyboardInterrupt:
                interrupted = True
                solver.stop_search()
    finally:
        _finish(solver, worker, done)
    if "error" in outcome:
        raise outcome["error"]
    interrupted = interrupted or (token is not None and token.requested)
    return outcome["status"], interrupted


def _finish(solver: cp_model.CpSolver, worker: threading.Thread, done: threading.Event) -> None:
    """Stop the search if it still runs and wait until its thread has ended."""
    while not done.is_set():
        try:
            solver.stop_search()
            done.wait(POLL_SECONDS)
        except KeyboardInterrupt:
            continue
    worker.join()


def run_cpsat(
    model: cp_model.CpModel,
    params: SolverParams,
    on_progress: ProgressCallback | None = None,
    on_solution: Callable[[cp_model.CpSolverSolutionCallback], None] | None = None,
    tick_seconds: float = 0.25,
    phase: str = "search",
    time_offset: float = 0.0,
    stoppable: bool = True,
) -> tuple[cp_model.CpSolver, RunStats]:
    """Solve ``model`` and return the solver (holding the best solution) with run statistics.

    The search runs in a worker thread while this thread waits. A stop request
    (:mod:`scheduler.interrupt`; or Ctrl-C as a ``KeyboardInterrupt`` when no handler is
    installed) stops the search, and the best solution found so far stays available in the
    returned solver with ``RunStats.interrupted`` set; once a stop has been requested, a
    search stops as soon as it starts. ``stoppable=False`` runs to the end regardless (quick
    evaluations whose result the interrupted job still needs).
    ``on_progress`` receives a :class:`Progress` at every improving solution, every bound
    improvement and every ``tick_seconds``, labelled with ``phase`` and with ``time_offset``
    added to the elapsed time (for multi-phase solves).
    """
    solver = configure_solver(params)
    proto = model.proto
    token = interrupt.active() if stoppable else None
    has_objective = model.has_objective()
    monitor = _Monitor(on_progress, on_solution, has_objective, phase, time_offset)
    if has_objective:
        solver.best_bound_callback = monitor.on_bound
    code, interrupted = _search(solver, model, monitor, tick_seconds, token)
    trim_heaps()  # the search's memory is freed: its heaps give it back
    status = STATUS_NAMES.get(code, SolveStatus.UNKNOWN)
    objective = solver.objective_value if has_objective and status.has_solution else None
    bound = solver.best_objective_bound if has_objective else None
    if has_objective and status == SolveStatus.INFEASIBLE:
        bound = None
    stats = RunStats(
        status=status,
        objective=objective,
        best_bound=bound,
        wall_time=solver.wall_time,
        time_to_first=monitor.time_to_first,
        solutions=monitor.solutions,
        interrupted=interrupted,
        num_variables=len(proto.variables),
        num_constraints=len(proto.constraints),
        params=params.as_dict(),
        trace=tuple(monitor.trace),
    )
    return solver, stats


Key = TypeVar("Key", bound=Hashable)


def assumption_core(model: cp_model.CpModel, assumptions: Mapping[Key, cp_model.IntVar],
                    params: SolverParams) -> tuple[SolveStatus, set[Key]]:
    """Solve ``model`` assuming every literal of ``assumptions`` true (in their order,
    replacing the model's earlier assumptions).

    Returns the status and, when ``INFEASIBLE``, the keys of assumptions that already cannot
    all hold together (CP-SAT's ``sufficient_assumptions_for_infeasibility``; empty when the
    model is infeasible whatever is assumed). The set is not necessarily minimal.
    """
    model.clear_assumptions()
    model.add_assumptions(list(assumptions.values()))
    solver, stats = run_cpsat(model, params)
    if stats.status != SolveStatus.INFEASIBLE:
        return stats.status, set()
    by_index = {literal.index: key for key, literal in assumptions.items()}
    return stats.status, {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                          if i in by_index}


def release_memory() -> None:
    """Give back what the searches before left behind: collect the garbage (each ortools
    ``CpModel`` keeps bound methods of itself, a reference cycle, so a dropped model and its
    C++ proto wait for the collector) and return the free heap pages to the operating system
    (:func:`trim_heaps`). Takes a moment on a large term (a collection of the whole heap):
    call it between the steps of a solve, not inside them."""
    gc.collect()
    trim_heaps()


def trim_heaps() -> None:
    """Return the free pages of every heap to the operating system (glibc's
    ``malloc_trim``; nothing where there is no glibc). Each CP-SAT search runs in threads of
    its own, which glibc serves from heaps (arenas) of their own; without this, every heap
    keeps the largest search it served resident (8x term: large-neighbourhood search at
    770 MB, of which about 300 MB were free pages)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` (not Linux, or another C library)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim

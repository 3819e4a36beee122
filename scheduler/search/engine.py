"""The adaptive large-neighbourhood search: :func:`search`.

Each iteration of a search thread draws a destroy operator by the roulette, asks it for a
release of the operator's current size, and lets the adapter re-solve that release with one
CP-SAT worker, the rest of the state fixed and the state as a complete hint. A result no
worse than the state is accepted (equal costs too, so the search drifts across plateaus). A
result computed on a state another thread has changed meanwhile is merged by the adapter when
it still fits and is still no worse. A search that stagnates ends, or restarts from the
adapter's new start; the best state over all starts is kept.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Generic

from scheduler.cpsat import SolverParams
from scheduler.interrupt import StopToken
from scheduler.progress import Progress, ProgressCallback
from scheduler.search.adapter import Adapter, Cost, Release, State, SubResult, below
from scheduler.search.interrupt import guarded, scope, wait_for
from scheduler.search.roulette import OperatorStats, Roulette
from scheduler.search.settings import SearchSettings

MERGE_ATTEMPTS = 3
"""How often a result is merged again when the state keeps changing under the merge."""


@dataclass(frozen=True)
class SearchOutcome(Generic[State]):
    """The best state found, its cost and how the search went.

    ``history`` holds (seconds since the clock start, cost) at each improvement of the best
    state; ``operators`` the statistics of the start that gave the best state; ``work`` the
    CP-SAT deterministic time spent; ``merged``/``discarded`` count results computed on an
    outdated state that were merged / no longer fitted or were worse; ``model_size`` is the
    median (variables, constraints) of the sub-models solved.
    """

    state: State
    cost: Cost
    iterations: int
    improvements: int
    interrupted: bool
    history: tuple[tuple[float, Cost], ...]
    operators: dict[str, OperatorStats] = field(default_factory=dict)
    work: float = 0.0
    merged: int = 0
    discarded: int = 0
    restarts: int = 0
    model_size: tuple[int, int] | None = None


def search(
    adapter: Adapter[State, Release],
    start: State,
    params: SolverParams,
    settings: SearchSettings | None = None,
    *,
    seed: int | None = None,
    cost: Cost | None = None,
    deadline: float | None = None,
    clock_start: float | None = None,
    lower_bound: Cost | None = None,
    solutions: int = 0,
    on_progress: ProgressCallback | None = None,
    phase: str = "lns",
    restart_phase: str = "restart",
) -> SearchOutcome[State]:
    """Improve the complete state ``start`` (of cost ``cost``, computed when not given) until
    ``deadline`` (a :func:`time.perf_counter` value; ``None``: until interrupted or another
    limit of ``settings``), or until the cost reaches ``lower_bound``.

    ``params`` are the caller's CP-SAT parameters: their ``extra`` entries reach every
    sub-problem, their workers give the number of search threads unless ``settings`` says.
    ``seed`` (default ``params.seed``) fixes the random choices; start ``k`` draws from
    ``random.Random(seed + 1000 * k)``, so with one thread and deterministic limits a search
    is reproducible. Progress events carry the seconds since ``clock_start`` (default: now),
    ``solutions`` plus the improvements found, and ``phase`` (``restart_phase`` after a
    restart). A stop request (Ctrl-C, SIGTERM; :mod:`scheduler.search.interrupt`) stops the
    threads and their CP-SAT runs; the best state found is returned with ``interrupted``
    set.
    """
    settings = settings or SearchSettings()
    seed = params.seed if seed is None else seed
    clock_start = time.perf_counter() if clock_start is None else clock_start
    state, value = start, adapter.cost(start) if cost is None else cost
    totals = _Totals(solutions)
    best: _Run[State, Release] | None = None
    attempt = runs = 0
    with scope() as token:
        while True:
            runs += 1
            run = _Run(adapter, state, value, params, settings,
                       random.Random(seed + 1000 * attempt), deadline, clock_start,
                       lower_bound, totals, on_progress,
                       phase if attempt == 0 else restart_phase, token)
            run.run()
            if best is None or below(run.cost, best.cost):
                best = run
            if not _restart_allowed(run, best, settings, deadline, lower_bound, totals):
                break
            attempt += 1
            fresh, stopped = guarded(token, adapter.restart, attempt, best.state, best.cost)
            if stopped:
                best.interrupted = True
            if fresh is None or stopped:
                break
            state, value = fresh, adapter.cost(fresh)
    sizes = totals.sizes
    return SearchOutcome(
        best.state, best.cost, totals.iterations, totals.solutions - solutions,
        best.interrupted or run.interrupted, tuple(best.history), best.roulette.stats,
        totals.work, totals.merged, totals.discarded, runs - 1,
        None if not sizes else (round(statistics.median(v for v, _ in sizes)),
                                round(statistics.median(c for _, c in sizes))))


def _restart_allowed(run: _Run, best: _Run, settings: SearchSettings, deadline: float | None,
                     lower_bound: Cost | None, totals: _Totals) -> bool:
    """After a start that stagnated: may another start begin?"""
    if run.interrupted or not run.stagnated or not settings.restarts:
        return False
    if lower_bound is not None and not below(lower_bound, best.cost):
        return False
    if deadline is not None and time.perf_counter() > deadline - settings.min_restart_seconds:
        return False
    if settings.work_limit is not None and totals.work >= settings.work_limit:
        return False
    return settings.max_iterations is None or totals.iterations < settings.max_iterations


@dataclass
class _Totals:
    """Counters over every start of one search (changed under a start's lock)."""

    solutions: int
    iterations: int = 0
    work: float = 0.0
    merged: int = 0
    discarded: int = 0
    sizes: list[tuple[int, int]] = field(default_factory=list)


class _Run(Generic[State, Release]):
    """One start: the threads and the state they share; every change happens under
    ``lock``."""

    def __init__(self, adapter: Adapter[State, Release], state: State, cost: Cost,
                 params: SolverParams, settings: SearchSettings, rng: random.Random,
                 deadline: float | None, clock_start: float, lower_bound: Cost | None,
                 totals: _Totals, on_progress: ProgressCallback | None, phase: str,
                 token: StopToken) -> None:
        self.adapter = adapter
        self.state = state
        self.cost = cost
        self.version = 0
        self.params = params
        self.settings = settings
        self.deadline = deadline
        self.clock_start = clock_start
        self.lower_bound = lower_bound
        threads = settings.threads or params.resolved_workers()
        self.seeds = [rng.randrange(2**31) for _ in range(threads)]
        self.totals = totals
        self.on_progress = on_progress
        self.phase = phase
        self.token = token
        self.operators = adapter.operators()
        self.roulette = Roulette(self.operators, settings)
        self.history: list[tuple[float, Cost]] = []
        self.interrupted = False
        self.stagnated = False
        self.stop = False
        self.last_gain = time.perf_counter()
        self.lock = threading.Lock()

    def run(self) -> None:
        done = [threading.Event() for _ in self.seeds]
        threads = [threading.Thread(target=self._worker, args=(seed, event), daemon=True,
                                    name=f"lns-{i}")
                   for i, (seed, event) in enumerate(zip(self.seeds, done, strict=True))]
        for t in threads:
            t.start()
        if wait_for(done, self.token, threads=threads):
            self.interrupted = True

    def _done(self) -> bool:
        if self.token.requested:
            self.stop = self.interrupted = True
        now = time.perf_counter()
        s, totals = self.settings, self.totals
        if s.patience is not None and now - self.last_gain > s.patience:
            self.stagnated = True
        return (
            self.stop
            or self.stagnated
            or (self.lower_bound is not None and not below(self.lower_bound, self.cost))
            or (self.deadline is not None and now >= self.deadline - s.min_sub_seconds)
            or (s.max_iterations is not None and totals.iterations >= s.max_iterations)
            or (s.work_limit is not None and totals.work >= s.work_limit)
        )

    def _emit(self, cost: Cost | None = None) -> None:
        if self.on_progress is None:
            return
        best = self.cost if cost is None or below(self.cost, cost) else cost
        bound = None if self.lower_bound is None else self.adapter.scalar(self.lower_bound)
        self.on_progress(Progress(time.perf_counter() - self.clock_start, self.totals.solutions,
                                  self.adapter.scalar(best), bound, phase=self.phase))

    def _worker(self, seed: int, done: threading.Event) -> None:
        try:
            self._search(random.Random(seed))
        finally:
            done.set()

    def _search(self, rng: random.Random) -> None:
        settings = self.settings
        while True:
            with self.lock:
                if self._done():
                    return
                name = self.roulette.pick(rng)
                size = self.roulette.size(name)
                base, base_cost, base_version = self.state, self.cost, self.version
            started = time.perf_counter()
            release = self.operators[name](base, rng, size)
            if release is None:
                with self.lock:
                    self.roulette.nothing_released(name)
                continue
            limit = settings.sub_time_limit
            if self.deadline is not None:
                limit = min(limit, self.deadline - time.perf_counter())
                if limit <= settings.min_sub_seconds:
                    return
            sub = SolverParams(limit, 1, rng.randrange(2**31), self.params.log_search,
                               self._sub_parameters())
            result = self.adapter.solve(base, base_cost, release, sub, self._emit)
            gain = self._commit(result, base, base_cost, base_version, release)
            with self.lock:
                self.totals.iterations += 1
                self.totals.work += result.work
                if result.size is not None:
                    self.totals.sizes.append(result.size)
                self.roulette.learn(name, gain, time.perf_counter() - started, result.optimal)
                if result.interrupted:
                    self.stop = self.interrupted = True
            self._emit()

    def _sub_parameters(self) -> dict[str, Any]:
        extra = {**self.settings.sub_parameters, **self.params.extra}
        if self.settings.sub_deterministic_limit is not None:
            extra["max_deterministic_time"] = self.settings.sub_deterministic_limit
        return extra

    def _commit(self, result: SubResult[State], base: State, base_cost: Cost,
                base_version: int, release: Release) -> float:
        """Apply a sub-problem's result; return its gain.

        A result computed on a state that another thread has changed meanwhile is merged by
        the adapter (outside the lock: a merge may take a moment) into the latest state, and
        applied if that state has not changed again meanwhile (else merged again, up to
        ``MERGE_ATTEMPTS`` times) and it is still no worse.
        """
        if result.state is None or result.cost is None or below(base_cost, result.cost):
            return 0.0
        state, cost, version, merged = result.state, result.cost, base_version, False
        for _ in range(MERGE_ATTEMPTS):
            with self.lock:
                if self.version == version:
                    if below(self.cost, cost):
                        self.totals.discarded += 1
                        return 0.0
                    self.totals.merged += merged
                    return self._apply(state, cost)
                current, version = self.state, self.version
            combined = self.adapter.merge(current, base, result.state, release)
            if combined is None:
                break
            state, cost, merged = combined, self.adapter.cost(combined), True
        with self.lock:
            self.totals.discarded += 1
        return 0.0

    def _apply(self, state: State, cost: Cost) -> float:
        """Make ``state`` (no worse) the current state (under the lock); return its gain."""
        gain = self.adapter.gain(self.cost, cost)
        improved = below(cost, self.cost)
        self.state, self.cost = state, cost
        self.version += 1
        if improved:
            now = time.perf_counter()
            self.last_gain = now
            self.totals.solutions += 1
            self.history.append((now - self.clock_start, cost))
        return gain

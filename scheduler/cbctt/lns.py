"""Large-neighbourhood search: release related lectures, re-solve them exactly with CP-SAT.

Each iteration picks a destroy operator (:mod:`scheduler.cbctt.neighbourhoods`) by an adaptive
roulette, builds the placement model of the released lectures with the rest of the timetable
fixed, and solves it with the current timetable as hint. The sub-model's objective is the UD2 cost
of the whole timetable, so a result is never worse; equal-cost results are accepted too, which
lets the search drift across plateaus. Each operator's neighbourhood size grows when its
sub-problems are solved to optimality and shrinks when they time out.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.model import (
    Periods,
    PlacementModel,
    TimeModel,
    Timetable,
    build_placement_model,
    build_time_model,
    periods_cost,
    timetable_cost,
)
from scheduler.cbctt.neighbourhoods import OPERATORS, ROOM_OPERATORS, course_costs
from scheduler.cbctt.rooms import assign_rooms
from scheduler.cpsat import SolverParams, SolveStatus, run_cpsat
from scheduler.interrupt import stop_requested
from scheduler.progress import Progress, ProgressCallback

# One worker with the full linear relaxation (cuts included) solves the small sub-problems to
# optimality several times faster than CP-SAT's default portfolio (measured in docs/cbctt.md).
SUB_SOLVER_PARAMETERS = {"linearization_level": 2}


@dataclass(frozen=True)
class LnsSettings:
    """Tuning of the search; the defaults are what the benchmark in ``docs/cbctt.md`` used."""

    operators: tuple[str, ...] = tuple(OPERATORS)
    initial_size: int = 30
    min_size: int = 6
    max_size: int = 600
    sub_time_limit: float = 10.0
    grow: float = 1.08
    shrink: float = 0.85
    reaction: float = 0.2  # weight of the latest outcome in an operator's score
    guided: bool = True  # seed neighbourhoods at costly courses
    unsettle: int = 0  # released lectures the sub-problem prefers to move at equal cost
    sub_deterministic_limit: float | None = 1.0  # per sub-problem, CP-SAT deterministic time
    max_iterations: int | None = None  # for experiments
    work_limit: float | None = None  # total CP-SAT deterministic time, for load-free experiments

    def __post_init__(self) -> None:
        unknown = [op for op in self.operators if op not in OPERATORS]
        if unknown or not self.operators:
            raise ValueError(f"Expected operators among {sorted(OPERATORS)}, got {unknown}")
        if not 0 < self.min_size <= self.initial_size <= self.max_size:
            raise ValueError("Expected 0 < min_size <= initial_size <= max_size")
        if self.sub_time_limit <= 0:
            raise ValueError("Expected sub_time_limit > 0")


@dataclass
class OperatorStats:
    """What one operator achieved: tries, improvements, cost removed, time spent."""

    tries: int = 0
    improvements: int = 0
    gain: int = 0
    seconds: float = 0.0
    size: float = 0.0
    score: float = 1.0


@dataclass(frozen=True)
class LnsOutcome:
    """The best timetable found, its cost and how the search went.

    After a search over periods only, ``timetable`` holds periods (``Periods``) and ``cost`` is
    the period model's cost (UD2 without room stability).
    """

    timetable: Timetable | Periods
    cost: int
    iterations: int
    interrupted: bool
    history: tuple[tuple[float, int], ...]  # (elapsed since the clock start, cost) at each gain
    operators: dict[str, OperatorStats] = field(default_factory=dict)
    work: float = 0.0  # CP-SAT deterministic time spent
    merged: int = 0  # results computed on an outdated timetable and merged into the current one
    discarded: int = 0  # such results that no longer fitted or were no longer better


def improve(
    instance: CbcttInstance,
    timetable: Timetable | Periods,
    cost: int,
    params: SolverParams,
    *,
    deadline: float | None,
    clock_start: float,
    lower_bound: int = 0,
    rng: random.Random | None = None,
    settings: LnsSettings | None = None,
    solutions: int = 0,
    on_progress: ProgressCallback | None = None,
    patience: float | None = None,
    periods_only: bool = False,
    phase: str = "lns",
) -> LnsOutcome:
    """Improve a feasible ``timetable`` of UD2 cost ``cost`` until ``deadline``.

    ``deadline`` and ``clock_start`` are :func:`time.perf_counter` values (``deadline=None``
    runs until interrupted or until ``lower_bound`` is reached). Progress events carry the time
    since ``clock_start``; ``solutions`` is the count of improving solutions found before.
    With ``periods_only`` the search moves periods with the time model (rooms by counting):
    ``timetable`` and the result are then periods per course, and costs leave out room stability.
    ``patience`` ends the search after that many seconds without improvement.

    ``params.workers`` searches run in parallel threads, each solving its sub-problems with one
    CP-SAT worker; a result computed on a timetable that another thread has changed since is
    merged when it still fits and is still better. With one worker the search is reproducible
    (sub-problems are limited in deterministic time) up to where the deadline stops it.
    """
    search = _Search(
        instance, timetable, cost, params, settings or LnsSettings(), deadline, clock_start,
        lower_bound, rng or random.Random(params.seed), solutions, on_progress, patience,
        periods_only, phase,
    )
    return search.run()


class _Search:
    """State shared by the search threads; every change happens under ``lock``."""

    def __init__(self, instance: CbcttInstance, timetable: Timetable | Periods, cost: int,
                 params: SolverParams, settings: LnsSettings, deadline: float | None,
                 clock_start: float, lower_bound: int, rng: random.Random, solutions: int,
                 on_progress: ProgressCallback | None, patience: float | None,
                 periods_only: bool, phase: str) -> None:
        self.instance = instance
        self.timetable = timetable
        self.cost = cost
        self.version = 0
        self.params = params
        self.settings = settings
        self.deadline = deadline
        self.clock_start = clock_start
        self.lower_bound = lower_bound
        self.seeds = [rng.randrange(2**31) for _ in range(params.resolved_workers())]
        self.solutions = solutions
        self.on_progress = on_progress
        self.patience = patience
        self.periods_only = periods_only
        self.phase = phase
        operators = [op for op in settings.operators
                     if not (periods_only and op in ROOM_OPERATORS)]
        self.stats = {op: OperatorStats(size=settings.initial_size) for op in operators}
        self.history: list[tuple[float, int]] = []
        self.iterations = 0
        self.work = 0.0
        self.merged = 0
        self.discarded = 0
        self.interrupted = False
        self.stop = False
        self.last_gain = time.perf_counter()
        self.lock = threading.Lock()

    def run(self) -> LnsOutcome:
        # Each thread sets its event when it ends. Waiting on events rather than Thread.join:
        # a KeyboardInterrupt landing inside join() can mark a running thread as finished.
        done = [threading.Event() for _ in self.seeds]
        threads = [threading.Thread(target=self._worker, args=(seed, event), daemon=True,
                                    name=f"cbctt-lns-{i}")
                   for i, (seed, event) in enumerate(zip(self.seeds, done, strict=True))]
        for t in threads:
            t.start()
        while not all(event.is_set() for event in done):
            try:
                for event in done:
                    event.wait(0.25)
            except KeyboardInterrupt:
                self.stop = self.interrupted = True  # the threads finish their sub-problem
        return LnsOutcome(self.timetable, self.cost, self.iterations, self.interrupted,
                          tuple(self.history), self.stats, self.work, self.merged,
                          self.discarded)

    def _done(self) -> bool:
        if stop_requested():  # Ctrl-C or SIGTERM: the CP-SAT runs stop too
            self.stop = self.interrupted = True
        now = time.perf_counter()
        s = self.settings
        return (
            self.stop
            or self.cost <= self.lower_bound
            or (self.deadline is not None and now >= self.deadline - 0.05)
            or (self.patience is not None and now - self.last_gain > self.patience)
            or (s.max_iterations is not None and self.iterations >= s.max_iterations)
            or (s.work_limit is not None and self.work >= s.work_limit)
        )

    def _emit(self, objective: float | None = None) -> None:
        if self.on_progress is not None:
            best = self.cost if objective is None else min(self.cost, objective)
            self.on_progress(Progress(time.perf_counter() - self.clock_start, self.solutions,
                                      best, self.lower_bound, phase=self.phase))

    def _forward(self, decode: Callable[[float], int]) -> ProgressCallback:
        """Progress of a sub-problem, reported as the search's progress."""
        def callback(event: Progress) -> None:
            self._emit(None if event.objective is None else decode(event.objective))
        return callback

    def _worker(self, seed: int, done: threading.Event) -> None:
        try:
            self._search(random.Random(seed))
        finally:
            done.set()

    def _search(self, rng: random.Random) -> None:
        inst, settings = self.instance, self.settings
        while True:
            with self.lock:
                if self._done():
                    return
                name = _pick(self.stats, rng)
                size = max(1, round(self.stats[name].size))
                base, base_cost, base_version = self.timetable, self.cost, self.version
            started = time.perf_counter()
            full = assign_rooms(inst, base) if self.periods_only else base  # type: ignore[arg-type]
            hot = course_costs(inst, full) if settings.guided else [0.0] * len(inst.courses)
            release = OPERATORS[name](inst, full, rng, size, hot)
            if not release.lectures:
                with self.lock:
                    op = self.stats[name]
                    op.size = min(settings.max_size, op.size * settings.grow)
                continue
            if settings.unsettle:
                picked = rng.sample(sorted(release.lectures),
                                    min(settings.unsettle, len(release.lectures)))
                release = replace(release, unsettle=frozenset(picked))
            built: TimeModel | PlacementModel
            if self.periods_only:
                built = build_time_model(inst, base, release)  # type: ignore[arg-type]
                model, extract = built.model, built.periods
            else:
                built = build_placement_model(inst, base, release)  # type: ignore[arg-type]
                model, extract = built.model, built.timetable
            limit = settings.sub_time_limit
            if self.deadline is not None:
                limit = min(limit, self.deadline - time.perf_counter())
                if limit <= 0.05:
                    return
            extra = {**SUB_SOLVER_PARAMETERS, **self.params.extra}
            if settings.sub_deterministic_limit is not None:
                extra["max_deterministic_time"] = settings.sub_deterministic_limit
            sub = SolverParams(limit, 1, rng.randrange(2**31), extra=extra)
            solver, run = run_cpsat(model, sub, on_progress=self._forward(built.cost))
            found = None
            if run.has_solution and run.objective is not None \
                    and built.cost(run.objective) <= base_cost:
                # CP-SAT's objective value can exceed the true cost of the solution it returns
                # (it is that of the presolved model): cost the solution itself.
                new = extract(solver)
                new_cost = (periods_cost(inst, new) if self.periods_only  # type: ignore[arg-type]
                            else timetable_cost(inst, new))  # type: ignore[arg-type]
                if new_cost <= base_cost:
                    found = new, new_cost
            with self.lock:
                self.iterations += 1
                self.work += solver.response_proto.deterministic_time
                gain = self._commit(found, base, base_version, release.lectures)
                _learn(self.stats[name], settings, gain, time.perf_counter() - started,
                       run.status == SolveStatus.OPTIMAL)
                if run.interrupted:
                    self.stop = self.interrupted = True
            self._emit()

    def _commit(self, found: tuple[Timetable | Periods, int] | None,
                base: Timetable | Periods, base_version: int,
                released: frozenset[tuple[int, int]]) -> int:
        """Apply a sub-problem's result (under the lock); return the cost it removed."""
        if found is None:
            return 0
        new, new_cost = found
        if base_version != self.version:  # another thread changed the timetable meanwhile
            merged = _merge(self.timetable, base, new, released)
            if merged is None or not _feasible(self.instance, merged, self.periods_only):
                self.discarded += 1
                return 0
            new = merged
            new_cost = (periods_cost(self.instance, merged) if self.periods_only  # type: ignore[arg-type]
                        else timetable_cost(self.instance, merged))  # type: ignore[arg-type]
            if new_cost > self.cost:
                self.discarded += 1
                return 0
            self.merged += 1
        if new_cost > self.cost:
            return 0
        gain = self.cost - new_cost
        self.timetable, self.cost = new, new_cost
        self.version += 1
        if gain:
            self.last_gain = time.perf_counter()
            self.solutions += 1
            self.history.append((time.perf_counter() - self.clock_start, new_cost))
        return gain


def _merge(current: Timetable | Periods, base: Timetable | Periods,
           new: Timetable | Periods, released: frozenset[tuple[int, int]]) -> list | None:
    """``current`` with the released lectures re-placed as in ``new``, or ``None``.

    ``None`` when another thread has moved one of the released lectures since ``base``.
    """
    merged = []
    for c, (now, was, then) in enumerate(zip(current, base, new, strict=True)):
        out = [lec for lec in was if _period(lec) in {p for cc, p in released if cc == c}]
        if not out:
            merged.append(now)
            continue
        if any(lec not in now for lec in out):
            return None
        kept = [lec for lec in was if lec not in out]
        placed = [lec for lec in then if lec not in kept]
        merged.append(tuple(sorted([lec for lec in now if lec not in out] + placed)))
    return merged


def _period(lecture: tuple[int, int] | int) -> int:
    return lecture[0] if isinstance(lecture, tuple) else lecture


def _feasible(instance: CbcttInstance, timetable: Sequence[Sequence[tuple[int, int] | int]],
              periods_only: bool) -> bool:
    """Hard constraints of a merged timetable (periods, conflicts, rooms)."""
    per_period: dict[int, int] = defaultdict(int)
    places: set[tuple[int, int]] = set()
    at: dict[int, set[int]] = defaultdict(set)
    for c, lectures in enumerate(timetable):
        periods = [_period(lec) for lec in lectures]
        if len(set(periods)) != len(periods) or len(periods) != instance.courses[c].lectures:
            return False
        for lec in lectures:
            p = _period(lec)
            if not instance.available[c][p]:
                return False
            per_period[p] += 1
            at[p].add(c)
            if not periods_only:
                if lec in places:
                    return False
                places.add(lec)  # type: ignore[arg-type]
    if any(n > len(instance.rooms) for n in per_period.values()):
        return False
    return all(len(courses & instance.conflicts[c]) == 0
               for courses in at.values() for c in courses)


def _pick(stats: dict[str, OperatorStats], rng: random.Random) -> str:
    """Roulette over the operators' scores."""
    names = list(stats)
    return rng.choices(names, weights=[stats[n].score for n in names])[0]


def _learn(op: OperatorStats, settings: LnsSettings, gain: int, spent: float,
           optimal: bool) -> None:
    op.tries += 1
    op.seconds += spent
    if gain:
        op.improvements += 1
        op.gain += gain
    reward = 0.2 + math.log1p(gain) / max(spent, 0.1)
    op.score = (1 - settings.reaction) * op.score + settings.reaction * reward
    factor = settings.grow if optimal else settings.shrink
    op.size = min(settings.max_size, max(settings.min_size, op.size * factor))

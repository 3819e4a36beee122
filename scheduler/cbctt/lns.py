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
import time
from dataclasses import dataclass, field

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.model import (
    Periods,
    Timetable,
    build_placement_model,
    build_time_model,
)
from scheduler.cbctt.neighbourhoods import OPERATORS, ROOM_OPERATORS, course_costs
from scheduler.cbctt.rooms import assign_rooms
from scheduler.cpsat import SolverParams, run_cpsat
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
    sub_deterministic_limit: float | None = 1.0  # per sub-problem, CP-SAT deterministic time
    max_iterations: int | None = None  # for experiments

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
    """
    settings = settings or LnsSettings()
    operators = [op for op in settings.operators
                 if not (periods_only and op in ROOM_OPERATORS)]
    rng = rng or random.Random(params.seed)
    stats = {op: OperatorStats(size=settings.initial_size) for op in operators}
    history: list[tuple[float, int]] = []
    iterations = 0
    interrupted = False

    def emit(objective: float | None = None) -> None:
        if on_progress is not None:
            best = cost if objective is None else min(cost, objective)
            on_progress(Progress(time.perf_counter() - clock_start, solutions, best,
                                 lower_bound, phase=phase))

    n_courses = len(instance.courses)
    last_gain = time.perf_counter()
    while cost > lower_bound:
        if settings.max_iterations is not None and iterations >= settings.max_iterations:
            break
        now = time.perf_counter()
        if deadline is not None and now >= deadline:
            break
        if patience is not None and now - last_gain > patience:
            break
        name = _pick(stats, rng)
        op = stats[name]
        full = assign_rooms(instance, timetable) if periods_only else timetable
        hot = course_costs(instance, full) if settings.guided else [0.0] * n_courses
        release = OPERATORS[name](instance, full, rng, max(1, round(op.size)), hot)
        if not release.lectures:
            op.size = min(settings.max_size, op.size * settings.grow)
            continue
        if periods_only:
            tm = build_time_model(instance, timetable, release)
            model, extract = tm.model, tm.periods
        else:
            pm = build_placement_model(instance, timetable, release)
            model, extract = pm.model, pm.timetable
        limit = settings.sub_time_limit
        if deadline is not None:
            limit = min(limit, deadline - time.perf_counter())
            if limit <= 0.05:
                break
        extra = {**SUB_SOLVER_PARAMETERS, **params.extra}
        if settings.sub_deterministic_limit is not None:
            extra["max_deterministic_time"] = settings.sub_deterministic_limit
        sub = SolverParams(limit, 1, rng.randrange(2**31), extra=extra)
        solver, run = run_cpsat(model, sub,
                                  on_progress=lambda p: emit(p.objective))
        iterations += 1
        spent = time.perf_counter() - now
        gain = 0
        if run.has_solution and run.objective is not None:
            new_cost = round(run.objective)
            if new_cost <= cost:
                gain = cost - new_cost
                timetable, cost = extract(solver), new_cost
                if gain:
                    last_gain = time.perf_counter()
                    solutions += 1
                    history.append((time.perf_counter() - clock_start, cost))
        _learn(op, settings, gain, spent, run.status == "OPTIMAL")
        emit()
        if run.interrupted:
            interrupted = True
            break
    return LnsOutcome(timetable, cost, iterations, interrupted, tuple(history), stats)


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

"""Large-neighbourhood search for CB-CTT: the model's adapter to the shared engine
(:mod:`scheduler.search`).

The engine draws a destroy operator (:mod:`scheduler.cbctt.neighbourhoods`) by its adaptive
roulette; the adapter builds the placement model (or, when only periods move, the time model)
of the released lectures with the rest of the timetable fixed as constants, and solves it with
the current timetable as hint. The sub-model's objective is the UD2 cost of the whole
timetable, so a result is never worse. A result computed on a timetable that another search
thread has changed since is merged when its lectures are untouched and the merged timetable
is still feasible.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from ortools.sat.python import cp_model

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.model import (
    Periods,
    PlacementModel,
    Release,
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
from scheduler.progress import Progress
from scheduler.search import Adapter, Cost, SearchSettings, SubResult
from scheduler.search.adapter import Operator, below

State = Timetable | Periods
"""A complete timetable (periods and rooms), or periods only when rooms are counted."""


@dataclass(frozen=True)
class LnsSettings:
    """The CB-CTT part of the search settings: which operators, whether neighbourhoods are
    seeded at costly courses (``guided``), how many released lectures the sub-problem prefers
    to move at equal cost (``unsettle``); ``search`` tunes the engine (its defaults are what
    the benchmark in ``docs/cbctt.md`` used: sizes in lectures, from 30 between 6 and 600)."""

    operators: tuple[str, ...] = tuple(OPERATORS)
    guided: bool = True
    unsettle: int = 0
    search: SearchSettings = field(default_factory=SearchSettings)

    def __post_init__(self) -> None:
        unknown = [op for op in self.operators if op not in OPERATORS]
        if unknown or not self.operators:
            raise ValueError(f"Expected operators among {sorted(OPERATORS)}, got {unknown}")


class CbcttAdapter(Adapter[State, Release]):
    """CB-CTT timetables as the engine's states.

    With ``periods_only`` the states are periods per course, the sub-problems time models
    (rooms by counting) and the costs leave out room stability; the room operators are then
    left out. ``restart(k, best)`` gives the start of restart ``k`` (periods only).
    """

    def __init__(self, instance: CbcttInstance, settings: LnsSettings, periods_only: bool,
                 restart: Callable[[int, Periods], Periods | None] | None = None) -> None:
        self.instance = instance
        self.settings = settings
        self.periods_only = periods_only
        self._restart = restart

    def operators(self) -> Mapping[str, Operator]:
        return {name: self._operator(name) for name in self.settings.operators
                if not (self.periods_only and name in ROOM_OPERATORS)}

    def _operator(self, name: str) -> Operator:
        inst, settings = self.instance, self.settings

        def release(state: State, rng: random.Random, size: int) -> Release | None:
            full = (assign_rooms(inst, cast(Periods, state)) if self.periods_only
                    else cast(Timetable, state))
            hot = course_costs(inst, full) if settings.guided else [0.0] * len(inst.courses)
            found = OPERATORS[name](inst, full, rng, size, hot)
            if not found.lectures:
                return None
            if settings.unsettle:
                picked = rng.sample(sorted(found.lectures),
                                    min(settings.unsettle, len(found.lectures)))
                found = replace(found, unsettle=frozenset(picked))
            return found
        return release

    def cost(self, state: State) -> int:
        if self.periods_only:
            return periods_cost(self.instance, state)  # type: ignore[arg-type]
        return timetable_cost(self.instance, state)  # type: ignore[arg-type]

    def solve(self, state: State, cost: Cost, release: Release, params: SolverParams,
              report: Callable[[Cost | None], None]) -> SubResult[State]:
        built: TimeModel | PlacementModel
        if self.periods_only:
            built = build_time_model(self.instance, state, release)  # type: ignore[arg-type]
            extract: Callable[[cp_model.CpSolver], State] = built.periods
        else:
            built = build_placement_model(self.instance, state, release)  # type: ignore[arg-type]
            extract = cast(Callable[[cp_model.CpSolver], State], built.timetable)

        def forward(event: Progress) -> None:
            report(None if event.objective is None else built.cost(event.objective))

        solver, run = run_cpsat(built.model, params, on_progress=forward)
        found, new_cost = None, None
        if run.has_solution and run.objective is not None and not below(
                cost, built.cost(run.objective)):
            # CP-SAT's objective value can exceed the true cost of the solution it returns
            # (it is that of the presolved model): cost the solution itself.
            new = extract(solver)
            exact = self.cost(new)
            if exact <= cost:  # type: ignore[operator]
                found, new_cost = new, exact
        return SubResult(found, new_cost, run.status == SolveStatus.OPTIMAL,
                         solver.response_proto.deterministic_time, run.interrupted,
                         (run.num_variables, run.num_constraints))

    def merge(self, current: State, base: State, new: State, release: Release) -> State | None:
        merged = merge_lectures(current, base, new, release.lectures)
        if merged is None or not feasible(self.instance, merged, self.periods_only):
            return None
        return cast(State, tuple(merged))

    def restart(self, attempt: int, best: State, best_cost: Cost) -> State | None:
        return None if self._restart is None else self._restart(attempt, cast(Periods, best))


def merge_lectures(current: State, base: State, new: State,
                   released: frozenset[tuple[int, int]]) -> list | None:
    """``current`` with the released lectures re-placed as in ``new``, or ``None``.

    ``None`` when another thread has moved one of the released lectures since ``base``.
    """
    merged = []
    rows = zip(cast(Sequence[Sequence[Lecture]], current),
               cast(Sequence[Sequence[Lecture]], base),
               cast(Sequence[Sequence[Lecture]], new), strict=True)
    for c, (now, was, then) in enumerate(rows):
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


Lecture = tuple[int, int] | int
"""A lecture: (period, room) in a timetable, its period alone in a period assignment."""


def _period(lecture: Lecture) -> int:
    return lecture[0] if isinstance(lecture, tuple) else lecture


def feasible(instance: CbcttInstance, timetable: Sequence[Sequence[tuple[int, int] | int]],
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

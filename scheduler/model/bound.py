"""A lower bound on the objective from independent parts of an instance.

Large-neighbourhood search finds timetables but proves nothing about them. The objective is a
sum of non-negative terms, and each term instance belongs to one cohort (the day terms), one
course (spread, intensive, option and room terms) or one teacher (visitors' days, week
imbalance). The instance is cut into parts that share no term instance: one part per cohort
(or per family of cohorts linked by shared courses) and one per teacher; see :func:`parts`.

Each part keeps only the hard rules among its own courses, so it is a relaxation: in any
timetable its terms cost at least the part's minimum, and at least any lower bound CP-SAT
proves for the part. The sum over parts bounds the whole objective from below. Cohort parts
are small (one cohort's courses), so CP-SAT usually solves them to optimality in moments.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus, run_cpsat
from scheduler.instance import Course, Instance
from scheduler.interrupt import stop_requested
from scheduler.model.builder import TimetableModel, leaf_cohorts
from scheduler.model.disjoint import DisjointSets
from scheduler.model.lns import restricted_options
from scheduler.model.objective import ObjectiveBuilder, Scope
from scheduler.model.options import OptionSet
from scheduler.progress import Progress, ProgressCallback

MIN_PART_SECONDS = 0.5
"""Least time given to a part (less rarely gets past CP-SAT's presolve)."""


@dataclass(frozen=True)
class Part:
    """Courses solved together, and the term instances (``scope``) the part carries."""

    name: str
    courses: tuple[str, ...]
    scope: Scope


@dataclass(frozen=True)
class PartBound:
    """What solving one part proved: its lower bound, its best value, whether optimal."""

    name: str
    courses: int
    options: int
    bound: int
    objective: int | None
    status: SolveStatus
    seconds: float


@dataclass(frozen=True)
class LowerBound:
    """The sum of the parts' bounds; ``complete`` is false when some part was not solved in
    time (it then counts 0, which is still a valid bound)."""

    value: int
    parts: tuple[PartBound, ...]
    complete: bool
    total_parts: int = 0

    @property
    def optimal_parts(self) -> int:
        """Parts whose minimum was proven (their bound cannot improve)."""
        return sum(p.status == SolveStatus.OPTIMAL for p in self.parts)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view, as written to ``summary.json``."""
        return {"value": self.value, "complete": self.complete,
                "parts_total": self.total_parts, "parts_solved": len(self.parts),
                "parts_optimal": self.optimal_parts,
                "parts": [asdict(p) for p in self.parts]}


def families(instance: Instance) -> list[list[Course]]:
    """Courses grouped by the cohorts they share (connected through sub-groups)."""
    linked = DisjointSets()
    leaves = {c.id: leaf_cohorts(instance, c) for c in instance.courses}
    for course in instance.courses:
        first, *rest = leaves[course.id]
        for leaf in rest:
            linked.union(first, leaf)
    groups: dict[object, list[Course]] = defaultdict(list)
    for course in instance.courses:
        groups[linked.find(leaves[course.id][0])].append(course)
    return sorted(groups.values(), key=lambda cs: (len(cs), cs[0].id))


def parts(instance: Instance, by: str = "leaf") -> list[Part]:
    """The parts of an instance: per cohort (``by="leaf"``) or per cohort family
    (``by="family"``), then one per teacher.

    A cohort part holds every course its cohort attends and carries the cohort's day terms
    and the course terms of the courses it owns (each course is owned by its first cohort);
    a family part carries all terms of its cohorts and courses. A teacher part holds the
    teacher's courses and carries only the per-teacher terms.
    """
    leaves = {c.id: leaf_cohorts(instance, c) for c in instance.courses}
    result = []
    if by == "family":
        for group in families(instance):
            own = sorted({leaf for c in group for leaf in leaves[c.id]})
            result.append(Part(f"cohorts {', '.join(own)}", tuple(c.id for c in group),
                               Scope(frozenset(own), frozenset(c.id for c in group),
                                     frozenset())))
    else:
        attended: dict[str, list[str]] = defaultdict(list)
        owned: dict[str, set[str]] = defaultdict(set)
        for course in instance.courses:
            for leaf in leaves[course.id]:
                attended[leaf].append(course.id)
            owned[leaves[course.id][0]].add(course.id)
        for leaf in sorted(attended):
            result.append(Part(f"cohort {leaf}", tuple(attended[leaf]),
                               Scope(frozenset((leaf,)), frozenset(owned[leaf]), frozenset())))
    for teacher in instance.teachers:
        courses = tuple(c.id for c in instance.courses if teacher.id in c.teachers)
        if courses:
            result.append(Part(f"teacher {teacher.id}", courses,
                               Scope(frozenset(), frozenset(), frozenset((teacher.id,)))))
    return result


def fingerprint(model: cp_model.CpModel) -> str:
    """A digest of a model without its names: parts with equal digests are the same problem
    (twin sub-groups of a cohort, teachers with the same courses) and have the same bound."""
    proto = model.clone().proto
    for variable in proto.variables:
        variable.name = ""
    for constraint in proto.constraints:
        constraint.name = ""
    return hashlib.sha256(str(proto).encode()).hexdigest()


def bound_params(params: SolverParams, time_limit: float) -> SolverParams:
    """Parameters for proving a part's bound: LP-heavy and core-based full searches."""
    workers = params.resolved_workers()
    subsolvers = ["max_lp", "core"][:max(1, min(2, workers))]
    return replace(params, time_limit=time_limit, extra={
        **{k: v for k, v in params.extra.items() if k != "stop_after_first_solution"},
        "subsolvers": subsolvers, "num_full_subsolvers": len(subsolvers)})


def lower_bound(instance: Instance, calendar: TermCalendar, options: OptionSet,
                params: SolverParams, seconds: float, by: str = "leaf",
                on_progress: ProgressCallback | None = None,
                time_offset: Callable[[], float] | None = None) -> LowerBound:
    """Bound the objective of every timetable of ``instance`` from below, in ``seconds``.

    Parts are solved smallest first, each given a share of the time left in proportion to
    its options (at least :data:`MIN_PART_SECONDS`); time a part leaves unused goes to the
    parts after it. A part whose model equals an earlier part's (twin sub-groups) takes that
    part's bound without being solved again. A part not reached counts 0 and makes the bound
    incomplete (still valid). A stop request (Ctrl-C) ends it early with what has been
    proven so far.
    """
    deadline = time.perf_counter() + seconds
    found = parts(instance, by)
    sizes = {p.name: sum(len(options.by_course.get(c, ())) for c in p.courses) for p in found}
    todo = sorted(found, key=lambda p: sizes[p.name])
    left_options = sum(sizes.values())
    results: list[PartBound] = []
    solved: dict[str, PartBound] = {}
    total = 0
    complete = True
    for part in todo:
        if stop_requested():
            complete = False
            break
        left = deadline - time.perf_counter()
        share = max(MIN_PART_SECONDS, left * sizes[part.name] / max(1, left_options))
        left_options -= sizes[part.name]
        if left < MIN_PART_SECONDS:
            complete = False
            break
        courses = set(part.courses)
        sub = replace(instance, courses=tuple(c for c in instance.courses if c.id in courses))
        tm = TimetableModel(sub, calendar, restricted_options(options, {}, courses)[0])
        terms = ObjectiveBuilder(tm, tight=True, scope=part.scope).build()
        if not any(t.parts for t in terms):
            results.append(PartBound(part.name, len(part.courses), sizes[part.name], 0, 0,
                                     SolveStatus.OPTIMAL, 0.0))
            continue
        key = fingerprint(tm.model)
        if key in solved:  # the same model as an earlier part (twin sub-groups): same bound
            twin = solved[key]
            results.append(replace(twin, name=part.name, seconds=0.0))
            total += twin.bound
            continue
        _, stats = run_cpsat(tm.model, bound_params(params, min(share, left)))
        if stats.best_bound is None:
            complete = False
            continue
        bound = max(0, math.ceil(stats.best_bound - 1e-6))
        value = round(stats.objective) if stats.objective is not None else None
        results.append(PartBound(part.name, len(part.courses), sizes[part.name], bound, value,
                                 stats.status, round(stats.wall_time, 2)))
        solved[key] = results[-1]
        total += bound
        if on_progress is not None:
            now = time_offset() if time_offset else 0.0
            on_progress(Progress(now, len(results), None, float(total), "bound"))
        if stats.interrupted:
            complete = False
            break
    complete = complete and len(results) == len(todo)
    return LowerBound(total, tuple(results), complete, len(todo))

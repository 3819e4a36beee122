"""A relaxed solve of a term that counting proves impossible: the courses the counting names
are left out and the rest is timetabled as a plain solve.

Searching the relaxed model for which courses to leave out is slow when many courses could
be dropped: with one visitor's trip rules too short for her three courses, 15 s of it left
20 of the default term's 22 courses out. When the counting checks of validation
(:func:`scheduler.explain.arithmetic.arithmetic_conflicts`) name the culprits (a course, or a
teacher and so every course of theirs), a plain solve of the other courses finds a
timetable of all of them as fast as a plain solve of a feasible term does.
"""

from __future__ import annotations

import time
from dataclasses import replace

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.explain.arithmetic import arithmetic_conflicts
from scheduler.explain.conflict import Conflict
from scheduler.instance import Instance
from scheduler.model.params import SolveRequest
from scheduler.model.solve import SolveResult, solve_timetable
from scheduler.progress import ProgressCallback
from scheduler.timetable import Timetable


def counted_out(instance: Instance) -> tuple[frozenset[str], bool]:
    """The courses that counting proves cannot all be placed: those each counting conflict
    names, and every course of a teacher it names; and whether each of them is impossible
    on its own (every conflict is a course's), so that every timetable leaves it out."""
    courses: set[str] = set()
    teachers: set[str] = set()
    own = True
    for conflict in arithmetic_conflicts(instance):
        courses.update(conflict.courses)
        teachers.update(conflict.teachers)
        own = own and len(conflict.courses) == 1 and not _teachers_load(conflict)
    named = courses | {c.id for c in instance.courses if teachers & set(c.teachers)}
    return frozenset(named), own and named == courses


def _teachers_load(conflict: Conflict) -> bool:
    """A conflict about a teacher's whole load (it names their courses, not one course)."""
    return bool(conflict.teachers) and len(conflict.courses) != 1


def solve_leaving_counted_out(instance: Instance, params: SolverParams,
                              on_progress: ProgressCallback | None,
                              request: SolveRequest) -> tuple[SolveResult | None, float]:
    """The relaxed ``request`` solved as a plain solve of the courses that counting does not
    name, the named ones left out (their periods cost ``unplaced_period`` each, and their
    baseline meetings ``moved_meeting``, as in the relaxed model). When each named course is
    impossible on its own, every timetable leaves it out, and the rest's status, bounds and
    tiers hold for the relaxed problem; otherwise none is claimed (a named course might
    still fit beside the others). Returns the result, or ``None`` when counting names
    nothing (or every course), the rest still counts as impossible, or the rest has no
    timetable found within the time; and the seconds spent."""
    started = time.perf_counter()
    named, alone = counted_out(instance)
    if not named or len(named) == len(instance.courses):
        return None, time.perf_counter() - started
    rest = replace(instance, courses=tuple(c for c in instance.courses if c.id not in named))
    if counted_out(rest)[0]:
        return None, time.perf_counter() - started
    dropped = () if request.baseline is None else tuple(
        m for m in request.baseline.meetings if m.course_id in named)
    baseline = None if request.baseline is None else Timetable(
        tuple(m for m in request.baseline.meetings if m.course_id not in named),
        frozenset(m for m in request.baseline.pinned if m.course_id not in named))
    sub = replace(request, relax=False, placed_all_impossible=False, baseline=baseline,
                  keep_courses=request.keep_courses - named,
                  pins=frozenset(m for m in request.pins if m.course_id not in named))
    result = solve_timetable(rest, params, on_progress, sub)
    spent = time.perf_counter() - started
    if result.timetable is None or result.stats is None:
        return None, spent
    terms = dict(result.objective_terms)
    terms["unplaced_period"] = sum(instance.course_by_id[c].contact_periods for c in named)
    if dropped:
        terms["moved_meeting"] = terms.get("moved_meeting", 0) + len(dropped)
    weights = instance.weights
    cost = weights.unplaced_period * terms["unplaced_period"] + weights.moved_meeting * len(
        dropped)
    stats = result.stats
    objective = None if stats.objective is None else stats.objective + cost
    if alone:
        bound = None if stats.best_bound is None else stats.best_bound + cost
        return replace(result, stats=replace(stats, objective=objective, best_bound=bound),
                       objective_terms=terms), spent
    # the bounds and tiers were of the rest alone: none is claimed for the relaxed problem
    return replace(result, status=SolveStatus.FEASIBLE, stats=replace(
        stats, status=SolveStatus.FEASIBLE, objective=objective, best_bound=None), tiers=(),
        norm_bounds=None, lower_bound=None, objective_terms=terms), spent

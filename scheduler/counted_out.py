"""A relaxed solve of a term that counting proves impossible: the courses the counting names
(and those without any possible meeting) are left out and the rest is timetabled as a plain
solve.

Searching the relaxed model for which courses to leave out is slow when many courses could
be dropped: with one visitor's trip rules too short for her three courses, 15 s of it left
20 of the default term's 22 courses out. When the counting checks of validation
(:func:`scheduler.explain.arithmetic.arithmetic_conflicts`) name the culprits (a course, or a
teacher and so every course of theirs), a plain solve of the other courses finds a
timetable of all of them as fast as a plain solve of a feasible term does. The same holds for
courses without any possible meeting (every room of their type closed, say): 10 s of the
relaxed model, with one worker, left 21 of the default term's 22 courses out when only its
three lab courses had no room.
"""

from __future__ import annotations

import time
from dataclasses import replace

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.explain.arithmetic import arithmetic_conflicts
from scheduler.instance import Instance
from scheduler.model import solve as model_solve
from scheduler.model.options import build_options, room_limit
from scheduler.model.params import LnsSettings, SolveRequest
from scheduler.model.solve import SolveResult
from scheduler.model.tiers import TierOutcome
from scheduler.progress import ProgressCallback
from scheduler.timetable import Timetable


def counted_out(instance: Instance) -> tuple[frozenset[str], frozenset[str]]:
    """The courses that counting proves cannot all be placed, as two sets: those impossible
    on their own (a count about one course: its rooms, its teachers' days on site), which
    every timetable leaves out; and those of a count about several courses together (a
    teacher's load: every course of theirs), of which some may fit. Both empty when a count
    names no course (a cohort's load): what to leave out is then not known by counting."""
    alone: set[str] = set()
    together: set[str] = set()
    for conflict in arithmetic_conflicts(instance):
        if not conflict.courses:
            return frozenset(), frozenset()
        (alone if len(conflict.courses) == 1 else together).update(conflict.courses)
    return frozenset(alone), frozenset(together - alone)


def without_options(instance: Instance, request: SolveRequest) -> frozenset[str]:
    """The courses of ``instance`` that have no possible meeting at all (no block of theirs on
    any teaching day finds a free teacher and room), unless ``request`` pins some of their
    meetings: every timetable leaves them out."""
    options = build_options(instance, TermCalendar(instance), room_limit(instance))
    pinned = {m.course_id for m in request.pins}
    return frozenset(c.id for c in instance.courses
                     if not options.by_course.get(c.id) and c.id not in pinned)


def solve_timetable(instance: Instance, params: SolverParams | None = None,
                    on_progress: ProgressCallback | None = None,
                    request: SolveRequest | None = None,
                    settings: LnsSettings | None = None) -> SolveResult:
    """Timetable ``instance`` as :func:`scheduler.model.solve.solve_timetable` does; a relaxed
    ``request`` first leaves out the courses that counting proves impossible and those
    without any possible meeting (:func:`solve_leaving_counted_out`), as ``scheduler solve
    --relax`` does. The timetable is not yet verified (:func:`scheduler.verify_timetable`).
    """
    request = request or SolveRequest()
    if request.relax:
        params = params or SolverParams(time_limit=model_solve.default_time_limit(instance))
        result, spent = solve_leaving_counted_out(instance, params, on_progress, request,
                                                  settings)
        if result is not None:
            return result
        if spent and params.time_limit is not None:
            params = replace(params, time_limit=max(1.0, params.time_limit - spent))
    return model_solve.solve_timetable(instance, params, on_progress, request, settings)


def solve_leaving_counted_out(instance: Instance, params: SolverParams,
                              on_progress: ProgressCallback | None,
                              request: SolveRequest, settings: LnsSettings | None = None
                              ) -> tuple[SolveResult | None, float]:
    """The relaxed ``request`` solved as a plain solve of the courses that counting does not
    name and that have possible meetings (:func:`without_options`), the others left out
    (their periods cost ``unplaced_period`` each, and their baseline meetings
    ``moved_meeting``, as in the relaxed model). Of the courses of a count
    about several together (a teacher's load), those that a first timetable shows to fit
    beside the others are placed (:func:`_fitting`). When each course left out is impossible
    on its own, every timetable leaves it out, and the rest's status, bounds and tiers hold
    for the relaxed problem; otherwise none is claimed. Returns the result, or ``None`` when
    counting names nothing (or every course), the rest still counts as impossible, or the
    rest has no timetable found within the time; and the seconds spent."""
    started = time.perf_counter()
    alone, together = counted_out(instance)
    alone |= without_options(instance, request)
    together -= alone
    if not alone | together or len(alone | together) == len(instance.courses):
        return None, time.perf_counter() - started
    named = alone | together
    if together:  # some of a teacher's courses may fit: each is tried back, in course order
        named = alone | (together - _fitting(instance, named, together, params, request))
    rest = replace(instance, courses=tuple(c for c in instance.courses if c.id not in named))
    if any(counted_out(rest)):
        return None, time.perf_counter() - started
    dropped = () if request.baseline is None else tuple(
        m for m in request.baseline.meetings if m.course_id in named)
    baseline = None if request.baseline is None else Timetable(
        tuple(m for m in request.baseline.meetings if m.course_id not in named),
        frozenset(m for m in request.baseline.pinned if m.course_id not in named))
    sub = replace(request, relax=False, placed_all_impossible=False, baseline=baseline,
                  keep_courses=request.keep_courses - named,
                  pins=frozenset(m for m in request.pins if m.course_id not in named))
    left = None if params.time_limit is None else max(
        1.0, params.time_limit - (time.perf_counter() - started))
    result = model_solve.solve_timetable(rest, replace(params, time_limit=left), on_progress,
                                         sub, settings)
    spent = time.perf_counter() - started
    if result.timetable is None or result.stats is None:
        return None, spent
    terms = dict(result.objective_terms)
    terms["unplaced_period"] = sum(instance.course_by_id[c].contact_periods for c in named)
    if dropped:
        terms["moved_meeting"] = terms.get("moved_meeting", 0) + len(dropped)
    weights = instance.weights
    placement = weights.counted("unplaced_period") * terms["unplaced_period"]
    cost = placement + weights.moved_meeting * len(dropped)
    stats = result.stats
    objective = None if stats.objective is None else stats.objective + cost
    if named <= alone:  # each left out alone: every timetable leaves it out
        bound = None if stats.best_bound is None else stats.best_bound + cost
        # the placement tier is proven minimal; the later tiers' bounds still hold (given
        # the same courses left out, as every timetable leaves them out)
        tiers: tuple[TierOutcome, ...] = ()
        if result.tiers:
            tiers = (TierOutcome("placement", placement, placement, True), *result.tiers)
        return replace(result, stats=replace(stats, objective=objective, best_bound=bound),
                       objective_terms=terms, tiers=tiers), spent
    # the bounds and tiers were of the rest alone: none is claimed for the relaxed problem
    return replace(result, status=SolveStatus.FEASIBLE, stats=replace(
        stats, status=SolveStatus.FEASIBLE, objective=objective, best_bound=None), tiers=(),
        norm_bounds=None, lower_bound=None, objective_terms=terms), spent


FITTING_SHARE = 0.25
"""The share of the time limit spent trying a teacher's courses back one by one."""


def _fitting(instance: Instance, named: frozenset[str], together: frozenset[str],
             params: SolverParams, request: SolveRequest) -> frozenset[str]:
    """The courses of ``together`` that fit, added one by one (in course order) to the
    courses counting does not name: each kept when a first timetable of them all is found
    within an equal share of :data:`FITTING_SHARE` of the time limit."""
    budget = FITTING_SHARE * (params.time_limit or 30.0)
    ordered = [c.id for c in instance.courses if c.id in together]
    kept: set[str] = set()
    share = budget / max(len(ordered), 1)
    for course_id in ordered:
        trial = replace(instance, courses=tuple(
            c for c in instance.courses
            if c.id not in named or c.id in kept or c.id == course_id))
        if any(counted_out(trial)):
            continue
        first = model_solve.solve_timetable(trial, replace(params, time_limit=share, extra={
            **params.extra, "stop_after_first_solution": True}), None, replace(
            request, relax=False, placed_all_impossible=False, baseline=None, pins=frozenset(),
            keep_courses=frozenset()))
        if first.timetable is not None:
            kept.add(course_id)
    return frozenset(kept)

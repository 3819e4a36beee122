"""Run a scenario: apply its changes, re-solve (with minimal change against a baseline), explain
what is impossible, and compare with the base."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from scheduler.cpsat import SolveStatus
from scheduler.explain import Explanation, explain_infeasibility, explain_unplaced
from scheduler.instance import Instance
from scheduler.model.baseline import PinChoice, keepable_courses, keepable_pins
from scheduler.model.params import SolveRequest
from scheduler.pipeline import Diagnosis, SolveSettings, solve_instance
from scheduler.progress import Progress, ProgressCallback
from scheduler.roundtrip import PIN_SHARE, held_pins
from scheduler.scenarios.apply import Applied, Touched, apply_scenario
from scheduler.scenarios.changes import Scenario
from scheduler.scenarios.compare import (
    Comparison,
    DroppedCourse,
    Side,
    course_moves,
    dropped_courses,
)
from scheduler.timetable import Meeting, Timetable
from scheduler.verify import verify_timetable

GIVEN = "GIVEN"
"""The status of a side whose timetable was given (read from a file), not solved."""


@dataclass(frozen=True)
class ScenarioParams(SolveSettings):
    """How a scenario is solved: as :class:`~scheduler.pipeline.SolveSettings` say, each
    solve within ``time_limit`` (``None``: the instance's default).

    ``relax`` (here on by default): when the scenario has no timetable, also place as much as
    possible and list what is left out. ``keep_unaffected``: with a baseline, fix the courses
    no change touches to their baseline placement, releasing those that conflict with the
    change (see :func:`~scheduler.model.baseline.keepable_courses`; up to half the time limit
    may be spent on it, though it usually settles in well under a second). The baseline's
    pinned meetings are always kept; ``relax_pins`` (inherited): as many as possible
    (:func:`~scheduler.model.baseline.keepable_pins`, within a quarter of the time limit;
    the solve has the rest).
    """

    relax: bool = True
    keep_unaffected: bool = True


def _overlaps(first: int | None, last: int | None, m_first: int, m_last: int) -> bool:
    return first is None or not (m_last < first or m_first > (last or first))


def affected_courses(instance: Instance, touched: Touched,
                     baseline: Timetable | None = None) -> set[str]:
    """Courses a scenario's changes touch directly: changed themselves, taught by a teacher
    whose trips or availability changed, or (against a baseline) meeting in a closed room,
    with an absent interpreter or on a new holiday.

    Resized cohorts touch no course by themselves: a course whose baseline room has become
    too small cannot keep its placement anyway (only placements still possible are kept).
    """
    found = set(touched.courses)
    for course in instance.courses:
        if set(course.teachers) & touched.teachers:
            found.add(course.id)
    if baseline is not None:
        for m in baseline.meetings:
            if m.date in touched.dates:
                found.add(m.course_id)
            for room, first, last, p1, p2 in touched.closures:
                if m.room_id == room and first <= m.date <= last and \
                        _overlaps(p1, p2, m.first_period, m.last_period):
                    found.add(m.course_id)
            for person, first, last, p1, p2 in touched.absences:
                if m.interpreter_id == person and first <= m.date <= last and \
                        _overlaps(p1, p2, m.first_period, m.last_period):
                    found.add(m.course_id)
    return found & set(instance.course_by_id)


def solve_side(instance: Instance, label: str, params: ScenarioParams,
               baseline: Timetable | None = None, keep: Iterable[str] = (),
               on_progress: ProgressCallback | None = None,
               pins: Iterable[Meeting] = ()) -> Side:
    """Solve (and verify) one side, the ``pins`` kept; when it has no timetable, explain why
    (naming the pins that cannot hold) and (if ``params.relax``) place what can be placed.

    Against a baseline the side minimises one weighted sum, as ``solve --baseline`` does:
    with the norms first, a move (a comfort rule) would count for nothing until the norms
    are minimal, and a minimal-change re-solve would move meetings for any norm gain."""
    solver_params = params.solver(instance)
    request = SolveRequest(baseline=baseline, keep_courses=frozenset(keep),
                           pins=frozenset(pins), flat=baseline is not None)
    result, verification = solve_instance(instance, solver_params, on_progress, request)
    if result.timetable is not None:
        return Side(label, result.status, result.timetable, verification,
                    not_optimised=result.not_optimised)
    explanation: Explanation | None = None
    limit = params.explain_limit(instance)
    if result.status == SolveStatus.INFEASIBLE:
        explanation = explain_infeasibility(instance, limit, params.seed, pins=request.pins)
    if not params.relax or result.status != SolveStatus.INFEASIBLE:
        return Side(label, result.status, None, None, Diagnosis(explanation))
    relaxed, checked = solve_instance(instance, solver_params, on_progress,
                                      replace(request, relax=True,
                                              placed_all_impossible=True))
    if relaxed.timetable is None:
        return Side(label, result.status, None, None, Diagnosis(explanation))
    unplaced = explain_unplaced(instance, relaxed.timetable, limit, params.seed, deep=False,
                                pins=request.pins, explained=explanation)
    return Side(label, result.status, relaxed.timetable, checked,
                Diagnosis(explanation, tuple(unplaced), relaxed=True), relaxed=True,
                not_optimised=relaxed.not_optimised)


def baseline_side(instance: Instance, baseline: Timetable) -> Side:
    """The base side from a given timetable (verified, not solved)."""
    return Side("base", GIVEN, baseline, verify_timetable(instance, baseline))


def same_courses_side(instance: Instance, reference: Side,
                      dropped: Iterable[DroppedCourse]) -> Side:
    """The base side without the ``dropped`` courses' meetings, recounted by the verifier
    (the courses left out count as unplaced, a cost the comparison leaves aside)."""
    gone = {d.course_id for d in dropped}
    meetings = reference.timetable.meetings if reference.timetable is not None else ()
    kept = Timetable(tuple(m for m in meetings if m.course_id not in gone))
    return Side(reference.label, reference.status, kept,
                verify_timetable(instance, kept, allow_unplaced=True))


def _labelled(on_progress: ProgressCallback | None, label: str) -> ProgressCallback | None:
    if on_progress is None:
        return None

    def forward(progress: Progress) -> None:
        on_progress(replace(progress, phase=f"{label} {progress.phase}"))

    return forward


def run_scenario(base: Instance, scenario: Scenario, params: ScenarioParams | None = None,
                 baseline: Timetable | None = None, reference: Side | None = None,
                 on_progress: ProgressCallback | None = None,
                 applied: Applied | None = None) -> Comparison:
    """Apply ``scenario`` to ``base``, solve it and compare.

    With a ``baseline`` timetable (the current one), the scenario is re-solved with minimal
    change: its pinned meetings are kept (``params.relax_pins``: as many as possible), every
    other baseline meeting is hinted, each one moved costs ``moved_meeting``, and courses no
    change touches are fixed where that stays feasible. Without one, the scenario is solved
    afresh and compared with ``reference`` (a solved base side), or with a fresh solve of the
    base.
    """
    params = params or ScenarioParams()
    applied = applied or apply_scenario(base, scenario)
    changed = applied.instance
    if baseline is not None:
        reference = baseline_side(base, baseline)
    elif reference is None:
        reference = solve_side(base, "base", params, on_progress=_labelled(on_progress, "base"))
    pins = baseline.pinned if baseline is not None else frozenset()
    choice: PinChoice | None = None
    if pins and params.relax_pins:
        limit = params.solver(changed).time_limit or 30.0
        started = time.perf_counter()
        choice = keepable_pins(changed, pins, PIN_SHARE * limit, params.seed, params.workers,
                               baseline)
        pins = choice.kept_meetings
        params = replace(params, time_limit=max(1.0, limit - (time.perf_counter() - started)))
    keep: tuple[str, ...] = ()
    if baseline is not None and params.keep_unaffected:
        affected = affected_courses(changed, applied.touched, baseline)
        candidates = [c.id for c in changed.courses if c.id not in affected]
        budget = max(2.0, 0.5 * (params.solver(changed).time_limit or 30.0))
        keep = keepable_courses(changed, baseline, candidates, budget, params.seed, pins)
    side = solve_side(changed, "scenario", params, baseline, keep,
                      _labelled(on_progress, "scenario"), pins)
    if choice is not None and side.timetable is not None:
        choice = held_pins(changed, choice, side.timetable)
        pins = choice.kept_meetings
        side = replace(side, timetable=side.timetable.with_pins(pins))
    moves: tuple = ()
    dropped: tuple[DroppedCourse, ...] = ()
    same: Side | None = None
    if reference.timetable is not None and side.timetable is not None:
        moves = tuple(course_moves(changed, reference.timetable, side.timetable))
        dropped = tuple(dropped_courses(changed, reference.timetable, side.timetable))
        if dropped:
            same = same_courses_side(base, reference, dropped)
    moved = {m.course_id for m in moves}
    placed = set() if side.timetable is None else {m.course_id for m in
                                                   side.timetable.meetings}
    # fixed, or hinted and left in place (a course the partial timetable left out is not)
    kept = tuple(c for c in keep if c not in moved and c in placed)
    # the pins the written timetable holds (a partial one may leave a pinned course out)
    held = 0 if side.timetable is None else len(side.timetable.with_pins(pins).pinned)
    return Comparison(scenario, applied.notes, base, changed, reference, side, moves,
                      minimal_change=baseline is not None, kept=kept, dropped=dropped,
                      same_courses=same, pinned=held, pin_choice=choice)

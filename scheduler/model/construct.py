"""A first timetable for large instances, built group by group.

The courses are split into groups of related courses (those of one programme-year); each group
is placed by CP-SAT on top of the groups already placed (their meetings fixed, their rooms
blocked), tightest groups first. Every sub-model is small, so a first timetable of a whole
college (8 x the steady state) appears in minutes rather than not at all.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from scheduler.calendar import TermCalendar
from scheduler.cpsat import RunStats, SolverParams, run_cpsat
from scheduler.instance import Instance
from scheduler.model.builder import TimetableModel
from scheduler.model.disjoint import DisjointSets
from scheduler.model.lns import (
    Choice,
    hint_choice,
    interacting_courses,
    read_choice,
    restricted_options,
)
from scheduler.model.objective import ObjectiveBuilder
from scheduler.model.options import OptionSet
from scheduler.model.proposals import Proposal, propose_trips, within_trips
from scheduler.progress import Progress, ProgressCallback

PLACE_SECONDS = 3.0
"""Time to place one group (the first placement is found in well under a second)."""
GROUP_SIZE = 40
"""Most courses placed in one step."""
BROAD = 8
"""Courses attended by more cohorts than this (e.g. political theory for a whole year) are
placed first, on their own."""


def course_groups(instance: Instance, options: OptionSet,
                  size: int = GROUP_SIZE) -> list[list[str]]:
    """Groups of related courses: the broad courses first, then the courses of each set of
    cohorts linked by shared courses (a stream), split to at most ``size``; tightest first."""
    root = {c.id: c.parent or c.id for c in instance.cohorts}
    linked = DisjointSets()
    broad, narrow = [], []
    for course in instance.courses:
        roots = sorted({root.get(c, c) for c in course.cohorts})
        if len(course.cohorts) > BROAD:
            broad.append(course.id)
            continue
        narrow.append((roots, course.id))
        for other in roots[1:]:
            linked.union(roots[0], other)
    streams: dict[object, list[str]] = defaultdict(list)
    for roots, course_id in narrow:
        streams[linked.find(roots[0])].append(course_id)

    def chunks(ids: list[str]) -> list[list[str]]:
        return [ids[i:i + size] for i in range(0, len(ids), size)]

    tight = sorted((g for ids in streams.values() for g in chunks(ids)),
                   key=lambda ids: (min(len(options.by_course.get(c, ())) for c in ids),
                                    -len(ids)))
    return chunks(broad) + tight


def room_neighbours(instance: Instance, options: OptionSet, chosen: dict[int, Choice],
                    free: set[str], limit: int = 80) -> set[str]:
    """Placed courses in the rooms the ``free`` courses could use (at most ``limit``)."""
    wanted = {r for c in free for o in options.by_course.get(c, ()) for r in o.rooms}
    near = sorted({options.options[i].course.id for i, (room, _) in chosen.items()
                   if room in wanted} - free)
    return set(near[:limit])


def placed_courses(options: OptionSet, chosen: dict[int, Choice]) -> set[str]:
    """The courses that have their meetings in ``chosen``."""
    return {options.options[i].course.id for i in chosen}


def _place(instance: Instance, calendar: TermCalendar, options: OptionSet,
           chosen: dict[int, Choice], free: set[str], params: SolverParams,
           deadline: float) -> tuple[dict[int, Choice] | None, RunStats | None]:
    """Place the ``free`` courses on top of the others already chosen, by the ``deadline``
    (a ``time.perf_counter`` value; building the sub-model counts too); the new choice."""
    sub, origin = restricted_options(options, chosen, free, instance)
    if not free <= set(sub.by_course):
        return None, None  # a course has no room left at any time
    present = set(sub.by_course)
    part = replace(instance, courses=tuple(c for c in instance.courses if c.id in present))
    tm = TimetableModel(part, calendar, sub)
    ObjectiveBuilder(tm).build_hard()
    for option in sub.options:
        if option.course.id not in free:
            tm.model.add(tm.use[option.index] == 1)
    solver, stats = run_cpsat(tm.model, replace(
        params, time_limit=max(0.0, deadline - time.perf_counter()),
        extra={**params.extra, "stop_after_first_solution": True}))
    if not stats.has_solution:
        return None, stats
    # then cheap per-meeting costs only, from that placement: fitting rooms and daytime
    # periods leave room for the groups still to come (and planned trips kept short: a later
    # group's sub-model plans them again around all the meetings then placed)
    left = min(PLACE_SECONDS, deadline - time.perf_counter())
    if left > 0.2:
        objective = ObjectiveBuilder(tm)
        objective.per_option_terms()
        objective.seat_waste()
        objective.trip_costs()  # planned trips no longer than the meetings placed need
        terms = [t for t in objective.terms if t.parts]
        if terms:
            hint_choice(tm, read_choice(tm, solver))
            tm.model.minimize(sum(t.expression() for t in terms))
            better, improved = run_cpsat(tm.model, replace(params, time_limit=left))
            if improved.has_solution:
                solver, stats = better, improved
    kept = {k: v for k, v in chosen.items() if options.options[k].course.id not in free}
    kept.update(read_choice(tm, solver, origin))
    return kept, stats


def construct(instance: Instance, calendar: TermCalendar, options: OptionSet,
              params: SolverParams, deadline: float,
              on_progress: ProgressCallback | None = None,
              clock: Callable[[], float] | None = None,
              proposals: Mapping[str, Sequence[Proposal]] | None = None,
              ) -> tuple[dict[int, Choice] | None, RunStats | None]:
    """Place every group in turn; ``None`` if a group cannot be placed, time runs out or the
    user interrupts (the last run's statistics say which).

    Planned visitors' meetings are first placed inside the trips proposed for them
    (``proposals``, or :func:`~scheduler.model.proposals.propose_trips`); if that leaves a
    group no room, every option is tried again from the start, in the time left.
    """
    if proposals is None:
        proposals = (propose_trips(instance, calendar, options)
                     if instance.planned_visitors else {})
    if proposals:
        narrow, origin = within_trips(options, proposals)
        chosen, last = _construct(instance, calendar, narrow, params, deadline, on_progress,
                                  clock)
        if chosen is not None:
            return {origin[i]: v for i, v in chosen.items()}, last
        if (last is not None and last.interrupted) or time.perf_counter() >= deadline:
            return None, last
    return _construct(instance, calendar, options, params, deadline, on_progress, clock)


def _construct(instance: Instance, calendar: TermCalendar, options: OptionSet,
               params: SolverParams, deadline: float, on_progress: ProgressCallback | None,
               clock: Callable[[], float] | None) -> tuple[dict[int, Choice] | None,
                                                          RunStats | None]:
    chosen: dict[int, Choice] = {}
    last: RunStats | None = None
    groups = course_groups(instance, options)
    for number, group in enumerate(groups, start=1):
        placed = None
        # first the group alone; if the groups placed before leave it no room, the group
        # together with the placed courses it shares cohorts, teachers or interpreters with
        for widen in (0, 1, 2):
            left = deadline - time.perf_counter()
            if left <= 0:
                return None, last
            free = set(group)
            if widen == 1:
                free |= interacting_courses(instance, options, chosen, free) & placed_courses(
                    options, chosen)
            elif widen == 2:
                free |= room_neighbours(instance, options, chosen, free)
            placed, last = _place(instance, calendar, options, chosen, free, params,
                                  deadline)
            if placed is not None or (last is not None and last.interrupted):
                break
        if placed is None:
            return None, last
        chosen = placed
        if last is not None and last.interrupted:  # Ctrl-C: no timetable of every course
            return None, last
        if on_progress is not None:
            now = clock() if clock else 0.0
            on_progress(Progress(now, 0, None, None, f"group {number}/{len(groups)}"))
    return chosen, last

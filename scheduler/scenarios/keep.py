"""Which courses can stay exactly where the baseline put them: fixed "where that is safe".

Each candidate course (one no change touches, whose baseline placement is still possible) gets
a literal that fixes it to its baseline options and rooms. The hard rules are solved under the
assumption that all of them hold; when that is infeasible, CP-SAT names a sufficient subset of
the fixed courses (``sufficient_assumptions_for_infeasibility``), those are released, and the
check repeats. What is left can be fixed without losing feasibility, so the minimal-change
re-solve starts from a timetable that keeps them all.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus, run_cpsat
from scheduler.instance import Instance
from scheduler.model.builder import TimetableModel
from scheduler.model.options import build_options
from scheduler.model.solve import baseline_choice
from scheduler.timetable import Timetable


def safe_keep(instance: Instance, baseline: Timetable, candidates: Iterable[str],
              time_limit: float, seed: int = 0) -> tuple[str, ...]:
    """The candidates that can all keep their baseline placement together, released in
    conflicting groups until the rest is feasible within ``time_limit`` seconds.

    When that cannot be settled in time, or when the instance has no timetable whatever is
    kept, the candidates are returned as given (the solve then releases them itself if
    needed, and a relaxed solve can always keep them).
    """
    deadline = time.perf_counter() + time_limit
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    given = tuple(candidates)
    if any(not options.by_course.get(c.id) for c in instance.courses):
        return given  # some course cannot meet at all: the scenario is impossible anyway
    tm = TimetableModel(instance, calendar, options)
    choice = baseline_choice(tm, baseline)
    keep = [c for c in given if c in choice]
    literal = {}
    for course_id in keep:
        fixed = tm.model.new_bool_var(f"keep[{course_id}]")
        literal[course_id] = fixed
        for option in options.by_course[course_id]:
            used = option.index in choice[course_id]
            tm.model.add(tm.use[option.index] == int(used)).only_enforce_if(fixed)
            for room in option.rooms:
                var = tm.room[(option.index, room)]
                if var is not tm.use[option.index]:
                    value = used and choice[course_id][option.index] == room
                    tm.model.add(var == int(value)).only_enforce_if(fixed)
    by_index = {lit.index: c for c, lit in literal.items()}
    while keep:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return given
        tm.model.clear_assumptions()
        tm.model.add_assumptions([literal[c] for c in keep])
        solver, stats = run_cpsat(tm.model, SolverParams(time_limit=left, workers=1, seed=seed,
                                                         extra={"stop_after_first_solution":
                                                                True}))
        if stats.has_solution:
            return tuple(keep)
        if stats.status != SolveStatus.INFEASIBLE:
            return given
        core = {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                if i in by_index}
        if not core:
            return given  # infeasible whatever is kept
        keep = [c for c in keep if c not in core]
    return ()

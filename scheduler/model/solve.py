"""Solve an instance: build options and the model, run CP-SAT, read the timetable back."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import RunStats, SolverParams, run_cpsat
from scheduler.instance import Instance
from scheduler.model.builder import FAMILIES, TimetableModel
from scheduler.model.options import OptionSet, build_options
from scheduler.progress import ProgressCallback
from scheduler.timetable import Meeting, Timetable


@dataclass(frozen=True)
class SolveResult:
    """What a solve achieved.

    ``status`` is ``OPTIMAL``, ``FEASIBLE`` (a timetable, optimality not proven),
    ``INFEASIBLE`` (proven: no timetable exists) or ``UNKNOWN`` (none found in time).
    ``explanation`` lists, when infeasible, what cannot hold together, in words.
    """

    status: str
    timetable: Timetable | None
    stats: RunStats | None
    objective_terms: dict[str, int] = field(default_factory=dict)
    explanation: tuple[str, ...] = ()

    @property
    def has_timetable(self) -> bool:
        return self.timetable is not None


def default_time_limit(instance: Instance) -> float:
    """A time limit that suits the instance size: 30 s for small terms, up to 600 s."""
    return float(min(600, max(30, 20 + len(instance.courses) // 2)))


def _courses_without_options(instance: Instance, options: OptionSet) -> list[str]:
    lines = []
    for course in instance.courses:
        if options.by_course.get(course.id):
            continue
        reasons = options.rejections.get(course.id) or {}
        why = "; ".join(f"{reason} ({count}x)" for reason, count in reasons.most_common()) \
            if reasons else "no teaching day or block fits"
        lines.append(f"course {course.id} ({course.name}) has no possible meeting: {why}")
    return lines


def extract_timetable(tm: TimetableModel, solver: cp_model.CpSolver) -> Timetable:
    """Read the meetings of the solver's best solution."""
    meetings = []
    for option in tm.options.options:
        if not solver.boolean_value(tm.use[option.index]):
            continue
        room = next(r for r in option.rooms if solver.boolean_value(tm.room[(option.index, r)]))
        interpreter = next((i for i in option.interpreters
                            if solver.boolean_value(tm.interpreter[(option.index, i)])), None)
        for day in option.days:
            meetings.append(Meeting(day.date, option.block.first_period,
                                    option.block.last_period, option.course.id, room,
                                    interpreter))
    return Timetable(tuple(meetings))


def explain_families(instance: Instance, calendar: TermCalendar, options: OptionSet,
                     params: SolverParams) -> tuple[str, ...]:
    """Requirement groups that together admit no timetable (CP-SAT assumptions)."""
    tm = TimetableModel(instance, calendar, options, explain=True)
    tm.model.add_assumptions(list(tm.groups.values()))
    solver_params = SolverParams(time_limit=params.time_limit, workers=1, seed=params.seed)
    solver, stats = run_cpsat(tm.model, solver_params)
    if stats.status != "INFEASIBLE":
        return ("the solver could not isolate the conflicting requirements in time",)
    core = set(solver.sufficient_assumptions_for_infeasibility())
    names = {lit.index: group for group, lit in tm.groups.items()}
    groups = sorted(names[i] for i in core if i in names)
    return tuple(f"{family}: {subject} ({FAMILIES.get(family, family)})"
                 for family, subject in groups)


def solve_timetable(instance: Instance, params: SolverParams | None = None,
                    on_progress: ProgressCallback | None = None,
                    explain: bool = True) -> SolveResult:
    """Timetable ``instance`` with CP-SAT.

    Returns the best timetable found (not yet verified: see :mod:`scheduler.pipeline`), or
    the status and, when proven infeasible and ``explain`` is set, the requirement groups
    involved.
    """
    if params is None:
        params = SolverParams(time_limit=default_time_limit(instance))
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    missing = _courses_without_options(instance, options)
    if missing:
        return SolveResult("INFEASIBLE", None, None, explanation=tuple(missing))
    tm = TimetableModel(instance, calendar, options)
    solver, stats = run_cpsat(tm.model, params, on_progress=on_progress)
    if stats.has_solution:
        return SolveResult(stats.status, extract_timetable(tm, solver), stats)
    explanation: tuple[str, ...] = ()
    if stats.status == "INFEASIBLE" and explain:
        explanation = explain_families(instance, calendar, options, params)
    return SolveResult(stats.status, None, stats, explanation=explanation)

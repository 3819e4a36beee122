"""Solve an instance: options, a quick feasible timetable, then optimisation from it.

Phase 1 solves the hard rules only and stops at the first timetable (fast, and it tells an
infeasible instance apart early). Phase 2 adds the soft terms and starts from that timetable
as a solution hint, for the rest of the time limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import RunStats, SolverParams, SolveStatus, assumption_core, run_cpsat
from scheduler.instance import Instance
from scheduler.model.baseline import apply_baseline, baseline_choice
from scheduler.model.bound import LowerBound, lower_bound
from scheduler.model.builder import FAMILIES, TimetableModel
from scheduler.model.construct import construct
from scheduler.model.lns import Choice, Incumbent, evaluate, read_choice, run_lns
from scheduler.model.objective import ObjectiveBuilder
from scheduler.model.options import OptionSet, build_options, room_limit
from scheduler.model.params import optimisation_params
from scheduler.progress import Progress, ProgressCallback
from scheduler.timetable import Meeting, Timetable


@dataclass(frozen=True)
class SolveResult:
    """What a solve achieved.

    ``status`` is ``OPTIMAL``, ``FEASIBLE`` (a timetable, optimality not proven),
    ``INFEASIBLE`` (proven: no timetable exists) or ``UNKNOWN`` (none found in time).
    ``objective_terms`` holds the solver's claimed count of each soft term (unweighted);
    ``explanation`` lists, when infeasible, what cannot hold together, in words;
    ``lower_bound`` is the bound from independent parts after large-neighbourhood search.
    """

    status: SolveStatus
    timetable: Timetable | None
    stats: RunStats | None
    objective_terms: dict[str, int] = field(default_factory=dict)
    explanation: tuple[str, ...] = ()
    lower_bound: LowerBound | None = None

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


def timetable_of(options: OptionSet, chosen: dict[int, Choice]) -> Timetable:
    """The meetings of the chosen options (option index -> room, interpreter)."""
    return Timetable(tuple(
        Meeting(day.date, option.block.first_period, option.block.last_period,
                option.course.id, room, interpreter)
        for index, (room, interpreter) in chosen.items()
        for option in (options.options[index],)
        for day in option.days))


def extract_timetable(tm: TimetableModel, solver: cp_model.CpSolver) -> Timetable:
    """Read the meetings of the solver's best solution."""
    return timetable_of(tm.options, read_choice(tm, solver))


def hint_from(tm: TimetableModel, source: TimetableModel, solver: cp_model.CpSolver) -> None:
    """Give ``tm`` the decisions of ``source``'s solution as a hint (same options)."""
    for index, var in source.use.items():
        tm.model.add_hint(tm.use[index], solver.boolean_value(var))
    for key, var in source.room.items():
        if tm.room[key] is not tm.use[key[0]]:
            tm.model.add_hint(tm.room[key], solver.boolean_value(var))
    for key, var in source.interpreter.items():
        if tm.interpreter[key] is not tm.use[key[0]]:
            tm.model.add_hint(tm.interpreter[key], solver.boolean_value(var))


def explain_families(instance: Instance, calendar: TermCalendar, options: OptionSet,
                     params: SolverParams) -> tuple[str, ...]:
    """Requirement groups that together admit no timetable (CP-SAT assumptions)."""
    tm = TimetableModel(instance, calendar, options, explain=True)
    solver_params = SolverParams(time_limit=params.time_limit, workers=1, seed=params.seed)
    status, core = assumption_core(tm.model, tm.groups, solver_params)
    if status != SolveStatus.INFEASIBLE:
        return ("the solver could not isolate the conflicting requirements in time",)
    return tuple(f"{family}: {subject} ({FAMILIES.get(family, family)})"
                 for family, subject in sorted(core))


def _merge(first: RunStats, second: RunStats | None, elapsed: float) -> RunStats:
    if second is None:
        return replace(first, wall_time=elapsed)
    return replace(
        second,
        wall_time=elapsed,
        time_to_first=first.time_to_first,
        solutions=first.solutions + second.solutions,
        interrupted=first.interrupted or second.interrupted,
        trace=first.trace + second.trace,
    )


CONSTRUCT_OPTIONS = 10_000
"""Above this many options the first timetable is built group by group (construct.py)."""
BOUND_SHARE = 0.1
"""Share of the time limit that large-neighbourhood search leaves to the lower bound."""
FULL_MODEL_OPTIONS = 2500
"""Above this many options the whole-model search is replaced by large-neighbourhood search:
presolving the whole model of the steady-state instance (7,171 options) alone takes ~50 s on
2 cores, while its neighbourhoods presolve in moments (see docs/performance.md)."""


CONSTRUCT_SHARE = 0.5
"""Largest share of the time limit the group-by-group construction may take after phase 1."""


def _better_start(instance: Instance, calendar: TermCalendar, options: OptionSet,
                  chosen: dict[int, Choice], params: SolverParams, started: float,
                  on_progress: ProgressCallback | None) -> tuple[Incumbent, str, bool]:
    """Phase 1's timetable or, if cheaper, one built group by group with the soft terms.

    Phase 1 ignores the soft terms, so its timetable is expensive (steady state: ~45,000);
    the construction optimises each group as it places it (~21,000) and LNS goes further
    from there in the same time (see docs/performance.md). The construction may use up to
    :data:`CONSTRUCT_SHARE` of the time limit; phase 1's timetable stays if it fails.
    Returns the start, where it came from, and whether the user interrupted.
    """
    start = Incumbent(chosen, *evaluate(instance, calendar, options, chosen))
    if on_progress is not None:
        on_progress(Progress(time.perf_counter() - started, 1, float(start.objective), None,
                             "feasible"))
    limit = params.time_limit if params.time_limit is not None else 3600.0
    deadline = started + CONSTRUCT_SHARE * limit
    if deadline - time.perf_counter() < 5.0:
        return start, "phase 1", False
    built, stats = construct(instance, calendar, options, params, deadline, on_progress,
                             lambda: time.perf_counter() - started)
    if built is None:
        return start, "phase 1", stats is not None and stats.interrupted
    second = Incumbent(built, *evaluate(instance, calendar, options, built))
    if second.objective < start.objective:
        return second, "construction", False
    return start, "phase 1", False


def _optimise_by_lns(instance: Instance, calendar: TermCalendar, options: OptionSet,
                     start: Incumbent, stats1: RunStats, params: SolverParams, started: float,
                     on_progress: ProgressCallback | None, baseline: Timetable | None,
                     keep: frozenset[str], relax: bool, missing: list[str],
                     origin: str = "construction", interrupted: bool = False) -> SolveResult:
    """Phase 2 for large instances: LNS from the ``start`` timetable, then a lower bound.

    LNS proves nothing, so the last :data:`BOUND_SHARE` of the time limit goes to
    :func:`scheduler.model.bound.lower_bound` (not in relaxed mode, where courses may be left
    out and the parts would not be relaxations). After an interrupt, ``start`` is returned
    as it is.
    """
    limit = params.time_limit if params.time_limit is not None else 3600.0
    deadline = time.perf_counter() if interrupted else started + limit
    bound_seconds = 0.0 if relax or interrupted else BOUND_SHARE * limit
    result = run_lns(instance, calendar, options, start, deadline - bound_seconds, params,
                     baseline, on_progress, lambda: time.perf_counter() - started,
                     frozen=keep, relax=relax)
    best = result.incumbent
    objective, counts = evaluate(instance, calendar, options, best.chosen, baseline, relax)
    bound = None
    if bound_seconds and not result.interrupted:
        bound = lower_bound(instance, calendar, options, params,
                            max(0.0, deadline - time.perf_counter()), on_progress=on_progress,
                            time_offset=lambda: time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    stats = replace(stats1, status=SolveStatus.FEASIBLE, objective=float(objective),
                    best_bound=None if bound is None else float(min(bound.value, objective)),
                    wall_time=elapsed, solutions=stats1.solutions + result.improvements,
                    interrupted=stats1.interrupted or result.interrupted or interrupted,
                    params={**dict(stats1.params), "strategy": f"{origin} + lns",
                            "lns_iterations": result.iterations,
                            **_lns_model_size(result.model_size)})
    status = (SolveStatus.OPTIMAL if bound is not None and bound.value >= objective
              else SolveStatus.FEASIBLE)
    return SolveResult(status, timetable_of(options, best.chosen), stats, counts,
                       explanation=tuple(missing), lower_bound=bound)


def _lns_model_size(size: tuple[int, int] | None) -> dict[str, int]:
    """The median neighbourhood sub-model's size, for ``summary.json`` and the benchmarks
    (the run's own variables and constraints are those of phase 1 or the last group)."""
    if size is None:
        return {}
    return {"lns_median_variables": size[0], "lns_median_constraints": size[1]}


def solve_timetable(instance: Instance, params: SolverParams | None = None,
                    on_progress: ProgressCallback | None = None,
                    explain: bool = True, baseline: Timetable | None = None,
                    keep_courses: Iterable[str] = (), relax: bool = False) -> SolveResult:
    """Timetable ``instance`` with CP-SAT, minimising the weighted soft terms.

    ``baseline``: a previous timetable; its meetings are hinted and each one not kept costs
    ``moved_meeting``. ``keep_courses``: courses fixed to their baseline placement (those whose
    baseline is still possible). ``relax``: courses that cannot be placed are left out at a
    cost of ``unplaced_period`` per contact period instead of making the instance infeasible.

    Returns the best timetable found (not yet verified: see :mod:`scheduler.pipeline`), or the
    status and, when proven infeasible and ``explain`` is set, the requirement groups involved.
    """
    started = time.perf_counter()
    if params is None:
        params = SolverParams(time_limit=default_time_limit(instance))
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar, room_limit(instance))
    missing = _courses_without_options(instance, options)
    if missing and not relax:
        return SolveResult(SolveStatus.INFEASIBLE, None, None, explanation=tuple(missing))
    keep = frozenset(keep_courses)

    if len(options.options) > CONSTRUCT_OPTIONS and baseline is None and not relax:
        deadline = started + (params.time_limit if params.time_limit is not None else 3600.0)
        chosen, stats1 = construct(instance, calendar, options, params, deadline, on_progress,
                                   lambda: time.perf_counter() - started)
        if chosen is not None and stats1 is not None:
            stats1 = replace(stats1, time_to_first=time.perf_counter() - started)
            start = Incumbent(chosen, *evaluate(instance, calendar, options, chosen))
            return _optimise_by_lns(instance, calendar, options, start, stats1, params,
                                    started, on_progress, baseline, keep, relax, missing)
        if stats1 is not None and stats1.interrupted:
            return SolveResult(SolveStatus.UNKNOWN, None, replace(
                stats1, wall_time=time.perf_counter() - started))
        # a group could not be placed: the whole model decides, in the time that is left
        params = replace(params, time_limit=max(0.1, deadline - time.perf_counter()))

    feasibility = TimetableModel(instance, calendar, options, relax=relax)
    choice = baseline_choice(feasibility, baseline) if baseline is not None else {}
    apply_baseline(feasibility, choice, keep)
    first_params = replace(params, extra={**params.extra, "stop_after_first_solution": True})
    solver1, stats1 = run_cpsat(feasibility.model, first_params, on_progress=on_progress,
                                phase="feasible", time_offset=time.perf_counter() - started)
    if not stats1.has_solution:
        if keep and stats1.status == SolveStatus.INFEASIBLE:
            return solve_timetable(instance, params, on_progress, explain, baseline, (), relax)
        explanation: tuple[str, ...] = tuple(missing)
        if stats1.status == SolveStatus.INFEASIBLE and explain:
            explanation = explain_families(instance, calendar, options, params)
        return SolveResult(stats1.status, None, _merge(stats1, None, time.perf_counter()
                                                        - started), explanation=explanation)

    if len(options.options) > FULL_MODEL_OPTIONS:
        chosen = read_choice(feasibility, solver1)
        if baseline is None and not relax and not stats1.interrupted:
            start, origin, stopped = _better_start(instance, calendar, options, chosen, params,
                                                   started, on_progress)
        else:
            start = Incumbent(chosen, *evaluate(instance, calendar, options, chosen, baseline,
                                                relax))
            origin, stopped = "phase 1", False
        return _optimise_by_lns(instance, calendar, options, start, stats1, params, started,
                                on_progress, baseline, keep, relax, missing, origin,
                                stopped or stats1.interrupted)
    tm = TimetableModel(instance, calendar, options, relax=relax)
    terms = ObjectiveBuilder(tm, baseline).build()
    apply_baseline(tm, {c: choice[c] for c in keep if c in choice}, keep)
    hint_from(tm, feasibility, solver1)
    remaining = None
    if params.time_limit is not None:
        remaining = params.time_limit - (time.perf_counter() - started)
    stats2 = None
    if not stats1.interrupted and (remaining is None or remaining > 0.5):
        solver2, stats2 = run_cpsat(tm.model, optimisation_params(
                                        replace(params, time_limit=remaining)),
                                    on_progress=on_progress, phase="optimize",
                                    time_offset=time.perf_counter() - started)
        if stats2.has_solution:
            counts = {t.name: t.count(solver2) for t in terms}
            # CP-SAT reports the objective of its presolved solution, which can exceed the
            # true cost of the returned (postsolved) one; report the true cost.
            exact = sum(t.weight * counts[t.name] for t in terms)
            stats2 = replace(stats2, objective=float(exact))
            return SolveResult(stats2.status, extract_timetable(tm, solver2),
                               _merge(stats1, stats2, time.perf_counter() - started), counts,
                               explanation=tuple(missing))
    timetable = extract_timetable(feasibility, solver1)
    return SolveResult(SolveStatus.FEASIBLE, timetable, _merge(stats1, stats2, time.perf_counter()
                                                      - started), explanation=tuple(missing))

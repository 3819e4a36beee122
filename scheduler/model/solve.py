"""Solve an instance: options, a quick feasible timetable, then optimisation from it.

:func:`solve_timetable` picks one of three strategies by the number of meeting options
(thresholds in :class:`~scheduler.model.params.LnsSettings`):

* **whole model** (:func:`solve_whole_model`): phase 1 solves the hard rules only and stops
  at the first timetable (fast, and it tells an infeasible instance apart early); phase 2
  adds the soft terms and starts from that timetable as a solution hint, for the rest of the
  time limit; unless it proves its timetable optimal, large-neighbourhood search improves
  that timetable for the last ``polish_share`` of the time (one weighted sum, or the tiers
  in order again);
* **phase 1 and LNS** (:func:`solve_phase1_lns`, above ``full_model_options``): phase 1's
  timetable, or a cheaper one built group by group, improved by large-neighbourhood search,
  then a lower bound from independent parts;
* **construction and LNS** (:func:`solve_construction_lns`, fresh solves above
  ``construct_options``): the first timetable is built group by group, then the same search
  and bound.

Every search takes its time from one clock, started when the solve starts
(:class:`~scheduler.model.context.SolveContext`): a first phase that fails, a fallback from
the construction to the whole model and a retry without the courses kept to a baseline all
get only what is left of ``params.time_limit``, never the whole limit again. Only what runs
after the last search is not counted: reading the timetable found and costing it (one model
with every decision fixed).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import (
    RunStats,
    SolverParams,
    SolveStatus,
    assumption_core,
    release_memory,
    run_cpsat,
)
from scheduler.instance import Instance
from scheduler.interrupt import stop_requested
from scheduler.model.baseline import apply_baseline, baseline_choice
from scheduler.model.bound import LowerBound, lower_bound
from scheduler.model.builder import FAMILIES, TimetableModel
from scheduler.model.construct import construct
from scheduler.model.context import SolveContext
from scheduler.model.lns import (
    Choice,
    EvaluationFailed,
    Incumbent,
    LnsResult,
    evaluate,
    measure,
    read_choice,
    run_lns,
)
from scheduler.model.norm_bounds import (
    NORM_RULES,
    NormBounds,
    forced_hard_rules,
    hard_rule_sentence,
    norm_bounds,
)
from scheduler.model.objective import ObjectiveBuilder, SoftTerm, tiers_of
from scheduler.model.options import OptionSet
from scheduler.model.params import LnsSettings, SolveRequest, optimisation_params
from scheduler.model.planned import planned_trips
from scheduler.model.proposals import Proposal, propose_trips, within_trips
from scheduler.model.tiers import (
    TieredRun,
    TierOutcome,
    lns_tiers,
    solve_tiers,
    tier_floor,
    tiers_in,
)
from scheduler.progress import Progress, ProgressCallback
from scheduler.timetable import Meeting, Timetable


@dataclass(frozen=True)
class SolveResult:
    """What a solve achieved.

    ``status`` is ``OPTIMAL``, ``FEASIBLE`` (a timetable, optimality not proven),
    ``INFEASIBLE`` (proven: no timetable exists) or ``UNKNOWN`` (none found in time).
    ``objective_terms`` holds the solver's claimed count of each soft term (unweighted);
    ``explanation`` lists, when infeasible, what cannot hold together, in words;
    ``lower_bound`` is the bound from independent parts after large-neighbourhood search;
    ``not_optimised`` says why the timetable returned was not optimised (time ran out after
    the first timetable, CP-SAT rejected the optimisation model, an interrupt): it is then
    only a timetable that keeps the hard rules, and the solver's objective
    (``stats.objective``) may be ``None``. ``tiers`` holds the cost, bound and proof of each
    tier holding a rule after a lexicographic solve (after a flat one, none);
    ``norm_bounds`` the structural bounds of the norm rules, with their reasons.
    """

    status: SolveStatus
    timetable: Timetable | None
    stats: RunStats | None
    objective_terms: dict[str, int] = field(default_factory=dict)
    explanation: tuple[str, ...] = ()
    lower_bound: LowerBound | None = None
    not_optimised: str = ""
    tiers: tuple[TierOutcome, ...] = ()
    norm_bounds: NormBounds | None = None

    @property
    def has_timetable(self) -> bool:
        """True when a timetable was found."""
        return self.timetable is not None

    @property
    def optimised(self) -> bool:
        """True unless the solve ended without optimising its timetable (see
        ``not_optimised``)."""
        return not self.not_optimised


def default_time_limit(instance: Instance) -> float:
    """A time limit that suits the instance size: 30 s for small terms, up to 600 s."""
    return float(min(600, max(30, 20 + len(instance.courses) // 2)))


def timetable_of(options: OptionSet, chosen: dict[int, Choice]) -> Timetable:
    """The meetings of the chosen options (option index -> room, interpreter)."""
    return Timetable(tuple(
        Meeting(day.date, option.block.first_period, option.block.last_period,
                option.course.id, room, interpreter, option.mode)
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
    ObjectiveBuilder(tm).build_hard()
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


DEFAULT_SETTINGS = LnsSettings()
"""The tuning :func:`solve_timetable` uses when it is given none."""


def solve_timetable(instance: Instance, params: SolverParams | None = None,
                    on_progress: ProgressCallback | None = None,
                    request: SolveRequest | None = None,
                    settings: LnsSettings | None = None) -> SolveResult:
    """Timetable ``instance`` with CP-SAT, minimising the weighted soft terms.

    ``request`` says what is asked besides (a baseline to stay close to, courses to keep,
    relaxed placement, explanations; see :class:`~scheduler.model.params.SolveRequest`);
    ``settings`` tunes the strategies for large instances (default :data:`DEFAULT_SETTINGS`).

    Returns the best timetable found (not yet verified: see :mod:`scheduler.pipeline`), or the
    status and, when proven infeasible and ``request.explain`` is set, the requirement groups
    involved.
    """
    request = request or SolveRequest()
    if params is None:
        params = SolverParams(time_limit=default_time_limit(instance))
    ctx = SolveContext.start(instance, params, request, settings or DEFAULT_SETTINGS,
                             on_progress)
    if ctx.unplaceable and not request.relax:
        return SolveResult(SolveStatus.INFEASIBLE, None, None, explanation=ctx.unplaceable)
    forced = _forced_hard_rules(ctx)
    if forced:
        return SolveResult(SolveStatus.INFEASIBLE, None, None, explanation=forced)
    result = _as_asked(_with_trips(ctx, _solve(ctx)), params)
    if result.timetable is not None and result.norm_bounds is None and not request.relax:
        result = replace(result, norm_bounds=norm_bounds(ctx.instance, ctx.calendar))
    result = _with_structural_bound(ctx, result)
    if stop_requested() and result.stats is not None and not result.stats.interrupted:
        # a stop between two searches (none was running to report it)
        result = replace(result, stats=replace(result.stats, interrupted=True))
    release_memory()  # the searches' models are dropped: the outputs get their memory
    return result


def _forced_hard_rules(ctx: SolveContext) -> tuple[str, ...]:
    """Why no timetable exists when the ``weights`` table makes a norm rule hard that the
    structural bounds force (each reason a line); empty otherwise, and in a relaxed solve
    (courses left out may remove what forces it)."""
    if ctx.request.relax or not ctx.instance.levels.hard(NORM_RULES):
        return ()
    bounds = norm_bounds(ctx.instance, ctx.calendar)  # every option: a bound of every timetable
    return tuple(line for rule in forced_hard_rules(ctx.instance, bounds)
                 for line in (hard_rule_sentence(rule),
                              *(f"  {c.sentence()}" for c in rule.certificates)))


def _solve(ctx: SolveContext) -> SolveResult:
    """The strategy for the instance's size (see the module docstring)."""
    request = ctx.request
    size = len(ctx.options.options)
    if size > ctx.settings.construct_options and request.fresh:
        result = solve_construction_lns(ctx)
        if result is not None:
            return result
        # a group could not be placed, with time left: the whole model decides in that time
        # (phase 1 takes its limit from the same clock)
    phase1 = first_timetable(ctx)
    if not phase1.stats.has_solution:
        return _without_timetable(ctx, phase1.stats)
    if request.relax and not phase1.model.relax:
        # a timetable of every course: placing them all is the placement tier's optimum, so
        # the optimisation goes on as a plain solve (the relaxed model's search did not
        # always find it again from the hint in a short time limit)
        ctx = replace(ctx, request=replace(request, relax=False))
    if size > ctx.settings.full_model_options:
        return solve_phase1_lns(ctx, phase1)
    return solve_whole_model(ctx, phase1)


SEARCH_FACTS = ("subsolvers", "strategy", "lns_iterations", "lns_median_variables",
                "lns_median_constraints")
"""What the result's parameters keep of its last CP-SAT run's: how the search went."""


def _with_structural_bound(ctx: SolveContext, result: SolveResult) -> SolveResult:
    """The result with the whole objective's bound at least the norm tier's structural
    bound: every timetable costs at least its norms' forced part, and CP-SAT's bound of a
    weighted sum (``--flat``) can be lower."""
    floors, stats = result.norm_bounds, result.stats
    if floors is None or stats is None or stats.objective is None:
        return result
    levels = ctx.instance.levels
    floor = floors.bound_value(ctx.instance.weights, tuple(
        r.rule for r in floors.rules if levels.of(r.rule) == "norm"))
    if floor <= (stats.best_bound or 0):
        return result
    bound = float(min(floor, stats.objective))
    return replace(result, stats=replace(stats, best_bound=bound))


def _as_asked(result: SolveResult, params: SolverParams) -> SolveResult:
    """The result with the caller's parameters (time limit, workers, seed, CP-SAT's extras)
    and how the search went, instead of the parameters of the CP-SAT run that ended it (a
    phase's share of the time limit, ``stop_after_first_solution`` ...)."""
    if result.stats is None:
        return result
    facts = {k: v for k, v in result.stats.params.items() if k in SEARCH_FACTS}
    return replace(result, stats=replace(result.stats, params={**params.as_dict(), **facts}))


def _with_trips(ctx: SolveContext, result: SolveResult) -> SolveResult:
    """The result with the trips of the planned visitors (:mod:`scheduler.model.planned`)."""
    timetable = result.timetable
    if timetable is None or timetable.trips or not ctx.instance.planned_visitors:
        return result
    trips = planned_trips(ctx.instance, ctx.calendar, ctx.options, timetable,
                          result.objective_terms, ctx.request.relax)
    return replace(result, timetable=replace(timetable, trips=trips))


@dataclass(frozen=True)
class FirstTimetable:
    """The first timetable (hard rules only), with the baseline placements it reproduces."""

    model: TimetableModel
    choice: dict[str, dict[int, str]]
    solver: cp_model.CpSolver
    stats: RunStats


RELAXED_FULL_SHARE = 0.25
"""A relaxed solve first looks for a timetable that places every course, for at most this
share of its time, and when it finds one goes on as a plain solve: the relaxed model's
first solution leaves courses out, and with a short time limit its optimisation did not
place them all again (3 to 10 of the default term's 22 courses left out at 10 s, which a
plain solve places in 0.2 s)."""


def first_timetable(ctx: SolveContext) -> FirstTimetable:
    """Solve the hard rules until the first timetable, the baseline hinted (its kept courses
    fixed). A relaxed solve takes a timetable of every course when one is found within
    :data:`RELAXED_FULL_SHARE` of its time, and one that may leave courses out otherwise."""
    request = ctx.request
    if request.relax and not ctx.unplaceable and not request.placed_all_impossible:
        left = ctx.remaining()
        full = _first_of(ctx, replace(request, relax=False), None if left is None
                         else RELAXED_FULL_SHARE * left)
        if full.stats.has_solution or full.stats.interrupted:
            return full
    return _first_of(ctx, request, ctx.remaining())


def _first_of(ctx: SolveContext, request: SolveRequest, seconds: float | None
              ) -> FirstTimetable:
    """The first timetable of ``request``'s model within ``seconds``: in a re-solve of the
    same term (no courses to keep: a scenario's run keeps the courses its changes leave
    alone instead), the baseline itself when it is a timetable of the model (every course
    placed as in it); else the first found with the baseline hinted."""
    if request.baseline is not None and not request.relax and not request.keep_courses:
        kept = _baseline_as_first(ctx, request, seconds)
        if kept is not None:
            return kept
    feasibility = TimetableModel(ctx.instance, ctx.calendar, ctx.options, relax=request.relax)
    ObjectiveBuilder(feasibility, request.baseline).build_hard()
    choice = (baseline_choice(feasibility, request.baseline)
              if request.baseline is not None else {})
    apply_baseline(feasibility, choice, request.keep_courses, request.baseline)
    left = replace(ctx.params, time_limit=seconds)
    first_params = replace(left, extra={**left.extra, "stop_after_first_solution": True})
    solver, stats = run_cpsat(feasibility.model, first_params, on_progress=ctx.on_progress,
                              phase="feasible", time_offset=ctx.elapsed())
    return FirstTimetable(feasibility, choice, solver, stats)


BASELINE_CHECK_SECONDS = 5.0
"""At most this long to complete the baseline as the first timetable (its decisions fixed,
CP-SAT derives the rest; it takes a fraction of a second on the shipped terms)."""


def _baseline_as_first(ctx: SolveContext, request: SolveRequest,
                       seconds: float | None) -> FirstTimetable | None:
    """The baseline as the first timetable, when every course of the instance is placed in it
    exactly as an option of the model allows and the hard rules hold with all of them fixed;
    ``None`` otherwise (a changed term, a stop request). A re-solve then starts from the
    baseline, so it never returns a timetable costlier than keeping it: the first timetable
    found with the baseline only hinted was an arbitrary one (a re-solve of an unchanged
    timetable moved 350 of its 506 meetings in 10 s)."""
    if request.baseline is None:
        return None
    model = TimetableModel(ctx.instance, ctx.calendar, ctx.options)
    ObjectiveBuilder(model, request.baseline).build_hard()
    choice = baseline_choice(model, request.baseline)
    if set(choice) != set(model.options.by_course) or stop_requested():
        return None
    apply_baseline(model, choice, frozenset(choice), request.baseline)
    limit = BASELINE_CHECK_SECONDS if seconds is None else min(seconds, BASELINE_CHECK_SECONDS)
    params = replace(ctx.params, time_limit=limit,
                     extra={**ctx.params.extra, "stop_after_first_solution": True})
    solver, stats = run_cpsat(model.model, params, on_progress=ctx.on_progress,
                              phase="feasible", time_offset=ctx.elapsed())
    if not stats.has_solution:
        return None
    return FirstTimetable(model, choice, solver, stats)


def _without_timetable(ctx: SolveContext, stats: RunStats) -> SolveResult:
    """Phase 1 found no timetable: solve again without the kept courses if they are to blame,
    else say why (when proven infeasible and asked to)."""
    request = ctx.request
    if request.keep_courses and stats.status == SolveStatus.INFEASIBLE:
        left = ctx.remaining()
        if left is not None and left < ctx.settings.min_run_seconds:
            # nothing is proven about the instance itself, and no time is left to find out
            return SolveResult(SolveStatus.UNKNOWN, None,
                               replace(stats, status=SolveStatus.UNKNOWN,
                                       wall_time=ctx.elapsed()))
        retry = solve_timetable(ctx.instance, replace(ctx.params, time_limit=left),
                                ctx.on_progress, replace(request, keep_courses=frozenset()),
                                ctx.settings)
        return _timed_from_start(ctx, retry)
    explanation = ctx.unplaceable
    if stats.status == SolveStatus.INFEASIBLE and request.explain:
        explanation = explain_families(ctx.instance, ctx.calendar, ctx.options,
                                       ctx.params_left())
    return SolveResult(stats.status, None, _merge(stats, None, ctx.elapsed()),
                       explanation=explanation)


def _timed_from_start(ctx: SolveContext, result: SolveResult) -> SolveResult:
    """A result of a solve started again within ``ctx``, its times counted from ``ctx``'s
    start."""
    if result.stats is None:
        return result
    offset = ctx.elapsed() - result.stats.wall_time
    first = result.stats.time_to_first
    return replace(result, stats=replace(
        result.stats, wall_time=ctx.elapsed(),
        time_to_first=None if first is None else first + offset))


def solve_whole_model(ctx: SolveContext, phase1: FirstTimetable) -> SolveResult:
    """Phase 2 on the whole model, hinted with phase 1's timetable, for the rest of the time
    limit: the tiers one after the other (:mod:`scheduler.model.tiers`), or one weighted sum
    when the request is flat or only one tier has rules; phase 1's timetable when no better
    one is found."""
    request = ctx.request
    tm = TimetableModel(ctx.instance, ctx.calendar, ctx.options, relax=request.relax)
    terms = ObjectiveBuilder(tm, request.baseline).build()
    keep = request.keep_courses
    apply_baseline(tm, {c: phase1.choice[c] for c in keep if c in phase1.choice}, keep,
                   request.baseline)
    hint_from(tm, phase1.model, phase1.solver)
    floors = None if request.relax else norm_bounds(ctx.instance, ctx.calendar)
    tiers = [] if request.flat else tiers_of(terms)
    remaining = ctx.remaining()
    runs: tuple[RunStats, ...] = ()
    if phase1.stats.interrupted:
        why = "interrupted before the optimisation started"
    elif remaining is not None and remaining <= ctx.settings.min_run_seconds:
        why = (f"no time was left for the optimisation after the first timetable "
               f"({ctx.elapsed():.1f} s of the {ctx.limit:g} s time limit used)")
    else:
        polish = _polish_seconds(ctx, remaining)
        if len(tiers) > 1:
            run = solve_tiers(ctx, tm, terms, tiers, floors, reserve=polish)
            solver2, outcomes, runs = run.solver, run.tiers, run.runs
            if (polish and not stop_requested() and not any(r.interrupted for r in runs)
                    and _worth_polishing(solver2, runs)
                    and not (outcomes and all(t.optimal for t in outcomes))):
                return _polished_tiers(ctx, _best_choice(ctx, tm, solver2, phase1), terms,
                                       phase1.stats, run, tiers, floors)
        else:
            whole = None if remaining is None else remaining - polish
            solver2, stats = run_cpsat(tm.model, optimisation_params(
                                           replace(ctx.params, time_limit=whole)),
                                       on_progress=ctx.on_progress, phase="optimize",
                                       time_offset=ctx.elapsed())
            solver2 = solver2 if stats.has_solution else None
            outcomes, runs = (), (stats,)
            if (polish and not stats.interrupted and not stop_requested()
                    and _worth_polishing(solver2, runs)
                    and stats.status != SolveStatus.OPTIMAL):
                return _polished(ctx, _best_choice(ctx, tm, solver2, phase1), phase1.stats, stats,
                                 floors, tiers)
        if solver2 is not None:
            result = _optimised(ctx, tm, terms, solver2, phase1.stats, runs, outcomes, floors,
                                tiers)
            return _baseline_if_cheaper(ctx, result, phase1)
        why = (_why_not_optimised(runs[-1], remaining) if runs else
               "interrupted before the optimisation started" if stop_requested() else
               "no time was left for the optimisation after the first timetable")
    timetable = extract_timetable(phase1.model, phase1.solver)
    stats = _merge(phase1.stats, None, ctx.elapsed())
    if any(r.interrupted for r in runs):  # phase 1's timetable, the optimisation stopped
        stats = replace(stats, interrupted=True)
    return SolveResult(SolveStatus.FEASIBLE, timetable, stats, explanation=ctx.unplaceable,
                       not_optimised=why, norm_bounds=floors)


def _baseline_if_cheaper(ctx: SolveContext, result: SolveResult,
                         phase1: FirstTimetable) -> SolveResult:
    """In a re-solve against a baseline, phase 1's timetable (the baseline itself when it is
    a timetable of the model) instead of ``result`` when it costs less: a short optimisation
    may end above it."""
    if ctx.request.baseline is None or result.stats is None or result.stats.objective is None:
        return result
    first = read_choice(phase1.model, phase1.solver)
    objective, counts = _evaluate(ctx, first)
    if objective >= result.stats.objective:
        return result
    return replace(result, status=SolveStatus.FEASIBLE, timetable=timetable_of(ctx.options, first),
                   objective_terms=counts, tiers=(),
                   stats=replace(result.stats, status=SolveStatus.FEASIBLE,
                                 objective=float(objective)))


def _worth_polishing(solver: cp_model.CpSolver | None, runs: tuple[RunStats, ...]) -> bool:
    """Whether LNS may follow the whole model: it found a timetable, or it only ran out of
    time (not a model CP-SAT rejects, whose objective LNS could not evaluate either)."""
    return solver is not None or all(r.status == SolveStatus.UNKNOWN for r in runs)


def _best_choice(ctx: SolveContext, tm: TimetableModel, solver: cp_model.CpSolver | None,
                 phase1: FirstTimetable) -> dict[int, Choice]:
    """The whole model's timetable, or phase 1's when the whole model found none in its
    time (a loaded machine: LNS then starts from phase 1's timetable) or, in a re-solve
    against a baseline, when phase 1's costs less (it is the baseline itself when that is a
    timetable of the model: CP-SAT did not always take it up from the hint)."""
    first = read_choice(phase1.model, phase1.solver)
    if solver is None:
        return first
    whole = read_choice(tm, solver)
    if ctx.request.baseline is not None and \
            _evaluate(ctx, first)[0] < _evaluate(ctx, whole)[0]:
        return first
    return whole


def _polish_seconds(ctx: SolveContext, remaining: float | None) -> float:
    """The seconds at the end of a whole-model optimisation that large-neighbourhood
    search gets from the whole model's timetable (``polish_share`` of what is left; none
    without a time limit or when less than ``min_run_seconds`` would be left to either)."""
    if remaining is None or not ctx.settings.polish_share:
        return 0.0
    polish = ctx.settings.polish_share * remaining
    least = ctx.settings.min_run_seconds
    return polish if polish >= least and remaining - polish >= least else 0.0


def _polishing(ctx: SolveContext) -> SolveContext:
    """The context of the search that follows the whole model (its destroy operators:
    ``LnsSettings.polish_operators``)."""
    return replace(ctx, settings=ctx.settings.polishing())


def _polished(ctx: SolveContext, chosen: dict[int, Choice], first: RunStats,
              whole: RunStats, floors: NormBounds | None, tiers: list[str]) -> SolveResult:
    """The whole model's timetable ``chosen`` improved by large-neighbourhood search until the
    time limit, or until it meets CP-SAT's bound of the whole model (a bound of every
    timetable); the status is OPTIMAL only when it does. ``tiers``: the one tier holding
    rules of a lexicographic solve (none when flat)."""
    bound = whole.best_bound
    result = run_lns(_polishing(ctx), _measure(ctx, chosen), ctx.deadline(), bound=bound)
    objective, counts = _evaluate(ctx, result.incumbent.chosen)
    proven = bound is not None and bound >= objective
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    stats = replace(_after_lns(_merge(first, whole, ctx.elapsed()), result, objective,
                               "whole model"), status=status)
    return SolveResult(status, timetable_of(ctx.options, result.incumbent.chosen), stats,
                       counts, explanation=ctx.unplaceable, norm_bounds=floors,
                       tiers=_one_tier(tiers, objective, bound, proven))


def _polished_tiers(ctx: SolveContext, chosen: dict[int, Choice], terms: list[SoftTerm],
                    first: RunStats, run: TieredRun, tiers: list[str],
                    floors: NormBounds | None) -> SolveResult:
    """The tiered whole model's timetable ``chosen`` improved by large-neighbourhood search
    until the time limit, the tiers in the same order (:func:`lns_tiers`, without the
    weighted sum first; only the last tier, the others held, unless ``polish_every_tier``),
    each stopping at its bound: CP-SAT's bound of the tier from :func:`solve_tiers` (still a
    bound: LNS holds the tiers before it at most at the values CP-SAT held them to) or its
    structural floor. Measured in docs/performance.md ("The tiers, then LNS")."""
    bounds = {t.name: t.bound for t in run.tiers if t.bound is not None}
    searched = None if ctx.settings.polish_every_tier else tiers[-1:]
    result, outcomes = lns_tiers(_polishing(ctx), _measure(ctx, chosen), ctx.deadline(),
                                 tiers, floors, warm=False, bounds=bounds, searched=searched)
    objective, counts = _evaluate(ctx, result.incumbent.chosen)
    proven = all(t.optimal for t in outcomes)
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    stats = replace(_after_lns(_merge_runs(first, run.runs, ctx.elapsed()), result, objective,
                               "whole model"), status=status, best_bound=float(
        objective if proven else _whole_bound(outcomes, terms, floors, ctx)))
    return SolveResult(status, timetable_of(ctx.options, result.incumbent.chosen), stats,
                       counts, explanation=ctx.unplaceable, tiers=outcomes, norm_bounds=floors)


def _optimised(ctx: SolveContext, tm: TimetableModel, terms: list[SoftTerm],
               solver: cp_model.CpSolver, first: RunStats, runs: tuple[RunStats, ...],
               tiers: tuple[TierOutcome, ...], floors: NormBounds | None,
               names: list[str]) -> SolveResult:
    """The result of an optimisation whose last run holds a timetable (``tiers``: the
    outcomes of a lexicographic solve of several tiers; ``names``: the tiers holding rules,
    none when flat).

    CP-SAT reports the objective of its presolved solution, which can exceed the true cost of
    the returned (postsolved) one; the counts and the cost are read from the solution. After
    a lexicographic solve the status is OPTIMAL only when every tier is proven minimal, and
    the bound is that of the whole objective only when there is one tier.
    """
    counts = {t.name: t.count(solver) for t in terms}
    exact = sum(t.weight * counts[t.name] for t in terms if not t.hard)
    last = runs[-1] if runs[-1].has_solution else next(r for r in reversed(runs)
                                                        if r.has_solution)
    stats = replace(_merge_runs(first, runs, ctx.elapsed()), objective=float(exact))
    status = last.status
    if tiers:
        proven = all(t.optimal for t in tiers)
        status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        stats = replace(stats, status=status, best_bound=float(
            exact if proven else _whole_bound(tiers, terms, floors, ctx)))
    else:
        tiers = _one_tier(names, exact, stats.best_bound, status == SolveStatus.OPTIMAL)
    return SolveResult(status, extract_timetable(tm, solver), stats, counts,
                       explanation=ctx.unplaceable, tiers=tiers, norm_bounds=floors)


def _one_tier(names: list[str], cost: int, bound: float | None,
              optimal: bool) -> tuple[TierOutcome, ...]:
    """The outcome of a lexicographic solve whose rules all lie in one tier (``names``),
    searched as one weighted sum: that tier's cost, bound and proof; none after a flat solve
    (no ``names``)."""
    if len(names) != 1:
        return ()
    floor = None if bound is None else min(cost, math.ceil(bound - 1e-6))
    return (TierOutcome(names[0], cost, cost if optimal else floor, optimal),)


def _whole_bound(tiers: tuple[TierOutcome, ...], terms: list[SoftTerm],
                 floors: NormBounds | None, ctx: SolveContext) -> int:
    """A lower bound on the whole weighted objective of any timetable after a lexicographic
    solve: the first tier's bound holds for every timetable, a later tier's only given the
    tiers before it, except the structural bound of the norm tier."""
    whole = tiers[0].bound or 0
    if tiers[0].name != "norm":
        whole += tier_floor("norm", terms, floors, ctx.instance.weights)
    return whole


def _merge_runs(first: RunStats, runs: tuple[RunStats, ...], elapsed: float) -> RunStats:
    """Phase 1 followed by the optimisation runs, as one run."""
    merged = _merge(first, runs[0], elapsed)
    for later in runs[1:]:
        merged = replace(later, wall_time=elapsed, time_to_first=merged.time_to_first,
                         solutions=merged.solutions + later.solutions,
                         interrupted=merged.interrupted or later.interrupted,
                         trace=merged.trace + later.trace)
    return merged


def _why_not_optimised(stats: RunStats, seconds: float | None) -> str:
    """Why an optimisation run that returned no timetable did not (in words)."""
    if stats.status == SolveStatus.MODEL_INVALID:
        return ("CP-SAT rejected the optimisation model as invalid (MODEL_INVALID): a weight, "
                "size or count is too large for its 64-bit arithmetic")
    if stats.interrupted:
        return "interrupted before the optimisation found a timetable"
    if stats.status == SolveStatus.UNKNOWN:
        within = "" if seconds is None else f" in the {seconds:.1f} s left"
        return f"the optimisation found no timetable{within}; a longer time limit may help"
    return f"the optimisation ended {stats.status} without a timetable"


def solve_phase1_lns(ctx: SolveContext, phase1: FirstTimetable) -> SolveResult:
    """LNS from phase 1's timetable or, in a fresh solve, from a cheaper one built group by
    group (:func:`_better_start`), then a lower bound."""
    chosen = read_choice(phase1.model, phase1.solver)
    try:
        if ctx.request.fresh and not phase1.stats.interrupted:
            start, origin, stopped = _better_start(ctx, chosen)
        else:
            start = _measure(ctx, chosen)
            origin, stopped = "phase 1", False
        return _lns_and_bound(ctx, start, phase1.stats, origin,
                              stopped or phase1.stats.interrupted)
    except EvaluationFailed as failed:
        return _not_costed(ctx, chosen, phase1.stats, failed)


def solve_construction_lns(ctx: SolveContext) -> SolveResult | None:
    """LNS from a first timetable built group by group, then a lower bound; ``None`` when
    a group could not be placed with time left (the caller falls back to the whole model).

    A construction that ran out of time (or was interrupted) ends the solve without a
    timetable: the whole model of a term this large takes more than a minute and gigabytes
    to build (8x term: 6.2 GB in phase 1) and could not be searched in the time left.
    """
    every = ctx.options
    ctx, proposals = _near_proposals(ctx)
    chosen, stats1 = construct(ctx.instance, ctx.calendar, ctx.options, ctx.params,
                               ctx.deadline(), ctx.on_progress, ctx.elapsed, proposals)
    if chosen is not None and stats1 is not None:
        stats1 = replace(stats1, time_to_first=ctx.elapsed())
        try:
            start = _measure(ctx, chosen)
            return _lns_and_bound(ctx, start, stats1, "construction", bound_options=every)
        except EvaluationFailed as failed:
            return _not_costed(ctx, chosen, stats1, failed)
    left = ctx.remaining()
    out_of_time = left is not None and left < ctx.settings.min_run_seconds
    if (stats1 is not None and stats1.interrupted) or out_of_time:
        stats = stats1 or RunStats(SolveStatus.UNKNOWN, None, None, 0.0, None, 0, False, 0, 0,
                                   ctx.params.as_dict())
        return SolveResult(SolveStatus.UNKNOWN, None, replace(
            stats, status=SolveStatus.UNKNOWN, wall_time=ctx.elapsed()))
    return None


def _near_proposals(ctx: SolveContext) -> tuple[SolveContext, dict[str, tuple[Proposal, ...]]]:
    """The trips proposed for the planned visitors (:mod:`scheduler.model.proposals`), and
    the solve with their meetings kept within the settings' ``trip_margin_days`` of them."""
    if not ctx.instance.planned_visitors:
        return ctx, {}
    proposals = propose_trips(ctx.instance, ctx.calendar, ctx.options)
    margin = ctx.settings.trip_margin_days
    if not proposals or margin is None:
        return ctx, proposals
    near, _ = within_trips(ctx.options, proposals, margin)
    return replace(ctx, options=near), proposals


def _not_costed(ctx: SolveContext, chosen: dict[int, Choice], stats: RunStats,
                failed: EvaluationFailed) -> SolveResult:
    """The first timetable as it is, when CP-SAT cannot even cost it (so LNS cannot run)."""
    return SolveResult(SolveStatus.FEASIBLE, timetable_of(ctx.options, chosen),
                       replace(stats, status=SolveStatus.FEASIBLE, objective=None,
                               best_bound=None, wall_time=ctx.elapsed()),
                       explanation=ctx.unplaceable,
                       not_optimised=_why_not_optimised(failed.stats, None))


def _evaluate(ctx: SolveContext, chosen: dict[int, Choice]) -> tuple[int, dict[str, int]]:
    return evaluate(ctx.instance, ctx.calendar, ctx.options, chosen, ctx.request.baseline,
                    ctx.request.relax)


def _measure(ctx: SolveContext, chosen: dict[int, Choice]) -> Incumbent:
    return measure(ctx.instance, ctx.calendar, ctx.options, chosen, ctx.request.baseline,
                   ctx.request.relax)


def _better_start(ctx: SolveContext,
                  chosen: dict[int, Choice]) -> tuple[Incumbent, str, bool]:
    """Phase 1's timetable or, if cheaper, one built group by group with the soft terms.

    Phase 1 ignores the soft terms, so its timetable is expensive (steady state: ~45,000);
    the construction optimises each group as it places it (~21,000) and LNS goes further
    from there in the same time (see docs/performance.md). The construction may use up to
    ``construct_share`` of the time limit; phase 1's timetable stays if it fails.
    Returns the start, where it came from, and whether the user interrupted.
    """
    start = _measure(ctx, chosen)
    if ctx.on_progress is not None:
        ctx.on_progress(Progress(ctx.elapsed(), 1, float(start.objective), None, "feasible"))
    deadline = ctx.deadline(ctx.settings.construct_share)
    if deadline - time.perf_counter() < ctx.settings.min_construct_seconds:
        return start, "phase 1", False
    built, stats = construct(ctx.instance, ctx.calendar, ctx.options, ctx.params, deadline,
                             ctx.on_progress, ctx.elapsed)
    if built is None:
        return start, "phase 1", stats is not None and stats.interrupted
    second = _measure(ctx, built)
    if second.objective < start.objective:
        return second, "construction", False
    return start, "phase 1", False


def _lns_and_bound(ctx: SolveContext, start: Incumbent, stats1: RunStats, origin: str,
                   interrupted: bool = False,
                   bound_options: OptionSet | None = None) -> SolveResult:
    """LNS from the ``start`` timetable, then a lower bound.

    Unless the request is flat, the tiers are minimised in order (:func:`lns_tiers`) when
    more than one holds a rule. LNS proves nothing, so the last ``bound_share`` of the time
    limit goes to :func:`scheduler.model.bound.lower_bound` (not in relaxed mode, where
    courses may be left out and the parts would not be relaxations), over ``bound_options``
    when the search was given fewer options than the instance has. After an interrupt,
    ``start`` is returned as it is.
    """
    deadline = time.perf_counter() if interrupted else ctx.deadline()
    bound_seconds = (0.0 if ctx.request.relax or interrupted
                     else ctx.settings.bound_share * ctx.limit)
    floors = None if ctx.request.relax else norm_bounds(ctx.instance, ctx.calendar)
    tiers = [] if ctx.request.flat else tiers_in(ctx.instance, ctx.request.relax)
    outcomes: tuple[TierOutcome, ...] = ()
    if len(tiers) > 1:
        result, outcomes = lns_tiers(ctx, start, deadline - bound_seconds, tiers, floors)
    else:
        result = run_lns(ctx, start, deadline - bound_seconds)
    best = result.incumbent
    objective, counts = _evaluate(ctx, best.chosen)
    bound = None
    if bound_seconds and not result.interrupted:
        bound = lower_bound(ctx.instance, ctx.calendar, bound_options or ctx.options,
                            ctx.params, max(0.0, deadline - time.perf_counter()),
                            on_progress=ctx.on_progress, time_offset=ctx.elapsed)
    stats = replace(_after_lns(stats1, result, objective, origin, interrupted),
                    status=SolveStatus.FEASIBLE, wall_time=ctx.elapsed(),
                    best_bound=None if bound is None else float(min(bound.value, objective)))
    status = (SolveStatus.OPTIMAL if bound is not None and bound.value >= objective
              else SolveStatus.FEASIBLE)
    why = ""
    if result.iterations == 0 and status != SolveStatus.OPTIMAL:
        why = ("interrupted before the large-neighbourhood search" if stats.interrupted else
               f"no time was left for large-neighbourhood search after the first timetable "
               f"({ctx.elapsed():.1f} s of the {ctx.limit:g} s time limit used)")
    return SolveResult(status, timetable_of(ctx.options, best.chosen), stats, counts,
                       explanation=ctx.unplaceable, lower_bound=bound, not_optimised=why,
                       tiers=outcomes or _one_tier(tiers, objective, stats.best_bound,
                                                   status == SolveStatus.OPTIMAL),
                       norm_bounds=floors)


def _after_lns(before: RunStats, result: LnsResult, objective: int, origin: str,
               interrupted: bool = False) -> RunStats:
    """``before`` (the runs that gave LNS its start) followed by LNS: its objective,
    improvements, interruption and, in the parameters, the strategy ``<origin> + lns``, its
    iterations and its median sub-model's size."""
    return replace(before, objective=float(objective),
                   solutions=before.solutions + result.improvements,
                   interrupted=before.interrupted or result.interrupted or interrupted,
                   params={**dict(before.params), "strategy": f"{origin} + lns",
                           "lns_iterations": result.iterations,
                           **_lns_model_size(result.model_size)})


def _lns_model_size(size: tuple[int, int] | None) -> dict[str, int]:
    """The median neighbourhood sub-model's size, for ``summary.json`` and the benchmarks
    (the run's own variables and constraints are those of phase 1 or the last group)."""
    if size is None:
        return {}
    return {"lns_median_variables": size[0], "lns_median_constraints": size[1]}

"""Large-neighbourhood search over courses, with CP-SAT re-optimising each neighbourhood:
the term timetable's adapter to the shared engine (:mod:`scheduler.search`).

A neighbourhood (:mod:`scheduler.model.neighbourhoods`) frees the courses of one cohort, one
teacher, one visitor's trip, one weekday, one room type or one interpreter (a few to a few
dozen courses); every other course keeps its current meetings, rooms and interpreters. The
sub-model is built by the same :class:`TimetableModel` and :class:`ObjectiveBuilder` over a
restricted option set (free courses: all their options; fixed courses: their chosen options
only, in their chosen rooms), so its objective is the objective of the whole timetable minus
a constant, and the sub-model is small enough to presolve in moments.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import RunStats, SolverParams, SolveStatus, run_cpsat
from scheduler.instance import Instance
from scheduler.model.builder import TimetableModel, leaf_cohorts
from scheduler.model.context import SolveContext
from scheduler.model.neighbourhoods import (
    OPERATORS,
    Choice,
    Chosen,
    CourseIndex,
    Neighbourhood,
)
from scheduler.model.objective import Expr, ObjectiveBuilder, Scope, SoftTerm, tier_expression
from scheduler.model.options import Option, OptionSet
from scheduler.search import Adapter, Cost, SubResult, search
from scheduler.search.adapter import below
from scheduler.timetable import Timetable

__all__ = ["Choice", "Evaluation", "EvaluationFailed", "Goal", "Incumbent", "LnsResult",
           "Neighbourhood", "TimetableAdapter", "evaluate", "hint_choice", "hint_values",
           "interacting_courses", "measure", "moves", "neighbourhood_scope", "read_choice",
           "restricted_options", "run_lns", "solve_neighbourhood"]


TIE_BREAK_ANY = 2**62
"""Above any tie-break cost: a goal's pair (bound, this) is reached by any tie-break."""


class EvaluationFailed(RuntimeError):
    """CP-SAT could not cost a timetable (e.g. ``MODEL_INVALID``: the weighted objective
    overflows its 64-bit arithmetic); ``stats`` is the run."""

    def __init__(self, stats: RunStats) -> None:
        self.stats = stats
        super().__init__(f"evaluating a timetable failed ({stats.status})")


@dataclass
class Incumbent:
    """The current timetable as chosen options (original option index -> room, interpreter),
    its objective (the weighted sum of every soft rule), and the weighted cost of each tier
    (``placement``, ``norm``, ``comfort``; filled by :func:`measure`, kept up to date by the
    search)."""

    chosen: dict[int, Choice]
    objective: int
    counts: dict[str, int] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=dict)

    def moved(self, chosen: dict[int, Choice], before: dict[str, int],
              after: dict[str, int]) -> Incumbent:
        """The timetable ``chosen``, which differs from this one only where a sub-model
        measured tier costs ``before`` (this timetable) and ``after`` (``chosen``)."""
        tiers = {t: self.tiers.get(t, 0) + after.get(t, 0) - before.get(t, 0)
                 for t in {*self.tiers, *after, *before}}
        return Incumbent(chosen, self.objective + sum(after.values()) - sum(before.values()),
                         tiers=tiers)


@dataclass(frozen=True)
class Goal:
    """What a search minimises in a lexicographic solve: the cost of ``tier``, with the tiers
    of ``held`` kept at most at their values given (tier -> weighted cost). Ties are broken
    by the summed cost of the tiers in ``then`` (the tiers minimised after this one): the
    cost is then the pair (tier, then), compared lexicographically. With ``weigh_then`` the
    sub-models minimise that pair; without, the tier alone (a result is kept only when its
    pair is no worse either way)."""

    tier: str
    held: tuple[tuple[str, int], ...] = ()
    then: tuple[str, ...] = ()
    weigh_then: bool = True

    def cost(self, incumbent: Incumbent) -> Cost:
        return self.aimed(incumbent.tiers)

    def aimed(self, costs: dict[str, int]) -> Cost:
        """The goal's cost of the tier costs ``costs`` (of a timetable or a sub-model)."""
        if not self.then:
            return costs.get(self.tier, 0)
        return costs.get(self.tier, 0), sum(costs.get(t, 0) for t in self.then)

    def keeps(self, incumbent: Incumbent) -> bool:
        """Whether ``incumbent`` keeps the held tiers at most at their values."""
        return all(incumbent.tiers.get(t, 0) <= value for t, value in self.held)


def read_choice(tm: TimetableModel, solver: cp_model.CpSolver,
                origin: list[int] | None = None) -> dict[int, Choice]:
    """The chosen options of a solved model, keyed by original option index."""
    chosen: dict[int, Choice] = {}
    for option in tm.options.options:
        if not solver.boolean_value(tm.use[option.index]):
            continue
        room = next(r for r in option.rooms if solver.boolean_value(tm.room[(option.index, r)]))
        who = next((i for i in option.interpreters
                    if solver.boolean_value(tm.interpreter[(option.index, i)])), None)
        chosen[origin[option.index] if origin else option.index] = (room, who)
    return chosen


def restricted_options(options: OptionSet, chosen: dict[int, Choice], free: set[str],
                       instance: Instance | None = None,
                       dates: frozenset[dt.date] | None = None, rooms_only: bool = False,
                       room_cap: int | None = None) -> tuple[OptionSet, list[int]]:
    """The option set of a neighbourhood.

    Free courses keep all their options; fixed courses keep only their chosen option(s), in
    their chosen room and with their chosen interpreter. With ``dates``, the meetings of free
    intensive courses move only within those dates (their other options are fixed as
    chosen); with ``rooms_only`` free courses keep their times (their chosen options, with
    every room and interpreter); with ``room_cap`` (and ``instance``) each free option keeps
    at most that many rooms: those its course uses now, then the smallest. With
    ``instance`` given, fixed courses that share no cohort, teacher or interpreter with a
    free course are left out altogether (their soft costs cannot change), and the rooms they
    occupy are removed from the free courses' options instead.
    """
    keep = set(options.by_course)
    busy_rooms: dict[str, set[tuple]] = defaultdict(set)
    used: dict[str, set[str]] = defaultdict(set)
    if instance is not None:
        keep = interacting_courses(instance, options, chosen, free)
        for index, (room, _) in chosen.items():
            option = options.options[index]
            if option.course.id not in keep:
                busy_rooms[room].update(option.dated_periods())
            elif option.course.id in free:
                used[option.course.id].add(room)
    result = OptionSet()
    origin: list[int] = []
    for option in options.options:
        course = option.course.id
        if course in free and moves(option, dates) and (not rooms_only
                                                        or option.index in chosen):
            rooms = tuple(r for r in option.rooms
                          if not busy_rooms.get(r) or busy_rooms[r].isdisjoint(
                              option.dated_periods()))
            if room_cap is not None and instance is not None and not rooms_only:
                rooms = _fewer_rooms(instance, rooms, used[course], room_cap)
            if not rooms:
                continue
            new = option.narrowed(len(origin), rooms)
        elif (course in keep or course in free) and option.index in chosen:
            room, who = chosen[option.index]
            new = option.narrowed(len(origin), (room,), (who,) if who else ())
        else:
            continue
        origin.append(option.index)
        result.options.append(new)
        result.by_course[new.course.id].append(new)
    return result, origin


def _fewer_rooms(instance: Instance, rooms: tuple[str, ...], used: set[str],
                 cap: int) -> tuple[str, ...]:
    """At most ``cap`` of ``rooms`` (in their order): those in ``used`` first, then the
    smallest."""
    if len(rooms) <= cap:
        return rooms
    ranked = sorted(rooms, key=lambda r: (r not in used, instance.room_by_id[r].capacity, r))
    kept = set(ranked[:max(cap, len(used & set(rooms)))])
    return tuple(r for r in rooms if r in kept)


def moves(option: Option, dates: frozenset[dt.date] | None) -> bool:
    """Whether an option of a free course is free in a neighbourhood limited to ``dates``
    (a weekly pattern always is; an intensive meeting when its date is among them)."""
    return dates is None or option.weekly or all(d.date in dates for d in option.days)


def interacting_courses(instance: Instance, options: OptionSet, chosen: dict[int, Choice],
                 free: set[str]) -> set[str]:
    """Free courses and the fixed courses sharing a cohort, teacher or interpreter with them."""
    leaves = {c: set(leaf_cohorts(instance, instance.course_by_id[c]))
              for c in instance.course_by_id}
    free_leaves = set().union(*(leaves[c] for c in free)) if free else set()
    free_teachers = {t for c in free for t in instance.course_by_id[c].teachers}
    free_people = {i for c in free for o in options.by_course.get(c, []) for i in o.interpreters}
    used_people: dict[str, set[str]] = defaultdict(set)
    for index, (_, who) in chosen.items():
        if who:
            used_people[options.options[index].course.id].add(who)
    keep = set(free)
    for course in instance.courses:
        if course.id in keep:
            continue
        if leaves[course.id] & free_leaves or free_teachers.intersection(course.teachers) \
                or used_people.get(course.id, set()) & free_people:
            keep.add(course.id)
    return keep


@dataclass
class LnsResult:
    """The best timetable of a run and how it went; ``model_size`` is the median number of
    variables and constraints of the neighbourhood sub-models solved (``None``: none)."""

    incumbent: Incumbent
    iterations: int
    improvements: int
    solutions: int
    interrupted: bool = False
    model_size: tuple[int, int] | None = None


def solve_neighbourhood(ctx: SolveContext, incumbent: Incumbent, free: set[str],
                        params: SolverParams,
                        deadline: float | None = None) -> tuple[RunStats, Incumbent | None]:
    """Re-optimise the free courses with ``params``; return the run and a better incumbent,
    if found (see :func:`improve_neighbourhood`). With a ``deadline`` (a
    ``time.perf_counter`` value) the measuring and the search both end by it."""
    if deadline is not None:
        left = max(0.0, deadline - time.perf_counter())
        limit = left if params.time_limit is None else min(params.time_limit, left)
        params = replace(params, time_limit=limit)
    found = improve_neighbourhood(ctx, incumbent, free, params)
    return found.stats, found.incumbent


@dataclass(frozen=True)
class Improvement:
    """A neighbourhood's search: its run, the better incumbent found (``None``: none), the
    CP-SAT deterministic time it took, and the cost of the term instances the free courses
    can change left after it (``None``: not measured)."""

    stats: RunStats
    incumbent: Incumbent | None
    work: float
    left: int | None = None


def improve_neighbourhood(ctx: SolveContext, incumbent: Incumbent, free: set[str],
                          params: SolverParams, dates: frozenset[dt.date] | None = None,
                          rooms_only: bool = False, room_cap: int | None = None,
                          goal: Goal | None = None) -> Improvement:
    """Re-optimise the free courses with ``params``.

    The sub-model covers only the courses that interact with the free ones, and only the term
    instances the free courses can change (:func:`neighbourhood_scope`; cohort days of fixed
    courses alone are left out too), so its objective is the whole objective minus a
    constant: the incumbent's value in it is measured first (every decision fixed, within
    the settings' ``check_time_limit``), the search starts from the incumbent as a complete
    hint, and only a strictly better result is kept. (Asking CP-SAT for a strictly better
    value instead made more sub-searches end without any solution.) The measuring and the
    search together keep to ``params.time_limit``. ``dates``, ``rooms_only`` and
    ``room_cap`` narrow what the free courses may do (see :func:`restricted_options`).

    With a ``goal`` (a lexicographic solve), the sub-model minimises the cost of the goal's
    tier instead, each held tier kept at most at its held value (the incumbent's share of
    it in the sub-model plus what the whole timetable has to spare).
    """
    started = time.perf_counter()
    part = SubModel.build(ctx, incumbent.chosen, free, dates, rooms_only, room_cap)
    evaluation = part.evaluate(incumbent.chosen, params, params.time_limit)
    measured, work = evaluation.costs, evaluation.work
    if measured is None:  # the incumbent no longer fits (cannot happen), or no time: skip
        return Improvement(evaluation.stats, None, work)
    if goal is not None:
        part.aim(goal, incumbent, measured)
    hint_values(part.tm.model, evaluation.values)
    if params.time_limit is not None:  # the measuring took some of it
        params = replace(params, time_limit=max(
            0.0, params.time_limit - (time.perf_counter() - started)))
    solver, stats = run_cpsat(part.tm.model, params)
    work += solver.response_proto.deterministic_time
    before = _aimed(measured, goal)
    if not stats.has_solution:
        return Improvement(stats, None, work, _total(before))
    found = part.tier_costs(solver)
    after = _aimed(found, goal)
    if not below(after, before):
        return Improvement(stats, None, work, _total(before))
    chosen = {k: v for k, v in incumbent.chosen.items()
              if ctx.options.options[k].course.id not in free}
    chosen.update(read_choice(part.tm, solver, part.origin))
    return Improvement(stats, incumbent.moved(chosen, measured, found), work, _total(after))


def _aimed(costs: dict[str, int], goal: Goal | None) -> Cost:
    """What a search minimises of a sub-model's tier costs: their sum, or the goal's cost."""
    return sum(costs.values()) if goal is None else goal.aimed(costs)


@dataclass(frozen=True)
class SubModel:
    """The model of a neighbourhood: the free courses with all their options, the courses
    interacting with them fixed to a timetable's choice, and the objective's term instances
    the free courses can change; ``origin`` maps its option indices to the original ones."""

    ctx: SolveContext
    tm: TimetableModel
    terms: list[SoftTerm]
    origin: list[int]

    @classmethod
    def build(cls, ctx: SolveContext, chosen: Chosen, free: set[str],
              dates: frozenset[dt.date] | None = None, rooms_only: bool = False,
              room_cap: int | None = None) -> SubModel:
        """The sub-model of ``free`` (see :func:`restricted_options` for the others)."""
        instance = ctx.instance
        sub, origin = restricted_options(ctx.options, dict(chosen), free, instance, dates,
                                         rooms_only, room_cap)
        present = set(sub.by_course)
        part = replace(instance, courses=tuple(c for c in instance.courses if c.id in present))
        fixed = frozenset(o.index for o in sub.options
                          if o.course.id not in free or not moves(o, dates))
        tm = TimetableModel(part, ctx.calendar, sub, relax=ctx.request.relax)
        for index in fixed:
            tm.model.add(tm.use[index] == 1)
        terms = ObjectiveBuilder(tm, ctx.request.baseline, tight=tight_sub_models(ctx),
                                 scope=neighbourhood_scope(instance, free), fixed=fixed).build()
        return cls(ctx, tm, terms, origin)

    def local(self, chosen: Chosen) -> dict[int, Choice]:
        """``chosen`` in the sub-model's option indices."""
        return {o.index: chosen[self.origin[o.index]] for o in self.tm.options.options
                if self.origin[o.index] in chosen}

    def tier_costs(self, solver: cp_model.CpSolver) -> dict[str, int]:
        """The weighted cost of each tier of the sub-model in ``solver``'s solution."""
        return _tier_costs(self.terms, solver)

    def aim(self, goal: Goal, incumbent: Incumbent, measured: dict[str, int]) -> None:
        """Minimise ``goal``'s tier, each held tier at most at its held value (the
        incumbent's cost ``measured`` here plus what the timetable has to spare); with tiers
        to break ties by and ``weigh_then``, minimise ``span * tier + then``, ``span``
        exceeding the range ``then`` can take in the sub-model, so that no gain in ``then``
        pays for a loss in the tier."""
        model = self.tm.model
        expression = tier_expression(self.terms, goal.tier)
        then = sum(tier_expression(self.terms, t) for t in goal.then)
        span = _span(model, then) if goal.then and goal.weigh_then else 0
        model.minimize(expression if span == 0 else (span + 1) * expression + then)
        for tier, value in goal.held:
            if any(t.tier == tier for t in self.terms):
                spare = value - incumbent.tiers.get(tier, 0)
                self.tm.model.add(tier_expression(self.terms, tier)
                                  <= measured.get(tier, 0) + spare)

    def evaluate(self, chosen: Chosen, params: SolverParams,
                 limit: float | None = None) -> Evaluation:
        """The sub-model with every decision fixed to ``chosen``, solved: its cost per tier
        and the value of each of its variables (``None`` when that breaks a rule of the
        sub-model, or the run stopped), the run and its deterministic time; the run takes
        at most the settings' ``check_time_limit`` and ``limit`` seconds."""
        current = self.local(chosen)
        evaluation = self.tm.model.clone()
        _fix_to(self.tm, evaluation, current)
        fits = all(room in option.rooms and (who in option.interpreters if who else
                                             not option.interpreters)
                   for option in self.tm.options.options if option.index in current
                   for room, who in (current[option.index],))
        placed = len(current) == sum(1 for i in chosen
                                     if self.ctx.options.options[i].course.id
                                     in self.tm.options.by_course)
        if not (fits and placed):
            evaluation.add_bool_or([])  # no solution: a choice the sub-model does not offer
        check = self.ctx.settings.check_time_limit
        solver, stats = run_cpsat(evaluation, replace(
            params, time_limit=check if limit is None else min(check, limit), extra={}))
        work = solver.response_proto.deterministic_time
        if not stats.has_solution:
            return Evaluation(None, None, stats, work)
        # the clone has the sub-model's variables, in the same order
        return Evaluation(self.tier_costs(solver), list(solver.response_proto.solution),
                          stats, work)


@dataclass(frozen=True)
class Evaluation:
    """A timetable fixed in a sub-model and solved (:meth:`SubModel.evaluate`): the cost of
    each tier and the value of every variable of the sub-model (both ``None`` when the
    timetable breaks a rule of the sub-model or the run stopped), the run and its
    deterministic time."""

    costs: dict[str, int] | None
    values: list[int] | None
    stats: RunStats
    work: float


def hint_values(model: cp_model.CpModel, values: list[int] | None) -> None:
    """Hint every variable of ``model`` to ``values`` (by variable index), replacing any
    hint: a complete hint of a feasible solution is CP-SAT's first solution at once, where a
    hint of the decisions alone leaves the auxiliary variables for the search to complete
    (docs/performance.md, "A complete hint in the sub-problems")."""
    model.clear_hints()
    if values is None:
        return
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _total(cost: Cost) -> int:
    """A cost as one number (a pair: its sum)."""
    return cost if isinstance(cost, int) else sum(cost)


def _span(model: cp_model.CpModel, expression: Expr) -> int:
    """How far the linear ``expression`` can range over the domains of its variables in
    ``model`` (an upper bound; 0 for a constant). Sets the model's objective."""
    if isinstance(expression, int):
        return 0
    model.minimize(expression)
    objective = model.proto.objective
    span = 0
    for ref, k in zip(objective.vars, objective.coeffs, strict=True):
        # list(): the proto's repeated fields read index -1 as 0
        domain = list(model.proto.variables[ref if ref >= 0 else -ref - 1].domain)
        span += abs(k) * (domain[-1] - domain[0])
    return span


def _tier_costs(terms: list[SoftTerm], solver: cp_model.CpSolver) -> dict[str, int]:
    """The weighted cost of each tier of ``terms`` (hard rules left out) in ``solver``'s
    solution."""
    costs: dict[str, int] = defaultdict(int)
    for term in terms:
        if term.tier is not None:
            costs[term.tier] += term.weight * term.count(solver)
    return dict(costs)


def tight_sub_models(ctx: SolveContext) -> bool:
    """Whether the sub-models of this solve build their objectives in the tight formulations
    (``sub_tight``, on instances of at most ``sub_tight_options`` meeting options)."""
    most = ctx.settings.sub_tight_options
    return ctx.settings.sub_tight and (most is None or len(ctx.options.options) <= most)


def neighbourhood_scope(instance: Instance, free: set[str]) -> Scope:
    """The term instances that free courses can change: the day terms of their cohorts, their
    own course terms and their teachers' terms (all others are constants in a neighbourhood)."""
    leaves = {leaf for c in free for leaf in leaf_cohorts(instance, instance.course_by_id[c])}
    teachers = {t for c in free for t in instance.course_by_id[c].teachers}
    return Scope(frozenset(leaves), frozenset(free), frozenset(teachers))


def _decisions(tm: TimetableModel, current: dict[int, Choice]):
    """(variable, value) for every decision of the sub-model in the current timetable."""
    for option in tm.options.options:
        used = option.index in current
        yield tm.use[option.index], used
        for room in option.rooms:
            var = tm.room[(option.index, room)]
            if var is not tm.use[option.index]:
                yield var, used and current[option.index][0] == room
        for who in option.interpreters:
            var = tm.interpreter[(option.index, who)]
            if var is not tm.use[option.index]:
                yield var, used and current[option.index][1] == who


def hint_choice(tm: TimetableModel, current: dict[int, Choice]) -> None:
    """Hint every decision of ``tm`` (keys: ``tm``'s option indices) to ``current``."""
    for var, value in _decisions(tm, current):
        tm.model.add_hint(var, value)


def _fix_to(tm: TimetableModel, model: cp_model.CpModel, current: dict[int, Choice]) -> None:
    for var, value in _decisions(tm, current):
        model.add(model.get_bool_var_from_proto_index(var.index) == int(value))


def evaluate(instance: Instance, calendar: TermCalendar, options: OptionSet,
             chosen: dict[int, Choice], baseline: Timetable | None = None,
             relax: bool = False, tight: bool = False) -> tuple[int, dict[str, int]]:
    """Objective and count per soft term of a timetable given as chosen options.

    ``tight``: read the counts through the tight formulations (see :class:`ObjectiveBuilder`).
    """
    measured = measure(instance, calendar, options, chosen, baseline, relax, tight)
    return measured.objective, measured.counts


def measure(instance: Instance, calendar: TermCalendar, options: OptionSet,
            chosen: dict[int, Choice], baseline: Timetable | None = None,
            relax: bool = False, tight: bool = False) -> Incumbent:
    """A timetable given as chosen options, with its objective, its count per soft term and
    its cost per tier (see :func:`evaluate`)."""
    sub, origin = restricted_options(options, chosen, set())
    tm = TimetableModel(instance, calendar, sub, relax=relax)
    terms = ObjectiveBuilder(tm, baseline, tight=tight).build()
    current = {o.index: chosen[origin[o.index]] for o in sub.options}
    for var, value in _decisions(tm, current):
        tm.model.add(var == int(value))
    if relax:
        placed = {options.options[i].course.id for i in chosen}
        for course_id, var in tm.placed.items():
            tm.model.add(var == int(course_id in placed))
    # needed for the result of an interrupted solve too: never stopped
    solver, stats = run_cpsat(tm.model, SolverParams(time_limit=120, workers=1),
                              stoppable=False)
    if not stats.has_solution:
        raise EvaluationFailed(stats)
    counts = {t.name: t.count(solver) for t in terms}
    tiers = _tier_costs(terms, solver)
    return Incumbent(chosen, sum(tiers.values()), counts, tiers)


class TimetableAdapter(Adapter[Incumbent, Neighbourhood]):
    """Term timetables as the engine's states; the cost is the objective.

    Two neighbourhoods searched at once by different threads merge exactly when they share
    no course, cohort, teacher or interpreter (their gains then add up: no term instance
    sees both) and their rooms do not clash; otherwise the merge is measured again. With
    the settings' ``guided``, each course's heat (the cost of the term instances its last
    neighbourhood could change, shared among its courses) aims the operators.
    """

    def __init__(self, ctx: SolveContext, goal: Goal | None = None) -> None:
        self.ctx = ctx
        self.goal = goal
        self.index = CourseIndex(ctx.instance, ctx.options, ctx.request.keep_courses)
        self.names = ctx.settings.operators
        self.lock = threading.Lock()

    def operators(self):
        return {name: self._operator(name) for name in self.names}

    def _operator(self, name: str):
        operator = OPERATORS[name]

        def release(state: Incumbent, rng: random.Random, size: int) -> Neighbourhood | None:
            found = operator(self.index, state.chosen, rng, size)
            return found if found.free else None
        return release

    def cost(self, state: Incumbent) -> Cost:
        return state.objective if self.goal is None else self.goal.cost(state)

    def scalar(self, cost: Cost) -> float:
        """The searched tier's cost, without the tie-break (for progress displays)."""
        return float(cost if isinstance(cost, int) else cost[0])

    def restart(self, attempt: int, best: Incumbent, best_cost: Cost) -> Incumbent | None:
        """From the best timetable again, the operators' sizes and scores reset."""
        return best

    def solve(self, state: Incumbent, cost: Cost, release: Neighbourhood,
              params: SolverParams, report) -> SubResult[Incumbent]:
        found = improve_neighbourhood(self.ctx, state, set(release.free), params,
                                      release.dates, release.rooms_only,
                                      self.ctx.settings.time_rooms, self.goal)
        if self.ctx.settings.guided and found.left is not None:
            share = found.left / len(release.free)
            with self.lock:
                for course in release.free:
                    self.index.heat[course] = (self.index.heat.get(course, share) + share) / 2
        stats = found.stats
        return SubResult(
            found.incumbent, None if found.incumbent is None else self.cost(found.incumbent),
            stats.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE), found.work,
            stats.interrupted, (stats.num_variables, stats.num_constraints))

    def merge(self, current: Incumbent, base: Incumbent, new: Incumbent,
              release: Neighbourhood) -> Incumbent | None:
        options = self.ctx.options
        changed = _changed_courses(options, base.chosen, current.chosen)
        free = release.free
        if changed & free:
            return None
        placed = {i: v for i, v in new.chosen.items() if options.options[i].course.id in free}
        chosen = {i: v for i, v in current.chosen.items()
                  if options.options[i].course.id not in free}
        chosen.update(placed)
        if self._apart(changed, free, current, placed):
            merged = current.moved(chosen, base.tiers, new.tiers)
            merged.objective = current.objective - (base.objective - new.objective)
        else:
            # The neighbourhoods touch: measure the free courses' new placement in the latest
            # timetable (which also checks every rule it could break).
            part = SubModel.build(self.ctx, chosen, set(free), release.dates,
                                  release.rooms_only)
            check = SolverParams(workers=1)
            before = part.evaluate(current.chosen, check).costs
            after = part.evaluate(chosen, check).costs
            if before is None or after is None:
                return None
            merged = current.moved(chosen, before, after)
        return merged if self.goal is None or self.goal.keeps(merged) else None

    def _apart(self, changed: set[str], free: frozenset[str], current: Incumbent,
               placed: dict[int, Choice]) -> bool:
        """No course changed meanwhile shares a cohort, teacher or interpreter with the
        free courses, and no room clashes with their new placement: the gains add up."""
        options, index = self.ctx.options, self.index
        leaves = {leaf for c in free for leaf in index.leaves[c]}
        teachers = {t for c in free for t in index.teachers[c]}
        people = {p for c in free for p in index.interpreters[c]}
        for c in changed:
            if leaves.intersection(index.leaves[c]) or teachers.intersection(index.teachers[c]) \
                    or people & index.interpreters[c]:
                return False
        taken = {(room, dp) for i, (room, _) in current.chosen.items()
                 if options.options[i].course.id in changed
                 for dp in options.options[i].dated_periods()}
        return not any((room, dp) in taken for i, (room, _) in placed.items()
                       for dp in options.options[i].dated_periods())


def _changed_courses(options: OptionSet, before: Chosen, after: Chosen) -> set[str]:
    """Courses whose chosen options differ between two timetables."""
    return {options.options[i].course.id for i in before.keys() ^ after.keys()} | {
        options.options[i].course.id for i, v in before.items()
        if i in after and after[i] != v}


def run_lns(ctx: SolveContext, start: Incumbent, deadline: float,
            bound: float | None = None, goal: Goal | None = None) -> LnsResult:
    """Improve ``start`` until the ``deadline`` (a ``time.perf_counter`` value), or until it
    reaches ``bound``.

    Without a ``goal`` the objective (every soft rule) is minimised; with one, the cost of
    its tier, the held tiers kept at most at their values (``bound`` is then a bound of the
    tier). Courses the request keeps never move (kept to a baseline). Ctrl-C ends the search
    with the best timetable found.
    """
    adapter = TimetableAdapter(ctx, goal)
    lower: Cost | None = None
    if bound is not None:
        floor = math.floor(bound + 1e-6)
        # with ties broken: the tier at its bound ends the search, whatever the ties
        lower = (floor, TIE_BREAK_ANY) if goal is not None and goal.then else floor
    settings = ctx.settings.search(len(ctx.instance.courses), ctx.limit)
    phase = "lns" if goal is None else f"lns {goal.tier}"
    outcome = search(adapter, start, ctx.params, settings, cost=adapter.cost(start),
                     deadline=deadline, clock_start=ctx.started, lower_bound=lower,
                     on_progress=ctx.on_progress, phase=phase, restart_phase=phase)
    return LnsResult(outcome.state, outcome.iterations, outcome.improvements,
                     outcome.improvements, outcome.interrupted, outcome.model_size)

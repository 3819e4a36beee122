"""Large-neighbourhood search over courses, with CP-SAT re-optimising each neighbourhood.

A neighbourhood frees the courses of one cohort, one teacher, one weekday or one room type
(a few to a few dozen courses); every other course keeps its current meetings, rooms and
interpreters. The sub-model is built by the same :class:`TimetableModel` and
:class:`ObjectiveBuilder` over a restricted option set (free courses: all their options;
fixed courses: their chosen options only, in their chosen rooms), so its objective is the
objective of the whole timetable and the sub-model is small enough to presolve in moments.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import RunStats, SolverParams, SolveStatus, run_cpsat
from scheduler.instance import Instance
from scheduler.interrupt import stop_requested
from scheduler.model.builder import TimetableModel, leaf_cohorts
from scheduler.model.context import SolveContext
from scheduler.model.objective import ObjectiveBuilder, Scope, SoftTerm
from scheduler.model.options import OptionSet
from scheduler.model.params import LnsSettings, optimisation_params
from scheduler.progress import Progress
from scheduler.timetable import Timetable

Choice = tuple[str, str | None]
"""The room and interpreter of a used option."""


class EvaluationFailed(RuntimeError):
    """CP-SAT could not cost a timetable (e.g. ``MODEL_INVALID``: the weighted objective
    overflows its 64-bit arithmetic); ``stats`` is the run."""

    def __init__(self, stats: RunStats) -> None:
        self.stats = stats
        super().__init__(f"evaluating a timetable failed ({stats.status})")


@dataclass
class Incumbent:
    """The current timetable as chosen options (original option index -> room, interpreter)."""

    chosen: dict[int, Choice]
    objective: int
    counts: dict[str, int] = field(default_factory=dict)


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
                       instance: Instance | None = None) -> tuple[OptionSet, list[int]]:
    """The option set of a neighbourhood.

    Free courses keep all their options; fixed courses keep only their chosen option(s), in
    their chosen room and with their chosen interpreter. With ``instance`` given, fixed
    courses that share no cohort, teacher or interpreter with a free course are left out
    altogether (their soft costs cannot change), and the rooms they occupy are removed from
    the free courses' options instead.
    """
    keep = set(options.by_course)
    busy_rooms: dict[str, set[tuple]] = defaultdict(set)
    if instance is not None:
        keep = interacting_courses(instance, options, chosen, free)
        for index, (room, _) in chosen.items():
            option = options.options[index]
            if option.course.id not in keep:
                busy_rooms[room].update(option.dated_periods())
    result = OptionSet()
    origin: list[int] = []
    for option in options.options:
        course = option.course.id
        if course in free:
            rooms = tuple(r for r in option.rooms
                          if not busy_rooms.get(r) or busy_rooms[r].isdisjoint(
                              option.dated_periods()))
            if not rooms:
                continue
            new = option.narrowed(len(origin), rooms)
        elif course in keep and option.index in chosen:
            room, who = chosen[option.index]
            new = option.narrowed(len(origin), (room,), (who,) if who else ())
        else:
            continue
        origin.append(option.index)
        result.options.append(new)
        result.by_course[new.course.id].append(new)
    return result, origin


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


class Neighbourhoods:
    """Random neighbourhoods of related courses, sized to a target number of courses."""

    def __init__(self, instance: Instance, rng: random.Random) -> None:
        self.instance = instance
        self.rng = rng
        self.by_leaf: dict[str, set[str]] = defaultdict(set)
        for course in instance.courses:
            for leaf in leaf_cohorts(instance, course):
                self.by_leaf[leaf].add(course.id)
        self.by_teacher: dict[str, set[str]] = defaultdict(set)
        for course in instance.courses:
            for t in course.teachers:
                self.by_teacher[t].add(course.id)
        self.by_type: dict[str, set[str]] = defaultdict(set)
        for course in instance.courses:
            self.by_type[course.room_type].add(course.id)

    def _grow(self, seed: set[str], size: int, chosen_days: dict[str, set[int]]) -> set[str]:
        """Add courses sharing a cohort or teacher with the seed until ``size`` is reached."""
        free = set(seed)
        frontier = list(seed)
        self.rng.shuffle(frontier)
        while frontier and len(free) < size:
            course = self.instance.course_by_id[frontier.pop()]
            related: set[str] = set()
            for leaf in leaf_cohorts(self.instance, course):
                related |= self.by_leaf[leaf]
            for t in course.teachers:
                related |= self.by_teacher[t]
            extra = list(related - free)
            self.rng.shuffle(extra)
            for other in extra[: max(0, size - len(free))]:
                free.add(other)
                frontier.insert(0, other)
        if len(free) > size:
            free = set(self.rng.sample(sorted(free), size))
        return free

    def pick(self, size: int, chosen_days: dict[str, set[int]]) -> tuple[str, set[str]]:
        kind = self.rng.choice(("cohort", "teacher", "weekday", "room type"))
        courses = sorted(self.instance.course_by_id)
        if kind == "cohort" and self.by_leaf:
            seed = self.by_leaf[self.rng.choice(sorted(self.by_leaf))]
        elif kind == "teacher" and self.by_teacher:
            seed = self.by_teacher[self.rng.choice(sorted(self.by_teacher))]
        elif kind == "room type" and self.by_type:
            seed = self.by_type[self.rng.choice(sorted(self.by_type))]
        else:
            weekday = self.rng.choice(sorted(self.instance.term.teaching_weekdays))
            seed = {c for c in courses if weekday in chosen_days.get(c, ())}
        seed = seed or {self.rng.choice(courses)}
        if len(seed) > size:
            seed = set(self.rng.sample(sorted(seed), size))
        return kind, self._grow(seed, size, chosen_days)


def next_size(size: int, courses: int, status: SolveStatus, improved: bool,
              settings: LnsSettings) -> int:
    """Grow neighbourhoods that are solved to optimality, shrink those that time out."""
    if status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE):
        return min(courses, size + settings.grow)
    return size if improved else max(settings.min_size, size - settings.shrink)


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


def chosen_weekdays(options: OptionSet, chosen: dict[int, Choice]) -> dict[str, set[int]]:
    days: dict[str, set[int]] = defaultdict(set)
    for option in options.options:
        if option.index in chosen:
            days[option.course.id] |= {d.date.weekday() for d in option.days}
    return days


def solve_neighbourhood(ctx: SolveContext, incumbent: Incumbent, free: set[str],
                        params: SolverParams,
                        deadline: float | None = None) -> tuple[RunStats, Incumbent | None]:
    """Re-optimise the free courses with ``params``; return the run and a better incumbent,
    if found. With a ``deadline`` (a ``time.perf_counter`` value) the measuring and the
    search both end by it.

    The sub-model covers only the courses that interact with the free ones, and only the term
    instances the free courses can change (:func:`neighbourhood_scope`; cohort days of fixed
    courses alone are left out too), so its objective is the whole objective minus a
    constant: the incumbent's value in it is measured first (every decision fixed, within
    the settings' ``check_time_limit``), the search starts from the incumbent as a complete
    hint, and only a strictly better result is kept. (Asking CP-SAT for a strictly better
    value instead made more sub-searches end without any solution.)
    """
    instance, options = ctx.instance, ctx.options
    baseline, relax = ctx.request.baseline, ctx.request.relax
    sub, origin = restricted_options(options, incumbent.chosen, free, instance)
    present = set(sub.by_course)
    part = replace(instance, courses=tuple(c for c in instance.courses if c.id in present))
    fixed = frozenset(o.index for o in sub.options if o.course.id not in free)
    tm = TimetableModel(part, ctx.calendar, sub, relax=relax)
    for index in fixed:
        tm.model.add(tm.use[index] == 1)
    terms: list[SoftTerm] = ObjectiveBuilder(tm, baseline, scope=neighbourhood_scope(
        instance, free), fixed=fixed).build()
    current = {o.index: incumbent.chosen[origin[o.index]] for o in sub.options
               if origin[o.index] in incumbent.chosen}
    evaluation = tm.model.clone()
    _fix_to(tm, evaluation, current)
    check = ctx.settings.check_time_limit
    if deadline is not None:
        check = max(0.0, min(check, deadline - time.perf_counter()))
    solver0, stats0 = run_cpsat(evaluation, replace(params, time_limit=check, extra={}))
    if not stats0.has_solution:  # the incumbent no longer fits (cannot happen): skip
        return stats0, None
    before = sum(t.weight * t.count(solver0) for t in terms)
    hint_choice(tm, current)
    if deadline is not None and params.time_limit is not None:
        left = max(0.0, deadline - time.perf_counter())  # the check took some of it
        params = replace(params, time_limit=min(params.time_limit, left))
    solver, stats = run_cpsat(tm.model, params)
    if not stats.has_solution:
        return stats, None
    after = sum(t.weight * t.count(solver) for t in terms)
    if after >= before:
        return stats, None
    chosen = {k: v for k, v in incumbent.chosen.items()
              if options.options[k].course.id not in free}
    chosen.update(read_choice(tm, solver, origin))
    return stats, Incumbent(chosen, incumbent.objective - (before - after))


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
    return sum(t.weight * counts[t.name] for t in terms), counts


def run_lns(ctx: SolveContext, start: Incumbent, deadline: float,
            bound: float | None = None) -> LnsResult:
    """Improve ``start`` until the ``deadline`` (a ``time.perf_counter`` value), or until it
    reaches ``bound``.

    Courses the request keeps never move (kept to a baseline). A stop request (Ctrl-C) ends
    the search with the best timetable so far, marked interrupted.
    """
    settings = ctx.settings
    courses = len(ctx.instance.courses)
    rng = random.Random(ctx.params.seed)
    neighbourhoods = Neighbourhoods(ctx.instance, rng)
    incumbent = start
    size = min(courses, settings.initial_size)
    iterations = improvements = 0
    interrupted = False
    sizes: list[tuple[int, int]] = []
    while True:
        if stop_requested():
            interrupted = True
            break
        left = deadline - time.perf_counter()
        if left < settings.min_run_seconds or (bound is not None
                                                and incumbent.objective <= bound):
            break
        _kind, free = neighbourhoods.pick(size, chosen_weekdays(ctx.options, incumbent.chosen))
        free -= ctx.request.keep_courses
        if not free:
            continue
        sub_params = optimisation_params(replace(
            ctx.params, time_limit=min(left, settings.sub_time_limit),
            seed=rng.randrange(1 << 30),
            extra={**ctx.params.extra, "stop_after_first_solution": False}))
        try:
            stats, better = solve_neighbourhood(ctx, incumbent, free, sub_params, deadline)
        except KeyboardInterrupt:
            interrupted = True
            break
        iterations += 1
        sizes.append((stats.num_variables, stats.num_constraints))
        if better is not None:
            improvements += 1
            incumbent = better
        size = next_size(size, courses, stats.status, better is not None, settings)
        if ctx.on_progress is not None:
            ctx.on_progress(Progress(ctx.elapsed(), improvements, float(incumbent.objective),
                                     bound, "lns"))
        if stats.interrupted:
            interrupted = True
            break
    model_size = None
    if sizes:
        model_size = (round(statistics.median(v for v, _ in sizes)),
                      round(statistics.median(c for _, c in sizes)))
    return LnsResult(incumbent, iterations, improvements, improvements, interrupted, model_size)

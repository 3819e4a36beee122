"""CP-SAT formulations of CB-CTT under UD2, one function per constraint family.

Two models share the families over the period variables ``x[c,p]`` (course ``c`` has a lecture
in period ``p``):

* :func:`build_time_model` decides periods only. Rooms are handled by counting: at most one
  lecture per room in each period, and the room-capacity cost of a period is computed exactly
  from the number of lectures above each capacity threshold (rooms sorted by capacity can always
  be matched to lectures sorted by size). Room stability is left out, so its optimum is a lower
  bound on UD2.
* :func:`build_placement_model` decides periods and rooms (``z[c,p,r]``) of the *released*
  lectures of a timetable, the other lectures staying where they are. With every lecture
  released it is the full model; with a few it is a large-neighbourhood move; with every lecture
  released but kept in its period it is the room assignment. Its objective includes the constant
  cost of the fixed lectures, so its value is the UD2 cost of the whole timetable.

Variables are named after instance ids (``x[c0001,7]``, ``z[c0001,7,rB]``) so a log line can be
traced back.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.cbctt.instance import CbcttInstance

MIN_WORKING_DAYS_WEIGHT = 5
ISOLATED_LECTURES_WEIGHT = 2

Lecture = tuple[int, int]  # (period, room)
Timetable = tuple[tuple[Lecture, ...], ...]  # per course, its lectures sorted by period
Periods = tuple[tuple[int, ...], ...]  # per course, its periods sorted
Literal = cp_model.IntVar
Term = Literal | int  # a 0/1 literal, or a constant 0/1


@dataclass(frozen=True)
class Release:
    """What a sub-problem may change.

    ``lectures`` are ``(course, period)`` pairs of the current timetable whose period and room
    become free; a released lecture of course ``c`` may go to any period of ``periods[c]`` and
    any room of ``rooms[c]`` (all periods / all rooms when ``c`` is missing). ``name`` says which
    neighbourhood produced it.

    ``unsettle``: released lectures that should rather leave their period when that costs
    nothing. Among timetables of equal UD2 cost the model then prefers one that moves them, so
    the search walks across plateaus instead of getting back the timetable it started from.
    """

    lectures: frozenset[tuple[int, int]]
    periods: Mapping[int, frozenset[int]] = field(default_factory=dict)
    rooms: Mapping[int, frozenset[int]] = field(default_factory=dict)
    name: str = ""
    unsettle: frozenset[tuple[int, int]] = frozenset()


@dataclass
class _Objective:
    """Objective terms and their hint values, collected family by family."""

    variables: list[cp_model.IntVar] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    constant: int = 0

    def add(self, var: cp_model.IntVar, weight: int) -> None:
        if weight:
            self.variables.append(var)
            self.weights.append(weight)


class BuildStopped(Exception):
    """Building a model was given up when asked to (a model of many periods takes seconds
    to build: a stop request or the end of the time limit must not wait for it)."""


@dataclass
class _Builder:
    """A model under construction with the hint that describes the current timetable;
    given up (:class:`BuildStopped`) as soon as ``stop`` returns true."""

    instance: CbcttInstance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    objective: _Objective = field(default_factory=_Objective)
    hinting: bool = True
    hint: dict[cp_model.IntVar, int] = field(default_factory=dict)
    tie_break: list[cp_model.IntVar] = field(default_factory=list)
    stop: Callable[[], bool] | None = None

    def go_on(self) -> None:
        """Raise :class:`BuildStopped` when ``stop`` says so."""
        if self.stop is not None and self.stop():
            raise BuildStopped

    def bool_var(self, name: str, hint: int = 0) -> cp_model.IntVar:
        var = self.model.new_bool_var(name)
        if self.hinting:
            self.hint[var] = hint
        return var

    def int_var(self, low: int, high: int, name: str, hint: int = 0) -> cp_model.IntVar:
        var = self.model.new_int_var(low, high, name)
        if self.hinting:
            self.hint[var] = min(max(hint, low), high)
        return var

    @property
    def scale(self) -> int:
        """The UD2 cost is the objective value divided by this (rounded down)."""
        return len(self.tie_break) + 1

    def unsettle(self, x: Mapping[tuple[int, int], Term],
                 lectures: Iterable[tuple[int, int]]) -> None:
        """Prefer, at equal cost, that these lectures leave their current period."""
        self.tie_break = [t for key in sorted(lectures)
                          if not isinstance(t := x.get(key, 0), int)]

    def finish(self) -> None:
        obj = self.objective
        cost = cp_model.LinearExpr.weighted_sum(obj.variables, obj.weights) + obj.constant
        if self.tie_break:  # scale * UD2 + (lectures still in place) < scale * (UD2 + 1)
            cost = self.scale * cost + cp_model.LinearExpr.sum(self.tie_break)
        self.model.minimize(cost)
        for var, value in self.hint.items():
            self.model.add_hint(var, value)


# ---------------------------------------------------------------------------------------------
# Families over period literals x[c, p] (shared by both models)
# ---------------------------------------------------------------------------------------------


def _conflicts(b: _Builder, x: Mapping[tuple[int, int], Term]) -> None:
    """Courses of one curriculum or one teacher never share a period (at most one literal)."""
    inst = b.instance
    for clique in inst.conflict_cliques:
        b.go_on()
        for p in range(inst.num_periods):
            lits = [x[c, p] for c in clique if (c, p) in x]
            fixed = sum(1 for t in lits if isinstance(t, int) and t)
            free = [t for t in lits if not isinstance(t, int)]
            if fixed + len(free) > 1:
                if fixed:
                    b.model.add_bool_and([t.Not() for t in free])
                else:
                    b.model.add_at_most_one(free)


def _min_working_days(b: _Builder, x: Mapping[tuple[int, int], Term]) -> None:
    """5 per day a course is short of its minimum number of working days."""
    inst = b.instance
    ppd = inst.periods_per_day
    by_course_day: dict[int, dict[int, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for (c, p), t in x.items():
        by_course_day[c][p // ppd].append(t)
    for c, course in enumerate(inst.courses):
        b.go_on()
        days = by_course_day.get(c, {})
        fixed_days = sum(1 for ts in days.values() if any(isinstance(t, int) and t for t in ts))
        need = course.min_working_days - fixed_days
        free_days = {
            d: [t for t in ts if not isinstance(t, int)]
            for d, ts in days.items()
            if not any(isinstance(t, int) and t for t in ts)
        }
        free_days = {d: ts for d, ts in free_days.items() if ts}
        if need <= 0:
            continue
        if not free_days:
            b.objective.constant += MIN_WORKING_DAYS_WEIGHT * need
            continue
        used: list[cp_model.IntVar] = []
        for d, ts in sorted(free_days.items()):
            hint = int(any(b.hint.get(t, 0) for t in ts))
            day = b.bool_var(f"day[{course.id},{d}]", hint)
            b.model.add(day <= cp_model.LinearExpr.sum(ts))
            used.append(day)
        hint_short = max(0, need - sum(b.hint.get(u, 0) for u in used))
        short = b.int_var(0, need, f"short_days[{course.id}]", hint_short)
        b.model.add(short + cp_model.LinearExpr.sum(used) >= need)
        b.objective.add(short, MIN_WORKING_DAYS_WEIGHT)


def _isolated_lectures(b: _Builder, x: Mapping[tuple[int, int], Term]) -> None:
    """2 per curriculum lecture with no lecture of the same curriculum adjacent that day."""
    inst = b.instance
    ppd = inst.periods_per_day
    for q, members in enumerate(inst.curriculum_members):
        name = inst.curricula[q].id
        occupancy: list[list[Term]] = [
            [x[c, p] for c in members if (c, p) in x] for p in range(inst.num_periods)
        ]
        for p, here in enumerate(occupancy):
            if not here:
                continue
            if p % 64 == 0:
                b.go_on()
            slot = p % ppd
            neighbours = [
                t for s in (p - 1, p + 1) if 0 <= s - p + slot < ppd for t in occupancy[s]
            ]
            if any(isinstance(t, int) and t for t in neighbours):
                continue  # a fixed neighbour: never isolated
            here_fixed = [t for t in here if isinstance(t, int)]
            if len(here_fixed) == len(here) and not neighbours:
                b.objective.constant += ISOLATED_LECTURES_WEIGHT * sum(here_fixed)
                continue
            here_free = [t for t in here if not isinstance(t, int)]
            # constant neighbours are 0 here (a fixed one ends the search above)
            next_free = [t for t in neighbours if not isinstance(t, int)]
            hint_here = sum(here_fixed) + sum(b.hint.get(t, 0) for t in here_free)
            hint_next = sum(b.hint.get(t, 0) for t in next_free)
            iso = b.bool_var(f"isolated[{name},{p}]", int(hint_here > 0 and hint_next == 0))
            b.model.add(iso >= sum(here_fixed) + cp_model.LinearExpr.sum(here_free)
                        - cp_model.LinearExpr.sum(neighbours))
            b.objective.add(iso, ISOLATED_LECTURES_WEIGHT)


def _lecture_count(
    b: _Builder, x: Mapping[tuple[int, int], Term], count: Mapping[int, int]
) -> None:
    """Each course places exactly its released lectures, in distinct periods."""
    per_course: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (c, _), t in x.items():
        if not isinstance(t, int):
            per_course[c].append(t)
    for c, k in count.items():
        if k:
            b.model.add(cp_model.LinearExpr.sum(per_course.get(c, [])) == k)


# ---------------------------------------------------------------------------------------------
# Time model: periods only, rooms by counting
# ---------------------------------------------------------------------------------------------


@dataclass
class TimeModel:
    """The period-assignment model; ``x[c, p]`` are its decisions (``1`` where fixed)."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], Term]
    courses: int
    scale: int = 1  # UD2 cost (without stability) = objective value // scale

    def cost(self, objective: float) -> int:
        """The period cost of a solution whose objective value is ``objective``."""
        return round(objective) // self.scale

    def periods(self, solver: cp_model.CpSolver) -> Periods:
        """The periods of each course (fixed and decided) in the solver's solution."""
        chosen: list[list[int]] = [[] for _ in range(self.courses)]
        for (c, p), var in self.x.items():
            if isinstance(var, int) or solver.boolean_value(var):
                chosen[c].append(p)
        return tuple(tuple(sorted(ps)) for ps in chosen)


def build_time_model(
    instance: CbcttInstance, current: Periods | None = None, release: Release | None = None,
    stop: Callable[[], bool] | None = None,
) -> TimeModel:
    """Periods of lectures; objective: UD2 without room stability (a lower bound on UD2).

    Without ``current`` every lecture is placed. With ``current`` (the periods of each course)
    and ``release``, only the released lectures move (to ``release.periods`` of their course),
    the current periods are the solution hint, and the objective covers the whole timetable.
    Raises :class:`BuildStopped` as soon as ``stop`` (called now and then) returns true.
    """
    inst = instance
    b = _Builder(inst, hinting=current is not None, stop=stop)
    all_periods = frozenset(range(inst.num_periods))
    x: dict[tuple[int, int], Term] = {}
    count: dict[int, int] = {}
    if current is None:
        current = tuple(() for _ in inst.courses)
        release = Release(frozenset(), periods={})
        count = {c: course.lectures for c, course in enumerate(inst.courses)}
        free_courses = {c: all_periods for c in range(len(inst.courses))}
    else:
        release = release or Release(frozenset())
        free_courses = {}
        for c, ps in enumerate(current):
            released = [p for p in ps if (c, p) in release.lectures]
            count[c] = len(released)
            if released:
                free_courses[c] = release.periods.get(c, all_periods) | set(released)
    fixed_at: dict[int, set[int]] = defaultdict(set)
    for c, ps in enumerate(current):
        for p in ps:
            if (c, p) not in release.lectures:
                x[c, p] = 1
                fixed_at[p].add(c)
    for c, allowed in sorted(free_courses.items()):
        b.go_on()
        if not count[c]:
            continue
        course = inst.courses[c]
        blocked = inst.conflicts[c] | {c}
        now = set(current[c])
        for p in sorted(allowed):
            if inst.available[c][p] and not fixed_at[p] & blocked:
                x[c, p] = b.bool_var(f"x[{course.id},{p}]", int(p in now))
    _lecture_count(b, x, count)
    _conflicts(b, x)
    _room_counting(b, x)
    _min_working_days(b, x)
    _isolated_lectures(b, x)
    b.unsettle(x, release.unsettle)
    b.finish()
    return TimeModel(b.model, x, len(inst.courses), b.scale)


def capacity_steps(instance: CbcttInstance) -> list[tuple[int, int, int]]:
    """Steps ``(threshold, rooms, length)`` of the counting form of the room-capacity cost.

    In a period, the cheapest room assignment costs the sum over steps of
    ``length * max(0, lectures of courses with at least threshold students - rooms)``, where
    ``rooms`` counts the rooms seating at least ``threshold`` students. Steps where the cost is
    always zero are left out.
    """
    sizes = sorted({c.students for c in instance.courses})
    caps = [r.capacity for r in instance.rooms]
    points = sorted({1} | {s + 1 for s in sizes} | {cap + 1 for cap in caps})
    steps: list[tuple[int, int, int]] = []
    for a, b in itertools.pairwise(points):
        rooms = sum(1 for cap in caps if cap >= a)
        courses = sum(1 for c in instance.courses if c.students >= a)
        if courses > rooms and a <= max(sizes, default=0):
            steps.append((a, rooms, b - a))
    return steps


def _room_counting(b: _Builder, x: Mapping[tuple[int, int], Term]) -> None:
    """At most one lecture per room in each period; exact room-capacity cost by counting."""
    inst = b.instance
    by_period: dict[int, list[int]] = defaultdict(list)
    for c, p in x:
        by_period[p].append(c)
    steps = capacity_steps(inst)
    for p, courses in sorted(by_period.items()):
        b.go_on()
        terms = [x[c, p] for c in courses]
        if len(terms) > len(inst.rooms) and not all(isinstance(t, int) for t in terms):
            b.model.add(cp_model.LinearExpr.sum(terms) <= len(inst.rooms))
        for threshold, rooms, length in steps:
            big = [x[c, p] for c in courses if inst.courses[c].students >= threshold]
            if len(big) <= rooms:
                continue
            fixed = sum(t for t in big if isinstance(t, int))
            free = [t for t in big if not isinstance(t, int)]
            if not free:
                b.objective.constant += length * max(0, fixed - rooms)
                continue
            hint = max(0, fixed + sum(b.hint.get(t, 0) for t in free) - rooms)
            excess = b.int_var(0, len(big) - rooms, f"excess[{p},{threshold}]", hint)
            b.model.add(excess >= fixed + cp_model.LinearExpr.sum(free) - rooms)
            b.objective.add(excess, length)


# ---------------------------------------------------------------------------------------------
# Placement model: periods and rooms of released lectures, the rest fixed
# ---------------------------------------------------------------------------------------------


@dataclass
class PlacementModel:
    """A placement model with its decisions ``z[c, p, r]`` and the lectures kept fixed."""

    model: cp_model.CpModel
    z: dict[tuple[int, int, int], cp_model.IntVar]
    fixed: tuple[tuple[Lecture, ...], ...]
    released: int
    scale: int = 1  # UD2 cost = objective value // scale

    def cost(self, objective: float) -> int:
        """The UD2 cost of a solution whose objective value is ``objective``."""
        return round(objective) // self.scale

    def timetable(self, solver: cp_model.CpSolver) -> Timetable:
        """The whole timetable (fixed and re-placed lectures) of the solver's solution."""
        lectures = [list(f) for f in self.fixed]
        for (c, p, r), var in self.z.items():
            if solver.boolean_value(var):
                lectures[c].append((p, r))
        return tuple(tuple(sorted(ls)) for ls in lectures)


def room_penalty(instance: CbcttInstance, course: int, room: int) -> int:
    """Students of ``course`` above the capacity of ``room``."""
    return max(0, instance.courses[course].students - instance.rooms[room].capacity)


def build_placement_model(
    instance: CbcttInstance, timetable: Timetable, release: Release
) -> PlacementModel:
    """Re-place the released lectures of ``timetable``; objective: the UD2 cost of the result.

    The current timetable is given as a complete solution hint, so the model always has a
    solution at least as good as ``timetable`` (which must satisfy the hard constraints).
    """
    inst = instance
    b = _Builder(inst)
    n_periods, n_rooms = inst.num_periods, len(inst.rooms)
    all_periods = frozenset(range(n_periods))
    all_rooms = frozenset(range(n_rooms))

    fixed: list[list[Lecture]] = [[] for _ in inst.courses]
    count: dict[int, int] = defaultdict(int)
    current: dict[int, list[Lecture]] = defaultdict(list)
    for c, lectures in enumerate(timetable):
        for p, r in lectures:
            if (c, p) in release.lectures:
                count[c] += 1
                current[c].append((p, r))
            else:
                fixed[c].append((p, r))

    occupied = {(p, r) for lectures in fixed for p, r in lectures}
    fixed_at: dict[int, set[int]] = defaultdict(set)  # period -> courses with a fixed lecture
    for c, kept in enumerate(fixed):
        for p, _ in kept:
            fixed_at[p].add(c)

    # Variables: z[c,p,r] for every place a released lecture may take; x[c,p] literals.
    x: dict[tuple[int, int], Term] = {}
    z: dict[tuple[int, int, int], cp_model.IntVar] = {}
    z_by_course_period: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for c, course in enumerate(inst.courses):
        for p, _ in fixed[c]:
            x[c, p] = 1
        if not count[c]:
            continue
        now = set(current[c])
        blocked = inst.conflicts[c] | {c}
        periods = release.periods.get(c, all_periods)
        rooms = sorted(release.rooms.get(c, all_rooms) | {r for _, r in now})
        for p in sorted(periods | {p for p, _ in now}):
            if not inst.available[c][p] or fixed_at[p] & blocked:
                continue
            for r in rooms:
                if (p, r) in occupied:
                    continue
                var = b.bool_var(f"z[{course.id},{p},{inst.rooms[r].id}]", int((p, r) in now))
                z[c, p, r] = var
                z_by_course_period[c, p].append(var)
    for (c, p), zs in z_by_course_period.items():
        if len(zs) == 1:
            x[c, p] = zs[0]
        else:
            var = b.bool_var(f"x[{inst.courses[c].id},{p}]", int(any(b.hint[v] for v in zs)))
            b.model.add(cp_model.LinearExpr.sum(zs) == var)
            x[c, p] = var

    _lecture_count(b, x, count)
    _conflicts(b, x)
    _room_occupancy(b, z)
    _room_capacity(b, z, fixed)
    _min_working_days(b, x)
    _isolated_lectures(b, x)
    _room_stability(b, z, fixed, count)
    b.unsettle(x, release.unsettle)
    b.finish()
    return PlacementModel(b.model, z, tuple(tuple(f) for f in fixed), sum(count.values()),
                          b.scale)


def _room_occupancy(b: _Builder, z: Mapping[tuple[int, int, int], cp_model.IntVar]) -> None:
    """At most one lecture per room and period (fixed lectures already removed their places)."""
    by_place: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (_, p, r), var in z.items():
        by_place[p, r].append(var)
    for vars_ in by_place.values():
        if len(vars_) > 1:
            b.model.add_at_most_one(vars_)


def _room_capacity(
    b: _Builder,
    z: Mapping[tuple[int, int, int], cp_model.IntVar],
    fixed: Sequence[Iterable[Lecture]],
) -> None:
    """1 per student above the room's capacity, per lecture."""
    inst = b.instance
    for c, lectures in enumerate(fixed):
        b.objective.constant += sum(room_penalty(inst, c, r) for _, r in lectures)
    for (c, _, r), var in z.items():
        b.objective.add(var, room_penalty(inst, c, r))


def _room_stability(
    b: _Builder,
    z: Mapping[tuple[int, int, int], cp_model.IntVar],
    fixed: Sequence[Iterable[Lecture]],
    count: Mapping[int, int],
) -> None:
    """1 per room a course uses beyond its first."""
    inst = b.instance
    uses: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (c, _, r), var in z.items():
        uses[c, r].append(var)
    by_course: dict[int, list[int]] = defaultdict(list)
    for c, r in uses:
        by_course[c].append(r)
    for c, course in enumerate(inst.courses):
        fixed_rooms = {r for _, r in fixed[c]}
        if not count.get(c):
            b.objective.constant += max(0, len(fixed_rooms) - 1)
            continue
        used: list[cp_model.IntVar] = []
        for r in sorted(by_course[c]):
            if r in fixed_rooms:
                continue
            hint = int(any(b.hint[v] for v in uses[c, r]))
            y = b.bool_var(f"room_used[{course.id},{inst.rooms[r].id}]", hint)
            for var in uses[c, r]:
                b.model.add_implication(var, y)
            used.append(y)
            b.objective.add(y, 1)
        if fixed_rooms:
            b.objective.constant += len(fixed_rooms) - 1
        else:
            b.model.add_bool_or(used)
            b.objective.constant -= 1


def timetable_cost(instance: CbcttInstance, timetable: Timetable) -> int:
    """The UD2 cost of a complete timetable, as the placement model's objective computes it."""
    empty = Release(frozenset())
    pm = build_placement_model(instance, timetable, empty)
    return int(pm.model.proto.objective.offset)


def periods_cost(instance: CbcttInstance, periods: Periods) -> int:
    """The period model's cost of a period assignment (UD2 without room stability)."""
    tm = build_time_model(instance, periods, Release(frozenset()))
    return int(tm.model.proto.objective.offset)


def build_feasibility_model(instance: CbcttInstance, stop: Callable[[], bool] | None = None
                            ) -> TimeModel:
    """The time model without objective: the fastest way to a first feasible timetable
    (:class:`BuildStopped` as soon as ``stop`` returns true)."""
    tm = build_time_model(instance, stop=stop)
    tm.model.clear_objective()
    return tm

"""Soft constraints: one function per term, each added only when its weight is non-zero.

Every term counts exactly what ``docs/objective.md`` says, in the units of the verifier's
independent recomputation (:mod:`scheduler.verify.soft`). Auxiliary variables are defined
exactly (both directions), so the solver's claimed count equals the verified count for every
solution, not only for optimal ones. Per-day terms of a cohort are built once per distinct day
structure and multiplied by the number of dates sharing it (weekly patterns make most dates of
a weekday identical).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.instance import RELAXED_UNPLACED_WEIGHT, Course, Instance, Teacher
from scheduler.levels import THRESHOLDS, TIERS
from scheduler.model.builder import TimetableModel, leaf_cohorts
from scheduler.model.options import Option
from scheduler.model.trips import VisitorTrips, horizon
from scheduler.timetable import Timetable

Expr = cp_model.LinearExpr | int
"""A linear expression of the model, or a constant."""
DayUsage = list[tuple[cp_model.IntVar, Option]]



@dataclass
class SoftTerm:
    """A weighted soft term: ``weight * sum(multiplier * expression)``.

    ``tier`` is the tier its cost belongs to (``placement``, ``norm`` or ``comfort``), or
    ``None`` for a rule the office made hard: the builder then forbids any count of it.
    """

    name: str
    weight: int
    parts: list[tuple[int, Expr]] = field(default_factory=list)
    tier: str | None = "comfort"

    def add(self, expression: Expr, multiplier: int = 1) -> None:
        self.parts.append((multiplier, expression))

    def count(self, solver: cp_model.CpSolver) -> int:
        """The unweighted count in the solver's solution."""
        return int(sum(k * solver.value(e) for k, e in self.parts))

    def expression(self) -> Expr:
        return sum(self.weight * k * e for k, e in self.parts)

    def counted(self) -> Expr:
        """The unweighted count as an expression."""
        return sum(k * e for k, e in self.parts)

    @property
    def hard(self) -> bool:
        return self.tier is None


def tier_expression(terms: Iterable[SoftTerm], tier: str | None = None) -> Expr:
    """The weighted cost of the terms of ``tier`` (``None``: of every soft term)."""
    return sum(t.expression() for t in terms
               if not t.hard and (tier is None or t.tier == tier))


def tiers_of(terms: Iterable[SoftTerm]) -> list[str]:
    """The tiers that hold a term, most important first."""
    present = {t.tier for t in terms if not t.hard}
    return [tier for tier in TIERS if tier in present]


def segments(instance: Instance) -> list[tuple[int, ...]]:
    """The day grid cut at every block boundary: periods that are always taught together."""
    cuts = set()
    for b in instance.blocks:
        cuts.add(b.first_period)
        cuts.add(b.last_period + 1)
    result: list[list[int]] = []
    for p in sorted(instance.period_by_number):
        if p in cuts or not result:
            result.append([p])
        else:
            result[-1].append(p)
    return [tuple(s) for s in result]


@dataclass(frozen=True)
class Scope:
    """The term instances an objective carries: cohort-day terms of ``leaves``, course and
    option terms of ``courses``, per-teacher terms of ``teachers`` (``None``: all of them)."""

    leaves: frozenset[str] | None = None
    courses: frozenset[str] | None = None
    teachers: frozenset[str] | None = None

    def has_leaf(self, leaf: str) -> bool:
        return self.leaves is None or leaf in self.leaves

    def has_course(self, course: str) -> bool:
        return self.courses is None or course in self.courses

    def has_teacher(self, teacher: str) -> bool:
        return self.teachers is None or teacher in self.teachers


class ObjectiveBuilder:
    """Adds the soft terms of an instance's weights to a :class:`TimetableModel`.

    ``tight`` picks the formulations with the stronger LP relaxation (for lower bounds, and
    for small instances' LNS sub-models, whose one worker searches with the full LP);
    ``scope`` limits which cohorts', courses' and teachers' terms are added (for lower bounds
    from parts of an instance, :mod:`scheduler.model.bound`, and for neighbourhoods);
    ``fixed`` lists options the caller fixes to be used (a neighbourhood's fixed courses, each
    in one room): cohort days made of them alone cost a constant and are left out.
    """

    def __init__(self, tm: TimetableModel, baseline: Timetable | None = None,
                 tight: bool = False, scope: Scope | None = None,
                 fixed: frozenset[int] = frozenset()) -> None:
        self.tm = tm
        self.fixed = fixed
        self.tight = tight
        self.scope = scope or Scope()
        self.baseline = baseline
        self.model = tm.model
        self.instance: Instance = tm.instance
        self.weights = tm.instance.weights
        self.levels = tm.instance.levels
        self.terms: list[SoftTerm] = []
        self._days: list[tuple[str, DayUsage, int]] | None = None
        self.segments = segments(tm.instance)

    # --- exact logical helpers -------------------------------------------------------------
    def _bool(self, name: str) -> cp_model.IntVar:
        return self.model.new_bool_var(name)

    def _or(self, literals: Sequence[Expr], name: str) -> cp_model.IntVar:
        """A flag equal to the OR of 0/1 expressions."""
        flag = self._bool(name)
        for lit in literals:
            self.model.add(flag >= lit)
        self.model.add(flag <= sum(literals))
        return flag

    def _and(self, literals: Sequence[Expr], name: str) -> cp_model.IntVar:
        flag = self._bool(name)
        for lit in literals:
            self.model.add(flag <= lit)
        self.model.add(flag >= sum(literals) - (len(literals) - 1))
        return flag

    def _excess(self, expression: Expr, threshold: int, top: int, name: str) -> cp_model.IntVar:
        """``max(0, expression - threshold)`` as an integer variable."""
        excess = self.model.new_int_var(0, max(0, top - threshold), name)
        self.model.add_max_equality(excess, [0, expression - threshold])
        return excess

    def _term(self, name: str) -> SoftTerm | None:
        """A new term for rule ``name``: ``None`` when its weight is 0, unless the office made
        it hard (it is then built to be forbidden, whatever its weight)."""
        weight = getattr(self.weights, name)
        tier = self.levels.tier(name)
        if not weight and tier is not None:
            return None
        term = SoftTerm(name, weight or 1, tier=tier)
        self.terms.append(term)
        return term

    # --- cohort days ------------------------------------------------------------------------
    def cohort_days(self) -> list[tuple[str, DayUsage, int]]:
        """(leaf cohort, usage of one date, number of dates with exactly this usage)."""
        if self._days is None:
            by_leaf: dict[str, dict[object, DayUsage]] = defaultdict(lambda: defaultdict(list))
            leaves = {c.id: leaf_cohorts(self.instance, c) for c in self.instance.courses}
            for option in self.tm.options.options:
                use = self.tm.use[option.index]
                for leaf in leaves[option.course.id]:
                    if not self.scope.has_leaf(leaf):
                        continue
                    for day in option.days:
                        by_leaf[leaf][day.date].append((use, option))
            days: list[tuple[str, DayUsage, int]] = []
            for leaf, by_date in by_leaf.items():
                groups: dict[tuple, list] = {}
                for usage in by_date.values():
                    if self.fixed and all(o.index in self.fixed for _, o in usage):
                        continue  # the day's cost is a constant
                    key = tuple(sorted((u.index, o.block.first_period) for u, o in usage))
                    if key in groups:
                        groups[key][1] += 1
                    else:
                        groups[key] = [usage, 1]
                days.extend((leaf, usage, count) for usage, count in groups.values())
            self._days = days
        return self._days

    def _segment_occupancy(self, usage: DayUsage) -> dict[tuple[int, ...], Expr]:
        at: dict[tuple[int, ...], list[cp_model.IntVar]] = defaultdict(list)
        for use, option in usage:
            for seg in self.segments:
                if option.block.first_period <= seg[0] <= option.block.last_period:
                    at[seg].append(use)
        return {seg: sum(lits) for seg, lits in at.items()}

    def _span_gaps(self, present: Sequence[Expr], weight: Sequence[int], label: str,
                   start: int = 0) -> Expr:
        """Weighted count of absent keys strictly between the first and last present key.

        ``present`` lists 0/1 expressions of consecutive keys in order, ``weight`` how many
        units each key spans, ``start`` the position of the first key. Two exact
        formulations: the compact one takes the first and last present position with big-M
        terms (few variables; the better one for the whole model's search); the tight one
        (``tight=True``, used for lower bounds and small instances' LNS sub-models) flags
        every key, whose LP relaxation is much stronger (see docs/performance.md).
        """
        if self.tight:
            return self._span_gaps_tight(present, weight, label)
        n = len(present)
        positions = [start + sum(weight[:k]) for k in range(n)]
        big = positions[-1] + weight[-1] + 1
        first = self.model.new_int_var(0, 2 * big, f"{label}:first")
        last = self.model.new_int_var(-big, big, f"{label}:last")
        self.model.add_min_equality(first, [positions[k] + big * (1 - present[k])
                                            for k in range(n)])
        self.model.add_max_equality(last, [positions[k] + weight[k] - 1 - big * (1 - present[k])
                                           for k in range(n)])
        units = sum(weight[k] * present[k] for k in range(n))
        return self._excess(last - first + 1 - units, 0, sum(weight), f"{label}:gaps")

    def _span_gaps_tight(self, present: Sequence[Expr], weight: Sequence[int],
                         label: str) -> Expr:
        """``before[k]``: some key up to ``k`` is present; ``after[k]``: some key from ``k``
        on; key ``k`` is a gap when both hold around it and it is absent."""
        if len(present) < 3:
            return 0
        before = self._prefix_or(present, f"{label}:before")
        after = self._prefix_or(present[::-1], f"{label}:after")[::-1]
        gaps = []
        for k in range(1, len(present) - 1):
            gap = self._bool(f"{label}:gap{k}")
            self.model.add(gap <= before[k - 1])
            self.model.add(gap <= after[k + 1])
            self.model.add(gap <= 1 - present[k])
            self.model.add(gap >= before[k - 1] + after[k + 1] - 1 - present[k])
            gaps.append(weight[k] * gap)
        return sum(gaps)

    def _prefix_or(self, present: Sequence[Expr], label: str) -> list[Expr]:
        """``flags[k]`` true exactly when one of ``present[0..k]`` is (monotone, linear)."""
        flags: list[Expr] = [present[0]]
        for k in range(1, len(present)):
            flag = self._bool(f"{label}{k}")
            self.model.add(flag >= flags[-1])
            self.model.add(flag >= present[k])
            self.model.add(flag <= flags[-1] + present[k])
            flags.append(flag)
        return flags

    def cohort_idle_period(self) -> None:
        term = self._term("cohort_idle_period")
        if term is None:
            return
        for n, (leaf, usage, count) in enumerate(self.cohort_days()):
            if len(usage) < 2:
                continue
            occupied = self._segment_occupancy(usage)
            inside = [s for s in self.segments if min(occupied)[0] <= s[0] <= max(occupied)[0]]
            term.add(self._span_gaps([occupied.get(seg, 0) for seg in inside],
                                     [len(seg) for seg in inside], f"idle[{leaf}#{n}]",
                                     start=inside[0][0]), count)

    def cohort_single_meeting_day(self) -> None:
        term = self._term("cohort_single_meeting_day")
        if term is None:
            return
        for n, (leaf, usage, count) in enumerate(self.cohort_days()):
            uses = [u for u, _ in usage]
            if len(uses) == 1:
                term.add(uses[0], count)
                continue
            single = self._bool(f"single[{leaf}#{n}]")
            # single == 1 exactly when one of the uses is true
            self.model.add(sum(uses) == 1).only_enforce_if(single)
            self.model.add(sum(uses) != 1).only_enforce_if(~single)
            term.add(single, count)

    def lunch_break_missed(self) -> None:
        term = self._term("lunch_break_missed")
        lunch = [p.number for p in self.instance.periods if p.lunch]
        if term is None or not lunch:
            return
        for n, (leaf, usage, count) in enumerate(self.cohort_days()):
            at: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for use, option in usage:
                for p in option.block.periods:
                    at[p].append(use)
            if all(p in at for p in lunch):
                term.add(self._and([sum(at[p]) for p in lunch], f"nolunch[{leaf}#{n}]"), count)

    def cohort_overload_period(self) -> None:
        term = self._term("cohort_overload_period")
        cap = self.weights.cohort_daily_cap
        if term is None:
            return
        for n, (leaf, usage, count) in enumerate(self.cohort_days()):
            top = min(len(self.instance.periods), sum(o.block.length for _, o in usage))
            if top <= cap:
                continue
            load = sum(o.block.length * u for u, o in usage)
            term.add(self._excess(load, cap, top, f"overload[{leaf}#{n}]"), count)

    def cohort_building_change(self) -> None:
        term = self._term("cohort_building_change")
        if term is None:
            return
        building = {r.id: r.building for r in self.instance.rooms}
        in_building: dict[int, dict[str, Expr]] = {}
        for option in self.tm.options.options:
            parts: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for room in option.rooms:
                parts[building[room]].append(self.tm.room[(option.index, room)])
            in_building[option.index] = {b: sum(lits) for b, lits in parts.items()}
        for n, (leaf, usage, count) in enumerate(self.cohort_days()):
            if len(usage) < 2:
                continue
            uses: dict[str, list[Expr]] = defaultdict(list)
            for _, option in usage:
                for b, expression in in_building[option.index].items():
                    uses[b].append(expression)
            if len(uses) < 2:
                continue
            used = [self._or(exprs, f"building[{leaf}#{n}|{b}]") for b, exprs in uses.items()]
            term.add(self._excess(sum(used), 1, len(used), f"buildings[{leaf}#{n}]"), count)

    def _teachers(self) -> list[Teacher]:
        return [t for t in self.instance.teachers if self.scope.has_teacher(t.id)]

    def _courses(self) -> list[Course]:
        return [c for c in self.instance.courses if self.scope.has_course(c.id)]

    def _options(self) -> list[Option]:
        return [o for o in self.tm.options.options if self.scope.has_course(o.course.id)]

    # --- per-option costs -------------------------------------------------------------------
    def _option_costs(self, name: str, cost: Callable[[Option], int]) -> None:
        term = self._term(name)
        if term is None:
            return
        for option in self._options():
            value = cost(option)
            if value:
                term.add(self.tm.use[option.index], value)

    def per_option_terms(self) -> None:
        evening = {p.number for p in self.instance.periods if p.session == "evening"}
        self._option_costs("evening_period", lambda o: len(o.days) * sum(
            p in evening for p in o.block.periods))
        self._option_costs("adjusted_day_meeting", lambda o: sum(d.adjusted for d in o.days))
        prefs: dict[str, list] = defaultdict(list)
        for pref in self.instance.preferences:
            prefs[pref.teacher_id].append(pref)

        def matches(pref, weekday: int, period: int) -> bool:
            return ((pref.weekday is None or pref.weekday == weekday)
                    and (pref.first_period is None or pref.first_period <= period)
                    and (pref.last_period is None or period <= pref.last_period))

        def avoided(o: Option) -> int:
            return sum(any(x.kind == "avoid" and matches(x, day.weekday, p) for x in prefs[t])
                       for t in o.course.teachers for day in o.days for p in o.block.periods)

        def unpreferred(o: Option) -> int:
            total = 0
            for t in o.course.teachers:
                wanted = [x for x in prefs[t] if x.kind == "prefer"]
                if wanted:
                    total += sum(not any(matches(x, day.weekday, p) for x in wanted)
                                 for day in o.days for p in o.block.periods)
            return total

        self._option_costs("teacher_avoided_period", avoided)
        self._option_costs("teacher_unpreferred_period", unpreferred)

    def seat_waste(self) -> None:
        term = self._term("seat_waste")
        if term is None:
            return
        for option in self._options():
            size = self.instance.course_size(option.course)
            slack = math.ceil(size * self.weights.seat_slack_percent / 100)
            for room in option.rooms:
                capacity = self.instance.room_by_id[room].capacity
                units = max(0, capacity - size - slack) // 10
                if units:
                    term.add(self.tm.room[(option.index, room)], units * len(option.days))

    # --- courses ----------------------------------------------------------------------------
    def weekly_spread(self) -> None:
        same = self._term("course_same_day")
        gap = self._term("course_day_gap")
        if same is None and gap is None:
            return
        for course in self._courses():
            if course.delivery != "weekly" or (course.meetings_per_week or 0) < 2:
                continue
            by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for o in self.tm.options.by_course.get(course.id, []):
                if o.weekday is not None:
                    by_day[o.weekday].append(self.tm.use[o.index])
            if same is not None:
                for day, uses in by_day.items():
                    if len(uses) > 1:
                        top = min(len(uses), course.meetings_per_week or 1)
                        same.add(self._excess(sum(uses), 1, top, f"sameday[{course.id}|{day}]"))
            if gap is not None and self.weights.min_day_gap > 1:
                meets = {d: self._or(uses, f"meets[{course.id}|{d}]")
                         for d, uses in by_day.items()}
                for d1 in meets:
                    for d2 in meets:
                        if d1 < d2 < d1 + self.weights.min_day_gap:
                            gap.add(self._and([meets[d1], meets[d2]],
                                              f"close[{course.id}|{d1}|{d2}]"))

    def _taught_on(self, options: Iterable[Option], label: str,
                   daily_cap: int) -> dict[dt.date, cp_model.IntVar]:
        """A flag per date, true exactly when one of the options is used that date.

        The aggregated ``sum(length * use) <= cap * flag`` tightens the LP: a day's teaching
        needs a whole day flag.
        """
        on_date: dict[dt.date, list[Option]] = defaultdict(list)
        for o in options:
            for day in o.days:
                on_date[day.date].append(o)
        flags = {}
        for date, opts in sorted(on_date.items()):
            flag = self._or([self.tm.use[o.index] for o in opts], f"taught[{label}|{date}]")
            cap = min(daily_cap, sum(_course_daily_cap(c) for c in {o.course for o in opts}))
            self.model.add(sum(o.block.length * self.tm.use[o.index] for o in opts)
                           <= cap * flag)
            flags[date] = flag
        return flags

    def intensive_long_run(self) -> None:
        term = self._term("intensive_long_run")
        limit = self.weights.max_consecutive_days
        if term is None:
            return
        for course in self._courses():
            if course.delivery != "intensive":
                continue
            flags = self._taught_on(self.tm.options.by_course.get(course.id, []), course.id,
                                    _course_daily_cap(course))
            for start in flags:
                window = [start + dt.timedelta(days=k) for k in range(limit + 1)]
                if all(d in flags for d in window):
                    term.add(self._and([flags[d] for d in window],
                                       f"longrun[{course.id}|{start}]"))

    def _changes(self, term: SoftTerm, literals: dict[str, list[Expr]], label: str) -> None:
        if len(literals) < 2:
            return
        used = [self._or(lits, f"{label}|{key}") for key, lits in literals.items()]
        term.add(self._excess(sum(used), 1, len(used), f"{label}:changes"))

    def intensive_room_change(self) -> None:
        term = self._term("intensive_room_change")
        if term is None:
            return
        for course in self._courses():
            if course.delivery != "intensive":
                continue
            rooms: dict[str, list[Expr]] = defaultdict(list)
            for o in self.tm.options.by_course.get(course.id, []):
                for room in o.rooms:
                    rooms[room].append(self.tm.room[(o.index, room)])
            self._changes(term, rooms, f"roomused[{course.id}]")

    def interpreter_change(self) -> None:
        term = self._term("interpreter_change")
        if term is None:
            return
        for course in self._courses():
            people: dict[str, list[Expr]] = defaultdict(list)
            for o in self.tm.options.by_course.get(course.id, []):
                for who in o.interpreters:
                    people[who].append(self.tm.interpreter[(o.index, who)])
            self._changes(term, people, f"interpused[{course.id}]")

    # --- teachers -----------------------------------------------------------------------------
    def visitors(self) -> None:
        teaching = self._term("visitor_teaching_day")
        idle = self._term("visitor_idle_day")
        if teaching is None and idle is None:
            return
        for teacher in self._teachers():
            if not teacher.visiting:
                continue
            options = [o for _, o in self.tm.by_teacher.get(teacher.id, ())]
            flags = self._taught_on(options, teacher.id, teacher.max_periods_per_day)
            if teaching is not None:
                for flag in flags.values():
                    teaching.add(flag)
            if idle is None:
                continue
            if teacher.id in self.tm.trips:
                self._planned_idle_days(idle, self.tm.trips[teacher.id], flags)
            for w, window in enumerate(self.instance.windows_of(teacher.id)):
                dates = [d.date for d in self.tm.calendar.days
                         if window.arrival <= d.date <= window.departure]
                if sum(d in flags for d in dates) < 2:
                    continue
                idle.add(self._span_gaps([flags.get(d, 0) for d in dates], [1] * len(dates),
                                         f"visit[{teacher.id}|{w}]"))

    def _planned_idle_days(self, idle: SoftTerm, trips: VisitorTrips,
                           flags: dict[dt.date, cp_model.IntVar]) -> None:
        """Idle days inside each planned trip: ``taught[k, date]`` (taught, and inside trip
        ``k``) is exact, since a taught date lies inside exactly one trip."""
        first, last = horizon(self.instance, trips.plan)
        dates = [d.date for d in self.tm.calendar.days if first <= d.date <= last]
        for k in range(len(trips.present)):
            present: list[Expr] = []
            for date in dates:
                inside = trips.inside.get((k, date))
                present.append(0 if inside is None or date not in flags else self._and(
                    [flags[date], inside], f"taughtin[{trips.teacher_id}|{k}|{date}]"))
            keys = [i for i, p in enumerate(present) if not isinstance(p, int)]
            if len(keys) < 2:
                continue
            present = present[keys[0]:keys[-1] + 1]
            idle.add(self._span_gaps(present, [1] * len(present),
                                     f"tripidle[{trips.teacher_id}|{k}]"))

    def trip_costs(self) -> None:
        """Planned trips: ``cost_per_trip`` per trip made, ``cost_per_day`` per day abroad."""
        per_trip = self._term("visitor_trip")
        per_day = self._term("visitor_day_abroad")
        for teacher in self._teachers():
            trips = self.tm.trips.get(teacher.id)
            if trips is None:
                continue
            plan = trips.plan
            for present, days in zip(trips.present, trips.days, strict=True):
                if per_trip is not None and plan.cost_per_trip:
                    per_trip.add(present, plan.cost_per_trip)
                if per_day is not None and plan.cost_per_day:
                    per_day.add(days, plan.cost_per_day)

    def teacher_week_imbalance(self) -> None:
        term = self._term("teacher_week_imbalance")
        if term is None:
            return
        regular = regular_weeks(self.tm.calendar, self.instance)
        if len(regular) < 2:
            return
        for teacher in self._teachers():
            usages = self.tm.by_teacher.get(teacher.id)
            if teacher.visiting or not usages:
                continue
            top = teacher.max_periods_per_week
            loads = []
            for week in regular:
                load = self.model.new_int_var(0, top, f"weekload[{teacher.id}|{week}]")
                self.model.add(load == sum(
                    o.block.length * sum(d.calendar_week == week for d in o.days) * use
                    for use, o in usages))
                loads.append(load)
            high = self.model.new_int_var(0, top, f"weekmax[{teacher.id}]")
            low = self.model.new_int_var(0, top, f"weekmin[{teacher.id}]")
            self.model.add_max_equality(high, loads)
            self.model.add_min_equality(low, loads)
            term.add(high - low)

    # --- re-solving and relaxed solving ------------------------------------------------------
    def moved_meeting(self) -> None:
        """Baseline meetings not kept at the same date, periods and room."""
        if self.baseline is None:
            return
        term = self._term("moved_meeting")
        if term is None:
            return
        courses = set(self.instance.course_by_id)
        kept = {(m.course_id, m.date, m.first_period, m.last_period, m.room_id)
                for m in self.baseline.meetings if m.course_id in courses}
        term.add(len(kept))
        for option in self.tm.options.options:
            for room in option.rooms:
                matched = sum((option.course.id, d.date, option.block.first_period,
                               option.block.last_period, room) in kept for d in option.days)
                if matched:
                    term.add(self.tm.room[(option.index, room)], -matched)

    def unplaced_period(self) -> None:
        """Relaxed mode: contact periods of courses left out."""
        if not self.tm.relax:
            return
        term = self._term("unplaced_period") or SoftTerm(
            "unplaced_period", RELAXED_UNPLACED_WEIGHT, tier="placement")
        if term not in self.terms:
            self.terms.append(term)
        for course in self.instance.courses:
            term.add(1 - self.tm.placed[course.id], course.contact_periods)

    def build(self) -> list[SoftTerm]:
        """Add every term with a non-zero weight; set the objective; return the terms."""
        self.cohort_idle_period()
        self.cohort_single_meeting_day()
        self.lunch_break_missed()
        self.cohort_overload_period()
        self.cohort_building_change()
        self.per_option_terms()
        self.seat_waste()
        self.weekly_spread()
        self.intensive_long_run()
        self.intensive_room_change()
        self.interpreter_change()
        self.visitors()
        self.trip_costs()
        self.teacher_week_imbalance()
        self.moved_meeting()
        self.unplaced_period()
        terms = [t for t in self.terms if t.parts]
        for term in terms:
            if term.hard:
                self._forbid(term)
        self.model.minimize(tier_expression(terms))
        return terms

    def _forbid(self, term: SoftTerm) -> None:
        """A hard rule: no count at all (in explain mode, as the requirement group
        ``("office rule", name)``, so that an infeasibility can name it)."""
        constraint = self.model.add(term.counted() == 0)
        literal = self.tm.rule_literal(term.name)
        if literal is not None:
            constraint.only_enforce_if(literal)

    def build_hard(self) -> list[SoftTerm]:
        """Only the rules the office made hard, as constraints (for explanations, where the
        model has no objective)."""
        self.weights = replace(self.weights, **{
            name: 0 for name in self.weights.names()
            if name not in THRESHOLDS and self.levels.tier(name) is not None})
        self.build()
        self.model.clear_objective()
        return [t for t in self.terms if t.hard and t.parts]


def _course_daily_cap(course: Course) -> int:
    """Most periods a course can be taught on one date."""
    if course.delivery == "intensive" and course.max_periods_per_day:
        return course.max_periods_per_day
    return course.meeting_length * (course.meetings_per_week or 1)


def regular_weeks(calendar: TermCalendar, instance: Instance) -> list[int]:
    """Calendar weeks in which every teaching weekday is taught and no adjusted workday falls."""
    by_week: dict[int, list] = defaultdict(list)
    for day in calendar.days:
        by_week[day.calendar_week].append(day)
    wanted = sorted(instance.term.teaching_weekdays)
    return [week for week, days in sorted(by_week.items())
            if not any(d.adjusted for d in days)
            and sorted(d.date.weekday() for d in days) == wanted]

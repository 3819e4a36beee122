"""The CP-SAT model of a term: variables over the options, and one function per hard rule.

Every constraint belongs to a requirement group ``(family, subject)`` — for example
``("teacher clash", "CQ-LIWEI")``. In explain mode each group is switched by an enforcement
literal, so CP-SAT can name a small set of groups that cannot hold together. With
``fine=True`` the clash and load groups of constraints that involve dated (intensive) meetings
are split by calendar week: ``("teacher clash", "FEFU-IVANOVA", "week 6")``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.instance import Course, Instance
from scheduler.model.options import DatedPeriod, Option, OptionSet
from scheduler.model.trips import VisitorTrips, build_trips, keep_home

Group = tuple[str, ...]
"""``(family, subject)``, or ``(family, subject, "week N")`` for a week-scoped group."""

FAMILIES = {
    "delivery": "contact periods and meetings per week of a course",
    "teacher clash": "a teacher in one meeting at a time",
    "cohort clash": "a cohort (with its sub-groups) in one meeting at a time",
    "room clash": "a room holding one meeting at a time",
    "interpreter clash": "an interpreter at one meeting at a time",
    "teacher limits": "a teacher's most periods a day and a week",
    "interpreter limits": "an interpreter's most periods a day and a week",
    "intensive daily limit": "an intensive course's most periods a day",
    "visitor trips": "a planned visitor teaches only inside trips that keep their trip rules, "
    "and online only from home",
    "online share": "a course's online meetings within its max_online_share",
    "pin": "a pinned meeting keeps its date, periods and room",
    "office rule": "a soft rule the office made hard (level hard in the weights table)",
}


Usage = tuple[cp_model.IntVar, Option]
"""A literal that, when true, occupies a resource on the option's dated periods."""


def leaf_cohorts(instance: Instance, course: Course) -> list[str]:
    """Cohorts whose clashes a course's meetings count against.

    A whole cohort with sub-groups is represented by its sub-groups (each also attends the
    cohort's own meetings); a sub-group or a cohort without sub-groups stands for itself.
    """
    leaves: list[str] = []
    for cid in course.cohorts:
        subgroups = instance.subgroups_of(cid)
        leaves.extend([s.id for s in subgroups] if subgroups else [cid])
    return leaves


class TimetableModel:
    """Variables and hard constraints for one instance."""

    def __init__(self, instance: Instance, calendar: TermCalendar, options: OptionSet,
                 explain: bool = False, relax: bool = False, fine: bool = False) -> None:
        self.instance = instance
        self.fine = fine
        self.relax = relax
        self.placed: dict[str, cp_model.IntVar] = {}
        self.calendar = calendar
        self.options = options
        self.explain = explain
        self.model = cp_model.CpModel()
        self.use: dict[int, cp_model.IntVar] = {}
        self.room: dict[tuple[int, str], cp_model.IntVar] = {}
        self.interpreter: dict[tuple[int, str], cp_model.IntVar] = {}
        self.groups: dict[Group, cp_model.IntVar] = {}
        self.trips: dict[str, VisitorTrips] = {}
        """The trip variables of each planned visitor with options."""
        self._create_variables()
        self.by_teacher = self._usages(lambda o: o.course.teachers,
                                       lambda o, _: self.use[o.index])
        """Each teacher's options with their ``use`` literals, in option order."""
        self.by_interpreter = self._usages(
            lambda o: o.interpreters, lambda o, who: self.interpreter[(o.index, who)])
        """Each interpreter's options with the literal of that interpreter attending."""
        self._delivery()
        self._room_choice()
        self._interpreter_choice()
        self._teacher_clashes()
        self._cohort_clashes()
        self._room_clashes()
        self._interpreter_clashes()
        self._teacher_limits()
        self._interpreter_limits()
        self._intensive_daily_limits()
        self._visitor_trips()
        self._online_share()
        self._pins()

    # --- plumbing -------------------------------------------------------------------------
    def _group(self, group: Group) -> cp_model.IntVar | None:
        if not self.explain:
            return None
        if group not in self.groups:
            self.groups[group] = self.model.new_bool_var(f"req[{'|'.join(group)}]")
        return self.groups[group]

    def rule_literal(self, rule: str) -> cp_model.IntVar | None:
        """In explain mode, the literal of the requirement group of a rule the office made
        hard (``("office rule", rule)``); ``None`` otherwise."""
        return self._group(("office rule", rule))

    def _scoped(self, group: Group, week: int, dated: bool) -> Group:
        """The group of a constraint in calendar ``week``: split by week in fine explain mode
        when the constraint involves dated (intensive) meetings."""
        if not (self.fine and self.explain and dated):
            return group
        return (*group, f"week {week}")

    def _require(self, constraint: cp_model.Constraint, group: Group) -> None:
        literal = self._group(group)
        if literal is not None:
            constraint.only_enforce_if(literal)

    def _at_most_one(self, literals: Sequence[cp_model.IntVar], group: Group) -> None:
        if len(literals) < 2:
            return
        if self.explain:
            self._require(self.model.add(sum(literals) <= 1), group)
        else:
            self.model.add_at_most_one(literals)

    def _create_variables(self) -> None:
        for option in self.options.options:
            use = self.model.new_bool_var(f"use[{option.name}]")
            self.use[option.index] = use
            self._choices(option, option.rooms, self.room, "room")
            self._choices(option, option.interpreters, self.interpreter, "interp")

    def _choices(self, option: Option, names: tuple[str, ...],
                 chosen: dict[tuple[int, str], cp_model.IntVar], label: str) -> None:
        """A literal per room (or interpreter) the option may take; the option's ``use``
        literal itself when there is only one."""
        if len(names) == 1:
            chosen[(option.index, names[0])] = self.use[option.index]
            return
        for name in names:
            chosen[(option.index, name)] = self.model.new_bool_var(
                f"{label}[{option.name}|{name}]")

    def _no_overlap(self, usages: Iterable[Usage], group: Group) -> None:
        """At most one of the usages on every dated period (identical sets added once)."""
        at: dict[DatedPeriod, list[int]] = defaultdict(list)
        literal_of: dict[int, cp_model.IntVar] = {}
        dated_literals: set[int] = set()
        for literal, option in usages:
            index = literal.index
            literal_of[index] = literal
            if not option.weekly:
                dated_literals.add(index)
            for dated in option.dated_periods():
                at[dated].append(index)
        # Lists are filled in the order of ``usages``, so equal sets are equal sequences.
        seen: set[tuple[int, ...]] = set()
        split = self.fine and self.explain
        for (day, _), indices in at.items():
            if len(indices) < 2:
                continue
            key = tuple(indices)
            if key in seen:
                continue
            seen.add(key)
            scoped = group
            if split:
                week = self.calendar.by_date[day].calendar_week
                scoped = self._scoped(group, week, any(i in dated_literals for i in key))
            self._at_most_one([literal_of[i] for i in key], scoped)

    # --- hard rules -----------------------------------------------------------------------
    def _delivery(self) -> None:
        """Weekly: meetings a week and contact periods reached; intensive: exact contact.

        In relaxed mode a course is either placed in full or not at all (``placed``).
        """
        for course in self.instance.courses:
            options = self.options.by_course.get(course.id, [])
            uses = [self.use[o.index] for o in options]
            group = ("delivery", course.id)
            if self.relax:
                placed = self.model.new_bool_var(f"placed[{course.id}]")
                self.placed[course.id] = placed
                for u in uses:
                    self.model.add_implication(u, placed)
                self._delivery_of(course, options, uses, group, placed)
                continue
            self._delivery_of(course, options, uses, group, None)

    def _delivery_of(self, course: Course, options: list[Option], uses: list[cp_model.IntVar],
                     group: Group, placed: cp_model.IntVar | None) -> None:
        constraints = []
        if course.delivery == "weekly":
            constraints.append(self.model.add(sum(uses) == course.meetings_per_week))
            constraints.append(self.model.add(
                sum(o.periods_delivered * self.use[o.index] for o in options)
                >= course.contact_periods))
        else:
            constraints.append(self.model.add(
                sum(course.meeting_length * u for u in uses) == course.contact_periods))
        for constraint in constraints:
            if placed is not None:
                constraint.only_enforce_if(placed)
            else:
                self._require(constraint, group)

    def _room_choice(self) -> None:
        for option in self.options.options:
            if len(option.rooms) > 1:
                self.model.add(sum(self.room[(option.index, r)] for r in option.rooms)
                               == self.use[option.index])

    def _interpreter_choice(self) -> None:
        for option in self.options.options:
            if len(option.interpreters) > 1:
                self.model.add(sum(self.interpreter[(option.index, i)]
                                   for i in option.interpreters) == self.use[option.index])

    def _usages(self, subjects: Callable[[Option], Iterable[str]],
                literal: Callable[[Option, str], cp_model.IntVar]) -> dict[str, list[Usage]]:
        """(literal, option) of every option, grouped by each subject it occupies."""
        found: dict[str, list[Usage]] = defaultdict(list)
        for option in self.options.options:
            for subject in subjects(option):
                found[subject].append((literal(option, subject), option))
        return dict(found)

    def _teacher_clashes(self) -> None:
        for teacher, usages in self.by_teacher.items():
            self._no_overlap(usages, ("teacher clash", teacher))

    def _cohort_clashes(self) -> None:
        leaves = {c.id: leaf_cohorts(self.instance, c) for c in self.instance.courses}
        by_leaf = self._usages(lambda o: leaves[o.course.id], lambda o, _: self.use[o.index])
        for leaf, usages in by_leaf.items():
            self._no_overlap(usages, ("cohort clash", leaf))

    def _room_clashes(self) -> None:
        by_room = self._usages(lambda o: o.rooms, lambda o, room: self.room[(o.index, room)])
        for room, usages in by_room.items():
            self._no_overlap(usages, ("room clash", room))

    def _interpreter_clashes(self) -> None:
        for who, usages in self.by_interpreter.items():
            self._no_overlap(usages, ("interpreter clash", who))

    def _load_limits(self, usages: list[Usage], per_day: int,
                     per_week: int | None, group: Group) -> None:
        """Periods a day and a calendar week, summed over the usages, within limits."""
        daily: dict[object, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        weekly: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        literals = {}
        dated_literals: set[int] = set()
        week_of: dict[object, int] = {}
        for literal, option in usages:
            literals[literal.index] = literal
            if not option.weekly:
                dated_literals.add(literal.index)
            for day in option.days:
                daily[day.date][literal.index] += option.block.length
                weekly[day.calendar_week][literal.index] += option.block.length
                week_of[day.date] = week_of[day.calendar_week] = day.calendar_week
        for table, limit in ((daily, per_day), (weekly, per_week)):
            if limit is None:
                continue
            seen: set[tuple[tuple[int, int], ...]] = set()
            for when, coefficients in table.items():
                if sum(coefficients.values()) <= limit:
                    continue
                key = tuple(sorted(coefficients.items()))
                if key in seen:
                    continue
                seen.add(key)
                scoped = self._scoped(group, week_of[when],
                                      any(i in dated_literals for i in coefficients))
                self._require(self.model.add(
                    sum(c * literals[i] for i, c in coefficients.items()) <= limit), scoped)

    def _teacher_limits(self) -> None:
        for teacher_id, usages in self.by_teacher.items():
            teacher = self.instance.teacher_by_id[teacher_id]
            self._load_limits(usages, teacher.max_periods_per_day, teacher.max_periods_per_week,
                              ("teacher limits", teacher_id))

    def _interpreter_limits(self) -> None:
        for who, usages in self.by_interpreter.items():
            person = self.instance.interpreter_by_id[who]
            self._load_limits(usages, person.max_periods_per_day, person.max_periods_per_week,
                              ("interpreter limits", who))

    def _visitor_trips(self) -> None:
        """Planned visitors teach only inside trips that keep their rules
        (:mod:`scheduler.model.trips`)."""
        for teacher_id in self.instance.planned_visitors:
            plan = self.instance.trip_plan(teacher_id)
            usages = self.by_teacher.get(teacher_id)
            if plan is None or not usages:
                continue
            onsite = [(u, o) for u, o in usages if not o.online]
            trips = build_trips(self.model, self.instance, plan, onsite, self._require)
            keep_home(self.model, trips, [(u, o) for u, o in usages if o.online],
                      self._require)
            self.trips[teacher_id] = trips

    def _online_share(self) -> None:
        """Online meetings of a course teach at most its ``max_online_share`` of contact
        periods."""
        for course_id, options in self.options.by_course.items():
            online = [o for o in options if o.online]
            if online:
                limit = online[0].course.max_online_periods
                self._require(self.model.add(
                    sum(o.periods_delivered * self.use[o.index] for o in online) <= limit),
                    ("online share", course_id))

    def _intensive_daily_limits(self) -> None:
        for course in self.instance.courses:
            if course.delivery != "intensive" or course.max_periods_per_day is None:
                continue
            usages = [(self.use[o.index], o) for o in self.options.by_course.get(course.id, [])]
            self._load_limits(usages, course.max_periods_per_day, None,
                              ("intensive daily limit", course.id))

    def _pins(self) -> None:
        """Each pinned meeting keeps its date, periods and room: the option that keeps a pin is
        used, in the pin's room (see :mod:`scheduler.model.pins`); a pin that no option keeps
        cannot hold. In relaxed mode a pin holds when its course is placed."""
        for option in self.options.options:
            for group, room in option.pins:
                course_id = option.course.id
                chosen = self.room.get((option.index, room))
                if chosen is None:
                    self._pinned(self.model.add_bool_or([]), group, course_id)
                    continue
                self._pinned(self.model.add(self.use[option.index] == 1), group, course_id)
                if chosen is not self.use[option.index]:
                    self._pinned(self.model.add(chosen == 1), group, course_id)
        for group in self.options.lost_pins:
            self._pinned(self.model.add_bool_or([]), group, self.options.pins[group].course_id)

    def _pinned(self, constraint: cp_model.Constraint, group: Group, course_id: str) -> None:
        if self.relax:
            constraint.only_enforce_if(self.placed[course_id])
        else:
            self._require(constraint, group)

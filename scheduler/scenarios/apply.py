"""Apply a scenario's changes to a base instance (``dataclasses.replace``), checking each one.

Every problem (an unknown teacher, a trip that does not exist, a course row that does not
build, an instance left inconsistent) is reported at the line of the change that caused it,
all at once, as an :class:`~scheduler.errors.InputError`. Counting impossibilities are not
errors here: they are the answer to the scenario ("no timetable, because ...").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from scheduler.errors import InputError, Problem
from scheduler.explain import words
from scheduler.explain.arithmetic import structural_issues
from scheduler.instance import (
    WEEKDAY_NAMES,
    Booking,
    Cohort,
    Course,
    Holiday,
    Instance,
    TimeMask,
    TravelWindow,
    Unavailability,
)
from scheduler.io.records import (
    BuildContext,
    RowErrors,
    build_course,
    build_trip_rule,
    course_row,
    trip_rule_row,
)
from scheduler.io.schema import TABLE_BY_NAME
from scheduler.scenarios import changes
from scheduler.scenarios.changes import Change, Scenario, TripRef
from scheduler.validate import uneven_meetings


@dataclass(frozen=True)
class Touched:
    """What the changes touch directly: people, cohorts, courses, rooms and dates."""

    teachers: frozenset[str] = frozenset()
    interpreters: frozenset[str] = frozenset()
    cohorts: frozenset[str] = frozenset()
    courses: frozenset[str] = frozenset()
    closures: tuple[tuple[str, dt.date, dt.date, int | None, int | None], ...] = ()
    absences: tuple[tuple[str, dt.date, dt.date, int | None, int | None], ...] = ()
    dates: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class Applied:
    """The scenario's instance, what each change did (in words), and what it touched."""

    instance: Instance
    notes: tuple[str, ...]
    touched: Touched = field(default_factory=Touched)


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _trip_words(window: TravelWindow) -> str:
    return f"{window.arrival.isoformat()}..{window.departure.isoformat()}"


class _Applier:
    """Applies changes one by one to mutable copies of the instance's tables."""

    def __init__(self, instance: Instance, scenario: Scenario) -> None:
        self.base = instance
        self.source = scenario.source
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.windows = list(instance.travel_windows)
        self.unavailability = list(instance.unavailability)
        self.bookings = list(instance.bookings)
        self.cohorts = list(instance.cohorts)
        self.courses = list(instance.courses)
        self.holidays = list(instance.holidays)
        self.adjusted = list(instance.adjusted_workdays)
        self.trip_rules = list(instance.trip_rules)
        self.lines: dict[tuple[str, object], int] = {}
        self.touched: dict[str, set[Any]] = {k: set() for k in (
            "teachers", "interpreters", "cohorts", "courses", "closures", "absences", "dates")}
        self.ctx = BuildContext(instance.term.week_of(instance.term.last_date))

    def problem(self, change: Change, message: str, fix: str = "",
                line: int | None = None) -> None:
        self.problems.append(Problem(self.source, message, fix,
                                     line=line or change.line or None))

    def _record(self, change: Change, row: tuple[str, object] | None, touched: str,
                item: object, note: str) -> None:
        """What a change did: the rows it made answer to its line (``row`` is a key of
        :meth:`line_of`), what it touched, and a note in words."""
        if row is not None:
            self.lines[row] = change.line
        self.touched[touched].add(item)
        self.notes.append(note)

    # --- look-ups ---------------------------------------------------------------------------
    def _teacher(self, change: Change, teacher_id: str, visiting: bool = True) -> bool:
        teacher = self.base.teacher_by_id.get(teacher_id)
        if teacher is None:
            known = ", ".join(t.id for t in self.base.teachers if t.visiting or not visiting)
            self.problem(change, f"unknown teacher '{teacher_id}'", f"use one of: {known}")
            return False
        if visiting and not teacher.visiting:
            self.problem(change, f"{words.teacher(self.base, teacher_id)} is not a visiting "
                         "teacher and has no trips", "name a visiting teacher")
            return False
        return True

    def _trip(self, change: Change, teacher_id: str, ref: TripRef) -> int | None:
        """Index in ``self.windows`` of the trip meant, or ``None`` after a problem."""
        if not self._teacher(change, teacher_id):
            return None
        mine = sorted((i for i, w in enumerate(self.windows) if w.teacher_id == teacher_id),
                      key=lambda i: self.windows[i].arrival)
        listed = ", ".join(f"{n}: {_trip_words(self.windows[i])}"
                           for n, i in enumerate(mine, start=1))
        who = words.teacher(self.base, teacher_id)
        if not mine and teacher_id in self.base.planned_visitors:
            self.problem(change, f"the solver plans the trips of {who} (trip rules): there is "
                         "no fixed trip to change", "use change_trip_rules instead, e.g. "
                         "earliest_arrival: DATE for a late arrival, or max_stay_days")
            return None
        if not mine:
            self.problem(change, f"{who} has no trip left to change", "remove this change")
            return None
        if ref is None:
            if len(mine) == 1:
                return mine[0]
            self.problem(change, f"{who} has {len(mine)} trips ({listed}); say which",
                         "add 'trip:' with the trip's arrival date or its number")
            return None
        if isinstance(ref, int):
            if 1 <= ref <= len(mine):
                return mine[ref - 1]
            self.problem(change, f"{who} has no trip number {ref} (trips: {listed})",
                         f"use a number from 1 to {len(mine)} or an arrival date")
            return None
        found = [i for i in mine if self.windows[i].arrival == ref]
        if not found:
            self.problem(change, f"{who} has no trip arriving on {ref.isoformat()} (trips: "
                         f"{listed})", "give the arrival date of one of the trips")
            return None
        return found[0]

    def _term_dates(self, change: Change, first: dt.date, last: dt.date) -> list[dt.date]:
        term = self.base.term
        if last < first:
            self.problem(change, f"'to' {last.isoformat()} is before 'from' "
                         f"{first.isoformat()}", "swap the two dates")
            return []
        inside = [d for d in _dates(first, last) if term.first_date <= d <= term.last_date]
        if not inside:
            self.problem(change, f"{first.isoformat()}..{last.isoformat()} is outside the term "
                         f"{term.first_date.isoformat()}..{term.last_date.isoformat()}",
                         "give dates within the term")
        return inside

    # --- changes ----------------------------------------------------------------------------
    def apply(self, change: Change) -> None:
        handler = getattr(self, f"_{type(change).__name__}")
        handler(change)

    def _set_trip(self, change: Change, index: int, window: TravelWindow, what: str) -> None:
        old = self.windows[index]
        if window.departure < window.arrival:
            self.problem(change, f"the trip {_trip_words(old)} would end before it starts "
                         f"({_trip_words(window)})", "change it by fewer days, or cancel it")
            return
        self.windows[index] = window
        self._record(change, ("teacher", window.teacher_id), "teachers", window.teacher_id,
                     f"{words.teacher(self.base, old.teacher_id)}: trip {_trip_words(old)} "
                     f"{what}, now {_trip_words(window)}")

    def _ShiftTrip(self, change: changes.ShiftTrip) -> None:
        index = self._trip(change, change.teacher, change.trip)
        if index is None:
            return
        w = self.windows[index]
        step = dt.timedelta(days=change.days)
        what = (f"moved {abs(change.days)} day(s) {'later' if change.days >= 0 else 'earlier'}")
        self._set_trip(change, index, replace(w, arrival=w.arrival + step,
                                              departure=w.departure + step), what)

    def _ShortenTrip(self, change: changes.ShortenTrip) -> None:
        index = self._trip(change, change.teacher, change.trip)
        if index is None:
            return
        w = self.windows[index]
        parts = [f"arriving {change.arrive_later} day(s) later"] if change.arrive_later else []
        parts += [f"leaving {change.leave_earlier} day(s) earlier"] if change.leave_earlier \
            else []
        self._set_trip(change, index, replace(
            w, arrival=w.arrival + dt.timedelta(days=change.arrive_later),
            departure=w.departure - dt.timedelta(days=change.leave_earlier)),
            "shortened (" + " and ".join(parts or ["unchanged"]) + ")")

    def _CancelTrip(self, change: changes.CancelTrip) -> None:
        index = self._trip(change, change.teacher, change.trip)
        if index is None:
            return
        old = self.windows.pop(index)
        self._record(change, ("teacher", old.teacher_id), "teachers", old.teacher_id,
                     f"{words.teacher(self.base, old.teacher_id)}: trip {_trip_words(old)} "
                     "cancelled")

    def _AddTrip(self, change: changes.AddTrip) -> None:
        if not self._teacher(change, change.teacher):
            return
        if change.teacher in self.base.planned_visitors:
            self.problem(change, f"the solver plans the trips of "
                         f"{words.teacher(self.base, change.teacher)} (trip rules): a fixed "
                         "trip would replace every trip it plans", "use change_trip_rules "
                         "instead (earliest_arrival, latest_departure, max_trips, ...), or give "
                         "the teacher's trips as travel windows in the instance")
            return
        window = TravelWindow(change.teacher, change.arrival, change.departure,
                              change.teach_on_arrival, change.teach_on_departure)
        if window.departure < window.arrival:
            self.problem(change, f"departure {change.departure.isoformat()} is before arrival "
                         f"{change.arrival.isoformat()}", "swap the two dates")
            return
        self.windows.append(window)
        self._record(change, ("teacher", change.teacher), "teachers", change.teacher,
                     f"{words.teacher(self.base, change.teacher)}: new trip "
                     f"{_trip_words(window)}")

    def _blocked(self, change: changes.Blocked, row: tuple[str, str], touched: str,
                 what: str) -> list[TimeMask]:
        """One mask per date of the change inside the term; the span recorded as touched
        (``(id, first, last, first_period, last_period)``) with a note."""
        dates = self._term_dates(change, change.first, change.last)
        if dates:
            span = (row[1], dates[0], dates[-1], change.first_period, change.last_period)
            self._record(change, row, touched, span,
                         f"{what} {words.span(dates[0], dates[-1])}"
                         + _periods_words(change.first_period, change.last_period))
        return [TimeMask(date=day, first_period=change.first_period,
                         last_period=change.last_period) for day in dates]

    def _PersonUnavailable(self, change: changes.PersonUnavailable) -> None:
        person = change.person
        if person in self.base.teacher_by_id:
            kind, who = "teachers", words.teacher(self.base, person)
        elif person in self.base.interpreter_by_id:
            kind, who = "interpreters", words.interpreter(self.base, person)
        else:
            self.problem(change, f"unknown teacher or interpreter '{person}'",
                         "use a teacher_id or an interpreter_id of the instance")
            return
        masks = self._blocked(change, ("person", person), "absences", f"{who} unavailable")
        self.unavailability += [Unavailability(person, mask, change.reason or "scenario")
                                for mask in masks]
        if masks:
            self.touched[kind].add(person)

    def _RoomClosed(self, change: changes.RoomClosed) -> None:
        if change.room not in self.base.room_by_id:
            self.problem(change, f"unknown room '{change.room}'",
                         "use a room_id of the rooms table")
            return
        masks = self._blocked(change, ("room", change.room), "closures",
                              f"{words.room(self.base, change.room)} closed")
        self.bookings += [Booking(change.room, mask, change.reason or "closed (scenario)")
                          for mask in masks]

    def _CohortSize(self, change: changes.CohortSize) -> None:
        for cohort_id in change.cohorts:
            index = next((i for i, c in enumerate(self.cohorts) if c.id == cohort_id), None)
            if index is None:
                self.problem(change, f"unknown cohort '{cohort_id}'",
                             "use a cohort_id of the cohorts table")
                continue
            old: Cohort = self.cohorts[index]
            cn = (change.students_cn if change.students_cn is not None
                  else old.students_cn) + change.add_cn
            ru = (change.students_ru if change.students_ru is not None
                  else old.students_ru) + change.add_ru
            if cn < 0 or ru < 0 or cn + ru == 0:
                self.problem(change, f"cohort {cohort_id} would have {cn} Chinese and {ru} "
                             "Russian students", "keep at least one student and no negative "
                             "numbers")
                continue
            self.cohorts[index] = replace(old, students_cn=cn, students_ru=ru)
            self._record(change, ("cohort", cohort_id), "cohorts", cohort_id,
                         f"{words.cohort(self.base, cohort_id)}: {old.students_cn} CN + "
                         f"{old.students_ru} RU students, now {cn} CN + {ru} RU")

    def _build(self, change: changes.AddCourse | changes.ChangeCourse, row: dict[str, Any],
               what: str) -> Course | None:
        lines = dict(change.lines)
        try:
            course = build_course(row, self.ctx)
        except RowErrors as exc:
            for error in exc.errors:
                self.problem(change, f"{what}: {error.message}", error.fix,
                             line=lines.get(error.column or "", change.line))
            return None
        uneven = uneven_meetings(course)  # as validation says of a row
        if uneven is not None:
            message, fix = uneven
            self.problem(change, f"{what}: {message}", fix,
                         line=lines.get("contact_periods", change.line))
            return None
        return course

    def _AddCourse(self, change: changes.AddCourse) -> None:
        if any(c.id == change.course_id for c in self.courses):
            self.problem(change, f"course '{change.course_id}' already exists",
                         "give the new course its own course_id, or use change_course")
            return
        course = self._build(change, dict(change.values), f"new course {change.course_id}")
        if course is None:
            return
        self.courses.append(course)
        self._record(change, ("course", course.id), "courses", course.id,
                     f"new course {course.id} ({course.name}), {course.contact_periods} "
                     f"periods, {course.delivery}")

    def _find_course(self, change: Change, course_id: str) -> int | None:
        index = next((i for i, c in enumerate(self.courses) if c.id == course_id), None)
        if index is None:
            self.problem(change, f"unknown course '{course_id}'",
                         "use a course_id of the courses table")
        return index

    def _RemoveCourse(self, change: changes.RemoveCourse) -> None:
        index = self._find_course(change, change.course_id)
        if index is None:
            return
        old = self.courses.pop(index)
        self._record(change, None, "courses", old.id,
                     f"course {words.course(self.base, old.id)} removed")

    def _ChangeCourse(self, change: changes.ChangeCourse) -> None:
        index = self._find_course(change, change.course_id)
        if index is None:
            return
        old: Course = self.courses[index]
        # the course's row as the reader builds it: every column, defaults included (course_row
        # leaves default values out: a course with core "no" has no 'core' key)
        columns = TABLE_BY_NAME["courses"].columns
        row = {c.name: c.default for c in columns}
        row.update(course_row(old))
        before = dict(row)
        row.update(dict(change.values))
        new = self._build(change, row, f"course {old.id}")
        if new is None:
            return
        self.courses[index] = new
        kinds = {c.name: c.kind for c in columns}
        shown = ", ".join(f"{k} {_show(kinds[k].format(before.get(k)))} → "
                          f"{_show(kinds[k].format(v))}"
                          for k, v in change.values if k in kinds and before.get(k) != v) \
            or "no column changes"
        self._record(change, ("course", new.id), "courses", old.id,
                     f"course {words.course(self.base, old.id)}: {shown}")

    def _ChangeTripRules(self, change: changes.ChangeTripRules) -> None:
        if (change.teacher is None) == (change.institution is None):
            self.problem(change, "change_trip_rules needs either 'teacher' or 'institution'",
                         "give the teacher_id of a planned visitor, or an institution")
            return
        if change.teacher is not None and change.teacher not in self.base.teacher_by_id:
            self.problem(change, f"unknown teacher '{change.teacher}'",
                         "use a teacher_id of the teachers table")
            return
        visitors = [t.id for t in self.base.teachers
                    if t.visiting and t.institution == change.institution]
        if change.institution is not None and any(
                t.institution == change.institution for t in self.base.teachers) and not any(
                not self.base.windows_of(t) for t in visitors):
            if visitors:
                self.problem(change, f"none of {change.institution}'s teachers is a visitor "
                             "with planned trips (a visitor with travel windows keeps them), so "
                             "new trip rules would change nothing", "change the travel windows "
                             "instead (shift_trip, shorten_trip, add_trip, cancel_trip)")
            else:
                self.problem(change, f"{change.institution} has no visiting teacher, so trip "
                             "rules would change nothing", "name the institution of visiting "
                             "teachers (the 'institution' of the teachers table)")
            return
        index = next((i for i, r in enumerate(self.trip_rules)
                      if (r.teacher_id, r.institution) == (change.teacher, change.institution)
                      ), None)
        row = (trip_rule_row(self.trip_rules[index]) if index is not None else
               {"teacher_id": change.teacher, "institution": change.institution})
        before = dict(row)
        row.update(dict(change.values))
        try:
            rule = build_trip_rule(row, self.ctx)
        except RowErrors as exc:
            lines = dict(change.lines)
            for error in exc.errors:
                self.problem(change, f"trip rules: {error.message}", error.fix,
                             line=lines.get(error.column or "", change.line))
            return
        if index is None:
            self.trip_rules.append(rule)
        else:
            self.trip_rules[index] = rule
        whose = (words.teacher(self.base, change.teacher) if change.teacher is not None
                 else f"{change.institution}'s visitors")
        plan = self.base.trip_plan(change.teacher) if change.teacher is not None else None

        def in_words(key: str, value: Any) -> str:
            if key.endswith("weekdays") and isinstance(value, tuple):
                return ";".join(WEEKDAY_NAMES[d] for d in value)
            return _show(value)

        def was(key: str) -> str:
            """The rule before the change: the row's cell, else (blank) what applied."""
            value = before.get(key)
            if value is not None and value != "":
                return in_words(key, value)
            if plan is not None and hasattr(plan, key):
                return (f"{in_words(key, getattr(plan, key))} (from the institution's row or the "
                        "defaults)")
            return "blank"

        shown = ", ".join(f"{k} {was(k)} → {in_words(k, v)}" for k, v in change.values)
        # an institution's rules change the trips of its planned visitors only: one with
        # travel windows keeps them (and their courses stay fixed against a baseline)
        teachers = ({change.teacher} if change.teacher is not None else
                    {t.id for t in self.base.teachers if t.visiting
                     and t.institution == change.institution
                     and not self.base.windows_of(t.id)})
        for teacher in teachers:
            self.lines[("teacher", teacher)] = change.line
        if change.institution is not None:
            self.lines[("institution", change.institution)] = change.line
        self.touched["teachers"].update(teachers)
        self.notes.append(f"trip rules of {whose}: {shown}")

    def _AddHoliday(self, change: changes.AddHoliday) -> None:
        dates = self._term_dates(change, change.first, change.last)
        known = {h.date for h in self.holidays}
        cancelled = [a for a in self.adjusted if a.date in dates]
        self.adjusted = [a for a in self.adjusted if a.date not in dates]
        for day in dates:
            if day not in known:
                self.holidays.append(Holiday(day, change.name or "holiday (scenario)"))
                self.lines[("date", day)] = change.line
        self.holidays.sort(key=lambda h: h.date)
        self.touched["dates"].update(dates)
        if dates:
            note = f"holiday {words.span(dates[0], dates[-1])}"
            if cancelled:
                note += " (make-up day " + ", ".join(a.date.isoformat() for a in cancelled) \
                    + " cancelled)"
            self.notes.append(note)

    # --- result -----------------------------------------------------------------------------
    def instance(self) -> Instance:
        return replace(self.base, travel_windows=tuple(self.windows),
                       unavailability=tuple(self.unavailability), bookings=tuple(self.bookings),
                       cohorts=tuple(self.cohorts), courses=tuple(self.courses),
                       holidays=tuple(self.holidays), adjusted_workdays=tuple(self.adjusted),
                       trip_rules=tuple(self.trip_rules))

    def line_of(self, instance: Instance, table: str | None, index: int | None) -> int | None:
        if table is None or index is None:
            return None
        keys: dict[str, Any] = {
            "travel_windows": lambda r: ("teacher", r.teacher_id),
            "trip_rules": lambda r: (("teacher", r.teacher_id) if r.teacher_id is not None
                                     else ("institution", r.institution)),
            "teachers": lambda r: ("teacher", r.id),
            "unavailability": lambda r: ("person", r.person_id),
            "bookings": lambda r: ("room", r.room_id),
            "cohorts": lambda r: ("cohort", r.id),
            "courses": lambda r: ("course", r.id),
            "holidays": lambda r: ("date", r.date),
        }
        rows = getattr(instance, table, ())
        if table not in keys or index >= len(rows):
            return None
        line = self.lines.get(keys[table](rows[index]))
        if line is None and table == "cohorts" and rows[index].parent:
            line = self.lines.get(("cohort", rows[index].parent))
        return line or None


def _show(value: Any) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, tuple):
        return ";".join(map(str, value))
    return str(value)


def _periods_words(first: int | None, last: int | None) -> str:
    if first is None:
        return ""
    return f", periods {first}-{last}" if last != first else f", period {first}"


def apply_scenario(instance: Instance, scenario: Scenario) -> Applied:
    """The base instance with the scenario's changes; raise :class:`InputError` listing every
    problem at the line of the change responsible."""
    applier = _Applier(instance, scenario)
    for change in scenario.changes:
        applier.apply(change)
    if applier.problems:
        raise InputError(applier.problems)
    changed = applier.instance()
    problems = []
    for issue in structural_issues(changed):
        problems.append(Problem(scenario.source, f"after the changes, {issue.text()}",
                                issue.fix, line=applier.line_of(changed, issue.table,
                                                                issue.index)))
    if problems:
        raise InputError(problems)
    found = applier.touched
    touched = Touched(teachers=frozenset(found["teachers"]),
                      interpreters=frozenset(found["interpreters"]),
                      cohorts=frozenset(found["cohorts"]), courses=frozenset(found["courses"]),
                      closures=tuple(sorted(found["closures"])),
                      absences=tuple(sorted(found["absences"])),
                      dates=frozenset(found["dates"]))
    return Applied(changed, tuple(applier.notes), touched)

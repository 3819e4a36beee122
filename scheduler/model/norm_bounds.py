"""Lower bounds on the norm rules by counting, each with its reason in words.

The norm rules are ``evening_period``, ``cohort_overload_period``, ``lunch_break_missed`` and
``teacher_avoided_period`` (``docs/objective.md`` defines their counts). Some of their cost is
forced by the instance itself: a visitor's intensive course needs more periods in the
visitor's window than the cohorts have free there after their weekly courses. This module
proves such forced counts without any search, from counting arguments over the *options*
(every meeting that passes the unary rules, :func:`~scheduler.model.options.build_options`),
and says why in plain words. Every bound holds for every timetable whose meetings are options
and that places every course (not for relaxed solving, where a course may be left out).

The argument
------------

**Forced load.** Take a subject (a leaf cohort, or a teacher) and a set ``D`` of teaching
days. A *weekly* course meets in ``meetings_per_week`` options, and each option holds a meeting
on *every* date of its weekday in the course's weeks (holidays removed, adjusted workdays
holding the weekday they follow included). So each of its meetings lands at least
``length x min |option dates in D|`` periods on ``D``, the minimum taken over the course's
options, and the course at least ``meetings_per_week`` times that. An *intensive* course needs
exactly ``contact_periods``; outside ``D`` it can place at most, in each calendar week, the
smaller of its teachers' weekly limit and the sum over its dates outside ``D`` of its daily
room (the least of its own and its teachers' daily limits and the blocks of its options that
day, in whole meetings). What it cannot place outside ``D`` it must place on ``D`` (in a
timetable that exists, this never exceeds what fits on ``D``; the bound takes the smaller of
the two, so that no certificate claims more). The **forced load** ``F(D)`` of the subject is
the sum over its courses (for a leaf cohort, the courses naming it or its parent, that is
every meeting it attends; for a teacher, the courses listing the teacher). Other limits
(rooms, interpreters, the cohort's own day) can only make more of it forced: leaving them
out keeps ``F(D)`` a lower bound.

**Cohort rules.** A leaf cohort's meetings never overlap (cohort clash), so on a date it is
taught at most as many daytime periods as disjoint blocks of the day's grid cover
(``daytime``, 8 on the default grid). Hence, over the days of ``D``:

- ``cohort_overload_period`` >= ``F(D) - cohort_daily_cap x |D|``, because each day counts
  ``max(0, load - cap) >= load - cap``;
- the evening periods of the cohort's meetings on ``D`` >= ``F(D) - daytime x |D|``;
- ``lunch_break_missed`` >= ``ceil((F(D) - free x |D|) / (most - free))`` where ``free`` is
  the most periods disjoint blocks cover while leaving some lunch period untaught and ``most``
  the most they cover at all: a day that keeps its lunch holds at most ``free`` periods, any
  other day at most ``most``.

Counts of days in disjoint sets add up, so for each cohort the sets ``D`` are chosen by
dynamic programming, maximising the sum: the term is cut into *atoms* (maximal runs of
consecutive teaching days on which the same intensive courses of the cohort can meet, none
included), and each ``D`` is a run of consecutive atoms, taken whole or without its atoms on
which no intensive course can meet. The default instance needs single visits (Linear Algebra
in Иванова's three weeks); with a lower daily cap the whole span of the visits proves more.

**Evening across cohorts.** ``evening_period`` counts each meeting once, whatever number of
cohorts attend it. The bounds of two pairs (cohort, days) add up only when no meeting can be
counted by both: their days are disjoint, or the cohorts share no course that can meet on
their common days. The pairs found per cohort are combined greedily under that rule (never
worse than the best single cohort, whose pairs have disjoint days).

**Teachers.** A teacher's meetings never overlap, and on a date the teacher teaches at most
``max_periods_per_day`` periods and at most as many periods they do not avoid as disjoint
blocks cover on that timetable weekday. So ``teacher_avoided_period`` of the teacher >=
``F(D) - sum over D of that room``, over disjoint sets of days chosen as for cohorts (atoms
of the teacher's intensive courses); teachers add up (the rule counts per teacher).

**Courses alone.** A course each of whose options costs something (every block in the
evening, every period avoided by a teacher) costs at least ``meetings x`` the cheapest option
(``meetings_per_week`` options of a weekly course, ``contact_periods / meeting_length``
meetings of an intensive course). Such a bound is added to the counting bounds above only for
courses that cannot meet on the days those count (it then counts other meetings).
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from scheduler.calendar import TeachingDay, TermCalendar
from scheduler.instance import Block, Course, Instance, Preference, Weights
from scheduler.model.builder import leaf_cohorts
from scheduler.model.options import Option, OptionSet, build_options

NORM_RULES = ("evening_period", "cohort_overload_period", "lunch_break_missed",
              "teacher_avoided_period")
"""The soft rules of the norm tier, in the order the bounds list them."""

_NOUNS = {"evening_period": ("evening period", "evening periods"),
          "cohort_overload_period": ("overload period", "overload periods"),
          "lunch_break_missed": ("day without a lunch break", "days without a lunch break"),
          "teacher_avoided_period": ("avoided period", "avoided periods")}


def _counted(count: int, rule: str) -> str:
    """``at least 1 evening period``, ``at least 12 evening periods``."""
    return f"at least {count} {_NOUNS[rule][count != 1]}"


# --- certificates ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Demand:
    """Periods an intensive course must hold on the days of a certificate."""

    course_id: str
    course: str
    teachers: tuple[str, ...]
    periods: int
    contact_periods: int

    def words(self) -> str:
        who = f"{self.course} ({', '.join(self.teachers)})"
        if self.periods >= self.contact_periods:
            return f"{who} needs {self.periods} periods"
        return f"{who} needs at least {self.periods} of its {self.contact_periods} periods"


@dataclass(frozen=True)
class WindowCertificate:
    """A count forced on a subject's days: ``load`` periods against ``room`` periods.

    ``load`` is what the intensive courses (``demands``) and at least ``weekly`` periods of
    weekly courses put on the ``days`` teaching days ``first..last``; ``room`` is what those
    days hold without counting in ``rule`` (``per_day`` a day when it is the same every day).
    For ``lunch_break_missed``, ``per_day`` is what a day holds while keeping a lunch period
    free and ``most`` what any day holds. ``whole`` says whether the days are every teaching
    day of ``first..last``, or only those on which intensive courses of the subject can meet.
    """

    rule: str
    count: int
    kind: Literal["cohort", "teacher"]
    subject: str
    first: dt.date
    last: dt.date
    days: int
    demands: tuple[Demand, ...]
    weekly: int
    room: int
    per_day: int | None = None
    most: int | None = None
    whole: bool = True

    @property
    def load(self) -> int:
        return self.weekly + sum(d.periods for d in self.demands)

    def sentence(self) -> str:
        """The certificate in one plain English sentence."""
        head = f"{_counted(self.count, self.rule)} for {self.subject} in " \
               f"{_span(self.first, self.last)}"
        days = "on this teaching day" if self.days == 1 else f"on these {self.days} teaching days"
        if not self.whole:
            days = f"on the {self.days} teaching days in it when intensive courses of " \
                   f"{self.subject} can meet"
        needs = _joined([d.words() for d in self.demands])
        owner = f"the weekly courses of {self.subject}"
        if needs and self.weekly:
            load = f"{needs} {days} and {owner} at least {self.weekly}"
        elif needs:
            load = f"{needs} {days}"
        else:
            load = f"{owner} take at least {self.weekly} periods {days}"
        if self.rule == "lunch_break_missed":
            total = f", {self.load} periods in all" if needs and self.weekly else ""
            return (f"{head}: {load}{total}, while with a lunch period kept free these days "
                    f"hold at most {self.room} ({self.per_day} a day) and a day without lunch "
                    f"at most {self.most}")
        room = self._room_words()
        if needs and self.weekly:
            return f"{head}: {needs} {days}, while {owner} take at least {self.weekly} of {room}"
        return f"{head}: {load}, more than {room}"

    def _room_words(self) -> str:
        each = f" ({self.per_day} a day)" if self.per_day is not None else ""
        if self.rule == "cohort_overload_period":
            return f"the {self.room} periods within the daily cap{each}"
        if self.rule == "evening_period":
            return f"the {self.room} daytime periods{each}"
        return f"the {self.room} periods {self.subject} can teach outside the times avoided{each}"

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "count": self.count, "kind": self.kind,
                "subject": self.subject, "first": self.first.isoformat(),
                "last": self.last.isoformat(), "days": self.days,
                "demands": [asdict(d) for d in self.demands],
                "weekly": self.weekly, "room": self.room, "per_day": self.per_day,
                "most": self.most, "whole": self.whole, "sentence": self.sentence()}


@dataclass(frozen=True)
class CourseCertificate:
    """A count forced by one course alone: each of its ``meetings`` options costs something.

    ``teacher`` names the teacher whose avoided periods are counted (``None`` for evening
    periods); ``weekly`` says whether ``meetings`` are weekly meetings (each held every week).
    """

    rule: str
    count: int
    course_id: str
    course: str
    teachers: tuple[str, ...]
    meetings: int
    weekly: bool
    teacher: str | None = None

    def sentence(self) -> str:
        """The certificate in one plain English sentence."""
        held = f"its {self.meetings} {'weekly ' if self.weekly else ''}meeting" \
               f"{'s' if self.meetings != 1 else ''}"
        who = f"{self.course} ({', '.join(self.teachers)})"
        head = _counted(self.count, self.rule)
        fall = f"at least {self.count} of its periods {'falls' if self.count == 1 else 'fall'}"
        if self.teacher is None:
            return f"{head} from {who}: however it holds {held}, {fall} in the evening"
        return f"{head} for {self.teacher}: however {who} holds {held}, {fall} at times " \
               f"{self.teacher} avoids"

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "count": self.count, "course_id": self.course_id,
                "course": self.course, "teachers": list(self.teachers),
                "meetings": self.meetings, "weekly": self.weekly, "teacher": self.teacher,
                "sentence": self.sentence()}


Certificate = WindowCertificate | CourseCertificate


@dataclass(frozen=True)
class RuleBound:
    """A lower bound on one rule's count: the sum of its certificates' counts."""

    rule: str
    count: int
    certificates: tuple[Certificate, ...]

    def as_dict(self) -> dict[str, Any]:
        """For ``summary.json``: the rule, its forced count and each reason."""
        return {"rule": self.rule, "count": self.count,
                "reasons": [c.as_dict() for c in self.certificates]}


@dataclass(frozen=True)
class NormBounds:
    """Lower bounds on the counts of the norm rules, one :class:`RuleBound` per rule."""

    rules: tuple[RuleBound, ...]

    def count(self, rule: str) -> int:
        """The least count of ``rule`` in any timetable (0 when nothing is forced)."""
        return next((r.count for r in self.rules if r.rule == rule), 0)

    def bound_value(self, weights: Weights, rules: Iterable[str] | None = None) -> int:
        """A lower bound on the weighted cost of ``rules`` (default: all four) under
        ``weights``: the sum of weight x forced count."""
        wanted = set(NORM_RULES if rules is None else rules)
        return sum(getattr(weights, r.rule) * r.count for r in self.rules if r.rule in wanted)

    def lines(self) -> list[str]:
        """One line per rule with its forced count, each reason indented below it."""
        lines = []
        for r in self.rules:
            lines.append(f"{r.rule}: at least {r.count}" if r.count
                         else f"{r.rule}: nothing forced by counting")
            lines.extend(f"  {c.sentence()}" for c in r.certificates)
        return lines

    def as_dict(self, weights: Weights | None = None) -> dict[str, Any]:
        """A JSON-friendly view: per rule its least ``count`` and the certificates; with
        ``weights``, also each rule's weight and least cost, and the tier's bound ``value``."""
        rules = []
        for r in self.rules:
            row: dict[str, Any] = {"rule": r.rule, "count": r.count}
            if weights is not None:
                row["weight"] = getattr(weights, r.rule)
                row["cost"] = row["weight"] * r.count
            row["certificates"] = [c.as_dict() for c in r.certificates]
            rules.append(row)
        result: dict[str, Any] = {"rules": rules}
        if weights is not None:
            result["value"] = self.bound_value(weights)
        return result


def _span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return first.isoformat()
    tail = last.strftime("%m-%d") if first.year == last.year else last.isoformat()
    return f"{first.isoformat()}..{tail}"


def _joined(parts: Sequence[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


# --- the day grid ---------------------------------------------------------------------------
def _max_cover(blocks: Iterable[Block], weight: Callable[[Block], int]) -> int:
    """The largest total ``weight`` of blocks that share no period."""
    ordered = sorted(blocks, key=lambda b: b.last_period)
    ends = [b.last_period for b in ordered]
    best = [0]
    for k, block in enumerate(ordered):
        before = bisect_right(ends, block.first_period - 1, 0, k)
        best.append(max(best[-1], best[before] + weight(block)))
    return best[-1]


def _avoids(preferences: Sequence[Preference], weekday: int, period: int) -> bool:
    """True when an ``avoid`` row matches the period on the timetable weekday."""
    return any(p.kind == "avoid" and (p.weekday is None or p.weekday == weekday)
               and (p.first_period is None or p.first_period <= period)
               and (p.last_period is None or period <= p.last_period) for p in preferences)


# --- forced load --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Weekly:
    """A weekly course: its meetings a week and the dates each way to hold one meets on."""

    course: Course
    meetings: int
    patterns: tuple[frozenset[dt.date], ...]

    def forced(self, days: frozenset[dt.date]) -> int:
        if not self.patterns:
            return 0
        least = min(len(p & days) for p in self.patterns)
        return self.meetings * self.course.meeting_length * least


@dataclass(frozen=True)
class _Intensive:
    """An intensive course: the most periods it can hold on each of its dates and a week."""

    course: Course
    day_room: dict[dt.date, int]
    week_room: int
    week_of: dict[dt.date, int]

    def forced(self, days: frozenset[dt.date]) -> int:
        """Periods that cannot be placed outside ``days`` (at most what fits on them)."""
        inside: dict[int, int] = defaultdict(int)
        outside: dict[int, int] = defaultdict(int)
        for date, room in self.day_room.items():
            (inside if date in days else outside)[self.week_of[date]] += room
        placed = sum(min(self.week_room, room) for room in outside.values())
        fits = sum(min(self.week_room, room) for room in inside.values())
        return max(0, min(fits, self.course.contact_periods - placed))


class _Loads:
    """The weekly and intensive courses of an instance, ready to count forced loads."""

    def __init__(self, instance: Instance, calendar: TermCalendar, options: OptionSet) -> None:
        self.instance = instance
        self.weekly: dict[str, _Weekly] = {}
        self.intensive: dict[str, _Intensive] = {}
        self.dates: dict[str, frozenset[dt.date]] = {}
        self._known: dict[tuple[tuple[str, ...], frozenset[dt.date]],
                          tuple[tuple[Demand, ...], int]] = {}
        for course in instance.courses:
            found = options.by_course.get(course.id, [])
            self.dates[course.id] = frozenset(d.date for o in found for d in o.days)
            if course.delivery == "weekly":
                patterns = {frozenset(d.date for d in o.days) for o in found}
                self.weekly[course.id] = _Weekly(course, course.meetings_per_week or 0,
                                                 tuple(patterns))
            else:
                self.intensive[course.id] = self._intensive(course, found, calendar)

    def _intensive(self, course: Course, found: list[Option],
                   calendar: TermCalendar) -> _Intensive:
        teachers = [self.instance.teacher_by_id[t] for t in course.teachers]
        length = course.meeting_length
        daily = min(t.max_periods_per_day for t in teachers)
        if course.max_periods_per_day is not None:
            daily = min(daily, course.max_periods_per_day)
        blocks: dict[dt.date, set[Block]] = defaultdict(set)
        for option in found:
            blocks[option.days[0].date].add(option.block)
        day_room = {date: min(daily, _max_cover(bs, lambda b: b.length)) // length * length
                    for date, bs in blocks.items()}
        week_room = min(t.max_periods_per_week for t in teachers) // length * length
        week_of = {date: calendar.by_date[date].calendar_week for date in day_room}
        return _Intensive(course, day_room, week_room, week_of)

    def forced(self, courses: tuple[str, ...],
               days: frozenset[dt.date]) -> tuple[tuple[Demand, ...], int]:
        """The intensive courses' forced periods on ``days`` and the weekly courses' least
        (computed once per courses and days: every rule and twin sub-groups ask again)."""
        key = (courses, days)
        if key not in self._known:
            self._known[key] = self._forced(courses, days)
        return self._known[key]

    def _forced(self, courses: tuple[str, ...],
                days: frozenset[dt.date]) -> tuple[tuple[Demand, ...], int]:
        demands = []
        weekly = 0
        for cid in courses:
            if cid in self.weekly:
                weekly += self.weekly[cid].forced(days)
                continue
            periods = self.intensive[cid].forced(days)
            if periods:
                course = self.instance.course_by_id[cid]
                names = tuple(self.instance.teacher_by_id[t].name for t in course.teachers)
                demands.append(Demand(cid, course.name, names, periods,
                                      course.contact_periods))
        return tuple(demands), weekly


# --- subjects and their windows ---------------------------------------------------------------
@dataclass(frozen=True)
class _Subject:
    """A leaf cohort or a teacher, with the courses whose meetings they are part of."""

    kind: Literal["cohort", "teacher"]
    id: str
    name: str
    courses: tuple[str, ...]


@dataclass(frozen=True)
class _Window:
    """A set of days chosen for a subject, with what it proves."""

    subject: _Subject
    days: frozenset[dt.date]
    certificate: WindowCertificate


_Room = Callable[[Sequence[TeachingDay]], tuple[int, int | None]]
"""Periods a run of days holds without counting, and the same per day when uniform."""
_Count = Callable[[int, Sequence[TeachingDay]], tuple[int, int, int | None, int | None]]
"""(load, days) -> (count, room, room per day, most periods a day): see
:class:`WindowCertificate`."""


_Atom = tuple[frozenset[str], tuple[TeachingDay, ...]]
"""A maximal run of consecutive teaching days on which the same intensive courses (ids) of a
subject can meet."""


def _atoms(loads: _Loads, subject: _Subject, calendar: TermCalendar) -> list[_Atom]:
    """The term cut into atoms (runs on which no intensive course can meet included)."""
    intensive = [c for c in subject.courses if c in loads.intensive]
    atoms: list[tuple[frozenset[str], list[TeachingDay]]] = []
    for day in calendar.days:
        key = frozenset(c for c in intensive if day.date in loads.dates[c])
        if not atoms or atoms[-1][0] != key:
            atoms.append((key, []))
        atoms[-1][1].append(day)
    return [(key, tuple(days)) for key, days in atoms]


def _windows(loads: _Loads, subject: _Subject, atoms: Sequence[_Atom], rule: str,
             count: _Count) -> list[_Window]:
    """Disjoint sets of days with the largest total count (dynamic programming over runs of
    atoms; each run is tried whole and without its atoms where no intensive course meets)."""
    best: list[tuple[int, list[_Window]]] = [(0, [])]
    for end in range(len(atoms)):
        top = best[-1]
        for start in range(end, -1, -1):
            run = atoms[start:end + 1]
            whole = [d for _, a in run for d in a]
            busy = [d for key, a in run if key for d in a]
            for days in (whole, busy) if busy and len(busy) < len(whole) else (whole,):
                window = _window(loads, subject, days, rule, count, days is whole)
                if window is not None and best[start][0] + window.certificate.count > top[0]:
                    top = (best[start][0] + window.certificate.count, [*best[start][1], window])
        best.append(top)
    return best[-1][1]


def _window(loads: _Loads, subject: _Subject, days: Sequence[TeachingDay], rule: str,
            count: _Count, whole: bool) -> _Window | None:
    """What the subject's forced load on ``days`` proves, if anything."""
    dates = frozenset(d.date for d in days)
    demands, weekly = loads.forced(subject.courses, dates)
    load = weekly + sum(d.periods for d in demands)
    forced, room, per_day, most = count(load, days)
    if forced <= 0:
        return None
    return _Window(subject, dates, WindowCertificate(
        rule, forced, subject.kind, subject.name, days[0].date, days[-1].date, len(days),
        demands, weekly, room, per_day, most, whole))


def _per_day(per_day: int) -> _Room:
    return lambda days: (per_day * len(days), per_day)


def _excess(room: _Room) -> _Count:
    def count(load: int,
              days: Sequence[TeachingDay]) -> tuple[int, int, int | None, int | None]:
        total, per_day = room(days)
        return max(0, load - total), total, per_day, None
    return count


class _Lunch:
    """``lunch_break_missed`` on a run of days: days beyond what keeps lunch free."""

    def __init__(self, free: int, most: int) -> None:
        self.free = free
        self.most = most

    def __call__(self, load: int,
                 days: Sequence[TeachingDay]) -> tuple[int, int, int | None, int | None]:
        room = self.free * len(days)
        if load <= room or self.most <= self.free:
            return 0, room, self.free, self.most
        return math.ceil((load - room) / (self.most - self.free)), room, self.free, self.most


def forced_hard_rules(instance: Instance, bounds: NormBounds) -> tuple[RuleBound, ...]:
    """The norm rules the ``weights`` table makes hard that every timetable counts: each one
    alone leaves the instance without a timetable."""
    hard = set(instance.levels.hard(NORM_RULES))
    return tuple(r for r in bounds.rules if r.rule in hard and r.count)


def hard_rule_sentence(bound: RuleBound) -> str:
    """Why a hard rule leaves no timetable, in one plain English sentence."""
    return (f"{bound.rule} is hard for this instance (level hard in the weights table), but "
            f"every timetable counts at least {bound.count}: the counts below force it")


def hard_rule_courses(bound: RuleBound) -> tuple[str, ...]:
    """The courses a hard rule's reasons name, in order of first mention."""
    named: dict[str, None] = {}
    for certificate in bound.certificates:
        if isinstance(certificate, CourseCertificate):
            named[certificate.course_id] = None
        else:
            named.update(dict.fromkeys(d.course_id for d in certificate.demands))
    return tuple(named)


# --- the bounds ---------------------------------------------------------------------------------
def norm_bounds(instance: Instance, calendar: TermCalendar | None = None,
                options: OptionSet | None = None) -> NormBounds:
    """Lower bounds on the counts of the norm rules, each with its certificates.

    ``options`` defaults to every option with all rooms, so the bounds hold for every
    timetable of the instance that places every course; with a restricted option set (e.g.
    :func:`~scheduler.model.options.room_limit` rooms) they hold for the timetables made of
    those options, which include every timetable the solver can return. No search: the
    bounds are counts (see the module's docstring), computed in a fraction of a second.
    """
    calendar = calendar or TermCalendar(instance)
    options = options or build_options(instance, calendar)
    loads = _Loads(instance, calendar, options)
    attended: dict[str, list[str]] = defaultdict(list)
    for course in instance.courses:
        for leaf in dict.fromkeys(leaf_cohorts(instance, course)):
            attended[leaf].append(course.id)
    leaves = [_Subject("cohort", leaf, leaf, tuple(cs)) for leaf, cs in sorted(attended.items())]
    atoms = {s.id: _atoms(loads, s, calendar) for s in leaves}
    rules: dict[str, Sequence[Certificate]] = {
        "evening_period": _evening(instance, options, loads, leaves, atoms),
        "cohort_overload_period": _cohort_rule(
            loads, leaves, atoms, "cohort_overload_period",
            _excess(_per_day(instance.weights.cohort_daily_cap))),
        "lunch_break_missed": _lunch(instance, loads, leaves, atoms),
        "teacher_avoided_period": _avoided(instance, calendar, options, loads),
    }
    return NormBounds(tuple(RuleBound(name, sum(c.count for c in rules[name]),
                                      tuple(rules[name])) for name in NORM_RULES))


def _cohort_rule(loads: _Loads, leaves: Sequence[_Subject],
                 atoms: dict[str, list[_Atom]], rule: str,
                 count: _Count) -> list[WindowCertificate]:
    """A rule counted per leaf cohort: each leaf's best disjoint windows, added up."""
    return [w.certificate for leaf in leaves
            for w in _windows(loads, leaf, atoms[leaf.id], rule, count)]


def _lunch(instance: Instance, loads: _Loads, leaves: Sequence[_Subject],
           atoms: dict[str, list[_Atom]]) -> list[WindowCertificate]:
    """``lunch_break_missed``, when the grid has lunch periods."""
    lunch = [p.number for p in instance.periods if p.lunch]
    if not lunch:
        return []
    most = _max_cover(instance.blocks, lambda b: b.length)
    free = max(_max_cover([b for b in instance.blocks if p not in b.periods],
                          lambda b: b.length) for p in lunch)
    return _cohort_rule(loads, leaves, atoms, "lunch_break_missed", _Lunch(free, most))


def _course_alone(instance: Instance, options: OptionSet, course: Course,
                  cost: Callable[[Option], int]) -> tuple[int, int]:
    """(meetings, least total cost) of a course, each meeting held by its cheapest option."""
    found = options.by_course.get(course.id, [])
    if not found:
        return 0, 0
    if course.delivery == "weekly":
        meetings = course.meetings_per_week or 0
    else:
        meetings = course.contact_periods // course.meeting_length
    return meetings, meetings * min(cost(o) for o in found)


def _teacher_names(instance: Instance, course: Course) -> tuple[str, ...]:
    return tuple(instance.teacher_by_id[t].name for t in course.teachers)


def _evening(instance: Instance, options: OptionSet, loads: _Loads, leaves: Sequence[_Subject],
             atoms: dict[str, list[_Atom]]) -> list[Certificate]:
    """``evening_period``: windows of leaves that count no meeting twice, plus courses alone;
    the best of the greedy choice, the best single leaf and the courses alone."""
    evening = {p.number for p in instance.periods if p.session == "evening"}
    daytime = _max_cover(instance.blocks, lambda b: sum(p not in evening for p in b.periods))
    count = _excess(_per_day(daytime))
    found = {leaf.id: _windows(loads, leaf, atoms[leaf.id], "evening_period", count)
             for leaf in leaves}
    courses_of = {leaf.id: set(leaf.courses) for leaf in leaves}

    def apart(a: _Window, b: _Window) -> bool:
        """No meeting can count in both windows."""
        common = a.days & b.days
        if a.subject.id == b.subject.id or not common:
            return not common
        return not any(loads.dates[c] & common
                       for c in courses_of[a.subject.id] & courses_of[b.subject.id])

    greedy: list[_Window] = []
    for window in sorted((w for ws in found.values() for w in ws),
                         key=lambda w: (-w.certificate.count, w.subject.id, min(w.days))):
        if all(apart(window, other) for other in greedy):
            greedy.append(window)
    single = max(found.values(), key=lambda ws: sum(w.certificate.count for w in ws),
                 default=[])
    alone = []
    for course in instance.courses:
        meetings, least = _course_alone(instance, options, course, lambda o: len(o.days) * sum(
            p in evening for p in o.block.periods))
        if least:
            alone.append(CourseCertificate("evening_period", least, course.id, course.name,
                                           _teacher_names(instance, course), meetings,
                                           course.delivery == "weekly"))

    def with_courses(windows: list[_Window]) -> list[Certificate]:
        """The windows, plus the courses alone that cannot meet on their days."""
        kept: list[Certificate] = [w.certificate for w in windows]
        for c in alone:
            if all(c.course_id not in courses_of[w.subject.id]
                   or not loads.dates[c.course_id] & w.days for w in windows):
                kept.append(c)
        return kept

    return max((with_courses(greedy), with_courses(single), with_courses([])),
               key=lambda cs: sum(c.count for c in cs))


def _avoided(instance: Instance, calendar: TermCalendar, options: OptionSet,
             loads: _Loads) -> list[Certificate]:
    """``teacher_avoided_period``, for each teacher with an ``avoid`` row."""
    prefs: dict[str, list[Preference]] = defaultdict(list)
    for pref in instance.preferences:
        prefs[pref.teacher_id].append(pref)
    result: list[Certificate] = []
    for teacher in instance.teachers:
        mine = prefs.get(teacher.id, [])
        courses = tuple(c.id for c in instance.courses if teacher.id in c.teachers)
        if courses and any(p.kind == "avoid" for p in mine):
            subject = _Subject("teacher", teacher.id, teacher.name, courses)
            result.extend(_teacher_avoided(instance, calendar, options, loads, subject,
                                           teacher.max_periods_per_day, mine))
    return result


def _teacher_avoided(instance: Instance, calendar: TermCalendar, options: OptionSet,
                     loads: _Loads, subject: _Subject, daily: int,
                     prefs: Sequence[Preference]) -> list[Certificate]:
    """Windows of a teacher's forced teaching beyond the times not avoided, plus courses
    that cost alone outside them; or the courses alone, whichever proves more."""
    def not_avoided(weekday: int) -> Callable[[Block], int]:
        return lambda b: sum(not _avoids(prefs, weekday, p) for p in b.periods)

    free_on = {wd: min(daily, _max_cover(instance.blocks, not_avoided(wd))) for wd in range(7)}

    def room(days: Sequence[TeachingDay]) -> tuple[int, int | None]:
        each = {free_on[d.weekday] for d in days}
        return sum(free_on[d.weekday] for d in days), each.pop() if len(each) == 1 else None

    windows = _windows(loads, subject, _atoms(loads, subject, calendar),
                       "teacher_avoided_period", _excess(room))
    alone: list[CourseCertificate] = []
    for cid in subject.courses:
        course = instance.course_by_id[cid]
        meetings, least = _course_alone(instance, options, course, lambda o: sum(
            _avoids(prefs, d.weekday, p) for d in o.days for p in o.block.periods))
        if least:
            alone.append(CourseCertificate("teacher_avoided_period", least, cid, course.name,
                                           _teacher_names(instance, course), meetings,
                                           course.delivery == "weekly", subject.name))
    counted: list[Certificate] = [w.certificate for w in windows]
    counted += [
        c for c in alone if not any(loads.dates[c.course_id] & w.days for w in windows)]
    single: list[Certificate] = list(alone)
    return max((counted, single), key=lambda cs: sum(c.count for c in cs))

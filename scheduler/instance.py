"""The term instance: plain, typed, immutable data mirroring the input tables.

Each table of the input (a workbook sheet or a CSV file) becomes a tuple of frozen records in
the order of its rows, so that any record can be traced back to its row. Derived facts (dates
of the term, who is available when) live in :mod:`scheduler.calendar`, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any, Literal, TypeVar

from scheduler.levels import RuleLevels

Weekday = int
"""0 = Monday ... 6 = Sunday, as :meth:`datetime.date.weekday`."""

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ALL_WEEKDAYS: tuple[Weekday, ...] = (0, 1, 2, 3, 4, 5, 6)
Parity = Literal["all", "odd", "even"]
Delivery = Literal["weekly", "intensive"]
Session = Literal["morning", "afternoon", "evening"]
PreferenceKind = Literal["prefer", "avoid"]
Level = Literal["UG", "PG"]
Institution = str
"""``CQUPT``, ``FEFU`` or another institution's short name."""


@dataclass(frozen=True)
class Term:
    """The semester: its dates, teaching weekdays and week numbering."""

    name: str
    first_date: dt.date
    last_date: dt.date
    week1_monday: dt.date
    teaching_weekdays: tuple[Weekday, ...] = (0, 1, 2, 3, 4)
    timezone: str = "Asia/Shanghai"
    max_trip_days: int = 90

    def week_of(self, day: dt.date) -> int:
        """Teaching week of a calendar date (week 1 starts on ``week1_monday``)."""
        return (day - self.week1_monday).days // 7 + 1


@dataclass(frozen=True)
class Period:
    """One period of the daily grid, with clock times."""

    number: int
    start: dt.time
    end: dt.time
    session: Session
    lunch: bool = False

    def in_home_hours(self) -> bool:
        """Whether the period falls in a visitor's working day at home (Vladivostok, two
        hours ahead of Chongqing: :data:`HOME_HOURS`), as an online meeting must."""
        shift = dt.timedelta(hours=HOME_AHEAD_HOURS)
        day = dt.date(2000, 1, 3)
        start = (dt.datetime.combine(day, self.start) + shift).time()
        end = dt.datetime.combine(day, self.end) + shift
        return HOME_HOURS[0] <= start and end <= dt.datetime.combine(day, HOME_HOURS[1])


HOME_AHEAD_HOURS = 2
"""Vladivostok (UTC+10), the visitors' home, is two hours ahead of Chongqing (UTC+8)."""
HOME_HOURS = (dt.time(8, 0), dt.time(20, 0))
"""A visitor's working day at home, on the home clock: online meetings fall within it."""


@dataclass(frozen=True)
class Block:
    """A run of consecutive periods that one meeting may occupy (e.g. 1-2, 5-8)."""

    id: str
    first_period: int
    last_period: int

    @property
    def length(self) -> int:
        return self.last_period - self.first_period + 1

    @property
    def periods(self) -> range:
        return range(self.first_period, self.last_period + 1)


@dataclass(frozen=True)
class Holiday:
    """A date without teaching."""

    date: dt.date
    name: str = ""


@dataclass(frozen=True)
class AdjustedWorkday:
    """A (usually weekend) date that holds the timetable of another weekday (调休).

    ``follows_week`` is the teaching week whose timetable is held; ``None`` means the week the
    date itself falls in.
    """

    date: dt.date
    follows_weekday: Weekday
    follows_week: int | None = None
    name: str = ""


@dataclass(frozen=True)
class RoomType:
    id: str
    description: str = ""


@dataclass(frozen=True)
class LocalNames:
    """A name as the readers of each language write it (the optional ``name_en``,
    ``name_zh`` and ``name_ru`` columns); blank where the instance gives none."""

    en: str = ""
    zh: str = ""
    ru: str = ""

    def get(self, language: str, fallback: str) -> str:
        """The name in ``language`` (``en``, ``zh`` or ``ru``), else ``fallback``."""
        return {"en": self.en, "zh": self.zh, "ru": self.ru}.get(language, "") or fallback


@dataclass(frozen=True)
class Room:
    id: str
    building: str
    capacity: int
    room_type: str
    name: str = ""
    names: LocalNames = LocalNames()
    building_names: LocalNames = LocalNames()
    video_link: bool = False
    """The room has a video link: a visitor may teach its students online from home."""


@dataclass(frozen=True)
class WeekRange:
    """Teaching weeks ``first..last``, every week or odd/even weeks only (单双周)."""

    first: int
    last: int
    parity: Parity = "all"

    def __contains__(self, week: object) -> bool:
        if not isinstance(week, int) or not self.first <= week <= self.last:
            return False
        return self.parity == "all" or (week % 2 == 1) == (self.parity == "odd")

    def weeks(self) -> list[int]:
        return [w for w in range(self.first, self.last + 1) if w in self]


@dataclass(frozen=True)
class TimeMask:
    """Periods that are blocked: on one date, or weekly on a weekday within optional weeks.

    ``first_period``/``last_period`` of ``None`` mean the whole day. A weekly mask applies to
    the timetable weekday and week, so it also applies on an adjusted workday that follows
    that weekday.
    """

    date: dt.date | None = None
    weekday: Weekday | None = None
    first_period: int | None = None
    last_period: int | None = None
    weeks: WeekRange | None = None

    def covers(self, day: dt.date, timetable_weekday: Weekday, week: int, period: int) -> bool:
        """True when the mask blocks ``period`` on the teaching day described."""
        if self.date is not None and self.date != day:
            return False
        if self.weekday is not None and self.weekday != timetable_weekday:
            return False
        if self.weeks is not None and week not in self.weeks:
            return False
        if self.first_period is not None and period < self.first_period:
            return False
        return not (self.last_period is not None and period > self.last_period)


@dataclass(frozen=True)
class Booking:
    """Periods of a room taken by another CQUPT unit."""

    room_id: str
    mask: TimeMask
    unit: str = ""


@dataclass(frozen=True)
class Teacher:
    id: str
    name: str
    institution: Institution
    languages: tuple[str, ...]
    visiting: bool = False
    max_periods_per_day: int = 8
    max_periods_per_week: int = 24
    names: LocalNames = LocalNames()


@dataclass(frozen=True)
class TravelWindow:
    """One trip of a visiting teacher.

    The first and last ``travel_days`` of the trip are travel days (one each by default) and
    ``rest_days`` follow the arrival; ``teach_on_arrival`` (``teach_on_departure``) lets the
    teacher teach from the arrival date (until the departure date) instead.
    """

    teacher_id: str
    arrival: dt.date
    departure: dt.date
    teach_on_arrival: bool = False
    teach_on_departure: bool = False
    travel_days: int = 1
    rest_days: int = 0

    def teaching_dates(self) -> tuple[dt.date, dt.date]:
        """First and last date of the trip on which the teacher may teach."""
        before = 0 if self.teach_on_arrival else self.travel_days + self.rest_days
        after = 0 if self.teach_on_departure else self.travel_days
        return (self.arrival + dt.timedelta(days=before),
                self.departure - dt.timedelta(days=after))

    @property
    def days(self) -> int:
        """Days of the trip, arrival and departure included (days abroad)."""
        return (self.departure - self.arrival).days + 1


@dataclass(frozen=True)
class TripRule:
    """One row of the ``trip_rules`` table: how the solver may plan a visitor's trips.

    A row names a teacher (``teacher_id``) or gives the defaults of an ``institution``; a
    blank (``None``) field of a teacher's row takes the value of their institution's row, and
    then the default of :meth:`Instance.trip_plan`.
    """

    teacher_id: str | None = None
    institution: str | None = None
    earliest_arrival: dt.date | None = None
    latest_departure: dt.date | None = None
    arrival_weekdays: tuple[Weekday, ...] | None = None
    departure_weekdays: tuple[Weekday, ...] | None = None
    travel_days: int | None = None
    rest_days: int | None = None
    max_stay_days: int | None = None
    min_days_between: int | None = None
    max_trips: int | None = None
    cost_per_trip: int | None = None
    cost_per_day: int | None = None


TRIP_DEFAULTS = {"travel_days": 1, "rest_days": 0, "min_days_between": 7, "max_trips": 2,
                 "cost_per_trip": 30, "cost_per_day": 6}
"""Defaults of the trip rules that neither a teacher's nor an institution's row gives
(documented in ``docs/format.md``; the costs are in the office's cost units, a guess of 100
CNY each: a return flight of 3,000 CNY, per diem and hotel of 600 CNY a day)."""


@dataclass(frozen=True)
class TripPlan:
    """The trip rules of one planned visitor, every default resolved.

    A trip lasts from its arrival to its departure date (both days abroad); it is taught
    from ``travel_days + rest_days`` days after the arrival to ``travel_days`` days before
    the departure. ``blackouts`` are the home-calendar dates (whole-day dated
    unavailability) that no trip may include.
    """

    teacher_id: str
    earliest_arrival: dt.date
    latest_departure: dt.date
    arrival_weekdays: tuple[Weekday, ...]
    departure_weekdays: tuple[Weekday, ...]
    travel_days: int
    rest_days: int
    max_stay_days: int
    min_days_between: int
    max_trips: int
    cost_per_trip: int
    cost_per_day: int
    blackouts: frozenset[dt.date] = frozenset()

    @property
    def min_stay_days(self) -> int:
        """The shortest trip with a day to teach."""
        return 2 * self.travel_days + self.rest_days + 1

    def window(self, arrival: dt.date, departure: dt.date) -> TravelWindow:
        """The trip from ``arrival`` to ``departure`` as a travel window."""
        return TravelWindow(self.teacher_id, arrival, departure, travel_days=self.travel_days,
                            rest_days=self.rest_days)

    def cost(self, arrival: dt.date, departure: dt.date) -> int:
        """Cost of one trip: ``cost_per_trip`` plus ``cost_per_day`` per day abroad."""
        return self.cost_per_trip + self.cost_per_day * ((departure - arrival).days + 1)


@dataclass(frozen=True)
class Unavailability:
    """Periods when a teacher or an interpreter cannot teach."""

    person_id: str
    mask: TimeMask
    reason: str = ""


@dataclass(frozen=True)
class Preference:
    """Periods a teacher prefers or would rather avoid (a soft constraint)."""

    teacher_id: str
    kind: PreferenceKind
    weekday: Weekday | None = None
    first_period: int | None = None
    last_period: int | None = None


@dataclass(frozen=True)
class Cohort:
    """Students who attend together, or a sub-group of such a cohort (``parent`` set).

    Students follow their native language (Chinese ``zh``, Russian ``ru``) plus the cohort's
    common ``languages``.
    """

    id: str
    program: str
    level: Level
    year: int
    students_cn: int
    students_ru: int
    languages: tuple[str, ...]
    parent: str | None = None

    @property
    def size(self) -> int:
        return self.students_cn + self.students_ru

    def follows(self, language: str) -> bool:
        """True when every student of the cohort follows ``language``."""
        if language in self.languages:
            return True
        if self.students_cn and language != "zh":
            return False
        return not (self.students_ru and language != "ru")

    def missing_pairs(self, language: str) -> tuple[frozenset[str], ...]:
        """Interpreting pairs needed for students of this cohort who do not follow ``language``."""
        if language in self.languages:
            return ()
        pairs = []
        if self.students_cn and language != "zh":
            pairs.append(frozenset((language, "zh")))
        if self.students_ru and language != "ru":
            pairs.append(frozenset((language, "ru")))
        return tuple(pairs)


@dataclass(frozen=True)
class Course:
    """One offering this term.

    Every listed teacher teaches every meeting. Weekly courses repeat ``meetings_per_week``
    meetings in the weeks of ``weeks``; intensive courses are taught in dated meetings inside
    the teachers' travel windows (and inside ``weeks``), at most ``max_periods_per_day`` a day.
    ``core`` marks a core course of its programme (the Ministry's one-third rule counts them).
    """

    id: str
    name: str
    cohorts: tuple[str, ...]
    teachers: tuple[str, ...]
    contact_periods: int
    meeting_length: int
    delivery: Delivery
    room_type: str
    language: str
    weeks: WeekRange
    meetings_per_week: int | None = None
    max_periods_per_day: int | None = None
    needs_interpreter: bool = True
    names: LocalNames = LocalNames()
    core: bool = False
    online_allowed: bool = False
    max_online_share: int = 0
    """Percent of ``contact_periods`` that visitors may teach online from home."""

    @property
    def max_online_periods(self) -> int:
        """The most contact periods taught online (none unless ``online_allowed``)."""
        if not self.online_allowed:
            return 0
        return self.contact_periods * self.max_online_share // 100


@dataclass(frozen=True)
class Interpreter:
    """A bilingual assistant who interprets between the languages of each pair."""

    id: str
    name: str
    pairs: tuple[frozenset[str], ...]
    available_weekdays: tuple[Weekday, ...] = (0, 1, 2, 3, 4, 5, 6)
    max_periods_per_day: int = 8
    max_periods_per_week: int | None = None

    def covers(self, pair: frozenset[str]) -> bool:
        return pair in self.pairs


RELAXED_UNPLACED_WEIGHT = 1000
"""What an unplaced period costs in relaxed solving when the ``unplaced_period`` weight is 0."""


@dataclass(frozen=True)
class Weights:
    """Soft-constraint weights and thresholds (zero weight turns a term off).

    See ``docs/format.md`` for what each one counts; defaults are the documented values.
    """

    cohort_idle_period: int = 3
    cohort_single_meeting_day: int = 2
    course_same_day: int = 10
    course_day_gap: int = 2
    min_day_gap: int = 2
    intensive_long_run: int = 3
    max_consecutive_days: int = 5
    teacher_avoided_period: int = 5
    teacher_unpreferred_period: int = 1
    evening_period: int = 2
    adjusted_day_meeting: int = 1
    lunch_break_missed: int = 5
    visitor_teaching_day: int = 4
    visitor_idle_day: int = 6
    intensive_room_change: int = 3
    cohort_building_change: int = 2
    seat_waste: int = 1
    seat_slack_percent: int = 50
    cohort_overload_period: int = 4
    cohort_daily_cap: int = 8
    teacher_week_imbalance: int = 1
    interpreter_change: int = 4
    moved_meeting: int = 10
    unplaced_period: int = 1000
    visitor_trip: int = 1
    visitor_day_abroad: int = 1

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def counted(self, name: str) -> int:
        """The weight rule ``name`` costs with: its value, except an ``unplaced_period`` of
        0, which relaxed solving replaces by :data:`RELAXED_UNPLACED_WEIGHT` (left-out
        courses always cost)."""
        weight: int = getattr(self, name)
        return (weight or RELAXED_UNPLACED_WEIGHT) if name == "unplaced_period" else weight


_Record = TypeVar("_Record")
_Key = TypeVar("_Key", bound=Hashable)


def _first_by(records: Iterable[_Record], key: Callable[[_Record], _Key]) -> dict[_Key, _Record]:
    """Records by ``key``, the first of the records sharing a key."""
    by_key: dict[_Key, _Record] = {}
    for record in records:
        by_key.setdefault(key(record), record)
    return by_key


@dataclass(frozen=True)
class Instance:
    """A whole term to timetable. Each tuple holds one input table in row order."""

    term: Term
    periods: tuple[Period, ...]
    blocks: tuple[Block, ...]
    room_types: tuple[RoomType, ...]
    rooms: tuple[Room, ...]
    teachers: tuple[Teacher, ...]
    cohorts: tuple[Cohort, ...]
    courses: tuple[Course, ...]
    holidays: tuple[Holiday, ...] = ()
    adjusted_workdays: tuple[AdjustedWorkday, ...] = ()
    bookings: tuple[Booking, ...] = ()
    travel_windows: tuple[TravelWindow, ...] = ()
    unavailability: tuple[Unavailability, ...] = ()
    preferences: tuple[Preference, ...] = ()
    interpreters: tuple[Interpreter, ...] = ()
    weights: Weights = field(default_factory=Weights)
    trip_rules: tuple[TripRule, ...] = ()
    levels: RuleLevels = field(default_factory=RuleLevels)

    # Lookups by id (computed once; the instance never changes). With an id given twice,
    # which validation reports at the second row, the first row is the one looked up, so
    # that the checks of other tables speak of the row the report does not point at.
    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return _first_by(self.rooms, lambda r: r.id)

    @cached_property
    def teacher_by_id(self) -> dict[str, Teacher]:
        return _first_by(self.teachers, lambda t: t.id)

    @cached_property
    def cohort_by_id(self) -> dict[str, Cohort]:
        return _first_by(self.cohorts, lambda c: c.id)

    @cached_property
    def course_by_id(self) -> dict[str, Course]:
        return _first_by(self.courses, lambda c: c.id)

    @cached_property
    def interpreter_by_id(self) -> dict[str, Interpreter]:
        return _first_by(self.interpreters, lambda i: i.id)

    @cached_property
    def period_by_number(self) -> dict[int, Period]:
        return _first_by(self.periods, lambda p: p.number)

    def windows_of(self, teacher_id: str) -> tuple[TravelWindow, ...]:
        """Travel windows of a teacher, by arrival date."""
        return tuple(
            sorted((w for w in self.travel_windows if w.teacher_id == teacher_id),
                   key=lambda w: w.arrival)
        )

    @cached_property
    def planned_visitors(self) -> tuple[str, ...]:
        """Visiting teachers whose trips the solver plans: no travel window, and a row of the
        ``trip_rules`` table for them or for their institution (in teacher order)."""
        named = {r.teacher_id for r in self.trip_rules if r.teacher_id is not None}
        institutions = {r.institution for r in self.trip_rules if r.teacher_id is None}
        fixed = {w.teacher_id for w in self.travel_windows}
        return tuple(t.id for t in self.teachers
                     if t.visiting and t.id not in fixed
                     and (t.id in named or t.institution in institutions))

    def trip_plan(self, teacher_id: str) -> TripPlan | None:
        """The resolved trip rules of a planned visitor (``None`` for anyone else): the
        teacher's row, then their institution's row, then the defaults (:data:`TRIP_DEFAULTS`,
        the term's ``max_trip_days``, any weekday, the term's first teaching date reached
        after the travel and rest days, its last one left on the travel day)."""
        if teacher_id not in self.planned_visitors:
            return None
        institution = self.teacher_by_id[teacher_id].institution
        given: dict[str, Any] = {**TRIP_DEFAULTS, "max_stay_days": self.term.max_trip_days,
                                 "arrival_weekdays": ALL_WEEKDAYS,
                                 "departure_weekdays": ALL_WEEKDAYS}
        rows = [r for r in self.trip_rules if r.teacher_id is None
                and r.institution == institution]
        rows += [r for r in self.trip_rules if r.teacher_id == teacher_id]
        for row in rows:
            given.update((f.name, getattr(row, f.name)) for f in fields(row)
                         if f.name not in ("teacher_id", "institution")
                         and getattr(row, f.name) is not None)
        ahead = dt.timedelta(days=given["travel_days"] + given["rest_days"])
        given.setdefault("earliest_arrival", self.term.first_date - ahead)
        given.setdefault("latest_departure",
                         self.term.last_date + dt.timedelta(days=given["travel_days"]))
        blackouts = frozenset(
            u.mask.date for u in self.unavailability
            if u.person_id == teacher_id and u.mask.date is not None
            and u.mask.first_period is None and u.mask.last_period is None)
        return TripPlan(teacher_id=teacher_id, blackouts=blackouts, **given)

    def with_trips(self, trips: Iterable[tuple[str, dt.date, dt.date]]) -> Instance:
        """This instance with the ``(teacher_id, arrival, departure)`` trips of its planned
        visitors as their travel windows (trips of anyone else are left out): what a plan
        means for every rule and view that reads windows."""
        windows = []
        for teacher_id, arrival, departure in trips:
            plan = self.trip_plan(teacher_id)
            if plan is not None:
                windows.append(plan.window(arrival, departure))
        if not windows:
            return self
        return replace(self, travel_windows=self.travel_windows + tuple(windows))

    @cached_property
    def _subgroups(self) -> dict[str, tuple[Cohort, ...]]:
        groups: dict[str, list[Cohort]] = {}
        for c in self.cohorts:
            if c.parent is not None:
                groups.setdefault(c.parent, []).append(c)
        return {k: tuple(v) for k, v in groups.items()}

    def subgroups_of(self, cohort_id: str) -> tuple[Cohort, ...]:
        """The sub-groups of cohort ``cohort_id`` (those naming it as their parent)."""
        return self._subgroups.get(cohort_id, ())

    def course_size(self, course: Course) -> int:
        """Students attending a course (the sum of its cohorts' sizes)."""
        return sum(self.cohort_by_id[c].size for c in course.cohorts if c in self.cohort_by_id)

    def interpreter_pairs(self, course: Course) -> frozenset[frozenset[str]]:
        """Language pairs an interpreter must cover at every meeting of ``course``."""
        if not course.needs_interpreter:
            return frozenset()
        pairs: set[frozenset[str]] = set()
        for cid in course.cohorts:
            cohort = self.cohort_by_id.get(cid)
            if cohort is not None:
                pairs.update(cohort.missing_pairs(course.language))
        return frozenset(pairs)

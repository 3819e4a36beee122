"""Facts about each trip of a visiting teacher: the window, the days taught and the idle days.

An idle day is a teaching day of the term inside the trip, between the trip's first and last
teaching day, on which the visitor teaches nothing (the same count as the ``visitor_idle_day``
weight). Teachable days are the term's teaching days on which the trip allows teaching (travel
days excluded unless the trip says otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from scheduler.calendar import TermCalendar
from scheduler.i18n import N_, Translator
from scheduler.instance import Instance, LocalNames, Period, TravelWindow
from scheduler.timetable import Meeting, Timetable

HOME_TIMEZONE = "Asia/Vladivostok"
"""The visiting teachers' home clock (FEFU, Vladivostok)."""


@dataclass(frozen=True)
class Clock:
    """A place's clock: its name (an English message) and its IANA time zone."""

    place: str
    timezone: str

    def time(self, instance: Instance, day: dt.date, campus_time: dt.time) -> dt.time:
        """What this clock shows when the campus clock shows ``campus_time`` on ``day``."""
        campus = dt.datetime.combine(day, campus_time, tzinfo=ZoneInfo(instance.term.timezone))
        return campus.astimezone(ZoneInfo(self.timezone)).time()

    def utc_offset(self, day: dt.date) -> str:
        """The clock's offset from UTC on ``day``: ``UTC+8``, ``UTC+10``, ``UTC+5:30``."""
        offset = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(self.timezone))
        minutes = int(offset.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
        sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
        hours, rest = divmod(minutes, 60)
        return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def visitor_clocks(instance: Instance) -> tuple[Clock, Clock]:
    """The campus clock (Chongqing, the term's time zone) and the visitors' home clock."""
    return (Clock(N_("Chongqing"), instance.term.timezone),
            Clock(N_("Vladivostok"), HOME_TIMEZONE))


@dataclass(frozen=True)
class TripFacts:
    """One trip of a visiting teacher and what the timetable makes of it."""

    teacher_id: str
    teacher_name: str
    trip: int
    window: TravelWindow
    teachable_days: tuple[dt.date, ...]
    teaching_days: tuple[dt.date, ...]
    idle_days: tuple[dt.date, ...]
    meetings: tuple[Meeting, ...]
    courses: tuple[str, ...]
    hours: tuple[str, str] = ("", "")
    """The trip's teaching from its earliest start to its latest end, on the campus clock and
    on the visitor's home clock (``08:00-17:35``, ``10:00-19:35``; blank without teaching)."""
    teacher_names: LocalNames = field(default_factory=LocalNames)
    """The teacher's name in each language the instance gives."""

    @property
    def days_in_china(self) -> int:
        """Calendar days from arrival to departure, both included."""
        return (self.window.departure - self.window.arrival).days + 1

    @property
    def periods_taught(self) -> int:
        return sum(m.length for m in self.meetings)

    @property
    def first_teaching_day(self) -> dt.date | None:
        return self.teaching_days[0] if self.teaching_days else None

    @property
    def last_teaching_day(self) -> dt.date | None:
        return self.teaching_days[-1] if self.teaching_days else None



def period_clock_times(instance: Instance, period: Period, visiting: bool) -> str:
    """A period's clock times; for a visitor, on the campus and the home clock, one a line."""
    if not visiting:
        return f"{period.start:%H:%M}-{period.end:%H:%M}"
    day = instance.term.first_date
    return "\n".join(f"{c.time(instance, day, period.start):%H:%M}-"
                     f"{c.time(instance, day, period.end):%H:%M}"
                     for c in visitor_clocks(instance))


def clock_heading(instance: Instance, tr: Translator, visiting: bool) -> str:
    """The heading over :func:`period_clock_times`: ``Time``, or each clock's place and UTC
    offset, one a line."""
    if not visiting:
        return tr("Time")
    day = instance.term.first_date
    return "\n".join(f"{tr.brief(c.place)} {c.utc_offset(day)}" for c in visitor_clocks(instance))

def _hours(instance: Instance, meetings: list[Meeting]) -> tuple[str, str]:
    known = [m for m in meetings if m.first_period in instance.period_by_number
             and m.last_period in instance.period_by_number]
    if not known:
        return "", ""
    first = min(known, key=lambda m: instance.period_by_number[m.first_period].start)
    last = max(known, key=lambda m: instance.period_by_number[m.last_period].end)
    start = instance.period_by_number[first.first_period].start
    end = instance.period_by_number[last.last_period].end
    campus, home = (f"{c.time(instance, first.date, start):%H:%M}-"
                    f"{c.time(instance, last.date, end):%H:%M}" for c in visitor_clocks(instance))
    return campus, home


def trip_facts(instance: Instance, timetable: Timetable,
               calendar: TermCalendar | None = None) -> tuple[TripFacts, ...]:
    """One :class:`TripFacts` per travel window, by teacher (instance order) and arrival."""
    calendar = calendar or TermCalendar(instance)
    travelling = {w.teacher_id for w in instance.travel_windows}
    courses_of: dict[str, set[str]] = defaultdict(set)
    for course in instance.courses:
        for teacher_id in course.teachers:
            courses_of[teacher_id].add(course.id)
    positions: dict[str, list[int]] = defaultdict(list)
    for position, m in enumerate(timetable.meetings):
        positions[m.course_id].append(position)
    facts = []
    for teacher in instance.teachers:
        if teacher.id not in travelling:
            continue
        mine = [timetable.meetings[p] for p in sorted(
            p for c in courses_of[teacher.id] for p in positions[c])]
        for number, window in enumerate(instance.windows_of(teacher.id), start=1):
            first, last = window.teaching_dates()
            inside = [m for m in mine if window.arrival <= m.date <= window.departure]
            taught = sorted({m.date for m in inside})
            term_days = [d.date for d in calendar.days
                         if window.arrival <= d.date <= window.departure]
            idle: list[dt.date] = []
            if taught:
                idle = [d for d in term_days if taught[0] < d < taught[-1] and d not in taught]
            facts.append(TripFacts(
                teacher_id=teacher.id,
                teacher_name=teacher.name,
                trip=number,
                window=window,
                teachable_days=tuple(d for d in term_days if first <= d <= last),
                teaching_days=tuple(taught),
                idle_days=tuple(idle),
                meetings=tuple(inside),
                courses=tuple(dict.fromkeys(m.course_id for m in inside)),
                hours=_hours(instance, inside),
                teacher_names=teacher.names,
            ))
    return tuple(facts)

"""Dated weeks: the meetings of one cohort, teacher, room or interpreter in one week of the
term, by date, as a student checks "what do I have this week".

A week runs Monday to Sunday (teaching week ``n`` starts on the term's week-1 Monday plus
``n - 1`` weeks). It shows the term's teaching weekdays, a weekend day that is an adjusted
workday (调休) or holds a meeting, and marks holidays. Meetings whose periods overlap on a
date share one :class:`~scheduler.views.grids.GridCell`, as in the weekly grid; each entry's
``when`` is its clock time (for a visiting teacher on both clocks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from scheduler.calendar import TermCalendar
from scheduler.i18n import Language, translator
from scheduler.instance import Instance, Period
from scheduler.timetable import Meeting, Timetable
from scheduler.views.grids import GridCell, GridEntry, cluster
from scheduler.views.subjects import (
    SubjectKind,
    attending_group,
    course_name,
    meetings_of,
    teacher_name,
)
from scheduler.views.visitors import visitor_clocks

DayKind = Literal["teaching", "holiday", "adjusted", "free"]
"""A teaching weekday, a holiday, an adjusted workday, or a day without teaching (a weekend
day that holds a meeting anyway, or a weekday outside the term)."""


@dataclass(frozen=True)
class Day:
    """One date of a dated week and what happens on it."""

    date: dt.date
    kind: DayKind
    cells: tuple[GridCell, ...]
    holiday: str = ""
    follows_weekday: int | None = None
    follows_week: int | None = None

    @property
    def meetings(self) -> int:
        return sum(len(c.entries) for c in self.cells)


@dataclass(frozen=True)
class DatedWeek:
    """A week of the term: its number, its Monday and the days it shows."""

    number: int
    monday: dt.date
    days: tuple[Day, ...]

    @property
    def meetings(self) -> int:
        return sum(d.meetings for d in self.days)


def clock_times(instance: Instance, day: dt.date, first: Period, last: Period,
                two_clocks: bool = False, lang: Language = "en") -> str:
    """``08:00-09:35``; on both clocks ``08:00-09:35 (10:00-11:35 Vladivostok)``."""
    home = visitor_clocks(instance)[1]
    text = f"{first.start:%H:%M}-{last.end:%H:%M}"
    if not two_clocks:
        return text
    tr = translator(lang).brief
    other = (f"{home.time(instance, day, first.start):%H:%M}-"
             f"{home.time(instance, day, last.end):%H:%M}")
    return f"{text} ({other} {tr(home.place)})"


def _entry(instance: Instance, kind: SubjectKind, subject_id: str, meeting: Meeting,
           two_clocks: bool, lang: Language) -> GridEntry:
    course = instance.course_by_id.get(meeting.course_id)
    first = instance.period_by_number[meeting.first_period]
    last = instance.period_by_number[meeting.last_period]
    interpreter = instance.interpreter_by_id.get(meeting.interpreter_id or "")
    teachers = course.teachers if course else ()
    return GridEntry(
        course_id=meeting.course_id,
        course_name=course_name(instance, meeting.course_id, lang),
        delivery=course.delivery if course else "",
        first_period=meeting.first_period,
        last_period=meeting.last_period,
        room_id=meeting.room_id,
        teachers=tuple(teacher_name(instance, t, lang) for t in teachers),
        cohorts=course.cohorts if course else (),
        interpreters=((interpreter.name if interpreter else meeting.interpreter_id,)
                      if meeting.interpreter_id else ()),
        weeks=(instance.term.week_of(meeting.date),),
        dates=(meeting.date,),
        when=clock_times(instance, meeting.date, first, last, two_clocks, lang),
        group=attending_group(instance, course, subject_id)
        if course is not None and kind == "cohort" else None,
    )


def term_weeks(instance: Instance) -> tuple[int, ...]:
    """The weeks the term's dates fall in, first to last."""
    term = instance.term
    return tuple(range(term.week_of(term.first_date), term.week_of(term.last_date) + 1))


def dated_weeks(instance: Instance, timetable: Timetable, kind: SubjectKind, subject_id: str,
                lang: Language = "en",
                calendar: TermCalendar | None = None) -> tuple[DatedWeek, ...]:
    """Every week of the term for one cohort, teacher, room or interpreter (names and the
    clock-time labels of a visiting teacher's meetings in ``lang``)."""
    calendar = calendar or TermCalendar(instance)
    term = instance.term
    teacher = instance.teacher_by_id.get(subject_id) if kind == "teacher" else None
    two_clocks = teacher is not None and teacher.visiting
    holidays = {h.date: h.name for h in instance.holidays}
    adjusted = {a.date: a for a in instance.adjusted_workdays}
    by_date: dict[dt.date, list[GridEntry]] = defaultdict(list)
    for m in meetings_of(instance, timetable, kind, subject_id):
        if m.first_period in instance.period_by_number and \
                m.last_period in instance.period_by_number:
            by_date[m.date].append(_entry(instance, kind, subject_id, m, two_clocks, lang))
    weeks = []
    for week in term_weeks(instance):
        monday = term.week1_monday + dt.timedelta(weeks=week - 1)
        days = []
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            inside = term.first_date <= day <= term.last_date
            if day in holidays and inside:
                kind_of: DayKind = "holiday"
            elif day in adjusted and inside:
                kind_of = "adjusted"
            elif day in calendar.by_date:
                kind_of = "teaching"
            else:
                kind_of = "free"
            shown = (day.weekday() in term.teaching_weekdays or kind_of != "free"
                     or day in by_date)
            if not shown:
                continue
            a = adjusted.get(day)
            days.append(Day(
                date=day, kind=kind_of,
                cells=tuple(cluster(day.weekday(), by_date.get(day, []))),
                holiday=holidays.get(day, ""),
                follows_weekday=a.follows_weekday if a and kind_of == "adjusted" else None,
                follows_week=(a.follows_week if a.follows_week is not None else week)
                if a and kind_of == "adjusted" else None))
        weeks.append(DatedWeek(week, monday, tuple(days)))
    return tuple(weeks)

"""Weekly grids: the week of a cohort, teacher, room or interpreter, days across, periods down.

A weekly course collapses into one entry per weekday and block, labelled with its weeks
("weeks 1-16 (odd)"); intensive meetings in the same weekday and block form one entry listing
their dates. Entries whose periods overlap on a weekday share one cell spanning all their
periods, so a spreadsheet can merge it and a picture can draw it as one box.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from scheduler.calendar import TermCalendar
from scheduler.i18n import Language, translator
from scheduler.instance import Instance, Period
from scheduler.timetable import Meeting, Timetable
from scheduler.views.subjects import (
    SubjectKind,
    SubjectMeetings,
    attending_group,
    building_name,
    course_name,
    meetings_of,
    subject_name,
    teacher_name,
    timetable_day,
)
from scheduler.views.weeks import date_label, moved_label, week_label


@dataclass(frozen=True)
class GridEntry:
    """A course held on one weekday in one block and room, over some weeks or dates."""

    course_id: str
    course_name: str
    delivery: str
    first_period: int
    last_period: int
    room_id: str
    teachers: tuple[str, ...]
    cohorts: tuple[str, ...]
    interpreters: tuple[str, ...]
    weeks: tuple[int, ...]
    dates: tuple[dt.date, ...]
    when: str
    group: str | None = None
    online: str = ""
    """Which of the meetings the visitors teach online from home (blank: none), in words."""

    @property
    def meetings(self) -> int:
        return len(self.dates)

    def lines(self, kind: SubjectKind, with_periods: bool = False,
              brief: bool = False, lang: Language = "en") -> list[str]:
        """The entry as the lines of a timetable cell, for a view of the given kind
        (``brief``: only the course and when and where)."""
        tr = translator(lang).brief
        title = f"[{self.group}] {self.course_name}" if self.group else self.course_name
        when = self.when
        if with_periods:
            periods = tr("P{first}-{last}").format(first=self.first_period,
                                                   last=self.last_period)
            when = f"{periods} · {when}"
        if brief:
            return [title, f"{when} · {self.room_id}" if kind != "room" else when,
                    *([self.online] if self.online else [])]
        cohorts = ", ".join(self.cohorts)
        teachers = ", ".join(self.teachers)
        lines = [title, when]
        if kind == "cohort":
            lines += [f"{self.room_id} · {teachers}"]
        elif kind == "teacher":
            lines += [f"{self.room_id} · {cohorts}"]
        elif kind == "room":
            lines += [cohorts, teachers]
        else:
            lines += [f"{self.room_id} · {teachers}", cohorts]
        if self.interpreters and kind != "interpreter":
            lines.append(tr("interpreter: {names}").format(names=", ".join(self.interpreters)))
        if self.online:
            lines.append(self.online)
        return lines


@dataclass(frozen=True)
class GridCell:
    """Entries whose periods overlap on one weekday, spanning all their periods."""

    weekday: int
    first_period: int
    last_period: int
    entries: tuple[GridEntry, ...]

    @property
    def span(self) -> int:
        return self.last_period - self.first_period + 1

    def text(self, kind: SubjectKind, brief_intensive: bool = False,
             lang: Language = "en") -> str:
        """The cell as text, entries separated by a blank line (``brief_intensive``: intensive
        entries only say the course, dates and room), in the reader's language."""
        blocks = []
        for e in self.entries:
            differs = (e.first_period, e.last_period) != (self.first_period, self.last_period)
            brief = brief_intensive and e.delivery == "intensive"
            blocks.append("\n".join(e.lines(kind, with_periods=differs, brief=brief,
                                             lang=lang)))
        return "\n\n".join(blocks)


@dataclass(frozen=True)
class WeeklyGrid:
    """The weekly timetable of one cohort, teacher, room or interpreter."""

    kind: SubjectKind
    subject_id: str
    title: str
    weekdays: tuple[int, ...]
    periods: tuple[Period, ...]
    cells: tuple[GridCell, ...]
    language: Language = "en"

    def cells_on(self, weekday: int) -> tuple[GridCell, ...]:
        return tuple(c for c in self.cells if c.weekday == weekday)


def grid_title(instance: Instance, kind: SubjectKind, subject_id: str,
               lang: Language = "en") -> str:
    """A heading for a view: what it is and whose it is, in the reader's language."""
    tr = translator(lang)
    if kind == "cohort":
        cohort = instance.cohort_by_id.get(subject_id)
        if cohort is None:
            return tr("Cohort {cohort}").format(cohort=subject_id)
        facts = {"cohort": subject_id, "parent": cohort.parent, "program": cohort.program,
                 "year": cohort.year, "students": cohort.size, "cn": cohort.students_cn,
                 "ru": cohort.students_ru}
        if cohort.parent:
            return tr("Cohort {cohort} (sub-group of {parent}) — {program}, year {year}, "
                      "{students} students ({cn} CN + {ru} RU)").format(**facts)
        return tr("Cohort {cohort} — {program}, year {year}, {students} students "
                  "({cn} CN + {ru} RU)").format(**facts)
    if kind == "room":
        room = instance.room_by_id.get(subject_id)
        if room is None:
            return tr("Room {room}").format(room=subject_id)
        return tr("Room {room} — {building}, {capacity} seats, {room_type}").format(
            room=subject_id, building=building_name(room, lang), capacity=room.capacity,
            room_type=room.room_type)
    name = subject_name(instance, kind, subject_id, lang)
    if kind == "teacher" and subject_id in instance.teacher_by_id:
        teacher = instance.teacher_by_id[subject_id]
        message = (tr("Teacher {name} ({id}, {institution}, visiting)") if teacher.visiting
                   else tr("Teacher {name} ({id}, {institution})"))
        return message.format(name=name, id=subject_id, institution=teacher.institution)
    if kind == "teacher":
        return tr("Teacher {name} ({id})").format(name=name, id=subject_id)
    return tr("Interpreter {name} ({id})").format(name=name, id=subject_id)


def _skippable_weeks(instance: Instance, calendar: TermCalendar) -> dict[int, set[int]]:
    """Per timetable weekday, the teaching weeks in which that weekday is never taught."""
    taught = {(d.weekday, d.week) for d in calendar.days}
    weeks = range(1, max(calendar.weeks, default=0) + 1)
    return {wd: {w for w in weeks if (wd, w) not in taught} for wd in range(7)}


def _entry(instance: Instance, kind: SubjectKind, subject_id: str, meetings: list[Meeting],
           weekday: int, skippable: set[int], lang: Language,
           days: dict[dt.date, tuple[int, int]]) -> GridEntry:
    """``days``: the weekday and teaching week each meeting's date holds."""
    first = meetings[0]
    course = instance.course_by_id.get(first.course_id)
    weeks = sorted({days[m.date][1] for m in meetings})
    dates = tuple(m.date for m in meetings)
    if course is not None and course.delivery == "weekly":
        # a week whose meeting is held on an adjusted workday is named with that day only
        # (week 3 of a Friday class held on Sunday 09-20 is not taught on Friday)
        moved = [m for m in meetings if m.date.weekday() != weekday]
        kept = sorted({days[m.date][1] for m in meetings if m not in moved})
        separator = translator(lang).brief.pgettext("notes", "; ")
        when = separator.join([*([week_label(kept, skippable, lang)] if kept else []),
                               *(moved_label(days[m.date][1], m.date, lang) for m in moved)])
    else:
        when = date_label(dates, lang)
    interpreters = []
    for m in meetings:
        name = (instance.interpreter_by_id[m.interpreter_id].name
                if m.interpreter_id in instance.interpreter_by_id else m.interpreter_id)
        if name and name not in interpreters:
            interpreters.append(name)
    teachers = course.teachers if course else ()
    online = [m.date for m in meetings if m.online]
    tr = translator(lang).brief
    note = ("" if not online else tr("online from Vladivostok") if len(online) == len(meetings)
            else tr("online from Vladivostok: {dates}").format(
                dates=date_label(tuple(online), lang)))
    return GridEntry(
        course_id=first.course_id,
        course_name=course_name(instance, first.course_id, lang),
        delivery=course.delivery if course else "",
        first_period=first.first_period,
        last_period=first.last_period,
        room_id=first.room_id,
        teachers=tuple(teacher_name(instance, t, lang) for t in teachers),
        cohorts=course.cohorts if course else (),
        interpreters=tuple(interpreters),
        weeks=tuple(weeks),
        dates=dates,
        when=when,
        group=attending_group(instance, course, subject_id)
        if course is not None and kind == "cohort" else None,
        online=note,
    )


def cluster(weekday: int, entries: list[GridEntry]) -> list[GridCell]:
    """Group the entries of one weekday (or date) whose period ranges overlap into cells."""
    cells: list[GridCell] = []
    for e in sorted(entries, key=lambda e: (e.first_period, e.last_period, e.course_id)):
        if cells and e.first_period <= cells[-1].last_period:
            last = cells[-1]
            cells[-1] = GridCell(weekday, last.first_period,
                                 max(last.last_period, e.last_period), (*last.entries, e))
        else:
            cells.append(GridCell(weekday, e.first_period, e.last_period, (e,)))
    return cells


def weekly_grid(instance: Instance, timetable: Timetable, kind: SubjectKind, subject_id: str,
                lang: Language = "en", calendar: TermCalendar | None = None,
                index: SubjectMeetings | None = None,
                weeks: Collection[int] | None = None) -> WeeklyGrid:
    """The weekly grid of one cohort, teacher, room or interpreter, labelled in ``lang``
    (``index``: the timetable's meetings indexed once, for a writer of many grids;
    ``weeks``: only the meetings of these teaching weeks, for a grid of part of the term)."""
    calendar = calendar or TermCalendar(instance)
    skippable = _skippable_weeks(instance, calendar)
    groups: dict[tuple[int, int, int, str, str], list[Meeting]] = defaultdict(list)
    meetings = index.of(kind, subject_id) if index is not None else \
        meetings_of(instance, timetable, kind, subject_id)
    days: dict[dt.date, tuple[int, int]] = {}
    for m in meetings:
        if m.date not in days:
            days[m.date] = timetable_day(instance, m.date)
    if weeks is not None:
        meetings = tuple(m for m in meetings if days[m.date][1] in weeks)
    for m in meetings:
        weekday = days[m.date][0]
        groups[(weekday, m.first_period, m.last_period, m.course_id, m.room_id)].append(m)
    by_day: dict[int, list[GridEntry]] = defaultdict(list)
    for (weekday, *_), held in groups.items():
        by_day[weekday].append(_entry(instance, kind, subject_id, held, weekday,
                                      skippable[weekday], lang, days))
    weekdays = tuple(sorted(set(instance.term.teaching_weekdays) | set(by_day)))
    cells = tuple(c for wd in weekdays for c in cluster(wd, by_day.get(wd, [])))
    periods = tuple(sorted(instance.periods, key=lambda p: p.number))
    return WeeklyGrid(kind, subject_id, grid_title(instance, kind, subject_id, lang), weekdays,
                      periods, cells, lang)

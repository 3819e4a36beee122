"""What each page of the web site shows, built from the views: tables with their spanning
cells, a phone's list of days, the term's calendar, the index and the links between pages.

Plain data for the templates; nothing here knows HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scheduler.calendar import TermCalendar
from scheduler.i18n import Language, Translator, translator, weekday_header
from scheduler.instance import Cohort, Instance, Period
from scheduler.timetable import Timetable
from scheduler.views.colors import course_color, course_colors, lighten
from scheduler.views.dated import DatedWeek, Day, dated_weeks
from scheduler.views.grids import GridCell, WeeklyGrid, grid_title, weekly_grid
from scheduler.views.subjects import (
    SUBJECT_KINDS,
    SubjectKind,
    building_name,
    meetings_of,
    room_name,
    subject_ids,
    teacher_name,
)
from scheduler.views.text import safe_filename
from scheduler.views.visitors import (
    TripFacts,
    clock_heading,
    period_clock_times,
    trip_facts,
    visitor_clocks,
)


@dataclass(frozen=True)
class Cell:
    """One table cell: meetings (``lines`` per entry), a note across a free day, or empty."""

    kind: str
    rowspan: int = 1
    entries: tuple[tuple[str, ...], ...] = ()
    color: str = ""
    edge: str = ""
    note: str = ""


@dataclass(frozen=True)
class Column:
    """A column heading: the weekday, the date (if any) and what kind of day it is."""

    weekday: str
    date: str = ""
    kind: str = "teaching"
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A timetable: columns of days, one row per period (its number and clock times)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, str, tuple[Cell, ...]], ...]
    time_heading: str


@dataclass(frozen=True)
class AgendaDay:
    """A day in the phone's list: its heading, what kind of day, its meetings."""

    heading: str
    kind: str
    note: str
    entries: tuple[tuple[str, ...], ...]
    colors: tuple[str, ...]


@dataclass(frozen=True)
class WeekView:
    """One week of a page: its anchor, heading, table and phone list."""

    anchor: str
    number: int
    heading: str
    table: Table
    agenda: tuple[AgendaDay, ...]
    meetings: int


@dataclass(frozen=True)
class CalendarRow:
    """A row of the term view's calendar: a week, the month it starts (blank when the row
    above started in the same month) and, per weekday, (date, meetings, kind)."""

    anchor: str
    number: int
    month: str
    days: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True)
class SubjectPage:
    """The page of one cohort, teacher, room or interpreter."""

    kind: SubjectKind
    subject_id: str
    file: str
    title: str
    weeks: tuple[WeekView, ...]
    default_week: str
    pattern: Table
    calendar_weekdays: tuple[str, ...]
    calendar: tuple[CalendarRow, ...]
    notes: tuple[str, ...] = ()
    facts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class IndexEntry:
    """A link on the index: the page, what it is called, a few facts and its nesting."""

    file: str
    label: str
    detail: str = ""
    level: int = 0


def page_file(kind: SubjectKind, subject_id: str) -> str:
    """The file name of a subject's page (in each language's folder)."""
    return f"{kind}-{safe_filename(subject_id)}.html"


def _visiting(instance: Instance, kind: SubjectKind, subject_id: str) -> bool:
    teacher = instance.teacher_by_id.get(subject_id) if kind == "teacher" else None
    return teacher is not None and teacher.visiting


def _meeting_cell(cell: GridCell, kind: SubjectKind, colors: dict[str, str], rowspan: int,
                  lang: Language) -> Cell:
    entries = tuple(tuple(e.lines(kind, with_periods=(e.first_period, e.last_period)
                                  != (cell.first_period, cell.last_period), lang=lang))
                    for e in cell.entries)
    courses = {e.course_id for e in cell.entries}
    strong = course_color(colors, cell.entries[0].course_id)
    if len(courses) == 1:
        return Cell("meeting", rowspan, entries, lighten(strong, 0.8), strong)
    return Cell("meeting", rowspan, entries, "#fff2cc", "#bf9000")


def _table(instance: Instance, periods: tuple[Period, ...], columns: list[Column],
           cells: list[tuple[GridCell, ...]], notes: list[str], kind: SubjectKind,
           colors: dict[str, str], visiting: bool, lang: Language) -> Table:
    """Rows of cells; a cell spanning periods covers the rows below it; a column with a note
    (a holiday) is one cell spanning every period."""
    tr = translator(lang)
    row_of = {p.number: i for i, p in enumerate(periods)}
    grid: list[list[Cell | None]] = [[Cell("empty") for _ in columns] for _ in periods]
    for col, (column_cells, note) in enumerate(zip(cells, notes, strict=True)):
        if note:
            grid[0][col] = Cell("note", len(periods), note=note)
            for row in range(1, len(periods)):
                grid[row][col] = None
            continue
        for cell in column_cells:
            if cell.first_period not in row_of or cell.last_period not in row_of:
                continue
            top, bottom = row_of[cell.first_period], row_of[cell.last_period]
            grid[top][col] = _meeting_cell(cell, kind, colors, bottom - top + 1, lang)
            for row in range(top + 1, bottom + 1):
                grid[row][col] = None
    rows = tuple((str(p.number), period_clock_times(instance, p, visiting),
                  tuple(c for c in grid[i] if c is not None))
                 for i, p in enumerate(periods))
    return Table(tuple(columns), rows, clock_heading(instance, tr, visiting))


def _day_note(day: Day, tr: Translator) -> str:
    if day.kind == "holiday":
        return tr("Holiday: {name}").format(name=day.holiday) if day.holiday else tr("Holiday")
    if day.kind == "adjusted" and day.follows_weekday is not None:
        return tr("Adjusted workday: {weekday} of week {week}").format(
            weekday=tr.brief.weekday(day.follows_weekday), week=day.follows_week)
    return ""


def _week_view(instance: Instance, week: DatedWeek, periods: tuple[Period, ...],
               kind: SubjectKind, colors: dict[str, str], visiting: bool,
               lang: Language) -> WeekView:
    tr = translator(lang)
    columns = [Column(weekday_header(d.date.weekday(), lang), tr.short_date(d.date), d.kind,
                      _day_note(d, tr)) for d in week.days]
    table = _table(instance, periods, columns, [d.cells for d in week.days],
                   [_day_note(d, tr) if d.kind == "holiday" else "" for d in week.days],
                   kind, colors, visiting, lang)
    agenda = []
    for d in week.days:
        entries = tuple(tuple(e.lines(kind, lang=lang)) for c in d.cells for e in c.entries)
        agenda.append(AgendaDay(tr.date(d.date), d.kind, _day_note(d, tr), entries, tuple(
            lighten(course_color(colors, e.course_id), 0.8) for c in d.cells
            for e in c.entries)))
    last = week.monday + dt.timedelta(days=6)
    heading = tr("Week {week}: {first} – {last}").format(
        week=week.number, first=tr.short_date(week.monday), last=tr.short_date(last))
    return WeekView(f"week-{week.number}", week.number, heading, table, tuple(agenda),
                    week.meetings)


def _pattern(instance: Instance, grid: WeeklyGrid, colors: dict[str, str], visiting: bool,
             lang: Language) -> Table:
    columns = [Column(weekday_header(wd, lang)) for wd in grid.weekdays]
    return _table(instance, grid.periods, columns,
                  [grid.cells_on(wd) for wd in grid.weekdays], ["" for _ in grid.weekdays],
                  grid.kind, colors, visiting, lang)


def _calendar(weeks: tuple[DatedWeek, ...], tr: Translator) -> tuple[tuple[str, ...],
                                                                      tuple[CalendarRow, ...]]:
    weekdays = sorted({d.date.weekday() for w in weeks for d in w.days})
    rows = []
    months = [tr.month(w.monday) for w in weeks]
    for i, w in enumerate(weeks):
        by_weekday = {d.date.weekday(): d for d in w.days}
        month = months[i] if i == 0 or months[i] != months[i - 1] else ""
        rows.append(CalendarRow(f"week-{w.number}", w.number, month, tuple(
            (tr.short_date(by_weekday[wd].date), by_weekday[wd].meetings, by_weekday[wd].kind)
            if wd in by_weekday else ("", 0, "none") for wd in weekdays)))
    return tuple(tr.brief.weekday(wd) for wd in weekdays), tuple(rows)


def _facts(instance: Instance, trips: tuple[TripFacts, ...], kind: SubjectKind,
           subject_id: str, lang: Language) -> tuple[str, ...]:
    """A visiting teacher's trips and both clocks."""
    if not _visiting(instance, kind, subject_id):
        return ()
    tr = translator(lang)
    day = instance.term.first_date
    campus, home = visitor_clocks(instance)
    facts = [tr("Times in {campus} ({campus_offset}) and in {home} ({home_offset})").format(
        campus=tr.brief(campus.place), campus_offset=campus.utc_offset(day),
        home=tr.brief(home.place), home_offset=home.utc_offset(day))]
    for trip in trips:
        if trip.teacher_id == subject_id:
            facts.append(tr("Trip {trip}: {arrival} – {departure}, {days} teaching days, "
                            "{periods} periods").format(
                trip=trip.trip, arrival=tr.date(trip.window.arrival),
                departure=tr.date(trip.window.departure), days=len(trip.teaching_days),
                periods=trip.periods_taught))
    return tuple(facts)


def calendar_notes(instance: Instance, lang: Language) -> tuple[str, ...]:
    """The term's holidays and adjusted workdays, one line each."""
    tr = translator(lang)
    notes = [tr("Holiday: {name}").format(name=f"{tr.date(h.date)} {h.name}".strip())
             for h in instance.holidays]
    for a in instance.adjusted_workdays:
        week = a.follows_week if a.follows_week is not None else instance.term.week_of(a.date)
        notes.append(tr("Adjusted workday {date}: {weekday} of week {week}").format(
            date=tr.date(a.date), weekday=tr.brief.weekday(a.follows_weekday), week=week))
    return tuple(notes)


def subject_page(instance: Instance, timetable: Timetable, kind: SubjectKind,
                 subject_id: str, lang: Language, calendar: TermCalendar | None = None,
                 trips: tuple[TripFacts, ...] | None = None) -> SubjectPage:
    """The page of one cohort, teacher, room or interpreter in ``lang`` (``calendar`` and
    ``trips``, the visitors' :func:`trip_facts`, computed here when not given)."""
    calendar = calendar or TermCalendar(instance)
    trips = trip_facts(instance, timetable, calendar) if trips is None else trips
    tr = translator(lang)
    grid = weekly_grid(instance, timetable, kind, subject_id, lang, calendar)
    weeks = dated_weeks(instance, timetable, kind, subject_id, lang, calendar)
    colors = course_colors(instance, (m.course_id for m in
                                      meetings_of(instance, timetable, kind, subject_id)))
    visiting = _visiting(instance, kind, subject_id)
    views = tuple(_week_view(instance, w, grid.periods, kind, colors, visiting, lang)
                  for w in weeks)
    default = next((v.anchor for v in views if v.meetings), views[0].anchor if views else "")
    weekdays, rows = _calendar(weeks, tr)
    return SubjectPage(kind, subject_id, page_file(kind, subject_id),
                       grid_title(instance, kind, subject_id, lang), views, default,
                       _pattern(instance, grid, colors, visiting, lang), weekdays, rows,
                       calendar_notes(instance, lang),
                       _facts(instance, trips, kind, subject_id, lang))


def index_entries(instance: Instance, timetable: Timetable, lang: Language,
                  trips: tuple[TripFacts, ...] | None = None
                  ) -> dict[str, tuple[IndexEntry, ...]]:
    """The index's sections: cohorts (sub-groups under their cohort), teachers, visitors
    (with the dates of each of ``trips``, computed here when not given), rooms and
    interpreters, each linking to its page."""
    tr = translator(lang)
    trips = trip_facts(instance, timetable) if trips is None else trips
    cohorts: list[IndexEntry] = []

    def add(cohort: Cohort, level: int) -> None:
        cohorts.append(IndexEntry(page_file("cohort", cohort.id), cohort.id,
                                  tr("{program}, {students} students").format(
                                      program=cohort.program, students=cohort.size), level))
        for sub in instance.subgroups_of(cohort.id):
            if all(e.label != sub.id for e in cohorts):
                add(sub, level + 1)

    for cohort in instance.cohorts:
        if cohort.parent not in instance.cohort_by_id:
            add(cohort, 0)
    for cohort in instance.cohorts:  # in a cycle of parents: listed all the same
        if all(e.label != cohort.id for e in cohorts):
            add(cohort, 0)
    teachers = [IndexEntry(page_file("teacher", t.id), teacher_name(instance, t.id, lang),
                           f"{t.id} · {t.institution}") for t in instance.teachers]
    visitors = []
    for t in instance.teachers:
        dates = [f"{tr.short_date(f.window.arrival)} – {tr.short_date(f.window.departure)}"
                 for f in trips if f.teacher_id == t.id]
        if t.visiting or dates:
            visitors.append(IndexEntry(page_file("teacher", t.id),
                                       teacher_name(instance, t.id, lang), "; ".join(dates)))
    rooms = [IndexEntry(page_file("room", r.id), room_name(r, lang),
                        tr("{building}, {capacity} seats, {room_type}").format(
                            building=building_name(r, lang), capacity=r.capacity,
                            room_type=r.room_type))
             for r in instance.rooms]
    interpreters = [IndexEntry(page_file("interpreter", i.id), i.name, i.id)
                    for i in instance.interpreters]
    return {"cohorts": tuple(cohorts), "teachers": tuple(teachers),
            "visitors": tuple(visitors), "rooms": tuple(rooms),
            "interpreters": tuple(interpreters)}


def subjects(instance: Instance) -> list[tuple[SubjectKind, str]]:
    """Every cohort, teacher, room and interpreter, each with a page."""
    return [(kind, s) for kind in SUBJECT_KINDS for s in subject_ids(instance, kind)]

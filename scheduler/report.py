"""Key figures of a timetable per cohort, teacher and room (``scheduler report``).

Everything is recomputed from the instance and the timetable alone; the CP-SAT model is not
involved. The figures:

Cohorts (one row per cohort, in instance order). A sub-group, or a cohort without sub-groups,
attends its own courses and its parent cohorts' courses: its row is what each of its students
lives through, and summed over these cohorts, idle periods, single-meeting days and building
changes are the counts the ``cohort_idle_period``, ``cohort_single_meeting_day`` and
``cohort_building_change`` weights charge. A cohort with sub-groups has no timetable of its
own that any student follows (its Chinese group learns Russian while its Russian group learns
Chinese): each figure of its row is the largest among its sub-groups', what its busiest
students live through (IoT-2026-1: 544 periods, its Chinese group's, beside its Russian
group's 488), and its ``subgroups`` column is not 0.

- ``periods``: dated periods with a class; ``teaching_days``: dates with a class;
- ``idle_periods``: periods of the daily grid between a day's first and last class without a
  class, summed over days;
- ``single_meeting_days``: days with exactly one meeting;
- ``max_periods_per_day``; ``evening_periods``: class periods in the evening session;
- ``building_changes``: buildings used on a day beyond the first, summed over days.

Teachers: meetings, periods, teaching days, the most periods taught on one date and in one
calendar week (the weeks of the ``max_periods_per_week`` limit). For visiting teachers also
(blank for others), from :func:`scheduler.views.visitors.trip_facts`: ``trips``,
``days_on_campus`` (calendar days from arrival to departure, summed over trips),
``teachable_days`` (term teaching days on which a trip allows teaching), ``idle_days`` (teaching
days inside a trip, between its first and last teaching day, without teaching; the
``visitor_idle_day`` count) and ``teaching_share_percent`` (days taught inside trips over
teachable days).

Rooms: meetings, ``periods_used``, ``available_periods`` (teaching days times the periods of
the daily grid, less the periods booked by other units), ``utilisation_percent`` (used over
available), ``mean_seat_fit_percent`` (students attending over seats, averaged over the
periods used) and ``lowest_seat_fit_percent`` (the emptiest meeting).

Compliance (one row per programme, then ``(all programmes)``), the Ministry's one-third rule
as :mod:`scheduler.views.compliance` computes it: a student's ``core_courses`` and ``hours``
(contact periods) in the plan, averaged over the programme's groups weighted by students; the
part FEFU's teachers teach in the timetable (``fefu_core_courses``, ``fefu_hours``; a course
of several teachers split evenly); FEFU's share (``fefu_core_percent``,
``fefu_hours_percent``) and whether it reaches one third (``core_third_met``,
``hours_third_met``; blank without core courses).

Online (only when some meeting is taught online from Vladivostok): per course and per visiting
teacher, ``online_periods`` out of ``periods`` (a course's contact periods, the periods a
visitor teaches) and ``online_share_percent``.

Percentages are rounded to one decimal; a figure that does not apply is ``None`` (a blank CSV
cell). The tables people read (:meth:`Kpis.text`) are labelled in the reader's language; the
CSV files keep the column names above for programs.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.atomic import atomic_directory
from scheduler.availability import Availability
from scheduler.calendar import TermCalendar
from scheduler.errors import InputError, Problem
from scheduler.formulas import escape_formula
from scheduler.i18n import N_, Language, translator
from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable
from scheduler.views.compliance import ProgrammeShare, compliance
from scheduler.views.online import online_by_visitor, online_uses
from scheduler.views.subjects import ancestors, descendants
from scheduler.views.visitors import trip_facts


@dataclass(frozen=True)
class CohortKpis:
    """Key figures of one cohort (see the module docstring for each)."""

    cohort_id: str
    program: str
    parent: str
    subgroups: int
    students: int
    meetings: int
    periods: int
    teaching_days: int
    idle_periods: int
    single_meeting_days: int
    max_periods_per_day: int
    evening_periods: int
    building_changes: int


@dataclass(frozen=True)
class TeacherKpis:
    """Key figures of one teacher; the trip figures are ``None`` for non-visitors."""

    teacher_id: str
    name: str
    institution: str
    visiting: bool
    courses: int
    meetings: int
    periods: int
    teaching_days: int
    max_periods_per_day: int
    max_periods_per_week: int
    trips: int | None = None
    days_on_campus: int | None = None
    teachable_days: int | None = None
    idle_days: int | None = None
    teaching_share_percent: float | None = None


@dataclass(frozen=True)
class RoomKpis:
    """Key figures of one room; the percentages are ``None`` when they do not apply."""

    room_id: str
    building: str
    room_type: str
    capacity: int
    meetings: int
    periods_used: int
    available_periods: int
    utilisation_percent: float | None
    mean_seat_fit_percent: float | None
    lowest_seat_fit_percent: float | None


@dataclass(frozen=True)
class OnlineKpis:
    """Periods taught online from Vladivostok by one course or one visiting teacher, out of
    the periods it has (a course: its contact periods; a visitor: the periods they teach)."""

    kind: str
    subject_id: str
    online_periods: int
    periods: int
    online_share_percent: float | None


ONLINE_FILE = "online_kpis.csv"
"""Where :func:`write_kpis` writes the online figures (only when some meeting is online)."""


@dataclass(frozen=True)
class ComplianceKpis:
    """FEFU's share of the core courses and of the teaching hours of one programme, or of
    all (``program`` is ``ALL_PROGRAMMES``), against the one-third line
    (:mod:`scheduler.views.compliance`): the figures of a student, averaged over the
    programme's groups weighted by students."""

    program: str
    groups: int
    students: int
    core_courses: float
    fefu_core_courses: float
    fefu_core_percent: float | None
    core_third_met: bool | None
    hours: float
    fefu_hours: float
    fefu_hours_percent: float | None
    hours_third_met: bool | None


ALL_PROGRAMMES = "(all programmes)"
"""The ``program`` of the compliance row over every programme."""

KPI_TABLES: dict[str, tuple[str, str]] = {
    "cohorts": (N_("Cohorts"), "cohort_kpis.csv"),
    "teachers": (N_("Teachers"), "teacher_kpis.csv"),
    "rooms": (N_("Rooms"), "room_kpis.csv"),
    "compliance": (N_("FEFU's share against the one-third rule"), "compliance.csv"),
}
"""Each table of :class:`Kpis`: its title (English; :func:`kpi_title` gives it in the reader's
language) and the CSV file :func:`write_kpis` writes it to."""

COMPACT_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "cohorts": (("cohort_id", N_("cohort")), ("students", N_("students")),
                ("meetings", N_("meetings")), ("periods", N_("periods")),
                ("teaching_days", N_("days")), ("idle_periods", N_("idle")),
                ("single_meeting_days", N_("days with one meeting")),
                ("max_periods_per_day", N_("max a day")), ("evening_periods", N_("evening")),
                ("building_changes", N_("extra buildings"))),
    "teachers": (("teacher_id", N_("teacher")), ("meetings", N_("meetings")),
                 ("periods", N_("periods")), ("teaching_days", N_("days")),
                 ("max_periods_per_day", N_("max a day")),
                 ("max_periods_per_week", N_("max a calendar week")), ("trips", N_("trips")),
                 ("days_on_campus", N_("days on campus")),
                 ("teachable_days", N_("teachable days")), ("idle_days", N_("idle days")),
                 ("teaching_share_percent", N_("taught %"))),
    "rooms": (("room_id", N_("room")), ("room_type", N_("type")), ("capacity", N_("seats")),
              ("meetings", N_("meetings")), ("periods_used", N_("periods used")),
              ("available_periods", N_("available")), ("utilisation_percent", N_("used %")),
              ("mean_seat_fit_percent", N_("seat fit %")),
              ("lowest_seat_fit_percent", N_("lowest fit %"))),
    "compliance": (("program", N_("programme")), ("students", N_("students")),
                   ("core_courses", N_("core courses")),
                   ("fefu_core_courses", N_("core by FEFU")),
                   ("fefu_core_percent", N_("core FEFU %")), ("core_third_met", N_("core ≥ ⅓")),
                   ("hours", N_("hours")), ("fefu_hours", N_("hours by FEFU")),
                   ("fefu_hours_percent", N_("hours FEFU %")),
                   ("hours_third_met", N_("hours ≥ ⅓"))),
}
"""The figures shown on a terminal (field, short label); the CSV files hold every column."""


def kpi_title(table: str, lang: Language = "en") -> str:
    """The title of ``cohorts``, ``teachers`` or ``rooms`` in the reader's language."""
    return translator(lang)(KPI_TABLES[table][0])

_ROW_TYPES: dict[str, type] = {"cohorts": CohortKpis, "teachers": TeacherKpis,
                               "rooms": RoomKpis, "compliance": ComplianceKpis}


def kpi_columns(table: str) -> tuple[str, ...]:
    """Column names of one table (``cohorts``, ``teachers`` or ``rooms``), in order."""
    return tuple(f.name for f in fields(_ROW_TYPES[table]))


@dataclass(frozen=True)
class Kpis:
    """Key figures of a timetable: one row per cohort, teacher and room, in instance order,
    and one per programme (and over all) against the one-third rule."""

    cohorts: tuple[CohortKpis, ...]
    teachers: tuple[TeacherKpis, ...]
    rooms: tuple[RoomKpis, ...]
    compliance: tuple[ComplianceKpis, ...] = ()
    online: tuple[OnlineKpis, ...] = ()
    """Per course, then per visitor, with online meetings (empty when none is online)."""

    def online_text(self) -> tuple[list[str], list[list[str]]]:
        """The online figures as text for people: (header, rows)."""
        header = [f.name for f in fields(OnlineKpis)]
        return header, [[_text(v) for v in astuple(r)] for r in self.online]

    def rows(self, table: str) -> tuple[Any, ...]:
        """The rows of ``cohorts``, ``teachers``, ``rooms`` or ``compliance``."""
        if table not in KPI_TABLES:
            raise ValueError(f"Expected table in {', '.join(KPI_TABLES)}, got {table!r}")
        return getattr(self, table)

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a DataFrame (``None`` where a figure does not apply)."""
        return pd.DataFrame([astuple(r) for r in self.rows(table)],
                            columns=list(kpi_columns(table)), dtype=object)

    def text(self, table: str, compact: bool = False,
             lang: Language = "en") -> tuple[list[str], list[list[str]]]:
        """One table as text for people: (header, rows); blank where a figure does not
        apply, yes/no for flags, percentages with one decimal.

        ``compact`` keeps the figures of :data:`COMPACT_COLUMNS` under short labels in the
        reader's language ``lang``, for a terminal; otherwise every column, named as in the
        CSV file.
        """
        rows = self.rows(table)
        if not compact:
            return list(kpi_columns(table)), [[_text(v) for v in astuple(r)] for r in rows]
        tr = translator(lang)
        chosen = COMPACT_COLUMNS[table]
        return ([tr(label) for _, label in chosen],
                [[_text(getattr(r, name), lang) for name, _ in chosen] for r in rows])

    def caption(self, table: str, lang: Language = "en") -> str:
        """What a reader needs to know below a table (empty when nothing), in ``lang``."""
        tr = translator(lang)
        if table == "cohorts":
            note = tr("extra buildings: buildings used on a day beyond the first, summed over "
                      "days (A, then B, then A again counts 1).")
            if any(r.subgroups for r in self.cohorts):
                note += " " + tr("A cohort with sub-groups shows in each column the largest "
                                 "figure among its sub-groups (students: their sum), so its "
                                 "row is not added to theirs in a total.")
            return note
        if table == "compliance" and self.compliance:
            return tr("Per student of the programme's groups (weighted by students): core "
                      "courses and teaching hours (periods) of the plan, and the part FEFU's "
                      "teachers teach in the timetable; ≥ ⅓: the Ministry's one-third line.")
        return ""


def _text(value: Any, lang: Language = "en") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        tr = translator(lang).brief
        return tr("yes") if value else tr("no")
    if isinstance(value, float):
        return translator(lang).brief.decimal(value)
    if value == ALL_PROGRAMMES:
        tr = translator(lang).brief
        return tr("(all programmes)")
    return str(value)


def _percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _check_references(instance: Instance, timetable: Timetable) -> None:
    """Raise :class:`InputError` naming every meeting of an unknown course or room."""
    problems = []
    for m in timetable.meetings:
        when = f"{m.date.isoformat()} periods {m.first_period}-{m.last_period}"
        if m.course_id not in instance.course_by_id:
            problems.append(Problem("timetable", f"the meeting on {when} names unknown course "
                                    f"'{m.course_id}'", "use a course id of the instance"))
        if m.room_id not in instance.room_by_id:
            problems.append(Problem("timetable", f"{m.course_id} on {when} is in unknown room "
                                    f"'{m.room_id}'", "use a room id of the instance"))
    if problems:
        raise InputError(problems)


def _slots(meetings: Iterable[Meeting]) -> dict[dt.date, set[int]]:
    """Periods with a class, by date."""
    taught: dict[dt.date, set[int]] = defaultdict(set)
    for m in meetings:
        taught[m.date].update(m.periods)
    return taught


def _cohort_row(instance: Instance, cohort_id: str, meetings: Sequence[Meeting],
                grid: Sequence[int], evening: set[int]) -> CohortKpis:
    cohort = instance.cohort_by_id[cohort_id]
    building = {r.id: r.building for r in instance.rooms}
    slots = _slots(meetings)
    by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
    for m in meetings:
        by_day[m.date].append(m)
    idle = sum(1 for taught in slots.values() for p in grid
               if min(taught) < p < max(taught) and p not in taught)
    return CohortKpis(
        cohort_id=cohort.id,
        program=cohort.program,
        parent=cohort.parent or "",
        subgroups=len(instance.subgroups_of(cohort.id)),
        students=cohort.size,
        meetings=len(meetings),
        periods=sum(len(s) for s in slots.values()),
        teaching_days=len(slots),
        idle_periods=idle,
        single_meeting_days=sum(len(ms) == 1 for ms in by_day.values()),
        max_periods_per_day=max((len(s) for s in slots.values()), default=0),
        evening_periods=sum(len(s & evening) for s in slots.values()),
        building_changes=sum(len({building[m.room_id] for m in ms}) - 1
                             for ms in by_day.values()),
    )


_LARGEST = ("meetings", "periods", "teaching_days", "idle_periods", "single_meeting_days",
            "max_periods_per_day", "evening_periods", "building_changes")
"""The figures a cohort with sub-groups takes from its sub-groups (the largest of each)."""


def cohort_kpis(instance: Instance, timetable: Timetable) -> tuple[CohortKpis, ...]:
    """One row per cohort, in instance order (see the module docstring)."""
    by_course: dict[str, list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        by_course[m.course_id].append(m)
    courses_of: dict[str, list[str]] = defaultdict(list)
    for course in instance.courses:
        for cid in course.cohorts:
            courses_of[cid].append(course.id)
    grid = sorted(p.number for p in instance.periods)
    evening = {p.number for p in instance.periods if p.session == "evening"}
    rows: dict[str, CohortKpis] = {}
    for cohort in instance.cohorts:
        if instance.subgroups_of(cohort.id):
            continue
        attended = {c for cid in (cohort.id, *ancestors(instance, cohort.id))
                    for c in courses_of.get(cid, ())}
        mine = sorted(m for c in attended for m in by_course.get(c, ()))
        rows[cohort.id] = _cohort_row(instance, cohort.id, mine, grid, evening)
    for cohort in instance.cohorts:
        if cohort.id not in rows:
            own = _cohort_row(instance, cohort.id, (), grid, evening)
            leaves = [rows[c] for c in descendants(instance, cohort.id) if c in rows]
            rows[cohort.id] = replace(own, **{
                name: max((getattr(r, name) for r in leaves), default=getattr(own, name))
                for name in _LARGEST})
    return tuple(rows[c.id] for c in instance.cohorts)


def teacher_kpis(instance: Instance, timetable: Timetable,
                 calendar: TermCalendar | None = None) -> tuple[TeacherKpis, ...]:
    """One row per teacher, in instance order (see the module docstring)."""
    trips: dict[str, list[Any]] = defaultdict(list)
    for trip in trip_facts(instance.with_trips(timetable.trips), timetable, calendar):
        trips[trip.teacher_id].append(trip)
    rows = []
    for teacher in instance.teachers:
        courses = {c.id for c in instance.courses if teacher.id in c.teachers}
        mine = [m for m in timetable.meetings if m.course_id in courses]
        slots = _slots(mine)
        weekly: Counter[int] = Counter()
        for day, taught in slots.items():
            weekly[instance.term.week_of(day)] += len(taught)
        visit: dict[str, Any] = {}
        if teacher.visiting:
            own = trips.get(teacher.id, [])
            teachable = sum(len(t.teachable_days) for t in own)
            visit = {"trips": len(own),
                     "days_on_campus": sum(t.days_in_china for t in own),
                     "teachable_days": teachable,
                     "idle_days": sum(len(t.idle_days) for t in own),
                     "teaching_share_percent": _percent(sum(len(t.teaching_days) for t in own),
                                                        teachable)}
        rows.append(TeacherKpis(
            teacher_id=teacher.id,
            name=teacher.name,
            institution=teacher.institution,
            visiting=teacher.visiting,
            courses=len(courses),
            meetings=len(mine),
            periods=sum(len(s) for s in slots.values()),
            teaching_days=len(slots),
            max_periods_per_day=max((len(s) for s in slots.values()), default=0),
            max_periods_per_week=max(weekly.values(), default=0),
            **visit,
        ))
    return tuple(rows)


def room_kpis(instance: Instance, timetable: Timetable,
              calendar: TermCalendar | None = None) -> tuple[RoomKpis, ...]:
    """One row per room, in instance order (see the module docstring)."""
    calendar = calendar or TermCalendar(instance)
    availability = Availability(instance)
    grid = sorted(p.number for p in instance.periods)
    by_room: dict[str, list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        by_room[m.room_id].append(m)
    rows = []
    for room in instance.rooms:
        mine = by_room.get(room.id, [])
        available = sum(availability.room_free(room.id, day, p)
                        for day in calendar.days for p in grid)
        used = sum(len(s) for s in _slots(mine).values())
        fits = [(instance.course_size(instance.course_by_id[m.course_id]) / room.capacity,
                 m.length) for m in mine]
        seat_periods = sum(f * length for f, length in fits)
        periods = sum(length for _, length in fits)
        rows.append(RoomKpis(
            room_id=room.id,
            building=room.building,
            room_type=room.room_type,
            capacity=room.capacity,
            meetings=len(mine),
            periods_used=used,
            available_periods=available,
            utilisation_percent=_percent(used, available),
            mean_seat_fit_percent=_percent(seat_periods, periods),
            lowest_seat_fit_percent=round(100 * min(f for f, _ in fits), 1) if fits else None,
        ))
    return tuple(rows)


def online_kpis(instance: Instance, timetable: Timetable) -> tuple[OnlineKpis, ...]:
    """The courses, then the visitors, with meetings taught online (in instance order)."""
    rows = [OnlineKpis("course", u.course_id, u.periods, u.contact_periods, u.share_percent)
            for u in online_uses(instance, timetable)]
    rows += [OnlineKpis("visitor", teacher_id, online, taught, _percent(online, taught))
             for teacher_id, (online, taught) in online_by_visitor(instance, timetable).items()]
    return tuple(rows)


def compliance_kpis(instance: Instance, timetable: Timetable) -> tuple[ComplianceKpis, ...]:
    """One row per programme (in instance order), then one over all programmes."""
    shares = compliance(instance, timetable)

    def row(share: ProgrammeShare) -> ComplianceKpis:
        return ComplianceKpis(
            program=share.program or ALL_PROGRAMMES, groups=share.groups,
            students=share.students, core_courses=round(float(share.core_courses), 1),
            fefu_core_courses=round(float(share.partner_core_courses), 1),
            fefu_core_percent=share.core_share_percent, core_third_met=share.meets_core,
            hours=round(float(share.hours), 1),
            fefu_hours=round(float(share.partner_hours), 1),
            fefu_hours_percent=share.hours_share_percent, hours_third_met=share.meets_hours)

    return (*(row(p) for p in shares.programmes), row(shares.overall))


def timetable_kpis(instance: Instance, timetable: Timetable) -> Kpis:
    """Key figures of ``timetable`` per cohort, teacher and room, and against the one-third
    rule per programme.

    Raises :class:`InputError` when a meeting names a course or room the instance lacks. The
    timetable need not be valid otherwise: the figures describe whatever it holds.
    """
    _check_references(instance, timetable)
    calendar = TermCalendar(instance)
    return Kpis(cohorts=cohort_kpis(instance, timetable),
                teachers=teacher_kpis(instance, timetable, calendar),
                rooms=room_kpis(instance, timetable, calendar),
                compliance=compliance_kpis(instance, timetable),
                online=online_kpis(instance, timetable))


def write_kpis(kpis: Kpis, folder: str | Path, excel_bom: bool = False) -> list[Path]:
    """Write ``cohort_kpis.csv``, ``teacher_kpis.csv``, ``room_kpis.csv`` and
    ``compliance.csv`` into ``folder`` (and ``online_kpis.csv`` when some meeting is taught
    online).

    UTF-8 (with the BOM Excel needs when ``excel_bom``); blank cells where a figure does not
    apply, ``yes``/``no`` for flags; text that a spreadsheet would read as a formula gets a
    leading apostrophe. The files appear together or not at all. Returns their paths.
    """
    folder = Path(folder)
    files = [file for _, file in KPI_TABLES.values()]
    with atomic_directory(folder) as staging:
        for table, (_, file) in KPI_TABLES.items():
            _write_rows(staging / file, kpi_columns(table), kpis.rows(table), excel_bom)
        if kpis.online:
            _write_rows(staging / ONLINE_FILE, tuple(f.name for f in fields(OnlineKpis)),
                        kpis.online, excel_bom)
            files.append(ONLINE_FILE)
    return [folder / file for file in files]


def _write_rows(path: Path, columns: tuple[str, ...], rows: Sequence[Any],
                excel_bom: bool) -> None:
    with path.open("w", encoding="utf-8-sig" if excel_bom else "utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(v) for v in astuple(r)] for r in rows)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape_formula(value)

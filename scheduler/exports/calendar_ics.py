"""iCalendar (``.ics``) files per teacher, cohort and interpreter, for phone calendars.

Each meeting is one event at its real date and clock times in the term's time zone
(Asia/Shanghai), with a VTIMEZONE component so that every calendar program places it right.
An event's UID is the meeting's identity: the term, the course and the meeting's number among
the course's meetings in time order (:func:`meeting_numbers`). A re-solve that moves a meeting
(another date, periods or room) or changes its interpreter keeps its UID, so re-importing the
updated calendar moves the event instead of leaving the old one beside a new one; the same
meeting has the same UID in the teacher's and the cohort's file. Descriptions are in the
reader's language; a visiting teacher's file also gives each meeting's clock times in
Chongqing and in Vladivostok.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from scheduler.atomic import write_bytes_atomic
from scheduler.i18n import N_, Language, language_name, translator
from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable, teaching_week
from scheduler.views.subjects import (
    SubjectKind,
    attending_group,
    building_name,
    course_name,
    meetings_of,
    room_name,
    subject_ids,
    subject_name,
    teacher_name,
)
from scheduler.views.text import safe_filename
from scheduler.views.visitors import visitor_clocks

PRODID = "-//CQUPT-FEFU Joint Institute//timetable scheduler//EN"
UID_DOMAIN = "timetable.cqupt-fefu"
CALENDAR_KINDS: tuple[SubjectKind, ...] = ("teacher", "cohort", "interpreter")
DELIVERIES = (N_("weekly"), N_("intensive"))
"""A course's delivery, as a description names it in the reader's language."""

def meeting_numbers(timetable: Timetable) -> dict[Meeting, int]:
    """Each meeting's number among its course's meetings in time order (date, then period),
    from 1: with the term and the course, its identity in the calendars."""
    numbers: dict[Meeting, int] = {}
    counted: Counter[str] = Counter()
    for meeting in timetable.meetings:
        if meeting not in numbers:
            counted[meeting.course_id] += 1
            numbers[meeting] = counted[meeting.course_id]
    return numbers


def meeting_uid(instance: Instance, course_id: str, number: int) -> str:
    """A stable, globally unique id of the ``number``-th meeting of a course in the term:
    ``m<number>-`` and the first 16 hex digits of SHA-256 of
    ``"<term name>|<term's first date>|<course>|<number>"``."""
    term = instance.term
    key = f"{term.name}|{term.first_date.isoformat()}|{course_id}|{number}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"m{number}-{digest}@{UID_DOMAIN}"


def _names(instance: Instance, ids: tuple[str, ...], lang: Language) -> str:
    return ", ".join(teacher_name(instance, t, lang) for t in ids)


def _clock_times(instance: Instance, day: dt.date, start: dt.time, end: dt.time,
                 lang: Language) -> str:
    """``08:00-09:35 Chongqing (UTC+8) = 10:00-11:35 Vladivostok (UTC+10)``."""
    tr = translator(lang).brief
    return " = ".join(
        tr("{start}-{end} {place} ({offset})").format(
            start=f"{c.time(instance, day, start):%H:%M}",
            end=f"{c.time(instance, day, end):%H:%M}",
            place=tr(c.place), offset=c.utc_offset(day))
        for c in visitor_clocks(instance))


VIDEO_LINK_PLACEHOLDER = "<video link>"
"""Where an online meeting's description gives the room's video link (the office fills it)."""


def meeting_event(instance: Instance, meeting: Meeting, number: int, stamp: dt.datetime,
                  group: str | None = None, lang: Language = "en",
                  two_clocks: bool = False) -> Event:
    """The calendar event of the ``number``-th meeting of its course (``group`` tags a
    sub-group's meeting), described in ``lang``; ``two_clocks`` adds its times in Chongqing
    and Vladivostok (for visitors)."""
    tr = translator(lang).brief
    zone = ZoneInfo(instance.term.timezone)
    course = instance.course_by_id.get(meeting.course_id)
    room = instance.room_by_id.get(meeting.room_id)
    first = instance.period_by_number.get(meeting.first_period)
    last = instance.period_by_number.get(meeting.last_period)
    start_time = first.start if first else dt.time(8)
    end_time = last.end if last else dt.time(9)
    title = course_name(instance, meeting.course_id, lang)
    if group:
        title = f"[{group}] {title}"
    location = meeting.room_id
    if room is not None:
        label = room_name(room, lang)
        building = building_name(room, lang)
        location = f"{label}, {building}" if building else label
    interpreter = instance.interpreter_by_id.get(meeting.interpreter_id or "")
    lines = [
        tr("Course: {course} ({delivery}, language {language})").format(
            course=meeting.course_id, delivery=tr(course.delivery),
            language=language_name(course.language, lang))
        if course else tr("Course: {course}").format(course=meeting.course_id),
        tr("Week {week}, periods {first}-{last}").format(
            week=teaching_week(instance, meeting.date), first=meeting.first_period,
            last=meeting.last_period),
        tr("Room: {room}").format(room=location),
    ]
    if two_clocks:
        lines.append(tr("Time: {times}").format(
            times=_clock_times(instance, meeting.date, start_time, end_time, lang)))
    if course is not None:
        lines.append(tr.ngettext("Cohort: {cohorts}", "Cohorts: {cohorts}",
                                 len(course.cohorts)).format(cohorts=", ".join(course.cohorts)))
        lines.append(tr.ngettext("Teacher: {teachers}", "Teachers: {teachers}",
                                 len(course.teachers)).format(
            teachers=_names(instance, course.teachers, lang)))
    if meeting.interpreter_id:
        lines.append(tr("Interpreter: {interpreter}").format(
            interpreter=interpreter.name if interpreter else meeting.interpreter_id))
    if meeting.online:
        lines.append(tr("Online from Vladivostok: join the room's video link {link}").format(
            link=VIDEO_LINK_PLACEHOLDER))
        if not two_clocks:
            lines.append(tr("Time: {times}").format(
                times=_clock_times(instance, meeting.date, start_time, end_time, lang)))
    event = Event()
    event.add("uid", meeting_uid(instance, meeting.course_id, number))
    event.add("dtstamp", stamp)
    event.add("dtstart", dt.datetime.combine(meeting.date, start_time, tzinfo=zone))
    event.add("dtend", dt.datetime.combine(meeting.date, end_time, tzinfo=zone))
    event.add("summary", f"{title} ({tr('online')})" if meeting.online else title)
    event.add("location", location)
    event.add("description", "\n".join(lines))
    if course is not None:
        event.add("categories", [course.delivery])
    return event


def subject_calendar(instance: Instance, timetable: Timetable, kind: SubjectKind,
                     subject_id: str, stamp: dt.datetime | None = None,
                     lang: Language = "en",
                     numbers: Mapping[Meeting, int] | None = None) -> Calendar:
    """The calendar of one teacher, cohort or interpreter: an event per meeting, described
    in ``lang`` (a visiting teacher's with the times in Chongqing and Vladivostok).
    ``numbers``: :func:`meeting_numbers` of ``timetable``, when already known."""
    numbers = numbers if numbers is not None else meeting_numbers(timetable)
    teacher = instance.teacher_by_id.get(subject_id) if kind == "teacher" else None
    two_clocks = teacher is not None and teacher.visiting
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    name = subject_name(instance, kind, subject_id, lang)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{name} — {instance.term.name}")
    calendar.add("x-wr-timezone", instance.term.timezone)
    for meeting in meetings_of(instance, timetable, kind, subject_id):
        course = instance.course_by_id.get(meeting.course_id)
        group = (attending_group(instance, course, subject_id)
                 if kind == "cohort" and course is not None else None)
        calendar.add_component(meeting_event(instance, meeting, numbers[meeting], stamp,
                                             group, lang, two_clocks))
    term = instance.term
    calendar.add_missing_timezones(first_date=dt.date(term.first_date.year, 1, 1),
                                   last_date=dt.date(term.last_date.year + 1, 1, 1))
    return calendar


def write_calendars(instance: Instance, timetable: Timetable, folder: str | Path,
                    kinds: tuple[SubjectKind, ...] = CALENDAR_KINDS,
                    stamp: dt.datetime | None = None, lang: Language = "en") -> list[Path]:
    """Write ``<kind>-<id>.ics`` for every teacher, cohort and interpreter with meetings,
    described in ``lang``."""
    folder = Path(folder)
    written = []
    numbers = meeting_numbers(timetable)
    for kind in kinds:
        for subject in subject_ids(instance, kind):
            if not meetings_of(instance, timetable, kind, subject):
                continue
            path = folder / f"{kind}-{safe_filename(subject)}.ics"
            calendar = subject_calendar(instance, timetable, kind, subject, stamp, lang,
                                        numbers)
            write_bytes_atomic(path, calendar.to_ical())
            written.append(path)
    return written

"""Courses that cannot meet at all: every possible meeting fails a rule of its own."""

from __future__ import annotations

from scheduler.availability import Availability
from scheduler.calendar import TermCalendar
from scheduler.explain import words
from scheduler.explain.conflict import Conflict
from scheduler.explain.obstacles import blocking, blocking_words
from scheduler.instance import WEEKDAY_NAMES, Course, Instance
from scheduler.model.options import OptionSet

SAID_BY_OBSTACLES = ("no suitable room free", "teacher unavailable")
"""Rejections said with the bookings and absences behind them (:mod:`.obstacles`)."""


def _site_dates(instance: Instance, course: Course, calendar: TermCalendar) -> str:
    """When the course's visiting teachers can teach, and (if that misses them) its weeks."""
    parts, dates = [], set()
    for teacher_id in course.teachers:
        if not instance.teacher_by_id[teacher_id].visiting:
            continue
        spans = []
        for window in instance.windows_of(teacher_id):
            first, last = window.teaching_dates()
            spans.append(words.span(first, last))
            dates |= {d.date for d in calendar.days if first <= d.date <= last}
        who = words.teacher(instance, teacher_id)
        parts.append(f"{who} can teach only " + " or ".join(spans) if spans
                     else f"{who} has no trip")
    weeks = course.weeks
    days = calendar.days_in_weeks(weeks)
    if days and not dates & {d.date for d in days}:
        parts.append(f"its weeks {weeks.first}-{weeks.last} run "
                     f"{words.span(days[0].date, days[-1].date)}")
    return ", ".join(parts)


def _pairs(instance: Instance, course: Course) -> str:
    """The language pairs a course needs interpreted, as ``en-zh, ru-zh``."""
    return ", ".join(sorted("-".join(sorted(p)) for p in instance.interpreter_pairs(course)))


def _interpreters_busy(instance: Instance, course: Course) -> str:
    """No interpreter free: the ones who could interpret the course, and their weekdays."""
    pairs = instance.interpreter_pairs(course)
    teaching = set(instance.term.teaching_weekdays)
    able = []
    for person in instance.interpreters:
        if all(person.covers(p) for p in pairs):
            when = ("" if teaching <= set(person.available_weekdays) else
                    " (works " + (", ".join(WEEKDAY_NAMES[d] for d in person.available_weekdays)
                                  or "no day") + ")")
            able.append(words.interpreter(instance, person.id) + when)
    return (f"no interpreter covering {_pairs(instance, course)} is free whenever it could "
            f"meet: {words.join(able)}" if able else
            f"no interpreter covers {_pairs(instance, course)}")


def _reason(instance: Instance, course: Course, reason: str, calendar: TermCalendar) -> str:
    size = instance.course_size(course)
    rooms = [r for r in instance.rooms if r.room_type == course.room_type]
    if reason.startswith("no room of the type"):
        largest = max((r.capacity for r in rooms), default=0)
        return (f"{size} students attend but no '{course.room_type}' room seats them (largest "
                f"{largest})")
    if reason.startswith("no suitable room free"):
        fit = [r.id for r in rooms if r.capacity >= size]
        return (f"every '{course.room_type}' room seating {size} ({', '.join(fit)}) is booked "
                "or closed whenever the course could meet")
    if "not on site" in reason:
        return _site_dates(instance, course, calendar)
    if reason.startswith("teacher unavailable"):
        who = reason.split(": ", 1)[-1]
        return f"{who} is unavailable whenever the course could otherwise meet"
    if reason.startswith("no interpreter for"):
        return _interpreters_busy(instance, course)
    if reason.startswith("no interpreter covers"):
        return f"no interpreter covers {_pairs(instance, course)} within a meeting's length a day"
    if reason.startswith("meeting longer"):
        return (f"a meeting of {course.meeting_length} periods is longer than a teacher's "
                "daily limit")
    return reason


def no_meeting_conflicts(instance: Instance, options: OptionSet,
                         calendar: TermCalendar) -> list[Conflict]:
    """One conflict per course without any possible meeting, with the reasons why: rooms
    booked or closed and teachers absent are named with their dates and times, and for a
    weekly course whose slots are each blocked in some weeks only, the rule that makes them
    count (the same slot and room every week)."""
    conflicts = []
    busy = Availability(instance, calendar)
    for course in instance.courses:
        if options.by_course.get(course.id):
            continue
        counter = options.rejections.get(course.id)
        found = [r for r, _ in (counter.most_common() if counter else [])]
        found.sort(key=lambda r: "not on site" not in r)  # when the teacher is there, first
        obstacles, rooms = (blocking(instance, calendar, course, busy)
                            if any(r.startswith(SAID_BY_OBSTACLES) for r in found)
                            else (None, []))
        if obstacles is not None:
            found = [r for r in found if not r.startswith(SAID_BY_OBSTACLES)]
        reasons = [_reason(instance, course, r, calendar) for r in found]
        if obstacles is not None:
            site = 1 if found and "not on site" in found[0] else 0
            reasons[site:site] = blocking_words(instance, course, obstacles, rooms)
        reasons = list(dict.fromkeys(reasons)) or ["no teaching day or block fits"]
        sentence = (f"{words.course(instance, course.id)} cannot meet at all: "
                    + "; ".join(reasons) + ".")
        interpreters = any(r.startswith("no interpreter") for r in found)
        conflicts.append(Conflict(
            "no possible meeting", sentence, (sentence,),
            "free a room, a teacher or an interpreter, or change the course's weeks"
            if interpreters else "free a room or a teacher, or change the course's weeks",
            courses=(course.id,),
            teachers=course.teachers, cohorts=course.cohorts,
            rooms=tuple(r.id for r in instance.rooms if r.room_type == course.room_type)))
    return conflicts

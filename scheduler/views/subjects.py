"""Whom a view is about (a cohort, teacher, room or interpreter) and which meetings concern them.

A cohort attends the courses of its own, of its parent cohorts and, for a view of the whole
cohort, of its sub-groups (those meetings are tagged with the sub-group). Students of a
sub-group read the sub-group's view, which leaves out the other sub-groups' meetings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from scheduler.errors import InputError, Problem
from scheduler.i18n import Language
from scheduler.instance import Course, Instance, Room
from scheduler.timetable import Meeting, Timetable, teaching_week

SubjectKind = Literal["cohort", "teacher", "room", "interpreter"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("cohort", "teacher", "room", "interpreter")


def subject_ids(instance: Instance, kind: SubjectKind) -> tuple[str, ...]:
    """Ids of every cohort, teacher, room or interpreter, in instance order."""
    ids = {"cohort": lambda: [c.id for c in instance.cohorts],
           "teacher": lambda: [t.id for t in instance.teachers],
           "room": lambda: [r.id for r in instance.rooms],
           "interpreter": lambda: [i.id for i in instance.interpreters]}[kind]
    return tuple(ids())


def check_subjects(instance: Instance, kind: SubjectKind, ids: tuple[str, ...]) -> None:
    """Raise :class:`InputError` naming every id that is not a known ``kind``."""
    known = subject_ids(instance, kind)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise InputError([Problem(kind, f"unknown {kind} '{i}'",
                                  f"give one of: {', '.join(known)}") for i in unknown])


def subject_name(instance: Instance, kind: SubjectKind, subject_id: str,
                 lang: Language = "en") -> str:
    """A person's or room's name as people know it, in the reader's language where the
    instance gives one (the id when there is no name)."""
    if kind == "teacher" and subject_id in instance.teacher_by_id:
        return teacher_name(instance, subject_id, lang)
    if kind == "interpreter" and subject_id in instance.interpreter_by_id:
        return instance.interpreter_by_id[subject_id].name
    if kind == "room" and subject_id in instance.room_by_id:
        return room_name(instance.room_by_id[subject_id], lang)
    return subject_id


def course_name(instance: Instance, course_id: str, lang: Language = "en") -> str:
    """A course's name in the reader's language (its ``name_<lang>``), else its name, else
    its id."""
    course = instance.course_by_id.get(course_id)
    return course.names.get(lang, course.name) if course else course_id


def teacher_name(instance: Instance, teacher_id: str, lang: Language = "en") -> str:
    """A teacher's name in the reader's language, else their name, else their id."""
    teacher = instance.teacher_by_id.get(teacher_id)
    return teacher.names.get(lang, teacher.name) if teacher else teacher_id


def room_name(room: Room, lang: Language = "en") -> str:
    """A room's display name in the reader's language, else its name, else its id."""
    return room.names.get(lang, room.name or room.id)


def building_name(room: Room, lang: Language = "en") -> str:
    """The room's building in the reader's language, else as the instance writes it."""
    return room.building_names.get(lang, room.building)


def ancestors(instance: Instance, cohort_id: str) -> tuple[str, ...]:
    """Parent cohorts of a cohort, nearest first."""
    found: list[str] = []
    cohort = instance.cohort_by_id.get(cohort_id)
    while cohort is not None and cohort.parent is not None and cohort.parent not in found:
        found.append(cohort.parent)
        cohort = instance.cohort_by_id.get(cohort.parent)
    return tuple(found)


def descendants(instance: Instance, cohort_id: str) -> tuple[str, ...]:
    """Sub-groups of a cohort, and theirs, in instance order."""
    found: list[str] = []
    todo = [cohort_id]
    while todo:
        for sub in instance.subgroups_of(todo.pop()):
            if sub.id not in found:
                found.append(sub.id)
                todo.append(sub.id)
    return tuple(c.id for c in instance.cohorts if c.id in found)


def attending_group(instance: Instance, course: Course, cohort_id: str) -> str | None:
    """The sub-group through which ``cohort_id`` attends ``course`` (None when it attends
    as a whole, or through a parent cohort)."""
    if cohort_id in course.cohorts or set(ancestors(instance, cohort_id)) & set(course.cohorts):
        return None
    subs = descendants(instance, cohort_id)
    return next((c for c in course.cohorts if c in subs), None)


def meetings_of(instance: Instance, timetable: Timetable, kind: SubjectKind,
                subject_id: str) -> tuple[Meeting, ...]:
    """The meetings in the view of one cohort, teacher, room or interpreter, in time order: a
    room's or interpreter's own; a teacher's courses'; the courses of a cohort, its parent
    cohorts and its sub-groups."""
    if kind == "room":
        return tuple(m for m in timetable.meetings if m.room_id == subject_id)
    if kind == "interpreter":
        return tuple(m for m in timetable.meetings if m.interpreter_id == subject_id)
    if kind == "teacher":
        courses = {c.id for c in instance.courses if subject_id in c.teachers}
    else:
        family = {subject_id, *ancestors(instance, subject_id),
                  *descendants(instance, subject_id)}
        courses = {c.id for c in instance.courses if family & set(c.cohorts)}
    return tuple(m for m in timetable.meetings if m.course_id in courses)


class SubjectMeetings:
    """The meetings in the view of every cohort, teacher, room and interpreter, indexed once
    (:func:`meetings_of` reads the whole timetable for each): for writers that show them
    all."""

    def __init__(self, instance: Instance, timetable: Timetable) -> None:
        self._instance = instance
        self._meetings = timetable.meetings
        self._at: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, m in enumerate(timetable.meetings):
            self._at[("course", m.course_id)].append(position)
            self._at[("room", m.room_id)].append(position)
            if m.interpreter_id:
                self._at[("interpreter", m.interpreter_id)].append(position)
        self._courses: dict[tuple[str, str], list[str]] = defaultdict(list)
        for course in instance.courses:
            for teacher in course.teachers:
                self._courses[("teacher", teacher)].append(course.id)
            for cohort in course.cohorts:
                self._courses[("cohort", cohort)].append(course.id)

    def of(self, kind: SubjectKind, subject_id: str) -> tuple[Meeting, ...]:
        """What :func:`meetings_of` gives, in the same (timetable) order."""
        if kind in ("room", "interpreter"):
            positions = self._at.get((kind, subject_id), [])
        else:
            owners = {subject_id} if kind == "teacher" else {
                subject_id, *ancestors(self._instance, subject_id),
                *descendants(self._instance, subject_id)}
            courses = {c for owner in owners for c in self._courses.get((kind, owner), ())}
            positions = sorted(p for c in courses for p in self._at.get(("course", c), ()))
        return tuple(self._meetings[p] for p in positions)


def timetable_day(instance: Instance, day: dt.date) -> tuple[int, int]:
    """Weekday and teaching week whose timetable ``day`` holds (the followed ones on an
    adjusted workday)."""
    for adjusted in instance.adjusted_workdays:
        if adjusted.date == day:
            return adjusted.follows_weekday, teaching_week(instance, day)
    return day.weekday(), teaching_week(instance, day)

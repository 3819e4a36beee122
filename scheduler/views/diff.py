"""What changed between two timetables of one instance, and for whom.

Meetings are matched course by course. A meeting held in both timetables at the same date,
periods and room is unchanged, or (with another interpreter) has a new ``interpreter``. The
other meetings of a course are paired in time order, the first left in the old timetable with
the first left in the new one, the old meetings on a holiday of the instance (a new holiday:
they cannot be held) last: each pair is a meeting ``moved`` (its date, periods or room
changed); what is left over was ``removed`` (only in the old timetable) or ``added`` (only in
the new one). Each change concerns the cohorts that attend the course (with their sub-groups
and parent cohorts, as their weekly grids show it), its teachers and its interpreters, old and
new: :meth:`TimetableDiff.for_subjects` lists it under each of them, so that the academic office
can send everyone only their changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable
from scheduler.views.subjects import SubjectKind, ancestors, descendants

ChangeKind = Literal["moved", "added", "removed", "interpreter"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("moved", "added", "removed", "interpreter")
DIFF_SUBJECTS: tuple[SubjectKind, ...] = ("cohort", "teacher", "interpreter")
"""Whom the changes are listed for."""


@dataclass(frozen=True)
class Change:
    """One meeting of a course that changed: ``old`` in the old timetable, ``new`` in the new
    one (``None`` for a meeting added or removed)."""

    kind: ChangeKind
    course_id: str
    old: Meeting | None
    new: Meeting | None

    @property
    def when(self) -> Meeting:
        """The meeting the change is sorted by (the old one, else the new one)."""
        found = self.old or self.new
        assert found is not None
        return found

    def differs(self, field: str) -> bool:
        """True when the old and the new meeting differ in ``field`` (``date``,
        ``periods``, ``room`` or ``interpreter``), or one of them is missing."""
        if self.old is None or self.new is None:
            return True
        if field == "periods":
            return ((self.old.first_period, self.old.last_period)
                    != (self.new.first_period, self.new.last_period))
        attribute = {"date": "date", "room": "room_id", "interpreter": "interpreter_id"}[field]
        return getattr(self.old, attribute) != getattr(self.new, attribute)


@dataclass(frozen=True)
class SubjectChange:
    """A change as one cohort, teacher or interpreter sees it."""

    kind: SubjectKind
    subject_id: str
    change: Change


@dataclass(frozen=True)
class TimetableDiff:
    """The changes from one timetable to another, in time order; ``unchanged`` counts the
    meetings held alike in both."""

    changes: tuple[Change, ...]
    unchanged: int
    instance: Instance

    def count(self, kind: ChangeKind) -> int:
        return sum(c.kind == kind for c in self.changes)

    def counts(self) -> dict[str, int]:
        """Changes of each kind, and the meetings unchanged."""
        return {**{k: self.count(k) for k in CHANGE_KINDS}, "unchanged": self.unchanged}

    def concerned(self, change: Change) -> dict[SubjectKind, tuple[str, ...]]:
        """The cohorts, teachers and interpreters a change concerns."""
        course = self.instance.course_by_id.get(change.course_id)
        people = {m.interpreter_id for m in (change.old, change.new)
                  if m is not None and m.interpreter_id}
        return {"cohort": _cohorts_of(self.instance).get(change.course_id, ()),
                "teacher": course.teachers if course else (),
                "interpreter": tuple(sorted(people))}

    def for_subjects(self) -> list[SubjectChange]:
        """Each change under each cohort, teacher and interpreter it concerns: cohorts,
        teachers and interpreters in the instance's order, their changes in time order."""
        found: dict[tuple[SubjectKind, str], list[Change]] = defaultdict(list)
        for change in self.changes:
            for kind, ids in self.concerned(change).items():
                for subject in ids:
                    found[(kind, subject)].append(change)
        listed: tuple[tuple[SubjectKind, list[str]], ...] = (
            ("cohort", [c.id for c in self.instance.cohorts]),
            ("teacher", [t.id for t in self.instance.teachers]),
            ("interpreter", [i.id for i in self.instance.interpreters]))
        order = {(kind, subject): i for kind, subjects in listed
                 for i, subject in enumerate(subjects)}
        keys = sorted(found, key=lambda key: (DIFF_SUBJECTS.index(key[0]),
                                              order.get(key, len(order)), key[1]))
        return [SubjectChange(kind, subject, change)
                for kind, subject in keys for change in found[(kind, subject)]]


def _cohorts_of(instance: Instance) -> dict[str, tuple[str, ...]]:
    """Per course, the cohorts whose weekly grid shows it (instance order)."""
    found: dict[str, list[str]] = defaultdict(list)
    for cohort in instance.cohorts:
        family = {cohort.id, *ancestors(instance, cohort.id), *descendants(instance, cohort.id)}
        for course in instance.courses:
            if family & set(course.cohorts):
                found[course.id].append(cohort.id)
    return {k: tuple(v) for k, v in found.items()}


def _lost_last(meetings: list[Meeting], lost: Collection[dt.date]) -> list[Meeting]:
    """``meetings`` in time order, those on a date of ``lost`` (holidays: no meeting can be
    held there any more) last, so that pairing in that order leaves them over (removed,
    cancelled) rather than calling them moved."""
    return sorted(meetings, key=lambda m: (m.date in lost, m))


def _course_changes(course_id: str, old: list[Meeting], new: list[Meeting],
                    lost: Collection[dt.date] = ()) -> tuple[list[Change], int]:
    """The changes of one course's meetings, and how many stayed as they were (``lost``:
    dates no meeting can be held on, see :func:`_lost_last`)."""
    changes: list[Change] = []
    unchanged = 0
    old_at: dict[tuple, list[Meeting]] = defaultdict(list)
    for m in sorted(old):
        old_at[m.place].append(m)
    left_new = []
    for m in sorted(new):
        held = old_at.get(m.place)
        if not held:
            left_new.append(m)
            continue
        before = next((x for x in held if x.interpreter_id == m.interpreter_id), held[0])
        held.remove(before)
        if before.interpreter_id == m.interpreter_id:
            unchanged += 1
        else:
            changes.append(Change("interpreter", course_id, before, m))
    left_old = _lost_last([m for held in old_at.values() for m in held], lost)
    for before, after in zip(left_old, left_new, strict=False):
        changes.append(Change("moved", course_id, before, after))
    changes += [Change("removed", course_id, m, None) for m in left_old[len(left_new):]]
    changes += [Change("added", course_id, None, m) for m in left_new[len(left_old):]]
    return changes, unchanged


def timetable_diff(instance: Instance, old: Timetable, new: Timetable) -> TimetableDiff:
    """The meetings added, removed and moved from ``old`` to ``new`` (see the module)."""
    old_by: dict[str, list[Meeting]] = defaultdict(list)
    new_by: dict[str, list[Meeting]] = defaultdict(list)
    for m in old.meetings:
        old_by[m.course_id].append(m)
    for m in new.meetings:
        new_by[m.course_id].append(m)
    changes: list[Change] = []
    unchanged = 0
    lost = {h.date for h in instance.holidays}
    for course_id in sorted(set(old_by) | set(new_by)):
        found, same = _course_changes(course_id, old_by[course_id], new_by[course_id], lost)
        changes += found
        unchanged += same
    changes.sort(key=lambda c: (c.when.date, c.when.first_period, c.course_id,
                                CHANGE_KINDS.index(c.kind)))
    return TimetableDiff(tuple(changes), unchanged, instance)


def subject_counts(diff: TimetableDiff) -> list[tuple[SubjectKind, str, Counter[str]]]:
    """Per cohort, teacher and interpreter concerned, its changes of each kind."""
    counted: dict[tuple[SubjectKind, str], Counter[str]] = {}
    for item in diff.for_subjects():
        counted.setdefault((item.kind, item.subject_id), Counter())[item.change.kind] += 1
    return [(kind, subject, counts) for (kind, subject), counts in counted.items()]

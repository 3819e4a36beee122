"""Who teaches how much: an institution's share of the contact periods of a timetable.

A joint institute is held to the partner's share of the teaching (FEFU's, at the CQUPT-FEFU
Joint Institute). Every period of a meeting counts once, split evenly among the course's
teachers: a period taught by a FEFU and a CQUPT teacher together counts half for each.
"""

from __future__ import annotations

from fractions import Fraction

from scheduler.instance import Instance, Institution
from scheduler.timetable import Timetable


def teaching_share(instance: Instance, timetable: Timetable,
                   institution: Institution = "FEFU") -> float | None:
    """The share (0-1) of the timetable's contact periods that ``institution``'s teachers
    teach; ``None`` when the instance has no teacher of it or the timetable no period."""
    teachers = instance.teacher_by_id
    if not any(t.institution == institution for t in teachers.values()):
        return None
    theirs = Fraction(0)
    total = 0
    for meeting in timetable.meetings:
        course = instance.course_by_id[meeting.course_id]
        total += meeting.length
        if course.teachers:
            ours = sum(1 for t in course.teachers if teachers[t].institution == institution)
            theirs += Fraction(meeting.length * ours, len(course.teachers))
    return float(theirs / total) if total else None

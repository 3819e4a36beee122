"""Why a relaxed solve left courses out: their own impossibilities, or what they clash with."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from scheduler.explain.arithmetic import arithmetic_conflicts
from scheduler.explain.conflict import Conflict, Explanation
from scheduler.explain.explain import explain_infeasibility
from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable


@dataclass(frozen=True)
class Unplaced:
    """A course a relaxed timetable leaves out, with its contact periods and why."""

    course_id: str
    name: str
    periods: int
    explanation: Explanation
    may_fit: bool = False  # no reason found in time: a longer search may place it

    def as_dict(self) -> dict:
        return {"course_id": self.course_id, "name": self.name, "periods": self.periods,
                "may_fit": self.may_fit, "why": self.explanation.lines(),
                **self.explanation.as_dict()}


def unplaced_courses(instance: Instance, timetable: Timetable) -> list[str]:
    placed = {m.course_id for m in timetable.meetings}
    return [c.id for c in instance.courses if c.id not in placed]


def _own(conflicts: list[Conflict], course_id: str) -> list[Conflict]:
    """Counting conflicts that name the course (its own, or its teachers' loads)."""
    return [c for c in conflicts if course_id in c.courses]


def _involved(instance: Instance, explanation: Explanation) -> set[str]:
    """The courses an explanation names, and those of the teachers it names (a minimal core
    names some of a teacher's courses; the others meet the same limit), except the teachers
    of a count about one course (its rooms, its own days), which concerns that course only."""
    courses = {c for conflict in explanation.conflicts for c in conflict.courses}
    teachers = {t for conflict in explanation.conflicts for t in conflict.teachers
                if conflict.kind != "arithmetic" or len(conflict.courses) != 1}
    return courses | {c.id for c in instance.courses if teachers & set(c.teachers)}


def explain_unplaced(instance: Instance, timetable: Timetable, time_limit: float = 30.0,
                     seed: int = 0, deep: bool = True,
                     pins: Iterable[Meeting] = (),
                     explained: Explanation | None = None) -> list[Unplaced]:
    """For each course without meetings in ``timetable``, why it could not be placed.

    A counting impossibility of its own comes first; otherwise (when ``deep``) the course is
    explained against the courses that were placed (the requirements it cannot share with
    them, the ``pins`` of both kept), within an equal share of ``time_limit``. Without
    ``deep``, a course is referred to ``explained`` (the explanation of the whole term) when
    that names it or one of its teachers, or names nothing; another course was only not
    placed in time (``may_fit``).
    """
    named = None if explained is None or not explained.conflicts else _involved(
        instance, explained)
    missing = unplaced_courses(instance, timetable)
    if not missing:
        return []
    deadline = time.perf_counter() + time_limit
    counted = arithmetic_conflicts(instance)
    placed = {m.course_id for m in timetable.meetings}
    found = []
    for index, course_id in enumerate(missing):
        course = instance.course_by_id[course_id]
        own = _own(counted, course_id)
        fits = False
        if own and all(c.courses == (course_id,) for c in own):
            explanation = Explanation(tuple(own), proven=True, minimal=True)
        elif own:  # a teacher's load: the courses cannot all be placed, not this one alone
            explanation = Explanation(tuple(own), proven=True, minimal=True, note=(
                "the reason concerns several courses together: not all of them can be "
                "placed, and this one was left out (it might fit if another of them were)"))
        elif not deep and (named is None or course_id in named):
            explanation = Explanation((), proven=False, note="it cannot be placed beside the "
                                      "other courses (see the explanation)")
        elif not deep:
            fits = True
            explanation = Explanation((), proven=False, note=(
                "not placed within the time limit; the explanation does not involve it, and "
                "a longer time limit may place it"))
        else:
            share = max(1.0, (deadline - time.perf_counter()) / (len(missing) - index))
            sub = replace(instance, courses=tuple(c for c in instance.courses
                                                  if c.id in placed or c.id == course_id))
            explanation = explain_infeasibility(sub, share, seed, pins=pins)
            if not explanation.conflicts:
                fits = "exists" in explanation.note
                explanation = Explanation((), proven=False, note=(
                    "not placed within the time limit, although it may fit beside the courses "
                    "placed: try a longer time limit" if fits else explanation.note))
        found.append(Unplaced(course_id, course.name, course.contact_periods, explanation,
                              may_fit=fits))
    return found

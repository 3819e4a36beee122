"""Impossibilities visible by counting, before any solving (the checks of validation)."""

from __future__ import annotations

import datetime as dt
import re

from scheduler.explain.conflict import Conflict
from scheduler.instance import Instance
from scheduler.validate import Issue, check_instance

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def says_infeasible(issue: Issue) -> bool:
    """Issues that say the instance has no timetable rather than that it is malformed: a
    visiting teacher left without any trip (their courses cannot be taught)."""
    return issue.table == "teachers" and issue.column == "visiting"


def structural_issues(instance: Instance) -> list[Issue]:
    """Problems of references and shape (not counting); an instance with any is invalid."""
    return [i for i in check_instance(instance, arithmetic=False) if not says_infeasible(i)]


def _conflict(instance: Instance, issue: Issue) -> Conflict:
    courses: tuple[str, ...] = ()
    teachers: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    if issue.table == "courses" and issue.index is not None:
        course = instance.courses[issue.index]
        courses, teachers, cohorts = (course.id,), course.teachers, course.cohorts
    elif issue.table == "teachers" and issue.index is not None:
        teachers = (instance.teachers[issue.index].id,)
        courses = tuple(c.id for c in instance.courses if teachers[0] in c.teachers)
    elif issue.table == "cohorts" and issue.index is not None:
        cohorts = (instance.cohorts[issue.index].id,)
    dates = sorted(dt.date.fromisoformat(d) for d in _DATE.findall(issue.message))
    sentence = issue.message
    if issue.table == "courses" and courses and courses[0] not in sentence:
        course = instance.course_by_id[courses[0]]
        sentence = f"{course.id} ({course.name}): {sentence}"  # the course the row is
    return Conflict("arithmetic", sentence, (sentence,), issue.fix, courses=courses,
                    teachers=teachers, cohorts=cohorts,
                    first_date=dates[0] if dates else None,
                    last_date=dates[-1] if dates else None)


def arithmetic_conflicts(instance: Instance) -> list[Conflict]:
    """Counting impossibilities (room sizes, weekly delivery, intensive capacity in travel
    windows, teacher and cohort loads) of a structurally valid instance."""
    if structural_issues(instance):
        return []
    return [_conflict(instance, issue) for issue in check_instance(instance)]

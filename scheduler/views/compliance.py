"""The Ministry's one-third rule: the foreign partner's share of core courses and of hours.

Chinese rules for Sino-foreign programmes ask that the foreign partner's teachers teach at
least one third of the core courses and at least one third of all teaching hours. The figures
here are computed from the instance and the timetable alone, as ``docs/exports.md``
("Compliance: the one-third rule") documents:

- **Who is counted**: every group of students who attend the same courses: a sub-group, or a
  cohort without sub-groups. Its students attend its own courses and its parent cohorts'.
- **Hours**: one period of the timetable is one teaching hour (学时, 45 minutes). A course's
  hours go to its teachers' institutions in equal parts (every listed teacher teaches every
  meeting: a course taught by a FEFU and a CQUPT teacher gives each half).
- **Against the plan**: a group's hours are the contact periods of its courses; the partner's
  are the periods its teachers teach in the timetable, so that meetings the timetable does
  not place (a visitor who does not come) lower the partner's share. A core course counts
  once; the partner's count of it is its share of the course's contact periods, placed.
- **A programme** (a cohort's ``program`` and ``level``: a bachelor's and a master's
  programme of one name are two) weighs its groups by students: its shares are those of the
  teaching its students receive. **Overall** does the same over every programme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from scheduler.instance import Course, Instance
from scheduler.timetable import Timetable
from scheduler.views.subjects import ancestors

PARTNER = "FEFU"
"""The foreign partner institution (teachers' ``institution``)."""
THRESHOLD = Fraction(1, 3)
"""The share the rule asks of the partner, for core courses and for hours alike."""


def _percent(part: Fraction, whole: Fraction) -> float | None:
    return round(float(100 * part / whole), 1) if whole else None


def _meets(part: Fraction, whole: Fraction) -> bool | None:
    return part >= THRESHOLD * whole if whole else None


@dataclass(frozen=True)
class GroupShare:
    """What one group of students attends (a sub-group, or a cohort without sub-groups):
    its core courses and hours, and the partner's part of each (see the module docstring)."""

    cohort_id: str
    program: str
    """The programme's name (:func:`programme_names`)."""
    students: int
    core_courses: int
    partner_core_courses: Fraction
    hours: int
    placed_hours: int
    partner_hours: Fraction

    @property
    def core_share_percent(self) -> float | None:
        return _percent(self.partner_core_courses, Fraction(self.core_courses))

    @property
    def hours_share_percent(self) -> float | None:
        return _percent(self.partner_hours, Fraction(self.hours))


@dataclass(frozen=True)
class ProgrammeShare:
    """The partner's shares in one programme (``program``), or over all (``program`` empty):
    the figures of a student, averaged over its groups weighted by students."""

    program: str
    groups: int
    students: int
    core_courses: Fraction
    partner_core_courses: Fraction
    hours: Fraction
    partner_hours: Fraction

    @property
    def core_share_percent(self) -> float | None:
        return _percent(self.partner_core_courses, self.core_courses)

    @property
    def hours_share_percent(self) -> float | None:
        return _percent(self.partner_hours, self.hours)

    @property
    def meets_core(self) -> bool | None:
        """True when the partner teaches at least a third of the core courses (``None``
        without core courses)."""
        return _meets(self.partner_core_courses, self.core_courses)

    @property
    def meets_hours(self) -> bool | None:
        return _meets(self.partner_hours, self.hours)

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON values (averages rounded to one decimal)."""
        return {
            "groups": self.groups, "students": self.students,
            "core_courses": round(float(self.core_courses), 1),
            "partner_core_courses": round(float(self.partner_core_courses), 1),
            "core_share_percent": self.core_share_percent, "meets_core": self.meets_core,
            "hours": round(float(self.hours), 1),
            "partner_hours": round(float(self.partner_hours), 1),
            "hours_share_percent": self.hours_share_percent, "meets_hours": self.meets_hours,
        }


@dataclass(frozen=True)
class Compliance:
    """The partner's shares per group, per programme (in instance order) and overall."""

    groups: tuple[GroupShare, ...]
    programmes: tuple[ProgrammeShare, ...]
    overall: ProgrammeShare
    partner: str = PARTNER

    def as_dict(self) -> dict[str, Any]:
        """The ``compliance`` block of ``summary.json``."""
        return {
            "partner": self.partner,
            "threshold_percent": round(float(100 * THRESHOLD), 1),
            "overall": self.overall.as_dict(),
            "programmes": {p.program: p.as_dict() for p in self.programmes},
        }


def _partner_part(instance: Instance, course: Course, partner: str) -> Fraction:
    """The part of a course's hours its partner teachers teach (equal parts per teacher)."""
    if not course.teachers:
        return Fraction(0)
    ours = sum(1 for t in course.teachers
               if t in instance.teacher_by_id and
               instance.teacher_by_id[t].institution == partner)
    return Fraction(ours, len(course.teachers))


def _programme(program: str, groups: list[GroupShare]) -> ProgrammeShare:
    students = sum(g.students for g in groups)
    weight = {g.cohort_id: Fraction(g.students, students) if students else
              Fraction(1, len(groups)) for g in groups}

    def mean(values: dict[str, Fraction | int]) -> Fraction:
        return sum((weight[k] * v for k, v in values.items()), Fraction(0))

    return ProgrammeShare(
        program=program, groups=len(groups), students=students,
        core_courses=mean({g.cohort_id: g.core_courses for g in groups}),
        partner_core_courses=mean({g.cohort_id: g.partner_core_courses for g in groups}),
        hours=mean({g.cohort_id: g.hours for g in groups}),
        partner_hours=mean({g.cohort_id: g.partner_hours for g in groups}),
    )


def programme_names(instance: Instance) -> dict[tuple[str, str], str]:
    """The name of each (programme, level) of the cohorts: the programme's, with the level
    added where a bachelor's and a master's programme share it."""
    levels: dict[str, set[str]] = defaultdict(set)
    for c in instance.cohorts:
        levels[c.program].add(c.level)
    return {(c.program, c.level): c.program if len(levels[c.program]) == 1
            else f"{c.program} ({c.level})" for c in instance.cohorts}


def compliance(instance: Instance, timetable: Timetable, partner: str = PARTNER) -> Compliance:
    """The partner's share of core courses and of teaching hours (module docstring)."""
    placed: dict[str, int] = defaultdict(int)
    for m in timetable.meetings:
        placed[m.course_id] += m.length
    courses_of: dict[str, list[Course]] = defaultdict(list)
    for course in instance.courses:
        for cid in course.cohorts:
            courses_of[cid].append(course)
    names = programme_names(instance)
    groups = []
    for cohort in instance.cohorts:
        if instance.subgroups_of(cohort.id):
            continue
        attended = {c.id: c for cid in (cohort.id, *ancestors(instance, cohort.id))
                    for c in courses_of.get(cid, ())}
        partner_hours = Fraction(0)
        partner_core = Fraction(0)
        for course in attended.values():
            taught = min(placed.get(course.id, 0), course.contact_periods)
            part = _partner_part(instance, course, partner) * taught
            partner_hours += part
            if course.core:
                partner_core += part / course.contact_periods
        groups.append(GroupShare(
            cohort_id=cohort.id, program=names[(cohort.program, cohort.level)],
            students=cohort.size,
            core_courses=sum(c.core for c in attended.values()),
            partner_core_courses=partner_core,
            hours=sum(c.contact_periods for c in attended.values()),
            placed_hours=sum(min(placed.get(c.id, 0), c.contact_periods)
                             for c in attended.values()),
            partner_hours=partner_hours,
        ))
    by_programme: dict[str, list[GroupShare]] = defaultdict(list)
    for g in groups:
        by_programme[g.program].append(g)
    return Compliance(
        groups=tuple(groups),
        programmes=tuple(_programme(p, gs) for p, gs in by_programme.items()),
        overall=_programme("", groups),
        partner=partner,
    )

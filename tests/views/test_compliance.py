"""The one-third rule, counted by hand on the tiny instance (tests/tiny.py).

The groups of students (a sub-group, or a cohort without sub-groups) and what they attend:

    C1-A (10 students): W1 (8 periods), W2 (4, its lab), I1 (6, the FEFU visitor V1) = 18
    C1-B (8 students):  W1 (8), W4 (4, its lab), I1 (6)                             = 18
    C2   (10 students): W3 (4), I1 (6)                                              = 10

so FEFU teaches 6 of each group's hours. Weighted by students, a student of the programme has
(10*18 + 8*18 + 10*10) / 28 = 424/28 = 15.14 hours, 6 of them FEFU's: 39.6 %.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from scheduler.views.compliance import compliance
from tests.tiny import edited, m, with_course


def test_hours_per_group_and_per_programme(tiny, timetable):
    shares = compliance(tiny, timetable)
    groups = {g.cohort_id: g for g in shares.groups}
    assert list(groups) == ["C1-A", "C1-B", "C2"]  # C1 has sub-groups: its students are theirs
    assert [(g.students, g.hours, g.placed_hours, g.partner_hours) for g in groups.values()] \
        == [(10, 18, 18, 6), (8, 18, 18, 6), (10, 10, 10, 6)]
    assert groups["C2"].hours_share_percent == 60.0
    (iot,) = shares.programmes
    assert (iot.program, iot.groups, iot.students) == ("IoT", 3, 28)
    assert iot.hours == Fraction(424, 28) and iot.partner_hours == 6
    assert iot.hours_share_percent == 39.6 and iot.meets_hours is True
    # no course is core: no share of core courses, and no verdict on it
    assert iot.core_courses == 0 and iot.core_share_percent is None and iot.meets_core is None
    assert shares.overall.as_dict() == {
        "groups": 3, "students": 28, "core_courses": 0.0, "partner_core_courses": 0.0,
        "core_share_percent": None, "meets_core": None, "hours": 15.1, "partner_hours": 6.0,
        "hours_share_percent": 39.6, "meets_hours": True}


@pytest.fixture
def core_tiny(tiny):
    """Mathematics (W1, CQUPT) and linear algebra (I1, FEFU) are core courses."""
    return with_course(with_course(tiny, "W1", core=True), "I1", core=True)


def test_core_courses_per_student(core_tiny, timetable):
    # C1-A and C1-B have both core courses, one of them FEFU's; C2 only I1, FEFU's:
    # (10*1 + 8*1 + 10*1) / (10*2 + 8*2 + 10*1) = 28/46 = 60.9 %
    (iot,) = compliance(core_tiny, timetable).programmes
    assert (iot.core_courses, iot.partner_core_courses) == (Fraction(46, 28), 1)
    assert iot.core_share_percent == 60.9 and iot.meets_core is True


def test_a_course_of_two_teachers_gives_each_institution_half(core_tiny, timetable):
    # I1 taught by V1 (FEFU) and T2 (CQUPT): FEFU has 3 of each group's hours and half of I1:
    # hours 3 / 15.14 = 19.8 %, core courses 14/46 = 30.4 %: both under the line.
    shared = with_course(core_tiny, "I1", teachers=("V1", "T2"))
    (iot,) = compliance(shared, timetable).programmes
    assert iot.partner_hours == 3 and iot.hours_share_percent == 19.8
    assert iot.core_share_percent == 30.4
    assert (iot.meets_hours, iot.meets_core) == (False, False)


def test_meetings_not_placed_lower_the_partner_share(core_tiny):
    # One of I1's three meetings left out (a visitor who comes later): FEFU teaches 4 of the
    # 6 planned periods, so 4 hours of each group and 2/3 of the core course I1.
    partial = edited(remove=(m(16, 3, "I1", "R1", "I1"),))
    shares = compliance(core_tiny, partial)
    assert [(g.hours, g.placed_hours, g.partner_hours) for g in shares.groups] == [
        (18, 16, 4), (18, 16, 4), (10, 8, 4)]
    (iot,) = shares.programmes
    assert iot.hours_share_percent == 26.4  # 4 / 15.14, against the plan's hours
    assert iot.partner_core_courses == Fraction(2, 3)
    assert iot.core_share_percent == 40.6  # (2/3 * 28) / 46


def test_exactly_one_third_meets_the_rule(tiny, timetable):
    # C1-A and C1-B have 18 hours, 6 of them FEFU's; with W3 of 12 periods C2 has too.
    (iot,) = compliance(with_course(tiny, "W3", contact_periods=12), timetable).programmes
    assert iot.partner_hours * 3 == iot.hours == 18
    assert iot.hours_share_percent == 33.3 and iot.meets_hours is True


def test_programmes_of_one_name_and_two_levels_are_two(tiny, timetable):
    cohorts = tuple(replace(c, level="PG") if c.id == "C2" else c for c in tiny.cohorts)
    shares = compliance(replace(tiny, cohorts=cohorts), timetable)
    assert [p.program for p in shares.programmes] == ["IoT (UG)", "IoT (PG)"]
    assert [p.students for p in shares.programmes] == [18, 10]
    assert shares.overall.students == 28

"""FEFU's teaching share, counted by hand on the tiny instance."""

from __future__ import annotations

from scheduler.timetable import Timetable
from scheduler.views.shares import teaching_share
from tests.tiny import tiny_instance, valid_timetable, with_course, with_teacher


def test_the_share_of_periods_taught_by_an_institution():
    # The valid timetable places 26 periods: W1 8, W2 4, W3 4, W4 4 (CQUPT's T1 and T2) and
    # I1 6 (FEFU's visitor V1).
    instance = tiny_instance()
    assert teaching_share(instance, valid_timetable()) == 6 / 26
    assert teaching_share(instance, valid_timetable(), "CQUPT") == 20 / 26


def test_a_period_taught_together_counts_for_each_teacher():
    # I1 taught by V1 (FEFU) and T2 (CQUPT): its 6 periods count 3 for each.
    instance = with_course(tiny_instance(), "I1", teachers=("V1", "T2"))
    assert teaching_share(instance, valid_timetable()) == 3 / 26


def test_no_share_without_the_institution_or_without_periods():
    cqupt_only = with_teacher(tiny_instance(), "V1", institution="CQUPT")
    assert teaching_share(cqupt_only, valid_timetable()) is None
    assert teaching_share(tiny_instance(), Timetable(())) is None

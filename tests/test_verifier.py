"""The verifier catches each hard rule broken alone, with the right words.

Each case starts from a hand-made valid timetable of the tiny instance (tests/tiny.py) and
changes the timetable or the instance so that exactly one rule breaks.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler.instance import Holiday, TimeMask, Unavailability
from scheduler.verify import verify_timetable
from tests.tiny import (
    edited,
    m,
    tiny_instance,
    valid_timetable,
    with_course,
    with_teacher,
)


def test_the_hand_made_timetable_is_valid():
    verification = verify_timetable(tiny_instance(), valid_timetable())
    assert verification.ok, verification.violations


def test_a_weekly_friday_slot_meets_on_the_adjusted_sunday():
    """Friday 09-11 is a holiday; Sunday 09-13 holds Friday's week-1 timetable."""
    moved = edited(remove=(m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2")),
                   add=(m(13, 1, "W3", "R2"), m(18, 1, "W3", "R2")))
    assert verify_timetable(tiny_instance(), moved).ok
    missing_sunday = edited(remove=(m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2")),
                            add=(m(18, 1, "W3", "R2"), m(11, 1, "W3", "R2")))
    rules = verify_timetable(tiny_instance(), missing_sunday).by_rule()
    assert rules.get("teaching day") == 1  # 09-11 is the holiday
    assert "weekly repetition" in rules


CASES = {
    "teaching day": (
        lambda i: replace(i, holidays=(*i.holidays, Holiday(m(16, 3, "I1", "R1").date, "new"))),
        valid_timetable, "2026-09-16 (Wed) periods 3-4, which is a holiday"),
    "block": (
        tiny_instance,
        lambda: edited(remove=(m(16, 3, "I1", "R1", "I1"),), add=(m(17, 4, "I1", "R1", "I1"),)),
        "I1 on 2026-09-17 (Thu) periods 4-5 does not occupy an allowed block"),
    "room type": (
        tiny_instance,
        lambda: edited(remove=(m(7, 1, "W1", "R1"), m(14, 1, "W1", "R1")),
                       add=(m(7, 1, "W1", "L1"), m(14, 1, "W1", "L1"))),
        "W1 needs a lecture room but meets in L1 (lab)"),
    "room capacity": (
        tiny_instance,
        lambda: edited(remove=(m(16, 3, "I1", "R1", "I1"),), add=(m(16, 3, "I1", "R2", "I1"),)),
        "I1 has 28 students but room R2 seats 20"),
    "room booking": (
        tiny_instance,
        lambda: edited(remove=(m(16, 3, "I1", "R1", "I1"),), add=(m(16, 1, "I1", "R1", "I1"),)),
        "room R1 is booked by others on 2026-09-16 periods 1-2"),
    "travel window": (
        tiny_instance,
        lambda: edited(remove=(m(16, 3, "I1", "R1", "I1"),), add=(m(10, 5, "I1", "R1", "I1"),)),
        "Иванова Е. А. (V1) teaches I1 on 2026-09-10 (Thu) periods 5-6 but is not in Chongqing"),
    "travel day": (
        tiny_instance,
        lambda: edited(remove=(m(16, 3, "I1", "R1", "I1"),), add=(m(18, 5, "I1", "R1", "I1"),)),
        "the departure (travel) day"),
    "teacher unavailable": (
        lambda i: replace(i, unavailability=(*i.unavailability, Unavailability(
            "T1", TimeMask(date=m(17, 1, "W1", "R1").date, first_period=1, last_period=2),
            "exam duty"))),
        valid_timetable, "Li Wei 李伟 (T1) is unavailable (exam duty) on 2026-09-17"),
    "interpreter missing": (
        tiny_instance,
        lambda: edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(15, 5, "I1", "R1"),)),
        "I1 is taught in ru on 2026-09-15 (Tue) periods 5-6 without an interpreter"),
    "interpreter pairs": (
        tiny_instance,
        lambda: edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(15, 5, "I1", "R1", "I2"),)),
        "Wang Xue 王雪 (I2) interprets I1 on 2026-09-15 (Tue) periods 5-6 but does not cover "
        "ru-zh"),
    "interpreter unavailable": (
        lambda i: replace(i, unavailability=(*i.unavailability, Unavailability(
            "I1", TimeMask(date=m(15, 5, "I1", "R1").date)))),
        valid_timetable, "Chen Jing 陈静 (I1) is unavailable on 2026-09-15"),
    "teacher clash": (
        tiny_instance,
        lambda: edited(remove=(m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2")),
                       add=(m(7, 1, "W3", "R2"), m(14, 1, "W3", "R2"))),
        "teacher Li Wei 李伟 (T1) is in 2 meetings at once (W1 and W3) on 2026-09-07 period 1"),
    "cohort clash": (
        tiny_instance,
        lambda: edited(remove=(m(14, 5, "I1", "R1", "I1"),), add=(m(14, 3, "I1", "R1", "I1"),)),
        "cohort C1-A is in 2 meetings at once (I1 and W2) on 2026-09-14 period 3"),
    "room clash": (
        tiny_instance,
        lambda: edited(remove=(m(8, 3, "W4", "L1"), m(15, 3, "W4", "L1")),
                       add=(m(7, 3, "W4", "L1"), m(14, 3, "W4", "L1"))),
        "room L1 is in 2 meetings at once (W2 and W4) on 2026-09-07 period 3"),
    "interpreter clash": (
        tiny_instance,
        lambda: edited(remove=(m(8, 3, "W4", "L1"), m(15, 3, "W4", "L1"), m(8, 1, "W3", "R2")),
                       add=(m(8, 1, "W4", "L1", "I1"), m(15, 1, "W4", "L1"),
                            m(8, 1, "W3", "R2", "I1"))),
        "interpreter I1 is in 2 meetings at once (W3 and W4) on 2026-09-08 period 1"),
    "daily limit": (
        lambda i: with_teacher(i, "T1", max_periods_per_day=3),
        valid_timetable, "Li Wei 李伟 (T1) works 4 periods on 2026-09-07, more than 3"),
    "weekly limit": (
        lambda i: with_teacher(i, "T1", max_periods_per_week=7),
        valid_timetable, "Li Wei 李伟 (T1) works 8 periods in the calendar week of Monday "
        "2026-09-07 (week 1 of the term), more than 7"),
    "intensive daily limit": (
        lambda i: with_course(i, "I1", max_periods_per_day=2),
        lambda: edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(16, 5, "I1", "R1", "I1"),)),
        "I1 is taught 4 periods on 2026-09-16, more than its 2"),
    "contact periods": (
        lambda i: with_course(i, "W1", contact_periods=10),
        valid_timetable, "W1 delivers 8 periods, fewer than its 10"),
    "meetings per week": (
        tiny_instance,
        lambda: edited(add=(m(9, 5, "W1", "R2"), m(16, 5, "W1", "R2"))),
        "W1 meets in 3 weekly slot(s); it has 2 meeting(s) a week"),
    "weekly repetition": (
        lambda i: with_course(i, "W1", contact_periods=6),
        lambda: edited(remove=(m(17, 1, "W1", "R1"),)),
        "W1 meets Thu periods 1-2 every week but not on 2026-09-17"),
    "weekly room": (
        tiny_instance,
        lambda: edited(remove=(m(17, 1, "W1", "R1"),), add=(m(17, 1, "W1", "R2"),)),
        "W1 meets Thu periods 1-2 in several rooms (R1, R2)"),
    "unknown room": (
        tiny_instance,
        lambda: edited(remove=(m(16, 3, "I1", "R1", "I1"),), add=(m(16, 3, "I1", "R9", "I1"),)),
        "is in room 'R9', which the instance does not have"),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_broken_rule_is_caught_alone(rule):
    make_instance, make_timetable, words = CASES[rule]
    instance = make_instance(tiny_instance()) if make_instance is not tiny_instance \
        else tiny_instance()
    verification = verify_timetable(instance, make_timetable())
    assert set(verification.by_rule()) == {rule}, verification.violations
    assert any(words in v.message for v in verification.violations), verification.violations


def test_intensive_contact_must_be_exact():
    verification = verify_timetable(tiny_instance(),
                                    edited(remove=(m(16, 3, "I1", "R1", "I1"),)))
    assert verification.by_rule() == {"contact periods": 1}
    assert "I1 (intensive) is taught 4 periods; it needs exactly 6" in \
        verification.violations[0].message


def test_sub_groups_of_one_cohort_do_not_clash_with_each_other():
    """C1-A and C1-B may meet at the same time (in different rooms, with other teachers)."""
    parallel = edited(remove=(m(8, 3, "W4", "L1"), m(15, 3, "W4", "L1")),
                      add=(m(7, 3, "W4", "R2"), m(14, 3, "W4", "R2")))
    instance = with_course(tiny_instance(), "W4", room_type="lecture")
    assert verify_timetable(instance, parallel).ok


def test_a_clash_of_two_whole_cohort_meetings_is_reported_once_for_the_whole_cohort():
    # I1 (C1 and C2) moved onto W1 (C1): C1's sub-groups C1-A and C1-B attend both too, but
    # the clash is one, and it is named once, for C1
    timetable = edited(remove=(m(14, 5, "I1", "R1", "I1"),), add=(m(14, 1, "I1", "R1", "I1"),))
    report = verify_timetable(tiny_instance(), timetable)
    assert [v.message for v in report.violations if v.rule == "cohort clash"] == [
        "cohort C1 is in 2 meetings at once (I1 and W1) on 2026-09-14 period 1"]


def test_a_sub_group_meeting_against_its_cohorts_meeting_is_reported_for_the_sub_group():
    timetable = edited(remove=(m(14, 5, "I1", "R1", "I1"),), add=(m(14, 3, "I1", "R1", "I1"),))
    report = verify_timetable(tiny_instance(), timetable)
    assert [v.message for v in report.violations if v.rule == "cohort clash"] == [
        "cohort C1-A is in 2 meetings at once (I1 and W2) on 2026-09-14 period 3"]

"""The verifier's pin check: a timetable that moved a pinned meeting of its baseline is
rejected; a new interpreter, a weekly slot kept across a new holiday, a course removed or
(relaxed) left out are not violations."""

from __future__ import annotations

from dataclasses import replace

from scheduler.instance import Holiday
from scheduler.verify import verify_timetable
from tests.tiny import D, edited, m, tiny_instance, valid_timetable

TINY = tiny_instance()
PINNED = valid_timetable().with_pins([m(7, 1, "W1", "R1"), m(14, 1, "W1", "R1"),
                                      m(15, 5, "I1", "R1", "I1")])


def pin_violations(timetable, baseline=PINNED, instance=TINY, **options) -> list[str]:
    verification = verify_timetable(instance, timetable, baseline=baseline, **options)
    return [str(v) for v in verification.violations if v.rule == "pinned meeting"]


def test_the_baseline_itself_keeps_its_pins():
    assert verify_timetable(TINY, PINNED, baseline=PINNED).ok


def test_a_moved_pinned_meeting_is_a_violation_saying_what_the_timetable_has_instead():
    moved = edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(15, 1, "I1", "L1", "I1"),))
    assert pin_violations(moved) == [
        "[pinned meeting] I1 is pinned on 2026-09-15 (Tue) periods 5-6 in room R1, but the "
        "timetable has it that day in periods 1-2 in room L1"]
    gone = edited(remove=(m(14, 1, "W1", "R1"),))
    assert pin_violations(gone) == [
        "[pinned meeting] W1 is pinned on 2026-09-14 (Mon) periods 1-2 in room R1, but the "
        "timetable has no meeting of it that day"]


def test_unpinned_meetings_and_interpreters_may_change():
    other = edited(remove=(m(15, 5, "I1", "R1", "I1"), m(16, 3, "I1", "R1", "I1")),
                   add=(m(15, 5, "I1", "R1", "I2"), m(17, 3, "I1", "R1", "I1")))
    assert pin_violations(other) == []


def test_pins_given_apart_from_the_baseline_replace_its_own():
    moved = edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(16, 5, "I1", "R1", "I1"),))
    assert len(pin_violations(moved)) == 1
    assert pin_violations(moved, pins=[m(7, 1, "W1", "R1")]) == []


def test_a_weekly_pin_on_a_date_that_became_a_holiday_is_kept_by_its_slot():
    """Monday 09-14 becomes a holiday: W1 meets on Monday 09-07 only, still in its slot."""
    holiday = replace(TINY, holidays=(*TINY.holidays, Holiday(D(2026, 9, 14), "new")))
    holiday = replace(holiday, courses=tuple(replace(c, contact_periods=6) if c.id == "W1"
                                             else c for c in holiday.courses))
    without = edited(remove=(m(14, 1, "W1", "R1"),))
    assert pin_violations(without, instance=holiday) == []
    elsewhere = edited(remove=(m(14, 1, "W1", "R1"), m(7, 1, "W1", "R1")),
                       add=(m(7, 1, "W1", "R2"),))
    assert len(pin_violations(elsewhere, instance=holiday)) == 2


def test_pins_of_courses_removed_or_left_out_are_not_checked():
    without_i1 = edited(remove=tuple(valid_timetable().of_course("I1")))
    removed = replace(TINY, courses=tuple(c for c in TINY.courses if c.id != "I1"))
    assert pin_violations(without_i1, instance=removed) == []
    assert pin_violations(without_i1, allow_unplaced=True) == []
    assert len(pin_violations(without_i1)) == 1

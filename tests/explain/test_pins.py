"""Pins in explanations: a pin no meeting can keep is named with the rules its place breaks
now; pins that cannot hold together are named among the requirements of the core; a pinned
meeting that a scenario makes impossible is named in the scenario's explanation, and
--relax-pins breaks only that pin."""

from __future__ import annotations

from dataclasses import replace

from scheduler.cpsat import SolveStatus
from scheduler.explain import explain_infeasibility
from scheduler.render import broken_pins_lines
from scheduler.scenarios import parse_scenario
from scheduler.scenarios.run import run_scenario
from scheduler.timetable import Meeting
from tests.scenarios.conftest import QUICK
from tests.tiny import D, m, tiny_instance, valid_timetable

TINY = tiny_instance()
FIX = ("Fix: unpin the meeting (scheduler pin TIMETABLE ... --unpin), or re-solve with "
       "--relax-pins, which keeps as many pins as possible")


def test_a_lost_pin_is_said_with_the_rules_its_place_breaks():
    explanation = explain_infeasibility(TINY, 10, pins=[Meeting(D(2026, 9, 8), 5, 6, "W3",
                                                                "R2")])
    assert explanation.proven and explanation.minimal
    assert explanation.lines() == [
        "W3 (English) is pinned to Tuesday periods 5-6 in room R2 (20 seats), every week, "
        "which is no longer possible: Li Wei 李伟 (T1) is unavailable (meeting) on 2026-09-08 "
        "periods 5-6 but teaches W3; Li Wei 李伟 (T1) is unavailable (meeting) on 2026-09-15 "
        f"periods 5-6 but teaches W3. {FIX}"]
    (conflict,) = explanation.conflicts
    assert (conflict.kind, conflict.courses, conflict.rooms) == ("pin", ("W3",), ("R2",))


def test_a_dated_pin_on_a_holiday_or_outside_the_course_s_weeks():
    holiday = explain_infeasibility(TINY, 10, pins=[m(11, 1, "I1", "R1", "I1")])
    assert "I1 meets on 2026-09-11 (Fri) periods 1-2, which is a holiday (holiday)" in \
        holiday.lines()[0]
    second_week_only = replace(TINY, courses=tuple(
        replace(c, weeks=replace(c.weeks, first=2)) if c.id == "I1" else c
        for c in TINY.courses))
    early = explain_infeasibility(second_week_only, 10, pins=[m(10, 1, "I1", "R1", "I1")])
    assert early.conflicts[0].kind == "pin"
    assert early.lines()[0].split(": ", 1)[1].startswith(
        "2026-09-10 is in week 1, outside I1's weeks 2-2; Иванова Е. А. (V1) teaches I1 on "
        "2026-09-10 (Thu) periods 1-2 but is not in Chongqing then")


def test_pins_that_cannot_hold_together_are_named_with_the_requirement_they_break():
    """W1's and W3's Monday slots are both at periods 1-2, and Li Wei teaches both."""
    explanation = explain_infeasibility(TINY, 20, pins=[m(7, 1, "W1", "R1"),
                                                        Meeting(D(2026, 9, 7), 1, 2, "W3",
                                                                "R2")])
    assert explanation.proven
    lines = explanation.lines()
    assert lines[0].startswith("the pins of W1 (Mathematics) and W3 (English) cannot all "
                               "hold: Li Wei 李伟 (T1) cannot hold all these meetings")
    assert "Fix: unpin one of the pinned meetings" in lines[0]
    assert set(lines[1:]) == {
        "    · W1 (Mathematics) is pinned to Monday periods 1-2 in room R1 (50 seats), every "
        "week",
        "    · W3 (English) is pinned to Monday periods 1-2 in room R2 (20 seats), every week",
        "    · Li Wei 李伟 (T1) teaches one meeting at a time"}


BUSY_MONDAY = parse_scenario(
    "name: Li Wei busy on Monday 09-14\nchanges:\n  - change: teacher_unavailable\n"
    "    teacher: T1\n    date: 2026-09-14\n    first_period: 1\n    last_period: 2\n",
    "busy.yaml")
"""Li Wei cannot teach Monday 09-14 periods 1-2: W1's Monday slot (pinned) is impossible."""


def test_a_pinned_meeting_that_a_scenario_makes_impossible_is_named():
    baseline = valid_timetable().with_pins(valid_timetable().of_course("W1"))
    result = run_scenario(TINY, BUSY_MONDAY, replace(QUICK, relax=False), baseline=baseline)
    side = result.changed
    assert side.status == SolveStatus.INFEASIBLE and side.timetable is None
    lines = side.diagnosis.explanation.lines()
    assert lines[0].startswith("W1 (Mathematics) is pinned to Monday periods 1-2 in room R1 "
                               "(50 seats), every week, which is no longer possible: Li Wei "
                               "李伟 (T1) is unavailable (scenario) on 2026-09-14 periods 1-2 but "
                               "teaches W1")
    # without the pin, the scenario has a timetable: W1 moves its Monday meetings
    unpinned = run_scenario(TINY, BUSY_MONDAY, QUICK, baseline=valid_timetable())
    assert unpinned.changed.feasible


def test_relaxed_pins_break_only_the_impossible_one():
    baseline = valid_timetable().with_pins(valid_timetable().of_course("W1"))
    result = run_scenario(TINY, BUSY_MONDAY, replace(QUICK, relax_pins=True),
                          baseline=baseline)
    assert result.changed.feasible
    choice = result.pin_choice
    assert [p.group for p in choice.broken] == [("pin", "W1 Mon 1-2 R1")]
    assert result.pinned == 2  # W1's two Thursday meetings
    kept = {x.place for x in result.changed.timetable.meetings}
    assert {m(10, 1, "W1", "R1").place, m(17, 1, "W1", "R1").place} <= kept
    assert result.as_dict()["pin_choice"]["broken"] == [{
        "course_id": "W1", "weekday": "Mon", "date": None, "first_period": 1,
        "last_period": 2, "room_id": "R1", "meetings": 2}]
    choice = replace(choice, optimal=True)  # proven in a moment, but whatever the load
    assert broken_pins_lines(TINY, choice) == [
        "[bold yellow]1 pin broken (2 pinned meeting(s) moved)[/]:",
        "  - W1 (Mathematics) is pinned to Monday periods 1-2 in room R1 (50 seats), every "
        "week"]
    assert broken_pins_lines(TINY, choice, "ru")[0] == (
        "[bold yellow]1 закрепление не сохранено (перенесено закреплённых занятий: 2)[/]:")
    assert broken_pins_lines(TINY, replace(choice, optimal=False))[0] == (
        "[bold yellow]1 pin broken (2 pinned meeting(s) moved; not proven the fewest)[/]:")
    assert broken_pins_lines(TINY, replace(choice, broken=())) == []

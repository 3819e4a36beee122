"""Scenario runs on the shipped instance: minimal change, impossibilities, outputs."""

from __future__ import annotations

import json
from dataclasses import replace

from scheduler.cpsat import SolveStatus
from scheduler.paths import DEFAULT_INSTANCE
from scheduler.scenarios import read_scenario
from scheduler.scenarios.report import write_scenario
from scheduler.scenarios.run import run_scenario
from scheduler.verify import verify_timetable
from tests.scenarios.conftest import QUICK

SCENARIOS = DEFAULT_INSTANCE / "scenarios"


def test_a_baseline_re_solve_moves_far_fewer_meetings_than_a_fresh_solve(fall_instance,
                                                                          fall_baseline):
    late = read_scenario(SCENARIOS / "ivanova-visa-two-weeks-late.yaml")
    kept = run_scenario(fall_instance, late, QUICK, baseline=fall_baseline)
    assert kept.changed.feasible and kept.minimal_change
    assert verify_timetable(kept.instance, kept.changed.timetable).ok
    # Only Linear Algebra (Ivanova's course, 24 meetings) needs to move; the 21 other
    # courses are kept exactly where they were.
    assert len(kept.kept) == 21 and "LINALG101" not in kept.kept
    assert {m.course_id for m in kept.moves} == {"LINALG101"}
    assert 0 < kept.moved_meetings <= 24
    assert kept.changed.counts["moved_meeting"] == kept.moved_meetings
    assert kept.affected_teachers == ("FEFU-IVANOVA",)

    fresh = run_scenario(fall_instance, late, QUICK,
                         reference=kept.base)  # the same baseline, solved afresh
    assert fresh.changed.feasible and not fresh.minimal_change
    assert fresh.moved_meetings >= 200 > 5 * kept.moved_meetings


def test_a_cancelled_trip_is_impossible_and_the_partial_timetable_keeps_the_rest(
        fall_instance, fall_baseline):
    cancelled = read_scenario(SCENARIOS / "kozlov-december-trip-cancelled.yaml")
    result = run_scenario(fall_instance, cancelled, QUICK, baseline=fall_baseline)
    side = result.changed
    assert not side.feasible and side.status == SolveStatus.INFEASIBLE and side.relaxed
    lines = side.diagnosis.explanation.lines()
    assert lines[0].startswith("Козлов Дмитрий Игоревич: 48 periods of intensive teaching "
                               "(DMATH101) but only 24 periods available between 2026-09-21 "
                               "and 2026-09-29 at 4 per day")
    assert [(u.course_id, u.periods) for u in side.diagnosis.unplaced] == [("DMATH101", 48)]
    assert side.unplaced_periods == 48
    # everything but Discrete Mathematics stays where it was
    assert {m.course_id for m in result.moves} == {"DMATH101"}
    assert verify_timetable(result.instance, side.timetable, allow_unplaced=True).ok


def test_thirty_more_russian_students_do_not_fit_the_labs(fall_instance, fall_baseline):
    more = read_scenario(SCENARIOS / "thirty-more-russian-students.yaml")
    result = run_scenario(fall_instance, more, replace(QUICK, relax=False),
                          baseline=fall_baseline)
    assert result.changed.timetable is None
    conflicts = result.changed.diagnosis.explanation.conflicts
    assert {c.courses[0] for c in conflicts} == {"ENG101-1", "ENG101-2", "ENG101-3",
                                                 "IOT102-1", "IOT102-2", "IOT102-3"}
    assert "44 students attend but the largest 'iot_lab' room seats 40" in \
        [c.sentence for c in conflicts]


def test_outputs_of_a_run(fall_instance, fall_baseline, tmp_path):
    added = read_scenario(SCENARIOS / "iot-security-course-added.yaml")
    result = run_scenario(fall_instance, added, QUICK, baseline=fall_baseline)
    assert result.changed.feasible and result.moved_meetings == 0
    files = write_scenario(result, tmp_path / "out")
    assert sorted(p.name for p in files) == sorted([
        "comparison.md", "comparison.xlsx", "comparison.png", "scenario.json",
        "timetable.csv", "timetable.json", "instance"])
    document = json.loads((tmp_path / "out" / "scenario.json").read_text(encoding="utf-8"))
    assert document["scenario"]["name"] == "IoT security course added"
    assert document["scenario_result"]["feasible"] and document["moved_meetings"] == 0
    markdown = (tmp_path / "out" / "comparison.md").read_text(encoding="utf-8")
    assert "| meetings moved |  | 0 | re-solved with minimal change |" in markdown
    assert "- new course IOT103 (IoT Security 物联网安全 / Безопасность интернета вещей), 16 " \
        "periods, intensive" in markdown
    assert (tmp_path / "out" / "instance" / "courses.csv").read_text(
        encoding="utf-8").count("IOT103") == 1

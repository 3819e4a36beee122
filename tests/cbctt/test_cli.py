"""``scheduler cbctt solve`` and ``scheduler cbctt score`` through click's CliRunner.

Expected costs are counted by hand (in the comments), never taken from the scorer the
commands call.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from scheduler.cbctt import read_cbctt

DATA = Path(__file__).parent / "data"

FORCED = """Name: Forced
Courses: 1
Rooms: 1
Days: 1
Periods_per_day: 2
Curricula: 1
Constraints: 0

COURSES:
a t1 2 2 35

ROOMS:
r 30

CURRICULA:
q 1 a

UNAVAILABILITY_CONSTRAINTS:

END.
"""
"""One timetable only: course a's two lectures in room r, periods 0 and 1 of the one day."""

TOY_BY_HAND = """SceCosC A 0 0
SceCosC A 1 0
SceCosC B 2 0
ArcTec B 0 1
ArcTec B 0 2
ArcTec B 1 1
TecCos B 0 3
TecCos B 1 2
TecCos B 2 2
TecCos B 3 0
TecCos A 4 0
Geotec B 0 0
Geotec A 0 1
Geotec A 0 2
Geotec B 1 0
Geotec A 1 1
"""
"""A feasible timetable of data/toy.ctt (no period holds two lectures of a curriculum, a
room or a teacher; TecCos avoids day 2 periods 0-1 and day 3 periods 2-3)."""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_solve_writes_the_only_timetable_with_its_cost_counted_by_hand(runner, tmp_path):
    """Course a (35 students, 2 lectures on at least 2 days) has one room of 30 seats and one
    day of two periods. Room capacity: 2 lectures x 5 students over = 10; minimum working
    days: 1 day short x 5 = 5; the two lectures are adjacent (no isolated lecture) in one
    room (stable): UD2 cost 15."""
    instance = tmp_path / "forced.ctt"
    instance.write_text(FORCED)
    solution = tmp_path / "forced.sol"
    result = runner.invoke(cli.main, ["cbctt", "solve", str(instance), "-o", str(solution),
                                      "-t", "10", "-w", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(solution.read_text().splitlines()) == ["a r 0 0", "a r 0 1"]
    summary = json.loads((tmp_path / "forced.json").read_text())
    assert summary["cost"] == 15
    assert summary["scored"] == {"feasible": True, "room_capacity": 10, "min_working_days": 5,
                                 "isolated_lectures": 0, "room_stability": 0, "total": 15}
    table = dict(tuple(cell.strip() for cell in line.split("│")[1:3])
                 for line in result.output.splitlines() if line.count("│") == 3)
    assert table == {"room_capacity": "10", "min_working_days": "5", "isolated_lectures": "0",
                     "room_stability": "0", "total": "15"}


def test_solve_writes_one_line_per_lecture(runner, tmp_path):
    solution = tmp_path / "toy.sol"
    result = runner.invoke(cli.main, ["cbctt", "solve", str(DATA / "toy.ctt"), "-o",
                                      str(solution), "-t", "10", "-w", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    instance = read_cbctt(DATA / "toy.ctt")
    lines = solution.read_text().splitlines()
    assert len(lines) == sum(c.lectures for c in instance.courses) == 16
    assert all(len(line.split()) == 4 for line in lines)
    summary = json.loads((tmp_path / "toy.json").read_text())
    assert summary["cost"] == summary["scored"]["total"]


def test_score_prints_each_component_counted_by_hand_and_exit_0(runner, tmp_path):
    """TOY_BY_HAND's UD2 cost, counted by hand:

    * room capacity: TecCos (40 students) once in A (32 seats): 8;
    * minimum working days: Geotec (5 lectures, at least 4 days) meets on days 0 and 1
      only: 2 days short x 5 = 10; the others meet on enough days (SceCosC 3 of 3, ArcTec 2
      of 2, TecCos 5 of 4);
    * curriculum compactness (2 per isolated lecture): Cur1 = SceCosC, ArcTec, TecCos is a
      chain on days 0 (periods 0-3) and 1 (0-2) but isolated on day 2 (periods 0 and 2: 2),
      day 3 (period 0: 1) and day 4 (period 0: 1); Cur2 = TecCos, Geotec is a chain on days
      0 and 1 and isolated on days 2, 3 and 4 (3): 7 x 2 = 14;
    * room stability (1 per extra room): SceCosC, TecCos and Geotec use A and B: 3.
    Total 8 + 10 + 14 + 3 = 35.
    """
    solution = tmp_path / "toy.sol"
    solution.write_text(TOY_BY_HAND)
    result = runner.invoke(cli.main, ["cbctt", "score", str(DATA / "toy.ctt"), str(solution)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Violations of Lectures (hard) : 0",
        "Violations of Conflicts (hard) : 0",
        "Violations of Availability (hard) : 0",
        "Violations of RoomOccupation (hard) : 0",
        "Cost of RoomCapacity (soft) : 8",
        "Cost of MinWorkingDays (soft) : 10",
        "Cost of CurriculumCompactness (soft) : 14",
        "Cost of RoomStability (soft) : 3",
        "Summary: Total Cost = 35",
    ]


def test_score_reports_hard_violations_with_exit_5(runner, tmp_path):
    instance = read_cbctt(DATA / "toy.ctt")
    course = instance.courses[0]
    room = instance.rooms[0]
    # All of the first course's lectures in one room and period: clashes, and others missing.
    solution = tmp_path / "bad.sol"
    solution.write_text("".join(f"{course.id} {room.id} 0 0\n" for _ in range(course.lectures)))
    result = runner.invoke(cli.main, ["cbctt", "score", str(DATA / "toy.ctt"), str(solution)])
    assert result.exit_code == 5
    assert "Violations of Lectures (hard) : 0" not in result.output


def test_score_bad_solution_line_exits_2_naming_file_and_line(runner, tmp_path):
    solution = tmp_path / "bad.sol"
    solution.write_text("NoSuchCourse B 0 0\n")
    result = runner.invoke(cli.main, ["cbctt", "score", str(DATA / "toy.ctt"), str(solution)])
    assert result.exit_code == 2
    assert "bad.sol, line 1" in result.output
    assert "Traceback" not in result.output


def test_solve_bad_instance_exits_2_and_writes_nothing(runner, tmp_path):
    bad = tmp_path / "bad.ctt"
    bad.write_text("Name: Broken\nCourses: x\n")
    solution = tmp_path / "out.sol"
    result = runner.invoke(cli.main, ["cbctt", "solve", str(bad), "-o", str(solution), "-q"])
    assert result.exit_code == 2
    assert "bad.ctt" in result.output
    assert not solution.exists()


def test_a_wrong_cost_claim_writes_nothing_and_exits_5(runner, tmp_path, monkeypatch):
    import dataclasses

    import scheduler.cbctt.job as job

    real = job.solve_cbctt

    def lying(*args, **kwargs):
        result = real(*args, **kwargs)
        return dataclasses.replace(result, cost=result.cost + 1)

    monkeypatch.setattr(job, "solve_cbctt", lying)
    solution = tmp_path / "toy.sol"
    result = runner.invoke(cli.main, ["cbctt", "solve", str(DATA / "toy.ctt"), "-o",
                                      str(solution), "-t", "5", "-w", "1", "-q"])
    assert result.exit_code == 5
    assert "scorer computes" in result.output
    assert not solution.exists() and not (tmp_path / "toy.json").exists()


def solve_quickly(runner, instance, output):
    """``scheduler cbctt solve INSTANCE -o OUTPUT``, quiet, 5 s, one worker."""
    return runner.invoke(cli.main, ["cbctt", "solve", str(instance), "-o", str(output), "-q",
                                    "-t", "5", "-w", "1"])


def test_a_solution_named_as_the_instance_is_refused_and_the_instance_kept(runner, tmp_path):
    instance = tmp_path / "forced.ctt"
    instance.write_text(FORCED)
    for output in (instance, tmp_path / "." / "forced.ctt"):
        result = solve_quickly(runner, instance, output)
        assert result.exit_code == 2, result.output
        assert "would overwrite the instance" in result.output
        assert instance.read_text() == FORCED
    # the summary beside a solution named forced.sol would be forced.json: an instance there
    json_instance = tmp_path / "other.json"
    json_instance.write_text(FORCED)
    result = solve_quickly(runner, json_instance, tmp_path / "other.sol")
    assert result.exit_code == 2 and json_instance.read_text() == FORCED


def test_a_solution_named_json_is_refused_as_its_summary_would_overwrite_it(runner, tmp_path):
    instance = tmp_path / "forced.ctt"
    instance.write_text(FORCED)
    solution = tmp_path / "forced.json"
    result = solve_quickly(runner, instance, solution)
    assert result.exit_code == 2, result.output
    assert "name the solution file .sol" in result.output
    assert not solution.exists()


def test_a_proven_infeasible_instance_says_why_and_exits_3(runner, tmp_path):
    from tests.cbctt.test_counting import instance

    solution = tmp_path / "out.sol"
    cases = {
        "teacher.ctt": (instance("a t1 2 1 10\nb t1 1 1 10"),
                        "  - teacher t1 has 3 lectures (a, b), which never share a period, but "
                        "only 2 periods in which one of them is available"),
        "triangle.ctt": (instance("a t1 1 1 10\nb t2 1 1 10\nc t3 1 1 10",
                                  "q1 2 a b\nq2 2 b c\nq3 2 a c", rooms=3),
                         "No single course, teacher or curriculum"),
    }
    for name, (text, reason) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(cli.main, ["cbctt", "solve", str(path), "-o", str(solution),
                                          "-q", "-t", "10", "-w", "1"])
        assert result.exit_code == 3, result.output
        assert "No timetable exists (proven infeasible" in result.output
        assert reason in result.output
        assert "longer --time-limit" not in result.output
        assert not solution.exists()


@pytest.mark.parametrize("output", [".", "/", "", ".."])
def test_an_output_that_names_no_file_is_refused(runner, tmp_path, monkeypatch, output):
    """``-o .`` ended in a ValueError traceback (exit 1)."""
    instance = tmp_path / "forced.ctt"
    instance.write_text(FORCED)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.main, ["cbctt", "solve", str(instance), "-o", output, "-q",
                                      "-t", "1", "-w", "1"])
    assert result.exit_code == 2, result.output
    assert "names no file: give the solution file's name" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forced.ctt"]


@pytest.mark.parametrize("limit", ["nan", "inf", "-inf"])
def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused(runner, tmp_path, limit):
    """``-t nan`` passed click's range check and ended the search at once (exit 4)."""
    instance = tmp_path / "forced.ctt"
    instance.write_text(FORCED)
    result = runner.invoke(cli.main, ["cbctt", "solve", str(instance), "-o",
                                      str(tmp_path / "f.sol"), "-t", limit])
    assert result.exit_code == 2, result.output
    assert ("is not a number of seconds" in result.output
            or "is not in the range x>=0.1" in result.output), result.output


def test_score_relays_a_warning_about_the_instance_as_one_line(runner, tmp_path):
    """A repeated unavailability printed Python's raw warning, with its source line."""
    text = FORCED.replace("Constraints: 0", "Constraints: 2").replace(
        "UNAVAILABILITY_CONSTRAINTS:\n", "UNAVAILABILITY_CONSTRAINTS:\na 0 1\na 0 1\n")
    instance = tmp_path / "forced.ctt"
    instance.write_text(text)
    solution = tmp_path / "f.sol"
    solution.write_text("a r 0 0\na r 0 1\n")
    result = runner.invoke(cli.main, ["cbctt", "score", str(instance), str(solution)])
    assert f"Warning: {instance}, line 20: repeats the unavailability on line 19" \
        in result.output, result.output
    assert "CbcttInputWarning" not in result.output and "job.py" not in result.output

"""``scheduler cbctt solve`` and ``scheduler cbctt score`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from scheduler.cbctt import read_cbctt, read_solution, score

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_solve_writes_a_scored_solution_and_summary(runner, tmp_path):
    solution = tmp_path / "toy.sol"
    result = runner.invoke(cli.main, ["cbctt", "solve", str(DATA / "toy.ctt"), "-o",
                                      str(solution), "-t", "10", "-w", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    instance = read_cbctt(DATA / "toy.ctt")
    checked = score(instance, read_solution(solution, instance))
    assert checked.feasible
    summary = json.loads((tmp_path / "toy.json").read_text())
    assert summary["cost"] == summary["scored"]["total"] == checked.total
    assert f"total             │ {checked.total}" in result.output
    lines = solution.read_text().splitlines()
    assert len(lines) == sum(c.lectures for c in instance.courses)
    assert all(len(line.split()) == 4 for line in lines)


def test_score_prints_each_component_and_exit_0(runner, tmp_path):
    solution = tmp_path / "toy.sol"
    instance = read_cbctt(DATA / "toy.ctt")
    runner.invoke(cli.main, ["cbctt", "solve", str(DATA / "toy.ctt"), "-o", str(solution),
                             "-t", "5", "-w", "1", "-q"])
    result = runner.invoke(cli.main, ["cbctt", "score", str(DATA / "toy.ctt"), str(solution)])
    assert result.exit_code == 0, result.output
    expected = score(instance, read_solution(solution, instance))
    assert f"Cost of RoomCapacity (soft) : {expected.room_capacity}" in result.output
    assert f"Total Cost = {expected.total}" in result.output


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

"""``scheduler scenario run|sweep`` through click's CliRunner: exit codes, messages, files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli
from scheduler.io.writer import write_instance_csv
from scheduler.timetable_io import write_timetable_csv
from tests.tiny import tiny_instance, valid_timetable


@pytest.fixture
def tiny(tmp_path):
    folder = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), folder)
    baseline = tmp_path / "baseline.csv"
    write_timetable_csv(tiny_instance(), valid_timetable(), baseline)
    return folder, baseline


def write(tmp_path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_run_against_a_baseline_reports_what_moved(tiny, tmp_path):
    folder, baseline = tiny
    scenario = write(tmp_path, "name: lab closed on Monday 09-14\nchanges:\n"
                               "  - change: room_closed\n    room: L1\n    date: 2026-09-14\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["scenario", "run", str(folder), str(scenario),
                                           "--baseline", str(baseline), "-o", str(out), "-q",
                                           "-t", "5", "-w", "1"])
    assert result.exit_code == 0, result.output
    assert "Scenario: lab closed on Monday 09-14" in result.output
    assert "room L1 (30 seats) closed on 2026-09-14 (Mon)" in result.output
    summary = json.loads((out / "scenario.json").read_text(encoding="utf-8"))
    # the lab meeting of W2 on Monday 09-14 must move; W2 is a weekly course, so both of its
    # meetings move with it (a weekly course keeps one slot all term)
    assert summary["moved_meetings"] == 2 and summary["minimal_change"]
    assert [m["course_id"] for m in summary["moves"]] == ["W2"]
    assert (out / "comparison.xlsx").exists() and (out / "timetable.csv").exists()


def test_a_run_into_an_earlier_runs_folder_leaves_none_of_its_files(tiny, tmp_path):
    """A run against a baseline into the folder of a run that solved its base left that
    run's base-timetable.csv (and a relaxed run's partial timetable) beside its own files;
    files the scheduler does not write stay."""
    folder, baseline = tiny
    scenario = write(tmp_path, "name: lab closed\nchanges:\n  - change: room_closed\n"
                               "    room: L1\n    date: 2026-09-14\n")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("base-timetable.csv", "partial-timetable.csv", "partial-timetable.json",
                 "notes.txt"):
        (out / name).write_text("earlier", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["scenario", "run", str(folder), str(scenario),
                                           "--baseline", str(baseline), "-o", str(out), "-q",
                                           "-t", "5", "-w", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "comparison.md", "comparison.png", "comparison.xlsx", "instance", "notes.txt",
        "scenario.json", "timetable.csv", "timetable.json"]


def test_an_impossible_scenario_exits_3_with_the_reason(tiny, tmp_path):
    folder, _ = tiny
    scenario = write(tmp_path, "changes:\n  - change: shift_trip\n    teacher: V1\n"
                               "    days: 4\n")
    result = CliRunner().invoke(cli.main, ["scenario", "run", str(folder), str(scenario),
                                           "-o", str(tmp_path / "out"), "-q", "-t", "5",
                                           "--no-relax"])
    assert result.exit_code == 3, result.output
    assert "The scenario has no timetable" in result.output
    assert "Иванова Е. А.: 6 periods of intensive teaching (I1) but only 4 periods available " \
        "between 2026-09-18" in result.output


def test_a_bad_scenario_file_exits_2_with_every_problem(tiny, tmp_path):
    folder, _ = tiny
    scenario = write(tmp_path, "changes:\n  - change: shift_trip\n    teacher: T9\n"
                               "    days: 4\n  - change: close_room\n")
    result = CliRunner().invoke(cli.main, ["scenario", "run", str(folder), str(scenario),
                                           "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "1 problem found" in result.output
    assert f"{scenario}, line 5: unknown change 'close_room'" in result.output
    assert "Traceback" not in result.output


def test_sweep_writes_the_robustness_table(tiny, tmp_path):
    folder, _ = tiny
    out = tmp_path / "sweep"
    result = CliRunner().invoke(cli.main, ["scenario", "sweep", str(folder), "--delay", "V1",
                                           "--days", "0:4:2", "-j", "1", "-t", "5", "-w", "1",
                                           "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Robustness to late arrival" in result.output
    assert "2 scenarios in" in result.output
    table = (out / "robustness.md").read_text(encoding="utf-8")
    assert "| V1 | Иванова Е. А. | 2026-09-13..2026-09-18 | 2 |" in table
    assert "no timetable" in table
    assert {p.name for p in out.iterdir()} >= {"robustness.md", "sweep.xlsx", "sweep.json",
                                               "sweep.png"}


def test_sweep_needs_something_to_sweep(tiny, tmp_path):
    folder, _ = tiny
    result = CliRunner().invoke(cli.main, ["scenario", "sweep", str(folder), "-o",
                                           str(tmp_path / "x")])
    assert result.exit_code == 2 and "give --delay TEACHER|all" in result.output

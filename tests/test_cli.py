"""The command line, through click's CliRunner: exit codes and messages."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

import cli
from scheduler.instance import Booking, TimeMask
from scheduler.io.writer import write_instance_csv
from tests.tiny import tiny_instance


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner):
    result = runner.invoke(cli.main, ["--version"])
    assert result.exit_code == 0 and "scheduler, version" in result.output


def test_every_command_is_documented_with_an_example(runner):
    def commands(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from commands(command, (*prefix, name))
            else:
                yield (*prefix, name)

    for path in commands(cli.main):
        result = runner.invoke(cli.main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"{' '.join(path)} --help has no example"


def test_format_and_kind_choices_are_the_librarys(runner):
    from scheduler.exports import EXPORT_FORMATS
    from scheduler.plotting import PICTURE_FORMATS, PLOT_KINDS

    export_help = runner.invoke(cli.main, ["export", "--help"]).output
    assert f"[{'|'.join(EXPORT_FORMATS)}]" in export_help
    plot_help = runner.invoke(cli.main, ["plot", "--help"]).output
    assert f"[{'|'.join(PLOT_KINDS)}]" in plot_help
    assert f"[{'|'.join(PICTURE_FORMATS)}]" in plot_help
    wrong = runner.invoke(cli.main, ["plot", "i", "t.csv", "-k", "nope", "-o", "x"])
    assert wrong.exit_code == 2 and "'nope' is not one of 'visitors'" in wrong.output


def test_validate_default_prints_a_summary(runner):
    result = runner.invoke(cli.main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "is a valid instance" in result.output
    assert "59 / 41 / 100" in result.output  # Chinese / Russian / total students
    assert "FEFU-IVANOVA" in result.output


def test_validate_bad_instance_lists_problems_and_exits_2(runner, fall):
    fall.set("rooms", 3, "capacity", "-60")
    fall.set("courses", 3, "teachers", "CQ-NOBODY")
    result = runner.invoke(cli.main, ["validate", str(fall.folder)])
    assert result.exit_code == 2
    assert "2 problems found" in result.output
    assert "rooms.csv, row 3, column 'capacity': must be at least 1, got -60" in result.output
    assert "courses.csv, row 3, column 'teachers': unknown teacher 'CQ-NOBODY'" in result.output
    assert "Traceback" not in result.output


def test_solve_writes_a_verified_timetable(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli.main, ["solve", "-o", str(out), "--time-limit", "30",
                                      "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["verified"] is True
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    assert summary["instance"]["students"] == 100
    for key in ("objective", "best_bound", "gap", "solve_time", "time_to_first_solution",
                "model_size", "solver_parameters"):
        assert key in summary
    rows = (out / "timetable.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == summary["meetings"] + 1
    check = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall",
                                     str(out / "timetable.csv")])
    assert check.exit_code == 0 and "breaks no hard rule" in check.output


def test_verify_reports_violations_with_exit_5(runner, tmp_path):
    timetable = tmp_path / "t.csv"
    timetable.write_text(
        "date,first_period,last_period,course_id,room_id,interpreter_id\n"
        "2026-10-01,1,2,MATH101,2101,\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall",
                                      str(timetable)])
    assert result.exit_code == 5
    assert "2026-10-01 (Thu) periods 1-2, which is a holiday" in result.output


def test_verify_rejects_a_malformed_timetable_with_exit_2(runner, tmp_path):
    timetable = tmp_path / "t.csv"
    timetable.write_text("date,first_period,last_period,course_id,room_id\n"
                         "2026-10-99,1,2,MATH101,2101\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall",
                                      str(timetable)])
    assert result.exit_code == 2
    assert "row 2, column 'date': expected a date" in result.output


def test_infeasible_instance_exits_3_and_writes_no_timetable(runner, tmp_path):
    # Both lab courses (sub-groups C1-A and C1-B) need the only lab, free only on Mon 3-4.
    base = tiny_instance()
    blocked = [Booking("L1", TimeMask(weekday=d)) for d in (1, 2, 3, 4)]
    blocked += [Booking("L1", TimeMask(weekday=0, first_period=p, last_period=p))
                for p in (1, 2, 5, 6)]
    folder = tmp_path / "tiny"
    write_instance_csv(replace(base, bookings=base.bookings + tuple(blocked)), folder)
    out = tmp_path / "out"
    result = runner.invoke(cli.main, ["solve", str(folder), "-o", str(out), "--quiet",
                                      "--time-limit", "10"])
    assert result.exit_code == 3, result.output
    assert "No timetable exists" in result.output
    assert "room L1 (30 seats): W2 (Lab A) and W4 (Lab B) need 4 of the same 2 weekly periods" \
        in result.output
    assert not (out / "timetable.csv").exists()
    assert json.loads((out / "summary.json").read_text())["status"] == "INFEASIBLE"


def test_interrupted_before_a_first_timetable_says_so_and_exits_4(runner, tmp_path,
                                                                  monkeypatch):
    import scheduler.pipeline as pipeline
    from scheduler.cpsat import RunStats, SolveStatus
    from scheduler.model.solve import SolveResult

    stats = RunStats(SolveStatus.UNKNOWN, None, None, 1.0, None, 0, True, 10, 10, {})
    monkeypatch.setattr(pipeline, "solve_timetable",
                        lambda *args, **kwargs: SolveResult(SolveStatus.UNKNOWN, None, stats))
    out = tmp_path / "out"
    result = runner.invoke(cli.main, ["solve", "-o", str(out), "-t", "5", "-q"])
    assert result.exit_code == 4
    assert "Interrupted" in result.output and "no timetable written" in result.output
    assert not (out / "timetable.csv").exists()


def test_solve_by_lns_prints_and_records_the_bound_from_parts(runner, tmp_path, monkeypatch):
    from scheduler.model import solve as solve_module
    from scheduler.model.params import LnsSettings

    monkeypatch.setattr(solve_module, "DEFAULT_SETTINGS", LnsSettings(full_model_options=0))
    folder = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), folder)
    out = tmp_path / "out"
    result = runner.invoke(cli.main, ["solve", str(folder), "-o", str(out), "--quiet",
                                      "--time-limit", "8", "--workers", "2"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    bound = summary["lower_bound"]
    assert bound["parts_total"] >= bound["parts_solved"] == len(bound["parts"]) > 0
    assert summary["best_bound"] == bound["value"] <= summary["verified_objective"]
    assert f"Lower bound {bound['value']}: the sum over {bound['parts_solved']} of " \
           f"{bound['parts_total']} independent parts" in result.output

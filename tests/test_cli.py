"""The command line, through click's CliRunner: exit codes and messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

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
    assert "per visiting teacher" in result.output


def test_validate_without_visitors_prints_no_empty_visitor_table(runner):
    from scheduler.io.writer import write_instance_xlsx
    from tests.tiny import tiny_instance

    with runner.isolated_filesystem():
        instance = tiny_instance()
        local = replace(instance, teachers=tuple(replace(t, visiting=False)
                                                 for t in instance.teachers),
                        travel_windows=())
        write_instance_xlsx(local, "local.xlsx")
        result = runner.invoke(cli.main, ["validate", "local.xlsx"])
    assert result.exit_code == 0, result.output
    assert "per cohort" in result.output and "per visiting teacher" not in result.output


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
    result = runner.invoke(cli.main, ["solve", "-o", str(out), "--time-limit", "12",
                                      "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["verified"] is True
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    assert summary["instance"]["students"] == 100
    for key in ("objective", "best_bound", "gap", "solve_time", "time_to_first_solution",
                "model_size", "solver_parameters"):
        assert key in summary
    # the parameters asked for, not those of the search's last CP-SAT run (a share of them)
    asked = summary["solver_parameters"]
    assert (asked["time_limit"], asked["workers"], asked["seed"]) == (12, 2, 0)
    assert asked["strategy"] == "whole model + lns" and "stop_after_first_solution" not in asked
    rows = (out / "timetable.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == summary["meetings"] + 1
    check = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall",
                                     str(out / "timetable.csv")])
    assert check.exit_code == 0 and "breaks no hard rule" in check.output
    tiers = ", ".join(f"{t['name']} {t['cost']}" for t in summary["tiers"])
    assert (f"Cost: {summary['verified_objective']} ({tiers}; each rule's weights: "
            f"docs/objective.md)") in check.output
    # the same timetable without one course, as a relaxed solve leaves a course out
    relaxed = tmp_path / "relaxed.csv"
    relaxed.write_text("".join(line for line in (out / "timetable.csv").read_text(
        encoding="utf-8").splitlines(keepends=True) if ",POL101," not in line), encoding="utf-8")
    strict = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall", str(relaxed)])
    assert strict.exit_code == 5
    assert "POL101 delivers 0 periods, fewer than its 48" in strict.output
    assert ("POL101 has no meeting at all: if this is the timetable of a relaxed solve "
            "(scheduler solve --relax), check it with scheduler verify --relax.") in strict.output
    allowed = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall", str(relaxed),
                                       "--relax"])
    assert allowed.exit_code == 0, allowed.output
    assert "1 course has no meeting and counts as unplaced: POL101" in allowed.output
    assert "placement 48000, norm" in allowed.output


def test_verify_reports_violations_with_exit_5(runner, tmp_path):
    timetable = tmp_path / "t.csv"
    timetable.write_text(
        "date,first_period,last_period,course_id,room_id,interpreter_id\n"
        "2026-10-01,1,2,MATH101,2101,\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall",
                                      str(timetable)])
    assert result.exit_code == 5
    assert "2026-10-01 (Thu) periods 1-2, which is a holiday" in result.output


def test_verify_reports_the_problems_of_both_files_at_once(runner, tmp_path, fall):
    fall.set("rooms", 3, "capacity", "many")
    timetable = tmp_path / "t.csv"
    timetable.write_text("date,first_period,last_period,course_id,room_id\n"
                         "2026-10-99,1,2,MATH101,2101\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["verify", str(fall.folder), str(timetable)])
    assert result.exit_code == 2
    assert "expected a whole number, got 'many'" in result.output
    assert "there is no such date: '2026-10-99'" in result.output


def test_verify_rejects_a_malformed_timetable_with_exit_2(runner, tmp_path):
    timetable = tmp_path / "t.csv"
    timetable.write_text("date,first_period,last_period,course_id,room_id\n"
                         "2026-10-99,1,2,MATH101,2101\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["verify", "instances/cqupt-fefu-2026-fall",
                                      str(timetable)])
    assert result.exit_code == 2
    assert "row 2, column 'date': there is no such date: '2026-10-99'" in result.output


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


# Ctrl-C and SIGTERM: tests/test_interrupt.py sends real signals to real processes.


def test_solve_into_the_instance_folder_is_refused_before_solving(runner, tmp_path):
    from scheduler.paths import DEFAULT_INSTANCE

    instance = tmp_path / "fall"
    shutil.copytree(DEFAULT_INSTANCE, instance)
    before = sorted(p.name for p in instance.rglob("*"))
    for target in (instance, instance / "out"):
        result = runner.invoke(cli.main, ["solve", str(instance), "-o", str(target), "-q"])
        assert result.exit_code == 2, result.output
        where = "the instance" if target == instance else f"inside the instance {instance}"
        assert result.output.startswith(f"Cannot write output: {target} is {where}: the "
                                        "output would become part of the instance")
        assert result.output.count("\n") == 1  # one line, no traceback
    assert sorted(p.name for p in instance.rglob("*")) == before


def test_solve_refuses_a_folder_of_other_files_before_solving(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli.main, ["solve", "-o", str(tmp_path), "-t", "5"])
    assert result.exit_code == 2
    assert result.output == (f"Cannot write output: {tmp_path} holds files that the scheduler "
                             "did not write (notes.txt); it replaces its output folder as a "
                             "whole, so give a new or empty folder\n")  # no search progress
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("command", [
    ["solve", "-q"],
    ["export", "instances/cqupt-fefu-2026-fall", "TIMETABLE"],
    ["report", "instances/cqupt-fefu-2026-fall", "TIMETABLE"],
    ["plot", "instances/cqupt-fefu-2026-fall", "TIMETABLE"],
    ["cbctt", "solve", "tests/cbctt/data/toy.ctt"],
])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(runner, tmp_path, command):
    """A file where a folder is needed: found before any work, reported in one line."""
    blocker = tmp_path / "file"
    blocker.write_text("in the way", encoding="utf-8")
    timetable = tmp_path / "missing.csv"  # never read: the output is checked first
    args = [str(timetable) if a == "TIMETABLE" else a for a in command]
    result = runner.invoke(cli.main, [*args, "-o", str(blocker / "out")])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Cannot write output: ")
    assert "is a file" in result.output and result.output.count("\n") == 1


UNPRIVILEGED = (["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
                if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
"""As root, a prefix that takes away the right to ignore file permissions."""


@pytest.mark.skipif(sys.platform == "win32" or (UNPRIVILEGED and not shutil.which("setpriv")),
                    reason="needs POSIX permissions that bind the user")
@pytest.mark.parametrize("command", [
    ["solve", "-t", "5", "-o", "LOCKED"],  # with progress lines, would it search first
    ["export", "instances/cqupt-fefu-2026-fall", "TIMETABLE", "-o", "LOCKED"],
    ["report", "instances/cqupt-fefu-2026-fall", "TIMETABLE", "-o", "LOCKED"],
    ["plot", "instances/cqupt-fefu-2026-fall", "TIMETABLE", "-o", "LOCKED"],
    ["cbctt", "solve", "tests/cbctt/data/toy.ctt", "-o", "LOCKED/toy.sol"],
])
def test_an_existing_read_only_folder_is_one_line_and_exit_2(tmp_path, command):
    """An output folder the user may not write (an earlier solve's, made read-only): a real
    process, so that the permissions bind even the root user of a CI container."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / ".scheduler-output").write_text("earlier run\n", encoding="utf-8")
    locked.chmod(0o555)
    args = [a.replace("LOCKED", str(locked)).replace("TIMETABLE", str(tmp_path / "t.csv"))
            for a in command]
    root = Path(__file__).resolve().parent.parent
    try:
        result = subprocess.run([*UNPRIVILEGED, sys.executable, str(root / "cli.py"), *args],
                                capture_output=True, text=True, cwd=root,
                                env={**os.environ, "PYTHONPATH": str(root)})
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"Cannot write output: cannot write into {locked}: Permission " \
                            "denied\n"


def test_solve_by_lns_prints_and_records_the_bound_from_parts(runner, tmp_path, monkeypatch):
    from scheduler.model import solve as solve_module
    from scheduler.model.params import LnsSettings

    monkeypatch.setattr(solve_module, "DEFAULT_SETTINGS", LnsSettings(full_model_options=0))
    folder = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), folder)
    out = tmp_path / "out"
    result = runner.invoke(cli.main, ["solve", str(folder), "-o", str(out), "--quiet",
                                      "--time-limit", "8", "--workers", "2", "--verbose"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    bound = summary["lower_bound"]
    assert bound["parts_total"] >= bound["parts_solved"] == len(bound["parts"]) > 0
    assert summary["best_bound"] == bound["value"] <= summary["verified_objective"]
    assert f"Lower bound {bound['value']}: the sum over {bound['parts_solved']} of " \
           f"{bound['parts_total']} independent parts" in result.output


def test_the_interrupt_exit_codes_are_documented(runner):
    help_text = " ".join(runner.invoke(cli.main, ["solve", "--help"]).output.split())
    assert "130 interrupted (the best timetable found so far written" in help_text
    assert "131 interrupted before a first timetable (nothing written)" in help_text
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    for code in (cli.EXIT_INTERRUPTED, cli.EXIT_INTERRUPTED_EMPTY):
        assert f"| {code} | interrupted" in readme


def test_the_help_examples_keep_their_line_continuations():
    """A backslash that ends a line of a help example must be printed (a docstring's lone
    backslash joined the lines: `-f html --lang zh         -o site`)."""
    import click

    def commands(group, path):
        for name, command in group.commands.items():
            yield [*path, name], command
            if isinstance(command, click.Group):
                yield from commands(command, [*path, name])

    for path, command in commands(cli.main, []):
        if isinstance(command, click.Group) and not command.help:
            continue
        text = CliRunner().invoke(cli.main, [*path, "--help"]).output
        examples = [line.strip() for line in text.splitlines()
                    if line.strip().startswith("scheduler ")]
        for line in examples:
            assert "   " not in line, (path, line)


def test_no_command_writes_over_its_inputs(runner, tmp_path):
    """An export into the folder of the timetable it read replaced that timetable (an office's
    edited workbook); an export into the instance folder added an unknown table to it; `diff
    -o NEW.xlsx` replaced NEW by the changes. Each is refused (exit 2), the inputs unchanged."""
    from scheduler.timetable_io import write_timetable_csv
    from tests.tiny import valid_timetable

    instance = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), instance)
    out = tmp_path / "out"
    out.mkdir()
    write_timetable_csv(tiny_instance(), valid_timetable(), out / "timetable.csv")
    assert runner.invoke(cli.main, ["export", str(instance), str(out / "timetable.csv"), "-f",
                                    "xlsx", "-o", str(out)]).exit_code == 0
    before = {p: p.read_bytes() for p in [*out.iterdir(), *instance.iterdir()]}
    for args in (["export", instance, out / "timetable.xlsx", "-f", "xlsx", "-o", out],
                 ["export", instance, out / "timetable.csv", "-f", "csv", "-o", out],
                 # several formats: none written (the JSON was, before the CSV was refused)
                 ["export", instance, out / "timetable.csv", "-f", "json", "-f", "csv", "-o",
                  out],
                 ["export", instance, out / "timetable.csv", "-f", "json", "-o", instance],
                 ["report", instance, out / "timetable.csv", "-o", instance],
                 ["diff", out / "timetable.csv", out / "timetable.xlsx", "-i", instance, "-o",
                  out / "timetable.xlsx"]):
        result = runner.invoke(cli.main, [str(a) for a in args])
        assert result.exit_code == 2, (args, result.output)
        assert "Cannot write output" in result.output, result.output
    assert {p: p.read_bytes() for p in [*out.iterdir(), *instance.iterdir()]} == before


def test_a_re_solve_or_scenario_into_the_folder_of_its_inputs_is_refused(runner, tmp_path):
    """`solve --baseline out/timetable.xlsx -o out` (the office's edited workbook, re-solved
    into its own folder) replaced the workbook, its added sheets lost; `scenario run
    out/instance ... --baseline out/timetable.csv -o out` replaced both. Refused before any
    search (exit 2), every file as it was."""
    from scheduler.atomic import MARKER
    from scheduler.timetable_io import write_timetable_csv
    from tests.tiny import valid_timetable

    out = tmp_path / "out"
    write_instance_csv(tiny_instance(), out / "instance")
    write_timetable_csv(tiny_instance(), valid_timetable(), out / "timetable.csv")
    (out / MARKER).write_text("", encoding="utf-8")  # a folder a solve wrote: replaceable
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nchanges: []\n", encoding="utf-8")
    base = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), base)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for args, named in (
            (["solve", base, "--baseline", out / "timetable.csv", "-o", out],
             f"{out / 'timetable.csv'} is inside the output folder {out}"),
            (["solve", out / "instance", "-o", out],
             f"{out / 'instance'} is inside the output folder {out}"),
            (["scenario", "run", base, scenario, "--baseline", out / "timetable.csv", "-o",
              out], f"{out / 'timetable.csv'} is an input of this command and also what it "
                    "writes"),
            (["scenario", "run", out / "instance", scenario, "-o", out],
             f"{out / 'instance'} is an input of this command and also what it writes")):
        result = runner.invoke(cli.main, [str(a) for a in args])
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith(f"Cannot write output: {named}"), result.output
        assert "Traceback" not in result.output and "Solving" not in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

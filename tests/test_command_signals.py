"""Ctrl-C and SIGTERM in the commands that do not search (export, validate, ...) and in
`scenario run`, sent as real signals to a real `scheduler` process at a chosen moment.

They ended with click's "Aborted!" and exit 1 (SIGTERM: killed, 143), and a scenario run
stopped in its base's search went on and wrote its comparison as a normal one (exit 0). Now:
exit 131 and nothing written, or, once the output is being put in place, the command ends as
it would have.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scheduler.io.writer import write_instance_csv
from scheduler.timetable_io import write_timetable_csv
from tests.tiny import tiny_instance, valid_timetable

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def run_signalled(args: list[str], module: str, function: str, signal_name: str,
                  after: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``scheduler ARGS`` in a new process that sends itself ``signal_name`` as
    ``module.function`` is first called (``after``: once it has returned)."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        import {module} as target
        real, sent = target.{function}, []
        def send():
            if not sent:  # once: a second Ctrl-C quits at once
                sent.append(True)
                os.kill(os.getpid(), signal.{signal_name})
        def watched(*args, **kwargs):
            if not {after}:
                send()
            result = real(*args, **kwargs)
            if {after}:
                send()
            return result
        target.{function} = watched
        import cli
        sys.argv = ["scheduler", *{[str(a) for a in args]!r}]
        cli.run()
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.fixture
def tiny_files(tmp_path):
    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    write_timetable_csv(tiny_instance(), valid_timetable(), tmp_path / "timetable.csv")
    out = tmp_path / "out"
    out.mkdir()
    (out / "timetable.json").write_text("an older export", encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("folder", ["out", "new/out"])
def test_an_export_stopped_while_it_writes_writes_nothing(tiny_files, signal_name, folder):
    """Into a folder holding an older export, or into a new one (which was left behind,
    empty)."""
    before = snapshot(tiny_files)
    names = sorted(p.name for p in tiny_files.iterdir())
    done = run_signalled(["export", tiny_files / "tiny", tiny_files / "timetable.csv", "-f",
                          "json", "-f", "xlsx", "-o", tiny_files / folder],
                         "scheduler.atomic", "_check_free", signal_name)
    assert done.returncode == 131, done.stderr
    assert "Interrupted: nothing was written." in done.stderr
    assert "Aborted" not in done.stderr + done.stdout and "Traceback" not in done.stderr
    assert snapshot(tiny_files) == before
    assert sorted(p.name for p in tiny_files.iterdir()) == names


def test_a_stop_once_the_files_are_being_put_in_place_lets_the_export_finish(tiny_files):
    done = run_signalled(["export", tiny_files / "tiny", tiny_files / "timetable.csv", "-f",
                          "json", "-o", tiny_files / "out"],
                         "scheduler.interrupt", "commit_started", "SIGINT", after=True)
    assert done.returncode == 0, done.stderr
    assert (tiny_files / "out" / "timetable.json").read_text(encoding="utf-8").startswith("{")


def test_validate_stopped_while_it_reads_ends_with_131(tiny_files):
    done = run_signalled(["validate", tiny_files / "tiny"], "scheduler.io.reader",
                         "read_instance", "SIGINT")
    assert done.returncode == 131, done.stderr
    assert "Interrupted: nothing was written." in done.stderr and "Aborted" not in done.stderr


def test_a_scenario_run_stopped_in_its_base_search_writes_nothing(tiny_files):
    scenario = tiny_files / "late.yaml"
    scenario.write_text("name: V1 late\nchanges:\n  - change: shift_trip\n    teacher: V1\n"
                        "    days: 1\n", encoding="utf-8")
    before = snapshot(tiny_files)
    done = run_signalled(["scenario", "run", tiny_files / "tiny", scenario, "-o",
                          tiny_files / "out", "-t", "20", "-q"],
                         "scheduler.model.solve", "solve_timetable", "SIGINT")
    assert done.returncode == 131, done.stderr
    assert "Stopping: the scenario run ends without writing anything" in done.stderr
    assert "nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(tiny_files) == before

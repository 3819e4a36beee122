"""Ctrl-C while a study starts (reading its files, starting its Dask workers): nothing run,
nothing written, exit 131, and no worker dies of it (an acceptance test in a real terminal
got tracebacks, "Nanny failed to start" and exit 1, or click's "Aborted!")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from scheduler.interrupt import Interrupted
from scheduler.io.writer import write_instance_csv
from scheduler.scenarios import jobs
from scheduler.scenarios.jobs import study_to_folder
from scheduler.timetable_io import write_timetable_csv
from tests.tiny import tiny_instance, valid_timetable

ROOT = Path(__file__).resolve().parents[2]
STUDY = """\
name: tiny
base: tiny
baseline: baseline.csv
time_limit: 2
scenarios:
  - name: V1 one day late
    changes:
      - {change: shift_trip, teacher: V1, days: 1}
"""


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    write_timetable_csv(tiny_instance(), valid_timetable(), tmp_path / "baseline.csv")
    path = tmp_path / "study.yaml"
    path.write_text(STUDY, encoding="utf-8")
    return path


def test_a_study_stopped_before_its_first_scenario_leaves_the_output_as_it_was(study_file):
    out = study_file.parent / "out"
    with pytest.raises(Interrupted, match="no scenario was run"):
        study_to_folder(study_file, out, stop=lambda: True)
    assert not out.exists()  # not even the copy of the study file
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Interrupted):
        study_to_folder(study_file, out, stop=lambda: True)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_ctrl_c_while_a_study_reads_its_files_ends_with_131_and_nothing_written(
        study_file, monkeypatch):
    """A real SIGINT while the study file is read (before any worker starts)."""
    real = jobs.read_study

    def read_then_ctrl_c(path):
        os.kill(os.getpid(), signal.SIGINT)
        return real(path)

    monkeypatch.setattr(jobs, "read_study", read_then_ctrl_c)
    out = study_file.parent / "out"
    result = CliRunner().invoke(cli.main, ["scenario", "study", str(study_file), "-o",
                                           str(out), "-q"])
    assert result.exit_code == 131, result.output
    assert "Interrupted while the study started: no scenario was run, nothing was written." \
        in result.output
    assert "Aborted" not in result.output and not out.exists()


def test_a_worker_that_multiprocessing_spawns_ignores_ctrl_c_once_it_imports_the_cli(
        tmp_path):
    """A Dask worker process of a local cluster is spawned: it runs its parent's main script
    (the ``scheduler`` console script imports ``cli``) before it unpickles its work, which
    takes seconds of imports. A terminal's Ctrl-C reaches it too; it must not die of it."""
    script = tmp_path / "main.py"
    script.write_text(textwrap.dedent(f"""\
        import multiprocessing
        import signal
        import sys

        sys.path.insert(0, {str(ROOT)!r})
        from cli import main  # as the console script does


        def report(queue):
            queue.put(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)


        if __name__ == "__main__":
            context = multiprocessing.get_context("spawn")
            queue = context.Queue()
            worker = context.Process(target=report, args=(queue,))
            worker.start()
            print("worker ignores", queue.get(timeout=60))
            worker.join()
            print("command line keeps Ctrl-C", signal.getsignal(signal.SIGINT)
                  is signal.default_int_handler)
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["worker ignores True", "command line keeps Ctrl-C True"]


def test_a_task_dropped_without_an_error_is_said_so():
    """A task lost with its scheduler has no exception: the row said 'NoneType: None'."""
    from types import SimpleNamespace

    from scheduler.scenarios.study_engine import _failure

    lost = SimpleNamespace(status="lost", exception=lambda: None)
    assert _failure(lost) == ("the task was lost (its worker or the scheduler went away)")


def _sigint_ignored(pid: int) -> bool:
    """Whether process ``pid`` ignores SIGINT (its SigIgn mask, Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        mask = next(line for line in status if line.startswith("SigIgn:")).split()[1]
    return bool(int(mask, 16) & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_ctrl_c_in_a_terminal_while_the_local_workers_start(study_file):
    """As a terminal does: SIGINT to the whole process group (the study and its Dask workers)
    while a worker process is still importing (0.4 s after it appeared, unless it already
    ignores Ctrl-C: it does from its first 0.05 s, where its imports took 0.7 s before). The
    study ends with 131, nothing written, and no worker dies with a traceback ("Nanny failed
    to start", exit 1: the worker ignored Ctrl-C only once its imports were done)."""
    import time

    import psutil

    out = study_file.parent / "out"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "scenario", "study", str(study_file), "-o",
         str(out), "--jobs", "1", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, cwd=study_file.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    seen: float | None = None
    while process.poll() is None and time.monotonic() < deadline:
        workers = []
        for child in psutil.Process(process.pid).children(recursive=True):
            try:
                if "spawn_main" in " ".join(child.cmdline()):
                    workers.append(child.pid)
            except psutil.Error:  # gone (or a zombie) meanwhile
                continue
        if workers:
            seen = seen or time.monotonic()
            ignoring = all(_sigint_ignored(pid) for pid in workers)
            if ignoring or time.monotonic() - seen > 0.4:
                break
        time.sleep(0.01)
    assert seen is not None, "no worker process started"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stdout + stderr and "Aborted" not in stdout + stderr, stderr
    if process.returncode == 131:  # stopped while the cluster started: nothing written
        assert not out.exists(), list(out.iterdir())
    else:  # the cluster was up before the signal landed: a study interrupted as usual
        assert process.returncode == 130, (process.returncode, stderr)


@pytest.mark.parametrize("earlier", [False, True])
def test_a_second_ctrl_c_before_any_scenario_is_stored_leaves_the_output_as_it_was(
        study_file, monkeypatch, earlier):
    """The second Ctrl-C (a KeyboardInterrupt inside the study) before a scenario was
    stored: exit 131, "nothing was written", and ``OUT`` as it was, the copy of the study
    file included. It said the scenarios finished were kept (exit 130), with only that copy
    on disk; in a folder of earlier results the copy kept its new time."""
    out = study_file.parent / "out"
    if earlier:
        out.mkdir()
        (out / "study.yaml").write_text(STUDY, encoding="utf-8")
        (out / "results.csv").write_text("scenario\nearlier\n", encoding="utf-8")
        os.utime(out / "study.yaml", ns=(10**18, 10**18))
    listing = {(p.name, p.stat().st_mtime_ns) for p in out.iterdir()} if earlier else None

    def second_ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs, "run_study", second_ctrl_c)
    result = CliRunner().invoke(cli.main, ["scenario", "study", str(study_file), "-o",
                                           str(out), "-q"])
    assert result.exit_code == 131, result.output
    assert "Quit at once: nothing was written." in result.output
    if earlier:
        assert {(p.name, p.stat().st_mtime_ns) for p in out.iterdir()} == listing
    else:
        assert not out.exists()


@pytest.mark.parametrize("stored", [False, True])
def test_a_second_ctrl_c_after_the_earlier_results_were_removed_says_so(
        study_file, monkeypatch, stored):
    """Without --resume a study removes an earlier study's results once it reaches its
    cluster. A second Ctrl-C before any result of its own said "the scenarios finished so
    far are kept" (exit 130), though none had finished; with one stored, it still does."""
    out = study_file.parent / "out"
    earlier = out / "scenarios" / "old-1" / "result.json"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("{}", encoding="utf-8")

    def removed_then_ctrl_c(*args, **kwargs):
        import shutil
        shutil.rmtree(out / "scenarios")
        if stored:
            mine = out / "scenarios" / "new-1" / "result.json"
            mine.parent.mkdir(parents=True)
            mine.write_text("{}", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs, "run_study", removed_then_ctrl_c)
    result = CliRunner().invoke(cli.main, ["scenario", "study", str(study_file), "-o",
                                           str(out), "-q"])
    if stored:
        assert result.exit_code == 130, result.output
        assert "Quit: the scenarios finished so far are kept" in result.output
    else:
        assert result.exit_code == 131, result.output
        assert "Quit at once: no scenario had finished; the earlier study's results" \
            in " ".join(result.output.split())

"""A study on a real Dask scheduler, in its own process, that dies mid-study (``kill -9``):
the study ends with its own error and exit 1, without Dask's log lines (an acceptance test
on a real cluster got some 30 lines of ``distributed.client`` tracebacks before it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scheduler.io.writer import write_instance_csv
from scheduler.timetable_io import write_timetable_csv
from tests.tiny import tiny_instance, valid_timetable

ROOT = Path(__file__).resolve().parents[2]
STUDY = """\
name: tiny
base: tiny
baseline: baseline.csv
time_limit: 30
grid:
  axes:
    delay: [1, 2, 3, 4, 5, 6]
  changes:
    - {change: shift_trip, teacher: V1, days: $delay}
  name: V1 $delay days late
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(path: Path, words: str, *processes: subprocess.Popen,
              timeout: float = 60) -> None:
    """Poll the log at ``path`` until it holds ``words``; fail if a process ends first."""
    deadline = time.monotonic() + timeout
    while words not in path.read_text(errors="replace"):
        if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
            pytest.fail(f"no '{words}' in {path.name}:\n{path.read_text(errors='replace')}")
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kill -9 of a process")
def test_a_scheduler_killed_mid_study_ends_it_with_one_error_and_no_traceback(tmp_path):
    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    write_timetable_csv(tiny_instance(), valid_timetable(), tmp_path / "baseline.csv")
    (tmp_path / "study.yaml").write_text(STUDY, encoding="utf-8")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("dask", "worker")}
    dask = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                             "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                             "--dashboard-address", ":0"], cwd=tmp_path, env=env,
                            stdout=logs["dask"], stderr=subprocess.STDOUT)
    started = [dask]
    try:
        _wait_for(tmp_path / "dask.log", "Scheduler at", dask)
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                   "--nthreads", "1", "--nworkers", "1", "--no-nanny"],
                                  cwd=tmp_path, env=env, stdout=logs["worker"],
                                  stderr=subprocess.STDOUT)
        started.append(worker)
        _wait_for(tmp_path / "dask.log", "Register worker", dask)
        study = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "scenario", "study",
                                  "study.yaml", "-o", "out", "--scheduler", address, "-q"],
                                 cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        started.append(study)
        _wait_for(tmp_path / "dask.log", "Receive client connection", dask, study)
        dask.send_signal(signal.SIGKILL)
        output, errors = study.communicate(timeout=120)
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait(30)
        for log in logs.values():
            log.close()
    assert study.returncode == 1, output + errors
    assert "Traceback" not in errors and "distributed." not in errors, errors
    assert errors.startswith("Error: "), errors
    assert "Dask scheduler" in errors, errors

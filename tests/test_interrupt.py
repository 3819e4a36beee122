"""Ctrl-C and SIGTERM sent to a real ``scheduler solve`` / ``scheduler cbctt solve`` process.

Each test starts the command line as a child process, waits (by polling its progress lines,
its signal handlers or its output folder) for one moment of the job, sends a real signal, and
checks the exit code and what was written: the best timetable found so far, passing
``scheduler verify`` and marked ``interrupted`` (exit 130), or, before the first timetable,
nothing at all (exit 131). Linux only: the moments are read from /proc.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from scheduler.paths import DEFAULT_INSTANCE, STEADY_INSTANCE

ROOT = Path(__file__).resolve().parent.parent
CTT = ROOT / "tests" / "cbctt" / "data" / "comp01.ctt"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the child's signal handlers from /proc")

LNS_LAUNCHER = """
import runpy, sys
from scheduler.model import solve
from scheduler.model.params import LnsSettings
solve.DEFAULT_SETTINGS = LnsSettings({settings})
sys.argv = ["scheduler", *sys.argv[1:]]
runpy.run_path({cli!r}, run_name="__main__")
"""

# CB-CTT's first search waits for the stop request, then runs with no time left (comp01's
# first timetable takes 0.1 s, less than the stop takes to reach a running search): the
# signal always comes before a first timetable, however fast the machine
CBCTT_WAITING_LAUNCHER = """
import dataclasses, runpy, sys, time
from scheduler.cbctt import solve
from scheduler.interrupt import stop_requested
real = solve.run_cpsat
def waiting(model, params, *args, **kwargs):
    deadline = time.monotonic() + 60
    while not stop_requested() and time.monotonic() < deadline:
        time.sleep(0.01)
    return real(model, dataclasses.replace(params, time_limit=0.0), *args, **kwargs)
solve.run_cpsat = waiting
sys.argv = ["scheduler", *sys.argv[1:]]
runpy.run_path({cli!r}, run_name="__main__")
"""

# CB-CTT's model building says when it starts, so that a signal can come during it
CBCTT_BUILDING_LAUNCHER = """
import runpy, sys
from scheduler.cbctt import solve
real = solve.build_feasibility_model
def building(*args, **kwargs):
    print("building", flush=True)
    return real(*args, **kwargs)
solve.build_feasibility_model = building
sys.argv = ["scheduler", *sys.argv[1:]]
runpy.run_path({cli!r}, run_name="__main__")
"""

# The command line loads slowly: importing click waits a minute, after saying so
SLOW_START_LAUNCHER = """
import builtins, runpy, sys, time
real = builtins.__import__
def slow(name, *args, **kwargs):
    if name == "click":
        print("loading", flush=True)
        time.sleep(60)
    return real(name, *args, **kwargs)
builtins.__import__ = slow
sys.argv = ["scheduler", *sys.argv[1:]]
runpy.run_path({cli!r}, run_name="__main__")
"""

# Signals to itself while the process ends, after the command has written everything
SIGNALS_AT_EXIT_LAUNCHER = """
import atexit, os, runpy, signal, sys, time
def late():
    os.kill(os.getpid(), signal.SIGTERM)
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
atexit.register(late)
sys.argv = ["scheduler", *sys.argv[1:]]
runpy.run_path({cli!r}, run_name="__main__")
"""


class Child:
    """A command-line process whose output lines are collected as they come."""

    def __init__(self, args: list[str], cwd: Path, settings: str | None = None,
                 launcher: str | None = None) -> None:
        if launcher is not None:
            command = [sys.executable, "-c", launcher.format(cli=str(ROOT / "cli.py")), *args]
        elif settings is None:
            command = [sys.executable, str(ROOT / "cli.py"), *args]
        else:  # the same command line, with the large-instance strategies on a small instance
            code = LNS_LAUNCHER.format(settings=settings, cli=str(ROOT / "cli.py"))
            command = [sys.executable, "-c", code, *args]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._readers = [threading.Thread(target=self._collect, args=(stream,), daemon=True)
                         for stream in (self.process.stdout, self.process.stderr)]
        for reader in self._readers:
            reader.start()

    def _collect(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until(self, ready: Callable[[], bool], what: str, timeout: float = 120) -> None:
        """Poll ``ready`` until it holds; fail if the process ends first."""
        deadline = time.monotonic() + timeout
        while not ready():
            if self.process.poll() is not None:
                pytest.fail(f"the process ended before {what}:\n{self.output}")
            if time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"no {what} within {timeout} s:\n{self.output}")
            time.sleep(0.01)

    def wait_for_phase(self, phase: str, *words: str, timeout: float = 120) -> None:
        """Wait for a progress line of ``phase`` holding every one of ``words``."""
        wanted = (f"s  {phase}", *words)
        self.wait_until(lambda: any(all(w in line for w in wanted) for line in self.lines),
                        f"progress line with {wanted}", timeout)

    def handlers_installed(self) -> bool:
        """True once the command catches SIGTERM (Python alone does not): the stop handler."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        caught = int(next(line.split()[1] for line in status.splitlines()
                          if line.startswith("SigCgt:")), 16)
        return bool(caught & (1 << (signal.SIGTERM - 1)))

    def send(self, number: int) -> None:
        self.process.send_signal(number)

    def finish(self, timeout: float = 180) -> int:
        code = self.process.wait(timeout)
        for reader in self._readers:
            reader.join(5)
        return code


def solve_args(out: Path, instance: Path = DEFAULT_INSTANCE, limit: str = "30") -> list[str]:
    return ["solve", str(instance), "-o", str(out), "-t", limit, "-w", "2"]


def old_output(out: Path) -> dict[str, bytes]:
    """An output folder of an earlier run (a marker and a summary); its bytes by name."""
    out.mkdir()
    (out / ".scheduler-output").write_text("earlier run\n")
    (out / "summary.json").write_text('{"status": "from an earlier run"}\n')
    return snapshot(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".new-" in p.name or ".old-" in p.name)


def assert_kept_best_timetable(out: Path, instance: Path = DEFAULT_INSTANCE) -> dict:
    """The folder holds a complete, interrupted, verified run; returns its summary."""
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["has_timetable"] is True
    assert summary["verified"] is True
    for name in ("timetable.xlsx", "timetable.csv", "timetable.json", "visitors.png",
                 "occupancy.png", ".scheduler-output"):
        assert (out / name).is_file(), name
    verified = CliRunner().invoke(cli.main, ["verify", str(instance), str(out / "timetable.csv")])
    assert verified.exit_code == 0, verified.output
    assert not leftovers(out.parent)
    return summary


def test_sigint_while_reading_writes_nothing_and_exits_131(tmp_path):
    """Ctrl-C as soon as the command has taken over the signals (it is loading its code and
    reading the instance): a one-line message, exit 131, the earlier output untouched."""
    out = tmp_path / "out"
    before = old_output(out)
    child = Child(solve_args(out), tmp_path)
    child.wait_until(child.handlers_installed, "signal handlers")
    child.send(signal.SIGINT)
    assert child.finish() == 131, child.output
    assert "nothing was written" in child.output
    assert "Traceback" not in child.output and "Aborted" not in child.output
    assert snapshot(out) == before
    assert not leftovers(tmp_path)


def test_sigterm_during_phase_1_of_a_larger_instance_writes_nothing_and_exits_131(tmp_path):
    """SIGTERM at the first progress of phase 1 on the steady state (whose first timetable
    takes many seconds): no timetable yet, nothing written."""
    out = tmp_path / "out"
    before = old_output(out)
    child = Child(solve_args(out, STEADY_INSTANCE), tmp_path)
    child.wait_for_phase("feasible", "solutions   0")
    child.send(signal.SIGTERM)
    assert child.finish() == 131, child.output
    assert "Interrupted before a first timetable was found: nothing was written." \
        in child.output
    assert "Traceback" not in child.output
    assert snapshot(out) == before and not leftovers(tmp_path)


def test_sigterm_during_optimisation_writes_the_best_timetable_and_exits_130(tmp_path):
    out = tmp_path / "out"
    old_output(out)
    child = Child(solve_args(out), tmp_path)
    child.wait_for_phase("optimize")
    began = time.monotonic()
    child.send(signal.SIGTERM)
    assert child.finish() == 130, child.output
    assert time.monotonic() - began < 60  # stopped, not run to the 30 s limit and beyond
    assert "Interrupted: kept the best timetable found so far." in child.output
    assert "Traceback" not in child.output and "terminate called" not in child.output
    summary = assert_kept_best_timetable(out)
    assert summary["solve_time"] < 30


def test_sigterm_during_the_construction_after_phase_1_keeps_phase_1s_timetable(tmp_path):
    """The large-instance strategy: after phase 1 (its cost is shown), a second start is built
    group by group; SIGTERM there keeps phase 1's timetable, with no search after it."""
    out = tmp_path / "out"
    child = Child(solve_args(out), tmp_path, settings="full_model_options=0")
    child.wait_until(lambda: any("s  feasible" in line and "solutions   1" in line
                                 and "objective        -" not in line for line in child.lines),
                     "phase 1's timetable")
    child.send(signal.SIGTERM)
    assert child.finish() == 130, child.output
    summary = assert_kept_best_timetable(out)
    assert summary["solver_parameters"]["strategy"] == "phase 1 + lns"
    assert summary["solver_parameters"]["lns_iterations"] == 0


def test_sigint_during_large_neighbourhood_search_exits_130(tmp_path):
    """The large-instance strategy (phase 1, LNS, bound) on the default instance."""
    out = tmp_path / "out"
    child = Child(solve_args(out), tmp_path,
                  settings="full_model_options=0, min_construct_seconds=1e9")
    child.wait_for_phase("lns ")
    child.send(signal.SIGINT)
    assert child.finish() == 130, child.output
    summary = assert_kept_best_timetable(out)
    assert summary["solver_parameters"]["strategy"] == "phase 1 + lns"
    assert "lower_bound" not in summary  # no bound after an interrupt


@pytest.mark.parametrize("flat", [["--flat"], []], ids=["flat", "tiers"])
def test_sigint_during_the_lns_after_a_whole_model_solve_exits_130(tmp_path, flat):
    """`solve` on the default instance, flat or with its tiers: the whole model, then LNS from
    its timetable (``polish_share``); Ctrl-C in that LNS keeps the best timetable found."""
    out = tmp_path / "out"
    child = Child([*solve_args(out), *flat], tmp_path)
    child.wait_for_phase("lns ")
    child.send(signal.SIGINT)
    assert child.finish() == 130, child.output
    assert "Traceback" not in child.output
    summary = assert_kept_best_timetable(out)
    assert summary["solver_parameters"]["strategy"] == "whole model + lns"
    assert summary["solve_time"] < 30
    if not flat:
        assert [tier["name"] for tier in summary["tiers"]] == ["norm", "comfort"]


def test_sigint_during_the_bound_from_parts_exits_130(tmp_path):
    out = tmp_path / "out"
    child = Child(solve_args(out, limit="12"), tmp_path,
                  settings="full_model_options=0, min_construct_seconds=1e9, bound_share=0.7")
    child.wait_for_phase("bound ", timeout=180)
    child.send(signal.SIGINT)
    assert child.finish() == 130, child.output
    summary = assert_kept_best_timetable(out)
    assert summary["lower_bound"]["complete"] is False


def test_two_interrupts_while_writing_quit_at_once_and_leave_one_run_in_the_folder(tmp_path):
    """The first signal arrives after the search (while the files are written): the run
    completes. A second one quits at once: the folder then holds the earlier output or the
    new one whole, never a mix; the next write removes what the killed run left."""
    from scheduler.atomic import replace_directory

    out = tmp_path / "out"
    before = old_output(out)
    child = Child(solve_args(out, limit="3"), tmp_path)
    child.wait_until(lambda: bool(leftovers(tmp_path)), "the new output folder", timeout=180)
    child.send(signal.SIGINT)
    time.sleep(0.2)
    child.send(signal.SIGINT)
    assert child.finish() == 131, child.output
    assert "Quit at once" in child.output and "Traceback" not in child.output
    now = snapshot(out)
    if now != before:  # the swap had happened: the new run, complete
        assert json.loads(now["summary.json"])["has_timetable"] is True
        assert {"timetable.csv", "timetable.xlsx", "occupancy.png"} <= set(now)
    with replace_directory(out, ("summary.json",)) as staging:
        (staging / "summary.json").write_text("{}\n")
    assert not leftovers(tmp_path)


def test_one_interrupt_after_the_search_still_writes_the_whole_run(tmp_path):
    out = tmp_path / "out"
    child = Child(solve_args(out, limit="3"), tmp_path)
    child.wait_until(lambda: bool(leftovers(tmp_path)), "the new output folder", timeout=180)
    child.send(signal.SIGINT)
    code = child.finish()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is False and summary["has_timetable"] is True
    # the search had ended: nothing was cut short (7: 3 s may end before optimising)
    assert code == (0 if summary["optimised"] else 7), child.output
    assert not leftovers(tmp_path)


def test_cbctt_sigint_during_the_search_writes_the_best_timetable_and_exits_130(tmp_path):
    """SIGINT while the large-neighbourhood search's threads run (the "periods" phase). A
    long limit makes its patience (5% of it) 30 s: a search that ignored the stop request
    would run on until it stalls or its phase ends, far beyond the 20 s allowed here."""
    solution = tmp_path / "comp01.sol"
    child = Child(["cbctt", "solve", str(CTT), "-o", str(solution), "-t", "600", "-w", "2"],
                  tmp_path)
    child.wait_for_phase("periods", "solutions   1")
    began = time.monotonic()
    child.send(signal.SIGINT)
    assert child.finish() == 130, child.output
    assert time.monotonic() - began < 20
    assert "Traceback" not in child.output
    summary = json.loads(solution.with_suffix(".json").read_text())
    assert summary["interrupted"] is True and summary["scored"]["feasible"] is True
    scored = CliRunner().invoke(cli.main, ["cbctt", "score", str(CTT), str(solution),
                                           "--quiet-violations"])
    assert scored.exit_code == 0, scored.output
    assert f"Total Cost = {summary['cost']}" in scored.output


def test_cbctt_sigterm_before_a_timetable_writes_nothing_and_exits_131(tmp_path):
    solution = tmp_path / "comp01.sol"
    child = Child(["cbctt", "solve", str(CTT), "-o", str(solution), "-t", "60"], tmp_path,
                  launcher=CBCTT_WAITING_LAUNCHER)
    child.wait_until(child.handlers_installed, "signal handlers")
    child.send(signal.SIGTERM)
    assert child.finish() == 131, child.output
    assert "nothing was written" in child.output
    assert not solution.exists() and not solution.with_suffix(".json").exists()


def test_cbctt_sigint_while_the_model_is_built_exits_131_at_once(tmp_path):
    """SIGINT while a model of 1,488 periods is built (comp01 six times over, 31 days of 48
    periods: 6 to 13 s to build). The build used to run to its end before the stop was
    seen; it now gives up within moments."""
    from tests.cbctt.widened import widened

    instance = tmp_path / "wide.ctt"
    instance.write_text(widened(CTT.read_text(), copies=6, days=31, periods_per_day=48))
    solution = tmp_path / "wide.sol"
    child = Child(["cbctt", "solve", str(instance), "-o", str(solution), "-t", "600",
                   "-w", "1"], tmp_path, launcher=CBCTT_BUILDING_LAUNCHER)
    child.wait_until(lambda: any("building" in line for line in child.lines), "building")
    began = time.monotonic()
    child.send(signal.SIGINT)
    assert child.finish() == 131, child.output
    assert time.monotonic() - began < 4, child.output
    assert "Traceback" not in child.output
    assert not solution.exists() and not solution.with_suffix(".json").exists()


@pytest.mark.slow
def test_sigint_during_lns_on_the_steady_state_exits_130(tmp_path):
    out = tmp_path / "out"
    child = Child(solve_args(out, STEADY_INSTANCE, limit="60"), tmp_path)
    child.wait_for_phase("lns ", timeout=300)
    child.send(signal.SIGINT)
    assert child.finish(timeout=300) == 130, child.output
    summary = assert_kept_best_timetable(out, STEADY_INSTANCE)
    assert summary["solve_time"] < 60
    shutil.rmtree(out)


def test_sigint_while_the_command_line_loads_exits_131_without_a_traceback(tmp_path):
    solution = tmp_path / "comp01.sol"
    child = Child(["cbctt", "solve", str(CTT), "-o", str(solution), "-t", "60"], tmp_path,
                  launcher=SLOW_START_LAUNCHER)
    child.wait_until(lambda: "loading" in child.output, "the command line loading")
    child.send(signal.SIGINT)
    assert child.finish() == 131, child.output
    assert "Interrupted while starting: nothing was written." in child.output
    assert "Traceback" not in child.output and "KeyboardInterrupt" not in child.output
    assert not solution.exists()


def test_signals_while_the_process_ends_do_not_change_its_exit_code(tmp_path):
    """SIGTERM and SIGINT after every file was written, while the interpreter shuts down
    (a search's threads and the interpreter take a moment): the run's own exit code."""
    solution = tmp_path / "toy.sol"
    toy = ROOT / "tests" / "cbctt" / "data" / "toy.ctt"
    child = Child(["cbctt", "solve", str(toy), "-o", str(solution), "-t", "2", "-w", "1",
                   "-q"], tmp_path, launcher=SIGNALS_AT_EXIT_LAUNCHER)
    assert child.finish() == 0, child.output
    assert solution.is_file() and solution.with_suffix(".json").is_file()

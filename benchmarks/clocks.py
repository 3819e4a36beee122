"""Clocks for benchmarks that do not depend on the machine's load (not a test, not library).

The solvers read the time with :func:`time.perf_counter` and give CP-SAT wall-clock limits; on
a machine shared with other jobs the same seed then makes a different search. :func:`install`
replaces, for the whole process, both the clock and CP-SAT's limits:

* ``work``: the clock is the CP-SAT deterministic time spent so far (by every solve of the
  process) divided by ``cores``, and every CP-SAT time limit becomes the same limit in
  deterministic time. Python work (building models) costs nothing. With one search thread a
  run is reproducible.
* ``cpu``: the clock is the process's CPU time divided by ``cores`` (what the run would take
  on that many cores of its own; optimistic where only one core is busy), and every CP-SAT
  time limit is measured on that clock.

Both replace :func:`time.perf_counter`; :data:`wall` keeps the real one.
"""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

wall = time.perf_counter
"""The real clock."""

MODES = ("wall", "work", "cpu")


class _Clock:
    def __init__(self, mode: str, cores: int) -> None:
        self.mode = mode
        self.cores = cores
        self.work = 0.0  # CP-SAT deterministic time of every solve so far
        self.lock = threading.Lock()
        self.cpu_start = time.process_time()

    def now(self) -> float:
        if self.mode == "work":
            return 1000.0 + self.work / self.cores
        return 1000.0 + (time.process_time() - self.cpu_start) / self.cores

    def spent(self, work: float) -> None:
        with self.lock:
            self.work += work


_clock: _Clock | None = None


def install(mode: str, cores: int) -> None:
    """Replace the process's clock and CP-SAT's time limits (``mode`` in :data:`MODES`;
    ``wall`` changes nothing)."""
    global _clock
    if mode not in MODES:
        raise ValueError(f"Expected a clock among {MODES}, got {mode!r}")
    if mode == "wall" or _clock is not None:
        return
    _clock = clock = _Clock(mode, cores)
    solve = cp_model.CpSolver.solve

    def limited_solve(self, model, solution_callback=None):
        p = self.parameters
        limit = p.max_time_in_seconds
        finite = limit < 1e9
        watchdog = None
        if finite:
            p.max_time_in_seconds = 3600.0 + 100 * limit  # only a safety net
            if mode == "work":
                p.max_deterministic_time = min(p.max_deterministic_time, limit)
            else:
                watchdog = _Watchdog(self, clock.now() + limit, clock)
        try:
            status = solve(self, model, solution_callback)
        finally:
            if watchdog is not None:
                watchdog.done.set()
        clock.spent(self.response_proto.deterministic_time)
        return status

    cp_model.CpSolver.solve = limited_solve
    time.perf_counter = clock.now


def spent_work() -> float:
    """CP-SAT deterministic time spent since :func:`install` (0 with the wall clock)."""
    return 0.0 if _clock is None else _clock.work


class _Watchdog:
    """Stops a CP-SAT search once the clock passes ``until``."""

    def __init__(self, solver: cp_model.CpSolver, until: float, clock: _Clock) -> None:
        self.done = threading.Event()

        def watch() -> None:
            while not self.done.wait(0.05):
                if clock.now() >= until:
                    solver.stop_search()
                    return

        threading.Thread(target=watch, daemon=True).start()


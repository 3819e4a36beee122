"""The package's public API: every name the package docstring and README promise, loaded
lazily, and the usage example of the docstring run as written (on the tiny instance)."""

from __future__ import annotations

import subprocess
import sys

import scheduler


def test_every_public_name_loads():
    for name in scheduler.__all__:
        assert getattr(scheduler, name) is not None, name


def test_importing_the_package_loads_no_solver_and_no_plotting():
    code = ("import sys, scheduler; "
            "print(any(m.startswith(('ortools', 'matplotlib')) for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_the_usage_example_runs(tmp_path):
    from scheduler import SolverParams, export_timetable, solve_timetable, verify_timetable
    from tests.tiny import tiny_instance

    instance = tiny_instance()
    result = solve_timetable(instance, SolverParams(time_limit=10, workers=2, seed=0))
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok
    written = export_timetable(instance, result.timetable, "xlsx", tmp_path / "out")
    assert [p.name for p in written] == ["timetable.xlsx"]


def test_the_errors_the_docstrings_name_are_public():
    """Docstrings tell callers to expect these; `from scheduler import InputError` failed."""
    names = ("SchedulerError", "InputError", "OutputError", "Interrupted", "BaselineRejected",
             "VerificationFailed", "ObjectiveMismatch")
    assert set(names) <= set(scheduler.__all__)
    for name in names:
        assert issubclass(getattr(scheduler, name), scheduler.SchedulerError), name
    assert {"Problem", "StopToken", "watching", "stop_on_signals"} <= set(scheduler.__all__)


def test_the_search_log_goes_to_logging_not_to_the_standard_output():
    """`SolverParams(log_search=True)` wrote CP-SAT's log straight to file descriptor 1, past
    any redirection: the library prints nothing; the log lines are INFO records."""
    code = (
        "import logging, sys\n"
        "from tests.tiny import tiny_instance\n"
        "from scheduler import SolverParams, solve_timetable\n"
        "lines = []\n"
        "handler = logging.Handler(); handler.emit = lambda r: lines.append(r.getMessage())\n"
        "logging.getLogger('scheduler.cpsat').addHandler(handler)\n"
        "logging.getLogger('scheduler.cpsat').setLevel(logging.INFO)\n"
        "solve_timetable(tiny_instance(), SolverParams(time_limit=2, workers=1,"
        " log_search=True))\n"
        "sys.stderr.write(str(sum('CP-SAT' in line for line in lines)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout == ""
    assert int(done.stderr.strip()) >= 1

"""Course scheduling and faculty timetabling for the CQUPT–FEFU Joint Institute (CP-SAT).

The public API, importable from here (each name is loaded on first use, so that ``import
scheduler`` stays cheap and loads neither OR-Tools nor matplotlib)::

    from scheduler import (read_instance, solve_timetable, verify_timetable, read_timetable,
                           export_timetable, SolverParams)

    instance = read_instance("instances/cqupt-fefu-2026-fall")   # or an .xlsx workbook
    result = solve_timetable(instance, SolverParams(time_limit=30, workers=2, seed=0))
    verification = verify_timetable(instance, result.timetable)  # independent of the solver
    assert verification.ok
    export_timetable(instance, result.timetable, "xlsx", "out")  # also csv, json, ics, html

``solve_to_folder`` is the whole ``scheduler solve`` job (read, solve, verify, write);
``explain_infeasibility`` says why an instance has no timetable, ``run_scenario`` answers a
what-if question (a :class:`Scenario` from ``read_scenario``, solved as
:class:`ScenarioParams` say, into a :class:`Comparison`), ``plot_timetable`` and
``timetable_kpis`` draw and measure a timetable.

Errors are :class:`SchedulerError` subclasses: :class:`InputError` (every :class:`Problem` of an
input, located), :class:`OutputError` (a destination that cannot be written; nothing is),
:class:`BaselineRejected`, :class:`VerificationFailed`, :class:`ObjectiveMismatch` and
:class:`Interrupted` (stopped before a first timetable: nothing written). An argument
outside what a function takes (a format, language or kind it does not know, a negative time
limit) raises :class:`ValueError`. A stop is requested with a :class:`StopToken` under
:func:`watching`, or by Ctrl-C and SIGTERM under :func:`stop_on_signals`: the running search
stops and the best timetable found is returned.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("cqupt-fefu-scheduler")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+local"

_PUBLIC = {
    "read_instance": "scheduler.io.reader",
    "write_instance": "scheduler.io.writer",
    "Instance": "scheduler.instance",
    "Timetable": "scheduler.timetable",
    "Meeting": "scheduler.timetable",
    "read_timetable": "scheduler.timetable_io",
    "SolverParams": "scheduler.cpsat",
    "SolveStatus": "scheduler.cpsat",
    "SolveRequest": "scheduler.model.params",
    "solve_timetable": "scheduler.counted_out",
    "SolveResult": "scheduler.model.solve",
    "verify_timetable": "scheduler.verify",
    "Verification": "scheduler.verify",
    "solve_to_folder": "scheduler.pipeline",
    "SolveSettings": "scheduler.pipeline",
    "SolveOutcome": "scheduler.pipeline",
    "explain_infeasibility": "scheduler.explain",
    "export_timetable": "scheduler.exports",
    "EXPORT_FORMATS": "scheduler.exports",
    "plot_timetable": "scheduler.plotting",
    "timetable_kpis": "scheduler.report",
    "run_scenario": "scheduler.scenarios.run",
    "ScenarioParams": "scheduler.scenarios.run",
    "Comparison": "scheduler.scenarios.compare",
    "Scenario": "scheduler.scenarios",
    "read_scenario": "scheduler.scenarios",
    "SchedulerError": "scheduler.errors",
    "InputError": "scheduler.errors",
    "OutputError": "scheduler.errors",
    "Problem": "scheduler.errors",
    "Interrupted": "scheduler.interrupt",
    "StopToken": "scheduler.interrupt",
    "watching": "scheduler.interrupt",
    "stop_on_signals": "scheduler.interrupt",
    "BaselineRejected": "scheduler.roundtrip",
    "VerificationFailed": "scheduler.pipeline",
    "ObjectiveMismatch": "scheduler.pipeline",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value

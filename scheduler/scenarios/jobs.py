"""The jobs behind ``scheduler scenario run`` and ``scheduler scenario sweep``: read the files,
run, write the outputs. Each returns what happened; nothing is printed."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.instance import Instance
from scheduler.io.reader import read_instance
from scheduler.progress import ProgressCallback
from scheduler.roundtrip import check_baseline
from scheduler.scenarios.compare import Comparison
from scheduler.scenarios.reader import read_scenario, read_sweep
from scheduler.scenarios.report import write_scenario, write_sweep
from scheduler.scenarios.run import ScenarioParams, baseline_side, run_scenario
from scheduler.scenarios.sweep import (
    DelaySweep,
    ProgressHook,
    SweepParams,
    SweepResult,
    SweepTask,
    run_sweep,
)
from scheduler.timetable import Timetable
from scheduler.timetable_io import read_timetable
from scheduler.trips_io import trips_for


class BaselineWarning(UserWarning):
    """The baseline timetable breaks hard rules of the base instance."""


def _baseline(instance: Instance, path: str | Path | None) -> Timetable | None:
    if path is None:
        return None
    timetable = read_timetable(path)
    timetable = replace(timetable, trips=trips_for(instance, path))  # planned trips beside it
    checked = baseline_side(instance, timetable).verification
    if checked is not None and not checked.ok:
        warnings.warn(f"the baseline {path} breaks {len(checked.violations)} hard rule(s) of "
                      f"the base instance, e.g. {checked.violations[0]}; its meetings are "
                      "still kept where possible", BaselineWarning, stacklevel=3)
    return timetable


@dataclass(frozen=True)
class ScenarioOutcome:
    """A finished scenario run: the comparison and the files written."""

    comparison: Comparison
    files: tuple[Path, ...]


def scenario_to_folder(base_path: str | Path, scenario_path: str | Path, outdir: str | Path,
                       baseline_path: str | Path | None = None,
                       params: ScenarioParams | None = None,
                       on_progress: ProgressCallback | None = None) -> ScenarioOutcome:
    """Read the base instance, the scenario and the baseline (verified against the base
    first: :func:`~scheduler.roundtrip.check_baseline`); run; write the comparison."""
    base = read_instance(base_path)
    scenario = read_scenario(scenario_path)
    baseline = (check_baseline(base, baseline_path).timetable if baseline_path is not None
                else None)
    comparison = run_scenario(base, scenario, params, baseline, on_progress=on_progress)
    return ScenarioOutcome(comparison, write_scenario(comparison, outdir))


@dataclass(frozen=True)
class SweepOutcome:
    """A finished sweep: its base instance, the result and the files written."""

    base: Instance
    result: SweepResult
    files: tuple[Path, ...]


def sweep_to_folder(base_path: str | Path, outdir: str | Path,
                    delays: DelaySweep | None = None, sweep_file: str | Path | None = None,
                    baseline_path: str | Path | None = None, params: SweepParams | None = None,
                    on_done: ProgressHook | None = None) -> SweepOutcome:
    """Run a sweep of late arrivals (``delays``) and/or the scenarios of a sweep file in
    parallel processes; write the robustness table and the runs."""
    base = read_instance(base_path)
    tasks: list[SweepTask] = []
    name = "arrival delays"
    if delays is not None:
        tasks += delays.tasks(base)
    if sweep_file is not None:
        name, scenarios = read_sweep(sweep_file)
        tasks += [SweepTask(s) for s in scenarios]
    baseline = _baseline(base, baseline_path)
    result = run_sweep(base, tasks, params, baseline, name, on_done)
    return SweepOutcome(base, result, write_sweep(result, base, outdir))

"""The jobs behind ``scheduler scenario run``, ``study`` and ``sweep``: read the files, run,
write the outputs. Each returns what happened; nothing is printed."""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from scheduler.atomic import (
    check_inputs_outside,
    check_outside,
    check_writable,
    write_bytes_atomic,
    write_text_atomic,
)
from scheduler.instance import Instance
from scheduler.interrupt import Interrupted, stop_requested
from scheduler.io.reader import read_instance
from scheduler.progress import ProgressCallback
from scheduler.roundtrip import check_baseline
from scheduler.scenarios.compare import Comparison
from scheduler.scenarios.reader import read_scenario
from scheduler.scenarios.report import check_scenario_output, write_scenario, write_sweep
from scheduler.scenarios.run import ScenarioParams, baseline_side, run_scenario
from scheduler.scenarios.study_cluster import (
    STOPPED_STARTING,
    NotStarted,
    check_scheduler_address,
)
from scheduler.scenarios.study_engine import StudyCallback, StudyOptions, run_study
from scheduler.scenarios.study_reader import read_study
from scheduler.scenarios.study_report import write_study
from scheduler.scenarios.study_store import StudyResult
from scheduler.scenarios.sweep import (
    DelaySweep,
    SweepParams,
    SweepResult,
    sweep_document,
    sweep_result,
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


SCENARIO_STOPPED = ("Interrupted: the scenario run was stopped before its comparison was "
                    "complete; nothing was written.")
"""What a scenario run stopped before writing says (exit 131)."""


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
    first: :func:`~scheduler.roundtrip.check_baseline`); run; write the comparison. An
    ``outdir`` inside the base, or whose files would replace an input, is refused first
    (:class:`~scheduler.errors.OutputError`). A stop requested (:mod:`scheduler.interrupt`)
    before the comparison is written raises :class:`~scheduler.interrupt.Interrupted`, with
    nothing written: a search cut short would make it another scenario's comparison."""
    inputs = tuple(Path(p) for p in (base_path, scenario_path, baseline_path) if p is not None)
    check_outside(outdir, base_path)
    check_scenario_output(outdir, inputs)
    base = read_instance(base_path)
    scenario = read_scenario(scenario_path)
    baseline = (check_baseline(base, baseline_path).timetable if baseline_path is not None
                else None)
    comparison = run_scenario(base, scenario, params, baseline, on_progress=on_progress)
    if stop_requested():  # a search was cut short: the comparison would not be the scenario's
        raise Interrupted(SCENARIO_STOPPED)
    return ScenarioOutcome(comparison, write_scenario(comparison, outdir))


@dataclass(frozen=True)
class StudyOutcome:
    """A study run: its base instance, the result and the files written (besides the
    scenarios' folders)."""

    base: Instance
    result: StudyResult
    files: tuple[Path, ...]


def study_to_folder(study_path: str | Path, outdir: str | Path,
                    options: StudyOptions | None = None,
                    on_progress: StudyCallback | None = None,
                    stop: Callable[[], bool] | None = None,
                    base: Instance | None = None) -> StudyOutcome:
    """Read a study file, its base instance (unless given) and baseline; run it on Dask,
    storing each scenario as it finishes; write the results table, ``study.json`` and
    ``study.png``. The study file is copied to ``OUT/study.yaml``."""
    study_path, outdir = Path(study_path), Path(outdir)
    check_scheduler_address((options or StudyOptions()).scheduler)
    study = read_study(study_path)
    check_outside(outdir, study.base)
    check_inputs_outside(outdir, (study.base, study.baseline))  # a study clears its results
    copy = outdir / "study.yaml"
    with _undone_if_interrupted(outdir, copy):
        try:
            check_writable(outdir)
            base = base or read_instance(study.base)
            baseline = _baseline(base, study.baseline)
            if not (copy.exists() and copy.samefile(study_path)):
                write_text_atomic(copy, study_path.read_text(encoding="utf-8-sig"))
        except KeyboardInterrupt:  # a second Ctrl-C while starting: nothing was run
            raise Interrupted(STOPPED_STARTING) from None
        result = run_study(study, base, baseline, outdir, options, on_progress, stop)
    files = (copy, *write_study(result, base, outdir))
    return StudyOutcome(base, result, files)


@contextlib.contextmanager
def _undone_if_interrupted(outdir: Path, written: Path) -> Iterator[None]:
    """A study that ends before it has run anything (stopped before its first scenario:
    :class:`~scheduler.interrupt.Interrupted`; a scheduler that cannot be reached:
    :class:`~scheduler.scenarios.study_cluster.NotStarted`; a second Ctrl-C before a
    scenario was stored) leaves ``outdir`` as it was:
    ``written`` as it was before the block (removed if the block created it), and ``outdir``
    removed if the block created it and it is empty."""
    had_folder = outdir.exists()
    before = written.read_bytes() if written.is_file() else None
    times = None if before is None else (written.stat().st_atime_ns, written.stat().st_mtime_ns)
    others = _listing(outdir, written)
    started = time.time_ns()
    try:
        yield
    except (Interrupted, NotStarted, KeyboardInterrupt) as exc:
        # a second Ctrl-C while the first one's stop is closing the cluster: still nothing run
        stopped = exc if not isinstance(exc, KeyboardInterrupt) else exc.__context__
        if not isinstance(stopped, Interrupted | NotStarted):
            if _stored_since(outdir, started):  # a result of this run is kept for --resume
                raise
            if _listing(outdir, written) != others:  # an earlier study's results removed
                raise QuitBeforeAnyResult from None
            stopped = None  # a second Ctrl-C before any scenario was stored: nothing kept
        if before is None:
            written.unlink(missing_ok=True)
        else:  # its bytes and its time, as a listing of the folder shows it
            if not written.is_file() or written.read_bytes() != before:
                write_bytes_atomic(written, before)
            if times is not None:
                os.utime(written, ns=times)
        if not had_folder:
            with contextlib.suppress(OSError):  # not empty: keep it
                outdir.rmdir()
        if isinstance(exc, KeyboardInterrupt) and stopped is not None:
            raise stopped from None
        raise


class QuitBeforeAnyResult(KeyboardInterrupt):
    """A second Ctrl-C before the study stored any result, after it had removed an earlier
    study's results from its folder (a study without ``--resume`` does so once it reaches its
    cluster): nothing is kept, and the folder is not as it was."""


def _stored_since(folder: Path, started: int) -> bool:
    """Whether a result (the base's or a scenario's ``result.json``) was written in
    ``folder`` at or after ``started`` (a ``time.time_ns`` value)."""
    return any(path.stat().st_mtime_ns >= started for path in folder.glob("**/result.json"))


def _listing(folder: Path, besides: Path) -> set[tuple[str, int]]:
    """The names and modification times in ``folder`` but ``besides`` (empty when there is
    no folder)."""
    if not folder.is_dir():
        return set()
    return {(p.name, p.stat().st_mtime_ns) for p in folder.iterdir() if p != besides}


@dataclass(frozen=True)
class SweepOutcome:
    """A finished sweep: its base instance, the result and the files written."""

    base: Instance
    result: SweepResult
    files: tuple[Path, ...]
    study: StudyResult


def sweep_to_folder(base_path: str | Path, outdir: str | Path,
                    delays: DelaySweep | None = None, sweep_file: str | Path | None = None,
                    baseline_path: str | Path | None = None, params: SweepParams | None = None,
                    options: StudyOptions | None = None,
                    on_progress: StudyCallback | None = None,
                    stop: Callable[[], bool] | None = None) -> SweepOutcome:
    """Run a sweep of late arrivals (``delays``) and/or the scenarios of a sweep file: write
    it as a study (``OUT/study.yaml``), run that, and write the robustness table and the runs
    beside the study's results. ``params.jobs`` and ``params.workers`` size the local
    cluster; ``options`` say where and whether to resume."""
    check_scheduler_address((options or StudyOptions()).scheduler)
    check_outside(outdir, base_path)
    check_inputs_outside(outdir, (base_path, baseline_path))
    check_inputs_outside(Path(outdir) / "study.yaml", (sweep_file,))  # the sweep's study
    base = read_instance(base_path)
    params = params or SweepParams()
    document = sweep_document(base, Path(base_path), delays,
                              Path(sweep_file) if sweep_file is not None else None,
                              Path(baseline_path) if baseline_path is not None else None,
                              params)
    study_path = Path(outdir) / "study.yaml"
    options = replace(options or StudyOptions(), jobs=params.jobs,
                      workers_per_task=params.workers)
    with _undone_if_interrupted(Path(outdir), study_path):
        write_text_atomic(study_path, yaml.safe_dump(document, allow_unicode=True,
                                                     sort_keys=False))
        outcome = study_to_folder(study_path, outdir, options, on_progress, stop, base)
    result = sweep_result(outcome.result)
    return SweepOutcome(base, result, outcome.files + write_sweep(result, base, outdir),
                        outcome.result)

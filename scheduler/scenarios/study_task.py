"""What a worker runs for a study: one scenario, or the base, returned as a row of figures and
the files of its folder (as bytes: workers need no shared file system).

A scenario runs exactly as ``scheduler scenario run`` runs it (:func:`run_scenario`), against
the study's baseline or with the base solved once as reference.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import InputError
from scheduler.instance import Instance
from scheduler.scenarios.apply import apply_scenario
from scheduler.scenarios.compare import Comparison, Side
from scheduler.scenarios.report import comparison_markdown, write_scenario
from scheduler.scenarios.run import ScenarioParams, run_scenario, solve_side
from scheduler.scenarios.study import StudyScenario
from scheduler.scenarios.study_store import INVALID, StudyRow
from scheduler.scenarios.sweep import first_reason
from scheduler.timetable import Timetable
from scheduler.timetable_io import write_timetable_csv
from scheduler.views.shares import teaching_share

Files = tuple[tuple[str, bytes], ...]
"""A folder's files: (path inside the folder, content)."""


@dataclass(frozen=True)
class Shared:
    """What every scenario of a study needs, sent to each worker once: the base instance,
    the timetable to stay close to (``None``: solve afresh) and the reference that costs and
    moves are measured against."""

    base: Instance
    baseline: Timetable | None
    reference: Side


@dataclass(frozen=True)
class Job:
    """One scenario to run: its place in the study, key, settings and folder name; ``full``
    writes everything ``scenario run`` writes (pictures, workbook, instance), else the
    comparison in words and as JSON and the timetable."""

    index: int
    key: str
    item: StudyScenario
    params: ScenarioParams
    folder: str
    attempt: int = 1
    full: bool = False


@dataclass(frozen=True)
class Done:
    """A finished scenario: its row and its folder's files."""

    row: StudyRow
    files: Files = ()


def _read_folder(folder: Path) -> Files:
    return tuple((str(p.relative_to(folder)), p.read_bytes())
                 for p in sorted(folder.rglob("*")) if p.is_file())


def scenario_files(comparison: Comparison, full: bool) -> Files:
    """The files of a scenario's folder."""
    with tempfile.TemporaryDirectory(prefix="study-") as tmp:
        folder = Path(tmp)
        if full:
            write_scenario(comparison, folder / "out")
            return _read_folder(folder / "out")
        (folder / "comparison.md").write_text(comparison_markdown(comparison) + "\n",
                                              encoding="utf-8")
        (folder / "scenario.json").write_text(
            json.dumps(comparison.as_dict(), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8")
        side = comparison.changed
        stem = "partial-timetable" if side.relaxed else "timetable"
        return _read_folder(folder) + timetable_files(comparison.instance, side.timetable,
                                                      stem)


def timetable_files(instance: Instance, timetable: Timetable | None,
                    stem: str = "timetable") -> Files:
    """``<stem>.csv`` of a timetable (nothing without one)."""
    if timetable is None:
        return ()
    with tempfile.TemporaryDirectory(prefix="study-") as tmp:
        write_timetable_csv(instance, timetable, Path(tmp) / f"{stem}.csv")
        return _read_folder(Path(tmp))


def fefu_share(instance: Instance, timetable: Timetable | None) -> float | None:
    """FEFU's teaching share of a timetable in percent, to a tenth (``None`` without one)."""
    share = None if timetable is None else teaching_share(instance, timetable, "FEFU")
    return None if share is None else round(100 * share, 1)


def tier_costs(side: Side) -> tuple[tuple[str, int], ...]:
    """The verified cost of each tier of a side (none without a verified timetable)."""
    return tuple(side.verification.tiers.items()) if side.verification is not None else ()


def comparison_row(comparison: Comparison, job: Job, seconds: float) -> StudyRow:
    """A scenario's figures: status, objective and its change (against the reference over
    the courses both place, as ``scenario run`` compares), cost per tier and soft rule, moves,
    FEFU's teaching share (of a partial timetable too: over what it places). A partial
    timetable (a relaxed solve of a scenario without a timetable of every course) has its
    figures too, over what it places; they were left blank."""
    side, compared = comparison.changed, comparison.compared.quality
    feasible = side.feasible
    placed = side.timetable is not None and side.verification is not None
    change = None
    if placed and compared is not None and side.quality is not None:
        change = side.quality - compared
    return StudyRow(
        job.item.name, job.key, side.status, feasible, job.item.at,
        side.quality if placed else None, change,
        tuple(side.costs.items()) if placed else (),
        comparison.moved_meetings if placed else None,
        comparison.moved_courses if placed else None, side.unplaced_periods, seconds,
        job.attempt, job.params.seed, job.params.time_limit,
        "" if feasible else first_reason(side), job.folder, side.not_optimised,
        fefu_share(comparison.instance, side.timetable), tier_costs(side) if placed else ())


def run_job(shared: Shared, job: Job) -> Done:
    """Run one scenario of a study (in a worker)."""
    started = time.perf_counter()
    try:
        applied = apply_scenario(shared.base, job.item.scenario)
    except InputError as exc:
        return Done(StudyRow(job.item.name, job.key, INVALID, at=job.item.at,
                             seconds=time.perf_counter() - started, attempts=job.attempt,
                             seed=job.params.seed, time_limit=job.params.time_limit,
                             reason=exc.problems[0].message, folder=job.folder))
    comparison = run_scenario(shared.base, job.item.scenario, job.params, shared.baseline,
                              shared.reference, applied=applied)
    files = scenario_files(comparison, job.full)
    return Done(comparison_row(comparison, job, time.perf_counter() - started), files)


def solve_base(base: Instance, params: ScenarioParams) -> Side:
    """Solve the base of a study that has no baseline (in a worker)."""
    return solve_side(base, "base", params)

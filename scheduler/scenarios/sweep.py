"""Sweeps: visitors arriving late, and the robustness of the term to it (the largest delay
each visitor's trip can absorb, and its cost).

A sweep is a shortcut for a study (:mod:`scheduler.scenarios.study`): :func:`sweep_document`
writes the study, which runs like any other, and :func:`sweep_result` reads the robustness
table off its results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scheduler.cpsat import SolveStatus
from scheduler.errors import InputError, Problem
from scheduler.instance import Instance
from scheduler.scenarios.changes import CancelTrip, Change, Scenario, ShiftTrip, ShortenTrip
from scheduler.scenarios.compare import Side
from scheduler.scenarios.reader import read_sweep
from scheduler.scenarios.run import ScenarioParams
from scheduler.scenarios.study_store import INVALID, StudyResult, StudyRow


@dataclass(frozen=True)
class SweepPoint:
    """The outcome of one scenario of a sweep, in a few figures.

    ``status``: the solver's status, or ``INVALID`` when the scenario cannot be applied
    (``reason`` says why). ``cost_change``: quality objective minus the reference's, over
    the courses both place (a course the scenario removes is not a saving).
    """

    scenario: str
    status: str
    feasible: bool
    quality: int | None = None
    cost_change: int | None = None
    moved: int | None = None
    unplaced_periods: int = 0
    reason: str = ""
    seconds: float = 0.0
    teacher: str | None = None
    delay: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SweepTask:
    """One scenario to run in a worker process."""

    scenario: Scenario
    teacher: str | None = None
    delay: int | None = None


@dataclass(frozen=True)
class SweepParams(ScenarioParams):
    """How a sweep runs: each scenario as :class:`ScenarioParams` say (CP-SAT workers default
    to the cores per job), in ``jobs`` worker processes (0: one per CPU core), with minimal
    change against the reference timetable unless ``fresh``."""

    jobs: int = 0
    fresh: bool = False


@dataclass(frozen=True)
class DelaySweep:
    """Late arrivals to try: the ``trip``-th trip of each of ``teachers`` (visiting teacher
    ids, or ``all``) arriving ``days`` late (``start:stop:step`` with stop included, or a list
    such as ``3,7,14``), moved whole or (with ``keep_departure``) shortened."""

    teachers: tuple[str, ...]
    days: str = "0:21:7"
    trip: int = 1
    keep_departure: bool = False

    def tasks(self, instance: Instance) -> list[SweepTask]:
        """One scenario per teacher and positive delay (see :func:`delay_scenarios`)."""
        teachers = None if "all" in self.teachers else list(self.teachers)
        return delay_scenarios(instance, teachers, parse_days(self.days), self.trip,
                               self.keep_departure)


def delay_scenarios(instance: Instance, teachers: Sequence[str] | None, delays: Sequence[int],
                    trip: int = 1, keep_departure: bool = False) -> list[SweepTask]:
    """One scenario per visiting teacher (all when ``teachers`` is ``None``) and positive
    delay: their ``trip``-th trip arrives ``delay`` days late, moved whole or (with
    ``keep_departure``) shortened."""
    visitors = [t.id for t in instance.teachers if t.visiting and instance.windows_of(t.id)]
    chosen = list(teachers) if teachers is not None else visitors
    unknown = [t for t in chosen if t not in visitors]
    if unknown:
        raise InputError([Problem("--delay", f"'{t}' is not a visiting teacher with a trip",
                                  f"use one of: all, {', '.join(visitors)}") for t in unknown])
    tasks = []
    for teacher in chosen:
        windows = instance.windows_of(teacher)
        for delay in delays:
            if delay <= 0:
                continue
            change: Change = (ShortenTrip(teacher, arrive_later=delay, trip=trip)
                              if keep_departure else ShiftTrip(teacher, delay, trip))
            name = f"{teacher} {delay} days late"
            if keep_departure and trip <= len(windows) and \
                    windows[trip - 1].arrival + dt.timedelta(days=delay) > \
                    windows[trip - 1].departure:
                change = CancelTrip(teacher, trip)  # arriving after the departure date
                name += " (no trip left)"
            tasks.append(SweepTask(Scenario(name, (change,), source=f"sweep: {name}"), teacher,
                                   delay))
    return tasks


def first_reason(side: Side) -> str:
    """The first sentence of why a side has no timetable."""
    explanation = side.diagnosis.explanation
    if explanation is not None:
        lines = [line for line in explanation.lines() if not line.startswith(" ")]
        if lines:
            return lines[0]
    return ("no timetable found within the time limit" if side.status == SolveStatus.UNKNOWN
            else "")


@dataclass(frozen=True)
class Robustness:
    """How a visiting teacher's trip absorbs late arrivals."""

    teacher: str
    name: str
    trip: str
    absorbed: int | None
    points: tuple[SweepPoint, ...]


@dataclass(frozen=True)
class SweepResult:
    """Every point of a sweep, the reference it is measured against, and the wall time."""

    name: str
    reference: SweepPoint
    points: tuple[SweepPoint, ...]
    delays: tuple[int, ...] = ()
    wall_time: float = 0.0
    jobs: int = 1
    minimal_change: bool = False
    planned: int = 0  # scenarios of the sweep (more than ``points`` when it was interrupted)
    interrupted: bool = False

    def robustness(self, instance: Instance) -> list[Robustness]:
        """Per teacher of a delay sweep: the largest delay with a timetable for it and for
        every smaller delay (``None`` when even the smallest fails)."""
        found = []
        for teacher in dict.fromkeys(p.teacher for p in self.points if p.teacher):
            points = sorted((p for p in self.points if p.teacher == teacher),
                            key=lambda p: p.delay or 0)
            absorbed: int | None = 0 if self.reference.feasible else None
            for point in points:
                if not point.feasible or absorbed is None:
                    break
                absorbed = point.delay
            windows = instance.windows_of(teacher)
            trip = (f"{windows[0].arrival.isoformat()}..{windows[0].departure.isoformat()}"
                    if windows else "")
            found.append(Robustness(teacher, instance.teacher_by_id[teacher].name, trip,
                                    absorbed, tuple(points)))
        return found

    def robustness_rows(self, instance: Instance) -> tuple[list[str], list[list[object]]]:
        """The robustness table: header, and per teacher the largest delay absorbed and the
        cost of each delay (:func:`point_text`)."""
        header = ["teacher", "name", "trip", "largest delay absorbed (days)",
                  *(f"+{d} days" for d in self.delays)]
        rows: list[list[object]] = []
        for item in self.robustness(instance):
            by_delay = {p.delay: p for p in item.points}
            rows.append([item.teacher, item.name, item.trip,
                         "none" if item.absorbed is None else item.absorbed,
                         *(point_text(by_delay[d], self.minimal_change) if d in by_delay
                           else "" for d in self.delays)])
        return header, rows

    def run_rows(self) -> list[list[object]]:
        """One row per run (the reference first), in the columns :data:`RUN_COLUMNS`."""
        return [[p.scenario, p.status, "" if p.cost_change is None else p.cost_change,
                 "" if p.quality is None else p.quality, "" if p.moved is None else p.moved,
                 p.unplaced_periods, round(p.seconds, 1), p.reason]
                for p in (self.reference, *self.points)]


RUN_COLUMNS = ("scenario", "status", "cost change", "quality objective", "meetings moved",
               "periods not placed", "seconds", "why not")
"""The columns of :meth:`SweepResult.run_rows`."""


def point_text(point: SweepPoint, minimal_change: bool) -> str:
    """A sweep point in a table cell: the cost change (and meetings moved), or why not."""
    if point.feasible:
        text = "0" if not point.cost_change else f"{point.cost_change:+,}"
        if minimal_change and point.moved is not None:
            text += f" ({point.moved} moved)"
        return text
    return {SolveStatus.INFEASIBLE: "no timetable", SolveStatus.UNKNOWN: "none found in time",
            INVALID: "invalid"}.get(point.status, point.status)


def _written(change: Change) -> dict[str, Any]:
    """A change of a delay scenario as a study file writes it."""
    if isinstance(change, ShiftTrip):
        return {"change": "shift_trip", "teacher": change.teacher, "days": change.days,
                "trip": change.trip}
    if isinstance(change, ShortenTrip):
        return {"change": "shorten_trip", "teacher": change.teacher,
                "arrive_later": change.arrive_later, "trip": change.trip}
    if isinstance(change, CancelTrip):
        return {"change": "cancel_trip", "teacher": change.teacher, "trip": change.trip}
    raise TypeError(f"a delay scenario does not make {type(change).__name__}")


def sweep_document(instance: Instance, base: Path, delays: DelaySweep | None = None,
                   sweep_file: Path | None = None, baseline: Path | None = None,
                   params: SweepParams | None = None) -> dict[str, Any]:
    """The study file of a sweep (as data to write as YAML): one scenario per teacher and
    delay placed on the axes ``visitor`` and ``delay``, then the scenarios of ``sweep_file``;
    paths absolute, so the study runs from anywhere."""
    params = params or SweepParams()
    name = read_sweep(sweep_file)[0] if sweep_file is not None else "arrival delays"
    document: dict[str, Any] = {"name": name, "base": str(base.resolve())}
    if baseline is not None:
        document["baseline"] = str(baseline.resolve())
    document["fresh"] = params.fresh
    document["seed"] = params.seed
    if params.time_limit is not None:
        document["time_limit"] = params.time_limit
    scenarios: list[dict[str, Any]] = [
        {"name": task.scenario.name, "at": {"visitor": task.teacher, "delay": task.delay},
         "changes": [_written(c) for c in task.scenario.changes]}
        for task in (delays.tasks(instance) if delays is not None else ())]
    if sweep_file is not None:
        scenarios.append({"sweep": str(sweep_file.resolve())})
    document["scenarios"] = scenarios
    return document


def sweep_result(result: StudyResult) -> SweepResult:
    """The sweep's points read off a study's results (``visitor`` and ``delay`` from the
    axes); the reference is delay 0 of every teacher."""
    ref = result.reference

    def point(row: StudyRow) -> SweepPoint:
        delay = row.level("delay")
        return SweepPoint(row.scenario, row.status, row.feasible, row.quality,
                          row.cost_change, row.moved, row.unplaced_periods, row.reason,
                          row.seconds, row.level("visitor"),
                          int(delay) if delay is not None else None)

    reference = SweepPoint("base", ref.status, ref.feasible, ref.quality,
                           0 if ref.feasible else None,
                           0 if result.minimal_change else None, 0, ref.reason,
                           seconds=ref.seconds, delay=0)
    points = tuple(point(row) for row in result.rows)
    delays = tuple(sorted({p.delay for p in points if p.delay is not None}))
    return SweepResult(result.study.name, reference, points, delays, result.wall_time,
                       result.slots, result.minimal_change, len(result.study.scenarios),
                       result.interrupted)


def parse_days(text: str) -> list[int]:
    """``0:21:7`` → 0, 7, 14, 21 (start:stop:step, stop included); ``14`` → 14; ``3,7`` →
    3, 7."""
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            if len(parts) == 2:
                parts.append(1)
            start, stop, step = parts
            if step <= 0:
                raise ValueError
            return list(range(start, stop + 1, step))
        return [int(p) for p in text.split(",")]
    except ValueError:
        raise InputError([Problem("--days", f"expected start:stop:step (e.g. 0:21:7) or a "
                                  f"list of days, got {text!r}", "write e.g. 0:21:7")]) from None

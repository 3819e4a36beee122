"""Sweeps: many scenarios at once in parallel processes, and the robustness of the term to
visitors arriving late (the largest delay each visitor's trip can absorb, and its cost)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, replace
from typing import Any

from scheduler.cpsat import SolveStatus
from scheduler.errors import InputError, Problem
from scheduler.instance import Instance
from scheduler.scenarios.apply import apply_scenario
from scheduler.scenarios.changes import CancelTrip, Change, Scenario, ShiftTrip, ShortenTrip
from scheduler.scenarios.compare import Side
from scheduler.scenarios.run import ScenarioParams, baseline_side, run_scenario, solve_side
from scheduler.timetable import Timetable

INVALID = "INVALID"
"""The status of a sweep point whose scenario cannot be applied to the base."""


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


def _first_reason(side: Side) -> str:
    explanation = side.diagnosis.explanation
    if explanation is not None:
        lines = [line for line in explanation.lines() if not line.startswith(" ")]
        if lines:
            return lines[0]
    return ("no timetable found within the time limit" if side.status == SolveStatus.UNKNOWN
            else "")


def run_task(base: Instance, task: SweepTask, params: ScenarioParams,
             baseline: Timetable | None, reference: Side) -> SweepPoint:
    """Run one scenario (in a worker process) and reduce it to a :class:`SweepPoint`."""
    started = time.perf_counter()
    try:
        applied = apply_scenario(base, task.scenario)
    except InputError as exc:
        return SweepPoint(task.scenario.name, INVALID, False,
                          reason=exc.problems[0].message, teacher=task.teacher,
                          delay=task.delay, seconds=time.perf_counter() - started)
    comparison = run_scenario(base, task.scenario, params, baseline, reference,
                              applied=applied)
    side = comparison.changed
    change = None
    compared = comparison.compared.quality  # the reference over the same courses
    if side.feasible and compared is not None and side.quality is not None:
        change = side.quality - compared
    return SweepPoint(
        task.scenario.name, side.status, side.feasible,
        side.quality if side.feasible else None, change,
        comparison.moved_meetings if side.feasible else None, side.unplaced_periods,
        "" if side.feasible else _first_reason(side), time.perf_counter() - started,
        task.teacher, task.delay)


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

    def robustness_rows(self, instance: Instance) -> tuple[list[str], list[list[str]]]:
        """The robustness table: header, and per teacher the largest delay absorbed and the
        cost of each delay (:func:`point_text`)."""
        header = ["teacher", "name", "trip", "largest delay absorbed (days)",
                  *(f"+{d} days" for d in self.delays)]
        rows = []
        for item in self.robustness(instance):
            by_delay = {p.delay: p for p in item.points}
            rows.append([item.teacher, item.name, item.trip,
                         "none" if item.absorbed is None else str(item.absorbed),
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


ProgressHook = Callable[[int, int, SweepPoint], None]


def _context() -> multiprocessing.context.BaseContext:
    """Fresh interpreters for workers: forking a process that runs CP-SAT threads is unsafe."""
    return multiprocessing.get_context("spawn")


def run_sweep(base: Instance, tasks: Sequence[SweepTask], params: SweepParams | None = None,
              baseline: Timetable | None = None, name: str = "sweep",
              on_done: ProgressHook | None = None,
              reference: Side | None = None) -> SweepResult:
    """Run every task in ``params.jobs`` worker processes and collect points.

    Each scenario is solved with minimal change against ``baseline`` — or, without one,
    against the base timetable solved once here (``reference``, unless given) — so that
    costs and moves measure the scenario, not the solver's noise; ``params.fresh`` solves
    each scenario afresh instead. The reference (the baseline, or the base solve) is delay 0
    of every teacher. ``on_done(done, total, point)`` is called as each scenario finishes.
    """
    started = time.perf_counter()
    params = params or SweepParams()
    cores = os.cpu_count() or 1
    jobs = params.jobs if params.jobs > 0 else cores
    jobs = max(1, min(jobs, len(tasks))) if tasks else 1
    if params.workers <= 0:
        params = replace(params, workers=max(1, cores // jobs))
    if reference is None:
        reference = (baseline_side(base, baseline) if baseline is not None
                     else solve_side(base, "base", params))
    if baseline is None and not params.fresh and reference.feasible:
        baseline = reference.timetable
    ref_point = SweepPoint("base", reference.status, reference.feasible, reference.quality,
                           0 if reference.feasible else None,
                           0 if baseline is not None else None, 0,
                           "" if reference.feasible else _first_reason(reference),
                           delay=0)
    points = _run_tasks(base, tasks, params, baseline, reference, jobs, on_done)
    order = {task.scenario.name: i for i, task in enumerate(tasks)}
    points.sort(key=lambda p: order.get(p.scenario, 0))
    delays = tuple(sorted({p.delay for p in points if p.delay is not None}))
    return SweepResult(name, ref_point, tuple(points), delays, time.perf_counter() - started,
                       jobs, baseline is not None)


def _run_tasks(base: Instance, tasks: Sequence[SweepTask], params: ScenarioParams,
               baseline: Timetable | None, reference: Side, jobs: int,
               on_done: ProgressHook | None) -> list[SweepPoint]:
    """The points of ``tasks`` in the order they finish, in ``jobs`` worker processes (in
    this process when ``jobs`` is 1)."""
    points: list[SweepPoint] = []

    def finished(point: SweepPoint) -> None:
        points.append(point)
        if on_done is not None:
            on_done(len(points), len(tasks), point)

    if jobs == 1:
        for task in tasks:
            finished(run_task(base, task, params, baseline, reference))
        return points
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        pending: set[Future[SweepPoint]] = {
            pool.submit(run_task, base, task, params, baseline, reference) for task in tasks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished(future.result())
    return points


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

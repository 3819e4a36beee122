"""Run a study on Dask: a local cluster sized to the machine, or an existing one.

Scenarios are submitted to the cluster's workers and stored as they finish (folder, row,
results table), so that an interrupted study keeps what it finished. A scenario that raises,
or whose worker dies, is tried once more and then recorded as failed with the reason; the
study goes on. A stop request (e.g. Ctrl-C or SIGTERM through
:func:`scheduler.interrupt.stop_on_signals`) cancels what is left and returns what finished.
Progress is reported through a callback; nothing is printed.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scheduler.errors import SchedulerError
from scheduler.instance import Instance
from scheduler.interrupt import Interrupted
from scheduler.scenarios.compare import Side
from scheduler.scenarios.run import ScenarioParams, baseline_side
from scheduler.scenarios.study import (
    Study,
    base_key,
    folder_name,
    instance_key,
    scenario_key,
    timetable_fingerprint,
)
from scheduler.scenarios.study_cluster import STOPPED_STARTING, Cluster, NotStarted
from scheduler.scenarios.study_store import (
    BASE,
    FAILED,
    StudyResult,
    StudyRow,
    StudyStore,
)
from scheduler.scenarios.study_task import (
    Done,
    Job,
    Shared,
    fefu_share,
    run_job,
    solve_base,
    tier_costs,
    timetable_files,
)
from scheduler.scenarios.sweep import first_reason
from scheduler.timetable import Timetable
from scheduler.timetable_io import read_timetable
from scheduler.verify import verify_timetable

POLL = 0.5
"""Seconds between looks at the cluster (stop requests, running scenarios, the clock)."""

Task = Callable[[Shared, Job], Done]

@dataclass(frozen=True)
class StudyOptions:
    """How a study runs.

    ``scheduler``: the address of a Dask scheduler (``tcp://host:8786``), or ``None`` for a
    local cluster of ``jobs`` worker processes (0: the CPU cores / ``workers_per_task``);
    ``workers_per_task``: CP-SAT workers of each scenario (0: the cores / ``jobs``);
    ``time_limit``: seconds per scenario, over the study's own; ``resume``: reuse the results
    stored in the output folder whose key still holds; ``retries``: further attempts of a
    scenario that failed; ``full_outputs``: each scenario's folder gets everything
    ``scheduler scenario run`` writes (pictures, workbook, instance), not only the comparison
    in words and as JSON and the timetable.
    """

    scheduler: str | None = None
    jobs: int = 0
    workers_per_task: int = 1
    time_limit: float | None = None
    resume: bool = False
    retries: int = 1
    full_outputs: bool = False

    def sized(self, cores: int, scenarios: int) -> tuple[int, int]:
        """(local workers, CP-SAT workers per scenario) on a machine of ``cores``."""
        per_task = self.workers_per_task
        if per_task <= 0:
            per_task = max(1, cores // self.jobs) if self.jobs > 0 else 1
        jobs = self.jobs if self.jobs > 0 else max(1, cores // per_task)
        return max(1, min(jobs, scenarios)), per_task


@dataclass(frozen=True)
class StudyProgress:
    """Where a study stands: scenarios finished (``done``, of ``total``; reused from an
    earlier run: ``resumed``; failed for good: ``failed``) and running, the seconds since it
    started and an estimate of the seconds left (``None`` until a scenario has finished).
    ``phase``: ``starting``, ``base`` (solving the base), ``scenarios`` or ``stopping``;
    ``last``: the scenario that has just finished (``None`` in the reports between);
    ``dashboard``: the Dask dashboard's
    address, when it has one; ``workers``: the Dask workers connected (``None`` until
    known; 0: the scenarios wait for one, e.g. after every worker of a cluster died)."""

    total: int
    done: int = 0
    failed: int = 0
    running: int = 0
    resumed: int = 0
    elapsed: float = 0.0
    remaining: float | None = None
    phase: str = "starting"
    last: StudyRow | None = None
    dashboard: str | None = None
    slots: int = 0
    workers: int | None = None


StudyCallback = Callable[[StudyProgress], None]


@dataclass(frozen=True)
class _Reference:
    """What the scenarios are measured against: the side, its row, and the fingerprint of its
    timetable (part of every scenario's key)."""

    side: Side
    row: StudyRow
    fingerprint: str | None


def _side_of(base: Instance, row: StudyRow, timetable: Timetable | None) -> Side:
    """The base side of a study from what is stored of it (so a resumed study measures
    against exactly what the first run did)."""
    if timetable is None or not row.feasible:
        return Side("base", row.status, None, None)
    return Side("base", row.status, timetable, verify_timetable(base, timetable))


def _base_row(base: Instance, side: Side, key: str) -> StudyRow:
    feasible = side.feasible
    return StudyRow("base", key, side.status, feasible, quality=side.quality if feasible else None,
                    cost_change=0 if feasible else None,
                    costs=tuple(side.costs.items()) if feasible else (),
                    reason="" if feasible else first_reason(side), folder=BASE,
                    fefu_share=fefu_share(base, side.timetable),
                    tiers=tier_costs(side) if feasible else ())


class StudyRun:
    """One run of a study: its options, output folder, cluster and progress."""

    def __init__(self, study: Study, base: Instance, baseline: Timetable | None,
                 outdir: str | Path, options: StudyOptions,
                 on_progress: StudyCallback | None, stop: Callable[[], bool] | None,
                 task: Task) -> None:
        self.study, self.base, self.baseline = study, base, baseline
        self.options = options
        self.store = StudyStore(outdir)
        self.on_progress = on_progress
        self.stop = stop or (lambda: False)
        self.task = task
        self.started = time.perf_counter()
        self.fingerprint = instance_key(base)
        self.rows: dict[int, StudyRow] = {}
        self.seconds: list[float] = []
        self.resumed = 0
        self.setup = 0.0
        self.cluster: Cluster | None = None
        self.progress = StudyProgress(len(study.scenarios))
        self.token = uuid.uuid4().hex[:8]

    def report(self, **changes: Any) -> None:
        failed = sum(1 for r in self.rows.values() if r.status == FAILED)
        done = len(self.rows)
        slots = self.progress.slots or 1
        remaining = None
        if self.seconds:
            remaining = sum(self.seconds) / len(self.seconds) * (self.progress.total - done) \
                / slots
        changes.setdefault("last", None)
        changes.setdefault("running", min(self.progress.running, self.progress.total - done))
        self.progress = replace(self.progress, done=done, failed=failed, resumed=self.resumed,
                                elapsed=time.perf_counter() - self.started,
                                remaining=remaining, **changes)
        if self.on_progress is not None:
            self.on_progress(self.progress)

    def wait(self, futures: dict[Any, Any]) -> list[Any]:
        """The futures finished within a poll (none when a stop was asked for)."""
        from distributed import wait

        assert self.cluster is not None
        if not self.cluster.connected():  # reconnecting, or closed: waiting could hang
            raise self.lost("the client lost its connection to it")
        keys = {f.key for f in futures}
        running, workers = self.cluster.running(keys)
        self.report(running=running, workers=workers)
        if self.stop():
            return []
        try:
            done, _ = wait(list(futures), timeout=POLL, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return []
        except CancelledError:  # by the scheduler (e.g. lost data): failures like any other
            return [f for f in futures if f.status != "pending"]
        except Exception as exc:  # e.g. "No clients found": the client closed itself
            if self.cluster.connected():
                raise
            raise self.lost(f"{type(exc).__name__}: {exc}") from None
        return list(done)

    def lost(self, reason: str) -> SchedulerError:
        """The error that ends a study whose scheduler is gone."""
        done = sum(row.status != FAILED for row in self.rows.values())
        return SchedulerError(
            f"the Dask scheduler was lost during the study ({reason}); the {done} "
            "scenarios finished are kept in the output folder: start the scheduler "
            "again and run the study with --resume")

    def reference(self, cluster: Cluster, per_task: int) -> _Reference | None:
        """The baseline, or the base: stored by an earlier run, or solved now (``None``
        when stopped first)."""
        if self.baseline is not None:
            side = baseline_side(self.base, self.baseline)
            fingerprint = timetable_fingerprint(self.baseline)
            row = _base_row(self.base, side, f"baseline-{fingerprint}")
            return _Reference(side, row, fingerprint)
        params = self.study.base_params(per_task, self.options.time_limit)
        key = base_key(params, self.fingerprint)
        stored = self.store.base(key) if self.options.resume else None
        if stored is not None:
            row, path = stored
            timetable = read_timetable(path) if path.is_file() and row.feasible else None
        else:
            self.report(phase="base")
            solved = self._solve_base(cluster, params)
            if solved is None:
                return None
            side, seconds = solved
            row = replace(_base_row(self.base, side, key), seconds=seconds, seed=params.seed,
                          time_limit=params.time_limit)
            timetable = side.timetable if side.feasible else None
            self.store.save_base(row, timetable_files(self.base, timetable))
        side = _side_of(self.base, row, timetable)
        return _Reference(side, row, timetable_fingerprint(timetable) if timetable else None)

    def _solve_base(self, cluster: Cluster,
                    params: ScenarioParams) -> tuple[Side, float] | None:
        """The base solved on the cluster and the seconds it took (``None`` when stopped)."""
        self.report(phase="base", dashboard=cluster.dashboard)
        reason = ""
        for attempt in range(1 + self.options.retries):
            started = time.perf_counter()
            future = cluster.client.submit(solve_base, self.base, params, pure=False,
                                           key=f"study-base-{self.token}-{attempt}")
            while not self.wait({future: None}):
                if self.stop():
                    future.cancel()
                    return None
            if future.status == "finished":
                return future.result(), time.perf_counter() - started
            reason = _failure(future)
        raise SchedulerError(f"the base could not be solved: {reason}")

    def run(self) -> StudyResult:
        study, options = self.study, self.options
        finished = self.store.finished() if options.resume else {}
        jobs, per_task = options.sized(os.cpu_count() or 1, len(study.scenarios))
        if self.stop():
            raise Interrupted(STOPPED_STARTING)
        cluster = self.cluster = Cluster(options.scheduler, jobs)
        interrupted = False
        try:
            try:  # first: a scheduler that cannot be reached leaves OUT as it was
                cluster.connect()
            except Interrupted:
                raise
            except KeyboardInterrupt:  # a second Ctrl-C while starting: nothing was run
                raise Interrupted(STOPPED_STARTING) from None
            except SchedulerError as exc:
                raise NotStarted(str(exc)) from exc
            if self.stop():  # stopped while the cluster started: OUT as it was
                raise Interrupted(STOPPED_STARTING)
            if not options.resume:
                self.store.clear()
            reference = self.reference(cluster, per_task)
            if reference is None:  # stopped while the base was solved
                self.progress = replace(self.progress, slots=cluster.slots())
                return self.result(None, interrupted=True, minimal_change=not study.fresh)
            keep = None
            if not study.fresh:
                keep = self.baseline if self.baseline is not None else reference.side.timetable
            pending = []
            for index, item in enumerate(study.scenarios):
                params = study.params(item, per_task, options.time_limit)
                key = scenario_key(item, params, self.fingerprint, reference.fingerprint,
                                   study.fresh)
                if key in finished:
                    self.rows[index] = finished[key]
                    self.resumed += 1
                else:
                    pending.append(Job(index, key, item, params, folder_name(item.name, key),
                                       full=options.full_outputs))
            if pending:
                self.report(phase="starting")
                # A task that returns the shared data, rather than scattered data: if every
                # worker holding it dies, Dask computes it again instead of losing it.
                shared = cluster.client.submit(_given, Shared(self.base, keep, reference.side),
                                               pure=False, key=f"study-shared-{self.token}")
                self.progress = replace(self.progress, slots=cluster.slots())
                self.setup = time.perf_counter() - self.started
                self.report(phase="scenarios", dashboard=cluster.dashboard)
                interrupted = self._run(cluster, shared, pending)
            if options.resume and not interrupted:  # one folder per scenario of the study
                self.store.prune({row.folder for row in self.rows.values()})
            return self.result(reference, interrupted, keep is not None)
        finally:
            cluster.close()

    def _submit(self, cluster: Cluster, shared: Any, job: Job) -> Any:
        return cluster.client.submit(self.task, shared, job, pure=False,
                                     key=f"study-{job.key}-{job.attempt}-{self.token}")

    def _run(self, cluster: Cluster, shared: Any, pending: list[Job]) -> bool:
        """Run the jobs; True when stopped before they all finished. Only as many are sent
        to the cluster as it runs at once (its slots): Dask gives tasks that need the shared
        data to the worker holding it, several at a time, and a worker's death would count
        as an attempt of each scenario it held but had not started."""
        queue = list(pending)
        futures: dict[Any, Job] = {}

        def send() -> None:
            slots = max(1, cluster.slots()) if queue else 0
            while queue and len(futures) < slots:
                job = queue.pop(0)
                futures[self._submit(cluster, shared, job)] = job

        send()
        try:
            while futures:
                if self.stop():
                    self.report(phase="stopping", running=0)
                    return True
                for future in self.wait(futures):
                    job = futures.pop(future)
                    outcome = self._outcome(future, job)
                    if isinstance(outcome, Job):
                        queue.insert(0, outcome)  # tried again first
                        send()
                        continue
                    self.store.save(outcome.row, outcome.files)
                    self.rows[job.index] = outcome.row
                    if outcome.row.status != FAILED:
                        self.seconds.append(outcome.row.seconds)
                    self._write_table()
                    self.report(last=outcome.row)
                    send()
            return False
        finally:
            if cluster.connected():  # a closed client cannot cancel (and may hang)
                for future in futures:
                    future.cancel()

    def _outcome(self, future: Any, job: Job) -> Done | Job:
        """A finished scenario, the job to try again, or a failed row."""
        if future.status == "finished":
            try:
                return future.result()
            except Exception as exc:  # the result could not be read back
                reason = f"{type(exc).__name__}: {exc}"
        else:
            reason = _failure(future)
            if not self.cluster or not self.cluster.connected():
                raise self.lost(reason)
        if job.attempt <= self.options.retries:
            return replace(job, attempt=job.attempt + 1)
        return Done(StudyRow(job.item.name, job.key, FAILED, at=job.item.at,
                             attempts=job.attempt, seed=job.params.seed,
                             time_limit=job.params.time_limit, reason=reason,
                             folder=job.folder))

    def _write_table(self) -> None:
        self.store.write_table([self.rows[i] for i in sorted(self.rows)], self.study.axes,
                               self.base.weights.names())

    def result(self, reference: _Reference | None, interrupted: bool = False,
               minimal_change: bool = False) -> StudyResult:
        if self.rows:
            self._write_table()
        ref_row = reference.row if reference is not None else StudyRow("base", "", "NOT RUN")
        return StudyResult(self.study, ref_row, tuple(self.rows[i] for i in sorted(self.rows)),
                           self.resumed, time.perf_counter() - self.started, self.setup,
                           self.progress.slots or 1, minimal_change, interrupted,
                           self.cluster.dashboard if self.cluster else None)


def _given(value: Any) -> Any:
    return value


def _failure(future: Any) -> str:
    """Why a task failed, in a sentence."""
    from distributed import KilledWorker

    try:
        exc = future.exception()
    except Exception as error:  # cancelled, or the scheduler went away
        return f"{type(error).__name__}: {error}"
    if isinstance(exc, KilledWorker):
        return "the worker running it died"
    if exc is None:  # no error of its own: the task was dropped
        return f"the task was {future.status} (its worker or the scheduler went away)"
    return f"{type(exc).__name__}: {exc}"


def run_study(study: Study, base: Instance, baseline: Timetable | None, outdir: str | Path,
              options: StudyOptions | None = None, on_progress: StudyCallback | None = None,
              stop: Callable[[], bool] | None = None, task: Task = run_job) -> StudyResult:
    """Run every scenario of ``study`` on Dask and store the results in ``outdir`` as they
    finish.

    The reference is ``baseline`` (the study's timetable, already read) or the base, solved
    first on the cluster and stored (``OUT/base``); each scenario is re-solved with minimal
    change against it, or afresh when the study says ``fresh``. ``stop()`` is asked twice a
    second: once true, what is left is cancelled and the finished results are returned
    (``interrupted``). ``on_progress`` gets a :class:`StudyProgress` at each step; ``task``
    is what a worker runs for a scenario (tests replace it).
    """
    run = StudyRun(study, base, baseline, outdir, options or StudyOptions(), on_progress, stop,
                   task)
    return run.run()


"""Study tasks that fail on purpose, run by Dask workers in the fault tests (importable by the
workers, so not a test module)."""

from __future__ import annotations

import os
import signal

from scheduler.scenarios.study_task import Done, Job, Shared, run_job


def failing(shared: Shared, job: Job) -> Done:
    """Raises inside the worker for a scenario named ``boom``."""
    if job.item.name == "boom":
        raise RuntimeError("boom inside the worker")
    return run_job(shared, job)


def crashing(shared: Shared, job: Job) -> Done:
    """Kills its own worker: on the first attempt of ``crash once``, on every attempt of
    ``crash always``."""
    if job.item.name == "crash always" or (job.item.name == "crash once" and job.attempt == 1):
        os.kill(os.getpid(), signal.SIGKILL)
    return run_job(shared, job)

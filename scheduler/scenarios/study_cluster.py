"""The Dask cluster a study runs on: a local one sized to the machine, or an existing one
reached by its scheduler's address; set up so that the workers leave the CPU to the solver
and a worker's death is the study's to retry."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from scheduler.errors import InputError, Problem, SchedulerError
from scheduler.interrupt import Interrupted, stop_requested

CONNECT_TIMEOUT = "20s"
CONNECT_WAIT = 25.0
"""Seconds a study waits for the scheduler's answer (Dask's own timeout and a margin)."""

CLUSTER_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.scheduler.worker-saturation": 1.0,
}
"""The scheduler of a study: a task whose worker dies fails at once (the study retries it,
rather than Dask), and each worker holds only the task it runs (no queued task dies with it)."""
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}
"""Workers that leave the CPU to the solver: no sampling of the running task's stack (Dask's
profiler does it 100 times a second), and the event loop, system and memory watched every
second or so rather than 10-50 times a second (an idle worker then uses 0.3 % of a core, not
3 %)."""


WORKER_PRELOAD = "scheduler.scenarios.worker_signals"
"""Run in each worker process of a local cluster as it starts: it leaves Ctrl-C to the
study (a terminal's Ctrl-C reaches the workers too)."""


def environment(config: dict[str, object]) -> dict[str, str]:
    """Dask settings as the environment variables that set them (e.g. for the workers of a
    cluster started elsewhere)."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
            for key, value in config.items()}


def _has_bokeh() -> bool:
    return importlib.util.find_spec("bokeh") is not None


def local_cluster(workers: int) -> Any:
    """A Dask ``LocalCluster`` of ``workers`` single-threaded processes, set up with
    :data:`CLUSTER_CONFIG` and :data:`WORKER_CONFIG`, whose workers ignore Ctrl-C
    (:data:`WORKER_PRELOAD`). Its dashboard, if bokeh is installed, is on a free port."""
    import dask
    from distributed import LocalCluster
    from distributed.deploy.spec import SpecCluster

    before = set(SpecCluster._instances)
    try:
        with dask.config.set({**CLUSTER_CONFIG, **WORKER_CONFIG}):
            return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                dashboard_address=":0", silence_logs=logging.CRITICAL,
                                preload=[WORKER_PRELOAD])
    except BaseException:  # e.g. a second Ctrl-C while it starts: close what was started,
        for cluster in set(SpecCluster._instances) - before:  # or Dask's own exit handler
            with contextlib.suppress(BaseException):  # fails on it with a traceback
                cluster.close(timeout=5)
            SpecCluster._instances.discard(cluster)
        raise


STOPPED_STARTING = ("Interrupted while the study started: no scenario was run, nothing was "
                    "written.")
"""What a study stopped before its first scenario says (exit 131)."""


SCHEMES = ("tcp", "tls", "inproc", "ucx", "ws", "wss")
"""The address schemes of Dask's communications."""


def check_scheduler_address(address: str | None) -> None:
    """Raise :class:`~scheduler.errors.InputError` unless ``address`` (when given) looks like
    a Dask scheduler's address, ``tcp://host:port``: checked before anything is written."""
    if address is None:
        return
    parts = urlsplit(address)
    try:
        port_ok = parts.port != 0  # raises ValueError for a port that is not one
    except ValueError:
        port_ok = False
    if "://" not in address or parts.scheme.lower() not in SCHEMES or not parts.hostname \
            or not port_ok:
        raise InputError([Problem("--scheduler", f"'{address}' is not the address of a Dask "
                                  f"scheduler (schemes: {', '.join(SCHEMES)})",
                                  "give the address the Dask scheduler prints when it starts, "
                                  "e.g. tcp://192.168.1.10:8786")])


def _client_of(address: str) -> Any:
    """A client of the scheduler at ``address``, within :data:`CONNECT_TIMEOUT` (and a
    margin): a server there that is not a Dask scheduler may accept the connection and never
    answer, which Dask's own timeout does not end; a stop request ends the wait too."""
    from distributed import Client

    found: dict[str, Any] = {}

    def attempt() -> None:
        try:
            found["client"] = Client(address, timeout=CONNECT_TIMEOUT)
        except BaseException as exc:  # handed to the waiting thread
            found["error"] = exc

    thread = threading.Thread(target=attempt, name="dask-connect", daemon=True)
    thread.start()
    deadline = time.monotonic() + CONNECT_WAIT
    while thread.is_alive():
        thread.join(0.1)
        if stop_requested():
            raise Interrupted("Interrupted while connecting to the Dask scheduler: nothing was "
                              "run.")
        if time.monotonic() > deadline:
            raise SchedulerError(f"no Dask scheduler answered at {address} within "
                                 f"{CONNECT_WAIT:.0f} s: check the address (the one the "
                                 "scheduler prints when it starts) and that it is running")
    error = found.get("error")
    if isinstance(error, OSError):
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {error}") from error
    if error is not None:
        raise SchedulerError(f"cannot connect to a Dask scheduler at {address}: "
                             f"{type(error).__name__}: {error}") from error
    return found["client"]


class NotStarted(SchedulerError):
    """The study could not start (its scheduler cannot be reached): nothing was run."""


def quiet_dask_logs(stack: contextlib.ExitStack) -> None:
    """Raise the stream handlers of Dask's loggers (``distributed`` and ``distributed.*``,
    which write to the standard error) to CRITICAL until ``stack`` closes: a scheduler lost
    mid-study made the client log some 30 lines of tracebacks, and the study says what
    happened in its own words."""
    names = ["distributed", *(name for name in list(logging.Logger.manager.loggerDict)
                              if name.startswith("distributed."))]
    for name in names:
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler) and handler.level < logging.CRITICAL:
                stack.callback(handler.setLevel, handler.level)
                handler.setLevel(logging.CRITICAL)


class Cluster:
    """A Dask client, connected on first use: to the scheduler at ``address``, or to a
    :func:`local_cluster` of ``jobs`` workers. Dask's own log lines are off while it is
    open (:func:`quiet_dask_logs`)."""

    def __init__(self, address: str | None, jobs: int) -> None:
        self.address = address
        self.jobs = jobs
        self._client: Any = None
        self._local: Any = None
        self.dashboard: str | None = None
        self._quiet = contextlib.ExitStack()

    @property
    def client(self) -> Any:
        self.connect()
        return self._client

    def connect(self) -> None:
        """Connect to the scheduler (start the local cluster), unless done already."""
        if self._client is None:
            self._connect()

    def _connect(self) -> None:
        from distributed import Client

        quiet_dask_logs(self._quiet)
        if self.address:
            self._client = _client_of(self.address)
            try:  # a lambda travels by value: the scheduler needs none of this package
                has_dashboard = self._client.run_on_scheduler(
                    lambda: importlib.util.find_spec("bokeh") is not None)
            except Exception:  # e.g. a scheduler that refuses to run code: no address then
                has_dashboard = False
        else:
            try:
                self._local = local_cluster(self.jobs)
            except Exception as exc:
                if stop_requested():  # e.g. a worker process stopped while it started
                    raise Interrupted(STOPPED_STARTING) from exc
                raise SchedulerError(f"could not start the local Dask cluster: "
                                     f"{type(exc).__name__}: {exc}") from exc
            self._client = Client(self._local)
            has_dashboard = _has_bokeh()
        self.dashboard = self._client.dashboard_link if has_dashboard else None

    def connected(self) -> bool:
        """Whether the client still reaches its scheduler."""
        return self._client is not None and self._client.status == "running"

    def slots(self) -> int:
        """Scenarios the cluster runs at once (its workers' threads)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # the scheduler is going away: the study finds out
            return 1

    def running(self, keys: set[str]) -> tuple[int, int | None]:
        """How many of the tasks ``keys`` are running (on each worker, those it holds, up to
        its threads: a worker may hold one more than it runs), and how many workers the
        scheduler has (0 and ``None`` when it cannot say), from one query of each kind."""
        try:
            processing = self.client.processing()
            threads = self.client.nthreads()
        except Exception:  # the scheduler is going away (OSError, a closed connection pool
            return 0, None  # ...): the study finds out from its tasks
        return sum(min(len(keys.intersection(held)), threads.get(worker, 1))
                   for worker, held in processing.items()), len(threads)

    def close(self) -> None:
        for thing in (self._client, self._local):
            if thing is not None:
                with contextlib.suppress(Exception):  # already gone: nothing to close
                    thing.close()
        self._quiet.close()

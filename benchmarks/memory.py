"""Peak memory of a process tree, labelled by what it was doing (not a test, not library).

``ru_maxrss`` gives the largest single process's peak only: a command whose workbooks are
written by a second process while the first one still holds its memory uses the sum of the
two. :class:`TreeSampler` polls the resident memory of a process and every descendant (with
``psutil``, which Dask brings) and keeps the largest sum seen with the label current then
(the solve's phase, read from its progress by the caller).
"""

from __future__ import annotations

import threading
import time

import psutil

POLL_SECONDS = 0.2


class TreeSampler:
    """Samples the summed resident memory of process ``pid`` and its descendants in a thread
    until :meth:`stop`; ``label`` is what the caller says the process is doing. The peak's
    ``peak_at`` is a :func:`time.perf_counter` value."""

    def __init__(self, pid: int, poll: float = POLL_SECONDS) -> None:
        self.root = psutil.Process(pid)
        self.poll = poll
        self.label = "start"
        self.peak_mb = 0.0
        self.peak_label = ""
        self.peak_processes = 0
        self.peak_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()

    def sample(self) -> None:
        """One reading now (also called by the thread at every poll)."""
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total, alive = 0, 0
        for process in tree:
            try:
                total += process.memory_info().rss
                alive += 1
            except psutil.Error:
                continue
        megabytes = total / 2**20
        if megabytes > self.peak_mb:
            self.peak_mb, self.peak_label, self.peak_processes = megabytes, self.label, alive
            self.peak_at = time.perf_counter()

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            self.sample()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

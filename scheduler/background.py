"""A job run by a second Python process while this one goes on (a large term's workbooks
while the other files are written; a share of many pictures while this process draws the
rest).

The second process is a plain ``python -m scheduler.background JOB`` (not
:mod:`multiprocessing`, whose fresh interpreters run the caller's script again when it has no
``if __name__ == "__main__"`` guard), in a session of its own so that Ctrl-C at the terminal
reaches only the first process, which stops it (:meth:`Running.stop`) or keeps writing the
best timetable when asked to stop. The job, any picklable object with a ``run()`` method (it
returns the paths it wrote, which the first process knows too), is passed as a pickle in a
temporary file that the first process writes and removes.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Protocol


class Job(Protocol):
    """Work for the second process."""

    def run(self) -> list[Path]:
        """Do the work; the paths written."""
        ...


class Running:
    """A :class:`Job` under way in its own process; :meth:`result` waits for it."""

    def __init__(self, job: Job) -> None:
        self.job = job
        handle, name = tempfile.mkstemp(prefix="scheduler-job-", suffix=".pickle")
        self._pickle = Path(name)
        with os.fdopen(handle, "wb") as f:
            pickle.dump(job, f, protocol=pickle.HIGHEST_PROTOCOL)
        package_root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
        # its last words go to a file: a pipe nobody reads while waiting could fill and block it
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result or stop)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scheduler.background", str(self._pickle)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._errors,
            env=env, start_new_session=True)

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the process to end; whether it has."""
        try:
            self._process.wait(seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def result(self) -> None:
        """Wait for the job to end; :class:`JobFailed` with the process's last words when it
        failed."""
        try:
            self._process.wait()
        finally:
            self._pickle.unlink(missing_ok=True)
        if self._process.returncode != 0:
            self._errors.seek(0)
            raise JobFailed(_reason(self._errors.read()))
        self._errors.close()

    def stop(self) -> None:
        """End the process early (its work is not wanted any more)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._pickle.unlink(missing_ok=True)
        self._errors.close()


class JobFailed(Exception):
    """The second process failed; the message is its last words."""


def _reason(errors: bytes) -> str:
    """The last line of the process's traceback: the message of the tool's own error
    (``cannot create folder ...: Not a directory``), another's with its class name."""
    lines = errors.decode("utf-8", "replace").strip().splitlines()
    if not lines:
        return "the process ended without a word"
    kind, _, message = lines[-1].partition(": ")
    if message and kind.replace(".", "").isidentifier():
        return message if kind.startswith("scheduler.") else \
            f"{kind.rsplit('.', 1)[-1]}: {message}"
    return lines[-1]


def main(job_path: str) -> None:
    with open(job_path, "rb") as f:
        job: Job = pickle.load(f)  # written by Running, in this user's temp folder
    job.run()


if __name__ == "__main__":
    main(sys.argv[1])

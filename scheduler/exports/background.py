"""A large term's workbooks written by a second Python process while this one writes the other
files (``scheduler solve``'s default outputs, on a machine of two cores or more).

The second process is a plain ``python -m scheduler.exports.background JOB`` (not
:mod:`multiprocessing`, whose fresh interpreters run the caller's script again when it has no
``if __name__ == "__main__"`` guard), in a session of its own so that Ctrl-C at the terminal
reaches only the first process, which keeps writing the best timetable when asked to stop.
The job (instance, timetable, folder, language and file plan) is passed as a pickle in a
temporary file that the first process writes and removes.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import OutputError
from scheduler.exports.workbook import write_workbooks
from scheduler.i18n import Language
from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.views.subjects import SubjectKind


@dataclass(frozen=True)
class WorkbookJob:
    """What the second process writes: :func:`~scheduler.exports.workbook.write_workbooks`'s
    arguments."""

    instance: Instance
    timetable: Timetable
    folder: Path
    lang: Language
    files: dict[str, tuple[SubjectKind, ...]]

    def paths(self) -> list[Path]:
        """The workbooks' paths, ``timetable.xlsx`` first (as ``write_workbooks`` returns)."""
        return [self.folder / name for name in self.files]


class Running:
    """A :class:`WorkbookJob` under way in its own process; :meth:`result` waits for it."""

    def __init__(self, job: WorkbookJob) -> None:
        self.job = job
        handle, name = tempfile.mkstemp(prefix="scheduler-workbooks-", suffix=".pickle")
        self._pickle = Path(name)
        with os.fdopen(handle, "wb") as f:
            pickle.dump(job, f, protocol=pickle.HIGHEST_PROTOCOL)
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scheduler.exports.background", str(self._pickle)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=env, start_new_session=True)

    def result(self) -> list[Path]:
        """Wait for the workbooks; their paths, or :class:`OutputError` with the process's
        last words."""
        try:
            _, errors = self._process.communicate()
        finally:
            self._pickle.unlink(missing_ok=True)
        if self._process.returncode != 0:
            raise OutputError(f"the workbooks could not be written: {_reason(errors)}")
        return self.job.paths()

    def stop(self) -> None:
        """End the process early (the other files failed: its workbooks are not wanted)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()
        self._pickle.unlink(missing_ok=True)


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
        job: WorkbookJob = pickle.load(f)  # written by Running, in this user's temp folder
    write_workbooks(job.instance, job.timetable, job.folder, job.lang, job.files)


if __name__ == "__main__":
    main(sys.argv[1])

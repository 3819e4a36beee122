"""A large term's workbooks written by a second Python process while this one writes the other
files (``scheduler solve``'s default outputs, on a machine of two cores or more): a
:class:`WorkbookJob` run by :mod:`scheduler.background`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scheduler import background
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

    def run(self) -> list[Path]:
        """Write the workbooks (in the second process)."""
        return write_workbooks(self.instance, self.timetable, self.folder, self.lang,
                               self.files)


class Running:
    """A :class:`WorkbookJob` under way in its own process; :meth:`result` waits for it."""

    def __init__(self, job: WorkbookJob) -> None:
        self.job = job
        self._running = background.Running(job)

    def result(self) -> list[Path]:
        """Wait for the workbooks; their paths, or :class:`OutputError` with the process's
        last words."""
        try:
            self._running.result()
        except background.JobFailed as exc:
            raise OutputError(f"the workbooks could not be written: {exc}") from None
        return self.job.paths()

    def stop(self) -> None:
        """End the process early (the other files failed: its workbooks are not wanted)."""
        self._running.stop()

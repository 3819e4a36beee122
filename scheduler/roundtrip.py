"""The office's round trip (docs/pins.md): the timetable it edited and pinned, read as the
baseline of a re-solve, and what the re-solve changed.

:func:`check_baseline` reads the office's timetable (CSV, JSON or xlsx) and verifies it against
the instance before anything is solved: a hand edit that breaks a hard rule is a
:class:`BaselineRejected` that says the sheet and the rows, as ``scheduler verify`` does.
:func:`read_baseline` adds the pins a re-solve keeps: all pinned meetings, or (``relax_pins``)
as many as the hard rules allow together (:func:`~scheduler.model.baseline.keepable_pins`).
:func:`diff_files` is ``scheduler diff``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scheduler.cpsat import SolverParams
from scheduler.errors import InputError, SchedulerError
from scheduler.exports.workbook_check import workbook_disagreements
from scheduler.instance import Instance
from scheduler.io.reader import read_instance
from scheduler.model.baseline import PinChoice, keepable_pins
from scheduler.model.params import SolveRequest
from scheduler.timetable import Meeting, Timetable
from scheduler.timetable_io import TimetableFile, read_timetable_file, reference_problems
from scheduler.trips_io import trips_for
from scheduler.verify import Verification, Violation, verify_timetable
from scheduler.verify.dates import TermDates
from scheduler.verify.pins import pins_kept
from scheduler.views.diff import TimetableDiff, timetable_diff

PIN_SHARE = 0.25
"""The largest share of the time limit that choosing the pins to keep may take
(``relax_pins``); the re-solve has the rest."""


class BaselineRejected(SchedulerError):
    """The baseline timetable breaks hard rules of the instance: nothing is solved.

    ``verification`` says what is wrong; ``read`` is the file as read (each meeting's rows,
    the master sheet's name).
    """

    def __init__(self, read: TimetableFile, verification: Verification) -> None:
        self.read = read
        self.verification = verification
        where = f" (sheet '{read.sheet}')" if read.sheet else ""
        count = len(verification.violations)
        super().__init__(f"the baseline {read.source}{where} breaks {count} hard "
                         f"rule{'' if count == 1 else 's'}; nothing was solved: correct it "
                         "(scheduler verify lists the same) and try again")

    def lines(self, label: Callable[[Violation], str] = str) -> list[str]:
        """Each violation, with its rows and an edit's consequences under it."""
        return self.verification.report_lines(self.read.rows, label)


class StaleSheetsWarning(UserWarning):
    """Other sheets of the baseline workbook disagree with its master sheet, which alone is
    read (edits made only in a weekly grid are not)."""


MAX_STALE_SHOWN = 3
"""Disagreeing cells a :class:`StaleSheetsWarning` names."""


def check_baseline(instance: Instance, path: str | Path) -> TimetableFile:
    """Read the timetable at ``path`` and verify it against ``instance``.

    Raises :class:`InputError` when it cannot be read, :class:`BaselineRejected` when it
    breaks a hard rule. In a workbook the weekly grids and the visitors sheet are compared
    with the master sheet too: they disagree after every edit of the master sheet, so a
    difference is only a :class:`StaleSheetsWarning` naming the first cells (the master
    sheet is what counts; an edit made only in a grid is lost, as ``scheduler verify``
    says).
    """
    read = read_timetable_file(path)
    # a planned visitor's meetings are checked against the trips beside the timetable
    read = replace(read, timetable=replace(read.timetable, trips=trips_for(instance, path,
                                                                          option=False)))
    verification = verify_timetable(instance, read.timetable)
    if not verification.ok:
        raise BaselineRejected(read, verification)
    disagreements = workbook_disagreements(instance, path, read.timetable)
    if disagreements:
        shown = "; ".join(str(d) for d in disagreements[:MAX_STALE_SHOWN])
        more = len(disagreements) - MAX_STALE_SHOWN
        warnings.warn(StaleSheetsWarning(
            f"{len(disagreements)} cell(s) of other sheets of {path} disagree with its master "
            f"sheet '{read.sheet}', which alone is read: an edit made only in a grid is not "
            f"taken ({shown}{f'; and {more} more' if more > 0 else ''})"), stacklevel=2)
    return read


@dataclass(frozen=True)
class Baseline:
    """The office's timetable a re-solve stays close to (``file``), and the pins it keeps:
    every pinned meeting, or those of ``choice`` when the pins were relaxed."""

    file: TimetableFile
    choice: PinChoice | None = None

    @property
    def timetable(self) -> Timetable:
        return self.file.timetable

    @property
    def pins(self) -> frozenset[Meeting]:
        """The pinned meetings the re-solve keeps."""
        return self.choice.kept_meetings if self.choice is not None else self.timetable.pinned

    def request(self, relax: bool = False) -> SolveRequest:
        """The re-solve: pins kept, the other meetings hinted at the ``moved_meeting`` cost."""
        return SolveRequest(baseline=self.timetable, pins=self.pins, relax=relax)

    def changes(self, instance: Instance, timetable: Timetable) -> TimetableDiff:
        """What ``timetable`` changed from the baseline."""
        return timetable_diff(instance, self.timetable, timetable)

    def as_dict(self) -> dict[str, Any]:
        """For ``summary.json``: the file, its meetings, its pins and those kept."""
        data: dict[str, Any] = {"source": self.file.source, "sheet": self.file.sheet,
                                "meetings": len(self.timetable),
                                "pinned": len(self.timetable.pinned),
                                "pins_kept": len(self.pins),
                                "relaxed_pins": self.choice is not None}
        if self.choice is not None:
            data["pin_choice"] = self.choice.as_dict()
        return data


def read_baseline(instance: Instance, path: str | Path, params: SolverParams,
                  relax_pins: bool = False) -> tuple[Baseline, SolverParams]:
    """The checked baseline (:func:`check_baseline`) with the pins a re-solve keeps, and the
    CP-SAT parameters left for the re-solve: with ``relax_pins``, choosing the pins takes up
    to :data:`PIN_SHARE` of the time limit (30 s without one), and the re-solve the rest."""
    read = check_baseline(instance, path)
    if not relax_pins or not read.timetable.pinned:
        return Baseline(read), params
    started = time.perf_counter()
    budget = PIN_SHARE * (params.time_limit if params.time_limit is not None else 120.0)
    choice = keepable_pins(instance, read.timetable.pinned, budget, params.seed,
                           params.workers, read.timetable)
    if params.time_limit is not None:
        used = time.perf_counter() - started
        params = replace(params, time_limit=max(1.0, params.time_limit - used))
    return Baseline(read, choice), params


def held_pins(instance: Instance, choice: PinChoice, timetable: Timetable) -> PinChoice:
    """``choice`` with the broken pins that ``timetable`` holds all the same counted as kept:
    a pin the choice left free (or gave up when time ran short) is broken only when its
    meetings really moved (checked as the verifier checks a pin)."""
    if not choice.broken:
        return choice
    dates = TermDates(instance)
    held = [pin for pin in choice.broken
            if next(pins_kept(instance, timetable, pin.meetings, dates), None) is None]
    if not held:
        return choice
    return replace(choice, kept=tuple(sorted((*choice.kept, *held), key=lambda p: p.group)),
                   broken=tuple(p for p in choice.broken if p not in held))


def _merged(instances: list[Instance]) -> Instance:
    """The first instance with the courses, teachers, cohorts, rooms and interpreters of the
    others that it lacks (by id), and the holidays of all (a scenario's new holiday: the old
    meetings on it were removed, not moved)."""
    first = instances[0]
    merged: dict[str, Any] = {"holidays": tuple({h.date: h for i in reversed(instances)
                                                 for h in i.holidays}.values())}
    for table in ("courses", "teachers", "cohorts", "rooms", "interpreters"):
        rows = list(getattr(first, table))
        ids = {row.id for row in rows}
        for other in instances[1:]:
            for row in getattr(other, table):
                if row.id not in ids:
                    rows.append(row)
                    ids.add(row.id)
        merged[table] = tuple(rows)
    return replace(first, **merged)


def diff_files(instance_path: str | Path | Sequence[str | Path], old: str | Path,
               new: str | Path) -> TimetableDiff:
    """What changed from the timetable at ``old`` to the one at ``new`` (CSV, JSON or xlsx),
    both of the instance at ``instance_path``; or of two instances (``old``'s, then
    ``new``'s: a scenario's that added or removed courses), a course, teacher, cohort, room or
    interpreter found in the first that has it."""
    paths = [instance_path] if isinstance(instance_path, str | Path) else list(instance_path)
    instance = _merged([read_instance(p) for p in paths])
    named = " or ".join(str(p) for p in paths)
    files = [read_timetable_file(p) for p in (old, new)]
    fix = ("give the timetables' instance (scheduler diff --instance; twice, the base's then "
           "the scenario's OUT/instance, when the scenario added or removed courses)")
    problems = [p for read in files for p in reference_problems(instance, read, named, fix)]
    if problems:
        raise InputError(problems)
    return timetable_diff(instance, files[0].timetable, files[1].timetable)

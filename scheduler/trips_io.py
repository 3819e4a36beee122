"""The trips file (``trips.csv``): every visitor's trips beside the timetable, written and read.

``scheduler solve`` writes one row per trip (given travel windows and planned trips alike);
reading takes ``teacher_id``, ``arrival`` and ``departure`` (the rest is derived for people)
and reports every problem at once, located by file, row and column. ``scheduler verify``
reads the trips of ``trips.csv`` beside the timetable unless told another file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.atomic import atomic_path
from scheduler.errors import InputError, Problem
from scheduler.formulas import escape_formula, unescape_formula
from scheduler.instance import Instance
from scheduler.io.cells import CellError, Date, Text, is_blank, no_value
from scheduler.io.csvfile import UnreadableCsv, read_grid
from scheduler.io.reader import read_instance
from scheduler.timetable import Timetable, Trip
from scheduler.timetable_io import TimetableFile, read_timetable_file, reference_problems

TRIPS_FILE = "trips.csv"
TRIP_COLUMNS = ("teacher_id", "trip", "arrival", "departure", "travel_days", "teaching_days",
                "idle_days", "periods", "cost")
"""Columns of ``trips.csv``, in order (see docs/exports.md)."""
ESSENTIAL_TRIP_COLUMNS = ("teacher_id", "arrival", "departure")
"""The columns trips are read back from."""
_KINDS = {"teacher_id": Text(), "arrival": Date(), "departure": Date()}
_FIX = "give the trips.csv written by scheduler solve beside the timetable"


def write_trips_csv(rows: Sequence[dict[str, Any]], path: str | Path) -> None:
    """Write the rows (each with :data:`TRIP_COLUMNS`) as UTF-8 CSV, atomically; text that a
    spreadsheet would evaluate as a formula gets a leading apostrophe."""
    cells = [{c: "" if row.get(c) is None else row[c] for c in TRIP_COLUMNS} for row in rows]
    frame = pd.DataFrame(cells, columns=list(TRIP_COLUMNS)).map(escape_formula)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")


def trips_beside(timetable_path: str | Path) -> Path:
    """Where the trips of a timetable file are: ``trips.csv`` beside it, as ``scheduler
    solve`` writes them; for a timetable named ``PREFIX-timetable.*`` (a scenario's
    ``base-timetable.csv``), ``PREFIX-trips.csv`` beside it when there is one."""
    path = Path(timetable_path)
    own = _prefixed(path)
    return own if own.is_file() else path.with_name(TRIPS_FILE)


def read_trips(path: str | Path) -> tuple[Trip, ...]:
    """The trips of a ``trips.csv`` file; :class:`InputError` lists every problem, located."""
    return tuple(trip for _, trip in read_trip_rows(path))


def read_trip_rows(path: str | Path) -> list[tuple[int, Trip]]:
    """The trips of a ``trips.csv`` file with their rows (the header is row 1);
    :class:`InputError` lists every problem, located."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([Problem(source, f"cannot read the trips file ({exc.strerror})",
                                  _FIX)]) from exc
    try:
        grid = read_grid(data, TRIP_COLUMNS)
    except UnreadableCsv as exc:
        raise InputError(exc.problems(source)) from exc
    header = [str(v).strip().lower() if not is_blank(v) else "" for v in grid[0]]
    missing = [c for c in ESSENTIAL_TRIP_COLUMNS if c not in header]
    if missing:
        raise InputError([Problem(source, f"required column '{c}' is missing",
                                  f"add the column '{c}'", row=1, column=c) for c in missing])
    problems: list[Problem] = []
    trips: list[tuple[int, Trip]] = []
    for number, cells in enumerate(grid[1:], start=2):
        if all(is_blank(v) for v in cells):
            continue
        values = {}
        for column in ESSENTIAL_TRIP_COLUMNS:
            index = header.index(column)
            cell = cells[index] if index < len(cells) else None
            problem = _cell_problem(cell, column)
            if problem is not None:
                problems.append(Problem(source, problem, f"fill in the {column}", row=number,
                                        column=column))
                continue
            try:
                values[column] = _KINDS[column].parse(unescape_formula(cell))
            except CellError as exc:
                problems.append(Problem(source, exc.message, exc.fix, row=number,
                                        column=column))
        if len(values) < len(ESSENTIAL_TRIP_COLUMNS):
            continue
        if values["departure"] < values["arrival"]:
            problems.append(Problem(source, f"departure {values['departure']} is before "
                                    f"arrival {values['arrival']}", "swap the two dates",
                                    row=number, column="departure"))
            continue
        trips.append((number, Trip(values["teacher_id"], values["arrival"],
                                   values["departure"])))
    if problems:
        raise InputError(problems)
    return trips


def unknown_trip_teachers(instance: Instance, path: str | Path) -> list[Problem]:
    """A problem at each row of the trips file at ``path`` whose teacher ``instance`` does not
    have (a typo leaves that teacher's trip out of every view of the timetable)."""
    return [Problem(str(path), f"teacher '{trip.teacher_id}' is not in the instance",
                    "use a teacher id of the instance, or give the timetable's own trips",
                    row=row, column="teacher_id")
            for row, trip in read_trip_rows(path)
            if trip.teacher_id not in instance.teacher_by_id]


def _cell_problem(cell: Any, column: str) -> str | None:
    if is_blank(cell):
        return "empty required cell"
    reason = no_value(cell)
    return None if reason is None else f"{reason.message}; this cell is required"


def trips_for(instance: Instance, timetable_path: str | Path,
              trips_path: str | Path | None = None,
              option: bool = True) -> tuple[Trip, ...]:
    """The trips that go with a timetable file: those of ``trips_path``, else of the
    trips file beside the timetable (:func:`trips_beside`) when there is one, else none.

    Raises :class:`InputError` when ``instance`` plans trips and there is no trips file: the
    meetings of its planned visitors cannot be checked without their trips. ``option``: the
    command has ``--trips`` (``verify``), which the fix then offers.
    """
    path = Path(trips_path) if trips_path is not None else trips_beside(timetable_path)
    if trips_path is not None or path.is_file():
        return read_trips(path)
    if instance.planned_visitors:
        who = ", ".join(instance.planned_visitors)
        names = " or ".join(dict.fromkeys(
            (_prefixed(Path(timetable_path)).name, TRIPS_FILE)))
        where = f"put the {TRIPS_FILE} written with the timetable beside it (read as {names})"
        raise InputError([Problem(str(path), f"the instance plans the trips of {who}, but "
                                  "there is no trips file beside the timetable",
                                  f"give the trips written by scheduler solve (--trips "
                                  f"trips.csv), or {where}" if option else where)])
    return ()


def trip_rows_for(timetable_path: str | Path,
                  trips_path: str | Path | None = None) -> tuple[str, dict[Trip, int]] | None:
    """The name of the trips file that goes with a timetable file (as :func:`trips_for`
    finds it) and the row of each of its trips, for messages; ``None`` without one."""
    path = Path(trips_path) if trips_path is not None else trips_beside(timetable_path)
    if not path.is_file():
        return None
    return path.name, {trip: row for row, trip in reversed(read_trip_rows(path))}


def _prefixed(timetable: Path) -> Path:
    """``PREFIX-trips.csv`` beside ``PREFIX-timetable.*``; else ``trips.csv``."""
    prefix = timetable.stem.removesuffix("timetable")
    return timetable.with_name(prefix + TRIPS_FILE if prefix != timetable.stem else TRIPS_FILE)


def read_for_verify(instance_path: str | Path, timetable_path: str | Path,
                    trips_path: str | Path | None = None, references: bool = False,
                    arithmetic: bool = True) -> tuple[Instance, TimetableFile, Timetable]:
    """The instance, the timetable file and the timetable with its trips (:func:`trips_for`),
    as ``scheduler verify`` checks them.

    Raises :class:`InputError` with the problems of both files at once: a broken instance
    does not hide the timetable's own problems (its cells), which do not depend on it. With
    ``references``, a course, room or interpreter the instance does not have is such a
    problem too, located at its rows (``verify`` reports them as broken rules instead; the
    commands that show or convert a timetable cannot), and so is a trip of a teacher it does
    not have. Without ``arithmetic``, the instance's counting checks are left out (see
    :func:`~scheduler.io.reader.read_instance`): a relaxed solve's timetable is of an
    instance that they may refuse.
    """
    problems: list[Problem] = []
    instance: Instance | None = None
    read: TimetableFile | None = None
    try:
        instance = read_instance(instance_path, arithmetic=arithmetic)
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        read = read_timetable_file(timetable_path)
    except InputError as exc:
        problems.extend(exc.problems)
    if instance is None or read is None:
        raise InputError(problems)
    trips = trips_for(instance, timetable_path, trips_path)
    if references:
        found = reference_problems(instance, read)
        path = Path(trips_path) if trips_path is not None else trips_beside(timetable_path)
        if path.is_file():
            found += unknown_trip_teachers(instance, path)
        if found:
            raise InputError(found)
    return instance, read, replace(read.timetable, trips=trips)

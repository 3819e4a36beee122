"""Pinning meetings of a timetable file (``scheduler pin``): set its ``pinned`` column.

The academic office pins what it has agreed with the teachers; a later solve keeps every
pinned meeting at its date, periods and room (see docs/pins.md). :func:`pin_timetable` pins
(or unpins) the meetings a :class:`PinSelection` picks and writes the timetable to a new path
(or, when asked, over the one it read) in its own format, changing nothing but the ``pinned``
cells of the picked meetings' rows: a workbook keeps its other sheets, its formatting and the
office's own notes; a CSV file keeps its encoding, separator and other columns; a JSON file
its ``instance`` block. When the master table has no ``pinned`` column yet, one is added
after its last column. The file is written atomically and read back before this returns.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from scheduler.atomic import atomic_path, write_bytes_atomic, write_text_atomic
from scheduler.errors import InputError, OutputError, Problem, SchedulerError
from scheduler.instance import Instance
from scheduler.io.csvfile import decode, delimiter, read_grid
from scheduler.timetable import MEETING_COLUMNS, Meeting, Timetable
from scheduler.timetable_io import check_references, read_timetable_file
from scheduler.views.subjects import SubjectKind, check_subjects, meetings_of

PINNED = "pinned"
"""The column of the master table that says whether a meeting is pinned."""


def parse_date_range(text: str) -> tuple[dt.date, dt.date]:
    """``2026-09-07..2026-09-20`` as its first and last date (one date: that day alone).

    Raises ``ValueError`` saying what was expected.
    """
    first, sep, last = text.strip().partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        raise ValueError(f"Expected a date range YYYY-MM-DD..YYYY-MM-DD, got {text!r}") from None
    if end < start:
        raise ValueError(f"Expected the first date of {text!r} on or before the last")
    return start, end


@dataclass(frozen=True)
class PinSelection:
    """Which meetings to pin or unpin.

    A meeting is picked when it belongs to one of the ``courses`` (if any are given), is
    taught by one of the ``teachers``, attended by one of the ``cohorts`` (a cohort with its
    sub-groups and parent cohorts, as its weekly grid shows it), held in one of the ``rooms``,
    and falls between ``first`` and ``last`` (each date included): every kind of criterion
    given must hold, ids of one kind are alternatives.
    """

    courses: tuple[str, ...] = ()
    teachers: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    first: dt.date | None = None
    last: dt.date | None = None

    def __post_init__(self) -> None:
        for name in ("courses", "teachers", "cohorts", "rooms"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not (self.courses or self.teachers or self.cohorts or self.rooms
                or self.first or self.last):
            raise ValueError("Expected a course, teacher, cohort, room or date range to pin")
        if self.first and self.last and self.last < self.first:
            raise ValueError("Expected first <= last")

    def describe(self) -> str:
        """``teacher T1, 2026-09-07..2026-09-20``: the criteria in words."""
        parts = [f"{kind} {', '.join(ids)}" for kind, ids in (
            ("course", self.courses), ("teacher", self.teachers), ("cohort", self.cohorts),
            ("room", self.rooms)) if ids]
        if self.first or self.last:
            parts.append(f"{self.first or '...'}..{self.last or '...'}")
        return ", ".join(parts)


def select_meetings(instance: Instance | None, timetable: Timetable,
                    selection: PinSelection) -> frozenset[Meeting]:
    """The meetings of ``timetable`` that ``selection`` picks.

    Teachers and cohorts are looked up in ``instance`` (needed when either is given); an id
    it does not know is an :class:`InputError`, as is a course with no meeting in the
    timetable.
    """
    picked = set(timetable.meetings)
    known_courses = {m.course_id for m in timetable.meetings}
    unknown = [c for c in selection.courses if c not in known_courses]
    if unknown:
        raise InputError([Problem("course", f"no meeting of course '{c}' in the timetable",
                                  "give a course_id of the timetable's master table")
                          for c in unknown])
    if selection.courses:
        picked = {m for m in picked if m.course_id in selection.courses}
    subjects: tuple[tuple[SubjectKind, tuple[str, ...]], ...] = (
        ("teacher", selection.teachers), ("cohort", selection.cohorts),
        ("room", selection.rooms))
    for kind, ids in subjects:
        if not ids:
            continue
        if instance is None:
            raise ValueError(f"Expected the instance to pick meetings by {kind}")
        check_subjects(instance, kind, ids)
        picked &= {m for i in ids for m in meetings_of(instance, timetable, kind, i)}
    if selection.first is not None:
        picked = {m for m in picked if m.date >= selection.first}
    if selection.last is not None:
        picked = {m for m in picked if m.date <= selection.last}
    return frozenset(picked)


@dataclass(frozen=True)
class PinResult:
    """What :func:`pin_timetable` did: the meetings it picked (``picked``), how many changed
    their pin (``changed``), and the timetable as written (``timetable``, with its pins)."""

    output: Path
    picked: frozenset[Meeting]
    changed: int
    timetable: Timetable

    @property
    def pinned(self) -> int:
        """Meetings pinned in the written timetable."""
        return len(self.timetable.pinned)


def pin_timetable(path: str | Path, output: str | Path, selection: PinSelection,
                  instance: Instance | None = None, unpin: bool = False) -> PinResult:
    """Pin (or, with ``unpin``, unpin) the meetings of the timetable at ``path`` that
    ``selection`` picks, and write it to ``output`` in the same format (see the module).

    ``output`` must have the suffix of ``path``; it may be ``path`` itself (the file is then
    replaced atomically). Raises :class:`InputError` when the timetable cannot be read, names
    a course, room or interpreter that ``instance`` (when given) does not have, or nothing
    matches; :class:`OutputError` when ``output`` is of another format.
    """
    path, output = Path(path), Path(output)
    if output.suffix.lower() != path.suffix.lower():
        raise OutputError(f"{output} must end in {path.suffix} like {path}: pin writes the "
                          "timetable in its own format (scheduler export converts it)")
    read = read_timetable_file(path)
    if instance is not None:
        check_references(instance, read)
    picked = select_meetings(instance, read.timetable, selection)
    if not picked:
        raise InputError([Problem(str(path), f"no meeting matches {selection.describe()}",
                                  "check the ids and dates")])
    old = read.timetable.pinned
    new = old - picked if unpin else old | picked
    rows = sorted(r for m in picked for r in read.rows.get(m, ()))
    value = "no" if unpin else "yes"
    writer = _WRITERS.get(path.suffix.lower(), _write_csv)
    writer(path, output, read.sheet, {r: value for r in rows})
    written = read_timetable_file(output).timetable
    if written.pinned != new or written.meetings != read.timetable.meetings:
        raise SchedulerError(f"{output} does not read back as written; please report this")
    return PinResult(output, picked, len((old ^ new) & picked), written)


Cells = dict[int, str]
"""The new ``pinned`` value of each row (as a spreadsheet numbers rows, or a JSON meeting's
position from 1)."""


def _column(header: Iterable[object]) -> int | None:
    """The 0-based index of the ``pinned`` column in a header row, if there is one."""
    for index, name in enumerate(header):
        if name is not None and str(name).strip().lower() == PINNED:
            return index
    return None


def _write_xlsx(path: Path, output: Path, sheet: str | None, cells: Cells) -> None:
    book = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    master = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
    header = [c.value for c in master[1]]
    index = _column(header)
    if index is None:
        filled = [i for i, name in enumerate(header) if name is not None and str(name).strip()]
        index = filled[-1] + 1 if filled else 0
        cell = master.cell(1, index + 1, PINNED)
        if index:
            cell._style = copy.copy(master.cell(1, index)._style)
    for row, value in cells.items():
        master.cell(row, index + 1).value = value
    with atomic_path(output) as tmp:
        book.save(tmp)


def _write_csv(path: Path, output: Path, sheet: str | None, cells: Cells) -> None:
    data = path.read_bytes()
    text = decode(data)
    separator = delimiter(text, MEETING_COLUMNS)
    grid = [["" if v is None else str(v) for v in row] for row in read_grid(data,
                                                                            MEETING_COLUMNS)]
    index = _column(grid[0])
    if index is None:
        index = len(grid[0])
        grid[0].append(PINNED)
        for line in grid[1:]:
            line.extend([""] * (index + 1 - len(line)))
    for row, value in cells.items():
        line = grid[row - 1]
        line.extend([""] * (index + 1 - len(line)))
        line[index] = value
    out = io.StringIO()
    csv.writer(out, delimiter=separator,
               lineterminator="\r\n" if "\r\n" in text else "\n").writerows(grid)
    encoding = next((e for bom, e in _BOMS if data.startswith(bom)), "utf-8")
    write_bytes_atomic(output, out.getvalue().encode(encoding))


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
"""The encoding a CSV file's byte-order mark names (written back with the same mark)."""


def _write_json(path: Path, output: Path, sheet: str | None, cells: Cells) -> None:
    document = json.loads(path.read_bytes().decode("utf-8-sig"))
    meetings = document["meetings"] if isinstance(document, dict) else document
    for row, value in cells.items():
        meeting = meetings[row - 1]
        key = next((k for k in meeting if k.strip().lower() == PINNED), PINNED)
        meeting[key] = value
    write_text_atomic(output, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


_WRITERS: dict[str, Callable[[Path, Path, str | None, Cells], None]] = {
    ".xlsx": _write_xlsx, ".xlsm": _write_xlsx, ".json": _write_json}

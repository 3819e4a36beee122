"""Timetable files: the master table as CSV or JSON, written atomically and read back.

Reading takes the essential columns (date, periods, course, room, interpreter, and whether the
meeting is pinned); the other columns are derived and ignored, so a timetable edited by hand
only needs those to be right.
CSV text that a spreadsheet would evaluate as a formula is written with a leading apostrophe
and read back without it (see :mod:`scheduler.formulas`).

Reading never guesses: a damaged file (empty, truncated, not the format its name says, nested
or shaped unlike a timetable) and a cell that holds a placeholder (``N/A``, ``NULL``, ``None``),
a spreadsheet error (``#N/A``) or a formula without a saved value are :class:`InputError` s
that say where (file, sheet, row, column) and how to fix them. Each meeting keeps the row it
was read from (:class:`TimetableFile`), so that a verdict can point at it.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.atomic import atomic_path, write_text_atomic
from scheduler.errors import InputError, Problem
from scheduler.formulas import escape_formula, unescape_formula
from scheduler.identity import instance_identity
from scheduler.instance import Instance
from scheduler.io.cells import Boolean, CellError, Choice, Date, Id, Integer, is_blank, no_value
from scheduler.io.csvfile import UnreadableCsv, read_grid
from scheduler.io.xlsx import UnreadableWorkbook, name_merged_cells, read_workbook
from scheduler.timetable import (
    ESSENTIAL_COLUMNS,
    MEETING_COLUMNS,
    MODES,
    Meeting,
    Timetable,
    meeting_columns,
    meeting_rows,
)

MASTER_SHEETS = ("timetable", "master")
"""Names of the workbook sheet read as the master table (else the first sheet is read)."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects read from a JSON timetable (it needs 3)."""
MAX_JSON_DIGITS = 30
"""Longest number (in digits) read from a JSON timetable."""

_FIX_FILE = "give the timetable.csv, .json or .xlsx written by scheduler solve or export"
_KINDS = {"date": Date(), "first_period": Integer(minimum=1), "last_period": Integer(minimum=1),
          "course_id": Id(), "room_id": Id()}
"""The required columns and how their cells are read (ids as in the instance: an invisible or
full-width character is named, as :mod:`scheduler.io.cells` does for the instance's)."""
_OPTIONAL = {"interpreter_id": Id(), "pinned": Boolean(), "mode": Choice(values=MODES)}
"""The columns that may be left out or blank (no interpreter; not pinned; on site)."""


@dataclass(frozen=True)
class TimetableFile:
    """A timetable as read from a file, with where each meeting came from.

    ``rows`` gives each meeting's row in the master table as a spreadsheet shows it (the
    header is row 1) or, in JSON, its position in the ``meetings`` list (from 1); a meeting
    written twice has two. Problems found while reading are located the same way.
    """

    timetable: Timetable
    source: str
    sheet: str | None = None
    rows: Mapping[Meeting, tuple[int, ...]] = field(default_factory=dict)


def timetable_frame(instance: Instance, timetable: Timetable) -> pd.DataFrame:
    """The master table as a DataFrame (one row per meeting)."""
    return pd.DataFrame(meeting_rows(instance, timetable),
                        columns=list(meeting_columns(instance, timetable)))


def write_timetable_csv(instance: Instance, timetable: Timetable, path: str | Path,
                        bom: bool = False) -> None:
    """Write the master table as UTF-8 CSV (with the BOM Excel needs when ``bom``).

    Text starting with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe, so that no
    spreadsheet program evaluates it as a formula.
    """
    frame = timetable_frame(instance, timetable).map(escape_formula)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig" if bom else "utf-8",
                     lineterminator="\n")


def write_timetable_json(instance: Instance, timetable: Timetable, path: str | Path,
                         identity: dict[str, Any] | None = None) -> None:
    """Write the meetings as JSON: ``{"instance": ..., "meetings": [row, ...]}``.

    The ``instance`` block is ``identity``, by default
    :func:`~scheduler.identity.instance_identity` of ``instance`` (its name, fingerprint and
    size). This is the only writer of timetable JSON: ``scheduler solve``, ``scheduler export``
    and the scenarios all write through it.
    """
    document = {"instance": identity or instance_identity(instance),
                "meetings": meeting_rows(instance, timetable)}
    write_text_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def read_timetable(path: str | Path) -> Timetable:
    """Read a timetable from the master table as CSV, JSON or an ``.xlsx`` workbook."""
    return read_timetable_file(path).timetable


def read_timetable_file(path: str | Path) -> TimetableFile:
    """Read a timetable (CSV, JSON or ``.xlsx``) with the row of each meeting.

    Raises :class:`InputError` listing every problem, each located and with a fix.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError([Problem(source, "no such timetable file", _FIX_FILE)])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(source, f"cannot read the file ({exc.strerror})",
                                  "check that it exists and that you may read it")]) from exc
    if not data.strip():
        raise InputError([Problem(source, "the file is empty", _FIX_FILE)])
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_meetings(_json_records(source, data), source, None)
    if suffix in (".xlsx", ".xlsm"):
        sheet, header, records = _xlsx_records(path)
        try:
            return _read_meetings(records, source, sheet)
        except InputError as exc:
            raise InputError(name_merged_cells(path, {sheet: header},
                                               list(exc.problems))) from None
    if suffix in (".xls", ".ods", ".numbers"):
        raise InputError([Problem(source, f"a {suffix} spreadsheet cannot be read",
                                  "open it and save it as .xlsx (or as CSV UTF-8)")])
    if data.startswith(b"PK\x03\x04"):
        raise InputError([Problem(source, "the file is a zip archive (an .xlsx workbook?), not "
                                  "CSV text", "give a workbook a name ending in .xlsx")])
    return _read_meetings(_csv_records(source, data), source, None, csv=True)


REFERENCES = (("course_id", "course", "course_by_id"), ("room_id", "room", "room_by_id"),
              ("interpreter_id", "interpreter", "interpreter_by_id"))
"""The columns of a timetable that name something of its instance: (column, what it names,
the instance's index of those)."""


def reference_problems(instance: Instance, read: TimetableFile, named: str = "",
                       course_fix: str = "") -> list[Problem]:
    """Each course, room or interpreter of the timetable ``read`` that ``instance`` does not
    have, once per file, located at its first row (the other rows in the message).
    ``named``: the instance as the message names it; ``course_fix``: the fix of an unknown
    course (default: use a course of the instance)."""
    rows: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for meeting in read.timetable.meetings:
        for column, what, index in REFERENCES:
            value = getattr(meeting, column)
            if value is not None and value not in getattr(instance, index):
                rows[(column, what, value)].extend(read.rows.get(meeting, ()))
    problems = []
    for (column, what, value), found in rows.items():
        numbers = sorted(set(found))
        more = ""
        if len(numbers) > 1:
            shown = ", ".join(map(str, numbers[1:6]))
            more = (f" (also {'row' if len(numbers) == 2 else 'rows'} {shown}"
                    f"{f' and {len(numbers) - 6} more' if len(numbers) > 6 else ''})")
        fix = course_fix if column == "course_id" and course_fix else (
            f"use {'an' if what[0] in 'aeiou' else 'a'} {what} id of the instance, or give the "
            "timetable's own instance")
        problems.append(Problem(
            read.source, f"{what} '{value}' is not in the instance{' ' + named if named else ''}"
            f"{more}", fix, sheet=read.sheet, row=numbers[0] if numbers else None,
            column=column))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def check_references(instance: Instance, read: TimetableFile) -> None:
    """Raise :class:`InputError` listing every course, room and interpreter of the timetable
    ``read`` that ``instance`` does not have (see :func:`reference_problems`)."""
    problems = reference_problems(instance, read)
    if problems:
        raise InputError(problems)


Records = list[tuple[int, dict[str, Any]]]
"""Rows of the master table: (row number, {lower-case column name: cell})."""


def _table_records(source: str, sheet: str | None, grid: list[list[Any]]) -> Records:
    """The rows below a header row (row 1), keyed by column name; blank rows left out."""
    header = [str(v).strip().lower() if not is_blank(v) else "" for v in (grid[0] if grid else [])]
    problems = [Problem(source, f"column '{name}' appears twice", "delete one of them",
                        sheet=sheet, row=1, column=name)
                for name in ESSENTIAL_COLUMNS if header.count(name) > 1]
    if problems:
        raise InputError(problems)
    if not any(header):
        raise InputError([Problem(source, "the first row holds no column names", "put the "
                                  "column names (date, first_period, ...) in row 1",
                                  sheet=sheet, row=1)])
    missing = [c for c in ESSENTIAL_COLUMNS if c not in header and c not in _OPTIONAL]
    if missing:
        raise InputError([Problem(source, f"required column '{c}' is missing",
                                  f"add the column '{c}'", sheet=sheet, row=1, column=c)
                          for c in missing])
    records = []
    for number, row in enumerate(grid[1:], start=2):
        if all(is_blank(v) for v in row):
            continue
        record: dict[str, Any] = {}
        for name, value in zip(header, row, strict=False):
            if name and name not in record:
                record[name] = value
        records.append((number, record))
    return records


def _csv_records(source: str, data: bytes) -> Records:
    try:
        grid = read_grid(data, (*MEETING_COLUMNS, "mode"))
    except UnreadableCsv as exc:
        raise InputError(exc.problems(source)) from exc
    return _table_records(source, None, grid)


def _xlsx_records(path: Path) -> tuple[str, list[Any], Records]:
    """The master sheet's name, its header row and its records."""
    source = str(path)
    try:
        sheets = read_workbook(path)
    except UnreadableWorkbook as exc:
        raise InputError([Problem(source, f"not a readable .xlsx workbook: {exc.reason}",
                                  "open it in Excel or LibreOffice and save it again as .xlsx, "
                                  "or give the timetable.csv written beside it")]) from exc
    if not sheets:
        raise InputError([Problem(source, "the workbook has no sheets", _FIX_FILE)])
    name, grid = next(((n, g) for n, g in sheets if n.strip().lower() in MASTER_SHEETS),
                      sheets[0])
    return name, list(grid[0]) if grid else [], _table_records(source, name, grid)


@dataclass(frozen=True)
class _NotANumber:
    """A JSON number the reader refuses, kept so that its cell can be named: ``NaN``,
    ``Infinity``, a number beyond a float's range or of more than :data:`MAX_JSON_DIGITS`."""

    text: str

    def reason(self) -> str:
        if self.text.lstrip("-") in ("NaN", "Infinity"):
            return f"the JSON holds {self.text}, which is not a number"
        digits = len(self.text.lstrip("-"))
        if self.text.lstrip("-").isdigit() and digits > MAX_JSON_DIGITS:
            return f"a number of {digits} digits is longer than the {MAX_JSON_DIGITS} allowed"
        return f"the number {self.text[:20]}... is too large"


class _JsonObject(dict):
    """A JSON object that remembers which of its keys (case and spaces aside) came twice."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject(pairs)
    names = [str(k).strip().lower() for k, _ in pairs]
    obj.duplicates = tuple(sorted({n for n in names if names.count(n) > 1}))
    return obj


def _json_int(text: str) -> int | _NotANumber:
    return _NotANumber(text) if len(text.lstrip("-")) > MAX_JSON_DIGITS else int(text)


def _json_float(text: str) -> float | _NotANumber:
    number = float(text)
    return number if math.isfinite(number) else _NotANumber(text)


def _json_records(source: str, data: bytes) -> Records:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError([Problem(source, "the file is not UTF-8 text", "save it as UTF-8",
                                  line=line)]) from exc
    depth = _nesting(text)
    if depth > MAX_JSON_DEPTH:
        raise InputError([Problem(source, f"the JSON is nested {depth} levels deep; a timetable "
                                  "is {\"meetings\": [{...}, ...]}", _FIX_FILE)])
    try:
        document = json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int,
                              parse_float=_json_float, parse_constant=_NotANumber)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(source, f"not valid JSON ({exc.msg}, column {exc.colno})",
                                  "check the brackets, commas and quotes there",
                                  line=exc.lineno)]) from exc
    rows = document.get("meetings") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        found = ("an object without a 'meetings' list" if isinstance(document, dict)
                 else _json_kind(document))
        raise InputError([Problem(source, f"the file holds {found}; a timetable is "
                                  "{\"meetings\": [{\"date\": ..., ...}, ...]}", _FIX_FILE)])
    problems, records = [], []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, _JsonObject):
            problems.append(Problem(source, f"meeting {number} of the list is {_json_kind(row)}"
                                    ", not an object of columns", "write each meeting as "
                                    "{\"date\": \"2026-09-07\", \"first_period\": 1, ...}"))
            continue
        for name in row.duplicates:
            if name in ESSENTIAL_COLUMNS:
                problems.append(Problem(source, f"the meeting gives '{name}' twice",
                                        "delete one of them", row=number, column=name))
        records.append((number, {str(k).strip().lower(): v for k, v in row.items()}))
    if problems:
        raise InputError(problems)
    return records


def _nesting(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings ignored)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "text"
    return "a number"


def _cell_problem(value: Any, column: str) -> tuple[str, str] | None:
    """Why a non-blank cell cannot be read at all (message, fix), else None."""
    if isinstance(value, _NotANumber):
        return value.reason(), f"write the {column} as text or a whole number"
    if isinstance(value, bool) and column == "pinned":
        return None
    if isinstance(value, (list, dict, bool)):
        return (f"expected text or a number, got {_json_kind(value)}",
                f"write the {column} as text or a number")
    reason = no_value(value)
    if reason is None:
        return None
    if column == "interpreter_id":
        return reason.message, ("enter the value, not a formula" if reason.formula else
                                "leave the cell empty when the meeting has no interpreter")
    if column == "pinned":
        return reason.message, ("enter the value, not a formula" if reason.formula else
                                "write yes or no (or leave the cell empty: not pinned)")
    if column == "mode":
        return reason.message, ("enter the value, not a formula" if reason.formula else
                                "write onsite or online (empty: onsite)")
    return (f"{reason.message}; this cell is required",
            "enter the value, not a formula" if reason.formula else f"fill in the {column}")


def _read_meetings(records: Records, source: str, sheet: str | None,
                   csv: bool = False) -> TimetableFile:
    """The meetings of the records (``csv``: text escaped against formulas is unescaped once
    it is known not to be a formula itself)."""
    problems: list[Problem] = []
    meetings: list[Meeting] = []
    pinned: set[Meeting] = set()
    rows: dict[Meeting, list[int]] = defaultdict(list)

    def problem(message: str, fix: str, row: int, column: str) -> None:
        problems.append(Problem(source, message, fix, sheet=sheet, row=row, column=column))

    for number, record in records:
        values: dict[str, Any] = {}
        for column in ESSENTIAL_COLUMNS:
            if column not in record and column in _KINDS and sheet is None and not csv:
                problem(f"the meeting has no '{column}'", f"add \"{column}\" to it", number,
                        column)
                continue
            cell = record.get(column)
            if is_blank(cell):
                if column in _KINDS:
                    problem("empty required cell", f"fill in {column}", number, column)
                continue
            bad = _cell_problem(cell, column)
            if bad is not None:
                problem(*bad, number, column)
                continue
            kind = _KINDS.get(column) or _OPTIONAL[column]
            try:
                values[column] = kind.parse(unescape_formula(cell) if csv else cell)
            except CellError as exc:
                problem(exc.message, exc.fix, number, column)
        if any(c not in values for c in _KINDS):
            continue
        if values["last_period"] < values["first_period"]:
            problem("last_period is before first_period", "swap the periods", number,
                    "last_period")
            continue
        meeting = Meeting(values["date"], values["first_period"], values["last_period"],
                          values["course_id"], values["room_id"],
                          values.get("interpreter_id") or None, values.get("mode", "onsite"))
        meetings.append(meeting)
        if values.get("pinned"):
            pinned.add(meeting)
        rows[meeting].append(number)
    if problems:
        raise InputError(problems)
    return TimetableFile(Timetable(tuple(meetings), frozenset(pinned)), source, sheet,
                         {m: tuple(r) for m, r in rows.items()})

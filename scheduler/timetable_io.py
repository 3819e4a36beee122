"""Timetable files: the master table as CSV or JSON, written atomically and read back.

Reading takes the essential columns (date, periods, course, room, interpreter); the other
columns are derived and ignored, so a timetable edited by hand only needs those to be right.
CSV text that a spreadsheet would evaluate as a formula is written with a leading apostrophe
and read back without it (see :mod:`scheduler.formulas`).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.atomic import atomic_path, write_text_atomic
from scheduler.errors import InputError, Problem
from scheduler.formulas import escape_formula, unescape_formula
from scheduler.identity import instance_identity
from scheduler.instance import Instance
from scheduler.io.cells import CellError, Date, Integer, Text, is_blank
from scheduler.timetable import ESSENTIAL_COLUMNS, MEETING_COLUMNS, Meeting, Timetable, meeting_rows


def timetable_frame(instance: Instance, timetable: Timetable) -> pd.DataFrame:
    """The master table as a DataFrame (one row per meeting)."""
    return pd.DataFrame(meeting_rows(instance, timetable), columns=list(MEETING_COLUMNS))


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


def _meetings_from_records(records: list[tuple[int, dict[str, Any]]], source: str,
                           sheet: str | None = None) -> Timetable:
    problems: list[Problem] = []
    columns = set(records[0][1]) if records else set(ESSENTIAL_COLUMNS)
    for column in ESSENTIAL_COLUMNS:
        if column not in columns and column != "interpreter_id":
            problems.append(Problem(source, f"required column '{column}' is missing",
                                    f"add the column '{column}'", sheet=sheet, row=1,
                                    column=column))
    if problems:
        raise InputError(problems)
    kinds = {"date": Date(), "first_period": Integer(minimum=1),
             "last_period": Integer(minimum=1), "course_id": Text(), "room_id": Text()}
    meetings = []
    for row_number, record in records:
        values: dict[str, Any] = {}
        for column, kind in kinds.items():
            cell = record.get(column)
            if is_blank(cell):
                problems.append(Problem(source, "empty required cell", f"fill in {column}",
                                        sheet=sheet, row=row_number, column=column))
                continue
            try:
                values[column] = kind.parse(cell)
            except CellError as exc:
                problems.append(Problem(source, exc.message, exc.fix, sheet=sheet,
                                        row=row_number, column=column))
        if len(values) < len(kinds):
            continue
        if values["last_period"] < values["first_period"]:
            problems.append(Problem(source, "last_period is before first_period",
                                    "swap the periods", sheet=sheet, row=row_number,
                                    column="last_period"))
            continue
        interpreter = record.get("interpreter_id")
        meetings.append(Meeting(values["date"], values["first_period"], values["last_period"],
                                values["course_id"], values["room_id"],
                                None if is_blank(interpreter) else str(interpreter).strip()))
    if problems:
        raise InputError(problems)
    return Timetable(tuple(meetings))


def _frame_records(frame: pd.DataFrame) -> list[tuple[int, dict[str, Any]]]:
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    frame = frame.astype(object).where(frame.notna(), None)
    return [(i + 2, row) for i, row in enumerate(frame.to_dict("records"))
            if not all(is_blank(v) for v in row.values())]


def read_timetable(path: str | Path) -> Timetable:
    """Read a timetable from the master table as CSV, JSON or an ``.xlsx`` workbook."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError([Problem(source, "no such timetable file",
                                  "give the timetable.csv, .json or .xlsx written by solve")])
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            document = json.loads(path.read_text(encoding="utf-8-sig"))
            rows = document["meetings"] if isinstance(document, dict) else document
            records = [(i + 1, {str(k).lower(): v for k, v in r.items()})
                       for i, r in enumerate(rows)]
            return _meetings_from_records(records, source)
        if suffix == ".xlsx":
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
            name = next((s for s in sheets if str(s).lower() in ("timetable", "master")),
                        next(iter(sheets)))
            return _meetings_from_records(_frame_records(sheets[name]), source, sheet=str(name))
        text = path.read_bytes().decode("utf-8-sig")
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frame = frame.map(unescape_formula)
        return _meetings_from_records(_frame_records(frame.replace("", None)), source)
    except InputError:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError,
            ValueError, pd.errors.ParserError, OSError) as exc:
        raise InputError([Problem(source, f"not a readable timetable ({exc})",
                                  "give the CSV, JSON or xlsx timetable written by the tool")]
                         ) from exc

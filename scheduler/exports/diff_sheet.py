"""The ``.xlsx`` workbook of what changed between two timetables (``diff.xlsx``).

Sheet ``changes``: one row per change and per cohort, teacher and interpreter it concerns
(:meth:`~scheduler.views.diff.TimetableDiff.for_subjects`), so that filtering the ``subject_id``
column gives one person's changes; the cells that changed are highlighted: a moved meeting's
new date, periods, room or interpreter in yellow, an added meeting's new cells in green, a
removed meeting's old cells in red. Sheet ``summary``: per cohort, teacher and interpreter,
how many meetings were moved, added and removed and how many changed interpreter. Both keep
English headers (like the master sheet), with a frozen, filtered header row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from scheduler.atomic import atomic_path
from scheduler.exports.sheets import Formats
from scheduler.exports.workbook import WORKBOOK_OPTIONS
from scheduler.instance import WEEKDAY_NAMES, Instance
from scheduler.timetable import Meeting
from scheduler.views.diff import CHANGE_KINDS, Change, TimetableDiff, subject_counts
from scheduler.views.subjects import course_name, subject_name

CHANGE_COLUMNS = (
    "subject_kind", "subject_id", "subject_name", "change", "course_id", "course_name",
    "old_date", "old_weekday", "old_periods", "old_room", "old_interpreter",
    "new_date", "new_weekday", "new_periods", "new_room", "new_interpreter",
)
"""The columns of the ``changes`` sheet."""
SUMMARY_COLUMNS = ("subject_kind", "subject_id", "subject_name", *CHANGE_KINDS)
"""The columns of the ``summary`` sheet."""
HIGHLIGHT = {"moved": "#FFEB9C", "added": "#C6EFCE", "removed": "#FFC7CE",
             "interpreter": "#FFEB9C"}
"""The fill of the changed cells of each kind (Excel's yellow, green and red styles)."""
_HEADER = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
_FIELDS = {"date": ("date", "weekday"), "periods": ("periods",), "room": ("room",),
           "interpreter": ("interpreter",)}


def _cells(prefix: str, meeting: Meeting | None) -> dict[str, Any]:
    if meeting is None:
        return {}
    return {f"{prefix}_date": meeting.date,
            f"{prefix}_weekday": WEEKDAY_NAMES[meeting.date.weekday()],
            f"{prefix}_periods": f"{meeting.first_period}-{meeting.last_period}",
            f"{prefix}_room": meeting.room_id,
            f"{prefix}_interpreter": meeting.interpreter_id or ""}


def change_row(instance: Instance, change: Change) -> dict[str, Any]:
    """The cells of one change (without its subject)."""
    return {"change": change.kind, "course_id": change.course_id,
            "course_name": course_name(instance, change.course_id),
            **_cells("old", change.old), **_cells("new", change.new)}


def _highlighted(change: Change) -> set[str]:
    """The columns highlighted in a change's row."""
    if change.kind == "added":
        return {c for c in CHANGE_COLUMNS if c.startswith("new_")} | {"change"}
    if change.kind == "removed":
        return {c for c in CHANGE_COLUMNS if c.startswith("old_")} | {"change"}
    return {"change"} | {f"new_{name}" for field, names in _FIELDS.items()
                         if change.differs(field) for name in names}


def _header(sheet: Worksheet, columns: tuple[str, ...], formats: Formats) -> list[int]:
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, formats.get(**_HEADER))
    return [len(name) + 3 for name in columns]


def _write(sheet: Worksheet, row: int, col: int, value: Any, formats: Formats,
           fill: str | None) -> int:
    """Write one cell (``fill``: its highlight); return its shown width."""
    style = {"bg_color": fill} if fill else {}
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()),
                             formats.get(num_format="yyyy-mm-dd", **style))
        return 12
    if isinstance(value, int):
        sheet.write_number(row, col, value, formats.get(**style))
        return len(str(value)) + 2
    text = "" if value is None else str(value)
    if text:
        sheet.write_string(row, col, text, formats.text(text, **style))
    else:
        sheet.write_blank(row, col, None, formats.get(**style))
    return min(40, len(text) + 2)


def _finish(sheet: Worksheet, columns: tuple[str, ...], rows: int, widths: list[int]) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), len(columns) - 1)


def write_diff_workbook(diff: TimetableDiff, path: str | Path) -> Path:
    """Write the ``changes`` and ``summary`` sheets of ``diff`` to ``path`` (atomically)."""
    instance = diff.instance
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        formats = Formats(book)
        sheet = book.add_worksheet("changes")
        widths = _header(sheet, CHANGE_COLUMNS, formats)
        items = diff.for_subjects()
        for r, item in enumerate(items, start=1):
            cells = {"subject_kind": item.kind, "subject_id": item.subject_id,
                     "subject_name": subject_name(instance, item.kind, item.subject_id),
                     **change_row(instance, item.change)}
            marked = _highlighted(item.change)
            for col, name in enumerate(CHANGE_COLUMNS):
                fill = HIGHLIGHT[item.change.kind] if name in marked else None
                widths[col] = max(widths[col], _write(sheet, r, col, cells.get(name), formats,
                                                      fill))
        _finish(sheet, CHANGE_COLUMNS, len(items), widths)
        summary = book.add_worksheet("summary")
        widths = _header(summary, SUMMARY_COLUMNS, formats)
        counted = subject_counts(diff)
        for r, (kind, subject, counts) in enumerate(counted, start=1):
            cells = {"subject_kind": kind, "subject_id": subject,
                     "subject_name": subject_name(instance, kind, subject),
                     **{k: counts.get(k, 0) for k in CHANGE_KINDS}}
            for col, name in enumerate(SUMMARY_COLUMNS):
                widths[col] = max(widths[col], _write(summary, r, col, cells[name], formats,
                                                      None))
        _finish(summary, SUMMARY_COLUMNS, len(counted), widths)
        book.close()
    return Path(path)

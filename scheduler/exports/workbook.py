"""The ``.xlsx`` workbook the academic office works in.

Sheets: ``timetable`` (the master table, one row per meeting, read back by
:func:`scheduler.timetable_io.read_timetable`), ``visitors`` (one row per trip of a visiting
teacher), then one weekly grid per cohort, teacher, room and interpreter. Text is always
written as text (never evaluated as a formula); headers are frozen, the master table has
filters, and every sheet prints landscape, one page wide.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from scheduler.atomic import atomic_path
from scheduler.calendar import TermCalendar
from scheduler.exports.sheets import Formats, sheet_name
from scheduler.instance import Instance
from scheduler.timetable import MEETING_COLUMNS, Timetable, meeting_rows
from scheduler.views.colors import course_color, course_colors, lighten
from scheduler.views.grids import WeeklyGrid, weekly_grid
from scheduler.views.subjects import SUBJECT_KINDS, SubjectKind, subject_ids
from scheduler.views.text import display_width, wrapped_lines
from scheduler.views.visitors import TripFacts, trip_facts
from scheduler.views.weeks import WEEKDAY_HEADERS, WEEKDAY_LABELS, LabelStyle

MASTER_SHEET = "timetable"
VISITORS_SHEET = "visitors"
VISITOR_COLUMNS = (
    "teacher_id", "teacher_name", "trip", "arrival", "departure", "days_in_china",
    "teachable_days", "teaching_days", "idle_days", "meetings", "periods_taught",
    "first_teaching_day", "last_teaching_day", "courses", "teaching_dates", "idle_dates",
)
GRID_PREFIX: dict[SubjectKind, str] = {"cohort": "cohort ", "teacher": "teacher ",
                                       "room": "room ", "interpreter": "interp "}
GRID_FIRST_ROW = 2
"""0-based row of a weekly grid's first period (row 1 is the title, row 2 the weekdays)."""
GRID_FIRST_COL = 2
"""0-based column of a weekly grid's first weekday (columns A and B: period and time)."""
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
"""Never let xlsxwriter turn text into a formula, link or number."""

_NUMBER_COLUMNS = {"teaching_week", "first_period", "last_period", "students", "capacity"}
_HEADER = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"}
_DAY_WIDTH = 32
_CELL_FONT = 9
_WRAP = int(_DAY_WIDTH * 11 / _CELL_FONT) - 3
"""Characters of 9-point text per line in a column 32 (11-point) characters wide."""
_LINE_HEIGHT = 12.0


def _print_setup(sheet: Worksheet, one_page: bool) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.set_footer("&L&A&RPage &P of &N")


def _write(sheet: Worksheet, row: int, col: int, value: Any, formats: Formats,
           **properties: Any) -> None:
    """Write a value by its type: dates as dates, numbers as numbers, text as text."""
    if value is None or value == "":
        sheet.write_blank(row, col, None, formats.get(**properties))
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()),
                             formats.get(num_format="yyyy-mm-dd", **properties))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, formats.get(**properties))
    else:
        text = str(value)
        sheet.write_string(row, col, text, formats.text(text, **properties))


def _table_sheet(sheet: Worksheet, columns: tuple[str, ...], rows: list[dict[str, Any]],
                 formats: Formats) -> None:
    """A table with a frozen, filtered header and columns as wide as their content."""
    widths = [display_width(c) + 3 for c in columns]
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, formats.get(**_HEADER))
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            value = row.get(name)
            _write(sheet, r, col, value, formats)
            shown = "2026-01-01" if isinstance(value, dt.date) else str(value or "")
            widths[col] = max(widths[col], min(50, display_width(shown) + 2))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    sheet.repeat_rows(0)
    _print_setup(sheet, one_page=False)


def _master_rows(instance: Instance, timetable: Timetable) -> list[dict[str, Any]]:
    rows = meeting_rows(instance, timetable)
    for row in rows:
        row["date"] = dt.date.fromisoformat(row["date"])
        for name in _NUMBER_COLUMNS:
            if not isinstance(row.get(name), int):
                row[name] = str(row.get(name) or "")
    return rows


def visitor_rows(facts: tuple[TripFacts, ...]) -> list[dict[str, Any]]:
    """The rows of the ``visitors`` sheet, one per trip."""
    def days(dates: tuple[dt.date, ...]) -> str:
        return ", ".join(f"{d:%m-%d}" for d in dates)

    return [{
        "teacher_id": f.teacher_id, "teacher_name": f.teacher_name, "trip": f.trip,
        "arrival": f.window.arrival, "departure": f.window.departure,
        "days_in_china": f.days_in_china, "teachable_days": len(f.teachable_days),
        "teaching_days": len(f.teaching_days), "idle_days": len(f.idle_days),
        "meetings": len(f.meetings), "periods_taught": f.periods_taught,
        "first_teaching_day": f.first_teaching_day, "last_teaching_day": f.last_teaching_day,
        "courses": ";".join(f.courses), "teaching_dates": days(f.teaching_days),
        "idle_dates": days(f.idle_days),
    } for f in facts]


def _calendar_notes(instance: Instance) -> str:
    """Holidays and adjusted workdays of the term, for the foot of each grid."""
    parts = []
    if instance.holidays:
        parts.append("Holidays 假日: " + "; ".join(
            f"{h.date:%m-%d} {h.name}".strip() for h in instance.holidays))
    for a in instance.adjusted_workdays:
        week = f" of week {a.follows_week}" if a.follows_week is not None else ""
        parts.append(f"Adjusted workday 调休: {WEEKDAY_LABELS['en'][a.date.weekday()]} "
                     f"{a.date:%m-%d} holds {WEEKDAY_LABELS['en'][a.follows_weekday]}{week}")
    return "\n".join(parts)


def _grid_sheet(sheet: Worksheet, instance: Instance, grid: WeeklyGrid, notes: str,
                formats: Formats) -> None:
    """Days across, periods down; a meeting over several periods is one merged cell."""
    colors = course_colors(instance, (e.course_id for c in grid.cells for e in c.entries))
    first_col, first_row = GRID_FIRST_COL, GRID_FIRST_ROW
    last_col = first_col + len(grid.weekdays) - 1
    row_of = {p.number: first_row + i for i, p in enumerate(grid.periods)}
    col_of = {wd: first_col + i for i, wd in enumerate(grid.weekdays)}
    cell = {"border": 1, "text_wrap": True, "valign": "top", "font_size": _CELL_FONT}

    sheet.merge_range(0, 0, 0, last_col, "", formats.get(bold=True, font_size=13))
    sheet.write_string(0, 0, grid.title, formats.text(grid.title, bold=True, font_size=13))
    sheet.set_row(0, 24)
    for col, heading in ((0, "Period"), (1, "Time")):
        sheet.write_string(1, col, heading, formats.get(**_HEADER))
    for wd, col in col_of.items():
        sheet.write_string(1, col, WEEKDAY_HEADERS[wd], formats.get(**_HEADER, align="center"))
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 12)
    sheet.set_column(first_col, last_col, _DAY_WIDTH)

    needed = {row: 2.0 * _LINE_HEIGHT for row in row_of.values()}
    for p in grid.periods:
        row = row_of[p.number]
        evening = {"bg_color": "#F2F2F2"} if p.session == "evening" else {}
        sheet.write_number(row, 0, p.number, formats.get(**cell, bold=True, align="center",
                                                          **evening))
        sheet.write_string(row, 1, f"{p.start:%H:%M}-{p.end:%H:%M}",
                           formats.get(**cell, **evening))
        for col in col_of.values():
            sheet.write_blank(row, col, None, formats.get(**cell, **evening))
    for c in grid.cells:
        if c.first_period not in row_of or c.last_period not in row_of:
            continue
        top, bottom, col = row_of[c.first_period], row_of[c.last_period], col_of[c.weekday]
        courses = {e.course_id for e in c.entries}
        fill = (lighten(course_color(colors, c.entries[0].course_id), 0.78)
                if len(courses) == 1 else "#FFF2CC")
        text = c.text(grid.kind)
        fmt = formats.text(text, **cell, bg_color=fill)
        if bottom > top:
            sheet.merge_range(top, col, bottom, col, "", fmt)
        sheet.write_string(top, col, text, fmt)
        height = wrapped_lines(text, _WRAP) * _LINE_HEIGHT + 4
        for row in range(top, bottom + 1):
            needed[row] = max(needed[row], height / (bottom - top + 1))
    for row, height in needed.items():
        sheet.set_row(row, min(height, 409))
    if notes:
        foot = first_row + len(grid.periods) + 1
        sheet.merge_range(foot, 0, foot, last_col, "",
                          formats.get(text_wrap=True, valign="top", font_size=9))
        sheet.write_string(foot, 0, notes, formats.text(notes, text_wrap=True, valign="top",
                                                        font_size=9))
        width = int((19 + _DAY_WIDTH * len(grid.weekdays)) * 11 / _CELL_FONT) - 3
        sheet.set_row(foot, _LINE_HEIGHT * wrapped_lines(notes, width) + 4)
    sheet.freeze_panes(2, 2)
    sheet.repeat_rows(1)
    _print_setup(sheet, one_page=True)


def grid_sheets(instance: Instance) -> list[tuple[SubjectKind, str, str]]:
    """The weekly grid sheets of the workbook, in order: (kind, subject id, sheet name)."""
    taken = {MASTER_SHEET, VISITORS_SHEET}
    return [(kind, subject, sheet_name(GRID_PREFIX[kind] + subject, taken))
            for kind in SUBJECT_KINDS for subject in subject_ids(instance, kind)]


def write_workbook(instance: Instance, timetable: Timetable, path: str | Path,
                   style: LabelStyle = "en") -> Path:
    """Write the office's workbook to ``path`` (atomically) and return the path.

    ``style`` chooses how week ranges read in the grids ("weeks 1-16" or "1-16周").
    """
    calendar = TermCalendar(instance)
    notes = _calendar_notes(instance)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": f"Timetable — {instance.term.name}",
                             "subject": "CQUPT–FEFU Joint Institute timetable"})
        formats = Formats(book)
        _table_sheet(book.add_worksheet(MASTER_SHEET), MEETING_COLUMNS,
                     _master_rows(instance, timetable), formats)
        _table_sheet(book.add_worksheet(VISITORS_SHEET), VISITOR_COLUMNS,
                     visitor_rows(trip_facts(instance, timetable, calendar)), formats)
        for kind, subject, name in grid_sheets(instance):
            grid = weekly_grid(instance, timetable, kind, subject, style, calendar)
            _grid_sheet(book.add_worksheet(name), instance, grid, notes, formats)
        book.close()
    return Path(path)

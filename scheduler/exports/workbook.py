"""The ``.xlsx`` workbook the academic office works in.

Sheets: ``timetable`` (the master table, one row per meeting, read back by
:func:`scheduler.timetable_io.read_timetable`; its ``pinned`` cells offer yes and no),
``visitors`` (one row per trip of a visiting teacher), then one weekly grid per cohort,
teacher, room and interpreter. Text is always
written as text (never evaluated as a formula); headers are frozen, the master table has
filters, and every sheet prints landscape, one page wide.

Everything but the master table, which programs read back, is in the reader's language: sheet
names, headers, titles, week labels and notes (:mod:`scheduler.i18n`). A visiting teacher's
grid gives its clock times in Chongqing and in Vladivostok.
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
from scheduler.i18n import N_, Language, Translator, translator, weekday_header
from scheduler.instance import Instance, Period
from scheduler.timetable import MEETING_COLUMNS, Timetable, meeting_columns, meeting_rows
from scheduler.views.colors import course_color, course_colors, lighten
from scheduler.views.grids import WeeklyGrid, weekly_grid
from scheduler.views.subjects import SUBJECT_KINDS, SubjectKind, subject_ids
from scheduler.views.text import display_width, wrapped_lines
from scheduler.views.visitors import TripFacts, trip_facts, visitor_clocks

MASTER_SHEET = "timetable"
"""The master table's sheet, named alike in every language (programs read it back)."""
VISITORS_SHEET = N_("visitors")
VISITOR_COLUMNS = (
    N_("teacher_id"), N_("teacher_name"), N_("trip"), N_("arrival"), N_("departure"),
    N_("days_in_china"), N_("teachable_days"), N_("teaching_days"), N_("idle_days"),
    N_("meetings"), N_("periods_taught"), N_("first_teaching_day"), N_("last_teaching_day"),
    N_("courses"), N_("teaching_dates"), N_("idle_dates"), N_("hours_chongqing"),
    N_("hours_vladivostok"),
)
"""The columns of the visitors sheet (headed in the reader's language)."""
GRID_SHEETS: dict[SubjectKind, str] = {"cohort": N_("cohort {id}"),
                                       "teacher": N_("teacher {id}"),
                                       "room": N_("room {id}"),
                                       "interpreter": N_("interp {id}")}
"""The name of each weekly grid's sheet (in the reader's language; English in a trilingual
workbook, as sheet names are short)."""


def grid_prefixes(lang: Language = "en") -> dict[SubjectKind, str]:
    """What each grid sheet's name puts before the id, in ``lang`` (``teacher ``, ``教师 ``):
    never longer than in English, so that an id of the longest length keeps its whole
    sheet name in every language."""
    tr = translator(lang).brief
    return {kind: tr(name).format(id="") for kind, name in GRID_SHEETS.items()}


GRID_PREFIX = grid_prefixes("en")
"""The English prefixes, the longest of which sets the longest id (``io.limits``)."""
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
                 formats: Formats, headers: tuple[str, ...] | None = None) -> None:
    """A table with a frozen, filtered header (``headers``, by default the column names) and
    columns as wide as their content."""
    headers = headers or columns
    widths = [display_width(h) + 3 for h in headers]
    for col, name in enumerate(headers):
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


def _pin_choice(sheet: Worksheet, rows: int) -> None:
    """A yes/no list in the master table's ``pinned`` cells (other values only warned
    about: the reader accepts them too)."""
    column = MEETING_COLUMNS.index("pinned")
    sheet.data_validation(1, column, max(rows, 1), column, {
        "validate": "list", "source": ["yes", "no"], "error_type": "warning",
        "error_title": "pinned", "error_message": "yes: a later solve keeps the meeting "
        "where it is; no: it may move."})


def _master_rows(instance: Instance, timetable: Timetable) -> list[dict[str, Any]]:
    rows = meeting_rows(instance, timetable)
    for row in rows:
        row["date"] = dt.date.fromisoformat(row["date"])
        for name in _NUMBER_COLUMNS:
            if not isinstance(row.get(name), int):
                row[name] = str(row.get(name) or "")
    return rows


def visitor_rows(facts: tuple[TripFacts, ...], lang: Language = "en") -> list[dict[str, Any]]:
    """The rows of the visitors sheet, one per trip (dates listed in ``lang``)."""
    tr = translator(lang).brief

    def days(dates: tuple[dt.date, ...]) -> str:
        return tr.pgettext("dates", ", ").join(tr.short_date(d) for d in dates)

    return [{
        "teacher_id": f.teacher_id, "teacher_name": f.teacher_names.get(lang, f.teacher_name),
        "trip": f.trip,
        "arrival": f.window.arrival, "departure": f.window.departure,
        "days_in_china": f.days_in_china, "teachable_days": len(f.teachable_days),
        "teaching_days": len(f.teaching_days), "idle_days": len(f.idle_days),
        "meetings": len(f.meetings), "periods_taught": f.periods_taught,
        "first_teaching_day": f.first_teaching_day, "last_teaching_day": f.last_teaching_day,
        "courses": ";".join(f.courses), "teaching_dates": days(f.teaching_days),
        "idle_dates": days(f.idle_days),
        "hours_chongqing": f.hours[0], "hours_vladivostok": f.hours[1],
    } for f in facts]


def calendar_notes(instance: Instance, lang: Language = "en") -> str:
    """Holidays and adjusted workdays of the term, for the foot of each grid."""
    tr = translator(lang).brief
    parts = []
    if instance.holidays:
        parts.append(tr("Holidays 假日: {holidays}").format(holidays="; ".join(
            f"{tr.short_date(h.date)} {h.name}".strip() for h in instance.holidays)))
    for a in instance.adjusted_workdays:
        facts = {"weekday": tr.weekday(a.date.weekday()), "date": tr.short_date(a.date),
                 "follows": tr.weekday(a.follows_weekday), "week": a.follows_week}
        message = (tr("Adjusted workday 调休: {weekday} {date} holds {follows}")
                   if a.follows_week is None else
                   tr("Adjusted workday 调休: {weekday} {date} holds {follows} of week {week}"))
        parts.append(message.format(**facts))
    return "\n".join(parts)


def _period_times(instance: Instance, period: Period, visiting: bool) -> str:
    """A period's clock times; for a visitor on the campus and the home clock, one a line."""
    if not visiting:
        return f"{period.start:%H:%M}-{period.end:%H:%M}"
    day = instance.term.first_date
    return "\n".join(f"{c.time(instance, day, period.start):%H:%M}-"
                     f"{c.time(instance, day, period.end):%H:%M}"
                     for c in visitor_clocks(instance))


def _time_heading(instance: Instance, tr: Translator, visiting: bool) -> str:
    if not visiting:
        return tr("Time")
    day = instance.term.first_date
    return "\n".join(f"{tr.brief(c.place)} {c.utc_offset(day)}" for c in visitor_clocks(instance))


def _grid_sheet(sheet: Worksheet, instance: Instance, grid: WeeklyGrid, notes: str,
                formats: Formats) -> None:
    """Days across, periods down; a meeting over several periods is one merged cell. A
    visiting teacher's clock times are given in Chongqing and in Vladivostok."""
    tr = translator(grid.language)
    visiting = grid.kind == "teacher" and grid.subject_id in instance.teacher_by_id \
        and instance.teacher_by_id[grid.subject_id].visiting
    colors = course_colors(instance, (e.course_id for c in grid.cells for e in c.entries))
    first_col, first_row = GRID_FIRST_COL, GRID_FIRST_ROW
    last_col = first_col + len(grid.weekdays) - 1
    row_of = {p.number: first_row + i for i, p in enumerate(grid.periods)}
    col_of = {wd: first_col + i for i, wd in enumerate(grid.weekdays)}
    cell = {"border": 1, "text_wrap": True, "valign": "top", "font_size": _CELL_FONT}

    sheet.merge_range(0, 0, 0, last_col, "", formats.get(bold=True, font_size=13))
    sheet.write_string(0, 0, grid.title, formats.text(grid.title, bold=True, font_size=13))
    sheet.set_row(0, 24)
    for col, heading in ((0, tr("Period")), (1, _time_heading(instance, tr, visiting))):
        sheet.write_string(1, col, heading, formats.get(**_HEADER, text_wrap=visiting))
    for wd, col in col_of.items():
        sheet.write_string(1, col, weekday_header(wd, grid.language),
                           formats.get(**_HEADER, align="center"))
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 19 if visiting else 12)
    if visiting:
        sheet.set_row(1, 2 * _LINE_HEIGHT + 6)
    sheet.set_column(first_col, last_col, _DAY_WIDTH)

    needed = {row: 2.0 * _LINE_HEIGHT for row in row_of.values()}
    for p in grid.periods:
        row = row_of[p.number]
        evening = {"bg_color": "#F2F2F2"} if p.session == "evening" else {}
        sheet.write_number(row, 0, p.number, formats.get(**cell, bold=True, align="center",
                                                          **evening))
        sheet.write_string(row, 1, _period_times(instance, p, visiting),
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
        text = c.text(grid.kind, lang=grid.language)
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


def grid_sheets(instance: Instance, lang: Language = "en") -> list[tuple[SubjectKind, str, str]]:
    """The weekly grid sheets of the workbook, in order: (kind, subject id, sheet name)."""
    tr = translator(lang).brief
    taken = {MASTER_SHEET, tr(VISITORS_SHEET)}
    return [(kind, subject, sheet_name(tr(GRID_SHEETS[kind]).format(id=subject), taken))
            for kind in SUBJECT_KINDS for subject in subject_ids(instance, kind)]


def write_workbook(instance: Instance, timetable: Timetable, path: str | Path,
                   lang: Language = "en") -> Path:
    """Write the office's workbook to ``path`` (atomically) and return the path.

    ``lang`` is the reader's language (``en``, ``zh``, ``ru`` or ``all``): sheet names,
    headers, titles, week labels ("weeks 1-16" or "1-16周") and notes.
    """
    tr = translator(lang)
    calendar = TermCalendar(instance)
    notes = calendar_notes(instance, lang)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": f"Timetable — {instance.term.name}",
                             "subject": "CQUPT–FEFU Joint Institute timetable"})
        formats = Formats(book)
        master = book.add_worksheet(MASTER_SHEET)
        _table_sheet(master, meeting_columns(instance, timetable),
                     _master_rows(instance, timetable), formats)
        _pin_choice(master, len(timetable.meetings))
        _table_sheet(book.add_worksheet(tr.brief(VISITORS_SHEET)), VISITOR_COLUMNS,
                     visitor_rows(trip_facts(instance, timetable, calendar), lang),
                     formats, tuple(tr(c) for c in VISITOR_COLUMNS))
        for kind, subject, name in grid_sheets(instance, lang):
            grid = weekly_grid(instance, timetable, kind, subject, lang, calendar)
            _grid_sheet(book.add_worksheet(name), instance, grid, notes, formats)
        book.close()
    return Path(path)

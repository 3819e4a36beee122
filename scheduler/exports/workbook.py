"""The ``.xlsx`` workbook the academic office works in.

Sheets: ``timetable`` (the master table, one row per meeting, read back by
:func:`scheduler.timetable_io.read_timetable`; its ``pinned`` cells offer yes and no),
``visitors`` (one row per trip of a visiting teacher), ``one-third rule`` (FEFU's share of
core courses and of teaching hours per programme, :mod:`scheduler.views.compliance`), then
one weekly grid per cohort, teacher, room and interpreter. Text is always
written as text (never evaluated as a formula); headers are frozen, the master table has
filters, and every sheet prints landscape on A4: the tables one page wide, a grid at 80 % or
more, by month or by week where the term's grid is too tall for a page (:func:`grid_blocks`).
A large term's grids go into workbooks of their own (:func:`workbook_files`).

Everything but the master table, which programs read back, is in the reader's language: sheet
names, headers, titles, week labels and notes (:mod:`scheduler.i18n`). A visiting teacher's
grid gives its clock times in Chongqing and in Vladivostok.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from scheduler.atomic import atomic_path
from scheduler.calendar import TermCalendar
from scheduler.exports.sheets import Formats, sheet_name
from scheduler.formulas import looks_like_formula
from scheduler.i18n import N_, Language, translator, weekday_header
from scheduler.instance import Instance
from scheduler.timetable import MEETING_COLUMNS, Timetable, meeting_columns, meeting_rows
from scheduler.views.colors import course_color, course_colors, lighten
from scheduler.views.compliance import Compliance, compliance
from scheduler.views.grids import WeeklyGrid, weekly_grid
from scheduler.views.subjects import SUBJECT_KINDS, SubjectKind, SubjectMeetings, subject_ids
from scheduler.views.text import display_width, wrapped_lines
from scheduler.views.visitors import (
    TripFacts,
    clock_heading,
    period_clock_times,
    trip_facts,
)

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
COMPLIANCE_SHEET = N_("one-third rule")
PROGRAMME_COLUMNS = (
    N_("programme"), N_("groups"), N_("students"), N_("core courses"),
    N_("core courses by FEFU"), N_("FEFU's share of core courses %"), N_("core: one third met"),
    N_("hours"), N_("hours by FEFU"), N_("FEFU's share of hours %"), N_("hours: one third met"),
)
"""The columns of the compliance sheet's table of programmes (per student of the programme)."""
GROUP_COLUMNS = (
    N_("group"), N_("programme"), N_("students"), N_("core courses"),
    N_("core courses by FEFU"), N_("FEFU's share of core courses %"), N_("hours"),
    N_("hours placed"), N_("hours by FEFU"), N_("FEFU's share of hours %"),
)
"""The columns of its table of groups (what one student of the group attends)."""
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
"""0-based row of a weekly grid's first period (row 1 is the title, row 2 the weekdays), or
of the first block's caption where the grid is printed by month or week."""
GRID_FIRST_COL = 2
"""0-based column of a weekly grid's first weekday (columns A and B: period and time)."""
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
"""Never let xlsxwriter turn text into a formula, link or number."""

_NUMBER_COLUMNS = {"teaching_week", "first_period", "last_period", "students", "capacity"}
_HEADER = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"}
_DAY_WIDTH = 30
_CELL_FONT = 9
_LINE_HEIGHT = 12.0


def page_footer(lang: Language = "en") -> str:
    """The printed pages' footer: the sheet's name at the left, ``Page 2 of 5`` in the
    reader's language at the right (English with ``all``, where space is short)."""
    tr = translator(lang).brief
    return "&L&A&R" + tr("Page {page} of {pages}").format(page="&P", pages="&N")


def _print_setup(sheet: Worksheet, footer: str, scale: int | None = None) -> None:
    """A4 landscape, at ``scale`` percent (a grid), else one page wide (a table); ``footer``
    under every page (:func:`page_footer`)."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.center_horizontally()
    if scale is None:
        sheet.fit_to_pages(1, 0)
    else:
        sheet.set_print_scale(scale)
    sheet.set_footer(footer)


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
                 formats: Formats, headers: tuple[str, ...] | None = None, *,
                 footer: str) -> None:
    """A table with a frozen, filtered header (``headers``, by default the column names),
    columns as wide as their content and ``footer`` under every printed page."""
    headers = headers or columns
    widths = [display_width(h) + 3 for h in headers]
    for col, name in enumerate(headers):
        sheet.write_string(0, col, name, formats.get(**_HEADER))
    plain, dated = formats.get(), formats.get(num_format="yyyy-mm-dd")
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            value = row.get(name)
            if value is None or value == "":
                continue  # an empty cell: nothing to write
            if isinstance(value, dt.date):
                sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), dated)
                widths[col] = max(widths[col], 12)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, col, value, plain)
                widths[col] = max(widths[col], min(50, len(str(value)) + 2))
            else:
                text = str(value)
                sheet.write_string(r, col, text,
                                   formats.text(text) if looks_like_formula(text) else plain)
                widths[col] = max(widths[col], min(50, display_width(text) + 2))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    sheet.repeat_rows(0)
    _print_setup(sheet, footer)


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
        parts.append(tr("Holidays: {holidays}").format(holidays=tr.pgettext("notes", "; ").join(
            f"{tr.short_date(h.date)} {h.name}".strip() for h in instance.holidays)))
    for a in instance.adjusted_workdays:
        facts = {"weekday": tr.weekday(a.date.weekday()), "date": tr.short_date(a.date),
                 "follows": tr.weekday(a.follows_weekday), "week": a.follows_week}
        message = (tr("Adjusted workday: {weekday} {date} holds {follows}")
                   if a.follows_week is None else
                   tr("Adjusted workday: {weekday} {date} holds {follows} of week {week}"))
        parts.append(message.format(**facts))
    return "\n".join(parts)


@dataclass(frozen=True)
class GridBlock:
    """One block of a grid sheet: the weekly grid of the whole term, or, where that does not
    print on one page, of one month or one week (``caption`` says which; empty for the
    term)."""

    caption: str
    grid: WeeklyGrid


@dataclass(frozen=True)
class _Page:
    """How a grid sheet prints: its columns (period, time, then one per weekday), the scale
    that fits them on an A4 landscape page, and the height (points, at that scale) left for
    periods on each page. A visiting teacher's sheet gives times in two clocks (a wider time
    column, a heading of two lines)."""

    visiting: bool
    days: int

    @property
    def time_width(self) -> int:
        return 19 if self.visiting else 12

    @property
    def header_height(self) -> float:
        return 2 * _LINE_HEIGHT + 6 if self.visiting else 15.0

    @property
    def day_width(self) -> int:
        """Characters of a weekday's column: 30, narrower where that would print below
        :data:`MIN_PRINT_SCALE` (six or seven weekdays)."""
        room = _PAGE_WIDTH_PX * 100 / MIN_PRINT_SCALE - _pixels(7) - _pixels(self.time_width)
        return min(_DAY_WIDTH, int((room / self.days - 5) / 7))

    @property
    def widths(self) -> tuple[float, ...]:
        return (7, self.time_width, *([self.day_width] * self.days))

    @property
    def wrap(self) -> int:
        """Characters of 9-point text per line of a weekday's column (11-point widths)."""
        return int(self.day_width * 11 / _CELL_FONT) - 3

    @property
    def scale(self) -> int:
        return min(100, int(100 * _PAGE_WIDTH_PX / sum(map(_pixels, self.widths))))

    def room(self, captioned: bool) -> float:
        """Points of period rows that fit one page below the repeated title and headings."""
        usable = _PAGE_HEIGHT_PT * 100 / self.scale * _PAGE_SLACK
        return usable - _TITLE_HEIGHT - self.header_height - (_CAPTION_HEIGHT if captioned
                                                              else 0)


def _pixels(width: float) -> int:
    """Pixels of a column ``width`` characters of 11-point Calibri wide (as Excel draws it)."""
    return int(width * 7 + 0.5) + 5


_PAGE_WIDTH_PX = (11.69 - 2 * 0.4) * 96 * 0.95
"""A4 landscape less the side margins, in pixels (96 a inch), less 5 % that spreadsheet
programs may draw wider than Excel's column widths say."""
_PAGE_HEIGHT_PT = (8.27 - 2 * 0.5) * 72
"""A4 landscape less the top and bottom margins, in points."""
_PAGE_SLACK = 0.96
"""What of a page the rows may fill (spreadsheet programs round row heights)."""
_TITLE_HEIGHT = 24.0
_CAPTION_HEIGHT = 18.0
MIN_PRINT_SCALE = 80
"""The smallest print scale of a grid sheet (9-point text prints at 7.2 points or more)."""


def _is_visiting(instance: Instance, kind: SubjectKind, subject_id: str) -> bool:
    teacher = instance.teacher_by_id.get(subject_id) if kind == "teacher" else None
    return teacher is not None and teacher.visiting


def _page(instance: Instance, kind: SubjectKind, subject_id: str, days: int) -> _Page:
    return _Page(_is_visiting(instance, kind, subject_id), days)


def _row_heights(grid: WeeklyGrid, page: _Page) -> dict[int, float]:
    """Points each period's row needs so that every cell shows its whole text."""
    numbers = {p.number for p in grid.periods}
    needed = {p.number: 2.0 * _LINE_HEIGHT for p in grid.periods}
    order = [p.number for p in grid.periods]
    for c in grid.cells:
        if c.first_period not in numbers or c.last_period not in numbers:
            continue
        rows = order[order.index(c.first_period):order.index(c.last_period) + 1]
        text = c.text(grid.kind, lang=grid.language)
        height = wrapped_lines(text, page.wrap) * _LINE_HEIGHT + 4
        for number in rows:
            needed[number] = max(needed[number], height / len(rows))
    return {number: min(height, 409.0) for number, height in needed.items()}


def _month_weeks(instance: Instance, weeks: list[int]) -> list[list[int]]:
    """Teaching weeks grouped by the month of their Monday."""
    months: dict[tuple[int, int], list[int]] = {}
    for week in weeks:
        monday = instance.term.week1_monday + dt.timedelta(weeks=week - 1)
        months.setdefault((monday.year, monday.month), []).append(week)
    return list(months.values())


def _caption(instance: Instance, weeks: list[int], lang: Language) -> str:
    """``October 2026 · weeks 5-8 · 10-05 – 11-01`` (one week: ``week 7 · ...``)."""
    tr = translator(lang)
    first = instance.term.week1_monday + dt.timedelta(weeks=weeks[0] - 1)
    last = instance.term.week1_monday + dt.timedelta(weeks=weeks[-1], days=-1)
    dates = f"{tr.brief.short_date(first)} – {tr.brief.short_date(last)}"
    if len(weeks) == 1:
        return f"{tr('week {weeks}').format(weeks=weeks[0])} · {dates}"
    span = f"{weeks[0]}-{weeks[-1]}"
    return f"{tr.month(first)} · {tr('weeks {weeks}').format(weeks=span)} · {dates}"


def grid_blocks(instance: Instance, timetable: Timetable, kind: SubjectKind, subject_id: str,
                lang: Language = "en", calendar: TermCalendar | None = None,
                index: SubjectMeetings | None = None) -> tuple[GridBlock, ...]:
    """The blocks of one grid sheet: the term's weekly grid where it prints on one A4
    landscape page, otherwise one grid per month, and one per week for a month that does not
    fit either (months and weeks without meetings left out)."""
    calendar = calendar or TermCalendar(instance)
    whole = weekly_grid(instance, timetable, kind, subject_id, lang, calendar, index)
    page = _page(instance, kind, subject_id, len(whole.weekdays))
    if sum(_row_heights(whole, page).values()) <= page.room(captioned=False):
        return (GridBlock("", whole),)
    weeks = sorted({w for c in whole.cells for e in c.entries for w in e.weeks})
    blocks = []
    for month in _month_weeks(instance, weeks):
        grid = weekly_grid(instance, timetable, kind, subject_id, lang, calendar, index, month)
        fits = sum(_row_heights(grid, page).values()) <= page.room(captioned=True)
        if fits or len(month) == 1:
            blocks.append(GridBlock(_caption(instance, month, lang), grid))
            continue
        for week in month:
            grid = weekly_grid(instance, timetable, kind, subject_id, lang, calendar, index,
                               (week,))
            if grid.cells:
                blocks.append(GridBlock(_caption(instance, [week], lang), grid))
    return tuple(blocks)


def _grid_sheet(sheet: Worksheet, instance: Instance, blocks: tuple[GridBlock, ...],
                notes: str, formats: Formats, footer: str) -> None:
    """Days across, periods down; a meeting over several periods is one merged cell. A
    visiting teacher's clock times are given in Chongqing and in Vladivostok. Each block
    after the first starts a page, under its caption; the title and the weekday headings
    repeat on every page, printed at the scale that fits the columns (80 % or more)."""
    grid = blocks[0].grid
    tr = translator(grid.language)
    visiting = _is_visiting(instance, grid.kind, grid.subject_id)
    colors = course_colors(instance, (e.course_id for b in blocks for c in b.grid.cells
                                      for e in c.entries))
    first_col = GRID_FIRST_COL
    last_col = first_col + len(grid.weekdays) - 1
    col_of = {wd: first_col + i for i, wd in enumerate(grid.weekdays)}
    page = _page(instance, grid.kind, grid.subject_id, len(grid.weekdays))

    sheet.merge_range(0, 0, 0, last_col, "", formats.get(bold=True, font_size=13))
    sheet.write_string(0, 0, grid.title, formats.text(grid.title, bold=True, font_size=13))
    sheet.set_row(0, _TITLE_HEIGHT)
    for col, heading in ((0, tr("Period")), (1, clock_heading(instance, tr, visiting))):
        sheet.write_string(1, col, heading, formats.get(**_HEADER, text_wrap=visiting))
    for wd, col in col_of.items():
        sheet.write_string(1, col, weekday_header(wd, grid.language),
                           formats.get(**_HEADER, align="center"))
    if visiting:
        sheet.set_row(1, page.header_height)
    for col, width in enumerate(page.widths):
        sheet.set_column(col, col, width)

    row = GRID_FIRST_ROW
    breaks = []
    for number, block in enumerate(blocks):
        if block.caption:
            if number:
                breaks.append(row)
            sheet.merge_range(row, 0, row, last_col, "", formats.get(bold=True, font_size=11))
            sheet.write_string(row, 0, block.caption,
                               formats.text(block.caption, bold=True, font_size=11))
            sheet.set_row(row, _CAPTION_HEIGHT)
            row += 1
        row = _grid_rows(sheet, instance, block.grid, row, page, col_of, colors, formats)
    if notes:
        foot = row + 1
        sheet.merge_range(foot, 0, foot, last_col, "",
                          formats.get(text_wrap=True, valign="top", font_size=9))
        sheet.write_string(foot, 0, notes, formats.text(notes, text_wrap=True, valign="top",
                                                        font_size=9))
        width = int(sum(page.widths) * 11 / _CELL_FONT) - 3
        height = _LINE_HEIGHT * wrapped_lines(notes, width) + 4
        sheet.set_row(foot, height)
        last = blocks[-1]
        if sum(_row_heights(last.grid, page).values()) + 15 + height > \
                page.room(captioned=bool(last.caption)):
            breaks.append(foot)  # the notes on a page of their own, not cut off
    sheet.freeze_panes(2, 2)
    sheet.repeat_rows(0, 1)
    sheet.set_h_pagebreaks(breaks)
    _print_setup(sheet, footer, page.scale)


def _grid_rows(sheet: Worksheet, instance: Instance, grid: WeeklyGrid, top_row: int,
               page: _Page, col_of: dict[int, int], colors: dict[str, str],
               formats: Formats) -> int:
    """The period rows of one grid from ``top_row``; returns the row after them."""
    cell = {"border": 1, "text_wrap": True, "valign": "top", "font_size": _CELL_FONT}
    row_of = {p.number: top_row + i for i, p in enumerate(grid.periods)}
    for p in grid.periods:
        row = row_of[p.number]
        evening = {"bg_color": "#F2F2F2"} if p.session == "evening" else {}
        sheet.write_number(row, 0, p.number, formats.get(**cell, bold=True, align="center",
                                                          **evening))
        sheet.write_string(row, 1, period_clock_times(instance, p, page.visiting),
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
    for number, height in _row_heights(grid, page).items():
        sheet.set_row(row_of[number], height)
    return top_row + len(grid.periods)


def _compliance_sheet(sheet: Worksheet, instance: Instance, shares: Compliance,
                      formats: Formats, lang: Language) -> None:
    """FEFU's share of the core courses and of the teaching hours per programme and over
    all, against the one-third line, then what one student of each group attends."""
    tr = translator(lang)
    title = tr("FEFU's share against the one-third rule — {term}").format(
        term=instance.term.name)
    note = tr("The Ministry asks that the foreign partner's teachers teach at least one third "
              "of the core courses and one third of the teaching hours. Per student: the core "
              "courses and hours (periods) of the plan, and the part FEFU's teachers teach in "
              "the timetable (a course of several teachers split evenly between them); a "
              "programme weighs its groups by students.")
    sheet.merge_range(0, 0, 0, len(PROGRAMME_COLUMNS) - 1, "",
                      formats.get(bold=True, font_size=13))
    sheet.write_string(0, 0, title, formats.text(title, bold=True, font_size=13))
    sheet.merge_range(1, 0, 1, len(PROGRAMME_COLUMNS) - 1, "",
                      formats.get(text_wrap=True, valign="top"))
    sheet.write_string(1, 0, note, formats.text(note, text_wrap=True, valign="top"))
    sheet.set_row(1, 4 * _LINE_HEIGHT + 8)
    yes_no = {True: tr.brief("yes"), False: tr.brief("no"), None: ""}

    def figure(value: Any) -> float:
        return round(float(value), 1)

    def header(row: int, columns: tuple[str, ...]) -> None:
        for col, name in enumerate(columns):
            sheet.write_string(row, col, tr(name), formats.get(**_HEADER, text_wrap=True))
        sheet.set_row(row, 3 * _LINE_HEIGHT + 6)

    header(3, PROGRAMME_COLUMNS)
    row = 4
    for share in (*shares.programmes, shares.overall):
        values: tuple[object, ...] = (
                  share.program or tr("(all programmes)"), share.groups, share.students,
                  figure(share.core_courses), figure(share.partner_core_courses),
                  share.core_share_percent, yes_no[share.meets_core], figure(share.hours),
                  figure(share.partner_hours), share.hours_share_percent,
                  yes_no[share.meets_hours])
        bold = {"bold": True} if not share.program else {}
        for col, value in enumerate(values):
            _write(sheet, row, col, value, formats, **bold)
        row += 1
    row += 1
    header(row, GROUP_COLUMNS)
    for group in shares.groups:
        row += 1
        values = (group.cohort_id, group.program, group.students, group.core_courses,
                  figure(group.partner_core_courses), group.core_share_percent, group.hours,
                  group.placed_hours, figure(group.partner_hours), group.hours_share_percent)
        for col, value in enumerate(values):
            _write(sheet, row, col, value, formats)
    sheet.set_column(0, 1, max(14, *(display_width(p.program) + 2 for p in shares.programmes)))
    sheet.set_column(2, len(PROGRAMME_COLUMNS) - 1, 13)
    sheet.freeze_panes(4, 1)
    _print_setup(sheet, page_footer(lang))


def grid_sheets(instance: Instance, lang: Language = "en") -> list[tuple[SubjectKind, str, str]]:
    """The weekly grid sheets of the workbook, in order: (kind, subject id, sheet name)."""
    tr = translator(lang).brief
    taken = {MASTER_SHEET, tr(VISITORS_SHEET), tr(COMPLIANCE_SHEET)}
    return [(kind, subject, sheet_name(tr(GRID_SHEETS[kind]).format(id=subject), taken))
            for kind in SUBJECT_KINDS for subject in subject_ids(instance, kind)]


SPLIT_AT = 1000
"""The most grid sheets one workbook holds (the steady-state institute has 315): a term with
more gets one workbook per kind of grid (:func:`workbook_files`)."""
KIND_FILES: dict[SubjectKind, str] = {"cohort": "timetable-cohorts.xlsx",
                                      "teacher": "timetable-teachers.xlsx",
                                      "room": "timetable-rooms.xlsx",
                                      "interpreter": "timetable-interpreters.xlsx"}
"""Where the grids of each kind go when the workbook is split."""


def workbook_files(instance: Instance) -> dict[str, tuple[SubjectKind, ...]]:
    """The workbooks of a term (file name -> the kinds of grid sheets it holds):
    ``timetable.xlsx`` alone, with every sheet; or, past :data:`SPLIT_AT` grid sheets,
    ``timetable.xlsx`` with the master, visitors and one-third-rule sheets and one workbook
    per kind of grid (``timetable-cohorts.xlsx``, ``-teachers``, ``-rooms``,
    ``-interpreters``), each of a size spreadsheet programs open quickly."""
    grids = {kind: len(subject_ids(instance, kind)) for kind in SUBJECT_KINDS}
    if sum(grids.values()) <= SPLIT_AT:
        return {"timetable.xlsx": SUBJECT_KINDS}
    return {"timetable.xlsx": (), **{KIND_FILES[kind]: (kind,) for kind in SUBJECT_KINDS
                                     if grids[kind]}}


def write_workbooks(instance: Instance, timetable: Timetable, folder: str | Path,
                    lang: Language = "en",
                    files: dict[str, tuple[SubjectKind, ...]] | None = None) -> list[Path]:
    """Write the office's workbooks (``files``, by default :func:`workbook_files`) into
    ``folder``; returns their paths, ``timetable.xlsx`` first."""
    folder = Path(folder)
    written = []
    for name, kinds in (files or workbook_files(instance)).items():
        tables = name == "timetable.xlsx"
        written.append(write_workbook(instance, timetable, folder / name, lang, kinds, tables))
    return written


def write_workbook(instance: Instance, timetable: Timetable, path: str | Path,
                   lang: Language = "en", kinds: tuple[SubjectKind, ...] = SUBJECT_KINDS,
                   tables: bool = True) -> Path:
    """Write the office's workbook to ``path`` (atomically) and return the path.

    ``lang`` is the reader's language (``en``, ``zh``, ``ru`` or ``all``): sheet names,
    headers, titles, week labels ("weeks 1-16" or "1-16周") and notes. ``kinds``: the grids
    it holds (every kind by default); ``tables``: the master, visitors and one-third-rule
    sheets. A workbook of tables alone is written in xlsxwriter's constant-memory mode, row
    after row, whatever the size of the term.
    """
    tr = translator(lang)
    calendar = TermCalendar(instance)
    notes = calendar_notes(instance, lang)
    footer = page_footer(lang)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {**WORKBOOK_OPTIONS,
                                              "constant_memory": not kinds})
        book.set_properties({"title": f"Timetable — {instance.term.name}",
                             "subject": "CQUPT–FEFU Joint Institute timetable"})
        formats = Formats(book)
        if tables:
            master = book.add_worksheet(MASTER_SHEET)
            _table_sheet(master, meeting_columns(instance, timetable),
                         _master_rows(instance, timetable), formats, footer=footer)
            _pin_choice(master, len(timetable.meetings))
            _table_sheet(book.add_worksheet(tr.brief(VISITORS_SHEET)), VISITOR_COLUMNS,
                         visitor_rows(trip_facts(instance, timetable, calendar), lang),
                         formats, tuple(tr(c) for c in VISITOR_COLUMNS), footer=footer)
            _compliance_sheet(book.add_worksheet(tr.brief(COMPLIANCE_SHEET)), instance,
                              compliance(instance, timetable), formats, lang)
        index = SubjectMeetings(instance, timetable)
        for kind, subject, name in grid_sheets(instance, lang):
            if kind in kinds:
                blocks = grid_blocks(instance, timetable, kind, subject, lang, calendar, index)
                _grid_sheet(book.add_worksheet(name), instance, blocks, notes, formats, footer)
        book.close()
    return Path(path)

"""The office workbook read back: do its weekly grids and visitors sheet agree with the master?

The master sheet (``timetable``) is authoritative: it is what ``scheduler verify``, ``export``,
``plot`` and ``report`` read. The other sheets are views of it, written by
:func:`scheduler.exports.workbook.write_workbook`; an edit made in a grid instead of the master
sheet would be lost. This module recomputes every grid and the visitors sheet from the master
sheet's meetings, exactly as the writer does, and reports each cell where the workbook shows
something else (the sheet, the cell, what the sheet shows and what the master sheet gives).

Grid cells are found by their headings (weekday columns in row 2, period numbers in column A;
a grid printed by month or week has one block of periods for each, in order), so rows or
columns added beside the grid do not matter; sheets that are neither grids nor the
visitors sheet (the office's own notes) are not read. The workbook may be written in any
language (``write_workbook(..., lang=...)``: sheet names, headers and labels): the language
that agrees best is taken.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from scheduler.calendar import TermCalendar
from scheduler.errors import InputError, Problem
from scheduler.exports.workbook import (
    GRID_FIRST_COL,
    GRID_FIRST_ROW,
    VISITOR_COLUMNS,
    VISITORS_SHEET,
    grid_blocks,
    grid_sheets,
    visitor_rows,
)
from scheduler.i18n import LANGUAGES, Language, translator, weekday_header
from scheduler.instance import Instance
from scheduler.io.xlsx import UnreadableWorkbook, read_workbook
from scheduler.timetable import Timetable
from scheduler.views.grids import WeeklyGrid
from scheduler.views.subjects import SubjectMeetings
from scheduler.views.visitors import trip_facts
from scheduler.views.weeks import WEEKDAY_LABELS

Rows = list[list[Any]]
"""A sheet's cell values, row by row from row 1 (rows may differ in length)."""


@dataclass(frozen=True)
class Disagreement:
    """A cell of a grid or of the visitors sheet that shows what the master sheet does not
    (``cell`` is empty when the sheet lacks the row or column where it should be)."""

    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        place = f", cell {self.cell}" if self.cell else ""
        return f"sheet '{self.sheet}'{place}: {self.message}"


def _says(shown: str, expected: str, what: str = "grid", agreeing: bool = False) -> str:
    """``the grid shows "X" but the master sheet gives "Y"`` and its forms for empty sides;
    ``agreeing``: the cell also holds entries that agree, which are not repeated."""
    if agreeing and not shown:
        return (f'the {what} lacks "{expected}", which the master sheet also gives there '
                "(the cell's other entries agree)")
    if agreeing and not expected:
        return (f'the {what} also shows "{shown}", which the master sheet does not have '
                "there (the cell's other entries agree)")
    left = f'the {what} shows "{shown}"' if shown else f"the {what} shows nothing"
    right = (f'the master sheet gives "{expected}"' if expected
             else "the master sheet has nothing there")
    return f"{left} but {right}"


def workbook_disagreements(instance: Instance, path: str | Path,
                           timetable: Timetable) -> tuple[Disagreement, ...]:
    """Every cell of the workbook's grids and visitors sheet that disagrees with ``timetable``
    (the meetings of its master sheet), in sheet order; none when ``path`` is not a workbook
    (a CSV or JSON timetable has no other sheets)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return ()
    instance = instance.with_trips(timetable.trips)  # the visitors sheet lists planned trips
    sheets = _read_sheets(path)
    calendar = TermCalendar(instance)
    best: tuple[int, list[Disagreement]] | None = None
    for lang in LANGUAGES:
        known = _recognised(instance, sheets, lang)
        if not known:
            continue
        found = list(_visitor_disagreements(instance, timetable, calendar, sheets, lang))
        found += _grid_disagreements(instance, timetable, calendar, sheets, lang)
        if best is None or (-known, len(found)) < (-best[0], len(best[1])):
            best = (known, found)
    order = {name: i for i, name in enumerate(sheets)}
    return tuple(sorted(best[1] if best else [], key=lambda d: order.get(d.sheet, 0)))


def _recognised(instance: Instance, sheets: dict[str, Rows], lang: Language) -> int:
    """How many sheet names and headings of the workbook are those the writer gives in
    ``lang`` (the workbook's language is the one recognised most)."""
    tr = translator(lang)
    count = 0
    visitors = sheets.get(tr.brief(VISITORS_SHEET))
    if visitors:
        headed = {_text(tr(c)) for c in VISITOR_COLUMNS}
        count += 1 + sum(_text(v) in headed for v in visitors[0])
    weekdays = {_text(weekday_header(wd, lang)) for wd in range(7)}
    for _, _, name in grid_sheets(instance, lang):
        rows = sheets.get(name)
        if rows is not None and len(rows) > GRID_FIRST_ROW - 1:
            count += 1 + sum(_text(v) in weekdays for v in rows[GRID_FIRST_ROW - 1])
    return count


def _read_sheets(path: Path) -> dict[str, Rows]:
    try:
        return dict(read_workbook(path))
    except UnreadableWorkbook as exc:
        raise InputError([Problem(str(path), f"the workbook's sheets cannot be read: {exc.reason}",
                                  "give the timetable.xlsx written by the tool")]) from exc


def _text(value: Any) -> str:
    """A cell as comparable text: lines stripped, blank cells empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = [line.strip() for line in str(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _entries(text: str) -> Counter[str]:
    """The entries of a grid cell (separated by a blank line), each as one line."""
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return Counter(" | ".join(line for line in b.split("\n") if line) for b in blocks)


def _cell(rows: Rows, row: int, col: int) -> Any:
    return rows[row][col] if row < len(rows) and col < len(rows[row]) else None


def _coordinate(row: int, col: int) -> str:
    return f"{openpyxl.utils.get_column_letter(col + 1)}{row + 1}"


def _expected_cells(grid: WeeklyGrid, lang: Language) -> dict[tuple[int, int],
                                                               tuple[str, str]]:
    """(period, weekday) of each grid cell's top left: its text and a description."""
    numbers = {p.number for p in grid.periods}
    cells = {}
    for c in grid.cells:
        if c.first_period in numbers and c.last_period in numbers:
            periods = (f"period {c.first_period}" if c.span == 1
                       else f"periods {c.first_period}-{c.last_period}")
            cells[(c.first_period, c.weekday)] = (c.text(grid.kind, lang=lang),
                                                  f"{WEEKDAY_LABELS['en'][c.weekday]}, {periods}")
    return cells


def _grid_disagreements(instance: Instance, timetable: Timetable, calendar: TermCalendar,
                        sheets: dict[str, Rows], lang: Language) -> Iterator[Disagreement]:
    index = SubjectMeetings(instance, timetable)
    for kind, subject, name in grid_sheets(instance, lang):
        rows = sheets.get(name)
        if rows is None:
            continue
        blocks = grid_blocks(instance, timetable, kind, subject, lang, calendar, index)
        numbers = {p.number for p in blocks[0].grid.periods}
        runs = _period_runs(rows, numbers)
        if len(runs) != len(blocks):
            # the blocks cannot be matched: cell by cell, every cell would differ (hundreds
            # of lines after one edit of the master sheet that changed how the grid prints)
            found = f"{len(runs)} block{'s' if len(runs) != 1 else ''}"
            yield Disagreement(name, "", f"the grid has {found} of periods where the master "
                               f"sheet gives {len(blocks)} (one a month or a week): its "
                               "cells are not compared; scheduler export rewrites it")
            continue
        for run, block in zip(runs, blocks, strict=True):
            yield from _compare_grid(name, rows, block.grid, lang, run)


def _period_runs(rows: Rows, numbers: set[int]) -> list[dict[int, int]]:
    """The rows of each block of periods (row -> period), top to bottom: a block ends where
    the period numbers in column A start again."""
    runs: list[dict[int, int]] = []
    last = None
    for r in range(GRID_FIRST_ROW, len(rows)):
        period = _cell(rows, r, 0)
        if not isinstance(period, int) or period not in numbers:
            continue
        if last is None or period <= last:
            runs.append({})
        runs[-1][r] = period
        last = period
    return runs or [{}]


def _compare_grid(name: str, rows: Rows, grid: WeeklyGrid, lang: Language,
                  period_of: dict[int, int]) -> Iterator[Disagreement]:
    header = GRID_FIRST_ROW - 1
    headers = [_text(weekday_header(wd, lang)) for wd in range(7)]
    weekday_of = {col: headers.index(_text(v))
                  for col, v in enumerate(rows[header] if header < len(rows) else [])
                  if col >= GRID_FIRST_COL and _text(v) in headers}
    row_of = {p: r for r, p in period_of.items()}
    col_of = {wd: c for c, wd in weekday_of.items()}
    expected = _expected_cells(grid, lang)
    for (period, weekday), (text, where) in expected.items():
        if period not in row_of or weekday not in col_of:
            missing = (f"column for {WEEKDAY_LABELS['en'][weekday]}" if weekday not in col_of
                       else f"row for period {period}")
            yield Disagreement(name, "", f"the grid has no {missing}, where the master sheet "
                               f'gives "{_one_line(text)}" ({where})')
    for r, period in sorted(period_of.items()):
        for c, weekday in sorted(weekday_of.items()):
            want = expected.get((period, weekday), ("", ""))
            shown = _entries(_current_labels(_text(_cell(rows, r, c)), lang))
            wanted = _entries(_text(want[0]))
            if shown == wanted:
                continue
            where = want[1] or f"{WEEKDAY_LABELS['en'][weekday]}, period {period}"
            yield Disagreement(name, _coordinate(r, c), f"({where}) " + _says(
                "; ".join(sorted((shown - wanted).elements())),
                "; ".join(sorted((wanted - shown).elements())),
                agreeing=bool(shown & wanted)))


LEGACY_LABELS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "ru": ((re.compile(r"(?<!\w)пары (\d+-\d+)"), r"ак. ч. \1"),),
}
"""Labels of grid cells as earlier versions wrote them, read as today's, per language: a
45-minute period was called a пара (a double period to a Russian reader) until 2026-12-05,
so that a Russian workbook written before still agrees with its master sheet."""


def _current_labels(text: str, lang: Language) -> str:
    for pattern, label in LEGACY_LABELS.get(lang, ()):
        text = pattern.sub(label, text)
    return text


def _one_line(text: str) -> str:
    return "; ".join(sorted(_entries(_text(text)).elements()))


def _visitor_disagreements(instance: Instance, timetable: Timetable, calendar: TermCalendar,
                           sheets: dict[str, Rows], lang: Language) -> Iterator[Disagreement]:
    tr = translator(lang)
    sheet = tr.brief(VISITORS_SHEET)
    rows = sheets.get(sheet)
    if not rows:
        return
    headed = {_text(tr(c)): c for c in VISITOR_COLUMNS}
    columns = {headed[_text(v)]: c for c, v in enumerate(rows[0]) if _text(v) in headed}
    if "teacher_id" not in columns or "trip" not in columns:
        return
    expected = {(str(r["teacher_id"]), _text(r["trip"])): r
                for r in visitor_rows(trip_facts(instance, timetable, calendar), lang)}
    seen = set()
    for r in range(1, len(rows)):
        key = (_text(_cell(rows, r, columns["teacher_id"])),
               _text(_cell(rows, r, columns["trip"])))
        if key == ("", ""):
            continue
        seen.add(key)
        want = expected.get(key)
        trip = f"trip {key[1]} of {key[0]}"
        if want is None:
            yield Disagreement(sheet, _coordinate(r, columns["teacher_id"]),
                               f"the sheet lists {trip}, which the master sheet's meetings "
                               "do not give")
            continue
        for column, c in columns.items():
            shown, wanted = _text(_cell(rows, r, c)), _text(want[column])
            if shown != wanted:
                yield Disagreement(sheet, _coordinate(r, c), f"({trip}, {column}) "
                                   + _says(shown, wanted, "sheet"))
    for teacher, trip in sorted(expected.keys() - seen):
        yield Disagreement(sheet, "", f"the sheet has no row for trip {trip} of "
                           f"{teacher}, which the master sheet's meetings give")

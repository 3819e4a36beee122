"""``diff.xlsx``: one row per change and person, the changed cells highlighted, and a
summary per person."""

from __future__ import annotations

import datetime as dt

import openpyxl

from scheduler.exports.diff_sheet import CHANGE_COLUMNS, HIGHLIGHT, write_diff_workbook
from scheduler.views.diff import timetable_diff
from tests.tiny import edited, m


def _fill(cell) -> str | None:
    color = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return None if color is None else "#" + str(color)[-6:]


def test_the_changes_sheet_highlights_what_changed(tiny, timetable, tmp_path):
    new = edited(remove=(m(16, 3, "I1", "R1", "I1"), m(15, 3, "W4", "L1")),
                 add=(m(16, 1, "I1", "R1", "I1"),))
    path = write_diff_workbook(timetable_diff(tiny, timetable, new), tmp_path / "diff.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["changes", "summary"]
    sheet = book["changes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == CHANGE_COLUMNS
    column = {name: i for i, name in enumerate(CHANGE_COLUMNS)}
    who = [(r[0], r[1], r[3]) for r in rows[1:]]
    # W4 (C1-B's lab, T2) is removed; I1 (C1, its sub-groups, C2, V1, interpreter I1) moved
    assert who == [("cohort", "C1", "removed"), ("cohort", "C1", "moved"),
                   ("cohort", "C1-A", "moved"), ("cohort", "C1-B", "removed"),
                   ("cohort", "C1-B", "moved"), ("cohort", "C2", "moved"),
                   ("teacher", "T2", "removed"), ("teacher", "V1", "moved"),
                   ("interpreter", "I1", "moved")]
    moved = rows[2]
    assert moved[column["old_date"]] == moved[column["new_date"]] == dt.datetime(2026, 9, 16)
    assert (moved[column["old_periods"]], moved[column["new_periods"]]) == ("3-4", "1-2")
    highlighted = [name for name in CHANGE_COLUMNS if _fill(sheet.cell(3, column[name] + 1))]
    assert highlighted == ["change", "new_periods"]
    assert _fill(sheet.cell(3, column["new_periods"] + 1)) == HIGHLIGHT["moved"]
    removed = [name for name in CHANGE_COLUMNS if _fill(sheet.cell(2, column[name] + 1))]
    assert removed == ["change", *(c for c in CHANGE_COLUMNS if c.startswith("old_"))]
    assert _fill(sheet.cell(2, column["old_room"] + 1)) == HIGHLIGHT["removed"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    summary = list(book["summary"].iter_rows(values_only=True))
    assert summary[0] == ("subject_kind", "subject_id", "subject_name", "moved", "added",
                          "removed", "interpreter")
    assert ("teacher", "V1", "Иванова Е. А.", 1, 0, 0, 0) in summary
    assert ("cohort", "C1", "C1", 1, 0, 1, 0) in summary

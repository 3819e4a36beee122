"""The workbook read back: grids and the visitors sheet compared with the master sheet.

Workbooks are written by write_workbook and edited with openpyxl, as the office edits them in
a spreadsheet program; the expected messages are written out by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import openpyxl
import pytest

from scheduler.exports.workbook import write_workbook
from scheduler.exports.workbook_check import workbook_disagreements
from scheduler.timetable_io import read_timetable
from tests.exports.crowded import crowded

MATHS = "Mathematics | weeks 1-2 | R1 · Li Wei 李伟"


def _check(tiny, path):
    return [str(d) for d in workbook_disagreements(tiny, path, read_timetable(path))]


def _edit(path, edits):
    book = openpyxl.load_workbook(path)
    for sheet, cell, value in edits:
        book[sheet][cell].value = value
    edited = path.with_name("edited.xlsx")
    book.save(edited)
    return edited


@pytest.fixture
def written(tiny, timetable, tmp_path):
    path = tmp_path / "timetable.xlsx"
    write_workbook(tiny, timetable, path)
    return path


@pytest.mark.parametrize("lang", ["en", "zh", "ru", "all"])
def test_the_workbook_as_written_agrees_with_its_master_sheet(tiny, timetable, tmp_path, lang):
    path = tmp_path / "t.xlsx"
    write_workbook(tiny, timetable, path, lang=lang)
    assert _check(tiny, path) == []


def test_a_meeting_moved_in_a_cohort_grid_is_two_disagreements(tiny, written):
    # Mathematics moved from Monday periods 1-2 (C3) to Wednesday periods 1-2 (E3).
    book = openpyxl.load_workbook(written)
    sheet = book["cohort C1"]
    sheet["E3"].value, sheet["C3"].value = sheet["C3"].value, None
    book.save(written)
    assert _check(tiny, written) == [
        f"sheet 'cohort C1', cell C3: (Mon, periods 1-2) the grid shows nothing but the master "
        f'sheet gives "{MATHS}"',
        f'sheet \'cohort C1\', cell E3: (Wed, period 1) the grid shows "{MATHS}" but the master '
        "sheet has nothing there"]


def test_an_unknown_room_typed_in_a_grid_is_reported_with_both_texts(tiny, written):
    edited = _edit(written, [("cohort C2", "D3", "English\nweeks 1-2\nR9 · Li Wei 李伟")])
    assert _check(tiny, edited) == [
        "sheet 'cohort C2', cell D3: (Tue, periods 1-2) the grid shows \"English | weeks 1-2 | "
        "R9 · Li Wei 李伟\" but the master sheet gives \"English | weeks 1-2 | R2 · Li Wei 李伟\""]


def test_one_of_two_entries_of_a_shared_cell_changed(tiny, timetable, tmp_path):
    # Room L1's Monday periods 3-4 hold one entry; add a second, as if two courses shared it.
    path = tmp_path / "t.xlsx"
    write_workbook(tiny, timetable, path)
    book = openpyxl.load_workbook(path)
    cell = book["room L1"]["C5"]
    cell.value = cell.value + "\n\nExtra\nweeks 1-2\nC2\nLi Wei 李伟"
    book.save(path)
    assert _check(tiny, path) == [
        "sheet 'room L1', cell C5: (Mon, periods 3-4) the grid also shows \"Extra | weeks 1-2 | "
        "C2 | Li Wei 李伟\", which the master sheet does not have there (the cell's other "
        "entries agree)"]
    # the other way (an entry of a shared cell deleted) does not say the cell is empty
    from scheduler.exports.workbook_check import _says
    assert _says("", "Maths | weeks 1-2", agreeing=True) == (
        "the grid lacks \"Maths | weeks 1-2\", which the master sheet also gives there (the "
        "cell's other entries agree)")


def test_the_visitors_sheet_is_compared_cell_by_cell(tiny, written):
    edited = _edit(written, [("visitors", "J2", 4), ("visitors", "M2", dt.datetime(2026, 9, 17))])
    assert _check(tiny, edited) == [
        "sheet 'visitors', cell J2: (trip 1 of V1, meetings) the sheet shows \"4\" but the master "
        'sheet gives "3"',
        "sheet 'visitors', cell M2: (trip 1 of V1, last_teaching_day) the sheet shows "
        '"2026-09-17" but the master sheet gives "2026-09-16"']


def test_a_missing_or_extra_trip_row_is_reported(tiny, written):
    edited = _edit(written, [("visitors", "C2", 2)])
    assert _check(tiny, edited) == [
        "sheet 'visitors', cell A2: the sheet lists trip 2 of V1, which the master sheet's "
        "meetings do not give",
        "sheet 'visitors': the sheet has no row for trip 1 of V1, which the master sheet's "
        "meetings give"]


def test_an_edit_of_the_master_sheet_alone_shows_in_every_grid_of_the_meeting(tiny, written):
    # Meeting W3 of 09-08 (English, cohort C2, teacher T1, room R2) moved to room R1 in the
    # master sheet only: the grids of C2, T1, R1 and R2 no longer show what the master gives.
    book = openpyxl.load_workbook(written)
    sheet = book["timetable"]
    assert (sheet["H4"].value, sheet["O4"].value) == ("W3", "R2")
    sheet["O4"].value = "R1"
    book.save(written)
    sheets = {line.split("'")[1] for line in _check(tiny, written)}
    assert sheets == {"cohort C2", "teacher T1", "room R1", "room R2"}


def test_headings_notes_sheets_and_columns_beside_the_grid_are_not_compared(tiny, written):
    book = openpyxl.load_workbook(written)
    book["cohort C1"]["A1"].value = "Cohort C1 (printed for the notice board)"
    book["cohort C1"]["J3"].value = "note: ask about the projector"
    book["cohort C1"]["B3"].value = "08:00"
    book.create_sheet("notes")["A1"].value = "Mathematics moves next term"
    book.remove(book["teacher T1"])
    book.save(written)
    assert _check(tiny, written) == []


def test_a_grid_whose_weekday_column_was_deleted(tiny, written):
    book = openpyxl.load_workbook(written)
    book["room R2"].delete_cols(4)  # Tuesday, where English meets
    book.save(written)
    assert _check(tiny, written) == [
        "sheet 'room R2': the grid has no column for Tue, where the master sheet gives "
        '"English | weeks 1-2 | C2 | Li Wei 李伟" (Tue, periods 1-2)']


def test_text_saved_with_windows_line_breaks_and_spaces_agrees(tiny, written):
    book = openpyxl.load_workbook(written)
    cell = book["cohort C1"]["C3"]
    cell.value = "  " + cell.value.replace("\n", " \r\n") + "\n"
    book.save(written)
    assert _check(tiny, written) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_grid_printed_by_week_agrees_block_by_block(tiny, tmp_path, lang):
    instance, timetable = crowded(tiny)
    path = tmp_path / "t.xlsx"
    write_workbook(instance, timetable, path, lang=lang)
    assert _check(instance, path) == []


def test_an_edit_in_the_second_week_of_a_grid_is_found_there(tiny, tmp_path):
    # cohort C1's grid: the title, the headings, week 1 (a caption and periods 1-12 in rows
    # 4-15), week 2 (a caption in row 16, periods 1-12 in rows 17-28)
    instance, timetable = crowded(tiny)
    path = tmp_path / "t.xlsx"
    write_workbook(instance, timetable, path)
    edited = _edit(path, [("cohort C1", "D19", "Mathematics\nweek 2\nR2 · Li Wei 李伟")])
    shown = "Mathematics | week 2 | R2 · Li Wei 李伟"
    assert _check(instance, edited) == [
        f'sheet \'cohort C1\', cell D19: (Tue, periods 3-4) the grid shows "{shown}" but the '
        f'master sheet gives "{shown} | interpreter: Chen Jing 陈静"']


def test_a_week_deleted_from_a_grid_is_said_once(tiny, tmp_path):
    """Blocks that cannot be matched are said once per sheet, not cell by cell: an edit of
    the master sheet that changes how a grid prints (by month or by week) made hundreds of
    lines, most of them saying the master sheet had nothing where it had meetings."""
    instance, timetable = crowded(tiny)
    path = tmp_path / "t.xlsx"
    write_workbook(instance, timetable, path)
    book = openpyxl.load_workbook(path)
    book["cohort C1"].delete_rows(16, 13)  # week 2: its caption and twelve periods
    book.save(path)
    found = _check(instance, path)
    assert found == ["sheet 'cohort C1': the grid has 1 block of periods where the master "
                     "sheet gives 2 (one a month or a week): its cells are not compared; "
                     "scheduler export rewrites it"]


def test_a_russian_workbook_written_with_the_old_period_label_still_agrees(tiny, timetable,
                                                                           tmp_path):
    """Until 2026-12-05 the Russian grids called a 45-minute period a пара ("пары 5-6");
    a workbook written then, unedited, must still verify after the change to ак. ч."""
    # Lab B moved onto Lab A's Monday, one period long: their shared cells give the periods
    moved = tuple(replace(m, date=m.date - dt.timedelta(days=1), last_period=3)
                  if m.course_id == "W4" else m for m in timetable.meetings)
    timetable = replace(timetable, meetings=moved)
    path = tmp_path / "t.xlsx"
    write_workbook(tiny, timetable, path, lang="ru")
    book = openpyxl.load_workbook(path)
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "ак. ч. " in cell.value:
                    cell.value = cell.value.replace("ак. ч. ", "пары ")
                    changed += 1
    assert changed
    book.save(path)
    assert _check(tiny, path) == []

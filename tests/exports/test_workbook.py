"""The office workbook: sheets, master columns and values, weekly grids with merged cells,
the visitors sheet, print setup, formula safety, the round trip through read_timetable, and a
hand edit of the master sheet checked by ``scheduler verify``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from scheduler.exports import workbook
from scheduler.exports.workbook import (
    GRID_PREFIX,
    VISITOR_COLUMNS,
    grid_blocks,
    grid_prefixes,
    write_workbook,
    write_workbooks,
)
from scheduler.io.writer import write_instance_csv
from scheduler.timetable import MEETING_COLUMNS, meeting_rows
from scheduler.timetable_io import read_timetable
from tests.exports.crowded import crowded
from tests.tiny import with_course, with_teacher

ROOT = Path(__file__).resolve().parents[2]


def _fit(sheet) -> tuple[int, int]:
    """Pages wide and tall the sheet is fitted to (an absent attribute means 1)."""
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    setup = sheet.page_setup
    return (1 if setup.fitToWidth is None else int(setup.fitToWidth),
            1 if setup.fitToHeight is None else int(setup.fitToHeight))


@pytest.fixture(scope="module")
def book(tiny, timetable, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "timetable.xlsx"
    assert write_workbook(tiny, timetable, path) == path
    return openpyxl.load_workbook(path)


def test_sheets_are_master_visitors_then_one_grid_per_cohort_teacher_room_interpreter(book):
    assert book.sheetnames == [
        "timetable", "visitors", "one-third rule", "cohort C1", "cohort C1-A", "cohort C1-B",
        "cohort C2",
        "teacher T1", "teacher T2", "teacher V1", "room R1", "room R2", "room L1",
        "interp I1", "interp I2"]


def test_compliance_sheet_gives_fefus_share_per_programme_and_group(book):
    # tests/views/test_compliance.py counts them on the tiny instance
    rows = list(book["one-third rule"].iter_rows(values_only=True))
    assert rows[3][:3] == ("programme", "groups", "students")
    assert rows[4] == ("IoT", 3, 28, 0, 0, None, None, 15.1, 6, 39.6, "yes")
    assert rows[5][0] == "(all programmes)"
    assert rows[7][:2] == ("group", "programme")
    assert [r[:3] + r[6:10] for r in rows[8:]] == [
        ("C1-A", "IoT", 10, 18, 18, 6, 33.3), ("C1-B", "IoT", 8, 18, 18, 6, 33.3),
        ("C2", "IoT", 10, 10, 10, 6, 60)]


def test_master_sheet_holds_one_row_per_meeting_with_typed_values(book, tiny, timetable):
    sheet = book["timetable"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == MEETING_COLUMNS
    assert len(rows) == 1 + len(timetable) == 14
    for written, expected in zip(rows[1:], meeting_rows(tiny, timetable), strict=True):
        for column, value in zip(MEETING_COLUMNS, written, strict=True):
            want = expected[column]
            if column == "date":
                want = dt.datetime.fromisoformat(want)
            assert value == (want if want != "" else None), column
    first = dict(zip(MEETING_COLUMNS, rows[1], strict=True))
    assert (first["teacher_names"], first["teaching_week"]) == ("Li Wei 李伟", 1)
    interpreted = [dict(zip(MEETING_COLUMNS, r, strict=True)) for r in rows[1:]
                   if r[MEETING_COLUMNS.index("interpreter_id")]]
    assert {r["teacher_names"] for r in interpreted} == {"Иванова Е. А."}
    assert {r["interpreter_name"] for r in interpreted} == {"Chen Jing 陈静"}


def test_master_sheet_is_filtered_frozen_wide_enough_and_printable(book):
    sheet = book["timetable"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:U14"
    name_column = openpyxl.utils.get_column_letter(MEETING_COLUMNS.index("course_name") + 1)
    assert sheet.column_dimensions[name_column].width >= len("Linear algebra")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert _fit(sheet) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"


def test_grid_merges_the_periods_of_each_meeting(book):
    sheet = book["cohort C1"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Periods 1-6 are rows 3-8; Mon..Fri are columns C..G; row 1 is the title, row 10 notes.
    assert merged == {"A1:G1", "C3:C4", "C5:C6", "C7:C8", "D5:D6", "D7:D8", "E5:E6", "F3:F4",
                      "A10:G10"}
    assert sheet["A1"].value.startswith("Cohort C1 — IoT, year 1, 18 students")
    assert [sheet.cell(2, c).value for c in range(1, 8)] == [
        "Period", "Time", "Mon 周一 Пн", "Tue 周二 Вт", "Wed 周三 Ср", "Thu 周四 Чт",
        "Fri 周五 Пт"]
    assert (sheet["A3"].value, sheet["B3"].value) == (1, "08:00-08:45")
    assert sheet["C3"].value == "Mathematics\nweeks 1-2\nR1 · Li Wei 李伟"
    assert sheet["C5"].value == "[C1-A] Lab A\nweeks 1-2\nL1 · Li Wei 李伟"
    assert sheet["D7"].value.startswith("Linear algebra\ndate 09-15\nR1 · Иванова Е. А.")
    assert sheet["G3"].value is None
    assert "Holidays: 09-11 holiday" in sheet["A10"].value
    assert "Adjusted workday: Sun 09-13 holds Fri of week 1" in sheet["A10"].value
    assert sheet.freeze_panes == "C3"
    assert sheet.page_setup.orientation == "landscape"
    # printed at a scale that fits the columns on A4 landscape (80 % or more), the title
    # and weekday headings repeated on every page (tests/exports/test_printing.py prints it)
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.scale) >= 80
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.row_dimensions[3].height >= 20


def test_visitors_sheet_has_one_row_per_trip(book):
    rows = list(book["visitors"].iter_rows(values_only=True))
    assert rows[0] == VISITOR_COLUMNS
    trip = dict(zip(VISITOR_COLUMNS, rows[1], strict=True))
    assert len(rows) == 2
    assert trip == {
        "teacher_id": "V1", "teacher_name": "Иванова Е. А.", "trip": 1,
        "arrival": dt.datetime(2026, 9, 13), "departure": dt.datetime(2026, 9, 18),
        "days_in_china": 6, "teachable_days": 4, "teaching_days": 3, "idle_days": 0,
        "meetings": 3, "periods_taught": 6, "first_teaching_day": dt.datetime(2026, 9, 14),
        "last_teaching_day": dt.datetime(2026, 9, 16), "courses": "I1",
        "teaching_dates": "09-14, 09-15, 09-16", "idle_dates": None,
        # the trip's teaching from 10:15 to 15:40 in Chongqing is 12:15 to 17:40 at home
        "hours_chongqing": "10:15-15:40", "hours_vladivostok": "12:15-17:40"}


def test_round_trip_through_the_workbook(tiny, timetable, tmp_path):
    write_workbook(tiny, timetable, tmp_path / "t.xlsx")
    assert read_timetable(tmp_path / "t.xlsx") == timetable


def test_a_timetable_edited_by_hand_in_the_workbook_reads_back(tiny, timetable, tmp_path):
    write_workbook(tiny, timetable, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book["timetable"]
    room = MEETING_COLUMNS.index("room_id") + 1
    assert sheet.cell(2, room).value == "R1"
    sheet.cell(2, room).value = "R2"
    book.save(tmp_path / "edited.xlsx")
    edited = read_timetable(tmp_path / "edited.xlsx")
    assert edited.meetings[0].room_id == "R2"
    assert edited.meetings[1:] == timetable.meetings[1:]


@pytest.mark.parametrize("through", ["CliRunner", "process"])
def test_a_master_sheet_edit_is_verified_and_the_grids_that_no_longer_agree_listed(
        tiny, timetable, tmp_path, through):
    # Week 1's Monday Mathematics (W1, row 2) moved from R1 to R2 in the master sheet only:
    # a weekly slot keeps one room, and the grids of C1 (and its sub-groups), T1, R1 and R2
    # still show R1.
    folder = tmp_path / "tiny"
    write_instance_csv(tiny, folder)
    write_workbook(tiny, timetable, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    book["timetable"].cell(2, MEETING_COLUMNS.index("room_id") + 1).value = "R2"
    book.save(tmp_path / "t.xlsx")
    args = ["verify", str(folder), str(tmp_path / "t.xlsx")]
    if through == "CliRunner":
        result = CliRunner().invoke(cli.main, args)
        code, output = result.exit_code, result.output
    else:
        done = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT,
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "1000"})
        code, output = done.returncode, done.stdout + done.stderr
    assert code == 5
    assert "[weekly room] W1 meets Mon periods 1-2 in several rooms (R1, R2)" in output
    assert [line.split(",")[0] for line in output.splitlines() if "- sheet '" in line] == [
        "  - sheet 'cohort C1'", "  - sheet 'cohort C1-A'", "  - sheet 'cohort C1-B'",
        "  - sheet 'teacher T1'", "  - sheet 'room R1'", "  - sheet 'room R2'"]
    assert ('sheet \'room R2\', cell C3: (Mon, periods 1-2) the grid shows nothing but the '
            'master sheet gives "Mathematics | week 1 | C1 | Li Wei 李伟"') in output


def test_text_that_looks_like_a_formula_stays_text(tiny, timetable, tmp_path):
    hostile = with_course(tiny, "W1", name='=HYPERLINK("http://evil","x")')
    hostile = with_teacher(hostile, "T1", name="@SUM(1+1)")
    write_workbook(hostile, timetable, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    master = book["timetable"]
    name = master.cell(2, MEETING_COLUMNS.index("course_name") + 1)
    assert name.value == '=HYPERLINK("http://evil","x")'
    assert name.data_type == "s" and name.quotePrefix
    teacher = master.cell(2, MEETING_COLUMNS.index("teacher_names") + 1)
    assert (teacher.value, teacher.quotePrefix) == ("@SUM(1+1)", True)
    assert book["cohort C1"]["C3"].value.startswith('=HYPERLINK("http://evil","x")\nweeks')
    assert read_timetable(tmp_path / "t.xlsx") == timetable


@pytest.mark.parametrize(("lang", "sheet", "monday", "title"), [
    ("zh", "班级 C1", "周一", "班级 C1 — IoT，1年级，18名学生（中方10名 + 俄方8名）"),
    ("ru", "группа C1", "Пн",
     "Группа C1 — IoT, 1 курс, студентов: 18 (10 из Китая + 8 из России)"),
    ("all", "cohort C1", "Mon 周一 Пн",
     "Cohort C1 — IoT, year 1, 18 students (10 CN + 8 RU) / 班级 C1 — IoT，1年级，18名学生"
     "（中方10名 + 俄方8名） / Группа C1 — IoT, 1 курс, студентов: 18 (10 из Китая + 8 из России)"),
])
def test_a_workbook_in_the_readers_language(tiny, timetable, tmp_path, lang, sheet, monday,
                                            title):
    book = openpyxl.load_workbook(write_workbook(tiny, timetable, tmp_path / "t.xlsx", lang))
    assert book.sheetnames[0] == "timetable"  # read back by programs, named alike always
    grid = book[sheet]
    assert (grid["A1"].value, grid["C2"].value) == (title, monday)
    assert grid["C3"].value.split("\n")[1] == {"zh": "1-2周", "ru": "недели 1-2",
                                               "all": "weeks 1-2"}[lang]


def test_a_visiting_teachers_grid_gives_both_clocks(book):
    sheet = book["teacher V1"]
    assert sheet["B2"].value == "Chongqing UTC+8\nVladivostok UTC+10"
    assert sheet["B3"].value == "08:00-08:45\n10:00-10:45"
    assert book["teacher T1"]["B3"].value == "08:00-08:45"


def test_grid_sheet_names_are_never_longer_than_in_english():
    """io.limits caps ids so that the longest English prefix and an id fit Excel's 31
    characters; every language's prefixes must fit the same cap."""
    longest = max(map(len, GRID_PREFIX.values()))
    for lang in ("zh", "ru", "all"):
        assert max(map(len, grid_prefixes(lang).values())) <= longest, lang
    assert grid_prefixes("ru")["cohort"] == "группа "


def test_a_large_term_gets_one_workbook_per_kind_of_grid(tiny, timetable, tmp_path,
                                                         monkeypatch):
    assert [p.name for p in write_workbooks(tiny, timetable, tmp_path / "small")] == [
        "timetable.xlsx"]
    whole = openpyxl.load_workbook(tmp_path / "small" / "timetable.xlsx")
    monkeypatch.setattr(workbook, "SPLIT_AT", 3)  # tiny has 4 cohorts, 3 teachers ...
    written = write_workbooks(tiny, timetable, tmp_path / "large")
    assert [p.name for p in written] == [
        "timetable.xlsx", "timetable-cohorts.xlsx", "timetable-teachers.xlsx",
        "timetable-rooms.xlsx", "timetable-interpreters.xlsx"]
    books = {p.name: openpyxl.load_workbook(p) for p in written}
    tables = books["timetable.xlsx"]
    assert tables.sheetnames == ["timetable", "visitors", "one-third rule"]
    for name in tables.sheetnames:  # written in constant memory, the same cells
        assert [[c.value for c in row] for row in tables[name].iter_rows()] == \
            [[c.value for c in row] for row in whole[name].iter_rows()]
    assert books["timetable-cohorts.xlsx"].sheetnames == [
        "cohort C1", "cohort C1-A", "cohort C1-B", "cohort C2"]
    assert books["timetable-interpreters.xlsx"].sheetnames == ["interp I1", "interp I2"]
    for book in books.values():
        for sheet in book.worksheets:
            if sheet.title in whole.sheetnames and sheet.title.startswith(("cohort", "room")):
                assert [[c.value for c in r] for r in sheet.iter_rows()] == \
                    [[c.value for c in r] for r in whole[sheet.title].iter_rows()]
    assert read_timetable(tmp_path / "large" / "timetable.xlsx") == timetable


def test_a_grid_too_tall_for_a_page_is_printed_by_week(tiny, timetable, tmp_path):
    assert [b.caption for b in grid_blocks(tiny, timetable, "cohort", "C1")] == [""]
    instance, crowded_timetable = crowded(tiny)
    blocks = grid_blocks(instance, crowded_timetable, "cohort", "C1")
    assert [(b.caption, b.grid.cells[0].entries[0].weeks) for b in blocks] == [
        ("week 1 · 09-07 – 09-13", (1,)), ("week 2 · 09-14 – 09-20", (2,))]
    path = write_workbook(instance, crowded_timetable, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path)["cohort C1"]
    assert [sheet.cell(r, 1).value for r in (3, 4, 15, 16, 17)] == [
        "week 1 · 09-07 – 09-13", 1, 12, "week 2 · 09-14 – 09-20", 1]
    assert [b.id for b in sheet.row_breaks.brk] == [15]  # week 2 starts a page
    assert sheet.print_title_rows == "$1:$2" and int(sheet.page_setup.scale) >= 80

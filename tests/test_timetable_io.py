"""Reading timetables back: damaged files, placeholders and the rows each meeting came from.

Every damaged or unreadable file gives an InputError whose problems say where and how to fix,
never another exception; the expected messages are written out by hand.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from scheduler.errors import InputError
from scheduler.exports.workbook import write_workbook
from scheduler.timetable import MEETING_COLUMNS
from scheduler.timetable_io import (
    read_timetable,
    read_timetable_file,
    write_timetable_csv,
    write_timetable_json,
)
from tests.tiny import m, tiny_instance, valid_timetable

HEADER = "date,first_period,last_period,course_id,room_id,interpreter_id"


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_timetable(path)
    return [str(p) for p in caught.value.problems]


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("book") / "timetable.xlsx"
    write_workbook(tiny_instance(), valid_timetable(), path)
    return path


# Damaged files ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["t.csv", "t.json", "t.xlsx"])
@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_said_to_be_empty(tmp_path, name, content):
    path = _write(tmp_path / name, content)
    assert _problems(path) == [f"{path}: the file is empty. Fix: give the timetable.csv, .json or "
                               ".xlsx written by scheduler solve or export"]


def test_a_truncated_workbook(tmp_path, workbook):
    data = workbook.read_bytes()
    path = _write(tmp_path / "t.xlsx", data[: len(data) // 2])
    [problem] = _problems(path)
    assert problem.startswith(f"{path}: not a readable .xlsx workbook: ")
    assert problem.endswith("Fix: open it in Excel or LibreOffice and save it again as .xlsx, "
                            "or give the timetable.csv written beside it")


@pytest.mark.parametrize("content", [b"hello, world\n", b"PK\x03\x04" + bytes(range(256)) * 4],
                         ids=["text", "zip header"])
def test_garbage_named_xlsx(tmp_path, content):
    [problem] = _problems(_write(tmp_path / "t.xlsx", content))
    assert "not a readable .xlsx workbook" in problem


def test_a_workbook_named_csv(tmp_path, workbook):
    path = _write(tmp_path / "t.csv", workbook.read_bytes())
    assert _problems(path) == [f"{path}: the file is a zip archive (an .xlsx workbook?), not "
                               "CSV text. Fix: give a workbook a name ending in .xlsx"]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_other_spreadsheet_formats_are_named(tmp_path, workbook, suffix):
    path = _write(tmp_path / f"t{suffix}", workbook.read_bytes())
    assert _problems(path) == [f"{path}: a {suffix} spreadsheet cannot be read. Fix: open it and "
                               "save it as .xlsx (or as CSV UTF-8)"]


def test_deeply_nested_json(tmp_path):
    path = _write(tmp_path / "t.json", "[" * 100_000 + "]" * 100_000)
    assert _problems(path) == [
        f'{path}: the JSON is nested 100000 levels deep; a timetable is {{"meetings": [{{...}}, '
        '...]}. Fix: give the timetable.csv, .json or .xlsx written by scheduler solve or export']


def test_brackets_inside_json_text_are_not_nesting(tmp_path):
    rows = [{"date": "2026-09-07", "first_period": 1, "last_period": 2, "course_id": "[" * 64,
             "room_id": "{" * 64, "note": "[" * 500}]
    path = _write(tmp_path / "t.json", json.dumps({"meetings": rows}))
    assert read_timetable(path).meetings[0].course_id == "[" * 64


@pytest.mark.parametrize(("document", "found"), [
    ("[1, 2]", None),
    ("5", "a number"),
    ('"meetings"', "text"),
    ("null", "null"),
    ('{"meetings": 5}', "an object without a 'meetings' list"),
    ('{"instance": {}}', "an object without a 'meetings' list"),
])
def test_json_of_the_wrong_shape(tmp_path, document, found):
    path = _write(tmp_path / "t.json", document)
    problems = _problems(path)
    if found is None:
        assert problems == [
            f"{path}: meeting {i} of the list is a number, not an object of columns. Fix: write "
            'each meeting as {"date": "2026-09-07", "first_period": 1, ...}' for i in (1, 2)]
    else:
        assert problems == [f"{path}: the file holds {found}; a timetable is {{\"meetings\": "
                            "[{\"date\": ..., ...}, ...]}. Fix: give the timetable.csv, .json or "
                            ".xlsx written by scheduler solve or export"]
    assert not any("object has no attribute" in p or "not iterable" in p for p in problems)


def test_json_values_that_are_not_cells(tmp_path):
    row = {"date": [2026, 9, 7], "first_period": True, "last_period": 2, "course_id": {"a": 1},
           "room_id": "R1"}
    path = _write(tmp_path / "t.json", json.dumps({"meetings": [row]}))
    assert _problems(path) == [
        f"{path}, row 1, column 'date': expected text or a number, got a list. Fix: write the "
        "date as text or a number",
        f"{path}, row 1, column 'first_period': expected text or a number, got the value true. "
        "Fix: write the first_period as text or a number",
        f"{path}, row 1, column 'course_id': expected text or a number, got an object. Fix: "
        "write the course_id as text or a number"]


def test_a_json_meeting_without_a_column(tmp_path):
    row = {"date": "2026-09-07", "first_period": 1, "course_id": "W1", "room_id": "R1"}
    path = _write(tmp_path / "t.json", json.dumps([row]))
    assert _problems(path) == [f"{path}, row 1, column 'last_period': the meeting has no "
                               "'last_period'. Fix: add \"last_period\" to it"]


@pytest.mark.parametrize(("value", "message"), [
    ("NaN", "the JSON holds NaN, which is not a number"),
    ("-Infinity", "the JSON holds -Infinity, which is not a number"),
    ("1" + "0" * 5000, "a number of 5001 digits is longer than the 30 allowed"),
    ("1e999", "the number 1e999... is too large"),
], ids=["NaN", "-Infinity", "5001 digits", "1e999"])
def test_json_numbers_that_are_not_numbers_are_refused_at_their_cell(tmp_path, value, message):
    text = ('{"meetings": [{"date": "2026-09-07", "first_period": ' + value
            + ', "last_period": 2, "course_id": "W1", "room_id": "R1"}]}')
    path = _write(tmp_path / "t.json", text)
    assert _problems(path) == [f"{path}, row 1, column 'first_period': {message}. Fix: write the "
                               "first_period as text or a whole number"]


def test_a_json_meeting_giving_a_column_twice(tmp_path):
    text = ('[{"date": "2026-09-07", "first_period": 1, "last_period": 2, "course_id": "W1", '
            '"room_id": "R1", "Room_ID ": "R2", "weekday": "Mon", "weekday": "Tue"}]')
    path = _write(tmp_path / "t.json", text)
    assert _problems(path) == [f"{path}, row 1, column 'room_id': the meeting gives 'room_id' "
                               "twice. Fix: delete one of them"]


def test_broken_json_syntax_gives_the_line(tmp_path):
    path = _write(tmp_path / "t.json", '{"meetings": [\n {"date": "2026-09-07",\n "x" 1}\n]}')
    assert _problems(path) == [f"{path}, line 3: not valid JSON (Expecting ':' delimiter, column "
                               "6). Fix: check the brackets, commas and quotes there"]


def test_json_that_is_not_utf8(tmp_path):
    path = _write(tmp_path / "t.json", '[\n{"course_id": "Café"}]'.encode("latin-1"))
    assert _problems(path) == [f"{path}, line 2: the file is not UTF-8 text. Fix: save it as "
                               "UTF-8"]


def test_csv_that_is_not_utf8_gives_the_line(tmp_path):
    path = _write(tmp_path / "t.csv", f"{HEADER}\n2026-09-07,1,2,W1,R1,\n2026-09-08,1,2,Café,R2,\n"
                  .encode("latin-1"))
    assert _problems(path) == [f"{path}, line 3: the file is not UTF-8 text. Fix: save it as "
                               "'CSV UTF-8' (Excel: File > Save As > CSV UTF-8)"]


def test_csv_without_the_required_columns(tmp_path):
    path = _write(tmp_path / "t.csv", "day,first_period,last_period,course_id,room\n")
    assert _problems(path) == [
        f"{path}, row 1, column 'date': required column 'date' is missing. Fix: add the column "
        "'date'",
        f"{path}, row 1, column 'room_id': required column 'room_id' is missing. Fix: add the "
        "column 'room_id'"]


def test_a_column_given_twice(tmp_path):
    path = _write(tmp_path / "t.csv", f"{HEADER},room_id\n2026-09-07,1,2,W1,R1,,R2\n")
    assert _problems(path) == [f"{path}, row 1, column 'room_id': column 'room_id' appears "
                               "twice. Fix: delete one of them"]


# Encodings and delimiters that spreadsheet programs write --------------------------------------

@pytest.mark.parametrize(("encoding", "bom", "separator"), [
    ("utf-8", codecs.BOM_UTF8, ","),
    ("utf-8", b"", ";"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\t"),
])
def test_csv_as_excel_saves_it(tmp_path, encoding, bom, separator):
    text = (HEADER + "\n2026-09-07,1,2,W1,R1,\n2026-09-14,5,6,I1,R1,I1\n").replace(",", separator)
    path = _write(tmp_path / "t.csv", bom + text.encode(encoding))
    assert read_timetable(path).meetings == (m(7, 1, "W1", "R1"), m(14, 5, "I1", "R1", "I1"))


# Placeholders, error cells and formulas ------------------------------------------------------

def _edited_workbook(workbook: Path, tmp_path: Path, cells: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(workbook)
    for coordinate, value in cells.items():
        book["timetable"][coordinate].value = value
    path = tmp_path / "edited.xlsx"
    book.save(path)
    return path


def _column(name: str) -> str:
    return openpyxl.utils.get_column_letter(MEETING_COLUMNS.index(name) + 1)


@pytest.mark.parametrize("text", ["N/A", "NULL", "null", "None", "nan", "#N/A"])
def test_a_placeholder_in_an_optional_xlsx_cell_is_not_a_blank(tmp_path, workbook, text):
    # Row 2's interpreter is blank; a placeholder typed there is an error, not "no interpreter".
    path = _edited_workbook(workbook, tmp_path, {f"{_column('interpreter_id')}2": text})
    [problem] = _problems(path)
    assert problem.startswith(f"{path}, sheet 'timetable', row 2, column 'interpreter_id': ")
    if text == "#N/A":  # openpyxl stores it as an error cell, as Excel does
        assert problem.endswith("the cell shows the spreadsheet error #N/A. Fix: enter the "
                                "value, not a formula")
    else:
        assert problem.endswith(f"'{text}' stands for a missing value. Fix: leave the cell "
                                "empty when the meeting has no interpreter")


def test_placeholders_errors_and_formulas_in_required_xlsx_cells(tmp_path, workbook):
    path = _edited_workbook(workbook, tmp_path, {
        f"{_column('course_id')}3": "#N/A", f"{_column('first_period')}4": "=1+1",
        f"{_column('room_id')}5": "NULL", f"{_column('date')}6": "None",
        f"{_column('last_period')}7": "#DIV/0!"})
    where = f"{path}, sheet 'timetable', row"
    assert _problems(path) == [
        f"{where} 3, column 'course_id': the cell shows the spreadsheet error #N/A; this cell is "
        "required. Fix: enter the value, not a formula",
        f"{where} 4, column 'first_period': the cell holds the formula '=1+1' but not its value "
        "(the program that saved the file did not calculate it); this cell is required. Fix: "
        "enter the value, not a formula",
        f"{where} 5, column 'room_id': 'NULL' stands for a missing value; this cell is required. "
        "Fix: fill in the room_id",
        f"{where} 6, column 'date': 'None' stands for a missing value; this cell is required. "
        "Fix: fill in the date",
        f"{where} 7, column 'last_period': the cell shows the spreadsheet error #DIV/0!; this "
        "cell is required. Fix: enter the value, not a formula"]


def test_an_empty_cell_of_merged_cells_on_the_master_sheet_is_said_to_be_merged(tmp_path,
                                                                              workbook):
    """Excel keeps a merged range's value in its first cell: the others read as empty, and
    the problem says why and to unmerge."""
    book = openpyxl.load_workbook(workbook)
    room = _column("room_id")
    book["timetable"].merge_cells(f"{room}3:{room}4")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    assert _problems(path) == [
        f"{path}, sheet 'timetable', row 4, column 'room_id': empty required cell; the cell is "
        f"part of the merged cells {room}3:{room}4, whose value Excel keeps in {room}3 only. "
        "Fix: unmerge the cells (Home > Merge & Center) and fill in each one"]


def test_a_formula_with_a_saved_value_reads_as_the_value(tmp_path):
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("timetable")
    sheet.write_row(0, 0, HEADER.split(","))
    sheet.write_row(1, 0, ["2026-09-07", 1])
    sheet.write_formula(1, 2, "=B2+1", None, 2)
    sheet.write_row(1, 3, ["W1", "R1"])
    book.close()
    assert read_timetable(path).meetings == (m(7, 1, "W1", "R1"),)


@pytest.mark.parametrize(("cell", "message"), [
    ("N/A", "'N/A' stands for a missing value; this cell is required. Fix: fill in the room_id"),
    ("#REF!", "the cell shows the spreadsheet error #REF!; this cell is required. Fix: enter "
              "the value, not a formula"),
    ("=A1", "the cell holds the formula '=A1', not a value; this cell is required. Fix: enter "
            "the value, not a formula"),
])
def test_csv_placeholders_give_the_same_answers(tmp_path, cell, message):
    path = _write(tmp_path / "t.csv", f"{HEADER}\n2026-09-07,1,2,W1,{cell},\n")
    assert _problems(path) == [f"{path}, row 2, column 'room_id': {message}"]


def test_csv_text_escaped_against_formulas_is_still_read(tmp_path):
    path = _write(tmp_path / "t.csv", f"{HEADER}\n2026-09-07,1,2,'=W1,'@R1,\n")
    assert read_timetable(path).meetings == (m(7, 1, "=W1", "@R1"),)


# Rows of the meetings ----------------------------------------------------------------------

def test_each_meeting_keeps_its_row_in_every_format(tmp_path, workbook):
    tiny, timetable = tiny_instance(), valid_timetable()
    write_timetable_csv(tiny, timetable, tmp_path / "t.csv")
    write_timetable_json(tiny, timetable, tmp_path / "t.json")
    expected = {meeting: (i + 2,) for i, meeting in enumerate(timetable.meetings)}
    for path, rows, sheet in ((tmp_path / "t.csv", expected, None),
                              (workbook, expected, "timetable"),
                              (tmp_path / "t.json",
                               {k: (r - 1,) for k, (r,) in expected.items()}, None)):
        read = read_timetable_file(path)
        assert (read.timetable, read.rows, read.sheet) == (timetable, rows, sheet), path


def test_a_meeting_written_twice_has_both_rows(tmp_path):
    path = _write(tmp_path / "t.csv", f"{HEADER}\n2026-09-07,1,2,W1,R1,\n\n2026-09-07,1,2,W1,R1,\n")
    read = read_timetable_file(path)
    assert read.rows == {m(7, 1, "W1", "R1"): (2, 4)}
    assert read.timetable.meetings == (m(7, 1, "W1", "R1"),) * 2


def test_an_id_with_an_invisible_character_is_refused_with_the_character_named(tmp_path):
    """verify said "room '4212​', which the instance does not have", looking like 4212."""
    path = _write(tmp_path / "t.csv", "date,first_period,last_period,course_id,room_id\n"
                  "2026-09-07,1,2,MATH101,4212\u200b\n")
    with pytest.raises(InputError) as caught:
        read_timetable(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, "room_id")
    assert "U+200B ZERO WIDTH SPACE" in problem.message

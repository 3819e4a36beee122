"""Typing rows: a bad row is marked as such (not with a marker key in its values)."""

from __future__ import annotations

import pytest

from scheduler.io.cells import CellError
from scheduler.io.raw import raw_table
from scheduler.io.rows import ParsedRow, parse_cell, parse_rows
from scheduler.io.schema import TABLE_BY_NAME

ROOMS = TABLE_BY_NAME["rooms"]
LOCAL_NAMES = {**{f"{column}_{lang}": "" for column in ("name", "building")
                  for lang in ("en", "zh", "ru")}, "video_link": False}
"""The rooms' optional names in each language, blank unless given, and no video link."""


def test_a_row_with_a_bad_cell_is_marked_bad_and_keeps_its_id():
    raw = raw_table("rooms", "rooms.csv", None, [
        ["room_id", "building", "capacity", "room_type"],
        ["R1", "A", "many", "lecture"],
        [None, None, None, None],
        ["R2", "B", "30", "lab"],
    ])
    problems = []
    rows = parse_rows(raw, ROOMS, problems)
    assert [(r.number, r.bad) for r in rows] == [(2, True), (4, False)]
    assert rows[0].key(ROOMS) == "R1" and "capacity" not in rows[0].values
    assert rows[1].values == {"room_id": "R2", "building": "B", "capacity": 30,
                              "room_type": "lab", "name": "", **LOCAL_NAMES}
    assert [(p.row, p.column) for p in problems] == [(2, "capacity")]


def test_a_header_without_a_required_column_marks_every_row_bad():
    raw = raw_table("rooms", "rooms.csv", None, [["room_id", "building"], ["R1", "A"]])
    problems = []
    assert parse_rows(raw, ROOMS, problems) == [
        ParsedRow(2, {"room_id": "R1", "building": "A", "capacity": None, "room_type": None,
                      "name": "", **LOCAL_NAMES}, bad=True)]
    assert {p.column for p in problems} == {"capacity", "room_type"}


@pytest.mark.parametrize(("cell", "message"), [
    (None, "empty required cell (seats)"),
    ("N/A", "'N/A' stands for a missing value; this cell is required (seats)"),
    ("#REF!", "the cell shows the spreadsheet error #REF!; this cell is required (seats)"),
])
def test_a_required_cell_without_a_value(cell, message):
    with pytest.raises(CellError) as caught:
        parse_cell(ROOMS.column("capacity"), cell)
    assert caught.value.message == message


@pytest.mark.parametrize(("column", "value", "message", "fix"), [
    (TABLE_BY_NAME["periods"].column("start"), 8 / 24,
     "expected a clock time as HH:MM, got the number 0.333333", "shows 0.333333 as 08:00"),
    (TABLE_BY_NAME["periods"].column("start"), "8:61", "there is no such time: '8:61'",
     "minutes 00-59"),
    (ROOMS.column("capacity"), 0.25, "expected a whole number, got '0.25'", "(25 for 25%)"),
    (TABLE_BY_NAME["holidays"].column("date"), "2026-02-30",
     "there is no such date: '2026-02-30'", "check the day and the month"),
    (ROOMS.column("room_id"), "R\u200b1", "holds an invisible character at character 2 "
     "(U+200B ZERO WIDTH SPACE)", "retype the id"),
    (ROOMS.column("room_id"), "R\uff0d1", "holds a full-width character at character 2",
     "type '-' instead"),
    (ROOMS.column("room_id"), "R\u00a01", "holds a space that is not an ordinary space",
     "type an ordinary space"),
    # at either end too (they were trimmed silently, as ordinary spaces are)
    (ROOMS.column("room_id"), "3105\u00a0", "holds a space that is not an ordinary space at "
     "character 5 (U+00A0 NO-BREAK SPACE)", "type an ordinary space"),
    (TABLE_BY_NAME["teachers"].column("teacher_id"), "\u3000CQ-SUNH",
     "at character 1 (U+3000 IDEOGRAPHIC SPACE)", "type an ordinary space"),
    (TABLE_BY_NAME["courses"].column("teachers"), "CQ-SUNH;\u00a0CQ-LIM",
     "holds a space that is not an ordinary space at character 1", "type an ordinary space"),
])
def test_a_cell_message_says_what_is_wrong(column, value, message, fix):
    with pytest.raises(CellError) as caught:
        parse_cell(column, value)
    assert message in caught.value.message and fix in caught.value.fix, caught.value


def test_a_title_row_above_the_column_names_is_one_problem():
    raw = raw_table("rooms", "term.xlsx", "rooms", [
        ["Rooms of CQUPT, fall 2026", None, None, None],
        ["room_id", "building", "capacity", "room_type"],
        ["R1", "A", "30", "lab"],
    ])
    problems = []
    parse_rows(raw, ROOMS, problems)
    assert [(p.row, p.message) for p in problems] == [
        (1, "the column names are in row 2, not in row 1")]


def test_a_column_without_a_header_is_named_by_its_letter_in_a_sheet():
    raw = raw_table("rooms", "term.xlsx", "rooms", [
        ["room_id", "building", "capacity", "room_type", None],
        ["R1", "A", "30", "lab", "note"],
    ])
    problems = []
    parse_rows(raw, ROOMS, problems)
    assert [p.message for p in problems] == ["column E has values but no header"]

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

"""CSV and JSON of the master table: columns, rows, BOM, formula escaping and round trips."""

from __future__ import annotations

import csv
import io
import json

from scheduler.exports import export_timetable
from scheduler.identity import instance_identity
from scheduler.timetable import MEETING_COLUMNS, meeting_rows
from scheduler.timetable_io import read_timetable, write_timetable_json
from tests.tiny import with_course, with_teacher


def test_csv_has_the_master_columns_and_one_row_per_meeting(tiny, timetable, tmp_path):
    (path,) = export_timetable(tiny, timetable, "csv", tmp_path)
    assert path == tmp_path / "timetable.csv"
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == MEETING_COLUMNS
    expected = meeting_rows(tiny, timetable)
    assert [{k: str(v) for k, v in r.items()} for r in expected] == rows
    assert read_timetable(path) == timetable


def test_excel_option_adds_the_bom_and_still_reads_back(tiny, timetable, tmp_path):
    (path,) = export_timetable(tiny, timetable, "csv", tmp_path, excel_bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Иванова Е. А." in path.read_text(encoding="utf-8-sig")
    assert read_timetable(path) == timetable


def test_csv_escapes_formulas_and_reads_them_back_unescaped(tiny, timetable, tmp_path):
    hostile = with_course(tiny, "W1", name="=1+2")
    hostile = with_teacher(hostile, "T1", name="-Li")
    (path,) = export_timetable(hostile, timetable, "csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    maths = next(r for r in rows if r["course_id"] == "W1")
    assert (maths["course_name"], maths["teacher_names"]) == ("'=1+2", "'-Li")
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    assert read_timetable(path) == timetable


def test_csv_round_trips_course_and_room_ids_that_look_like_formulas(tiny, tmp_path):
    from dataclasses import replace

    from scheduler.timetable import Meeting, Timetable
    from tests.tiny import D

    odd = replace(tiny, rooms=(*tiny.rooms, replace(tiny.rooms[0], id="-R9")))
    table = Timetable((Meeting(D(2026, 9, 7), 1, 2, "=W1", "-R9", "@I1"),))
    (path,) = export_timetable(odd, table, "csv", tmp_path)
    assert "'=W1" in path.read_text(encoding="utf-8")
    assert read_timetable(path) == table


def test_json_lists_the_meetings_with_the_instance_identity(tiny, timetable, tmp_path):
    (path,) = export_timetable(tiny, timetable, "json", tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["instance"] == instance_identity(tiny)
    assert document["instance"]["name"] == "tiny"
    assert len(document["instance"]["sha256"]) == 64
    assert document["meetings"] == meeting_rows(tiny, timetable)
    assert "Иванова" in path.read_text(encoding="utf-8")  # not \u-escaped
    assert read_timetable(path) == timetable


def test_the_one_json_writer_writes_the_identity_it_is_given_or_the_instance_s(tiny, timetable,
                                                                              tmp_path):
    write_timetable_json(tiny, timetable, tmp_path / "plain.json")
    plain = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    assert plain["instance"] == instance_identity(tiny)
    given = instance_identity(tiny, "instances/tiny")
    export_timetable(tiny, timetable, "json", tmp_path / "out", identity=given)
    exported = json.loads((tmp_path / "out" / "timetable.json").read_text(encoding="utf-8"))
    assert exported == {"instance": given, "meetings": plain["meetings"]}

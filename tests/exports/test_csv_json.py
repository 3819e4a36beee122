"""CSV and JSON of the master table: columns, rows, BOM, formula escaping and round trips.

The expected files are written by hand in ``golden/`` from docs/exports.md and the meetings
of tests/tiny.py (never from the writer's own rows), so a change of any column's content or
format shows here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from scheduler.exports import export_timetable
from scheduler.identity import instance_identity
from scheduler.timetable_io import read_timetable, write_timetable_json
from tests.tiny import with_course, with_teacher

GOLDEN = Path(__file__).parent / "golden"
COLUMNS = ("date", "weekday", "teaching_week", "first_period", "last_period", "start", "end",
           "course_id", "course_name", "delivery", "cohorts", "students", "teachers",
           "teacher_names", "room_id", "building", "capacity", "language", "interpreter_id",
           "interpreter_name", "pinned")
"""The master table's columns in the order docs/exports.md gives them."""


def test_csv_is_the_master_table_exactly_as_documented(tiny, timetable, tmp_path):
    (path,) = export_timetable(tiny, timetable, "csv", tmp_path)
    assert path == tmp_path / "timetable.csv"
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8") == (GOLDEN / "tiny-timetable.csv").read_text(encoding="utf-8")
    assert tuple(next(csv.reader(io.StringIO(data.decode("utf-8"))))) == COLUMNS
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


def test_json_is_the_master_table_with_the_instance_identity(tiny, timetable, tmp_path):
    (path,) = export_timetable(tiny, timetable, "json", tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    golden = json.loads((GOLDEN / "tiny-timetable.json").read_text(encoding="utf-8"))
    # the fingerprint of the instance's tables cannot be written by hand: its form is checked
    assert re.fullmatch("[0-9a-f]{64}", document["instance"]["sha256"])
    golden["instance"]["sha256"] = document["instance"]["sha256"]
    assert document == golden
    assert all(tuple(row) == COLUMNS for row in document["meetings"])
    assert document["instance"] == instance_identity(tiny)
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


def test_the_instance_fingerprint_is_the_same_in_every_process(fall_instance):
    # the default instance's interpreters cover sets of language pairs, whose order in a
    # process follows its string hashing; a verifier compares fingerprints across runs
    import os
    import subprocess
    import sys

    from scheduler.identity import instance_fingerprint
    from scheduler.paths import DEFAULT_INSTANCE

    assert any(len(i.pairs) > 1 for i in fall_instance.interpreters)
    code = ("import sys; from scheduler import read_instance; from scheduler.identity import "
            "instance_fingerprint; print(instance_fingerprint(read_instance(sys.argv[1])))")
    prints = {subprocess.run([sys.executable, "-c", code, str(DEFAULT_INSTANCE)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip()
              for seed in (1, 2, 3)}
    assert prints == {instance_fingerprint(fall_instance)}

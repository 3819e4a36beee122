"""The entry points the command line calls: export one format, or the default set that
``scheduler solve`` writes (:func:`scheduler.pipeline.write_default_exports`)."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from scheduler.exports import EXPORT_FORMATS, export_timetable
from scheduler.identity import instance_identity
from scheduler.pipeline import write_default_exports
from scheduler.timetable_io import read_timetable


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "timetable.xlsx"), ("csv", "timetable.csv"),
                                           ("json", "timetable.json")])
def test_each_format_writes_its_file_and_reads_back(tiny, timetable, tmp_path, fmt, name):
    assert export_timetable(tiny, timetable, fmt, tmp_path / "out") == [tmp_path / "out" / name]
    assert read_timetable(tmp_path / "out" / name) == timetable
    assert [p.name for p in (tmp_path / "out").iterdir()] == [name]  # no staging left over


def test_unknown_format_is_refused(tiny, timetable, tmp_path):
    assert EXPORT_FORMATS == ("xlsx", "csv", "json", "ics", "html")
    with pytest.raises(ValueError, match="Expected fmt in xlsx, csv, json, ics, html"):
        export_timetable(tiny, timetable, "pdf", tmp_path)


def test_default_exports_are_the_spreadsheets_and_two_pictures(tiny, timetable, tmp_path):
    identity = instance_identity(tiny, "instances/tiny")
    paths = write_default_exports(tiny, timetable, tmp_path, identity)
    assert [p.name for p in paths] == ["timetable.xlsx", "timetable.csv", "timetable.json",
                                       "visitors.png", "occupancy.png"]
    assert all(p.is_file() for p in paths)
    assert read_timetable(tmp_path / "timetable.xlsx") == timetable
    document = json.loads((tmp_path / "timetable.json").read_text(encoding="utf-8"))
    assert document["instance"] == identity
    with Image.open(tmp_path / "visitors.png") as image:
        assert image.width > 1000


def test_an_existing_file_is_replaced_and_others_kept(tiny, timetable, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "timetable.csv").write_text("old", encoding="utf-8")
    export_timetable(tiny, timetable, "csv", tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert read_timetable(tmp_path / "timetable.csv") == timetable


def test_reading_a_timetable_does_not_load_the_export_libraries():
    import subprocess
    import sys

    code = ("import sys, scheduler.timetable_io; "
            "print(sorted(m for m in ('xlsxwriter', 'icalendar', 'matplotlib') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"

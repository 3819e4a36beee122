"""The entry points the command line calls: export one format, or the default set that
``scheduler solve`` writes (:func:`scheduler.pipeline.write_default_exports`)."""

from __future__ import annotations

import errno
import json

import pytest
from PIL import Image

from scheduler.errors import OutputError
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


def test_an_export_failing_part_way_leaves_the_folder_as_it_was(tiny, timetable, tmp_path,
                                                                monkeypatch):
    """The calendars are written one by one: a disk that fills up at the third leaves the
    folder as the previous export left it (no file of the failed export in it)."""
    import scheduler.exports.calendar_ics as calendar_ics

    out = tmp_path / "out"
    export_timetable(tiny, timetable, "ics", out)
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(before) > 3
    real, calls = calendar_ics.write_bytes_atomic, []

    def filling_up(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, b"from the failed export")

    monkeypatch.setattr(calendar_ics, "write_bytes_atomic", filling_up)
    with pytest.raises((OutputError, OSError)) as raised:
        export_timetable(tiny, timetable, "ics", out)
    assert len(calls) == 3
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert isinstance(raised.value, OutputError) and "No space left" in str(raised.value)


def test_reading_a_timetable_does_not_load_the_export_libraries():
    import subprocess
    import sys

    code = ("import sys, scheduler.timetable_io; "
            "print(sorted(m for m in ('xlsxwriter', 'icalendar', 'matplotlib') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"

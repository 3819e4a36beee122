"""Names in the reader's language: the optional name_en, name_zh and name_ru columns of
courses, teachers and rooms (and building_en/zh/ru of rooms) are read, written back, and
shown by every output in its language, falling back to name."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import openpyxl
import pytest

from scheduler.exports.calendar_ics import subject_calendar
from scheduler.exports.site import write_site
from scheduler.exports.workbook import write_workbook
from scheduler.identity import instance_fingerprint
from scheduler.instance import LocalNames
from scheduler.io.reader import read_instance
from scheduler.io.writer import instance_rows, write_instance_csv
from scheduler.views.grids import weekly_grid
from tests.tiny import tiny_instance, valid_timetable

STAMP = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def named():
    """The tiny instance with Mathematics, Li Wei and room R1 named in other languages
    (no Russian name for Li Wei: he falls back to his name)."""
    tiny = tiny_instance()
    courses = tuple(replace(c, names=LocalNames("Mathematics", "数学", "Математика"))
                    if c.id == "W1" else c for c in tiny.courses)
    teachers = tuple(replace(t, names=LocalNames("Li Wei", "李伟", "")) if t.id == "T1" else t
                     for t in tiny.teachers)
    rooms = tuple(replace(r, names=LocalNames("", "一号教室", "Аудитория 1"),
                          building_names=LocalNames("", "A楼", "Корпус А"))
                  if r.id == "R1" else r for r in tiny.rooms)
    return replace(tiny, courses=courses, teachers=teachers, rooms=rooms)


def test_names_are_read_and_written_back(named, tmp_path):
    write_instance_csv(named, tmp_path / "named")
    assert read_instance(tmp_path / "named") == named
    header = (tmp_path / "named" / "rooms.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "name_en,name_zh,name_ru,building_en,building_zh,building_ru" in header


def test_an_instance_without_names_keeps_its_rows_and_fingerprint(named):
    plain = tiny_instance()
    assert all(not key.startswith(("name_", "building_"))
               for rows in instance_rows(plain).values() for row in rows for key in row)
    assert instance_fingerprint(plain) != instance_fingerprint(named)


@pytest.mark.parametrize(("lang", "lines"), [
    ("zh", ["数学", "1-2周", "R1 · 李伟"]),
    ("ru", ["Математика", "недели 1-2", "R1 · Li Wei 李伟"]),  # no Russian name: the name
    ("all", ["Mathematics", "weeks 1-2", "R1 · Li Wei 李伟"]),
])
def test_grids_use_the_readers_names(named, lang, lines):
    grid = weekly_grid(named, valid_timetable(), "cohort", "C1", lang)
    (cell,) = [c for c in grid.cells if (c.weekday, c.first_period) == (0, 1)]
    assert cell.text("cohort", lang=lang).split("\n") == lines
    assert weekly_grid(named, valid_timetable(), "room", "R1", lang).title.startswith(
        {"zh": "教室 R1 — A楼", "ru": "Аудитория R1 — Корпус А", "all": "Room R1 — A"}[lang])


def test_the_workbook_calendars_and_site_use_the_readers_names(named, tmp_path):
    book = openpyxl.load_workbook(write_workbook(named, valid_timetable(),
                                                 tmp_path / "t.xlsx", "zh"))
    assert book["班级 C1"]["C3"].value.split("\n")[0] == "数学"
    calendar = subject_calendar(named, valid_timetable(), "teacher", "T1", STAMP, lang="ru")
    first = next(iter(calendar.walk("VEVENT")))
    assert (str(first["summary"]), str(first["location"])) == (
        "Математика", "Аудитория 1, Корпус А")
    write_site(named, valid_timetable(), tmp_path / "site")
    index = (tmp_path / "site" / "zh" / "index.html").read_text(encoding="utf-8")
    assert '<a href="teacher-T1.html">李伟</a>' in index
    assert '<a href="room-R1.html">一号教室</a>' in index
    page = (tmp_path / "site" / "ru" / "cohort-C1.html").read_text(encoding="utf-8")
    assert "Математика" in page and "Mathematics" not in page

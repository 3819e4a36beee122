"""iCalendar files parse, hold one event per meeting at the right Shanghai time, carry a
VTIMEZONE, and give each meeting one stable UID."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from scheduler.exports import export_timetable
from scheduler.exports.calendar_ics import meeting_uid, subject_calendar
from scheduler.views.subjects import meetings_of
from tests.tiny import edited, m

STAMP = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _parse(path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


@pytest.fixture(scope="module")
def files(tiny, timetable, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ics")
    return {p.name: p for p in export_timetable(tiny, timetable, "ics", folder)}


def test_one_file_per_teacher_cohort_and_interpreter_with_meetings(files):
    assert sorted(files) == sorted([
        "teacher-T1.ics", "teacher-T2.ics", "teacher-V1.ics", "cohort-C1.ics",
        "cohort-C1-A.ics", "cohort-C1-B.ics", "cohort-C2.ics", "interpreter-I1.ics"])
    assert all(p.parent.name == "calendars" for p in files.values())


def test_visitor_calendar_has_dated_events_in_shanghai_time(files):
    calendar = _parse(files["teacher-V1.ics"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert calendar["X-WR-CALNAME"].startswith("Иванова Е. А.")
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    first = events[0]
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert start == dt.datetime(2026, 9, 14, 14, 0, tzinfo=SHANGHAI)
    assert end == dt.datetime(2026, 9, 14, 15, 40, tzinfo=SHANGHAI)
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert str(first["SUMMARY"]) == "Linear algebra"
    assert str(first["LOCATION"]) == "R1, A"
    description = str(first["DESCRIPTION"])
    for part in ("Cohorts: C1, C2", "Teachers: Иванова Е. А.", "Interpreter: Chen Jing 陈静",
                 "Week 2, periods 5-6"):
        assert part in description


def test_cohort_calendar_covers_its_courses_and_tags_sub_groups(tiny, timetable, files):
    events = _parse(files["cohort-C1.ics"]).walk("VEVENT")
    assert len(events) == len(meetings_of(tiny, timetable, "cohort", "C1")) == 11
    summaries = {str(e["SUMMARY"]) for e in events}
    assert summaries == {"Mathematics", "[C1-A] Lab A", "[C1-B] Lab B", "Linear algebra"}


def test_the_same_meeting_has_the_same_uid_everywhere(files):
    def uids(name):
        return [str(e["UID"]) for e in _parse(files[name]).walk("VEVENT")]

    teacher = uids("teacher-T1.ics")
    assert len(set(teacher)) == len(teacher)
    assert set(uids("cohort-C2.ics")) & set(teacher)
    assert set(uids("teacher-V1.ics")) <= set(uids("cohort-C1.ics"))


def test_uid_is_stable_when_room_or_interpreter_change(tiny):
    before = m(14, 5, "I1", "R1", "I1")
    after = m(14, 5, "I1", "R2", None)
    assert meeting_uid(before) == meeting_uid(after)
    assert meeting_uid(before) != meeting_uid(m(15, 5, "I1", "R1", "I1"))
    moved = edited(remove=(before,), add=(after,))
    calendar = subject_calendar(tiny, moved, "teacher", "V1", STAMP)
    assert str(calendar.walk("VEVENT")[0]["LOCATION"]) == "R2, B"


def test_calendar_bytes_are_reproducible_with_a_fixed_stamp(tiny, timetable):
    one = subject_calendar(tiny, timetable, "cohort", "C2", STAMP).to_ical()
    two = subject_calendar(tiny, timetable, "cohort", "C2", STAMP).to_ical()
    assert one == two
    assert b"DTSTAMP:20260801T000000Z" in one


def test_a_visitors_events_give_both_clocks_and_descriptions_follow_the_language(tiny,
                                                                                 timetable):
    calendar = subject_calendar(tiny, timetable, "teacher", "V1", STAMP, lang="ru")
    first = next(iter(calendar.walk("VEVENT")))
    assert str(first["description"]).split("\n") == [
        "Курс: I1 (интенсив, язык ru)", "Неделя 2, пары 5-6", "Аудитория: R1, A",
        "Время: 14:00-15:40 Чунцин (UTC+8) = 16:00-17:40 Владивосток (UTC+10)",
        "Группы: C1, C2", "Преподаватели: Иванова Е. А.", "Переводчик: Chen Jing 陈静"]
    teacher = subject_calendar(tiny, timetable, "teacher", "T1", STAMP)
    assert all("Time:" not in str(e["description"]) for e in teacher.walk("VEVENT"))

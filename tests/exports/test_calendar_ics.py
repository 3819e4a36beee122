"""iCalendar files parse, hold one event per meeting at the right Shanghai time, carry a
VTIMEZONE, and give each meeting one stable UID."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from scheduler.exports import export_timetable
from scheduler.exports.calendar_ics import meeting_numbers, meeting_uid, subject_calendar
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
    for part in ("Cohorts: C1, C2", "Teacher: Иванова Е. А.", "Interpreter: Chen Jing 陈静",
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


def _events(calendar) -> dict[str, tuple[str, str]]:
    """UID -> (start, location) of each event."""
    return {str(e["UID"]): (e["DTSTART"].dt.isoformat(), str(e["LOCATION"]))
            for e in calendar.walk("VEVENT")}


def test_uid_is_stable_when_room_or_interpreter_change(tiny, timetable):
    before = m(14, 5, "I1", "R1", "I1")
    after = m(14, 5, "I1", "R2", None)
    moved = edited(remove=(before,), add=(after,))
    old = _events(subject_calendar(tiny, timetable, "teacher", "V1", STAMP))
    new = _events(subject_calendar(tiny, moved, "teacher", "V1", STAMP))
    assert old.keys() == new.keys()
    changed = [uid for uid in old if old[uid] != new[uid]]
    assert len(changed) == 1 and new[changed[0]][1] == "R2, B"


def test_a_moved_meeting_keeps_its_uid_so_the_calendar_updates_the_same_event(tiny, timetable):
    """I1's 2nd meeting moves from 09-15 periods 5-6 to 09-17 periods 3-4: the same three
    UIDs, the 2nd and 3rd now at their new times (the meetings keep their order)."""
    moved = edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(17, 3, "I1", "R1", "I1"),))
    old = _events(subject_calendar(tiny, timetable, "teacher", "V1", STAMP))
    new = _events(subject_calendar(tiny, moved, "teacher", "V1", STAMP))
    assert old.keys() == new.keys() and len(new) == 3
    uids = [meeting_uid(tiny, "I1", n) for n in (1, 2, 3)]
    assert [new[u][0][:10] for u in uids] == ["2026-09-14", "2026-09-16", "2026-09-17"]
    assert [old[u][0][:10] for u in uids] == ["2026-09-14", "2026-09-15", "2026-09-16"]


def test_meetings_are_numbered_per_course_in_time_order(timetable):
    numbers = meeting_numbers(timetable)
    assert [numbers[x] for x in timetable.meetings if x.course_id == "W1"] == [1, 2, 3, 4]
    assert numbers[m(7, 1, "W1", "R1")] == 1 and numbers[m(17, 1, "W1", "R1")] == 4


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
        "Дисциплина: I1 (интенсив, язык русский)", "Неделя 2, ак. часы 5-6", "Аудитория: R1, A",
        "Время: 14:00-15:40 Чунцин (UTC+8) = 16:00-17:40 Владивосток (UTC+10)",
        "Группы: C1, C2", "Преподаватель: Иванова Е. А.", "Переводчик: Chen Jing 陈静"]
    teacher = subject_calendar(tiny, timetable, "teacher", "T1", STAMP)
    assert all("Time:" not in str(e["description"]) for e in teacher.walk("VEVENT"))

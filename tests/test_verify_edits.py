"""One hand edit, one cause: the verifier says what happened to a weekly course's meeting and
lists the consequences under it, with rows.

The tiny instance's term is stretched to eight weeks and Mathematics (W1, Mon and Thu periods
1-2 in R1) to all of them, so that a moved meeting leaves a slot with one meeting out of eight.
Only W1's meetings are in these timetables, so only W1's rules and the clashes of its meetings
can break (the other courses' missing hours are left out of the comparison).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scheduler.instance import Term, WeekRange
from scheduler.timetable import Meeting, Timetable
from scheduler.verify import verify_timetable
from tests.tiny import tiny_instance, with_course

D = dt.date


def _instance():
    tiny = tiny_instance()
    longer = replace(tiny, term=replace(tiny.term, last_date=D(2026, 10, 30)))
    assert isinstance(longer.term, Term)
    return with_course(longer, "W1", weeks=WeekRange(1, 8), contact_periods=32)


def _w1(day: dt.date, room: str = "R1") -> Meeting:
    return Meeting(day, 1, 2, "W1", room)


def _regular() -> list[Meeting]:
    """W1 every Monday and Thursday of weeks 1-8 (week 1's Friday holiday is not W1's)."""
    mondays = [D(2026, 9, 7) + dt.timedelta(weeks=w) for w in range(8)]
    return [_w1(d) for monday in mondays for d in (monday, monday + dt.timedelta(days=3))]


def _lines(meetings: list[Meeting], rows=None) -> list[str]:
    """The report's lines about W1: its violations, each with the lines indented under it."""
    verification = verify_timetable(_instance(), Timetable(tuple(meetings)))
    kept, keep = [], False
    for line in verification.report_lines(rows):
        if not line.startswith("      "):
            keep = "W1" in line
        if keep:
            kept.append(line)
    return kept


def _rows(meetings: list[Meeting]) -> dict[Meeting, tuple[int, ...]]:
    rows: dict[Meeting, tuple[int, ...]] = {}
    for row, meeting in enumerate(meetings, start=2):
        rows[meeting] = (*rows.get(meeting, ()), row)
    return rows


def test_the_regular_pattern_is_valid():
    assert _lines(_regular()) == []


def test_a_moved_meeting_is_one_violation_not_one_per_week_of_its_new_slot():
    # Week 3's Monday meeting (09-21) moved to Tuesday 09-22: read naively, the Tuesday slot
    # misses seven weeks and the Monday slot one.
    edited = [_w1(D(2026, 9, 22)) if m == _w1(D(2026, 9, 21)) else m for m in _regular()]
    assert _lines(edited, _rows(edited)) == [
        "  - [weekly repetition] W1's Monday meeting of 2026-09-21 (periods 1-2) was moved to "
        "2026-09-22 (Tue) periods 1-2: the course no longer repeats weekly (row 6)"]


def test_the_consequences_of_a_moved_meeting_are_listed_under_it():
    # Week 3's Monday meeting moved to periods 3-4 of the same day, where T1 teaches Lab A
    # (W2) to the sub-group C1-A.
    edited = [Meeting(D(2026, 9, 21), 3, 4, "W1", "R1") if m == _w1(D(2026, 9, 21)) else m
              for m in _regular()] + [Meeting(D(2026, 9, 21), 3, 4, "W2", "L1")]
    assert _lines(edited, _rows(edited)) == [
        "  - [weekly repetition] W1's Monday meeting of 2026-09-21 (periods 1-2) was moved to "
        "2026-09-21 (Mon) periods 3-4: the course no longer repeats weekly (row 6)",
        "      - [teacher clash] teacher Li Wei 李伟 (T1) is in 2 meetings at once (W1 and W2) "
        "on 2026-09-21 period 3 (rows 6, 18)",
        "      - [cohort clash] cohort C1-A is in 2 meetings at once (W1 and W2) on 2026-09-21 "
        "period 3 (rows 6, 18)"]


def test_a_meeting_moved_to_a_holiday():
    meetings = [_w1(D(2026, 9, 11)) if m == _w1(D(2026, 9, 10)) else m for m in _regular()]
    assert _lines(meetings, _rows(meetings)) == [
        "  - [weekly repetition] W1's Thursday meeting of 2026-09-10 (periods 1-2) was moved to "
        "2026-09-11 (Fri) periods 1-2: the course no longer repeats weekly (row 3)",
        "      - [teaching day] W1 meets on 2026-09-11 (Fri) periods 1-2, which is a holiday "
        "(holiday) (row 3)"]


def test_a_deleted_meeting_names_the_date_and_the_rows_around_it():
    meetings = [m for m in _regular() if m != _w1(D(2026, 9, 21))]
    assert _lines(meetings, _rows(meetings)) == [
        "  - [contact periods] W1 delivers 30 periods, fewer than its 32 (rows 2, 3, 4, 5, 6 and "
        "10 more)",
        "  - [weekly repetition] W1 meets Mon periods 1-2 every week but not on 2026-09-21 "
        "(rows 4, 7)"]


def test_many_missing_dates_are_one_line():
    meetings = [m for m in _regular() if m.date.weekday() != 0 or m.date == D(2026, 9, 7)]
    verification = verify_timetable(_instance(), Timetable(tuple(meetings)))
    assert [str(v) for v in verification.violations if "W1" in v.message] == [
        "[contact periods] W1 delivers 18 periods, fewer than its 32",
        "[weekly repetition] W1 meets Mon periods 1-2 every week but not on 2026-09-14, "
        "2026-09-21, 2026-09-28, 2026-10-05, 2026-10-12 and 2 more dates"]


def test_an_extra_meeting_outside_the_weekly_slots():
    meetings = [*_regular(), _w1(D(2026, 9, 23), "R2")]
    assert _lines(meetings, _rows(meetings)) == [
        "  - [meetings per week] W1 has an extra meeting on 2026-09-23 (Wed) periods 1-2, "
        "outside its weekly slot(s) Mon periods 1-2, Thu periods 1-2 (row 18)"]


def test_a_meeting_in_another_room_and_the_clash_it_causes():
    meetings = [_w1(D(2026, 9, 21), "R2") if m == _w1(D(2026, 9, 21)) else m
                for m in _regular()] + [Meeting(D(2026, 9, 21), 1, 2, "W3", "R2")]
    assert _lines(meetings, _rows(meetings)) == [
        "  - [weekly room] W1 meets Mon periods 1-2 in several rooms (R1, R2); a weekly slot "
        "keeps one room (row 6)",
        "      - [teacher clash] teacher Li Wei 李伟 (T1) is in 2 meetings at once (W1 and W3) "
        "on 2026-09-21 period 1 (rows 6, 18)",
        "      - [room clash] room R2 is in 2 meetings at once (W1 and W3) on 2026-09-21 period "
        "1 (rows 6, 18)"]


def test_a_row_copied_twice():
    meetings = [*_regular(), _w1(D(2026, 9, 21))]
    assert _lines(meetings, _rows(meetings)) == [
        "  - [weekly repetition] W1 meets twice in Mon periods 1-2 on the same date (rows 6, 18)",
        "      - [teacher clash] teacher Li Wei 李伟 (T1) is in 2 meetings at once (W1) on "
        "2026-09-21 period 1 (rows 6, 18)",
        "      - [cohort clash] cohort C1 is in 2 meetings at once (W1) on 2026-09-21 period 1 "
        "(rows 6, 18)",
        "      - [room clash] room R1 is in 2 meetings at once (W1) on 2026-09-21 period 1 "
        "(rows 6, 18)"]


def test_a_whole_slot_moved_is_a_new_slot_not_an_edit():
    meetings = [_w1(m.date + dt.timedelta(days=1)) if m.date.weekday() == 0 else m
                for m in _regular()]
    assert _lines(meetings) == []


def test_without_rows_the_lines_have_none():
    meetings = [_w1(D(2026, 9, 22)) if m == _w1(D(2026, 9, 21)) else m for m in _regular()]
    assert _lines(meetings) == [
        "  - [weekly repetition] W1's Monday meeting of 2026-09-21 (periods 1-2) was moved to "
        "2026-09-22 (Tue) periods 1-2: the course no longer repeats weekly"]

"""Trip facts of the tiny instance's visitor V1 (in Chongqing 09-13..09-18)."""

from __future__ import annotations

import datetime as dt

from scheduler.views.visitors import trip_facts, visitor_clocks
from tests.tiny import edited, m

D = dt.date


def test_trip_facts_of_the_valid_timetable(tiny, timetable):
    (trip,) = trip_facts(tiny, timetable)
    assert (trip.teacher_id, trip.trip, trip.days_in_china) == ("V1", 1, 6)
    # Travel days 09-13 (an adjusted workday) and 09-18 are not teachable.
    assert trip.teachable_days == (D(2026, 9, 14), D(2026, 9, 15), D(2026, 9, 16),
                                   D(2026, 9, 17))
    assert trip.teaching_days == (D(2026, 9, 14), D(2026, 9, 15), D(2026, 9, 16))
    assert trip.idle_days == ()
    assert (len(trip.meetings), trip.periods_taught, trip.courses) == (3, 6, ("I1",))


def test_a_gap_between_teaching_days_is_an_idle_day(tiny):
    gappy = edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(17, 5, "I1", "R1", "I1"),))
    (trip,) = trip_facts(tiny, gappy)
    assert trip.teaching_days == (D(2026, 9, 14), D(2026, 9, 16), D(2026, 9, 17))
    assert trip.idle_days == (D(2026, 9, 15),)
    assert (trip.first_teaching_day, trip.last_teaching_day) == (D(2026, 9, 14),
                                                                D(2026, 9, 17))


def test_a_trips_hours_on_the_campus_and_the_home_clock(tiny, timetable):
    """I1 meets 14:00-15:40 on 09-14 and 09-15 and 10:15-11:55 on 09-16: the trip teaches
    from 10:15 to 15:40 in Chongqing, 12:15 to 17:40 in Vladivostok (two hours ahead)."""
    (trip,) = trip_facts(tiny, timetable)
    assert trip.hours == ("10:15-15:40", "12:15-17:40")
    campus, home = visitor_clocks(tiny)
    assert (campus.utc_offset(D(2026, 9, 14)), home.utc_offset(D(2026, 9, 14))) == (
        "UTC+8", "UTC+10")
    assert home.time(tiny, D(2026, 9, 14), dt.time(23, 0)) == dt.time(1, 0)
    (idle,) = trip_facts(tiny, edited(remove=tuple(x for x in timetable.meetings
                                                     if x.course_id == "I1")))
    assert idle.hours == ("", "")

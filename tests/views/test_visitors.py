"""Trip facts of the tiny instance's visitor V1 (in Chongqing 09-13..09-18)."""

from __future__ import annotations

import datetime as dt

from scheduler.views.visitors import trip_facts
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

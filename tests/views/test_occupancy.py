"""Room occupancy: the share of each room's teaching periods the timetable uses."""

from __future__ import annotations

import pytest

from scheduler.views.occupancy import room_occupancy


def test_shares_by_week_are_the_periods_used_over_the_periods_available(tiny, timetable):
    data = room_occupancy(tiny, timetable, "week")
    assert data.rooms == ("R1", "R2", "L1") and data.columns == ("1", "2")
    # Week 1 has 5 teaching days (Fri 09-11 is a holiday, Sun 09-13 is taught) x 6 periods.
    # R1: Mathematics twice (4 periods) in week 1; twice more plus 3 intensive in week 2.
    assert data.values[0] == pytest.approx((4 / 30, 10 / 30))


def test_shares_by_slot_count_weeks(tiny, timetable):
    data = room_occupancy(tiny, timetable, "slot")
    assert data.columns[:3] == ("Mon 1", "Mon 2", "Mon 3")
    r1 = dict(zip(data.columns, data.values[0], strict=True))
    assert (r1["Mon 1"], r1["Mon 5"], r1["Wed 3"], r1["Tue 1"]) == (1.0, 0.5, 0.5, 0.0)

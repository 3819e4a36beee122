"""The occupancy heat map shows exactly the computed shares."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.exports.occupancy import room_occupancy
from scheduler.plotting import plot_room_occupancy


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


@pytest.mark.parametrize("view", ["week", "slot"])
def test_heat_map_shows_the_table(tiny, timetable, view):
    ax = plot_room_occupancy(tiny, timetable, view)
    (image,) = ax.get_images()
    expected = np.array(room_occupancy(tiny, timetable, view).values, dtype=float)
    np.testing.assert_allclose(image.get_array(), expected)
    assert next(t.get_text() for t in ax.get_yticklabels()) == "R1 (50, lecture)"
    if view == "week":
        assert "33%" in [t.get_text() for t in ax.texts]

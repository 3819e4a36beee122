"""The occupancy heat map shows exactly the computed shares."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.plotting import plot_room_occupancy
from scheduler.views.occupancy import room_occupancy


@pytest.mark.parametrize("view", ["week", "slot"])
def test_heat_map_shows_the_table(tiny, timetable, view):
    ax = plot_room_occupancy(tiny, timetable, view)
    (mesh,) = ax.collections  # one quad per room and column, rooms down
    expected = np.array(room_occupancy(tiny, timetable, view).values, dtype=float)
    shown = np.ma.filled(np.ma.asarray(mesh.get_array(), dtype=float), np.nan)
    np.testing.assert_allclose(shown.reshape(expected.shape), expected)
    assert next(t.get_text() for t in ax.get_yticklabels()) == "R1 (50, lecture)"
    if view == "week":
        assert "33%" in [t.get_text() for t in ax.texts]

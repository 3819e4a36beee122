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


@pytest.mark.parametrize(("lang", "share"), [("en", "33%"), ("zh", "33%"), ("ru", "33\xa0%")])
def test_percentages_are_written_as_the_reader_writes_them(tiny, timetable, lang, share):
    """exports.md: ``94.3%`` in English and Chinese, ``94,3 %`` in Russian; the Russian
    picture's cells and colour bar said ``33%``."""
    ax = plot_room_occupancy(tiny, timetable, "week", lang=lang)
    assert share in [t.get_text() for t in ax.texts]
    ax.figure.canvas.draw()
    bar = ax.figure.axes[-1]
    ticks = [t.get_text() for t in bar.get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith(share[2:]) for t in ticks), ticks

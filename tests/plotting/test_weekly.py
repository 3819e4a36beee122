"""The weekly timetable picture: one box per grid cell, spanning its periods, with its text."""

from __future__ import annotations

from scheduler.plotting import plot_weekly_timetable
from scheduler.views.grids import weekly_grid


def test_one_box_per_cell_placed_on_its_day_and_periods(tiny, timetable):
    ax = plot_weekly_timetable(tiny, timetable, "C1")
    grid = weekly_grid(tiny, timetable, "cohort", "C1")
    boxes = [p for p in ax.patches if p.get_gid() == "cell"]
    assert len(boxes) == len(grid.cells) == 7
    spans = sorted((round(b.get_x()), round(b.get_y()), round(b.get_height())) for b in boxes)
    expected = sorted((grid.weekdays.index(c.weekday), c.first_period - 1, c.span)
                      for c in grid.cells)
    assert spans == expected
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Mathematics\nweeks 1-2\nR1") for t in texts)
    assert any("Linear algebra\ndate 09-14 · R1" in t for t in texts)  # intensive: brief
    assert next(t.get_text() for t in ax.get_xticklabels()) in ("Mon 周一 Пн", "Mon")
    assert any(t.startswith("Holidays: 09-11 holiday") for t in texts)


def test_teacher_picture(tiny, timetable):
    ax = plot_weekly_timetable(tiny, timetable, "T2", kind="teacher")
    assert len([p for p in ax.patches if p.get_gid() == "cell"]) == 1

"""The term Gantt chart of a cohort or room: rows per course, a bar per meeting."""

from __future__ import annotations

from scheduler.plotting import plot_term_gantt
from scheduler.views.subjects import meetings_of


def _gid(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def test_cohort_chart_has_a_row_per_course_and_a_bar_per_meeting(tiny, timetable):
    ax = plot_term_gantt(tiny, timetable, "cohort", "C1")
    assert len(_gid(ax, "meeting")) == len(meetings_of(tiny, timetable, "cohort", "C1")) == 11
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Mathematics", "Lab A\n[C1-A]", "Lab B\n[C1-B]", "Linear algebra"]
    (window,) = _gid(ax, "travel-window")  # V1's trip, in the row of the intensive course
    assert abs(window.get_y() + window.get_height() / 2 - 3) < 1e-9
    assert ax.get_title(loc="left").startswith("Cohort C1")


def test_room_chart(tiny, timetable):
    ax = plot_term_gantt(tiny, timetable, "room", "L1")
    assert len(_gid(ax, "meeting")) == 4
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lab A", "Lab B"]
    assert _gid(ax, "travel-window") == []


def test_a_room_without_meetings_draws_an_empty_chart(tiny, timetable):
    from scheduler.timetable import Timetable

    ax = plot_term_gantt(tiny, Timetable(()), "room", "R2")
    assert _gid(ax, "meeting") == []
    assert "no meetings" in [t.get_text() for t in ax.texts]

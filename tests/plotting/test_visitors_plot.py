"""The visitors' Gantt chart draws a bar per meeting, shaded windows and holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from scheduler.plotting import plot_visitors
from tests.tiny import edited, m


def _gid(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def _day(x: float) -> dt.date:
    return mdates.num2date(x).date()


def test_one_bar_per_meeting_inside_the_shaded_window(tiny, timetable):
    ax = plot_visitors(tiny, timetable)
    bars = _gid(ax, "meeting")
    assert len(bars) == 3  # V1 teaches the three meetings of I1
    assert sorted(_day(b.get_x()) for b in bars) == [dt.date(2026, 9, d) for d in (14, 15, 16)]
    (window,) = _gid(ax, "travel-window")
    assert _day(window.get_x()) == dt.date(2026, 9, 13)
    assert window.get_width() == 6  # 09-13 .. 09-18, both included
    travel_days = sorted(_day(p.get_x()) for p in _gid(ax, "travel-day"))
    assert travel_days == [dt.date(2026, 9, 13), dt.date(2026, 9, 18)]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Иванова Е. А."]


def test_bars_sit_in_their_rows_by_period(tiny, timetable):
    ax = plot_visitors(tiny, timetable)
    by_day = {_day(b.get_x()).day: b for b in _gid(ax, "meeting")}
    assert by_day[16].get_y() < by_day[14].get_y()  # periods 3-4 above periods 5-6
    assert by_day[14].get_y() == by_day[15].get_y()
    for bar in _gid(ax, "meeting"):
        assert -0.5 < bar.get_y() < bar.get_y() + bar.get_height() < 0.5


def test_holiday_and_weekends_are_marked(tiny, timetable):
    ax = plot_visitors(tiny, timetable)
    holidays = [p for p in ax.patches if p.get_gid() == "holiday"]
    assert [_day(p.get_x()) for p in holidays] == [dt.date(2026, 9, 11)]
    weekends = {_day(p.get_x()) for p in ax.patches if p.get_gid() == "weekend"}
    assert dt.date(2026, 9, 12) in weekends
    assert dt.date(2026, 9, 13) not in weekends  # the adjusted workday is a teaching day
    assert "holiday" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_draws_on_given_axes_without_pyplot(tiny, timetable):
    ax = Figure().add_subplot()
    assert plot_visitors(tiny, timetable, ax=ax) is ax
    import sys

    assert "matplotlib.pyplot" not in sys.modules or not __import__(
        "matplotlib.pyplot").pyplot.get_fignums()


def test_trip_label_counts_idle_days(tiny):
    gappy = edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(17, 5, "I1", "R1", "I1"),))
    texts = [t.get_text() for t in plot_visitors(tiny, gappy).texts]
    assert "3 d · 6 p\n1 idle" in texts


def test_labels_follow_the_language_and_the_legend_gives_both_clocks(tiny, timetable):
    ax = plot_visitors(tiny, timetable, lang="ru")
    assert ax.get_title(loc="left") == "Приглашённые преподаватели — tiny"
    legend = ax.get_legend()
    assert legend.get_title().get_text().split("\n") == [
        "Каждая строка сверху вниз:", "08:00-15:40 Чунцин (UTC+8)",
        "= 10:00-17:40 Владивосток (UTC+10)"]
    assert [t.get_text() for t in legend.get_texts()][:4] == [
        "в Чунцине", "день в пути", "праздник", "выходные"]
    assert "3 дн. · 6 ак. ч." in [t.get_text() for t in ax.texts]


def test_the_dates_span_the_term_and_a_trip_s_rest_day_is_hatched(tiny, timetable):
    ax = plot_visitors(tiny, timetable)
    first, last = (_day(x) for x in ax.get_xlim())
    assert first <= tiny.term.first_date and last >= tiny.term.last_date
    rested = replace(tiny, travel_windows=(replace(tiny.travel_windows[0], rest_days=1),))
    runs = sorted((_day(p.get_x()), p.get_width()) for p in
                  _gid(plot_visitors(rested, timetable), "travel-day"))
    assert runs == [(dt.date(2026, 9, 13), 2), (dt.date(2026, 9, 18), 1)]  # travel + rest


def test_a_long_trilingual_title_is_one_language_a_line():
    """``--lang all`` titles ran off the picture's right edge; each language now gets a line
    when the whole does not fit, and a line still too long is wrapped."""
    from scheduler.plotting._common import fitted_title, new_axes

    ax = new_axes(6, 3)
    title = "Visiting teachers — T / 来访教师 — T / Приглашённые преподаватели — T"
    assert fitted_title(ax, title, 11).split("\n") == [
        "Visiting teachers — T", "来访教师 — T", "Приглашённые преподаватели — T"]
    assert fitted_title(new_axes(20, 3), title, 11) == title  # fits: unchanged
    long = " ".join(["word"] * 40)
    assert all(len(line) <= 60 for line in fitted_title(ax, long, 11).split("\n"))


def test_a_planned_visitors_trips_come_with_the_timetable(tiny, timetable):
    """``scheduler plot`` of a term that plans trips drew the meetings without their trips:
    the trips are the timetable's (trips.csv), not the instance's travel windows."""
    import datetime as dt
    from dataclasses import replace

    from scheduler.plotting import plot_term_gantt
    from scheduler.timetable import Trip
    from tests.tiny import planned_tiny

    planned = planned_tiny()
    with_trip = replace(timetable, trips=(Trip("V1", dt.date(2026, 9, 13),
                                               dt.date(2026, 9, 17)),))
    assert _gid(plot_visitors(planned, timetable), "travel-window") == []  # no trips given
    (window,) = _gid(plot_visitors(planned, with_trip), "travel-window")
    assert _day(window.get_x()) == dt.date(2026, 9, 13)
    assert "travel-window" not in {p.get_gid() for p in
                                   plot_term_gantt(planned, timetable, "cohort", "C1").patches}
    assert "travel-window" in {p.get_gid() for p in
                               plot_term_gantt(planned, with_trip, "cohort", "C1").patches}

"""Dated weeks of the tiny instance: the days a week shows, holidays and adjusted workdays,
the meetings of each date, and a visitor's times on both clocks."""

from __future__ import annotations

import datetime as dt

from scheduler.views.dated import dated_weeks, term_weeks

D = dt.date


def _shown(week):
    return {d.date: [(e.course_id, e.first_period, e.when) for c in d.cells for e in c.entries]
            for d in week.days}


def test_the_terms_weeks_run_monday_to_sunday(tiny, timetable):
    weeks = dated_weeks(tiny, timetable, "cohort", "C1")
    assert term_weeks(tiny) == (1, 2)
    assert [(w.number, w.monday) for w in weeks] == [(1, D(2026, 9, 7)), (2, D(2026, 9, 14))]


def test_a_week_shows_teaching_days_holidays_and_adjusted_workdays(tiny, timetable):
    """Week 1: Friday 09-11 is a holiday; Sunday 09-13 holds Friday's timetable of week 1;
    Saturday 09-12 has no teaching and is left out."""
    week = dated_weeks(tiny, timetable, "cohort", "C1")[0]
    assert [(d.date.day, d.kind) for d in week.days] == [
        (7, "teaching"), (8, "teaching"), (9, "teaching"), (10, "teaching"), (11, "holiday"),
        (13, "adjusted")]
    sunday = week.days[-1]
    assert (sunday.follows_weekday, sunday.follows_week) == (4, 1)
    assert week.days[4].holiday == "holiday"


def test_each_date_holds_its_meetings_with_their_clock_times(tiny, timetable):
    first, second = dated_weeks(tiny, timetable, "cohort", "C1")
    assert _shown(first)[D(2026, 9, 7)] == [("W1", 1, "08:00-09:40"), ("W2", 3, "10:15-11:55")]
    assert _shown(first)[D(2026, 9, 9)] == []
    assert _shown(second)[D(2026, 9, 16)] == [("I1", 3, "10:15-11:55")]
    assert (first.meetings, second.meetings) == (4, 7)


def test_a_visitors_meetings_are_timed_on_both_clocks(tiny, timetable):
    week = dated_weeks(tiny, timetable, "teacher", "V1", lang="ru")[1]
    assert _shown(week)[D(2026, 9, 14)] == [
        ("I1", 5, "14:00-15:40 (16:00-17:40 Владивосток)")]
    assert dated_weeks(tiny, timetable, "teacher", "V1")[0].meetings == 0

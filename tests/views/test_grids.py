"""Weekly grids of the tiny instance: week labels, collapsed weekly courses, dated intensive
meetings, sub-groups, adjusted workdays and cells spanning periods."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.views.grids import weekly_grid
from scheduler.views.weeks import date_label, week_label
from tests.tiny import edited, m


@pytest.mark.parametrize(("weeks", "skippable", "lang", "label"), [
    (range(1, 17), (), "en", "weeks 1-16"),
    (range(1, 17), (), "zh", "1-16周"),
    ([1, 3, 5, 7], (), "en", "weeks 1-7 (odd)"),
    ([2, 4, 6], (), "zh", "2-6周(双)"),
    ([5], (), "en", "week 5"),
    ([1, 2, 3, 5, 6], (4,), "en", "weeks 1-6"),  # week 4 is a holiday on that weekday
    ([1, 2, 3, 5, 6], (), "en", "weeks 1-3, 5-6"),
    ([1, 3, 7], (5,), "en", "weeks 1-7 (odd)"),
    ([1, 2, 3, 5, 6], (), "zh", "1-3,5-6周"),
    (range(1, 17), (), "ru", "недели 1-16"),
    ([1, 3, 5, 7], (), "ru", "недели 1-7 (нечётные)"),
    ([5], (), "ru", "неделя 5"),
    ([1, 2, 3, 5, 6], (), "ru", "недели 1-3, 5-6"),
    (range(1, 17), (), "all", "weeks 1-16"),  # crowded cells keep to English
])
def test_week_labels(weeks, skippable, lang, label):
    assert week_label(weeks, skippable, lang) == label


def test_date_labels():
    days = [dt.date(2026, 10, 19), dt.date(2026, 10, 12)]
    assert date_label(days) == "dates 10-12, 10-19"
    assert date_label(days, "zh") == "10月12日、10月19日"
    assert date_label(days, "ru") == "даты 12.10, 19.10"
    assert date_label(days[:1]) == "date 10-19"
    assert date_label(days[:1], "ru") == "дата 19.10"


def _cells(grid):
    return {(c.weekday, c.first_period, c.last_period): c for c in grid.cells}


def test_cohort_grid_collapses_weekly_courses_and_tags_sub_groups(tiny, timetable):
    grid = weekly_grid(tiny, timetable, "cohort", "C1")
    assert grid.weekdays == (0, 1, 2, 3, 4)
    assert [p.number for p in grid.periods] == [1, 2, 3, 4, 5, 6]
    cells = _cells(grid)
    assert set(cells) == {(0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 4), (1, 5, 6), (2, 3, 4),
                          (3, 1, 2)}
    maths = cells[(0, 1, 2)].entries[0]
    assert (maths.course_id, maths.when, maths.room_id, maths.meetings) == (
        "W1", "weeks 1-2", "R1", 2)
    assert cells[(0, 1, 2)].text("cohort") == "Mathematics\nweeks 1-2\nR1 · Li Wei 李伟"
    lab = cells[(0, 3, 4)].entries[0]
    assert (lab.course_id, lab.group) == ("W2", "C1-A")
    assert cells[(1, 3, 4)].text("cohort").startswith("[C1-B] Lab B")
    intensive = cells[(0, 5, 6)]
    assert intensive.text("cohort") == (
        "Linear algebra\ndate 09-14\nR1 · Иванова Е. А.\ninterpreter: Chen Jing 陈静")


def test_sub_group_grid_leaves_out_the_other_sub_group(tiny, timetable):
    courses = {e.course_id for c in weekly_grid(tiny, timetable, "cohort", "C1-A").cells
               for e in c.entries}
    assert courses == {"W1", "W2", "I1"}


def test_teacher_room_and_interpreter_grids(tiny, timetable):
    teacher = _cells(weekly_grid(tiny, timetable, "teacher", "T1"))
    assert teacher[(1, 1, 2)].text("teacher") == "English\nweeks 1-2\nR2 · C2"
    room = _cells(weekly_grid(tiny, timetable, "room", "R1"))
    assert room[(2, 3, 4)].text("room") == (
        "Linear algebra\ndate 09-16\nC1, C2\nИванова Е. А.\ninterpreter: Chen Jing 陈静")
    interpreter = weekly_grid(tiny, timetable, "interpreter", "I1")
    assert sum(len(c.entries) for c in interpreter.cells) == 3
    assert weekly_grid(tiny, timetable, "interpreter", "I2").cells == ()


def test_adjusted_workday_meeting_sits_in_the_weekday_it_follows(tiny):
    """W3 moves to Friday: week 1's Friday (09-11) is a holiday, held on Sunday 09-13."""
    moved = edited(remove=(m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2")),
                   add=(m(13, 1, "W3", "R2"), m(18, 1, "W3", "R2")))
    cell = _cells(weekly_grid(tiny, moved, "cohort", "C2"))[(4, 1, 2)]
    entry = cell.entries[0]
    assert entry.weeks == (1, 2)
    # week 1's Friday is not taught: the week is named by the day that holds it only (it
    # said "weeks 1-2; week 1 on Sun 09-13", so a week-1 grid showed a Friday class)
    assert entry.when == "week 2; week 1 on Sun 09-13"
    zh = _cells(weekly_grid(tiny, moved, "cohort", "C2", lang="zh"))[(4, 1, 2)]
    assert zh.entries[0].when == "第2周；第1周调至9月13日(周日)"
    ru = _cells(weekly_grid(tiny, moved, "cohort", "C2", lang="ru"))[(4, 1, 2)]
    assert ru.entries[0].when == "неделя 2; неделя 1: вс 13.09"


def test_overlapping_meetings_share_one_cell_spanning_their_periods(tiny, timetable):
    """A 4-period lab over a 2-period lecture of the same room forms one cell of 4 periods."""
    overlapping = edited(add=(m(9, 1, "W4", "R2", length=4), m(9, 3, "W3", "R2")))
    cell = _cells(weekly_grid(tiny, overlapping, "room", "R2"))[(2, 1, 4)]
    assert cell.span == 4
    assert [e.course_id for e in cell.entries] == ["W4", "W3"]
    assert cell.text("room").split("\n\n")[1] == "English\nP3-4 · week 1\nC2\nLi Wei 李伟"

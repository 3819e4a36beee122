"""Every picture readable at its default size: no text under 7 points, a title in the
reader's language and the term's dates on an axis."""

from __future__ import annotations

import re

import pytest
from matplotlib.text import Text

from scheduler.i18n import translator
from scheduler.plotting import (
    plot_room_occupancy,
    plot_term_gantt,
    plot_visitors,
    plot_weekly_timetable,
)
from scheduler.plotting._common import MIN_TEXT_SIZE
from scheduler.plotting.weekly import A4_LANDSCAPE
from scheduler.timetable import Timetable
from tests.tiny import m

PICTURES = {
    "visitors": lambda i, t, lang: plot_visitors(i, t, lang=lang),
    "cohort Gantt": lambda i, t, lang: plot_term_gantt(i, t, "cohort", "C1", lang=lang),
    "room Gantt": lambda i, t, lang: plot_term_gantt(i, t, "room", "R1", lang=lang),
    "occupancy": lambda i, t, lang: plot_room_occupancy(i, t, lang=lang),
    "occupancy by period": lambda i, t, lang: plot_room_occupancy(i, t, "slot", lang=lang),
    "weekly": lambda i, t, lang: plot_weekly_timetable(i, t, "C1", lang=lang),
}
SCRIPT = {"zh": re.compile(r"[\u4e00-\u9fff]"), "ru": re.compile(r"[А-Яа-я]"),
          "en": re.compile(r"[A-Za-z]")}


def _texts(ax) -> list[Text]:
    """Every piece of text the figure draws (ticks, titles, labels, legends, cells)."""
    figure = ax.figure
    figure.draw_without_rendering()  # lays out the ticks, so that their labels exist
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
@pytest.mark.parametrize("picture", list(PICTURES))
def test_no_text_under_seven_points_a_title_in_the_language_and_the_terms_dates(
        tiny, timetable, picture, lang):
    ax = PICTURES[picture](tiny, timetable, lang)
    texts = _texts(ax)
    small = [(t.get_text(), t.get_fontsize()) for t in texts
             if t.get_fontsize() < MIN_TEXT_SIZE]
    assert not small, small
    assert SCRIPT[lang].search(ax.get_title("left")), ax.get_title("left")
    # the term's first Monday (2026-09-07) and the next one, as the reader writes them
    tr = translator(lang)
    shown = "\n".join(t.get_text() for t in texts)
    if picture in ("visitors", "cohort Gantt", "room Gantt", "occupancy"):
        assert tr.short_date(tiny.term.first_date) in shown
        assert tr.short_date(tiny.term.last_date.replace(day=14)) in shown
    else:
        assert tr.date(tiny.term.first_date) in shown
        assert tr.date(tiny.term.last_date) in shown


def test_a_crowded_week_grows_the_page_instead_of_shrinking_the_text(tiny, timetable):
    # C1's four courses on Thursday 1-2 in each room: a cell of a dozen entries
    crowded = Timetable(timetable.meetings + tuple(
        m(17, 1, course, room) for course in ("W1", "W2", "W4", "I1")
        for room in ("R1", "R2", "L1")))
    ax = plot_weekly_timetable(tiny, crowded, "C1")
    assert min(t.get_fontsize() for t in _texts(ax)) >= MIN_TEXT_SIZE
    width, height = ax.figure.get_size_inches()
    assert width == A4_LANDSCAPE[0] and height > A4_LANDSCAPE[1]

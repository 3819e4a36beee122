"""Fonts: with a CJK font names are drawn as written; without one, labels keep only glyphs
that exist (ids where nothing is left) and exactly one MissingFontWarning is emitted."""

from __future__ import annotations

import warnings

import pytest
from matplotlib.text import Text

from scheduler.plotting import (
    MissingFontWarning,
    fonts,
    plot_room_occupancy,
    plot_term_gantt,
    plot_visitors,
    plot_weekly_timetable,
)
from scheduler.plotting.fonts import LabelFont, detect_cjk_family, label_font


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "detect_cjk_family", lambda: None)
    fonts.reset_font_detection()
    yield label_font()
    fonts.reset_font_detection()


def _drawn_text(ax) -> list[str]:
    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]


def test_fallback_labels_drop_missing_glyphs_or_use_the_id():
    font = LabelFont(None, label_font().base_glyphs)  # DejaVu Sans: Latin and Cyrillic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingFontWarning)
        assert font.label("王芳 Wang Fang", "CQ-WANGF") == "Wang Fang"
        assert font.label("陈静", "INT-CHEN") == "INT-CHEN"
        assert font.label("Linear Algebra 线性代数 / Линейная алгебра", "X") == (
            "Linear Algebra / Линейная алгебра")
        assert font.label("Russian I 俄语 (group 1)", "X") == "Russian I (group 1)"
        assert font.label("Morality and Rule of Law 思想道德与法治", "X") == (
            "Morality and Rule of Law")
    assert font.label("Иванова", "V1") == "Иванова"


def test_without_a_cjk_font_every_picture_draws_only_existing_glyphs_and_warns_once(
        no_cjk_font, tiny, timetable):
    assert no_cjk_font.family is None
    with pytest.warns(MissingFontWarning) as caught:
        axes = [plot_visitors(tiny, timetable), plot_term_gantt(tiny, timetable, "cohort", "C1"),
                plot_room_occupancy(tiny, timetable),
                plot_weekly_timetable(tiny, timetable, "C1")]
    assert len([w for w in caught if w.category is MissingFontWarning]) == 1
    assert "fonts-noto-cjk" in str(caught[0].message)
    for ax in axes:
        for text in _drawn_text(ax):
            missing = [ch for ch in text
                       if not ch.isspace() and ord(ch) not in no_cjk_font.base_glyphs]
            assert not missing, (text, missing)
    visitors = axes[0]
    assert [t.get_text() for t in visitors.get_yticklabels()] == ["Иванова Е. А."]
    weekly = _drawn_text(axes[3])
    assert any(t.startswith("Mathematics\nweeks 1-2\nR1 · Li Wei") for t in weekly)
    assert "Mon" in weekly


@pytest.mark.skipif(detect_cjk_family() is None, reason="no CJK font installed")
def test_with_a_cjk_font_names_are_drawn_as_written(tiny, timetable):
    fonts.reset_font_detection()
    font = label_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFontWarning)
        ax = plot_weekly_timetable(tiny, timetable, "C1")
    assert font.label("王芳 Wang Fang") == "王芳 Wang Fang"
    cell = next(t for t in ax.texts if t.get_text().startswith("Mathematics"))
    assert "李伟" in cell.get_text()
    assert cell.get_fontfamily()[0] == font.family

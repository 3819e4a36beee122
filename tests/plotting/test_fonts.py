"""Fonts: with a CJK font names are drawn as written; without one, labels keep only glyphs
that exist (ids where nothing is left) and exactly one MissingFontWarning is emitted."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

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
from scheduler.plotting.fonts import LabelFont, detect_cjk_family, label_font, packaged_font


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


def test_the_packaged_font_is_found_without_a_system_font():
    # noto-cjk-sans-otc, a dependency, installs Noto Sans CJK inside Python's packages: the
    # Simplified Chinese face of the collection (matplotlib >= 3.11 reads a collection's
    # faces; older ones its first, Japanese, face, which has the same characters)
    path = packaged_font()
    assert path is not None and path.endswith("NotoSansCJK-Regular.ttc")
    assert detect_cjk_family() in ("Noto Sans CJK SC", "Noto Sans CJK JP")


def test_a_fresh_process_draws_chinese_names_without_a_warning(tmp_path):
    code = ("import warnings; warnings.simplefilter('error'); from pathlib import Path; "
            "from tests.tiny import tiny_instance, valid_timetable; "
            "from scheduler.plotting import plot_weekly_timetable; "
            "from scheduler.plotting.files import save_figure; "
            "ax = plot_weekly_timetable(tiny_instance(), valid_timetable(), 'C1', lang='zh'); "
            "save_figure(ax.figure, Path(sys.argv[1]), 'weekly', ('png', 'svg'))")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", "import sys; " + code, str(tmp_path)],
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr
    assert (tmp_path / "weekly.png").stat().st_size > 10_000


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

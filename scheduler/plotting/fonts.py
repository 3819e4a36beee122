"""Fonts for names in Chinese, Russian and English, and labels that never show missing glyphs.

Pictures need a font with Chinese glyphs. The package depends on ``noto-cjk-sans-otc``, which
ships Google's Noto Sans CJK (SIL Open Font License; it covers Latin and Cyrillic too) as one
file inside the installed package: :func:`label_font` adds it to matplotlib's font manager and
draws with its Simplified Chinese face, so every machine draws the same pictures, without
network access at run time. Where that package is missing, an installed system font is used:
Debian/Ubuntu's ``fonts-noto-cjk``, WenQuanYi (``fonts-wqy-zenhei``) or the usual
Windows/macOS Chinese fonts. Without any, labels drop the characters no installed font has
("王芳 Wang Fang" becomes "Wang Fang"; Cyrillic stays, as matplotlib's own DejaVu Sans has it)
or fall back to the id, and one :class:`MissingFontWarning` says so.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib import font_manager

from scheduler.i18n import Language

CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Sarasa Gothic SC", "Microsoft YaHei",
    "PingFang SC", "Hiragino Sans GB", "SimHei", "Noto Sans CJK JP", "Noto Sans CJK TC",
    "Source Han Sans", "Droid Sans Fallback", "Arial Unicode MS",
)
"""Families tried first, best first; any other installed font covering the sample is next."""
SAMPLE = "王芳陈静李伟Иванова"
"""Characters a label font must have: Chinese and Cyrillic."""
BASE_FAMILY = "DejaVu Sans"
"""matplotlib's bundled default (Latin, Greek and Cyrillic)."""
_FONT_FILE_HINT = re.compile(r"cjk|wqy|wenquanyi|sourcehan|droidsansfallback|simhei|msyh|"
                             r"pingfang|hiragino|sarasa|notosanssc", re.IGNORECASE)
_warned = False


class MissingFontWarning(UserWarning):
    """No installed font has Chinese glyphs: labels are shortened or replaced by ids."""


def _charmap(path: str) -> frozenset[int]:
    try:
        return frozenset(font_manager.get_font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


def _covering(entries: list[Any]) -> str | None:
    """The best family among font entries whose file has every sample character."""
    by_family: dict[str, str] = {}
    for entry in entries:
        by_family.setdefault(entry.name, entry.fname)
    ordered = [f for f in CJK_FAMILIES if f in by_family]
    ordered += sorted(f for f in by_family if f not in CJK_FAMILIES)
    sample = {ord(ch) for ch in SAMPLE}
    for family in ordered:
        if sample <= _charmap(by_family[family]):
            return family
    return None


def packaged_font() -> str | None:
    """The path of the Noto Sans CJK collection that the ``noto-cjk-sans-otc`` dependency
    installs, or None where it is not installed."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return None
    path = Path(str(FONT_PATH))
    return str(path) if path.is_file() else None


def detect_cjk_family() -> str | None:
    """The family name of a font with Chinese and Cyrillic glyphs: the packaged one
    (:func:`packaged_font`) first, else an installed one, else None."""
    manager = font_manager.fontManager
    packaged = packaged_font()
    if packaged is not None:
        if all(e.fname != packaged for e in manager.ttflist):
            try:
                manager.addfont(packaged)
            except (OSError, RuntimeError, ValueError):
                packaged = None
        family = _covering([e for e in manager.ttflist if e.fname == packaged])
        if family is not None:
            return family
    known = [e for e in manager.ttflist if e.name in CJK_FAMILIES]
    family = _covering(known)
    if family is not None:
        return family
    listed = {e.fname for e in manager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in listed and _FONT_FILE_HINT.search(Path(path).name):
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    hinted = [e for e in manager.ttflist if _FONT_FILE_HINT.search(Path(e.fname).name)]
    return _covering(hinted + [e for e in manager.ttflist if e.name in CJK_FAMILIES])


@dataclass(frozen=True)
class LabelFont:
    """How names are drawn: the font families to use, and what they can show."""

    family: str | None
    base_glyphs: frozenset[int]

    @property
    def families(self) -> list[str]:
        return [self.family, BASE_FAMILY] if self.family else [BASE_FAMILY]

    def props(self) -> dict[str, Any]:
        """Keyword arguments for matplotlib text calls."""
        return {"fontfamily": self.families}

    def props_in(self, lang: Language) -> dict[str, Any]:
        """Keyword arguments for text in ``lang``: none in English (matplotlib's default
        font, as always), the label font's in Chinese, Russian or all three."""
        return {} if lang == "en" else self.props()

    def label(self, text: str, fallback: str = "") -> str:
        """``text`` if it can be drawn; otherwise without the characters no font has, or
        ``fallback`` (an id) when too little is left. Warns once per process."""
        if self.family is not None or all(ord(ch) in self.base_glyphs or ch.isspace()
                                          for ch in text):
            return text
        _warn_once()
        kept = "".join(ch for ch in text if ord(ch) in self.base_glyphs or ch.isspace())
        kept = re.sub(r"\(\s*\)|\[\s*\]", "", kept)
        kept = re.sub(r"\s*/\s*(?=/|$)|^\s*/\s*", "", kept)
        kept = re.sub(r"[ \t]+", " ", kept).strip(" ·,;/-")
        kept = "\n".join(line.strip(" ·,;/") for line in kept.split("\n"))
        letters = sum(ch.isalnum() for ch in kept)
        return kept if letters >= 2 else (fallback or kept or "?")


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            "no installed font has Chinese glyphs, so Chinese names are left out of picture "
            "labels (ids are shown where nothing else is left); reinstall the package with "
            "its dependencies (noto-cjk-sans-otc) or install a CJK font such as "
            "Debian/Ubuntu's fonts-noto-cjk", MissingFontWarning, stacklevel=3)


@functools.cache
def label_font() -> LabelFont:
    """The label font of this process (detected once)."""
    base = font_manager.findfont(font_manager.FontProperties(family=BASE_FAMILY))
    return LabelFont(detect_cjk_family(), _charmap(base))


def legend_font(font: LabelFont, lang: Language, size: float) -> dict[str, Any]:
    """Text properties of a legend: in English matplotlib's default font, as always; in
    Chinese, Russian or all three the label font, which has their glyphs."""
    return {"size": size, **({"family": font.families} if lang != "en" else {})}


def reset_font_detection() -> None:
    """Forget the detected font and the warning (for tests, or after installing a font)."""
    global _warned
    _warned = False
    label_font.cache_clear()

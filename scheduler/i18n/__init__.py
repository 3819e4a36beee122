"""The reader's language: translated messages (gettext catalogs) and dates (Babel).

Every word an output writes for people is an English message looked up in the ``scheduler``
gettext catalog of ``locales/<zh|ru>/LC_MESSAGES`` (compiled ``.mo`` files shipped with the
package; the ``.po`` sources beside them are made with Babel, see ``docs/exports.md``).
Weekday and month names and dates come from Babel's locale data. ``all`` writes labels in
English, Chinese and Russian where space allows and English where it does not (sheet names,
dates).

Code marks messages as :class:`Translator` calls (``tr("Period")``,
``tr.ngettext("week {weeks}", "weeks {weeks}", n)``) or, for constants translated later,
with :func:`N_`; ``pybabel extract -F babel.cfg`` finds them all.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

Language = Literal["en", "zh", "ru", "all"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
"""What ``--lang`` accepts: one language, or ``all`` for trilingual labels."""
SINGLE_LANGUAGES: tuple[Language, ...] = ("en", "zh", "ru")
"""The languages of the catalogs (English is the language of the messages themselves)."""
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh": "中文", "ru": "Русский"}
"""Each language in its own words, for a language switch."""
DOMAIN = "scheduler"
LOCALES = Path(__file__).resolve().parent / "locales"
"""Where the catalogs live: ``<language>/LC_MESSAGES/scheduler.po`` and ``.mo``."""
_JOIN = " / "


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it (it is translated where it is
    shown)."""
    return message


def check_language(language: str) -> Language:
    """``language`` as a :data:`Language`; ``ValueError`` naming the choices otherwise."""
    if language not in LANGUAGES:
        raise ValueError(f"Expected language in {', '.join(LANGUAGES)}, got {language!r}")
    return cast(Language, language)


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of one language (English: the messages as written)."""
    if check_language(language) in ("en", "all"):
        return gettext.NullTranslations()
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as f:
        return gettext.GNUTranslations(f)


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def _unique(parts: list[str]) -> str:
    return _JOIN.join(dict.fromkeys(parts))


@dataclass(frozen=True)
class Translator:
    """Messages and dates in one language (see the module docstring)."""

    language: Language = "en"

    def __post_init__(self) -> None:
        check_language(self.language)

    @property
    def locale(self) -> Locale:
        """Babel's locale of the language (English for ``all``)."""
        return _locale("en" if self.language == "all" else self.language)

    @property
    def brief(self) -> Translator:
        """The translator for where space is short: English instead of all three."""
        return translator("en") if self.language == "all" else self

    def __call__(self, message: str) -> str:
        """``message`` in the reader's language (``all``: English / 中文 / Русский)."""
        if self.language == "all":
            return _unique([catalog(lang).gettext(message) for lang in SINGLE_LANGUAGES])
        return catalog(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message for ``n`` (Russian has three forms)."""
        if self.language == "all":
            return _unique([catalog(lang).ngettext(singular, plural, n)
                            for lang in SINGLE_LANGUAGES])
        return catalog(self.language).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` as meant in ``context`` (the same English may translate apart)."""
        if self.language == "all":
            return _unique([catalog(lang).pgettext(context, message)
                            for lang in SINGLE_LANGUAGES])
        return catalog(self.language).pgettext(context, message)

    def weekday(self, weekday: int) -> str:
        """A weekday's short name: ``Mon``, ``周一``, ``пн`` (``all``: ``Mon 周一 Пн``)."""
        if self.language == "all":
            return weekday_header(weekday, self.language)
        return self.locale.days["format"]["abbreviated"][weekday]

    def month(self, day: dt.date) -> str:
        """A month and year: ``October 2026``, ``2026年10月``, ``октябрь 2026 г.``."""
        return format_skeleton("yMMMM", day, locale=self.brief.locale)

    def date(self, day: dt.date) -> str:
        """A full date with its weekday: ``Mon, October 12, 2026``, ``2026年10月12日 周一``,
        ``12 октября 2026 г., пн``."""
        tr = self.brief
        return tr("{weekday}, {date}").format(weekday=tr.weekday(day.weekday()),
                                             date=format_date(day, "long", locale=tr.locale))

    def decimal(self, value: float, digits: int = 1) -> str:
        """``value`` with ``digits`` decimals as the reader writes numbers: ``20.5``, ``20,5``
        (``all``: English)."""
        pattern = "0." + "0" * digits if digits > 0 else "0"
        return format_decimal(value, format=pattern, locale=self.brief.locale)

    def percent(self, ratio: float, digits: int = 0) -> str:
        """A ratio as a percentage with ``digits`` decimals: ``94.3%``, ``94,3 %``
        (``all``: English)."""
        locale = self.brief.locale
        pattern = locale.percent_formats[None].pattern      # e.g. #,##0% or #,##0\xa0%
        if digits > 0:
            last = pattern.rindex("0")
            pattern = pattern[:last + 1] + "." + "0" * digits + pattern[last + 1:]
        return format_percent(ratio, format=pattern, locale=locale)

    def short_date(self, day: dt.date) -> str:
        """A date within the term: ``10-12``, ``10月12日``, ``12.10``."""
        tr = self.brief
        # TRANSLATORS: a Unicode date pattern (month and day), e.g. M月d日 or dd.MM
        return format_date(day, tr("MM-dd"), locale=tr.locale)


def language_name(code: str, language: Language) -> str:
    """A teaching language's name in the reader's language (``zh``: Chinese, 中文,
    китайский; English for ``all``), from Babel's locale data; the code when unknown."""
    return translator(language).brief.locale.languages.get(code) or code


def after_label(label: str) -> str:
    """What follows a label ending in a colon before its text: a space, or nothing after a
    full-width colon (``有效：out/…``, not ``有效： out/…``)."""
    return "" if label.endswith("：") else " "


def weekday_header(weekday: int, language: Language) -> str:
    """The heading of a weekday column: the weekday in the reader's language (``周一``,
    ``Пн``), or in all three (``Mon 周一 Пн``) in English and trilingual outputs, whose grids
    everyone reads."""
    languages = ("en", "zh", "ru") if language in ("en", "all") else (language,)
    names = [_locale(lang).days["format"]["abbreviated"][weekday] for lang in languages]
    return " ".join(name[:1].upper() + name[1:] for name in names)


@functools.cache
def translator(language: str = "en") -> Translator:
    """The translator of ``language`` (``en``, ``zh``, ``ru`` or ``all``)."""
    return Translator(check_language(language))


__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALES",
    "N_",
    "SINGLE_LANGUAGES",
    "Language",
    "Translator",
    "catalog",
    "check_language",
    "translator",
    "weekday_header",
]

"""Short labels for the weeks and dates of a meeting, as timetables print them.

Weekly courses read "weeks 1-16", "weeks 1-15 (odd)" or in Chinese "1-16周", "1-15周(单)";
intensive meetings list their dates ("dates 10-12, 10-19"). Weeks in which the weekday has no
teaching day (a holiday) may be bridged, so a course that skips the National Day holiday is
still "weeks 1-16", as a printed timetable says. Every label is in the reader's language
(:mod:`scheduler.i18n`; in trilingual outputs these labels, which sit in crowded cells, are
in English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from scheduler.i18n import Language, Translator, translator, weekday_header

LabelStyle = Language
"""The language of week and date labels (``style`` in earlier releases)."""
WEEKDAY_LABELS = {lang: tuple(translator(lang).weekday(wd) for wd in range(7))
                  for lang in ("en", "zh", "ru")}
"""Short weekday names from Babel's locale data: ``Mon``, ``周一``, ``пн``."""
WEEKDAY_HEADERS = tuple(weekday_header(wd, "en") for wd in range(7))
"""Weekday column headings of English and trilingual grids: ``Mon 周一 Пн`` ..."""


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _runs(weeks: list[int], skippable: Collection[int]) -> list[tuple[int, int]]:
    """Maximal runs of weeks, bridging gaps that consist of skippable weeks only."""
    runs: list[tuple[int, int]] = []
    for week in weeks:
        if runs and all(w in skippable for w in range(runs[-1][1] + 1, week)):
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


def _parity_label(tr: Translator, parity: str, weeks: str, single: bool) -> str:
    if parity == "odd":
        return tr("weeks {weeks} (odd)").format(weeks=weeks)
    if parity == "even":
        return tr("weeks {weeks} (even)").format(weeks=weeks)
    if single:
        return tr("week {weeks}").format(weeks=weeks)
    return tr("weeks {weeks}").format(weeks=weeks)


def week_label(weeks: Iterable[int], skippable: Collection[int] = (),
               lang: Language = "en") -> str:
    """Label a set of teaching weeks: one range with a parity when it fits, else runs."""
    tr = translator(lang).brief
    ordered = sorted(set(weeks))
    if not ordered:
        return ""
    first, last = ordered[0], ordered[-1]
    taught = set(ordered)
    best: tuple[int, str] | None = None
    for parity, step in (("all", 1), ("odd", 2), ("even", 2)):
        if parity != "all" and (len(ordered) < 2 or any(w % 2 != first % 2 for w in ordered)
                                or parity != ("odd" if first % 2 else "even")):
            continue
        pattern = set(range(first, last + 1, step))
        missing = pattern - taught
        if all(w in skippable for w in missing) and (best is None or len(missing) < best[0]):
            best = (len(missing), parity)
    if best is not None:
        return _parity_label(tr, best[1], _span(first, last), first == last)
    # TRANSLATORS: separates runs of teaching weeks, as in "weeks 1-3, 5-8"
    runs = tr.pgettext("weeks", ", ").join(_span(a, b) for a, b in _runs(ordered, skippable))
    return tr("weeks {weeks}").format(weeks=runs)


def date_label(dates: Iterable[dt.date], lang: Language = "en") -> str:
    """Label the dates of intensive meetings: ``dates 10-12, 10-19`` / ``10月12日、10月19日``."""
    tr = translator(lang).brief
    days = sorted(set(dates))
    # TRANSLATORS: separates dates, as in "dates 10-12, 10-19"
    text = tr.pgettext("dates", ", ").join(tr.short_date(d) for d in days)
    if len(days) == 1:
        return tr("date {dates}").format(dates=text)
    return tr("dates {dates}").format(dates=text)


def moved_label(week: int, day: dt.date, lang: Language = "en") -> str:
    """Note that a weekly meeting of ``week`` is held on an adjusted workday."""
    tr = translator(lang).brief
    return tr("week {week} on {weekday} {date}").format(
        week=week, weekday=tr.brief.weekday(day.weekday()), date=tr.short_date(day))

"""Short labels for the weeks and dates of a meeting, as timetables print them.

Weekly courses read "weeks 1-16", "weeks 1-15 (odd)" or in Chinese "1-16周", "1-15周(单)";
intensive meetings list their dates ("dates 10-12, 10-19"). Weeks in which the weekday has no
teaching day (a holiday) may be bridged, so a course that skips the National Day holiday is
still "weeks 1-16", as a printed timetable says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Literal

LabelStyle = Literal["en", "zh"]
WEEKDAY_LABELS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


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


def week_label(weeks: Iterable[int], skippable: Collection[int] = (),
               style: LabelStyle = "en") -> str:
    """Label a set of teaching weeks: one range with a parity when it fits, else runs."""
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
        parity = best[1]
        if style == "zh":
            suffix = {"all": "", "odd": "(单)", "even": "(双)"}[parity]
            return f"{_span(first, last)}周{suffix}"
        noun = "week" if first == last else "weeks"
        suffix = {"all": "", "odd": " (odd)", "even": " (even)"}[parity]
        return f"{noun} {_span(first, last)}{suffix}"
    text = ", ".join(_span(a, b) for a, b in _runs(ordered, skippable))
    return f"{text.replace(', ', ',')}周" if style == "zh" else f"weeks {text}"


def date_label(dates: Iterable[dt.date], style: LabelStyle = "en") -> str:
    """Label the dates of intensive meetings: ``dates 10-12, 10-19`` / ``10-12、10-19``."""
    days = sorted(set(dates))
    if style == "zh":
        return "、".join(f"{d:%m-%d}" for d in days)
    return ("date " if len(days) == 1 else "dates ") + ", ".join(f"{d:%m-%d}" for d in days)


def moved_label(week: int, day: dt.date, style: LabelStyle = "en") -> str:
    """Note that a weekly meeting of ``week`` is held on an adjusted workday."""
    weekday = WEEKDAY_LABELS[style][day.weekday()]
    if style == "zh":
        return f"第{week}周调至{day:%m-%d}({weekday})"
    return f"week {week} on {weekday} {day:%m-%d}"

WEEKDAY_HEADERS = ("Mon 周一 Пн", "Tue 周二 Вт", "Wed 周三 Ср", "Thu 周四 Чт", "Fri 周五 Пт",
                   "Sat 周六 Сб", "Sun 周日 Вс")
"""Weekday column headings in English, Chinese and Russian, for grids read by everyone."""

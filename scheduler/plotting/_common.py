"""Helpers shared by the pictures: figures without pyplot, date axes, calendar shading, bars."""

from __future__ import annotations

import datetime as dt
from typing import Any

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator

from scheduler.i18n import Language, translator
from scheduler.instance import Instance
from scheduler.plotting.fonts import label_font
from scheduler.timetable import Meeting
from scheduler.views.text import display_width, wrap_text

HOLIDAY_COLOR = "#f4cccc"
WEEKEND_COLOR = "#eeeeee"
WINDOW_COLOR = "#cfe2f3"
ROW_HEIGHT = 0.8


def new_axes(width: float, height: float, constrained: bool = True) -> Axes:
    """Axes on a new figure (a plain Figure: no pyplot, no global state, Agg when saved)."""
    figure = Figure(figsize=(width, height), layout="constrained" if constrained else None)
    return figure.add_subplot()


def day_number(day: dt.date) -> float:
    """The x coordinate of the start of a date on a date axis."""
    return float(mdates.date2num(dt.datetime.combine(day, dt.time())))


MIN_TEXT_SIZE = 7.0
"""The smallest text of any picture, in points at its default size (readable printed)."""


def text_font(lang: Language) -> dict[str, object]:
    """Tick-label properties for text in ``lang``: the label font's families outside
    English (dates such as ``10月12日`` need its glyphs)."""
    return {} if lang == "en" else {"labelfontfamily": label_font().families}


def term_dates(instance: Instance, lang: Language = "en") -> str:
    """The term's first and last teaching date and its teaching weeks, in ``lang``."""
    tr = translator(lang).brief
    term = instance.term
    return tr("term {first} – {last}, teaching weeks 1–{weeks}").format(
        first=tr.date(term.first_date), last=tr.date(term.last_date),
        weeks=term.week_of(term.last_date))


def date_axis(ax: Axes, instance: Instance, first: dt.date, last: dt.date,
              lang: Language = "en") -> None:
    """Dates along x, Mondays ticked as short dates (``10-12``, ``10月12日``, ``12.10``),
    teaching weeks numbered along the top."""
    tr = translator(lang)
    ax.set_xlim(day_number(first), day_number(last + dt.timedelta(days=1)))
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_formatter(lambda x, _: tr.short_date(mdates.num2date(x).date()))
    crowded = (last - first).days > 26 * 7
    ax.tick_params(axis="x", which="major", labelsize=8, labelrotation=90 if crowded else 0,
                   **text_font(lang))
    ax.grid(axis="x", which="major", color="#bbbbbb", linewidth=0.6)
    ax.set_axisbelow(True)
    term = instance.term
    monday = term.week1_monday
    weeks = []
    while monday <= last:
        if monday + dt.timedelta(days=6) >= first:
            weeks.append(monday)
        monday += dt.timedelta(days=7)
    top = ax.secondary_xaxis("top")
    top.xaxis.set_major_locator(FixedLocator([day_number(m) + 3.5 for m in weeks]))
    top.set_xticklabels([str(term.week_of(m)) for m in weeks], fontsize=MIN_TEXT_SIZE)
    top.tick_params(length=0)
    top.set_xlabel(tr("teaching week"), fontsize=8, **label_font().props_in(lang))


def shade_calendar(ax: Axes, instance: Instance, first: dt.date, last: dt.date) -> None:
    """Shade weekends (grey) and holidays (red), leaving adjusted workdays white."""
    holidays = {h.date for h in instance.holidays}
    adjusted = {a.date for a in instance.adjusted_workdays}
    day = first
    while day <= last:
        x = day_number(day)
        if day in holidays:
            ax.axvspan(x, x + 1, color=HOLIDAY_COLOR, zorder=0, linewidth=0, gid="holiday")
        elif day.weekday() >= 5 and day not in adjusted:
            ax.axvspan(x, x + 1, color=WEEKEND_COLOR, zorder=0, linewidth=0, gid="weekend")
        day += dt.timedelta(days=1)


def calendar_handles(lang: Language = "en") -> list[Patch]:
    """Legend entries for the calendar shading."""
    tr = translator(lang)
    return [Patch(color=HOLIDAY_COLOR, label=tr("holiday")),
            Patch(color=WEEKEND_COLOR, label=tr("weekend"))]


def meeting_bar(ax: Axes, row: int, meeting: Meeting, periods: int, color: str) -> Rectangle:
    """A meeting drawn in its row on its date, placed vertically by its periods (morning at
    the top of the row), so one row shows the time of day too."""
    top = row - ROW_HEIGHT / 2 + (meeting.first_period - 1) / periods * ROW_HEIGHT
    height = meeting.length / periods * ROW_HEIGHT
    bar = Rectangle((day_number(meeting.date) + 0.1, top), 0.8, height, facecolor=color,
                    edgecolor="#333333", linewidth=0.3, zorder=3, gid="meeting")
    ax.add_patch(bar)
    return bar


def row_band(ax: Axes, row: int, start: dt.date, end: dt.date, color: str, gid: str,
             hatch: str | None = None) -> Rectangle:
    """A band across a row from ``start`` to ``end`` (both days included)."""
    band = Rectangle((day_number(start), row - ROW_HEIGHT / 2 - 0.05),
                     (end - start).days + 1, ROW_HEIGHT + 0.1, facecolor=color,
                     edgecolor="#6fa8dc" if hatch is None else "#9fc5e8", linewidth=0.6,
                     hatch=hatch, zorder=1, gid=gid)
    ax.add_patch(band)
    return band


TITLE_SHARE = 0.75
"""The share of a figure's width a title may take (row labels and margins take the rest)."""


def fitted_title(ax: Axes, text: str, fontsize: float) -> str:
    """``text`` in lines that fit the figure's width at ``fontsize`` points: a trilingual
    title (``English / 中文 / Русский``) one language a line when it is too long, and any
    line still too long wrapped at spaces (the end of a long title was cut at the edge)."""
    return title_fitting(figure_of(ax).get_figwidth(), text, fontsize)


def title_fitting(width: float, text: str, fontsize: float) -> str:
    """:func:`fitted_title` for a figure ``width`` inches wide (before it is made)."""
    columns = max(20, int(width * TITLE_SHARE * 72 / (fontsize * 0.6)))
    lines = []
    for line in text.split("\n"):
        parts = line.split(" / ") if display_width(line) > columns else [line]
        for part in parts:
            lines += wrap_text(part, columns)
    return "\n".join(lines)


def figure_of(ax: Axes) -> Figure:
    """The whole figure that holds ``ax`` (also when ``ax`` sits in a sub-figure)."""
    figure = ax.figure
    return figure.figure if isinstance(figure, SubFigure) else figure


def rows_axis(ax: Axes, labels: list[str], font: dict[str, Any],
              lang: Language = "en") -> None:
    """One row per label, first row on top (a note instead when there are no rows)."""
    if not labels:
        ax.set_ylim(0.5, -0.5)
        ax.set_yticks([])
        tr = translator(lang)
        ax.text(0.5, 0.5, tr("no meetings"), transform=ax.transAxes,
                ha="center", va="center", color="#666666", **font)
        return
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=8, **font)
    ax.tick_params(axis="y", length=0)

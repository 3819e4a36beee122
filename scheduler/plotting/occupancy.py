"""The room-occupancy heat map: rooms down, teaching weeks (or weekday and period) across."""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes

from scheduler.i18n import Language, Translator, translator
from scheduler.instance import Instance
from scheduler.plotting._common import MIN_TEXT_SIZE, fitted_title, new_axes, term_dates
from scheduler.plotting.fonts import label_font
from scheduler.timetable import Timetable
from scheduler.views.occupancy import OccupancyView, room_occupancy


def _week_heading(instance: Instance, column: str, tr: Translator) -> str:
    """A teaching week's column: its number over its Monday's short date."""
    if not column.isdigit():
        return column
    monday = instance.term.week1_monday + dt.timedelta(weeks=int(column) - 1)
    return f"{column}\n{tr.brief.short_date(monday)}"


def plot_room_occupancy(instance: Instance, timetable: Timetable, view: OccupancyView = "week",
                        rooms: tuple[str, ...] | None = None, ax: Axes | None = None,
                        lang: Language = "en") -> Axes:
    """Heat map of the share of each room's teaching periods used, by teaching week
    (``view="week"``, each cell labelled in percent) or by weekday and period
    (``view="slot"``, the share of weeks in which that period is used); labelled in
    ``lang``."""
    font = label_font()
    tr = translator(lang)
    data = room_occupancy(instance, timetable, view, rooms, lang=lang)
    values = np.array([[np.nan if v is None else v for v in row] for row in data.values],
                      dtype=float).reshape(len(data.rooms), len(data.columns))
    if ax is None:
        width = 3.5 + (0.5 if view == "week" else 0.16) * len(data.columns)
        ax = new_axes(min(max(width, 8), 18), 1.5 + 0.38 * max(len(data.rooms), 1))
    cmap = colormaps["YlOrRd"].with_extremes(bad="#dddddd")
    # one quad per cell (an image would be resampled at the size of the whole picture,
    # gigabytes for the hundreds of rooms of a large term)
    image = ax.pcolormesh(np.arange(len(data.columns) + 1) - 0.5,
                          np.arange(len(data.rooms) + 1) - 0.5,
                          np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=1)
    ax.set_ylim(len(data.rooms) - 0.5, -0.5)
    labels = []
    for room_id in data.rooms:
        room = instance.room_by_id.get(room_id)
        text = f"{room_id} ({room.capacity}, {room.room_type})" if room else room_id
        labels.append(font.label(text, room_id))
    ax.set_yticks(range(len(data.rooms)))
    ax.set_yticklabels(labels, fontsize=8, **font.props())
    if view == "week":
        ax.set_xticks(range(len(data.columns)))
        ax.set_xticklabels([_week_heading(instance, column, tr) for column in data.columns],
                           fontsize=MIN_TEXT_SIZE, **font.props_in(lang))
        ax.set_xlabel(tr("teaching week (its Monday)") + " · " + term_dates(instance, lang),
                      **font.props_in(lang))
        for (r, c), v in np.ndenumerate(values):
            if not np.isnan(v) and v > 0:
                ax.text(c, r, tr.percent(v), ha="center", va="center", fontsize=MIN_TEXT_SIZE,
                        color="white" if v > 0.6 else "#333333")
    else:
        days = list(dict.fromkeys(c.split()[0] for c in data.columns))
        per_day = len(data.columns) // max(len(days), 1)
        ax.set_xticks(range(len(data.columns)))
        ax.set_xticklabels([c.split()[1] for c in data.columns], fontsize=MIN_TEXT_SIZE)
        ax.set_xlabel(tr("period") + " · " + term_dates(instance, lang), **font.props_in(lang))
        for i in range(1, len(days)):
            ax.axvline(i * per_day - 0.5, color="#333333", linewidth=1)
        top = ax.secondary_xaxis("top")
        top.set_xticks([(i + 0.5) * per_day - 0.5 for i in range(len(days))], days,
                       fontsize=9, **font.props_in(lang))
        top.tick_params(length=0)
    ax.tick_params(length=0)
    title = tr("Room occupancy by teaching week — {term}") if view == "week" else \
        tr("Room occupancy by weekday and period (share of teaching weeks) — {term}")
    ax.set_title(fitted_title(ax, title.format(term=font.label(instance.term.name, "term")),
                              11), fontsize=11, loc="left", pad=18 if view == "slot" else 6,
                 **font.props())
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.ax.yaxis.set_major_formatter(lambda v, _: tr.percent(v))
    if lang != "en":  # the labels' font, as every other text in the reader's language
        bar.ax.tick_params(labelfontfamily=font.props()["fontfamily"])
    bar.set_label(tr("share of periods used"), fontsize=8, **font.props_in(lang))
    return ax

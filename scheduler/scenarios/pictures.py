"""Pictures of a comparison: meetings moved per week, and the visitors' Gantt charts of the base
and the scenario one above the other; the cost of each delay in a sweep; a study's figures
along a numeric axis, or as a heat map over two axes."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scheduler.plotting._common import fitted_title, title_fitting
from scheduler.plotting.visitors import plot_visitors
from scheduler.scenarios.compare import Comparison
from scheduler.timetable import Timetable


def plot_moved_per_week(comparison: Comparison, ax: Axes) -> Axes:
    """Bars: baseline meetings moved, by the teaching week they were in."""
    weeks = comparison.moved_per_week()
    last = max([comparison.base_instance.term.week_of(comparison.base_instance.term.last_date),
                *weeks], default=1)
    xs = list(range(1, last + 1))
    ax.bar(xs, [weeks.get(w, 0) for w in xs], color="#e06666")
    ax.set_xticks(xs)
    ax.tick_params(labelsize=8)
    ax.set_xlabel("teaching week", fontsize=8)
    ax.set_ylabel("meetings moved", fontsize=8)
    how = "minimal change" if comparison.minimal_change else "fresh solve"
    ax.set_title(f"{comparison.scenario.name}: {comparison.moved_meetings} meetings moved "
                 f"({how})", fontsize=10, loc="left")
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    return ax


def plot_comparison(comparison: Comparison) -> Figure:
    """Moved meetings per week on top, then the visiting teachers' term Gantt charts of the
    base and of the scenario (its partial timetable when relaxed, its trips alone when it has
    none)."""
    teachers = [t.id for t in comparison.base_instance.teachers
                if t.visiting or comparison.base_instance.windows_of(t.id)]
    rows = 0.75 * max(len(teachers), 1) + 1.6
    figure = Figure(figsize=(14, 2.6 + 2 * rows), layout="constrained")
    top, base_ax, scenario_ax = figure.subplots(
        3, 1, gridspec_kw={"height_ratios": [2.2, rows, rows]})
    plot_moved_per_week(comparison, top)
    base_tt = comparison.base.timetable or Timetable(())
    plot_visitors(comparison.base_instance, base_tt, teachers, ax=base_ax)
    base_ax.set_title(f"Base — {comparison.base.verdict()}", fontsize=10, loc="left")
    side = comparison.changed
    plot_visitors(comparison.instance, side.timetable or Timetable(()), teachers,
                  ax=scenario_ax)
    scenario_ax.set_title(f"Scenario: {comparison.scenario.name} — {side.verdict()}",
                          fontsize=10, loc="left")
    return figure


def plot_sweep_costs(series: Mapping[str, Sequence[tuple[int, int | None]]],
                     title: str) -> Figure:
    """One line per teacher: the cost change of each delay (gaps where infeasible)."""
    figure = Figure(figsize=(9, 4.5), layout="constrained")
    ax = figure.add_subplot()
    for index, (label, points) in enumerate(series.items()):
        xs = [d for d, _ in points]
        ys = [float("nan") if c is None else c for _, c in points]
        (line,) = ax.plot(xs, ys, marker="o", label=label)
        bad = [d + 0.25 * (index - (len(series) - 1) / 2) for d, c in points if c is None]
        if bad:  # side by side, in the teacher's colour
            ax.plot(bad, [0] * len(bad), marker="x", markersize=8, linestyle="none",
                    color=line.get_color())
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_xlabel("arrival delay (days)")
    ax.set_ylabel("objective change (quality terms)")
    ax.set_title(title + "  (× = no timetable)", fontsize=10, loc="left")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(color="#eeeeee")
    return figure


Series = Mapping[str, Sequence[tuple[float, float | None]]]
"""Lines by label: (x, y) points, ``None`` where a scenario has no value (no timetable)."""


def _lines(series: Series, ax: Axes) -> None:
    """One line per label; × at 0 where a point has no value, side by side in the line's
    colour."""
    colours = colormaps["tab20"] if len(series) > 10 else colormaps["tab10"]
    xs = sorted({x for points in series.values() for x, _ in points})
    step = min((b - a for a, b in itertools.pairwise(xs)), default=1.0)
    for index, (label, points) in enumerate(series.items()):
        colour = colours(index % colours.N)
        ax.plot([x for x, _ in points], [math.nan if y is None else y for _, y in points],
                marker="o", markersize=4, label=label, color=colour)
        shift = 0.5 * step * (index - (len(series) - 1) / 2) / max(len(series), 1)
        bad = [x + shift for x, y in points if y is None]
        if bad:
            ax.plot(bad, [0] * len(bad), marker="x", markersize=7, linestyle="none",
                    color=colour)
    if len(xs) <= 30:
        ax.set_xticks(xs, [f"{x:g}" for x in xs])
    ax.grid(color="#eeeeee")


def plot_study_lines(cost: Series, moved: Series, axis: str, title: str,
                     by: str = "") -> Figure:
    """Two panels along a numeric axis (e.g. an arrival delay): the objective change and the
    meetings moved, one line per level of the other axis ``by`` (× = no timetable)."""
    figure = Figure(figsize=(11, 7.5), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    _lines(cost, top)
    top.axhline(0, color="#999999", linewidth=0.8)
    top.set_ylabel("objective change (quality terms)")
    top.set_title(title + "  (× = no timetable)", fontsize=10, loc="left")
    _lines(moved, bottom)
    bottom.set_ylabel("meetings moved")
    bottom.set_xlabel(axis)
    if len(cost) > 1:
        figure.legend(*top.get_legend_handles_labels(), loc="outside right upper",
                      fontsize=7, frameon=False, ncols=1 if len(cost) <= 25 else 2,
                      title=by or None, title_fontsize=8)
    return figure


def plot_heatmap(values: Sequence[Sequence[float | None]], rows: Sequence[str],
                 columns: Sequence[str], row_axis: str, column_axis: str, label: str,
                 title: str, ax: Axes | None = None) -> Axes:
    """A figure of each scenario over two axes (rows and columns), written in each cell when
    the grid is small; grey where there is no value (no timetable, failed or not run)."""
    if ax is None:
        width = min(18.0, 3 + 0.7 * len(columns))
        lines = title_fitting(width, title + "  (grey = no value)", 10).count("\n") + 1
        figure = Figure(figsize=(width, min(14.0, 2.0 + 0.2 * lines + 0.45 * len(rows))),
                        layout="constrained")  # room for every line of the title
        ax = figure.add_subplot()
    grid = [[math.nan if v is None else float(v) for v in row] for row in values]
    cmap = colormaps["RdYlGn_r"].with_extremes(bad="#dddddd")
    image = ax.imshow(grid, cmap=cmap, aspect="auto", interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label=label, shrink=0.8)
    ax.set_xticks(range(len(columns)), list(columns), rotation=45 if len(columns) > 6 else 0,
                  ha="right" if len(columns) > 6 else "center", fontsize=8)
    ax.set_yticks(range(len(rows)), list(rows), fontsize=8)
    ax.set_xlabel(column_axis)
    ax.set_ylabel(row_axis)
    # wrapped to the part of the figure's width a title may take (the row labels and the
    # colour bar take the rest): a narrow grid of a few columns cut a long title off
    ax.set_title(fitted_title(ax, title + "  (grey = no value)", 10), fontsize=10, loc="left")
    if len(rows) * len(columns) <= 400:
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if not math.isnan(value):
                    ax.text(c, r, f"{value:,.0f}", ha="center", va="center", fontsize=7)
    return ax

"""Pictures of a comparison: meetings moved per week, and the visitors' Gantt charts of the base
and the scenario one above the other; the cost of each delay in a sweep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

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

"""A study's results written out: the results table, ``study.json`` and ``study.png``.

The picture follows the study's axes: along a numeric axis (an arrival delay, say) with at
most one other, the objective change and the meetings moved, one line per level of the other
axis; otherwise a heat map of the study's figure over its first two axes (the mean over any
further axis), or over the scenarios when they have no axes.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from scheduler.atomic import write_text_atomic
from scheduler.instance import Instance
from scheduler.plotting.files import save_figure
from scheduler.scenarios.pictures import plot_heatmap, plot_study_lines
from scheduler.scenarios.study import FIGURES
from scheduler.scenarios.study_store import StudyResult, StudyRow, StudyStore


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def axis_levels(result: StudyResult, axis: str) -> list[str]:
    """The levels of an axis in the study's order (numeric levels sorted)."""
    levels = list(dict.fromkeys(level for item in result.study.scenarios
                                for name, level in item.at if name == axis))
    if all(_number(level) is not None for level in levels):
        levels.sort(key=lambda level: _number(level) or 0.0)
    return levels


def _series(rows: Sequence[StudyRow], x_axis: str, by: str | None,
            figure: str) -> dict[str, list[tuple[float, float | None]]]:
    series: dict[str, list[tuple[float, float | None]]] = {}
    for row in rows:
        x = _number(row.level(x_axis) or "")
        if x is None:
            continue
        label = (row.level(by) or "") if by else "all"
        series.setdefault(label, []).append((x, row.figure(figure)))
    return {label: sorted(points, key=lambda p: p[0]) for label, points in series.items()}


def study_picture(result: StudyResult) -> Figure | None:
    """The study's picture (``None`` when nothing has finished)."""
    study, rows = result.study, result.rows
    if not rows:
        return None
    axes = list(study.axes)
    numeric = [a for a in axes if all(_number(level) is not None
                                      for level in axis_levels(result, a))]
    if numeric and len(axes) <= 2:
        x_axis = numeric[-1]
        by = next((a for a in axes if a != x_axis), None)
        return plot_study_lines(_series(rows, x_axis, by, "cost_change"),
                                _series(rows, x_axis, by, "moved"), x_axis,
                                f"{study.name}: against {x_axis}", by or "")
    if axes:
        row_axis, column_axis = (axes[0], axes[1]) if len(axes) > 1 else ("", axes[0])
        row_levels = axis_levels(result, row_axis) if row_axis else [""]
        column_levels = axis_levels(result, column_axis)
    else:
        row_axis, column_axis = "", "scenario"
        row_levels, column_levels = [""], [row.scenario for row in rows]
    cells: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        place = ((row.level(row_axis) or "") if row_axis else "",
                 row.level(column_axis) or "" if axes else row.scenario)
        value = row.figure(study.figure)
        if value is not None:
            cells.setdefault(place, []).append(value)
    values = [[statistics.fmean(cells[(r, c)]) if (r, c) in cells else None
               for c in column_levels] for r in row_levels]
    title = f"{study.name}: {FIGURES[study.figure]}"
    if len(axes) > 2:
        title += f" (mean over {', '.join(axes[2:])})"
    heatmap = plot_heatmap(values, row_levels, column_levels, row_axis, column_axis,
                           FIGURES[study.figure], title).figure
    assert isinstance(heatmap, Figure)  # made by plot_heatmap
    return heatmap


def write_study(result: StudyResult, instance: Instance, outdir: str | Path) -> tuple[Path, ...]:
    """Write ``results.csv``, ``results.xlsx``, ``study.json`` and ``study.png`` (when a
    scenario has finished) into ``outdir``; return their paths."""
    outdir = Path(outdir)
    paths = list(StudyStore(outdir).write_table(result.rows, result.study.axes,
                                                instance.weights.names()))
    write_text_atomic(outdir / "study.json", json.dumps(result.as_dict(), ensure_ascii=False,
                                                        indent=2) + "\n")
    paths.append(outdir / "study.json")
    picture = study_picture(result)
    if picture is not None:
        paths += save_figure(picture, outdir, "study", ("png",))
    return tuple(paths)

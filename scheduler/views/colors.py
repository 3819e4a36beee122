"""Course colours, distinct within one view and alike in the workbook and the pictures."""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.instance import Instance

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363",
)
"""Distinct, print-safe colours (matplotlib's tab10 followed by darker tab20b/c shades)."""


def lighten(color: str, amount: float = 0.7) -> str:
    """Mix a ``#rrggbb`` colour with white (``amount`` 0 keeps it, 1 gives white)."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def course_colors(instance: Instance, course_ids: Iterable[str] | None = None) -> dict[str, str]:
    """A strong colour per course, given in course order (cycling after 20 courses).

    With ``course_ids`` only those courses are coloured, so that the courses of one view (a
    cohort's week, the visitors' chart) get distinct colours; the same view gets the same
    colours in the workbook and in the pictures.
    """
    wanted = None if course_ids is None else set(course_ids)
    chosen = [c.id for c in instance.courses if wanted is None or c.id in wanted]
    return {course_id: PALETTE[i % len(PALETTE)] for i, course_id in enumerate(chosen)}


def course_color(colors: dict[str, str], course_id: str) -> str:
    """The colour of a course, grey for a course the instance does not know."""
    return colors.get(course_id, "#999999")

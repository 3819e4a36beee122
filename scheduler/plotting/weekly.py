"""The weekly timetable picture of a cohort (or teacher, room), as students would pin it up."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from scheduler.i18n import Language, translator, weekday_header
from scheduler.instance import Instance
from scheduler.plotting._common import MIN_TEXT_SIZE, figure_of, new_axes, term_dates, title_fitting
from scheduler.plotting.fonts import LabelFont, label_font
from scheduler.timetable import Timetable
from scheduler.views.colors import course_color, course_colors, lighten
from scheduler.views.grids import GridCell, WeeklyGrid, weekly_grid
from scheduler.views.subjects import SubjectKind
from scheduler.views.text import wrap_text

A4_LANDSCAPE = (11.69, 8.27)
SESSION_COLORS = {"morning": "#ffffff", "afternoon": "#fbfbf4", "evening": "#f3f3f8"}
MIXED_COLOR = "#fff2cc"
_GAP = 0.04


_SIZE = MIN_TEXT_SIZE
_LEFT, _RIGHT, _TOP, _BOTTOM = 0.07, 0.99, 0.88, 0.08
"""The axes' place on the figure (fractions of its width and height)."""
_TITLE_LINE = 12 * 1.4 / 72
"""Inches a line of the 12-point title takes (line spacing 1.4)."""
_MAX_HEIGHT = 2 * A4_LANDSCAPE[1]
"""The tallest picture: crowded weeks grow the page up to twice A4 landscape's height."""


def _wrapped(cell: GridCell, grid: WeeklyGrid, font: LabelFont, width_in: float) -> list[str]:
    """The cell's text in lines of 7-point text that fit its box's width."""
    text = cell.text(grid.kind, brief_intensive=True, lang=grid.language)
    columns = int(width_in * 72 / (0.52 * _SIZE))
    return [w for line in text.split("\n") for w in wrap_text(font.label(line, ""), columns)]


def _lines_fit(height_in: float) -> int:
    return int(height_in * 72 / (1.22 * _SIZE))


def _cell_text(cell: GridCell, grid: WeeklyGrid, font: LabelFont, width_in: float,
               height_in: float) -> str:
    """The cell's text wrapped to its box in 7-point text; lines that do not fit are cut
    with an ellipsis (the page grows first, see :func:`_page_height`)."""
    wrapped = _wrapped(cell, grid, font, width_in)
    room = _lines_fit(height_in)
    if len(wrapped) > room:
        wrapped = [*wrapped[:max(room - 1, 1)], "…"]
    return "\n".join(wrapped)


def _page_height(grid: WeeklyGrid, font: LabelFont) -> float:
    """Inches of the page: A4 landscape's, or taller (up to :data:`_MAX_HEIGHT`) where a
    cell's text needs more room at 7 points."""
    row_of = {p.number: i for i, p in enumerate(grid.periods)}
    days, periods = max(len(grid.weekdays), 1), max(len(grid.periods), 1)
    col_in = A4_LANDSCAPE[0] * (_RIGHT - _LEFT) / days * (1 - 4 * _GAP)
    row_in = A4_LANDSCAPE[1] * (_TOP - _BOTTOM) / periods
    for cell in grid.cells:
        if cell.first_period in row_of and cell.last_period in row_of:
            span = row_of[cell.last_period] - row_of[cell.first_period] + 1
            lines = len(_wrapped(cell, grid, font, col_in))
            row_in = max(row_in, (lines * 1.22 * _SIZE / 72 + 0.05) / (span - 3 * _GAP))
    return min(_MAX_HEIGHT, max(A4_LANDSCAPE[1], row_in * periods / (_TOP - _BOTTOM)))


def plot_weekly_timetable(instance: Instance, timetable: Timetable, subject_id: str,
                          kind: SubjectKind = "cohort", lang: Language = "en",
                          ax: Axes | None = None) -> Axes:
    """Days across, periods down: one box per course slot (a box spans the periods of its
    meetings) with the course, its weeks, room, teacher and interpreter (intensive meetings
    briefly: course, dates and room); holidays and adjusted workdays noted underneath. Sized
    for an A4 landscape page; labelled in ``lang``."""
    font = label_font()
    grid = weekly_grid(instance, timetable, kind, subject_id, lang)
    title = title_fitting(A4_LANDSCAPE[0], font.label(grid.title, f"{kind} {subject_id}"), 12)
    if ax is None:
        height = _page_height(grid, font)
        ax = new_axes(A4_LANDSCAPE[0], height, constrained=False)
        # a title of several lines (one per language) takes room from the grid, not the page
        top = (1 - _TOP) * 8.27 + _TITLE_LINE * title.count("\n")
        ax.figure.subplots_adjust(left=_LEFT, right=_RIGHT, top=1 - top / height,
                                  bottom=_BOTTOM * 8.27 / height)
    days, periods = len(grid.weekdays), len(grid.periods)
    ax.set_xlim(0, days)
    ax.set_ylim(periods, 0)
    row_of = {p.number: i for i, p in enumerate(grid.periods)}
    col_of = {wd: i for i, wd in enumerate(grid.weekdays)}
    for i, p in enumerate(grid.periods):
        ax.axhspan(i, i + 1, color=SESSION_COLORS.get(p.session, "#ffffff"), zorder=0,
                   linewidth=0)
        if i and p.session != grid.periods[i - 1].session:
            ax.axhline(i, color="#555555", linewidth=1.2, zorder=1)
    for i in range(1, days):
        ax.axvline(i, color="#cccccc", linewidth=0.6, zorder=1)

    box = ax.get_position()
    fig_w, fig_h = figure_of(ax).get_size_inches()
    col_in, row_in = box.width * fig_w / days, box.height * fig_h / periods
    colors = course_colors(instance, (e.course_id for c in grid.cells for e in c.entries))
    for cell in grid.cells:
        if cell.first_period not in row_of or cell.last_period not in row_of:
            continue
        x, top = col_of[cell.weekday], row_of[cell.first_period]
        span = row_of[cell.last_period] - top + 1
        courses = {e.course_id for e in cell.entries}
        color = (lighten(course_color(colors, cell.entries[0].course_id), 0.72)
                 if len(courses) == 1 else MIXED_COLOR)
        edge = course_color(colors, cell.entries[0].course_id) if len(courses) == 1 \
            else "#bf9000"
        ax.add_patch(FancyBboxPatch(
            (x + _GAP, top + _GAP), 1 - 2 * _GAP, span - 2 * _GAP,
            boxstyle="round,pad=0,rounding_size=0.03", facecolor=color, edgecolor=edge,
            linewidth=0.8, zorder=2, gid="cell", mutation_aspect=periods / days / 2))
        text = _cell_text(cell, grid, font, col_in * (1 - 4 * _GAP),
                          row_in * (span - 3 * _GAP))
        ax.text(x + 2 * _GAP, top + 1.5 * _GAP, text, ha="left", va="top", fontsize=_SIZE,
                zorder=3, clip_on=True, linespacing=1.1, **font.props())

    ax.xaxis.tick_top()
    ax.set_xticks([i + 0.5 for i in range(days)])
    # bold only in matplotlib's own font: the Chinese font has a regular weight alone
    ax.set_xticklabels([_weekday_heading(wd, lang, font) for wd in grid.weekdays], fontsize=9,
                       fontweight="normal" if font.family else "bold", **font.props())
    ax.set_yticks([i + 0.5 for i in range(periods)])
    ax.set_yticklabels([f"{p.number}\n{p.start:%H:%M}" for p in grid.periods], fontsize=7)
    ax.tick_params(length=0)
    ax.set_title(title + "\n" + term_dates(instance, lang), fontsize=12, loc="left", pad=22,
                 linespacing=1.4, **font.props())
    notes = _notes(instance, font, lang)
    if notes:
        ax.text(0, -0.015, notes, transform=ax.transAxes, ha="left", va="top", fontsize=7,
                color="#444444", **font.props())
    return ax


def _weekday_heading(weekday: int, lang: Language, font: LabelFont) -> str:
    """The weekday's column heading; without a Chinese font, English headings keep to
    English (``Mon``) and others fall back to it where their glyphs are missing."""
    english = translator("en").weekday(weekday)
    if font.family is None and lang == "en":
        return english
    return font.label(weekday_header(weekday, lang), english)


def _notes(instance: Instance, font: LabelFont, lang: Language) -> str:
    """Holidays and adjusted workdays of the term, one line each."""
    tr = translator(lang).brief
    parts = []
    if instance.holidays:
        parts.append(tr("Holidays: {holidays}").format(holidays=tr.pgettext("notes", "; ").join(
            font.label(f"{tr.short_date(h.date)} {h.name}".strip(), tr.short_date(h.date))
            for h in instance.holidays)))
    adjusted = []
    for a in instance.adjusted_workdays:
        facts = {"weekday": tr.weekday(a.date.weekday()), "date": tr.short_date(a.date),
                 "follows": tr.weekday(a.follows_weekday), "week": a.follows_week}
        message = (tr("{weekday} {date} holds {follows}") if a.follows_week is None
                   else tr("{weekday} {date} holds {follows} of week {week}"))
        adjusted.append(message.format(**facts))
    if adjusted:
        parts.append(tr("Adjusted workdays: {days}").format(
            days=tr.pgettext("notes", "; ").join(adjusted)))
    return "\n".join(parts)

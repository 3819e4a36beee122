"""The term Gantt chart of one cohort, teacher or room: its courses over the dated term."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from scheduler.i18n import Language, translator
from scheduler.instance import Instance
from scheduler.plotting._common import (
    WINDOW_COLOR,
    calendar_handles,
    date_axis,
    fitted_title,
    meeting_bar,
    new_axes,
    row_band,
    rows_axis,
    shade_calendar,
)
from scheduler.plotting.fonts import label_font, legend_font
from scheduler.timetable import Timetable
from scheduler.views.colors import course_color, course_colors
from scheduler.views.grids import grid_title
from scheduler.views.subjects import SubjectKind, attending_group, course_name, meetings_of


def _wrap(text: str, width: int = 34) -> str:
    """Break a long course name over at most two lines."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    cut = cut if cut > 0 else width
    rest = text[cut:].strip()
    return text[:cut].rstrip() + "\n" + (rest if len(rest) <= width else rest[:width - 1] + "…")


def plot_term_gantt(instance: Instance, timetable: Timetable, kind: SubjectKind,
                    subject_id: str, ax: Axes | None = None, lang: Language = "en") -> Axes:
    """One row per course of a cohort, teacher or room over the term: one bar per meeting,
    placed by its periods within the row; the travel windows of the visiting teachers of each
    course shaded in its row; weekends and holidays shaded, dates along the axis; labelled
    in ``lang``. The planned trips come with the timetable (``timetable.trips``)."""
    instance = instance.with_trips(timetable.trips)
    font = label_font()
    tr = translator(lang)
    meetings = meetings_of(instance, timetable, kind, subject_id)
    course_ids = [c.id for c in instance.courses if any(m.course_id == c.id for m in meetings)]
    course_ids += sorted({m.course_id for m in meetings} - set(course_ids))
    if ax is None:
        ax = new_axes(14, 1.6 + 0.55 * max(len(course_ids), 1))
    colors = course_colors(instance, course_ids)
    periods = max((p.number for p in instance.periods), default=1)
    first, last = instance.term.first_date, instance.term.last_date
    shade_calendar(ax, instance, first, last)
    row_of = {course_id: row for row, course_id in enumerate(course_ids)}
    windows = False
    for course_id, row in row_of.items():
        course = instance.course_by_id.get(course_id)
        for teacher_id in course.teachers if course else ():
            for window in instance.windows_of(teacher_id):
                row_band(ax, row, window.arrival, window.departure, WINDOW_COLOR,
                         "travel-window")
                windows = True
    for meeting in meetings:
        meeting_bar(ax, row_of[meeting.course_id], meeting, periods,
                    course_color(colors, meeting.course_id))
    labels = []
    for course_id in course_ids:
        course = instance.course_by_id.get(course_id)
        name = _wrap(font.label(course_name(instance, course_id, lang), course_id))
        group = attending_group(instance, course, subject_id) if course and kind == "cohort" \
            else None
        labels.append(f"{name}\n[{group}]" if group else name)
    rows_axis(ax, labels, font.props(), lang)
    date_axis(ax, instance, first, last, lang)
    title = font.label(grid_title(instance, kind, subject_id, lang), f"{kind} {subject_id}")
    ax.set_title(fitted_title(ax, title, 11), fontsize=11, loc="left", **font.props())
    handles = calendar_handles(lang)
    if windows:
        handles.insert(0, Patch(facecolor=WINDOW_COLOR, edgecolor="#6fa8dc",
                                label=font.label(tr("visiting teacher in Chongqing"))))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
              prop=legend_font(font, lang, 7))
    return ax

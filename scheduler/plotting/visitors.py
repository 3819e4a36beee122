"""The term Gantt chart of the visiting teachers: trips, meetings and holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from scheduler.calendar import TermCalendar
from scheduler.instance import Instance
from scheduler.plotting._common import (
    WINDOW_COLOR,
    calendar_handles,
    date_axis,
    day_number,
    meeting_bar,
    new_axes,
    row_band,
    rows_axis,
    shade_calendar,
)
from scheduler.plotting.fonts import label_font
from scheduler.timetable import Timetable
from scheduler.views.colors import course_color, course_colors
from scheduler.views.visitors import trip_facts

TRAVEL_DAY_COLOR = "#eaf2fa"


def plot_visitors(instance: Instance, timetable: Timetable,
                  teachers: Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """One row per visiting teacher over the term: travel windows shaded (travel days
    hatched), one bar per meeting coloured by course and placed by its periods within the
    row, weekends and holidays shaded, dates along the axis; each trip is labelled with its
    teaching days and periods."""
    font = label_font()
    ids = list(teachers) if teachers is not None else [
        t.id for t in instance.teachers if t.visiting or instance.windows_of(t.id)]
    if ax is None:
        ax = new_axes(14, 1.6 + 0.75 * max(len(ids), 1))
    colors = course_colors(instance, (c.id for c in instance.courses
                                      if set(c.teachers) & set(ids)))
    periods = max((p.number for p in instance.periods), default=1)
    first, last = instance.term.first_date, instance.term.last_date
    for w in instance.travel_windows:
        if w.teacher_id in ids:
            first, last = min(first, w.arrival), max(last, w.departure)
    shade_calendar(ax, instance, first, last)

    facts = trip_facts(instance, timetable, TermCalendar(instance))
    used: list[str] = []
    for row, teacher_id in enumerate(ids):
        for window in instance.windows_of(teacher_id):
            row_band(ax, row, window.arrival, window.departure, WINDOW_COLOR, "travel-window")
            for day, teaches in ((window.arrival, window.teach_on_arrival),
                                 (window.departure, window.teach_on_departure)):
                if not teaches:
                    row_band(ax, row, day, day, TRAVEL_DAY_COLOR, "travel-day", hatch="///")
        courses = {c.id for c in instance.courses if teacher_id in c.teachers}
        for meeting in timetable.meetings:
            if meeting.course_id in courses:
                meeting_bar(ax, row, meeting, periods, course_color(colors, meeting.course_id))
                if meeting.course_id not in used:
                    used.append(meeting.course_id)
        for trip in facts:
            if trip.teacher_id == teacher_id:
                x = day_number(trip.window.departure + dt.timedelta(days=1)) + 0.3
                ax.text(x, row, f"{len(trip.teaching_days)} d · {trip.periods_taught} p"
                        + (f"\n{len(trip.idle_days)} idle" if trip.idle_days else ""),
                        va="center", ha="left", fontsize=7, color="#444444", clip_on=True)

    labels = [font.label(instance.teacher_by_id[t].name, t) if t in instance.teacher_by_id
              else t for t in ids]
    rows_axis(ax, labels, font.props())
    date_axis(ax, instance, first, last)
    ax.set_title(f"Visiting teachers — {font.label(instance.term.name, 'term')}",
                 fontsize=11, loc="left", **font.props())
    handles = [Patch(facecolor=WINDOW_COLOR, edgecolor="#6fa8dc", label="in Chongqing"),
               Patch(facecolor=TRAVEL_DAY_COLOR, edgecolor="#9fc5e8", hatch="///",
                     label="travel day"),
               *calendar_handles()]
    for course_id in used:
        course = instance.course_by_id.get(course_id)
        name = font.label(course.name, course_id) if course else course_id
        handles.append(Patch(color=course_color(colors, course_id), label=name))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7,
              frameon=False, prop={"family": font.families, "size": 7})
    return ax

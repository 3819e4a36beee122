"""The term Gantt chart of the visiting teachers: trips, meetings and holidays."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from scheduler.calendar import TermCalendar
from scheduler.i18n import Language, translator
from scheduler.instance import Instance, TravelWindow
from scheduler.plotting._common import (
    WINDOW_COLOR,
    calendar_handles,
    date_axis,
    day_number,
    fitted_title,
    meeting_bar,
    new_axes,
    row_band,
    rows_axis,
    shade_calendar,
)
from scheduler.plotting.fonts import label_font
from scheduler.timetable import Timetable
from scheduler.views.colors import course_color, course_colors
from scheduler.views.subjects import SubjectMeetings, course_name, teacher_name
from scheduler.views.visitors import TripFacts, trip_facts, visitor_clocks

TRAVEL_DAY_COLOR = "#eaf2fa"


def _trip_label(trip: TripFacts, lang: Language) -> str:
    """``14 d · 48 p`` (teaching days, periods) and the idle days, if any."""
    tr = translator(lang).brief
    label = tr("{days} d · {periods} p").format(days=len(trip.teaching_days),
                                                periods=trip.periods_taught)
    if trip.idle_days:
        label += "\n" + tr("{days} idle").format(days=len(trip.idle_days))
    return label


def _days_off(window: TravelWindow) -> list[tuple[dt.date, dt.date]]:
    """The travel (and rest) days at each end of a trip, as (first, last) runs."""
    first, last = window.teaching_dates()
    runs = []
    if first > window.arrival:
        runs.append((window.arrival, first - dt.timedelta(days=1)))
    if last < window.departure:
        runs.append((last + dt.timedelta(days=1), window.departure))
    return runs


def clock_note(instance: Instance, lang: Language = "en") -> str:
    """What a row's height spans, on both clocks, one a line: ``Each row, top to bottom:``,
    ``08:00-21:35 Chongqing (UTC+8)``, ``= 10:00-23:35 Vladivostok (UTC+10)``."""
    tr = translator(lang).brief
    periods = sorted(instance.periods, key=lambda p: p.number)
    if not periods:
        return ""
    day = instance.term.first_date
    times = "\n= ".join(tr("{start}-{end} {place} ({offset})").format(
        start=f"{c.time(instance, day, periods[0].start):%H:%M}",
        end=f"{c.time(instance, day, periods[-1].end):%H:%M}", place=tr(c.place),
        offset=c.utc_offset(day)) for c in visitor_clocks(instance))
    return tr("Each row, top to bottom:") + "\n" + times


def plot_visitors(instance: Instance, timetable: Timetable,
                  teachers: Sequence[str] | None = None, ax: Axes | None = None,
                  lang: Language = "en") -> Axes:
    """One row per visiting teacher over the term: travel windows (given or planned) shaded
    (travel and rest days hatched), one bar per meeting coloured by course and placed by its
    periods within the row, weekends and holidays shaded, dates along the axis; each trip is
    labelled with its teaching days and periods; the row's span of the day in Chongqing and
    Vladivostok time. Labelled in ``lang``. The planned trips come with the timetable
    (``timetable.trips``)."""
    instance = instance.with_trips(timetable.trips)
    font = label_font()
    tr = translator(lang)
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

    trips: dict[str, list[TripFacts]] = defaultdict(list)
    for trip in trip_facts(instance, timetable, TermCalendar(instance)):
        trips[trip.teacher_id].append(trip)
    index = SubjectMeetings(instance, timetable)
    used: list[str] = []
    for row, teacher_id in enumerate(ids):
        for window in instance.windows_of(teacher_id):
            row_band(ax, row, window.arrival, window.departure, WINDOW_COLOR, "travel-window")
            for start, end in _days_off(window):  # (first and last are the axis' dates)
                row_band(ax, row, start, end, TRAVEL_DAY_COLOR, "travel-day", hatch="///")
        for meeting in index.of("teacher", teacher_id):
            meeting_bar(ax, row, meeting, periods, course_color(colors, meeting.course_id))
            if meeting.course_id not in used:
                used.append(meeting.course_id)
        for trip in trips.get(teacher_id, ()):
            x = day_number(trip.window.departure + dt.timedelta(days=1)) + 0.3
            ax.text(x, row, _trip_label(trip, lang), va="center", ha="left", fontsize=7,
                    color="#444444", clip_on=True, **font.props_in(lang))

    labels = [font.label(teacher_name(instance, t, lang), t) for t in ids]
    rows_axis(ax, labels, font.props(), lang)
    date_axis(ax, instance, first, last, lang)
    ax.set_title(fitted_title(ax, tr("Visiting teachers — {term}").format(
        term=font.label(instance.term.name, "term")), 11), fontsize=11, loc="left",
        **font.props())
    handles = [Patch(facecolor=WINDOW_COLOR, edgecolor="#6fa8dc", label=tr("in Chongqing")),
               Patch(facecolor=TRAVEL_DAY_COLOR, edgecolor="#9fc5e8", hatch="///",
                     label=tr("travel day")),
               *calendar_handles(lang)]
    for course_id in used:
        name = font.label(course_name(instance, course_id, lang), course_id)
        handles.append(Patch(color=course_color(colors, course_id), label=name))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
              prop={"family": font.families, "size": 7}, title=clock_note(instance, lang),
              title_fontproperties={"family": font.families, "size": 7},
              alignment="left")
    return ax

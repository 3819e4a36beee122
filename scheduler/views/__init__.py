"""Views of a timetable: what the workbook, the calendars, the pictures and the report show.

A view is plain data computed from the instance and the timetable alone (no file format, no
drawing library): whom a view is about and which meetings concern them
(:mod:`~scheduler.views.subjects`), a weekly grid (:mod:`~scheduler.views.grids`), the labels
of weeks and dates (:mod:`~scheduler.views.weeks`), the facts of each visitor's trip
(:mod:`~scheduler.views.visitors`), room occupancy (:mod:`~scheduler.views.occupancy`), course
colours (:mod:`~scheduler.views.colors`) and text widths and file names
(:mod:`~scheduler.views.text`). The writers in :mod:`scheduler.exports`, the pictures in
:mod:`scheduler.plotting` and :mod:`scheduler.report` read them, so that all of them show the
same thing.
"""

from scheduler.views.colors import course_color, course_colors
from scheduler.views.grids import GridCell, GridEntry, WeeklyGrid, weekly_grid
from scheduler.views.occupancy import Occupancy, room_occupancy
from scheduler.views.subjects import SUBJECT_KINDS, SubjectKind, meetings_of, subject_ids
from scheduler.views.visitors import TripFacts, trip_facts
from scheduler.views.weeks import date_label, week_label

__all__ = [
    "SUBJECT_KINDS",
    "GridCell",
    "GridEntry",
    "Occupancy",
    "SubjectKind",
    "TripFacts",
    "WeeklyGrid",
    "course_color",
    "course_colors",
    "date_label",
    "meetings_of",
    "room_occupancy",
    "subject_ids",
    "trip_facts",
    "week_label",
    "weekly_grid",
]

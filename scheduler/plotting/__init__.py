"""Pictures of a timetable (matplotlib): Gantt charts, occupancy heat maps, weekly timetables.

Each public function takes ``(instance, timetable, ..., ax=None)`` and returns the axes it drew
on, creating a figure only when no axes are given. Figures are plain
:class:`matplotlib.figure.Figure` objects (no pyplot, no global state), saved with Agg.
"""

from scheduler.plotting.files import PICTURE_FORMATS, PLOT_KINDS, plot_timetable
from scheduler.plotting.fonts import MissingFontWarning, label_font
from scheduler.plotting.gantt import plot_term_gantt
from scheduler.plotting.occupancy import plot_room_occupancy
from scheduler.plotting.visitors import plot_visitors
from scheduler.plotting.weekly import plot_weekly_timetable

__all__ = [
    "PICTURE_FORMATS",
    "PLOT_KINDS",
    "MissingFontWarning",
    "label_font",
    "plot_room_occupancy",
    "plot_term_gantt",
    "plot_timetable",
    "plot_visitors",
    "plot_weekly_timetable",
]

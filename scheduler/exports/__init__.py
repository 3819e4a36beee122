"""Exports for people and programs: the office workbook, CSV, JSON and iCalendar files.

Only file writers live here; what they show comes from :mod:`scheduler.views`. The entry point
the command line calls is :func:`export_timetable`; :func:`write_format` writes one format into
a staging folder, for callers that write several things at once (``scheduler solve``'s
:func:`scheduler.pipeline.write_default_exports`).
"""

from scheduler.exports.calendar_ics import write_calendars
from scheduler.exports.files import EXPORT_FORMATS, export_timetable, write_format
from scheduler.exports.workbook import write_workbook

__all__ = [
    "EXPORT_FORMATS",
    "export_timetable",
    "write_calendars",
    "write_format",
    "write_workbook",
]

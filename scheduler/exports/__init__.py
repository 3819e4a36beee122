"""Exports for people and programs: the office workbook, CSV, JSON and iCalendar files.

The entry points the command line calls are :func:`export_timetable` and
:func:`write_default_exports` (see :mod:`scheduler.exports.files`). Names are loaded on first
use, so that reading a timetable (which needs only :mod:`scheduler.exports.safety`) does not
import xlsxwriter, icalendar or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.exports.calendar_ics import write_calendars
    from scheduler.exports.files import (
        EXPORT_FORMATS,
        export_timetable,
        write_default_exports,
    )
    from scheduler.exports.grids import WeeklyGrid, weekly_grid
    from scheduler.exports.visitors import TripFacts, trip_facts
    from scheduler.exports.workbook import write_workbook

_HOME = {
    "EXPORT_FORMATS": "files", "export_timetable": "files", "write_default_exports": "files",
    "write_calendars": "calendar_ics", "WeeklyGrid": "grids", "weekly_grid": "grids",
    "TripFacts": "visitors", "trip_facts": "visitors", "write_workbook": "workbook",
}
__all__ = [
    "EXPORT_FORMATS", "TripFacts", "WeeklyGrid", "export_timetable", "trip_facts",
    "weekly_grid", "write_calendars", "write_default_exports", "write_workbook",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)

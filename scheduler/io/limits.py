"""Upper limits of the input's numbers, dates and texts, each with the reason for its value.

The limits are generous (ten times or more what a real term needs) but keep every count small
enough for the solver's arithmetic, every date inside the calendar's range, and every id short
enough that the tool's own exports never shorten it. The schema applies them to its columns;
``docs/format.md`` lists them.
"""

from __future__ import annotations

import datetime as dt

MAX_SUBJECT_ID = 23
"""Ids of cohorts, teachers, rooms and interpreters (and references to them).

The timetable workbook gives each of them a grid sheet named ``<kind> <id>`` (the longest prefix
is ``teacher ``, 8 characters) and Excel allows 31 characters in a sheet name, so an id of at
most 23 characters always keeps its whole name there. The same ids name the ``.ics`` and plot
files.
"""

MAX_ID = 64
"""Other ids (courses, blocks, room types): they appear in cells only, never in sheet names."""

MAX_TEXT = 1000
"""Names, descriptions and notes (an Excel cell holds up to 32,767 characters)."""

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
"""Dates of the input (the calendar's arithmetic stays far from Python's year 1 and 9999)."""

MAX_TERM_DAYS = 366
"""Days from the first to the last teaching date, both included."""

MAX_WEEKS = 60
"""Teaching weeks: week numbers, and the week of the term's last date."""

MAX_PERIODS = 48
"""Periods of a day (a 30-minute grid around the clock), and so any period number or
length, and periods a day of a teacher, an interpreter or an intensive course."""

MAX_PERIODS_PER_WEEK = 7 * MAX_PERIODS
"""Periods a week of a teacher or an interpreter."""

MAX_MEETINGS_PER_WEEK = 50
"""Meetings a week of a weekly course."""

MAX_CONTACT_PERIODS = 2000
"""Contact periods of one course (a full-time load is about 600 a term)."""

MAX_SEATS = 5000
"""Seats of a room."""

MAX_STUDENTS = 5000
"""Chinese (or Russian) students of one cohort."""

MAX_YEAR = 10
"""Year of study."""

MAX_TRIP_DAYS = MAX_TERM_DAYS
"""Longest allowed stay of one trip."""

MAX_TRAVEL_DAYS = 7
"""Travel days at each end of a trip, and rest days after the arrival."""

MAX_TRIPS = 20
"""Trips of one visitor in a term (each is a set of CP-SAT variables)."""

MAX_WEIGHT = 1_000_000
"""A soft-constraint weight: with counts bounded as above the objective stays far below the
solver's 64-bit range."""

THRESHOLD_LIMITS: dict[str, int] = {
    "min_day_gap": 7,
    "max_consecutive_days": MAX_TERM_DAYS,
    "seat_slack_percent": 1000,
    "cohort_daily_cap": MAX_PERIODS,
}
"""Thresholds among the weights, which count days, percent or periods rather than cost."""


def weight_limit(name: str) -> int:
    """The largest value allowed for the weight or threshold ``name``."""
    return THRESHOLD_LIMITS.get(name, MAX_WEIGHT)

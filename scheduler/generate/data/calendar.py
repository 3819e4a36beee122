"""The fall 2026 term of the CQUPT–FEFU Joint Institute (DOMAIN.md): dates, the period grid,
blocks, holidays and make-up days, and the limits of visitors' trips."""

from __future__ import annotations

import datetime as dt

from scheduler.instance import AdjustedWorkday

WEEK1_MONDAY = dt.date(2026, 9, 7)
LAST_DATE = dt.date(2027, 1, 8)  # Friday of teaching week 18
EARLIEST_ARRIVAL = dt.date(2026, 9, 13)  # after the Eastern Economic Forum (early September)
LATEST_DEPARTURE = dt.date(2026, 12, 27)  # before FEFU's winter session and Russian New Year
MAX_TRIP_DAYS = 30  # a visitor's trip, arrival to departure (the 30-day visa-free stay)
TRIP_GAP_DAYS = 14  # at least two weeks at home between two trips of one visitor

PERIOD_TIMES = (
    ("08:00", "08:45", "morning"), ("08:55", "09:40", "morning"),
    ("10:15", "11:00", "morning"), ("11:10", "11:55", "morning"),
    ("14:00", "14:45", "afternoon"), ("14:55", "15:40", "afternoon"),
    ("16:15", "17:00", "afternoon"), ("17:10", "17:55", "afternoon"),
    ("19:00", "19:45", "evening"), ("19:55", "20:40", "evening"),
    ("20:50", "21:35", "evening"), ("21:45", "22:30", "evening"),
)
BLOCKS = ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (1, 4), (5, 8), (9, 11))
DAYTIME_PERIODS = 8  # periods 1-8: the day before the evening session

HOLIDAYS = (
    (dt.date(2026, 9, 25), "Mid-Autumn Festival 中秋节"),
    (dt.date(2026, 10, 1), "National Day 国庆节"),
    (dt.date(2026, 10, 2), "National Day 国庆节"),
    (dt.date(2026, 10, 5), "National Day 国庆节"),
    (dt.date(2026, 10, 6), "National Day 国庆节"),
    (dt.date(2026, 10, 7), "National Day 国庆节"),
    (dt.date(2027, 1, 1), "New Year 元旦"),
)
ADJUSTED_WORKDAYS = (
    AdjustedWorkday(dt.date(2026, 9, 20), 4, 3,
                    "Sunday make-up for Friday 2026-09-25 (Mid-Autumn)"),
    AdjustedWorkday(dt.date(2026, 10, 10), 4, 4,
                    "Saturday make-up for Friday 2026-10-02 (National Day)"),
)

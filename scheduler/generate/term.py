"""The term, period grid, blocks and holidays as an instance (enough for a calendar)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from scheduler.generate.data.calendar import (
    ADJUSTED_WORKDAYS,
    BLOCKS,
    HOLIDAYS,
    LAST_DATE,
    PERIOD_TIMES,
    WEEK1_MONDAY,
)
from scheduler.generate.data.rooms import ROOM_TYPES
from scheduler.instance import Block, Holiday, Instance, Period, Session, Term


def base_instance(name: str) -> Instance:
    """The term, grid, blocks and holidays alone (enough for :class:`TermCalendar`)."""
    periods = tuple(
        Period(i, dt.time.fromisoformat(start), dt.time.fromisoformat(end),
               cast(Session, session))
        for i, (start, end, session) in enumerate(PERIOD_TIMES, start=1)
    )
    blocks = tuple(Block(f"{a}-{b}", a, b) for a, b in BLOCKS)
    term = Term(name, WEEK1_MONDAY, LAST_DATE, WEEK1_MONDAY)
    holidays = tuple(Holiday(d, n) for d, n in HOLIDAYS)
    return Instance(term, periods, blocks, ROOM_TYPES, (), (), (), (), holidays=holidays,
                    adjusted_workdays=ADJUSTED_WORKDAYS)

"""A crowded variant of the tiny instance (tests/tiny.py), whose grids print by week."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scheduler.instance import Block, Instance, Period
from scheduler.timetable import Meeting, Timetable


def crowded(tiny: Instance) -> tuple[Instance, Timetable]:
    """Twelve periods; in both weeks every block of every weekday holds C1's mathematics
    (interpreted), in another room each week, so that the term's grid (two entries a cell)
    is too tall for a page while a week's (one entry a cell) fits."""
    t = dt.time
    periods = tuple(Period(n, t(7 + n), t(7 + n, 45), "morning" if n < 5 else
                           "afternoon" if n < 9 else "evening") for n in range(1, 13))
    blocks = tuple(Block(f"{n}-{n + 1}", n, n + 1) for n in range(1, 12, 2))
    instance = replace(tiny, periods=periods, blocks=blocks)
    meetings = [Meeting(day, first, first + 1, "W1", room, "I1")
                for week, room in ((1, "R1"), (2, "R2"))
                for day in (dt.date(2026, 9, 7) + dt.timedelta(weeks=week - 1, days=d)
                            for d in range(5) if (week, d) != (1, 4))
                for first in range(1, 12, 2)]
    return instance, Timetable(tuple(meetings))

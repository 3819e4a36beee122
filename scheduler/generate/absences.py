"""When teachers and interpreters cannot teach: meetings, conferences, delegation visits."""

from __future__ import annotations

import random
from collections.abc import Sequence

from scheduler.calendar import TeachingDay
from scheduler.generate.staff import StaffMember
from scheduler.generate.trips import Trip
from scheduler.generate.visitors import Visitor
from scheduler.instance import Interpreter, TimeMask, Unavailability, WeekRange


def staff_unavailability(rng: random.Random, staff: Sequence[StaffMember],
                         tdays: Sequence[TeachingDay]) -> list[Unavailability]:
    """A weekly meeting, a conference of a day or two, or a training programme for some."""
    found: list[Unavailability] = []
    for member in staff:
        pid = member.teacher.id
        roll = rng.random()
        if roll < 0.2:
            first, last = rng.choice(((5, 8), (1, 4)))
            found.append(Unavailability(pid, TimeMask(weekday=rng.randrange(5),
                                                      first_period=first, last_period=last),
                                        rng.choice(("Department meeting", "Lab duty",
                                                    "Research group meeting"))))
        elif roll < 0.3:
            start = rng.randrange(len(tdays) - 2)
            for d in tdays[start:start + rng.randint(1, 2)]:
                found.append(Unavailability(pid, TimeMask(date=d.date),
                                            rng.choice(("Conference in Chengdu",
                                                        "Conference in Beijing",
                                                        "Thesis defence committee"))))
        elif roll < 0.35:
            found.append(Unavailability(pid, TimeMask(weekday=rng.randrange(5),
                                                      weeks=WeekRange(1, 9)),
                                        "Teacher training programme"))
    return found


def visitor_unavailability(rng: random.Random, visitors: Sequence[Visitor],
                           trips: dict[str, tuple[Trip, ...]],
                           tdays: Sequence[TeachingDay]) -> list[Unavailability]:
    """Half a day during a trip for an online defence at FEFU, for some visitors."""
    found: list[Unavailability] = []
    for visitor in visitors:
        if rng.random() < 0.2:
            days = [i for t in trips[visitor.teacher.id] for i in t.days]
            day = tdays[rng.choice(days)].date
            first, last = rng.choice(((1, 4), (5, 8)))
            found.append(Unavailability(visitor.teacher.id,
                                        TimeMask(date=day, first_period=first, last_period=last),
                                        "Online thesis defence at FEFU"))
    return found


def interpreter_unavailability(rng: random.Random, interpreters: Sequence[Interpreter],
                               tdays: Sequence[TeachingDay]) -> list[Unavailability]:
    """A day at a delegation visit, for some interpreters."""
    return [Unavailability(i.id, TimeMask(date=rng.choice(tdays).date),
                           "Interpreting at a delegation visit")
            for i in interpreters if rng.random() < 0.25]

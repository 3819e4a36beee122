"""A tiny, hand-checkable instance and a valid timetable for it, to break one rule at a time.

Term: Mon 2026-09-07 .. Fri 2026-09-18 (two weeks). Friday 09-11 is a holiday; Sunday 09-13
holds Friday's timetable of week 1. Periods 1-4 (morning) and 5-6 (afternoon); blocks 1-2,
3-4, 5-6. FEFU visitor V1 is in Chongqing 09-13..09-18 (teaching 09-14..09-17).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import strategies as st

from scheduler.instance import (
    AdjustedWorkday,
    Block,
    Booking,
    Cohort,
    Course,
    Holiday,
    Instance,
    Interpreter,
    Period,
    Room,
    RoomType,
    Teacher,
    Term,
    TimeMask,
    TravelWindow,
    TripRule,
    Unavailability,
    WeekRange,
)
from scheduler.timetable import Meeting, Timetable

D = dt.date
RU_ZH = frozenset(("ru", "zh"))
EN_ZH = frozenset(("en", "zh"))


def tiny_instance() -> Instance:
    t = dt.time
    return Instance(
        term=Term("tiny", D(2026, 9, 7), D(2026, 9, 18), D(2026, 9, 7)),
        periods=(
            Period(1, t(8, 0), t(8, 45), "morning"),
            Period(2, t(8, 55), t(9, 40), "morning"),
            Period(3, t(10, 15), t(11, 0), "morning"),
            Period(4, t(11, 10), t(11, 55), "morning"),
            Period(5, t(14, 0), t(14, 45), "afternoon"),
            Period(6, t(14, 55), t(15, 40), "afternoon"),
        ),
        blocks=(Block("1-2", 1, 2), Block("3-4", 3, 4), Block("5-6", 5, 6)),
        holidays=(Holiday(D(2026, 9, 11), "holiday"),),
        adjusted_workdays=(AdjustedWorkday(D(2026, 9, 13), 4, 1, "make-up"),),
        room_types=(RoomType("lecture"), RoomType("lab")),
        rooms=(
            Room("R1", "A", 50, "lecture"),
            Room("R2", "B", 20, "lecture"),
            Room("L1", "A", 30, "lab"),
        ),
        bookings=(Booking("R1", TimeMask(weekday=2, first_period=1, last_period=2), "others"),),
        teachers=(
            Teacher("T1", "Li Wei 李伟", "CQUPT", ("zh", "en"), False, 6, 12),
            Teacher("T2", "Zhao Min 赵敏", "CQUPT", ("zh", "en"), False, 6, 12),
            Teacher("V1", "Иванова Е. А.", "FEFU", ("ru", "en"), True, 8, 24),
        ),
        travel_windows=(TravelWindow("V1", D(2026, 9, 13), D(2026, 9, 18)),),
        unavailability=(
            Unavailability("T1", TimeMask(weekday=1, first_period=5, last_period=6), "meeting"),
        ),
        cohorts=(
            Cohort("C1", "IoT", "UG", 1, 10, 8, ("en",)),
            Cohort("C1-A", "IoT", "UG", 1, 10, 0, ("en",), parent="C1"),
            Cohort("C1-B", "IoT", "UG", 1, 0, 8, ("en",), parent="C1"),
            Cohort("C2", "IoT", "UG", 1, 10, 0, ("en",)),
        ),
        courses=(
            Course("W1", "Mathematics", ("C1",), ("T1",), 8, 2, "weekly", "lecture", "en",
                   WeekRange(1, 2), meetings_per_week=2),
            Course("W2", "Lab A", ("C1-A",), ("T1",), 4, 2, "weekly", "lab", "en",
                   WeekRange(1, 2), meetings_per_week=1),
            Course("W3", "English", ("C2",), ("T1",), 4, 2, "weekly", "lecture", "en",
                   WeekRange(1, 2), meetings_per_week=1),
            Course("W4", "Lab B", ("C1-B",), ("T2",), 4, 2, "weekly", "lab", "en",
                   WeekRange(1, 2), meetings_per_week=1),
            Course("I1", "Linear algebra", ("C1", "C2"), ("V1",), 6, 2, "intensive", "lecture",
                   "ru", WeekRange(1, 2), max_periods_per_day=4),
        ),
        interpreters=(
            Interpreter("I1", "Chen Jing 陈静", (RU_ZH,), (0, 1, 2, 3, 4), 4),
            Interpreter("I2", "Wang Xue 王雪", (EN_ZH,), (0, 1, 2, 3, 4), 4),
        ),
    )


def m(day: int, first: int, course: str, room: str, interpreter: str | None = None,
      length: int = 2) -> Meeting:
    """A meeting on 2026-09-<day>."""
    return Meeting(D(2026, 9, day), first, first + length - 1, course, room, interpreter)


VALID_MEETINGS = (
    # W1: Mon 1-2 and Thu 1-2 in R1, weeks 1-2
    m(7, 1, "W1", "R1"), m(14, 1, "W1", "R1"), m(10, 1, "W1", "R1"), m(17, 1, "W1", "R1"),
    # W2 (sub-group C1-A): Mon 3-4 in the lab
    m(7, 3, "W2", "L1"), m(14, 3, "W2", "L1"),
    # W3 (C2): Tue 1-2 in R2
    m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2"),
    # W4 (sub-group C1-B): Tue 3-4 in the lab
    m(8, 3, "W4", "L1"), m(15, 3, "W4", "L1"),
    # I1 (intensive, Russian, interpreter I1): three meetings inside V1's window
    m(14, 5, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I1"), m(16, 3, "I1", "R1", "I1"),
)


def valid_timetable() -> Timetable:
    return Timetable(VALID_MEETINGS)


def edited(remove: tuple[Meeting, ...] = (), add: tuple[Meeting, ...] = ()) -> Timetable:
    """The valid timetable with some meetings removed and others added."""
    kept = [x for x in VALID_MEETINGS if x not in remove]
    for r in remove:
        assert r in VALID_MEETINGS, r
    return Timetable(tuple(kept) + tuple(add))


def with_course(instance: Instance, course_id: str, **changes) -> Instance:
    courses = tuple(replace(c, **changes) if c.id == course_id else c for c in instance.courses)
    return replace(instance, courses=courses)


def with_teacher(instance: Instance, teacher_id: str, **changes) -> Instance:
    teachers = tuple(replace(t, **changes) if t.id == teacher_id else t
                     for t in instance.teachers)
    return replace(instance, teachers=teachers)


_MASKS = st.builds(lambda weekday, first: TimeMask(weekday=weekday, first_period=first,
                                                   last_period=min(6, first + 1)),
                   st.integers(0, 4), st.integers(1, 6))
ROOM_BOOKINGS = st.lists(st.tuples(st.sampled_from(["R1", "R2", "L1"]), _MASKS), max_size=3)
"""Up to three two-period bookings of the tiny instance's rooms by others."""
ARRIVALS = st.integers(10, 13)
"""Days of September 2026 the visitor V1 may arrive on."""


def with_bookings_and_arrival(room_bookings: list[tuple[str, TimeMask]],
                              arrival: int) -> Instance:
    """The tiny instance with extra room bookings and V1 arriving on 2026-09-<arrival>."""
    base = tiny_instance()
    return replace(
        base, bookings=base.bookings + tuple(Booking(r, mask) for r, mask in room_bookings),
        travel_windows=(TravelWindow("V1", D(2026, 9, arrival), D(2026, 9, 18)),))


def planned_tiny(**rules) -> Instance:
    """The tiny instance with V1's trips planned by the solver (no travel window; a
    ``trip_rules`` row for V1 with ``rules``)."""
    return replace(tiny_instance(), travel_windows=(),
                   trip_rules=(TripRule(teacher_id="V1", **rules),))

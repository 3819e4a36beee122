"""The one availability index (validation, summaries and the model's options read it), checked
by hand on the tiny instance and against the masks themselves."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from scheduler.availability import Availability
from scheduler.calendar import TermCalendar
from scheduler.instance import Booking, TimeMask, Unavailability, WeekRange
from tests.tiny import ARRIVALS, ROOM_BOOKINGS, D, tiny_instance, with_bookings_and_arrival


def test_teacher_unavailable_on_a_weekly_mask_only():
    instance = tiny_instance()
    free = Availability(instance)
    days = TermCalendar(instance).by_date
    # T1 is away on Tuesdays, periods 5-6
    assert not free.teacher_free("T1", days[D(2026, 9, 8)], 5)
    assert not free.teacher_free("T1", days[D(2026, 9, 15)], 6)
    assert free.teacher_free("T1", days[D(2026, 9, 8)], 4)
    assert free.teacher_free("T1", days[D(2026, 9, 9)], 5)
    assert free.teacher_free("T2", days[D(2026, 9, 8)], 5)
    assert free.person_free_at("T1", [(D(2026, 9, 8), 4), (D(2026, 9, 9), 5)])
    assert not free.person_free_at("T1", [(D(2026, 9, 8), 4), (D(2026, 9, 8), 5)])


def test_visitor_on_site_on_the_teaching_days_of_the_trip():
    free = Availability(tiny_instance())
    # V1's trip is 09-13..09-18; arrival and departure are travel days
    assert [free.teacher_on_site("V1", D(2026, 9, d)) for d in range(12, 20)] == \
        [False, False, True, True, True, True, False, False]
    assert free.teacher_on_site("T1", D(2026, 9, 13))


def test_room_booked_weekly_including_the_make_up_day():
    base = tiny_instance()
    # Friday periods 3-4 in week 1 only: the make-up Sunday 09-13 holds Friday of week 1
    friday = Booking("R2", TimeMask(weekday=4, first_period=3, last_period=4,
                                    weeks=WeekRange(1, 1)))
    instance = replace(base, bookings=(*base.bookings, friday))
    free = Availability(instance)
    days = TermCalendar(instance).by_date
    assert not free.room_free("R1", days[D(2026, 9, 9)], 1)  # Wednesday 1-2 by others
    assert free.room_free("R1", days[D(2026, 9, 9)], 3)
    assert not free.room_free("R2", days[D(2026, 9, 13)], 3)
    assert free.room_free("R2", days[D(2026, 9, 18)], 3)  # a Friday of week 2
    assert free.room_free("L1", days[D(2026, 9, 9)], 1)


def test_interpreter_off_on_days_they_do_not_work_and_when_unavailable():
    base = tiny_instance()
    part_time = replace(base.interpreters[0], available_weekdays=(0, 1, 2))
    away = Unavailability("I2", TimeMask(date=D(2026, 9, 7)))
    instance = replace(base, interpreters=(part_time, base.interpreters[1]),
                       unavailability=(*base.unavailability, away))
    free = Availability(instance)
    days = TermCalendar(instance).by_date
    assert all(not free.interpreter_free("I1", days[D(2026, 9, 10)], p) for p in range(1, 7))
    assert not free.interpreter_free("I1", days[D(2026, 9, 13)], 1)  # follows a Friday
    assert free.interpreter_free("I1", days[D(2026, 9, 9)], 1)
    assert not free.interpreter_free("I2", days[D(2026, 9, 7)], 6)
    assert free.interpreter_free("I2", days[D(2026, 9, 8)], 6)


@settings(max_examples=20, deadline=None)
@given(bookings=ROOM_BOOKINGS, arrival=ARRIVALS)
def test_every_answer_is_what_the_masks_and_trips_say(bookings, arrival):
    instance = with_bookings_and_arrival(bookings, arrival)
    calendar = TermCalendar(instance)
    free = Availability(instance, calendar)
    window = instance.travel_windows[0]
    first, last = window.teaching_dates()
    for day in calendar.days:
        assert free.teacher_on_site("V1", day.date) == (first <= day.date <= last)
        for p in calendar.period_numbers:
            for room in instance.rooms:
                booked = any(b.mask.covers(day.date, day.weekday, day.week, p)
                             for b in instance.bookings if b.room_id == room.id)
                assert free.room_free(room.id, day, p) == (not booked)


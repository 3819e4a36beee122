"""Pins in the model: which option keeps a pin, pins kept by every re-solve (also on
hypothesis-drawn variations of the tiny instance), and the most pins kept when not all can
be."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams
from scheduler.instance import Booking, TimeMask
from scheduler.model.baseline import keepable_pins
from scheduler.model.options import build_options
from scheduler.model.params import SolveRequest
from scheduler.model.pins import group_pins, pinned_options, place_pins
from scheduler.pipeline import solve_instance
from scheduler.timetable import Meeting
from tests.tiny import (
    ARRIVALS,
    ROOM_BOOKINGS,
    VALID_MEETINGS,
    D,
    m,
    tiny_instance,
    valid_timetable,
    with_bookings_and_arrival,
)

TINY = tiny_instance()
PARAMS = SolverParams(time_limit=20, workers=2, seed=0)
"""The tiny instance is solved to optimality in well under a second; the limit is generous
so that a loaded machine still finds a timetable."""


def test_a_weekly_meeting_pins_its_slot_and_an_intensive_meeting_its_date():
    calendar = TermCalendar(TINY)
    pins = group_pins(TINY, calendar, [m(7, 1, "W1", "R1"), m(14, 1, "W1", "R1"),
                                       m(10, 1, "W1", "R1"), m(15, 5, "I1", "R1", "I1")])
    # W1's two Monday meetings are one pin (its Monday slot); Thursday's another
    assert [(p.group, len(p.meetings)) for p in pins] == [
        (("pin", "I1 2026-09-15 5-6 R1"), 1), (("pin", "W1 Mon 1-2 R1"), 2),
        (("pin", "W1 Thu 1-2 R1"), 1)]
    options = place_pins(build_options(TINY, calendar), pins)
    held = {group: option for option in options.options for group, _ in option.pins}
    assert held[("pin", "W1 Mon 1-2 R1")].weekday == 0
    assert [d.date for d in held[("pin", "W1 Mon 1-2 R1")].days] == [D(2026, 9, 7),
                                                                     D(2026, 9, 14)]
    assert held[("pin", "I1 2026-09-15 5-6 R1")].days[0].date == D(2026, 9, 15)
    assert options.lost_pins == ()


def test_a_meeting_on_an_adjusted_workday_pins_the_slot_of_the_weekday_it_follows():
    """Sunday 09-13 holds Friday's timetable of week 1: a weekly meeting there is Friday's."""
    (pin,) = group_pins(TINY, TermCalendar(TINY), [m(13, 3, "W3", "R2")])
    assert pin.group == ("pin", "W3 Fri 3-4 R2")


def test_a_pin_no_option_can_keep_is_lost():
    """T1 is unavailable on Tuesdays, periods 5-6; V1 is away on 09-08; R2 seats 20 < 28."""
    lost = [Meeting(D(2026, 9, 8), 5, 6, "W3", "R2"), m(8, 1, "I1", "R1", "I1"),
            m(14, 1, "I1", "R2", "I1")]
    options = pinned_options(TINY, TermCalendar(TINY), [*lost, m(7, 1, "W1", "R1")])
    assert options.lost_pins == (("pin", "I1 2026-09-08 1-2 R1"),
                                 ("pin", "I1 2026-09-14 1-2 R2"), ("pin", "W3 Tue 5-6 R2"))


def test_pins_of_a_course_the_instance_lacks_are_dropped():
    assert group_pins(TINY, TermCalendar(TINY), [Meeting(D(2026, 9, 7), 1, 2, "X9", "R1")]) \
        == []


def test_the_most_pinned_meetings_are_kept_when_not_all_can_be():
    """W1's Monday slot (2 meetings) and I1 on Monday 09-14 periods 1-2 in R1 (1 meeting)
    need room R1 and cohort C1 at once: the intensive meeting's pin is broken."""
    weekly = [m(7, 1, "W1", "R1"), m(14, 1, "W1", "R1")]
    intensive = m(14, 1, "I1", "R1", "I1")
    choice = keepable_pins(TINY, [*weekly, intensive, m(15, 5, "I1", "R1", "I1")], 20,
                           workers=2, baseline=valid_timetable())
    assert choice.settled and choice.optimal
    assert [p.group for p in choice.broken] == [("pin", "I1 2026-09-14 1-2 R1")]
    assert choice.broken_meetings == 1
    assert choice.kept_meetings == {*weekly, m(15, 5, "I1", "R1", "I1")}
    result, verification = solve_instance(TINY, PARAMS, request=SolveRequest(
        baseline=valid_timetable(), pins=choice.kept_meetings))
    assert verification is not None and verification.ok
    assert {x.place for x in choice.kept_meetings} <= {x.place for x in
                                                       result.timetable.meetings}


def test_without_pins_nothing_is_to_choose():
    choice = keepable_pins(TINY, [], 5)
    assert (choice.kept, choice.broken, choice.optimal) == ((), (), True)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(bookings=ROOM_BOOKINGS, arrival=ARRIVALS,
       pinned=st.sets(st.sampled_from(VALID_MEETINGS), min_size=1, max_size=6))
def test_pins_survive_a_re_solve(bookings, arrival, pinned):
    """Whatever is booked and whenever the visitor arrives, a re-solve that finds a timetable
    keeps every pinned meeting at its date, periods and room, marks it pinned, and the
    verifier passes it (it checks the pins too)."""
    instance = with_bookings_and_arrival(bookings, arrival)
    baseline = valid_timetable().with_pins(pinned)
    result, verification = solve_instance(instance, PARAMS, request=SolveRequest(
        baseline=baseline, pins=baseline.pinned))
    assume(result.timetable is not None)  # the variation may leave the pins no timetable
    assert verification is not None and verification.ok
    places = {x.place for x in result.timetable.meetings}
    assert {x.place for x in pinned} <= places
    assert {x.place for x in result.timetable.pinned} == {x.place for x in pinned}


def test_a_weekly_slot_pinned_by_one_cell_counts_its_weeks_when_broken():
    """One meeting of W1's Monday slot marked pinned (as an office types `yes` in one cell)
    pins the slot for every week. R1 booked on 09-14 breaks it and moves both meetings: the
    choice said 1 pinned meeting moved."""
    booked = replace(TINY, bookings=(*TINY.bookings, Booking("R1", TimeMask(
        date=D(2026, 9, 14), first_period=1, last_period=2))))
    choice = keepable_pins(booked, [m(7, 1, "W1", "R1")], 20, workers=2,
                           baseline=valid_timetable())
    assert choice.settled
    (pin,) = choice.broken
    assert (pin.group, pin.held) == (("pin", "W1 Mon 1-2 R1"), 2)
    assert choice.broken_meetings == 2
    assert choice.as_dict()["broken"][0]["meetings"] == 2

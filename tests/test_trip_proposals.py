"""Trips proposed for planned visitors before the construction (scheduler.model.proposals),
the construction inside them, the trips completed around fixed meetings, and the LNS
neighbourhood of a planned visitor.

On the tiny instance V1 teaches I1 (6 periods, at most 4 a day): a proposal of two teaching
days (6 periods at 3 a day), so the shortest trip has 4 days abroad (a travel day at each
end). Every teaching date is equally crowded (the weekly courses spread over all of them and
no other visitor is proposed), so the earliest such trip wins: arrive Sun 09-06 (the
default earliest arrival, the term's first day less a travel day), teach Mon-Tue, leave Wed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import replace

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams
from scheduler.instance import Preference, TimeMask, Unavailability
from scheduler.model.construct import construct
from scheduler.model.neighbourhoods import CourseIndex, visitor_window
from scheduler.model.options import build_options
from scheduler.model.params import LnsSettings
from scheduler.model.planned import planned_trips
from scheduler.model.proposals import propose_trips, teaching_days_needed, within_trips
from scheduler.model.solve import solve_timetable, timetable_of
from scheduler.timetable import Trip
from scheduler.verify import verify_timetable
from scheduler.verify.soft import SOFT_TERMS
from tests.tiny import m, planned_tiny, tiny_instance, valid_timetable, with_course

D = dt.date


def proposals_of(instance):
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    return propose_trips(instance, calendar, options), options


def test_two_teaching_days_for_six_periods_at_three_a_day():
    instance = planned_tiny()
    (course,) = [c for c in instance.courses if c.id == "I1"]
    assert teaching_days_needed(instance, [course], "V1") == 2
    # at most 4 a day of the course: 8 periods need two days even at a pace of 6
    assert teaching_days_needed(instance, [replace(course, contact_periods=8)], "V1",
                                pace=6) == 2


def test_the_shortest_and_earliest_trip_is_proposed():
    proposals, _ = proposals_of(planned_tiny())
    (trip,) = proposals["V1"]
    assert trip.trip == Trip("V1", D(2026, 9, 6), D(2026, 9, 9))
    assert (trip.first_teaching, trip.last_teaching) == (D(2026, 9, 7), D(2026, 9, 8))
    assert trip.days_abroad == 4


def test_a_home_blackout_moves_the_proposal():
    # no trip may include Tue 09-08: Mon-Tue and Tue-Wed are out; Wed-Thu (09-09..10) would
    # need 09-08 as the arrival day, so the next two teaching days without it are Thu 09-10
    # and the make-up Sunday 09-13 (6 days), or Sun 09-13 and Mon 09-14: arrive Sat 09-12,
    # leave Tue 09-15 (4 days, the cheapest)
    instance = replace(planned_tiny(), unavailability=(
        *tiny_instance().unavailability,
        Unavailability("V1", TimeMask(date=D(2026, 9, 8)), "home exams")))
    proposals, _ = proposals_of(instance)
    assert [p.trip for p in proposals["V1"]] == [Trip("V1", D(2026, 9, 12), D(2026, 9, 15))]


def test_weekdays_of_the_flights_are_kept():
    # in on Sundays only, out on Saturdays only: Sun 09-06 .. Sat 09-12
    proposals, _ = proposals_of(planned_tiny(arrival_weekdays=(6,), departure_weekdays=(5,)))
    assert [p.trip for p in proposals["V1"]] == [Trip("V1", D(2026, 9, 6), D(2026, 9, 12))]


def test_no_proposal_for_a_visitor_with_a_weekly_course_or_for_fixed_windows():
    weekly = with_course(planned_tiny(), "I1", delivery="weekly", meetings_per_week=2,
                         max_periods_per_day=None)
    assert proposals_of(weekly)[0] == {}
    assert proposals_of(tiny_instance())[0] == {}


def test_only_the_proposed_visitors_on_site_options_are_narrowed():
    proposals, options = proposals_of(planned_tiny())
    narrow, origin = within_trips(options, proposals)
    kept = [options.options[i] for i in origin]
    assert [o.index for o in narrow.options] == list(range(len(narrow.options)))
    assert {d.date for o in kept if o.course.id == "I1" for d in o.days} == {
        D(2026, 9, 7), D(2026, 9, 8)}
    others = [o for o in options.options if o.course.id != "I1"]
    assert [o for o in kept if o.course.id != "I1"] == others


def test_the_construction_keeps_the_meetings_inside_the_proposal_and_the_trips_tight():
    instance = planned_tiny(cost_per_trip=10, cost_per_day=1)
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    chosen, _ = construct(instance, calendar, options, SolverParams(workers=1),
                          time.perf_counter() + 30)
    assert chosen is not None
    timetable = timetable_of(options, chosen)
    taught = {x.date for x in timetable.meetings if x.course_id == "I1"}
    assert taught <= {D(2026, 9, 7), D(2026, 9, 8)}
    trips = planned_trips(instance, calendar, options, timetable)
    # the trips completed around the meetings are the shortest that hold them
    assert trips == (Trip("V1", min(taught) - dt.timedelta(days=1),
                          max(taught) + dt.timedelta(days=1)),)
    verification = verify_timetable(instance, replace(timetable, trips=trips))
    assert verification.ok, verification.violations


def test_a_slack_trip_is_shortened_around_fixed_meetings():
    # I1 on Mon 09-14, Tue 09-15 and Wed 09-16: whatever trips held them before, the trips
    # of that timetable are the 5 days Sun 09-13 .. Thu 09-17, and the verifier accepts them
    instance = planned_tiny(cost_per_trip=10, cost_per_day=1)
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    meetings = (m(14, 5, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I1"),
                m(16, 3, "I1", "R1", "I1"))
    others = tuple(x for x in valid_timetable().meetings if x.course_id != "I1")
    timetable = replace(valid_timetable(), meetings=(*others, *meetings))
    trips = planned_trips(instance, calendar, options, timetable)
    assert trips == (Trip("V1", D(2026, 9, 13), D(2026, 9, 17)),)
    verification = verify_timetable(instance, replace(timetable, trips=trips))
    assert verification.ok, verification.violations
    assert verification.costs["visitor_day_abroad"] == 5


def test_the_visitor_neighbourhood_of_a_planned_visitor_spans_their_meetings():
    instance = planned_tiny()
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    index = CourseIndex(instance, options)
    chosen = {o.index: (o.rooms[0], o.interpreters[0] if o.interpreters else None)
              for o in options.by_course["I1"]
              if o.days[0].date in (D(2026, 9, 9), D(2026, 9, 14)) and o.block.id == "5-6"}
    found = visitor_window(index, chosen, random.Random(0), 5)
    assert "I1" in found.free
    # a week before the first meeting (09-09) to a week after the last (09-14)
    assert found.dates is not None
    assert (min(found.dates), max(found.dates)) == (D(2026, 9, 2), D(2026, 9, 21))


def norm_against_trips():
    """V1 would rather not teach on Tuesdays, Wednesdays and Fridays (the norm rule
    ``teacher_avoided_period``, 5 a period); trips cost 10 and 1 a day (comfort); no other
    rule counts. The proposal is still Sun 09-06 .. Wed 09-09 (teaching Mon-Tue): it looks
    at the student groups' load, not at the visitor's preferences."""
    instance = planned_tiny(cost_per_trip=10, cost_per_day=1)
    weights = replace(instance.weights, **{**{name: 0 for name in SOFT_TERMS},
                                           "teacher_avoided_period": 5, "visitor_trip": 1,
                                           "visitor_day_abroad": 1})
    return replace(instance, weights=weights, preferences=tuple(
        Preference("V1", "avoid", day) for day in (1, 2, 4)))


def test_the_search_keeps_planned_meetings_within_the_margin_of_the_proposal():
    # built group by group (construct_options=0), then LNS: with a margin of 0 days I1 stays
    # on the proposal's Mon 09-07 and Tue 09-08; without a margin the search may move it
    instance = norm_against_trips()
    params = SolverParams(time_limit=6, workers=1)
    found = {}
    for margin in (0, None):
        settings = LnsSettings(full_model_options=0, construct_options=0, bound_share=0.0,
                               sub_time_limit=1.0, trip_margin_days=margin)
        result = solve_timetable(instance, params, settings=settings)
        assert result.stats.params["strategy"] == "construction + lns"
        verification = verify_timetable(instance, result.timetable)
        assert verification.ok, verification.violations
        found[margin] = ({x.date for x in result.timetable.meetings if x.course_id == "I1"},
                         verification.tiers["norm"])
    assert found[0][0] <= {D(2026, 9, 7), D(2026, 9, 8)}
    assert found[None][1] <= found[0][1]

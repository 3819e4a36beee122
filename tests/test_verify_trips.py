"""The verifier rejects a timetable whose trips break a trip rule: one hand-made trip per rule.

Start: the tiny instance with V1's trips planned, the valid tiny timetable (I1 on Mon 14,
Tue 15, Wed 16) and the trip Sun 13 .. Fri 18, which keeps every rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from scheduler.instance import TimeMask, Unavailability
from scheduler.timetable import Trip
from scheduler.verify import verify_timetable
from tests.tiny import edited, m, planned_tiny, tiny_instance, valid_timetable

D = dt.date


def trips(*spans: tuple[int, int], teacher: str = "V1") -> tuple[Trip, ...]:
    return tuple(Trip(teacher, D(2026, 9, a) if a > 0 else D(2026, 8, 31 + a),
                      D(2026, 9, d)) for a, d in spans)


def blackout(day: int):
    return lambda i: replace(i, unavailability=(
        *i.unavailability, Unavailability("V1", TimeMask(date=D(2026, 9, day)), "exams")))


# name -> (rules, instance change, timetable, trips, rule expected, fragment)
CASES = {
    "meeting outside any trip": (
        {}, None, valid_timetable, trips((13, 15)), "travel window", "none of their trips covers"),
    "meeting on the arrival day": (
        {}, None, valid_timetable, trips((14, 18)), "travel day", "arrival (travel) day"),
    "meeting on a rest day": (
        {"rest_days": 1}, None, valid_timetable, trips((13, 18)), "rest day", "rest day"),
    "meeting on a second travel day": (
        {"travel_days": 2}, None, valid_timetable, trips((12, 17)), "travel day",
        "departure (travel) day"),
    "trip too long": (
        {"max_stay_days": 5}, None, valid_timetable, trips((13, 18)), "trip length",
        "more than the longest stay of 5"),
    "trip too short": (
        {"travel_days": 2}, None, lambda: edited(), trips((13, 15)), "trip length",
        "needs at least 5"),
    "arrival weekday": (
        {"arrival_weekdays": (5,)}, None, valid_timetable, trips((13, 18)), "arrival weekday",
        "arrives on a Sun"),
    "departure weekday": (
        {"departure_weekdays": (5, 6)}, None, valid_timetable, trips((13, 18)),
        "departure weekday", "leaves on a Fri"),
    "too close to another trip": (
        {"min_days_between": 3}, None, valid_timetable, trips((7, 10), (13, 18)),
        "days between trips", "leaves 2 day(s) at home"),
    "overlapping trips": (
        {}, None, valid_timetable, trips((7, 14), (13, 18)), "days between trips",
        "overlaps"),
    "too many trips": (
        {"max_trips": 1, "min_days_between": 0}, None, valid_timetable,
        trips((7, 10), (13, 18)), "trip count", "more than the 1 allowed"),
    "a home blackout": (
        {}, blackout(17), valid_timetable, trips((13, 18)), "home blackout", "2026-09-17"),
    "before the earliest arrival": (
        {"earliest_arrival": D(2026, 9, 14)}, None, valid_timetable, trips((13, 18)),
        "trip dates", "before the earliest arrival 2026-09-14"),
    "after the latest departure": (
        {"latest_departure": D(2026, 9, 17)}, None, valid_timetable, trips((13, 18)),
        "trip dates", "after the latest departure 2026-09-17"),
}


def test_the_starting_point_is_valid():
    verification = verify_timetable(planned_tiny(), replace(valid_timetable(),
                                                            trips=trips((13, 18))))
    assert verification.ok, verification.violations


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_trip_rule_is_rejected(case):
    rules, change, timetable, made, rule, fragment = CASES[case]
    instance = planned_tiny(**rules)
    if change is not None:
        instance = change(instance)
    verification = verify_timetable(instance, replace(timetable(), trips=made))
    assert not verification.ok
    found = [v for v in verification.violations if v.rule == rule]
    assert found, verification.violations
    assert any(fragment in v.message for v in found), [v.message for v in found]


def test_trips_of_a_fixed_visitor_must_be_their_windows():
    fixed = tiny_instance()
    same = replace(valid_timetable(), trips=trips((13, 18)))
    assert verify_timetable(fixed, same).ok
    moved = replace(valid_timetable(), trips=trips((12, 18)))
    assert [v.rule for v in verify_timetable(fixed, moved).violations] == ["trip"]
    stranger = replace(valid_timetable(), trips=trips((13, 18), teacher="T1"))
    assert "plans no trip" in verify_timetable(fixed, stranger).violations[0].message


def test_a_planned_visitor_without_trips_teaches_nowhere():
    verification = verify_timetable(planned_tiny(), valid_timetable())
    assert {v.rule for v in verification.violations} == {"travel window"}
    assert len(verification.violations) == 3  # each of I1's meetings
    assert m(14, 5, "I1", "R1", "I1") in verification.violations[0].meetings

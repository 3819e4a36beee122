"""The trip_rules table: reading, defaults per institution, located errors, the round trip."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.errors import InputError
from scheduler.instance import TripRule
from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance
from scheduler.trip_checks import possible_trip

D = dt.date


def drop_windows(fall, teacher_id: str) -> None:
    rows = fall.rows("travel_windows")
    fall.write_rows("travel_windows", [r for r in rows if r[0] != teacher_id])


def plan_petrov(fall, **cells: str) -> int:
    """Petrov's windows removed, a trip_rules row for him (its row number returned)."""
    drop_windows(fall, "FEFU-PETROV")
    fall.write_rows("trip_rules", [["teacher_id", "institution", "earliest_arrival",
                                    "latest_departure", "arrival_weekdays", "departure_weekdays",
                                    "travel_days", "rest_days", "max_stay_days",
                                    "min_days_between", "max_trips", "cost_per_trip",
                                    "cost_per_day"]])
    return fall.append("trip_rules", teacher_id="FEFU-PETROV", **cells)


def problems(fall):
    with pytest.raises(InputError) as caught:
        read_instance(fall.folder)
    return caught.value.problems


def test_a_planned_visitor_takes_their_row_then_the_institutions_then_defaults(fall):
    plan_petrov(fall, max_stay_days="30", arrival_weekdays="Sun;Wed")
    fall.append("trip_rules", institution="FEFU", max_trips="3", cost_per_trip="50",
                max_stay_days="20")
    instance = read_instance(fall.folder)
    assert instance.planned_visitors == ("FEFU-PETROV",)
    plan = instance.trip_plan("FEFU-PETROV")
    assert plan is not None
    assert (plan.max_stay_days, plan.max_trips, plan.cost_per_trip) == (30, 3, 50)
    assert plan.arrival_weekdays == (2, 6)
    assert plan.departure_weekdays == tuple(range(7))
    assert (plan.travel_days, plan.rest_days, plan.min_days_between, plan.cost_per_day) == \
        (1, 0, 7, 6)
    # blank dates: early enough to teach on the first date, leaving the day after the last
    assert plan.earliest_arrival == D(2026, 9, 6)
    assert plan.latest_departure == D(2027, 1, 9)
    # the fixed visitors keep their windows and have no plan
    assert instance.trip_plan("FEFU-IVANOVA") is None


def test_trip_rules_survive_the_round_trip(fall, tmp_path):
    plan_petrov(fall, earliest_arrival="2026-10-01", departure_weekdays="Sat",
                rest_days="1", travel_days="2")
    instance = read_instance(fall.folder)
    for target in (tmp_path / "out.xlsx", tmp_path / "out"):
        write_instance(instance, target)
        again = read_instance(target)
        assert again == instance
        assert again.trip_rules == (TripRule(
            "FEFU-PETROV", None, D(2026, 10, 1), None, None, (5,), 2, 1, None, None, None,
            None, None),)


def test_an_instance_without_trip_rules_keeps_its_fingerprint(fall_instance):
    from scheduler.io.writer import instance_rows

    rows = instance_rows(fall_instance)
    assert "trip_rules" not in rows
    assert {r["name"] for r in rows["weights"]}.isdisjoint({"visitor_trip",
                                                            "visitor_day_abroad"})
    assert all("travel_days" not in r for r in rows["travel_windows"])


@pytest.mark.parametrize("edit, column, fragment", [
    (lambda f, row: f.set("trip_rules", row, "institution", "FEFU"), "teacher_id",
     "give either a teacher_id"),
    (lambda f, row: (f.set("trip_rules", row, "teacher_id", ""),
                     f.set("trip_rules", row, "max_trips", "2")), "teacher_id",
     "give either a teacher_id"),
    (lambda f, row: f.set("trip_rules", row, "teacher_id", "FEFU-NOBODY"), "teacher_id",
     "unknown teacher 'FEFU-NOBODY'"),
    (lambda f, row: f.set("trip_rules", row, "teacher_id", "CQ-LIWEI"), "teacher_id",
     "is not marked visiting"),
    (lambda f, row: f.set("trip_rules", row, "teacher_id", "FEFU-IVANOVA"), "teacher_id",
     "has travel windows and trip rules"),
    (lambda f, row: (f.set("trip_rules", row, "earliest_arrival", "2026-11-01"),
                     f.set("trip_rules", row, "latest_departure", "2026-10-01")),
     "latest_departure", "is before earliest_arrival"),
    (lambda f, row: f.set("trip_rules", row, "max_stay_days", "2"), "max_stay_days",
     "leaves no day to teach"),
    (lambda f, row: f.set("trip_rules", row, "travel_days", "9"), "travel_days",
     "at most 7"),
    (lambda f, row: (f.set("trip_rules", row, "earliest_arrival", "2027-02-01"),
                     f.set("trip_rules", row, "latest_departure", "2027-03-01")),
     "earliest_arrival", "cannot reach the term"),
    (lambda f, row: (f.set("trip_rules", row, "earliest_arrival", "2026-10-05"),
                     f.set("trip_rules", row, "latest_departure", "2026-10-08"),
                     f.set("trip_rules", row, "arrival_weekdays", "Sat")),
     "arrival_weekdays", "no trip between 2026-10-05 and 2026-10-08 arrives on Sat"),
], ids=["both", "neither", "unknown", "not visiting", "fixed too", "dates swapped",
        "too short a stay", "travel limit", "outside the term", "no weekday fits"])
def test_each_trip_rule_problem_is_located(fall, edit, column, fragment):
    row = plan_petrov(fall)
    edit(fall, row)
    found = [p for p in problems(fall) if fragment in p.message]
    assert found, [str(p) for p in problems(fall)]
    assert found[0].source.endswith("trip_rules.csv")
    assert (found[0].row, found[0].column) == (row, column)


def test_a_second_row_for_the_same_teacher_or_institution(fall):
    plan_petrov(fall)
    second = fall.append("trip_rules", teacher_id="FEFU-PETROV")
    fall.append("trip_rules", institution="FEFU")
    fourth = fall.append("trip_rules", institution="FEFU")
    found = {(p.row, p.column) for p in problems(fall) if "a second row" in p.message}
    assert found == {(second, "teacher_id"), (fourth, "institution")}


def test_an_institution_without_visitors_and_a_visitor_without_trips(fall):
    drop_windows(fall, "FEFU-PETROV")
    fall.write_rows("trip_rules", [["teacher_id", "institution"], ["", "MSU"]])
    messages = [p.message for p in problems(fall)]
    assert any("no visiting teacher belongs to institution 'MSU'" in m for m in messages)
    assert any("Petrov" in m or "FEFU-PETROV" in m for m in messages if "no trip rules" in m)


def test_a_weekly_course_of_a_planned_visitor_must_fit_one_trip(fall):
    row = plan_petrov(fall, max_stay_days="30")
    course = fall.find_row("courses", "teachers", "CQ-LIWEI")
    fall.set("courses", course, "teachers", "FEFU-PETROV")
    fall.set("courses", course, "language", "en")
    found = [p for p in problems(fall) if "whose trips are planned" in p.message]
    assert found and found[0].column == "delivery" and found[0].row == course, row


def test_the_earliest_possible_trip_keeps_weekdays_length_and_blackouts(fall):
    plan_petrov(fall, earliest_arrival="2026-10-05", arrival_weekdays="Sat",
                departure_weekdays="Fri", max_stay_days="10")
    instance = read_instance(fall.folder)
    plan = instance.trip_plan("FEFU-PETROV")
    assert possible_trip(plan) == (D(2026, 10, 10), D(2026, 10, 16))
    blocked = plan.__class__(**{**plan.__dict__, "blackouts": frozenset({D(2026, 10, 15)})})
    assert possible_trip(blocked) == (D(2026, 10, 17), D(2026, 10, 23))


def test_a_planned_visitors_trips_too_short_for_their_teaching_are_counted(fall):
    """Петров teaches 32 periods of one intensive course, at most 4 a day; two trips of at
    most 5 days (a travel day at each end, a rest day) leave one teaching day each: 8
    periods. validate proves it (the explanation of such a term listed daily limits without
    numbers)."""
    plan_petrov(fall, max_stay_days="5", rest_days="1", max_trips="2",
                arrival_weekdays="Sun;Wed;Fri", departure_weekdays="Sat;Wed;Fri")
    found = [p for p in problems(fall) if "fit in the trips their rules allow" in p.message]
    assert len(found) == 1
    assert "must teach 32 periods but at most 8 fit" in found[0].message
    assert found[0].message.endswith("at most 4 a day)")


@pytest.mark.parametrize("rules", [
    dict(max_stay_days=3), dict(max_stay_days=4, max_trips=1), dict(max_stay_days=5),
    dict(max_stay_days=3, max_trips=3), dict(arrival_weekdays=(0,), max_stay_days=6),
    dict(max_stay_days=3, max_trips=1)])  # the last: capacity 6, exactly the demand
def test_no_timetable_teaches_a_planned_visitor_more_than_the_trips_capacity(rules):
    """The count is an upper bound: a timetable the solver finds (and the verifier accepts)
    never has the visitor teach more than it; when it proves a shortfall, no timetable is
    found."""
    from scheduler.availability import Availability
    from scheduler.calendar import TermCalendar
    from scheduler.cpsat import SolverParams
    from scheduler.pipeline import solve_instance
    from scheduler.validate import trips_capacity
    from tests.tiny import planned_tiny

    instance = planned_tiny(**rules)
    capacity = trips_capacity(instance, Availability(instance), TermCalendar(instance), "V1")
    assert capacity is not None
    demand = sum(c.contact_periods for c in instance.courses if "V1" in c.teachers)
    result, verification = solve_instance(instance, SolverParams(time_limit=20, workers=2))
    if result.timetable is None:
        return
    assert verification is not None and verification.ok
    taught = sum(m.last_period - m.first_period + 1 for m in result.timetable.meetings
                 if "V1" in instance.course_by_id[m.course_id].teachers)
    assert taught <= capacity and demand <= capacity

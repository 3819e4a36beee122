"""The trips of a timetable: every trip rule, and what the trips cost, recomputed by hand.

A visitor's trips are given (travel windows: a row of the trips must be one of them) or
planned (``trip_rules``): each planned trip must lie within the visitor's earliest arrival and
latest departure, arrive and leave on allowed weekdays, last long enough to teach and no
longer than the longest stay, include no home blackout, and keep the days at home between two
trips; a visitor makes at most ``max_trips``. Whom a rule applies to and its defaults come
from :meth:`~scheduler.instance.Instance.trip_plan` (the meaning of the table); every check
and every count here is the verifier's own. Meetings outside the trips are found by
:func:`scheduler.verify.hard.teachers_available` with the trips as windows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator

from scheduler.instance import WEEKDAY_NAMES, Instance
from scheduler.timetable import Timetable, Trip
from scheduler.verify.hard import Violation


def _days(first: dt.date, last: dt.date) -> int:
    return last.toordinal() - first.toordinal() + 1


def _trip(trip: Trip) -> str:
    return (f"{trip.teacher_id}'s trip {trip.arrival.isoformat()} "
            f"({WEEKDAY_NAMES[trip.arrival.weekday()]})..{trip.departure.isoformat()} "
            f"({WEEKDAY_NAMES[trip.departure.weekday()]})")


def trip_rules(instance: Instance, timetable: Timetable) -> Iterator[Violation]:
    """Each trip rule broken by the timetable's trips."""
    by_teacher: dict[str, list[Trip]] = defaultdict(list)
    for trip in timetable.trips:
        by_teacher[trip.teacher_id].append(trip)
    for teacher_id, trips in by_teacher.items():
        plan = instance.trip_plan(teacher_id)
        if plan is None:
            yield from _not_planned(instance, teacher_id, trips)
            continue
        for trip in trips:
            yield from _one_trip(instance, trip)
        if len(trips) > plan.max_trips:
            yield Violation("trip count", f"{teacher_id} makes {len(trips)} trips, more than "
                            f"the {plan.max_trips} allowed", trips=trips)
        ordered = sorted(trips)
        for before, after in itertools.pairwise(ordered):
            home = after.arrival.toordinal() - before.departure.toordinal() - 1
            if home < plan.min_days_between:
                what = ("overlaps" if home < 0 else
                        f"leaves {home} day(s) at home after")
                yield Violation("days between trips", f"{_trip(after)} {what} the trip "
                                f"{before.arrival.isoformat()}..{before.departure.isoformat()}; "
                                f"at least {plan.min_days_between} days at home are required",
                                trips=(before, after))


def _not_planned(instance: Instance, teacher_id: str, trips: list[Trip]) -> Iterator[Violation]:
    """Trips of someone whose trips are not planned: a fixed visitor's must be windows."""
    windows = {(w.arrival, w.departure) for w in instance.travel_windows
               if w.teacher_id == teacher_id}
    for trip in trips:
        if not windows:
            yield Violation("trip", f"{_trip(trip)} is listed, but the instance plans no trip "
                            f"for {teacher_id} (no trip_rules row applies)", trips=(trip,))
        elif (trip.arrival, trip.departure) not in windows:
            yield Violation("trip", f"{_trip(trip)} is not one of {teacher_id}'s travel windows "
                            "(given trips cannot be changed)", trips=(trip,))


def _one_trip(instance: Instance, trip: Trip) -> Iterator[Violation]:
    plan = instance.trip_plan(trip.teacher_id)
    assert plan is not None
    if trip.arrival < plan.earliest_arrival:
        yield Violation("trip dates", f"{_trip(trip)} arrives before the earliest arrival "
                        f"{plan.earliest_arrival.isoformat()}", trips=(trip,))
    if trip.departure > plan.latest_departure:
        yield Violation("trip dates", f"{_trip(trip)} leaves after the latest departure "
                        f"{plan.latest_departure.isoformat()}", trips=(trip,))
    days = _days(trip.arrival, trip.departure)
    shortest = 2 * plan.travel_days + plan.rest_days + 1
    if days < shortest:
        yield Violation("trip length", f"{_trip(trip)} lasts {days} day(s): with "
                        f"{plan.travel_days} travel day(s) at each end and {plan.rest_days} "
                        f"rest day(s) it needs at least {shortest} to teach", trips=(trip,))
    if days > plan.max_stay_days:
        yield Violation("trip length", f"{_trip(trip)} lasts {days} days, more than the "
                        f"longest stay of {plan.max_stay_days}", trips=(trip,))
    if trip.arrival.weekday() not in plan.arrival_weekdays:
        allowed = ", ".join(WEEKDAY_NAMES[d] for d in plan.arrival_weekdays)
        yield Violation("arrival weekday", f"{_trip(trip)} arrives on a "
                        f"{WEEKDAY_NAMES[trip.arrival.weekday()]}; flights arrive on {allowed}",
                        trips=(trip,))
    if trip.departure.weekday() not in plan.departure_weekdays:
        allowed = ", ".join(WEEKDAY_NAMES[d] for d in plan.departure_weekdays)
        yield Violation("departure weekday", f"{_trip(trip)} leaves on a "
                        f"{WEEKDAY_NAMES[trip.departure.weekday()]}; flights leave on {allowed}",
                        trips=(trip,))
    blocked = sorted(u.mask.date for u in instance.unavailability
                     if u.person_id == trip.teacher_id and u.mask.date is not None
                     and u.mask.first_period is None and u.mask.last_period is None
                     and trip.arrival <= u.mask.date <= trip.departure)
    if blocked:
        shown = ", ".join(d.isoformat() for d in blocked[:5])
        yield Violation("home blackout", f"{_trip(trip)} includes home blackout date(s) "
                        f"{shown}, when {trip.teacher_id} must be at home", trips=(trip,))


def weekly_in_one_trip(instance: Instance, timetable: Timetable) -> Iterator[Violation]:
    """The on-site meetings of a weekly course of a planned visitor lie within one trip."""
    for course in instance.courses:
        if course.delivery != "weekly":
            continue
        meetings = [m for m in timetable.of_course(course.id) if not m.online]
        if not meetings:
            continue
        first, last = meetings[0].date, meetings[-1].date
        for teacher_id in course.teachers:
            if instance.trip_plan(teacher_id) is None:
                continue
            trips = timetable.trips_of(teacher_id)
            if not any(t.arrival <= first and last <= t.departure for t in trips):
                yield Violation("weekly course in one trip", f"weekly course {course.id} meets "
                                f"{first.isoformat()}..{last.isoformat()}, but no trip of "
                                f"{teacher_id} covers all its meetings", tuple(meetings))


def trip_costs(instance: Instance, timetable: Timetable) -> dict[str, int]:
    """The counts of ``visitor_trip`` and ``visitor_day_abroad`` (each weighted by its cost
    in the trip rules), for an instance that plans trips; empty otherwise."""
    if not instance.planned_visitors:
        return {}
    per_trip = per_day = 0
    for trip in timetable.trips:
        plan = instance.trip_plan(trip.teacher_id)
        if plan is None:
            continue
        per_trip += plan.cost_per_trip
        per_day += plan.cost_per_day * _days(trip.arrival, trip.departure)
    return {"visitor_trip": per_trip, "visitor_day_abroad": per_day}


def hard_trip_costs(instance: Instance, timetable: Timetable) -> Iterator[Violation]:
    """A trip cost the office made hard (level hard in the weights table) forbids every
    planned trip: one violation per such rule that the trips count."""
    for name, count in trip_costs(instance, timetable).items():
        if instance.levels.of(name) == "hard" and count:
            yield Violation("office rule", f"{name} is hard for this instance (level hard in "
                            f"the weights table), but the timetable counts {count}")

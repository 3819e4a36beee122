"""Checks of the ``trip_rules`` table: whom each row is for, and whether the rules leave a trip.

A visiting teacher is either **fixed** (travel windows given) or **planned** (no window, and
a ``trip_rules`` row for them or their institution): :func:`trip_rule_issues` reports rows
that name nobody, a fixed visitor, or the same teacher or institution twice, rules that leave
no possible trip, and weekly courses a planned visitor could not teach in one trip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from scheduler.calendar import TermCalendar
from scheduler.instance import WEEKDAY_NAMES, Instance, TripPlan
from scheduler.issues import Issue

DAY = dt.timedelta(days=1)


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def possible_trip(plan: TripPlan) -> tuple[dt.date, dt.date] | None:
    """The earliest (arrival, departure) that keeps every rule of ``plan``, if any."""
    arrival = plan.earliest_arrival
    while arrival + (plan.min_stay_days - 1) * DAY <= plan.latest_departure:
        if arrival.weekday() in plan.arrival_weekdays:
            last = min(plan.latest_departure, arrival + (plan.max_stay_days - 1) * DAY)
            departure = arrival
            while departure <= last and departure not in plan.blackouts:
                if departure >= arrival + (plan.min_stay_days - 1) * DAY and \
                        departure.weekday() in plan.departure_weekdays:
                    return arrival, departure
                departure += DAY
        arrival += DAY
    return None


def _rows(instance: Instance, known: Mapping[str, set[str]]) -> Iterator[Issue]:
    teachers = set(instance.teacher_by_id) | known.get("teachers", set())
    fixed = {w.teacher_id for w in instance.travel_windows} | known.get("travel_windows", set())
    institutions = {t.institution for t in instance.teachers if t.visiting}
    seen: dict[tuple[str, str], int] = {}
    for index, rule in enumerate(instance.trip_rules):
        if rule.teacher_id is not None:
            key = ("teacher_id", rule.teacher_id)
            teacher = instance.teacher_by_id.get(rule.teacher_id)
            if rule.teacher_id not in teachers:
                yield Issue("trip_rules", index, "teacher_id", f"unknown teacher "
                            f"'{rule.teacher_id}'", "use a teacher_id of the teachers sheet")
            elif teacher is not None and not teacher.visiting:
                yield Issue("trip_rules", index, "teacher_id", f"{teacher.name} "
                            f"({teacher.id}) has trip rules but is not marked visiting",
                            "set visiting to yes on the teachers sheet, or remove the row")
            elif rule.teacher_id in fixed:
                yield Issue("trip_rules", index, "teacher_id", f"{rule.teacher_id} has travel "
                            "windows and trip rules: a visitor's trips are either given "
                            "(travel_windows) or planned by the solver (trip_rules), not both",
                            "remove the travel windows to have the trips planned, or remove "
                            "this row")
        elif rule.institution is not None:
            key = ("institution", rule.institution)
            if rule.institution not in institutions:
                yield Issue("trip_rules", index, "institution", f"no visiting teacher belongs "
                            f"to institution '{rule.institution}'",
                            "use the institution of a visiting teacher (teachers sheet)")
        else:
            continue
        if key in seen:
            yield Issue("trip_rules", index, key[0], f"a second row for {key[1]} (also in "
                        f"data row {seen[key] + 1} of this table)", "merge the two rows")
        else:
            seen[key] = index


def _row_of(instance: Instance, teacher_id: str) -> int:
    """The row that states a planned visitor's rules: their own, else their institution's."""
    institution = instance.teacher_by_id[teacher_id].institution
    for index, rule in enumerate(instance.trip_rules):
        if rule.teacher_id == teacher_id:
            return index
    return next(i for i, r in enumerate(instance.trip_rules)
                if r.teacher_id is None and r.institution == institution)


def _plans(instance: Instance) -> Iterator[Issue]:
    term = instance.term
    for teacher_id in instance.planned_visitors:
        plan = instance.trip_plan(teacher_id)
        assert plan is not None
        index = _row_of(instance, teacher_id)
        who = f"{instance.teacher_by_id[teacher_id].name} ({teacher_id})"
        if plan.max_stay_days < plan.min_stay_days:
            yield Issue("trip_rules", index, "max_stay_days", f"{who}: a trip of at most "
                        f"{plan.max_stay_days} days leaves no day to teach after "
                        f"{plan.travel_days} travel day(s) at each end and {plan.rest_days} "
                        "rest day(s)", f"allow at least {plan.min_stay_days} days")
        elif plan.earliest_arrival > term.last_date or plan.latest_departure < term.first_date:
            yield Issue("trip_rules", index, "earliest_arrival", f"{who}: trips between "
                        f"{_fmt(plan.earliest_arrival)} and {_fmt(plan.latest_departure)} "
                        f"cannot reach the term {_fmt(term.first_date)}..{_fmt(term.last_date)}",
                        "correct the dates")
        elif possible_trip(plan) is None:
            arrive = ", ".join(WEEKDAY_NAMES[d] for d in plan.arrival_weekdays)
            leave = ", ".join(WEEKDAY_NAMES[d] for d in plan.departure_weekdays)
            yield Issue("trip_rules", index, "arrival_weekdays", f"{who}: no trip between "
                        f"{_fmt(plan.earliest_arrival)} and {_fmt(plan.latest_departure)} "
                        f"arrives on {arrive}, leaves on {leave}, lasts "
                        f"{plan.min_stay_days}..{plan.max_stay_days} days and avoids the home "
                        "blackouts", "allow more weekdays, a longer stay or wider dates")


def _weekly_courses(instance: Instance, calendar: TermCalendar) -> Iterator[Issue]:
    """A weekly course of a planned visitor must fit one trip: its dates, with the travel and
    rest days around them, within the longest stay."""
    for index, course in enumerate(instance.courses):
        if course.delivery != "weekly":
            continue
        for teacher_id in course.teachers:
            plan = instance.trip_plan(teacher_id)
            if plan is None:
                continue
            dates = calendar.days_in_weeks(course.weeks)
            if not dates:
                continue
            first, last = dates[0].date, dates[-1].date
            days = (last - first).days + 1 + 2 * plan.travel_days + plan.rest_days
            if days > plan.max_stay_days:
                yield Issue("courses", index, "delivery", f"weekly course {course.id} is taught "
                            f"by {teacher_id}, whose trips are planned: a trip covering its "
                            f"weeks {course.weeks.first}-{course.weeks.last} "
                            f"({_fmt(first)}..{_fmt(last)}) would last {days} days, more than "
                            f"the longest stay of {plan.max_stay_days}",
                            "make it intensive, shorten its weeks, or give the visitor "
                            "travel windows")


def trip_rule_issues(instance: Instance, known: Mapping[str, set[str]],
                     rules: bool = True) -> list[Issue]:
    """Problems of the ``trip_rules`` table: whom its rows are for and, with ``rules`` (the
    rest of the instance is sound), whether the rules leave a trip, once every row names a
    visitor who may be planned."""
    issues = list(_rows(instance, known))
    if issues or known.get("trip_rules") or not rules:
        return issues
    issues.extend(_plans(instance))
    if not issues:
        issues.extend(_weekly_courses(instance, TermCalendar(instance)))
    return issues

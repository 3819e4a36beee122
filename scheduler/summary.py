"""A summary of a valid instance: who, what and how much, as ``scheduler validate`` shows it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scheduler.availability import Availability
from scheduler.calendar import TermCalendar
from scheduler.instance import Instance
from scheduler.validate import cohort_courses, teacher_capacity, teacher_demand, trips_capacity


@dataclass(frozen=True)
class LoadLine:
    """Periods a cohort or teacher must be taught/teach against the periods they have."""

    id: str
    name: str
    demanded: int
    available: int
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.demanded / self.available if self.available else float("inf")


@dataclass(frozen=True)
class InstanceSummary:
    term: str
    first_date: str
    last_date: str
    teaching_days: int
    teaching_weeks: int
    cohorts: int
    subgroups: int
    students_cn: int
    students_ru: int
    courses_by_delivery: dict[str, int]
    teachers_by_institution: dict[str, int]
    visiting_teachers: int
    interpreters: int
    rooms_by_type: dict[str, int]
    bookings: int
    cohort_load: tuple[LoadLine, ...]
    visitor_load: tuple[LoadLine, ...]

    @property
    def students(self) -> int:
        return self.students_cn + self.students_ru


def summarize_instance(instance: Instance) -> InstanceSummary:
    """Counts and demand-versus-availability figures of a (valid) instance."""
    calendar = TermCalendar(instance)
    availability = Availability(instance)
    whole = [c for c in instance.cohorts if c.parent is None]
    periods_per_day = len(instance.periods)
    cohort_lines = []
    for cohort in instance.cohorts:
        if instance.subgroups_of(cohort.id):
            continue
        demanded = sum(c.contact_periods for c in cohort_courses(instance, cohort.id))
        cohort_lines.append(LoadLine(cohort.id, cohort.program, demanded,
                                     len(calendar.days) * periods_per_day,
                                     f"{cohort.students_cn} CN + {cohort.students_ru} RU"))
    visitor_lines = []
    for teacher in instance.teachers:
        if not teacher.visiting:
            continue
        trips = ", ".join(f"{w.arrival:%m-%d}..{w.departure:%m-%d}"
                          for w in instance.windows_of(teacher.id))
        plan = instance.trip_plan(teacher.id)
        if plan is not None:  # planned by the solver: the rules' span and most trips
            trips = (f"planned: up to {plan.max_trips} in "
                     f"{plan.earliest_arrival:%m-%d}..{plan.latest_departure:%m-%d}")
        capacity = teacher_capacity(instance, availability, calendar, teacher.id)
        in_trips = trips_capacity(instance, availability, calendar, teacher.id)
        visitor_lines.append(LoadLine(
            teacher.id, teacher.name, teacher_demand(instance, teacher.id),
            capacity if in_trips is None else min(capacity, in_trips), trips))
    return InstanceSummary(
        term=instance.term.name,
        first_date=instance.term.first_date.isoformat(),
        last_date=instance.term.last_date.isoformat(),
        teaching_days=len(calendar.days),
        teaching_weeks=instance.term.week_of(instance.term.last_date),
        cohorts=len(whole),
        subgroups=len(instance.cohorts) - len(whole),
        students_cn=sum(c.students_cn for c in whole),
        students_ru=sum(c.students_ru for c in whole),
        courses_by_delivery=dict(Counter(c.delivery for c in instance.courses)),
        teachers_by_institution=dict(Counter(t.institution for t in instance.teachers)),
        visiting_teachers=sum(t.visiting for t in instance.teachers),
        interpreters=len(instance.interpreters),
        rooms_by_type=dict(Counter(r.room_type for r in instance.rooms)),
        bookings=len(instance.bookings),
        cohort_load=tuple(cohort_lines),
        visitor_load=tuple(visitor_lines),
    )

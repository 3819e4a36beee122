"""The generator: every step in order, each with its own random stream."""

from __future__ import annotations

import random
from dataclasses import replace

from scheduler.calendar import TermCalendar
from scheduler.generate.absences import (
    interpreter_unavailability,
    staff_unavailability,
    visitor_unavailability,
)
from scheduler.generate.courses import WeekPlanner, make_courses
from scheduler.generate.demand import daily_shares, interpreter_demand, room_demand
from scheduler.generate.interpreters import make_interpreters
from scheduler.generate.names import Names
from scheduler.generate.offerings import make_offerings
from scheduler.generate.params import Params
from scheduler.generate.plan import make_year, plan_years
from scheduler.generate.preferences import make_preferences
from scheduler.generate.rooms import make_bookings, make_rooms
from scheduler.generate.staff import assign_cqupt
from scheduler.generate.term import base_instance
from scheduler.generate.trips import place_trips
from scheduler.generate.visitors import as_weekly, assign_visitors
from scheduler.instance import Instance, TravelWindow

STEADY_STUDENTS = 1650
"""Students of the institute at full size (four UG and three PG years)."""
STEADY_SEED = 2026
"""Seed of the shipped steady-state instance ``instances/cqupt-fefu-steady``."""


MAX_STUDENTS = 150_000
"""The largest instance generated: ninety times the institute at full size (a term of 105,600
students generates in 3.4 s and validates in 45 s; from 168,473 on the rooms no longer fit the
buildings)."""


def generate_instance(
    students: int,
    seed: int = 0,
    *,
    visitors: int | None = None,
    visiting_share: float = 0.015,
    russian_share: float = 0.4,
    russian_taught_share: float = 0.5,
    cohort_size: int = 33,
    max_cohort_size: int = 40,
    language_group_size: int = 24,
    stream_cohorts: int = 3,
    room_load: float = 0.4,
    teacher_load: float = 0.5,
    visitor_daily_load: float = 3.0,
    interpreter_load: float = 0.5,
    bookings: bool = True,
    name: str | None = None,
) -> Instance:
    """A valid, realistic, comfortably feasible fall-2026 instance for ``students`` students.

    The same arguments always give an equal instance. About 1,650 students is the institute at
    full size (every programme-year open); fewer open the programme-years in the order the
    institute grows (first years first), more scale every programme-year up, as for a whole
    CQUPT college sharing its rooms.

    Args:
        students: students in all cohorts (1 to :data:`MAX_STUDENTS`; ``ValueError``
            otherwise).
        seed: random seed; sizes, names, trips, bookings... all follow from it.
        visitors: FEFU visiting teachers; default ``round(visiting_share * students)``, at
            least one. Capped by the number of FEFU course pieces there are to teach.
        visiting_share: visitors per student when ``visitors`` is not given.
        russian_share: share of Russian students in a cohort (each cohort varies by ±7 points
            and has at least one Chinese and one Russian student, unless the share is 0 or 1).
        russian_taught_share: share of visitors who teach in Russian (with ru-zh interpreters)
            rather than English.
        cohort_size: typical students per cohort; ``max_cohort_size`` the largest.
        language_group_size: largest Chinese or Russian language sub-group (a cohort's
            Chinese or Russian students are split in two above it).
        stream_cohorts: most cohorts of one programme-year attending a lecture together.
        room_load: share of a room type's daytime periods (1-8, Mon-Fri) the institute uses in
            the busiest week; the stock is sized to it (bookings come on top, a few percent).
        teacher_load: CQUPT teachers' weekly load as a share of their weekly limit.
        visitor_daily_load: intensive periods per teaching day a visitor's trips are sized for.
        interpreter_load: share of interpreters' weekly time used in the busiest week.
        bookings: whether other CQUPT units book some of the rooms.
        name: the term's name; a default names the size and seed.
    """
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"Expected students in [1, {MAX_STUDENTS}], got {students}")
    if not 0 <= visiting_share <= 1:
        raise ValueError(f"Expected visiting_share in [0, 1], got {visiting_share}")
    params = Params(
        visitors=max(1, round(visiting_share * students)) if visitors is None else visitors,
        russian_share=russian_share, russian_taught_share=russian_taught_share,
        cohort_size=cohort_size, max_cohort_size=max_cohort_size,
        language_group_size=language_group_size, stream_cohorts=stream_cohorts,
        room_load=room_load, teacher_load=teacher_load, visitor_daily_load=visitor_daily_load,
        interpreter_load=interpreter_load, bookings=bookings,
    )
    params.check()
    rngs = _Streams(students, seed)
    title = name or (f"CQUPT–FEFU Joint Institute, fall 2026 (generated: {students} students, "
                     f"seed {seed})")
    base = base_instance(title)
    calendar = TermCalendar(base)
    tdays = calendar.days
    last_week = base.term.week_of(base.term.last_date)

    rng_cohorts = rngs("cohorts")
    years = [make_year(rng_cohorts, plan, params)
             for plan in plan_years(students, min(25, students))]
    cohorts = tuple(c for y in years for p in y.cohorts for c in (p.cohort, *p.subgroups))
    offerings = make_offerings(years)

    names = Names(rngs("names"))
    fefu = [o for o in offerings if o.template.fefu]
    visitors_found, leftover = assign_visitors(rngs("visitors"), names, fefu, params)
    weekly = [o for o in offerings if not o.template.fefu] + [as_weekly(o) for o in leftover]
    staff = assign_cqupt(rngs("staff"), names, weekly, params)
    trips = place_trips(rngs("trips"), visitors_found, tdays, params)
    courses = make_courses(offerings, staff, visitors_found, WeekPlanner(calendar, last_week),
                           rngs("courses"))

    teachers = tuple([m.teacher for m in staff] + [v.teacher for v in visitors_found])
    draft = replace(base, teachers=teachers, cohorts=cohorts, courses=courses)
    shares = daily_shares(courses, trips)
    rooms = make_rooms(room_demand(draft, calendar, shares), params,
                       halls=round(students / STEADY_STUDENTS))
    interpreters = make_interpreters(
        rngs("interpreters"), names,
        interpreter_demand(courses, draft, calendar, shares), params)
    windows = tuple(TravelWindow(v.teacher.id, t.arrival, t.departure)
                    for v in visitors_found for t in trips[v.teacher.id])
    rng_people = rngs("availability")
    unavailability = (staff_unavailability(rng_people, staff, tdays)
                      + visitor_unavailability(rng_people, visitors_found, trips, tdays)
                      + interpreter_unavailability(rng_people, interpreters, tdays))
    return replace(
        draft,
        rooms=rooms,
        bookings=make_bookings(rngs("bookings"), rooms, tdays) if params.bookings else (),
        travel_windows=windows,
        unavailability=tuple(unavailability),
        preferences=tuple(make_preferences(rngs("preferences"), teachers)),
        interpreters=interpreters,
    )


def generate_steady() -> Instance:
    """The institute at full size, as shipped in ``instances/cqupt-fefu-steady``."""
    return generate_instance(STEADY_STUDENTS, STEADY_SEED,
                             name="CQUPT–FEFU Joint Institute at full size, fall 2026 "
                             f"(generated: {STEADY_STUDENTS} students, seed {STEADY_SEED})")


class _Streams:
    """Independent random streams per concern, so that changing one step leaves others alone."""

    def __init__(self, students: int, seed: int) -> None:
        self._key = f"cqupt-fefu:{students}:{seed}"

    def __call__(self, concern: str) -> random.Random:
        return random.Random(f"{self._key}:{concern}")

"""Seeded generator of realistic, comfortably feasible instances of any size.

:func:`generate_instance` builds the CQUPT–FEFU Joint Institute (or any multiple of it) on the
fall 2026 calendar: the six programmes, mixed Chinese/Russian cohorts with sub-groups, shared
lectures per stream, labs, language courses, CQUPT teachers with weekly courses, FEFU visitors
teaching intensive courses inside one or two trips, interpreters, a room stock shared with the
rest of CQUPT (with bookings), unavailability and preferences.

The fixed data (calendar, curriculum, room stock, names) lives in :mod:`.data`. Every size is
built from the same steps, one module each, run in order by :mod:`.build`:

1. plan which programme-years are open and how many students each has, and split them into
   cohorts, sub-groups and lecture streams (:mod:`.plan`);
2. expand the curriculum into course offerings (:mod:`.offerings`);
3. give FEFU courses to visitors (:mod:`.visitors`), the rest to CQUPT teachers
   (:mod:`.staff`), place the visitors' trips (:mod:`.trips`) and make the courses
   (:mod:`.courses`);
4. size the room stock and the interpreters from the demand (:mod:`.demand`, :mod:`.rooms`,
   :mod:`.interpreters`), add bookings, unavailability (:mod:`.absences`) and preferences
   (:mod:`.preferences`).

Slack is built in, not checked afterwards: weekly courses fit their contact periods on *every*
weekday after holidays, CQUPT teachers carry at most half their weekly limit, visitors' trips
give at least one teaching day per three periods they teach, rooms of each type and size are
sized for about 40% daytime use by the institute (bookings add a few percent), and interpreters
for about half their weekly limit.
"""

from scheduler.generate.build import (
    MAX_STUDENTS,
    STEADY_SEED,
    STEADY_STUDENTS,
    generate_instance,
    generate_steady,
)
from scheduler.generate.data.calendar import (
    EARLIEST_ARRIVAL,
    LAST_DATE,
    LATEST_DEPARTURE,
    MAX_TRIP_DAYS,
    TRIP_GAP_DAYS,
    WEEK1_MONDAY,
)
from scheduler.generate.data.curriculum import PROGRAMMES, Programme, Template, curriculum
from scheduler.generate.data.rooms import ROOM_SIZES, ROOM_TYPES

__all__ = [
    "EARLIEST_ARRIVAL",
    "LAST_DATE",
    "LATEST_DEPARTURE",
    "MAX_STUDENTS",
    "MAX_TRIP_DAYS",
    "PROGRAMMES",
    "ROOM_SIZES",
    "ROOM_TYPES",
    "STEADY_SEED",
    "STEADY_STUDENTS",
    "TRIP_GAP_DAYS",
    "WEEK1_MONDAY",
    "Programme",
    "Template",
    "curriculum",
    "generate_instance",
    "generate_steady",
]

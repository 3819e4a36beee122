"""Checks that span rows and tables of an instance, and impossibilities visible by arithmetic.

:func:`check_instance` returns :class:`Issue` records that point at a table, a row index of that
table (its position in the instance's tuple) and a column; readers turn them into located
:class:`~scheduler.errors.Problem` s. Each family of checks is one function.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping

from scheduler.availability import Availability
from scheduler.calendar import TermCalendar
from scheduler.errors import InputError, Problem
from scheduler.instance import WEEKDAY_NAMES, Course, Instance, TimeMask
from scheduler.issues import Issue
from scheduler.trip_checks import trip_rule_issues

__all__ = ["Issue", "check_instance", "validate_instance"]


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def _key_duplicates(instance: Instance) -> Iterator[Issue]:
    tables: dict[str, tuple[str, list[object]]] = {
        "periods": ("period", [p.number for p in instance.periods]),
        "blocks": ("block", [b.id for b in instance.blocks]),
        "holidays": ("date", [h.date for h in instance.holidays]),
        "adjusted_workdays": ("date", [a.date for a in instance.adjusted_workdays]),
        "room_types": ("room_type", [r.id for r in instance.room_types]),
        "rooms": ("room_id", [r.id for r in instance.rooms]),
        "teachers": ("teacher_id", [t.id for t in instance.teachers]),
        "cohorts": ("cohort_id", [c.id for c in instance.cohorts]),
        "courses": ("course_id", [c.id for c in instance.courses]),
        "interpreters": ("interpreter_id", [i.id for i in instance.interpreters]),
    }
    for table, (column, keys) in tables.items():
        first: dict[object, int] = {}
        for index, key in enumerate(keys):
            if key in first:
                yield Issue(table, index, column, f"duplicate {column} '{key}'",
                            "give every row its own id", also=first[key])
            else:
                first[key] = index
    teacher_ids = {t.id for t in instance.teachers}
    for index, interpreter in enumerate(instance.interpreters):
        if interpreter.id in teacher_ids:
            yield Issue("interpreters", index, "interpreter_id",
                        f"'{interpreter.id}' is also a teacher id; unavailability rows could not "
                        "tell them apart", "give the interpreter a different id")


UNREADABLE_ID = ""
"""Stands, among a table's known ids, for a bad row whose id cell itself is bad (reported at
that cell): what references to the table name cannot be judged, so none is reported."""


def _referable(defined: Iterable[str], known: Mapping[str, set[str]],
               table: str) -> set[str] | None:
    """The ids references to ``table`` may use: its rows' and those of its bad rows (reported
    at their cells); ``None`` when the table has no rows at all, which is reported by itself
    (a required table missing or empty), so that its references are not all reported too."""
    rejected = known.get(table, set())
    if UNREADABLE_ID in rejected:  # a row whose own id cell is bad: its id is not known
        return None
    ids = set(defined) | rejected
    return ids or None


def _unknown(reference: object, ids: Collection[object] | None) -> bool:
    """Whether ``reference`` (an id, a period number) names no row of a table that has rows
    (``ids``, see :func:`_referable`)."""
    return reference is not None and ids is not None and reference not in ids


def _period_numbers(instance: Instance, known: Mapping[str, set[str]]) -> set[int] | None:
    """The period numbers references may use (see :func:`_referable`); ``None`` when a number
    is given twice (reported as a duplicate: which row was meant is not known)."""
    if _repeated_period(instance):
        return None
    ids = _referable((str(p.number) for p in instance.periods), known, "periods")
    return None if ids is None else {int(i) for i in ids if i.isdigit()}


def _repeated_period(instance: Instance) -> bool:
    return len({p.number for p in instance.periods}) != len(instance.periods)


def _period_grid(instance: Instance, known: Mapping[str, set[str]]) -> Iterator[Issue]:
    if _repeated_period(instance):  # a typo (8 for 9) reported as a duplicate, not as a gap
        return  # in the grid and at every block and preference of period 9
    numbers = sorted(_period_numbers(instance, known) or ())
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        yield Issue("periods", None, "period", f"periods must be numbered 1..N without gaps, "
                    f"found {numbers}", "renumber the periods from 1")
    ordered = sorted(enumerate(instance.periods), key=lambda ip: ip[1].number)
    order = {"morning": 0, "afternoon": 1, "evening": 2}
    for (_, before), (index, after) in itertools.pairwise(ordered):
        if after.start < before.end:
            yield Issue("periods", index, "start", f"period {after.number} starts at "
                        f"{after.start:%H:%M}, before period {before.number} ends at "
                        f"{before.end:%H:%M}", "make periods follow each other in time")
        if order[after.session] < order[before.session]:
            yield Issue("periods", index, "session", f"period {after.number} is in the "
                        f"{after.session} but period {before.number} is in the {before.session}",
                        "sessions must run morning, afternoon, evening")
    session = {p.number: p.session for p in instance.periods}
    for index, block in enumerate(instance.blocks):
        if any(p not in session for p in block.periods):
            missing = [p for p in block.periods if p not in numbers]
            if missing and numbers:  # else a bad period row or no periods: reported apart
                yield Issue("blocks", index, "last_period", f"block {block.id} uses period(s) "
                            f"{missing} that the periods sheet does not define",
                            "define the periods or shorten the block")
        elif len({session[p] for p in block.periods}) > 1:
            yield Issue("blocks", index, "last_period", f"block {block.id} straddles a break "
                        "between sessions (lunch or dinner)", "keep a block within one session")


def _in_term(instance: Instance, day: dt.date) -> bool:
    return instance.term.first_date <= day <= instance.term.last_date


def _dates(instance: Instance) -> Iterator[Issue]:
    term = instance.term
    span = f"{_fmt(term.first_date)}..{_fmt(term.last_date)}"
    holidays = {h.date for h in instance.holidays}
    last_week = term.week_of(term.last_date)
    for index, holiday in enumerate(instance.holidays):
        if not _in_term(instance, holiday.date):
            yield Issue("holidays", index, "date", f"{_fmt(holiday.date)} is outside the term "
                        f"{span}", "remove the row or correct the date")
    for index, adj in enumerate(instance.adjusted_workdays):
        if not _in_term(instance, adj.date):
            yield Issue("adjusted_workdays", index, "date", f"{_fmt(adj.date)} is outside the "
                        f"term {span}", "remove the row or correct the date")
        if adj.date in holidays:
            yield Issue("adjusted_workdays", index, "date", f"{_fmt(adj.date)} is also listed as "
                        "a holiday", "keep it in one of the two sheets")
        if adj.follows_weekday not in term.teaching_weekdays:
            yield Issue("adjusted_workdays", index, "follows_weekday",
                        f"{WEEKDAY_NAMES[adj.follows_weekday]} is not a teaching weekday",
                        "name a teaching weekday whose timetable the date holds")
        if adj.follows_week is not None and adj.follows_week > last_week:
            yield Issue("adjusted_workdays", index, "follows_week", f"week {adj.follows_week} "
                        f"is after the term's last week {last_week}", "correct the week")


def _mask_issues(instance: Instance, table: str, index: int, mask: TimeMask,
                 periods: set[int] | None) -> Iterator[Issue]:
    for column, value in (("first_period", mask.first_period),
                          ("last_period", mask.last_period)):
        if _unknown(value, periods):
            yield Issue(table, index, column, f"period {value} is not in the period grid",
                        f"use a period between 1 and {max(periods or (), default=0)}")
    if mask.date is not None and not _in_term(instance, mask.date):
        yield Issue(table, index, "date", f"{_fmt(mask.date)} is outside the term "
                    f"{_fmt(instance.term.first_date)}..{_fmt(instance.term.last_date)}",
                    "correct the date or remove the row")
    last_week = instance.term.week_of(instance.term.last_date)
    if mask.weeks is not None and mask.weeks.last > last_week:
        yield Issue(table, index, "last_week", f"week {mask.weeks.last} is after the term's last "
                    f"week {last_week}", f"use a week up to {last_week}")


def _rooms(instance: Instance, known: Mapping[str, set[str]]) -> Iterator[Issue]:
    types = _referable((t.id for t in instance.room_types), known, "room_types")
    for index, room in enumerate(instance.rooms):
        if _unknown(room.room_type, types):
            yield Issue("rooms", index, "room_type", f"unknown room type '{room.room_type}'",
                        f"use one of {', '.join(sorted(types or ()))} or add it to room_types")
    rooms = _referable(instance.room_by_id, known, "rooms")
    periods = _period_numbers(instance, known)
    for index, booking in enumerate(instance.bookings):
        if _unknown(booking.room_id, rooms):
            yield Issue("bookings", index, "room_id", f"unknown room '{booking.room_id}'",
                        "use a room_id of the rooms sheet")
        yield from _mask_issues(instance, "bookings", index, booking.mask, periods)


def _people(instance: Instance, known: Mapping[str, set[str]]) -> Iterator[Issue]:
    teachers = _referable(instance.teacher_by_id, known, "teachers")
    people = None if UNREADABLE_ID in known.get("interpreters", set()) else _referable(
        [*instance.teacher_by_id, *instance.interpreter_by_id,
         *known.get("interpreters", set())], known, "teachers")
    periods = _period_numbers(instance, known)
    windows: dict[str, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    term = instance.term
    for index, window in enumerate(instance.travel_windows):
        teacher = instance.teacher_by_id.get(window.teacher_id)
        if _unknown(window.teacher_id, teachers):
            yield Issue("travel_windows", index, "teacher_id", f"unknown teacher "
                        f"'{window.teacher_id}'", "use a teacher_id of the teachers sheet")
        elif teacher is not None and not teacher.visiting:
            yield Issue("travel_windows", index, "teacher_id", f"{teacher.name} "
                        f"({teacher.id}) has a travel window but is not marked visiting",
                        "set visiting to yes on the teachers sheet, or remove the window")
        first, last = window.teaching_dates()
        days = (window.departure - window.arrival).days
        if window.departure >= window.arrival:
            if last < first:
                yield Issue("travel_windows", index, "departure", f"the trip "
                            f"{_fmt(window.arrival)}..{_fmt(window.departure)} leaves no day "
                            "to teach between its travel days",
                            "extend the trip or allow teaching on arrival/departure")
            elif last < term.first_date or first > term.last_date:
                inside = not (window.departure < term.first_date
                              or window.arrival > term.last_date)
                days_text = (f"on {_fmt(first)}" if first == last
                             else f"from {_fmt(first)} to {_fmt(last)}")
                what = (f"can teach only {days_text} (after its travel and rest days), outside"
                        if inside else "is outside")
                yield Issue("travel_windows", index, "arrival", f"the trip "
                            f"{_fmt(window.arrival)}..{_fmt(window.departure)} {what} the "
                            f"term {_fmt(term.first_date)}..{_fmt(term.last_date)}",
                            "correct the dates or remove the trip")
            if days + 1 > term.max_trip_days:
                yield Issue("travel_windows", index, "departure", f"the trip lasts {days + 1} "
                            f"days, more than the longest stay allowed ({term.max_trip_days})",
                            "shorten the trip or split it in two")
        for other_index, other_arrival, other_departure in windows[window.teacher_id]:
            if window.arrival <= other_departure and other_arrival <= window.departure:
                yield Issue("travel_windows", index, "arrival", f"trip "
                            f"{_fmt(window.arrival)}..{_fmt(window.departure)} overlaps the trip "
                            f"{_fmt(other_arrival)}..{_fmt(other_departure)} of the same "
                            "teacher", "merge the two trips or correct the dates",
                            also=other_index)
        windows[window.teacher_id].append((index, window.arrival, window.departure))
    planned = set(instance.planned_visitors)
    for index, teacher in enumerate(instance.teachers):
        if teacher.visiting and teacher.id not in windows and teacher.id not in planned and \
                teacher.id not in known.get("travel_windows", set()) and \
                not known.get("trip_rules") and not _all_online(instance, teacher.id):
            yield Issue("teachers", index, "visiting", f"{teacher.name} ({teacher.id}) is "
                        "visiting but has no travel window and no trip rules, so can never "
                        "teach on site", "add a trip on the travel_windows sheet, a row for "
                        "them or their institution on the trip_rules sheet, allow their "
                        "courses online (online_allowed, max_online_share 100), or set "
                        "visiting to no")
        if teacher.max_periods_per_week < teacher.max_periods_per_day:
            yield Issue("teachers", index, "max_periods_per_week", f"at most "
                        f"{teacher.max_periods_per_week} periods a week but "
                        f"{teacher.max_periods_per_day} a day", "raise the weekly limit")
    for index, unavailable in enumerate(instance.unavailability):
        if _unknown(unavailable.person_id, people):
            yield Issue("unavailability", index, "person_id", f"unknown person "
                        f"'{unavailable.person_id}'", "use a teacher_id or an interpreter_id")
        yield from _mask_issues(instance, "unavailability", index, unavailable.mask, periods)
    for index, pref in enumerate(instance.preferences):
        if _unknown(pref.teacher_id, teachers):
            yield Issue("preferences", index, "teacher_id", f"unknown teacher "
                        f"'{pref.teacher_id}'", "use a teacher_id of the teachers sheet")
        for column, value in (("first_period", pref.first_period),
                              ("last_period", pref.last_period)):
            if _unknown(value, periods):
                yield Issue("preferences", index, column, f"period {value} is not in the grid",
                            f"use a period between 1 and {max(periods or (), default=0)}")


def _cohorts(instance: Instance, known: Mapping[str, set[str]]) -> Iterator[Issue]:
    cohorts = _referable(instance.cohort_by_id, known, "cohorts")
    for index, cohort in enumerate(instance.cohorts):
        if cohort.parent is None:
            continue
        parent = instance.cohort_by_id.get(cohort.parent)
        if _unknown(cohort.parent, cohorts):
            yield Issue("cohorts", index, "parent", f"unknown parent cohort '{cohort.parent}'",
                        "use a cohort_id of this sheet")
        elif cohort.parent == cohort.id:
            yield Issue("cohorts", index, "parent", "a cohort cannot be its own sub-group",
                        "clear the parent cell")
        elif parent is not None and parent.parent is not None:
            yield Issue("cohorts", index, "parent", f"'{cohort.parent}' is itself a sub-group; "
                        "sub-groups cannot be nested", "name the whole cohort as parent")
        elif parent is not None and (cohort.students_cn > parent.students_cn
                                     or cohort.students_ru > parent.students_ru):
            yield Issue("cohorts", index, "students_cn", f"sub-group {cohort.id} "
                        f"({cohort.students_cn} CN + {cohort.students_ru} RU) is larger than its "
                        f"cohort {parent.id} ({parent.students_cn} CN + {parent.students_ru} RU)",
                        "correct the numbers of students")


def _subgroups_disjoint(instance: Instance) -> Iterator[Issue]:
    """Sub-groups of one cohort never clash with each other, so they cannot share students."""
    for cohort in instance.cohorts:
        groups = instance.subgroups_of(cohort.id)
        cn = sum(g.students_cn for g in groups)
        ru = sum(g.students_ru for g in groups)
        if groups and (cn > cohort.students_cn or ru > cohort.students_ru):
            index = instance.cohorts.index(groups[-1])
            yield Issue("cohorts", index, "parent", f"the sub-groups of {cohort.id} "
                        f"({', '.join(g.id for g in groups)}) have {cn} CN + {ru} RU students, "
                        f"more than the cohort's {cohort.students_cn} CN + "
                        f"{cohort.students_ru} RU; sub-groups attend separately and must not "
                        "share students", "make the sub-groups a split of the cohort")


def _courses(instance: Instance, known: Mapping[str, set[str]]) -> Iterator[Issue]:
    cohorts = _referable(instance.cohort_by_id, known, "cohorts")
    teachers = _referable(instance.teacher_by_id, known, "teachers")
    types = _referable((t.id for t in instance.room_types), known, "room_types")
    lengths = {b.length for b in instance.blocks}
    last_week = instance.term.week_of(instance.term.last_date)
    for index, course in enumerate(instance.courses):
        for cid in course.cohorts:
            if _unknown(cid, cohorts):
                yield Issue("courses", index, "cohorts", f"unknown cohort '{cid}'",
                            "use cohort_ids of the cohorts sheet")
            cohort = instance.cohort_by_id.get(cid)
            if cohort is not None and cohort.parent in course.cohorts:
                yield Issue("courses", index, "cohorts", f"lists both cohort {cohort.parent} and "
                            f"its sub-group {cid}", "list the whole cohort or its sub-groups")
        for tid in course.teachers:
            teacher = instance.teacher_by_id.get(tid)
            if _unknown(tid, teachers):
                yield Issue("courses", index, "teachers", f"unknown teacher '{tid}'",
                            "use teacher_ids of the teachers sheet")
            elif teacher is not None and course.language not in teacher.languages:
                yield Issue("courses", index, "language", f"{teacher.name} ({tid}) does not "
                            f"teach in '{course.language}' (teaches in "
                            f"{', '.join(teacher.languages)})",
                            "change the language or the teacher's languages")
        if _unknown(course.room_type, types):
            yield Issue("courses", index, "room_type", f"unknown room type '{course.room_type}'",
                        f"use one of {', '.join(sorted(types or ()))}")
        uneven = uneven_meetings(course)  # checked with the row's other cells (a row
        if uneven is not None:  # dropped for it would hide them, e.g. a length of no block)
            yield Issue("courses", index, "contact_periods", *uneven)
        if lengths and course.meeting_length not in lengths:  # no blocks: reported apart
            longest = max(lengths, default=0)
            what = ("longer than any allowed block" if course.meeting_length > longest
                    else "not the length of any allowed block")
            yield Issue("courses", index, "meeting_length", f"a meeting of "
                        f"{course.meeting_length} periods is {what} (block lengths: "
                        f"{sorted(lengths)})", "use a block length or add a block")
        if course.weeks.last > last_week:
            yield Issue("courses", index, "last_week", f"week {course.weeks.last} is after the "
                        f"term's last week {last_week}", f"use a week up to {last_week}")
        if course.delivery == "intensive" and course.max_periods_per_day is not None and \
                course.max_periods_per_day < course.meeting_length:
            yield Issue("courses", index, "max_periods_per_day", f"at most "
                        f"{course.max_periods_per_day} periods a day is less than one meeting "
                        f"({course.meeting_length})", "raise max_periods_per_day")
        pairs = instance.interpreter_pairs(course)
        if pairs and not any(all(i.covers(p) for p in pairs) for i in instance.interpreters):
            shown = ", ".join(sorted("-".join(sorted(p)) for p in pairs))
            yield Issue("courses", index, "needs_interpreter", f"taught in '{course.language}' "
                        f"to students who do not follow it, but no interpreter covers {shown}",
                        "add an interpreter with those pairs, or set needs_interpreter to no")


def _rooms_big_enough(instance: Instance) -> Iterator[Issue]:
    largest: dict[str, int] = Counter()
    for room in instance.rooms:
        largest[room.room_type] = max(largest[room.room_type], room.capacity)
    for index, course in enumerate(instance.courses):
        size = instance.course_size(course)
        if course.room_type not in largest:
            yield Issue("courses", index, "room_type", f"no room is of type "
                        f"'{course.room_type}'", "add a room of that type on the rooms sheet, "
                        "or change the course's room_type")
        elif size > largest[course.room_type]:
            yield Issue("courses", index, "cohorts", f"{size} students attend but the largest "
                        f"'{course.room_type}' room seats {largest[course.room_type]}",
                        "split the course by sub-groups, or add a larger room")


def _weekly_delivery(instance: Instance, calendar: TermCalendar) -> Iterator[Issue]:
    for index, course in enumerate(instance.courses):
        if course.delivery != "weekly" or course.meetings_per_week is None:
            continue
        best = max((len(calendar.occurrences(d, course.weeks))
                    for d in instance.term.teaching_weekdays), default=0)
        deliverable = best * course.meetings_per_week * course.meeting_length
        if deliverable < course.contact_periods:
            yield Issue("courses", index, "contact_periods", f"needs {course.contact_periods} "
                        f"contact periods but {course.meetings_per_week} meeting(s) of "
                        f"{course.meeting_length} a week in weeks {course.weeks.first}-"
                        f"{course.weeks.last} ({course.weeks.parity}) deliver at most "
                        f"{deliverable} after holidays", "widen the week range or add meetings")


def _free_periods(instance: Instance, availability: Availability, calendar: TermCalendar,
                  teacher_id: str) -> dict[dt.date, int]:
    return {
        day.date: sum(availability.teacher_free(teacher_id, day, p)
                      for p in calendar.period_numbers)
        for day in calendar.days
    }


def _intensive_capacity(instance: Instance, availability: Availability,
                        calendar: TermCalendar) -> Iterator[Issue]:
    for index, course in enumerate(instance.courses):
        if course.delivery != "intensive" or not course.teachers:
            continue
        if any(t not in instance.teacher_by_id for t in course.teachers):
            continue
        per_day = min([instance.teacher_by_id[t].max_periods_per_day for t in course.teachers]
                      + ([course.max_periods_per_day] if course.max_periods_per_day else []))
        per_day -= per_day % course.meeting_length
        days = [d for d in calendar.days_in_weeks(course.weeks)
                if all(availability.teacher_on_site(t, d.date) for t in course.teachers)]
        capacity = 0
        for day in days:
            free = min(sum(availability.teacher_free(t, day, p) for p in calendar.period_numbers)
                       for t in course.teachers)
            capacity += min(per_day, free - free % course.meeting_length)
        if capacity + online_allowance(instance, course) < course.contact_periods:
            names = ", ".join(instance.teacher_by_id[t].name for t in course.teachers)
            span = (f"between {_fmt(days[0].date)} and {_fmt(days[-1].date)}" if days
                    else "on no teaching day of the term")
            yield Issue("courses", index, "contact_periods", f"{names}: {course.contact_periods} "
                        f"periods of intensive teaching ({course.id}) but only {capacity} "
                        f"periods available {span} at {per_day} per day",
                        "extend the trip, raise max_periods_per_day, or reduce the hours")


def teacher_capacity(instance: Instance, availability: Availability, calendar: TermCalendar,
                     teacher_id: str) -> int:
    """Most periods a teacher could teach this term (daily and weekly limits applied)."""
    teacher = instance.teacher_by_id[teacher_id]
    free = _free_periods(instance, availability, calendar, teacher_id)
    per_week: dict[int, int] = Counter()
    for day in calendar.days:
        per_week[day.calendar_week] += min(teacher.max_periods_per_day, free[day.date])
    return sum(min(teacher.max_periods_per_week, v) for v in per_week.values())


def _courses_per_day(instance: Instance, teacher_id: str) -> int:
    """The most periods a teacher's courses can hold on one day, together: an intensive
    course its ``max_periods_per_day`` (whole meetings; unlimited when blank), a weekly course
    all its meetings of a week."""
    total = 0
    for course in instance.courses:
        if teacher_id not in course.teachers:
            continue
        if course.delivery == "weekly" and course.meetings_per_week:
            total += course.meetings_per_week * course.meeting_length
        elif course.delivery != "weekly" and course.max_periods_per_day:
            total += course.max_periods_per_day - course.max_periods_per_day % \
                course.meeting_length
        else:
            return len(instance.periods)
    return total


def trips_capacity(instance: Instance, availability: Availability, calendar: TermCalendar,
                   teacher_id: str) -> int | None:
    """For a planned visitor, the most periods any trips their rules allow could hold: the
    best set of at most ``max_trips`` trips that do not overlap (each arriving and leaving on
    allowed weekdays, within the dates, at most ``max_stay_days`` long, no home blackout in
    it), each day taught capped at the daily limit and at what their courses can hold in a
    day together. An upper bound (the weekly limit, the
    days at home between trips and the courses' weeks are left out), so that a demand above it
    proves that no timetable exists. ``None`` for anyone else."""
    plan = instance.trip_plan(teacher_id)
    if plan is None or teacher_id not in instance.planned_visitors:
        return None
    teacher = instance.teacher_by_id[teacher_id]
    free = _free_periods(instance, availability, calendar, teacher_id)
    per_day = min(teacher.max_periods_per_day, _courses_per_day(instance, teacher_id))
    first, last = plan.earliest_arrival, plan.latest_departure
    span = (last - first).days + 1
    if span <= 0:
        return 0
    held = [0] * (span + 1)  # held[n]: periods teachable on the first n days
    for n in range(span):
        day = first + dt.timedelta(days=n)
        held[n + 1] = held[n] + min(per_day, free.get(day, 0))
    ahead, behind = plan.travel_days + plan.rest_days, plan.travel_days
    trips = []  # (arrival, departure, periods) as day numbers
    for a in range(span):
        if (first + dt.timedelta(days=a)).weekday() not in plan.arrival_weekdays:
            continue
        for d in range(a, min(span, a + plan.max_stay_days)):
            if first + dt.timedelta(days=d) in plan.blackouts:
                break
            if d - a + 1 < plan.min_stay_days or \
                    (first + dt.timedelta(days=d)).weekday() not in plan.departure_weekdays:
                continue
            trips.append((a, d, held[d - behind + 1] - held[a + ahead]))
    best = [0] * (span + 1)  # best[n]: most periods of the trips so far that end before day n
    for _ in range(plan.max_trips):
        more = best[:]
        for a, d, periods in trips:
            more[d + 1] = max(more[d + 1], best[a] + periods)
        for n in range(1, span + 1):
            more[n] = max(more[n], more[n - 1])
        best = more
    return best[span]


def _all_online(instance: Instance, teacher_id: str) -> bool:
    """Every course of the visitor may be taught online in full (they need no trip)."""
    return all(online_allowance(instance, c) >= c.contact_periods
               for c in instance.courses if teacher_id in c.teachers)


def online_allowance(instance: Instance, course: Course) -> int:
    """Contact periods a course's visitors may teach online from home (whole meetings)."""
    if not any(t in instance.teacher_by_id and instance.teacher_by_id[t].visiting
               for t in course.teachers):
        return 0
    return course.max_online_periods - course.max_online_periods % course.meeting_length


def teacher_demand(instance: Instance, teacher_id: str) -> int:
    """Contact periods of all courses a teacher teaches."""
    return sum(c.contact_periods for c in instance.courses if teacher_id in c.teachers)


def _teacher_load(instance: Instance, availability: Availability,
                  calendar: TermCalendar) -> Iterator[Issue]:
    for index, teacher in enumerate(instance.teachers):
        demand = teacher_demand(instance, teacher.id) - sum(
            online_allowance(instance, c) for c in instance.courses if teacher.id in c.teachers)
        if demand <= 0:
            continue
        capacity = teacher_capacity(instance, availability, calendar, teacher.id)
        trips = trips_capacity(instance, availability, calendar, teacher.id)
        if trips is not None and trips < capacity and demand > trips:
            plan = instance.trip_plan(teacher.id)
            assert plan is not None
            daily = min(teacher.max_periods_per_day, _courses_per_day(instance, teacher.id))
            yield Issue("teachers", index, "teacher_id", f"{teacher.name} ({teacher.id}) must "
                        f"teach {demand} periods but at most {trips} fit in the trips their "
                        f"rules allow (at most {plan.max_trips} trip(s) of at most "
                        f"{plan.max_stay_days} days between {plan.earliest_arrival.isoformat()} "
                        f"and {plan.latest_departure.isoformat()}, arriving and leaving on the "
                        f"allowed weekdays, {plan.travel_days} travel day(s) at each end and "
                        f"{plan.rest_days} rest day(s); at most {daily} a day)",
                        "allow longer stays, more trips or more flight weekdays "
                        "(trip_rules), or move courses to others")
            continue
        if demand > capacity:
            where = ("on the dates their trips may cover" if teacher.id in
                     instance.planned_visitors else "in their travel windows"
                     if teacher.visiting else "this term")
            fix = ("extend their trips, raise their limits, or move courses to others"
                   if teacher.visiting else "remove some of their unavailability rows, raise "
                   "their limits, or move courses to others")
            yield Issue("teachers", index, "teacher_id", f"{teacher.name} ({teacher.id}) must "
                        f"teach {demand} periods but can teach at most {capacity} {where} "
                        f"(at most {teacher.max_periods_per_day} a day, "
                        f"{teacher.max_periods_per_week} a week)", fix)


def cohort_courses(instance: Instance, cohort_id: str) -> list[Course]:
    """Courses a cohort attends: its own, and those of its parent cohort."""
    cohort = instance.cohort_by_id[cohort_id]
    ids = {cohort_id} | ({cohort.parent} if cohort.parent else set())
    return [c for c in instance.courses if ids & set(c.cohorts)]


def _cohort_load(instance: Instance, calendar: TermCalendar) -> Iterator[Issue]:
    periods_per_day = len(instance.periods)
    days_per_week: dict[int, int] = Counter(d.calendar_week for d in calendar.days)
    for index, cohort in enumerate(instance.cohorts):
        if instance.subgroups_of(cohort.id):
            continue  # checked through each sub-group, which also attends the whole cohort
        courses = cohort_courses(instance, cohort.id)
        for week, days in sorted(days_per_week.items()):
            load = sum(c.meetings_per_week * c.meeting_length for c in courses
                       if c.delivery == "weekly" and c.meetings_per_week and week in c.weeks)
            if load > days * periods_per_day:
                yield Issue("cohorts", index, "cohort_id", f"cohort {cohort.id} has {load} "
                            f"periods of weekly courses in week {week} but only "
                            f"{days * periods_per_day} teaching periods that week",
                            "spread the courses over more weeks")
                break
        total = sum(c.contact_periods for c in courses)
        available = len(calendar.days) * periods_per_day
        if total > available:
            yield Issue("cohorts", index, "cohort_id", f"cohort {cohort.id} must attend "
                        f"{total} periods but the term has only {available}",
                        "move courses to another term")


def _windows_without_teaching_days(instance: Instance) -> Iterator[Issue]:
    """Each travel window whose days to teach (after its travel and rest days, before its
    departure travel) fall in the term but hold no teaching day: weekends and holidays only
    (format.md: a window leaves at least one teaching day). Windows with no day to teach or
    none in the term are reported by :func:`_people`."""
    term = instance.term
    teaching = {d.date for d in TermCalendar(instance).days}
    for index, window in enumerate(instance.travel_windows):
        first, last = window.teaching_dates()
        if last < first or last < term.first_date or first > term.last_date:
            continue
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        if not any(day in teaching for day in days):
            span = f"on {_fmt(first)}" if first == last else f"from {_fmt(first)} to {_fmt(last)}"
            yield Issue("travel_windows", index, "arrival", f"the trip "
                        f"{_fmt(window.arrival)}..{_fmt(window.departure)} can teach only "
                        f"{span} (after its travel and rest days), and these are weekends or "
                        "holidays: it leaves no teaching day",
                        "move or extend the trip to cover a teaching day, or remove it")


def uneven_meetings(course: Course) -> tuple[str, str] | None:
    """The problem and its fix when ``course``'s contact periods are not whole meetings."""
    if course.contact_periods % course.meeting_length == 0:
        return None
    return (f"{course.contact_periods} contact periods is not a multiple of the meeting "
            f"length {course.meeting_length}", "make contact_periods a multiple of "
            "meeting_length")


def check_instance(instance: Instance, known_ids: Mapping[str, set[str]] | None = None,
                   arithmetic: bool = True, term_known: bool = True) -> list[Issue]:
    """Every cross-row problem of ``instance``.

    ``known_ids`` lists, per table, ids of rows a reader dropped for bad cells, so that
    references to them are not reported as unknown as well. The arithmetic checks (capacity
    against demand) run only when ``arithmetic`` is true and the references are sound.
    ``term_known=False`` (a reader that could not read the term, and gives an instance with a
    stand-in term spanning every date) runs only the checks that do not depend on the term: ids,
    references, the period grid, sizes and limits.
    """
    known = known_ids or {}
    issues: list[Issue] = []
    issues.extend(_key_duplicates(instance))
    issues.extend(_period_grid(instance, known))
    if term_known:
        dated = list(_dates(instance))
        issues.extend(dated or _windows_without_teaching_days(instance))
    issues.extend(_rooms(instance, known))
    issues.extend(_people(instance, known))
    issues.extend(_cohorts(instance, known))
    if not issues:
        issues.extend(_subgroups_disjoint(instance))
    issues.extend(_courses(instance, known))
    if not term_known:
        return issues
    issues.extend(trip_rule_issues(instance, known, rules=not issues))
    if issues or known or not arithmetic:
        return issues  # arithmetic checks need consistent references
    calendar = TermCalendar(instance)
    availability = Availability(instance)
    issues.extend(_rooms_big_enough(instance))
    issues.extend(_weekly_delivery(instance, calendar))
    issues.extend(_intensive_capacity(instance, availability, calendar))
    issues.extend(_teacher_load(instance, availability, calendar))
    issues.extend(_cohort_load(instance, calendar))
    return issues


def validate_instance(instance: Instance, source: str = "<instance>") -> None:
    """Raise :class:`InputError` if ``instance`` (built in memory) has problems."""
    problems = [
        Problem(source, i.text(None if i.also is None else i.also + 2), i.fix, sheet=i.table,
                row=None if i.index is None else i.index + 2, column=i.column)
        for i in check_instance(instance)
    ]
    if problems:
        raise InputError(problems)



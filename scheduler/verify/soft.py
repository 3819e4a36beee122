"""Soft costs recomputed from a timetable (the verifier's own reading of docs/objective.md).

Each function returns the unweighted count of one soft term; :func:`soft_costs` gathers them.
Nothing here is shared with the CP-SAT model's objective.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable

from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable
from scheduler.verify.dates import TermDates
from scheduler.verify.trips import trip_costs


def _leaf_cohorts(instance: Instance) -> dict[str, set[str]]:
    """Each cohort without sub-groups, with the cohorts whose meetings it attends."""
    parents = {c.parent for c in instance.cohorts if c.parent}
    return {c.id: {c.id} | ({c.parent} if c.parent else set())
            for c in instance.cohorts if c.id not in parents}


def _cohort_days(instance: Instance, timetable: Timetable) -> dict[tuple[str, dt.date],
                                                                   list[Meeting]]:
    leaves = _leaf_cohorts(instance)
    attended: dict[str, list[str]] = defaultdict(list)  # course -> leaves
    for course in instance.courses:
        for leaf, groups in leaves.items():
            if groups & set(course.cohorts):
                attended[course.id].append(leaf)
    days: dict[tuple[str, dt.date], list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        for leaf in attended.get(m.course_id, ()):
            days[(leaf, m.date)].append(m)
    return days


def cohort_idle_period(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    total = 0
    grid = sorted(p.number for p in instance.periods)
    for meetings in _cohort_days(instance, timetable).values():
        taught = {p for m in meetings for p in m.periods}
        total += sum(1 for p in grid if min(taught) < p < max(taught) and p not in taught)
    return total


def cohort_single_meeting_day(instance: Instance, timetable: Timetable,
                              dates: TermDates) -> int:
    return sum(len(ms) == 1 for ms in _cohort_days(instance, timetable).values())


def lunch_break_missed(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    lunch = {p.number for p in instance.periods if p.lunch}
    if not lunch:
        return 0
    return sum(lunch <= {p for m in ms for p in m.periods}
               for ms in _cohort_days(instance, timetable).values())


def cohort_overload_period(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    cap = instance.weights.cohort_daily_cap
    return sum(max(0, sum(m.length for m in ms) - cap)
               for ms in _cohort_days(instance, timetable).values())


def cohort_building_change(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    building = {r.id: r.building for r in instance.rooms}
    return sum(len({building.get(m.room_id) for m in ms}) - 1
               for ms in _cohort_days(instance, timetable).values())


def evening_period(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    evening = {p.number for p in instance.periods if p.session == "evening"}
    return sum(len(evening.intersection(m.periods)) for m in timetable.meetings)


def adjusted_day_meeting(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    adjusted = {a.date for a in instance.adjusted_workdays}
    return sum(m.date in adjusted for m in timetable.meetings)


def _preference_counts(instance: Instance, timetable: Timetable,
                       dates: TermDates) -> tuple[int, int]:
    prefs = defaultdict(list)
    for p in instance.preferences:
        prefs[p.teacher_id].append(p)

    def hit(pref, weekday: int, period: int) -> bool:
        if pref.weekday is not None and pref.weekday != weekday:
            return False
        if pref.first_period is not None and period < pref.first_period:
            return False
        return pref.last_period is None or period <= pref.last_period

    avoided = unpreferred = 0
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        if course is None:
            continue
        weekday = dates.facts(m.date).timetable_weekday
        for teacher in course.teachers:
            mine = prefs.get(teacher, [])
            wanted = [p for p in mine if p.kind == "prefer"]
            for period in m.periods:
                if any(p.kind == "avoid" and hit(p, weekday, period) for p in mine):
                    avoided += 1
                if wanted and not any(hit(p, weekday, period) for p in wanted):
                    unpreferred += 1
    return avoided, unpreferred


def teacher_avoided_period(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    return _preference_counts(instance, timetable, dates)[0]


def teacher_unpreferred_period(instance: Instance, timetable: Timetable,
                               dates: TermDates) -> int:
    return _preference_counts(instance, timetable, dates)[1]


def seat_waste(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    total = 0
    percent = instance.weights.seat_slack_percent
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        room = instance.room_by_id.get(m.room_id)
        if course is None or room is None:
            continue
        students = sum(instance.cohort_by_id[c].size for c in course.cohorts
                       if c in instance.cohort_by_id)
        slack = math.ceil(students * percent / 100)
        total += max(0, room.capacity - students - slack) // 10
    return total


def _weekly_slots(instance: Instance, timetable: Timetable,
                  dates: TermDates) -> dict[str, set[tuple[int, int, int]]]:
    slots: dict[str, set[tuple[int, int, int]]] = defaultdict(set)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        if course is not None and course.delivery == "weekly":
            weekday = dates.facts(m.date).timetable_weekday
            slots[m.course_id].add((weekday, m.first_period, m.last_period))
    return slots


def course_same_day(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    return sum(len(s) - len({w for w, _, _ in s})
               for s in _weekly_slots(instance, timetable, dates).values())


def course_day_gap(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    gap = instance.weights.min_day_gap
    total = 0
    for slots in _weekly_slots(instance, timetable, dates).values():
        days = sorted({w for w, _, _ in slots})
        total += sum(1 for i, a in enumerate(days) for b in days[i + 1:] if b - a < gap)
    return total


def _intensive_dates(instance: Instance, timetable: Timetable) -> dict[str, set[dt.date]]:
    taught: dict[str, set[dt.date]] = defaultdict(set)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        if course is not None and course.delivery == "intensive":
            taught[m.course_id].add(m.date)
    return taught


def intensive_long_run(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    limit = instance.weights.max_consecutive_days
    total = 0
    for taught in _intensive_dates(instance, timetable).values():
        for start in taught:
            if all(start + dt.timedelta(days=k) in taught for k in range(limit + 1)):
                total += 1
    return total


def intensive_room_change(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    rooms: dict[str, set[str]] = defaultdict(set)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        if course is not None and course.delivery == "intensive":
            rooms[m.course_id].add(m.room_id)
    return sum(len(r) - 1 for r in rooms.values())


def interpreter_change(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    people: dict[str, set[str]] = defaultdict(set)
    for m in timetable.meetings:
        if m.interpreter_id:
            people[m.course_id].add(m.interpreter_id)
    return sum(len(p) - 1 for p in people.values())


def _visitor_dates(instance: Instance, timetable: Timetable) -> dict[str, set[dt.date]]:
    visitors = {t.id for t in instance.teachers if t.visiting}
    taught: dict[str, set[dt.date]] = defaultdict(set)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        for t in course.teachers if course else ():
            if t in visitors:
                taught[t].add(m.date)
    return taught


def visitor_teaching_day(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    return sum(len(d) for d in _visitor_dates(instance, timetable).values())


def visitor_idle_day(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    taught = _visitor_dates(instance, timetable)
    total = 0
    for window in instance.travel_windows:
        mine = sorted(d for d in taught.get(window.teacher_id, ())
                      if window.arrival <= d <= window.departure)
        if len(mine) < 2:
            continue
        day = mine[0]
        while day < mine[-1]:
            if dates.facts(day).taught and day not in taught[window.teacher_id]:
                total += 1
            day += dt.timedelta(days=1)
    return total


def teacher_week_imbalance(instance: Instance, timetable: Timetable, dates: TermDates) -> int:
    wanted = sorted(instance.term.teaching_weekdays)
    weeks: dict[int, list] = defaultdict(list)
    for facts in dates.all_days():
        if facts.taught:
            weeks[facts.calendar_week].append(facts)
    adjusted = {a.date for a in instance.adjusted_workdays}
    regular = [w for w, days in weeks.items()
               if not any(f.date in adjusted for f in days)
               and sorted(f.date.weekday() for f in days) == wanted]
    if len(regular) < 2:
        return 0
    load: dict[tuple[str, int], int] = defaultdict(int)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        for t in course.teachers if course else ():
            load[(t, dates.week(m.date))] += m.length
    total = 0
    for teacher in instance.teachers:
        if teacher.visiting or not any(teacher.id in c.teachers for c in instance.courses):
            continue
        loads = [load.get((teacher.id, w), 0) for w in regular]
        total += max(loads) - min(loads)
    return total


SOFT_TERMS: dict[str, Callable[[Instance, Timetable, TermDates], int]] = {
    "cohort_idle_period": cohort_idle_period,
    "cohort_single_meeting_day": cohort_single_meeting_day,
    "lunch_break_missed": lunch_break_missed,
    "cohort_overload_period": cohort_overload_period,
    "cohort_building_change": cohort_building_change,
    "evening_period": evening_period,
    "adjusted_day_meeting": adjusted_day_meeting,
    "teacher_avoided_period": teacher_avoided_period,
    "teacher_unpreferred_period": teacher_unpreferred_period,
    "seat_waste": seat_waste,
    "course_same_day": course_same_day,
    "course_day_gap": course_day_gap,
    "intensive_long_run": intensive_long_run,
    "intensive_room_change": intensive_room_change,
    "interpreter_change": interpreter_change,
    "visitor_teaching_day": visitor_teaching_day,
    "visitor_idle_day": visitor_idle_day,
    "teacher_week_imbalance": teacher_week_imbalance,
}


def moved_meeting(instance: Instance, timetable: Timetable, baseline: Timetable) -> int:
    """Baseline meetings (of courses still in the instance) not kept at the same date,
    periods and room."""
    now = {(m.course_id, m.date, m.first_period, m.last_period, m.room_id)
           for m in timetable.meetings}
    before = {(m.course_id, m.date, m.first_period, m.last_period, m.room_id)
              for m in baseline.meetings if m.course_id in instance.course_by_id}
    return len(before - now)


def unplaced_period(instance: Instance, timetable: Timetable) -> int:
    """Contact periods of courses without any meeting."""
    placed = {m.course_id for m in timetable.meetings}
    return sum(c.contact_periods for c in instance.courses if c.id not in placed)


def soft_costs(instance: Instance, timetable: Timetable, baseline: Timetable | None = None,
               allow_unplaced: bool = False) -> tuple[dict[str, int], dict[str, int]]:
    """(count per term, weighted cost per term) for every term with a non-zero weight.

    ``moved_meeting`` is counted only against a ``baseline``; ``unplaced_period`` only in
    relaxed solving (``allow_unplaced``); ``visitor_trip`` and ``visitor_day_abroad`` only
    for an instance that plans trips (:func:`scheduler.verify.trips.trip_costs`). The
    timetable's planned trips are the planned visitors' travel windows.
    """
    planned = instance
    instance = instance.with_trips(timetable.trips)  # planned trips: the windows they make
    dates = TermDates(instance)
    counts, weighted = {}, {}
    for name, compute in SOFT_TERMS.items():
        weight = getattr(instance.weights, name)
        if not weight:
            continue
        counts[name] = compute(instance, timetable, dates)
        weighted[name] = weight * counts[name]
    for name, count in trip_costs(planned, timetable).items():
        weight = getattr(instance.weights, name)
        if weight:
            counts[name] = count
            weighted[name] = weight * count
    if baseline is not None and instance.weights.moved_meeting:
        counts["moved_meeting"] = moved_meeting(instance, timetable, baseline)
        weighted["moved_meeting"] = instance.weights.moved_meeting * counts["moved_meeting"]
    if allow_unplaced:
        weight = instance.weights.counted("unplaced_period")
        counts["unplaced_period"] = unplaced_period(instance, timetable)
        weighted["unplaced_period"] = weight * counts["unplaced_period"]
    return counts, weighted

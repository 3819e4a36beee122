"""Hard rules, each recomputed from the timetable and the instance in its own function."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from scheduler.instance import (
    WEEKDAY_NAMES,
    Booking,
    Course,
    Instance,
    TravelWindow,
    Unavailability,
)
from scheduler.timetable import Meeting, Timetable, Trip
from scheduler.verify.dates import DayFacts, TermDates, mask_blocks
from scheduler.verify.weekly import Slot, WeeklyPattern, weekly_pattern

E = TypeVar("E", Unavailability, Booking)


class Violation:
    """One broken hard rule, said in words, with the meetings it is about (for a weekly date
    without its meeting: the meetings of the same slot just before and after).

    ``edit`` marks a single hand edit of a weekly course (a meeting moved, added, doubled or
    put in another room): the other violations of its meetings are consequences of it.
    ``trips``: the visitors' trips a broken trip rule is about.
    """

    __slots__ = ("edit", "meetings", "message", "rule", "trips")

    def __init__(self, rule: str, message: str, meetings: Iterable[Meeting] = (),
                 edit: bool = False, trips: Iterable[Trip] = ()) -> None:
        self.rule = rule
        self.message = message
        self.meetings: tuple[Meeting, ...] = tuple(meetings)
        self.edit = edit
        self.trips: tuple[Trip, ...] = tuple(trips)

    def __repr__(self) -> str:
        return f"Violation({self.rule!r}, {self.message!r})"

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def _when(m: Meeting) -> str:
    periods = (f"period {m.first_period}" if m.first_period == m.last_period
               else f"periods {m.first_period}-{m.last_period}")
    return f"{m.date.isoformat()} ({WEEKDAY_NAMES[m.date.weekday()]}) {periods}"


def _teacher_name(instance: Instance, teacher_id: str) -> str:
    teacher = instance.teacher_by_id.get(teacher_id)
    return f"{teacher.name} ({teacher_id})" if teacher else teacher_id


def references(instance: Instance, timetable: Timetable) -> Iterator[Violation]:
    """Meetings name existing courses, rooms and interpreters."""
    for m in timetable.meetings:
        if m.course_id not in instance.course_by_id:
            yield Violation("unknown course", f"meeting on {_when(m)} names course "
                            f"'{m.course_id}', which the instance does not have", (m,))
        if m.room_id not in instance.room_by_id:
            yield Violation("unknown room", f"{m.course_id} on {_when(m)} is in room "
                            f"'{m.room_id}', which the instance does not have", (m,))
        if m.interpreter_id is not None and m.interpreter_id not in instance.interpreter_by_id:
            yield Violation("unknown interpreter", f"{m.course_id} on {_when(m)} has interpreter "
                            f"'{m.interpreter_id}', who is not in the instance", (m,))


def teaching_days_and_blocks(instance: Instance, timetable: Timetable,
                             dates: TermDates) -> Iterator[Violation]:
    """Meetings fall on teaching days, in one allowed block of the course's meeting length."""
    blocks = {(b.first_period, b.last_period) for b in instance.blocks}
    for m in timetable.meetings:
        facts = dates.facts(m.date)
        if not facts.taught:
            yield Violation("teaching day", f"{m.course_id} meets on {_when(m)}, which is "
                            f"{facts.why_not}", (m,))
        if (m.first_period, m.last_period) not in blocks:
            yield Violation("block", f"{m.course_id} on {_when(m)} does not occupy an allowed "
                            "block (it would straddle a break or the end of the day)", (m,))
        course = instance.course_by_id.get(m.course_id)
        if course is not None and m.length != course.meeting_length:
            yield Violation("block", f"{m.course_id} on {_when(m)} lasts {m.length} periods; "
                            f"its meetings last {course.meeting_length}", (m,))


def _blocking(entries: Iterable[E], m: Meeting, facts: DayFacts) -> Iterator[tuple[E, list[int]]]:
    """Each entry whose mask blocks some period of ``m``, with those periods."""
    for entry in entries:
        hit = [p for p in m.periods if mask_blocks(entry.mask, facts, p)]
        if hit:
            yield entry, hit


class Masks:
    """Each person's unavailability and each room's bookings, read once per verification."""

    def __init__(self, instance: Instance) -> None:
        self._people: dict[str, list[Unavailability]] = defaultdict(list)
        for u in instance.unavailability:
            self._people[u.person_id].append(u)
        self._rooms: dict[str, list[Booking]] = defaultdict(list)
        for b in instance.bookings:
            self._rooms[b.room_id].append(b)

    def person(self, person_id: str, m: Meeting,
               facts: DayFacts) -> Iterator[tuple[Unavailability, list[int]]]:
        """The person's unavailability that blocks periods of ``m`` (with those periods)."""
        return _blocking(self._people.get(person_id, ()), m, facts)

    def room(self, room_id: str, m: Meeting,
             facts: DayFacts) -> Iterator[tuple[Booking, list[int]]]:
        """The room's bookings that block periods of ``m`` (with those periods)."""
        return _blocking(self._rooms.get(room_id, ()), m, facts)


def _known(instance: Instance, timetable: Timetable) -> Iterator[tuple[Meeting, Course]]:
    """Meetings of courses the instance has, with their course (the others are reported by
    :func:`references`)."""
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        if course is not None:
            yield m, course


def rooms_fit(instance: Instance, timetable: Timetable, dates: TermDates,
              masks: Masks) -> Iterator[Violation]:
    """Room type, capacity, and bookings by other units."""
    for m, course in _known(instance, timetable):
        room = instance.room_by_id.get(m.room_id)
        if room is None:
            continue
        if room.room_type != course.room_type:
            yield Violation("room type", f"{m.course_id} needs a {course.room_type} room but "
                            f"meets in {room.id} ({room.room_type}) on {_when(m)}", (m,))
        students = sum(instance.cohort_by_id[c].size for c in course.cohorts
                       if c in instance.cohort_by_id)
        if students > room.capacity:
            yield Violation("room capacity", f"{m.course_id} has {students} students but room "
                            f"{room.id} seats {room.capacity} ({_when(m)})", (m,))
        for booking, hit in masks.room(room.id, m, dates.facts(m.date)):
            who = f" by {booking.unit}" if booking.unit else ""
            yield Violation("room booking", f"room {room.id} is booked{who} on "
                            f"{m.date.isoformat()} periods {hit[0]}-{hit[-1]}, but "
                            f"{m.course_id} meets there ({_when(m)})", (m,))


def teachers_available(instance: Instance, timetable: Timetable, dates: TermDates,
                       masks: Masks) -> Iterator[Violation]:
    """Visitors teach on site inside their windows and not on travel days; nobody when
    unavailable."""
    for m, course in _known(instance, timetable):
        facts = dates.facts(m.date)
        for teacher_id in course.teachers:
            teacher = instance.teacher_by_id.get(teacher_id)
            if teacher is None:
                continue
            if teacher.visiting and not m.online:  # online: scheduler.verify.online
                inside = []
                for w in instance.travel_windows:
                    if w.teacher_id == teacher_id and w.arrival <= m.date <= w.departure:
                        inside.append(w)
                if not inside:
                    yield Violation("travel window", f"{_teacher_name(instance, teacher_id)} "
                                    f"teaches {m.course_id} on {_when(m)} but is not in "
                                    "Chongqing then (none of their trips covers the date)", (m,))
                for w in inside:
                    yield from _travel_days(instance, teacher_id, w, m)
            for u, hit in masks.person(teacher_id, m, facts):
                why = f" ({u.reason})" if u.reason else ""
                yield Violation("teacher unavailable", f"{_teacher_name(instance, teacher_id)}"
                                f" is unavailable{why} on {m.date.isoformat()} periods "
                                f"{hit[0]}-{hit[-1]} but teaches {m.course_id}", (m,))


def _travel_days(instance: Instance, teacher_id: str, w: TravelWindow,
                 m: Meeting) -> Iterator[Violation]:
    """A meeting on a travel day (the first or last ``travel_days`` of a window, unless the
    teacher teaches on arrival or departure) or a rest day after the arrival."""
    after_arrival = m.date.toordinal() - w.arrival.toordinal()
    before_departure = w.departure.toordinal() - m.date.toordinal()
    who = _teacher_name(instance, teacher_id)
    if not w.teach_on_arrival and after_arrival < w.travel_days:
        yield Violation("travel day", f"{who} teaches {m.course_id} on {_when(m)}, the arrival "
                        "(travel) day", (m,))
    elif not w.teach_on_arrival and after_arrival < w.travel_days + w.rest_days:
        yield Violation("rest day", f"{who} teaches {m.course_id} on {_when(m)}, a rest day "
                        "after the arrival", (m,))
    if not w.teach_on_departure and before_departure < w.travel_days:
        yield Violation("travel day", f"{who} teaches {m.course_id} on {_when(m)}, the "
                        "departure (travel) day", (m,))


def _needed_pairs(instance: Instance, course: Course) -> set[frozenset[str]]:
    if not course.needs_interpreter:
        return set()
    needed = set()
    for cid in course.cohorts:
        cohort = instance.cohort_by_id.get(cid)
        if cohort is None or course.language in cohort.languages:
            continue
        if cohort.students_cn > 0 and course.language != "zh":
            needed.add(frozenset((course.language, "zh")))
        if cohort.students_ru > 0 and course.language != "ru":
            needed.add(frozenset((course.language, "ru")))
    return needed


def interpreters(instance: Instance, timetable: Timetable, dates: TermDates,
                 masks: Masks) -> Iterator[Violation]:
    """An interpreter covering the needed pairs attends when students miss the language."""
    for m, course in _known(instance, timetable):
        needed = _needed_pairs(instance, course)
        person = instance.interpreter_by_id.get(m.interpreter_id or "")
        if needed and m.interpreter_id is None:
            pairs = ", ".join(sorted("-".join(sorted(p)) for p in needed))
            yield Violation("interpreter missing", f"{m.course_id} is taught in "
                            f"{course.language} on {_when(m)} without an interpreter ({pairs} "
                            "needed)", (m,))
            continue
        if person is None:
            continue
        missing = [p for p in needed if p not in person.pairs]
        if missing:
            pairs = ", ".join(sorted("-".join(sorted(p)) for p in missing))
            yield Violation("interpreter pairs", f"{person.name} ({person.id}) interprets "
                            f"{m.course_id} on {_when(m)} but does not cover {pairs}", (m,))
        facts = dates.facts(m.date)
        if facts.timetable_weekday not in person.available_weekdays:
            yield Violation("interpreter unavailable", f"{person.name} ({person.id}) does not "
                            f"work on {WEEKDAY_NAMES[facts.timetable_weekday]} but interprets "
                            f"{m.course_id} on {_when(m)}", (m,))
        for _, hit in masks.person(person.id, m, facts):
            yield Violation("interpreter unavailable", f"{person.name} ({person.id}) is "
                            f"unavailable on {m.date.isoformat()} periods {hit[0]}-{hit[-1]}"
                            f" but interprets {m.course_id}", (m,))


def _clash_messages(rule: str, label: str,
                    occupancy: dict[str, dict[tuple, list[Meeting]]],
                    inherited: Mapping[str, set[Meeting]] | None = None) -> Iterator[Violation]:
    """One violation per set of meetings that overlap for someone; a set made only of
    ``inherited[who]`` (a whole cohort's meetings, for a sub-group) is left to the one it is
    inherited from."""
    for who, slots in occupancy.items():
        reported: set[tuple[Meeting, ...]] = set()
        skip = (inherited or {}).get(who, set())
        for (day, period), meetings in sorted(slots.items()):
            if len(meetings) < 2:
                continue
            key = tuple(sorted(set(meetings)))
            if key in reported or all(m in skip for m in key):
                continue
            reported.add(key)
            courses = " and ".join(sorted({m.course_id for m in meetings}))
            yield Violation(rule, f"{label} {who} is in {len(meetings)} meetings at once "
                            f"({courses}) on {day.isoformat()} period {period}", meetings)


def clashes(instance: Instance, timetable: Timetable) -> Iterator[Violation]:
    """No teacher, cohort (whole or sub-group), room or interpreter in two meetings at once."""
    teacher: dict[str, dict[tuple, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    cohort: dict[str, dict[tuple, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    room: dict[str, dict[tuple, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    person: dict[str, dict[tuple, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    parent_of = {c.id: c.parent for c in instance.cohorts}
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        for p in m.periods:
            slot = (m.date, p)
            room[m.room_id][slot].append(m)
            if m.interpreter_id:
                person[m.interpreter_id][slot].append(m)
            if course is None:
                continue
            for t in course.teachers:
                teacher[t][slot].append(m)
            for c in course.cohorts:
                cohort[c][slot].append(m)
    # a whole cohort's meeting also occupies each of its sub-groups
    merged: dict[str, dict[tuple, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    inherited: dict[str, set[Meeting]] = defaultdict(set)
    for cid, slots in cohort.items():
        for slot, meetings in slots.items():
            merged[cid][slot].extend(meetings)
    for cid, parent in parent_of.items():
        if parent is not None and parent in cohort:
            for slot, meetings in cohort[parent].items():
                merged[cid][slot].extend(meetings)
                inherited[cid].update(meetings)
    names = {t: _teacher_name(instance, t) for t in teacher}
    yield from _clash_messages("teacher clash", "teacher",
                               {names[t]: s for t, s in teacher.items()})
    yield from _clash_messages("cohort clash", "cohort", merged, inherited)
    yield from _clash_messages("room clash", "room", room)
    yield from _clash_messages("interpreter clash", "interpreter", person)


def loads(instance: Instance, timetable: Timetable, dates: TermDates) -> Iterator[Violation]:
    """Teachers' and interpreters' periods a day and a calendar week; intensive daily limits."""
    day_load: dict[tuple[str, dt.date], int] = defaultdict(int)
    week_load: dict[tuple[str, int], int] = defaultdict(int)
    course_day: dict[tuple[str, dt.date], int] = defaultdict(int)
    held: dict[tuple[str, dt.date | int], list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        week = dates.week(m.date)
        people = list(course.teachers) if course else []
        if m.interpreter_id:
            people.append(m.interpreter_id)
        for who in people:
            day_load[(who, m.date)] += m.length
            week_load[(who, week)] += m.length
            held[(who, m.date)].append(m)
            held[(who, week)].append(m)
        course_day[(m.course_id, m.date)] += m.length
        held[(m.course_id, m.date)].append(m)
    limits: dict[str, tuple[str, int, int | None]] = {}
    for t in instance.teachers:
        limits[t.id] = (_teacher_name(instance, t.id), t.max_periods_per_day,
                        t.max_periods_per_week)
    for i in instance.interpreters:
        limits[i.id] = (f"{i.name} ({i.id})", i.max_periods_per_day, i.max_periods_per_week)
    for (who, day), load in sorted(day_load.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if who in limits and load > limits[who][1]:
            yield Violation("daily limit", f"{limits[who][0]} works {load} periods on "
                            f"{day.isoformat()}, more than {limits[who][1]}", held[(who, day)])
    for (who, week), load in sorted(week_load.items()):
        cap = limits.get(who, ("", 0, None))[2]
        if who in limits and cap is not None and load > cap:
            monday = instance.term.week1_monday + dt.timedelta(weeks=week - 1)
            yield Violation("weekly limit", f"{limits[who][0]} works {load} periods in the "
                            f"calendar week of Monday {monday.isoformat()} (week {week} of the "
                            f"term), more than {cap}", held[(who, week)])
    for (course_id, day), load in sorted(course_day.items(), key=lambda kv: (kv[0][0],
                                                                              kv[0][1])):
        course = instance.course_by_id.get(course_id)
        if course and course.delivery == "intensive" and course.max_periods_per_day and \
                load > course.max_periods_per_day:
            yield Violation("intensive daily limit", f"{course_id} is taught {load} periods on "
                            f"{day.isoformat()}, more than its {course.max_periods_per_day}",
                            held[(course_id, day)])


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _slot(slot: Slot) -> str:
    return f"{WEEKDAY_NAMES[slot.weekday]} periods {slot.first_period}-{slot.last_period}"


def delivery(instance: Instance, timetable: Timetable, dates: TermDates,
             allow_unplaced: bool = False) -> Iterator[Violation]:
    """Weekly courses repeat whole patterns in one room; every course gets its hours.

    A weekly course's meetings are read as regular slots and single edits (see
    :mod:`scheduler.verify.weekly`): a meeting moved out of its slot is one violation saying
    so, not one for every week of the slot it moved to. With ``allow_unplaced`` (relaxed
    solving) a course without any meeting is accepted.
    """
    by_course: dict[str, list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        by_course[m.course_id].append(m)
    for course in instance.courses:
        meetings = by_course.get(course.id, [])
        if allow_unplaced and not meetings:
            continue
        delivered = sum(m.length for m in meetings)
        if course.delivery == "intensive":
            if delivered != course.contact_periods:
                yield Violation("contact periods", f"{course.id} (intensive) is taught "
                                f"{delivered} periods; it needs exactly {course.contact_periods}",
                                meetings)
            for m in meetings:
                week = dates.week(m.date)
                if not course.weeks.first <= week <= course.weeks.last:
                    yield Violation("week range", f"{course.id} meets on {_when(m)}, in week "
                                    f"{week}, outside its weeks {course.weeks.first}-"
                                    f"{course.weeks.last}", (m,))
            continue
        if delivered < course.contact_periods:
            yield Violation("contact periods", f"{course.id} delivers {delivered} periods, "
                            f"fewer than its {course.contact_periods}", meetings)
        if meetings:
            yield from _weekly(course, weekly_pattern(course, meetings, dates))


def _weekly(course: Course, pattern: WeeklyPattern) -> Iterator[Violation]:
    """The violations of a weekly course's slots, each edit said once."""
    weeks = course.weeks
    for moved in pattern.moved:
        m, slot = moved.meeting, moved.slot
        yield Violation("weekly repetition", f"{course.id}'s {_WEEKDAYS[slot.weekday]} meeting "
                        f"of {moved.date.isoformat()} (periods {slot.first_period}-"
                        f"{slot.last_period}) was moved to {_when(m)}: the course no longer "
                        "repeats weekly", (m,), edit=True)
    if len(pattern.regular) != course.meetings_per_week:
        yield Violation("meetings per week", f"{course.id} meets in {len(pattern.regular)} "
                        f"weekly slot(s); it has {course.meetings_per_week} meeting(s) a week",
                        (m for f in pattern.regular for m in f.meetings))
    slots = ", ".join(_slot(f.slot) for f in pattern.regular)
    for m in pattern.extra:
        yield Violation("meetings per week", f"{course.id} has an extra meeting on {_when(m)}, "
                        f"outside its weekly slot(s) {slots}", (m,), edit=True)
    for slot, m in pattern.off_dates:
        yield Violation("weekly repetition", f"{course.id} meets {_slot(slot)} on "
                        f"{m.date.isoformat()}, which is not one of its weekly dates (weeks "
                        f"{weeks.first}-{weeks.last}, {weeks.parity})", (m,), edit=True)
    for slot, same_day in pattern.doubled:
        yield Violation("weekly repetition", f"{course.id} meets twice in {_slot(slot)} on the "
                        "same date", same_day, edit=True)
    for facts in pattern.regular:
        days = [d for s, d in pattern.missing if s == facts.slot]
        if days:
            shown = ", ".join(d.isoformat() for d in days[:5])
            more = f" and {len(days) - 5} more dates" if len(days) > 5 else ""
            near = {x for d in days for x in pattern.neighbours(facts.slot, d)}
            yield Violation("weekly repetition", f"{course.id} meets {_slot(facts.slot)} every "
                            f"week but not on {shown}{more}", sorted(near))
        rooms = sorted({m.room_id for m in facts.meetings})
        if len(rooms) > 1:
            yield Violation("weekly room", f"{course.id} meets {_slot(facts.slot)} in several "
                            f"rooms ({', '.join(rooms)}); a weekly slot keeps one room",
                            (m for m in facts.meetings if m.room_id != facts.room), edit=True)

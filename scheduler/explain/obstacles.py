"""What keeps a course from every slot: the bookings, closures and absences that do it, with
their dates.

A weekly course keeps one weekday, block and room in every one of its weeks, so a room closed
for a single week rules out every slot it has in that week, and a teacher absent for a week
does the same. Each slot a course could meet in (a weekday and block over its weeks, or a date
and block for an intensive course) is blocked by teachers' absences or trips, or by every
fitting room being booked or closed on one of its dates. A small set of these obstacles that
blocks every slot is picked (the one blocking most first, then any left redundant dropped),
so that the explanation names what matters rather than everything that happens to overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scheduler.availability import Availability
from scheduler.calendar import TeachingDay, TermCalendar
from scheduler.explain import words
from scheduler.instance import Block, Course, Instance, TimeMask

MAX_LISTED = 6
"""Obstacles said per sentence; more are counted."""


@dataclass(frozen=True)
class Slot:
    """Where a course could meet: a block on its dates (all a weekday's dates in the course's
    weeks, or one date)."""

    block: Block
    days: tuple[TeachingDay, ...]


@dataclass(frozen=True)
class Obstacle:
    """A booking or closure of a room (``kind`` ``room``), an absence of a teacher
    (``teacher``) or a visitor's time off site (``site``): who, when in words, and the dates
    of each slot it blocks (by slot index)."""

    kind: str
    subject: str
    when: str
    hits: dict[int, frozenset[dt.date]] = field(compare=False)

    def partial(self, slots: Sequence[Slot]) -> bool:
        """Blocks some slot on some of its dates only (the weekly rule at work)."""
        return any(0 < len(dates) < len(slots[i].days) for i, dates in self.hits.items())


@dataclass(frozen=True)
class Blocking:
    """The obstacles that together leave a course no slot; ``weekly_rule``: some of them
    block a weekly slot in some weeks only."""

    obstacles: tuple[Obstacle, ...]
    weekly_rule: bool

    def of_kind(self, kind: str) -> list[Obstacle]:
        return [o for o in self.obstacles if o.kind == kind]


def course_slots(instance: Instance, calendar: TermCalendar, course: Course,
                 busy: Availability) -> list[Slot]:
    """Every slot the course could meet in by its length and weeks (as the options are
    built); an intensive course's dates are those its teachers are on site."""
    blocks = [b for b in instance.blocks if b.length == course.meeting_length]
    if course.delivery == "weekly":
        return [Slot(block, days) for weekday in instance.term.teaching_weekdays
                for days in (calendar.occurrences(weekday, course.weeks),) if days
                for block in blocks]
    on_site = [d for d in calendar.days_in_weeks(course.weeks)
               if all(busy.teacher_on_site(t, d.date) for t in course.teachers)]
    return [Slot(block, (day,)) for day in on_site for block in blocks]


def _periods(mask: TimeMask) -> str:
    if mask.first_period is None and mask.last_period is None:
        return ""
    first = mask.first_period or 1
    last = mask.last_period if mask.last_period is not None else first
    return f" period {first}" if first == last else f" periods {first}-{last}"


def _weeks(calendar: TermCalendar, dates: Sequence[dt.date]) -> str:
    weeks = sorted({calendar.by_date[d].calendar_week for d in dates if d in calendar.by_date})
    if not weeks:
        return ""
    return f"week {weeks[0]}" if len(weeks) == 1 else f"weeks {weeks[0]}-{weeks[-1]}"


def _weekly_words(mask: TimeMask) -> str:
    when = f"every {words.WEEKDAY_WORDS[mask.weekday]}" if mask.weekday is not None \
        else "every day"
    when += _periods(mask)
    if mask.weeks is not None:
        parity = "" if mask.weeks.parity == "all" else f", {mask.weeks.parity} weeks"
        when += f" in weeks {mask.weeks.first}-{mask.weeks.last}{parity}"
    return when


def _runs(calendar: TermCalendar, dates: Iterable[dt.date]) -> list[list[dt.date]]:
    """Dates split into runs of consecutive teaching days."""
    order = {d.date: i for i, d in enumerate(calendar.days)}
    runs: list[list[dt.date]] = []
    for date in sorted(dates, key=lambda d: (order.get(d, -1), d)):
        if runs and date in order and order.get(runs[-1][-1]) == order[date] - 1:
            runs[-1].append(date)
        else:
            runs.append([date])
    return runs


def _grouped(calendar: TermCalendar,
             masks: Iterable[tuple[str, TimeMask, str]]) -> list[tuple[str, str, list[TimeMask]]]:
    """(subject, when in words, masks): a weekly mask alone, dated masks of one subject,
    periods and reason merged into runs of consecutive teaching days."""
    found: list[tuple[str, str, list[TimeMask]]] = []
    dated: dict[tuple[str, int | None, int | None, str], list[TimeMask]] = defaultdict(list)
    for subject, mask, reason in masks:
        if mask.date is None:
            note = f" ({reason})" if reason else ""
            found.append((subject, _weekly_words(mask) + note, [mask]))
        else:
            dated[(subject, mask.first_period, mask.last_period, reason)].append(mask)
    for (subject, _, _, reason), group in dated.items():
        by_date = {m.date: m for m in group if m.date is not None}
        for run in _runs(calendar, by_date):
            note = ", ".join(x for x in (_weeks(calendar, run), reason) if x)
            when = (words.span(run[0], run[-1]) + _periods(group[0])
                    + (f" ({note})" if note else ""))
            found.append((subject, when, [by_date[d] for d in run]))
    return found


def _hits(slots: Sequence[Slot], masks: Sequence[TimeMask]) -> dict[int, frozenset[dt.date]]:
    hits = {}
    for index, slot in enumerate(slots):
        dates = frozenset(d.date for d in slot.days
                          if any(m.covers(d.date, d.weekday, d.week, p)
                                 for m in masks for p in slot.block.periods))
        if dates:
            hits[index] = dates
    return hits


def obstacles(instance: Instance, calendar: TermCalendar, course: Course, slots: Sequence[Slot],
              rooms: Sequence[str], busy: Availability) -> list[Obstacle]:
    """The bookings of ``rooms``, the absences of the course's teachers and the visitors'
    days off site that block at least one slot."""
    room_masks = [(b.room_id, b.mask, b.unit) for b in instance.bookings if b.room_id in rooms]
    people = [(u.person_id, u.mask, u.reason) for u in instance.unavailability
              if u.person_id in course.teachers]
    found = []
    for kind, masks in (("room", room_masks), ("teacher", people)):
        for subject, when, group in _grouped(calendar, masks):
            hits = _hits(slots, group)
            if hits:
                found.append(Obstacle(kind, subject, when, hits))
    for teacher_id in course.teachers:
        site = busy.site_dates(teacher_id)
        if site is None:
            continue
        hits = {i: frozenset(d.date for d in slot.days if d.date not in site)
                for i, slot in enumerate(slots)}
        hits = {i: dates for i, dates in hits.items() if dates}
        if hits:
            found.append(Obstacle("site", teacher_id, "", hits))
    return found


class _Cover:
    """Which slots a set of obstacles blocks: a teacher's obstacle blocks a slot alone, room
    obstacles together when every fitting room is hit."""

    def __init__(self, slots: Sequence[Slot], rooms: Sequence[str]) -> None:
        self.slots = slots
        self.rooms = rooms

    def blocked(self, index: int, chosen: Iterable[Obstacle]) -> bool:
        hit_rooms = set()
        for o in chosen:
            if index in o.hits:
                if o.kind != "room":
                    return True
                hit_rooms.add(o.subject)
        return bool(self.rooms) and hit_rooms >= set(self.rooms)

    def gain(self, obstacle: Obstacle, chosen: list[Obstacle],
             open_slots: list[int]) -> tuple[int, int]:
        """Open slots ``obstacle`` would block beside ``chosen``, then fitting rooms it would
        newly rule out in them."""
        more = [*chosen, obstacle]
        blocks = sum(self.blocked(i, more) for i in open_slots)
        pairs = sum(len(self.pairs(i, more) - self.pairs(i, chosen)) for i in open_slots)
        return blocks, pairs

    def pairs(self, index: int, chosen: Iterable[Obstacle]) -> set[str]:
        """The fitting rooms of a slot the chosen obstacles rule out."""
        found = set()
        for o in chosen:
            if index in o.hits:
                found |= set(self.rooms) if o.kind != "room" else {o.subject}
        return found


def blocking(instance: Instance, calendar: TermCalendar, course: Course,
             busy: Availability) -> tuple[Blocking | None, list[str]]:
    """A small set of obstacles that blocks every slot of ``course`` that absences, trips
    and bookings block at all (the others lack something else, e.g. an interpreter), and
    the fitting rooms; ``None`` when they block none."""
    size = instance.course_size(course)
    rooms = [r.id for r in instance.rooms
             if r.room_type == course.room_type and r.capacity >= size]
    slots = course_slots(instance, calendar, course, busy)
    candidates = obstacles(instance, calendar, course, slots, rooms, busy)
    cover = _Cover(slots, rooms)
    universe = [i for i in range(len(slots)) if cover.blocked(i, candidates)]
    if not universe or not rooms:
        return None, rooms
    chosen: list[Obstacle] = []
    open_slots = universe
    while open_slots:
        best = max((o for o in candidates if o not in chosen),
                   key=lambda o: cover.gain(o, chosen, open_slots))
        chosen.append(best)
        open_slots = [i for i in universe if not cover.blocked(i, chosen)]
    for o in sorted(chosen, key=lambda x: sum(len(d) for d in x.hits.values())):
        rest = [x for x in chosen if x is not o]
        if all(cover.blocked(i, rest) for i in universe):
            chosen = rest
    weekly = course.delivery == "weekly" and any(o.partial(slots) for o in chosen)
    return Blocking(tuple(chosen), weekly), rooms


def _listed(items: list[str]) -> str:
    if len(items) > MAX_LISTED:
        return "; ".join(items[:MAX_LISTED]) + f"; and {len(items) - MAX_LISTED} more"
    return "; ".join(items)


def blocking_words(instance: Instance, course: Course, found: Blocking,
                   rooms: Sequence[str]) -> list[str]:
    """The obstacles in words: the weekly rule when it is what makes them block, the rooms'
    bookings and closures, the teachers' absences (the visitors' trips are said apart)."""
    said = []
    if found.weekly_rule:
        weeks = course.weeks
        parity = "" if weeks.parity == "all" else f" ({weeks.parity} weeks)"
        said.append(f"it meets weekly, so it needs the same weekday, periods and room in each "
                    f"of its weeks {weeks.first}-{weeks.last}{parity}")
    booked = found.of_kind("room")
    if booked:
        by_when: dict[str, list[str]] = defaultdict(list)
        for o in booked:
            by_when[o.when].append(o.subject)
        when = "in some of those weeks" if found.weekly_rule else "whenever the course could meet"
        size = instance.course_size(course)
        said.append(f"every '{course.room_type}' room seating {size} ({', '.join(rooms)}) is "
                    f"booked or closed {when}: " + _listed(
                        [f"{words.join(ids)} {w}" for w, ids in by_when.items()]))
    absent: dict[str, list[str]] = defaultdict(list)
    for o in found.of_kind("teacher"):
        absent[o.subject].append(o.when)
    for teacher_id, whens in absent.items():
        said.append(f"{words.teacher(instance, teacher_id)} is unavailable " + _listed(whens))
    return said

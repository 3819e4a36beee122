"""How the meetings of a weekly course fall into its weekly slots, and which single edits
explain the rest.

A weekly course meets in ``meetings_per_week`` slots (a weekday and a block of periods), on
every weekly date of its weeks. When a timetable is edited by hand, one meeting is typically
moved (to another date, slot or week), added or deleted. Read naively, one moved meeting breaks
the repetition of a whole new slot ("meets Tue every week but not on ..." for every other
week); this module says what happened instead:

- the *regular* slots are those that hold more than half of their weekly dates (with the
  fullest of the others when fewer than ``meetings_per_week`` do);
- *stray* meetings are those in the other slots, on a date that is not a weekly date of their
  slot, or a second meeting on the same date of a slot;
- each stray meeting is paired with a regular slot's date that has no meeting (in the same
  teaching week when there is one, else the nearest): a *moved* meeting; stray meetings left
  over are *extra*, and dates left over are *missing*.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from scheduler.instance import Course
from scheduler.timetable import Meeting
from scheduler.verify.dates import TermDates


@dataclass(frozen=True, order=True)
class Slot:
    """A weekday (of the timetable) and a block of periods."""

    weekday: int
    first_period: int
    last_period: int


@dataclass(frozen=True)
class SlotFacts:
    """A regular slot: its meetings, the room most of them use, and its weekly dates."""

    slot: Slot
    meetings: tuple[Meeting, ...]
    room: str
    expected: frozenset[dt.date]


@dataclass(frozen=True)
class Moved:
    """A stray meeting taking the place of a regular slot's date without a meeting."""

    meeting: Meeting
    slot: Slot
    date: dt.date


@dataclass(frozen=True)
class WeeklyPattern:
    """A weekly course's meetings read as regular slots and single edits."""

    regular: tuple[SlotFacts, ...]
    moved: tuple[Moved, ...]
    extra: tuple[Meeting, ...]
    """Stray meetings on a weekly date of a slot that is not regular, with no date to take
    the place of."""
    off_dates: tuple[tuple[Slot, Meeting], ...]
    """Stray meetings on a date that is not a weekly date of their slot (outside the course's
    weeks or parity, on a holiday), with no date to take the place of."""
    doubled: tuple[tuple[Slot, tuple[Meeting, ...]], ...]
    """Meetings of a regular slot on one of its dates that has more than one."""
    missing: tuple[tuple[Slot, dt.date], ...]
    """Weekly dates of regular slots without a meeting, no stray meeting taking their place."""

    def neighbours(self, slot: Slot, day: dt.date) -> tuple[Meeting, ...]:
        """The meetings of ``slot`` just before and just after ``day``."""
        facts = next(f for f in self.regular if f.slot == slot)
        before = [m for m in facts.meetings if m.date < day]
        after = [m for m in facts.meetings if m.date > day]
        return tuple(([before[-1]] if before else []) + ([after[0]] if after else []))


def slot_of(dates: TermDates, meeting: Meeting) -> Slot:
    """The weekly slot a meeting is held in (an adjusted workday counts as the weekday whose
    timetable it holds)."""
    return Slot(dates.facts(meeting.date).timetable_weekday, meeting.first_period,
                meeting.last_period)


def weekly_pattern(course: Course, meetings: list[Meeting], dates: TermDates) -> WeeklyPattern:
    """Read the meetings of a weekly course as regular slots and single edits."""
    by_slot: dict[Slot, list[Meeting]] = defaultdict(list)
    for m in sorted(meetings):
        by_slot[slot_of(dates, m)].append(m)
    expected = {s: frozenset(dates.weekly_dates(s.weekday, course.weeks.first, course.weeks.last,
                                                course.weeks.parity)) for s in by_slot}

    def held(s: Slot) -> int:
        return len({m.date for m in by_slot[s]} & expected[s])

    full = [s for s in by_slot if held(s) * 2 > len(expected[s])]
    others = sorted((s for s in by_slot if s not in full and held(s)),
                    key=lambda s: (-held(s), by_slot[s][0].date, s))
    regular = sorted(full + others[:max(0, (course.meetings_per_week or 0) - len(full))])
    strays = [m for s in by_slot if s not in regular for m in by_slot[s]]
    facts, missing = [], []
    for s in regular:
        on: dict[dt.date, list[Meeting]] = defaultdict(list)
        for m in by_slot[s]:
            on[m.date].append(m)
        for day, ms in sorted(on.items()):
            strays += ms if day not in expected[s] else ms[1:]
        missing += [(s, day) for day in sorted(expected[s] - set(on))]
        rooms = Counter(m.room_id for m in by_slot[s])
        first_use = {r: min(m.date for m in by_slot[s] if m.room_id == r) for r in rooms}
        room = min(rooms, key=lambda r: (-rooms[r], first_use[r], r))
        facts.append(SlotFacts(s, tuple(by_slot[s]), room, expected[s]))
    moved, unpaired = [], []
    for m in sorted(strays):
        week = dates.week(m.date)
        choice = min(missing, default=None, key=lambda sd: (dates.week(sd[1]) != week,
                                                            abs((sd[1] - m.date).days), sd))
        if choice is None:
            unpaired.append(m)
        else:
            missing.remove(choice)
            moved.append(Moved(m, *choice))
    placed = [(slot_of(dates, m), m) for m in unpaired]
    doubled = sorted({(s, m.date) for s, m in placed if s in regular and m.date in expected[s]})
    return WeeklyPattern(
        regular=tuple(facts), moved=tuple(moved),
        extra=tuple(m for s, m in placed if s not in regular and m.date in expected[s]),
        off_dates=tuple((s, m) for s, m in placed if m.date not in expected[s]),
        doubled=tuple((s, tuple(m for m in by_slot[s] if m.date == day)) for s, day in doubled),
        missing=tuple(missing))

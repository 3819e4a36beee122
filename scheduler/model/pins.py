"""Pinned meetings in the model: the options that keep them, and how many pins can be kept.

A pin keeps a meeting's date, periods and room (its interpreter may change). A pinned meeting
of an intensive course is kept by one option (its date and block) in its room. A weekly course
meets in the same slot and room every week, so a pinned meeting of a weekly course pins its
slot: the option of that weekday and block, in that room, for every week (all pinned meetings
of one slot are one pin). :func:`place_pins` marks those options (``Option.pins``) and
:class:`~scheduler.model.builder.TimetableModel` requires each marked option to be used in its
room, one requirement group ``("pin", subject)`` per pin: every model of a solve (both phases,
the neighbourhoods of LNS, the explanation's cores) keeps the pins. A pin that no option can
keep (its date is no longer a teaching day, its teacher or room is no longer free then, ...) is
*lost*: no timetable keeps it. Pins of courses the instance no longer has are dropped.

:func:`scheduler.model.baseline.keepable_pins` finds the most pinned meetings that can be kept
together (``solve --relax-pins``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from scheduler.calendar import TermCalendar
from scheduler.instance import WEEKDAY_NAMES, Instance
from scheduler.model.builder import Group
from scheduler.model.options import Option, OptionSet, build_options, room_limit
from scheduler.timetable import Meeting

PIN = "pin"
"""The requirement family of pins."""


@dataclass(frozen=True)
class Pin:
    """What one pin keeps: a course's block in a room on one date (an intensive course) or on
    one weekday of every week (a weekly course's slot), with the pinned meetings behind it.
    ``weeks``: the meetings a weekly slot holds (its dates in the course's weeks; set by
    :func:`place_pins`, 0 when unknown), however few of them the timetable marks pinned."""

    course_id: str
    first_period: int
    last_period: int
    room_id: str
    meetings: tuple[Meeting, ...]
    weekday: int | None = None
    weeks: int = 0

    @property
    def weekly(self) -> bool:
        return self.weekday is not None

    @property
    def held(self) -> int:
        """The meetings the pin keeps in place (a weekly slot counts its weeks): what breaking
        it moves."""
        return max(self.weeks, len(self.meetings))

    @property
    def when(self) -> str:
        """``Mon`` (a weekly slot) or ``2026-09-07`` (a dated meeting)."""
        return (WEEKDAY_NAMES[self.weekday] if self.weekday is not None
                else self.meetings[0].date.isoformat())

    @property
    def group(self) -> Group:
        """The pin's requirement group: ``("pin", "W1 Mon 1-2 R1")``."""
        return (PIN, f"{self.course_id} {self.when} {self.first_period}-{self.last_period} "
                     f"{self.room_id}")

    def as_dict(self) -> dict[str, Any]:
        return {"course_id": self.course_id, "weekday": self.when if self.weekly else None,
                "date": None if self.weekly else self.when,
                "first_period": self.first_period, "last_period": self.last_period,
                "room_id": self.room_id, "meetings": self.held}


def _weekday(calendar: TermCalendar, day: dt.date) -> int:
    """The weekday whose timetable ``day`` holds (its own when it is no teaching day now)."""
    found = calendar.by_date.get(day)
    return found.weekday if found is not None else day.weekday()


def group_pins(instance: Instance, calendar: TermCalendar,
               pinned: Iterable[Meeting]) -> list[Pin]:
    """The pins of ``pinned`` meetings: one per intensive meeting, one per weekly slot and
    room (meetings of courses ``instance`` does not have are dropped)."""
    slots: dict[tuple, list[Meeting]] = defaultdict(list)
    pins = []
    for m in sorted(set(pinned)):
        course = instance.course_by_id.get(m.course_id)
        if course is None:
            continue
        if course.delivery == "weekly":
            key = (m.course_id, _weekday(calendar, m.date), m.first_period, m.last_period,
                   m.room_id)
            slots[key].append(m)
        else:
            pins.append(Pin(m.course_id, m.first_period, m.last_period, m.room_id, (m,)))
    for (course_id, weekday, first, last, room), meetings in slots.items():
        pins.append(Pin(course_id, first, last, room, tuple(meetings), weekday))
    return sorted(pins, key=lambda p: p.group)


def _keeps(option: Option, pin: Pin) -> bool:
    """True when ``option`` (in the pin's room) holds what ``pin`` keeps."""
    if (option.block.first_period, option.block.last_period) != (pin.first_period,
                                                                 pin.last_period):
        return False
    if pin.room_id not in option.rooms:
        return False
    if pin.weekday is not None:
        return option.weekday == pin.weekday
    return not option.weekly and option.days[0].date == pin.meetings[0].date


def place_pins(options: OptionSet, pins: Iterable[Pin]) -> OptionSet:
    """``options`` with each pin on the option that keeps it (``Option.pins``); the pins no
    option keeps are ``lost_pins``."""
    placed: dict[int, list[tuple[Group, str]]] = defaultdict(list)
    found: dict[Group, Pin] = {}
    lost: list[Group] = []
    for pin in pins:
        course_options = options.by_course.get(pin.course_id, [])
        keeper = next((o for o in course_options if _keeps(o, pin)), None)
        if keeper is None:
            lost.append(pin.group)
        else:
            placed[keeper.index].append((pin.group, pin.room_id))
        if pin.weekly:  # the slot's dates: the keeper's, else any option's on that weekday
            dates = [len(o.days) for o in ([keeper] if keeper else course_options)
                     if o.weekday == pin.weekday]
            pin = replace(pin, weeks=max(dates, default=0))
        found[pin.group] = pin
    result = OptionSet(rejections=options.rejections, pins=found, lost_pins=tuple(lost))
    for option in options.options:
        if option.index in placed:
            option = replace(option, pins=tuple(placed[option.index]))
        result.options.append(option)
        result.by_course[option.course.id].append(option)
    return result


def pinned_rooms(pinned: Iterable[Meeting]) -> dict[str, set[str]]:
    """The rooms of each course's pinned meetings (kept among its rooms on large instances:
    see :func:`~scheduler.model.options.build_options`)."""
    rooms: dict[str, set[str]] = defaultdict(set)
    for m in pinned:
        rooms[m.course_id].add(m.room_id)
    return dict(rooms)


def pinned_options(instance: Instance, calendar: TermCalendar,
                   pinned: Iterable[Meeting]) -> OptionSet:
    """The options of ``instance`` with the pins of ``pinned`` placed on them."""
    pinned = tuple(pinned)
    options = build_options(instance, calendar, room_limit(instance), pinned_rooms(pinned))
    return place_pins(options, group_pins(instance, calendar, pinned))

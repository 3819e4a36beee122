"""Pins in users' words: what a pin keeps, and why a pin that no meeting can keep is lost.

A lost pin (:mod:`scheduler.model.pins`) is explained by the rules its place breaks now, as the
verifier says them: the date is a holiday, the teacher is unavailable or away, the room is
booked or too small. A weekly pin is checked on every date its slot meets.
"""

from __future__ import annotations

from scheduler.calendar import TermCalendar
from scheduler.explain import words
from scheduler.explain.conflict import Conflict
from scheduler.instance import WEEKDAY_NAMES, Instance
from scheduler.model.options import OptionSet
from scheduler.model.pins import Pin
from scheduler.timetable import Meeting, Timetable
from scheduler.verify import hard
from scheduler.verify.dates import TermDates

RELAX_PINS = ("(scheduler pin TIMETABLE ... --unpin), or re-solve with --relax-pins, which "
              "keeps as many pins as possible")
PIN_FIX = f"unpin the meeting {RELAX_PINS}"
"""What to do about a pin that cannot hold."""
PINS_FIX = f"unpin one of the pinned meetings {RELAX_PINS}"
"""What to do about pins that cannot hold together."""
MAX_REASONS = 3
"""Reasons said for one lost pin (the first few dates)."""


def pin_words(instance: Instance, pin: Pin) -> str:
    """``W1 (Mathematics) is pinned to Monday periods 1-2 in room R1 (50 seats), every week``."""
    course = words.course(instance, pin.course_id)
    room = words.room(instance, pin.room_id)
    periods = f"periods {pin.first_period}-{pin.last_period}"
    if pin.weekday is not None:
        return (f"{course} is pinned to {words.WEEKDAY_WORDS[pin.weekday]} {periods} in "
                f"{room}, every week")
    day = pin.meetings[0].date
    return (f"{course} is pinned to {day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]}) "
            f"{periods} in {room}")


def _targets(instance: Instance, calendar: TermCalendar, pin: Pin) -> tuple[Meeting, ...]:
    """The meetings a pin asks for: its date, or every date of its weekly slot."""
    if pin.weekday is None:
        return pin.meetings
    course = instance.course_by_id[pin.course_id]
    days = calendar.occurrences(pin.weekday, course.weeks)
    return tuple(Meeting(d.date, pin.first_period, pin.last_period, pin.course_id,
                         pin.room_id) for d in days)


def lost_reasons(instance: Instance, calendar: TermCalendar, options: OptionSet,
                 pin: Pin) -> list[str]:
    """Why no meeting keeps ``pin``: the rules its place breaks (the first few)."""
    course = instance.course_by_id[pin.course_id]
    targets = _targets(instance, calendar, pin)
    if not targets:
        return [f"{pin.course_id} no longer meets on "
                f"{words.WEEKDAY_WORDS[pin.weekday or 0]}s in its weeks "
                f"{course.weeks.first}-{course.weeks.last}"]
    found: list[str] = []
    day = calendar.by_date.get(pin.meetings[0].date)
    if pin.weekday is None and day is not None and day.calendar_week not in course.weeks:
        found.append(f"{day.date.isoformat()} is in week {day.calendar_week}, outside "
                     f"{pin.course_id}'s weeks {course.weeks.first}-{course.weeks.last}")
    dates = TermDates(instance)
    masks = hard.Masks(instance)
    timetable = Timetable(targets)
    for check in (hard.teaching_days_and_blocks(instance, timetable, dates),
                  hard.rooms_fit(instance, timetable, dates, masks),
                  hard.teachers_available(instance, timetable, dates, masks)):
        found += [v.message for v in check]
    if not found:
        rejected = options.rejections.get(pin.course_id)
        found = ([f"{reason} ({count}x)" for reason, count in rejected.most_common(2)]
                 if rejected else
                 ["it is not one of the course's possible meetings (e.g. no interpreter for "
                  "its languages is free then)"])
    unique = list(dict.fromkeys(found))
    more = len(unique) - MAX_REASONS
    return unique[:MAX_REASONS] + ([f"and {more} more"] if more > 0 else [])


def lost_pin_conflicts(instance: Instance, calendar: TermCalendar,
                       options: OptionSet) -> list[Conflict]:
    """A conflict for each pin that no meeting can keep, with the reasons."""
    conflicts = []
    for group in options.lost_pins:
        pin = options.pins[group]
        said = pin_words(instance, pin)
        reasons = lost_reasons(instance, calendar, options, pin)
        conflicts.append(Conflict(
            "pin", f"{said}, which is no longer possible: {'; '.join(reasons)}", (said,),
            fix=PIN_FIX, courses=(pin.course_id,), rooms=(pin.room_id,),
            first_date=min(m.date for m in pin.meetings),
            last_date=max(m.date for m in pin.meetings)))
    return conflicts

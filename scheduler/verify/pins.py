"""Pins kept: every pinned meeting of a baseline is held at its date, periods and room.

The interpreter of a pinned meeting may change. A weekly course's pinned meeting stands for its
weekly slot (weekday, periods, room) in every week: its date must hold the meeting while it is
still one of the slot's weekly dates; a date that has become a holiday or fallen outside the
course's weeks holds none, and the pin is then kept when the course still meets in the slot, in
that room. Pins of a course the instance no longer has, or (in a relaxed timetable) of a course
left out, are not checked: there is nothing to keep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable
from scheduler.verify.dates import TermDates
from scheduler.verify.hard import Violation, _when
from scheduler.verify.weekly import slot_of


def _instead(pin: Meeting, meetings: list[Meeting]) -> str:
    """What the timetable holds of the pinned meeting's course on its date."""
    same_day = [m for m in meetings if m.date == pin.date]
    if not same_day:
        return "the timetable has no meeting of it that day"
    held = ", ".join(f"periods {m.first_period}-{m.last_period} in room {m.room_id}"
                     for m in same_day)
    return f"the timetable has it that day in {held}"


def pins_kept(instance: Instance, timetable: Timetable, pins: Iterable[Meeting],
              dates: TermDates, allow_unplaced: bool = False) -> Iterator[Violation]:
    """A violation for each pinned meeting that ``timetable`` does not keep."""
    held = {m.place for m in timetable.meetings}
    by_course: dict[str, list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        by_course[m.course_id].append(m)
    for pin in sorted(set(pins)):
        course = instance.course_by_id.get(pin.course_id)
        meetings = by_course.get(pin.course_id, [])
        if course is None or (allow_unplaced and not meetings) or pin.place in held:
            continue
        if course.delivery == "weekly":
            slot = slot_of(dates, pin)
            weeks = course.weeks
            if pin.date not in dates.weekly_dates(slot.weekday, weeks.first, weeks.last,
                                                  weeks.parity) and any(
                    slot_of(dates, m) == slot and m.room_id == pin.room_id for m in meetings):
                continue
        yield Violation("pinned meeting", f"{pin.course_id} is pinned on {_when(pin)} in room "
                        f"{pin.room_id}, but {_instead(pin, meetings)}", (pin,))

"""Online meetings: visitors teaching from home over a room's video link, checked by hand.

An online meeting belongs to a course that allows online teaching, within its
``max_online_share`` of contact periods; it meets in a room with a video link, in periods of
the visitors' working day at home (Vladivostok, two hours ahead of Chongqing), on a day every
visiting teacher of the course is at home: no trip (given or planned, travel days included)
covers it. Home blackouts and other unavailability are checked with every meeting by
:func:`scheduler.verify.hard.teachers_available`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from scheduler.instance import HOME_AHEAD_HOURS, HOME_HOURS, Instance
from scheduler.timetable import Meeting, Timetable
from scheduler.verify.hard import Violation


def _when(m: Meeting) -> str:
    return f"{m.date.isoformat()} periods {m.first_period}-{m.last_period}"


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _home_hours(instance: Instance, m: Meeting) -> bool:
    """The meeting's periods, on the home clock, lie inside the working day at home."""
    first = instance.period_by_number.get(m.first_period)
    last = instance.period_by_number.get(m.last_period)
    if first is None or last is None:
        return True  # unknown periods are reported by the period checks
    ahead = HOME_AHEAD_HOURS * 60
    return (_minutes(first.start) + ahead >= _minutes(HOME_HOURS[0])
            and _minutes(last.end) + ahead <= _minutes(HOME_HOURS[1]))


def online_meetings(instance: Instance, timetable: Timetable) -> Iterator[Violation]:
    """Each rule of online teaching broken by the timetable (``instance`` with the planned
    trips as travel windows)."""
    online: dict[str, int] = defaultdict(int)
    meetings: dict[str, list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        course = instance.course_by_id.get(m.course_id)
        if not m.online or course is None:
            continue
        online[course.id] += m.length
        meetings[course.id].append(m)
        visitors = [t for t in course.teachers
                    if t in instance.teacher_by_id and instance.teacher_by_id[t].visiting]
        if not course.online_allowed or not visitors:
            why = "no visiting teacher" if course.online_allowed else "online_allowed no"
            yield Violation("online not allowed", f"{m.course_id} meets online on {_when(m)} "
                            f"but may not ({why})", (m,))
        room = instance.room_by_id.get(m.room_id)
        if room is not None and not room.video_link:
            yield Violation("video link", f"{m.course_id} meets online on {_when(m)} in room "
                            f"{room.id}, which has no video link", (m,))
        if not _home_hours(instance, m):
            yield Violation("home hours", f"{m.course_id} meets online on {_when(m)}, outside "
                            f"the visitors' working day at home ({HOME_HOURS[0]:%H:%M}-"
                            f"{HOME_HOURS[1]:%H:%M} Vladivostok)", (m,))
        for teacher_id in visitors:
            for w in instance.windows_of(teacher_id):
                if w.arrival <= m.date <= w.departure:
                    yield Violation("online away", f"{teacher_id} teaches {m.course_id} "
                                    f"online on {_when(m)} but is on a trip then "
                                    f"({w.arrival.isoformat()}..{w.departure.isoformat()})",
                                    (m,))
    for course_id, periods in sorted(online.items()):
        course = instance.course_by_id[course_id]
        if course.online_allowed and periods > course.max_online_periods:
            yield Violation("online share", f"{course_id} meets online for {periods} periods, "
                            f"more than its {course.max_online_share}% of "
                            f"{course.contact_periods} contact periods "
                            f"({course.max_online_periods})", tuple(meetings[course_id]))

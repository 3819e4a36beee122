"""Why a CB-CTT instance has no timetable, when a count shows it.

CP-SAT proves infeasibility without saying why. These counts name the requirement that cannot
hold on its own: a course with fewer available periods than lectures, a teacher or a
curriculum with more lectures than the periods its courses may use, more lectures than
room-periods. Each is a proof by itself; an instance may be infeasible with none of them.
"""

from __future__ import annotations

from scheduler.cbctt.instance import CbcttInstance


def _n(count: int, word: str) -> str:
    """``1 lecture``, ``2 lectures``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _free_periods(instance: CbcttInstance, courses: tuple[int, ...]) -> int:
    """Periods in which at least one of ``courses`` is available."""
    return sum(any(instance.available[c][p] for c in courses)
               for p in range(instance.num_periods))


def _group(instance: CbcttInstance, kind: str, name: str, courses: tuple[int, ...]) -> str | None:
    lectures = sum(instance.courses[c].lectures for c in courses)
    free = _free_periods(instance, courses)
    if lectures <= free:
        return None
    ids = ", ".join(instance.courses[c].id for c in courses)
    return (f"{kind} {name} has {_n(lectures, 'lecture')} ({ids}), which never share a "
            f"period, but only {_n(free, 'period')} in which one of them is available")


def infeasibility_reasons(instance: CbcttInstance) -> list[str]:
    """Every counting reason why ``instance`` has no timetable (empty when none holds)."""
    reasons = []
    for index, course in enumerate(instance.courses):
        free = _free_periods(instance, (index,))
        if course.lectures > free:
            reasons.append(f"course {course.id} has {_n(course.lectures, 'lecture')} but is "
                           f"available in only {free} of the {_n(instance.num_periods, 'period')}")
    teachers: dict[str, list[int]] = {}
    for index, course in enumerate(instance.courses):
        teachers.setdefault(course.teacher, []).append(index)
    groups = [("teacher", t, tuple(cs)) for t, cs in teachers.items() if len(cs) > 1]
    groups += [("curriculum", q.id, members) for q, members
               in zip(instance.curricula, instance.curriculum_members, strict=True)
               if len(members) > 1]
    reasons.extend(r for kind, name, courses in groups
                   if (r := _group(instance, kind, name, courses)) is not None)
    room_periods = len(instance.rooms) * instance.num_periods
    if instance.num_lectures > room_periods:
        verb = "needs" if instance.num_lectures == 1 else "need"
        reasons.append(f"{_n(instance.num_lectures, 'lecture')} {verb} more than the "
                       f"{_n(room_periods, 'room-period')} there are "
                       f"({_n(len(instance.rooms), 'room')} × "
                       f"{_n(instance.num_periods, 'period')})")
    return reasons

"""Names, dates and periods as people say them: teachers by name, windows by dates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from scheduler.instance import WEEKDAY_NAMES, Course, Instance

WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def teacher(instance: Instance, teacher_id: str) -> str:
    found = instance.teacher_by_id.get(teacher_id)
    return f"{found.name} ({teacher_id})" if found else teacher_id


def interpreter(instance: Instance, interpreter_id: str) -> str:
    found = instance.interpreter_by_id.get(interpreter_id)
    return f"interpreter {found.name} ({interpreter_id})" if found else interpreter_id


def cohort(instance: Instance, cohort_id: str) -> str:
    found = instance.cohort_by_id.get(cohort_id)
    if found is not None and found.parent:
        return f"sub-group {cohort_id} of cohort {found.parent}"
    return f"cohort {cohort_id}"


def room(instance: Instance, room_id: str) -> str:
    found = instance.room_by_id.get(room_id)
    if found is None:
        return f"room {room_id}"
    shown = found.name if found.name and found.name != room_id else ""
    return f"room {room_id}" + (f" ({shown}, {found.capacity} seats)" if shown
                                else f" ({found.capacity} seats)")


def short_name(course: Course) -> str:
    """The course's name up to its first translation (``Linear Algebra 线性代数``)."""
    return course.name.split(" / ")[0].strip()


def course(instance: Instance, course_id: str) -> str:
    found = instance.course_by_id.get(course_id)
    return f"{course_id} ({short_name(found)})" if found else course_id


def courses(instance: Instance, course_ids: Iterable[str]) -> str:
    return join([course(instance, c) for c in course_ids])


def join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def span(first: dt.date, last: dt.date) -> str:
    """``on 2026-10-12`` or ``between 2026-10-12 and 2026-10-23``."""
    if first == last:
        return f"on {first.isoformat()} ({WEEKDAY_NAMES[first.weekday()]})"
    return f"between {first.isoformat()} and {last.isoformat()}"


def periods(numbers: Iterable[int]) -> str:
    """``5-8`` or ``1-2, 5``: consecutive runs joined."""
    runs: list[list[int]] = []
    for p in sorted(set(numbers)):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def weekly_cells(instance: Instance, cells: Iterable[tuple[int, int]]) -> str:
    """Weekly (weekday, period) cells grouped by weekday and session.

    ``Wednesday afternoon periods 5-8 and Thursday morning period 1``.
    """
    session = {p.number: p.session for p in instance.periods}
    grouped: dict[tuple[int, str], list[int]] = defaultdict(list)
    for weekday, period in sorted(cells):
        grouped[(weekday, session.get(period, ""))].append(period)
    parts = []
    for (weekday, part), numbers in grouped.items():
        label = "period" if len(numbers) == 1 else "periods"
        parts.append(f"{WEEKDAY_WORDS[weekday]} {part} {label} {periods(numbers)}".replace(
            "  ", " "))
    return join(parts)

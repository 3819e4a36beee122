"""Completing a period assignment with rooms, quickly and with the least room-capacity cost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.model import Timetable


def assign_rooms(instance: CbcttInstance, periods: Sequence[Sequence[int]]) -> Timetable:
    """Rooms for lectures whose periods are given (at most one lecture per room per period).

    In each period the largest course gets the largest room, the second the second, and so on:
    this matching has the least room-capacity cost. Among rooms of equal capacity a course keeps
    a room it already uses, which helps room stability.
    """
    if any(len(ps) > len(instance.rooms) for ps in _by_period(periods).values()):
        raise ValueError("more lectures than rooms in a period")
    by_capacity = sorted(range(len(instance.rooms)), key=lambda r: -instance.rooms[r].capacity)
    used: dict[int, set[int]] = defaultdict(set)
    lectures: list[list[tuple[int, int]]] = [[] for _ in instance.courses]
    for p, courses in sorted(_by_period(periods).items()):
        courses = sorted(courses, key=lambda c: -instance.courses[c].students)
        free = list(by_capacity)
        for c in courses:
            best_capacity = instance.rooms[free[0]].capacity
            same = [r for r in free if instance.rooms[r].capacity == best_capacity]
            room = next((r for r in same if r in used[c]), same[0])
            free.remove(room)
            used[c].add(room)
            lectures[c].append((p, room))
    return tuple(tuple(sorted(ls)) for ls in lectures)


def _by_period(periods: Sequence[Sequence[int]]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    for c, ps in enumerate(periods):
        for p in ps:
            result[p].append(c)
    return result

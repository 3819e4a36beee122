"""Destroy operators of the large-neighbourhood search: which lectures a move may change.

Each operator takes the instance, the current timetable, a random generator and a target number
of lectures to release, and returns a :class:`~scheduler.cbctt.model.Release`. The lectures it
releases are related (same curricula, same rooms, same days), so that re-solving them together
can improve the cost; unrelated lectures would only be put back where they were.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.model import Release, Timetable

Operator = Callable[[CbcttInstance, Timetable, random.Random, int, Sequence[float]], Release]


def course_costs(instance: CbcttInstance, timetable: Timetable) -> list[float]:
    """A rough share of the current UD2 cost carried by each course, to aim the operators.

    Room capacity, missing working days and extra rooms are charged to their course; an
    isolated curriculum lecture is charged to the course holding it. Only used as weights.
    """
    ppd = instance.periods_per_day
    costs = [0.0] * len(instance.courses)
    at: dict[int, int] = {}
    for c, lectures in enumerate(timetable):
        course = instance.courses[c]
        costs[c] += sum(max(0, course.students - instance.rooms[r].capacity) for _, r in lectures)
        costs[c] += 5 * max(0, course.min_working_days - len({p // ppd for p, _ in lectures}))
        costs[c] += max(0, len({r for _, r in lectures}) - 1)
    for members in instance.curriculum_members:
        at = {p: c for c in members for p, _ in timetable[c]}
        for p, c in at.items():
            slot = p % ppd
            if not ((slot > 0 and p - 1 in at) or (slot < ppd - 1 and p + 1 in at)):
                costs[c] += 2
    return costs


def _seed(rng: random.Random, hot: Sequence[float]) -> int:
    """A course drawn with probability growing with its share of the cost."""
    return rng.choices(range(len(hot)), weights=[1.0 + h for h in hot])[0]


def _related_courses(
    instance: CbcttInstance, rng: random.Random, weight: Callable[[int], int], size: int,
    hot: Sequence[float],
) -> list[int]:
    """Courses grown from a costly seed through shared curricula and teachers.

    Stops once the courses' ``weight`` (e.g. their lectures) reaches ``size``.
    """
    n = len(instance.courses)
    start = _seed(rng, hot)
    chosen = [start]
    seen = {start}
    frontier = [start]
    total = weight(start)
    while total < size:
        candidates = sorted({o for c in frontier for o in instance.conflicts[c]} - seen)
        if not candidates:
            rest = [c for c in range(n) if c not in seen]
            if not rest:
                break
            candidates = [rng.choice(rest)]
        rng.shuffle(candidates)
        frontier = []
        for c in candidates:
            if total >= size:
                break
            chosen.append(c)
            seen.add(c)
            frontier.append(c)
            total += weight(c)
    return chosen


def curricula(instance: CbcttInstance, timetable: Timetable, rng: random.Random,
              size: int, hot: Sequence[float]) -> Release:
    """All lectures (periods and rooms) of courses related through curricula and teachers."""
    courses = _related_courses(instance, rng, lambda c: len(timetable[c]), size, hot)
    lectures = frozenset((c, p) for c in courses for p, _ in timetable[c])
    return Release(lectures, name="curricula")


def days(instance: CbcttInstance, timetable: Timetable, rng: random.Random,
         size: int, hot: Sequence[float]) -> Release:
    """Lectures of related courses on two days; they may move within those days."""
    ppd = instance.periods_per_day
    chosen_days = rng.sample(range(instance.days), min(2, instance.days))
    periods = frozenset(p for p in range(instance.num_periods) if p // ppd in chosen_days)

    def on_days(c: int) -> int:
        return sum(1 for p, _ in timetable[c] if p in periods)

    courses = _related_courses(instance, rng, on_days, size, hot)
    lectures = frozenset((c, p) for c in courses for p, _ in timetable[c] if p in periods)
    return Release(lectures, periods=dict.fromkeys(courses, periods), name="days")


def periods(instance: CbcttInstance, timetable: Timetable, rng: random.Random,
            size: int, hot: Sequence[float]) -> Release:
    """Every lecture of a few periods; they may be exchanged among those periods and rooms."""
    per_period = max(1, instance.num_lectures // instance.num_periods)
    k = min(instance.num_periods, max(2, round(size / per_period)))
    chosen = frozenset(rng.sample(range(instance.num_periods), k))
    lectures = frozenset(
        (c, p) for c, lectures in enumerate(timetable) for p, _ in lectures if p in chosen
    )
    courses = {c for c, _ in lectures}
    return Release(lectures, periods=dict.fromkeys(courses, chosen), name="periods")


def rooms(instance: CbcttInstance, timetable: Timetable, rng: random.Random,
          size: int, hot: Sequence[float]) -> Release:
    """Every lecture held in a few rooms of similar capacity; times fixed, rooms exchanged."""
    by_capacity = sorted(range(len(instance.rooms)), key=lambda r: instance.rooms[r].capacity)
    per_room = max(1, instance.num_lectures // max(1, len(instance.rooms)))
    k = max(2, min(len(by_capacity), round(size / per_room)))
    first = rng.randrange(max(1, len(by_capacity) - k + 1))
    chosen = frozenset(by_capacity[first:first + k])
    lectures = frozenset(
        (c, p) for c, lectures in enumerate(timetable) for p, r in lectures if r in chosen
    )
    own = {c: frozenset(p for p, r in timetable[c] if r in chosen) for c, _ in lectures}
    return Release(lectures, periods=own, rooms=dict.fromkeys(own, chosen), name="rooms")


def room_courses(instance: CbcttInstance, timetable: Timetable, rng: random.Random,
                 size: int, hot: Sequence[float]) -> Release:
    """Rooms of every lecture of courses of similar size, times fixed: room stability moves."""
    by_size = sorted(range(len(instance.courses)), key=lambda c: instance.courses[c].students)
    position = by_size.index(_seed(rng, hot))
    low = high = position
    total = len(timetable[by_size[position]])
    while total < size and (low > 0 or high < len(by_size) - 1):
        if high == len(by_size) - 1 or (low > 0 and rng.random() < 0.5):
            low -= 1
            total += len(timetable[by_size[low]])
        else:
            high += 1
            total += len(timetable[by_size[high]])
    own = {c: frozenset(p for p, _ in timetable[c]) for c in by_size[low:high + 1]}
    lectures = frozenset((c, p) for c, ps in own.items() for p in ps)
    return Release(lectures, periods=own, name="room_courses")


ROOM_OPERATORS = frozenset({"rooms", "room_courses"})  # useless when only periods move
OPERATORS: dict[str, Operator] = {
    "curricula": curricula,
    "days": days,
    "periods": periods,
    "rooms": rooms,
    "room_courses": room_courses,
}

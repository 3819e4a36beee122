"""Completing a period assignment with rooms: quickly and with the least room-capacity cost
(:func:`assign_rooms`), then with fewer rooms per course (:func:`settle_rooms`)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from ortools.graph.python.linear_sum_assignment import SimpleLinearSumAssignment

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


def settle_rooms(instance: CbcttInstance, timetable: Timetable, deadline: float | None = None,
                 max_rounds: int = 100,
                 stop: Callable[[], bool] = lambda: False) -> Timetable:
    """``timetable`` with its periods kept and its rooms re-chosen for a lower UD2 cost.

    One period at a time, the lectures of that period get the rooms of a minimum-cost
    assignment, every other period's rooms held: a lecture of course ``c`` costs in room ``r``
    the students above the room's capacity, plus 1 when no other lecture of ``c`` is in ``r``
    (a room it adds to the course's rooms). Given the other periods that is exactly the
    change of the capacity and room stability cost, so no step makes the timetable worse.
    Rounds over every period first take the assignment also at equal cost (crossing plateaus
    finds more), until a round lowers the cost nowhere; then only for less, until a round
    changes nothing, so that no lecture can then change room within its period for less.
    They stop early when ``max_rounds`` have run, the ``deadline`` (a ``time.perf_counter``
    value) has passed or ``stop()`` says so.
    """
    rooms = range(len(instance.rooms))
    penalty = [[max(0, course.students - room.capacity) for room in instance.rooms]
               for course in instance.courses]
    room_of = {(c, p): r for c, lectures in enumerate(timetable) for p, r in lectures}
    uses = [Counter(r for _, r in lectures) for lectures in timetable]
    by_period: dict[int, list[int]] = defaultdict(list)
    for c, p in sorted(room_of, key=lambda cp: (cp[1], cp[0])):
        by_period[p].append(c)
    plateaus = True  # first moving at equal cost too, then only for less
    for _ in range(max_rounds):
        improved = False
        for p, courses in sorted(by_period.items()):
            if stop() or (deadline is not None and time.perf_counter() > deadline):
                return _timetable(timetable, room_of)
            costs = [[penalty[c][r] + (uses[c][r] - (r == room_of[c, p]) == 0) for r in rooms]
                     for c in courses]
            rooms_now = [room_of[c, p] for c in courses]
            matched = _matching(costs, len(instance.rooms))
            now = sum(row[r] for row, r in zip(costs, rooms_now, strict=True))
            least = sum(row[r] for row, r in zip(costs, matched, strict=True))
            if least > now or (least == now and not plateaus):
                continue
            improved = improved or least < now
            for c, old, new in zip(courses, rooms_now, matched, strict=True):
                uses[c][old] -= 1
                uses[c][new] += 1
                room_of[c, p] = new
        if not improved:
            if not plateaus:
                break
            plateaus = False
    return _timetable(timetable, room_of)


def _matching(costs: list[list[int]], n_rooms: int) -> list[int]:
    """The rooms of a least-cost assignment of the rows of ``costs`` (one per lecture, one
    column per room) to distinct rooms."""
    matching = SimpleLinearSumAssignment()
    for i, row in enumerate(costs):
        for r, cost in enumerate(row):
            matching.add_arc_with_cost(i, r, cost)
    for i in range(len(costs), n_rooms):  # rooms left empty
        for r in range(n_rooms):
            matching.add_arc_with_cost(i, r, 0)
    if matching.solve() != matching.OPTIMAL:  # cannot happen: the graph is complete
        raise RuntimeError("no room assignment for a period")
    return [matching.right_mate(i) for i in range(len(costs))]


def _timetable(timetable: Timetable, room_of: dict[tuple[int, int], int]) -> Timetable:
    return tuple(tuple(sorted((p, room_of[c, p]) for p, _ in lectures))
                 for c, lectures in enumerate(timetable))


def _by_period(periods: Sequence[Sequence[int]]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    for c, ps in enumerate(periods):
        for p in ps:
            result[p].append(c)
    return result

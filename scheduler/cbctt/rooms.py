"""Completing a period assignment with rooms: quickly and with the least room-capacity cost
(:func:`assign_rooms`), then with fewer rooms per course (:func:`settle_rooms`)."""

from __future__ import annotations

import random
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
                 max_rounds: int = 100, stop: Callable[[], bool] = lambda: False,
                 seed: int = 0) -> Timetable:
    """``timetable`` with its periods kept and its rooms re-chosen for a lower UD2 cost.

    Two kinds of moves, neither ever making the timetable worse:

    * *Period moves*: the lectures of one period get the rooms of a minimum-cost assignment,
      every other period's rooms held. A lecture of course ``c`` costs in room ``r`` the
      students above the room's capacity, plus 1 when no other lecture of ``c`` is in ``r``
      (a room it adds to the course's rooms): given the other periods, exactly the change of
      the capacity and room stability cost.
    * *Course moves*: every lecture of one course goes to one room, exchanging rooms with the
      lecture held there in each of its periods (or taking the room where it is free). This
      crosses what period moves cannot: a course split over two rooms gains only when all
      its lectures leave one of them, which one period at a time costs the same or more.

    Rounds of each kind first take moves also at equal cost (crossing plateaus finds more),
    then only for less. The two kinds alternate while a cycle lowers the cost; last come
    period rounds at strictly lower cost until one changes nothing, so that no lecture can
    then change room within its period for less. Everything stops early when a kind has run
    ``max_rounds`` rounds in a cycle, the ``deadline`` (a ``time.perf_counter`` value) has
    passed or ``stop()`` says so; ``seed`` draws the order of the course moves.
    """
    state = _RoomState(instance, timetable)

    def halted() -> bool:
        return stop() or (deadline is not None and time.perf_counter() > deadline)

    rng = random.Random(seed)
    best = state.cost()
    while not halted():
        if not state.period_rounds(max_rounds, plateaus=True, halted=halted):
            break
        if not state.course_rounds(max_rounds, rng, halted=halted):
            break
        cost = state.cost()
        if cost >= best:
            break
        best = cost
    state.period_rounds(max_rounds, plateaus=False, halted=halted)
    return state.timetable()


class _RoomState:
    """The rooms of a timetable with fixed periods, kept for cheap moves: the room of each
    lecture, the lecture in each occupied room and period, and each course's lectures per
    room."""

    def __init__(self, instance: CbcttInstance, timetable: Timetable) -> None:
        self.instance = instance
        self.original = timetable
        self.penalty = [[max(0, course.students - room.capacity) for room in instance.rooms]
                        for course in instance.courses]
        self.room_of = {(c, p): r for c, lectures in enumerate(timetable) for p, r in lectures}
        self.held = {(p, r): c for (c, p), r in self.room_of.items()}
        self.uses = [Counter(r for _, r in lectures) for lectures in timetable]
        self.n_rooms = [len(u) for u in self.uses]  # rooms each course uses
        self.periods_of = [tuple(p for p, _ in lectures) for lectures in timetable]
        self.by_period: dict[int, list[int]] = defaultdict(list)
        for c, p in sorted(self.room_of, key=lambda cp: (cp[1], cp[0])):
            self.by_period[p].append(c)

    def cost(self) -> int:
        """Room capacity and room stability cost (the part of UD2 that rooms decide)."""
        capacity = sum(self.penalty[c][r] for (c, _), r in self.room_of.items())
        return capacity + sum(max(0, n - 1) for n in self.n_rooms)

    def timetable(self) -> Timetable:
        return tuple(tuple(sorted((p, self.room_of[c, p]) for p, _ in lectures))
                     for c, lectures in enumerate(self.original))

    def _place(self, c: int, p: int, r: int) -> None:
        old = self.room_of[c, p]
        uses = self.uses[c]
        uses[old] -= 1
        self.n_rooms[c] -= not uses[old]
        self.n_rooms[c] += not uses[r]
        uses[r] += 1
        self.room_of[c, p] = r
        self.held[p, r] = c

    def period_rounds(self, max_rounds: int, plateaus: bool, halted: Callable[[], bool]) -> bool:
        """Period moves, round after round; False when ``halted`` cut them short."""
        rooms = range(len(self.instance.rooms))
        for _ in range(max_rounds):
            improved = False
            for p, courses in sorted(self.by_period.items()):
                if halted():
                    return False
                costs = [[self.penalty[c][r]
                          + (self.uses[c][r] - (r == self.room_of[c, p]) == 0) for r in rooms]
                         for c in courses]
                rooms_now = [self.room_of[c, p] for c in courses]
                matched = _matching(costs, len(self.instance.rooms))
                now = sum(row[r] for row, r in zip(costs, rooms_now, strict=True))
                least = sum(row[r] for row, r in zip(costs, matched, strict=True))
                if least > now or (least == now and not plateaus) or matched == rooms_now:
                    continue
                improved = improved or least < now
                for old in rooms_now:
                    del self.held[p, old]
                for c, new in zip(courses, matched, strict=True):
                    self._place(c, p, new)
            if not improved:
                if not plateaus:  # strict rounds change only what they improve
                    return True
                plateaus = False
        return True

    def _course_move(self, c: int, r: int, limit: int
                     ) -> tuple[int, list[tuple[int, int, int]]] | None:
        """The cost change of moving every lecture of ``c`` into room ``r`` and the lecture
        moves it takes (course, period, room); None when ``c`` is in ``r`` already or the
        change cannot be below ``limit``."""
        penalty, room_of, held = self.penalty, self.room_of, self.held
        capacity = 0
        moves: list[tuple[int, int, int]] = []
        displaced: dict[int, list[int]] = {}  # other course -> the rooms it moves to
        for p in self.periods_of[c]:
            old = room_of[c, p]
            if old == r:
                continue
            capacity += penalty[c][r] - penalty[c][old]
            moves.append((c, p, r))
            other = held.get((p, r))
            if other is not None:
                capacity += penalty[other][old] - penalty[other][r]
                moves.append((other, p, old))
                displaced.setdefault(other, []).append(old)
        if not moves:
            return None
        # c ends in r alone; a displaced course may drop r and add the rooms it moves to.
        gain = self.n_rooms[c] - 1
        if capacity - gain - len(displaced) >= limit:
            return None
        delta = capacity - gain
        for other, targets in displaced.items():
            uses = self.uses[other]
            delta -= uses[r] == len(targets)
            delta += sum(1 for room in set(targets) if not uses[room])
        return (delta, moves) if delta < limit else None

    def _apply(self, moves: list[tuple[int, int, int]]) -> None:
        for c, p, _ in moves:
            del self.held[p, self.room_of[c, p]]
        for c, p, r in moves:
            self._place(c, p, r)

    def course_rounds(self, max_rounds: int, rng: random.Random,
                      halted: Callable[[], bool]) -> bool:
        """Course moves, each course to its best room, round after round: at equal cost too
        (half the time, so that the moves do not cycle) until three rounds in a row lower
        the cost nowhere, then only for less until a round changes nothing. False when
        ``halted`` cut them short."""
        rooms = range(len(self.instance.rooms))
        courses = [c for c, periods in enumerate(self.periods_of) if periods]
        plateau_rounds, idle = True, 0
        for _ in range(max_rounds):
            rng.shuffle(courses)
            improved = False
            for c in courses:
                if halted():
                    return False
                best: tuple[int, list[tuple[int, int, int]]] | None = None
                for r in rooms:
                    move = self._course_move(c, r, 1 if best is None else best[0])
                    if move is not None:
                        best = move
                if best is None:
                    continue
                if best[0] == 0 and not (plateau_rounds and rng.random() < 0.5):
                    continue
                self._apply(best[1])
                improved = improved or best[0] < 0
            idle = 0 if improved else idle + 1
            if plateau_rounds and idle >= 3:
                plateau_rounds = False
            elif not plateau_rounds and not improved:  # strict: nothing moved
                return True
        return True


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


def _by_period(periods: Sequence[Sequence[int]]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    for c, ps in enumerate(periods):
        for p in ps:
            result[p].append(c)
    return result

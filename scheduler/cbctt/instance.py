"""CB-CTT instances (ITC2007 track 3) as plain, immutable data.

Entities check their own fields in ``__post_init__``; :class:`CbcttInstance` checks the rules
that span entities (unknown or duplicate ids, out-of-range periods) in one pass. Files are read by
:mod:`scheduler.cbctt.reader`, which reports problems with line numbers before these checks run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Format = Literal["ctt", "ectt"]


@dataclass(frozen=True)
class Course:
    """A course: ``lectures`` weekly lectures taught by ``teacher`` to ``students`` students."""

    id: str
    teacher: str
    lectures: int
    min_working_days: int
    students: int
    double_lectures: bool = False  # .ectt only; not part of UD2

    def __post_init__(self) -> None:
        for name in ("lectures", "min_working_days", "students"):
            if getattr(self, name) < 0:
                raise ValueError(f"Course {self.id}: must have {name} >= 0")


@dataclass(frozen=True)
class Room:
    """A room seating ``capacity`` students."""

    id: str
    capacity: int
    building: str | None = None  # .ectt only; not part of UD2

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValueError(f"Room {self.id}: must have capacity >= 0")


@dataclass(frozen=True)
class Curriculum:
    """Courses followed by one group of students: their lectures never share a period."""

    id: str
    courses: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(set(self.courses)) != len(self.courses):
            raise ValueError(f"Curriculum {self.id}: must list each course once")


@dataclass(frozen=True)
class CbcttInstance:
    """One CB-CTT problem: ``days`` × ``periods_per_day`` weekly periods, numbered day-major.

    ``unavailability`` holds ``(course, day, period)`` triples (0-based). ``room_constraints``
    (``.ectt`` only: rooms unsuitable for a course) and ``daily_lectures`` (``.ectt`` only:
    min/max lectures per curriculum and day) are kept but not used by the UD2 objective.
    """

    name: str
    days: int
    periods_per_day: int
    courses: tuple[Course, ...]
    rooms: tuple[Room, ...]
    curricula: tuple[Curriculum, ...]
    unavailability: frozenset[tuple[str, int, int]] = frozenset()
    room_constraints: frozenset[tuple[str, str]] = frozenset()
    daily_lectures: tuple[int, int] | None = None
    format: Format = "ctt"
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError(f"Instance {self.name}: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if self.days < 1 or self.periods_per_day < 1:
            problems.append("must have days >= 1 and periods_per_day >= 1")
        for kind, ids in (
            ("course", [c.id for c in self.courses]),
            ("room", [r.id for r in self.rooms]),
            ("curriculum", [q.id for q in self.curricula]),
        ):
            seen: set[str] = set()
            for ident in ids:
                if ident in seen:
                    problems.append(f"duplicate {kind} id {ident}")
                seen.add(ident)
        courses = {c.id for c in self.courses}
        rooms = {r.id for r in self.rooms}
        for q in self.curricula:
            problems.extend(
                f"curriculum {q.id} lists unknown course {c}" for c in q.courses if c not in courses
            )
        for course, day, period in sorted(self.unavailability):
            if course not in courses:
                problems.append(f"unavailability of unknown course {course}")
            if not (0 <= day < self.days and 0 <= period < self.periods_per_day):
                problems.append(f"unavailability of {course} at day {day} period {period}: "
                                "out of range")
        for course, room in sorted(self.room_constraints):
            if course not in courses or room not in rooms:
                problems.append(f"room constraint {course} {room} names an unknown course or room")
        return problems

    # -- derived views (computed once) -------------------------------------------------------

    @property
    def num_periods(self) -> int:
        """Number of weekly periods (``days * periods_per_day``)."""
        return self.days * self.periods_per_day

    @property
    def num_lectures(self) -> int:
        """Total number of lectures to schedule."""
        return sum(c.lectures for c in self.courses)

    def period(self, day: int, slot: int) -> int:
        """The period index of ``slot`` on ``day``."""
        return day * self.periods_per_day + slot

    def day_slot(self, period: int) -> tuple[int, int]:
        """The ``(day, slot)`` of a period index."""
        return divmod(period, self.periods_per_day)

    @cached_property
    def course_index(self) -> dict[str, int]:
        """Course id → position in :attr:`courses`."""
        return {c.id: i for i, c in enumerate(self.courses)}

    @cached_property
    def room_index(self) -> dict[str, int]:
        """Room id → position in :attr:`rooms`."""
        return {r.id: i for i, r in enumerate(self.rooms)}

    @cached_property
    def curriculum_members(self) -> tuple[tuple[int, ...], ...]:
        """For each curriculum, the indices of its courses."""
        return tuple(tuple(self.course_index[c] for c in q.courses) for q in self.curricula)

    @cached_property
    def curricula_of(self) -> tuple[tuple[int, ...], ...]:
        """For each course, the indices of the curricula it belongs to."""
        result: list[list[int]] = [[] for _ in self.courses]
        for q, members in enumerate(self.curriculum_members):
            for c in members:
                result[c].append(q)
        return tuple(tuple(r) for r in result)

    @cached_property
    def teacher_groups(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the courses of each teacher who teaches two or more courses."""
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(self.courses):
            groups.setdefault(c.teacher, []).append(i)
        return tuple(tuple(g) for g in groups.values() if len(g) > 1)

    @cached_property
    def conflict_cliques(self) -> tuple[tuple[int, ...], ...]:
        """Groups of courses that may never share a period (curricula and teachers).

        Duplicates and groups contained in another group are dropped.
        """
        groups = {frozenset(g) for g in (*self.curriculum_members, *self.teacher_groups)}
        groups = {g for g in groups if len(g) > 1}
        kept = [g for g in groups if not any(g < h for h in groups)]
        return tuple(sorted(tuple(sorted(g)) for g in kept))

    @cached_property
    def conflicts(self) -> tuple[frozenset[int], ...]:
        """For each course, the other courses it may not share a period with."""
        result: list[set[int]] = [set() for _ in self.courses]
        for clique in self.conflict_cliques:
            for c in clique:
                result[c].update(clique)
        for c, others in enumerate(result):
            others.discard(c)
        return tuple(frozenset(r) for r in result)

    @cached_property
    def available(self) -> tuple[tuple[bool, ...], ...]:
        """``available[c][p]``: course ``c`` may be taught in period ``p``."""
        table = [[True] * self.num_periods for _ in self.courses]
        for course, day, slot in self.unavailability:
            table[self.course_index[course]][self.period(day, slot)] = False
        return tuple(tuple(row) for row in table)

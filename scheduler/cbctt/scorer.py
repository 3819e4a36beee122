"""Independent UD2 scorer: hard violations and soft costs from an instance and a solution alone.

The rules follow the ITC2007 validator (``validator.cc`` of Di Gaspero and Schaerf), so the figures
can be compared with published results. This module never imports the CP-SAT model: it is the
check on the solver, not a part of it.

Differences from the official validator: a repeated line (one course twice in one period) is
skipped as the validator does, but also counted as a ``lectures`` violation rather than only a
warning; with one period per day, every lecture counts as isolated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.solution import Placement

ROOM_CAPACITY_WEIGHT = 1
MIN_WORKING_DAYS_WEIGHT = 5
ISOLATED_LECTURES_WEIGHT = 2
ROOM_STABILITY_WEIGHT = 1
HARD_KINDS = ("lectures", "conflicts", "availability", "room_occupancy")


@dataclass(frozen=True)
class Violation:
    """A broken hard constraint: its kind (one of ``HARD_KINDS``), a sentence, its count."""

    kind: str
    message: str
    count: int = 1


@dataclass(frozen=True)
class Score:
    """Hard violations and the weighted UD2 components of one solution."""

    violations: tuple[Violation, ...]
    room_capacity: int
    min_working_days: int
    isolated_lectures: int
    room_stability: int

    @property
    def total(self) -> int:
        """The UD2 cost (the sum of the weighted soft components)."""
        return (self.room_capacity + self.min_working_days + self.isolated_lectures
                + self.room_stability)

    @property
    def feasible(self) -> bool:
        """True when no hard constraint is broken."""
        return not self.violations

    @property
    def hard(self) -> dict[str, int]:
        """Number of violations of each hard kind, as the ITC2007 validator counts them."""
        counts = dict.fromkeys(HARD_KINDS, 0)
        for v in self.violations:
            counts[v.kind] += v.count
        return counts

    def components(self) -> dict[str, int]:
        """The weighted soft components by name."""
        return {
            "room_capacity": self.room_capacity,
            "min_working_days": self.min_working_days,
            "isolated_lectures": self.isolated_lectures,
            "room_stability": self.room_stability,
        }

    def report(self, details: bool = True) -> str:
        """A text report in the spirit of the validator: violations, then costs, then total."""
        lines = [f"[H] {v.message}" for v in self.violations] if details else []
        hard = self.hard
        lines += [
            f"Violations of Lectures (hard) : {hard['lectures']}",
            f"Violations of Conflicts (hard) : {hard['conflicts']}",
            f"Violations of Availability (hard) : {hard['availability']}",
            f"Violations of RoomOccupation (hard) : {hard['room_occupancy']}",
            f"Cost of RoomCapacity (soft) : {self.room_capacity}",
            f"Cost of MinWorkingDays (soft) : {self.min_working_days}",
            f"Cost of CurriculumCompactness (soft) : {self.isolated_lectures}",
            f"Cost of RoomStability (soft) : {self.room_stability}",
        ]
        total = sum(hard.values())
        head = f"Violations = {total}, " if total else ""
        lines.append(f"Summary: {head}Total Cost = {self.total}")
        return "\n".join(lines) + "\n"


def score(instance: CbcttInstance, assignment: Iterable[Placement]) -> Score:
    """Score ``assignment`` against ``instance`` under UD2.

    Placements must name courses and rooms of the instance (as :func:`read_solution` ensures).
    """
    ppd = instance.periods_per_day
    courses = {c.id: c for c in instance.courses}
    capacity = {r.id: r.capacity for r in instance.rooms}
    violations: list[Violation] = []

    # Timetable: course -> period -> room; a repeated course/period entry is skipped.
    table: dict[str, dict[int, str]] = defaultdict(dict)
    for p in assignment:
        period = p.day * ppd + p.period
        if period in table[p.course]:
            violations.append(Violation(
                "lectures", f"Course {p.course} has two lectures at day {p.day}, "
                f"period {p.period} (the second, in room {p.room}, is ignored)"))
            continue
        table[p.course][period] = p.room

    # Lectures: every course has exactly its number of lectures.
    for course in instance.courses:
        held = len(table.get(course.id, {}))
        if held != course.lectures:
            word = "few" if held < course.lectures else "many"
            violations.append(Violation(
                "lectures", f"Too {word} lectures for course {course.id}: {held} scheduled, "
                f"{course.lectures} required", abs(held - course.lectures)))

    # Conflicts: courses of one curriculum or one teacher never share a period.
    # (each pair once, in the order of the COURSES section, however a curriculum lists it)
    order = instance.course_index.__getitem__
    conflicting: set[tuple[str, str]] = set()
    for q in instance.curricula:
        conflicting.update(_pairs(q.courses, order))
    by_teacher: dict[str, list[str]] = defaultdict(list)
    for course in instance.courses:
        by_teacher[course.teacher].append(course.id)
    for group in by_teacher.values():
        conflicting.update(_pairs(group, order))
    for a, b in sorted(conflicting, key=lambda ab: (order(ab[0]), order(ab[1]))):
        for period in sorted(set(table.get(a, {})) & set(table.get(b, {}))):
            violations.append(Violation(
                "conflicts", f"Courses {a} and {b} both have a lecture at {_when(period, ppd)}"))

    # Availability: no lecture in a period its course is unavailable.
    for course_id, slots in table.items():
        for period in sorted(slots):
            day, slot = divmod(period, ppd)
            if (course_id, day, slot) in instance.unavailability:
                violations.append(Violation(
                    "availability", f"Course {course_id} has a lecture at unavailable "
                    f"{_when(period, ppd)}"))

    # Room occupancy: at most one lecture per room and period.
    occupancy = Counter((room, period) for slots in table.values()
                        for period, room in slots.items())
    for (room, period), count in sorted(occupancy.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if count > 1:
            violations.append(Violation(
                "room_occupancy", f"{count} lectures in room {room} at {_when(period, ppd)}",
                count - 1))

    # Soft: room capacity (students above capacity, per lecture).
    room_capacity = sum(
        max(0, courses[c].students - capacity[room])
        for c, slots in table.items() for room in slots.values()
    )

    # Soft: minimum working days (days short of the minimum, per course).
    short_days = sum(
        max(0, course.min_working_days
            - len({period // ppd for period in table.get(course.id, {})}))
        for course in instance.courses
    )

    # Soft: isolated lectures (per curriculum, lectures with no curriculum lecture adjacent).
    isolated = 0
    for q in instance.curricula:
        at = Counter(period for c in q.courses for period in table.get(c, {}))
        for period, count in at.items():
            slot = period % ppd
            before = slot > 0 and at.get(period - 1, 0) > 0
            after = slot < ppd - 1 and at.get(period + 1, 0) > 0
            if not before and not after:
                isolated += count

    # Soft: room stability (distinct rooms of a course, minus one).
    stability = sum(max(0, len(set(slots.values())) - 1) for slots in table.values())

    return Score(
        violations=tuple(violations),
        room_capacity=ROOM_CAPACITY_WEIGHT * room_capacity,
        min_working_days=MIN_WORKING_DAYS_WEIGHT * short_days,
        isolated_lectures=ISOLATED_LECTURES_WEIGHT * isolated,
        room_stability=ROOM_STABILITY_WEIGHT * stability,
    )


def _pairs(ids: Iterable[str], order: Callable[[str], int]) -> set[tuple[str, str]]:
    """Every pair of distinct ``ids``, each ordered by ``order``."""
    items = sorted(set(ids), key=order)
    return {(a, b) for i, a in enumerate(items) for b in items[i + 1:]}


def _when(period: int, ppd: int) -> str:
    day, slot = divmod(period, ppd)
    return f"day {day}, period {slot}"

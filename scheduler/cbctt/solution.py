"""CB-CTT solutions in the ITC2007 format: one line ``course room day period`` per lecture.

Day and period are 0-based; rooms are named as in the instance file the solution answers, so the
official ITC2007 validator (or any other checker) can score the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scheduler.atomic import write_text_atomic
from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.reader import read_text
from scheduler.errors import InputError, Problem


@dataclass(frozen=True, order=True)
class Placement:
    """One lecture of ``course`` held in ``room`` on ``day`` in ``period`` (period of the day)."""

    course: str
    room: str
    day: int
    period: int


Assignment = tuple[Placement, ...]


def format_solution(assignment: Iterable[Placement], instance: CbcttInstance) -> str:
    """The solution text, lectures in the order of the instance's courses, then by time."""
    order = instance.course_index
    lines = sorted(assignment, key=lambda p: (order.get(p.course, len(order)), p.day, p.period))
    return "".join(f"{p.course} {p.room} {p.day} {p.period}\n" for p in lines)


def write_solution(
    solution: Iterable[Placement] | object,
    instance: CbcttInstance,
    path: str | os.PathLike[str],
) -> None:
    """Write a solution file atomically.

    ``solution`` is an assignment (placements) or any object with an ``assignment`` attribute,
    such as :class:`scheduler.cbctt.solve.CbcttResult`.
    """
    assignment = getattr(solution, "assignment", solution)
    write_text_atomic(path, format_solution(assignment, instance))  # type: ignore[arg-type]


def read_solution(path: str | os.PathLike[str], instance: CbcttInstance) -> Assignment:
    """Read a solution file for ``instance``; raise :class:`InputError` listing every bad line.

    Lines must name a course and a room of the instance and a day and period in range. Lectures
    that break hard constraints (clashes, missing lectures) are read: the scorer reports them.
    """
    return parse_solution(read_text(path), instance, str(path))


def parse_solution(text: str, instance: CbcttInstance, source: str = "<text>") -> Assignment:
    """Parse solution text for ``instance`` (``source`` names it in messages)."""
    problems: list[Problem] = []
    placements: list[Placement] = []

    def problem(line: int, message: str, fix: str = "") -> None:
        problems.append(Problem(source=source, line=line, message=message, fix=fix))

    for number, raw in enumerate(text.splitlines(), start=1):
        tokens = raw.split()
        if not tokens:
            continue
        if len(tokens) != 4:
            problem(number, f"expected 4 fields 'course room day period', found {len(tokens)}.")
            continue
        course, room, day_text, period_text = tokens
        ok = True
        if course not in instance.course_index:
            problem(number, f"unknown course '{course}'.",
                    f"Use a course id of instance {instance.name}.")
            ok = False
        if room not in instance.room_index:
            problem(number, f"unknown room '{room}'.",
                    f"Use a room id of instance {instance.name} "
                    f"(e.g. '{instance.rooms[0].id}')." if instance.rooms else "")
            ok = False
        day = _index(day_text, instance.days, "day", number, problem)
        period = _index(period_text, instance.periods_per_day, "period", number, problem)
        if ok and day is not None and period is not None:
            placements.append(Placement(course, room, day, period))
    if problems:
        raise InputError(problems)
    return tuple(placements)


def _index(
    text: str, size: int, what: str, line: int, problem: Callable[[int, str], None]
) -> int | None:
    try:
        value = int(text)
    except ValueError:
        problem(line, f"the {what} must be an integer, found '{text}'.")
        return None
    if not 0 <= value < size:
        problem(line, f"{what} {value} is out of range: {what}s are 0 to {size - 1}.")
        return None
    return value

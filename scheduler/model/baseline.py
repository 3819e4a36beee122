"""A baseline timetable in the model: the options that reproduce it, hinted or fixed.

A minimal-change re-solve hints every baseline placement that is still possible and may fix
some courses to theirs. :func:`keepable_courses` finds which courses can be fixed together:
each candidate gets a literal that fixes it to its baseline options and rooms, the hard rules
are solved assuming all of them; when that is infeasible, CP-SAT names a sufficient subset of
the fixed courses (:func:`~scheduler.cpsat.assumption_core`), those are released, and the
check repeats. What is left can be fixed without losing feasibility.

Pins (:mod:`scheduler.model.pins`) are kept in any case; :func:`keepable_pins` finds the most
pinned meetings that can be kept together when not all of them can (``--relax-pins``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus, assumption_core, run_cpsat
from scheduler.instance import Instance
from scheduler.model.builder import TimetableModel
from scheduler.model.objective import ObjectiveBuilder
from scheduler.model.options import build_options
from scheduler.model.pins import PIN, Pin, group_pins, pinned_options, place_pins
from scheduler.timetable import Meeting, Timetable

BaselineChoice = dict[str, dict[int, str]]
"""Per course, the options (index -> room) that reproduce its baseline meetings."""


def baseline_choice(tm: TimetableModel, baseline: Timetable) -> BaselineChoice:
    """For each course, the options (and rooms) that reproduce its baseline meetings exactly.

    A course is present only when every one of its baseline meetings is reproduced by exactly
    the returned options, so fixing it to them is safe with respect to its own rules.
    """
    meetings: dict[str, set[tuple]] = defaultdict(set)
    for m in baseline.meetings:
        meetings[m.course_id].add((m.date, m.first_period, m.last_period, m.room_id))
    choice: BaselineChoice = {}
    for course_id, wanted in meetings.items():
        chosen: dict[int, str] = {}
        covered: set[tuple] = set()
        for option in tm.options.by_course.get(course_id, []):
            block = (option.block.first_period, option.block.last_period)
            for room in option.rooms:
                keys = {(d.date, *block, room) for d in option.days}
                if keys <= wanted:
                    chosen[option.index] = room
                    covered |= keys
                    break
        if covered == wanted:
            choice[course_id] = chosen
    return choice


def _decisions(tm: TimetableModel, course_id: str,
               chosen: dict[int, str]) -> Iterator[tuple[cp_model.IntVar, bool]]:
    """(variable, value) of every option and room decision of a course in its baseline."""
    for option in tm.options.by_course.get(course_id, []):
        used = option.index in chosen
        yield tm.use[option.index], used
        for room in option.rooms:
            var = tm.room[(option.index, room)]
            if var is not tm.use[option.index]:
                yield var, used and chosen[option.index] == room


def _interpreter_decisions(tm: TimetableModel, course_id: str, chosen: dict[int, str],
                           baseline: Timetable) -> Iterator[tuple[cp_model.IntVar, bool]]:
    """(variable, value) of the interpreter decisions of a course's baseline options: for each
    option whose baseline meetings all have the same interpreter."""
    who: dict[tuple[Any, ...], str | None] = {
        (m.date, m.first_period, m.last_period, m.room_id): m.interpreter_id
        for m in baseline.meetings if m.course_id == course_id}
    for option in tm.options.by_course.get(course_id, []):
        room = chosen.get(option.index)
        if room is None or not option.interpreters:
            continue
        held = {who.get((d.date, option.block.first_period, option.block.last_period, room))
                for d in option.days}
        if len(held) != 1 or None in held:  # mixed, or none (one may be needed now)
            continue
        (interpreter,) = held
        for candidate in option.interpreters:
            yield tm.interpreter[(option.index, candidate)], candidate == interpreter


def apply_baseline(tm: TimetableModel, choice: BaselineChoice,
                   keep_courses: frozenset[str] = frozenset(),
                   baseline: Timetable | None = None) -> None:
    """Hint every baseline placement of ``choice``; fix the courses in ``keep_courses``. With
    the ``baseline`` itself, its interpreters too: a course kept keeps its interpreter."""
    for course_id, chosen in choice.items():
        fix = course_id in keep_courses
        decisions = {var.index: (var, value) for var, value in _decisions(tm, course_id, chosen)}
        if baseline is not None:  # a variable is hinted once (CP-SAT: MODEL_INVALID else)
            for var, value in _interpreter_decisions(tm, course_id, chosen, baseline):
                decisions.setdefault(var.index, (var, value))
        for var, value in decisions.values():
            if fix:
                tm.model.add(var == int(value))
            else:
                tm.model.add_hint(var, value)


def keep_literals(tm: TimetableModel, choice: BaselineChoice,
                  courses: Iterable[str]) -> dict[str, cp_model.IntVar]:
    """Per course, a new literal that, when true, fixes the course to its baseline."""
    literal = {}
    for course_id in courses:
        fixed = tm.model.new_bool_var(f"keep[{course_id}]")
        literal[course_id] = fixed
        for var, value in _decisions(tm, course_id, choice[course_id]):
            tm.model.add(var == int(value)).only_enforce_if(fixed)
    return literal


def keepable_courses(instance: Instance, baseline: Timetable, candidates: Iterable[str],
                     time_limit: float, seed: int = 0,
                     pins: Iterable[Meeting] = ()) -> tuple[str, ...]:
    """The candidates that can all keep their baseline placement together (with the
    ``pins`` kept), released in conflicting groups until the rest is feasible within
    ``time_limit`` seconds.

    When that cannot be settled in time, the candidates not yet released are returned (all
    when no conflict was found yet; a 30-s scenario of a 600-student term released two groups
    of 12 courses in its 15 s and then returned all 107, of which the solve could keep none);
    when the instance has no timetable whatever is kept, the candidates as given. Either way
    the solve releases them itself if needed, and a relaxed solve can always keep them.
    """
    deadline = time.perf_counter() + time_limit
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    pins = tuple(pins)
    if pins:
        options = place_pins(options, group_pins(instance, calendar, pins))
    given = tuple(candidates)
    if any(not options.by_course.get(c.id) for c in instance.courses):
        return given  # some course cannot meet at all: the instance is impossible anyway
    tm = TimetableModel(instance, calendar, options)
    ObjectiveBuilder(tm, baseline).build_hard()
    choice = baseline_choice(tm, baseline)
    keep = [c for c in given if c in choice]
    literal = keep_literals(tm, choice, keep)
    apply_baseline(tm, choice)  # every course hinted where the baseline has it
    released: list[str] = []

    def check(courses: list[str]) -> tuple[SolveStatus, set[str]] | None:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return None
        params = SolverParams(time_limit=left, workers=1, seed=seed,
                              extra={"stop_after_first_solution": True})
        status, core = assumption_core(tm.model, {c: literal[c] for c in courses}, params)
        return status, set(core)

    while keep:
        checked = check(keep)
        if checked is None:  # out of time: without the groups found in conflict (if any)
            return tuple(c for c in given if c in keep)
        status, core = checked
        if status.has_solution:
            break
        if status != SolveStatus.INFEASIBLE or not core:
            return given  # not settled in time, or infeasible whatever is kept
        released += [c for c in keep if c in core]
        keep = [c for c in keep if c not in core]
    # a core is not minimal: each released course that fits beside the kept ones is kept too
    # (against a baseline, two untouched visitors' courses moved for a core of three)
    for course in released:
        checked = check([*keep, course])
        if checked is None:
            break
        if checked[0].has_solution:
            keep.append(course)
    return tuple(c for c in given if c in keep)


@dataclass(frozen=True)
class PinChoice:
    """Which pins a relaxed solve keeps (``kept``) and which it must break (``broken``).

    ``optimal``: no timetable keeps more pinned meetings (proven); ``settled``: a timetable
    keeping ``kept`` was found (when not, every pin is kept and the solve says why there is
    no timetable).
    """

    kept: tuple[Pin, ...]
    broken: tuple[Pin, ...]
    optimal: bool
    settled: bool = True

    @property
    def kept_meetings(self) -> frozenset[Meeting]:
        """The pinned meetings of the kept pins (what the solve and the verifier keep)."""
        return frozenset(m for pin in self.kept for m in pin.meetings)

    @property
    def broken_meetings(self) -> int:
        """The meetings the broken pins held (a weekly slot counts its weeks)."""
        return sum(pin.held for pin in self.broken)

    def as_dict(self) -> dict[str, Any]:
        return {"kept": len(self.kept), "kept_meetings": len(self.kept_meetings),
                "broken": [pin.as_dict() for pin in self.broken],
                "broken_meetings": self.broken_meetings, "optimal": self.optimal,
                "settled": self.settled}


def keepable_pins(instance: Instance, pinned: Iterable[Meeting], time_limit: float,
                  seed: int = 0, workers: int = 0,
                  baseline: Timetable | None = None) -> PinChoice:
    """The most pinned meetings that the hard rules let a timetable keep, within
    ``time_limit`` seconds (each pin counts its meetings: a weekly slot its weeks).

    Every requirement group of the model holds except the pins, each of which is switched by
    its group's literal; CP-SAT maximises the pinned meetings kept, the ``baseline`` hinted.
    The timetable found proves that the kept pins can hold together. When none is found in
    time (or the instance has no timetable whatever is pinned), every pin is kept and the
    solve says why there is no timetable.
    """
    calendar = TermCalendar(instance)
    options = pinned_options(instance, calendar, pinned)
    pins = tuple(options.pins.values())
    if not pins:
        return PinChoice((), (), optimal=True)
    tm = TimetableModel(instance, calendar, options, explain=True)
    for group, literal in tm.groups.items():
        if group[0] != PIN:
            tm.model.add(literal == 1)
    if baseline is not None:
        apply_baseline(tm, baseline_choice(tm, baseline), baseline=baseline)
    tm.model.maximize(sum(options.pins[g].held * literal
                          for g, literal in tm.groups.items() if g[0] == PIN))
    params = SolverParams(time_limit=time_limit, workers=workers, seed=seed)
    solver, stats = run_cpsat(tm.model, params)
    if not stats.has_solution:
        return PinChoice(pins, (), optimal=False, settled=False)
    kept = tuple(p for p in pins
                 if p.group in tm.groups and solver.boolean_value(tm.groups[p.group]))
    broken = tuple(p for p in pins if p not in kept)
    return PinChoice(kept, broken, optimal=stats.status == SolveStatus.OPTIMAL)


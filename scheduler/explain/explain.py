"""Why an instance has no timetable: counting checks, impossible courses, then a CP-SAT core."""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolveStatus
from scheduler.explain import words
from scheduler.explain.arithmetic import arithmetic_conflicts
from scheduler.explain.certificates import Counter, all_groups
from scheduler.explain.conflict import Conflict, Explanation
from scheduler.explain.core import Core, find_core
from scheduler.explain.meetings import no_meeting_conflicts
from scheduler.explain.office_rules import hard_rule_conflicts
from scheduler.explain.pins import PINS_FIX, lost_pin_conflicts, pin_words
from scheduler.explain.requirements import describe
from scheduler.instance import Instance
from scheduler.model.builder import Group
from scheduler.model.options import OptionSet, build_options
from scheduler.model.pins import PIN, group_pins, place_pins
from scheduler.timetable import Meeting


def _subjects(instance: Instance, groups: tuple[Group, ...]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {k: set() for k in ("courses", "teachers", "cohorts", "rooms",
                                                     "interpreters")}
    for family, subject, *_ in groups:
        if family in ("delivery", "intensive daily limit"):
            found["courses"].add(subject)
        elif family.startswith("teacher"):
            found["teachers"].add(subject)
        elif family.startswith("cohort"):
            cohort = instance.cohort_by_id.get(subject)
            found["cohorts"].add(cohort.parent if cohort and cohort.parent else subject)
        elif family.startswith("room"):
            found["rooms"].add(subject)
        elif family.startswith("interpreter"):
            found["interpreters"].add(subject)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def core_conflict(instance: Instance, calendar: TermCalendar, options: OptionSet,
                  core: Core) -> Conflict:
    """The conflict a core stands for: a counting sentence when one holds, else its list
    (headed by the pins when pinned meetings are involved)."""
    pins = [options.pins[g] for g in core.groups if g[0] == PIN and g in options.pins]
    requirements = tuple(pin_words(instance, options.pins[g]) if g in options.pins
                         else describe(instance, calendar, g) for g in core.groups)
    counter = Counter(instance, calendar, options, [g for g in core.groups if g[0] != PIN])
    certificates = counter.certificates()
    if certificates:
        return counter.conflict(certificates[0], requirements)
    subjects = _subjects(instance, core.groups)
    holders = [words.teacher(instance, t) for t in subjects["teachers"]]
    holders += [words.cohort(instance, g[1]) for g in core.groups if g[0] == "cohort clash"]
    holders += [words.room(instance, r) for r in subjects["rooms"]]
    holders += [words.interpreter(instance, i) for i in subjects["interpreters"]]
    holders = list(dict.fromkeys(holders))
    if pins:
        pinned = tuple(dict.fromkeys(p.course_id for p in pins))
        others = [c for c in subjects["courses"] if c not in pinned]
        sentence = f"the pins of {words.courses(instance, pinned)} cannot all hold"
        if others:
            sentence += (f" while {words.courses(instance, others)} "
                         f"{'is' if len(others) == 1 else 'are'} placed too")
        if holders:
            sentence += f": {words.join(holders)} cannot hold all these meetings"
        subjects["courses"] = tuple(sorted(set(subjects["courses"]) | set(pinned)))
    else:
        named = words.courses(instance, subjects["courses"])
        sentence = (f"{named} cannot all be placed together" if len(subjects["courses"]) != 1
                    else f"{named} cannot be placed")
        if holders:
            sentence += (f": {words.join(holders)} cannot hold all their meetings "
                         f"{_when(instance, calendar, options, subjects['courses'])}")
    rules = [g[1] for g in core.groups if g[0] == "office rule"]
    if rules:
        sentence = f"with {words.join(rules)} made hard in the weights table, {sentence}"
    if core.minimal:
        sentence += " (each requirement below is needed for the conflict)"
    return Conflict("requirements", sentence, requirements, fix=PINS_FIX if pins else "",
                    courses=subjects["courses"], teachers=subjects["teachers"],
                    cohorts=subjects["cohorts"], rooms=subjects["rooms"],
                    interpreters=subjects["interpreters"])


def _when(instance: Instance, calendar: TermCalendar, options: OptionSet,
          course_ids: tuple[str, ...]) -> str:
    """Where the courses can meet at all: weekly periods, or a span of dates."""
    chosen = [o for c in course_ids for o in options.by_course.get(c, [])]
    if chosen and all(o.weekly for o in chosen):
        cells = {(o.weekday, p) for o in chosen if o.weekday is not None
                 for p in o.block.periods}
        return f"in the only periods they can meet ({words.weekly_cells(instance, cells)})"
    dates = sorted(d.date for o in chosen for d in o.days)
    return f"{words.span(dates[0], dates[-1])}" if dates else ""


def counting_conflicts(instance: Instance, calendar: TermCalendar,
                       options: OptionSet) -> list[Conflict]:
    """Resources that cannot hold what the courses need of them, counted over the meetings
    that are possible at all (no solving); the first one found, with as few courses as the
    count allows."""
    counter = Counter(instance, calendar, options, all_groups(instance, options))
    certificates = counter.certificates()
    if not certificates:
        return []
    best = certificates[0]
    requirements = tuple(describe(instance, calendar, g) for g in counter.groups_of(best))
    return [counter.conflict(best, requirements)]


def explain_infeasibility(instance: Instance, time_limit: float = 30.0, seed: int = 0,
                          check_limit: float | None = None,
                          pins: Iterable[Meeting] = ()) -> Explanation:
    """The smallest set of requirements found that cannot hold together, in users' words.

    First the counting checks of validation (each a proof on its own), then courses that
    cannot meet at all, then norm rules made hard that counting shows forced, then pinned
    meetings (``pins``) that no meeting can keep, then counts over the meetings that are
    possible, then a CP-SAT core over requirement groups (each pin one of them) shrunk within
    ``time_limit`` seconds.
    """
    counted = arithmetic_conflicts(instance)
    if counted:
        return Explanation(tuple(counted), proven=True, minimal=True)
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    impossible = no_meeting_conflicts(instance, options, calendar)
    if impossible:
        return Explanation(tuple(impossible), proven=True, minimal=True)
    forced = hard_rule_conflicts(instance, calendar)
    if forced:
        return Explanation(tuple(forced), proven=True)
    pins = tuple(pins)
    if pins:
        options = place_pins(options, group_pins(instance, calendar, pins))
        lost = lost_pin_conflicts(instance, calendar, options)
        if lost:
            return Explanation(tuple(lost), proven=True, minimal=True)
    counted = counting_conflicts(instance, calendar, options)
    if counted:
        return Explanation(tuple(counted), proven=True, minimal=False)
    core = find_core(instance, calendar, options, time_limit, check_limit, seed)
    if core.status.has_solution:
        return Explanation((), proven=False, note="a timetable exists: nothing to explain")
    if core.status != SolveStatus.INFEASIBLE:
        return Explanation((), proven=False, note="the solver could not isolate the "
                           f"conflicting requirements within {time_limit:.1f} s; try a longer "
                           "time limit")
    note = "" if core.minimal else ("the set of requirements may not be the smallest: "
                                    "shrinking it ran out of time")
    return Explanation((core_conflict(instance, calendar, options, core),), proven=True,
                       minimal=core.minimal, note=note)

"""A small set of requirement groups that admit no timetable, from CP-SAT assumptions.

Every requirement group of the model (a course's delivery, a teacher's clashes in one week, a
room's clashes ...) is switched by an assumption literal (``TimetableModel(explain=True,
fine=True)``). CP-SAT proves the assumptions infeasible and returns a sufficient subset
(``sufficient_assumptions_for_infeasibility``); deletion-based shrinking then drops one group
at a time, keeping it out when the rest is still infeasible, until every group left is needed
or the time budget runs out.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus, assumption_core
from scheduler.instance import Instance
from scheduler.model.builder import Group, TimetableModel
from scheduler.model.objective import ObjectiveBuilder
from scheduler.model.options import OptionSet


@dataclass(frozen=True)
class Core:
    """Requirement groups that cannot all hold.

    ``status`` is ``INFEASIBLE`` when ``groups`` is proven to admit no timetable, ``FEASIBLE``
    when the whole instance turned out to have one, ``UNKNOWN`` when the solver ran out of
    time. ``minimal``: removing any single group was shown to make the rest satisfiable.
    """

    status: SolveStatus
    groups: tuple[Group, ...] = ()
    minimal: bool = False
    checks: int = 0


def _order(groups: Iterable[Group]) -> list[Group]:
    """Deletion order: week-scoped and resource groups before course deliveries."""
    return sorted(groups, key=lambda g: (g[0] == "delivery", -len(g), g))


class CoreFinder:
    """Solves the explain model of an instance under chosen assumptions."""

    def __init__(self, instance: Instance, calendar: TermCalendar, options: OptionSet,
                 seed: int = 0) -> None:
        self.tm = TimetableModel(instance, calendar, options, explain=True, fine=True)
        ObjectiveBuilder(self.tm).build_hard()
        self.seed = seed
        self.checks = 0

    def check(self, groups: Iterable[Group],
              limit: float) -> tuple[SolveStatus, set[Group]]:
        """Solve with ``groups`` enforced (the others free); return the status and, when
        infeasible, a sufficient subset of ``groups``."""
        chosen = sorted(set(groups))
        params = SolverParams(time_limit=max(0.05, limit), workers=1, seed=self.seed)
        status, core = assumption_core(self.tm.model, {g: self.tm.groups[g] for g in chosen},
                                       params)
        self.checks += 1
        if status != SolveStatus.INFEASIBLE:
            return status, set()
        return status, core or set(chosen)


def find_core(instance: Instance, calendar: TermCalendar, options: OptionSet,
              time_limit: float, check_limit: float | None = None, seed: int = 0) -> Core:
    """A requirement core of an infeasible instance, shrunk while time allows.

    ``time_limit`` bounds the whole search; ``check_limit`` each shrinking solve (default: a
    fifth of the budget).
    """
    deadline = time.perf_counter() + time_limit
    finder = CoreFinder(instance, calendar, options, seed)
    if not finder.tm.groups:
        return Core(SolveStatus.FEASIBLE)
    status, core = finder.check(finder.tm.groups, time_limit)
    if status != SolveStatus.INFEASIBLE:
        return Core(status, checks=finder.checks)
    per_check = check_limit if check_limit is not None else max(1.0, time_limit / 5)
    needed: set[Group] = set()
    undecided = False
    for group in _order(core):
        if group not in core or group in needed:
            continue
        left = deadline - time.perf_counter()
        if left <= 0.05:
            undecided = True
            break
        status, smaller = finder.check(core - {group}, min(per_check, left))
        if status == SolveStatus.INFEASIBLE:
            core = smaller
        elif status.has_solution:
            needed.add(group)
        else:
            undecided = True
    minimal = not undecided and core <= needed
    return Core(SolveStatus.INFEASIBLE, tuple(_order(core)), minimal, finder.checks)

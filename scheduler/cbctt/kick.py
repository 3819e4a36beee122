"""A kick for restarts of the period search: the best periods so far, some courses moved.

A period search that has stopped improving sits in a local optimum. Restarting from a new first
timetable throws the good structure away and spends a minute getting back to the same quality;
a kick keeps it: a random share of the courses must each leave one of the periods they hold,
and one short CP-SAT run places their lectures, and those of the courses they conflict with
(shared curricula or teacher: without them a kicked course rarely has anywhere else to go),
as cheaply as it can with every other lecture fixed. The search then goes on from there.
"""

from __future__ import annotations

import random

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.model import Periods, Release, build_time_model
from scheduler.cpsat import SolverParams, run_cpsat

KICK_WORK = 1.0
"""CP-SAT deterministic time for placing the kicked lectures."""


def kicked(instance: CbcttInstance, periods: Periods, share: float, rng: random.Random,
           time_limit: float | None) -> tuple[Periods | None, bool]:
    """``periods`` with ``share`` of the courses (at least one) each moved off one of its
    periods (drawn at random), and whether a stop was requested. ``None`` when no placement
    was found in time (e.g. the courses drawn have nowhere else to go)."""
    holding = [c for c, ps in enumerate(periods) if ps]
    if not holding:
        return None, False
    moved = rng.sample(holding, max(1, min(len(holding), round(share * len(instance.courses)))))
    free = set(moved).union(*(instance.conflicts[c] for c in moved))
    release = Release(frozenset((c, p) for c in free for p in periods[c]), name="kick")
    built = build_time_model(instance, periods, release)
    for c in moved:
        var = built.x.get((c, rng.choice(periods[c])))
        if var is not None and not isinstance(var, int):
            built.model.add(var == 0)
    built.model.clear_hints()  # the hint is the timetable it must leave
    params = SolverParams(time_limit, 1, rng.randrange(2**31),
                          extra={"max_deterministic_time": KICK_WORK, "linearization_level": 2})
    solver, run = run_cpsat(built.model, params)
    if not run.has_solution:
        return None, run.interrupted
    return built.periods(solver), run.interrupted

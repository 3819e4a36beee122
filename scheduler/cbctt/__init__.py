"""Curriculum-based course timetabling (ITC2007 track 3, CB-CTT) under the UD2 objective.

Read an instance with :func:`read_cbctt`, solve it with :func:`solve_cbctt`, write the timetable
with :func:`write_solution`, and check any solution file with :func:`read_solution` and
:func:`score` (which never uses the solver's model).

Names are loaded on first use, so that reading and scoring never load OR-Tools.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "CbcttInstance": "instance",
    "Course": "instance",
    "Curriculum": "instance",
    "Room": "instance",
    "CbcttInputWarning": "reader",
    "parse_cbctt": "reader",
    "read_cbctt": "reader",
    "Assignment": "solution",
    "Placement": "solution",
    "format_solution": "solution",
    "parse_solution": "solution",
    "read_solution": "solution",
    "write_solution": "solution",
    "Score": "scorer",
    "Violation": "scorer",
    "score": "scorer",
    "LnsSettings": "lns",
    "STRATEGIES": "solve",
    "CbcttResult": "solve",
    "PhaseShares": "solve",
    "solve_cbctt": "solve",
}

__all__ = [
    "STRATEGIES",
    "Assignment",
    "CbcttInputWarning",
    "CbcttInstance",
    "CbcttResult",
    "Course",
    "Curriculum",
    "LnsSettings",
    "PhaseShares",
    "Placement",
    "Room",
    "Score",
    "Violation",
    "format_solution",
    "parse_cbctt",
    "parse_solution",
    "read_cbctt",
    "read_solution",
    "score",
    "solve_cbctt",
    "write_solution",
]

if TYPE_CHECKING:
    from scheduler.cbctt.instance import CbcttInstance, Course, Curriculum, Room
    from scheduler.cbctt.lns import LnsSettings
    from scheduler.cbctt.reader import CbcttInputWarning, parse_cbctt, read_cbctt
    from scheduler.cbctt.scorer import Score, Violation, score
    from scheduler.cbctt.solution import (
        Assignment,
        Placement,
        format_solution,
        parse_solution,
        read_solution,
        write_solution,
    )
    from scheduler.cbctt.solve import STRATEGIES, CbcttResult, PhaseShares, solve_cbctt


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'scheduler.cbctt' has no attribute {name!r}")
    return getattr(importlib.import_module(f"scheduler.cbctt.{_EXPORTS[name]}"), name)

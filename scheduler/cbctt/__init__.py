"""Curriculum-based course timetabling (ITC2007 track 3, CB-CTT) under the UD2 objective.

Read an instance with :func:`read_cbctt`, solve it with :func:`solve_cbctt`, write the timetable
with :func:`write_solution`, and check any solution file with :func:`read_solution` and
:func:`score` (which never uses the solver's model).
"""

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
from scheduler.cbctt.solve import STRATEGIES, CbcttResult, solve_cbctt

__all__ = [
    "STRATEGIES",
    "Assignment",
    "CbcttInputWarning",
    "CbcttInstance",
    "CbcttResult",
    "Course",
    "Curriculum",
    "LnsSettings",
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

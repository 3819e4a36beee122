"""Infeasibility explained in users' words: counting checks, impossible courses, CP-SAT cores.

:func:`explain_infeasibility` says why an instance has no timetable; :func:`explain_unplaced`
says why a relaxed solve left courses out.
"""

from scheduler.explain.conflict import Conflict, Explanation
from scheduler.explain.explain import explain_infeasibility
from scheduler.explain.unplaced import Unplaced, explain_unplaced, unplaced_courses

__all__ = ["Conflict", "Explanation", "Unplaced", "explain_infeasibility", "explain_unplaced",
           "unplaced_courses"]

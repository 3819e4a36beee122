"""The independent judge: recomputes every hard rule and soft cost from a timetable.

It reads only the instance and the timetable and shares no code with the CP-SAT model (nor
with the model's calendar and availability helpers); an import-linter contract keeps it so.
"""

from scheduler.verify.report import (
    Verification,
    Violation,
    courses_without_meetings,
    verify_timetable,
)

__all__ = ["Verification", "Violation", "courses_without_meetings", "verify_timetable"]

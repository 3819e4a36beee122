"""When a planned visitor's trips cannot hold their courses, the explanation says the trip
rules in words.

V1 may make one trip of at most 4 days (a day of travel at each end: two teaching days), but
teaches I1 in week 1 and a new course I2 in week 2: no single trip reaches both weeks.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.explain import explain_infeasibility
from scheduler.instance import WeekRange
from tests.tiny import planned_tiny


def test_the_explanation_names_the_trip_rules():
    instance = planned_tiny(max_trips=1, max_stay_days=4)
    i1 = instance.course_by_id["I1"]
    courses = tuple(replace(c, weeks=WeekRange(1, 1)) if c.id == "I1" else c
                    for c in instance.courses)
    courses += (replace(i1, id="I2", name="Geometry", contact_periods=2,
                        weeks=WeekRange(2, 2)),)
    explanation = explain_infeasibility(replace(instance, courses=courses), 20, 0)
    text = "\n".join(explanation.lines())
    assert ("Иванова Е. А. (V1) teaches on site only inside at most 1 trip(s) of 3..4 days "
            "between 2026-09-06 and 2026-09-19") in text
    assert "I2 (Geometry)" in text

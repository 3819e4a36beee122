"""A norm rule the office made hard that counting shows every timetable breaks."""

from __future__ import annotations

from scheduler.calendar import TermCalendar
from scheduler.explain.conflict import Conflict
from scheduler.instance import Instance
from scheduler.model.norm_bounds import (
    NORM_RULES,
    forced_hard_rules,
    hard_rule_courses,
    hard_rule_sentence,
    norm_bounds,
)


def hard_rule_conflicts(instance: Instance, calendar: TermCalendar) -> list[Conflict]:
    """One proven conflict per norm rule of level ``hard`` whose structural bound is above 0
    (:func:`~scheduler.model.norm_bounds.norm_bounds`: counts over every possible meeting),
    with the counts that force it as its requirements."""
    if not instance.levels.hard(NORM_RULES):
        return []
    bounds = norm_bounds(instance, calendar)
    return [Conflict("arithmetic", hard_rule_sentence(rule) + ".",
                     tuple(c.sentence() for c in rule.certificates),
                     fix=f"give {rule.rule} the level norm in the weights table (the solver then "
                         f"keeps it as low as it can), or relieve the days the counts name",
                     courses=hard_rule_courses(rule))
            for rule in forced_hard_rules(instance, bounds)]

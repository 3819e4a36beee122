"""Levels of the soft rules: what the office must have, what it wants first, what is comfort.

Every soft rule of the ``weights`` table has a level:

* ``hard``: the rule becomes a constraint; a timetable may not count it at all (an office that
  allows no evening teaching makes ``evening_period`` hard);
* ``norm``: the office's norms; the solver minimises the norm tier first;
* ``comfort``: everything else; minimised second, with the norm tier held at the value found.

``unplaced_period`` (relaxed solving only) is not in the table's levels: placing courses always
comes first, as its own tier ``placement``. Thresholds (``cohort_daily_cap`` ...) are limits
used by a rule, not rules, and have no level. ``docs/objective.md`` documents the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["hard", "norm", "comfort"]
LEVELS: tuple[Level, ...] = ("hard", "norm", "comfort")
"""The levels a rule may have in the ``weights`` table."""

TIERS: tuple[str, ...] = ("placement", "norm", "comfort")
"""The tiers of a lexicographic solve, most important first."""

THRESHOLDS = frozenset({"min_day_gap", "max_consecutive_days", "seat_slack_percent",
                        "cohort_daily_cap"})
"""Names in the ``weights`` table that are limits used by a rule, not rules."""

PLACEMENT_RULE = "unplaced_period"
"""The rule of the ``placement`` tier (relaxed solving); its level cannot be changed."""

DEFAULT_NORMS = frozenset({"evening_period", "cohort_overload_period", "lunch_break_missed",
                           "teacher_avoided_period"})
"""Rules that are norms unless the ``weights`` table says otherwise."""


def default_level(rule: str) -> Level:
    """The documented level of ``rule`` when the ``weights`` table gives none."""
    return "norm" if rule in DEFAULT_NORMS else "comfort"


def has_level(rule: str) -> bool:
    """Whether ``rule`` may be given a level (not a threshold, not ``unplaced_period``)."""
    return rule not in THRESHOLDS and rule != PLACEMENT_RULE


@dataclass(frozen=True)
class RuleLevels:
    """The level of each rule: the defaults, changed by ``overrides`` ((rule, level) pairs,
    from the ``level`` column of the ``weights`` table)."""

    overrides: tuple[tuple[str, Level], ...] = ()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, Level]]) -> RuleLevels:
        """The levels given by (rule, level) pairs; pairs that state a rule's default level
        are dropped, so that equal levels compare equal however they were written."""
        return cls(tuple(sorted((rule, level) for rule, level in pairs
                                if level != default_level(rule))))

    def of(self, rule: str) -> str:
        """``hard``, ``norm`` or ``comfort``; ``placement`` for ``unplaced_period``."""
        if rule == PLACEMENT_RULE:
            return "placement"
        for name, level in self.overrides:
            if name == rule:
                return level
        return default_level(rule)

    def tier(self, rule: str) -> str | None:
        """The tier a rule's cost belongs to (``None`` for a hard rule)."""
        level = self.of(rule)
        return None if level == "hard" else level

    def hard(self, rules: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``rules`` that are hard."""
        return tuple(r for r in rules if self.of(r) == "hard")

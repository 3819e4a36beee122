"""Rules the office made hard: a timetable may not count them at all.

The ``level`` column of the ``weights`` table can make a soft rule hard (no evening teaching,
no day beyond the daily cap ...). The verifier counts such a rule with its own soft-rule code
and reports every count as a violation, and groups the soft costs by tier.
"""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.verify.dates import TermDates
from scheduler.verify.hard import Violation
from scheduler.verify.soft import SOFT_TERMS, moved_meeting


def office_rules(instance: Instance, timetable: Timetable, dates: TermDates,
                 baseline: Timetable | None = None) -> Iterator[Violation]:
    """One violation per hard-level rule that the timetable counts (``moved_meeting`` only
    against a ``baseline``)."""
    counters = dict(SOFT_TERMS)
    if baseline is not None:
        counters["moved_meeting"] = lambda i, t, d: moved_meeting(i, t, baseline)
    for name, compute in counters.items():
        if instance.levels.of(name) != "hard":
            continue
        count = compute(instance, timetable, dates)
        if count:
            yield Violation("office rule", f"{name} is hard for this instance (level hard in "
                            f"the weights table), but the timetable counts {count}")


def tier_costs(instance: Instance, weighted: dict[str, int]) -> dict[str, int]:
    """The weighted cost of each tier (``placement``, ``norm``, ``comfort``) that has a rule."""
    tiers: dict[str, int] = {}
    for name, cost in weighted.items():
        tier = instance.levels.tier(name)
        if tier is not None:
            tiers[tier] = tiers.get(tier, 0) + cost
    return tiers

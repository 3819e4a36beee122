"""The verdict on a timetable: hard violations and (from the soft module) cost per term."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.verify import hard
from scheduler.verify.dates import TermDates
from scheduler.verify.hard import Violation
from scheduler.verify.soft import soft_costs


@dataclass(frozen=True)
class Verification:
    """Hard violations (empty when the timetable is valid) and recomputed soft costs."""

    violations: tuple[Violation, ...]
    costs: dict[str, int] = field(default_factory=dict)
    weighted: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def objective(self) -> int:
        return sum(self.weighted.values())

    def by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for v in self.violations:
            counts[v.rule] = counts.get(v.rule, 0) + 1
        return counts


def verify_timetable(instance: Instance, timetable: Timetable,
                     baseline: Timetable | None = None,
                     allow_unplaced: bool = False) -> Verification:
    """Check every hard rule and recompute every soft cost of ``timetable``.

    ``baseline`` adds the count of moved meetings; ``allow_unplaced`` accepts courses without
    any meeting (relaxed solving) and counts their contact periods as unplaced.
    """
    dates = TermDates(instance)
    violations: list[Violation] = []
    violations.extend(hard.references(instance, timetable))
    violations.extend(hard.teaching_days_and_blocks(instance, timetable, dates))
    masks = hard.Masks(instance)
    violations.extend(hard.rooms_fit(instance, timetable, dates, masks))
    violations.extend(hard.teachers_available(instance, timetable, dates, masks))
    violations.extend(hard.interpreters(instance, timetable, dates, masks))
    violations.extend(hard.clashes(instance, timetable))
    violations.extend(hard.loads(instance, timetable, dates))
    violations.extend(hard.delivery(instance, timetable, dates, allow_unplaced))
    counts, weighted = soft_costs(instance, timetable, baseline, allow_unplaced)
    return Verification(tuple(violations), counts, weighted)

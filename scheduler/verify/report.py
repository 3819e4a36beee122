"""The verdict on a timetable: hard violations and (from the soft module) cost per term."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from scheduler.instance import Instance
from scheduler.timetable import Meeting, Timetable, Trip
from scheduler.verify import hard, online, trips
from scheduler.verify.dates import TermDates
from scheduler.verify.hard import Violation
from scheduler.verify.levels import office_rules, tier_costs
from scheduler.verify.pins import pins_kept
from scheduler.verify.soft import soft_costs


@dataclass(frozen=True)
class Verification:
    """Hard violations (empty when the timetable is valid) and recomputed soft costs;
    ``unplaced``: the courses without any meeting, when they were accepted (relaxed)."""

    violations: tuple[Violation, ...]
    costs: dict[str, int] = field(default_factory=dict)
    weighted: dict[str, int] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=dict)
    unplaced: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    @property
    def objective(self) -> int:
        """The recomputed cost: every rule's weight times its count, summed."""
        return sum(self.weighted.values())

    def by_rule(self) -> dict[str, int]:
        """How many violations each broken hard rule has."""
        counts: dict[str, int] = {}
        for v in self.violations:
            counts[v.rule] = counts.get(v.rule, 0) + 1
        return counts

    def report_lines(self, rows: Mapping[Meeting, tuple[int, ...]] | None = None,
                     label: Callable[[Violation], str] = str,
                     trip_rows: TripRows | None = None) -> list[str]:
        """The violations as lines to print, the consequences of each edit under it.

        Each hand edit of a weekly course (a meeting moved, added, doubled or put in another
        room) comes first, followed, indented, by the other violations of its meetings (a
        clash at the new time, a booked room); then the remaining violations. With ``rows``
        (each meeting's rows in the timetable file, see
        :class:`~scheduler.timetable_io.TimetableFile`) every line ends with the rows of its
        meetings; with ``trip_rows`` (the trips file's name and each trip's row in it) a broken
        trip rule ends with its trips' rows; ``label`` says a violation (by default ``[rule]
        message``).
        """
        violations = self.violations
        placed: set[int] = set()
        groups: list[tuple[int, list[int]]] = []
        for c, cause in enumerate(violations):
            if cause.edit:
                edited = set(cause.meetings)
                found = [i for i, v in enumerate(violations)
                         if not v.edit and i not in placed and edited & set(v.meetings)]
                placed.update(found)
                groups.append((c, found))
        lines = []
        for c, found in groups:
            lines.append(f"  - {label(violations[c])}{_rows(violations[c], rows)}")
            lines += [f"      - {label(violations[i])}{_rows(violations[i], rows)}"
                      for i in found]
        lines += [f"  - {label(v)}{_rows(v, rows)}{_trip_rows(v, trip_rows)}"
                  for i, v in enumerate(violations) if not v.edit and i not in placed]
        return lines


TripRows = tuple[str, Mapping[Trip, int]]
"""A trips file's name and the row of each trip in it (the header is row 1)."""


def _trip_rows(violation: Violation, trip_rows: TripRows | None) -> str:
    """`` (trips.csv row 3)`` for the trips of a broken trip rule; empty without rows."""
    if trip_rows is None:
        return ""
    name, where = trip_rows
    numbers = sorted({where[t] for t in violation.trips if t in where})
    if not numbers:
        return ""
    return f" ({name} row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))})"


def _rows(violation: Violation, rows: Mapping[Meeting, tuple[int, ...]] | None) -> str:
    """`` (rows 29, 31)`` for the meetings of a violation; empty without rows."""
    numbers = sorted({r for m in violation.meetings for r in (rows or {}).get(m, ())})
    if not numbers:
        return ""
    shown = ", ".join(map(str, numbers[:5]))
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return f" (row{'s' if len(numbers) > 1 else ''} {shown}{more})"


def verify_timetable(instance: Instance, timetable: Timetable,
                     baseline: Timetable | None = None,
                     allow_unplaced: bool = False,
                     pins: Iterable[Meeting] | None = None) -> Verification:
    """Check every hard rule and recompute every soft cost of ``timetable`` (with its trips,
    see :mod:`scheduler.verify.trips`).

    ``baseline`` adds the count of moved meetings, and its pinned meetings must be kept (at
    their date, periods and room: :mod:`scheduler.verify.pins`); ``pins`` gives the pinned
    meetings instead (e.g. only those a relaxed solve kept). ``allow_unplaced`` accepts
    courses without any meeting (relaxed solving) and counts their contact periods as
    unplaced.
    """
    violations: list[Violation] = list(trips.trip_rules(instance, timetable))
    violations.extend(trips.weekly_in_one_trip(instance, timetable))
    violations.extend(trips.hard_trip_costs(instance, timetable))
    counts, weighted = soft_costs(instance, timetable, baseline, allow_unplaced)
    instance = instance.with_trips(timetable.trips)  # planned trips: the windows they make
    dates = TermDates(instance)
    violations.extend(hard.references(instance, timetable))
    violations.extend(hard.teaching_days_and_blocks(instance, timetable, dates))
    masks = hard.Masks(instance)
    violations.extend(hard.rooms_fit(instance, timetable, dates, masks))
    violations.extend(hard.teachers_available(instance, timetable, dates, masks))
    violations.extend(online.online_meetings(instance, timetable))
    violations.extend(hard.interpreters(instance, timetable, dates, masks))
    violations.extend(hard.clashes(instance, timetable))
    violations.extend(hard.loads(instance, timetable, dates))
    violations.extend(hard.delivery(instance, timetable, dates, allow_unplaced))
    if pins is None:
        pins = baseline.pinned if baseline is not None else ()
    violations.extend(pins_kept(instance, timetable, pins, dates, allow_unplaced))
    violations.extend(office_rules(instance, timetable, dates, baseline))
    unplaced = courses_without_meetings(instance, timetable) if allow_unplaced else ()
    return Verification(tuple(violations), counts, weighted, tier_costs(instance, weighted),
                        unplaced)


def courses_without_meetings(instance: Instance, timetable: Timetable) -> tuple[str, ...]:
    """The courses of ``instance`` that have no meeting in ``timetable`` (as a relaxed solve
    leaves them), in the instance's order."""
    placed = {m.course_id for m in timetable.meetings}
    return tuple(c.id for c in instance.courses if c.id not in placed)

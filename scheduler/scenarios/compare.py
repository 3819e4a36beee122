"""Base versus scenario, side by side: feasibility, objective and each soft term, meetings
moved, meetings dropped, cohorts and teachers affected, periods that could not be placed.

Costs are compared like with like: when the scenario's timetable leaves courses out (a partial
timetable, or courses the scenario removes), the base's costs are recounted by the verifier
over the courses the scenario places, so that leaving a course out never shows as a saving;
the meetings of those courses are counted as dropped, not as moved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scheduler.instance import Course, Instance
from scheduler.model.baseline import PinChoice
from scheduler.pipeline import Diagnosis
from scheduler.scenarios.changes import Scenario
from scheduler.timetable import Meeting, Timetable, teaching_week
from scheduler.verify import Verification
from scheduler.views.compliance import Compliance, compliance
from scheduler.views.diff import Change, timetable_diff
from scheduler.views.online import online_uses

SPECIAL_TERMS = ("moved_meeting", "unplaced_period")
"""Terms that measure the change itself rather than the timetable's quality."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the base or the scenario.

    ``status`` is the solver's (``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``UNKNOWN``) or
    ``GIVEN`` for a baseline timetable read from a file. ``relaxed``: the timetable leaves
    out what could not be placed (the scenario itself has no full timetable).
    ``not_optimised``: why the solver returned the timetable without optimising it (its
    costs then say little about the scenario).
    """

    label: str
    status: str
    timetable: Timetable | None
    verification: Verification | None
    diagnosis: Diagnosis = field(default_factory=Diagnosis)
    relaxed: bool = False
    not_optimised: str = ""

    @property
    def feasible(self) -> bool:
        return self.timetable is not None and not self.relaxed

    @property
    def costs(self) -> dict[str, int]:
        return dict(self.verification.weighted) if self.verification else {}

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.verification.costs) if self.verification else {}

    @property
    def quality(self) -> int | None:
        """The objective without the change terms (moved meetings, unplaced periods)."""
        if self.verification is None:
            return None
        return sum(v for k, v in self.costs.items() if k not in SPECIAL_TERMS)

    @property
    def unplaced_periods(self) -> int:
        return sum(u.periods for u in self.diagnosis.unplaced)

    def verdict(self) -> str:
        if self.relaxed:
            return f"no timetable ({self.status}); partial one leaves {self.unplaced_periods} " \
                   "periods out"
        if self.timetable is not None and self.not_optimised:
            return f"timetable ({self.status}), not optimised: {self.not_optimised}"
        if self.timetable is not None:
            return "timetable" + (" (given)" if self.status == "GIVEN" else
                                  f" ({self.status})")
        return f"no timetable ({self.status})"


@dataclass(frozen=True)
class CourseMoves:
    """Meetings of a course that the scenario did not keep where they were (``before``) and
    its meetings that are new (``after``), paired as ``scheduler diff`` pairs them: the first
    ``moved`` of each, index by index, are a meeting moved; what is left over in ``before`` is
    no longer held (cancelled: a meeting on a new holiday), in ``after`` added (a new
    course)."""

    course_id: str
    before: tuple[Meeting, ...]
    after: tuple[Meeting, ...]

    @property
    def moved(self) -> int:
        return min(len(self.before), len(self.after))

    @property
    def cancelled(self) -> tuple[Meeting, ...]:
        """The meetings left over in ``before``."""
        return self.before[len(self.after):]

    @property
    def added(self) -> int:
        return max(0, len(self.after) - len(self.before))


@dataclass(frozen=True)
class DroppedCourse:
    """A course with meetings in the base timetable and none in the scenario's: ``removed``
    by a change of the scenario, or not placed by its partial timetable."""

    course_id: str
    meetings: tuple[Meeting, ...]
    removed: bool

    @property
    def why(self) -> str:
        return "removed by the scenario" if self.removed else "not placed"


def _by_course(timetable: Timetable) -> dict[str, list[Meeting]]:
    found: dict[str, list[Meeting]] = defaultdict(list)
    for m in timetable.meetings:
        found[m.course_id].append(m)
    return found


def dropped_courses(instance: Instance, before: Timetable,
                    after: Timetable) -> list[DroppedCourse]:
    """Courses with meetings in ``before`` and none in ``after`` (``instance`` is the
    scenario's: a course it lacks was removed)."""
    new = _by_course(after)
    return [DroppedCourse(course_id, tuple(meetings), course_id not in instance.course_by_id)
            for course_id, meetings in sorted(_by_course(before).items())
            if not new.get(course_id)]


def course_moves(instance: Instance, before: Timetable, after: Timetable) -> list[CourseMoves]:
    """Per course of ``instance`` placed in ``after``: meetings of ``before`` not kept at the
    same date, periods and room (as the verifier counts ``moved_meeting``), and the new ones,
    paired as ``scheduler diff`` pairs them (:func:`~scheduler.views.diff.timetable_diff`).
    Courses ``after`` leaves out are not moved but dropped (:func:`dropped_courses`)."""
    changes: dict[str, list[Change]] = defaultdict(list)
    for change in timetable_diff(instance, before, after).changes:
        if change.kind != "interpreter":
            changes[change.course_id].append(change)
    placed = {m.course_id for m in after.meetings}
    moves = []
    for course in instance.courses:
        found = changes.get(course.id)
        if not found or course.id not in placed:
            continue
        moved = [c for c in found if c.kind == "moved"]
        gone = [c.old for c in (*moved, *(c for c in found if c.kind == "removed"))]
        came = [c.new for c in (*moved, *(c for c in found if c.kind == "added"))]
        moves.append(CourseMoves(course.id, tuple(m for m in gone if m is not None),
                                 tuple(m for m in came if m is not None)))
    return moves


@dataclass(frozen=True)
class Comparison:
    """A scenario against its base."""

    scenario: Scenario
    notes: tuple[str, ...]
    base_instance: Instance
    instance: Instance
    base: Side
    changed: Side
    moves: tuple[CourseMoves, ...] = ()
    minimal_change: bool = False
    kept: tuple[str, ...] = ()
    dropped: tuple[DroppedCourse, ...] = ()
    same_courses: Side | None = None
    """The base's timetable without the dropped courses, its costs recounted by the
    verifier: what the scenario's costs are compared with when it drops courses."""
    pinned: int = 0
    """The baseline's pinned meetings the scenario kept where they were."""
    pin_choice: PinChoice | None = None
    """With relaxed pins: which pins were kept and which broken."""

    @property
    def moved_meetings(self) -> int:
        """Base meetings of courses both timetables place that are held elsewhere (another
        date, periods or room), paired in time order with the scenario's new meetings as
        ``scheduler diff`` pairs them."""
        return sum(m.moved for m in self.moves)

    @property
    def cancelled_meetings(self) -> int:
        """Base meetings of courses both timetables place that the scenario no longer holds
        at all (a course that meets fewer times: a meeting on a new holiday)."""
        return sum(len(m.cancelled) for m in self.moves)

    @property
    def added_meetings(self) -> int:
        """The scenario's meetings beyond the base's of their course (a new course's)."""
        return sum(m.added for m in self.moves)

    @property
    def moved_courses(self) -> int:
        """Courses with a base meeting held elsewhere (a new course moves none)."""
        return sum(1 for m in self.moves if m.moved)

    @property
    def dropped_meetings(self) -> int:
        """Base meetings of courses the scenario's timetable leaves out (not moves)."""
        return sum(len(d.meetings) for d in self.dropped)

    @property
    def compared(self) -> Side:
        """The base side the costs are compared with: like with like."""
        return self.same_courses or self.base

    def dropped_words(self) -> str:
        """``2 courses not placed and 1 course removed`` (empty when none is dropped)."""
        removed = sum(d.removed for d in self.dropped)
        parts = [f"{n} {'course' if n == 1 else 'courses'} {what}"
                 for n, what in ((len(self.dropped) - removed, "not placed"),
                                 (removed, "removed")) if n]
        return " and ".join(parts)

    @property
    def removed_courses(self) -> tuple[str, ...]:
        """The base's courses the scenario no longer has."""
        return tuple(c.id for c in self.base_instance.courses
                     if c.id not in self.instance.course_by_id)

    def _touched_courses(self) -> Iterator[Course]:
        """Courses moved, removed or left unplaced, as the scenario has them (or the base,
        for a removed course)."""
        touched = {m.course_id for m in self.moves} | set(self.removed_courses)
        touched |= {d.course_id for d in self.dropped}
        touched |= {u.course_id for u in self.changed.diagnosis.unplaced}
        for course_id in touched:
            course = (self.instance.course_by_id.get(course_id)
                      or self.base_instance.course_by_id.get(course_id))
            if course is not None:
                yield course

    @property
    def affected_cohorts(self) -> tuple[str, ...]:
        """The cohorts the moved or dropped courses name, as they name them: a course of a
        sub-group (IoT-2026-1-CN) affects that sub-group, not its parent's other students."""
        return tuple(sorted({cid for course in self._touched_courses()
                             for cid in course.cohorts}))

    @property
    def affected_teachers(self) -> tuple[str, ...]:
        """The teachers of the moved, dropped or removed courses."""
        return tuple(sorted({t for course in self._touched_courses() for t in course.teachers}))

    def moved_per_week(self) -> dict[int, int]:
        """Moved meetings by the teaching week they were in."""
        weeks: dict[int, int] = defaultdict(int)
        for move in self.moves:
            for m in move.before[:move.moved]:
                weeks[teaching_week(self.base_instance, m.date)] += 1
        return dict(sorted(weeks.items()))

    def terms(self) -> list[str]:
        """The rules with a cost on either side, in the weights table's order."""
        names = set(self.base.costs) | set(self.changed.costs)
        return [n for n in (*self.base_instance.weights.names(),) if n in names]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(what, base, scenario, change) rows of the side-by-side table."""
        def num(value: int | None) -> str:
            return "-" if value is None else f"{value:,}"

        def delta(a: int | None, b: int | None) -> str:
            if a is None or b is None:
                return ""
            return f"{b - a:+,}" if b != a else "0"

        b, s = self.compared, self.changed
        note = ""
        if self.kept and s.timetable is not None and s.status == "OPTIMAL":
            note = (f"optimal with the {len(self.kept)} courses no change touches kept in "
                    "place; moving them too may cost less")
        rows = [("timetable", self.base.verdict(), s.verdict(), note)]
        if self.same_courses is not None:
            placed = len({m.course_id for m in self.same_courses.timetable.meetings}) \
                if self.same_courses.timetable else 0
            rows.append(("costs counted over", f"{placed} courses both place",
                         f"{placed} courses both place",
                         f"{self.dropped_words()}: left out of both"))
        rows.append(("objective (quality terms)", num(b.quality), num(s.quality),
                     delta(b.quality, s.quality)))
        for name in self.terms():
            if name in SPECIAL_TERMS:
                continue
            before, after = b.costs.get(name), s.costs.get(name)
            if before or after:
                rows.append((f"  {name}", num(before), num(after), delta(before, after)))
        base = self.base
        rows.append(("meetings", num(len(base.timetable) if base.timetable else None),
                     num(len(s.timetable) if s.timetable else None), ""))
        rows.append(("meetings moved", "", num(self.moved_meetings) if s.timetable else "-",
                     "re-solved with minimal change" if self.minimal_change else
                     "fresh solve"))
        if self.cancelled_meetings:
            rows.append(("meetings cancelled", "", num(self.cancelled_meetings),
                         "no longer held (a new holiday)"))
        if self.added_meetings:
            rows.append(("meetings added", "", num(self.added_meetings), ""))
        if self.dropped:
            rows.append(("meetings dropped", "", num(self.dropped_meetings),
                         self.dropped_words()))
        rows.append(("courses moved", "", str(self.moved_courses) if s.timetable else "-", ""))
        rows.append(("periods not placed", "0", num(s.unplaced_periods) if s.relaxed
                     else ("0" if s.timetable else "-"), ""))
        rows += self.compliance_rows()
        rows.append(("cohorts affected", "", ", ".join(self.affected_cohorts) or "none", ""))
        rows.append(("teachers affected", "", ", ".join(self.affected_teachers) or "none", ""))
        return rows

    def compliance(self) -> tuple[Compliance | None, Compliance | None]:
        """The one-third rule on the base's timetable and on the scenario's (``None``
        without a timetable): :mod:`scheduler.views.compliance`."""
        return tuple(None if x.timetable is None else compliance(instance, x.timetable)
                     for instance, x in ((self.base_instance, self.base),
                                         (self.instance, self.changed)))  # type: ignore[return-value]

    def compliance_rows(self) -> list[tuple[str, str, str, str]]:
        """FEFU's share of core courses and of teaching hours, base and scenario, and the
        change in percentage points (a share under one third is marked)."""
        before, after = self.compliance()

        def share(c: Compliance | None, field: str) -> str:
            value = None if c is None else getattr(c.overall, f"{field}_share_percent")
            if value is None:
                return "-"
            low = not getattr(c.overall, f"meets_{field}")  # type: ignore[union-attr]
            return f"{value:.1f}%" + (" (under 1/3)" if low else "")

        def points(field: str) -> str:
            values = [None if c is None else getattr(c.overall, f"{field}_share_percent")
                      for c in (before, after)]
            if None in values:
                return ""
            change = round(values[1] - values[0], 1)  # type: ignore[operator]
            return f"{change:+.1f} pt" if change else "0"

        return [(f"FEFU share of {what}", share(before, field), share(after, field),
                 points(field)) for what, field in (("core courses", "core"),
                                                   ("teaching hours", "hours"))]

    def as_dict(self) -> dict[str, Any]:
        """The comparison as ``scenario.json`` holds it."""
        def side(x: Side) -> dict[str, Any]:
            data: dict[str, Any] = {
                "status": x.status, "has_timetable": x.timetable is not None,
                "relaxed": x.relaxed, "feasible": x.feasible,
                "optimised": not x.not_optimised, "not_optimised": x.not_optimised or None,
                "meetings": len(x.timetable) if x.timetable else None,
                "objective": x.verification.objective if x.verification else None,
                "quality_objective": x.quality, "costs": x.costs, "counts": x.counts,
                "unplaced_periods": x.unplaced_periods,
                "unplaced": [u.as_dict() for u in x.diagnosis.unplaced],
            }
            if x.diagnosis.explanation is not None:
                data["explanation"] = x.diagnosis.explanation.lines()
                data["conflicts"] = x.diagnosis.explanation.as_dict()
            return data

        return {
            "scenario": {"name": self.scenario.name, "description": self.scenario.description,
                         "source": self.scenario.source, "changes": list(self.notes)},
            "minimal_change": self.minimal_change,
            "kept_fixed_courses": list(self.kept),
            "pinned_meetings_kept": self.pinned,
            "pin_choice": None if self.pin_choice is None else self.pin_choice.as_dict(),
            "base": side(self.base),
            "scenario_result": side(self.changed),
            "moved_meetings": self.moved_meetings if self.changed.timetable else None,
            "cancelled_meetings": (self.cancelled_meetings if self.changed.timetable
                                   else None),
            "added_meetings": self.added_meetings if self.changed.timetable else None,
            "dropped_meetings": self.dropped_meetings if self.changed.timetable else None,
            "dropped": [{"course_id": d.course_id, "why": d.why,
                         "meetings": [_meeting(x) for x in d.meetings]} for d in self.dropped],
            "base_same_courses": (None if self.same_courses is None
                                  else side(self.same_courses)),
            "moved_per_week": {str(k): v for k, v in self.moved_per_week().items()},
            "moves": [{"course_id": m.course_id,
                       "before": [_meeting(x) for x in m.before],
                       "after": [_meeting(x) for x in m.after]} for m in self.moves],
            "removed_courses": list(self.removed_courses),
            "affected_cohorts": list(self.affected_cohorts),
            "affected_teachers": list(self.affected_teachers),
            "compliance": {name: None if c is None else c.as_dict()
                           for name, c in zip(("base", "scenario"), self.compliance(),
                                              strict=True)},
            "rows": [list(r) for r in self.rows()],
            "online": ([u.as_dict() for u in online_uses(self.instance, self.changed.timetable)]
                       if self.changed.timetable else []),
        }


def _meeting(m: Meeting) -> str:
    return f"{m.date.isoformat()} {m.first_period}-{m.last_period} {m.room_id}"

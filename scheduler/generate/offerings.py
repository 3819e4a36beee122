"""The curriculum given to its attendees: one offering per stream, cohort or group."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scheduler.generate.data.curriculum import JOINT_CLASS, Programme, Template, curriculum
from scheduler.generate.data.rooms import ROOM_SIZES
from scheduler.generate.plan import Stream, YearGroups
from scheduler.instance import Cohort


@dataclass(frozen=True)
class Offering:
    """One course to be: a template given to its attendees, before teachers and weeks."""

    id: str
    name: str
    template: Template
    cohorts: tuple[Cohort, ...]
    roots: tuple[str, ...]
    programme: Programme
    year: int

    @property
    def size(self) -> int:
        return sum(c.size for c in self.cohorts)

    @property
    def dept(self) -> str:
        """The department (or the programme's field) whose teachers teach it."""
        return self.template.dept or self.programme.field

    def interpreted(self, language: str) -> bool:
        """True when taught in ``language`` it needs an interpreter at every meeting."""
        if not self.template.interpreter:
            return False
        return any((c.students_cn and language not in ("zh", *c.languages))
                   or (c.students_ru and language not in ("ru", *c.languages))
                   for c in self.cohorts)


def _audiences(t: Template, stream: Stream) -> Iterator[tuple[str, str, tuple[Cohort, ...]]]:
    """(label, description, cohorts) of each offering of ``t`` in ``stream``."""
    if t.audience == "stream":
        yield stream.id, f"stream {stream.id}", tuple(c.cohort for c in stream.cohorts)
    for plan in stream.cohorts:
        if t.audience == "cohort":
            yield plan.cohort.id, f"cohort {plan.cohort.id}", (plan.cohort,)
        elif t.audience in ("cn", "ru"):
            for g in plan.native("zh" if t.audience == "cn" else "ru"):
                yield g.id, f"group {g.id}", (g,)
        elif t.audience == "lab" and (plan.cohort.size <= max(ROOM_SIZES[t.room_type])
                                      or not plan.subgroups):
            yield plan.cohort.id, f"cohort {plan.cohort.id}", (plan.cohort,)
        elif t.audience in ("lab", "halves"):
            groups = plan.subgroups or (plan.cohort,)
            for g in groups:
                yield g.id, f"group {g.id}", (g,)


def _offering(t: Template, label: str, what: str, cohorts: tuple[Cohort, ...],
              year: YearGroups) -> Offering:
    roots = tuple(dict.fromkeys(c.parent or c.id for c in cohorts))
    return Offering(f"{t.code}-{label}", f"{t.name} ({what})", t, cohorts, roots,
                    year.plan.programme, year.plan.year)


def _joint_classes(t: Template, years: Sequence[YearGroups]) -> Iterator[Offering]:
    """Large classes of the Chinese students of several programmes (whole streams each)."""
    classes: list[tuple[YearGroups, list[Cohort]]] = []
    for year in years:
        for stream in year.streams:
            groups = [g for c in stream.cohorts for g in c.native("zh")]
            size = sum(g.size for g in groups)
            if groups and classes and \
                    sum(g.size for g in classes[-1][1]) + size <= JOINT_CLASS:
                classes[-1][1].extend(groups)
            elif groups:
                classes.append((year, groups))
    level = years[0].plan.programme.level
    for k, (year, groups) in enumerate(classes, start=1):
        label = f"{level}{years[0].plan.year}-{k}"
        yield _offering(t, label, f"Chinese students, class {label}", tuple(groups), year)


def make_offerings(years: Sequence[YearGroups]) -> list[Offering]:
    """Every template of every open programme-year given to its attendees (large joint
    classes of one level and year last)."""
    found: list[Offering] = []
    joint: dict[tuple[str, int, str], tuple[Template, list[YearGroups]]] = {}
    for year in years:
        plan = year.plan
        for t in curriculum(plan.programme.code, plan.year):
            if t.audience == "cn_joint":
                key = (plan.programme.level, plan.year, t.code)
                joint.setdefault(key, (t, []))[1].append(year)
                continue
            for stream in year.streams:
                for label, what, cohorts in _audiences(t, stream):
                    found.append(_offering(t, label, what, cohorts, year))
    for t, joined in joint.values():
        found.extend(_joint_classes(t, joined))
    return found

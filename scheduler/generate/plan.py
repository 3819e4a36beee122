"""Which programme-years are open, with how many students, split into cohorts, sub-groups and
lecture streams."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from scheduler.generate.data.curriculum import (
    OPENING_ORDER,
    PROGRAMME_BY_CODE,
    Programme,
    curriculum,
)
from scheduler.generate.data.rooms import ROOM_SIZES
from scheduler.generate.params import Params
from scheduler.generate.shares import largest_remainder, split
from scheduler.instance import Cohort


@dataclass(frozen=True)
class YearPlan:
    """One open programme-year and its students."""

    programme: Programme
    year: int
    students: int

    @property
    def intake(self) -> int:
        return 2026 - self.year + 1

    @property
    def prefix(self) -> str:
        return f"{self.programme.code}-{self.intake}"


@dataclass(frozen=True)
class CohortPlan:
    """A cohort with its sub-groups (language groups, or lab halves, or none)."""

    cohort: Cohort
    subgroups: tuple[Cohort, ...] = ()
    language_groups: bool = False

    def native(self, language: str) -> tuple[Cohort, ...]:
        """Language sub-groups of the students whose native language is ``language``."""
        if not self.language_groups:
            return ()
        if language == "zh":
            return tuple(g for g in self.subgroups if g.students_cn)
        return tuple(g for g in self.subgroups if g.students_ru)


@dataclass(frozen=True)
class Stream:
    """Cohorts of one programme-year that attend lectures together."""

    id: str
    cohorts: tuple[CohortPlan, ...]


@dataclass(frozen=True)
class YearGroups:
    """An open programme-year split into lecture streams of cohorts."""

    plan: YearPlan
    streams: tuple[Stream, ...]

    @property
    def cohorts(self) -> tuple[CohortPlan, ...]:
        return tuple(c for s in self.streams for c in s.cohorts)


def plan_years(students: int, min_year: int) -> list[YearPlan]:
    """Open programme-years in opening order while each would get ``min_year`` students."""
    order = [(PROGRAMME_BY_CODE[code], year) for code, year in OPENING_ORDER]
    opened = 1
    for k in range(2, len(order) + 1):
        weights = [p.weight for p, _ in order[:k]]
        if students * min(weights) / sum(weights) >= min_year:
            opened = k
    chosen = order[:opened]
    counts = largest_remainder(students, [p.weight for p, _ in chosen])
    return [YearPlan(p, y, n) for (p, y), n in zip(chosen, counts, strict=True) if n > 0]


def _cohort_sizes(rng: random.Random, students: int, target: int, largest: int) -> list[int]:
    count = max(1, math.ceil(students / largest), round(students / target))
    sizes = split(students, count)
    for _ in range(count):  # a little unevenness, staying within bounds
        i, j = rng.randrange(count), rng.randrange(count)
        step = rng.randint(1, 2)
        if i != j and sizes[i] + step <= largest and sizes[j] - step >= max(2, target - 10):
            sizes[i] += step
            sizes[j] -= step
    return sizes


def _russians(rng: random.Random, size: int, share: float) -> int:
    """Russian students of a cohort: about ``share``, mixed (one of each at least) unless the
    share is 0 or 1 or the cohort has a single student."""
    jitter = rng.uniform(-0.07, 0.07)
    if share in (0, 1) or size < 2:
        return round(size * share)
    return min(size - 1, max(1, round(size * min(0.95, max(0.05, share + jitter)))))


def _needs_halves(plan: YearPlan, size: int) -> bool:
    """True when a cohort without language groups needs lab halves for some course."""
    for t in curriculum(plan.programme.code, plan.year):
        if t.audience == "halves":
            return True
        if t.audience == "lab" and size > max(ROOM_SIZES[t.room_type]):
            return True
    return False


def _language_groups(parent: Cohort, group_size: int) -> tuple[Cohort, ...]:
    groups: list[Cohort] = []
    for tag, count in (("CN", parent.students_cn), ("RU", parent.students_ru)):
        if not count:
            continue
        parts = split(count, math.ceil(count / group_size))
        for k, n in enumerate(parts, start=1):
            suffix = tag if len(parts) == 1 else f"{tag}{k}"
            cn, ru = (n, 0) if tag == "CN" else (0, n)
            groups.append(replace(parent, id=f"{parent.id}-{suffix}", students_cn=cn,
                                  students_ru=ru, parent=parent.id))
    return tuple(groups)


def _halves(parent: Cohort) -> tuple[Cohort, ...]:
    cn, ru = parent.students_cn, parent.students_ru
    first = (cn - cn // 2, ru // 2)
    second = (cn // 2, ru - ru // 2)
    return tuple(replace(parent, id=f"{parent.id}-L{k}", students_cn=c, students_ru=r,
                         parent=parent.id)
                 for k, (c, r) in enumerate((first, second), start=1) if c + r)


def _has_language_courses(plan: YearPlan) -> bool:
    return any(t.audience in ("cn", "ru") for t in curriculum(plan.programme.code, plan.year))


def _stream_label(k: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[k] if k < 26 else f"{letters[k // 26 - 1]}{letters[k % 26]}"


def make_year(rng: random.Random, plan: YearPlan, params: Params) -> YearGroups:
    """Cohorts of about ``cohort_size`` (with language groups or lab halves where the
    curriculum needs them) in streams of at most ``stream_cohorts``."""
    sizes = _cohort_sizes(rng, plan.students, params.cohort_size, params.max_cohort_size)
    cohorts: list[CohortPlan] = []
    for k, size in enumerate(sizes, start=1):
        ru = _russians(rng, size, params.russian_share)
        cohort = Cohort(f"{plan.prefix}-{k}", plan.programme.name, plan.programme.level,
                        plan.year, size - ru, ru, ("en",))
        if _has_language_courses(plan):
            groups = _language_groups(cohort, params.language_group_size)
            cohorts.append(CohortPlan(cohort, groups, language_groups=True))
        elif size >= 2 and _needs_halves(plan, size):
            cohorts.append(CohortPlan(cohort, _halves(cohort)))
        else:
            cohorts.append(CohortPlan(cohort))
    parts = split(len(cohorts), math.ceil(len(cohorts) / params.stream_cohorts))
    streams, start = [], 0
    for k, n in enumerate(parts):
        streams.append(Stream(f"{plan.prefix}-{_stream_label(k)}",
                              tuple(cohorts[start:start + n])))
        start += n
    return YearGroups(plan, tuple(streams))

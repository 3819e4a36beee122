"""FEFU courses given to visiting teachers, by field, least loaded first."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scheduler.generate.names import Names
from scheduler.generate.offerings import Offering
from scheduler.generate.params import Params
from scheduler.generate.shares import largest_remainder
from scheduler.instance import Teacher


@dataclass(frozen=True)
class Visitor:
    """A visiting FEFU teacher and the offerings given to them."""

    teacher: Teacher
    teaching_language: str
    offerings: tuple[Offering, ...]

    @property
    def load(self) -> int:
        return sum(o.template.contact for o in self.offerings)


VISITOR_CAP = 96
"""Most intensive periods given to one visitor in the term (at most two trips)."""
_CHUNK = 64
"""Most contact periods of one subject given to one visitor as a piece."""


def _chunks(offerings: Sequence[Offering]) -> list[list[Offering]]:
    """FEFU offerings grouped by subject, in pieces one visitor can teach."""
    subjects: dict[tuple[str, int, str], list[Offering]] = defaultdict(list)
    for o in offerings:
        subjects[(o.programme.code, o.year, o.template.code)].append(o)
    chunks: list[list[Offering]] = []
    for group in subjects.values():
        chunk: list[Offering] = []
        for o in group:
            if chunk and sum(x.template.contact for x in chunk) + o.template.contact > _CHUNK:
                chunks.append(chunk)
                chunk = []
            chunk.append(o)
        chunks.append(chunk)
    return chunks


def _visitors_per_field(count: int, loads: Sequence[int], pieces: Sequence[int]) -> list[int]:
    """Visitors of each field, in proportion to its load but no more than its pieces."""
    per_field = [min(n, p) for n, p in
                 zip(largest_remainder(count, loads), pieces, strict=True)]
    while sum(per_field) < min(count, sum(pieces)):
        room = [i for i, (n, p) in enumerate(zip(per_field, pieces, strict=True)) if n < p]
        best = min(room, key=lambda i: (-loads[i] / (per_field[i] + 1), i))
        per_field[best] += 1
    return per_field


def assign_visitors(rng: random.Random, names: Names, offerings: Sequence[Offering],
                    params: Params) -> tuple[list[Visitor], list[Offering]]:
    """Give FEFU offerings to visitors (by field, least loaded first); return the rest."""
    chunks = _chunks(offerings)
    while len(chunks) < params.visitors and any(len(c) > 1 for c in chunks):
        big = max((c for c in chunks if len(c) > 1), key=len)
        chunks.remove(big)
        half = len(big) // 2
        chunks += [big[:half], big[half:]]
    count = min(params.visitors, len(chunks))
    if count == 0:
        return [], list(offerings)
    loads: dict[str, int] = defaultdict(int)
    for chunk in chunks:
        loads[chunk[0].dept] += sum(o.template.contact for o in chunk)
    fields = sorted(loads, key=lambda f: (-loads[f], f))
    pieces = Counter(chunk[0].dept for chunk in chunks)
    per_field = _visitors_per_field(count, [loads[f] for f in fields],
                                    [pieces[f] for f in fields])
    home = [f for f, n in zip(fields, per_field, strict=True) for _ in range(n)]
    given: list[list[Offering]] = [[] for _ in home]
    load = [0] * len(home)
    rest: list[Offering] = []
    chunks.sort(key=lambda c: -sum(o.template.contact for o in c))  # stable: LPT
    for chunk in chunks:
        size = sum(o.template.contact for o in chunk)
        field = chunk[0].dept
        fits = [i for i in range(len(home)) if load[i] + size <= VISITOR_CAP]
        own = [i for i in fits if home[i] == field]
        pool = own or fits
        if not pool:
            rest += chunk
            continue
        best = min(pool, key=lambda i: (load[i], i))
        given[best] += chunk
        load[best] += size
    visitors = []
    for chunk_list in given:
        if not chunk_list:
            continue
        ident, name = names.russian("FEFU")
        roll = rng.random()
        languages = ("ru",) if roll < 0.15 else ("ru", "en")
        teaching = "ru" if languages == ("ru",) or rng.random() < params.russian_taught_share \
            else "en"
        cap_day, cap_week = (8, 24) if rng.random() < 0.8 else (6, 20)
        teacher = Teacher(ident, name, "FEFU", languages, True, cap_day, cap_week)
        visitors.append(Visitor(teacher, teaching, tuple(chunk_list)))
    return visitors, rest


def as_weekly(o: Offering) -> Offering:
    """A FEFU offering no visitor could take, taught weekly by CQUPT instead."""
    t = o.template
    per_week = 1 if t.length == 4 or t.contact <= 32 else 2
    weekly = replace(t, per_week=per_week, language="en", dept="", first_week=1)
    return replace(o, template=weekly)

"""Weekly courses given to CQUPT teachers (and FEFU language teachers posted to Chongqing)."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.generate.data.curriculum import Template
from scheduler.generate.names import Names
from scheduler.generate.offerings import Offering
from scheduler.generate.params import Params
from scheduler.instance import Teacher


def _weekly_load(t: Template) -> int:
    return (t.per_week or 0) * t.length


@dataclass(frozen=True)
class StaffMember:
    """A teacher in Chongqing (CQUPT, or FEFU posted for the year) and their offerings."""

    teacher: Teacher
    offerings: tuple[Offering, ...]


def _staff_languages(offerings: Sequence[Offering], rng: random.Random) -> tuple[str, ...]:
    used = list(dict.fromkeys(o.template.language for o in offerings))
    languages = ["zh", *[lang for lang in used if lang != "zh"]]
    if "en" not in languages and rng.random() < 0.4:
        languages.append("en")
    return tuple(languages)


def assign_cqupt(rng: random.Random, names: Names, offerings: Sequence[Offering],
                 params: Params) -> list[StaffMember]:
    """Weekly offerings to CQUPT teachers by department, each loaded to about half their cap.

    Russian is partly taught by FEFU language teachers posted to Chongqing for the year
    (institution FEFU, not visiting).
    """
    by_dept: dict[str, list[Offering]] = defaultdict(list)
    for o in offerings:
        by_dept[o.dept].append(o)
    staff: list[StaffMember] = []
    for dept in sorted(by_dept):
        todo = sorted(by_dept[dept], key=lambda o: (o.template.code, o.id))
        while todo:
            senior = rng.random() < 0.15
            cap_day, cap_week = (6, 20) if senior else (8, 24)
            target = max(4, math.floor(cap_week * params.teacher_load * rng.uniform(0.8, 1.0)))
            mine: list[Offering] = []
            while todo and sum(_weekly_load(o.template) for o in mine) + \
                    _weekly_load(todo[0].template) <= target:
                mine.append(todo.pop(0))
            if not mine:
                mine.append(todo.pop(0))
            if dept == "russian" and rng.random() < 0.4:
                ident, name = names.russian("FEFU")
                teacher = Teacher(ident, name, "FEFU", ("ru", "en"), False, cap_day, cap_week)
            else:
                ident, name = names.chinese("CQ")
                teacher = Teacher(ident, name, "CQUPT", _staff_languages(mine, rng), False,
                                  cap_day, cap_week)
            staff.append(StaffMember(teacher, tuple(mine)))
    return staff

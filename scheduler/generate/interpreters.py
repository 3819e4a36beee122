"""Enough interpreters for the busiest week."""

from __future__ import annotations

import random

from scheduler.generate.names import Names
from scheduler.generate.params import Params
from scheduler.instance import Interpreter


def make_interpreters(rng: random.Random, names: Names, demand: float,
                      params: Params) -> tuple[Interpreter, ...]:
    """Enough interpreters that the peak week uses about ``interpreter_load`` of their time."""
    found: list[Interpreter] = []
    capacity = 0.0
    while capacity < demand or len(found) < 2:
        russian = rng.random() < 0.3
        ident, name = names.russian("INT") if russian else names.chinese("INT")
        pairs = [frozenset(("ru", "zh"))]
        if rng.random() < 0.4:
            pairs.append(frozenset(("en", "ru") if russian else ("en", "zh")))
        roll = rng.random()
        weekdays = (0, 1, 2, 3) if roll < 0.2 else (0, 1, 2, 3, 4, 5, 6) if roll < 0.5 \
            else (0, 1, 2, 3, 4)
        per_day = rng.choice((6, 8))
        per_week = rng.choice((20, 24, 28))
        found.append(Interpreter(ident, name, tuple(pairs), weekdays, per_day, per_week))
        working = min(len([d for d in weekdays if d < 5]), 5)
        capacity += params.interpreter_load * min(per_week, per_day * working)
    return tuple(found)

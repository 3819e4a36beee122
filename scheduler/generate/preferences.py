"""Periods teachers prefer or would rather avoid."""

from __future__ import annotations

import random
from collections.abc import Sequence

from scheduler.instance import Preference, Teacher


def make_preferences(rng: random.Random, teachers: Sequence[Teacher]) -> list[Preference]:
    """Some visitors prefer periods 1-6 and some staff mornings; other staff avoid the evening
    or one afternoon a week."""
    found: list[Preference] = []
    for t in teachers:
        roll = rng.random()
        if t.visiting and roll < 0.4:
            found.append(Preference(t.id, "prefer", None, 1, 6))
        elif not t.visiting and roll < 0.12:
            found.append(Preference(t.id, "prefer", None, 1, 4))
        elif not t.visiting and roll < 0.24:
            found.append(Preference(t.id, "avoid", None, 9, 12))
        elif not t.visiting and roll < 0.3:
            found.append(Preference(t.id, "avoid", rng.randrange(5), 5, 8))
    return found

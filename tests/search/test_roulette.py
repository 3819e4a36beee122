"""The roulette over operators and the adaptation of their sizes."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from scheduler.search import Roulette, SearchSettings

SETTINGS = SearchSettings(initial_size=10, min_size=4, max_size=20, grow=1.5, shrink=0.5,
                          reaction=0.5, min_reward=0.2)


def test_operators_are_drawn_in_proportion_to_their_scores():
    roulette = Roulette(["a", "b"], SETTINGS)
    roulette.stats["a"].score, roulette.stats["b"].score = 3.0, 1.0
    rng = random.Random(0)
    drawn = Counter(roulette.pick(rng) for _ in range(4000))
    assert drawn["a"] / 4000 == pytest.approx(0.75, abs=0.03)


def test_a_score_follows_the_gain_per_second():
    roulette = Roulette(["a"], SETTINGS)
    roulette.learn("a", gain=math.e - 1, seconds=2.0, optimal=True)
    # reward = 0.2 + log(1 + gain) / seconds = 0.2 + 1 / 2; new score = (1 + 0.7) / 2
    assert roulette.stats["a"].score == pytest.approx(0.85)
    roulette.learn("a", gain=0, seconds=0.01, optimal=True)  # seconds count as at least 0.1
    assert roulette.stats["a"].score == pytest.approx((0.85 + 0.2) / 2)
    stats = roulette.stats["a"]
    assert (stats.tries, stats.improvements, stats.gain) == (2, 1, pytest.approx(math.e - 1))


def test_sizes_grow_when_solved_to_optimality_and_shrink_when_not_within_bounds():
    roulette = Roulette(["a"], SETTINGS)
    roulette.learn("a", 0, 1.0, optimal=True)
    assert roulette.size("a") == 15
    roulette.learn("a", 0, 1.0, optimal=True)
    assert roulette.stats["a"].size == 20  # capped at max_size
    for _ in range(3):
        roulette.learn("a", 5, 1.0, optimal=False)  # a gain does not stop the shrinking
    assert roulette.stats["a"].size == 4  # floored at min_size
    roulette.nothing_released("a")
    assert roulette.size("a") == 6


def test_settings_are_checked():
    with pytest.raises(ValueError, match="min_size <= initial_size"):
        SearchSettings(initial_size=2, min_size=5)
    with pytest.raises(ValueError, match="grow >= 1"):
        SearchSettings(grow=0.9)
    with pytest.raises(ValueError, match="threads >= 1"):
        SearchSettings(threads=0)
    with pytest.raises(ValueError, match="at least one operator"):
        Roulette([], SETTINGS)

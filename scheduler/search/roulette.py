"""The adaptive roulette over destroy operators, and each operator's adaptive size."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.search.settings import SearchSettings


@dataclass
class OperatorStats:
    """What one operator achieved (tries, improvements, gain, seconds) and its current size
    and roulette score."""

    tries: int = 0
    improvements: int = 0
    gain: float = 0.0
    seconds: float = 0.0
    size: float = 0.0
    score: float = 1.0

    def as_dict(self) -> dict[str, float]:
        """A JSON-friendly view (the score is internal)."""
        gain = int(self.gain) if float(self.gain).is_integer() else round(self.gain, 2)
        return {"tries": self.tries, "improvements": self.improvements, "gain": gain,
                "seconds": round(self.seconds, 2), "size": round(self.size, 1)}


class Roulette:
    """Operators drawn with probability proportional to their scores; a score follows the
    operator's recent reward (gain per second), a size follows whether its sub-problems are
    solved to optimality. Not thread-safe: the engine calls it under its lock."""

    def __init__(self, names: Iterable[str], settings: SearchSettings) -> None:
        self.settings = settings
        self.stats = {name: OperatorStats(size=settings.initial_size) for name in names}
        if not self.stats:
            raise ValueError("Expected at least one operator")

    def pick(self, rng: random.Random) -> str:
        """An operator drawn by score."""
        names = list(self.stats)
        return rng.choices(names, weights=[self.stats[n].score for n in names])[0]

    def size(self, name: str) -> int:
        """The operator's current size, rounded (at least 1)."""
        return max(1, round(self.stats[name].size))

    def nothing_released(self, name: str) -> None:
        """The operator found nothing of its size to release: let it reach further."""
        s = self.settings
        op = self.stats[name]
        op.size = min(s.max_size, op.size * s.grow)

    def learn(self, name: str, gain: float, seconds: float, optimal: bool) -> None:
        """Record one sub-problem: its gain, the seconds it took, whether it was solved to
        optimality (the size grows) or not (it shrinks)."""
        s = self.settings
        op = self.stats[name]
        op.tries += 1
        op.seconds += seconds
        if gain:
            op.improvements += 1
            op.gain += gain
        reward = s.min_reward + math.log1p(gain) / max(seconds, 0.1)
        op.score = (1 - s.reaction) * op.score + s.reaction * reward
        factor = s.grow if optimal else s.shrink
        op.size = min(s.max_size, max(s.min_size, op.size * factor))

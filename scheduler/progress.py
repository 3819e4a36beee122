"""Progress events emitted while CP-SAT searches; the CLI decides how to show them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One snapshot of a running search.

    ``objective`` and ``bound`` are ``None`` until the solver knows them; ``solutions`` counts
    improving solutions found so far.
    """

    elapsed: float
    solutions: int
    objective: float | None
    bound: float | None
    phase: str = "search"

    @property
    def gap(self) -> float | None:
        """Relative gap ``|objective - bound| / max(1, |objective|)``, or ``None``."""
        return relative_gap(self.objective, self.bound)


ProgressCallback = Callable[[Progress], None]


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """The relative optimality gap used throughout the project (0.0 when proven optimal)."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))

"""Tuning of the search engine; the defaults are those the CB-CTT benchmark measured
(``docs/cbctt.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _full_lp() -> dict[str, Any]:
    return {"linearization_level": 2}


@dataclass(frozen=True)
class SearchSettings:
    """How the engine searches.

    Sizes: each operator starts at ``initial_size`` (in the model's unit), grows by the factor
    ``grow`` when its sub-problem is solved to optimality and shrinks by ``shrink`` when not,
    within ``[min_size, max_size]``. Roulette: an operator's score moves towards its latest
    reward by ``reaction``; the reward is ``min_reward`` plus log(1 + gain) per second spent.

    Sub-problems: one CP-SAT worker with ``sub_parameters`` (full LP with cuts by default),
    at most ``sub_time_limit`` seconds and ``sub_deterministic_limit`` units of CP-SAT
    deterministic time each; none starts with less than ``min_sub_seconds`` left.

    ``threads`` search threads share the state (``None``: one per CP-SAT worker of the
    parameters given). A search that has not improved for ``patience`` seconds ends, or with
    ``restarts`` starts again from the adapter's new start while at least
    ``min_restart_seconds`` are left. ``max_iterations`` and ``work_limit`` (total CP-SAT
    deterministic time) end it too, for experiments independent of the machine's load.
    """

    initial_size: float = 30.0
    min_size: float = 6.0
    max_size: float = 600.0
    grow: float = 1.08
    shrink: float = 0.85
    reaction: float = 0.2
    min_reward: float = 0.2
    sub_time_limit: float = 10.0
    sub_deterministic_limit: float | None = 1.0
    sub_parameters: Mapping[str, Any] = field(default_factory=_full_lp)
    min_sub_seconds: float = 0.05
    threads: int | None = None
    patience: float | None = None
    restarts: bool = False
    min_restart_seconds: float = 1.0
    max_iterations: int | None = None
    work_limit: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.min_size <= self.initial_size <= self.max_size:
            raise ValueError("Expected 0 < min_size <= initial_size <= max_size")
        if self.grow < 1 or not 0 < self.shrink <= 1:
            raise ValueError("Expected grow >= 1 and 0 < shrink <= 1")
        if not 0 < self.reaction <= 1:
            raise ValueError("Expected reaction in (0, 1]")
        if self.sub_time_limit <= 0:
            raise ValueError("Expected sub_time_limit > 0")
        if self.threads is not None and self.threads < 1:
            raise ValueError("Expected threads >= 1 (or None: one per worker)")

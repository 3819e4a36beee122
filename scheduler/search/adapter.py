"""What a model provides to the search engine: the :class:`Adapter` it implements.

A *state* is a complete solution of the model (a timetable); its *cost* is an int, or a tuple of
ints compared lexicographically (e.g. a norm tier before a comfort tier). A *release* is what a
destroy operator frees in a state; the engine never looks inside it. The adapter re-solves a
release with CP-SAT, the rest of the state fixed and the state itself as a complete hint, and
returns a state no worse than the one it was given.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from scheduler.cpsat import SolverParams

Cost = int | tuple[int, ...]
"""A cost: lower is better; tuples compare lexicographically."""

State = TypeVar("State")
Release = TypeVar("Release")

Operator = Callable[[State, random.Random, int], Release | None]
"""A destroy operator: from a state, a random generator and a target size (in the model's own
unit: lectures, courses), what to release; ``None`` when it finds nothing to release."""


@dataclass(frozen=True)
class SubResult(Generic[State]):
    """The outcome of one sub-problem.

    ``state`` is a complete state no worse than the one given, with its ``cost`` (``None``: the
    sub-search found nothing as good). ``optimal`` says the sub-problem was solved to
    optimality (or shown to have no solution), which makes its operator's size grow; ``work``
    is the CP-SAT deterministic time spent; ``size`` the variables and constraints of the
    sub-model, for the record.
    """

    state: State | None
    cost: Cost | None
    optimal: bool
    work: float = 0.0
    interrupted: bool = False
    size: tuple[int, int] | None = None


class Adapter(ABC, Generic[State, Release]):
    """A model as the engine sees it. Subclasses implement :meth:`operators`, :meth:`cost`
    and :meth:`solve`; :meth:`merge`, :meth:`restart`, :meth:`scalar` and :meth:`gain` have
    defaults.

    :meth:`solve` and the operators run in several threads at once, on states that other
    threads do not change (states are values, never modified in place).
    """

    @abstractmethod
    def operators(self) -> Mapping[str, Operator]:
        """The destroy operators by name (the roulette draws among them)."""

    @abstractmethod
    def cost(self, state: State) -> Cost:
        """The exact cost of a complete state."""

    @abstractmethod
    def solve(self, state: State, cost: Cost, release: Release, params: SolverParams,
              report: Callable[[Cost | None], None]) -> SubResult[State]:
        """Re-solve ``release`` in ``state`` (of cost ``cost``) with CP-SAT ``params``, the
        rest fixed and ``state`` as a complete hint; ``report`` takes the whole state's cost
        at each solution of the sub-search, or ``None`` while there is none (for progress
        displays)."""

    def merge(self, current: State, base: State, new: State, release: Release) -> State | None:
        """``current`` with the part ``release`` re-solved as in ``new`` (computed from
        ``base``, which another thread has changed since into ``current``), or ``None`` when
        the result no longer fits. The default never merges."""
        return None

    def restart(self, attempt: int, best: State, best_cost: Cost) -> State | None:
        """A new start after the search stagnated (``attempt`` counts from 1), or ``None`` to
        end the search. The default ends it. May raise ``KeyboardInterrupt``."""
        return None

    def scalar(self, cost: Cost) -> float:
        """A cost as one number, for progress displays (a tuple: the sum of its tiers)."""
        return float(cost if isinstance(cost, int) else sum(cost))

    def gain(self, before: Cost, after: Cost) -> float:
        """How much better ``after`` is than ``before``, as one number for the roulette: for
        tuples, the decrease of the first tier that differs."""
        if isinstance(before, int) and isinstance(after, int):
            return float(max(0, before - after))
        for b, a in zip(_tiers(before), _tiers(after), strict=True):
            if b != a:
                return float(max(0, b - a))
        return 0.0


def below(cost: Cost, other: Cost) -> bool:
    """Whether ``cost`` is lower than ``other`` (tuples lexicographically)."""
    return _tiers(cost) < _tiers(other)


def _tiers(cost: Cost) -> tuple[int, ...]:
    return (cost,) if isinstance(cost, int) else cost

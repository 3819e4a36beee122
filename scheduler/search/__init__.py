"""One adaptive large-neighbourhood search engine for every model of the project.

A model takes part through an :class:`~scheduler.search.adapter.Adapter`: its state (a
timetable), the cost of a state (an int, or a tuple of ints compared lexicographically), its
destroy operators as plug-ins, and how to re-solve a released part of a state with CP-SAT. The
engine (:func:`~scheduler.search.engine.search`) draws operators by an adaptive roulette
(:mod:`scheduler.search.roulette`), adapts each operator's size, runs several search threads
that merge their results, restarts on stagnation, and reports progress. It knows nothing of
either model: it imports only :mod:`scheduler.cpsat` and :mod:`scheduler.progress`.
"""

from scheduler.search.adapter import Adapter, Cost, SubResult
from scheduler.search.engine import SearchOutcome, search
from scheduler.search.roulette import OperatorStats, Roulette
from scheduler.search.settings import SearchSettings

__all__ = [
    "Adapter",
    "Cost",
    "OperatorStats",
    "Roulette",
    "SearchOutcome",
    "SearchSettings",
    "SubResult",
    "search",
]

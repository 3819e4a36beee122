"""Settings of a timetable solve: what is asked (:class:`SolveRequest`), the tuning of the
strategies for large instances (:class:`LnsSettings`) and the CP-SAT parameters of the
optimisation searches (:func:`optimisation_params`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from scheduler.cpsat import SolverParams
from scheduler.model.neighbourhoods import OPERATORS
from scheduler.search import SearchSettings
from scheduler.timetable import Meeting, Timetable


@dataclass(frozen=True)
class SolveRequest:
    """What a solve is asked for besides the instance and the CP-SAT parameters.

    ``baseline``: a previous timetable; its meetings are hinted and each one not kept costs
    ``moved_meeting``. ``keep_courses``: courses fixed to their baseline placement (those whose
    baseline is still possible). ``relax``: courses that cannot be placed are left out at a
    cost of ``unplaced_period`` per contact period instead of making the instance infeasible.
    ``explain``: when proven infeasible, name the requirement groups involved. ``pins``:
    meetings kept at their date, periods and room (a hard rule; usually the baseline's pinned
    meetings, see :mod:`scheduler.model.pins`). ``flat``: minimise one weighted sum of every
    soft rule instead of the tiers in order (placement, then norms, then comfort; see
    :mod:`scheduler.levels`). ``placed_all_impossible``: a relaxed solve of an instance
    already proven to have no timetable of every course (it does not look for one first).
    """

    baseline: Timetable | None = None
    keep_courses: frozenset[str] = frozenset()
    relax: bool = False
    explain: bool = True
    pins: frozenset[Meeting] = frozenset()
    flat: bool = False
    placed_all_impossible: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep_courses", frozenset(self.keep_courses))
        object.__setattr__(self, "pins", frozenset(self.pins))

    @property
    def fresh(self) -> bool:
        """A timetable from scratch: no baseline to stay close to, nothing pinned, every
        course placed."""
        return self.baseline is None and not self.pins and not self.relax


WHOLE_MODEL_OPTIONS = 2500
"""Up to this many meeting options the whole model solves."""

TIGHT_SUB_MODEL_OPTIONS = 10_000
"""Up to this many meeting options LNS's sub-models are tight (the default instance and the
steady state; docs/performance.md, "Where a sub-problem's time goes; tight sub-models on the
steady state")."""

POLISH_OPERATORS = ("visitor_window", "teacher", "weekday", "days", "rooms")
"""The destroy operators of the search that follows the whole model: the five that gained
most per second there on the default instance. The other three (``cohort``,
``interpreter``, ``room_type``) grow into a third of a small term's courses, most of them
weekly, and improved less often and by less in as many seconds per sub-problem; a search of
60-90 sub-problems is too short for the roulette to learn that (docs/performance.md, "Fewer
operators after the whole model"). Larger terms, searched by LNS throughout, keep all
eight."""


@dataclass(frozen=True)
class LnsSettings:
    """Tuning of the strategies for large instances: when large-neighbourhood search (LNS)
    replaces the whole-model search, how the time limit is shared, and how neighbourhoods
    are sized and solved. The defaults are what docs/performance.md measured.

    ``full_model_options``: above this many options LNS replaces the whole-model search
    (presolving the whole model of the steady-state instance, 7,171 options, alone takes
    ~50 s on 2 cores, while its neighbourhoods presolve in moments).
    ``construct_options``: above this many options a fresh solve builds its first timetable
    group by group (:mod:`scheduler.model.construct`) instead of from the whole model.
    ``construct_share``: the largest share of the time limit the group-by-group construction
    may take after phase 1 (when at least ``min_construct_seconds`` are left for it).
    ``bound_share``: the share of the time limit LNS leaves to the lower bound.
    ``polish_share``: in a whole-model solve, the share of the optimisation's time that LNS
    gets at its end, from the whole model's timetable (0: none); after the tiers, LNS
    minimises them in order again (``polish_every_tier``) or only the last, the others held.
    ``break_ties``: LNS minimising a tier prefers, at equal cost of that tier, the timetable
    whose later tiers cost less (their sum); with ``weigh_ties`` its sub-models minimise the
    later tiers too, below the tier (else the tier alone). Off by default: measured worse on
    the norm tier (docs/performance.md, "Ties broken by the later tiers").
    ``horizon``: the seconds shares are taken of when there is no time limit.

    The search (:mod:`scheduler.search`, through :mod:`scheduler.model.lns`) draws among the
    destroy ``operators`` (:mod:`scheduler.model.neighbourhoods`), or ``polish_operators``
    after the whole model (``None``: ``operators``; see :data:`POLISH_OPERATORS`); each operator's
    neighbourhoods start with ``initial_size`` courses, grow by the factor ``grow`` when solved
    to optimality and shrink by ``shrink`` (to ``min_size``) when not. Each neighbourhood is
    searched by one CP-SAT worker for at most ``sub_time_limit`` seconds and
    ``sub_deterministic_limit`` units of deterministic time, after measuring the incumbent in
    it for at most ``check_time_limit`` (that measuring's solution, every variable of the
    sub-model, is the search's complete hint), with at most ``sub_presolve_iterations``
    rounds of presolve (``None``: CP-SAT's default, 3); ``threads`` searches run at once
    (``None``: one per CP-SAT worker). Neighbourhoods that move times keep at most
    ``time_rooms`` rooms per meeting option (the course's rooms now, then the smallest;
    ``None``: all), the ``rooms`` operator re-assigns rooms with times kept. ``sub_tight``
    builds the neighbourhoods' objectives in the tight formulations (see
    :class:`~scheduler.model.objective.ObjectiveBuilder`), whose LP relaxation guides the
    sub-solves' full LP better (docs/performance.md, "Tight sub-models"), on instances of
    at most ``sub_tight_options`` meeting options (``None``: any size; by default
    :data:`TIGHT_SUB_MODEL_OPTIONS`, which takes in the steady state); larger instances keep
    compact sub-models, where tight ones raised peak memory most (one solve of the 8x term:
    1.3 GB against 0.8 GB; docs/performance.md, "Tight sub-models on large instances"). A
    search that has not improved for ``stagnation`` of the time limit starts again from the
    best timetable with its sizes and roulette reset (``None``: never). ``guided`` draws
    cohorts, teachers and room types weighted by the cost their courses were last seen to
    carry. No CP-SAT run starts with less than ``min_run_seconds`` left. A fresh solve that
    plans trips builds its first timetable with the planned visitors' meetings inside trips
    proposed for them (:mod:`scheduler.model.proposals`); the search then keeps their
    meetings within ``trip_margin_days`` of those trips' teaching dates (``None``: anywhere).
    """

    full_model_options: int = WHOLE_MODEL_OPTIONS
    construct_options: int = 10_000
    construct_share: float = 0.5
    min_construct_seconds: float = 5.0
    bound_share: float = 0.1
    polish_share: float = 0.7
    polish_every_tier: bool = True
    break_ties: bool = False
    weigh_ties: bool = True
    horizon: float = 3600.0
    operators: tuple[str, ...] = tuple(OPERATORS)
    polish_operators: tuple[str, ...] | None = POLISH_OPERATORS
    initial_size: float = 8.0
    min_size: float = 3.0
    grow: float = 1.1
    shrink: float = 0.9
    sub_time_limit: float = 10.0
    sub_deterministic_limit: float | None = 0.5
    sub_presolve_iterations: int | None = None
    threads: int | None = None
    time_rooms: int | None = 3
    sub_tight: bool = True
    sub_tight_options: int | None = TIGHT_SUB_MODEL_OPTIONS
    stagnation: float | None = 0.1
    guided: bool = False
    check_time_limit: float = 10.0
    min_run_seconds: float = 0.5
    trip_margin_days: int | None = 0

    def __post_init__(self) -> None:
        if not all(0 <= share < 1 for share in (self.construct_share, self.bound_share,
                                                 self.polish_share)):
            raise ValueError("Expected construct_share, bound_share and polish_share in [0, 1)")
        sizes = (self.full_model_options, self.construct_options, self.sub_tight_options)
        if any(size is not None and size < 0 for size in sizes):
            raise ValueError("Expected full_model_options, construct_options and "
                             "sub_tight_options >= 0")
        if not 0 < self.min_size <= self.initial_size:
            raise ValueError("Expected 0 < min_size <= initial_size")
        if self.sub_time_limit <= 0 or self.check_time_limit <= 0 or self.horizon <= 0:
            raise ValueError("Expected sub_time_limit, check_time_limit and horizon > 0")
        polish = self.operators if self.polish_operators is None else self.polish_operators
        for names in (self.operators, polish):
            unknown = [op for op in names if op not in OPERATORS]
            if unknown or not names:
                raise ValueError(f"Expected operators among {sorted(OPERATORS)}, "
                                 f"got {unknown}")

    def polishing(self) -> LnsSettings:
        """The settings of the search that follows the whole model: its operators are
        ``polish_operators`` (when set)."""
        if self.polish_operators is None:
            return self
        return replace(self, operators=self.polish_operators)

    def search(self, courses: int, limit: float) -> SearchSettings:
        """The engine's settings for an instance of ``courses`` courses and a time limit of
        ``limit`` seconds."""
        most = max(float(courses), self.initial_size)
        return SearchSettings(
            initial_size=self.initial_size, min_size=self.min_size, max_size=most,
            grow=self.grow, shrink=self.shrink, sub_time_limit=self.sub_time_limit,
            sub_deterministic_limit=self.sub_deterministic_limit,
            sub_parameters=self.sub_parameters(),
            min_sub_seconds=self.min_run_seconds, threads=self.threads,
            patience=None if self.stagnation is None else self.stagnation * limit,
            restarts=self.stagnation is not None)

    def sub_parameters(self) -> dict[str, Any]:
        """CP-SAT parameters of each neighbourhood's search: the engine's (full LP), and at
        most ``sub_presolve_iterations`` rounds of presolve (``None``: CP-SAT's default)."""
        extra = dict(SearchSettings().sub_parameters)
        if self.sub_presolve_iterations is not None:
            extra["max_presolve_iterations"] = self.sub_presolve_iterations
        return extra


def optimisation_params(params: SolverParams) -> SolverParams:
    """Parameters for the optimisation phase.

    With few workers CP-SAT runs one full-problem subsolver (an LP-based search) beside its
    LNS workers; our objective is a large sum of Boolean and small integer terms whose LP
    relaxation is weak, and core-based (max-SAT style) search proves its lower bounds far
    faster (tiny instance: 0.5 s instead of 9 s to prove optimality; see
    docs/performance.md). The user's own ``subsolvers`` win.
    """
    if "subsolvers" in params.extra or params.resolved_workers() > 4:
        return params
    chosen = ["core", "default_lp", "max_lp", "quick_restart"][: params.resolved_workers()]
    if len(chosen) < 2:
        chosen = ["core", "default_lp"]
    return replace(params, extra={**params.extra, "subsolvers": chosen})

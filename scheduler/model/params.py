"""CP-SAT parameters for the optimisation searches of the timetabling model."""

from __future__ import annotations

from dataclasses import replace

from scheduler.cpsat import SolverParams


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

"""Running CB-CTT models through the project's :func:`scheduler.cpsat.run_cpsat`.

``run_cpsat`` asks the model proto ``HasField("objective")``, which the C++-backed proto of
OR-Tools 9.15 no longer offers (it has ``has_objective()``). Until ``scheduler/cpsat.py`` is
updated, :func:`solve_model` passes ``run_cpsat`` a copy of the proto that answers both spellings;
once it is updated, the model is passed as it is and the copy is never made.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model, cp_model_helper

from scheduler.cpsat import RunStats, SolverParams, run_cpsat
from scheduler.progress import ProgressCallback

_direct_works: bool | None = None


class _Proto(cp_model_helper.CpModelProto):  # type: ignore[misc]
    """A model proto that also answers the protobuf-style ``HasField``."""

    def HasField(self, name: str) -> bool:
        return bool(getattr(self, f"has_{name}")())


class _ModelView:
    """Just enough of a ``CpModel`` for ``run_cpsat``: a ``proto`` attribute."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.proto = _Proto()
        self.proto.copy_from(model.proto)


def solve_model(
    model: cp_model.CpModel,
    params: SolverParams,
    on_progress: ProgressCallback | None = None,
    on_solution: Callable[[cp_model.CpSolverSolutionCallback], None] | None = None,
) -> tuple[cp_model.CpSolver, RunStats]:
    """``run_cpsat(model, params, ...)``, working around the proto API change described above."""
    global _direct_works
    if _direct_works is not False:
        try:
            result = run_cpsat(model, params, on_progress, on_solution)
        except AttributeError as exc:
            if "HasField" not in str(exc):
                raise
            _direct_works = False
        else:
            _direct_works = True
            return result
    return run_cpsat(_ModelView(model), params, on_progress, on_solution)  # type: ignore[arg-type]

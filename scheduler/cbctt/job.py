"""The CB-CTT jobs behind ``scheduler cbctt solve`` and ``scheduler cbctt score``.

A solution file is written only after the independent scorer has found no hard violation in it
and agrees with the UD2 cost the solver claims; a JSON summary is written beside it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from scheduler.atomic import check_writable_file, write_text_atomic
from scheduler.cbctt.counting import infeasibility_reasons
from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.reader import read_cbctt
from scheduler.cbctt.scorer import Score, score
from scheduler.cbctt.solution import read_solution, write_solution
from scheduler.cbctt.solve import CbcttResult, solve_cbctt
from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.errors import OutputError, SchedulerError
from scheduler.interrupt import Interrupted
from scheduler.progress import ProgressCallback


class ScoreMismatch(SchedulerError):
    """The solver's timetable breaks a hard rule or its claimed cost is wrong (a bug)."""

    def __init__(self, claimed: int | None, checked: Score) -> None:
        self.checked = checked
        if not checked.feasible:
            detail = "; ".join(v.message for v in checked.violations[:10])
            message = f"the solver's timetable breaks hard constraints ({detail})"
        else:
            message = f"the solver claims UD2 {claimed} but the scorer computes {checked.total}"
        super().__init__(message + "; nothing was written")


@dataclass(frozen=True)
class CbcttOutcome:
    """A finished CB-CTT solve: the result, its independent score and the files written."""

    instance: CbcttInstance
    result: CbcttResult
    checked: Score | None
    files: tuple[Path, ...]
    reasons: tuple[str, ...] = ()  # proven infeasible: the counts that show why, if any


def summary_path(solution: str | os.PathLike[str]) -> Path:
    """Where the JSON summary of ``solution`` goes: beside it, ``.json`` for its suffix."""
    return Path(solution).with_suffix(".json")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _check_outputs(instance_path: str | os.PathLike[str],
                   solution: str | os.PathLike[str]) -> None:
    """The solution file and its summary can be written, are two files, and neither is the
    instance (:class:`~scheduler.errors.OutputError` otherwise)."""
    if not Path(solution).name or Path(solution).name == "..":
        raise OutputError(f"{str(solution) or repr('')} names no file: give the solution file's "
                          "name, e.g. -o runs/comp01.sol")
    summary = summary_path(solution)
    if _same_file(Path(solution), summary):
        raise OutputError(f"{solution}: the solution file ends in .json, the name its JSON "
                          "summary gets beside it, so one would overwrite the other; name the "
                          "solution file .sol")
    for output in (Path(solution), summary):
        if _same_file(output, Path(instance_path)):
            raise OutputError(f"{output} is the instance {instance_path}; writing it would "
                              "overwrite the instance: give the solution another file name")
    check_writable_file(solution)
    check_writable_file(summary)


def solve_cbctt_file(instance_path: str | os.PathLike[str], solution: str | os.PathLike[str],
                     params: SolverParams,
                     on_progress: ProgressCallback | None = None) -> CbcttOutcome:
    """Read a ``.ctt``/``.ectt`` instance, solve it, score the timetable independently and
    write the solution file and its JSON summary.

    The output paths are checked before the search (:class:`~scheduler.errors.OutputError`).
    Nothing is written when no timetable was found (:class:`~scheduler.interrupt.Interrupted`
    when a stop request came first); :class:`ScoreMismatch` is raised (and nothing written)
    when the scorer rejects the solver's timetable or its claimed cost.
    """
    _check_outputs(instance_path, solution)
    instance = read_cbctt(instance_path)
    result = solve_cbctt(instance, params, on_progress=on_progress)
    if not result.has_solution:
        if result.interrupted:
            raise Interrupted("Interrupted before a first timetable was found: nothing was "
                              "written.")
        reasons = (infeasibility_reasons(instance)
                   if result.status == SolveStatus.INFEASIBLE else [])
        return CbcttOutcome(instance, result, None, (), tuple(reasons))
    checked = score(instance, result.assignment)
    if not checked.feasible or checked.total != result.cost:
        raise ScoreMismatch(result.cost, checked)
    info = result.as_dict() | {"scored": {"feasible": True, "total": checked.total}
                               | checked.components()}
    write_solution(result, instance, solution)
    summary = summary_path(solution)
    write_text_atomic(summary, json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    return CbcttOutcome(instance, result, checked, (Path(solution), summary))


def score_cbctt_file(instance_path: str | os.PathLike[str],
                     solution: str | os.PathLike[str]) -> Score:
    """Score a solution file against its instance (hard violations and each UD2 component)."""
    instance = read_cbctt(instance_path)
    return score(instance, read_solution(solution, instance))

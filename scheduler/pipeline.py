"""The main job: read an instance, solve it, verify the timetable, write the outputs.

Nothing is written unless the verifier passes the timetable; outputs appear atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_directory
from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.errors import SchedulerError
from scheduler.explain import Explanation, Unplaced, explain_infeasibility, explain_unplaced
from scheduler.exports import write_default_exports
from scheduler.identity import instance_identity
from scheduler.instance import Instance
from scheduler.io.reader import read_instance
from scheduler.model.solve import SolveResult, default_time_limit, solve_timetable
from scheduler.progress import ProgressCallback
from scheduler.timetable import Timetable
from scheduler.verify import Verification, verify_timetable


class VerificationFailed(SchedulerError):
    """The solver produced a timetable that the independent verifier rejects (a bug)."""

    def __init__(self, verification: Verification) -> None:
        self.verification = verification
        lines = "\n".join(f"  - {v}" for v in verification.violations[:20])
        more = len(verification.violations) - 20
        super().__init__("the timetable failed verification; nothing was written:\n" + lines
                         + (f"\n  ... and {more} more" if more > 0 else ""))


class ObjectiveMismatch(SchedulerError):
    """The solver's claimed soft costs differ from the verifier's recomputation (a bug)."""

    def __init__(self, claimed: dict[str, int], verified: dict[str, int]) -> None:
        diffs = ", ".join(f"{k}: solver {claimed.get(k)} vs verifier {verified.get(k)}"
                          for k in sorted(set(claimed) | set(verified))
                          if claimed.get(k, 0) != verified.get(k, 0))
        super().__init__(f"soft costs disagree ({diffs}); nothing was written")


@dataclass(frozen=True)
class Diagnosis:
    """Why there is no timetable (``explanation``), or why a relaxed timetable leaves
    courses out (``unplaced``)."""

    explanation: Explanation | None = None
    unplaced: tuple[Unplaced, ...] = ()
    relaxed: bool = False

    def lines(self) -> list[str]:
        if self.explanation is not None:
            return self.explanation.lines()
        return [f"{u.course_id} ({u.periods} periods) not placed: " + "; ".join(
            u.explanation.lines()[:1] or ["no reason found"]) for u in self.unplaced]


@dataclass(frozen=True)
class SolveOutcome:
    """A finished solve: the result, its verification and the files written."""

    result: SolveResult
    verification: Verification | None
    summary: dict[str, Any]
    files: tuple[Path, ...] = field(default_factory=tuple)
    diagnosis: Diagnosis = field(default_factory=Diagnosis)


def diagnose(instance: Instance, result: SolveResult, relax: bool = False,
             time_limit: float = 30.0, seed: int = 0) -> Diagnosis:
    """Explain an infeasible result in users' words, or the courses a relaxed one left out."""
    if result.timetable is None:
        if result.status != SolveStatus.INFEASIBLE:
            return Diagnosis(relaxed=relax)
        return Diagnosis(explain_infeasibility(instance, time_limit, seed), relaxed=relax)
    if not relax:
        return Diagnosis()
    return Diagnosis(None, tuple(explain_unplaced(instance, result.timetable, time_limit, seed)),
                     relaxed=True)


def solve_summary(instance: Instance, source: str | None, result: SolveResult,
                  verification: Verification | None,
                  diagnosis: Diagnosis | None = None) -> dict[str, Any]:
    """The content of ``summary.json``."""
    summary: dict[str, Any] = {
        "instance": instance_identity(instance, source),
        "status": result.status,
        "has_timetable": result.has_timetable,
    }
    if result.stats is not None:
        summary.update(result.stats.as_dict())
        summary["status"] = result.status
    if result.timetable is not None:
        summary["meetings"] = len(result.timetable)
    if verification is not None:
        summary["verified"] = verification.ok
        summary["verified_objective"] = verification.objective
        summary["objective_terms"] = {
            name: {"count": count, "weight": getattr(instance.weights, name),
                   "cost": verification.weighted[name]}
            for name, count in verification.costs.items()
        }
    if result.lower_bound is not None:
        summary["lower_bound"] = result.lower_bound.as_dict()
    summary["explanation"] = list(result.explanation)
    if diagnosis is not None:
        if diagnosis.explanation is not None:
            summary["explanation"] = diagnosis.explanation.lines()
            summary["conflicts"] = diagnosis.explanation.as_dict()
        if diagnosis.relaxed:
            summary["relaxed"] = True
            summary["unplaced"] = [u.as_dict() for u in diagnosis.unplaced]
            summary["unplaced_periods"] = sum(u.periods for u in diagnosis.unplaced)
    return summary


def solve_instance(instance: Instance, params: SolverParams | None = None,
                   on_progress: ProgressCallback | None = None, relax: bool = False,
                   baseline: Timetable | None = None,
                   keep_courses: tuple[str, ...] = ()) -> tuple[SolveResult,
                                                                Verification | None]:
    """Solve and verify; raise :class:`VerificationFailed` if the verifier rejects it.

    ``relax`` places what it can (courses left out are allowed and counted);
    ``baseline``/``keep_courses`` re-solve with minimal change (see
    :func:`~scheduler.model.solve.solve_timetable`).
    """
    result = solve_timetable(instance, params, on_progress, explain=False, baseline=baseline,
                             keep_courses=keep_courses, relax=relax)
    if result.timetable is None:
        return result, None
    verification = verify_timetable(instance, result.timetable, baseline=baseline,
                                    allow_unplaced=relax)
    if not verification.ok:
        raise VerificationFailed(verification)
    claimed = {k: v for k, v in result.objective_terms.items() if v or k in verification.costs}
    if claimed and claimed != {k: verification.costs.get(k, 0) for k in claimed}:
        raise ObjectiveMismatch(claimed, verification.costs)
    return result, verification


def write_solution(instance: Instance, result: SolveResult, verification: Verification | None,
                   outdir: str | Path, source: str | None = None,
                   diagnosis: Diagnosis | None = None) -> tuple[Path, ...]:
    """Write the default exports (``timetable.xlsx``, ``.csv``, ``.json``, ``visitors.png``,
    ``occupancy.png``) and ``summary.json`` into ``outdir``, atomically; only ``summary.json``
    when there is no timetable."""
    if result.timetable is not None and (verification is None or not verification.ok):
        raise SchedulerError("refusing to write a timetable that has not passed verification")
    summary = solve_summary(instance, source, result, verification, diagnosis)
    outdir = Path(outdir)
    names = ["summary.json"]
    with atomic_directory(outdir) as staging:
        if result.timetable is not None:
            written = write_default_exports(instance, result.timetable, staging,
                                            identity=summary["instance"])
            names[:0] = [str(p.relative_to(staging)) for p in written]
        (staging / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return tuple(outdir / n for n in names)


def solve_to_folder(instance_path: str | Path, outdir: str | Path,
                    time_limit: float | None = None, workers: int = 0, seed: int = 0,
                    on_progress: ProgressCallback | None = None,
                    relax: bool = False) -> SolveOutcome:
    """The ``scheduler solve`` job: read, solve, verify, write. Returns what happened.

    ``relax``: place as much as possible; the instance may then fail counting checks, and
    the summary lists each course left out and why. Without a timetable, the summary says
    why none exists (in users' words), searching for the reason within the time limit.
    """
    instance = read_instance(instance_path, arithmetic=not relax)
    limit = time_limit if time_limit is not None else default_time_limit(instance)
    params = SolverParams(time_limit=limit, workers=workers, seed=seed)
    result, verification = solve_instance(instance, params, on_progress, relax=relax)
    diagnosis = diagnose(instance, result, relax, limit, seed)
    files = write_solution(instance, result, verification, outdir, str(instance_path),
                           diagnosis)
    summary = solve_summary(instance, str(instance_path), result, verification, diagnosis)
    return SolveOutcome(result, verification, summary, files, diagnosis)

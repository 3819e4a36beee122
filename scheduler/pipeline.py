"""The main job: read an instance, solve it, verify the timetable, write the outputs.

Nothing is written unless the verifier passes the timetable. The output folder is checked
before the solve and replaced as a whole afterwards: its files always belong to one run. A
stop request (Ctrl-C, :mod:`scheduler.interrupt`) keeps the best timetable found so far,
marked interrupted; before the first one, :class:`~scheduler.interrupt.Interrupted` is raised
and nothing is written.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.atomic import (
    atomic_directory,
    check_inputs_outside,
    check_outside,
    check_replaceable,
    replace_directory,
)
from scheduler.counted_out import solve_timetable
from scheduler.cpsat import RunStats, SolverParams, SolveStatus
from scheduler.errors import SchedulerError
from scheduler.explain import Explanation, Unplaced, explain_infeasibility, explain_unplaced
from scheduler.exports import write_format
from scheduler.exports.background import Running, WorkbookJob
from scheduler.exports.diff_sheet import write_diff_workbook
from scheduler.exports.workbook import KIND_FILES, workbook_files, write_workbooks
from scheduler.i18n import Language
from scheduler.identity import instance_identity
from scheduler.instance import Instance
from scheduler.interrupt import Interrupted, stop_requested
from scheduler.io.reader import read_instance
from scheduler.levels import TIERS
from scheduler.model.bound import LowerBound
from scheduler.model.params import SolveRequest
from scheduler.model.solve import SolveResult, default_time_limit
from scheduler.model.tiers import TierOutcome
from scheduler.plotting import plot_room_occupancy, plot_visitors
from scheduler.plotting.files import save_figure
from scheduler.progress import ProgressCallback
from scheduler.roundtrip import Baseline, held_pins, read_baseline
from scheduler.timetable import Meeting, Timetable
from scheduler.verify import Verification, verify_timetable
from scheduler.views.compliance import compliance
from scheduler.views.diff import TimetableDiff
from scheduler.views.online import online_uses
from scheduler.views.plain import PlainFigures, plain_figures
from scheduler.views.trips import trip_rows


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
class SolveSettings:
    """What the user chooses about a solve job (the command line's solver options).

    ``time_limit``: seconds of search (``None``: :func:`default_time_limit` of the instance);
    ``workers``: CP-SAT workers (0: one per CPU core); ``relax``: place what can be placed and
    list the rest; ``explain_time``: seconds to search for why there is no timetable
    (``None``: the time limit); ``lang``: the language of the workbook and the pictures
    (``en``, ``zh``, ``ru`` or ``all``); ``flat``: one weighted sum instead of the tiers in
    order; ``relax_pins``: in a re-solve against a baseline, keep as many of its pinned
    meetings as possible instead of all of them.
    """

    time_limit: float | None = None
    workers: int = 0
    seed: int = 0
    relax: bool = False
    explain_time: float | None = None
    lang: Language = "en"
    flat: bool = False
    relax_pins: bool = False

    def __post_init__(self) -> None:
        """Refuse what :class:`~scheduler.cpsat.SolverParams` refuses (:class:`ValueError`),
        at once rather than when a solve starts."""
        SolverParams(time_limit=self.time_limit, workers=self.workers, seed=self.seed)
        if self.explain_time is not None and not self.explain_time >= 0:
            raise ValueError(f"explain_time must be at least 0 seconds, or None for the time "
                             f"limit; got {self.explain_time!r}")

    def solver(self, instance: Instance) -> SolverParams:
        """The CP-SAT parameters of a solve of ``instance``."""
        limit = self.time_limit if self.time_limit is not None else default_time_limit(instance)
        return SolverParams(time_limit=limit, workers=self.workers, seed=self.seed)

    def explain_limit(self, instance: Instance) -> float:
        """Seconds to search for why ``instance`` has no timetable."""
        if self.explain_time is not None:
            return self.explain_time
        limit = self.solver(instance).time_limit
        return float(limit) if limit is not None else 30.0


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
class TermCost:
    """One soft rule of the verified objective: how often it occurs, its weight, its cost,
    its level (``norm``, ``comfort``, ``hard`` or ``placement``) and a lower bound on its
    cost where one is known (the structural bounds of the norm rules)."""

    name: str
    count: int
    weight: int
    cost: int
    level: str = "comfort"
    bound: int | None = None

    def as_rule(self) -> dict[str, Any]:
        """As listed under ``rules`` in ``summary.json``."""
        return {"rule": self.name, "count": self.count, "weight": self.weight,
                "cost": self.cost, "level": self.level, "bound": self.bound}


@dataclass(frozen=True)
class SolveOutcome:
    """A finished solve: the instance (read from ``source``), the result, its verification,
    the diagnosis and the files written; for a re-solve, the ``baseline`` and the ``changes``
    from it. :meth:`summary` is the content of ``summary.json``; the properties are its
    figures, typed."""

    instance: Instance
    result: SolveResult
    verification: Verification | None
    diagnosis: Diagnosis = field(default_factory=Diagnosis)
    source: str | None = None
    files: tuple[Path, ...] = ()
    baseline: Baseline | None = None
    changes: TimetableDiff | None = None

    @property
    def status(self) -> SolveStatus:
        """How the search ended (:class:`~scheduler.cpsat.SolveStatus`)."""
        return self.result.status

    @property
    def has_timetable(self) -> bool:
        """True when a timetable was found (and verified, and written)."""
        return self.result.has_timetable

    @property
    def stats(self) -> RunStats | None:
        """The search's figures (``None`` when no search ran)."""
        return self.result.stats

    @property
    def interrupted(self) -> bool:
        """True when the user stopped the search (Ctrl-C)."""
        return self.stats is not None and self.stats.interrupted

    @property
    def objective(self) -> float | None:
        """The solver's objective (equal to the verifier's when there is a timetable; ``None``
        when the solver did not optimise, see :attr:`verified_objective`)."""
        return None if self.stats is None else self.stats.objective

    @property
    def verified_objective(self) -> int | None:
        """The objective the verifier recomputes (``None`` without a verified timetable)."""
        return None if self.verification is None else self.verification.objective

    @property
    def optimised(self) -> bool:
        """False when the solve ended with a timetable it did not optimise (time ran out
        after the first timetable, CP-SAT rejected the optimisation model, an interrupt):
        ``not_optimised`` says why."""
        return self.result.optimised

    @property
    def not_optimised(self) -> str:
        """Why the timetable was not optimised (empty when it was)."""
        return self.result.not_optimised

    @property
    def partial(self) -> bool:
        """True when a relaxed solve left courses out (listed in ``unplaced``)."""
        return self.has_timetable and bool(self.diagnosis.unplaced)

    @property
    def best_bound(self) -> float | None:
        """The solver's lower bound on the objective (``None`` when it has none)."""
        return None if self.stats is None else self.stats.best_bound

    @property
    def gap(self) -> float | None:
        """The relative gap between the objective and the bound."""
        return None if self.stats is None else self.stats.gap

    @property
    def solve_time(self) -> float | None:
        """Seconds of the whole solve, rounded to milliseconds."""
        return None if self.stats is None else round(self.stats.wall_time, 3)

    @property
    def time_to_first(self) -> float | None:
        """Seconds until the first timetable, rounded to milliseconds."""
        first = None if self.stats is None else self.stats.time_to_first
        return None if first is None else round(first, 3)

    @property
    def meetings(self) -> int | None:
        """How many meetings the timetable has (``None`` without one)."""
        return None if self.result.timetable is None else len(self.result.timetable)

    @property
    def lower_bound(self) -> LowerBound | None:
        """The bound from independent parts (large instances only)."""
        return self.result.lower_bound

    @property
    def terms(self) -> tuple[TermCost, ...]:
        """The verified objective per soft term (empty without a verified timetable)."""
        if self.verification is None:
            return ()
        floors = self.result.norm_bounds
        weights, levels = self.instance.weights, self.instance.levels
        return tuple(TermCost(name, count, weights.counted(name),
                              self.verification.weighted[name], levels.of(name),
                              None if floors is None or levels.of(name) != "norm"
                              else floors.bound_value(weights, (name,)))
                     for name, count in self.verification.costs.items())

    @property
    def tiers(self) -> tuple[TierOutcome, ...]:
        """Each tier's verified cost with its lower bound and whether it is proven minimal:
        the bounds the lexicographic solve proved, else (after a flat solve, large-
        neighbourhood search, or a tier the solve did not reach) the structural bound of the
        norm tier and no bound for the others. The last tier's bound is also at least the
        whole objective's bound less the costs of the tiers before it."""
        if self.verification is None:
            return ()
        solved = {t.name: t for t in self.result.tiers}
        floors = self.result.norm_bounds
        norms = tuple(t.name for t in self.terms if t.level == "norm")
        present = [tier for tier in TIERS if tier in self.verification.tiers]
        outcomes, before = [], 0
        for tier in present:
            cost = self.verification.tiers[tier]
            bound = solved[tier].bound if tier in solved else None
            if tier == "norm" and floors is not None:
                bound = max(bound or 0, floors.bound_value(self.instance.weights, norms))
            if tier == present[-1] and self.best_bound is not None:
                # every timetable costs at least the whole objective's bound in all, so one with
                # the tiers before at their values costs at least the rest in the last tier
                rest = math.ceil(self.best_bound - 1e-6) - before
                bound = rest if rest > max(bound or 0, 0) else bound
            bound = None if bound is None else min(bound, cost)
            outcomes.append(TierOutcome(tier, cost, bound, bound is not None and bound >= cost))
            before += cost
        return tuple(outcomes)

    @property
    def plain(self) -> PlainFigures | None:
        """What students and teachers would notice (``None`` without a timetable)."""
        if self.result.timetable is None:
            return None
        return plain_figures(self.instance, self.result.timetable)

    @property
    def explanation(self) -> tuple[str, ...]:
        """Why there is no timetable (or what the solver noted), line by line."""
        if self.diagnosis.explanation is not None:
            return tuple(self.diagnosis.explanation.lines())
        return self.result.explanation

    @property
    def unplaced(self) -> tuple[Unplaced, ...]:
        """The courses a relaxed solve left out, with the reasons."""
        return self.diagnosis.unplaced

    def identity(self) -> dict[str, Any]:
        """The instance's name, source, fingerprint and size."""
        return instance_identity(self.instance, self.source)

    def summary(self) -> dict[str, Any]:
        """The content of ``summary.json``."""
        result, verification, diagnosis = self.result, self.verification, self.diagnosis
        summary: dict[str, Any] = {
            "instance": self.identity(),
            "status": result.status,
            "has_timetable": result.has_timetable,
        }
        if result.stats is not None:
            summary.update(result.stats.as_dict())
            summary["status"] = result.status
        if result.timetable is not None:
            summary["meetings"] = len(result.timetable)
            if self.instance.planned_visitors:
                summary["trips"] = trip_rows(self.instance, result.timetable)
            online = online_uses(self.instance, result.timetable)
            if online:
                summary["online"] = [use.as_dict() for use in online]
            summary["optimised"] = result.optimised
            if not result.optimised:
                summary["not_optimised"] = result.not_optimised
        if verification is not None:
            summary["verified"] = verification.ok
            summary["verified_objective"] = verification.objective
            summary["objective_terms"] = {
                term.name: {"count": term.count, "weight": term.weight, "cost": term.cost,
                            "level": term.level}
                for term in self.terms}
            summary["rules"] = [term.as_rule() for term in self.terms]
            summary["tiers"] = [tier.as_dict() for tier in self.tiers]
            if result.norm_bounds is not None:
                summary["norm_bounds"] = [r.as_dict() for r in result.norm_bounds.rules]
        plain = self.plain
        if plain is not None:
            summary["plain"] = plain.as_dict()
        if result.lower_bound is not None:
            summary["lower_bound"] = result.lower_bound.as_dict()
        summary["explanation"] = list(self.explanation)
        if diagnosis.explanation is not None:
            summary["conflicts"] = diagnosis.explanation.as_dict()
        if self.baseline is not None:
            summary["baseline"] = self.baseline.as_dict()
            if self.changes is not None:
                summary["baseline"]["changes"] = self.changes.counts()
        if diagnosis.relaxed:
            summary["relaxed"] = True
            summary["partial"] = self.partial
            summary["unplaced"] = [u.as_dict() for u in diagnosis.unplaced]
            summary["unplaced_periods"] = sum(u.periods for u in diagnosis.unplaced)
        if result.timetable is not None:  # the one-third rule (docs/exports.md, Compliance)
            summary["compliance"] = compliance(self.instance, result.timetable).as_dict()
        return summary


def diagnose(instance: Instance, result: SolveResult, relax: bool = False,
             time_limit: float = 30.0, seed: int = 0,
             pins: Iterable[Meeting] = ()) -> Diagnosis:
    """Explain an infeasible result in users' words (the ``pins`` that cannot hold among the
    requirements), or the courses a relaxed one left out (after a stop request, only by
    counting: no search)."""
    if result.timetable is None:
        if result.status != SolveStatus.INFEASIBLE:
            return Diagnosis(relaxed=relax)
        return Diagnosis(explain_infeasibility(instance, time_limit, seed, pins=pins),
                         relaxed=relax)
    if not relax:
        return Diagnosis()
    return Diagnosis(None, tuple(explain_unplaced(instance, result.timetable, time_limit, seed,
                                                  deep=not stop_requested(), pins=pins)),
                     relaxed=True)


def solve_instance(instance: Instance, params: SolverParams | None = None,
                   on_progress: ProgressCallback | None = None,
                   request: SolveRequest | None = None) -> tuple[SolveResult,
                                                                 Verification | None]:
    """Solve and verify; raise :class:`VerificationFailed` if the verifier rejects it.

    ``request`` asks for a relaxed solve (courses left out are allowed and counted) or a
    re-solve with minimal change against a baseline, with pinned meetings kept (see
    :func:`~scheduler.model.solve.solve_timetable`); the solver's own explanation is skipped
    (:func:`diagnose` explains in users' words). The timetable's meetings that keep a pin are
    marked pinned, and the verifier checks that every pin is kept.
    """
    request = replace(request or SolveRequest(), explain=False)
    result = solve_timetable(instance, params, on_progress, request)
    if result.timetable is None:
        return result, None
    timetable = result.timetable.with_pins(request.pins) if request.pins else result.timetable
    result = replace(result, timetable=timetable)
    verification = verify_timetable(instance, timetable, baseline=request.baseline,
                                    allow_unplaced=request.relax, pins=request.pins)
    if not verification.ok:
        raise VerificationFailed(verification)
    claimed = {k: v for k, v in result.objective_terms.items() if v or k in verification.costs}
    if claimed and claimed != {k: verification.costs.get(k, 0) for k in claimed}:
        raise ObjectiveMismatch(claimed, verification.costs)
    return result, verification


SOLVE_FILES = ("timetable.xlsx", "timetable.csv", "trips.csv", "timetable.json",
               "visitors.png", "occupancy.png", "diff.xlsx", "summary.json",
               *KIND_FILES.values())
"""What :func:`write_solution` writes (the exports only when there is a timetable; the trips
when the instance plans them; the diff only in a re-solve against a baseline; the grid
workbooks of :data:`~scheduler.exports.workbook.KIND_FILES` for a large term only)."""


def check_output(outdir: str | Path, instance_path: str | Path | None = None,
                 baseline_path: str | Path | None = None) -> None:
    """Raise :class:`~scheduler.errors.OutputError` unless ``outdir`` can take a solve's
    output: not the instance at ``instance_path`` or a folder inside it (the instance would
    no longer validate), not a folder holding the instance or the baseline (it is replaced
    as a whole: the inputs would be lost), not a folder of other files, and writable. Called
    before solving, so that a bad folder costs no search time."""
    if instance_path is not None:
        check_outside(outdir, instance_path)
    check_inputs_outside(outdir, (instance_path, baseline_path))
    check_replaceable(outdir, SOLVE_FILES)


def write_solution(outcome: SolveOutcome, outdir: str | Path,
                   lang: Language = "en") -> tuple[Path, ...]:
    """Write the default exports (``timetable.xlsx``, ``.csv``, ``.json``, ``visitors.png``,
    ``occupancy.png``, labelled in ``lang``), in a re-solve ``diff.xlsx`` (the changes from
    the baseline), and ``summary.json`` as the folder ``outdir``, replacing it as a whole
    (:func:`~scheduler.atomic.replace_directory`): only ``summary.json`` when there is no
    timetable, so no timetable of an earlier run stays beside it."""
    timetable, verification = outcome.result.timetable, outcome.verification
    if timetable is not None and (verification is None or not verification.ok):
        raise SchedulerError("refusing to write a timetable that has not passed verification")
    summary = outcome.summary()
    outdir = Path(outdir)
    names = ["summary.json"]
    with replace_directory(outdir, SOLVE_FILES) as staging:
        if timetable is not None:
            written = write_default_exports(outcome.instance, timetable, staging,
                                            identity=summary["instance"], lang=lang)
            if outcome.changes is not None:
                written.append(write_diff_workbook(outcome.changes, staging / "diff.xlsx"))
            names[:0] = [str(p.relative_to(staging)) for p in written]
        (staging / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return tuple(outdir / n for n in names)


def solve_to_folder(instance_path: str | Path, outdir: str | Path,
                    settings: SolveSettings | None = None,
                    on_progress: ProgressCallback | None = None,
                    baseline_path: str | Path | None = None) -> SolveOutcome:
    """The ``scheduler solve`` job: read, solve, verify, write. Returns what happened.

    ``settings.relax``: place as much as possible; the instance may then fail counting
    checks, and the summary lists each course left out and why. Without a timetable, the
    summary says why none exists (in users' words), searching for the reason within the
    explanation time.

    ``baseline_path``: a timetable of the instance (the office's, edited and pinned) to
    re-solve from. It is verified first (:func:`~scheduler.roundtrip.check_baseline`: a
    :class:`~scheduler.roundtrip.BaselineRejected` before anything is solved); then its pinned
    meetings are kept (``settings.relax_pins``: as many as possible) and the others kept where
    possible at the ``moved_meeting`` cost, in one weighted sum of every rule (as with
    ``settings.flat``: the moves are priced against the norms too); ``diff.xlsx`` says what
    changed.

    The output folder is checked first (:func:`check_output`). After a stop request the best
    timetable found is written, marked interrupted, and the explanation of courses left out
    is only by counting; before a first timetable (and without a proof that none exists)
    :class:`~scheduler.interrupt.Interrupted` is raised and nothing is written.
    """
    settings = settings or SolveSettings()
    check_output(outdir, instance_path, baseline_path)
    instance = read_instance(instance_path, arithmetic=not settings.relax)
    params, baseline = settings.solver(instance), None
    if baseline_path is not None:
        baseline, params = read_baseline(instance, baseline_path, params, settings.relax_pins)
    if stop_requested():
        raise Interrupted("Interrupted while reading the instance: nothing was written.")
    request = (SolveRequest(relax=settings.relax) if baseline is None
               else baseline.request(settings.relax))
    # a re-solve prices each move against every other rule: with the norms first, the norm
    # tier would move any number of meetings to save one norm point (docs/pins.md)
    request = replace(request, flat=settings.flat or baseline is not None)
    result, verification = solve_instance(instance, params, on_progress, request)
    if baseline is not None and baseline.choice is not None and result.timetable is not None:
        baseline = replace(baseline, choice=held_pins(instance, baseline.choice,
                                                      result.timetable))
        result = replace(result, timetable=result.timetable.with_pins(baseline.pins))
    result = _mark_interrupted(result)
    if result.timetable is None and result.status != SolveStatus.INFEASIBLE and \
            result.stats is not None and result.stats.interrupted:
        raise Interrupted("Interrupted before a first timetable was found: nothing was "
                          "written.")
    diagnosis = diagnose(instance, result, settings.relax, settings.explain_limit(instance),
                         settings.seed, request.pins)
    changes = (baseline.changes(instance, result.timetable)
               if baseline is not None and result.timetable is not None else None)
    outcome = SolveOutcome(instance, _mark_interrupted(result), verification, diagnosis,
                           str(instance_path), baseline=baseline, changes=changes)
    return replace(outcome, files=write_solution(outcome, outdir, settings.lang))


def _mark_interrupted(result: SolveResult) -> SolveResult:
    """``result``, marked interrupted also when a stop was requested after its last search
    (or before any: e.g. while the options were built, or during the explanation)."""
    if not stop_requested() or (result.stats is not None and result.stats.interrupted):
        return result
    stats = result.stats or RunStats(result.status, None, None, 0.0, None, 0, True, 0, 0, {})
    return replace(result, stats=replace(stats, interrupted=True))


def write_default_exports(instance: Instance, timetable: Timetable, outdir: str | Path,
                          identity: dict[str, Any] | None = None,
                          lang: Language = "en") -> list[Path]:
    """Write what ``scheduler solve`` leaves in its folder: ``timetable.xlsx``,
    ``timetable.csv``, ``trips.csv`` (every visitor's trips, when the instance plans trips),
    ``timetable.json`` (``identity``
    is its ``instance`` block),
    ``visitors.png`` (the visiting teachers' Gantt chart) and ``occupancy.png`` (rooms by
    teaching week), the workbook and pictures labelled in ``lang``; the files appear
    together. Returns the paths.

    A large term's workbooks (more than one: :func:`~scheduler.exports.workbook.workbook_files`)
    are written in a process of their own while this one writes the other files, on a
    machine of two cores or more."""
    outdir = Path(outdir)
    with atomic_directory(outdir) as staging:
        shown = instance.with_trips(timetable.trips)  # planned trips shown as windows
        job = WorkbookJob(shown, timetable, staging, lang, workbook_files(shown))
        books = Running(job) if len(job.files) > 1 and (os.cpu_count() or 1) > 1 else None
        written = [] if books is not None else write_workbooks(
            shown, timetable, staging, lang, job.files)
        try:
            for fmt in ("csv", "json"):
                written += write_format(instance, timetable, fmt, staging, identity=identity,
                                        lang=lang)
            written += save_figure(plot_visitors(shown, timetable, lang=lang).figure,
                                   staging, "visitors", ("png",))
            written += save_figure(plot_room_occupancy(instance, timetable, lang=lang).figure,
                                   staging, "occupancy", ("png",))
        except BaseException:
            if books is not None:
                books.stop()
            raise
        if books is not None:
            written = books.result() + written
        relative = [p.relative_to(staging) for p in written]
    return [outdir / r for r in relative]

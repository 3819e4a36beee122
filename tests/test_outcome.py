"""A solve says what it achieved: it keeps to its time limit whatever it retries, and a
timetable it could not optimise is reported as such (library, summary.json, exit code)."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from click.testing import CliRunner

import cli
import scheduler.model.solve as solve_module
from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.io.writer import write_instance_csv
from scheduler.model.params import LnsSettings, SolveRequest
from scheduler.model.solve import solve_timetable
from scheduler.verify import verify_timetable
from tests.tiny import tiny_instance, valid_timetable

ALLOWANCE = 2.0
"""Seconds a solve may run past its time limit on this loaded test machine (returning from
CP-SAT, reading the timetable)."""


def spy_on_searches(monkeypatch, first_takes: float = 0.0,
                    first_status: SolveStatus | None = None) -> list[float | None]:
    """Record the time limit of every CP-SAT search of a solve; the first one takes
    ``first_takes`` seconds more and, if given, ends with ``first_status``."""
    limits: list[float | None] = []
    real = solve_module.run_cpsat

    def spy(model, params, **kwargs):
        limits.append(params.time_limit)
        if len(limits) == 1:
            time.sleep(first_takes)
        solver, stats = real(model, params, **kwargs)
        if len(limits) == 1 and first_status is not None:
            stats = replace(stats, status=first_status)
        return solver, stats

    monkeypatch.setattr(solve_module, "run_cpsat", spy)
    return limits


def test_a_retry_without_the_kept_courses_gets_only_the_time_that_is_left(monkeypatch):
    """The courses kept to the baseline make the first phase infeasible after 3 s of a 6 s
    limit: the solve without them must end by the same deadline, not 6 s later."""
    instance = tiny_instance()
    keep = frozenset(c.id for c in instance.courses)
    limits = spy_on_searches(monkeypatch, first_takes=3.0,
                             first_status=SolveStatus.INFEASIBLE)
    began = time.perf_counter()
    result = solve_timetable(instance, SolverParams(time_limit=6, workers=2, seed=0),
                             request=SolveRequest(baseline=valid_timetable(),
                                                  keep_courses=keep))
    took = time.perf_counter() - began
    assert result.has_timetable and verify_timetable(instance, result.timetable).ok
    assert len(limits) >= 2
    assert all(limit is not None and limit <= 6 - 3 for limit in limits[1:]), limits
    assert took <= 6 + ALLOWANCE
    assert result.stats.wall_time >= 3  # counted from the first start


def test_no_time_left_for_the_retry_is_unknown_not_infeasible(monkeypatch):
    """Kept courses made the first phase infeasible and the time is up: nothing is proven
    about the instance itself."""
    instance = tiny_instance()
    spy_on_searches(monkeypatch, first_takes=2.0, first_status=SolveStatus.INFEASIBLE)
    result = solve_timetable(instance, SolverParams(time_limit=2, workers=2, seed=0),
                             request=SolveRequest(baseline=valid_timetable(),
                                                  keep_courses=frozenset({"W1"})))
    assert result.status == SolveStatus.UNKNOWN and not result.has_timetable


def test_after_a_failed_construction_the_whole_model_gets_the_rest_of_the_limit(monkeypatch):
    """The group-by-group construction fails after 4 s of a 10 s limit: the whole model then
    searches until 10 s after the start (not until 10 s minus the 4 s counted twice; no
    share of it left to LNS at the end here, see ``polish_share``)."""
    def failing_construction(*args, **kwargs):
        time.sleep(4)
        return None, None

    monkeypatch.setattr(solve_module, "construct", failing_construction)
    limits = spy_on_searches(monkeypatch)
    began = time.perf_counter()
    result = solve_timetable(tiny_instance(), SolverParams(time_limit=10, workers=2, seed=0),
                             settings=LnsSettings(construct_options=0, polish_share=0))
    took = time.perf_counter() - began
    assert result.has_timetable
    first, optimise = limits[0], limits[1]
    assert first is not None and 5 <= first <= 6
    assert optimise is not None and optimise > 4.5, limits
    assert took <= 10 + ALLOWANCE


def test_a_construction_out_of_time_builds_no_whole_model(monkeypatch):
    """The group-by-group construction uses up the 3 s limit (a large term on a busy
    machine): the solve ends without a timetable and never builds the whole model, which
    for the 8x term took gigabytes only to be searched for no time at all."""
    def slow_construction(*args, **kwargs):
        time.sleep(3)
        return None, None

    built = []
    real = solve_module.TimetableModel

    def spy(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_module, "construct", slow_construction)
    monkeypatch.setattr(solve_module, "TimetableModel", spy)
    result = solve_timetable(tiny_instance(), SolverParams(time_limit=3, workers=2, seed=0),
                             settings=LnsSettings(construct_options=0))
    assert result.status == SolveStatus.UNKNOWN and not result.has_timetable
    assert result.stats is not None and result.stats.wall_time >= 3
    assert built == []


def test_the_optimisation_gets_only_what_the_first_timetable_left(monkeypatch):
    """Phase 1 takes 3 s of an 8 s limit: the whole model's search gets at most the 5 s left
    (a limit the search may use up on a hard instance, so it is the limit that is checked)."""
    limits = spy_on_searches(monkeypatch, first_takes=3.0)
    result = solve_timetable(tiny_instance(), SolverParams(time_limit=8, workers=2, seed=0))
    assert result.has_timetable and result.optimised
    assert len(limits) == 2 and limits[0] is not None and limits[0] <= 8
    assert limits[1] is not None and limits[1] <= 8 - 3, limits


def test_the_tiers_get_only_what_the_first_timetable_left(monkeypatch):
    """The same with rules of two levels (norm, then comfort: one search each): every tier's
    search gets a share of the 5 s left, never of the whole 8 s limit."""
    import scheduler.model.tiers as tiers_module

    spy_on_searches(monkeypatch, first_takes=3.0)
    tier_limits: list[float | None] = []
    real = tiers_module.run_cpsat

    def spy(model, params, **kwargs):
        tier_limits.append(params.time_limit)
        return real(model, params, **kwargs)

    monkeypatch.setattr(tiers_module, "run_cpsat", spy)
    base = tiny_instance()
    instance = replace(base, weights=replace(base.weights, cohort_daily_cap=2,
                                             cohort_building_change=200))
    result = solve_timetable(instance, SolverParams(time_limit=8, workers=2, seed=0))
    assert [t.name for t in result.tiers] == ["norm", "comfort"]
    assert tier_limits and all(limit is not None and limit <= 8 - 3 for limit in tier_limits), \
        tier_limits


def test_large_neighbourhood_search_ends_by_the_time_limit():
    began = time.perf_counter()
    result = solve_timetable(tiny_instance(), SolverParams(time_limit=4, workers=2, seed=0),
                             settings=LnsSettings(full_model_options=0))
    assert result.has_timetable and result.optimised
    assert time.perf_counter() - began <= 4 + ALLOWANCE


def test_no_time_for_the_optimisation_is_reported_not_hidden():
    result = solve_timetable(tiny_instance(), SolverParams(time_limit=5, workers=2, seed=0),
                             settings=LnsSettings(min_run_seconds=60))
    assert result.has_timetable and result.stats.objective is None
    assert not result.optimised
    assert result.not_optimised.startswith("no time was left for the optimisation after the "
                                           "first timetable")


@pytest.mark.parametrize("settings", [LnsSettings(), LnsSettings(full_model_options=0),
                                      LnsSettings(full_model_options=0, construct_options=0)],
                         ids=["whole model", "phase 1 + lns", "construction + lns"])
def test_an_optimisation_model_cp_sat_rejects_is_reported(settings):
    """A weight of 10^18 overflows CP-SAT's 64-bit objective: MODEL_INVALID. The hard-rule
    timetable is kept, marked as not optimised, whatever the strategy."""
    base = tiny_instance()
    instance = replace(base, weights=replace(base.weights, cohort_idle_period=10**18))
    result = solve_timetable(instance, SolverParams(time_limit=5, workers=2, seed=0),
                             settings=settings)
    assert result.has_timetable and verify_timetable(instance, result.timetable).ok
    assert not result.optimised
    assert "MODEL_INVALID" in result.not_optimised


def test_cli_says_not_optimised_and_exits_7(tmp_path, monkeypatch):
    folder = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), folder)
    monkeypatch.setattr(solve_module, "DEFAULT_SETTINGS", LnsSettings(min_run_seconds=60))
    result = CliRunner().invoke(cli.main, ["solve", str(folder), "-o", str(tmp_path / "out"),
                                           "-q", "-t", "5", "-w", "2"])
    assert result.exit_code == cli.EXIT_NOT_OPTIMISED == 7, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("NOT OPTIMISED: 13 meetings, verified; not optimised: no time "
                            "was left for the optimisation after the first timetable")
    assert "objective None" not in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["optimised"] is False
    assert summary["not_optimised"].startswith("no time was left for the optimisation")
    assert summary["objective"] is None and summary["verified"] is True
    assert f"verified cost {summary['verified_objective']}," in first


def test_the_exit_codes_are_documented():
    from pathlib import Path

    help_text = " ".join(CliRunner().invoke(cli.main, ["solve", "--help"]).output.split())
    assert "6 partial (--relax left courses out" in help_text
    assert "7 timetable written but not optimised" in help_text
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    assert "| 6 | partial: `solve --relax` left courses out" in readme
    assert "| 7 | `solve` wrote a timetable it did not optimise" in readme


def test_a_solve_gives_its_models_memory_back_before_returning(monkeypatch):
    """The outputs are written by the same process after the solve: the models of the
    searches are collected and the heaps trimmed first (``release_memory``), once."""
    released = []
    monkeypatch.setattr(solve_module, "release_memory", lambda: released.append(True))
    result = solve_timetable(tiny_instance(), SolverParams(time_limit=5, workers=2, seed=0))
    assert result.has_timetable and released == [True]

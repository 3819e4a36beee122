"""Sweeps: delay scenarios in parallel processes agree with single runs; robustness table."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler.cpsat import SolveStatus
from scheduler.errors import InputError
from scheduler.scenarios.run import GIVEN, run_scenario, solve_side
from scheduler.scenarios.sweep import SweepParams, delay_scenarios, parse_days, run_sweep
from tests.tiny import tiny_instance

TINY = SweepParams(time_limit=20, workers=1, seed=0, explain_time=5, jobs=1)
"""Tiny solves prove optimality within a second; the limit only matters on a loaded machine."""


def test_delays_of_a_visitor_in_parallel_agree_with_single_runs():
    # V1 teaches I1 (6 periods, at most 4 a day) on the non-travel days of 09-13..09-18;
    # the term ends on Friday 09-18. Arriving 1, 2 or 3 days late leaves 4, 3 or 2 teaching
    # days; 4 days late leaves only Friday 09-18 (4 periods < 6): the term absorbs 3 days.
    instance = tiny_instance()
    tasks = delay_scenarios(instance, ["V1"], parse_days("0:4:1"))
    assert [t.delay for t in tasks] == [1, 2, 3, 4]
    reference = solve_side(instance, "base", TINY)
    done = []
    result = run_sweep(instance, tasks, replace(TINY, jobs=2), reference=reference,
                       on_done=lambda n, total, point: done.append((n, total, point.delay)))
    assert result.jobs == 2 and result.minimal_change
    assert sorted(d for _, _, d in done) == [1, 2, 3, 4]
    assert [n for n, _, _ in done] == [1, 2, 3, 4] and {t for _, t, _ in done} == {4}
    (robust,) = result.robustness(instance)
    assert (robust.teacher, robust.absorbed) == ("V1", 3)
    by_delay = {p.delay: p for p in result.points}
    assert not by_delay[4].feasible and by_delay[4].status == SolveStatus.INFEASIBLE
    assert by_delay[4].reason.startswith("Иванова Е. А.: 6 periods of intensive teaching (I1) "
                                         "but only 4 periods available between 2026-09-18")
    assert result.reference.quality == reference.quality
    for task in tasks:  # every point is exactly a single run of the same scenario
        single = run_scenario(instance, task.scenario, TINY, baseline=reference.timetable)
        point = by_delay[task.delay]
        assert (point.status, point.feasible) == (single.changed.status, single.changed.feasible)
        if single.changed.feasible:
            assert single.changed.status == SolveStatus.OPTIMAL
            assert point.quality == single.changed.quality
            assert point.moved == single.moved_meetings
            assert point.cost_change == single.changed.quality - reference.quality


def test_a_fresh_sweep_agrees_with_fresh_single_runs():
    instance = tiny_instance()
    reference = solve_side(instance, "base", TINY)
    tasks = delay_scenarios(instance, None, [2])
    result = run_sweep(instance, tasks, replace(TINY, fresh=True), reference=reference)
    (point,) = result.points
    single = run_scenario(instance, tasks[0].scenario, TINY, reference=reference)
    assert not result.minimal_change and single.changed.status == SolveStatus.OPTIMAL
    assert (point.quality, point.moved) == (single.changed.quality, single.moved_meetings)


def test_a_given_baseline_is_the_reference():
    instance = tiny_instance()
    baseline = solve_side(instance, "base", TINY).timetable
    result = run_sweep(instance, delay_scenarios(instance, None, [2]), TINY,
                       baseline=baseline)
    (point,) = result.points
    assert result.minimal_change and point.feasible and point.moved is not None
    assert (result.reference.status, result.reference.moved) == (GIVEN, 0)


def test_bad_sweep_arguments():
    with pytest.raises(InputError, match="'T1' is not a visiting teacher"):
        delay_scenarios(tiny_instance(), ["T1"], [7])
    with pytest.raises(InputError, match="expected start:stop:step"):
        parse_days("0-21")
    assert parse_days("0:21:7") == [0, 7, 14, 21] and parse_days("3,7") == [3, 7]

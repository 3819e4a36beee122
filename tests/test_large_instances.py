"""The large-instance paths of the solver, exercised on small instances by lowering the
thresholds: candidate rooms per course, group-by-group construction, and LNS."""

from __future__ import annotations

from dataclasses import replace

import pytest

import scheduler.model.solve as solve_module
from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.model import options as options_module
from scheduler.model.construct import construct, course_groups
from scheduler.model.options import _course_rooms, build_options
from scheduler.model.params import LnsSettings
from scheduler.verify import verify_timetable
from tests.interrupting import ctrl_c_when_searching

CONSTRUCT = LnsSettings(construct_options=0)
"""The first timetable built group by group on any instance, however small."""


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def test_room_candidates_are_half_best_fitting_and_fixed_per_course(fall_instance):
    def fitting_rooms(course):
        size = fall_instance.course_size(course)
        return sorted((r for r in fall_instance.rooms
                       if r.room_type == course.room_type and r.capacity >= size),
                      key=lambda r: (r.capacity, r.id))

    course = max(fall_instance.courses, key=lambda c: len(fitting_rooms(c)))
    fitting = fitting_rooms(course)
    assert len(fitting) >= 4
    limit = len(fitting) - 1
    chosen = _course_rooms(fall_instance, course, limit)
    assert len(chosen) == limit
    assert chosen[:limit // 2] == [r.id for r in fitting[:limit // 2]]
    assert set(chosen) <= {r.id for r in fitting}
    assert chosen == _course_rooms(fall_instance, course, limit)  # same draw every time
    assert _course_rooms(fall_instance, course) == [r.id for r in fall_instance.rooms
                                                    if r.id in {f.id for f in fitting}]


def test_room_limit_applies_only_to_large_instances(fall_instance, monkeypatch):
    assert options_module.room_limit(fall_instance) is None
    monkeypatch.setattr(options_module, "LARGE_ROOM_CHOICES", 0)
    assert options_module.room_limit(fall_instance) == options_module.ROOM_CANDIDATES


def test_course_groups_cover_every_course_once(fall_instance):
    calendar = TermCalendar(fall_instance)
    options = build_options(fall_instance, calendar)
    groups = course_groups(fall_instance, options, size=5)
    placed = [c for g in groups for c in g]
    assert sorted(placed) == sorted(c.id for c in fall_instance.courses)
    assert all(1 <= len(g) <= 5 for g in groups)


def test_construction_places_every_course_without_breaking_a_rule(fall_instance):
    import time

    calendar = TermCalendar(fall_instance)
    options = build_options(fall_instance, calendar)
    chosen, stats = construct(fall_instance, calendar, options,
                              SolverParams(time_limit=20, workers=2, seed=0),
                              time.perf_counter() + 60)
    assert chosen is not None and stats is not None
    placed = {options.options[i].course.id for i in chosen}
    assert placed == {c.id for c in fall_instance.courses}


@pytest.mark.parametrize("construct_first", [True, False])
def test_lns_path_timetable_passes_the_verifier(fall_instance, construct_first):
    settings = LnsSettings(full_model_options=0,
                           construct_options=0 if construct_first else 10_000)
    result = solve_module.solve_timetable(fall_instance,
                                          SolverParams(time_limit=12, workers=2, seed=0),
                                          settings=settings)
    assert result.has_timetable
    assert result.stats.params["strategy"].endswith(" + lns")
    assert result.stats.params["lns_iterations"] > 0
    assert result.stats.params["lns_median_variables"] > 0
    assert result.stats.params["lns_median_constraints"] > 0
    verification = verify_timetable(fall_instance, result.timetable)
    assert verification.ok, verification.violations[:5]
    assert nonzero(result.objective_terms) == nonzero(verification.costs)
    assert result.stats.objective == verification.objective


def test_construction_failure_leaves_the_rest_of_the_time_to_the_whole_model(
        fall_instance, monkeypatch):
    monkeypatch.setattr(solve_module, "construct", lambda *a, **k: (None, None))
    seen = []
    real = solve_module.run_cpsat

    def spy(model, params, **kwargs):
        seen.append(params.time_limit)
        return real(model, params, **kwargs)

    monkeypatch.setattr(solve_module, "run_cpsat", spy)
    result = solve_module.solve_timetable(fall_instance, replace(
        SolverParams(time_limit=8, workers=2, seed=0)), settings=CONSTRUCT)
    assert result.has_timetable
    assert seen and seen[0] < 8  # the time already spent is deducted


def test_ctrl_c_during_construction_ends_the_solve_without_a_timetable(fall_instance,
                                                                        monkeypatch):
    """A real SIGINT as the first group's search starts: no timetable of every course, no
    further group and no whole-model search."""
    import scheduler.model.construct as construct_module

    searches = []
    real = solve_module.run_cpsat
    monkeypatch.setattr(solve_module, "run_cpsat",
                        lambda *a, **k: searches.append(1) or real(*a, **k))
    with ctrl_c_when_searching(monkeypatch, construct_module):
        result = solve_module.solve_timetable(fall_instance,
                                              SolverParams(time_limit=30, workers=2, seed=0),
                                              settings=CONSTRUCT)
    assert result.status == SolveStatus.UNKNOWN and not result.has_timetable
    assert result.stats.interrupted
    assert searches == []  # no whole-model search after the construction


def test_neighbourhoods_keep_the_incumbent_objective_exact(fall_instance):
    """A neighbourhood's sub-model leaves out constraints and term instances that only fixed
    courses touch; the objective it reports must still be the whole timetable's cost."""
    import random
    import time

    from scheduler.model.context import SolveContext
    from scheduler.model.lns import Incumbent, evaluate, solve_neighbourhood
    from scheduler.model.neighbourhoods import OPERATORS, CourseIndex
    from scheduler.model.params import SolveRequest

    params = SolverParams(time_limit=2, workers=2, seed=0)
    ctx = SolveContext.start(fall_instance, params, SolveRequest(), LnsSettings())
    calendar, options = ctx.calendar, ctx.options
    chosen, _ = construct(fall_instance, calendar, options, params, time.perf_counter() + 30)
    assert chosen is not None
    incumbent = Incumbent(chosen, *evaluate(fall_instance, calendar, options, chosen))
    index, rng = CourseIndex(fall_instance, options), random.Random(0)
    improved = 0
    for _ in range(6):
        free = set(OPERATORS[rng.choice(sorted(OPERATORS))](index, incumbent.chosen, rng, 6).free)
        _, better = solve_neighbourhood(ctx, incumbent, free, params)
        if better is not None:
            objective, _ = evaluate(fall_instance, calendar, options, better.chosen)
            assert better.objective == objective < incumbent.objective
            incumbent, improved = better, improved + 1
    assert improved >= 1



"""Both models run through the engine: CB-CTT and the term timetable, with two threads, and
the term timetable's merge of neighbourhoods searched at once is exact."""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from scheduler.cbctt import read_cbctt, score, solve_cbctt
from scheduler.cbctt.solve import to_assignment
from scheduler.cpsat import SolverParams, run_cpsat
from scheduler.levels import RuleLevels
from scheduler.model import lns as lns_module
from scheduler.model import params as params_module
from scheduler.model import solve as solve_module
from scheduler.model import tiers as tiers_module
from scheduler.model.construct import construct
from scheduler.model.context import SolveContext
from scheduler.model.lns import (
    Goal,
    LnsResult,
    SubModel,
    TimetableAdapter,
    evaluate,
    hint_values,
    measure,
    run_lns,
    tight_sub_models,
)
from scheduler.model.neighbourhoods import OPERATORS
from scheduler.model.params import LnsSettings, SolveRequest
from scheduler.model.solve import solve_timetable
from scheduler.search import SearchSettings, search
from scheduler.verify import verify_timetable
from tests.tiny import tiny_instance

COMP01 = Path(__file__).resolve().parents[1] / "cbctt" / "data" / "comp01.ctt"
SUB = SolverParams(time_limit=5, workers=1, seed=0,
                   extra={"linearization_level": 2, "max_deterministic_time": 0.5})


@pytest.fixture(scope="module")
def started(fall_instance):
    """A context on the default instance and a constructed first timetable."""
    params = SolverParams(time_limit=30, workers=2, seed=0)
    ctx = SolveContext.start(fall_instance, params, SolveRequest(), LnsSettings())
    chosen, _ = construct(fall_instance, ctx.calendar, ctx.options, params,
                          time.perf_counter() + 60)
    assert chosen is not None
    return ctx, measure(fall_instance, ctx.calendar, ctx.options, chosen)


def test_cbctt_runs_through_the_engine_with_two_threads():
    instance = read_cbctt(COMP01)
    result = solve_cbctt(instance, SolverParams(time_limit=6, workers=2, seed=1))
    assert result.has_solution and result.lns_iterations > 0
    assert {"periods/curricula", "lns/rooms"} <= set(result.operators)
    s = score(instance, to_assignment(instance, _timetable(instance, result)))
    assert s.feasible and s.total == result.cost


def _timetable(instance, result):
    by_course: dict[int, list] = {c: [] for c in range(len(instance.courses))}
    courses = {c.id: i for i, c in enumerate(instance.courses)}
    rooms = {r.id: i for i, r in enumerate(instance.rooms)}
    for p in result.assignment:
        by_course[courses[p.course]].append(
            (p.day * instance.periods_per_day + p.period, rooms[p.room]))
    return tuple(tuple(sorted(v)) for v in by_course.values())


def test_the_term_timetable_runs_through_the_engine_with_two_threads(started):
    ctx, start = started
    deadline = time.perf_counter() + 8
    result = run_lns(ctx, start, deadline)
    assert result.iterations > 0 and result.incumbent.objective <= start.objective
    objective, _ = evaluate(ctx.instance, ctx.calendar, ctx.options, result.incumbent.chosen)
    assert objective == result.incumbent.objective


@pytest.mark.parametrize("tight", [True, False])
def test_every_operator_frees_courses_and_the_sub_model_keeps_the_objective_exact(started,
                                                                                   tight):
    """Either formulation of the neighbourhoods' objectives (``sub_tight``): what a
    sub-solve claims is the whole objective recomputed from its timetable."""
    ctx, start = started
    adapter = TimetableAdapter(replace(ctx, settings=replace(ctx.settings, sub_tight=tight)))
    rng = random.Random(2)
    improved = 0
    for name, operator in adapter.operators().items():
        release = operator(start, rng, 4)
        assert release is not None and release.kind == name, name
        assert 1 <= len(release.free) <= 4
        result = adapter.solve(start, start.objective, release, SUB, lambda cost: None)
        if result.state is not None:
            exact, _ = evaluate(ctx.instance, ctx.calendar, ctx.options, result.state.chosen)
            assert result.cost == exact < start.objective, name
            improved += 1
    assert improved >= 1


def test_sub_models_are_tight_only_up_to_sub_tight_options(started):
    """``sub_tight`` applies on instances of at most ``sub_tight_options`` meeting options:
    the same neighbourhood's sub-model is the larger tight one there, the compact one above."""
    ctx, start = started
    size = len(ctx.options.options)

    def under(**changes):
        return replace(ctx, settings=replace(ctx.settings, **changes))

    assert tight_sub_models(ctx)  # the default instance is below the default threshold
    assert tight_sub_models(under(sub_tight_options=size))
    assert tight_sub_models(under(sub_tight_options=None))
    assert not tight_sub_models(under(sub_tight_options=size - 1))
    assert not tight_sub_models(under(sub_tight=False, sub_tight_options=None))
    free = set(sorted({ctx.options.options[i].course.id for i in start.chosen})[:4])
    tight = SubModel.build(ctx, start.chosen, free)
    compact = SubModel.build(under(sub_tight_options=size - 1), start.chosen, free)
    assert (len(tight.tm.model.proto.variables)
            > len(compact.tm.model.proto.variables))


def test_the_steady_state_gets_tight_sub_models_by_default():
    """Measured better there with the complete hint (docs/performance.md, "Where a
    sub-problem's time goes; tight sub-models on the steady state"): the shipped steady
    state is within the default threshold, which is above the whole model's."""
    from scheduler.io.reader import read_instance
    from scheduler.paths import STEADY_INSTANCE

    ctx = SolveContext.start(read_instance(STEADY_INSTANCE), SolverParams(), SolveRequest(),
                             LnsSettings())
    assert len(ctx.options.options) > params_module.WHOLE_MODEL_OPTIONS
    assert len(ctx.options.options) <= LnsSettings().sub_tight_options
    assert tight_sub_models(ctx)


@pytest.mark.parametrize("field", ["full_model_options", "construct_options",
                                   "sub_tight_options"])
def test_option_thresholds_are_not_negative(field):
    assert getattr(LnsSettings(**{field: 0}), field) == 0
    with pytest.raises(ValueError, match=field):
        LnsSettings(**{field: -1})


def test_neighbourhoods_searched_at_once_merge_exactly(started):
    """A neighbourhood solved from the start is merged into a timetable another one changed
    meanwhile when none of its courses was moved there and no rule breaks; the merged
    objective is the recomputed one (whether the neighbourhoods touch or not)."""
    ctx, start = started
    adapter = TimetableAdapter(ctx)
    operators = adapter.operators()
    rng = random.Random(5)
    solved = []
    for _ in range(40):
        release = operators["teacher"](start, rng, 3)
        result = adapter.solve(start, start.objective, release, SUB, lambda cost: None)
        if result.state is not None:
            solved.append((release, result.state))
    assert len(solved) >= 2
    merged = refused = 0
    for (_, one), (second, other) in itertools.pairwise(solved):
        combined = adapter.merge(one, start, other, second)
        if combined is None:
            refused += 1
            continue
        merged += 1
        exact, _ = evaluate(ctx.instance, ctx.calendar, ctx.options, combined.chosen)
        assert combined.objective == exact
        assert verify_timetable(ctx.instance, _timetable_of(ctx, combined)).ok
    same = adapter.merge(solved[0][1], start, solved[0][1], solved[0][0])
    assert same is None  # its own courses changed meanwhile
    assert merged >= 1


def _timetable_of(ctx, incumbent):
    from scheduler.model.solve import timetable_of

    return timetable_of(ctx.options, incumbent.chosen)


def test_the_incumbent_is_a_complete_hint_of_its_sub_model(started):
    """Every variable of a neighbourhood's sub-model is hinted, auxiliary ones too, to the
    incumbent's values: the hint alone, fixed, is a solution costing what the incumbent
    costs there."""
    ctx, start = started
    free = set(sorted({ctx.options.options[i].course.id for i in start.chosen})[:6])
    part = SubModel.build(ctx, start.chosen, free)
    evaluation = part.evaluate(start.chosen, SUB)
    assert evaluation.costs is not None and evaluation.values is not None
    model = part.tm.model
    hint_values(model, evaluation.values)
    hint = model.proto.solution_hint
    assert sorted(hint.vars) == list(range(len(model.proto.variables)))
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    assert part.tier_costs(solver) == evaluation.costs
    hint_values(model, None)  # no values: no hint at all
    assert len(model.proto.solution_hint.vars) == 0


def test_each_neighbourhood_search_starts_from_a_complete_hint(started, monkeypatch):
    """The search of a neighbourhood (after measuring the incumbent in it) gets every
    variable of its sub-model hinted."""
    ctx, start = started
    searched = []

    def spy(model, params, *args, **kwargs):
        if len(model.proto.solution_hint.vars):
            searched.append(len(model.proto.solution_hint.vars) == len(model.proto.variables))
        return run_cpsat(model, params, *args, **kwargs)

    monkeypatch.setattr(lns_module, "run_cpsat", spy)
    free = set(sorted({ctx.options.options[i].course.id for i in start.chosen})[:5])
    lns_module.improve_neighbourhood(ctx, start, free, SUB)
    assert searched == [True]


def test_the_term_timetables_sub_problem_limits_reach_the_engine():
    for limit in (LnsSettings().sub_deterministic_limit, 0.3, None):
        settings = LnsSettings(sub_deterministic_limit=limit, sub_time_limit=4.0).search(22, 60)
        assert (settings.sub_deterministic_limit, settings.sub_time_limit) == (limit, 4.0)


def test_search_settings_of_the_term_timetable_follow_its_size():
    settings = LnsSettings(initial_size=5, min_size=2, threads=1).search(22, 60)
    assert isinstance(settings, SearchSettings)
    assert (settings.initial_size, settings.min_size, settings.max_size) == (5, 2, 22)
    assert settings.threads == 1 and settings.sub_parameters == {"linearization_level": 2}
    rounds = LnsSettings(sub_presolve_iterations=1).search(22, 60).sub_parameters
    assert rounds == {"linearization_level": 2, "max_presolve_iterations": 1}
    assert settings.restarts and settings.patience == 6.0
    assert not LnsSettings(stagnation=None).search(22, 60).restarts
    with pytest.raises(ValueError, match="Expected operators among"):
        LnsSettings(operators=("teleport",))
    with pytest.raises(ValueError, match="Expected operators among"):
        LnsSettings(polish_operators=("teleport",))
    assert search  # the engine both models use


def test_the_search_after_the_whole_model_draws_from_the_polishing_operators():
    assert LnsSettings().operators == tuple(OPERATORS)
    polishing = LnsSettings().polishing()
    assert polishing.operators == params_module.POLISH_OPERATORS
    assert set(polishing.operators) < set(OPERATORS)
    assert LnsSettings(polish_operators=None).polishing().operators == tuple(OPERATORS)
    assert LnsSettings(polish_operators=("days",)).polishing().operators == ("days",)


def test_a_week_of_intensive_teaching_moves_only_within_its_dates(started):
    ctx, start = started
    adapter = TimetableAdapter(ctx)
    rng = random.Random(1)
    for _ in range(10):
        release = adapter.operators()["days"](start, rng, 3)
        assert release is not None and release.dates is not None and len(release.dates) == 7
        result = adapter.solve(start, start.objective, release, SUB, lambda cost: None)
        if result.state is None:
            continue
        exact, _ = evaluate(ctx.instance, ctx.calendar, ctx.options, result.state.chosen)
        assert result.cost == exact
        outside = {i for i, option in enumerate(ctx.options.options)
                   if option.course.id in release.free and not option.weekly
                   and option.days[0].date not in release.dates}
        assert {i: v for i, v in start.chosen.items() if i in outside} == \
            {i: v for i, v in result.state.chosen.items() if i in outside}
        return
    pytest.fail("no week of intensive teaching improved")


def test_guided_neighbourhoods_learn_where_the_cost_is(started):
    ctx, start = started
    adapter = TimetableAdapter(replace(ctx, settings=replace(ctx.settings, guided=True)))
    release = adapter.operators()["teacher"](start, random.Random(3), 3)
    result = adapter.solve(start, start.objective, release, SUB, lambda cost: None)
    assert set(adapter.index.heat) == set(release.free)
    assert all(h >= 0 for h in adapter.index.heat.values())
    assert result.cost is None or result.cost <= start.objective


@pytest.mark.parametrize("tier", ["norm", "comfort"])
def test_a_tier_sub_search_minimises_its_tier_with_the_tiers_before_held(started, tier):
    """In a lexicographic solve a neighbourhood minimises one tier; the norm tier, held in the
    comfort tier's search, never grows; the tier costs kept by the search are exact."""
    ctx, start = started
    held = (("norm", start.tiers["norm"]),) if tier == "comfort" else ()
    adapter = TimetableAdapter(ctx, Goal(tier, held))
    assert adapter.cost(start) == start.tiers[tier] > 0
    improved = _cohort_results(ctx, adapter, start)
    for result, exact in improved:
        assert result.state.tiers == exact.tiers and result.state.objective == exact.objective
        assert result.cost == exact.tiers[tier] < start.tiers[tier]
        if held:
            assert exact.tiers["norm"] <= start.tiers["norm"]
    assert len(improved) >= 1


@pytest.mark.parametrize("weigh", [True, False], ids=["weighed", "accepted"])
def test_a_tier_sub_search_breaks_ties_by_the_tiers_after_it(started, weigh):
    """Minimising the norm tier with ties broken by comfort (weighed in the sub-models or
    only in what is kept): the cost is the pair (norm, comfort); a result never raises the
    norm tier, and at an equal norm tier it lowers comfort; the pairs kept are exact."""
    ctx, start = started
    adapter = TimetableAdapter(ctx, Goal("norm", (), ("comfort",), weigh))
    assert adapter.cost(start) == (start.tiers["norm"], start.tiers["comfort"])
    assert adapter.scalar(adapter.cost(start)) == start.tiers["norm"]
    results = _cohort_results(ctx, adapter, start)
    for result, exact in results:
        assert result.state.tiers == exact.tiers
        assert result.cost == (exact.tiers["norm"], exact.tiers["comfort"])
        assert result.cost < adapter.cost(start)
    assert results


def _cohort_results(ctx, adapter, start):
    """(result, its timetable measured again from scratch) for each of 12 cohort
    neighbourhoods of ``start`` (4 courses, seed 4) whose sub-search kept a timetable."""
    rng = random.Random(4)
    found = []
    for _ in range(12):
        release = adapter.operators()["cohort"](start, rng, 4)
        result = adapter.solve(start, adapter.cost(start), release, SUB, lambda cost: None)
        if result.state is not None:
            found.append((result, measure(ctx.instance, ctx.calendar, ctx.options,
                                          result.state.chosen)))
    return found


def test_the_tie_break_weight_exceeds_what_the_later_tiers_can_range_over():
    """The tier's coefficient in a tie-breaking sub-model is one more than the span of the
    later tiers' expression over its variables' domains (negated literals included)."""
    model = cp_model.CpModel()
    x = model.new_int_var(2, 7, "x")
    b = model.new_bool_var("b")
    assert lns_module._span(model, 3 * x - 2 * b + 4 * ~b + 9) == 3 * 5 + 6  # -2 b + 4 (1 - b)
    assert lns_module._span(model, 0) == 0


def test_lns_tiers_breaks_ties_of_each_tier_by_the_tiers_after_it(started, monkeypatch):
    """With ``break_ties`` each tier's LNS breaks ties by the tiers after it (weighed in its
    sub-models with ``weigh_ties``); without it, by nothing; the last tier has nothing after
    it."""
    ctx, start = started
    goals: list = []

    def record(ctx, best, deadline, bound=None, goal=None):
        goals.append(goal)
        return LnsResult(best, 0, 0, 0)

    monkeypatch.setattr(tiers_module, "run_lns", record)
    for break_ties, weigh in itertools.product((True, False), repeat=2):
        goals.clear()
        settings = replace(ctx.settings, break_ties=break_ties, weigh_ties=weigh)
        tiers_module.lns_tiers(replace(ctx, settings=settings), start,
                               time.perf_counter() + 30, ["norm", "comfort"], None, warm=False)
        expected = ("comfort",) if break_ties else ()
        assert [(g.tier, g.then) for g in goals] == [("norm", expected), ("comfort", ())]
        assert all(g.weigh_then == weigh for g in goals)


def test_lns_tiers_searches_only_the_tiers_asked_for_and_holds_the_others(started,
                                                                          monkeypatch):
    """After the whole model's tiers (``polish_every_tier`` off) LNS searches the last tier
    alone: the norm tier is held at the start's value, never searched, and the bounds given
    are reported, capped at the costs."""
    ctx, start = started
    goals: list = []
    real = tiers_module.run_lns

    def spy(ctx, best, deadline, bound=None, goal=None):
        goals.append(goal)
        return real(ctx, best, deadline, bound, goal)

    monkeypatch.setattr(tiers_module, "run_lns", spy)
    result, outcomes = tiers_module.lns_tiers(
        ctx, start, time.perf_counter() + 3, ["norm", "comfort"], None, warm=False,
        bounds={"norm": 5, "comfort": 0}, searched=["comfort"])
    assert goals == [Goal("comfort", (("norm", start.tiers["norm"]),))]
    best = result.incumbent
    assert best.tiers["norm"] <= start.tiers["norm"]
    assert best.tiers["comfort"] <= start.tiers["comfort"]
    assert [(t.name, t.cost, t.bound) for t in outcomes] == [
        ("norm", best.tiers["norm"], 5), ("comfort", best.tiers["comfort"], 0)]


def test_the_engine_solves_the_tiers_in_order_and_reports_them():
    """Large-neighbourhood search (forced on the tiny instance) minimises the norm tier
    first: its norm tier is no worse than a flat solve's, and each tier is reported with the
    verifier's cost; a flat solve reports no tiers."""
    instance = tiny_instance()
    instance = replace(instance, levels=RuleLevels.from_pairs(
        [("cohort_single_meeting_day", "norm"), ("cohort_idle_period", "norm")]))
    settings = LnsSettings(full_model_options=0, construct_options=0)
    params = SolverParams(time_limit=6, workers=1, seed=0)
    tiered = solve_timetable(instance, params, settings=settings)
    flat = solve_timetable(instance, params, request=SolveRequest(flat=True),
                           settings=settings)
    assert tiered.stats.params["strategy"].endswith("+ lns")
    verified = verify_timetable(instance, tiered.timetable)
    assert verified.ok
    assert [(t.name, t.cost) for t in tiered.tiers] == [
        ("norm", verified.tiers["norm"]), ("comfort", verified.tiers["comfort"])]
    assert all(t.bound is None or t.bound <= t.cost for t in tiered.tiers)
    assert flat.tiers == ()
    assert verified.tiers["norm"] <= verify_timetable(instance, flat.timetable).tiers["norm"]


@pytest.mark.parametrize("flat", [True, False], ids=["flat", "tiers"])
def test_a_whole_model_solve_ends_with_lns_from_its_timetable(fall_instance, monkeypatch,
                                                              flat):
    """On the default instance (a whole-model solve), the last ``polish_share`` of the
    optimisation, flat or tiered, goes to LNS from the whole model's timetable: the result
    says so, costs what the verifier recomputes (each tier too) and stays above its bounds;
    with ``polish_share`` 0 the whole model runs alone."""
    drawn_from: list[tuple[str, ...]] = []
    operators = lns_module.TimetableAdapter.operators

    def spy(adapter):
        drawn_from.append(tuple(adapter.names))
        return operators(adapter)

    monkeypatch.setattr(lns_module.TimetableAdapter, "operators", spy)
    params = SolverParams(time_limit=15, workers=2, seed=0)
    polished = solve_timetable(fall_instance, params, request=SolveRequest(flat=flat))
    stats = polished.stats
    assert stats.params["strategy"] == "whole model + lns", polished.not_optimised
    assert drawn_from and set(drawn_from) == {params_module.POLISH_OPERATORS}
    assert stats.params["lns_iterations"] >= 1
    verification = verify_timetable(fall_instance, polished.timetable)
    assert verification.ok
    assert stats.objective == verification.objective
    assert {k: v for k, v in polished.objective_terms.items() if v} == {
        k: v for k, v in verification.costs.items() if v}
    assert stats.best_bound is not None and stats.best_bound <= verification.objective
    if flat:
        assert polished.tiers == ()
    else:
        assert [(t.name, t.cost) for t in polished.tiers] == [
            ("norm", verification.tiers["norm"]), ("comfort", verification.tiers["comfort"])]
        assert all(t.bound is None or t.bound <= t.cost for t in polished.tiers)
        norm = polished.tiers[0]
        assert norm.bound is not None and norm.bound >= 168  # the norm tier's floor
    with pytest.raises(ValueError, match="polish_share"):
        LnsSettings(polish_share=1.0)

    def no_lns(*args, **kwargs):
        raise AssertionError("LNS ran with polish_share 0")

    monkeypatch.setattr(solve_module, "run_lns", no_lns)
    monkeypatch.setattr(tiers_module, "run_lns", no_lns)
    alone = solve_timetable(fall_instance, replace(params, time_limit=3 if flat else 4),
                            request=SolveRequest(flat=flat),
                            settings=LnsSettings(polish_share=0))
    assert alone.has_timetable and "strategy" not in alone.stats.params


@pytest.mark.parametrize("flat", [True, False], ids=["flat", "tiers"])
def test_when_the_whole_model_finds_nothing_lns_starts_from_the_first_timetable(
        fall_instance, monkeypatch, flat):
    """On a loaded machine the whole model can end its share of the time without a
    timetable: the time kept for LNS is not lost, LNS starts from phase 1's timetable (here
    every whole-model search stops after its presolve, with no solution)."""
    real = params_module.optimisation_params

    def presolve_only(params):
        tuned = real(params)
        return replace(tuned, extra={**tuned.extra, "stop_after_presolve": True})

    monkeypatch.setattr(solve_module, "optimisation_params", presolve_only)
    monkeypatch.setattr(tiers_module, "optimisation_params", presolve_only)
    params = SolverParams(time_limit=10, workers=2, seed=0)
    result = solve_timetable(fall_instance, params, request=SolveRequest(flat=flat))
    stats = result.stats
    assert not result.not_optimised
    assert stats.params["strategy"] == "whole model + lns"
    assert stats.params["lns_iterations"] >= 1
    verification = verify_timetable(fall_instance, result.timetable)
    assert verification.ok and stats.objective == verification.objective
    if not flat:
        assert [(t.name, t.cost) for t in result.tiers] == [
            ("norm", verification.tiers["norm"]), ("comfort", verification.tiers["comfort"])]
        assert all(t.bound is None or t.bound <= t.cost for t in result.tiers)

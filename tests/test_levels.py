"""Rule levels: the weights table's level column, hard rules, and the lexicographic solve.

Norm rules are minimised before comfort rules, a hard rule is a constraint that the model keeps,
the verifier checks and the explanation names; ``--flat`` keeps one weighted sum.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.errors import InputError
from scheduler.explain import explain_infeasibility
from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance
from scheduler.levels import RuleLevels
from scheduler.model.params import SolveRequest
from scheduler.model.solve import solve_timetable
from scheduler.verify import verify_timetable
from tests.tiny import (
    ARRIVALS,
    ROOM_BOOKINGS,
    tiny_instance,
    valid_timetable,
    with_bookings_and_arrival,
)

PARAMS = SolverParams(time_limit=20, workers=2, seed=0)


def hard(instance, *rules: str, **weights: int):
    return replace(instance, weights=replace(instance.weights, **weights),
                   levels=RuleLevels.from_pairs([(r, "hard") for r in rules]))


def write_weights(folder: Path, text: str) -> Path:
    """The tiny instance as CSV files with ``text`` as its weights table."""
    write_instance(tiny_instance(), folder)
    (folder / "weights.csv").write_text(text, encoding="utf-8")
    return folder


# --- the level column --------------------------------------------------------------------------

def test_levels_are_read_from_the_weights_table(tmp_path):
    folder = write_weights(tmp_path / "i", "name,value,level\n"
                           "evening_period,,hard\n"
                           "seat_waste,3,norm\n"
                           "cohort_overload_period,4,norm\n"
                           "cohort_idle_period,5,\n")
    instance = read_instance(folder)
    assert instance.levels.of("evening_period") == "hard"
    assert instance.levels.of("seat_waste") == "norm"
    assert instance.levels.of("cohort_overload_period") == "norm"  # its default, stated
    assert instance.levels.of("cohort_idle_period") == "comfort"
    assert instance.weights.evening_period == 2  # blank value: the default weight
    assert instance.weights.seat_waste == 3
    # stating a default level changes nothing: equal instances
    assert instance.levels == RuleLevels.from_pairs([("evening_period", "hard"),
                                                     ("seat_waste", "norm")])


def test_the_level_column_survives_a_workbook_round_trip(tmp_path):
    instance = hard(tiny_instance(), "lunch_break_missed")
    instance = replace(instance, levels=RuleLevels.from_pairs(
        [*instance.levels.overrides, ("evening_period", "comfort")]))
    write_instance(instance, tmp_path / "i.xlsx")
    back = read_instance(tmp_path / "i.xlsx")
    assert back.levels == instance.levels
    assert back.levels.of("evening_period") == "comfort"


@pytest.mark.parametrize(("row", "message"), [
    ("cohort_daily_cap,8,hard", "cohort_daily_cap has no level: it is a threshold"),
    ("unplaced_period,,norm", "unplaced_period has no level: it is always placed first"),
    ("evening_period,,", "evening_period has neither a value nor a level"),
    ("evening_period,2,must", "expected one of hard, norm, comfort"),
])
def test_a_wrong_level_is_located(tmp_path, row, message):
    folder = write_weights(tmp_path / "i", f"name,value,level\n{row}\n")
    with pytest.raises(InputError) as caught:
        read_instance(folder)
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.row == 2
    assert problem.column in ("level", "value")


# --- hard rules -----------------------------------------------------------------------------------

def test_a_hard_rule_is_kept_by_the_solver_and_checked_by_the_verifier():
    instance = hard(tiny_instance(), "cohort_overload_period", cohort_daily_cap=4)
    result = solve_timetable(instance, PARAMS)
    assert result.has_timetable
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok
    assert verification.costs["cohort_overload_period"] == 0
    # the valid timetable of tests/tiny.py has a day of 6 periods for C1-A (W1, W2, I1 on
    # Monday 09-14): the verifier rejects it under the hard rule, not without it
    busy = valid_timetable()
    loose = verify_timetable(replace(instance, levels=RuleLevels()), busy)
    strict = verify_timetable(instance, busy)
    assert loose.ok
    office = [v for v in strict.violations if v.rule == "office rule"]
    assert len(office) == 1
    assert "cohort_overload_period is hard" in office[0].message
    assert f"counts {loose.costs['cohort_overload_period']}" in office[0].message


def test_a_hard_norm_rule_that_counting_forces_is_explained_by_its_counts_before_any_search():
    """A daily cap of 1 forces overloaded periods (C1's Monday courses alone exceed it): the
    structural bound proves the hard rule broken by every timetable, so the solve is
    INFEASIBLE at once (no search that ends UNKNOWN), and the explanation names the rule and
    the counts that force it."""
    instance = hard(tiny_instance(), "cohort_overload_period", cohort_daily_cap=1)
    result = solve_timetable(instance, PARAMS)
    assert result.status == SolveStatus.INFEASIBLE and result.stats is None  # no search
    assert result.explanation[0].startswith("cohort_overload_period is hard for this instance")
    assert "at least" in result.explanation[1]
    explanation = explain_infeasibility(instance, 20)
    assert explanation.proven
    (conflict,) = explanation.conflicts
    assert conflict.kind == "arithmetic" and conflict.courses
    assert "every timetable counts at least" in conflict.sentence
    assert all("overload period" in r for r in conflict.requirements)
    assert "level norm" in conflict.fix


def test_an_impossible_hard_rule_that_counting_misses_is_explained_by_name():
    """A comfort rule made hard (one meeting a day for a cohort is not allowed) that no count
    covers: the solver proves it and the core names the rule."""
    instance = hard(tiny_instance(), "cohort_single_meeting_day")
    result = solve_timetable(instance, PARAMS)
    assert result.status == SolveStatus.INFEASIBLE
    explanation = explain_infeasibility(instance, 20)
    text = "\n".join(explanation.lines())
    assert "cohort_single_meeting_day made hard" in text, text


# --- tiers --------------------------------------------------------------------------------------

def test_norms_come_before_comfort():
    # the overload cap of 2 forces overload; a comfort weight larger than any overload
    # saving would make a flat solve trade overload for comfort, the tiered one never does
    instance = replace(tiny_instance(), weights=replace(
        tiny_instance().weights, cohort_daily_cap=2, cohort_building_change=200,
        cohort_single_meeting_day=200))
    tiered = solve_timetable(instance, PARAMS)
    flat = solve_timetable(instance, PARAMS, request=SolveRequest(flat=True))
    assert tiered.status == SolveStatus.OPTIMAL and flat.status == SolveStatus.OPTIMAL
    names = [t.name for t in tiered.tiers]
    assert names == ["norm", "comfort"]
    norm = tiered.tiers[0]
    assert norm.optimal and norm.bound == norm.cost
    flat_norm = 4 * flat.objective_terms["cohort_overload_period"]
    assert norm.cost <= flat_norm
    assert tiered.objective_terms["cohort_overload_period"] * 4 == norm.cost
    # the flat solve is optimal for the weighted sum, so it is no worse there
    assert flat.stats.objective <= tiered.stats.objective
    assert not flat.tiers


def test_a_lexicographic_solve_of_rules_in_one_tier_reports_that_tier():
    """The tiny term has comfort rules only (no evening session, no cap reached): its
    lexicographic solve is one weighted sum, proven optimal, and its result listed no tier at
    all, while its docstring promises each tier's cost, bound and proof."""
    result = solve_timetable(tiny_instance(), PARAMS)
    assert result.status == SolveStatus.OPTIMAL
    cost = verify_timetable(tiny_instance(), result.timetable).tiers["comfort"]
    assert [t.as_dict() for t in result.tiers] == [
        {"name": "comfort", "cost": cost, "bound": cost, "optimal": True}]
    flat = solve_timetable(tiny_instance(), PARAMS, request=SolveRequest(flat=True))
    assert flat.status == SolveStatus.OPTIMAL and flat.tiers == ()


def test_the_last_tier_is_bounded_by_the_whole_objective_less_the_tiers_before():
    """A flat solve proven optimal bounds every timetable's total by its objective; with the
    norm tier at its value, the comfort tier can then cost no less than the rest, so it is
    reported proven minimal given the norm tier (and the norm tier keeps its own bound)."""
    from scheduler.pipeline import SolveOutcome

    instance = replace(tiny_instance(), weights=replace(tiny_instance().weights,
                                                        cohort_daily_cap=2))
    flat = solve_timetable(instance, PARAMS, request=SolveRequest(flat=True))
    assert flat.status == SolveStatus.OPTIMAL
    verification = verify_timetable(instance, flat.timetable)
    norm, comfort = SolveOutcome(instance, flat, verification).tiers
    assert norm.cost > 0 and comfort.cost > 0
    assert comfort.bound == comfort.cost == verification.objective - norm.cost
    assert comfort.optimal
    # a weaker whole bound leaves the comfort tier without a proof, never with a wrong one
    weak = replace(flat, stats=replace(flat.stats, best_bound=float(norm.cost + 1)))
    _, comfort = SolveOutcome(instance, weak, verification).tiers
    assert comfort.bound == 1 and not comfort.optimal
    none = replace(flat, stats=replace(flat.stats, best_bound=float(norm.cost)))
    assert SolveOutcome(instance, none, verification).tiers[1].bound is None


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(ROOM_BOOKINGS, ARRIVALS)
def test_the_tiered_norm_never_exceeds_the_flat_one(room_bookings, arrival):
    instance = with_bookings_and_arrival(room_bookings, arrival)
    instance = replace(instance, weights=replace(instance.weights, cohort_daily_cap=3))
    quick = replace(PARAMS, time_limit=5)
    tiered = solve_timetable(instance, quick)
    assume(tiered.status != SolveStatus.INFEASIBLE)
    flat = solve_timetable(instance, quick, request=SolveRequest(flat=True))
    assert tiered.has_timetable and flat.has_timetable
    assume(tiered.tiers and tiered.tiers[0].optimal)
    verified = verify_timetable(instance, tiered.timetable)
    assert verified.ok
    assert verified.tiers.get("norm", 0) == tiered.tiers[0].cost
    flat_norm = verify_timetable(instance, flat.timetable).tiers.get("norm", 0)
    assert tiered.tiers[0].cost <= flat_norm
    for tier in tiered.tiers:
        assert tier.bound is None or tier.bound <= tier.cost


def test_no_evening_teaching_on_the_default_term_is_proven_impossible_by_counting(tmp_path):
    """The office forbids evening teaching on the shipped default term: Иванова's 48 periods
    of Linear Algebra in 15 teaching days do not fit IoT-2026-1-CN's free daytime periods.
    ``scheduler solve`` says so at once (exit 3, the counts under the rule), where a search
    ended UNKNOWN after 30 s ("feasibility unknown") before."""
    import json
    import shutil

    from click.testing import CliRunner

    import cli

    folder = tmp_path / "term"
    shutil.copytree(Path(__file__).resolve().parents[1] / "instances" / "cqupt-fefu-2026-fall",
                    folder)
    (folder / "weights.csv").write_text("name,value,level\nevening_period,2,hard\n",
                                       encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["solve", str(folder), "-o", str(out), "-t", "10",
                                           "-q"])
    assert result.exit_code == 3, result.output
    assert "evening_period is hard for this instance" in result.output
    assert "Linear Algebra" in result.output and "IoT-2026-1-CN" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "INFEASIBLE" and summary["conflicts"]["proven"]
    assert "LINALG101" in summary["conflicts"]["conflicts"][0]["courses"]


def test_a_hard_avoided_period_rule_forced_by_one_count_prints_that_count(tmp_path):
    """The explanation said "the counts below force it" and listed none when one count
    forced the rule (it was only in summary.json)."""
    from click.testing import CliRunner

    import cli

    folder = tmp_path / "tiny"
    write_instance(tiny_instance(), folder)
    with open(folder / "preferences.csv", "a", encoding="utf-8") as handle:
        handle.write("T1,avoid,,,\n")  # every period of every day
    text = (folder / "weights.csv").read_text(encoding="utf-8")
    (folder / "weights.csv").write_text(text.replace("teacher_avoided_period,5,norm",
                                                     "teacher_avoided_period,5,hard"),
                                        encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["solve", str(folder), "-o", str(tmp_path / "out"),
                                           "-q", "-t", "5"])
    assert result.exit_code == 3, result.output
    assert "the counts below force it" in result.output
    counts = [line for line in result.output.splitlines() if line.startswith("    · ")]
    assert len(counts) == 1 and "avoided periods for" in counts[0], result.output

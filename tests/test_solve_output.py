"""What ``scheduler solve`` prints after a tiered solve, as a user sees it (issue 16 §4).

The headline first, then what students and teachers notice, then each tier with its bound and
the forced part of each norm in words, then the weighted table; the plain figures agree with
the verifier's counts and with ``summary.json``.
"""

from __future__ import annotations

import json
from dataclasses import replace

from click.testing import CliRunner

import cli
from scheduler.io.writer import write_instance
from scheduler.render import WEAK_GAP
from tests.tiny import tiny_instance


def solve_tiny(tmp_path, *extra: str):
    # a daily cap of 2 forces overload: the intensive course needs 6 periods in one week
    instance = replace(tiny_instance(), weights=replace(tiny_instance().weights,
                                                        cohort_daily_cap=2))
    folder = tmp_path / "tiny"
    write_instance(instance, folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["solve", str(folder), "-o", str(out), "-q",
                                           "-t", "10", "-w", "2", *extra])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return result, summary


def test_solve_prints_the_headline_the_plain_figures_the_tiers_then_the_table(tmp_path):
    result, summary = solve_tiny(tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(("OPTIMAL: 13 meetings", "FEASIBLE: 13 meetings"))
    order = [next(i for i, line in enumerate(lines) if line.startswith(text))
             for text in ("What students and teachers will notice", "norm tier: cost",
                          "comfort tier: cost", "Objective by soft constraint")]
    assert order == sorted(order)
    # the forced overload is explained in words, and the norm tier meets its bound
    norm = next(t for t in summary["tiers"] if t["name"] == "norm")
    assert norm["bound"] == norm["cost"] == 16 and norm["optimal"] is True
    assert "norm tier: cost 16 (proven minimal)" in lines
    assert any("at least 2 overload periods for C1-A in 2026-09-14..09-18: Linear algebra"
               in line for line in lines)
    # without --verbose the whole objective's gap is printed only where it says something;
    # where the bound is too weak, one plain sentence says so instead
    weak = summary["gap"] is not None and summary["gap"] > WEAK_GAP
    assert ("gap" in lines[0]) is not weak
    assert ("is too weak to say how far" in result.output) is weak


def test_summary_json_holds_every_reason_of_the_norms_forced_part(tmp_path):
    """The CLI refers to summary.json for the reasons it does not print: they are there,
    and each rule's reasons add up to its forced count."""
    _, summary = solve_tiny(tmp_path)
    bounds = {b["rule"]: b for b in summary["norm_bounds"]}
    overload = bounds["cohort_overload_period"]
    assert overload["count"] == sum(r["count"] for r in overload["reasons"]) > 0
    assert all(r["sentence"].startswith("at least ") for r in overload["reasons"])
    rules = {r["rule"]: r for r in summary["rules"]}
    assert rules["cohort_overload_period"]["bound"] == \
        overload["count"] * rules["cohort_overload_period"]["weight"]


def test_the_plain_figures_agree_with_the_verified_counts(tmp_path):
    _, summary = solve_tiny(tmp_path)
    plain = summary["plain"]
    rules = {r["rule"]: r for r in summary["rules"]}
    assert plain["daily_cap"] == 2
    assert plain["evening_periods"] == sum(g["evening_periods"] for g in plain["groups"])
    assert plain["days_over_cap"] == sum(g["days_over_cap"] for g in plain["groups"])
    # each day over the cap of 2 carries at least one overload period
    assert 0 < plain["days_over_cap"] <= rules["cohort_overload_period"]["count"]
    assert {g["cohort_id"] for g in plain["groups"]} == {"C1-A", "C1-B", "C2"}
    (visitor,) = plain["visitors"]
    assert visitor["teaching_days"] <= visitor["days_on_site"]
    assert rules["visitor_teaching_day"]["count"] == visitor["teaching_days"]


def test_verbose_prints_the_whole_objectives_bound_and_gap(tmp_path):
    result, summary = solve_tiny(tmp_path, "--verbose")
    assert result.exit_code == 0, result.output
    headline = result.output.splitlines()[0]
    assert f"bound {summary['best_bound']:g}, gap " in headline
    assert "too weak to say" not in result.output


def test_a_flat_solves_bound_is_at_least_the_norms_forced_part(tmp_path):
    """CP-SAT's bound of the weighted sum can be below what the norms' counting proves;
    the whole objective costs at least that part (a whole smaller than one of its parts
    was printed). On the tiny instance CP-SAT proves optimality, so the rule is also
    checked on a result whose CP-SAT bound is 0."""
    from types import SimpleNamespace

    from scheduler.cpsat import RunStats, SolveStatus
    from scheduler.model.solve import SolveResult, _with_structural_bound

    result, summary = solve_tiny(tmp_path, "--flat")
    assert result.exit_code == 0, result.output
    norm = next(t for t in summary["tiers"] if t["name"] == "norm")
    assert norm["bound"] == 16
    assert summary["best_bound"] >= 16

    from scheduler.model.norm_bounds import NormBounds, RuleBound
    instance = tiny_instance()
    floors = NormBounds((RuleBound("cohort_overload_period", 4, ()),
                         RuleBound("evening_period", 3, ())))
    stats = RunStats(SolveStatus.FEASIBLE, 100.0, 0.0, 1.0, 0.1, 1, False, 0, 0, {})
    weak = SolveResult(SolveStatus.FEASIBLE, None, stats, norm_bounds=floors)
    ctx = SimpleNamespace(instance=instance)
    weights = instance.weights
    floor = 4 * weights.cohort_overload_period + 3 * weights.evening_period
    raised = _with_structural_bound(ctx, weak)  # type: ignore[arg-type]
    assert raised.stats is not None and raised.stats.best_bound == floor
    strong = replace(weak, stats=replace(stats, best_bound=float(floor + 5)))
    assert _with_structural_bound(ctx, strong) is strong  # type: ignore[arg-type]


def test_the_headline_and_the_bound_sentence_in_chinese(tmp_path):
    result, _ = solve_tiny(tmp_path, "--lang", "zh")
    assert result.exit_code == 0, result.output
    headline = result.output.splitlines()[0]
    assert headline.startswith(("最优：", "最优: ", "可行: ", "可行：")), headline
    assert "too weak" not in result.output and "FEASIBLE" not in result.output


def test_reasons_beyond_three_are_counted_not_dropped():
    """Under a norm, three reasons are printed and the others counted with their forced
    part, so that the reasons shown add up to the count with the line below them."""
    from types import SimpleNamespace

    from scheduler.model.norm_bounds import CourseCertificate, NormBounds, RuleBound
    from scheduler.model.tiers import TierOutcome
    from scheduler.pipeline import TermCost
    from scheduler.render import tier_lines

    reasons = tuple(CourseCertificate("evening_period", n, f"C{n}", f"Course {n}", ("T",), 2,
                                      True) for n in (1, 2, 3, 4, 5))
    outcome = SimpleNamespace(
        tiers=(TierOutcome("norm", 40, 30, False),),
        terms=(TermCost("evening_period", 20, 2, 40, "norm", 30),),
        result=SimpleNamespace(norm_bounds=NormBounds((RuleBound("evening_period", 15,
                                                                 reasons),))))
    lines = tier_lines(outcome)  # type: ignore[arg-type]
    assert lines[0] == "[bold]norm tier:[/] cost 40 (at least 30 of it is unavoidable)"
    assert lines[1] == ("  evening_period: count 20 (at least 15 forced), weight 2, cost 40")
    assert [line.split(" evening")[0].strip() for line in lines[2:5]] == [
        "at least 1", "at least 2", "at least 3"]
    assert lines[5] == ("    ... and 2 more reasons, 9 forced in all (summary.json, "
                        "norm_bounds)")

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
    assert f"bound {summary['best_bound']}, gap " in headline
    assert "too weak to say" not in result.output

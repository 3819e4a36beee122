"""Scenario changes to the trip rules of planned visitors (change_trip_rules), and a sweep
over a rule's values."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.io.reader import read_instance
from scheduler.paths import INSTANCES_DIR
from scheduler.scenarios import apply_scenario, parse_scenario, read_scenario, read_sweep

D = dt.date
PLANNED = INSTANCES_DIR / "cqupt-fefu-2026-fall-planned"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"


@pytest.fixture(scope="module")
def planned():
    return read_instance(PLANNED)


def test_visa_free_entry_not_extended_changes_the_institution_s_rules(planned):
    result = apply_scenario(planned, read_scenario(
        PLANNED / "scenarios" / "visa-free-entry-not-extended.yaml"))
    for teacher in ("FEFU-PETROV", "FEFU-SMIRNOVA"):
        plan = result.instance.trip_plan(teacher)
        assert plan is not None
        assert (plan.max_stay_days, plan.cost_per_trip) == (90, 80)
        assert plan.rest_days == 1  # the row's other rules are kept
    # Смирнова's own row (earliest arrival 2026-10-01) is changed too: the visa delays
    # every visitor, as the scenario's description says
    assert result.instance.trip_plan("FEFU-PETROV").earliest_arrival == D(2026, 10, 12)
    assert result.instance.trip_plan("FEFU-SMIRNOVA").earliest_arrival == D(2026, 10, 12)
    assert result.notes[0] == ("trip rules of FEFU's visitors: earliest_arrival 2026-09-14 → "
                               "2026-10-12, max_stay_days 30 → 90, cost_per_trip 30 → 80")
    assert len(result.notes) == 2 and "2026-10-01 → 2026-10-12" in result.notes[1]
    # Иванова and Козлов keep their travel windows: their courses are not touched (they
    # moved against a baseline although nothing changed for them)
    assert result.touched.teachers == {"FEFU-PETROV", "FEFU-SMIRNOVA"}


def test_a_teacher_without_a_row_gets_one(planned):
    result = apply_scenario(planned, parse_scenario(
        "changes:\n  - change: change_trip_rules\n    teacher: FEFU-PETROV\n"
        "    max_trips: 1\n", "s.yaml"))
    assert result.instance.trip_plan("FEFU-PETROV").max_trips == 1
    assert len(result.instance.trip_rules) == len(planned.trip_rules) + 1
    # the note gives the rule that applied before (it said "None"), weekdays by name
    result = apply_scenario(planned, parse_scenario(
        "changes:\n  - {change: change_trip_rules, teacher: FEFU-SMIRNOVA, max_stay_days: 5, "
        "arrival_weekdays: Mon}\n", "s.yaml"))
    assert result.notes == ("trip rules of Смирнова Ольга Викторовна (FEFU-SMIRNOVA): "
                            "arrival_weekdays Wed;Fri;Sun (from the institution's row or the "
                            "defaults) → Mon, max_stay_days 30 (from the institution's row or "
                            "the defaults) → 5",)


def test_problems_are_reported_at_the_change(planned):
    with pytest.raises(InputError) as caught:
        apply_scenario(planned, parse_scenario(
            "changes:\n  - change: change_trip_rules\n    max_trips: 1\n"
            "  - change: change_trip_rules\n    institution: FEFU\n"
            "    latest_departure: 2026-09-01\n", "s.yaml"))
    shown = [str(p) for p in caught.value.problems]
    assert len(shown) == 2
    assert "line 2" in shown[0] and "either 'teacher' or 'institution'" in shown[0]
    assert "line 6" in shown[1] and "latest_departure 2026-09-01 is before" in shown[1]


def test_the_sweep_over_the_longest_stay_in_the_docs_applies(planned, tmp_path):
    text = DOCS.read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
                 if "Longest stay" in b)
    (tmp_path / "longest-stay.yaml").write_text(block, encoding="utf-8")
    name, scenarios = read_sweep(tmp_path / "longest-stay.yaml")
    assert name == "Longest stay per trip"
    stays = [apply_scenario(planned, s).instance.trip_plan("FEFU-PETROV").max_stay_days
             for s in scenarios]
    assert stays == [21, 45, 90]


@pytest.mark.parametrize("change", [
    "  - change: add_trip\n    teacher: FEFU-PETROV\n    arrival: 2026-12-13\n"
    "    departure: 2026-12-19\n",
    "  - change: shift_trip\n    teacher: FEFU-PETROV\n    days: 14\n"])
def test_a_fixed_trip_change_of_a_planned_visitor_points_to_the_trip_rules(planned, change):
    """add_trip turned a planned visitor into one with this single fixed trip, silently;
    shift_trip said only that there was no trip left to change."""
    with pytest.raises(InputError) as caught:
        apply_scenario(planned, parse_scenario("changes:\n" + change, "s.yaml"))
    (problem,) = caught.value.problems
    assert "the solver plans the trips of" in problem.message
    assert "change_trip_rules" in problem.fix

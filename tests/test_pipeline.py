"""The solve job: its typed outcome is what summary.json holds, and its settings."""

from __future__ import annotations

import json

import pytest

from scheduler.cpsat import SolveStatus
from scheduler.io.writer import write_instance_csv
from scheduler.model.params import LnsSettings, SolveRequest
from scheduler.pipeline import SolveSettings, solve_to_folder
from tests.tiny import tiny_instance


def test_the_outcome_is_what_summary_json_holds(tmp_path):
    folder = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), folder)
    outcome = solve_to_folder(folder, tmp_path / "out",
                              SolveSettings(time_limit=10, workers=1, seed=0))
    written = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(outcome.summary())) == written
    assert outcome.status == SolveStatus.OPTIMAL == written["status"]
    assert (outcome.objective, outcome.best_bound, outcome.gap) == (
        written["objective"], written["best_bound"], written["gap"])
    assert (outcome.solve_time, outcome.time_to_first) == (
        written["solve_time"], written["time_to_first_solution"])
    assert outcome.meetings == written["meetings"] == 13
    assert {t.name: {"count": t.count, "weight": t.weight, "cost": t.cost, "level": t.level}
            for t in outcome.terms} == written["objective_terms"]
    assert sum(t.cost for t in outcome.terms) == written["verified_objective"]
    assert not outcome.interrupted and outcome.lower_bound is None
    assert [p.name for p in outcome.files] == ["timetable.xlsx", "timetable.csv",
                                               "timetable.json", "visitors.png",
                                               "occupancy.png", "summary.json"]


def test_settings_default_to_the_instance_time_limit():
    instance = tiny_instance()
    settings = SolveSettings(workers=2, seed=3)
    assert settings.solver(instance).time_limit == 30.0  # 20 + 5 courses / 2, at least 30
    assert settings.explain_limit(instance) == 30.0
    assert SolveSettings(time_limit=7, explain_time=2).explain_limit(instance) == 2


def test_a_request_keeps_a_set_of_courses():
    request = SolveRequest(keep_courses=("W1", "W2", "W1"))
    assert request.keep_courses == frozenset({"W1", "W2"}) and request.fresh
    assert not SolveRequest(relax=True).fresh


def test_lns_settings_are_checked():
    assert LnsSettings().full_model_options == 2500
    with pytest.raises(ValueError, match="bound_share"):
        LnsSettings(bound_share=1.5)
    with pytest.raises(ValueError, match="min_size"):
        LnsSettings(initial_size=2)

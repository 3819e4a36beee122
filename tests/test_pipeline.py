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
    # the one-third rule (tests/views/test_compliance.py): FEFU teaches 39.6 % of the hours
    assert written["compliance"]["partner"] == "FEFU"
    assert written["compliance"]["overall"]["hours_share_percent"] == 39.6
    assert written["compliance"]["programmes"]["IoT"]["meets_hours"] is True
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


def test_a_large_term_s_workbooks_are_written_beside_the_other_files(tmp_path, monkeypatch):
    """Past SPLIT_AT grids, the workbooks are written in a second process, into the same
    folder, in the same order; the files are those one process writes."""
    from scheduler.exports import workbook
    from scheduler.pipeline import write_default_exports
    from tests.tiny import valid_timetable

    tiny, timetable = tiny_instance(), valid_timetable()
    one = [p.name for p in write_default_exports(tiny, timetable, tmp_path / "one")]
    monkeypatch.setattr(workbook, "SPLIT_AT", 3)
    written = write_default_exports(tiny, timetable, tmp_path / "two")
    assert [p.name for p in written] == [
        "timetable.xlsx", "timetable-cohorts.xlsx", "timetable-teachers.xlsx",
        "timetable-rooms.xlsx", "timetable-interpreters.xlsx", *one[1:]]
    assert all(p.is_file() and p.parent == tmp_path / "two" for p in written)
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(
        p.name for p in written)


def test_a_workbook_process_that_fails_says_why(tmp_path):
    from scheduler.errors import OutputError
    from scheduler.exports.background import Running, WorkbookJob
    from tests.tiny import valid_timetable

    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    job = WorkbookJob(tiny_instance(), valid_timetable(), tmp_path / "a-file" / "folder",
                      "en", {"timetable.xlsx": ()})
    with pytest.raises(OutputError, match=r"^the workbooks could not be written: cannot "
                                          r"create folder .*a-file/folder: Not a directory$"):
        Running(job).result()
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]  # nothing left behind

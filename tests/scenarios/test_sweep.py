"""Sweeps: delay scenarios written as a study, run on Dask, agree with single runs; the
robustness table."""

from __future__ import annotations

import pytest
import yaml

from scheduler.cpsat import SolveStatus
from scheduler.errors import InputError
from scheduler.io.writer import write_instance_csv
from scheduler.scenarios.jobs import sweep_to_folder
from scheduler.scenarios.run import GIVEN, run_scenario, solve_side
from scheduler.scenarios.study_engine import StudyOptions
from scheduler.scenarios.study_reader import read_study
from scheduler.scenarios.sweep import (
    DelaySweep,
    SweepParams,
    delay_scenarios,
    parse_days,
    sweep_document,
)
from scheduler.timetable_io import read_timetable, write_timetable_csv
from tests.tiny import tiny_instance

TINY = SweepParams(time_limit=20, workers=1, seed=0, explain_time=5)
"""Tiny solves prove optimality within a second; the limit only matters on a loaded machine."""


@pytest.fixture
def tiny_folder(tmp_path):
    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    return tmp_path / "tiny"


def test_delays_of_a_visitor_agree_with_single_runs(tiny_folder, tmp_path, dask_scheduler):
    # V1 teaches I1 (6 periods, at most 4 a day) on the non-travel days of 09-13..09-18;
    # the term ends on Friday 09-18. Arriving 1, 2 or 3 days late leaves 4, 3 or 2 teaching
    # days; 4 days late leaves only Friday 09-18 (4 periods < 6): the term absorbs 3 days.
    instance = tiny_instance()
    tasks = delay_scenarios(instance, ["V1"], parse_days("0:4:1"))
    assert [t.delay for t in tasks] == [1, 2, 3, 4]
    done = []
    outcome = sweep_to_folder(tiny_folder, tmp_path / "out", DelaySweep(("V1",), "0:4:1"),
                              params=TINY, options=StudyOptions(scheduler=dask_scheduler),
                              on_progress=lambda p: done.append(p.last.level("delay"))
                              if p.last else None)
    result = outcome.result
    assert result.jobs == 2 and result.minimal_change
    assert sorted(done) == ["1", "2", "3", "4"]
    (robust,) = result.robustness(instance)
    assert (robust.teacher, robust.absorbed) == ("V1", 3)
    by_delay = {p.delay: p for p in result.points}
    assert not by_delay[4].feasible and by_delay[4].status == SolveStatus.INFEASIBLE
    assert by_delay[4].reason.startswith("Иванова Е. А.: 6 periods of intensive teaching (I1) "
                                         "but only 4 periods available between 2026-09-18")
    # the base was solved once on the cluster and stored; it is the reference (delay 0)
    reference = read_timetable(tmp_path / "out" / "base" / "timetable.csv")
    base = solve_side(instance, "base", TINY)
    assert result.reference.quality == base.quality and result.reference.delay == 0
    assert result.reference.seconds == outcome.study.reference.seconds > 0  # its solve's time
    for task in tasks:  # every point is exactly a single run of the same scenario
        single = run_scenario(instance, task.scenario, TINY, baseline=reference)
        point = by_delay[task.delay]
        assert (point.status, point.feasible) == (single.changed.status, single.changed.feasible)
        if single.changed.feasible:
            assert single.changed.status == SolveStatus.OPTIMAL
            assert point.quality == single.changed.quality
            assert point.moved == single.moved_meetings
            assert point.cost_change == single.changed.quality - base.quality
    names = {p.name for p in outcome.files}
    assert names >= {"study.yaml", "results.csv", "results.xlsx", "study.json", "study.png",
                     "robustness.md", "sweep.xlsx", "sweep.json", "sweep.png"}
    # a fresh study in this folder removes every table and picture written here
    from scheduler.scenarios.study_store import EARLIER_TABLES
    assert names - {"study.yaml"} <= set(EARLIER_TABLES), names - set(EARLIER_TABLES)
    import openpyxl

    robustness = openpyxl.load_workbook(tmp_path / "out" / "sweep.xlsx")["robustness"]
    header = [c.value for c in robustness[1]]
    absorbed = robustness.cell(2, header.index("largest delay absorbed (days)") + 1).value
    assert isinstance(absorbed, int)  # a number, not the text of one


def test_a_fresh_sweep_agrees_with_fresh_single_runs(tiny_folder, tmp_path, dask_scheduler):
    instance = tiny_instance()
    outcome = sweep_to_folder(tiny_folder, tmp_path / "out", DelaySweep(("all",), "2"),
                              params=SweepParams(time_limit=20, workers=1, fresh=True),
                              options=StudyOptions(scheduler=dask_scheduler))
    (point,) = outcome.result.points
    reference = solve_side(instance, "base", TINY)
    single = run_scenario(instance, delay_scenarios(instance, None, [2])[0].scenario, TINY,
                          reference=reference)
    assert not outcome.result.minimal_change and single.changed.status == SolveStatus.OPTIMAL
    assert (point.quality, point.moved) == (single.changed.quality, single.moved_meetings)


def test_a_given_baseline_is_the_reference(tiny_folder, tmp_path, dask_scheduler):
    instance = tiny_instance()
    baseline = tmp_path / "baseline.csv"
    write_timetable_csv(instance, solve_side(instance, "base", TINY).timetable, baseline)
    outcome = sweep_to_folder(tiny_folder, tmp_path / "out", DelaySweep(("V1",), "2"),
                              baseline_path=baseline, params=TINY,
                              options=StudyOptions(scheduler=dask_scheduler))
    (point,) = outcome.result.points
    assert outcome.result.minimal_change and point.feasible and point.moved is not None
    assert (outcome.result.reference.status, outcome.result.reference.moved) == (GIVEN, 0)
    assert not (tmp_path / "out" / "base").exists()


def test_the_written_study_is_the_delay_scenarios(tiny_folder, tmp_path):
    instance = tiny_instance()
    for keep_departure in (False, True):
        delays = DelaySweep(("V1",), "2,7", keep_departure=keep_departure)
        document = sweep_document(instance, tiny_folder, delays, params=TINY)
        path = tmp_path / "study.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        study = read_study(path)
        tasks = delays.tasks(instance)
        assert study.base == tiny_folder.resolve() and study.time_limit == 20
        assert [s.name for s in study.scenarios] == [t.scenario.name for t in tasks]
        assert [s.at for s in study.scenarios] == [(("visitor", "V1"), ("delay", str(t.delay)))
                                                   for t in tasks]
        for item, task in zip(study.scenarios, tasks, strict=True):
            written = [type(c)(**{**vars(c), "line": 0}) for c in item.scenario.changes]
            assert written == list(task.scenario.changes)
    # arriving 7 days late but leaving as planned leaves no trip: the trip is cancelled
    assert "(no trip left)" in study.scenarios[1].name


def test_bad_sweep_arguments():
    with pytest.raises(InputError, match="'T1' is not a visiting teacher"):
        delay_scenarios(tiny_instance(), ["T1"], [7])
    with pytest.raises(InputError, match="expected start:stop:step"):
        parse_days("0-21")
    assert parse_days("0:21:7") == [0, 7, 14, 21] and parse_days("3,7") == [3, 7]


def test_an_interrupted_sweep_says_so_in_its_robustness_table():
    from scheduler.scenarios.report import sweep_markdown
    from scheduler.scenarios.sweep import SweepPoint, SweepResult

    base = SweepPoint("base", "OPTIMAL", True, 100, 0, 0)
    done = SweepPoint("V1 1 days late", "OPTIMAL", True, 104, 4, 2, teacher="V1", delay=1)
    result = SweepResult("late", base, (done,), (1,), planned=4, interrupted=True)
    text = sweep_markdown(result, tiny_instance())
    assert ("**Interrupted**: 1 of 4 scenarios finished; a visitor or delay missing below was "
            "not run (`--resume` runs the rest).") in text
    assert "Interrupted" not in sweep_markdown(SweepResult("late", base, (done,), (1,),
                                                           planned=1), tiny_instance())

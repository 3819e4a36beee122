"""Studies: the study file, scenario keys, and runs on Dask (a local cluster of two workers):
results stored as they finish, resumed after an interruption, failures and dead workers
retried once and recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from scheduler.cpsat import SolveStatus
from scheduler.errors import InputError
from scheduler.io.writer import write_instance_csv
from scheduler.scenarios.changes import RoomClosed, ShiftTrip
from scheduler.scenarios.run import ScenarioParams, run_scenario
from scheduler.scenarios.study import Study, StudyScenario, scenario_key
from scheduler.scenarios.study_engine import StudyOptions, run_study
from scheduler.scenarios.study_reader import read_study
from scheduler.scenarios.study_report import write_study
from scheduler.scenarios.study_store import FAILED, StudyStore
from scheduler.timetable_io import write_timetable_csv
from tests.scenarios import study_faults
from tests.tiny import tiny_instance, valid_timetable

ROOT = Path(__file__).resolve().parents[2]

GRID = """\
name: tiny grid
base: tiny
baseline: baseline.csv
time_limit: 20
grid:
  axes:
    room: [R1, L1]
    delay: [1, 2, 4]
  changes:
    - change: room_closed
      room: $room
      date: 2026-09-14
    - change: shift_trip
      teacher: V1
      days: $delay
  name: $room closed, V1 $delay days late
"""
"""Six scenarios of the tiny instance, each solved to optimality in well under a second
(the time limit only matters on a loaded machine). V1 teaches I1's 6 periods (at most 4 a
day) in 09-14..09-17; 4 days late leaves only Friday 09-18: no timetable."""


@pytest.fixture
def tiny_study(tmp_path):
    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    write_timetable_csv(tiny_instance(), valid_timetable(), tmp_path / "baseline.csv")
    path = tmp_path / "study.yaml"
    path.write_text(GRID, encoding="utf-8")
    return path


def write(tmp_path, text: str, name: str = "study.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_grid_is_every_combination_of_its_axes(tiny_study):
    study = read_study(tiny_study)
    assert (study.name, study.time_limit, study.axes) == ("tiny grid", 20.0, ("room", "delay"))
    assert study.base == tiny_study.parent / "tiny"
    assert study.baseline == tiny_study.parent / "baseline.csv"
    assert [s.name for s in study.scenarios] == [
        f"{room} closed, V1 {d} days late" for room in ("R1", "L1") for d in (1, 2, 4)]
    first = study.scenarios[0]
    assert first.at == (("room", "R1"), ("delay", "1"))
    closed, late = first.scenario.changes
    assert isinstance(closed, RoomClosed) and (closed.room, closed.line) == ("R1", 10)
    assert closed.first == closed.last == dt.date(2026, 9, 14)
    assert late == ShiftTrip("V1", 1, line=13)


def test_levels_with_changes_of_their_own_and_an_explicit_list(tmp_path, tiny_study):
    write(tmp_path, "name: lab works\nscenarios:\n  - file: lab.yaml\n"
                    "  - name: R2 closed\n    changes:\n      - change: room_closed\n"
                    "        room: R2\n        date: 2026-09-15\n", "sweep.yaml")
    write(tmp_path, "changes:\n  - change: room_closed\n    room: L1\n    date: 2026-09-14\n",
          "lab.yaml")
    path = write(tmp_path, """\
base: tiny
seed: 3
grid:
  axes:
    visa:
      - level: normal
      - level: late
        changes:
          - change: shift_trip
            teacher: V1
            days: $days
    days: [1, 2]
scenarios:
  - name: V1 cancelled
    at: {visa: none}
    seed: 7
    time_limit: 2.5
    changes:
      - change: cancel_trip
        teacher: V1
  - sweep: sweep.yaml
""")
    study = read_study(path)
    assert [s.name for s in study.scenarios] == [
        "visa normal, days 1", "visa normal, days 2", "visa late, days 1", "visa late, days 2",
        "V1 cancelled", "lab", "R2 closed"]
    by_name = {s.name: s for s in study.scenarios}
    assert by_name["visa normal, days 2"].scenario.changes == ()
    assert by_name["visa late, days 2"].scenario.changes == (ShiftTrip("V1", 2, line=9),)
    cancelled = by_name["V1 cancelled"]
    assert (cancelled.at, cancelled.seed, cancelled.time_limit) == ((("visa", "none"),), 7, 2.5)
    assert study.params(cancelled, 2).seed == 7 and study.params(by_name["lab"]).seed == 3
    assert study.params(cancelled).time_limit == 2.5
    assert study.params(by_name["lab"], time_limit=9).time_limit == 9
    assert study.axes == ("visa", "days")


def test_every_problem_of_a_study_file_at_its_line(tmp_path):
    path = write(tmp_path, """\
base: nowhere
figure: colour
grid:
  axes:
    delay: [1, 2, 2]
  changes:
    - change: shift_trip
      teacher: V1
      days: $dely
scenarios:
  - name: twice
    changes: []
  - name: twice
    changes: []
  - file: missing.yaml
  - name: placed twice
    at: {delay: [1, 2]}
    changes: []
""")
    with pytest.raises(InputError) as caught:
        read_study(path)
    messages = [str(p) for p in caught.value.problems]
    assert f"{path}, line 1: 'base': no such file or folder {tmp_path / 'nowhere'}" in \
        messages[0]
    assert any(m.startswith(f"{path}, line 2: 'figure': expected one of cost_change") for m in
               messages)
    assert any(f"{path}, line 5: axis 'delay' has the level '2' twice" in m for m in messages)
    assert any(f"{path}, line 9: '$dely' is not an axis of the grid. Fix: use one of: $delay"
               in m for m in messages)
    assert any("line 15: 'file': no such file or folder" in m for m in messages)
    assert any("line 17: scenario 4: the level on axis 'delay' must be one value" in m
               for m in messages)
    assert any("line 13: two scenarios are named 'twice' (the other on line 11)" in m
               for m in messages)


def test_a_grids_changes_are_read_beside_the_studys_other_problems(tmp_path):
    """A misspelt study key or grid key does not hide a wrong change of the grid: both are
    reported in one run (the changes were read only once the rest was right)."""
    path = write(tmp_path, """\
base: nowhere
colour: red
grid:
  axes:
    delay: [1, 2]
  nmae: x
  changes:
    - change: delay_trip
      teacher: V1
      days: $delay
""")
    with pytest.raises(InputError) as caught:
        read_study(path)
    messages = [str(p) for p in caught.value.problems]
    assert any("line 2: unknown key 'colour' in the study" in m for m in messages)
    assert any("line 6: unknown key 'nmae' in the grid" in m for m in messages)
    assert sum("line 8: unknown change 'delay_trip'" in m for m in messages) == 1


def test_a_scenario_key_changes_with_what_its_result_depends_on():
    item = StudyScenario(read_study_text_scenario(), (("delay", "2"),))
    params = ScenarioParams(time_limit=5, workers=1, seed=0)
    key = scenario_key(item, params, "base", "ref", False)
    assert key == scenario_key(item, replace(params, workers=8), "base", "ref", False)
    moved = replace(item, scenario=replace(item.scenario, changes=(ShiftTrip("V1", 2,
                                                                             line=99),)))
    assert key == scenario_key(moved, params, "base", "ref", False)  # only its line moved
    for other in (scenario_key(item, replace(params, seed=1), "base", "ref", False),
                  scenario_key(item, replace(params, time_limit=6), "base", "ref", False),
                  scenario_key(item, replace(params, relax_pins=True), "base", "ref", False),
                  scenario_key(item, params, "base2", "ref", False),
                  scenario_key(item, params, "base", "ref2", False),
                  scenario_key(item, params, "base", "ref", True),
                  scenario_key(replace(item, at=(("delay", "3"),)), params, "base", "ref",
                               False),
                  scenario_key(replace(item, scenario=replace(
                      item.scenario, changes=(ShiftTrip("V1", 3),))), params, "base", "ref",
                               False)):
        assert other != key


def test_the_reference_fingerprint_changes_with_a_pin():
    from scheduler.scenarios.study import timetable_fingerprint
    from scheduler.timetable import Timetable

    plain = valid_timetable()
    pinned = Timetable(plain.meetings, frozenset(plain.meetings[:1]))
    assert timetable_fingerprint(plain) == timetable_fingerprint(Timetable(plain.meetings))
    assert timetable_fingerprint(plain) != timetable_fingerprint(pinned)


def test_the_base_fingerprint_is_the_same_in_every_process():
    # the instance's language pairs are sets, whose order follows the process's hashing
    code = ("from scheduler.scenarios.study import instance_key; from tests.tiny import "
            "tiny_instance; print(instance_key(tiny_instance()))")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONHASHSEED": str(seed),
                                "PYTHONPATH": str(ROOT)}).stdout for seed in (1, 2)}
    assert len(keys) == 1


def read_study_text_scenario():
    from scheduler.scenarios.changes import Scenario

    return Scenario("V1 2 days late", (ShiftTrip("V1", 2, line=5),))


def test_a_study_on_a_local_cluster_of_two_workers(tiny_study):
    study = read_study(tiny_study)
    seen = []
    result = run_study(study, tiny_instance(), valid_timetable(), tiny_study.parent / "out",
                       StudyOptions(jobs=2), on_progress=seen.append)
    assert (result.slots, result.resumed, result.interrupted) == (2, 0, False)
    assert result.minimal_change and result.reference.status == "GIVEN"
    assert [r.scenario for r in result.rows] == [s.name for s in study.scenarios]
    assert [p.done for p in seen if p.last is not None] == [1, 2, 3, 4, 5, 6]
    assert seen[-1].total == 6 and max(p.running for p in seen) >= 1
    for row, item in zip(result.rows, study.scenarios, strict=True):
        # every scenario is exactly a single `scenario run` against the same baseline
        single = run_scenario(tiny_instance(), item.scenario, study.params(item),
                              valid_timetable())
        assert (row.status, row.feasible) == (single.changed.status, single.changed.feasible)
        assert row.at == item.at and row.attempts == 1
        if row.feasible:
            assert row.status == SolveStatus.OPTIMAL
            assert row.quality == single.changed.quality
            assert row.cost_change == single.changed.quality - result.reference.quality
            assert row.moved == single.moved_meetings
            assert dict(row.costs) == single.changed.costs
            assert dict(row.tiers) == single.changed.verification.tiers
            assert sum(dict(row.tiers).values()) == sum(single.changed.costs.values())
            assert row.fefu_share == 23.1  # V1's 6 periods of the 26 (tests/views)
        else:
            assert row.reason.startswith("Иванова Е. А.: 6 periods of intensive teaching")
            assert row.fefu_share == 0.0  # the partial timetable leaves out V1's I1
        folder = tiny_study.parent / "out" / "scenarios" / row.folder
        assert json.loads((folder / "result.json").read_text(encoding="utf-8"))["key"] == \
            row.key
        assert (folder / "scenario.json").is_file() and (folder / "comparison.md").is_file()
        assert (folder / "timetable.csv").is_file() == row.feasible
    files = write_study(result, tiny_instance(), tiny_study.parent / "out")
    assert {p.name for p in files} == {"results.csv", "results.xlsx", "study.json",
                                      "study.png"}
    with open(tiny_study.parent / "out" / "results.csv", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [(t["room"], t["delay"], t["status"]) for t in table] == [
        (r.level("room"), r.level("delay"), r.status) for r in result.rows]
    assert table[0]["cost: seat_waste"] == str(dict(result.rows[0].costs)["seat_waste"])
    assert [t["FEFU teaching share (%)"] for t in table] == ["23.1", "23.1", "0.0"] * 2
    tiers = dict(result.rows[0].tiers)
    assert set(tiers) == {"norm", "comfort"}
    assert (table[0]["tier: norm"], table[0]["tier: comfort"]) == (str(tiers["norm"]),
                                                                 str(tiers["comfort"]))
    # no timetable of every course: the partial one's figures, over what it places
    assert table[2]["status"] == "INFEASIBLE" and result.rows[2].tiers
    assert table[2]["tier: norm"] == str(dict(result.rows[2].tiers)["norm"])
    # in the workbook a numeric axis level is a number, a word stays text
    sheet = openpyxl.load_workbook(tiny_study.parent / "out" / "results.xlsx").active
    header = [c.value for c in sheet[1]]
    levels = [(r[header.index("room")], r[header.index("delay")])
              for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert levels[:3] == [("R1", 1), ("R1", 2), ("R1", 4)]


def stop_after(count: int):
    def hook(progress):
        if progress.done >= count and progress.last is not None:
            raise KeyboardInterrupt

    return hook


def test_resume_after_an_interruption_runs_only_the_rest(tiny_study, dask_scheduler):
    study, out = read_study(tiny_study), tiny_study.parent / "out"
    options = StudyOptions(scheduler=dask_scheduler, resume=True)
    with pytest.raises(KeyboardInterrupt):
        run_study(study, tiny_instance(), valid_timetable(), out, options,
                  on_progress=stop_after(2))
    stored = StudyStore(out).finished()
    assert len(stored) == 2
    with open(out / "results.csv", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 2
    ran = []
    result = run_study(study, tiny_instance(), valid_timetable(), out, options,
                       on_progress=lambda p: ran.append(p.last) if p.last else None)
    assert result.resumed == 2 and len(result.rows) == 6 and len(ran) == 4
    assert {r.key for r in ran}.isdisjoint(stored)
    assert {r.key: r for r in result.rows if r.key in stored} == stored
    # a changed study reuses nothing stale: another time limit is another result
    again = run_study(replace(study, time_limit=19), tiny_instance(), valid_timetable(), out,
                      options)
    assert again.resumed == 0 and len(again.rows) == 6
    # ... and the folders of the scenarios it no longer has are gone: one per scenario
    assert sorted(p.name for p in (out / "scenarios").iterdir()) == sorted(
        r.folder for r in again.rows)
    # without --resume, the folder starts afresh
    fresh = run_study(study, tiny_instance(), valid_timetable(), out,
                      replace(options, resume=False))
    assert fresh.resumed == 0 and len(StudyStore(out).finished()) == 6


def test_a_fresh_study_removes_the_earlier_tables_with_the_earlier_scenarios(tmp_path):
    """A study (or sweep) started again without --resume, then stopped before it wrote its
    own tables, left the earlier run's study.json ("8 finished"), results, robustness.md and
    pictures beside none of their scenarios. They go with the earlier scenario folders; files
    the study did not write stay."""
    from scheduler.scenarios.study_store import EARLIER_TABLES

    out = tmp_path / "out"
    (out / "scenarios" / "a").mkdir(parents=True)
    (out / "scenarios" / "a" / "result.json").write_text("{}", encoding="utf-8")
    for name in (*EARLIER_TABLES, "study.yaml", "notes.txt"):
        (out / name).write_text("earlier", encoding="utf-8")
    StudyStore(out).clear()
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "scenarios", "study.yaml"]
    assert not any((out / "scenarios").iterdir())


def inline_study(tmp_path, names: list[str]) -> Study:
    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    items = "".join(f"  - name: {name}\n    changes:\n      - change: room_closed\n"
                    f"        room: R2\n        date: 2026-09-1{4 + i}\n"
                    for i, name in enumerate(names))
    return read_study(write(tmp_path, f"base: tiny\ntime_limit: 20\nscenarios:\n{items}"))


def test_a_failing_scenario_is_recorded_and_the_study_goes_on(tmp_path, dask_scheduler):
    study = inline_study(tmp_path, ["before", "boom", "after"])
    result = run_study(study, tiny_instance(), valid_timetable(), tmp_path / "out",
                       StudyOptions(scheduler=dask_scheduler), task=study_faults.failing)
    rows = {r.scenario: r for r in result.rows}
    assert rows["boom"].status == FAILED and rows["boom"].attempts == 2
    assert rows["boom"].reason == "RuntimeError: boom inside the worker"
    assert rows["before"].feasible and rows["after"].feasible
    assert [r.scenario for r in result.failed] == ["boom"]
    stored = json.loads((tmp_path / "out" / "scenarios" / rows["boom"].folder /
                         "result.json").read_text(encoding="utf-8"))
    assert stored["status"] == FAILED
    # its row of the table has no figures: nothing was solved (it said 0 periods not placed)
    with open(tmp_path / "out" / "results.csv", encoding="utf-8") as handle:
        table = {row["scenario"]: row for row in csv.DictReader(handle)}
    assert table["boom"]["periods not placed"] == "" and table["boom"]["meetings moved"] == ""
    assert table["before"]["periods not placed"] == "0"
    # a resumed study tries a failed scenario again, and only that one
    again = run_study(study, tiny_instance(), valid_timetable(), tmp_path / "out",
                      StudyOptions(scheduler=dask_scheduler, resume=True))
    assert again.resumed == 2 and not again.failed


def test_a_worker_killed_mid_task_is_retried_once(tmp_path, dask_scheduler):
    # Two studies: a worker that "crash always" kills also takes down the task queued behind
    # it, so with both in one study a retried "crash once" could die with it (seen once).
    (tmp_path / "once").mkdir()
    (tmp_path / "always").mkdir()
    study = inline_study(tmp_path / "once", ["crash once", "calm"])
    result = run_study(study, tiny_instance(), valid_timetable(), tmp_path / "once" / "out",
                       StudyOptions(scheduler=dask_scheduler), task=study_faults.crashing)
    rows = {r.scenario: r for r in result.rows}
    assert (rows["crash once"].status, rows["crash once"].attempts) == ("OPTIMAL", 2)
    assert rows["calm"].feasible
    study = inline_study(tmp_path / "always", ["crash always"])
    result = run_study(study, tiny_instance(), valid_timetable(), tmp_path / "always" / "out",
                       StudyOptions(scheduler=dask_scheduler), task=study_faults.crashing)
    (row,) = result.rows
    assert (row.scenario, row.status, row.attempts) == ("crash always", FAILED, 2)
    assert row.reason == "the worker running it died"


def test_a_worker_that_dies_takes_no_queued_scenario_with_it(tmp_path, dask_scheduler):
    """Only as many scenarios as the cluster runs at once are sent: Dask gave the worker
    holding the shared data several at a time, and its death counted an attempt of each
    (seen by an acceptance test: 4 scenarios at attempt 2, 3 of them never started)."""
    study = inline_study(tmp_path, ["crash always", "calm 1", "calm 2", "calm 3", "calm 4"])
    result = run_study(study, tiny_instance(), valid_timetable(), tmp_path / "out",
                       StudyOptions(scheduler=dask_scheduler), task=study_faults.crashing)
    rows = {r.scenario: r for r in result.rows}
    assert (rows["crash always"].status, rows["crash always"].attempts) == (FAILED, 2)
    assert [(rows[f"calm {i}"].feasible, rows[f"calm {i}"].attempts) for i in range(1, 5)] \
        == [(True, 1)] * 4


def rows_in(path: Path) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            return len(list(csv.DictReader(handle)))
    except FileNotFoundError:
        return 0


def delay_study(tmp_path: Path, fall_instance, fall_baseline) -> Path:
    """A study of Иванова 1-4 days late against a baseline of the default instance, whose
    scenarios run to their 2-s limit (no proof of optimality): signals land mid-study."""
    write_timetable_csv(fall_instance, fall_baseline, tmp_path / "baseline.csv")
    return write(tmp_path, f"""\
base: {ROOT / 'instances' / 'cqupt-fefu-2026-fall'}
baseline: baseline.csv
time_limit: 2
grid:
  axes:
    delay: [1, 2, 3, 4]
  changes:
    - change: shift_trip
      teacher: FEFU-IVANOVA
      days: $delay
""")


def test_ctrl_c_stops_a_study_and_resume_runs_the_rest(tmp_path, dask_scheduler,
                                                       fall_baseline, fall_instance):
    # Scenarios of the default instance run to their time limit (no proof of optimality in
    # 2 s): a real SIGINT after the first has finished lands while others are running.
    path = delay_study(tmp_path, fall_instance, fall_baseline)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "scenario", "study", str(path), "-o",
               str(out), "--scheduler", dask_scheduler, "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    deadline = time.monotonic() + 120
    while rows_in(out / "results.csv") < 1 and process.poll() is None:
        assert time.monotonic() < deadline, "no scenario finished in 120 s"
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Stopping: scenarios still running are cancelled" in stderr
    assert "Interrupted: the scenarios finished so far are kept" in stderr
    kept = rows_in(out / "results.csv")
    assert 1 <= kept < 4 and len(StudyStore(out).finished()) == kept
    result = CliRunner().invoke(cli.main, ["scenario", "study", str(path), "-o", str(out),
                                           "--scheduler", dask_scheduler, "--resume", "-q"])
    assert result.exit_code == 0, result.output
    assert "4 of 4 scenarios" in result.output and f"({kept} from the earlier run)" in \
        result.output
    assert rows_in(out / "results.csv") == 4
    # the printed table names each scenario beside its levels, statuses as results.csv has
    assert all(f"delay {d}" in result.output for d in (1, 2, 3, 4))
    assert ("OPTIMAL" in result.output or "FEASIBLE" in result.output) and \
        "feasible" not in result.output.replace("infeasible", "")


def test_the_documented_study_file_reads_and_applies():
    """instances/visitors-late.yaml is the study docs/scenarios.md shows (test_apply checks
    the text), with the sweep file it names."""
    from scheduler.io.reader import read_instance
    from scheduler.scenarios.apply import apply_scenario

    study = read_study(ROOT / "instances" / "visitors-late.yaml")
    assert len(study.scenarios) == 8 + 5 and study.axes == ("visitor", "delay", "lab")
    assert (study.time_limit, study.figure) == (10, "moved")
    closed = study.scenarios[1]
    assert closed.name == "FEFU-IVANOVA 7 days late, lab closed"
    assert [type(c).__name__ for c in closed.scenario.changes] == ["ShiftTrip", "RoomClosed"]
    assert [s.name for s in study.scenarios[8:]] == [
        "Kozlov's December trip cancelled", "Ivanova's visa two weeks late",
        "IoT lab 1 closed for a month", "Petrov one week late", "Smirnova one week late"]
    base = read_instance(study.base)
    for item in study.scenarios:
        apply_scenario(base, item.scenario)  # every scenario applies to the base


def test_the_documented_cluster_settings_are_the_local_clusters():
    from scheduler.scenarios.study_cluster import CLUSTER_CONFIG, WORKER_CONFIG, environment

    doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    for name, value in environment({**CLUSTER_CONFIG, **WORKER_CONFIG}).items():
        assert f"export {name}={value}\n" in doc


def _rows(study: Study, value) -> tuple:
    from scheduler.scenarios.study_store import StudyRow

    rows = []
    for index, item in enumerate(study.scenarios):
        figure = value(index)
        rows.append(StudyRow(item.name, f"k{index}", "FEASIBLE" if figure is not None
                             else "INFEASIBLE", figure is not None, item.at, quality=figure,
                             cost_change=figure, moved=figure))
    return tuple(rows)


def test_the_picture_of_a_delay_study_has_a_line_per_level_of_the_other_axis(tiny_study):
    from scheduler.scenarios.study_report import study_picture
    from scheduler.scenarios.study_store import StudyResult, StudyRow

    study = read_study(tiny_study)  # axes room (R1, L1) and delay (1, 2, 4)
    result = StudyResult(study, StudyRow("base", "", "GIVEN"),
                         _rows(study, lambda i: None if i % 3 == 2 else 10 * i))
    cost, moved = study_picture(result).axes
    assert cost.get_xlabel() == "" and moved.get_xlabel() == "delay"
    lines = {line.get_label(): line for line in cost.get_lines() if line.get_marker() == "o"}
    assert set(lines) == {"R1", "L1"}
    assert list(lines["L1"].get_xdata()) == [1, 2, 4]
    ys = list(lines["L1"].get_ydata())  # scenarios 3, 4 and 5 (no timetable: a gap)
    assert ys[:2] == [30, 40] and ys[2] != ys[2]


def test_the_picture_over_two_axes_of_words_is_a_heat_map(tmp_path):
    from scheduler.scenarios.study_report import study_picture
    from scheduler.scenarios.study_store import StudyResult, StudyRow

    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    study = read_study(write(tmp_path, """\
base: tiny
figure: moved
grid:
  axes:
    room: [R1, L1]
    visa: [normal, strict, none]
  changes:
    - change: room_closed
      room: $room
      date: 2026-09-14
"""))
    result = StudyResult(study, StudyRow("base", "", "GIVEN"),
                         _rows(study, lambda i: None if i == 5 else i))
    ax = study_picture(result).axes[0]
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("room", "visa")
    grid = ax.get_images()[0].get_array()
    assert grid.shape == (2, 3) and grid[0].tolist() == [0, 1, 2]
    assert grid[1][:2].tolist() == [3, 4] and grid.mask[1][2]  # no timetable: grey
    assert [t.get_text() for t in ax.texts] == ["0", "1", "2", "3", "4"]
    assert ax.get_title(loc="left") == "study: meetings moved  (grey = no value)"


def test_the_progress_bar_shows_done_running_failed_and_the_time_left(capsys):
    from scheduler.scenarios.study_engine import StudyProgress
    from scheduler.scenarios.study_store import StudyRow

    display = cli.StudyDisplay(quiet=True)
    display(StudyProgress(10, phase="base", dashboard="http://127.0.0.1:8787/status"))
    task = display.bar.tasks[0]
    assert (task.description, task.total) == ("solving the base", 10)
    last = StudyRow("V1 2 days late", "k", "OPTIMAL", True)
    display(StudyProgress(10, done=4, failed=1, running=2, elapsed=80.0, remaining=75.4,
                          phase="scenarios", last=last, dashboard="http://127.0.0.1:8787/status"))
    task = display.bar.tasks[0]
    assert (task.description, task.completed, task.total) == ("V1 2 days late: optimal", 4, 10)
    assert (task.fields["state"], task.fields["left"]) == ("2 running, 1 failed",
                                                           "about 1:15 left")
    display(StudyProgress(10, done=4, running=2, remaining=3725, phase="scenarios"))
    task = display.bar.tasks[0]
    assert task.description == "V1 2 days late: optimal"  # the last one finished, kept
    assert task.fields["left"] == "about 1:02:05 left"
    # the dashboard's address, once
    assert capsys.readouterr().err.count("Dask dashboard: http://127.0.0.1:8787/status") == 1
    # every worker of a cluster gone: the study waits, and says so
    display(StudyProgress(10, done=4, running=0, phase="scenarios", workers=0))
    assert display.bar.tasks[0].fields["state"] == \
        "0 running, no Dask worker: waiting"


def test_the_scheduler_address_comes_from_the_option_or_the_environment(tiny_study,
                                                                        monkeypatch):
    from scheduler.errors import SchedulerError
    from scheduler.scenarios import jobs

    seen = []

    def study_to_folder(study_file, output, options, display, stop):
        seen.append(options.scheduler)
        raise SchedulerError("not run")

    monkeypatch.setattr(jobs, "study_to_folder", study_to_folder)
    command = ["scenario", "study", str(tiny_study), "-o", str(tiny_study.parent / "out"), "-q"]
    runner = CliRunner()
    runner.invoke(cli.main, command, env={"DASK_SCHEDULER_ADDRESS": ""})
    runner.invoke(cli.main, command, env={"DASK_SCHEDULER_ADDRESS": "tcp://head:8786"})
    result = runner.invoke(cli.main, [*command, "--scheduler", "tcp://other:8786"],
                           env={"DASK_SCHEDULER_ADDRESS": "tcp://head:8786"})
    assert result.exit_code == 1 and "not run" in result.output
    assert seen == [None, "tcp://head:8786", "tcp://other:8786"]


def test_an_unreachable_scheduler_leaves_the_previous_results(tiny_study, monkeypatch):
    from scheduler.errors import SchedulerError
    from scheduler.scenarios import study_cluster
    from scheduler.scenarios.jobs import study_to_folder
    from scheduler.scenarios.study_engine import StudyOptions

    out = tiny_study.parent / "out"
    earlier = [out / "base" / "result.json", out / "scenarios" / "a-1" / "result.json"]
    for path in earlier:
        path.parent.mkdir(parents=True)
        path.write_text("{}")
    (out / "study.yaml").write_text("name: the study these results are of\n")
    monkeypatch.setattr(study_cluster, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"):
        study_to_folder(tiny_study, out, StudyOptions(scheduler="tcp://127.0.0.1:1"))
    assert all(path.is_file() for path in earlier)
    # the copy of the study file is the earlier study's still (it was the new one)
    assert (out / "study.yaml").read_text() == "name: the study these results are of\n"
    fresh = tiny_study.parent / "fresh"
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"):
        study_to_folder(tiny_study, fresh, StudyOptions(scheduler="tcp://127.0.0.1:1"))
    assert not fresh.exists()


@pytest.mark.parametrize("address", ["http://head:8786", "head:8786", "tcp://", "tcp://127.0.0.1:abc",
                                     "tcp://head:99999", "tcp://:8786"])
def test_a_scheduler_address_that_is_not_one_is_bad_input_and_nothing_is_written(
        tiny_study, address):
    out = tiny_study.parent / "out"
    result = CliRunner().invoke(cli.main, ["scenario", "study", str(tiny_study), "-o", str(out),
                                           "-q", "--scheduler", address])
    assert result.exit_code == 2, result.output
    assert "is not the address of a Dask scheduler" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_study_or_sweep_into_its_base_instance_is_refused(tiny_study):
    base = tiny_study.parent / "tiny"
    before = sorted(p.name for p in base.iterdir())
    runner = CliRunner()
    for command in (["scenario", "study", str(tiny_study), "-o", str(base / "out"), "-q"],
                    ["scenario", "sweep", str(base), "--delay", "V1", "--days", "0:1:1", "-o",
                     str(base), "-q"]):
        result = runner.invoke(cli.main, command)
        assert result.exit_code == 2, result.output
        assert "the output would become part of the instance" in result.output
    assert sorted(p.name for p in base.iterdir()) == before


def test_a_study_or_sweep_into_the_folder_of_its_inputs_is_refused(tiny_study):
    """A study clears the results of an earlier study in its folder: a base or baseline kept
    there (e.g. an earlier scenario's timetable) would be lost. Refused before anything is
    run or written."""
    folder = tiny_study.parent
    (folder / "out").mkdir()
    shutil.copy(folder / "baseline.csv", folder / "out" / "baseline.csv")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    runner = CliRunner()
    for command, named in (
            (["scenario", "study", str(tiny_study), "-o", str(folder), "-q"], folder / "tiny"),
            (["scenario", "sweep", str(folder / "tiny"), "--delay", "V1", "--days", "0:1:1",
              "--baseline", str(folder / "out" / "baseline.csv"), "-o", str(folder / "out"),
              "-q"], folder / "out" / "baseline.csv")):
        result = runner.invoke(cli.main, command)
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"Cannot write output: {named} is inside the output "
                                        "folder"), result.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def _ignores_sigint() -> bool:
    status = Path(f"/proc/{os.getpid()}/status").read_text()
    ignored = int(next(line.split()[1] for line in status.splitlines()
                       if line.startswith("SigIgn:")), 16)
    return bool(ignored & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_workers_of_a_local_cluster_leave_ctrl_c_to_the_study():
    # a terminal's Ctrl-C reaches the whole process group: the workers would each print a
    # KeyboardInterrupt traceback while the study stops them in order
    from distributed import Client

    from scheduler.scenarios.study_cluster import local_cluster

    cluster = local_cluster(1)
    try:
        with Client(cluster) as client:
            assert list(client.run(_ignores_sigint).values()) == [True]
    finally:
        cluster.close()
    assert not _ignores_sigint()  # the study's own process still takes Ctrl-C


def test_a_server_that_is_not_a_dask_scheduler_ends_the_wait(tiny_study, monkeypatch):
    # a listening socket that never answers: Dask's own timeout does not end that wait
    import socket

    from scheduler.errors import SchedulerError
    from scheduler.scenarios import study_cluster
    from scheduler.scenarios.jobs import study_to_folder
    from scheduler.scenarios.study_engine import StudyOptions

    monkeypatch.setattr(study_cluster, "CONNECT_TIMEOUT", "60s")
    monkeypatch.setattr(study_cluster, "CONNECT_WAIT", 2.0)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        began = time.monotonic()
        with pytest.raises(SchedulerError, match="no Dask scheduler answered"):
            study_to_folder(tiny_study, tiny_study.parent / "out",
                            StudyOptions(scheduler=address))
    assert time.monotonic() - began < 15


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups")
def test_ctrl_c_in_a_terminal_stops_a_local_study_without_worker_tracebacks(
        tmp_path, fall_baseline, fall_instance):
    # A terminal's Ctrl-C goes to the whole process group: the study and its local Dask
    # workers. Scenarios of the default instance run to their 2-s limit, one at a time.
    path = delay_study(tmp_path, fall_instance, fall_baseline)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "scenario", "study", str(path), "-o",
               str(out), "--jobs", "1", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_SCHEDULER_ADDRESS": ""}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while rows_in(out / "results.csv") < 1 and process.poll() is None:
        assert time.monotonic() < deadline, "no scenario finished in 120 s"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Interrupted: the scenarios finished so far are kept" in stderr
    assert "Traceback" not in stderr + stdout and "KeyboardInterrupt" not in stderr + stdout


def test_a_heat_maps_long_title_stays_inside_the_picture():
    """The visitors-late study's heat map (two delays, long row labels) cut its title at the
    right edge: it was wrapped to the whole figure's width."""
    from scheduler.scenarios.pictures import plot_heatmap

    ax = plot_heatmap([[13.0, 126.0], [40.0, 32.0], [5.0, None]],
                      ["FEFU-IVANOVA", "FEFU-PETROV", "FEFU-SMIRNOVA"], ["7", "14"], "visitor",
                      "delay", "meetings moved", "Visitors late, with and without the IoT lab "
                      "works: meetings moved (mean over lab)")
    figure = ax.figure
    figure.savefig(io.BytesIO(), format="png")  # lays the figure out as the study writes it
    box = ax._left_title.get_window_extent()  # the title, placed with loc="left"
    assert ax._left_title.get_text().startswith("Visitors late")
    assert box.x1 <= figure.bbox.x1 and box.y1 <= figure.bbox.y1


def test_a_study_stopped_while_its_base_is_solved_says_how_it_was_run(tmp_path,
                                                                      dask_scheduler):
    """A sweep stopped while the base was solved wrote "each solved afresh; 1 parallel
    processes" for a minimal-change sweep on two workers."""
    study = inline_study(tmp_path, ["one"])
    stopped = []

    def hook(progress):
        if progress.phase == "base":
            stopped.append(True)
    result = run_study(study, tiny_instance(), None, tmp_path / "out",
                       StudyOptions(scheduler=dask_scheduler), on_progress=hook,
                       stop=lambda: bool(stopped))
    assert stopped and result.interrupted and result.rows == ()
    assert result.minimal_change and result.slots == 2

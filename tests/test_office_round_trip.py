"""The office's round trip: a workbook written by the tool, edited with openpyxl as the office
edits it in Excel (a meeting moved, meetings pinned, or a hand edit that breaks a rule), then
``solve --baseline`` (library, CliRunner and a real process), ``scenario run --baseline`` and
``scheduler diff``.

Assertions hold whatever the search finds: pinned meetings are kept, the verifier's count of
moved meetings is what the diff says moved or was removed, and the files are there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rich.console import Console

import cli
from scheduler.calendar import TermCalendar
from scheduler.exports.workbook import write_workbook
from scheduler.io.writer import write_instance_csv
from scheduler.model.baseline import PinChoice
from scheduler.model.pins import group_pins
from scheduler.pipeline import SolveSettings, solve_to_folder
from scheduler.render import diff_tables, rebased_lines, rejected_headline
from scheduler.roundtrip import (
    BaselineRejected,
    StaleSheetsWarning,
    check_baseline,
    held_pins,
)
from scheduler.timetable import MEETING_COLUMNS, Timetable
from scheduler.timetable_io import read_timetable_file, write_timetable_csv
from scheduler.views.diff import timetable_diff
from tests.tiny import m, tiny_instance, valid_timetable

ROOT = Path(__file__).resolve().parent.parent
TINY = tiny_instance()
COLUMN = {name: i + 1 for i, name in enumerate(MEETING_COLUMNS)}
SETTINGS = SolveSettings(time_limit=20, workers=2, seed=0)
"""The tiny instance is solved in well under a second; 20 s leaves room on a loaded
machine."""


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny") / "instance"
    write_instance_csv(TINY, folder)
    return folder


def _row(sheet, meeting) -> int:
    """The master-sheet row of a meeting."""
    for row in range(2, sheet.max_row + 1):
        cells = [sheet.cell(row, COLUMN[c]).value for c in ("course_id", "first_period")]
        day = sheet.cell(row, COLUMN["date"]).value
        if cells == [meeting.course_id, meeting.first_period] and day.date() == meeting.date:
            return row
    raise AssertionError(f"{meeting} not in the sheet")


@pytest.fixture
def edited(tmp_path) -> Path:
    """The office's workbook: I1's 09-16 meeting moved by hand to 09-17 (periods 3-4 stay),
    W3 pinned by typing yes in its two rows."""
    path = tmp_path / "agreed.xlsx"
    write_workbook(TINY, valid_timetable(), path)
    book = openpyxl.load_workbook(path)
    sheet = book["timetable"]
    moved = _row(sheet, m(16, 3, "I1", "R1"))
    sheet.cell(moved, COLUMN["date"]).value = sheet.cell(moved, COLUMN["date"]).value.replace(
        day=17)
    for meeting in valid_timetable().of_course("W3"):
        sheet.cell(_row(sheet, meeting), COLUMN["pinned"]).value = "yes"
    book.save(path)
    return path


def _broken(path: Path) -> Path:
    """W1's Monday 09-14 meeting moved by hand to Tuesday 09-15, where Li Wei teaches W3."""
    book = openpyxl.load_workbook(path)
    sheet = book["timetable"]
    row = _row(sheet, m(14, 1, "W1", "R1"))
    sheet.cell(row, COLUMN["date"]).value = sheet.cell(row, COLUMN["date"]).value.replace(
        day=15)
    book.save(path)
    return path


def test_a_re_solve_keeps_the_pins_and_writes_what_changed(instance, edited, tmp_path):
    baseline = read_timetable_file(edited).timetable
    assert m(17, 3, "I1", "R1", "I1") in baseline.meetings
    # the moved meeting is not in the grids and the visitors sheet yet: 18 cells disagree
    with pytest.warns(StaleSheetsWarning, match=r"^18 cell\(s\) of other sheets of .* "
                      "disagree with its master sheet 'timetable', which alone is read: an "
                      "edit made only in a grid is not taken \\(sheet 'visitors', cell I2:"):
        outcome = solve_to_folder(instance, tmp_path / "out", SETTINGS, baseline_path=edited)
    assert outcome.has_timetable and outcome.verification.ok
    new = outcome.result.timetable
    pinned = set(valid_timetable().of_course("W3"))
    assert {x.place for x in pinned} <= {x.place for x in new.meetings}
    assert new.pinned == pinned
    changes = outcome.changes
    assert changes == timetable_diff(TINY, baseline, new)
    assert outcome.verification.costs["moved_meeting"] == changes.count("moved") + \
        changes.count("removed")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["baseline"] == {
        "source": str(edited), "sheet": "timetable", "meetings": 13, "pinned": 2,
        "pins_kept": 2, "relaxed_pins": False, "changes": changes.counts()}
    counts = changes.counts()
    assert rebased_lines(outcome) == [
        f"Against the baseline: 2 pinned meeting(s) kept; {counts['moved']} moved, "
        f"{counts['added']} added, {counts['removed']} removed, {counts['interpreter']} with "
        f"another interpreter, {counts['unchanged']} unchanged (diff.xlsx lists them per "
        "cohort, teacher and interpreter).",
        "Against a baseline the search minimises one weighted sum of every rule and the moves "
        "(as --flat), not the norms first: the tiers above are this timetable's costs."]
    assert rebased_lines(outcome, "zh")[0].startswith("与基准课表相比：保留 2 个固定的课次；")
    assert rebased_lines(outcome, "ru")[0].startswith(
        "По сравнению с базовым расписанием: закреплённых занятий сохранено: 2;")
    written = read_timetable_file(tmp_path / "out" / "timetable.xlsx").timetable
    assert written == new
    assert (tmp_path / "out" / "diff.xlsx").is_file()
    # the new timetable can be the next baseline: its pins are there
    again = solve_to_folder(instance, tmp_path / "out2", SETTINGS,
                            baseline_path=tmp_path / "out" / "timetable.xlsx")
    assert pinned <= again.result.timetable.pinned


def test_a_re_solve_prices_moves_against_every_rule(instance, edited, tmp_path, monkeypatch):
    """With the norms minimised first, the norm tier would move any number of meetings to
    save a norm point: a re-solve against a baseline is one weighted sum, as --flat."""
    import scheduler.pipeline as pipeline

    asked = []
    solve = pipeline.solve_instance

    def spy(*args):
        asked.append(args[3])
        return solve(*args)

    monkeypatch.setattr(pipeline, "solve_instance", spy)
    with pytest.warns(StaleSheetsWarning):
        solve_to_folder(instance, tmp_path / "out", SETTINGS, baseline_path=edited)
    solve_to_folder(instance, tmp_path / "fresh", SETTINGS)
    assert [(r.flat, len(r.pins), r.baseline is not None) for r in asked] == [
        (True, 2, True), (False, 0, False)]


def test_a_hand_edit_that_breaks_a_rule_is_refused_before_solving(instance, edited,
                                                                  tmp_path):
    with pytest.raises(BaselineRejected) as caught:
        solve_to_folder(instance, tmp_path / "out", SETTINGS, baseline_path=_broken(edited))
    assert str(caught.value) == (
        f"the baseline {edited} (sheet 'timetable') breaks 2 hard rules; nothing was "
        "solved: correct it (scheduler verify lists the same) and try again")
    assert not (tmp_path / "out").exists()


def test_the_refusal_is_said_in_the_reader_s_language(edited):
    with pytest.raises(BaselineRejected) as caught:
        check_baseline(TINY, _broken(edited))
    assert rejected_headline(caught.value) == str(caught.value)
    assert rejected_headline(caught.value, "zh") == (
        f"基准课表 {edited}（工作表“timetable”）违反了 2 条硬性规则；未进行求解：请修正后重试"
        "（scheduler verify 会列出相同的问题）")
    assert rejected_headline(caught.value, "ru").startswith(
        f"базовое расписание {edited} (лист «timetable») нарушает 2 жёстких правила;")


def test_a_pin_left_free_that_stayed_in_place_is_not_broken():
    pins = group_pins(TINY, TermCalendar(TINY), valid_timetable().of_course("W1")
                      + valid_timetable().of_course("W3"))
    monday, thursday, tuesday = pins  # W1 Mon 1-2 R1, W1 Thu 1-2 R1, W3 Tue 1-2 R2
    choice = PinChoice(kept=(tuesday,), broken=(monday, thursday), optimal=False)
    # W1 left free: its Thursday meetings moved to periods 3-4, its Monday ones stayed
    moved = Timetable(tuple(
        replace(x, first_period=3, last_period=4) if x in thursday.meetings else x
        for x in valid_timetable().meetings))
    held = held_pins(TINY, choice, moved)
    assert held.kept == (monday, tuesday) and held.broken == (thursday,)
    assert held.optimal is False
    assert held_pins(TINY, choice, valid_timetable()).broken == ()


def _solve(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["solve", *args])
    return result.exit_code, result.output


def test_solve_baseline_through_the_command_line(instance, edited, tmp_path):
    out = tmp_path / "out"
    code, output = _solve(str(instance), "--baseline", str(edited), "-o", str(out), "-q",
                          "-t", "20", "-w", "2")
    assert code in (0, 7), output
    assert "Against the baseline: 2 pinned meeting(s) kept;" in output
    assert f"wrote {out / 'diff.xlsx'}" in output
    assert "Warning: 18 cell(s) of other sheets of" in output
    code, output = _solve(str(instance), "--baseline", str(_broken(edited)), "-o",
                          str(tmp_path / "refused"), "-q")
    lines = output.splitlines()
    assert code == 5 and not (tmp_path / "refused").exists()
    assert lines[0] == (f"Error: the baseline {edited} (sheet 'timetable') breaks 2 hard "
                        "rules; nothing was solved: correct it (scheduler verify lists the "
                        "same) and try again")
    sheet = openpyxl.load_workbook(edited)["timetable"]
    row, other = _row(sheet, m(15, 1, "W1", "R1")), _row(sheet, m(15, 1, "W3", "R2"))
    assert lines[1].startswith("  - [weekly repetition] W1's Monday meeting of 2026-09-14 "
                               "(periods 1-2) was moved to 2026-09-15 (Tue) periods 1-2")
    assert lines[1].endswith(f"(row {row})")
    assert lines[2] == (f"      - [teacher clash] teacher Li Wei 李伟 (T1) is in 2 meetings at "
                        f"once (W1 and W3) on 2026-09-15 period 1 (rows {row}, {other})")
    code, output = _solve(str(instance), "--relax-pins", "-o", str(tmp_path / "x"))
    assert code == 2 and "--relax-pins needs --baseline" in output


def test_solve_baseline_in_a_real_process(instance, edited, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), "solve", str(instance),
                           "--baseline", str(edited), "--relax-pins", "-o", str(out), "-q",
                           "-t", "20", "-w", "2"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
                          check=False)
    assert done.returncode in (0, 7), done.stdout + done.stderr
    assert "Against the baseline: 2 pinned meeting(s) kept;" in done.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["baseline"]["relaxed_pins"] is True
    assert summary["baseline"]["pin_choice"]["broken"] == []  # a valid baseline keeps all
    assert set(read_timetable_file(out / "timetable.csv").timetable.pinned) == set(
        valid_timetable().of_course("W3"))


def test_scenario_run_refuses_a_broken_baseline(instance, edited, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: nothing\nchanges:\n  - change: room_closed\n    room: L1\n"
                        "    date: 2026-09-14\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["scenario", "run", str(instance), str(scenario),
                                           "--baseline", str(_broken(edited)), "-o",
                                           str(tmp_path / "out"), "-q", "-t", "5"])
    assert result.exit_code == 5
    assert result.output.startswith(f"Error: the baseline {edited} (sheet 'timetable') "
                                    "breaks 2 hard rules")


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["diff", *args])
    return result.exit_code, " ".join(result.output.split())


def test_diff_command(instance, edited, tmp_path):
    original = tmp_path / "original.csv"
    write_timetable_csv(TINY, valid_timetable(), original)
    assert _diff(str(original), str(original), "-i", str(instance)) == (
        0, "No changes: the 13 meetings are the same.")
    code, output = _diff(str(original), str(edited), "-i", str(instance), "-o",
                         str(tmp_path / "changes.xlsx"))
    assert code == 0
    assert "Changes (1 moved, 0 added, 0 removed, 0 interpreter, 12 unchanged)" in output
    assert "2026-09-17" in output
    wide = Console(width=200, record=True)
    for table in diff_tables(timetable_diff(TINY, valid_timetable(),
                                            read_timetable_file(edited).timetable)):
        wide.print(table)
    text = " ".join(wide.export_text().split())
    assert "│ moved │ I1 │ 2026-09-16 Wed P3-4 R1 (I1) │ 2026-09-17 Thu P3-4 R1 (I1) │ C1, " \
           "C1-A, C1-B, C2 │ V1 │" in text
    assert "│ teacher V1 │ 1 │ │ │ │" in text
    assert f"wrote {tmp_path / 'changes.xlsx'}" in output
    assert openpyxl.load_workbook(tmp_path / "changes.xlsx").sheetnames == ["changes",
                                                                            "summary"]
    code, output = _diff(str(original), str(edited), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "give a path ending in .xlsx" in output
    # the shipped instance has no course W1
    code, output = _diff(str(original), str(edited))
    assert code == 2 and re.search(re.escape(str(original)) + r", row \d+, column 'course_id': "
                                   r"course 'I1' is not in the instance", output)


def test_diff_of_a_scenario_that_removed_and_added_courses_takes_both_instances(tmp_path):
    """A scenario removed W2 and added W9: no one instance has both, so pins.md's "who must be
    told" diff could not run; with the base's and the scenario's instance it does."""
    base = tmp_path / "base"
    write_instance_csv(TINY, base)
    w2 = TINY.course_by_id["W2"]
    changed_instance = replace(TINY, courses=tuple(
        replace(w2, id="W9") if c.id == "W2" else c for c in TINY.courses))
    changed = tmp_path / "changed"
    write_instance_csv(changed_instance, changed)
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    write_timetable_csv(TINY, valid_timetable(), old)
    renamed = Timetable(tuple(replace(m, course_id="W9") if m.course_id == "W2" else m
                              for m in valid_timetable().meetings))
    write_timetable_csv(changed_instance, renamed, new)
    code, output = _diff(str(old), str(new), "-i", str(base))
    assert code == 2 and "course 'W9' is not in the instance" in output
    code, output = _diff(str(old), str(new), "-i", str(base), "-i", str(changed))
    assert code == 0, output
    removed = sum(m.course_id == "W2" for m in valid_timetable().meetings)
    assert f"0 moved, {removed} added, {removed} removed" in output


def test_a_re_solve_of_an_unchanged_timetable_starts_from_it_and_never_costs_more(
        fall_instance, tmp_path):
    """`solve --baseline` of the default term's own timetable, unchanged, moved 350 of its 506
    meetings in 10 s and returned a timetable costing about twice what keeping it costs: the
    first timetable found with the baseline only hinted was an arbitrary one, and CP-SAT did
    not always take the hint up. The baseline is now the first timetable, and the search
    goes on from the cheaper of it and the whole model's, so meetings move only where that
    pays."""
    from scheduler.cpsat import SolverParams
    from scheduler.model.context import SolveContext
    from scheduler.model.params import SolveRequest
    from scheduler.model.solve import (
        DEFAULT_SETTINGS,
        extract_timetable,
        first_timetable,
        solve_timetable,
    )
    from scheduler.paths import DEFAULT_INSTANCE
    from scheduler.verify import verify_timetable

    params = SolverParams(time_limit=8, workers=2, seed=1)
    baseline = solve_timetable(fall_instance, params).timetable
    ctx = SolveContext.start(fall_instance, params, SolveRequest(baseline=baseline, flat=True),
                             DEFAULT_SETTINGS)
    first = first_timetable(ctx)
    assert extract_timetable(first.model, first.solver).meetings == baseline.meetings
    path = tmp_path / "agreed.csv"
    write_timetable_csv(fall_instance, baseline, path)
    keeping = verify_timetable(fall_instance, baseline).objective
    outcome = solve_to_folder(DEFAULT_INSTANCE, tmp_path / "out",
                              SolveSettings(time_limit=6, workers=2, seed=0),
                              baseline_path=path)
    assert outcome.verification.ok
    assert outcome.verification.objective <= keeping, (outcome.verification.objective, keeping)

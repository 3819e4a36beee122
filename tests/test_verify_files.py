"""``scheduler verify`` on timetable files as the office leaves them: workbooks edited by hand
(in the master sheet or in a weekly grid) and damaged files.

Each workbook is written by the tool and edited with openpyxl, then verified through click's
CliRunner and through a real ``python cli.py verify`` process; messages are written by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from scheduler.exports.workbook import write_workbook
from scheduler.io.writer import write_instance_csv
from tests.tiny import tiny_instance, valid_timetable

ROOT = Path(__file__).resolve().parent.parent
MATHS = "Mathematics | weeks 1-2 | R1 · Li Wei 李伟"


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny") / "instance"
    write_instance_csv(tiny_instance(), folder)
    return folder


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "timetable.xlsx"
    write_workbook(tiny_instance(), valid_timetable(), path)
    return path


def _run(instance: Path, timetable: Path, lines: bool = False) -> tuple[int, str]:
    """Exit code and the whole output of ``scheduler verify`` through CliRunner (its words
    on one line, unless ``lines``)."""
    result = CliRunner().invoke(cli.main, ["verify", str(instance), str(timetable)])
    return result.exit_code, result.output if lines else " ".join(result.output.split())


def _process(instance: Path, timetable: Path, lines: bool = False) -> tuple[int, str]:
    """Exit code and the whole output of a real ``python cli.py verify`` process."""
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), "verify", str(instance),
                           str(timetable)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "1000"},
                          check=False)
    output = done.stdout + done.stderr
    return done.returncode, output if lines else " ".join(output.split())


def _edit_grid(workbook: Path, sheet: str, cells: dict[str, str | None]) -> Path:
    book = openpyxl.load_workbook(workbook)
    for coordinate, value in cells.items():
        book[sheet][coordinate].value = value
    book.save(workbook)
    return workbook


def test_the_workbook_as_written_is_valid(instance, workbook):
    from scheduler.io.reader import read_instance
    from scheduler.timetable_io import read_timetable
    from scheduler.verify import verify_timetable

    code, output = _run(instance, workbook)
    verification = verify_timetable(read_instance(instance), read_timetable(workbook))
    order = ("placement", "norm", "comfort")
    tiers = ", ".join(f"{name} {verification.tiers[name]}" for name in order
                      if name in verification.tiers)
    assert (code, output) == (0, f"Valid: {workbook} breaks no hard rule. Cost: "
                                 f"{verification.objective} ({tiers}; each rule's weights: "
                                 "docs/objective.md)")


@pytest.mark.parametrize("run", [_run, _process])
def test_a_meeting_moved_in_a_cohort_grid_fails_verification(instance, workbook, run):
    sheet = openpyxl.load_workbook(workbook)["cohort C1"]
    _edit_grid(workbook, "cohort C1", {"E3": sheet["C3"].value, "C3": None})
    code, output = run(instance, workbook)
    assert code == 5
    assert output == (
        "The master sheet breaks no hard rule, but 2 cells of other sheets disagree with the "
        "master sheet 'timetable' (verify checks the master sheet: make changes there; "
        "scheduler export rewrites the other sheets from it): "
        f"- sheet 'cohort C1', cell C3: (Mon, periods 1-2) the grid shows nothing but the "
        f'master sheet gives "{MATHS}" '
        f"- sheet 'cohort C1', cell E3: (Wed, period 1) the grid shows \"{MATHS}\" but the "
        "master sheet has nothing there")


@pytest.mark.parametrize("run", [_run, _process])
def test_an_unknown_room_typed_in_a_grid_fails_verification(instance, workbook, run):
    _edit_grid(workbook, "cohort C2", {"D3": "English\nweeks 1-2\nR9 · Li Wei 李伟"})
    code, output = run(instance, workbook)
    assert code == 5
    assert ("- sheet 'cohort C2', cell D3: (Tue, periods 1-2) the grid shows \"English | weeks "
            "1-2 | R9 · Li Wei 李伟\" but the master sheet gives \"English | weeks 1-2 | R2 · Li "
            "Wei 李伟\"") in output


@pytest.mark.parametrize("run", [_run, _process])
def test_a_meeting_moved_in_the_master_sheet_is_one_cause_with_its_rows(instance, workbook,
                                                                        run):
    # Row 7 is W1's Monday meeting of week 2 (09-14); the office moves it to Tuesday 09-15,
    # where its teacher T1 teaches W3.
    book = openpyxl.load_workbook(workbook)
    sheet = book["timetable"]
    assert [sheet.cell(7, c).value for c in (1, 8)] == [dt.datetime(2026, 9, 14), "W1"]
    sheet.cell(7, 1).value = dt.datetime(2026, 9, 15)
    book.save(workbook)
    code, output = run(instance, workbook, lines=True)
    assert code == 5
    assert output.splitlines()[:3] == [
        "2 violation(s):",
        "  - [weekly repetition] W1's Monday meeting of 2026-09-14 (periods 1-2) was moved to "
        "2026-09-15 (Tue) periods 1-2: the course no longer repeats weekly (row 7)",
        "      - [teacher clash] teacher Li Wei 李伟 (T1) is in 2 meetings at once (W1 and W3) "
        "on 2026-09-15 period 1 (rows 7, 10)"]


# Damaged files: exit 2 with a located message, never a traceback ------------------------------

DAMAGED = {
    "empty.xlsx": (b"", "{path}: the file is empty. Fix: give the timetable.csv, .json or .xlsx "
                        "written by scheduler solve or export"),
    "garbage.xlsx": (b"not a workbook", "{path}: not a readable .xlsx workbook: "),
    "deep.json": (b"[" * 50_000 + b"]" * 50_000,
                  "{path}: the JSON is nested 50000 levels deep"),
    "shape.json": (b"[1]", "{path}: meeting 1 of the list is a number, not an object of "
                              "columns"),
    "latin1.csv": ("date,first_period,last_period,course_id,room_id\n2026-09-07,1,2,Café,R1\n"
                   .encode("latin-1"), "{path}, line 2: the file is not UTF-8 text. Fix: save it "
                                       "as 'CSV UTF-8'"),
    "na.csv": (b"date,first_period,last_period,course_id,room_id,interpreter_id\n"
               b"2026-09-07,1,2,W1,R1,N/A\n",
               "{path}, row 2, column 'interpreter_id': 'N/A' stands for a missing value. Fix: "
               "leave the cell empty when the meeting has no interpreter"),
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_timetable_exits_2_with_a_located_message(instance, tmp_path, name):
    content, message = DAMAGED[name]
    path = tmp_path / name
    path.write_bytes(content)
    code, output = _run(instance, path)
    assert code == 2, output
    assert output.startswith("1 problem found: - ")
    assert message.format(path=path) in output
    assert "Traceback" not in output and "Error:" not in output


@pytest.mark.parametrize("name", ["garbage.xlsx", "deep.json"])
def test_a_damaged_timetable_in_a_real_process(instance, tmp_path, name):
    content, message = DAMAGED[name]
    path = tmp_path / name
    path.write_bytes(content)
    code, output = _process(instance, path)
    assert code == 2, output
    assert message.format(path=path) in output
    assert "Traceback" not in output


def test_an_error_cell_in_the_master_sheet_exits_2(instance, workbook):
    book = openpyxl.load_workbook(workbook)
    book["timetable"]["O2"].value = "#N/A"  # room_id of row 2, an error cell as Excel keeps it
    book.save(workbook)
    code, output = _process(instance, workbook)
    assert code == 2
    assert (f"{workbook}, sheet 'timetable', row 2, column 'room_id': the cell shows the "
            "spreadsheet error #N/A; this cell is required. Fix: enter the value, not a "
            "formula") in output

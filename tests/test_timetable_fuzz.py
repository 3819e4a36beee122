"""The fast profile of the timetable-reader fuzz (tests/timetable_fuzzing.py says what is
checked).

The long profile, ``python benchmarks/fuzz_timetables.py``, runs 10,000 cases and prints the
figures that docs/robustness.md reports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings

from tests.timetable_fuzzing import (
    GOOD_OUTCOMES,
    OUTCOMES,
    Case,
    ErrorCell,
    FormulaCell,
    cases,
    run_case,
)

ROOT = Path(__file__).resolve().parent.parent

FAST = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(case: Case) -> None:
    outcome = run_case(case)
    assert outcome.kind in GOOD_OUTCOMES, f"{outcome.kind}: {case.describe()}\n{outcome.detail}"


@FAST
@given(case=cases("csv"))
@example(case=Case("csv", "cell", 2, "interpreter_id", "N/A"))
@example(case=Case("csv", "cell", 3, "course_id", "'=W1"))
@example(case=Case("csv", "encoding", value="utf-16"))
@example(case=Case("csv", "encoding", value="cp1251"))
@example(case=Case("csv", "delimiter", value=";"))
@example(case=Case("csv", "empty", data=b""))
def test_csv_timetables_read_cleanly_or_are_refused_at_the_cell(case):
    _check(case)


@FAST
@given(case=cases("json"))
@example(case=Case("json", "nest", value=5000))
@example(case=Case("json", "shape", value=[1, 2]))
@example(case=Case("json", "cell", 2, "first_period", 10**40))
@example(case=Case("json", "cell", 4, "room_id", {"id": "R1"}))
@example(case=Case("json", "header", 1, "weekday", "date"))
def test_json_timetables_read_cleanly_or_are_refused_at_the_cell(case):
    _check(case)


@settings(FAST, max_examples=10)
@given(case=cases("xlsx"))
@example(case=Case("xlsx", "cell", 2, "interpreter_id", "NULL"))
@example(case=Case("xlsx", "cell", 3, "course_id", ErrorCell("#N/A")))
@example(case=Case("xlsx", "cell", 4, "last_period", FormulaCell("=1+1")))
@example(case=Case("xlsx", "truncate", data=b"PK\x03\x04"))
def test_workbook_timetables_read_cleanly_or_are_refused_at_the_cell(case):
    _check(case)


def test_the_long_profile_script_prints_its_figures():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz_timetables.py"),
                           "--cases", "6"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == ["csv", "json", "xlsx", "all"]
    assert lines[3].startswith("all: 6 cases in ")
    figures = {name.strip(): int(count) for name, count in
               (line.rsplit(None, 1) for line in lines[4:])}
    assert set(figures) == set(OUTCOMES)
    assert sum(figures.values()) == 6 and figures["traceback"] == 0

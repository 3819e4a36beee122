"""The fast profile of the reader fuzz (tests/io/fuzzing.py says what is checked).

The long profile, ``python benchmarks/fuzz_readers.py``, runs 10,000 cases and prints the
figures that docs/robustness.md reports.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

from tests.io.fuzzing import GOOD_OUTCOMES, Case, ErrorCell, FormulaCell, cases, run_case

FAST = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(case: Case) -> None:
    outcome = run_case(case)
    assert outcome.kind in GOOD_OUTCOMES, f"{outcome.kind}: {case.describe()}\n{outcome.detail}"


@FAST
@given(case=cases("csv"))
@example(case=Case("csv", "cell", "rooms", 2, "capacity", "1" * 400))
@example(case=Case("csv", "cell", "courses", 2, "week_parity", "N/A"))
@example(case=Case("csv", "encoding", "teachers", value="gbk"))
@example(case=Case("csv", "delimiter", "courses", value=";"))
@example(case=Case("csv", "cell", "room_types", 2, "room_type", "  "))  # empties the row
def test_csv_folders_read_cleanly_or_are_refused_at_the_cell(case):
    _check(case)


@settings(FAST, max_examples=10)
@given(case=cases("xlsx"))
@example(case=Case("xlsx", "cell", "courses", 2, "week_parity", "null"))
@example(case=Case("xlsx", "cell", "interpreters", 2, "max_periods_per_week",
                   FormulaCell("=10+10")))
@example(case=Case("xlsx", "cell", "courses", 6, "max_periods_per_day", ErrorCell("#N/A")))
@example(case=Case("xlsx", "cell", "rooms", 2, "capacity", 10**30))
@example(case=Case("xlsx", "truncate", data=b"PK\x03\x04"))
def test_workbooks_read_cleanly_or_are_refused_at_the_cell(case):
    _check(case)

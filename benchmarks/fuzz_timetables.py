"""Long profile of the timetable-reader fuzz: many damaged CSV, JSON and xlsx timetables.

Each case changes one cell, column name or the whole file of the tiny instance's valid
timetable (tests/timetable_fuzzing.py says how, and what counts as a traceback, a wrong
acceptance or a wrong rejection) and reads it back. Prints the number of cases, how they
ended, and the time taken; the first few failures are shown in full. Exit code 1 when any case
ended otherwise than in a timetable or a clean, located error.

    python benchmarks/fuzz_timetables.py --cases 10000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.timetable_fuzzing import (  # noqa: E402
    FORMS,
    GOOD_OUTCOMES,
    OUTCOMES,
    Case,
    Outcome,
    cases,
    run_case,
)


def fuzz(form: str, count: int, seed_value: int) -> tuple[Counter[str], list[tuple[Case, Outcome]]]:
    """Run ``count`` cases of one form; return the outcomes counted and the failures."""
    counts: Counter[str] = Counter()
    failures: list[tuple[Case, Outcome]] = []

    @seed(seed_value)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=cases(form))
    def run(case: Case) -> None:
        outcome = run_case(case)
        counts[outcome.kind] += 1
        if outcome.kind not in GOOD_OUTCOMES:
            failures.append((case, outcome))

    run()
    return counts, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000,
                        help="cases in all, shared equally by CSV, JSON and xlsx")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    total: Counter[str] = Counter()
    failures: list[tuple[Case, Outcome]] = []
    for i, form in enumerate(FORMS):
        count = args.cases // len(FORMS) + (i < args.cases % len(FORMS))
        began = time.perf_counter()
        counts, failed = fuzz(form, count, args.seed)
        total += counts
        failures += failed
        print(f"{form}: {sum(counts.values())} cases in {time.perf_counter() - began:.0f} s: "
              + ", ".join(f"{counts[k]} {k}" for k in OUTCOMES), flush=True)
    print(f"all: {sum(total.values())} cases in {time.perf_counter() - start:.0f} s")
    for kind in OUTCOMES:
        print(f"  {kind:18} {total[kind]}")
    for case, outcome in failures[:5]:
        print(f"\n{outcome.kind}: {case.describe()}\n{outcome.detail}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

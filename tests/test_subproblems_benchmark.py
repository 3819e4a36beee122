"""The sub-problem benchmark script splits the time of fixed neighbourhoods and caches the
timetable they start from."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "subproblems.py"
LINE = re.compile(r"build +([\d.]+) s +measure +([\d.]+) s +search +([\d.]+) s "
                  r"\(presolve +([\d.]+) s\) +no solution +(\d+) +gain +(\d+) +"
                  r"gain/s +([\d.]+) +median variables (\d+)")


def run(cache: Path, *variants: str) -> list[re.Match]:
    command = [sys.executable, str(SCRIPT), "gen0.06x", "--lns", "1", "--count", "4",
               "--size", "3", "--cache", str(cache)]
    for variant in variants:
        command += ["--variant", variant]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    found = [LINE.search(line) for line in done.stdout.splitlines()]
    assert all(found), done.stdout
    return found


def test_each_variant_gets_a_line_of_figures_from_one_cached_timetable(tmp_path):
    first, second = run(tmp_path, "{}", "{'sub_tight': False}")
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    for found in (first, second):
        build, measure, search, presolve = (float(found.group(k)) for k in (1, 2, 3, 4))
        assert build > 0 and measure > 0 and search > 0
        assert 0 < presolve <= search
        assert int(found.group(8)) > 0
    # the tight formulation has more variables than the compact one
    assert int(first.group(8)) > int(second.group(8))
    (again,) = run(tmp_path)  # the cached timetable: the same neighbourhoods, the same gain
    assert again.group(6) == first.group(6)

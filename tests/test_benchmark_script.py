"""The timetabling benchmark script stores its runs with their traces and can redraw its
picture from them without solving."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "timetable.py"


def load_script():
    spec = importlib.util.spec_from_file_location("timetable_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runs_are_stored_with_traces_and_the_picture_can_be_redrawn(tmp_path):
    bench = load_script()
    rows = [{"instance": "steady", "seed": s, "status": "FEASIBLE", "objective": 100 + s,
             "best_bound": 40.0, "strategy": "phase 1 + lns",
             "trace": [[1.0, 500.0, None, "feasible"], [5.0, 200.0 - s, None, "lns"],
                       [9.0, None, 40.0, "bound"]]} for s in (0, 1, 2)]
    bench.write_results(rows, tmp_path)
    stored = json.loads((tmp_path / "timetable_runs.json").read_text(encoding="utf-8"))
    assert [r["trace"] for r in stored] == [r["trace"] for r in rows]
    csv_header = (tmp_path / "timetable_runs.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "trace" not in csv_header.split(",") and "objective" in csv_header.split(",")
    assert "| steady | 3 | phase 1 + lns |" in (tmp_path / "timetable.md").read_text()
    (tmp_path / "timetable.png").unlink()
    done = subprocess.run([sys.executable, str(SCRIPT), "--replot", str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "timetable.png").read_bytes().startswith(b"\x89PNG")


def test_the_whole_command_s_figures_go_beside_the_solve_s(tmp_path):
    bench = load_script()
    rows = [{"instance": "gen8x", "seed": 0, "status": "FEASIBLE", "objective": 9,
             "peak_rss_mb": 524, "trace": [], "command_wall_s": 700.0 + s,
             "after_search_s": 40.0 + s, "command_peak_rss_mb": 900 + s} for s in (0, 2)]
    bench.write_results(rows, tmp_path)
    header, _, line = (tmp_path / "timetable.md").read_text().splitlines()
    cells = dict(zip(header.strip("| ").split(" | "), line.strip("| ").split(" | "),
                     strict=True))
    assert [float(cells[c]) for c in ("peak_rss_mb", "command_wall_s", "after_search_s",
                                      "command_peak_rss_mb")] == [524, 701, 41, 901]


def test_the_command_s_peak_memory_adds_up_its_processes():
    """A process holding 60 MB whose child holds 100 MB at the same time: the tree's peak
    is their sum (``ru_maxrss`` would give the child's 100 MB alone), with the label set
    while it lasted."""
    import time

    sys.path.insert(0, str(SCRIPT.parents[1]))
    from benchmarks.memory import TreeSampler

    child = "import time; b = bytes(range(256)) * (100 << 12); time.sleep(2)"
    hold = ("import subprocess, sys; a = bytes(range(256)) * (60 << 12); "
            f"subprocess.run([sys.executable, '-c', {child!r}])")
    with subprocess.Popen([sys.executable, "-c", hold]) as process:
        sampler = TreeSampler(process.pid, poll=0.05)
        sampler.label = "holding"
        time.sleep(1.0)
        sampler.sample()
        process.wait()
    sampler.stop()
    assert sampler.peak_mb >= 160 and sampler.peak_processes == 2
    assert sampler.peak_label == "holding"


def test_overrides_and_cpsat_parameters_are_read_as_python_literals():
    bench = load_script()
    assert bench.literals(["subsolvers=['no_lp', 'core']", "limit=0.25", "stagnation=None",
                           "name=core"]) == {"subsolvers": ["no_lp", "core"], "limit": 0.25,
                                             "stagnation": None, "name": "core"}
    settings = bench.settings_from(["sub_deterministic_limit=0.25", "stagnation=None"])
    assert (settings.sub_deterministic_limit, settings.stagnation) == (0.25, None)


def test_when_every_run_fails_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "missing"),
                           "--seeds", "0", "--time-limit", "1", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "seed 0: failed" in done.stderr and "every run failed" in done.stderr
    assert not out.exists()


def test_shipped_instances_are_read_from_this_checkout_when_the_package_has_none(
        monkeypatch, tmp_path):
    """With ``--code``, the package solving may be a copy without the instances."""
    import scheduler.paths

    bench = load_script()
    monkeypatch.setattr(scheduler.paths, "DEFAULT_INSTANCE", tmp_path / "cqupt-fefu-2026-fall")
    assert len(bench.load("default").courses) == 22


def test_each_run_records_which_code_solved(tmp_path):
    """Two copies of a package with the same sources share a digest wherever they lie; a
    changed, added or renamed source changes it, a cache file does not."""
    bench = load_script()
    first, second = tmp_path / "a" / "scheduler", tmp_path / "b" / "scheduler"
    for package in (first, second):
        (package / "model").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "model" / "search.py").write_text("SIZE = 8\n")
    (second / "model" / "search.cpython-311.pyc").write_bytes(b"\0cache")
    one, two = bench.code_identity(first), bench.code_identity(second)
    assert one["code"] == str(tmp_path / "a") and two["code"] == str(tmp_path / "b")
    assert one["code_digest"] == two["code_digest"] and len(one["code_digest"]) == 12
    (second / "model" / "search.py").write_text("SIZE = 5\n")
    changed = bench.code_identity(second)["code_digest"]
    (second / "model" / "search.py").rename(second / "model" / "neighbourhoods.py")
    renamed = bench.code_identity(second)["code_digest"]
    (second / "model" / "bound.py").write_text("")
    added = bench.code_identity(second)["code_digest"]
    assert len({one["code_digest"], changed, renamed, added}) == 4


def test_generated_instances_may_be_a_fraction_of_the_steady_size():
    bench = load_script()
    instance = bench.load("gen0.06x")
    assert sum(c.size for c in instance.cohorts if c.parent is None) == round(1650 * 0.06)


def test_a_run_through_code_records_the_copy_that_solved(tmp_path):
    """The way a benchmark is run against frozen code: a copy of the package (without the
    instances) through ``--code``, one real solve in a subprocess; its row names the copy, and
    its digest is that of this checkout's package, which the copy equals."""
    import shutil

    package = SCRIPT.parents[1] / "scheduler"
    shutil.copytree(package, tmp_path / "frozen" / "scheduler",
                    ignore=shutil.ignore_patterns("__pycache__", "instances"))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(SCRIPT), "default", "--flat", "--seeds", "0",
                           "--time-limit", "2", "--code", str(tmp_path / "frozen"),
                           "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads((out / "timetable_runs.json").read_text(encoding="utf-8"))
    assert row["code"] == str((tmp_path / "frozen").resolve()) and row["verified"]
    assert row["code_digest"] == load_script().code_identity(package)["code_digest"]

"""Benchmark scenario studies on Dask against the local process pool they replace (not a test).

The study: every visiting teacher of an instance (default: the 25 of cqupt-fefu-steady)
arriving 7 and 14 days late, each scenario re-solved with minimal change against a baseline
timetable (``--baseline``, solved once by this script when missing and stored beside the
results), or afresh without one (``--fresh``). Each run is ``scheduler scenario sweep`` (the
shortcut that writes and runs the study) in its own process, timed from outside: once per
number of local Dask workers (``--workers``), and, with ``--pool-from DIR``, the same sweep run
by the ``cli.py`` of DIR, a checkout from before studies whose sweep ran in a local process
pool (e.g. ``git worktree add /tmp/pool dfd1265``).

    # the full benchmark (50 scenarios of 30 s); on a quiet machine
    python benchmarks/study.py --time-limit 30 --workers 1 2 --pool-from /tmp/pool
    python benchmarks/study.py --time-limit 30 --workers 1 2 --pool-from /tmp/pool --fresh
    # a small version: the first 3 visitors (6 scenarios of 10 s)
    python benchmarks/study.py --visitors 3 --time-limit 10 --workers 1 2 --pool-from /tmp/pool

Outputs (in ``--out``, default ``benchmarks/results/study/<label>``): each run's folder,
``runs.csv`` and ``runs.json`` (one row per run) and ``study.md``: wall time, the time per
scenario (wall time x workers / scenarios) and the part of it spent outside the scenarios'
own runs, the overhead against the pool with as many workers, and the wall time projected on a
cluster of ``--nodes`` nodes from the measured times.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.atomic import write_text_atomic  # noqa: E402
from scheduler.io.reader import read_instance  # noqa: E402

STEADY = ROOT / "instances" / "cqupt-fefu-steady"
RESULTS = ROOT / "benchmarks" / "results" / "study"
BASELINE = RESULTS / "baseline-timetable.csv"
COLUMNS = ("engine", "workers", "scenarios", "fresh", "time_limit", "wall", "setup",
           "per_scenario", "in_scenario", "outside", "vs_pool")


def visitors(instance_path: Path, count: int) -> list[str]:
    """The visiting teachers with a trip, in the instance's order (the first ``count``; all
    when 0)."""
    instance = read_instance(instance_path)
    found = [t.id for t in instance.teachers if t.visiting and instance.windows_of(t.id)]
    return found[:count] if count else found


def ensure_baseline(instance: Path, path: Path, seconds: float) -> None:
    """Solve the baseline once (2 CP-SAT workers) and store its timetable and summary."""
    if path.is_file():
        return
    work = path.parent / "baseline-solve"
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "solve", str(instance), "-o",
                    str(work), "-t", str(seconds), "-w", "2", "-q"], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    shutil.copy(work / "timetable.csv", path)
    shutil.copy(work / "summary.json", path.with_name("baseline-summary.json"))
    shutil.rmtree(work)


def run(engine: str, code: Path, workers: int, args: argparse.Namespace, teachers: list[str],
        out: Path) -> dict:
    """One sweep in its own process; its figures from the sweep.json (and study.json) it
    wrote."""
    command = [sys.executable, str(code / "cli.py"), "scenario", "sweep", str(args.instance),
               *(f"--delay={t}" for t in teachers), "--days", args.days, "-t",
               str(args.time_limit), "-j", str(workers), "-w", "1", "-o", str(out), "-q"]
    command += ["--fresh"] if args.fresh else ["--baseline", str(args.baseline)]
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(code)})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{engine} with {workers} worker(s) failed:\n{done.stderr}")
    sweep = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    study = out / "study.json"
    setup = json.loads(study.read_text(encoding="utf-8"))["setup"] if study.is_file() else None
    points = sweep["points"]
    in_scenario = statistics.fmean(p["seconds"] for p in points)
    per_scenario = wall * workers / len(points)
    return {"engine": engine, "workers": workers, "scenarios": len(points),
            "fresh": args.fresh, "time_limit": args.time_limit, "wall": round(wall, 1),
            "setup": None if setup is None else round(setup, 1),
            "per_scenario": round(per_scenario, 2), "in_scenario": round(in_scenario, 2),
            "outside": round(per_scenario - in_scenario, 2), "vs_pool": None}


def projection(row: dict, nodes: int, per_node: int, scenarios: int) -> float:
    """Wall time of ``scenarios`` on ``nodes`` x ``per_node`` slots: the setup, then rounds of
    the measured time per scenario (its own run and what lies outside it)."""
    per = row["in_scenario"] + max(0.0, row["outside"] - (row["setup"] or 0.0) * row["workers"]
                                   / row["scenarios"])
    return (row["setup"] or 0.0) + math.ceil(scenarios / (nodes * per_node)) * per


def write(rows: list[dict], out: Path, args: argparse.Namespace) -> None:
    pools = {r["workers"]: r for r in rows if r["engine"] == "pool"}
    for row in rows:
        pool = pools.get(row["workers"])
        if row["engine"] == "dask" and pool:
            row["vs_pool"] = round(100 * (row["per_scenario"] / pool["per_scenario"] - 1), 1)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "runs.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    write_text_atomic(out / "runs.json", json.dumps(rows, indent=2) + "\n")
    how = "afresh (no baseline)" if args.fresh else f"with minimal change against {args.baseline}"
    lines = [f"# Study benchmark: {args.instance.name}", "",
             f"{rows[0]['scenarios']} scenarios ({args.days} days late), {args.time_limit:g} s "
             f"each, solved {how}; one CP-SAT worker per scenario.", "",
             "| engine | workers | wall (s) | setup (s) | per scenario (s) | in the scenario "
             "(s) | outside (s) | vs pool |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        vs = "" if r["vs_pool"] is None else f"{r['vs_pool']:+.1f} %"
        setup = "" if r["setup"] is None else f"{r['setup']:.1f}"
        lines.append(f"| {r['engine']} | {r['workers']} | {r['wall']:.1f} | {setup} | "
                     f"{r['per_scenario']:.2f} | {r['in_scenario']:.2f} | {r['outside']:.2f} "
                     f"| {vs} |")
    dask = [r for r in rows if r["engine"] == "dask"]
    if dask:
        best = max(dask, key=lambda r: r["workers"])
        total = projection(best, args.nodes, args.per_node, args.project)
        lines += ["", f"Projected on {args.nodes} nodes running {args.per_node} scenario(s) "
                      f"each: {args.project} scenarios in {total:.0f} s (setup, then "
                      f"{math.ceil(args.project / (args.nodes * args.per_node))} rounds of the "
                      f"time per scenario measured with {best['workers']} worker(s))."]
    write_text_atomic(out / "study.md", "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=STEADY)
    parser.add_argument("--visitors", type=int, default=0,
                        help="the first N visitors (0: all)")
    parser.add_argument("--days", default="7,14")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--fresh", action="store_true", help="solve afresh, no baseline")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--baseline-time", type=float, default=300.0)
    parser.add_argument("--pool-from", type=Path, default=None,
                        help="a checkout whose sweep runs in a local process pool")
    parser.add_argument("--nodes", type=int, default=16)
    parser.add_argument("--per-node", type=int, default=1,
                        help="scenarios a node runs at once in the projection")
    parser.add_argument("--project", type=int, default=50,
                        help="scenarios in the projection")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    teachers = visitors(args.instance, args.visitors)
    label = (f"{args.instance.name}-{len(teachers)}v-{args.time_limit:g}s"
             + ("-fresh" if args.fresh else ""))
    out = args.out or RESULTS / label
    if not args.fresh:
        ensure_baseline(args.instance, args.baseline, args.baseline_time)
    rows = []
    for workers in args.workers:
        engines = [("dask", ROOT)] + ([("pool", args.pool_from)] if args.pool_from else [])
        for engine, code in engines:
            row = run(engine, code, workers, args, teachers, out / f"{engine}-{workers}")
            print(json.dumps(row), flush=True)
            rows.append(row)
    write(rows, out, args)
    print((out / "study.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()

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
    # one scenario, in a process pool and in a Dask worker by turns (robust on a busy machine)
    python benchmarks/study.py --ab 3 --time-limit 10
    python benchmarks/study.py --ab 3 --time-limit 10 --fresh   # afresh, against the baseline

Outputs (in ``--out``, default ``benchmarks/results/study/<label>``): each run's folder
(its ``sweep.json``, ``robustness.md`` and, for Dask, ``study.json`` and ``results.csv``),
``runs.csv`` and ``runs.json`` (one row per run) and ``study.md``: wall time, the time per
scenario (wall time x workers / scenarios) and the part of it spent outside the scenarios'
own runs, the overhead against the pool with as many workers, and the wall time projected on a
cluster of ``--nodes`` nodes from the measured times. ``--ab N`` instead runs the first
scenario N times in a one-process pool and in a one-worker local Dask cluster by turns (this
checkout's code in both) and writes the wall and CPU seconds of each run to ``ab.md``: on a
machine shared with other work, the runs of whole sweeps minutes apart differ more by the
load of the moment than by their engines.
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


KEPT = ("sweep.json", "robustness.md", "study.json", "results.csv")
"""What is kept of a run's folder (the timetables of its scenarios are megabytes)."""


def prune(folder: Path) -> None:
    for path in folder.iterdir():
        if path.name not in KEPT:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


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
    prune(out)
    points = sweep["points"]
    in_scenario = statistics.fmean(p["seconds"] for p in points)
    per_scenario = wall * workers / len(points)
    return {"engine": engine, "workers": workers, "scenarios": len(points),
            "fresh": args.fresh, "time_limit": args.time_limit, "wall": round(wall, 1),
            "setup": None if setup is None else round(setup, 1),
            "per_scenario": round(per_scenario, 2), "in_scenario": round(in_scenario, 2),
            "outside": round(per_scenario - in_scenario, 2), "vs_pool": None}


def pool_scenario(base, baseline, reference, scenario, params) -> tuple[float, float]:
    """A scenario as the process pool ran it (in a worker, with the base, the baseline and the
    reference sent with it): seconds of its run, twice (there is nothing else to do)."""
    from scheduler.scenarios.run import run_scenario

    started = time.perf_counter()
    run_scenario(base, scenario, params, baseline, reference)
    seconds = time.perf_counter() - started
    return seconds, seconds


def dask_scenario(shared, job) -> tuple[float, float]:
    """A scenario as a study runs it (in a worker): seconds of its run, and of its run with
    the files of its folder."""
    from scheduler.scenarios.run import run_scenario
    from scheduler.scenarios.study_task import scenario_files

    started = time.perf_counter()
    comparison = run_scenario(shared.base, job.item.scenario, job.params, shared.baseline,
                              shared.reference)
    solved = time.perf_counter() - started
    scenario_files(comparison, job.full)
    return solved, time.perf_counter() - started


def ab(args: argparse.Namespace, teacher: str, out: Path) -> None:
    """The first scenario by turns in a process pool (its data sent with each task, as the
    pool did) and in a Dask worker (its data sent once, as a study does), each engine first
    every other round; for each run, the seconds from sending it to having its result, and
    the seconds of its own run. With ``--fresh`` the scenario is solved afresh, compared with
    the baseline."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from distributed import Client

    from scheduler.scenarios.run import ScenarioParams, baseline_side
    from scheduler.scenarios.study import StudyScenario
    from scheduler.scenarios.study_cluster import local_cluster
    from scheduler.scenarios.study_task import Job, Shared
    from scheduler.scenarios.sweep import delay_scenarios
    from scheduler.timetable_io import read_timetable

    base = read_instance(args.instance)
    reference = baseline_side(base, read_timetable(args.baseline))
    baseline = None if args.fresh else reference.timetable
    delay = int(args.days.split(",")[0])
    scenario = delay_scenarios(base, [teacher], [delay])[0].scenario
    params = ScenarioParams(time_limit=args.time_limit, workers=1)
    warm = ScenarioParams(time_limit=1, workers=1)
    cluster = local_cluster(1)
    client = Client(cluster)
    shared = client.submit(lambda x: x, Shared(base, baseline, reference), pure=False)
    runs: dict[str, list[dict[str, float]]] = {"pool": [], "dask": []}

    def measured(submit) -> dict[str, float]:
        started = time.perf_counter()
        solved, in_worker = submit().result()
        trip = time.perf_counter() - started
        return {"round_trip": trip, "scenario": solved, "outside": trip - solved,
                "files": in_worker - solved}

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(pool_scenario, base, baseline, reference, scenario,
                    warm).result()  # imports done
        client.submit(dask_scenario, shared, Job(0, "warm", StudyScenario(scenario), warm,
                                                 "warm"), pure=False).result()
        for index in range(args.ab):
            job = Job(index, f"run{index}", StudyScenario(scenario), params, "run")
            submit = {"pool": lambda: pool.submit(pool_scenario, base, baseline, reference,
                                                  scenario, params),
                      "dask": lambda job=job: client.submit(dask_scenario, shared, job,
                                                            pure=False)}
            for engine in ("pool", "dask") if index % 2 == 0 else ("dask", "pool"):
                runs[engine].append(measured(submit[engine]))  # each first every other time
            print(json.dumps({k: v[-1] for k, v in runs.items()}), flush=True)
    client.close()
    cluster.close()
    how = "afresh" if args.fresh else "with minimal change"
    lines = [f"# One scenario by turns: {scenario.name}, {args.time_limit:g} s, {how}", "",
             "Seconds, means over the runs: from sending the scenario to having its result, "
             "its own run, and the difference (the engine's part: sending the data and the "
             "result, scheduling, and for Dask the files of the scenario's folder, also shown "
             "apart).", "",
             "| engine | runs | round trip | the scenario's run | outside it | of which files |",
             "|---|---|---|---|---|---|"]
    for engine, found in runs.items():
        mean = {k: statistics.fmean(r[k] for r in found) for k in found[0]}
        lines.append(f"| {engine} | {len(found)} | {mean['round_trip']:.2f} | "
                     f"{mean['scenario']:.2f} | {mean['outside']:.2f} | {mean['files']:.2f} |")
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "ab.json", json.dumps(runs, indent=2) + "\n")
    write_text_atomic(out / "ab.md", "\n".join(lines) + "\n")


def projection(row: dict, nodes: int, per_node: int, scenarios: int) -> float:
    """Wall time of ``scenarios`` on ``nodes`` x ``per_node`` slots: the setup, then rounds of
    the measured time per scenario (its own run and what lies outside it)."""
    per = row["in_scenario"] + max(0.0, row["outside"] - (row["setup"] or 0.0) * row["workers"]
                                   / row["scenarios"])
    return (row["setup"] or 0.0) + math.ceil(scenarios / (nodes * per_node)) * per


def merged(rows: list[dict], out: Path) -> list[dict]:
    """This invocation's rows with the rows an earlier one left in ``out/runs.json`` (a run of
    the same engine and workers replaced), so that 1 and 2 workers can be measured apart."""
    earlier = out / "runs.json"
    if not earlier.is_file():
        return rows
    ran = {(r["engine"], r["workers"]) for r in rows}
    kept = [r for r in json.loads(earlier.read_text(encoding="utf-8"))
            if (r["engine"], r["workers"]) not in ran]
    return sorted(kept + rows, key=lambda r: (r["workers"], r["engine"]))


def write(rows: list[dict], out: Path, args: argparse.Namespace) -> None:
    rows = merged(rows, out)
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
    shown = args.baseline.resolve()
    shown = shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown
    how = "afresh (no baseline)" if args.fresh else f"with minimal change against {shown}"
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
    parser.add_argument("--ab", type=int, default=0,
                        help="run the first scenario N times in a pool and in Dask by turns")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    teachers = visitors(args.instance, args.visitors)
    label = (f"{args.instance.name}-{len(teachers)}v-{args.time_limit:g}s"
             + ("-fresh" if args.fresh else ""))
    out = args.out or RESULTS / label
    if args.ab or not args.fresh:
        ensure_baseline(args.instance, args.baseline, args.baseline_time)
    if args.ab:
        ab(args, teachers[0], out)
        print((out / "ab.md").read_text(encoding="utf-8"))
        return
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

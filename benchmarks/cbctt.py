"""Benchmark the CB-CTT solver on ITC2007 track 3 instances (not a test).

Runs every instance given (default: every ``*.ctt`` file of the data folder) with a time limit,
once per seed; writes each solution file, scores it with the independent scorer, and writes a
table of the median over seeds beside the best known UD2 cost and the best average published
within the ITC2007 time limit.

    python benchmarks/cbctt.py --time-limit 300 --workers 2 --seeds 0 1 2
    python benchmarks/cbctt.py path/to/comp08.ctt --time-limit 60 --seeds 0
    python benchmarks/cbctt.py --from-runs a/runs.csv b/runs.csv --out merged  # medians only
    python benchmarks/cbctt.py comp07.ctt --clock work --time-limit 300 --workers 1  # load-free
    python benchmarks/cbctt.py comp07.ctt --clock work --code /tmp/old  # another checkout
    python benchmarks/cbctt.py comp12.ctt --phase periods=0.8 --set sub_deterministic_limit=0.5

``--clock work`` measures time in CP-SAT deterministic time and ``--clock cpu`` in CPU time
(``benchmarks/clocks.py``), so that runs on a busy machine compare; ``--code`` solves with the
``scheduler`` package of another checkout (e.g. an older commit unpacked with ``git archive``),
for side-by-side comparisons; ``--phase NAME=VALUE`` overrides a field of the solver's
``PhaseShares`` and ``--set NAME=VALUE`` one of its ``SearchSettings`` (Python literals).

Outputs (in ``--out``, default ``benchmarks/results/cbctt``): ``runs.csv`` (one row per run),
``summary.csv`` and ``summary.md`` (one row per instance), the solution files and, per run, the
solver's result as JSON with its progress (each phase change and each new best, by phase).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import clocks  # noqa: E402  (this checkout's benchmark helpers, ...)
from benchmarks.timetable import literals  # noqa: E402

if "--code" in sys.argv[:-1]:  # ... and another checkout's package to solve with
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))

from scheduler.atomic import write_text_atomic  # noqa: E402
from scheduler.cbctt import (  # noqa: E402
    CbcttInstance,
    LnsSettings,
    PhaseShares,
    read_cbctt,
    read_solution,
    score,
    solve_cbctt,
    write_solution,
)
from scheduler.cpsat import SolverParams  # noqa: E402
from scheduler.progress import Progress  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "cbctt"
EXTRA_REFERENCE = ROOT / "benchmarks" / "cbctt_reference"
"""Published figures of comp08–comp21 (not in the shared data folder): Urli 2013's table of the
ITC2007 averages and best known values; the data folder's figures win where both have one."""
COMPONENTS = ("room_capacity", "min_working_days", "isolated_lectures", "room_stability")


@dataclass(frozen=True)
class Run:
    """One solve of one instance with one seed, scored independently."""

    instance: str
    seed: int
    feasible: bool
    ud2: int | None
    claimed: int | None
    components: dict[str, int]
    time_to_first: float | None
    time_to_best: float | None
    wall_time: float
    load_before: float
    load_after: float
    work: float | None = None  # CP-SAT deterministic time spent (with --clock work or cpu)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.from_runs:
        return _summarise_only(args)
    paths = [Path(p) for p in args.instances] or sorted(args.data.glob("*.ctt"))
    if not paths:
        print(f"no instances given and no *.ctt file in {args.data}", file=sys.stderr)
        return 2
    best_known, itc_average = _read_figures(args.data)
    clocks.install(args.clock, args.workers)
    args.out.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    for path in paths:
        instance = read_cbctt(path)
        for seed in args.seeds:
            run = _solve(instance, path, seed, args)
            runs.append(run)
            print(f"{run.instance} seed {seed}: UD2 {run.ud2} "
                  f"({'feasible' if run.feasible else 'INFEASIBLE'}), first "
                  f"{_fmt(_round(run.time_to_first))} s, best {_fmt(_round(run.time_to_best))} s, "
                  f"load {run.load_before:.1f}/{run.load_after:.1f}", flush=True)
            _write_runs(args.out / "runs.csv", runs)
    rows = _summarise(runs, best_known, itc_average)
    _write_summary(args.out, rows, args)
    print()
    print((args.out / "summary.md").read_text())
    return 0 if all(r.feasible for r in runs) else 1


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("instances", nargs="*", help=".ctt or .ectt files (default: the data folder)")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA,
                   help="folder with reference.csv, itc_timelimit_results.csv and *.ctt")
    p.add_argument("--time-limit", type=float, default=300.0, help="seconds per run")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seeds", type=int, nargs="+", default=[0])
    p.add_argument("--strategy", default="lns", choices=["lns", "cpsat"])
    p.add_argument("--from-runs", type=Path, nargs="+", default=[],
                   help="only summarise the runs.csv files of earlier runs (e.g. seeds run in "
                        "separate sessions) into --out; give the --time-limit, --workers and "
                        "--strategy those runs used, for the summary's caption")
    p.add_argument("--clock", default="wall", choices=clocks.MODES,
                   help="what the time limit measures: wall-clock seconds, CP-SAT "
                        "deterministic time per worker (work) or CPU seconds per worker (cpu)")
    p.add_argument("--code", type=Path, help="a checkout whose scheduler package solves")
    p.add_argument("--phase", action="append", default=[], metavar="NAME=VALUE",
                   help="override a field of PhaseShares (e.g. periods=0.8)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a field of the engine's SearchSettings")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "cbctt")
    return p


def _solve(instance: CbcttInstance, path: Path, seed: int, args: argparse.Namespace) -> Run:
    load_before = os.getloadavg()[0]
    work = clocks.spent_work()
    shares = replace(PhaseShares(), **literals(args.phase)) if args.phase else None
    settings = None
    if args.set:  # imported here: checkouts before the shared engine (--code) have no search
        from scheduler.search import SearchSettings
        settings = LnsSettings(search=replace(SearchSettings(), **literals(args.set)))
    progress: list[tuple[float, str, float | None]] = []

    def on_progress(event: Progress) -> None:  # keep each phase change and each new best
        last = progress[-1] if progress else None
        if last is None or last[1] != event.phase or (
                event.objective is not None and (last[2] is None or event.objective < last[2])):
            progress.append((round(event.elapsed, 2), event.phase, event.objective))

    result = solve_cbctt(instance, SolverParams(args.time_limit, args.workers, seed),
                         on_progress, strategy=args.strategy, settings=settings, shares=shares)
    load_after = os.getloadavg()[0]
    name = path.stem
    solution = args.out / f"{name}.seed{seed}.sol"
    write_solution(result, instance, solution)
    details = args.out / f"{name}.seed{seed}.json"
    write_text_atomic(details, json.dumps({**result.as_dict(), "progress": progress},
                                          indent=1) + "\n")
    # Score the file as written, with the independent scorer.
    s = score(instance, read_solution(solution, instance))
    return Run(
        instance=name, seed=seed, feasible=result.has_solution and s.feasible,
        ud2=s.total if result.has_solution else None, claimed=result.cost,
        components=s.components(), time_to_first=result.time_to_first,
        time_to_best=result.time_to_best, wall_time=result.wall_time,
        load_before=load_before, load_after=load_after,
        work=None if args.clock == "wall" else round(clocks.spent_work() - work, 1),
    )


def _summarise_only(args: argparse.Namespace) -> int:
    """Merge the runs of earlier invocations and write their summary."""
    runs: list[Run] = []
    for path in args.from_runs:
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                runs.append(_run_from_row(row))
    runs.sort(key=lambda r: (r.instance, r.seed))
    args.out.mkdir(parents=True, exist_ok=True)
    _write_runs(args.out / "runs.csv", runs)
    args.seeds = sorted({r.seed for r in runs})
    rows = _summarise(runs, *_read_figures(args.data))
    _write_summary(args.out, rows, args)
    print((args.out / "summary.md").read_text())
    return 0


def _run_from_row(row: dict[str, str]) -> Run:
    def number(key: str) -> float | None:
        return float(row[key]) if row.get(key) else None

    def integer(key: str) -> int | None:
        return int(row[key]) if row.get(key) else None

    return Run(
        instance=row["instance"], seed=int(row["seed"]), feasible=row["feasible"] == "True",
        ud2=integer("ud2"), claimed=integer("claimed"),
        components={c: int(row[c]) for c in COMPONENTS},
        time_to_first=number("time_to_first_s"), time_to_best=number("time_to_best_s"),
        wall_time=float(row["wall_time_s"]), load_before=float(row["load_before"]),
        load_after=float(row["load_after"]), work=number("work"),
    )


def _read_figures(data: Path) -> tuple[dict[str, int], dict[str, float]]:
    """Best known UD2 and best ITC2007 time-limited average per instance, from ``data`` and
    then :data:`EXTRA_REFERENCE` for the instances ``data`` does not cover."""
    best_known = _read_reference(EXTRA_REFERENCE / "reference.csv")
    best_known.update(_read_reference(data / "reference.csv"))
    itc_average = _read_itc(EXTRA_REFERENCE / "itc_timelimit_results.csv")
    itc_average.update(_read_itc(data / "itc_timelimit_results.csv"))
    return best_known, itc_average


def _read_reference(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    with path.open(newline="") as f:
        return {row["instance"]: int(row["best_known_ud2"]) for row in csv.DictReader(f)
                if row.get("best_known_ud2")}


def _read_itc(path: Path) -> dict[str, float]:
    """Best (lowest) published average within the ITC2007 time limit, per instance."""
    if not path.exists():
        return {}
    best: dict[str, float] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row.get("avg"):
                value = float(row["avg"])
                best[row["instance"]] = min(value, best.get(row["instance"], value))
    return best


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _summarise(runs: list[Run], best_known: dict[str, int],
               itc_average: dict[str, float]) -> list[dict[str, object]]:
    rows = []
    for name in dict.fromkeys(r.instance for r in runs):
        mine = [r for r in runs if r.instance == name]
        costs = [r.ud2 for r in mine if r.ud2 is not None]
        median = _median(costs)
        known = best_known.get(name)
        rows.append({
            "instance": name,
            "runs": len(mine),
            "feasible": f"{sum(r.feasible for r in mine)}/{len(mine)}",
            "ud2_median": median,
            "ud2_min": min(costs, default=None),
            "ud2_max": max(costs, default=None),
            **{c: _median([r.components[c] for r in mine]) for c in COMPONENTS},
            "best_known": known,
            "ratio": None if median is None or not known else round(median / known, 2),
            "itc_best_average": itc_average.get(name),
            "time_to_first_s": _round(_median([r.time_to_first for r in mine])),
            "time_to_best_s": _round(_median([r.time_to_best for r in mine])),
            "claims_match_scorer": all(r.claimed == r.ud2 for r in mine),
        })
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _write_runs(path: Path, runs: list[Run]) -> None:
    header = ["instance", "seed", "feasible", "ud2", "claimed", *COMPONENTS, "time_to_first_s",
              "time_to_best_s", "wall_time_s", "load_before", "load_after", "work"]
    lines = [",".join(header)]
    for r in runs:
        values = [r.instance, r.seed, r.feasible, r.ud2, r.claimed,
                  *(r.components[c] for c in COMPONENTS), _round(r.time_to_first),
                  _round(r.time_to_best), _round(r.wall_time), round(r.load_before, 2),
                  round(r.load_after, 2), r.work]
        lines.append(",".join("" if v is None else str(v) for v in values))
    write_text_atomic(path, "\n".join(lines) + "\n")


def _write_summary(out: Path, rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    header = list(rows[0])
    csv_lines = [",".join(header)] + [
        ",".join("" if row[h] is None else str(row[h]) for h in header) for row in rows
    ]
    write_text_atomic(out / "summary.csv", "\n".join(csv_lines) + "\n")
    titles = ["instance", "feasible", "UD2 median (min–max)", "capacity", "min days",
              "isolated", "stability", "best known", "ratio", "best ITC avg",
              "first feasible (s)", "best found (s)"]
    md = ["| " + " | ".join(titles) + " |", "|" + "---|" * len(titles)]
    for r in rows:
        md.append("| " + " | ".join([
            str(r["instance"]), str(r["feasible"]),
            f"{_fmt(r['ud2_median'])} ({_fmt(r['ud2_min'])}–{_fmt(r['ud2_max'])})",
            *(_fmt(r[c]) for c in COMPONENTS),
            _fmt(r["best_known"]), _fmt(r["ratio"]), _fmt(r["itc_best_average"]),
            _fmt(r["time_to_first_s"]), _fmt(r["time_to_best_s"]),
        ]) + " |")
    md.append("")
    unit = {"wall": "s", "work": "units of CP-SAT deterministic time per worker",
            "cpu": "CPU seconds per worker"}[getattr(args, "clock", "wall")]
    md.append(f"Time limit {args.time_limit:g} {unit}, {args.workers} workers, strategy "
              f"{args.strategy}, seeds {' '.join(map(str, args.seeds))}; medians over seeds. "
              "UD2 and its components are the independent scorer's, from the solution files.")
    overrides = [*getattr(args, "phase", []), *getattr(args, "set", [])]
    if overrides:
        md.append(f"Overrides of the defaults: {', '.join(overrides)}.")
    write_text_atomic(out / "summary.md", "\n".join(md) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())

"""Timetabling benchmark: time to a first verified timetable, objective over time, gap, memory.

Runs each instance in its own process (so peak memory is that run's alone), once per seed,
and writes every run to ``<out>/timetable_runs.csv`` and, with its progress trace, to
``<out>/timetable_runs.json`` (``<out>`` defaults to
``benchmarks/results/timetable/<instances>``), the medians to ``<out>/timetable.md`` and a
picture of objective and bound over time to ``<out>/timetable.png`` (``--replot FOLDER``
redraws it from the JSON).

Instances: paths, or ``default``, ``steady``, or ``gen<k>x`` (the generator at k x 1,650
students, rounded, seed 0; ``k`` may be a fraction: ``gen0.06x`` is 99 students). With
``--command``, each run also runs the whole ``scheduler solve`` command as a user does (read,
search, verify, write every default output) in a process of its own, and reports its wall time
(``command_wall_s``), its peak memory (``command_peak_rss_mb``: the largest sum over the
command and the processes it starts, sampled every 0.2 s, or the largest single process's peak
if that is more), what it was doing then (``command_peak_phase``: a phase of the search, or
``after the search``) and the seconds from the end of its search to its exit
(``after_search_s``) beside the solve's (``peak_rss_mb``, ``peak_phase``). Examples::

    python benchmarks/timetable.py default steady --seeds 0 1 2 --time-limit 60
    python benchmarks/timetable.py gen1x gen2x gen4x gen8x --limits gen8x=600 --seeds 0
    python benchmarks/timetable.py default --clock cpu --set full_model_options=0  # LNS
    python benchmarks/timetable.py steady --clock cpu --code /tmp/old  # another checkout
    python benchmarks/timetable.py default --flat --seeds 0 1 2  # one weighted sum
    python benchmarks/timetable.py gen8x --time-limit 600 --command

``--clock cpu`` measures the time limit in CPU seconds per worker and ``--clock work`` in
CP-SAT deterministic time (``benchmarks/clocks.py``), so that runs on a busy machine compare;
``--code`` solves with the ``scheduler`` package of another checkout (e.g. an older commit
unpacked with ``git archive``); ``--set`` overrides fields of the solver's ``LnsSettings``
and ``--cpsat`` gives CP-SAT parameters to the optimisation (e.g.
``--cpsat "subsolvers=['no_lp','core']"``: the user's own sub-solvers win over the defaults).
Solves minimise the tiers in order (norm, then comfort) unless ``--flat`` asks for one weighted
sum (code from before the levels always solves flat); each run records the cost of each tier
and, for the norm tier, the solver's bound (or the structural one). Each run also records
which code solved: the folder its ``scheduler`` package was imported from (``code``) and a
digest of that package's Python sources (``code_digest``: runs with equal digests ran the
same code, whichever copy they came from).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "--code" in sys.argv[:-1]:  # solve with another checkout's package (before importing it)
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))

CHECKPOINTS = (10, 30, 60, 300)


def shipped(spec: str) -> Path:
    """The folder of the shipped instance ``default`` or ``steady``: the package's own, or
    this checkout's when the package (``--code``) is a copy without the instances."""
    from scheduler.paths import DEFAULT_INSTANCE, STEADY_INSTANCE

    path = DEFAULT_INSTANCE if spec == "default" else STEADY_INSTANCE
    return path if path.exists() else ROOT / "instances" / path.name


def load(spec: str):
    """An instance from a path or a short name."""
    from scheduler.generate import generate_instance
    from scheduler.io.reader import read_instance

    if spec in ("default", "steady"):
        return read_instance(shipped(spec))
    if spec.startswith("gen") and spec.endswith("x"):
        return generate_instance(round(1650 * float(spec[3:-1])), seed=0)
    return read_instance(spec)


def literals(items: list[str]) -> dict:
    """``name=value`` items as a dict, each value a Python literal where it parses as one
    (``0.5``, ``None``, ``['no_lp','core']``) and text otherwise."""
    import ast

    values: dict = {}
    for item in items:
        name, _, text = item.partition("=")
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values[name] = text
    return values


def code_identity(package: Path) -> dict:
    """Which code solves: the folder holding the ``scheduler`` package at ``package`` and the
    first 12 hex digits of a SHA-256 over its Python sources (relative path and bytes of each,
    in path order; caches and data files left out)."""
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return {"code": str(package.parent), "code_digest": digest.hexdigest()[:12]}


def settings_from(overrides: list[str]):
    """The solver's default ``LnsSettings`` with ``name=value`` overrides (Python literals)."""
    from dataclasses import replace

    from scheduler.model.solve import DEFAULT_SETTINGS

    return replace(DEFAULT_SETTINGS, **literals(overrides))


def run_one(spec: str, time_limit: float, seed: int, workers: int, clock: str = "wall",
            overrides: list[str] | None = None, flat: bool = False,
            cpsat: list[str] | None = None) -> dict:
    """Solve one instance once and measure it (runs inside the child process)."""
    from dataclasses import fields

    import scheduler
    from benchmarks import clocks
    from benchmarks.memory import TreeSampler
    from scheduler.cpsat import SolverParams
    from scheduler.model.params import SolveRequest
    from scheduler.model.solve import solve_timetable
    from scheduler.verify import verify_timetable

    clocks.install(clock, workers)
    settings = settings_from(overrides or [])

    started = time.perf_counter()
    memory = TreeSampler(os.getpid())
    memory.label = "read"
    instance = load(spec)
    loaded = time.perf_counter() - started
    trace: list[tuple[float, float | None, float | None, str]] = []

    def record(progress) -> None:
        memory.label = progress.phase
        if progress.objective is not None or progress.bound is not None:
            trace.append((progress.elapsed, progress.objective, progress.bound, progress.phase))

    tiered = "flat" in {f.name for f in fields(SolveRequest)}
    request = SolveRequest(flat=True) if flat and tiered else SolveRequest()
    params = SolverParams(time_limit=time_limit, workers=workers, seed=seed,
                          extra=literals(cpsat or []))
    result = solve_timetable(instance, params, on_progress=record,
                             request=request, settings=settings)
    row: dict = {"instance": spec, "seed": seed, "time_limit": time_limit,
                 "workers": workers, "clock": clock, "settings": " ".join(overrides or []),
                 "cpsat": " ".join(cpsat or []),
                 **code_identity(Path(scheduler.__file__).resolve().parent),
                 "flat": flat or not tiered,
                 "load_s": round(loaded, 2), "status": result.status,
                 "courses": len(instance.courses),
                 "students": sum(c.size for c in instance.cohorts if c.parent is None)}
    stats = result.stats
    memory.label = "verify"
    if result.timetable is not None and stats is not None:
        check = time.perf_counter()
        verification = verify_timetable(instance, result.timetable)
        verify_s = time.perf_counter() - check
        row.update({
            "verified": verification.ok,
            "claims_match": {k: v for k, v in result.objective_terms.items() if v}
            == {k: v for k, v in verification.costs.items() if v},
            "time_to_first_s": round(stats.time_to_first or 0, 2),
            "verify_s": round(verify_s, 2),
            "first_verified_s": round((stats.time_to_first or 0) + verify_s, 2),
            "objective": verification.objective,
            "best_bound": stats.best_bound,
            "gap": None if stats.best_bound is None else round(
                (verification.objective - stats.best_bound) / max(1, verification.objective), 4),
            "variables": stats.num_variables, "constraints": stats.num_constraints,
            "lns_variables": stats.params.get("lns_median_variables"),
            "lns_constraints": stats.params.get("lns_median_constraints"),
            "strategy": stats.params.get("strategy", "full model"),
            "lns_iterations": stats.params.get("lns_iterations"),
            "costs": {k: v for k, v in verification.costs.items() if v},
            **_tier_figures(instance, result, verification),
        })
        for checkpoint in CHECKPOINTS:
            seen = [o for t, o, _, _ in trace if t <= checkpoint and o is not None]
            reached = checkpoint <= time_limit and seen
            row[f"objective_at_{checkpoint}s"] = min(seen) if reached else None
    row["wall_s"] = round(time.perf_counter() - started, 1)
    row["cpu_s"] = round(time.process_time(), 1)
    row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    memory.stop()
    row["peak_phase"] = memory.peak_label
    row["trace"] = trace
    return row


def _tier_figures(instance, result, verification) -> dict:
    """The norm and comfort tiers' costs (the verifier's) and the norm tier's bound: the
    solver's, else the structural one (none before the levels)."""
    tiers = getattr(verification, "tiers", None)
    if tiers is None:
        return {}
    solved = {t.name: t for t in getattr(result, "tiers", ())}
    bound = solved["norm"].bound if "norm" in solved else None
    floors = getattr(result, "norm_bounds", None)
    if floors is not None:
        rules = [r for r in instance.weights.names() if instance.levels.tier(r) == "norm"]
        bound = max(bound or 0, floors.bound_value(instance.weights, rules))
    return {"norm_cost": tiers.get("norm"), "norm_bound": bound,
            "comfort_cost": tiers.get("comfort"),
            "tiers": [t.as_dict() for t in solved.values()]}
def instance_path(spec: str, folder: Path) -> Path:
    """A path ``scheduler solve`` reads: the instance's own, or a generated one written into
    ``folder``."""
    from scheduler.io.writer import write_instance_csv

    if spec in ("default", "steady"):
        return shipped(spec)
    if spec.startswith("gen") and spec.endswith("x"):
        path = folder / spec
        write_instance_csv(load(spec), path)
        return path
    return Path(spec)


def run_command(spec: str, time_limit: float, seed: int, workers: int) -> dict:
    """Run the whole ``scheduler solve`` command once and measure it (runs inside the child
    process, so that the peak memory of its own children is the command's alone; see
    :mod:`benchmarks.memory`).

    The end of the search is found from the command's progress lines, which give the seconds
    since the solve started, and ``summary.json``'s ``solve_time`` (the same clock)."""
    from benchmarks.memory import TreeSampler

    with tempfile.TemporaryDirectory(prefix="bench-command-") as tmp:
        folder = Path(tmp)
        path = instance_path(spec, folder)
        command = [sys.executable, str(ROOT / "cli.py"), "solve", str(path), "-o",
                   str(folder / "out"), "--time-limit", str(time_limit), "--workers",
                   str(workers), "--seed", str(seed)]
        started = time.perf_counter()
        solve_started = None
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT) as process:
            memory = TreeSampler(process.pid)
            for line in process.stderr:
                first, _, rest = line.partition("s ")
                if first.strip().replace(".", "", 1).isdigit():
                    memory.label = rest.split(" solutions", 1)[0].strip()
                    if solve_started is None:
                        solve_started = time.perf_counter() - float(first)
        ended = time.perf_counter()
        memory.stop()
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary_path = folder / "out" / "summary.json"
        summary = json.loads(summary_path.read_text(encoding="utf-8")) \
            if summary_path.exists() else {}
        outputs = sorted(p.name for p in (folder / "out").glob("*")) \
            if (folder / "out").exists() else []
    after, phase = None, memory.peak_label
    if solve_started is not None and summary.get("solve_time") is not None:
        search_ended = solve_started + summary["solve_time"]
        after = round(ended - search_ended, 1)
        if memory.peak_at > search_ended:
            phase = "after the search"
    return {"command_exit": process.returncode, "command_wall_s": round(ended - started, 1),
            "command_peak_rss_mb": round(max(memory.peak_mb, largest)),
            "command_peak_phase": phase, "command_peak_process_mb": round(largest),
            "after_search_s": after, "command_outputs": outputs}


def _median(values: list) -> object:
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return round(statistics.median(numbers), 3) if numbers else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("instances", nargs="*", default=["default", "steady"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--limits", default="",
                        help="per-instance limits, e.g. steady=300,gen8x=600")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the results [default: benchmarks/results/timetable/"
                             "<instances>]")
    parser.add_argument("--replot", type=Path, metavar="FOLDER",
                        help="redraw FOLDER/timetable.png from the runs stored in "
                             "FOLDER/timetable_runs.json (no solving)")
    parser.add_argument("--clock", default="wall", choices=("wall", "work", "cpu"),
                        help="what the time limit measures: wall-clock seconds, CPU seconds "
                             "per worker (cpu) or CP-SAT deterministic time per worker (work)")
    parser.add_argument("--code", type=Path, help="a checkout whose scheduler package solves")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a field of the solver's LnsSettings (repeatable)")
    parser.add_argument("--cpsat", action="append", default=[], metavar="NAME=VALUE",
                        help="a CP-SAT parameter for the optimisation, e.g. "
                             "subsolvers=\"['no_lp','core']\" (repeatable)")
    parser.add_argument("--flat", action="store_true",
                        help="minimise one weighted sum of every rule instead of the tiers")
    parser.add_argument("--command", action="store_true",
                        help="also run the whole `scheduler solve` command of each run and "
                             "measure its wall time, peak memory and time after the search")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--one-command", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replot:
        runs = json.loads((args.replot / "timetable_runs.json").read_text(encoding="utf-8"))
        plot_curves(runs, args.replot / "timetable.png")
        return
    if args.one:
        row = run_one(args.one, args.time_limit, args.seeds[0], args.workers, args.clock,
                      args.set, args.flat, args.cpsat)
        print(json.dumps(row))
        return
    if args.one_command:
        print(json.dumps(run_command(args.one_command, args.time_limit, args.seeds[0],
                                     args.workers)))
        return
    if args.out is None:
        name = "-".join(Path(spec).name for spec in args.instances)
        args.out = ROOT / "benchmarks" / "results" / "timetable" / name
    limits = dict(item.split("=") for item in args.limits.split(",") if item)
    rows = []
    for spec in args.instances:
        for seed in args.seeds:
            limit = float(limits.get(spec, args.time_limit))
            command = [sys.executable, __file__, "--one", spec, "--time-limit", str(limit),
                       "--seeds", str(seed), "--workers", str(args.workers),
                       "--clock", args.clock, *(["--code", str(args.code)] if args.code else []),
                       *(f"--set={item}" for item in args.set),
                       *(f"--cpsat={item}" for item in args.cpsat),
                       *(["--flat"] if args.flat else [])]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{spec} seed {seed}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(f"{spec} seed {seed}: {row['status']} objective {row.get('objective')} "
                  f"bound {row.get('best_bound')} norm {row.get('norm_cost')} "
                  f"(bound {row.get('norm_bound')}) first {row.get('first_verified_s')} s "
                  f"peak {row['peak_rss_mb']} MB ({row.get('peak_phase')})", flush=True)
            if args.command:
                command[2] = "--one-command"
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(f"{spec} seed {seed}: the command failed\n{done.stderr[-2000:]}",
                          file=sys.stderr)
                    continue
                row.update(json.loads(done.stdout.strip().splitlines()[-1]))
                print(f"{spec} seed {seed}: the whole command {row['command_wall_s']} s, "
                      f"{row['after_search_s']} s after the search, peak "
                      f"{row['command_peak_rss_mb']} MB ({row.get('command_peak_phase')})",
                      flush=True)
    if not rows:
        sys.exit("every run failed: nothing written")
    write_results(rows, args.out)


def write_results(rows: list[dict], out: Path) -> None:
    """All runs as CSV, and with their progress traces as JSON (for ``--replot``), medians as
    markdown, objective/bound curves as a picture."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "timetable_runs.json").write_text(json.dumps(rows, indent=1) + "\n",
                                             encoding="utf-8")
    fields = [k for k in rows[0] if k not in ("trace", "costs", "tiers")] if rows else []
    with (out / "timetable_runs.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    columns = ["students", "courses", "time_limit", "first_verified_s", "objective_at_10s",
               "objective_at_30s", "objective_at_60s", "objective_at_300s", "objective",
               "best_bound", "gap", "norm_cost", "norm_bound", "comfort_cost", "peak_rss_mb",
               "variables", "constraints", "lns_variables", "lns_constraints"]
    columns += [c for c in ("command_wall_s", "after_search_s", "command_peak_rss_mb")
                if any(c in r for r in rows)]
    lines = ["| instance | runs | strategy | " + " | ".join(columns) + " |",
             "|---" * (len(columns) + 3) + "|"]
    for spec in dict.fromkeys(r["instance"] for r in rows):
        mine = [r for r in rows if r["instance"] == spec]
        medians = [_median([r.get(c) for r in mine]) for c in columns]
        strategy = mine[0].get("strategy", "")
        lines.append(f"| {spec} | {len(mine)} | {strategy} | "
                     + " | ".join("-" if m is None else str(m) for m in medians) + " |")
    (out / "timetable.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot_curves(rows, out / "timetable.png")


def plot_curves(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    specs = list(dict.fromkeys(r["instance"] for r in rows))
    figure = Figure(figsize=(6 * len(specs), 4), layout="constrained")
    axes = figure.subplots(1, len(specs), squeeze=False)[0]
    for ax, spec in zip(axes, specs, strict=True):
        run = next(r for r in rows if r["instance"] == spec)
        trace = [t for t in run.get("trace", []) if t[3] in ("feasible", "optimize", "lns")
                 and t[1] is not None]
        if trace:
            ax.step([t[0] for t in trace], [t[1] for t in trace], where="post",
                    label="objective")
            bounds = [(t[0], t[2]) for t in run.get("trace", [])
                      if t[3] in ("optimize", "bound") and t[2] is not None]
            if bounds:
                ax.step([b[0] for b in bounds], [b[1] for b in bounds], where="post",
                        label="bound")
        ax.set_title(f"{spec} (seed {run['seed']})")
        ax.set_xlabel("seconds")
        ax.set_ylabel("weighted soft cost")
        if ax.get_legend_handles_labels()[0]:  # a run without a trace draws nothing to label
            ax.legend()
    figure.savefig(path, dpi=120)


if __name__ == "__main__":
    main()

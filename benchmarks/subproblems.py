"""Where an LNS sub-problem's time goes, and what it gains: fixed neighbourhoods of one timetable.

Makes a timetable of an instance (the first timetable, then ``--lns`` seconds of the search, 2
workers, seed 0; cached in ``--cache`` so that later runs start from the very same one), draws
``--count`` neighbourhoods of ``--size`` courses with a fixed seed (the operators in turn), and
solves each once per variant the way the search does (sub-model, the incumbent measured, the
incumbent as a complete hint, one worker, the engine's parameters, 0.5 units of deterministic
time). Prints, per variant: seconds spent building the sub-models, measuring the incumbent and
searching, the part of the searching spent in CP-SAT's presolve (from its log), the sub-problems
that ended with no solution, the summed gain (each neighbourhood against the same timetable)
and the gain per second. Examples::

    python benchmarks/subproblems.py default --size 8
    python benchmarks/subproblems.py steady --lns 230 --count 40 --size 8 16 \
        --variant "{}" --variant "{'sub_tight': False}"
    python benchmarks/subproblems.py default --variant "{'sub_tight': False}" \
        --cpsat "{'cp_model_probing_level': 0}"

A variant is a dict of ``LnsSettings`` fields; ``--cpsat`` adds CP-SAT parameters to every
sub-problem. Gains are not comparable between timetables: compare variants in one run.
"""

from __future__ import annotations

import argparse
import ast
import pickle
import random
import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ortools.sat.python import cp_model  # noqa: E402
from timetable import load  # noqa: E402

from scheduler.cpsat import SolverParams, configure_solver  # noqa: E402
from scheduler.model import lns  # noqa: E402
from scheduler.model.context import SolveContext  # noqa: E402
from scheduler.model.neighbourhoods import OPERATORS, CourseIndex  # noqa: E402
from scheduler.model.params import SolveRequest  # noqa: E402
from scheduler.model.solve import DEFAULT_SETTINGS, first_timetable  # noqa: E402

DETERMINISTIC_LIMIT = 0.5


@dataclass
class Split:
    """What the neighbourhoods of one variant cost and gained."""

    build: float = 0.0
    measure: float = 0.0
    search: float = 0.0
    presolve: float = 0.0
    empty: int = 0
    gain: int = 0
    variables: list[int] = field(default_factory=list)

    def line(self, label: str) -> str:
        total = self.build + self.measure + self.search
        sizes = sorted(self.variables or [0])
        return (f"{label:60s} build {self.build:5.1f} s  measure {self.measure:4.1f} s  "
                f"search {self.search:5.1f} s (presolve {self.presolve:5.1f} s)  "
                f"no solution {self.empty:2d}  gain {self.gain:6d}  "
                f"gain/s {self.gain / total:7.1f}  median variables {sizes[len(sizes) // 2]}")


def context(instance) -> SolveContext:
    """A flat solve of ``instance`` with the shipped settings, 2 workers, seed 0."""
    params = SolverParams(time_limit=60, workers=2, seed=0)
    return SolveContext.start(instance, params, SolveRequest(flat=True), DEFAULT_SETTINGS)


def timetable(spec: str, ctx: SolveContext, seconds: float, cache: Path) -> dict:
    """The chosen options of the timetable the neighbourhoods start from (cached)."""
    path = cache / f"{Path(spec).stem}-lns{seconds:g}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    first = first_timetable(ctx)
    start = lns.measure(ctx.instance, ctx.calendar, ctx.options,
                        lns.read_choice(first.model, first.solver))
    result = lns.run_lns(ctx, start, time.perf_counter() + seconds)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(result.incumbent.chosen))
    return result.incumbent.chosen


def presolve_seconds(log: list[str]) -> float:
    """Seconds from the start of a CP-SAT run to the end of its presolve, from its log."""
    for line in log:
        found = re.match(r"#Bound\s+([\d.]+)s best:inf", line) or re.match(r"#1\s+([\d.]+)s",
                                                                             line)
        if found:
            return float(found.group(1))
    return 0.0


def run_variant(ctx: SolveContext, chosen: dict, neighbourhoods: list, cpsat: dict) -> Split:
    extra = {**ctx.settings.sub_parameters(), "max_deterministic_time": DETERMINISTIC_LIMIT,
             **cpsat}
    params = SolverParams(workers=1, time_limit=10, extra=extra)
    split = Split()
    for found in neighbourhoods:
        free = set(found.free)
        began = time.perf_counter()
        part = lns.SubModel.build(ctx, chosen, free, found.dates, found.rooms_only,
                                  ctx.settings.time_rooms)
        built = time.perf_counter()
        evaluation = part.evaluate(chosen, params)
        measured = time.perf_counter()
        split.build += built - began
        split.measure += measured - built
        if evaluation.costs is None:
            split.empty += 1
            continue
        lns.hint_values(part.tm.model, evaluation.values)
        solver, solved, log = solve_logged(part.tm.model, params)
        split.search += time.perf_counter() - measured
        split.presolve += presolve_seconds(log)
        split.variables.append(len(part.tm.model.proto.variables))
        if not solved:
            split.empty += 1
            continue
        split.gain += max(0, sum(evaluation.costs.values())
                          - sum(part.tier_costs(solver).values()))
    return split


def solve_logged(model, params: SolverParams):
    """Solve ``model`` as :func:`~scheduler.cpsat.run_cpsat` would, with CP-SAT's log
    collected: the solver, whether it found a solution, and the log's lines."""
    solver = configure_solver(replace(params, log_search=True))
    log: list[str] = []
    solver.parameters.log_to_stdout = False
    solver.log_callback = log.append
    status = solver.solve(model)
    return solver, status in (cp_model.OPTIMAL, cp_model.FEASIBLE), log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", help="default, steady, gen<k>x or a path")
    parser.add_argument("--lns", type=float, default=25.0,
                        help="seconds of search that make the starting timetable [25]")
    parser.add_argument("--count", type=int, default=30, help="neighbourhoods [30]")
    parser.add_argument("--size", type=int, nargs="+", default=[8], help="courses [8]")
    parser.add_argument("--seed", type=int, default=7, help="seed of the neighbourhoods [7]")
    parser.add_argument("--variant", action="append", default=None,
                        help="LnsSettings fields as a Python dict [\"{}\": as shipped]")
    parser.add_argument("--cpsat", default="{}", help="CP-SAT parameters as a Python dict")
    parser.add_argument("--cache", type=Path, default=ROOT / ".benchmarks-cache",
                        help="folder of the cached starting timetables")
    args = parser.parse_args()
    ctx = context(load(args.instance))
    chosen = timetable(args.instance, ctx, args.lns, args.cache)
    cpsat = ast.literal_eval(args.cpsat)
    index = CourseIndex(ctx.instance, ctx.options, frozenset())
    names = sorted(OPERATORS)
    for size in args.size:
        rng = random.Random(args.seed)
        drawn = [OPERATORS[names[k % len(names)]](index, chosen, rng, size)
                 for k in range(args.count)]
        neighbourhoods = [n for n in drawn if n.free]
        for text in args.variant or ["{}"]:
            settings = replace(DEFAULT_SETTINGS, **ast.literal_eval(text))
            split = run_variant(replace(ctx, settings=settings), chosen, neighbourhoods, cpsat)
            print(split.line(f"size {size} {text} {args.cpsat}"), flush=True)


if __name__ == "__main__":
    main()

"""Planned trips at the steady size: every visitor of ``cqupt-fefu-steady`` planned.

The shipped instance's travel windows are removed and one ``trip_rules`` row per visiting
institution plans them instead (arrival after the term's first Monday minus the travel days,
departure by the day after the term, the term's longest stay, two trips at most, a week at
home between them, the default costs). The same instance with the shipped windows is solved
too, with the same weights, and both timetables are verified. Reported: time to the first
verified plan, trips, days abroad, trip cost, and each tier's cost of both sides (the norm
tier when the objective has levels). Writes ``<out>/planned_trips.json`` and
``<out>/planned_trips.md`` (``<out>`` defaults to ``benchmarks/results/planned_trips``)::

    python benchmarks/planned_trips.py --time-limit 300 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def planned(instance):
    """``instance`` with every visitor planned by its institution's trip rules."""
    from scheduler.instance import TripRule

    institutions = sorted({t.institution for t in instance.teachers if t.visiting})
    most = max((len(instance.windows_of(t.id)) for t in instance.teachers if t.visiting),
               default=1)
    rules = tuple(TripRule(institution=name, max_trips=max(2, most)) for name in institutions)
    return replace(instance, travel_windows=(), trip_rules=rules)


def trips_of(instance, timetable):
    """(trips, days abroad, trip cost) of the planned trips, or of the windows when fixed."""
    if timetable.trips:
        trips = [(t.arrival, t.departure) for t in timetable.trips]
        cost = sum(instance.trip_plan(t.teacher_id).cost(t.arrival, t.departure)
                   for t in timetable.trips)
    else:
        trips = [(w.arrival, w.departure) for w in instance.travel_windows]
        cost = None
    return len(trips), sum((b - a).days + 1 for a, b in trips), cost


def run(instance, time_limit: float, workers: int, seed: int) -> dict:
    from scheduler.cpsat import SolverParams
    from scheduler.model.solve import solve_timetable
    from scheduler.verify import verify_timetable

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    result = solve_timetable(instance, SolverParams(time_limit=time_limit, workers=workers,
                                                    seed=seed))
    wall = time.perf_counter() - started
    stats = result.stats
    row: dict = {"status": str(result.status), "wall_time": round(wall, 1),
                 "time_to_first": round(stats.time_to_first, 1)
                 if stats and stats.time_to_first is not None else None,
                 "strategy": stats.params.get("strategy") if stats else None,
                 "lns_iterations": stats.params.get("lns_iterations") if stats else None,
                 "load": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    if result.timetable is None:
        return row
    verification = verify_timetable(instance, result.timetable)
    trips, days, cost = trips_of(instance, result.timetable)
    row.update(verified=verification.ok, objective=verification.objective, trips=trips,
               days_abroad=days, trip_cost=cost, norm=verification.tiers.get("norm"),
               tiers=verification.tiers, terms=verification.weighted)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sides", choices=("both", "planned", "fixed"), default="both",
                        help="solve both sides, or only one (the other is left out)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" /
                        "planned_trips")
    args = parser.parse_args(argv)
    from scheduler.io.reader import read_instance
    from scheduler.paths import STEADY_INSTANCE

    fixed = read_instance(STEADY_INSTANCE)
    sides = {}
    if args.sides in ("both", "planned"):
        sides["planned"] = run(planned(fixed), args.time_limit, args.workers, args.seed)
    if args.sides in ("both", "fixed"):
        sides["fixed"] = run(fixed, args.time_limit, args.workers, args.seed)
        # the shipped windows priced with the planned side's rules, for the comparison
        plan_rules = planned(fixed)
        sides["fixed"]["trip_cost"] = sum(
            plan_rules.trip_plan(w.teacher_id).cost(w.arrival, w.departure)
            for w in fixed.travel_windows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "planned_trips.json").write_text(json.dumps(
        {"time_limit": args.time_limit, "workers": args.workers, "seed": args.seed,
         "sides": sides}, indent=1, default=str) + "\n", encoding="utf-8")
    lines = [f"# Planned trips, cqupt-fefu-steady ({args.time_limit:.0f} s, {args.workers} "
             "workers)", "", "| side | status | first (s) | verified | trips | days abroad | "
             "trip cost | norm tier | objective | load (1 min, start/end) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, row in sides.items():
        lines.append(f"| {name} | {row['status']} | {row.get('time_to_first')} | "
                     f"{row.get('verified')} | {row.get('trips')} | {row.get('days_abroad')} | "
                     f"{row.get('trip_cost')} | {row.get('norm')} | {row.get('objective')} | "
                     f"{row.get('load')} |")
    (args.out / "planned_trips.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

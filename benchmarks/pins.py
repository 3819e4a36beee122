"""Benchmark pins (not a test): re-solve a delay scenario with a share of the meetings pinned,
and without pins.

Steps: solve INSTANCE for ``--base-time`` seconds (or read ``--baseline``): a verified
timetable, saved as ``baseline.csv`` in the output folder; pin ``--share`` of its meetings,
drawn at random (``--seed``) as the model pins them: a weekly course's slot with all its
weeks, or one meeting of an intensive course (pin units are drawn until the share of the
meetings is reached, so that 30 % means 30 % of the meetings fixed, not a meeting of nearly
every weekly slot); draw
``--visitors`` visiting teachers and delay their first trip by ``--delay`` days; run that
scenario against the pinned baseline (``relax_pins``: pins the delay makes impossible, such as
a late visitor's own meetings, are broken and counted) and against the same baseline without
pins. Each run: status, seconds, meetings moved (of the baseline, as the verifier counts
``moved_meeting``), pins kept and broken, and the verified objective with and without the
change terms.

    python benchmarks/pins.py instances/cqupt-fefu-steady --share 0.3 --delay 7 --visitors 2 \\
        --base-time 600 --time-limit 600 --workers 2 --seed 0
    python benchmarks/pins.py --base-time 20 --time-limit 20     # the default instance

Outputs (``--out``, default ``benchmarks/results/pins/<instance>``): ``pins.json`` (the runs)
and ``pins.md`` (a table).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.atomic import write_text_atomic  # noqa: E402
from scheduler.calendar import TermCalendar  # noqa: E402
from scheduler.cpsat import SolverParams  # noqa: E402
from scheduler.instance import Instance  # noqa: E402
from scheduler.io.reader import read_instance  # noqa: E402
from scheduler.model.pins import group_pins  # noqa: E402
from scheduler.model.solve import solve_timetable  # noqa: E402
from scheduler.paths import DEFAULT_INSTANCE  # noqa: E402
from scheduler.scenarios import parse_scenario  # noqa: E402
from scheduler.scenarios.changes import Scenario  # noqa: E402
from scheduler.scenarios.run import ScenarioParams, run_scenario  # noqa: E402
from scheduler.timetable import Meeting, Timetable  # noqa: E402
from scheduler.timetable_io import read_timetable, write_timetable_csv  # noqa: E402
from scheduler.verify import verify_timetable  # noqa: E402


def baseline_of(instance: Instance, args: argparse.Namespace) -> Timetable:
    """The verified timetable the scenario starts from."""
    if args.baseline is not None:
        timetable = read_timetable(args.baseline)
    else:
        result = solve_timetable(instance, SolverParams(time_limit=args.base_time,
                                                        workers=args.workers, seed=args.seed))
        if result.timetable is None:
            raise SystemExit(f"no baseline: the solve ended {result.status}")
        timetable = result.timetable
    if not verify_timetable(instance, timetable).ok:
        raise SystemExit("the baseline fails verification")
    return timetable


def drawn_pins(instance: Instance, baseline: Timetable, share: float,
               rng: random.Random) -> list[Meeting]:
    """Pin units (a weekly slot with all its weeks, or an intensive meeting) drawn at random
    until ``share`` of the meetings of ``baseline`` are pinned."""
    units = [pin.meetings for pin in group_pins(instance, TermCalendar(instance),
                                                baseline.meetings)]
    rng.shuffle(units)
    target, pinned = round(share * len(baseline)), []
    for meetings in units:
        if len(pinned) >= target:
            break
        pinned.extend(meetings)
    return pinned


def delay_scenario(instance: Instance, visitors: int, days: int,
                   rng: random.Random) -> Scenario:
    """The first trip of ``visitors`` visiting teachers drawn at random, ``days`` late."""
    travelling = sorted({w.teacher_id for w in instance.travel_windows})
    chosen = sorted(rng.sample(travelling, min(visitors, len(travelling))))
    changes = "".join(f"  - change: shift_trip\n    teacher: {t}\n    trip: 1\n"
                      f"    days: {days}\n" for t in chosen)
    return parse_scenario(f"name: {', '.join(chosen)} {days} days late\nchanges:\n{changes}",
                          "benchmark")


def run(instance: Instance, scenario: Scenario, baseline: Timetable, label: str,
        args: argparse.Namespace) -> dict[str, Any]:
    """One scenario run against ``baseline``, measured."""
    params = ScenarioParams(time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                            explain_time=args.time_limit, relax_pins=True)
    started = time.perf_counter()
    comparison = run_scenario(instance, scenario, params, baseline=baseline)
    seconds = time.perf_counter() - started
    side = comparison.changed
    choice = comparison.pin_choice
    return {
        "run": label, "status": side.status, "feasible": side.feasible,
        "relaxed": side.relaxed, "not_optimised": side.not_optimised or None,
        "seconds": round(seconds, 1),
        "meetings": len(baseline), "pinned": len(baseline.pinned),
        "pins_kept_meetings": comparison.pinned,
        "pins_broken": 0 if choice is None else len(choice.broken),
        "pins_broken_meetings": 0 if choice is None else choice.broken_meetings,
        "pins_choice_proven": None if choice is None else choice.optimal,
        "meetings_moved": comparison.moved_meetings if side.timetable else None,
        "meetings_dropped": comparison.dropped_meetings if side.timetable else None,
        "objective": None if side.verification is None else side.verification.objective,
        "quality_objective": side.quality, "load": round(os.getloadavg()[0], 1),
    }


def markdown(rows: list[dict[str, Any]], note: str) -> str:
    columns = ("run", "status", "seconds", "pinned", "pins_kept_meetings", "pins_broken",
               "pins_broken_meetings", "meetings_moved", "meetings_dropped",
               "quality_objective", "objective", "load")
    lines = [note, "", "| " + " | ".join(columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join("-" if r[c] is None else str(r[c]) for c in columns) + " |"
              for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("instance", nargs="?", type=Path, default=DEFAULT_INSTANCE)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a verified timetable of INSTANCE [default: solve it first]")
    parser.add_argument("--share", type=float, default=0.3, help="share of meetings pinned")
    parser.add_argument("--visitors", type=int, default=2, help="visiting teachers delayed")
    parser.add_argument("--delay", type=int, default=7, help="days each is delayed")
    parser.add_argument("--base-time", type=float, default=60.0,
                        help="seconds to solve the baseline")
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="seconds per scenario solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    instance = read_instance(args.instance)
    rng = random.Random(args.seed)
    baseline = baseline_of(instance, args)
    out = args.out or ROOT / "benchmarks" / "results" / "pins" / args.instance.name
    out.mkdir(parents=True, exist_ok=True)
    write_timetable_csv(instance, baseline, out / "baseline.csv")
    pinned = baseline.with_pins(drawn_pins(instance, baseline, args.share, rng))
    scenario = delay_scenario(instance, args.visitors, args.delay, rng)
    print(f"{args.instance.name}: {len(baseline)} meetings, {len(pinned.pinned)} pinned; "
          f"{scenario.name}", flush=True)
    rows = []
    for label, start in (("pinned", pinned), ("no pins", baseline)):
        row = run(instance, scenario, start, label, args)
        rows.append(row)
        print(json.dumps(row), flush=True)
    write_text_atomic(out / "pins.json", json.dumps(rows, indent=1) + "\n")
    source = (f"baseline solved for {args.base_time:g} s" if args.baseline is None
              else f"baseline {args.baseline}")
    note = (f"{args.instance.name}: {len(baseline)} meetings, {len(pinned.pinned)} "
            f"({args.share:.0%}) pinned at random (seed {args.seed}); scenario: "
            f"{scenario.name}; scenario time limit {args.time_limit:g} s, {args.workers} "
            f"workers; {source}")
    write_text_atomic(out / "pins.md", markdown(rows, note))
    print(f"wrote {out / 'pins.json'} and {out / 'pins.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Merge CB-CTT instances into one larger instance, for measuring how the CB-CTT mode scales.

The public instances have at most 131 courses; real departments (and some benchmark sets that
are not in ``../shared``) have several hundred. Instances with the same days and periods per
day are put side by side: every course, teacher, room and curriculum of input ``k`` is renamed
with the prefix ``m{k}_``, so the parts share nothing but the periods, and any room may hold any
course (rooms of one part are free for the lectures of another). Written in the ``.ctt`` format
(the ``.ectt`` extras are dropped).

    python benchmarks/merge_ctt.py merged.ctt comp06.ctt comp07.ctt comp10.ctt comp16.ctt comp20.ctt
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scheduler.cbctt.instance import CbcttInstance  # noqa: E402
from scheduler.cbctt.reader import read_cbctt  # noqa: E402
from scheduler.errors import InputError  # noqa: E402


def merged_text(parts: Sequence[CbcttInstance], name: str = "merged") -> str:
    """The ``.ctt`` text of ``parts`` side by side (see the module docstring)."""
    if not parts:
        raise ValueError("nothing to merge")
    shape = {(p.days, p.periods_per_day) for p in parts}
    if len(shape) > 1:
        raise ValueError(f"instances differ in days and periods per day: {sorted(shape)}")
    days, ppd = shape.pop()
    courses, rooms, curricula, unavailable = [], [], [], []
    for k, part in enumerate(parts):
        tag = f"m{k}_"
        courses += [f"{tag}{c.id} {tag}{c.teacher} {c.lectures} {c.min_working_days} "
                    f"{c.students}" for c in part.courses]
        rooms += [f"{tag}{r.id} {r.capacity}" for r in part.rooms]
        curricula += [f"{tag}{q.id} {len(q.courses)} " + " ".join(tag + c for c in q.courses)
                      for q in part.curricula]
        unavailable += [f"{tag}{c} {d} {p}" for c, d, p in sorted(part.unavailability)]
    header = [f"Name: {name}", f"Courses: {len(courses)}", f"Rooms: {len(rooms)}",
              f"Days: {days}", f"Periods_per_day: {ppd}", f"Curricula: {len(curricula)}",
              f"Constraints: {len(unavailable)}"]
    sections = [("COURSES:", courses), ("ROOMS:", rooms), ("CURRICULA:", curricula),
                ("UNAVAILABILITY_CONSTRAINTS:", unavailable)]
    lines = [*header, ""]
    for title, rows in sections:
        lines += [title, *rows, ""]
    return "\n".join([*lines, "END.", ""])


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="the merged .ctt file to write")
    p.add_argument("instances", nargs="+", type=Path, help=".ctt or .ectt files")
    p.add_argument("--name", default="merged", help="the merged instance's name")
    args = p.parse_args(argv)
    try:
        text = merged_text([read_cbctt(path) for path in args.instances], args.name)
    except (InputError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

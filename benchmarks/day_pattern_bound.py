"""Diagnosis: the LP bound of a day-pattern formulation (docs/performance.md, "what was tried").

Each cohort's day is priced exactly: per leaf cohort and date, a convex combination of the
sets of non-overlapping blocks the cohort could be taught in that day, each set costing its
idle periods, single-meeting day, missed lunch and overload. Per block, the options that
would teach the cohort in that block that date add up to the weight of the sets holding the
block (assigning courses to the blocks of a set is independent per block, so this is the
whole day-pattern polytope, without column generation). The rest is the usual relaxation:
options in [0, 1] with delivery, teacher clashes and load limits, intensive daily limits,
optionally rooms (``--rooms``: room choice, room clashes, exact seat waste per room),
linear forms of the per-option and per-course terms (per-option costs are the verifier's own
counts of each option alone). Building changes, visitors' idle days, room and interpreter
changes count 0. Every timetable is a point of this LP at its own cost or less, so its
optimum is a lower bound. Solved with GLOP (OR-Tools' LP solver), or as a MIP with options and
day sets integer (``--solver CP_SAT``, ``SCIP`` or ``HIGHS``, the best bound in ``--seconds``)::

    python benchmarks/day_pattern_bound.py [INSTANCE] [--rooms] [--solver S --seconds T]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

from ortools.linear_solver import pywraplp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.calendar import TermCalendar  # noqa: E402
from scheduler.instance import Block, Instance  # noqa: E402
from scheduler.io.reader import read_instance  # noqa: E402
from scheduler.model.builder import leaf_cohorts  # noqa: E402
from scheduler.model.objective import regular_weeks  # noqa: E402
from scheduler.model.options import Option, OptionSet, build_options, room_limit  # noqa: E402
from scheduler.paths import DEFAULT_INSTANCE  # noqa: E402
from scheduler.timetable import Meeting, Timetable  # noqa: E402
from scheduler.verify.soft import soft_costs  # noqa: E402

PER_OPTION = ("evening_period", "adjusted_day_meeting", "teacher_avoided_period",
              "teacher_unpreferred_period")


class DayPatternLP:
    """The LP described in the module docstring."""

    def __init__(self, instance: Instance, options: OptionSet, calendar: TermCalendar,
                 rooms: bool, solver: str = "GLOP") -> None:
        self.instance = instance
        self.weights = instance.weights
        self.options = options
        self.calendar = calendar
        self.lp = pywraplp.Solver.CreateSolver(solver)
        self.integral = solver != "GLOP"
        self.objective = self.lp.Objective()
        self.objective.SetMinimization()
        variable = self.lp.IntVar if self.integral else self.lp.NumVar
        self.x = {o.index: variable(0, 1, f"x{o.index}") for o in options.options}
        self.by_teacher: dict[str, list[Option]] = defaultdict(list)
        for o in options.options:
            for t in o.course.teachers:
                self.by_teacher[t].append(o)
        self.day_sets: dict[tuple[str, dt.date, tuple[Block, ...]], pywraplp.Variable] = {}
        self.option_costs(rooms)
        self.delivery()
        self.teachers()
        self.intensive_limits()
        self.course_spread()
        self.day_flag_terms()
        self.week_imbalance()
        self.cohort_days()

    def row(self, low: float, high: float, terms: list[tuple[pywraplp.Variable, float]]) -> None:
        constraint = self.lp.Constraint(low, high)
        for var, coefficient in terms:
            constraint.SetCoefficient(var, coefficient)

    def new(self, cost: float, top: float = 1.0) -> pywraplp.Variable:
        var = self.lp.NumVar(0, top, "")
        self.objective.SetCoefficient(var, cost)
        return var

    def costs_alone(self, o: Option, room: str) -> dict[str, int]:
        """The verifier's weighted costs of the option's meetings alone, in ``room``."""
        who = o.interpreters[0] if o.interpreters else None
        meetings = tuple(Meeting(d.date, o.block.first_period, o.block.last_period,
                                 o.course.id, room, who) for d in o.days)
        return soft_costs(self.instance, Timetable(meetings))[1]

    def option_costs(self, rooms: bool) -> None:
        room_vars: dict[tuple[int, str], pywraplp.Variable] = {}
        for o in self.options.options:
            alone = {r: self.costs_alone(o, r) for r in o.rooms}
            waste = {r: costs.get("seat_waste", 0) for r, costs in alone.items()}
            linear = sum(alone[o.rooms[0]].get(name, 0) for name in PER_OPTION)
            if not rooms:
                self.objective.SetCoefficient(self.x[o.index], linear + min(waste.values()))
                continue
            self.objective.SetCoefficient(self.x[o.index], linear)
            for r in o.rooms:
                room_vars[(o.index, r)] = self.new(waste[r])
            self.row(0, 0, [(self.x[o.index], -1)] + [(room_vars[(o.index, r)], 1)
                                                       for r in o.rooms])
        if rooms:
            at: dict[tuple, list[pywraplp.Variable]] = defaultdict(list)
            for o in self.options.options:
                for r in o.rooms:
                    for dated in o.dated_periods():
                        at[(r, dated)].append(room_vars[(o.index, r)])
            for group in at.values():
                if len(group) > 1:
                    self.row(-self.lp.infinity(), 1, [(v, 1) for v in group])

    def delivery(self) -> None:
        for c in self.instance.courses:
            mine = self.options.by_course.get(c.id, [])
            if c.delivery == "weekly":
                self.row(c.meetings_per_week, c.meetings_per_week,
                         [(self.x[o.index], 1) for o in mine])
                self.row(c.contact_periods, self.lp.infinity(),
                         [(self.x[o.index], o.periods_delivered) for o in mine])
            else:
                self.row(c.contact_periods, c.contact_periods,
                         [(self.x[o.index], c.meeting_length) for o in mine])

    def teachers(self) -> None:
        inf = self.lp.infinity()
        for teacher_id, mine in self.by_teacher.items():
            teacher = self.instance.teacher_by_id[teacher_id]
            at: dict[tuple, set[int]] = defaultdict(set)
            daily: dict[dt.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
            weekly: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
            for o in mine:
                for dated in o.dated_periods():
                    at[dated].add(o.index)
                for d in o.days:
                    daily[d.date][o.index] += o.block.length
                    weekly[d.calendar_week][o.index] += o.block.length
            for group in {tuple(sorted(g)) for g in at.values() if len(g) > 1}:
                self.row(-inf, 1, [(self.x[i], 1) for i in group])
            for table, limit in ((daily, teacher.max_periods_per_day),
                                 (weekly, teacher.max_periods_per_week)):
                for load in table.values():
                    if limit is not None and sum(load.values()) > limit:
                        self.row(-inf, limit, [(self.x[i], k) for i, k in load.items()])

    def intensive_limits(self) -> None:
        for c in self.instance.courses:
            if c.delivery != "intensive" or not c.max_periods_per_day:
                continue
            daily: dict[dt.date, list[Option]] = defaultdict(list)
            for o in self.options.by_course.get(c.id, []):
                daily[o.days[0].date].append(o)
            for mine in daily.values():
                self.row(-self.lp.infinity(), c.max_periods_per_day,
                         [(self.x[o.index], o.block.length) for o in mine])

    def course_spread(self) -> None:
        w = self.weights
        for c in self.instance.courses:
            if c.delivery != "weekly" or (c.meetings_per_week or 0) < 2:
                continue
            by_day: dict[int, list[Option]] = defaultdict(list)
            for o in self.options.by_course.get(c.id, []):
                by_day[o.weekday].append(o)
            meets = {}
            for day, mine in by_day.items():
                if w.course_same_day and len(mine) > 1:
                    extra = self.new(w.course_same_day, self.lp.infinity())
                    self.row(-1, self.lp.infinity(),
                             [(extra, 1)] + [(self.x[o.index], -1) for o in mine])
                meets[day] = self.lp.NumVar(0, 1, "")
                for o in mine:
                    self.row(0, self.lp.infinity(), [(meets[day], 1), (self.x[o.index], -1)])
            if w.course_day_gap and w.min_day_gap > 1:
                for d1 in meets:
                    for d2 in meets:
                        if d1 < d2 < d1 + w.min_day_gap:
                            close = self.new(w.course_day_gap)
                            self.row(-1, self.lp.infinity(),
                                     [(close, 1), (meets[d1], -1), (meets[d2], -1)])

    def flags(self, mine: list[Option], daily_cap: int) -> dict[dt.date, pywraplp.Variable]:
        on: dict[dt.date, list[Option]] = defaultdict(list)
        for o in mine:
            for d in o.days:
                on[d.date].append(o)
        result = {}
        for date, options in on.items():
            flag = self.lp.NumVar(0, 1, "")
            for o in options:
                self.row(0, self.lp.infinity(), [(flag, 1), (self.x[o.index], -1)])
            self.row(0, self.lp.infinity(), [(flag, daily_cap)]
                     + [(self.x[o.index], -o.block.length) for o in options])
            result[date] = flag
        return result

    def day_flag_terms(self) -> None:
        w = self.weights
        for c in self.instance.courses:
            if c.delivery != "intensive" or not w.intensive_long_run:
                continue
            flags = self.flags(self.options.by_course.get(c.id, []),
                               c.max_periods_per_day or len(self.instance.periods))
            for start in flags:
                run = [start + dt.timedelta(days=k) for k in range(w.max_consecutive_days + 1)]
                if all(d in flags for d in run):
                    self.row(-w.max_consecutive_days, self.lp.infinity(),
                             [(self.new(w.intensive_long_run), 1)]
                             + [(flags[d], -1) for d in run])
        for t in self.instance.teachers:
            if t.visiting and w.visitor_teaching_day:
                for flag in self.flags(self.by_teacher[t.id], t.max_periods_per_day).values():
                    self.objective.SetCoefficient(flag, w.visitor_teaching_day)

    def week_imbalance(self) -> None:
        w = self.weights.teacher_week_imbalance
        regular = regular_weeks(self.calendar, self.instance)
        if not w or len(regular) < 2:
            return
        inf = self.lp.infinity()
        for t in self.instance.teachers:
            if t.visiting or t.id not in self.by_teacher:
                continue
            high, low = self.new(w, inf), self.new(-w, inf)
            for week in regular:
                load = [(self.x[o.index], -o.block.length * sum(d.calendar_week == week
                                                                 for d in o.days))
                        for o in self.by_teacher[t.id]]
                self.row(0, inf, [(high, 1), *load])
                self.row(-inf, 0, [(low, 1), *load])

    def cohort_days(self) -> None:
        """Per leaf cohort and date: block sets priced exactly, linked block by block."""
        leaves = {c.id: leaf_cohorts(self.instance, c) for c in self.instance.courses}
        cover: dict[tuple[str, dt.date], dict[str, list[Option]]] = defaultdict(
            lambda: defaultdict(list))
        for o in self.options.options:
            for leaf in leaves[o.course.id]:
                for d in o.days:
                    cover[(leaf, d.date)][o.block.id].append(o)
        sets = block_sets(self.instance.blocks)
        for (leaf, date), by_block in cover.items():
            weight_of = {b: self.lp.Constraint(0, 0) for b in by_block}
            for b, mine in by_block.items():
                for o in mine:
                    weight_of[b].SetCoefficient(self.x[o.index], 1)
            convex = self.lp.Constraint(1, 1)
            for blocks in sets:
                if any(b.id not in by_block for b in blocks):
                    continue
                share = self.new(day_cost(self.instance, blocks))
                if self.integral:
                    share.SetInteger(True)
                self.day_sets[(leaf, date, blocks)] = share
                convex.SetCoefficient(share, 1)
                for b in blocks:
                    weight_of[b.id].SetCoefficient(share, -1)

    def solve(self, seconds: float | None = None) -> float | None:
        """The LP optimum; for a MIP solver, the best bound proven within ``seconds``, or
        ``None`` when the solver ends without a solution (its bound is then not reported)."""
        if seconds is not None:
            self.lp.SetTimeLimit(int(seconds * 1000))
        status = self.lp.Solve()
        if not self.integral:
            if status != pywraplp.Solver.OPTIMAL:
                raise RuntimeError("the LP was not solved to optimality")
            return self.objective.Value()
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        return self.objective.BestBound()

    def cohort_day_share(self) -> float:
        """The part of the LP optimum spent on cohort days (idle, single, lunch, overload)."""
        return sum(self.objective.GetCoefficient(v) * v.solution_value()
                   for v in self.day_sets.values())


def block_sets(blocks: tuple[Block, ...]) -> list[tuple[Block, ...]]:
    """Every set of pairwise disjoint blocks (the empty set included), in period order."""
    ordered = sorted(blocks, key=lambda b: (b.first_period, b.last_period))
    result: list[tuple[Block, ...]] = []

    def extend(i: int, chosen: tuple[Block, ...], last: int) -> None:
        if i == len(ordered):
            result.append(chosen)
            return
        extend(i + 1, chosen, last)
        if ordered[i].first_period > last:
            extend(i + 1, (*chosen, ordered[i]), ordered[i].last_period)

    extend(0, (), 0)
    return result


def day_cost(instance: Instance, blocks: tuple[Block, ...]) -> int:
    """Idle periods, single meeting, missed lunch and overload of one cohort day."""
    if not blocks:
        return 0
    w = instance.weights
    taught = {p for b in blocks for p in b.periods}
    grid = [p.number for p in instance.periods]
    lunch = {p.number for p in instance.periods if p.lunch}
    idle = sum(1 for p in grid if min(taught) < p < max(taught) and p not in taught)
    overload = max(0, sum(b.length for b in blocks) - w.cohort_daily_cap)
    return (w.cohort_idle_period * idle + w.cohort_single_meeting_day * (len(blocks) == 1)
            + w.cohort_overload_period * overload
            + w.lunch_break_missed * bool(lunch and lunch <= taught))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("instance", nargs="?", default=str(DEFAULT_INSTANCE))
    parser.add_argument("--rooms", action="store_true", help="room choice and room clashes")
    parser.add_argument("--solver", default="GLOP",
                        help="GLOP: the LP; SCIP, CP_SAT, HIGHS: the same model with integer "
                             "options and day sets, solved for --seconds (its best bound)")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    started = time.perf_counter()
    instance = read_instance(args.instance)
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar, room_limit(instance))
    lp = DayPatternLP(instance, options, calendar, args.rooms, args.solver)
    built = time.perf_counter() - started
    bound = lp.solve(None if args.solver == "GLOP" else args.seconds)
    print(f"{lp.lp.NumVariables()} variables, {lp.lp.NumConstraints()} rows, built in "
          f"{built:.1f} s, solved in {time.perf_counter() - started - built:.1f} s")
    if args.solver == "GLOP":
        print(f"LP bound {bound:.1f}; of it on cohort days (idle, single, lunch, overload): "
              f"{lp.cohort_day_share():.1f}")
    else:
        print(f"{args.solver}: no solution and no bound within {args.seconds:g} s"
              if bound is None else
              f"{args.solver}: bound {bound:.1f}, best value {lp.objective.Value():.1f}")


if __name__ == "__main__":
    main()

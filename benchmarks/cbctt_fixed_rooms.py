"""Can a CB-CTT timetable keep every course in one room? Two measurements (not a test).

Room stability is what keeps comp07 above its best known UD2 cost (6): the period search
reaches a period cost of 6, and the final timetables keep 5–11 points of stability. This
script measures two ways of getting stability 0 from a finished solution:

* ``colour``: keep the solution's periods and give every course one room (a CP-SAT model:
  one room per course, at most one course per room and period, least capacity cost);
* ``search``: give every course the room holding most of its lectures, add each room's courses
  as one more conflict group (so that no room is double-booked whatever the periods), and run
  the solver's period search from scratch under those groups; then score the periods with the
  fixed rooms.

    python benchmarks/cbctt_fixed_rooms.py comp07.ctt comp07.seed2.sol --mode colour --time-limit 30
    python benchmarks/cbctt_fixed_rooms.py comp07.ctt comp07.seed2.sol --mode search --time-limit 90

Every score printed is the independent scorer's (``scheduler.cbctt.scorer``).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.reader import read_cbctt
from scheduler.cbctt.scorer import score
from scheduler.cbctt.solution import Assignment, Placement, read_solution
from scheduler.cbctt.solve import PhaseShares, solve_cbctt
from scheduler.cpsat import SolverParams


def main_rooms(solution: Assignment) -> dict[str, str]:
    """Each course's room holding most of its lectures."""
    use: dict[str, Counter[str]] = defaultdict(Counter)
    for p in solution:
        use[p.course][p.room] += 1
    return {course: rooms.most_common(1)[0][0] for course, rooms in use.items()}


def colour(instance: CbcttInstance, solution: Assignment, limit: float) -> None:
    """One room per course with the solution's periods kept: least capacity cost."""
    periods: dict[tuple[int, int], set[str]] = defaultdict(set)
    for p in solution:
        periods[p.day, p.period].add(p.course)
    model = cp_model.CpModel()
    y = {(c.id, r.id): model.new_bool_var(f"y[{c.id},{r.id}]")
         for c in instance.courses for r in instance.rooms}
    for c in instance.courses:
        model.add_exactly_one(y[c.id, r.id] for r in instance.rooms)
    for courses in periods.values():
        for r in instance.rooms:
            model.add_at_most_one(y[c, r.id] for c in courses)
    model.minimize(sum(y[c.id, r.id] * max(0, c.students - r.capacity) * c.lectures
                       for c in instance.courses for r in instance.rooms))
    rooms = main_rooms(solution)
    for (course, room), var in y.items():
        model.add_hint(var, rooms[course] == room)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 2
    start = time.monotonic()
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    cost = f"{solver.objective_value:.0f}" if found else "none found"
    print(f"colour: {solver.status_name(status)}, capacity cost {cost}, "
          f"bound {solver.best_objective_bound:.0f}, {time.monotonic() - start:.1f} s")


def search(path: str, instance: CbcttInstance, solution: Assignment, limit: float,
           seed: int) -> None:
    """The period search with each course's main room fixed and every room a conflict group."""
    rooms = main_rooms(solution)
    load = Counter[str]()
    for c in instance.courses:
        load[rooms[c.id]] += c.lectures
    print(f"fixed rooms: fullest room {max(load.values())} lectures in {instance.num_periods} "
          "periods")
    grouped = read_cbctt(path)
    members: dict[str, list[int]] = defaultdict(list)
    for c in instance.courses:
        members[rooms[c.id]].append(instance.course_index[c.id])
    groups = {frozenset(g) for g in (*grouped.curriculum_members, *grouped.teacher_groups,
                                     *members.values()) if len(g) > 1}
    kept = [g for g in groups if not any(g < h for h in groups)]
    # The instance caches its conflict groups; set them before the solver reads them.
    grouped.__dict__["conflict_cliques"] = tuple(sorted(tuple(sorted(g)) for g in kept))
    start = time.monotonic()
    result = solve_cbctt(grouped, SolverParams(limit, 2, seed), shares=PhaseShares(periods=0.98))
    fixed = tuple(Placement(p.course, rooms[p.course], p.day, p.period)
                  for p in result.assignment)
    print(f"search: {time.monotonic() - start:.1f} s, period cost {result.periods_cost}")
    print(f"periods with the fixed rooms: {score(instance, fixed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("solution")
    parser.add_argument("--mode", choices=("colour", "search"), default="colour")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    instance = read_cbctt(args.instance)
    solution = read_solution(args.solution, instance)
    print(f"given: {score(instance, solution)}")
    if args.mode == "colour":
        colour(instance, solution, args.time_limit)
    else:
        search(args.instance, instance, solution, args.time_limit, args.seed)


if __name__ == "__main__":
    main()

"""Rooms for given periods: the capacity-optimal matching, then settled period by period."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings

from scheduler.cbctt.instance import CbcttInstance, Course, Room
from scheduler.cbctt.model import timetable_cost
from scheduler.cbctt.rooms import assign_rooms, settle_rooms
from scheduler.cbctt.scorer import score
from scheduler.cbctt.solve import PhaseShares, solve_cbctt, to_assignment
from scheduler.cpsat import SolverParams
from tests.cbctt.test_properties import planted


def _periods(timetable):
    return [sorted(p for p, _ in lectures) for lectures in timetable]


def _split_course() -> CbcttInstance:
    """Course a (20 students) in periods 0 and 1, course b (25) in period 1; rooms of 50 and 30.

    The matching puts a in the large room in period 0 and, below b, in the small one in
    period 1: two rooms. Both fit in either room, so a can keep the small room throughout.
    """
    return CbcttInstance(
        "split", 1, 2,
        (Course("a", "t1", 2, 0, 20), Course("b", "t2", 1, 0, 25)),
        (Room("large", 50), Room("small", 30)), ())


def test_a_course_split_by_the_matching_keeps_one_room():
    inst = _split_course()
    matched = assign_rooms(inst, [[0, 1], [1]])
    assert score(inst, to_assignment(inst, matched)).room_stability == 1
    settled = settle_rooms(inst, matched)
    s = score(inst, to_assignment(inst, settled))
    assert s.feasible
    assert (s.room_stability, s.room_capacity) == (0, 0)
    assert settled[0] == ((0, 1), (1, 1))  # a in the small room both times


def test_nothing_changes_after_the_deadline_or_when_stopped():
    inst = _split_course()
    matched = assign_rooms(inst, [[0, 1], [1]])
    assert settle_rooms(inst, matched, deadline=time.perf_counter() - 1) == matched
    assert settle_rooms(inst, matched, stop=lambda: True) == matched


def _single_changes(inst: CbcttInstance, timetable):
    """Every timetable one lecture's room change away within its period: to a room empty in
    that period, or swapped with the lecture in that room."""
    rooms = range(len(inst.rooms))
    lectures = [(c, i) for c, ls in enumerate(timetable) for i in range(len(ls))]
    for c, i in lectures:
        p, r = timetable[c][i]
        for other in rooms:
            if other == r:
                continue
            moved = [list(ls) for ls in timetable]
            moved[c][i] = (p, other)
            for d, j in lectures:
                if timetable[d][j] == (p, other):
                    moved[d][j] = (p, r)
            yield tuple(tuple(sorted(ls)) for ls in moved)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_settled_rooms_keep_the_periods_and_no_single_change_is_cheaper(case):
    inst, plant = case
    for start in (plant, assign_rooms(inst, _periods(plant))):
        settled = settle_rooms(inst, start)
        assert settle_rooms(inst, start) == settled  # the same seed, the same rooms
        assert _periods(settled) == _periods(start)
        s = score(inst, to_assignment(inst, settled))
        assert s.feasible
        assert s.total == timetable_cost(inst, settled)
        assert s.total <= timetable_cost(inst, start)
        # a local optimum: no lecture can change room within its period for less
        for near in _single_changes(inst, settled):
            assert timetable_cost(inst, near) >= s.total


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_solver_claims_equal_the_scorer_with_and_without_settling(case):
    inst, _ = case
    for settle in (True, False):
        result = solve_cbctt(inst, SolverParams(time_limit=0.5, workers=1, seed=0),
                             shares=PhaseShares(settle=settle))
        assert result.has_solution
        s = score(inst, result.assignment)
        assert s.feasible
        assert s.total == result.cost


def _course_split_in_two_periods() -> CbcttInstance:
    """Course a (4 lectures) in room X in periods 0 and 1 and in room Y in periods 2 and 3;
    course d in room X in periods 2 and 3. Both rooms fit everyone.

    Moving one of a's lectures in period 2 or 3 to X pushes d into Y there: a still uses two
    rooms and d now uses two, so no change within a period is cheaper. Moving all of a's
    lectures to X at once (d to Y in both periods) leaves each course one room.
    """
    return CbcttInstance(
        "two-periods", 1, 4,
        (Course("a", "t1", 4, 0, 10), Course("d", "t2", 2, 0, 10)),
        (Room("X", 30), Room("Y", 30)), ())


def test_a_course_moved_into_one_room_at_once_where_no_period_move_helps():
    inst = _course_split_in_two_periods()
    start = (((0, 0), (1, 0), (2, 1), (3, 1)), ((2, 0), (3, 0)))
    assert timetable_cost(inst, start) == 1
    assert all(timetable_cost(inst, near) >= 1 for near in _single_changes(inst, start))
    settled = settle_rooms(inst, start)
    assert timetable_cost(inst, settled) == 0
    assert _periods(settled) == _periods(start)
    assert score(inst, to_assignment(inst, settled)).feasible

"""The CP-SAT model against the independent verifier, on hand-made and generated variations."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.instance import Booking, TimeMask, TravelWindow, Unavailability
from scheduler.model.baseline import keepable_courses
from scheduler.model.params import SolveRequest
from scheduler.model.solve import solve_timetable
from scheduler.timetable import Timetable
from scheduler.verify import verify_timetable
from tests.tiny import VALID_MEETINGS, D, m, tiny_instance, with_teacher

FAST = SolverParams(time_limit=10, workers=2, seed=1)


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def test_tiny_instance_solves_and_verifies():
    instance = tiny_instance()
    result = solve_timetable(instance, FAST)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok, verification.violations
    assert nonzero(result.objective_terms) == nonzero(verification.costs)
    assert result.stats.objective == verification.objective
    # every course gets what it needs
    by_course = {c.id: sum(x.length for x in result.timetable.of_course(c.id))
                 for c in instance.courses}
    assert by_course["I1"] == 6 and by_course["W1"] >= 8


def test_default_instance_solves_and_verifies(fall_instance):
    result = solve_timetable(fall_instance, SolverParams(time_limit=12, workers=2, seed=0))
    assert result.has_timetable
    verification = verify_timetable(fall_instance, result.timetable)
    assert verification.ok
    assert nonzero(result.objective_terms) == nonzero(verification.costs)
    assert result.stats.objective == verification.objective
    assert result.stats.time_to_first is not None and result.stats.time_to_first < 10


def test_course_without_any_possible_meeting_is_explained():
    instance = replace(tiny_instance(), travel_windows=(TravelWindow("V1", D(2026, 9, 16),
                                                                     D(2026, 9, 17)),))
    result = solve_timetable(instance, FAST)
    assert result.status == SolveStatus.INFEASIBLE and result.timetable is None
    assert any("course I1" in line and "not on site" in line for line in result.explanation)


def test_infeasible_instance_names_the_families_involved():
    # T1 must teach 8 periods a week (W1 4, W2 2, W3 2) but may teach only 6.
    instance = with_teacher(tiny_instance(), "T1", max_periods_per_week=6)
    result = solve_timetable(instance, FAST)
    assert result.status == SolveStatus.INFEASIBLE
    assert any(line.startswith("teacher limits: T1") for line in result.explanation), \
        result.explanation


masks = st.builds(
    lambda weekday, first, length: TimeMask(weekday=weekday, first_period=first,
                                            last_period=min(6, first + length)),
    st.integers(0, 4), st.integers(1, 6), st.integers(0, 2))

I1_MEETINGS = {  # V1's intensive course by its contact periods: 2-period meetings on
    4: (m(14, 5, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I1")),  # days V1 is on site,
    6: (m(14, 5, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I1"),   # at most 4 periods a day
        m(16, 3, "I1", "R1", "I1")),
    8: (m(14, 5, "I1", "R1", "I1"), m(15, 5, "I1", "R1", "I1"),
        m(16, 3, "I1", "R1", "I1"), m(16, 5, "I1", "R1", "I1")),
}


def witness(contact: int) -> Timetable:
    """The tiny instance's valid timetable with I1's meetings for ``contact`` periods: where
    the verifier passes it, the instance is feasible by construction."""
    return Timetable(tuple(x for x in VALID_MEETINGS if x.course_id != "I1")
                     + I1_MEETINGS[contact])


def variation(room_masks, teacher_masks, arrival: int, contact: int):
    base = tiny_instance()
    courses = tuple(replace(c, contact_periods=contact) if c.id == "I1" else c
                    for c in base.courses)
    return replace(
        base,
        bookings=base.bookings + tuple(Booking(r, mask) for r, mask in room_masks),
        unavailability=base.unavailability + tuple(Unavailability(p, mask)
                                                   for p, mask in teacher_masks),
        travel_windows=(TravelWindow("V1", D(2026, 9, arrival), D(2026, 9, 18)),),
        courses=courses,
    )


VARIATIONS = dict(
    room_masks=st.lists(st.tuples(st.sampled_from(["R1", "R2", "L1"]), masks), max_size=4),
    teacher_masks=st.lists(st.tuples(st.sampled_from(["T1", "T2", "I1"]), masks), max_size=3),
    arrival=st.integers(10, 14),
    contact=st.sampled_from([4, 6, 8]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**VARIATIONS)
def test_solver_output_always_passes_the_verifier(room_masks, teacher_masks, arrival, contact):
    instance = variation(room_masks, teacher_masks, arrival, contact)
    result = solve_timetable(instance, SolverParams(time_limit=5, workers=2, seed=0))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.INFEASIBLE)
    if verify_timetable(instance, witness(contact)).ok:
        assert result.timetable is not None, "a timetable exists, but the solver found none"
    if result.timetable is None:  # the variation may be infeasible: then it must say why
        assert result.status == SolveStatus.INFEASIBLE and result.explanation
    assume(result.timetable is not None)
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok, verification.violations
    if result.optimised:
        assert nonzero(result.objective_terms) == nonzero(verification.costs)
        assert result.stats.objective == verification.objective


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(**VARIATIONS)
def test_an_instance_feasible_by_construction_gets_a_timetable(room_masks, teacher_masks,
                                                               arrival, contact):
    instance = variation(room_masks, teacher_masks, arrival, contact)
    assume(verify_timetable(instance, witness(contact)).ok)  # feasible by construction
    result = solve_timetable(instance, SolverParams(time_limit=5, workers=2, seed=0))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), result.explanation
    assert verify_timetable(instance, result.timetable).ok
    if result.status == SolveStatus.OPTIMAL:  # no timetable costs less, the witness included
        assert result.stats.objective <= verify_timetable(instance, witness(contact)).objective


def test_relaxed_solve_leaves_out_what_cannot_be_placed():
    # V1's only trip leaves no teaching day: I1 cannot be placed, everything else can.
    instance = replace(tiny_instance(), travel_windows=(TravelWindow("V1", D(2026, 9, 16),
                                                                     D(2026, 9, 17)),))
    result = solve_timetable(instance, FAST, request=SolveRequest(relax=True))
    assert result.has_timetable
    assert {m.course_id for m in result.timetable.meetings} == {"W1", "W2", "W3", "W4"}
    verification = verify_timetable(instance, result.timetable, allow_unplaced=True)
    assert verification.ok
    assert verification.costs["unplaced_period"] == 6
    assert nonzero(result.objective_terms) == nonzero(verification.costs)
    assert any("course I1" in line for line in result.explanation)


def test_resolve_against_a_baseline_counts_and_limits_moves():
    instance = tiny_instance()
    first = solve_timetable(instance, FAST)
    # the lab L1 becomes unavailable on Mondays: the Monday lab meetings must move
    closed = replace(instance, bookings=(*instance.bookings, Booking("L1", TimeMask(weekday=0))))
    again = solve_timetable(closed, FAST, request=SolveRequest(baseline=first.timetable))
    verification = verify_timetable(closed, again.timetable, baseline=first.timetable)
    assert verification.ok
    assert nonzero(again.objective_terms) == nonzero(verification.costs)
    monday_lab = [m for m in first.timetable.meetings
                  if m.room_id == "L1" and m.date.weekday() == 0]
    assert verification.costs["moved_meeting"] == len(monday_lab)


def test_courses_whose_baseline_is_still_possible_are_kept_together():
    instance = tiny_instance()
    first = solve_timetable(instance, FAST)
    closed = replace(instance, bookings=(*instance.bookings, Booking("L1", TimeMask(weekday=0))))
    on_monday = {m.course_id for m in first.timetable.meetings
                 if m.room_id == "L1" and m.date.weekday() == 0}
    candidates = [c.id for c in instance.courses]
    kept = keepable_courses(closed, first.timetable, candidates, time_limit=10)
    # a course with a meeting in the closed lab cannot keep its baseline; the others can
    assert set(kept) == set(candidates) - on_monday
    again = solve_timetable(closed, FAST, request=SolveRequest(first.timetable, kept))
    assert verify_timetable(closed, again.timetable).ok
    for course_id in kept:
        assert again.timetable.of_course(course_id) == first.timetable.of_course(course_id)


def test_out_of_time_the_courses_not_yet_found_in_conflict_are_kept(monkeypatch):
    """The first check finds W1 in conflict and the time runs out before the next one ends:
    W2 and W3 stay kept (all three were returned, and the solve released every course)."""
    import scheduler.model.baseline as baseline_module

    clock = [0.0]
    calls = []

    def fake_core(model, assumptions, params):
        calls.append(sorted(assumptions))
        clock[0] += 100.0  # the check takes the whole budget
        return SolveStatus.INFEASIBLE, {"W1"}

    monkeypatch.setattr(baseline_module, "assumption_core", fake_core)
    monkeypatch.setattr(baseline_module.time, "perf_counter", lambda: clock[0])
    kept = keepable_courses(tiny_instance(), Timetable(VALID_MEETINGS), ["W1", "W2", "W3"],
                            time_limit=10)
    assert calls == [["W1", "W2", "W3"]]
    assert kept == ("W2", "W3")

"""The independent scorer against costs computed by hand, one UD2 component at a time."""

from __future__ import annotations

from scheduler.cbctt.scorer import score
from scheduler.cbctt.solution import Placement

from .conftest import ctt


def sol(text: str) -> list[Placement]:
    out = []
    for line in text.strip().splitlines():
        course, room, day, period = line.split()
        out.append(Placement(course, room, int(day), int(period)))
    return out


def test_room_capacity():
    inst = ctt("a t1 2 1 35\nb t2 1 1 12", "small 10\nbig 30")
    s = score(inst, sol("a small 0 0\na big 1 0\nb big 0 0"))
    # a: 35-10 = 25 in small, 35-30 = 5 in big; b fits in big.
    assert s.feasible and s.room_capacity == 30
    # a uses two rooms: room stability 1; nothing else.
    assert s.components() == {"room_capacity": 30, "min_working_days": 0,
                              "isolated_lectures": 0, "room_stability": 1}
    assert s.total == 31


def test_min_working_days():
    inst = ctt("a t1 3 3 5\nb t2 2 2 5", "r 10", days=3)
    # a: 3 lectures on 1 day (2 short); b: 2 lectures on 2 days (none short).
    s = score(inst, sol("a r 0 0\na r 0 1\na r 0 2\nb r 1 0\nb r 2 2"))
    assert s.feasible and s.min_working_days == 5 * 2


def test_isolated_lectures():
    inst = ctt("a t1 3 1 5\nb t2 2 1 5\nc t3 1 1 5", "r1 10\nr2 10",
               curricula="q1 2 a b\nq2 2 b c")
    placements = sol("""
        a r1 0 0
        a r1 0 2
        b r2 1 0
        b r1 0 1
        c r1 1 2
        a r1 1 1
    """)
    # q1 = {a, b}: day 0 has a@0, b@1, a@2 (a chain, none isolated); day 1 has b@0, a@1 (adjacent).
    # q2 = {b, c}: day 0 has b@1 alone (isolated); day 1 has b@0 and c@2 (both isolated).
    s = score(inst, placements)
    assert s.feasible and s.isolated_lectures == 2 * 3


def test_adjacency_does_not_cross_days():
    inst = ctt("a t1 2 1 5", "r 10", curricula="q 1 a")
    # Last period of day 0 and first of day 1 are consecutive periods, not adjacent.
    assert score(inst, sol("a r 0 2\na r 1 0")).isolated_lectures == 4
    assert score(inst, sol("a r 1 1\na r 1 2")).isolated_lectures == 0


def test_isolated_lectures_count_every_lecture_of_a_clash():
    """The validator adds the curriculum's number of lectures in an isolated period (its
    CurriculumPeriodLectures), not 1: two lectures of one curriculum in one period (a
    conflict) are two isolated lectures."""
    inst = ctt("a t1 1 1 5\nb t2 1 1 5", "r1 10\nr2 10", curricula="q 2 a b")
    s = score(inst, sol("a r1 0 0\nb r2 0 0"))
    assert s.hard["conflicts"] == 1
    assert s.isolated_lectures == 2 * 2 and s.total == 4


def test_course_outside_curricula_is_never_isolated():
    inst = ctt("a t1 1 1 5", "r 10")
    assert score(inst, sol("a r 0 1")).total == 0


def test_room_stability():
    inst = ctt("a t1 4 1 5", "r1 10\nr2 10\nr3 10")
    s = score(inst, sol("a r1 0 0\na r2 0 1\na r3 1 0\na r1 1 1"))
    assert s.feasible and s.room_stability == 2 and s.total == 2


def test_hard_violations_are_counted_like_the_validator():
    inst = ctt("a t1 2 1 5\nb t1 1 1 5\nc t2 2 1 5", "r1 10\nr2 10",
               curricula="q 2 a c", unavailability="c 1 2")
    s = score(inst, sol("""
        a r1 0 0
        b r2 0 0
        c r1 0 0
        c r2 1 2
    """))
    # a has 1 of 2 lectures; a-b share teacher t1, a-c share curriculum q, both at day 0 period 0
    # (b-c do not conflict); c is unavailable at day 1 period 2; r1 holds a and c at once.
    assert s.hard == {"lectures": 1, "conflicts": 2, "availability": 1, "room_occupancy": 1}
    assert not s.feasible
    messages = [v.message for v in s.violations]
    assert "Too few lectures for course a: 1 scheduled, 2 required" in messages
    assert "Courses a and b both have a lecture at day 0, period 0" in messages
    assert "Course c has a lecture at unavailable day 1, period 2" in messages
    assert "2 lectures in room r1 at day 0, period 0" in messages


def test_a_clash_is_one_conflict_however_the_curricula_and_teachers_list_its_pair():
    """As the validator's symmetric conflict matrix: a and b listed a-b in one curriculum and
    b-a in another (comp05 has such pairs), and sharing a teacher, clash once per period."""
    inst = ctt("a t1 1 1 5\nb t1 1 1 5", "r1 10\nr2 10", curricula="q1 2 a b\nq2 2 b a")
    s = score(inst, sol("a r1 0 0\nb r2 0 0"))
    assert s.hard["conflicts"] == 1
    assert [v.message for v in s.violations] == [
        "Courses a and b both have a lecture at day 0, period 0"]


def test_repeated_lecture_is_a_violation():
    inst = ctt("a t1 2 1 5", "r1 10\nr2 10")
    s = score(inst, sol("a r1 0 0\na r2 0 0\na r1 1 0"))
    assert s.hard["lectures"] == 1
    assert s.violations[0].message.startswith("Course a has two lectures at day 0, period 0")


def test_toy_solution_and_report(toy):
    # A hand-made feasible timetable of the toy instance (rooms A 32, B 50; TecCos unavailable
    # on day 2 periods 0-1 and day 3 periods 2-3, ArcTec on day 4).
    placements = sol("""
        SceCosC A 0 0
        ArcTec B 0 1
        TecCos B 0 2
        Geotec A 0 3
        SceCosC A 1 0
        ArcTec B 1 1
        TecCos B 1 2
        Geotec A 1 3
        SceCosC A 2 0
        TecCos B 2 2
        Geotec A 2 3
        Geotec A 3 0
        TecCos B 3 1
        ArcTec B 3 2
        TecCos B 4 0
        Geotec A 4 2
    """)
    s = score(toy, placements)
    # Cur1 = SceCosC, ArcTec, TecCos: days 0 and 1 hold periods 0-1-2, day 3 periods 1-2 (none
    # isolated); day 2 holds periods 0 and 2 (2 isolated), day 4 period 0 (1 isolated).
    # Cur2 = TecCos, Geotec: periods 2-3 on days 0-2, 0-1 on day 3; on day 4 periods 0 and 2
    # (2 isolated). 5 isolated lectures cost 10. Every course meets its minimum working days,
    # fits its room (SceCosC 30 and Geotec 18 in A, ArcTec 42 and TecCos 40 in B) and keeps
    # one room.
    assert s.feasible
    assert s.components() == {"room_capacity": 0, "min_working_days": 0,
                              "isolated_lectures": 10, "room_stability": 0}
    report = s.report()
    assert "Violations of Conflicts (hard) : 0" in report
    assert report.endswith("Summary: Total Cost = 10\n")

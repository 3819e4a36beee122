"""Counting reasons why a CB-CTT instance has no timetable (``scheduler.cbctt.counting``)."""

from __future__ import annotations

from scheduler.cbctt.counting import infeasibility_reasons
from scheduler.cbctt.reader import parse_cbctt


def instance(courses: str, curricula: str = "", rooms: int = 2, constraints: str = "",
             periods: int = 2) -> str:
    course_lines = [line for line in courses.strip().splitlines() if line]
    curriculum_lines = [line for line in curricula.strip().splitlines() if line]
    constraint_lines = [line for line in constraints.strip().splitlines() if line]
    room_lines = "".join(f"r{i} 50\n" for i in range(rooms))
    return (f"Name: T\nCourses: {len(course_lines)}\nRooms: {rooms}\nDays: 1\n"
            f"Periods_per_day: {periods}\nCurricula: {len(curriculum_lines)}\n"
            f"Constraints: {len(constraint_lines)}\n\nCOURSES:\n" + "\n".join(course_lines)
            + f"\n\nROOMS:\n{room_lines}\nCURRICULA:\n" + "\n".join(curriculum_lines)
            + "\n\nUNAVAILABILITY_CONSTRAINTS:\n" + "\n".join(constraint_lines) + "\n\nEND.\n")


def reasons(text: str) -> list[str]:
    return infeasibility_reasons(parse_cbctt(text))


def test_a_feasible_instance_has_no_reason():
    assert reasons(instance("a t1 2 1 10\nb t2 2 1 10")) == []


def test_a_course_with_fewer_available_periods_than_lectures():
    assert reasons(instance("a t1 2 1 10\nb t2 1 1 10", constraints="a 0 1")) == [
        "course a has 2 lectures but is available in only 1 of the 2 periods"]


def test_a_teacher_and_a_curriculum_with_more_lectures_than_periods():
    assert reasons(instance("a t1 2 1 10\nb t1 1 1 10\nc t2 1 1 10\nd t3 2 1 10",
                            "q 2 c d", rooms=3)) == [
        "teacher t1 has 3 lectures (a, b), which never share a period, but only 2 periods in "
        "which one of them is available",
        "curriculum q has 3 lectures (c, d), which never share a period, but only 2 periods "
        "in which one of them is available"]


def test_more_lectures_than_room_periods():
    assert reasons(instance("a t1 2 1 10\nb t2 2 1 10\nc t3 1 1 10", rooms=2)) == [
        "5 lectures need more than the 4 room-periods there are (2 rooms × 2 periods)"]


def test_three_curricula_in_a_triangle_are_infeasible_without_a_count():
    # a-b, b-c and c-a never share a period: three periods needed, two given; every count
    # holds, so there is no reason to give (the CLI says so in words)
    assert reasons(instance("a t1 1 1 10\nb t2 1 1 10\nc t3 1 1 10",
                            "q1 2 a b\nq2 2 b c\nq3 2 a c")) == []

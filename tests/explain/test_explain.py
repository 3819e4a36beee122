"""Infeasibility explained: each stage on an instance built to fail there, in users' words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolveStatus
from scheduler.explain import explain_infeasibility
from scheduler.explain.core import find_core
from scheduler.instance import Booking, Instance, TimeMask, Unavailability
from scheduler.model.builder import TimetableModel
from scheduler.model.options import build_options
from scheduler.scenarios import apply_scenario, parse_scenario
from tests.tiny import tiny_instance

D = dt.date


def scenario(instance: Instance, text: str) -> Instance:
    return apply_scenario(instance, parse_scenario(text, "s.yaml")).instance


def test_counting_check_names_the_teacher_and_the_window(fall_instance):
    # Kozlov's December trip is cancelled: Discrete Mathematics has only his September trip.
    instance = scenario(fall_instance, "changes:\n  - change: cancel_trip\n"
                                       "    teacher: FEFU-KOZLOV\n    trip: 2026-12-13\n")
    explanation = explain_infeasibility(instance, time_limit=5)
    assert explanation.proven
    first = explanation.conflicts[0]
    assert first.sentence == ("Козлов Дмитрий Игоревич: 48 periods of intensive teaching "
                              "(DMATH101) but only 24 periods available between 2026-09-21 and "
                              "2026-09-29 at 4 per day")
    assert first.teachers == ("FEFU-KOZLOV",) and first.courses == ("DMATH101",)
    assert (first.first_date, first.last_date) == (D(2026, 9, 21), D(2026, 9, 29))


def test_a_visitor_without_any_trip_cannot_teach(fall_instance):
    instance = scenario(fall_instance, "changes:\n  - change: cancel_trip\n"
                                       "    teacher: FEFU-PETROV\n")
    explanation = explain_infeasibility(instance, time_limit=5)
    assert explanation.conflicts[0].sentence == (
        "Петров Алексей Сергеевич (FEFU-PETROV) is visiting but has no travel window and no "
        "trip rules, so can never teach on site")
    assert explanation.conflicts[0].courses == ("IOT101",)


def test_a_course_that_cannot_meet_at_all_says_why():
    # V1's only trip leaves no teaching day inside the term's teaching days for I1.
    base = tiny_instance()
    rooms = tuple(Booking(r, TimeMask(date=D(2026, 9, d))) for r in ("R1",)
                  for d in (14, 15, 16, 17))
    instance = replace(base, bookings=base.bookings + rooms)
    explanation = explain_infeasibility(instance, time_limit=5)
    assert [c.sentence for c in explanation.conflicts] == [
        "I1 (Linear algebra) cannot meet at all: Иванова Е. А. (V1) can teach only between "
        "2026-09-14 and 2026-09-17; every 'lecture' room seating 28 (R1) is booked or closed "
        "whenever the course could meet: R1 between 2026-09-14 and 2026-09-17 (week 2)."]


THREE_LECTURE_ROOMS_CLOSED = "changes:\n" + "".join(
    f"  - change: room_closed\n    room: '{room}'\n    from: 2026-11-02\n    to: 2026-11-06\n"
    "    reason: inspection\n" for room in ("2101", "3105", "3311"))


def test_a_week_s_closure_rules_out_a_weekly_course_and_the_explanation_says_so(fall_instance):
    """The three lecture rooms that seat the three cohorts together are closed for one week:
    a weekly course keeps one slot and room for all its weeks, so every slot is lost. The
    explanation names the closure's dates and that rule, and not 王芳's Tuesday afternoon
    meetings (those slots are closed that week too)."""
    instance = scenario(fall_instance, THREE_LECTURE_ROOMS_CLOSED)
    explanation = explain_infeasibility(instance, time_limit=5)
    maths = next(c for c in explanation.conflicts if c.courses == ("MATH101",))
    assert maths.sentence == (
        "MATH101 (Advanced Mathematics I 高等数学) cannot meet at all: it meets weekly, so it "
        "needs the same weekday, periods and room in each of its weeks 1-16; every 'lecture' "
        "room seating 100 (2101, 3105, 3311) is booked or closed in some of those weeks: "
        "2101, 3105 and 3311 between 2026-11-02 and 2026-11-06 (week 9, inspection).")
    assert all("王芳" not in c.sentence and "whenever" not in c.sentence
               for c in explanation.conflicts)


def test_a_teacher_away_for_a_week_rules_out_her_weekly_course():
    # Zhao Min (T2) teaches only Lab B, weekly in weeks 1-2; she is away all of week 1
    # (Friday 09-11 is a holiday, Sunday 09-13 holds Friday's timetable).
    base = tiny_instance()
    away = tuple(Unavailability("T2", TimeMask(date=D(2026, 9, d)), "training")
                 for d in (7, 8, 9, 10, 13))
    instance = replace(base, unavailability=base.unavailability + away)
    explanation = explain_infeasibility(instance, time_limit=5)
    assert [c.sentence for c in explanation.conflicts] == [
        "W4 (Lab B) cannot meet at all: it meets weekly, so it needs the same weekday, periods "
        "and room in each of its weeks 1-2; Zhao Min 赵敏 (T2) is unavailable between "
        "2026-09-07 and 2026-09-13 (week 1, training)."]


def test_a_room_booked_every_week_is_said_without_the_weekly_rule():
    # The only lab is booked by others every teaching weekday: no week is special.
    base = tiny_instance()
    booked = tuple(Booking("L1", TimeMask(weekday=d), "physics") for d in range(5))
    instance = replace(base, bookings=base.bookings + booked)
    explanation = explain_infeasibility(instance, time_limit=5)
    lab = next(c for c in explanation.conflicts if c.courses == ("W2",))
    assert lab.sentence == (
        "W2 (Lab A) cannot meet at all: every 'lab' room seating 10 (L1) is booked or closed "
        "whenever the course could meet: L1 every Monday (physics); L1 every Tuesday "
        "(physics); L1 every Wednesday (physics); L1 every Thursday (physics); L1 every Friday "
        "(physics).")


def test_counts_over_possible_meetings_name_the_visitor_and_her_last_week(fall_instance):
    # Both IoT labs closed for the first two weeks of Smirnova's trip: three 16-period lab
    # courses must fit in her last week, at most 24 periods a week.
    instance = scenario(fall_instance, """\
changes:
  - change: room_closed
    room: 5-IOT1
    from: 2026-11-23
    to: 2026-12-06
  - change: room_closed
    room: 5-IOT2
    from: 2026-11-23
    to: 2026-12-06
""")
    explanation = explain_infeasibility(instance, time_limit=10)
    first = explanation.conflicts[0]
    assert first.sentence == (
        "Смирнова Ольга Викторовна (FEFU-SMIRNOVA): 32 periods of intensive teaching "
        "(IOT102-2 (IoT Practice 物联网实践) and IOT102-3 (IoT Practice 物联网实践)) but only 24 "
        "periods available between 2026-12-07 and 2026-12-11 at 8 per day and 24 a week")
    assert first.teachers == ("FEFU-SMIRNOVA",)
    assert (first.first_date, first.last_date) == (D(2026, 12, 7), D(2026, 12, 11))
    assert any("teaches at most 8 periods a day and 24 a week" in r for r in first.requirements)


def test_weekly_courses_competing_for_a_room_count_their_common_periods():
    # The only lab is free on Monday periods 1-2 alone; both lab courses need it weekly.
    base = tiny_instance()
    closed = [Booking("L1", TimeMask(weekday=d)) for d in (1, 2, 3, 4)]
    closed += [Booking("L1", TimeMask(weekday=0, first_period=3, last_period=6))]
    explanation = explain_infeasibility(replace(base, bookings=base.bookings + tuple(closed)),
                                        time_limit=5)
    assert explanation.conflicts[0].sentence == (
        "room L1 (30 seats): W2 (Lab A) and W4 (Lab B) need 4 of the same 2 weekly periods "
        "(Monday morning periods 1-2) in week 1")
    assert explanation.conflicts[0].rooms == ("L1",)


def chained_conflict() -> Instance:
    """Mathematics (C1, twice a week) and the two sub-groups' labs cannot all fit, though
    every teacher, cohort and room alone has room: Mathematics may meet Mon, Tue or Wed
    periods 1-2 only (T1), the labs (both taught by T2) Mon or Tue periods 1-2 only (L1);
    whichever of Mon/Tue Mathematics takes clashes with one of the labs' sub-groups."""
    base = tiny_instance()
    courses = tuple(replace(c, teachers=("T2",)) if c.id == "W2" else c
                    for c in base.courses if c.id in ("W1", "W2", "W4"))
    lab = [Booking("L1", TimeMask(weekday=d)) for d in (2, 3, 4)]
    lab += [Booking("L1", TimeMask(weekday=d, first_period=3, last_period=6)) for d in (0, 1)]
    away = [Unavailability("T1", TimeMask(weekday=d, first_period=3, last_period=6))
            for d in (0, 1, 2)]
    away += [Unavailability("T1", TimeMask(weekday=d)) for d in (3, 4)]
    return replace(base, courses=courses, bookings=base.bookings + tuple(lab),
                   unavailability=base.unavailability + tuple(away), travel_windows=(),
                   teachers=tuple(t for t in base.teachers if t.id != "V1"))


def test_a_conflict_no_count_shows_is_found_by_a_minimal_cp_sat_core():
    explanation = explain_infeasibility(chained_conflict(), time_limit=10)
    assert explanation.proven and explanation.minimal
    conflict = explanation.conflicts[0]
    assert conflict.kind == "requirements"
    assert conflict.courses == ("W1", "W2", "W4") and conflict.cohorts == ("C1",)
    assert conflict.sentence.startswith(
        "W1 (Mathematics), W2 (Lab A) and W4 (Lab B) cannot all be placed together: ")
    assert "in the only periods they can meet (Monday morning periods 1-2, Tuesday morning " \
        "periods 1-2 and Wednesday morning periods 1-2)" in conflict.sentence
    assert "sub-group C1-A of cohort C1 attends one meeting at a time" in conflict.requirements
    assert "sub-group C1-B of cohort C1 attends one meeting at a time" in conflict.requirements
    assert len(conflict.requirements) == 6


def test_core_is_shrunk_to_a_minimal_set_of_groups():
    instance = chained_conflict()
    calendar = TermCalendar(instance)
    core = find_core(instance, calendar, build_options(instance, calendar), time_limit=10)
    assert core.status == SolveStatus.INFEASIBLE and core.minimal
    deliveries = {g[1] for g in core.groups if g[0] == "delivery"}
    assert deliveries == {"W1", "W2", "W4"} and len(core.groups) == 6


def test_fine_groups_split_intensive_clashes_by_calendar_week():
    instance = tiny_instance()
    calendar = TermCalendar(instance)
    tm = TimetableModel(instance, calendar, build_options(instance, calendar), explain=True,
                        fine=True)
    assert ("cohort clash", "C1-A", "week 2") in tm.groups  # I1 against C1-A's labs
    assert all(g[2].startswith("week ") for g in tm.groups if len(g) == 3)
    # weekly-only clashes stay whole-term groups
    assert ("teacher clash", "T1") in tm.groups


def test_a_feasible_instance_has_nothing_to_explain():
    explanation = explain_infeasibility(tiny_instance(), time_limit=5)
    assert not explanation.conflicts and not explanation.proven
    assert "a timetable exists" in explanation.note


def test_a_cohort_and_a_teacher_both_short_of_weekly_periods():
    # Mathematics (C1, twice a week) and Lab A (sub-group C1-A), both taught by T1, can only
    # meet when a room of their type is free: Wednesday or Thursday periods 5-6.
    base = tiny_instance()
    courses = tuple(c for c in base.courses if c.id in ("W1", "W2", "W4"))
    free = {(2, 5), (3, 5)}
    closed = [Booking(room, TimeMask(weekday=d, first_period=p, last_period=p + 1))
              for room in ("R1", "R2", "L1") for d in range(7) for p in (1, 3, 5)
              if (d, p) not in free]
    instance = replace(base, courses=courses, bookings=tuple(closed), travel_windows=(),
                       teachers=tuple(t for t in base.teachers if t.id != "V1"))
    explanation = explain_infeasibility(instance, time_limit=5)
    assert explanation.conflicts[0].sentence == (
        "Li Wei 李伟 (T1) and sub-group C1-A of cohort C1 both need 6 of the same 4 weekly "
        "periods (Wednesday afternoon periods 5-6 and Thursday afternoon periods 5-6) in week "
        "1, for W1 (Mathematics) and W2 (Lab A)")


def test_interpreters_who_work_only_at_weekends_are_named_with_their_days():
    base = tiny_instance()
    weekend = tuple(replace(i, available_weekdays=(5, 6)) for i in base.interpreters)
    explanation = explain_infeasibility(replace(base, interpreters=weekend), time_limit=5)
    [conflict] = explanation.conflicts
    assert conflict.sentence.startswith("I1 (Linear algebra) cannot meet at all")
    assert "no interpreter covering ru-zh is free whenever it could meet: interpreter " \
           "Chen Jing 陈静 (I1) (works Sat, Sun)" in conflict.sentence
    assert conflict.fix == ("free a room, a teacher or an interpreter, or change the course's "
                            "weeks")

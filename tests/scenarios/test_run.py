"""Scenario runs on the shipped instance: minimal change, impossibilities, outputs."""

from __future__ import annotations

import json
from dataclasses import replace

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.model.params import SolveRequest
from scheduler.model.solve import solve_timetable
from scheduler.paths import DEFAULT_INSTANCE
from scheduler.scenarios import parse_scenario, read_scenario
from scheduler.scenarios.apply import apply_scenario
from scheduler.scenarios.report import write_scenario
from scheduler.scenarios.run import run_scenario
from scheduler.verify import verify_timetable
from tests.explain.test_explain import THREE_LECTURE_ROOMS_CLOSED
from tests.scenarios.conftest import QUICK
from tests.tiny import tiny_instance, valid_timetable

SCENARIOS = DEFAULT_INSTANCE / "scenarios"


def test_a_baseline_re_solve_moves_far_fewer_meetings_than_a_fresh_solve(fall_instance,
                                                                          fall_baseline):
    late = read_scenario(SCENARIOS / "ivanova-visa-two-weeks-late.yaml")
    kept = run_scenario(fall_instance, late, QUICK, baseline=fall_baseline)
    assert kept.changed.feasible and kept.minimal_change
    assert verify_timetable(kept.instance, kept.changed.timetable).ok
    # Only Linear Algebra (Ivanova's course, 24 meetings) needs to move; the 21 other
    # courses are kept exactly where they were.
    assert len(kept.kept) == 21 and "LINALG101" not in kept.kept
    assert {m.course_id for m in kept.moves} == {"LINALG101"}
    assert 0 < kept.moved_meetings <= 24
    assert kept.changed.counts["moved_meeting"] == kept.moved_meetings
    assert kept.affected_teachers == ("FEFU-IVANOVA",)

    fresh = run_scenario(fall_instance, late, QUICK,
                         reference=kept.base)  # the same baseline, solved afresh
    assert fresh.changed.feasible and not fresh.minimal_change
    assert fresh.moved_meetings >= 200 > 5 * kept.moved_meetings


def test_a_course_kept_where_the_baseline_had_it_keeps_its_interpreters(fall_instance,
                                                                         fall_baseline):
    """Kept courses were fixed to their dates, periods and rooms but not their interpreters:
    a scenario of no change swapped the interpreters of 56 meetings (PHYS101, LINALG101) while
    the comparison said nothing moved."""
    late = read_scenario(SCENARIOS / "ivanova-visa-two-weeks-late.yaml")
    result = run_scenario(fall_instance, late, QUICK, baseline=fall_baseline)
    before = {(m.course_id, m.date, m.first_period): m.interpreter_id
              for m in fall_baseline.meetings if m.course_id in result.kept}
    after = {(m.course_id, m.date, m.first_period): m.interpreter_id
             for m in result.changed.timetable.meetings if m.course_id in result.kept}
    assert after == before


def test_the_pins_said_kept_are_those_the_partial_timetable_holds(fall_instance,
                                                                  fall_baseline):
    """Every College English 1 meeting pinned, its language lab closed for a week: the
    course cannot be placed and the partial timetable leaves it out, but
    pinned_meetings_kept still counted its pins."""
    pins = frozenset(m for m in fall_baseline.meetings if m.course_id == "ENG101-1")
    room = next(iter(pins)).room_id
    pinned = replace(fall_baseline, pinned=pins)
    closed = parse_scenario(f"changes:\n  - {{change: room_closed, room: '{room}', from: "
                            "2026-10-19, to: 2026-10-23}\n", "closed.yaml")
    result = run_scenario(fall_instance, closed, QUICK, baseline=pinned)
    timetable = result.changed.timetable
    assert timetable is not None
    held = {m.place for m in timetable.pinned}
    assert result.pinned == len(timetable.pinned) == sum(p.place in held for p in pins)
    if "ENG101-1" not in {m.course_id for m in timetable.meetings}:
        assert result.pinned == 0


def test_a_cancelled_trip_is_impossible_and_the_partial_timetable_keeps_the_rest(
        fall_instance, fall_baseline):
    cancelled = read_scenario(SCENARIOS / "kozlov-december-trip-cancelled.yaml")
    result = run_scenario(fall_instance, cancelled, QUICK, baseline=fall_baseline)
    side = result.changed
    assert not side.feasible and side.status == SolveStatus.INFEASIBLE and side.relaxed
    lines = side.diagnosis.explanation.lines()
    assert lines[0].startswith("Козлов Дмитрий Игоревич: 48 periods of intensive teaching "
                               "(DMATH101) but only 24 periods available between 2026-09-21 "
                               "and 2026-09-29 at 4 per day")
    assert [(u.course_id, u.periods) for u in side.diagnosis.unplaced] == [("DMATH101", 48)]
    assert side.unplaced_periods == 48
    # everything but Discrete Mathematics stays where it was; its meetings are dropped, not
    # moved
    assert result.moves == () and result.moved_meetings == 0
    assert [(d.course_id, d.why) for d in result.dropped] == [("DMATH101", "not placed")]
    assert result.dropped_meetings == len(fall_baseline.of_course("DMATH101")) == 24
    assert verify_timetable(result.instance, side.timetable, allow_unplaced=True).ok
    # its cost is compared like with like: the base without Discrete Mathematics
    assert result.compared is result.same_courses
    # the one-third rule: Kozlov's 48 periods not taught lower FEFU's share of the hours
    # and of the core courses: every student attends Discrete Mathematics, a core course
    # that Kozlov teaches alone (3 of 5 core courses by FEFU before, 2 after; 144 of a
    # student's 492.32 hours before, 96 after)
    before, after = result.compliance()
    assert (before.overall.partner_hours, after.overall.partner_hours) == (144, 96)
    assert (before.overall.partner_core_courses, after.overall.partner_core_courses) == (3, 2)
    assert result.compliance_rows() == [
        ("FEFU share of core courses", "60.0%", "40.0%", "-20.0 pt"),
        ("FEFU share of teaching hours", "29.2% (under 1/3)", "19.5% (under 1/3)", "-9.7 pt")]
    assert result.as_dict()["compliance"]["scenario"]["overall"]["hours_share_percent"] == 19.5
    assert "DMATH101" not in {m.course_id for m in result.compared.timetable.meetings}
    # the base's own meetings without Discrete Mathematics, recounted (no direction of the
    # cost is asserted: taking a course's meetings out can leave a cohort a day of one
    # meeting, which costs, depending on the base timetable)
    assert result.compared.timetable.meetings == tuple(
        m for m in result.base.timetable.meetings if m.course_id != "DMATH101")
    assert result.compared.quality is not None


def test_a_week_s_closure_drops_three_courses_and_their_cost_is_not_a_saving(fall_instance,
                                                                           fall_baseline):
    """Three lecture rooms closed for a week leave the three-cohort lectures no weekly slot:
    the partial timetable drops them. Their meetings are dropped, not moved, and the costs
    are compared over the courses both timetables place, not as a saving of hundreds."""
    closed = parse_scenario(THREE_LECTURE_ROOMS_CLOSED, "closed.yaml")
    result = run_scenario(fall_instance, closed, QUICK, baseline=fall_baseline)
    side = result.changed
    assert side.relaxed
    lost = {"MATH101", "PHYS101", "PROG101"}
    assert {d.course_id for d in result.dropped} == lost
    assert result.dropped_meetings == sum(len(fall_baseline.of_course(c)) for c in lost)
    assert not lost & {m.course_id for m in result.moves}
    # the objective's moved_meeting count covers both; the comparison counts them apart
    assert result.moved_meetings + result.dropped_meetings == side.counts["moved_meeting"]
    assert result.base.quality > result.compared.quality  # the full base costs more
    rows = {r[0]: r for r in result.rows()}
    assert rows["costs counted over"] == ("costs counted over", "19 courses both place",
                                          "19 courses both place",
                                          "3 courses not placed: left out of both")
    assert rows["objective (quality terms)"][1:3] == (f"{result.compared.quality:,}",
                                                       f"{side.quality:,}")
    assert rows["meetings dropped"][2] == f"{result.dropped_meetings:,}"
    assert rows["meetings moved"][2] == f"{result.moved_meetings:,}"


def test_a_removed_course_is_dropped_and_its_cost_left_out_of_both_sides():
    """Removing a course is not a saving: the base is recounted without it."""
    removed = parse_scenario("changes:\n  - change: remove_course\n    course: W3\n",
                             "removed.yaml")
    baseline = valid_timetable()
    result = run_scenario(tiny_instance(), removed, QUICK, baseline=baseline)
    assert result.changed.feasible
    assert [(d.course_id, d.why, len(d.meetings)) for d in result.dropped] == [
        ("W3", "removed by the scenario", 2)]
    assert result.moved_meetings == 0 and result.dropped_meetings == 2
    assert "W3" not in {m.course_id for m in result.compared.timetable.meetings}
    # every other course is kept where it was: the same costs on both sides
    assert result.compared.quality == result.changed.quality < result.base.quality
    rows = {r[0]: r for r in result.rows()}
    assert rows["objective (quality terms)"][3] == "0"
    assert rows["meetings dropped"][3] == "1 course removed"
    # optimal only with the courses no change touches held where they were
    assert result.changed.status == "OPTIMAL" and result.kept
    assert rows["timetable"][3] == (f"optimal with the {len(result.kept)} courses no change "
                                    "touches kept in place; moving them too may cost less")


def test_thirty_more_russian_students_do_not_fit_the_labs(fall_instance, fall_baseline):
    more = read_scenario(SCENARIOS / "thirty-more-russian-students.yaml")
    result = run_scenario(fall_instance, more, replace(QUICK, relax=False),
                          baseline=fall_baseline)
    assert result.changed.timetable is None
    conflicts = result.changed.diagnosis.explanation.conflicts
    assert {c.courses[0] for c in conflicts} == {"ENG101-1", "ENG101-2", "ENG101-3",
                                                 "IOT102-1", "IOT102-2", "IOT102-3"}
    # each sentence names its course (the explanation's lines did not)
    assert any(c.sentence.startswith("IOT102-") and c.sentence.endswith(
        "44 students attend but the largest 'iot_lab' room seats 40") for c in conflicts)
    assert all(c.sentence.startswith(c.courses[0] + " (") for c in conflicts)


def test_courses_left_out_are_not_listed_as_kept(fall_instance, fall_baseline):
    """comparison.md listed the six courses too big for their labs among the courses "kept
    exactly where the baseline had them", with no meeting in the partial timetable."""
    more = read_scenario(SCENARIOS / "thirty-more-russian-students.yaml")
    result = run_scenario(fall_instance, more, QUICK, baseline=fall_baseline)
    out = {d.course_id for d in result.dropped}
    assert out == {"ENG101-1", "ENG101-2", "ENG101-3", "IOT102-1", "IOT102-2", "IOT102-3"}
    assert result.kept and not out & set(result.kept)


def test_outputs_of_a_run(fall_instance, tmp_path):
    added = read_scenario(SCENARIOS / "iot-security-course-added.yaml")
    # A baseline with room for the new course: the scenario's own timetable without it. (A
    # baseline solved for the term alone may leave none, and whether it does depends on the
    # timing of its search: of five such baselines, two kept every course, three moved 17-222
    # meetings to fit IOT103 in.)
    solved = solve_timetable(apply_scenario(fall_instance, added).instance,
                             SolverParams(time_limit=5, workers=2, seed=0),
                             request=SolveRequest(flat=True)).timetable
    assert solved is not None
    baseline = replace(solved, meetings=tuple(m for m in solved.meetings
                                              if m.course_id != "IOT103"))
    result = run_scenario(fall_instance, added, replace(QUICK, time_limit=12),
                          baseline=baseline)
    assert result.changed.feasible and result.moved_meetings == 0
    files = write_scenario(result, tmp_path / "out")
    assert sorted(p.name for p in files) == sorted([
        "comparison.md", "comparison.xlsx", "comparison.png", "scenario.json",
        "timetable.csv", "timetable.json", "instance"])
    document = json.loads((tmp_path / "out" / "scenario.json").read_text(encoding="utf-8"))
    assert document["scenario"]["name"] == "IoT security course added"
    assert document["scenario_result"]["feasible"] and document["moved_meetings"] == 0
    markdown = (tmp_path / "out" / "comparison.md").read_text(encoding="utf-8")
    assert "| meetings moved |  | 0 | re-solved with minimal change |" in markdown
    # the new course's meetings are new, not moved (it counted as 1 course moved)
    assert result.moved_courses == 0 and "| courses moved |  | 0 |" in markdown
    assert "- new course IOT103 (IoT Security 物联网安全 / Безопасность интернета вещей), 16 " \
        "periods, intensive" in markdown
    assert (tmp_path / "out" / "instance" / "courses.csv").read_text(
        encoding="utf-8").count("IOT103") == 1


def test_a_scenario_solved_without_optimisation_says_so(monkeypatch):
    import scheduler.model.solve as solve_module
    from scheduler.model.params import LnsSettings

    monkeypatch.setattr(solve_module, "DEFAULT_SETTINGS", LnsSettings(min_run_seconds=60))
    removed = parse_scenario("changes:\n  - change: remove_course\n    course: W3\n", "r.yaml")
    result = run_scenario(tiny_instance(), removed, QUICK)
    verdict = result.rows()[0][2]
    assert verdict.startswith("timetable (FEASIBLE), not optimised: no time was left for the "
                              "optimisation")
    assert result.as_dict()["scenario_result"]["optimised"] is False


def test_meetings_a_new_holiday_cancels_are_cancelled_not_moved_as_diff_says(fall_instance,
                                                                             fall_baseline):
    """A new holiday on a Wednesday: its weekly meetings are no longer held. The comparison
    listed them as moved ("was 2026-11-04 ... → now (dropped)") where ``scheduler diff``
    says removed."""
    from scheduler.views.diff import timetable_diff

    holiday = parse_scenario("changes:\n  - {change: add_holiday, date: 2026-11-04, "
                             "name: Sports day}\n", "holiday.yaml")
    on_the_day = [m for m in fall_baseline.meetings if str(m.date) == "2026-11-04"]
    assert on_the_day
    result = run_scenario(fall_instance, holiday, QUICK, baseline=fall_baseline)
    assert result.changed.feasible and result.changed.timetable is not None
    diff = timetable_diff(result.instance, fall_baseline, result.changed.timetable)
    assert result.moved_meetings == diff.count("moved")
    assert result.cancelled_meetings == diff.count("removed") >= 1
    assert result.added_meetings == diff.count("added")
    assert not any(m.date == on_the_day[0].date for m in result.changed.timetable.meetings)
    rows = {r[0]: r for r in result.rows()}
    assert rows["meetings cancelled"][2] == str(result.cancelled_meetings)
    from scheduler.scenarios.report import move_rows
    assert sum(now == "(cancelled)" for _, _, now in move_rows(result)) == \
        result.cancelled_meetings


def test_a_study_row_of_a_partial_timetable_has_its_figures():
    """A scenario whose relaxed timetable leaves a course out: its study row left the
    objective, its change and the moves blank, where comparison.md counts them over the
    courses both place."""
    from scheduler.scenarios.study import StudyScenario
    from scheduler.scenarios.study_task import Job, comparison_row

    closed = parse_scenario("changes:\n  - {change: teacher_unavailable, teacher: V1, "
                            "from: 2026-09-14, to: 2026-09-18}\n", "away.yaml")
    result = run_scenario(tiny_instance(), closed, QUICK, baseline=valid_timetable())
    assert result.changed.relaxed and result.changed.timetable is not None
    assert not result.changed.feasible and result.dropped
    row = comparison_row(result, Job(0, "k", StudyScenario(closed), QUICK, "f"), 1.0)
    assert row.quality == result.changed.quality is not None
    assert row.cost_change == result.changed.quality - result.compared.quality
    assert row.moved == result.moved_meetings
    assert dict(row.costs) == result.changed.costs and row.tiers
    assert row.unplaced_periods == result.changed.unplaced_periods > 0


def test_the_meeting_on_a_new_holiday_is_the_one_cancelled_when_its_course_also_moved():
    """Pairs in time order called a course's meeting on the new holiday moved (to a later
    date) and a later ordinary meeting cancelled; the meeting on the holiday is the one left
    over, in the comparison and in scheduler diff alike."""
    import datetime as dt

    from scheduler.instance import Holiday
    from scheduler.scenarios.compare import course_moves
    from scheduler.views.diff import timetable_diff
    from tests.tiny import m

    instance = tiny_instance()
    holiday = replace(instance, holidays=(*instance.holidays,
                                          Holiday(dt.date(2026, 9, 7), "new")))
    before = valid_timetable()
    # W1's Monday 09-07 falls on the holiday; its Monday 09-14 moved to Wednesday 09-16
    after = replace(before, meetings=tuple(
        m(16, 1, "W1", "R1") if (x.course_id, str(x.date)) == ("W1", "2026-09-14") else x
        for x in before.meetings if (x.course_id, str(x.date)) != ("W1", "2026-09-07")))
    (w1,) = [c for c in course_moves(holiday, before, after) if c.course_id == "W1"]
    assert [str(x.date) for x in w1.cancelled] == ["2026-09-07"]
    assert w1.moved == 1 and str(w1.before[0].date) == "2026-09-14"
    diff = timetable_diff(holiday, before, after)
    removed = [c.old for c in diff.changes if c.kind == "removed"]
    assert [str(x.date) for x in removed] == ["2026-09-07"]

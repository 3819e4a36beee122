"""Applying scenarios to an instance: each change does what it says, problems are located."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.paths import INSTANCES_DIR
from scheduler.scenarios import apply_scenario, parse_scenario, read_scenario

D = dt.date
DOCS = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"
SHIPPED = sorted(p for p in INSTANCES_DIR.glob("*/scenarios/*.yaml")
                 if "\nscenarios:" not in p.read_text(encoding="utf-8"))
"""The shipped scenario files (sweep files, which list scenarios, aside)."""
EXAMPLES = [INSTANCES_DIR / "visitors-late.yaml", INSTANCES_DIR / "visa-delays.yaml",
            INSTANCES_DIR / "cqupt-fefu-2026-fall-planned" / "scenarios" / "longest-stay.yaml"]
"""The study and sweep files the docs run (docs/scenarios.md)."""


def applied(instance, text: str):
    return apply_scenario(instance, parse_scenario(text, "s.yaml"))


def errors(instance, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        applied(instance, text)
    return [str(p) for p in caught.value.problems]


def test_trip_changes(fall_instance):
    result = applied(fall_instance, """\
changes:
  - change: shift_trip
    teacher: FEFU-IVANOVA
    days: 14
  - change: shorten_trip
    teacher: FEFU-PETROV
    arrive_later: 3
    leave_earlier: 2
  - change: cancel_trip
    teacher: FEFU-KOZLOV
    trip: 2
  - change: add_trip
    teacher: FEFU-SMIRNOVA
    arrival: 2027-01-02
    departure: 2027-01-08
""")
    trips = {(w.teacher_id, w.arrival, w.departure) for w in result.instance.travel_windows}
    assert trips == {("FEFU-IVANOVA", D(2026, 10, 25), D(2026, 11, 14)),
                     ("FEFU-PETROV", D(2026, 11, 11), D(2026, 11, 19)),
                     ("FEFU-SMIRNOVA", D(2026, 11, 22), D(2026, 12, 12)),
                     ("FEFU-SMIRNOVA", D(2027, 1, 2), D(2027, 1, 8)),
                     ("FEFU-KOZLOV", D(2026, 9, 20), D(2026, 9, 30))}
    assert result.notes[0] == ("Иванова Елена Андреевна (FEFU-IVANOVA): trip "
                               "2026-10-11..2026-10-31 moved 14 day(s) later, now "
                               "2026-10-25..2026-11-14")
    assert result.touched.teachers == {"FEFU-IVANOVA", "FEFU-PETROV", "FEFU-KOZLOV",
                                       "FEFU-SMIRNOVA"}


def test_absences_closures_cohorts_courses_and_holidays(fall_instance):
    result = applied(fall_instance, """\
changes:
  - change: teacher_unavailable
    teacher: CQ-LIWEI
    from: 2026-11-02
    to: 2026-11-04
  - change: room_closed
    room: 5-IOT1
    date: 2026-11-16
    first_period: 5
    last_period: 8
  - change: cohort_size
    cohorts: [IoT-2026-1, IoT-2026-1-RU]
    add_ru: 10
  - change: cohort_size
    cohorts: IoT-2026-2;IoT-2026-2-CN
    students_cn: 18
  - change: remove_course
    course: POL101
  - change: change_course
    course: IOT101
    delivery: weekly
    meetings_per_week: 1
    max_periods_per_day: null
  - change: add_holiday
    from: 2026-10-09
    to: 2026-10-10
""")
    new = result.instance
    added = new.unavailability[len(fall_instance.unavailability):]
    assert [(u.person_id, u.mask.date) for u in added] == [
        ("CQ-LIWEI", D(2026, 11, 2)), ("CQ-LIWEI", D(2026, 11, 3)), ("CQ-LIWEI", D(2026, 11, 4))]
    booking = new.bookings[-1]
    assert (booking.room_id, booking.mask.date, booking.mask.first_period,
            booking.mask.last_period) == ("5-IOT1", D(2026, 11, 16), 5, 8)
    sizes = {c.id: (c.students_cn, c.students_ru) for c in new.cohorts}
    assert sizes["IoT-2026-1"] == (20, 24) and sizes["IoT-2026-1-RU"] == (0, 24)
    assert sizes["IoT-2026-2"] == (18, 13) and sizes["IoT-2026-2-CN"] == (18, 0)
    assert "POL101" not in new.course_by_id
    iot = new.course_by_id["IOT101"]
    assert (iot.delivery, iot.meetings_per_week, iot.max_periods_per_day) == ("weekly", 1, None)
    # the Saturday make-up day 2026-10-10 is cancelled with the new holidays
    assert {D(2026, 10, 9), D(2026, 10, 10)} <= {h.date for h in new.holidays}
    assert D(2026, 10, 10) not in {a.date for a in new.adjusted_workdays}
    assert "make-up day 2026-10-10 cancelled" in result.notes[-1]


def test_reference_problems_are_reported_at_the_line_of_the_change(fall_instance):
    assert errors(fall_instance, """\
changes:
  - change: cancel_trip
    teacher: FEFU-KOZLOV
  - change: shift_trip
    teacher: CQ-LIWEI
    days: 3
  - change: room_closed
    room: 9-999
    date: 2026-11-16
  - change: change_course
    course: IOT101
    contact_periods: 33
  - change: shorten_trip
    teacher: FEFU-PETROV
    trip: 2026-11-09
    arrive_later: 1
""") == [
        "s.yaml, line 2: Козлов Дмитрий Игоревич (FEFU-KOZLOV) has 2 trips (1: "
        "2026-09-20..2026-09-30, 2: 2026-12-13..2026-12-26); say which. Fix: add 'trip:' with "
        "the trip's arrival date or its number",
        "s.yaml, line 4: 李伟 Li Wei (CQ-LIWEI) is not a visiting teacher and has no trips. "
        "Fix: name a visiting teacher",
        "s.yaml, line 7: unknown room '9-999'. Fix: use a room_id of the rooms table",
        "s.yaml, line 12: course IOT101: 33 contact periods is not a multiple of the meeting "
        "length 2. Fix: make contact_periods a multiple of meeting_length",
        "s.yaml, line 13: Петров Алексей Сергеевич (FEFU-PETROV) has no trip arriving on "
        "2026-11-09 (trips: 1: 2026-11-08..2026-11-21). Fix: give the arrival date of one of "
        "the trips",
    ]


def test_trip_rules_of_an_institution_without_planned_visitors_are_refused(fall_instance):
    """Every FEFU visitor of the default term has travel windows: FEFU's new trip rules
    changed nothing, and the scenario said "trip rules of FEFU's visitors: ..." (exit 0)."""
    assert errors(fall_instance, """\
changes:
  - change: change_trip_rules
    institution: FEFU
    max_stay_days: 10
""") == [
        "s.yaml, line 2: none of FEFU's teachers is a visitor with planned trips (a visitor "
        "with travel windows keeps them), so new trip rules would change nothing. Fix: change "
        "the travel windows instead (shift_trip, shorten_trip, add_trip, cancel_trip)"]
    # a fixed visitor's own rules: refused after the changes, at the change's line (no line)
    (found,) = errors(fall_instance, """\
changes:
  - change: change_trip_rules
    teacher: FEFU-IVANOVA
    max_stay_days: 10
""")
    assert found.startswith("s.yaml, line 2: after the changes, FEFU-IVANOVA has travel "
                            "windows and trip rules"), found


def test_an_instance_left_inconsistent_is_reported_at_the_change(fall_instance):
    assert errors(fall_instance, """\
changes:
  - change: add_course
    course_id: IOT103
    name: IoT Security
    cohorts: IoT-2026-9
    teachers: FEFU-PETROV
    contact_periods: 16
    meeting_length: 2
    delivery: intensive
    room_type: lecture
    language: en
  - change: shift_trip
    teacher: FEFU-KOZLOV
    trip: 1
    days: 80
""") == [
        "s.yaml, line 12: after the changes, trip 2026-12-13..2026-12-26 overlaps the trip "
        "2026-12-09..2026-12-19 of the same teacher (also in data row 4 of this table). Fix: "
        "merge the two trips or correct the dates",
        "s.yaml, line 2: after the changes, unknown cohort 'IoT-2026-9'. Fix: use cohort_ids of "
        "the cohorts sheet",
    ]


def test_a_sub_group_left_larger_than_its_cohort_points_at_the_resize(fall_instance):
    assert errors(fall_instance, """\
changes:
  - change: cohort_size
    cohort: IoT-2026-2
    students_cn: 18
""") == ["s.yaml, line 2: after the changes, sub-group IoT-2026-2-CN (20 CN + 0 RU) is larger "
         "than its cohort IoT-2026-2 (18 CN + 13 RU). Fix: correct the numbers of students"]


def test_a_visitor_left_without_trips_is_an_answer_not_an_error(fall_instance):
    result = applied(fall_instance, "changes:\n  - change: cancel_trip\n"
                                    "    teacher: FEFU-PETROV\n")
    assert not result.instance.windows_of("FEFU-PETROV")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenarios_read_and_apply(path, fall_instance):
    from scheduler.io.reader import read_instance

    base = fall_instance if path.parent.parent.name == "cqupt-fefu-2026-fall" else \
        read_instance(path.parent.parent)
    result = apply_scenario(base, read_scenario(path))
    assert result.notes and result.instance != base


def test_the_docs_study_and_sweep_files_are_shipped_as_shown():
    """The commands of docs/scenarios.md name these files: each is shipped, reads, and is the
    text the docs show."""
    from scheduler.scenarios import read_sweep
    from scheduler.scenarios.study_reader import read_study

    text = DOCS.read_text(encoding="utf-8")
    for path in EXAMPLES:
        assert path.read_text(encoding="utf-8") in text, path
    study = read_study(EXAMPLES[0])
    assert len(study.scenarios) == 8 + 5
    assert [len(read_sweep(p)[1]) for p in EXAMPLES[1:]] == [3, 3]


def test_shipped_scenarios_cover_the_questions_of_the_issue():
    names = {p.stem for p in SHIPPED}
    assert {"ivanova-visa-two-weeks-late", "iot-lab-closed-for-a-month",
            "thirty-more-russian-students", "kozlov-december-trip-cancelled"} <= names


def test_the_examples_in_the_docs_apply_to_the_default_instance(fall_instance):
    """Each example applies to the instance it is written for: the default one, or the one
    that plans trips when the block names it."""
    from scheduler.io.reader import read_instance
    from scheduler.paths import INSTANCES_DIR

    planned = read_instance(INSTANCES_DIR / "cqupt-fefu-2026-fall-planned")
    text = DOCS.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
              if "changes:" in b and "scenarios:" not in b]
    assert len(blocks) >= 2
    for block in blocks:
        base = planned if "cqupt-fefu-2026-fall-planned" in block else fall_instance
        assert applied(base, block).notes


def test_change_course_keeps_every_other_column_also_the_default_ones():
    """A course whose `core` is "no" (a default left out of its row) made change_course fail
    with a KeyError traceback; now it changes the column given and nothing else."""
    from dataclasses import replace

    from scheduler.io.reader import read_instance
    from scheduler.paths import INSTANCES_DIR
    from scheduler.scenarios import apply_scenario, parse_scenario

    base = read_instance(INSTANCES_DIR / "cqupt-fefu-2026-fall")
    for course_id in ("MATH101", "POL101", "LINALG101", "IOT101"):
        old = base.course_by_id[course_id]
        changed = apply_scenario(base, parse_scenario(
            f"changes:\n  - {{change: change_course, course: {course_id}, contact_periods: "
            f"{old.contact_periods + old.meeting_length * 2}}}\n", "s.yaml")).instance
        new = changed.course_by_id[course_id]
        assert new == replace(old, contact_periods=old.contact_periods + old.meeting_length * 2)
    # the change says what changed, in the table's words (it said "core blank → False")
    notes = apply_scenario(base, parse_scenario(
        "changes:\n  - {change: change_course, course: MATH101, core: no, contact_periods: 64}"
        "\n  - {change: change_course, course: MATH101, core: yes}\n", "s.yaml")).notes
    assert [n.split(": ", 1)[1] for n in notes[-2:]] == ["contact_periods 80 → 64",
                                                         "core no → yes"]

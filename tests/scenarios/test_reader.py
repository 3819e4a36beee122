"""Scenario files: every change kind read into its record, and bad files rejected precisely."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.scenarios import KINDS, parse_scenario, read_scenario, read_sweep
from scheduler.scenarios.changes import (
    AddCourse,
    AddHoliday,
    AddTrip,
    CancelTrip,
    ChangeCourse,
    CohortSize,
    PersonUnavailable,
    RemoveCourse,
    RoomClosed,
    ShiftTrip,
    ShortenTrip,
)

D = dt.date
DOCS = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"

EVERY_KIND = """\
name: every kind
description: one change of each kind
changes:
  - change: shift_trip
    teacher: FEFU-IVANOVA
    days: -3
  - change: shorten_trip
    teacher: FEFU-KOZLOV
    trip: 2
    arrive_later: 2
  - change: cancel_trip
    teacher: FEFU-KOZLOV
    trip: 2026-09-20
  - change: add_trip
    teacher: FEFU-PETROV
    arrival: 2026-12-27
    departure: 2027-01-08
    teach_on_departure: yes
  - change: teacher_unavailable
    interpreter: INT-CHEN
    date: 2026-11-12
    first_period: 1
    last_period: 4
  - change: room_closed
    room: 5-IOT1
    from: 2026-11-16
    to: 2026-12-15
    reason: works
  - change: cohort_size
    cohorts: [IoT-2026-1, IoT-2026-1-RU]
    add_ru: 10
  - change: add_course
    course_id: IOT103
    name: IoT Security
    cohorts: IoT-2026-1;IoT-2026-2
    teachers: [FEFU-PETROV]
    contact_periods: 16
    meeting_length: 2
    delivery: intensive
    room_type: lecture
    language: en
  - change: remove_course
    course: POL101
  - change: change_course
    course: IOT101
    contact_periods: 24
    max_periods_per_day: null
  - change: add_holiday
    date: 2026-11-04
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_scenario(text, "late.yaml")
    return [str(p) for p in caught.value.problems]


def test_every_kind_of_change_is_read_with_its_line():
    scenario = parse_scenario(EVERY_KIND, "every.yaml")
    assert scenario.name == "every kind" and scenario.description == "one change of each kind"
    kinds = [type(c) for c in scenario.changes]
    assert kinds == [ShiftTrip, ShortenTrip, CancelTrip, AddTrip, PersonUnavailable,
                     RoomClosed, CohortSize, AddCourse, RemoveCourse, ChangeCourse, AddHoliday]
    shift, shorten, cancel, add, absent, closed, size, new, removed, changed, holiday = \
        scenario.changes
    assert (shift.teacher, shift.days, shift.trip, shift.line) == ("FEFU-IVANOVA", -3, None, 4)
    assert (shorten.trip, shorten.arrive_later, shorten.leave_earlier) == (2, 2, 0)
    assert cancel.trip == D(2026, 9, 20)
    assert (add.arrival, add.departure, add.teach_on_departure) == (D(2026, 12, 27),
                                                                    D(2027, 1, 8), True)
    assert (absent.person, absent.first, absent.last, absent.first_period,
            absent.last_period) == ("INT-CHEN", D(2026, 11, 12), D(2026, 11, 12), 1, 4)
    assert (closed.room, closed.first, closed.last, closed.first_period) == \
        ("5-IOT1", D(2026, 11, 16), D(2026, 12, 15), None)
    assert (size.cohorts, size.add_ru, size.students_cn) == (("IoT-2026-1", "IoT-2026-1-RU"),
                                                             10, None)
    values = dict(new.values)
    assert values["cohorts"] == ("IoT-2026-1", "IoT-2026-2")
    assert values["teachers"] == ("FEFU-PETROV",) and values["needs_interpreter"] is True
    assert removed.course_id == "POL101"
    assert dict(changed.values) == {"contact_periods": 24, "max_periods_per_day": None}
    assert (holiday.first, holiday.last) == (D(2026, 11, 4), D(2026, 11, 4))


def test_bad_values_unknown_kinds_and_keys_are_all_reported_with_lines():
    text = EVERY_KIND.replace("days: -3", "days: two").replace(
        "change: remove_course", "change: remove_cours").replace("reason: works",
                                                                  "raeson: works")
    assert problems(text) == [
        "late.yaml, line 6: 'days': expected a whole number, got 'two'. Fix: type a whole "
        "number such as 4",
        "late.yaml, line 28: unknown key 'raeson' in change 6 (room_closed). Fix: did you mean "
        "'reason'? use one of: change, room, date, from, to, first_period, last_period, "
        "reason",
        "late.yaml, line 42: unknown change 'remove_cours'. Fix: did you mean "
        "'remove_course'? use one of: " + ", ".join(KINDS),
    ]


def test_missing_keys_and_contradictions():
    text = """\
changes:
  - change: shift_trip
    teacher: FEFU-IVANOVA
  - change: room_closed
    room: 5-IOT1
    date: 2026-11-16
    from: 2026-11-17
  - change: cohort_size
    cohort: IoT-2026-1
    students_ru: 20
    add_ru: 3
  - change: teacher_unavailable
    teacher: CQ-LIWEI
    date: 2026-11-16
    first_period: 5
    last_period: 2
"""
    assert problems(text) == [
        "late.yaml, line 2: change 1 (shift_trip) needs 'days' (days later (negative: "
        "earlier)). Fix: add 'days:'",
        "late.yaml, line 4: change 2 (room_closed) needs either 'date' or 'from' (and 'to'), "
        "not both. Fix: give one date, or a range from/to",
        "late.yaml, line 8: change 3 (cohort_size) gives both students_ru and add_ru. Fix: give "
        "the new number or the change, not both",
        "late.yaml, line 12: change 4 (teacher_unavailable): last_period 2 is before "
        "first_period 5. Fix: swap the two periods",
    ]


def test_malformed_yaml_duplicates_and_shape():
    assert problems("changes:\n  - change: shift_trip\n   teacher: X\n")[0].startswith(
        "late.yaml, line 3: not valid YAML")
    assert problems("name: a\nname: b\nchanges: []\n") == [
        "late.yaml, line 2: 'name' is given twice (first on line 1). Fix: keep one of them"]
    assert problems("name: a\n") == [
        "late.yaml, line 1: the scenario has no 'changes:' list. Fix: add 'changes:' with one "
        "'- change: ...' item per change"]
    assert problems("changes:\n  - shift_trip\n") == [
        "late.yaml, line 2: expected change 1 as 'key: value' lines, got 'shift_trip'. Fix: "
        "write change 1 as a mapping"]
    assert problems("")[0] == ("late.yaml: the scenario file is empty. Fix: add 'name:' and "
                               "a 'changes:' list")


def test_what_a_fuzzer_found_is_reported_not_raised_or_ignored():
    """Shifts beyond any term (a date overflow in the trip's arithmetic), YAML nested a
    thousand deep (the parser's recursion) and a scenario name that is not text (taken from
    the file name silently) are each one located problem."""
    change = "changes:\n  - {change: shift_trip, teacher: V1, days: %s}\n"
    assert problems(change % "-1000000") == [
        "late.yaml, line 2: 'days': must be at least -366, got -1000000. Fix: use a whole number "
        "of -366 or more"]
    assert problems(change % ("9" * 31)) == [
        "late.yaml, line 2: 'days': must be at most 366, got a number of more than 18 digits. "
        "Fix: use a whole number of 366 or less"]
    assert problems("changes:\n  - {change: shorten_trip, teacher: V1, leave_earlier: "
                    "1000000}\n")[0].startswith("late.yaml, line 2: 'leave_earlier': must be "
                                                  "at most 366")
    assert problems("changes: " + "[" * 1000 + "]" * 1000 + "\n") == [
        "late.yaml: the YAML is nested too deeply to read. Fix: write each change as a mapping "
        "in the 'changes' list, as docs/scenarios.md shows"]
    assert problems("name: [a, b]\n" + change % "1") == [
        "late.yaml, line 1: 'name' expects text, got a list. Fix: write one value: the "
        "scenario's name"]
    assert problems("description: {a: 1}\n" + change % "1")[0].startswith(
        "late.yaml, line 1: 'description' expects text, got a mapping")
    # a NUL written as a YAML escape reached the terminal, comparison.md and scenario.json
    assert problems('name: "x\\0y"\n' + change % "1") == [
        "late.yaml, line 1: 'name': the text holds the control character U+0000 at character "
        "2. Fix: retype the text (the character does not show)"]


def test_a_character_yaml_refuses_and_text_that_is_not_utf8_name_their_line(tmp_path):
    assert problems("name: a\nchanges:\n  - {change: \x00}\n") == [
        "late.yaml, line 3: not valid YAML: the character U+0000 is not allowed in YAML text. "
        "Fix: remove it: save the file as plain UTF-8 text"]
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: a\n# 中文\n".encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_scenario(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, line 2: the file is not UTF-8 text. Fix: save it as UTF-8"]


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such scenario file"):
        read_scenario(tmp_path / "nope.yaml")


def test_sweep_file_lists_files_and_inline_scenarios(tmp_path):
    (tmp_path / "late.yaml").write_text("name: late\nchanges:\n  - change: shift_trip\n"
                                        "    teacher: V1\n    days: 1\n", encoding="utf-8")
    (tmp_path / "sweep.yaml").write_text(
        "name: two\nscenarios:\n  - file: late.yaml\n  - name: inline\n    changes:\n"
        "      - change: cancel_trip\n        teacher: V1\n", encoding="utf-8")
    name, scenarios = read_sweep(tmp_path / "sweep.yaml")
    assert name == "two" and [s.name for s in scenarios] == ["late", "inline"]
    (tmp_path / "bad.yaml").write_text("scenarios:\n  - file: missing.yaml\n",
                                       encoding="utf-8")
    with pytest.raises(InputError, match=r"missing\.yaml: no such scenario file"):
        read_sweep(tmp_path / "bad.yaml")


def test_docs_describe_every_change_kind_and_key():
    text = DOCS.read_text(encoding="utf-8")
    for kind in KINDS.values():
        row = re.search(rf"^\| `{kind.name}` \|(.*)$", text, re.MULTILINE)
        assert row, f"docs/scenarios.md has no row for {kind.name}"
        fields = kind.fields[:1] if kind.name == "change_course" else kind.fields
        for field in fields:  # change_course takes "any column of the courses table"
            assert f"`{field.name}`" in row.group(1), (kind.name, field.name)

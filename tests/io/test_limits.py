"""Absurd values are refused at the cell that holds them: numbers beyond the documented limits,
unknown time zones, ids too long for the tool's own workbook, dates far outside any term."""

from __future__ import annotations

from dataclasses import fields, replace

import openpyxl
import pytest

from scheduler.cpsat import SolverParams
from scheduler.exports.sheets import MAX_SHEET_NAME, sheet_name
from scheduler.exports.workbook import GRID_PREFIX, write_workbook
from scheduler.generate import generate_instance
from scheduler.instance import Weights
from scheduler.io.cells import CellError, Integer
from scheduler.io.check import schema_issues
from scheduler.io.limits import (
    MAX_SEATS,
    MAX_SUBJECT_ID,
    MAX_WEIGHT,
    THRESHOLD_LIMITS,
    weight_limit,
)
from scheduler.io.reader import read_instance
from scheduler.io.schema import TABLES
from scheduler.io.writer import write_instance_csv
from scheduler.model.solve import solve_timetable
from scheduler.paths import STEADY_INSTANCE
from tests.io.conftest import only_problem, problems_of
from tests.tiny import tiny_instance, valid_timetable


def test_a_room_of_ten_to_the_thirty_seats_is_refused(workbook, fall):
    workbook.set("rooms", 2, "capacity", 10**30)
    fall.set("rooms", 2, "capacity", str(10**30))
    for path in (workbook.path, fall.folder):
        problem = only_problem(path)
        assert (problem.row, problem.column) == (2, "capacity")
        assert problem.message.startswith("must be at most 5000")


def test_a_number_of_hundreds_of_digits_is_a_located_error(fall):
    fall.set("rooms", 2, "capacity", "1" * 400)  # was an OverflowError traceback
    problem = only_problem(fall.folder)
    assert (problem.row, problem.column) == (2, "capacity")


@pytest.mark.parametrize(("name", "value", "limit"), [
    ("cohort_idle_period", 10**18, MAX_WEIGHT),
    ("unplaced_period", MAX_WEIGHT + 1, MAX_WEIGHT),
    ("min_day_gap", 8, THRESHOLD_LIMITS["min_day_gap"]),
    ("max_consecutive_days", 10**9, MAX_WEIGHT),
])
def test_weights_and_thresholds_have_limits(fall, name, value, limit):
    fall.append("weights", name=name, value=str(value))
    problem = only_problem(fall.folder)
    assert problem.source.endswith("weights.csv") and problem.column == "value"
    assert f"at most {limit}" in problem.message


def test_the_largest_allowed_weights_are_read(fall):
    for name, limit in (("cohort_idle_period", MAX_WEIGHT),
                        ("max_consecutive_days", THRESHOLD_LIMITS["max_consecutive_days"])):
        fall.append("weights", name=name, value=str(limit))
    weights = read_instance(fall.folder).weights
    assert weights.cohort_idle_period == MAX_WEIGHT
    assert weights.max_consecutive_days == THRESHOLD_LIMITS["max_consecutive_days"]


def test_a_huge_cohort_is_reported_on_its_own_cell_not_on_the_courses(fall):
    fall.set("cohorts", 2, "students_cn", str(10**12))
    problem = only_problem(fall.folder)
    assert problem.source.endswith("cohorts.csv")
    assert (problem.row, problem.column) == (2, "students_cn")


def test_an_unknown_time_zone_is_refused(workbook):
    workbook.set("term", 2, "timezone", "Mars/Olympus_Mons")
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == ("term", 2, "timezone")
    assert "unknown time zone 'Mars/Olympus_Mons'" in problem.message


def test_a_time_zone_in_the_wrong_case_gets_its_spelling(fall):
    fall.set("term", 2, "timezone", "asia/shanghai")
    assert only_problem(fall.folder).fix == "write it as Asia/Shanghai"


def test_another_iana_time_zone_is_read(fall):
    fall.set("term", 2, "timezone", "Asia/Vladivostok")
    assert read_instance(fall.folder).term.timezone == "Asia/Vladivostok"


def test_an_id_of_a_hundred_thousand_characters_is_refused(fall):
    fall.set("teachers", 2, "teacher_id", "T" * 100_000)
    problems = problems_of(fall.folder)
    located = [p for p in problems if p.source.endswith("teachers.csv")]
    assert [(p.row, p.column) for p in located] == [(2, "teacher_id")]
    assert "longer than the 23 allowed" in located[0].message


def test_subject_ids_of_the_largest_length_keep_their_whole_sheet_name():
    """Why 23: the longest grid-sheet prefix is 'teacher ' and Excel allows 31 characters."""
    assert max(map(len, GRID_PREFIX.values())) + MAX_SUBJECT_ID == MAX_SHEET_NAME
    for prefix in GRID_PREFIX.values():
        name = prefix + "x" * MAX_SUBJECT_ID
        assert sheet_name(name, set()) == name


def test_the_tool_s_own_workbook_names_a_sheet_after_a_longest_id(tmp_path):
    longest = "T" * MAX_SUBJECT_ID
    instance = tiny_instance()
    teachers = tuple(replace(t, id=longest) if t.id == "T1" else t for t in instance.teachers)
    courses = tuple(replace(c, teachers=tuple(longest if t == "T1" else t for t in c.teachers))
                    for c in instance.courses)
    instance = replace(instance, teachers=teachers, courses=courses)
    assert schema_issues(instance) == []
    path = write_workbook(instance, valid_timetable(), tmp_path / "timetable.xlsx")
    assert f"teacher {longest}" in openpyxl.load_workbook(path, read_only=True).sheetnames


@pytest.mark.parametrize(("column", "value", "fragment"), [
    ("last_date", "9999-12-31", "not between 1900-01-01 and 2100-12-31"),
    ("last_date", "2028-01-10", "the term lasts 491 days, more than 366"),
])
def test_a_term_of_absurd_length_is_refused(fall, column, value, fragment):
    fall.set("term", 2, column, value)
    problem = only_problem(fall.folder)
    assert problem.column == column and fragment in problem.message


def test_every_number_column_has_a_documented_upper_limit():
    for table in TABLES:
        for column in table.columns:
            if isinstance(column.kind, Integer):
                assert column.kind.maximum is not None, (table.name, column.name)
                column.kind.parse(column.kind.maximum)
                with pytest.raises(CellError):
                    column.kind.parse(column.kind.maximum + 1)


@pytest.mark.parametrize("students", [60, 1650, 13_000])
def test_generated_instances_are_within_every_limit(students):
    assert schema_issues(generate_instance(students, seed=0)) == []


def test_shipped_instances_are_within_every_limit(fall_instance, tmp_path):
    assert schema_issues(fall_instance) == []
    assert schema_issues(read_instance(STEADY_INSTANCE)) == []
    write_instance_csv(fall_instance, tmp_path / "copy")
    assert read_instance(tmp_path / "copy") == fall_instance


def test_the_largest_allowed_weights_and_rooms_are_still_optimised():
    """The limits keep the objective in the solver's range: it optimises, not just solves."""
    instance = tiny_instance()
    weights = Weights(**{f.name: weight_limit(f.name) for f in fields(Weights)})
    rooms = tuple(replace(r, capacity=MAX_SEATS) for r in instance.rooms)
    instance = replace(instance, weights=weights, rooms=rooms)
    assert schema_issues(instance) == []
    result = solve_timetable(instance, SolverParams(time_limit=10, workers=2, seed=1))
    assert result.has_timetable and result.stats.objective is not None
    assert result.stats.objective > MAX_WEIGHT

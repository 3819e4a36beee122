"""Cells that hold no value (placeholders, spreadsheet errors, formulas without their value) are
errors at their cell, in workbooks and CSV files alike; they never silently take a default.

The workbooks are real ``.xlsx`` files edited with openpyxl, which stores ``#N/A`` as an error
cell and a formula without a calculated value, as a script-written workbook does.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from scheduler.io.reader import read_instance
from tests.io.conftest import only_problem

EVEN_COURSE_ROW = 4  # PROG101L-1, a weekly course in even weeks only
SUBGROUP_ROW = 5  # IoT-2026-1-CN, a sub-group of IoT-2026-1
INTENSIVE_ROW = 18  # LINALG101, intensive, at most 6 periods a day


@pytest.mark.parametrize("text", ["N/A", "NULL", "null", "None", "NaN", " n/a "])
def test_a_placeholder_in_an_optional_cell_is_an_error_not_the_default(workbook, text):
    workbook.set("courses", EVEN_COURSE_ROW, "week_parity", text)
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == (
        "courses", EVEN_COURSE_ROW, "week_parity")
    assert "stands for a missing value" in problem.message
    assert problem.fix == "leave the cell empty for the default (all), or enter a value"


def test_none_as_parent_does_not_make_a_sub_group_independent(workbook):
    workbook.set("cohorts", SUBGROUP_ROW, "parent", "None")
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == ("cohorts", SUBGROUP_ROW, "parent")
    assert problem.fix == "leave the cell empty for the default, or enter a value"


@pytest.mark.parametrize("code", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!"])
def test_an_error_cell_is_an_error(workbook, code):
    workbook.set("courses", INTENSIVE_ROW, "max_periods_per_day", code, data_type="e")
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == (
        "courses", INTENSIVE_ROW, "max_periods_per_day")
    assert problem.message == f"the cell shows the spreadsheet error {code}"
    assert problem.fix == "enter the value, not a formula"


def test_a_formula_without_its_value_is_an_error(workbook):
    workbook.set("interpreters", 2, "max_periods_per_week", "=10+10")
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == (
        "interpreters", 2, "max_periods_per_week")
    assert "formula '=10+10'" in problem.message
    assert problem.fix == "enter the value, not a formula"


def test_a_formula_with_its_saved_value_reads_as_that_value(workbook, fall_instance):
    """Excel and LibreOffice save each formula's value: that value is read."""
    _put_formula(workbook.path, "rooms", "C2", "100+20", "120")
    assert read_instance(workbook.path) == fall_instance


@pytest.mark.parametrize(("text", "data_type"), [("NULL", None), ("#N/A", "e")])
def test_a_required_cell_holding_a_placeholder_says_so(workbook, text, data_type):
    workbook.set("rooms", 3, "capacity", text, data_type=data_type)
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == ("rooms", 3, "capacity")
    assert "empty required cell" not in problem.message
    assert "this cell is required (seats)" in problem.message


@pytest.mark.parametrize(("text", "fix"), [
    ("N/A", "leave the cell empty for the default (all), or enter a value"),
    ("#DIV/0!", "enter the value, not a formula"),
    ("=10+10", "enter the value, not a formula"),
])
def test_csv_gives_the_same_answer_for_the_same_text(fall, workbook, text, fix):
    fall.set("courses", EVEN_COURSE_ROW, "week_parity", text)
    workbook.set("courses", EVEN_COURSE_ROW, "week_parity", text)
    from_csv, from_xlsx = only_problem(fall.folder), only_problem(workbook.path)
    assert from_csv.fix == from_xlsx.fix == fix
    assert (from_csv.row, from_csv.column) == (from_xlsx.row, from_xlsx.column)
    assert from_csv.source.endswith("courses.csv")


def test_csv_placeholder_in_a_text_column_is_an_error_not_an_id(fall):
    """'None' was read as the id of a parent cohort (then reported as unknown)."""
    fall.set("cohorts", SUBGROUP_ROW, "parent", "None")
    problem = only_problem(fall.folder)
    assert problem.column == "parent" and "stands for a missing value" in problem.message


def test_csv_placeholder_in_an_integer_column_says_what_it_is(fall):
    fall.set("courses", INTENSIVE_ROW, "max_periods_per_day", "N/A")
    problem = only_problem(fall.folder)
    assert problem.message == "'N/A' stands for a missing value"


def _put_formula(path, sheet: str, cell: str, formula: str, value: str) -> None:
    """Give ``cell`` a formula and its saved value, as Excel stores them in the sheet's XML."""
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    workbook_xml = entries["xl/workbook.xml"].decode()
    names = re.findall(r'<sheet name="([^"]+)"', workbook_xml)
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    xml = entries[part].decode()
    xml, count = re.subn(rf'<c r="{cell}"([^>]*)><v>[^<]*</v></c>',
                         rf'<c r="{cell}"\1><f>{formula}</f><v>{value}</v></c>', xml)
    assert count == 1
    entries[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)

"""Damaged workbooks are located errors, never tracebacks (zip, XML and openpyxl failures)."""

from __future__ import annotations

import re
import warnings
import zipfile

import pytest

from tests.io.conftest import only_problem


def _damage(path, how: str) -> None:
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(b"this is not a workbook" * 10)
    elif how == "flipped byte":  # inside the first compressed part: a CRC or inflate error
        path.write_bytes(data[:100] + bytes([data[100] ^ 0x5A]) + data[101:])
    elif how == "zip of something else":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "hello")


@pytest.mark.parametrize("how", ["empty", "truncated", "garbage", "flipped byte",
                                 "zip of something else"])
def test_a_damaged_workbook_is_one_located_problem(workbook, how):
    _damage(workbook.path, how)
    problem = only_problem(workbook.path)
    assert problem.source == str(workbook.path)
    assert problem.message.startswith("not a readable .xlsx workbook: ")
    assert "Error" not in problem.message and "Traceback" not in problem.message
    assert problem.fix


def _rewrite_sheet(path, sheet_number: int, change) -> None:
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    part = f"xl/worksheets/sheet{sheet_number}.xml"
    entries[part] = change(entries[part].decode()).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)


def test_a_number_too_large_for_a_float_is_a_located_error(workbook):
    """<v>1E+400</v> reads as infinity, which pandas could not turn into a number."""
    _rewrite_sheet(workbook.path, 7, lambda xml: re.sub(
        r'(<c r="C2"[^>]*>)<v>[^<]*</v>', r"\1<v>1E+400</v>", xml, count=1))
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == ("rooms", 2, "capacity")


def test_a_date_cell_beyond_the_calendar_is_a_located_error_without_warnings(workbook):
    """A date-formatted cell whose serial number is no date: openpyxl makes it an error."""
    _rewrite_sheet(workbook.path, 1, lambda xml: re.sub(
        r'(<c r="B2"[^>]*>)<v>[^<]*</v>', r"\1<v>-1488510148</v>", xml, count=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        problem = only_problem(workbook.path)
    assert (problem.sheet, problem.row, problem.column) == ("term", 2, "first_date")
    # no error was stored, and there is no formula: the message said "#VALUE!", "not a formula"
    assert problem.message.startswith("the cell is formatted as a date but holds a number "
                                      "that is no date (Excel shows ########)"), problem
    assert problem.fix == "enter the value, e.g. 2026-09-07"


def test_a_sheet_whose_cells_are_missing_from_the_file_is_not_read_as_absent(workbook):
    """The holidays sheet listed by the workbook but its part gone from the zip: openpyxl
    left it out silently, and the term gained National Day as 7 teaching days."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(workbook.path, read_only=True)
    reader.read_manifest()
    reader.read_workbook()
    holidays = next(rel.target for sheet, rel in reader.parser.find_sheets()
                    if sheet.name == "holidays")
    reader.archive.close()
    damaged = workbook.path.with_name("damaged.xlsx")
    with zipfile.ZipFile(workbook.path) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            if info.filename != holidays:
                target.writestr(info, source.read(info))
    problem = only_problem(damaged)
    assert problem.message.startswith("not a readable .xlsx workbook: the workbook lists the "
                                      "sheet 'holidays' but the file holds no cells for it")


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_table_file_that_is_not_a_file_is_a_located_problem(tmp_path, fall_instance, kind):
    """holidays.csv a folder (or a named pipe): it was skipped as if absent (the holidays
    lost), or validation waited for the pipe forever."""
    import os

    from scheduler.io.writer import write_instance_csv

    folder = tmp_path / "term"
    write_instance_csv(fall_instance, folder)
    table = folder / "holidays.csv"
    table.unlink()
    if kind == "folder":
        table.mkdir()
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(table)
    problem = only_problem(folder)
    assert problem.source == str(table)
    assert problem.message.startswith("'holidays.csv' is ")
    assert "not a CSV file" in problem.message and "holidays table" in problem.fix


def test_an_empty_sheet_is_one_problem(workbook):
    """Every row of the periods sheet deleted: it was 'no data rows below the header' and a
    missing required column four times over; an empty CSV file is one problem too."""
    import openpyxl

    book = openpyxl.load_workbook(workbook.path)
    sheet = book["periods"]
    sheet.delete_rows(1, sheet.max_row)
    book.save(workbook.path)
    problem = only_problem(workbook.path)
    assert (problem.sheet, problem.message) == ("periods", "the sheet is empty")


def test_a_workbook_whose_cell_formats_are_missing_is_one_problem(workbook):
    """xl/styles.xml removed from the zip: every date read as its serial number (28 problems
    "expected a date as YYYY-MM-DD, got '46272'")."""
    damaged = workbook.path.with_name("damaged.xlsx")
    with zipfile.ZipFile(workbook.path) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/styles.xml":
                target.writestr(info, source.read(info))
    problem = only_problem(damaged)
    assert problem.message == ("not a readable .xlsx workbook: the workbook's cell formats are "
                               "missing from the file (the file is damaged): its dates would "
                               "read as numbers")

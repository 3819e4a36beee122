"""CSV files as spreadsheet programs save them: other Unicode encodings and delimiters read the
same; other encodings, empty and malformed files are located errors."""

from __future__ import annotations

import csv
import io

import pytest

from scheduler.errors import InputError
from scheduler.io.reader import read_instance
from tests.io.conftest import only_problem


def _rewrite(path, delimiter: str = ",", encoding: str = "utf-8") -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (";", "utf-8"), ("\t", "utf-8"), (",", "utf-16"), ("\t", "utf-16"), (";", "utf-8-sig"),
])
def test_other_delimiters_and_unicode_encodings_read_the_same(fall, fall_instance, delimiter,
                                                               encoding):
    for path in fall.folder.glob("*.csv"):
        _rewrite(path, delimiter, encoding)
    assert read_instance(fall.folder) == fall_instance


@pytest.mark.parametrize("encoding", ["gbk", "cp1251"])
def test_a_legacy_encoding_is_refused_with_its_line(fall, encoding):
    path = fall.path("rooms") if encoding == "gbk" else fall.path("teachers")
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode(encoding, errors="ignore"))
    problem = only_problem(fall.folder)
    assert problem.message == "the file is not UTF-8 text"
    assert problem.source == str(path) and problem.line is not None and problem.line >= 2


def test_an_empty_file_is_refused(fall):
    fall.path("holidays").write_bytes(b"")
    problem = only_problem(fall.folder)
    assert (problem.source, problem.message) == (str(fall.path("holidays")), "the file is empty")


def test_a_row_with_an_extra_cell_names_its_line(fall):
    fall.path("rooms").write_text(fall.path("rooms").read_text(encoding="utf-8")
                                  + "9999,B,10,lecture,x,surplus\n", encoding="utf-8")
    problem = only_problem(fall.folder)
    assert "not a well-formed CSV file" in problem.message
    assert problem.line == len(fall.rows("rooms"))


def test_every_row_with_extra_cells_is_reported(fall):
    """A parser stops at the first line with too many values; every such line is named."""
    lines = fall.path("rooms").read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    lines[-1] += ",extra,more"
    fall.path("rooms").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_instance(fall.folder)
    found = [(p.source, p.line, p.message) for p in caught.value.problems]
    width = len(lines[0].split(","))
    assert found == [
        (str(fall.path("rooms")), 3, f"not a well-formed CSV file: line 3 has {width + 1} "
         f"values, the others {width}"),
        (str(fall.path("rooms")), len(lines), f"not a well-formed CSV file: line {len(lines)} "
         f"has {width + 2} values, the others {width}")]


def test_a_title_line_above_the_header_is_named_once(fall):
    """A title typed on line 1 (one value) above the column names: one problem saying where the
    names are, not one per line."""
    path = fall.path("rooms")
    path.write_text("Rooms of CQUPT\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    problem = only_problem(fall.folder)
    assert (problem.source, problem.row) == (str(path), 1)
    assert problem.message == "the column names are in row 2, not in row 1"
    assert problem.fix.startswith("delete the 1 row(s) above them")


def test_utf16_without_its_byte_order_mark_is_named(fall):
    path = fall.path("rooms")
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    problem = only_problem(fall.folder)
    assert problem.source == str(path) and problem.line == 1
    assert "NUL bytes, as UTF-16 text without its byte-order mark does" in problem.message


def test_a_workbook_saved_under_a_csv_name_is_named(fall, tmp_path):
    """An .xlsx renamed rooms.csv was said to be UTF-16 text without its byte-order mark."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["room_id", "building", "capacity", "room_type"])
    book.save(tmp_path / "rooms.xlsx")
    path = fall.path("rooms")
    path.write_bytes((tmp_path / "rooms.xlsx").read_bytes())
    problem = only_problem(fall.folder)
    assert problem.source == str(path)
    assert problem.message.startswith("the file is a workbook (.xlsx or another zip file), not "
                                      "CSV text")
    assert "CSV UTF-8" in problem.fix


@pytest.mark.parametrize("line", [3, 5])
def test_a_quote_left_open_names_the_line_it_opens_on(fall, line):
    """pandas says "EOF inside string starting at row 4" (counting from 0) for a quote opened
    on line 5: the message named row 4 and no location."""
    path = fall.path("rooms")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = '"' + lines[line - 1]
    path.write_text("".join(lines), encoding="utf-8")
    problem = only_problem(fall.folder)
    assert (problem.source, problem.line) == (str(path), line)
    assert problem.message == ("not a well-formed CSV file: the quote (\") opened on line "
                               f"{line} is never closed")

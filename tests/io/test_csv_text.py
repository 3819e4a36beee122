"""CSV files as spreadsheet programs save them: other Unicode encodings and delimiters read the
same; other encodings, empty and malformed files are located errors."""

from __future__ import annotations

import csv
import io

import pytest

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

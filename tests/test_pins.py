"""``scheduler pin``: picking meetings, and writing a timetable file back with only its pinned
cells changed (CSV, JSON, xlsx), through the library and click's CliRunner."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from scheduler.errors import InputError, OutputError
from scheduler.exports.workbook import write_workbook
from scheduler.io.writer import write_instance_csv
from scheduler.pins import PinSelection, parse_date_range, pin_timetable, select_meetings
from scheduler.timetable import MEETING_COLUMNS, Timetable
from scheduler.timetable_io import read_timetable_file, write_timetable_csv, write_timetable_json
from tests.tiny import D, m, tiny_instance, valid_timetable

TINY = tiny_instance()
PINNED = MEETING_COLUMNS.index("pinned")


def picked(**criteria) -> set:
    return set(select_meetings(TINY, valid_timetable(), PinSelection(**criteria)))


def test_meetings_are_picked_by_course_teacher_cohort_room_and_dates():
    table = valid_timetable()
    assert picked(courses=("W1",)) == set(table.of_course("W1"))
    # T2 teaches only W4; V1 only I1
    assert picked(teachers=("T2", "V1")) == set(table.of_course("W4") + table.of_course("I1"))
    # sub-group C1-B attends its own lab and its parent C1's courses, not C1-A's lab
    assert {x.course_id for x in picked(cohorts=("C1-B",))} == {"W1", "W4", "I1"}
    # the whole cohort C1 includes its sub-groups' labs
    assert {x.course_id for x in picked(cohorts=("C1",))} == {"W1", "W2", "W4", "I1"}
    assert {x.course_id for x in picked(rooms=("L1",))} == {"W2", "W4"}
    # every kind given must hold: T1's meetings in the first week
    first_week = picked(teachers=("T1",), first=D(2026, 9, 7), last=D(2026, 9, 11))
    assert first_week == {m(7, 1, "W1", "R1"), m(7, 3, "W2", "L1"), m(8, 1, "W3", "R2"),
                          m(10, 1, "W1", "R1")}


def test_a_selection_needs_a_criterion_and_known_ids():
    with pytest.raises(ValueError, match="Expected a course, teacher, cohort, room or date"):
        PinSelection()
    with pytest.raises(InputError) as caught:
        picked(teachers=("T9",))
    assert str(caught.value.problems[0]) == ("teacher: unknown teacher 'T9'. Fix: give one of: "
                                             "T1, T2, V1")
    with pytest.raises(InputError, match="no meeting of course 'X1' in the timetable"):
        picked(courses=("X1",))


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-09-07..2026-09-11", (D(2026, 9, 7), D(2026, 9, 11))),
    (" 2026-09-07 .. 2026-09-07 ", (D(2026, 9, 7), D(2026, 9, 7))),
    ("2026-09-08", (D(2026, 9, 8), D(2026, 9, 8))),
])
def test_date_ranges(text, expected):
    assert parse_date_range(text) == expected


@pytest.mark.parametrize("text", ["2026-09-11..2026-09-07", "next week", "2026-09-07..",
                                  "2026-13-01..2026-13-02"])
def test_bad_date_ranges_say_what_is_expected(text):
    with pytest.raises(ValueError, match="Expected"):
        parse_date_range(text)


@pytest.fixture(params=["csv", "json", "xlsx"])
def timetable_file(request, tmp_path) -> Path:
    path = tmp_path / f"timetable.{request.param}"
    {"csv": write_timetable_csv, "json": write_timetable_json,
     "xlsx": write_workbook}[request.param](TINY, valid_timetable(), path)
    return path


def test_pinning_changes_only_the_pinned_cells_of_the_picked_rows(timetable_file, tmp_path):
    out = tmp_path / f"pinned{timetable_file.suffix}"
    result = pin_timetable(timetable_file, out, PinSelection(courses=("I1",)), TINY)
    assert result.output == out and result.changed == result.pinned == 3
    assert read_timetable_file(out).timetable.pinned == set(valid_timetable().of_course("I1"))
    assert _cells(out) == _cells(timetable_file, pin_rows=_rows(timetable_file, "I1"))
    # pinning again changes nothing; unpinning one meeting leaves the other two
    again = pin_timetable(out, out, PinSelection(courses=("I1",)))
    assert (again.changed, again.pinned) == (0, 3)
    one = pin_timetable(out, out, PinSelection(courses=("I1",), first=D(2026, 9, 16)),
                        unpin=True)
    assert (len(one.picked), one.changed, one.pinned) == (1, 1, 2)
    assert m(16, 3, "I1", "R1", "I1") not in read_timetable_file(out).timetable.pinned


def _rows(path: Path, course: str) -> set[int]:
    read = read_timetable_file(path)
    return {r for x, rows in read.rows.items() if x.course_id == course for r in rows}


def _cells(path: Path, pin_rows: set[int] = frozenset()) -> list[list[object]]:
    """The master table's cells row by row (row 1 the header; in JSON, the first meeting);
    with ``pin_rows``, those rows' pinned cells set to yes."""
    if path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        rows = [list(row.values()) for row in document["meetings"]]
        assert all(list(row) == list(MEETING_COLUMNS) for row in document["meetings"])
    elif path.suffix == ".csv":
        rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        rows = [list(r) for r in openpyxl.load_workbook(path)["timetable"].iter_rows(
            values_only=True)]
    for row in pin_rows:
        rows[row - 1][PINNED] = "yes"
    return rows


def test_a_workbook_keeps_its_other_sheets_formatting_and_notes(tmp_path):
    source = tmp_path / "timetable.xlsx"
    write_workbook(TINY, valid_timetable(), source)
    book = openpyxl.load_workbook(source)
    book["cohort C1"]["J1"] = "office note: room swap agreed"
    book.create_sheet("office")["A1"] = "our own sheet"
    book.save(source)
    out = tmp_path / "pinned.xlsx"
    pin_timetable(source, out, PinSelection(rooms=("L1",)), TINY)
    before, after = openpyxl.load_workbook(source), openpyxl.load_workbook(out)
    assert after.sheetnames == before.sheetnames
    assert after["cohort C1"]["J1"].value == "office note: room swap agreed"
    assert after["office"]["A1"].value == "our own sheet"
    assert after["timetable"].freeze_panes == "A2"
    assert after["timetable"]["A2"].number_format == "yyyy-mm-dd"
    for name in before.sheetnames[1:]:
        assert [[c.value for c in r] for r in after[name].iter_rows()] == \
               [[c.value for c in r] for r in before[name].iter_rows()]


def test_a_csv_file_keeps_its_bom_separator_and_extra_columns(tmp_path):
    rows = [["date", "first_period", "last_period", "course_id", "room_id", "note"],
            ["2026-09-07", "1", "2", "W1", "R1", "agreed by phone"],
            ["2026-09-08", "1", "2", "W3", "R2", ""]]
    source = tmp_path / "edited.csv"
    source.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(";".join(r) for r in rows).encode()
                       + b"\r\n")
    out = tmp_path / "pinned.csv"
    pin_timetable(source, out, PinSelection(courses=("W1",)))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "date;first_period;last_period;course_id;room_id;note;pinned",
        "2026-09-07;1;2;W1;R1;agreed by phone;yes", "2026-09-08;1;2;W3;R2;;", ""]
    assert read_timetable_file(out).timetable.pinned == {m(7, 1, "W1", "R1")}


def test_the_output_has_the_input_s_format_and_something_must_match(timetable_file,
                                                                    tmp_path):
    other = ".json" if timetable_file.suffix != ".json" else ".csv"
    with pytest.raises(OutputError, match=f"must end in {timetable_file.suffix}"):
        pin_timetable(timetable_file, tmp_path / f"x{other}", PinSelection(courses=("W1",)))
    with pytest.raises(InputError, match="no meeting matches course W1, 2026-10-01"):
        pin_timetable(timetable_file, tmp_path / f"x{timetable_file.suffix}",
                      PinSelection(courses=("W1",), first=D(2026, 10, 1)))
    assert not (tmp_path / f"x{timetable_file.suffix}").exists()


def test_timetable_with_pins_marks_the_meetings_held_where_a_pin_is():
    table = valid_timetable()
    moved_room = m(14, 5, "I1", "R2", "I1")
    marked = table.with_pins([m(14, 5, "I1", "R1", None), moved_room, m(7, 1, "W1", "R1")])
    # the interpreter may differ; the room may not
    assert marked.pinned == {m(14, 5, "I1", "R1", "I1"), m(7, 1, "W1", "R1")}
    with pytest.raises(ValueError, match="pinned meeting to be one of the meetings"):
        Timetable(table.meetings, frozenset([moved_room]))


# --- the command line ------------------------------------------------------------------------

@pytest.fixture
def instance(tmp_path) -> Path:
    folder = tmp_path / "tiny"
    write_instance_csv(TINY, folder)
    return folder


def _pin(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["pin", *args])
    return result.exit_code, " ".join(result.output.split())


def test_pin_command_writes_the_pinned_copy_and_leaves_the_input(instance, tmp_path):
    source = tmp_path / "timetable.xlsx"
    write_workbook(TINY, valid_timetable(), source)
    before = source.read_bytes()
    out = tmp_path / "agreed.xlsx"
    code, output = _pin(str(source), "--teacher", "T1", "--date-range",
                        "2026-09-07..2026-09-11", "-i", str(instance), "-o", str(out))
    assert (code, output) == (0, f"Pinned 4 meeting(s) (4 changed); 4 of 13 are pinned. "
                                 f"wrote {out}")
    assert source.read_bytes() == before
    code, output = _pin(str(out), "-c", "W3", "-o", str(out))
    assert (code, output) == (0, f"Pinned 2 meeting(s) (1 changed); 5 of 13 are pinned. "
                                 f"wrote {out}")
    code, output = _pin(str(out), "-c", "W1", "--unpin", "-o", str(out))
    assert (code, output) == (0, f"Unpinned 4 meeting(s) (2 changed); 3 of 13 are pinned. "
                                 f"wrote {out}")


def test_pin_command_errors(instance, tmp_path):
    source = tmp_path / "timetable.csv"
    write_timetable_csv(TINY, valid_timetable(), source)
    out = str(tmp_path / "out.csv")
    code, output = _pin(str(source), "-o", out)
    assert code == 2 and output.endswith("Error: give --course, --teacher, --cohort, --room "
                                         "or --date-range to pick the meetings")
    code, output = _pin(str(source), "--cohort", "C9", "-i", str(instance), "-o", out)
    assert (code, output) == (2, "1 problem found: - cohort: unknown cohort 'C9'. Fix: give "
                                 "one of: C1, C1-A, C1-B, C2")
    code, output = _pin(str(source), "-c", "W1", "-d", "2026-09-11..2026-09-07", "-o", out)
    assert code == 2 and "Invalid value for '--date-range' / '-d': Expected the first date " \
                         "of '2026-09-11..2026-09-07' on or before the last" in output
    code, output = _pin(str(source), "-c", "W1", "-o", str(tmp_path / "out.xlsx"))
    assert (code, output) == (2, f"Cannot write output: {tmp_path / 'out.xlsx'} must end in "
                                 f".csv like {source}: pin writes the timetable in its own "
                                 "format (scheduler export converts it)")
    assert not Path(out).exists()


def test_a_pinned_column_typed_by_hand_is_read(tmp_path):
    source = tmp_path / "timetable.xlsx"
    write_workbook(TINY, valid_timetable(), source)
    book = openpyxl.load_workbook(source)
    sheet = book["timetable"]
    sheet.cell(2, PINNED + 1).value = "Yes"
    sheet.cell(3, PINNED + 1).value = True
    sheet.cell(4, PINNED + 1).value = None
    sheet.cell(5, PINNED + 1).value = "maybe"
    book.save(source)
    with pytest.raises(InputError) as caught:
        read_timetable_file(source)
    assert [str(p) for p in caught.value.problems] == [
        f"{source}, sheet 'timetable', row 5, column 'pinned': expected yes or no, got "
        "'maybe'. Fix: write yes or no"]
    sheet.cell(5, PINNED + 1).value = "x"
    book.save(source)
    read = read_timetable_file(source)
    assert len(read.timetable.pinned) == 3
    assert read.rows[min(read.timetable.pinned)] == (2,)
    assert dt.date(2026, 9, 7) == min(read.timetable.pinned).date

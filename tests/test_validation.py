"""Each validation rule, triggered by a minimal edit of the default instance.

Every case asserts that the problem names the right file, row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from scheduler.errors import InputError, Problem
from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance_xlsx


def problems_of(path) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        read_instance(path)
    return caught.value.problems


@dataclass
class Case:
    id: str
    edit: Callable
    table: str
    column: str | None
    fragment: str
    row: int | str | None = None  # an int, or "find:<column>=<value>" resolved before editing


def _find(fall, table, column, value):
    return fall.find_row(table, column, value)


CASES = [
    # --- schema: columns, cells and types ---
    Case("unknown column", lambda f: f.rename_column("rooms", "name", "nmae"),
         "rooms", "nmae", "unknown column 'nmae'", 1),
    Case("missing required column", lambda f: f.rename_column("rooms", "capacity", "#seats"),
         "rooms", "capacity", "required column 'capacity' is missing", 1),
    Case("empty required cell", lambda f: f.set("rooms", 3, "building", ""),
         "rooms", "building", "empty required cell", 3),
    Case("integer expected", lambda f: f.set("rooms", 3, "capacity", "many"),
         "rooms", "capacity", "expected a whole number, got 'many'", 3),
    Case("no such date", lambda f: f.set("holidays", 2, "date", "2026-09-31"),
         "holidays", "date", "there is no such date: '2026-09-31'", 2),
    Case("date in another format", lambda f: f.set("holidays", 2, "date", "31.09.2026"),
         "holidays", "date", "expected a date as YYYY-MM-DD, got '31.09.2026'", 2),
    Case("bad weekday", lambda f: f.set("bookings", 2, "weekday", "Funday"),
         "bookings", "weekday", "expected a weekday", 2),
    Case("bad yes/no", lambda f: f.set("teachers", 2, "visiting", "maybe"),
         "teachers", "visiting", "expected yes or no", 2),
    Case("unknown language", lambda f: f.set("courses", 2, "language", "fr"),
         "courses", "language", "unknown language 'fr'", 2),
    Case("bad time", lambda f: f.set("periods", 2, "start", "8 o'clock"),
         "periods", "start", "expected a clock time", 2),
    # --- values ---
    Case("negative capacity", lambda f: f.set("rooms", 3, "capacity", "-60"),
         "rooms", "capacity", "must be at least 1, got -60", 3),
    Case("zero contact periods", lambda f: f.set("courses", 2, "contact_periods", "0"),
         "courses", "contact_periods", "must be at least 1", 2),
    Case("empty cohort", lambda f: (f.set("cohorts", 2, "students_cn", "0"),
                                    f.set("cohorts", 2, "students_ru", "0")),
         "cohorts", "students_cn", "the cohort has no students", 2),
    Case("holiday outside the term", lambda f: f.set("holidays", 2, "date", "2027-03-01"),
         "holidays", "date", "outside the term", 2),
    Case("booking date outside the term",
         lambda f: f.set("bookings", 10, "date", "2026-08-01"),
         "bookings", "date", "outside the term", 10),
    Case("departure before arrival",
         lambda f: (f.set("travel_windows", 3, "arrival", "2026-11-21"),
                    f.set("travel_windows", 3, "departure", "2026-11-08")),
         "travel_windows", "departure", "departure 2026-11-08 is before arrival 2026-11-21", 3),
    Case("overlapping windows", lambda f: f.set("travel_windows", 6, "arrival", "2026-09-25"),
         "travel_windows", "arrival", "overlaps the trip 2026-09-20..2026-09-30", 6),
    Case("window outside the term",
         lambda f: (f.set("travel_windows", 3, "arrival", "2027-05-01"),
                    f.set("travel_windows", 3, "departure", "2027-05-20")),
         "travel_windows", "arrival", "is outside the term", 3),
    Case("window whose teaching days miss the term",
         lambda f: (f.set("travel_windows", 3, "arrival", "2026-09-05"),
                    f.set("travel_windows", 3, "departure", "2026-09-07")),
         "travel_windows", "arrival", "2026-09-05..2026-09-07 can teach only on 2026-09-06", 3),
    Case("window whose days to teach are a weekend and a holiday (National Day)",
         lambda f: (f.set("travel_windows", 3, "arrival", "2026-10-02"),
                    f.set("travel_windows", 3, "departure", "2026-10-06")),
         "travel_windows", "arrival", "2026-10-02..2026-10-06 can teach only from 2026-10-03 "
         "to 2026-10-05 (after its travel and rest days), and these are weekends or holidays: "
         "it leaves no teaching day", 3),
    Case("trip longer than the visa allows",
         lambda f: (f.set("travel_windows", 2, "arrival", "2026-09-01"),
                    f.set("travel_windows", 2, "departure", "2026-12-31")),
         "travel_windows", "departure",
         "the trip lasts 122 days, more than the longest stay allowed (90)", 2),
    Case("contact periods not a multiple of the meeting length",
         lambda f: f.set("courses", 2, "contact_periods", "81"),
         "courses", "contact_periods", "not a multiple of the meeting length 2", 2),
    Case("meeting longer than any block",
         lambda f: (f.set("courses", 2, "meeting_length", "6"),
                    f.set("courses", 2, "contact_periods", "84")),
         "courses", "meeting_length", "longer than any allowed block", 2),
    Case("block straddles lunch", lambda f: f.append("blocks", block="3-6", first_period="3",
                                                     last_period="6"),
         "blocks", "last_period", "straddles a break", 11),
    Case("weekly course missing meetings_per_week",
         lambda f: f.set("courses", 2, "meetings_per_week", ""),
         "courses", "meetings_per_week", "needs meetings_per_week", 2),
    # --- references ---
    Case("unknown room type", lambda f: f.set("rooms", 2, "room_type", "ballroom"),
         "rooms", "room_type", "unknown room type 'ballroom'", 2),
    Case("invisible character in an id", lambda f: f.set("rooms", 3, "room_id", "2108\u200b"),
         "rooms", "room_id", "holds an invisible character at character 5 (U+200B ZERO WIDTH "
         "SPACE)", 3),
    Case("full-width hyphen in a reference",
         lambda f: f.set("courses", 3, "teachers", "CQ\uff0dWANGF"),
         "courses", "teachers", "holds a full-width character at character 3", 3),
    Case("unknown teacher", lambda f: f.set("courses", 3, "teachers", "CQ-NOBODY"),
         "courses", "teachers", "unknown teacher 'CQ-NOBODY'", 3),
    Case("unknown cohort", lambda f: f.set("courses", 3, "cohorts", "IoT-2030-1"),
         "courses", "cohorts", "unknown cohort 'IoT-2030-1'", 3),
    Case("unknown room in a booking", lambda f: f.set("bookings", 2, "room_id", "9999"),
         "bookings", "room_id", "unknown room '9999'", 2),
    Case("unknown person", lambda f: f.set("unavailability", 2, "person_id", "CQ-GHOST"),
         "unavailability", "person_id", "unknown person 'CQ-GHOST'", 2),
    Case("duplicate id", lambda f: f.set("rooms", 3, "room_id", "2101"),
         "rooms", "room_id", "duplicate room_id '2101' (also in row 2)", 3),
    Case("teacher cannot teach in the language",
         lambda f: f.set("courses", 3, "language", "ru"),
         "courses", "language", "does not teach in 'ru'", 3),
    Case("no interpreter for the pair", lambda f: f.set("interpreters", 2, "pairs", "en-zh") or
         f.set("interpreters", 3, "pairs", "en-zh") or f.set("interpreters", 4, "pairs", "en-ru"),
         "courses", "needs_interpreter", "no interpreter covers ru-zh", 3),
    Case("sub-group larger than its cohort",
         lambda f: f.set("cohorts", 5, "students_cn", "25"),
         "cohorts", "students_cn", "is larger than its cohort", 5),
    Case("sub-groups that share students",
         lambda f: f.append("cohorts", cohort_id="IoT-2026-1-L1", program="IoT", level="UG",
                            year="1", students_cn="10", students_ru="0", languages="en",
                            parent="IoT-2026-1"),
         "cohorts", "parent", "have 30 CN + 14 RU students, more than the cohort's 20 CN", 11),
    Case("first week after the term with last_week blank",
         lambda f: (f.set("courses", 8, "first_week", "30"), f.set("courses", 8, "last_week", "")),
         "courses", "first_week", "first_week 30 is after the term's last week", 8),
    # --- arithmetic impossibilities ---
    Case("room type that no room has",
         lambda f: (f.append("room_types", room_type="robotics_lab", description="Robots"),
                    f.set("courses", 20, "room_type", "robotics_lab")),
         "courses", "room_type", "no room is of type 'robotics_lab'", 20),
    Case("visitor's intensive hours do not fit the window",
         lambda f: f.set("travel_windows", 3, "departure", "2026-11-13"),
         "courses", "contact_periods",
         "Петров Алексей Сергеевич: 32 periods of intensive teaching (IOT101) but only 16 "
         "periods available between 2026-11-09 and 2026-11-12 at 4 per day", 19),
    Case("class larger than every room of the type",
         lambda f: f.set("courses", 20, "cohorts", "IoT-2026-1;IoT-2026-2"),
         "courses", "cohorts", "67 students attend but the largest 'iot_lab' room seats 40", 20),
    Case("weekly course cannot deliver its hours",
         lambda f: f.set("courses", 8, "last_week", "4"),
         "courses", "contact_periods", "deliver at most", 8),
    Case("cohort's weekly load exceeds its teaching periods",
         lambda f: f.set("courses", 2, "meetings_per_week", "30"),
         "cohorts", "cohort_id", "periods of weekly courses in week 1", None),
    Case("teacher's load exceeds what they can teach",
         lambda f: (f.set("teachers", 2, "max_periods_per_week", "4"),
                    f.set("teachers", 2, "max_periods_per_day", "4")),
         "teachers", "teacher_id", "must teach 80 periods but can teach at most", 2),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_rule_is_reported_with_its_location(fall, case):
    case.edit(fall)
    problems = problems_of(fall.folder)
    matching = [p for p in problems if case.fragment in p.message]
    assert matching, f"no problem mentions {case.fragment!r}; got:\n" + "\n".join(
        map(str, problems))
    problem = matching[0]
    assert problem.source.endswith(f"{case.table}.csv"), problem
    assert problem.column == case.column, problem
    if case.row is not None:
        assert problem.row == case.row, problem
    assert problem.fix, "every problem says how to fix it"


def test_every_problem_is_reported_at_once(fall):
    fall.set("rooms", 3, "capacity", "-5")
    fall.set("teachers", 2, "visiting", "perhaps")
    fall.set("holidays", 2, "date", "2027-03-01")
    fall.set("courses", 3, "teachers", "CQ-NOBODY")
    problems = problems_of(fall.folder)
    text = "\n".join(map(str, problems))
    for fragment in ("must be at least 1, got -5", "expected yes or no", "outside the term",
                     "unknown teacher 'CQ-NOBODY'"):
        assert fragment in text


def test_a_course_whose_meeting_fits_no_block_nor_its_periods_gets_both_problems(fall):
    """A meeting of 6 periods for 80 contact periods: only 'not a multiple' was reported, and
    the missing block of 6 only once that was fixed."""
    fall.set("courses", 2, "meeting_length", "6")
    problems = problems_of(fall.folder)
    assert {(p.row, p.column) for p in problems} == {(2, "contact_periods"),
                                                      (2, "meeting_length")}, problems


def test_periods_in_the_wrong_order_and_outside_the_grid_are_reported_together(fall):
    """A booking from period 13 to 4 (the grid has 12): only the order was reported, and
    after the suggested swap, period 13."""
    fall.set("bookings", 2, "first_period", "13")
    fall.set("bookings", 2, "last_period", "4")
    problems = problems_of(fall.folder)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "last_period", "last_period 4 is before first_period 13"),
        (2, "first_period", "period 13 is not in the period grid")], problems


def test_a_bad_term_does_not_hide_the_other_tables_problems(fall):
    """Checks across tables that do not need the term (unknown ids, duplicates) run when the
    term row cannot be read, and nothing is reported against a term that is not there."""
    fall.set("term", 2, "timezone", "Beijing")
    fall.set("term", 2, "first_date", "2026-09-31")
    fall.set("courses", 3, "teachers", "CQ-NOBODY")
    fall.set("rooms", 3, "room_id", "2101")
    fall.set("holidays", 2, "date", "2027-03-01")  # outside the term: not checkable now
    problems = problems_of(fall.folder)
    located = {(Path(p.source).name, p.row, p.column) for p in problems}
    assert located == {("term.csv", 2, "timezone"), ("term.csv", 2, "first_date"),
                       ("courses.csv", 3, "teachers"), ("rooms.csv", 3, "room_id")}, problems


def test_a_bad_row_does_not_cause_follow_up_reports(fall):
    """A teacher row with a bad cell is reported once, not again as an unknown reference."""
    fall.set("teachers", 2, "max_periods_per_day", "lots")
    problems = problems_of(fall.folder)
    assert len(problems) == 1, problems
    assert problems[0].column == "max_periods_per_day"


def test_a_duplicate_id_names_the_first_row_and_the_first_row_wins(fall):
    """The duplicate is reported at the second row, naming the first as the sheet shows it;
    the checks of other tables look up the first row, not the one reported."""
    fall.set("teachers", 3, "teacher_id", "CQ-WANGF")  # row 3 was CQ-SUNH, who teaches zh
    problems = problems_of(fall.folder)
    duplicate = [p for p in problems if "duplicate teacher_id 'CQ-WANGF'" in p.message]
    assert [(p.row, p.column) for p in duplicate] == [(3, "teacher_id")]
    assert "(also in row 2)" in duplicate[0].message
    text = "\n".join(map(str, problems))
    assert "Sun Hao (CQ-WANGF)" not in text, text


def test_a_bad_period_row_is_reported_once(fall):
    """Period 2 with a bad start time: its cell, not a gap in the grid, nor the blocks that use
    period 2."""
    fall.set("periods", 3, "start", "8:61")
    problems = problems_of(fall.folder)
    assert [(Path(p.source).name, p.row, p.column) for p in problems] == [
        ("periods.csv", 3, "start")], problems


@pytest.mark.parametrize(("table", "row", "column", "value"), [
    ("periods", 10, "period", "nine"), ("periods", 10, "period", "49"),
    ("periods", 10, "period", "8"),  # a typo that repeats period 8: 7 problems, 4 at blocks
    ("rooms", 5, "room_id", "3105\u00a0"), ("teachers", 3, "teacher_id", "\u3000CQ-SUNH")])
def test_a_bad_id_cell_is_reported_at_that_cell_alone(fall, table, row, column, value):
    """The row's own id cannot be read, so what refers to it cannot be judged: period 9 as
    'nine' was also a gap in the grid, two blocks and a preference; a room or teacher id with
    a stray space also every booking, unavailability and course naming it."""
    fall.set(table, row, column, value)
    problems = problems_of(fall.folder)
    assert [(Path(p.source).name, p.row, p.column) for p in problems] == [
        (f"{table}.csv", row, column)], problems


def test_a_missing_or_empty_table_is_not_reported_again_at_each_reference(fall):
    fall.path("periods").unlink()
    header = fall.path("rooms").read_text(encoding="utf-8").splitlines()[0]
    fall.path("rooms").write_text(header + "\n", encoding="utf-8")
    problems = problems_of(fall.folder)
    text = "\n".join(map(str, problems))
    assert "required file 'periods.csv' is missing" in text
    assert [(Path(p.source).name, p.row) for p in problems
            if "no data rows below the header" in p.message] == [("rooms.csv", None)], text
    assert "not in the period grid" not in text and "unknown room" not in text, text
    assert "between 1 and 0" not in text, text


def test_missing_and_unknown_tables(fall):
    fall.path("courses").unlink()
    (fall.folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    text = "\n".join(map(str, problems_of(fall.folder)))
    assert "required file 'courses.csv' is missing" in text
    assert "unknown table file 'notes.csv'" in text


def test_editor_lock_files_in_a_csv_folder_are_ignored(fall, fall_instance):
    """Excel keeps ``~$rooms.csv`` beside a CSV file it has open (LibreOffice
    ``.~lock.rooms.csv#``): validating meanwhile reads the folder as if they were not there."""
    (fall.folder / "~$rooms.csv").write_bytes(b"\x07office lock\x00")
    (fall.folder / ".~lock.rooms.csv#").write_text("user,host\n", encoding="utf-8")
    assert read_instance(fall.folder) == fall_instance


def test_workbook_problems_name_the_sheet(tmp_path, fall_instance):
    book = tmp_path / "term.xlsx"
    write_instance_xlsx(fall_instance, book)
    wb = openpyxl.load_workbook(book)
    wb["rooms"]["C4"] = -3  # capacity of the third room
    wb["courses"]["B2"] = None  # a course without a name
    wb.create_sheet("Sheet1")
    wb.create_sheet("Sheet2").sheet_state = "hidden"
    wb.save(book)
    problems = problems_of(book)
    located = {(p.sheet, p.row, p.column) for p in problems}
    assert ("rooms", 4, "capacity") in located
    assert ("courses", 2, "name") in located
    unknown = {p.sheet: p.message for p in problems if "unknown sheet" in p.message}
    assert unknown == {"Sheet1": "unknown sheet 'Sheet1'",
                       "Sheet2": "unknown sheet 'Sheet2' (a hidden sheet: right-click a sheet "
                                 "tab in Excel and choose Unhide to see it)"}


def test_cells_of_a_merged_range_are_said_to_be_merged(tmp_path, fall_instance):
    book = tmp_path / "term.xlsx"
    write_instance_xlsx(fall_instance, book)
    wb = openpyxl.load_workbook(book)
    header = [c.value for c in wb["courses"][1]]
    letter = openpyxl.utils.get_column_letter(header.index("room_type") + 1)
    wb["courses"].merge_cells(f"{letter}2:{letter}4")  # Excel keeps the value of row 2 only
    wb.save(book)
    problems = [p for p in problems_of(book) if p.column == "room_type"]
    assert [p.row for p in problems] == [3, 4]
    for problem in problems:
        assert problem.message.startswith("empty required cell")
        assert problem.message.endswith(f"; the cell is part of the merged cells {letter}2:"
                                        f"{letter}4, whose value Excel keeps in {letter}2 only")
        assert problem.fix.startswith("unmerge the cells")


def test_corrupt_workbook(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a zip file")
    (problem,) = problems_of(bad)
    assert "not a readable .xlsx workbook" in problem.message
    assert problem.source == str(bad)


def test_csv_that_is_not_utf8(fall):
    text = fall.path("teachers").read_text(encoding="utf-8")
    fall.path("teachers").write_bytes(text.encode("utf-8").replace(
        "Иванова".encode(), "Иванова".encode("cp1251")))
    (problem,) = problems_of(fall.folder)
    assert "not UTF-8" in problem.message
    assert problem.line == 9
    assert "CSV UTF-8" in problem.fix


def test_csv_with_excel_bom_reads_the_same(fall, fall_instance):
    for path in fall.folder.glob("*.csv"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_instance(fall.folder) == fall_instance


def test_missing_path(tmp_path):
    (problem,) = problems_of(tmp_path / "nowhere.xlsx")
    assert "no such file or folder" in problem.message
    assert "shipped instance" not in problem.fix


def test_a_shipped_instance_named_from_elsewhere_gets_its_path(tmp_path):
    """The README's examples name shipped instances relative to the repository; run from
    another folder (an installed package), the error gives the shipped instance's path."""
    from scheduler.paths import DEFAULT_INSTANCE

    (problem,) = problems_of(tmp_path / "instances" / DEFAULT_INSTANCE.name)
    assert "no such file or folder" in problem.message
    assert problem.fix.endswith(f"the shipped instance '{DEFAULT_INSTANCE.name}' is "
                                f"{DEFAULT_INSTANCE}")


def test_inputs_are_never_modified(fall):
    before = {p.name: p.read_bytes() for p in fall.folder.glob("*.csv")}
    read_instance(fall.folder)
    fall.set("rooms", 3, "capacity", "-1")
    before["rooms.csv"] = fall.path("rooms").read_bytes()
    problems_of(fall.folder)
    assert {p.name: p.read_bytes() for p in fall.folder.glob("*.csv")} == before


def test_a_teacher_who_is_not_visiting_is_not_told_to_extend_trips(fall):
    for weekday in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        fall.append("unavailability", person_id="CQ-SUNH", weekday=weekday, week_parity="all")
    problems = [p for p in problems_of(fall.folder) if "must teach" in p.message]
    assert [(Path(p.source).name, p.row) for p in problems] == [("teachers.csv", 3)], problems
    assert "can teach at most 0 this term" in problems[0].message
    assert "unavailability" in problems[0].fix and "trips" not in problems[0].fix

"""Key figures per cohort, teacher and room, checked by hand on the tiny instance (tests/tiny.py).

The valid tiny timetable, by cohort (C1 has sub-groups C1-A and C1-B; I1 is for C1 and C2):

    C1-A: Mon 7 W1 1-2, W2 3-4 | Thu 10 W1 | Mon 14 W1, W2, I1 5-6 | Tue 15 I1 5-6
          | Wed 16 I1 3-4 | Thu 17 W1
    C1-B: Mon 7 W1 | Tue 8 W4 3-4 | Thu 10 W1 | Mon 14 W1 1-2, I1 5-6 (3-4 idle)
          | Tue 15 W4 3-4, I1 5-6 | Wed 16 I1 | Thu 17 W1
    C2:   Tue 8 W3 1-2 | Mon 14 I1 | Tue 15 W3 1-2 in R2 (building B), I1 5-6 in R1
          (building A; 3-4 idle) | Wed 16 I1
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

import cli
from scheduler.calendar import TermCalendar
from scheduler.errors import InputError
from scheduler.io.writer import write_instance_csv
from scheduler.report import (
    ALL_PROGRAMMES,
    COMPACT_COLUMNS,
    KPI_TABLES,
    CohortKpis,
    ComplianceKpis,
    RoomKpis,
    TeacherKpis,
    kpi_columns,
    timetable_kpis,
    write_kpis,
)
from scheduler.timetable import Meeting, Timetable
from scheduler.timetable_io import write_timetable_csv
from scheduler.verify.soft import soft_costs
from tests.tiny import edited, m, tiny_instance, valid_timetable


@pytest.fixture(scope="module")
def kpis():
    return timetable_kpis(tiny_instance(), valid_timetable())


def test_cohort_figures(kpis):
    rows = {r.cohort_id: r for r in kpis.cohorts}
    assert [r.cohort_id for r in kpis.cohorts] == ["C1", "C1-A", "C1-B", "C2"]
    assert rows["C1-A"] == CohortKpis("C1-A", "IoT", "C1", 0, 10, meetings=9, periods=18,
                                      teaching_days=6, idle_periods=0, single_meeting_days=4,
                                      max_periods_per_day=6, evening_periods=0,
                                      building_changes=0)
    assert rows["C1-B"] == CohortKpis("C1-B", "IoT", "C1", 0, 8, meetings=9, periods=18,
                                      teaching_days=7, idle_periods=2, single_meeting_days=5,
                                      max_periods_per_day=4, evening_periods=0,
                                      building_changes=0)
    assert rows["C2"] == CohortKpis("C2", "IoT", "", 0, 10, meetings=5, periods=10,
                                    teaching_days=4, idle_periods=2, single_meeting_days=3,
                                    max_periods_per_day=4, evening_periods=0,
                                    building_changes=1)


def test_a_parent_cohort_shows_its_busiest_sub_group(kpis):
    # No student of C1 attends C1-A's lab and C1-B's lab both: each figure of C1 is the
    # largest of its sub-groups' (C1-B's 7 days, 2 idle periods and 5 single-meeting days;
    # C1-A's 6 periods on one day), not those of both labs' timetable together (11 meetings).
    rows = {r.cohort_id: r for r in kpis.cohorts}
    assert rows["C1"] == CohortKpis("C1", "IoT", "", 2, 18, meetings=9, periods=18,
                                    teaching_days=7, idle_periods=2, single_meeting_days=5,
                                    max_periods_per_day=6, evening_periods=0,
                                    building_changes=0)
    assert "the largest figure among its sub-groups (students: their sum)" in \
        kpis.caption("cohorts")
    # the column counts buildings beyond the first, as cohort_building_change: said so
    assert kpis.caption("cohorts").startswith("extra buildings: buildings used on a day "
                                              "beyond the first")
    assert kpis.caption("rooms") == ""


def test_a_continued_tables_title_is_not_repeated_in_every_language():
    from scheduler.render import kpi_table

    title = "Cohorts / 班级 / Группы"
    header = ["cohort", *(f"figure {n}" for n in range(12))]
    tables = kpi_table(title, header, [["C1", *("1234567" for _ in range(12))]], width=60,
                       lang="all")
    assert len(tables) > 1
    assert tables[1].title == f"{title} (continued)"


def test_compliance_rows(kpis):
    # tests/views/test_compliance.py counts them: FEFU teaches 6 of a student's 15.1 hours
    # (weighted by students); no course of the tiny instance is core.
    iot = ComplianceKpis("IoT", 3, 28, 0.0, 0.0, None, None, 15.1, 6.0, 39.6, True)
    assert kpis.compliance == (iot, replace(iot, program=ALL_PROGRAMMES))
    header, rows = kpis.text("compliance", compact=True)
    assert header[0] == "programme"
    assert rows[-1][0] == "(all programmes)" and rows[-1][-1] == "yes" and rows[-1][5] == ""
    assert rows[-1][-2] == "39.6"
    _, rows = kpis.text("compliance", compact=True, lang="zh")
    assert rows[-1][0] != "(all programmes)" and rows[-1][-1] != "yes"


def test_sub_group_sums_are_the_objective_counts(kpis):
    counts, _ = soft_costs(tiny_instance(), valid_timetable())
    leaves = [r for r in kpis.cohorts if r.subgroups == 0]
    assert sum(r.idle_periods for r in leaves) == counts["cohort_idle_period"] == 4
    assert sum(r.single_meeting_days for r in leaves) == counts["cohort_single_meeting_day"]
    assert sum(r.building_changes for r in leaves) == counts["cohort_building_change"] == 1
    visitors = [t for t in kpis.teachers if t.visiting]
    assert sum(t.idle_days or 0 for t in visitors) == counts["visitor_idle_day"]


def test_evening_periods_follow_the_session_of_the_grid():
    tiny = tiny_instance()
    periods = tuple(replace(p, session="evening") if p.number == 6 else p
                    for p in tiny.periods)
    kpis = timetable_kpis(replace(tiny, periods=periods), valid_timetable())
    # I1 5-6 on Mon 14 and Tue 15 reaches period 6 for everyone; Wed 16 is 3-4.
    assert {r.cohort_id: r.evening_periods for r in kpis.cohorts} == {
        "C1": 2, "C1-A": 2, "C1-B": 2, "C2": 2}


def test_teacher_figures(kpis):
    t1, t2, v1 = kpis.teachers
    # T1: W1 Mon+Thu, W2 Mon, W3 Tue; 8 periods in each of the two weeks, 4 a day at most.
    assert t1 == TeacherKpis("T1", "Li Wei 李伟", "CQUPT", False, courses=3, meetings=8,
                             periods=16, teaching_days=6, max_periods_per_day=4,
                             max_periods_per_week=8)
    assert (t1.trips, t1.days_on_campus, t1.teaching_share_percent) == (None, None, None)
    assert t2 == TeacherKpis("T2", "Zhao Min 赵敏", "CQUPT", False, 1, 2, 4, 2, 2, 2)
    # V1 is in Chongqing 09-13..09-18 (6 days), may teach 09-14..09-17 (4 days), teaches 3.
    assert v1 == TeacherKpis("V1", "Иванова Е. А.", "FEFU", True, courses=1, meetings=3,
                             periods=6, teaching_days=3, max_periods_per_day=2,
                             max_periods_per_week=6, trips=1, days_on_campus=6,
                             teachable_days=4, idle_days=0, teaching_share_percent=75.0)


def test_a_visitor_gap_is_an_idle_day():
    gappy = edited(remove=(m(15, 5, "I1", "R1", "I1"),), add=(m(17, 5, "I1", "R1", "I1"),))
    v1 = timetable_kpis(tiny_instance(), gappy).teachers[2]
    assert (v1.teaching_days, v1.idle_days, v1.teaching_share_percent) == (3, 1, 75.0)


def test_room_figures(kpis):
    r1, r2, l1 = kpis.rooms
    # Ten teaching days (09-11 is a holiday, Sunday 09-13 a make-up day) of six periods; R1 is
    # booked Wednesdays 1-2 (09-09 and 09-16): 60 - 4 = 56 periods available.
    # R1: W1 (C1, 18 students) 4 x 2 periods and I1 (C1 + C2, 28) 3 x 2 periods, 50 seats.
    assert r1 == RoomKpis("R1", "A", "lecture", 50, meetings=7, periods_used=14,
                          available_periods=56, utilisation_percent=25.0,
                          mean_seat_fit_percent=round(100 * (4 * 18 + 3 * 28) / (7 * 50), 1),
                          lowest_seat_fit_percent=36.0)
    assert r2 == RoomKpis("R2", "B", "lecture", 20, 2, 4, 60, 6.7, 50.0, 50.0)
    # L1: W2 (C1-A, 10 of 30 seats) and W4 (C1-B, 8 of 30).
    assert l1 == RoomKpis("L1", "A", "lab", 30, 4, 8, 60, 13.3, 30.0, 26.7)


def test_an_unused_room_has_no_seat_fit():
    kpis = timetable_kpis(tiny_instance(), Timetable(()))
    assert all(r.meetings == 0 and r.utilisation_percent == 0.0
               and r.mean_seat_fit_percent is None and r.lowest_seat_fit_percent is None
               for r in kpis.rooms)
    assert all(c.teaching_days == 0 and c.max_periods_per_day == 0 for c in kpis.cohorts)
    assert kpis.teachers[2].teaching_share_percent == 0.0


def test_unknown_courses_and_rooms_are_input_errors():
    bad = edited(add=(m(9, 5, "NOPE", "R1"), m(9, 5, "W3", "X9")))
    with pytest.raises(InputError) as caught:
        timetable_kpis(tiny_instance(), bad)
    messages = [p.message for p in caught.value.problems]
    assert messages == ["the meeting on 2026-09-09 periods 5-6 names unknown course 'NOPE'",
                        "W3 on 2026-09-09 periods 5-6 is in unknown room 'X9'"]


def _read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_write_kpis_writes_four_csv_files(kpis, tmp_path):
    paths = write_kpis(kpis, tmp_path / "kpis")
    assert [p.name for p in paths] == ["cohort_kpis.csv", "teacher_kpis.csv", "room_kpis.csv",
                                       "compliance.csv"]
    assert sorted(p.name for p in (tmp_path / "kpis").iterdir()) == sorted(
        p.name for p in paths)  # no staging leftovers
    for table, path in zip(KPI_TABLES, paths, strict=True):
        rows = _read_csv(path)
        assert rows[0] == list(kpi_columns(table))
        assert len(rows) == 1 + len(kpis.rows(table))
    teachers = _read_csv(paths[1])
    assert teachers[1] == ["T1", "Li Wei 李伟", "CQUPT", "no", "3", "8", "16", "6", "4", "8",
                           "", "", "", "", ""]
    assert teachers[3][3:] == ["yes", "1", "3", "6", "3", "2", "6", "1", "6", "4", "0", "75.0"]
    assert _read_csv(paths[2])[1] == ["R1", "A", "lecture", "50", "7", "14", "56", "25.0",
                                      "44.6", "36.0"]


def test_write_kpis_failing_part_way_leaves_the_folder_as_it_was(kpis, tmp_path,
                                                                  monkeypatch):
    """The three files appear together or not at all: a disk that fills up at the second
    leaves the earlier files (and nothing of the failed write)."""
    import errno

    import scheduler.report as report
    from scheduler.errors import OutputError

    folder = tmp_path / "kpis"
    write_kpis(kpis, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real, calls = report.kpi_columns, []

    def filling_up(table):
        calls.append(table)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return ("from the failed write", *real(table)[1:])

    monkeypatch.setattr(report, "kpi_columns", filling_up)
    with pytest.raises((OutputError, OSError)) as raised:
        write_kpis(kpis, folder)
    assert len(calls) == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert isinstance(raised.value, OutputError) and "No space left" in str(raised.value)


def test_write_kpis_for_excel_and_formula_safety(tmp_path):
    tiny = tiny_instance()
    teachers = tuple(replace(t, name="=SUM(A1)") if t.id == "T2" else t for t in tiny.teachers)
    kpis = timetable_kpis(replace(tiny, teachers=teachers), valid_timetable())
    paths = write_kpis(kpis, tmp_path, excel_bom=True)
    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "'=SUM(A1)" in raw.decode("utf-8-sig")


def test_text_rows_for_people(kpis):
    header, rows = kpis.text("teachers")
    assert header == list(kpi_columns("teachers"))
    assert rows[0][3] == "no" and rows[0][-1] == ""
    assert rows[2][3] == "yes" and rows[2][-1] == "75.0"
    with pytest.raises(ValueError, match="Expected table in cohorts, teachers, rooms, compliance"):
        kpis.rows("students")


def test_frames_keep_whole_numbers_and_blanks(kpis):
    frame = kpis.frame("teachers")
    assert list(frame.columns) == list(kpi_columns("teachers"))
    assert frame.loc[2, "days_on_campus"] == 6 and isinstance(frame.loc[2, "trips"], int)
    assert frame.loc[0, "trips"] is None


@pytest.fixture
def tiny_files(tmp_path):
    folder = tmp_path / "tiny"
    write_instance_csv(tiny_instance(), folder)
    timetable = tmp_path / "timetable.csv"
    write_timetable_csv(tiny_instance(), valid_timetable(), timetable)
    return folder, timetable


def test_cli_report_prints_tables_and_writes_csv(tiny_files, tmp_path):
    folder, timetable = tiny_files
    out = tmp_path / "report"
    result = CliRunner().invoke(cli.main, ["report", str(folder), str(timetable), "-o",
                                           str(out)])
    assert result.exit_code == 0, result.output
    for title in ("Cohorts", "Teachers", "Rooms"):
        assert f"\n{title}\n" in f"\n{result.output}"
    for name in ("C1-B", "V1", "L1"):
        assert name in result.output
    for file, table, count in (("cohort_kpis.csv", "cohorts", 4),
                               ("teacher_kpis.csv", "teachers", 3),
                               ("room_kpis.csv", "rooms", 3), ("compliance.csv", "compliance", 2)):
        assert f"wrote {out / file}" in result.output
        rows = _read_csv(out / file)
        assert rows[0] == list(kpi_columns(table)) and len(rows) == 1 + count


def test_cli_report_without_output_writes_nothing(tiny_files, tmp_path, monkeypatch):
    folder, timetable = tiny_files
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["report", str(folder), str(timetable)])
    assert result.exit_code == 0, result.output
    assert "wrote" not in result.output
    assert not list(tmp_path.glob("*_kpis.csv"))


def test_cli_report_missing_timetable_exits_2(tiny_files, tmp_path):
    folder, _ = tiny_files
    result = CliRunner().invoke(cli.main, ["report", str(folder), str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "no such timetable file" in result.output
    assert "Traceback" not in result.output


def test_cli_report_unknown_course_exits_2(tiny_files, tmp_path):
    folder, _ = tiny_files
    timetable = tmp_path / "bad.csv"
    write_timetable_csv(tiny_instance(), Timetable((m(9, 5, "NOPE", "R1"),)), timetable)
    result = CliRunner().invoke(cli.main, ["report", str(folder), str(timetable)])
    assert result.exit_code == 2
    assert (f"{timetable}, row 2, column 'course_id': course 'NOPE' is not in the instance. "
            "Fix: use a course id of the instance") in " ".join(result.output.split())



def test_default_instance_with_a_hand_built_timetable(fall_instance, tmp_path):
    # Mon 2026-09-07: MATH101 (all 100 students) 1-2 in 3105 (三教, 200 seats), then group 1's
    # English (34 students) 5-6 in language lab 4212 (四教, 40 seats): periods 3-4 idle and a
    # change of building for IoT-2026-1 and both its sub-groups.
    day = dt.date(2026, 9, 7)
    timetable = Timetable((Meeting(day, 1, 2, "MATH101", "3105"),
                           Meeting(day, 5, 6, "ENG101-1", "4212")))
    kpis = timetable_kpis(fall_instance, timetable)
    cohorts = {r.cohort_id: r for r in kpis.cohorts}
    for group in ("IoT-2026-1", "IoT-2026-1-CN", "IoT-2026-1-RU"):
        row = cohorts[group]
        assert (row.meetings, row.periods, row.teaching_days, row.idle_periods,
                row.single_meeting_days, row.building_changes) == (2, 4, 1, 2, 0, 1), group
    row = cohorts["IoT-2026-2-RU"]
    assert (row.meetings, row.idle_periods, row.single_meeting_days) == (1, 0, 1)
    rooms = {r.room_id: r for r in kpis.rooms}
    # 85 teaching days of 12 periods; 3105 is booked all day on 2026-11-12; 2101 on Monday 1-4
    # and Thursday 5-8 (34 dates hold a Monday or Thursday timetable) and on 2026-10-16 5-8.
    assert len(TermCalendar(fall_instance).days) == 85
    assert rooms["3105"].available_periods == 85 * 12 - 12
    assert rooms["2101"].available_periods == 85 * 12 - 34 * 4 - 4
    assert (rooms["3105"].utilisation_percent, rooms["3105"].mean_seat_fit_percent) == (0.2, 50.0)
    assert rooms["4212"].lowest_seat_fit_percent == 85.0
    assert rooms["2101"].mean_seat_fit_percent is None
    visitors = [t for t in kpis.teachers if t.visiting]
    assert [(t.teacher_id, t.trips, t.teaching_days, t.teaching_share_percent)
            for t in visitors][-1] == ("FEFU-KOZLOV", 2, 0, 0.0)

    # On an 80-column console every id and figure is printed whole (headers wrap between
    # words instead), and no line is wider than the console.
    path = tmp_path / "timetable.csv"
    write_timetable_csv(fall_instance, timetable, path)
    result = CliRunner().invoke(cli.main, ["report", "instances/cqupt-fefu-2026-fall",
                                           str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("IoT-2026-1-RU" in line and " 2 " in line for line in lines)
    assert any("FEFU-SMIRNOVA" in line for line in lines)
    assert any(line.startswith("2101 ") and "880" in line for line in lines)
    assert max(cell_len(line) for line in lines) <= 80
    words = {word for table in COMPACT_COLUMNS.values() for _, label in table
             for word in label.split()}
    printed = set(result.output.split())
    assert words <= printed, words - printed


@pytest.mark.parametrize("command", [
    ["report", "{folder}", "{timetable}"],
    ["export", "{folder}", "{timetable}", "-f", "csv", "-o", "{out}"],
    ["plot", "{folder}", "{timetable}", "-k", "room", "-o", "{out}"],
    ["diff", "{timetable}", "{timetable}", "-i", "{folder}"],
    ["pin", "{timetable}", "--course", "W1", "-i", "{folder}", "-o", "{out}.csv"],
])
def test_every_command_that_reads_a_timetable_locates_its_unknown_ids(tiny_files, tmp_path,
                                                                       command):
    """A room and a course the instance lacks: report named no row, diff accepted the room and
    stopped at the course, export, plot and pin accepted both."""
    folder, timetable = tiny_files
    lines = timetable.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    room, course = header.index("room_id"), header.index("course_id")
    cells = [line.rstrip("\r\n").split(",") for line in lines]
    for row in (2, 5):
        cells[row - 1][room] = "X9"
    cells[3 - 1][course] = "NOPE"
    timetable.write_text("".join(",".join(c) + "\n" for c in cells), encoding="utf-8")
    out = tmp_path / "out"
    args = [a.format(folder=folder, timetable=timetable, out=out) for a in command]
    result = CliRunner().invoke(cli.main, args)
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert (f"{timetable}, row 2, column 'room_id': room 'X9' is not in the instance") in text
    assert "(also row 5)" in text
    assert f"{timetable}, row 3, column 'course_id': course 'NOPE' is not in the instance" in text
    assert not out.exists() and not Path(f"{out}.csv").exists()

"""The calendar of one teacher and the workbook's master sheet against files written by hand
(``golden/``) from docs/exports.md and the meetings of tests/tiny.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl

from scheduler.exports import export_timetable
from scheduler.exports.calendar_ics import write_calendars

GOLDEN = Path(__file__).parent / "golden"
STAMP = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


def unfolded(text: str) -> list[str]:
    """Content lines of an iCalendar text with their folding undone (RFC 5545, 3.1)."""
    return text.replace("\r\n ", "").replace("\r\n", "\n").rstrip("\n").split("\n")


def components(lines: list[str]) -> tuple:
    """The component tree of content lines: (name, sorted properties, children); the order
    of properties within a component carries no meaning."""
    stack: list[tuple[str, list, list]] = [("", [], [])]
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append((line[6:], [], []))
        elif line.startswith("END:"):
            name, props, children = stack.pop()
            assert name == line[4:], line
            stack[-1][2].append((name, tuple(sorted(props)), tuple(children)))
        else:
            stack[-1][1].append(line)
    return tuple(stack[0][2])


def test_a_teacher_s_calendar_is_exactly_as_documented(tiny, timetable, tmp_path):
    written = write_calendars(tiny, timetable, tmp_path, kinds=("teacher",), stamp=STAMP)
    path = tmp_path / "teacher-V1.ics"
    assert path in written
    data = path.read_bytes().decode("utf-8")
    raw = data.split("\r\n")
    assert raw[-1] == "" and all("\n" not in line for line in raw)  # CRLF line ends
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)  # folded as RFC 5545 asks
    golden = (GOLDEN / "tiny-teacher-V1.ics").read_text(encoding="utf-8")
    assert components(unfolded(data)) == components(unfolded(golden))


def test_the_golden_calendar_s_uids_follow_the_documented_rule():
    """UID = m<n>- and the first 16 hex digits of sha256("term name|term's first date|course|n")
    for the n-th meeting of the course in time order: a meeting keeps its UID when a re-solve
    moves it or changes its room or interpreter."""
    golden = unfolded((GOLDEN / "tiny-teacher-V1.ics").read_text(encoding="utf-8"))
    starts = [line.rsplit(":", 1)[1] for line in golden if line.startswith("DTSTART;")]
    uids = [line[4:] for line in golden if line.startswith("UID:")]
    assert len(uids) == len(starts) == 3
    assert starts == sorted(starts)  # I1's meetings, in time order: the 1st, 2nd and 3rd
    for number, uid in enumerate(uids, start=1):
        digest = hashlib.sha256(f"tiny|2026-09-07|I1|{number}".encode()).hexdigest()[:16]
        assert uid == f"m{number}-{digest}@timetable.cqupt-fefu"


def test_the_workbook_s_master_sheet_holds_the_documented_values(tiny, timetable, tmp_path):
    (path,) = export_timetable(tiny, timetable, "xlsx", tmp_path)
    golden = json.loads((GOLDEN / "tiny-master-sheet.json").read_text(encoding="utf-8"))
    sheet = openpyxl.load_workbook(path)[golden["sheet"]]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    dates = [row[0] for row in rows[1:]]
    assert all(isinstance(d, dt.datetime) and d.time() == dt.time(0) for d in dates)
    shown = [rows[0]] + [[d.date().isoformat(), *row[1:]] for d, row in zip(dates, rows[1:],
                                                                          strict=True)]
    assert shown == golden["rows"]
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref

"""Planned trips in the outputs: trips.csv and summary.json, the workbook's visitors sheet, the
Gantt chart, and scheduler verify reading the trips beside the timetable (or --trips)."""

from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from scheduler.errors import InputError
from scheduler.io.writer import write_instance_csv
from scheduler.pipeline import SolveSettings, solve_to_folder
from scheduler.timetable import Trip
from scheduler.trips_io import TRIP_COLUMNS, read_trips, write_trips_csv
from tests.tiny import planned_tiny

D = dt.date


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The tiny instance with V1's trips planned, solved into ``out``."""
    root = tmp_path_factory.mktemp("planned")
    write_instance_csv(planned_tiny(cost_per_trip=10, cost_per_day=1), root / "tiny")
    outcome = solve_to_folder(root / "tiny", root / "out",
                              SolveSettings(time_limit=30, workers=2, seed=0))
    return root, outcome


def rows(path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_trips_csv_and_summary_list_the_planned_trip(solved):
    root, outcome = solved
    (trip,) = outcome.result.timetable.trips
    written = rows(root / "out" / "trips.csv")
    assert list(written[0]) == list(TRIP_COLUMNS)
    (row,) = written
    assert (row["teacher_id"], row["trip"], row["arrival"], row["departure"]) == (
        "V1", "1", trip.arrival.isoformat(), trip.departure.isoformat())
    assert row["travel_days"] == "2" and row["periods"] == "6"
    assert int(row["cost"]) == 10 + trip.days
    summary = json.loads((root / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["trips"][0]["cost"] == 10 + trip.days
    assert summary["trips"][0]["arrival"] == trip.arrival.isoformat()
    assert read_trips(root / "out" / "trips.csv") == (trip,)


def test_the_visitors_sheet_lists_the_planned_trip(solved):
    root, outcome = solved
    (trip,) = outcome.result.timetable.trips
    book = openpyxl.load_workbook(root / "out" / "timetable.xlsx", read_only=True)
    sheet = next(book[name] for name in book.sheetnames if name.lower().startswith("visitor"))
    text = [" ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(
        values_only=True)]
    assert any(trip.arrival.isoformat() in line and trip.departure.isoformat() in line
               for line in text), text
    assert (root / "out" / "visitors.png").stat().st_size > 0


def test_verify_reads_the_trips_beside_the_timetable(solved):
    root, _ = solved
    runner = CliRunner()
    ok = runner.invoke(cli.main, ["verify", str(root / "tiny"),
                                  str(root / "out" / "timetable.csv")])
    assert ok.exit_code == 0, ok.output
    # a trip moved by hand away from the meetings is rejected
    moved = root / "moved.csv"
    write_trips_csv([{"teacher_id": "V1", "trip": 1, "arrival": "2026-09-07",
                      "departure": "2026-09-09"}], moved)
    bad = runner.invoke(cli.main, ["verify", str(root / "tiny"),
                                   str(root / "out" / "timetable.csv"), "--trips", str(moved)])
    assert bad.exit_code == 5
    assert "travel window" in bad.output or "travel day" in bad.output
    # a broken trip rule names the row of the trips file to fix (it named the teacher and
    # dates only): the second trip, too close to the first, is row 3
    close = root / "close.csv"
    write_trips_csv([{"teacher_id": "V1", "trip": 1, "arrival": "2026-09-01",
                      "departure": "2026-09-05"},
                     {"teacher_id": "V1", "trip": 2, "arrival": "2026-09-13",
                      "departure": "2026-09-18"},
                     {"teacher_id": "V1", "trip": 3, "arrival": "2026-09-19",
                      "departure": "2026-09-25"}], close)
    rules = runner.invoke(cli.main, ["verify", str(root / "tiny"),
                                     str(root / "out" / "timetable.csv"), "--trips", str(close)])
    assert rules.exit_code == 5, rules.output
    lines = " ".join(rules.output.split())
    assert "[days between trips] V1's trip 2026-09-19" in lines, rules.output
    assert "at home are required (close.csv rows 3, 4)" in lines, rules.output


def test_verify_refuses_a_planned_instance_without_trips(solved, tmp_path):
    root, _ = solved
    alone = tmp_path / "timetable.csv"
    alone.write_bytes((root / "out" / "timetable.csv").read_bytes())
    result = CliRunner().invoke(cli.main, ["verify", str(root / "tiny"), str(alone)])
    assert result.exit_code == 2
    assert "plans the trips of V1" in result.output


def test_a_damaged_trips_file_is_located(tmp_path):
    path = tmp_path / "trips.csv"
    path.write_text("teacher_id,arrival,departure\nV1,2026-09-13,soon\n,2026-09-01,"
                    "2026-09-02\nV1,2026-09-20,2026-09-19\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_trips(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "departure"), (3, "teacher_id"), (4, "departure")}
    path.write_text("teacher_id,arrival\nV1,2026-09-13\n", encoding="utf-8")
    with pytest.raises(InputError, match="'departure' is missing"):
        read_trips(path)
    write_trips_csv([{"teacher_id": "=V1", "arrival": "2026-09-13",
                      "departure": "2026-09-18"}], path)
    assert read_trips(path) == (Trip("=V1", D(2026, 9, 13), D(2026, 9, 18)),)


@pytest.mark.parametrize("name", ["timetable.csv", "timetable.json", "timetable.xlsx"])
def test_a_planned_timetable_is_a_baseline_with_the_trips_beside_it(solved, tmp_path, name):
    """The tool's own verified timetable of a term that plans trips was refused as a
    baseline (every meeting of a planned visitor "not in Chongqing then"): the baseline is
    checked as verify checks it, with the trips beside it."""
    root, _ = solved
    result = CliRunner().invoke(cli.main, [
        "solve", str(root / "tiny"), "--baseline", str(root / "out" / name),
        "-o", str(tmp_path / "again"), "-t", "20", "-w", "2", "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "again" / "summary.json").read_text(encoding="utf-8"))
    assert summary["baseline"]["meetings"] > 0


def test_a_scenarios_base_timetable_is_verified_with_the_bases_own_trips(solved, tmp_path):
    """A scenario solved without a baseline writes the base's trips as base-trips.csv
    beside base-timetable.csv, which verify reads (trips.csv there is the scenario's)."""
    root, _ = solved
    scenario = tmp_path / "rules.yaml"
    scenario.write_text("name: V1 costs more\nchanges:\n  - change: change_trip_rules\n"
                        "    teacher: V1\n    cost_per_trip: 50\n", encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(cli.main, ["scenario", "run", str(root / "tiny"),
                                           str(scenario), "-o", str(out), "-t", "20"])
    assert result.exit_code == 0, result.output
    assert read_trips(out / "base-trips.csv")
    ok = CliRunner().invoke(cli.main, ["verify", str(root / "tiny"),
                                       str(out / "base-timetable.csv")])
    assert ok.exit_code == 0, ok.output


def test_a_baseline_without_its_trips_is_told_where_to_put_them(solved, tmp_path):
    """solve and scenario run have no --trips: the fix no longer offers it, and names the
    file read beside a PREFIX-timetable (base-trips.csv beside base-timetable.csv)."""
    root, _ = solved
    alone = tmp_path / "base-timetable.csv"
    alone.write_bytes((root / "out" / "timetable.csv").read_bytes())
    result = CliRunner().invoke(cli.main, ["solve", str(root / "tiny"), "--baseline",
                                           str(alone), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 2
    assert "--trips" not in result.output
    assert "put the trips.csv written with the timetable beside it (read as base-trips.csv " \
           "or trips.csv)" in " ".join(result.output.split())


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_an_exported_timetable_of_a_planned_instance_reads_back_with_its_trips(solved, tmp_path,
                                                                            fmt):
    """export -f json / xlsx wrote no trips.csv, and exporting (or verifying) its own file
    then failed, with a fix naming a --trips option export did not have."""
    root, _ = solved
    runner = CliRunner()
    first = runner.invoke(cli.main, ["export", str(root / "tiny"), str(root / "out" /
                                     "timetable.csv"), "-f", fmt, "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "a" / "trips.csv").read_bytes() == (root / "out" / "trips.csv").read_bytes()
    written = tmp_path / "a" / f"timetable.{fmt}"
    again = runner.invoke(cli.main, ["export", str(root / "tiny"), str(written), "-f", "csv",
                                     "-o", str(tmp_path / "b")])
    assert again.exit_code == 0, again.output
    assert runner.invoke(cli.main, ["verify", str(root / "tiny"), str(written)]).exit_code == 0
    # a timetable whose trips are elsewhere: --trips, as verify has it
    alone = tmp_path / "alone" / f"timetable.{fmt}"
    alone.parent.mkdir()
    alone.write_bytes(written.read_bytes())
    for command in (["report", str(root / "tiny"), str(alone)],
                    ["export", str(root / "tiny"), str(alone), "-f", "csv", "-o",
                     str(tmp_path / "c")]):
        refused = runner.invoke(cli.main, command)
        assert refused.exit_code == 2 and "plans the trips of V1" in refused.output
        taken = runner.invoke(cli.main, [*command, "--trips",
                                         str(tmp_path / "a" / "trips.csv")])
        assert taken.exit_code == 0, taken.output


def test_a_trips_file_naming_a_teacher_the_instance_lacks_is_refused(solved, tmp_path):
    """A typo in trips.csv's teacher left that visitor's trip out of the export and the report
    without a word (verify lists it as broken rules)."""
    root, _ = solved
    trips = (root / "out" / "trips.csv").read_text(encoding="utf-8").replace("V1,", "V9,", 1)
    wrong = tmp_path / "trips.csv"
    wrong.write_text(trips, encoding="utf-8")
    for command in ("export", "report"):
        args = [command, str(root / "tiny"), str(root / "out" / "timetable.csv"), "--trips",
                str(wrong)] + (["-f", "xlsx", "-o", str(tmp_path / "x")]
                               if command == "export" else [])
        result = CliRunner().invoke(cli.main, args)
        assert result.exit_code == 2, result.output
        assert (f"{wrong}, row 2, column 'teacher_id': teacher 'V9' is not in the instance"
                in " ".join(result.output.split()))

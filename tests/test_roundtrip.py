"""xlsx and CSV forms of an instance read to the same model, and writing then reading is exact."""

from __future__ import annotations

import datetime as dt

from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance_csv, write_instance_xlsx


def test_xlsx_and_csv_give_identical_models(tmp_path, fall_instance):
    write_instance_xlsx(fall_instance, tmp_path / "fall.xlsx")
    write_instance_csv(fall_instance, tmp_path / "csv")
    from_xlsx = read_instance(tmp_path / "fall.xlsx")
    from_csv = read_instance(tmp_path / "csv")
    assert from_xlsx == from_csv == fall_instance


def test_round_trip_is_stable(tmp_path, fall_instance):
    write_instance_csv(fall_instance, tmp_path / "a")
    write_instance_csv(read_instance(tmp_path / "a"), tmp_path / "b")
    for first in sorted((tmp_path / "a").glob("*.csv")):
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()


def test_values_are_typed(fall_instance):
    room = fall_instance.room_by_id["2101"]
    assert isinstance(room.capacity, int) and room.capacity == 120
    assert fall_instance.term.first_date == dt.date(2026, 9, 7)
    assert fall_instance.periods[0].start == dt.time(8, 0)
    assert fall_instance.teacher_by_id["FEFU-IVANOVA"].name == "Иванова Елена Андреевна"
    assert fall_instance.teacher_by_id["CQ-WANGF"].name.startswith("王芳")
    adjusted = fall_instance.adjusted_workdays[0]
    assert (adjusted.date, adjusted.follows_weekday, adjusted.follows_week) == (
        dt.date(2026, 9, 20), 4, 3)


def test_csv_bom_option_writes_what_excel_expects(tmp_path, fall_instance):
    write_instance_csv(fall_instance, tmp_path / "bom", bom=True)
    assert (tmp_path / "bom" / "rooms.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_instance(tmp_path / "bom") == fall_instance

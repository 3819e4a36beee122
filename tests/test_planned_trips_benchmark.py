"""The planned-trips benchmark plans every visitor, and prices given windows alike."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from scheduler.io.reader import read_instance
from scheduler.paths import DEFAULT_INSTANCE
from scheduler.timetable import Timetable, Trip

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "planned_trips.py"


def load_script():
    spec = importlib.util.spec_from_file_location("planned_trips_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_visitor_is_planned_with_room_for_the_shipped_number_of_trips():
    bench = load_script()
    fixed = read_instance(DEFAULT_INSTANCE)
    instance = bench.planned(fixed)
    visitors = tuple(t.id for t in fixed.teachers if t.visiting)
    assert instance.planned_visitors == visitors
    assert instance.travel_windows == ()
    assert all(instance.trip_plan(t).max_trips == 2 for t in visitors)  # Kozlov flies twice
    # fixed windows: counted from the windows; planned trips: from the timetable, priced
    n, days, cost = bench.trips_of(fixed, Timetable(()))
    assert (n, cost) == (5, None)
    assert days == sum(w.days for w in fixed.travel_windows)
    trip = Trip("FEFU-PETROV", fixed.travel_windows[1].arrival, fixed.travel_windows[1].departure)
    priced = (1, trip.days, 30 + 6 * trip.days)
    assert bench.trips_of(instance, Timetable((), trips=(trip,))) == priced

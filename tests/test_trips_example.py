"""The shipped example of planned trips: the default instance with two visitors planned."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scheduler.io.reader import read_instance
from scheduler.paths import DEFAULT_INSTANCE, INSTANCES_DIR

PLANNED = INSTANCES_DIR / "cqupt-fefu-2026-fall-planned"
D = dt.date


def test_two_visitors_are_planned_and_two_keep_their_windows():
    instance = read_instance(PLANNED)
    assert instance.planned_visitors == ("FEFU-PETROV", "FEFU-SMIRNOVA")
    assert {w.teacher_id for w in instance.travel_windows} == {"FEFU-IVANOVA", "FEFU-KOZLOV"}


def test_the_rules_resolve_from_the_institution_and_the_teacher_rows():
    instance = read_instance(PLANNED)
    petrov = instance.trip_plan("FEFU-PETROV")
    smirnova = instance.trip_plan("FEFU-SMIRNOVA")
    assert petrov is not None and smirnova is not None
    assert (petrov.earliest_arrival, smirnova.earliest_arrival) == (D(2026, 9, 14),
                                                                     D(2026, 10, 1))
    assert petrov.max_stay_days == smirnova.max_stay_days == 30
    assert (petrov.rest_days, petrov.min_days_between, petrov.max_trips) == (1, 14, 2)
    assert petrov.arrival_weekdays == (2, 4, 6)  # Wed, Fri, Sun
    assert petrov.blackouts == {D(2026, 11, 4)}
    assert smirnova.blackouts == {D(2026, 11, 4), D(2026, 10, 26), D(2026, 10, 27),
                                  D(2026, 10, 28)}


def test_everything_else_is_the_default_instance():
    planned, default = read_instance(PLANNED), read_instance(DEFAULT_INSTANCE)
    same = replace(planned, travel_windows=default.travel_windows, trip_rules=(),
                   unavailability=default.unavailability)
    assert same == default

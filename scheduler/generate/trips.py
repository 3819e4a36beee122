"""Visitors' trips, placed where the cohorts they teach are least busy."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.calendar import TeachingDay
from scheduler.generate.data.calendar import (
    EARLIEST_ARRIVAL,
    LATEST_DEPARTURE,
    MAX_TRIP_DAYS,
    TRIP_GAP_DAYS,
)
from scheduler.generate.params import Params
from scheduler.generate.shares import split
from scheduler.generate.visitors import Visitor


@dataclass(frozen=True)
class Trip:
    """A visitor's trip: arrival, departure, and the teaching days between (their indices)."""

    arrival: dt.date
    departure: dt.date
    days: tuple[int, ...]


class _Load:
    """Expected intensive periods per teaching day: per cohort, needing interpreters, visitors."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.cohort: dict[str, list[float]] = defaultdict(lambda: [0.0] * days)
        self.interpreted = [0.0] * days
        self.visitors = [0.0] * days


def _trip_at(tdays: Sequence[TeachingDay], arrival: dt.date, need: int) -> Trip | None:
    after = [i for i, d in enumerate(tdays) if d.date > arrival][:need]
    if len(after) < need:
        return None
    departure = tdays[after[-1]].date + dt.timedelta(days=1)
    if departure > LATEST_DEPARTURE or (departure - arrival).days + 1 > MAX_TRIP_DAYS:
        return None
    return Trip(arrival, departure, tuple(after))


def _trip_candidates(tdays: Sequence[TeachingDay], need: int) -> list[Trip]:
    found = []
    day = EARLIEST_ARRIVAL
    while day < LATEST_DEPARTURE:
        trip = _trip_at(tdays, day, need)
        if trip is not None:
            found.append(trip)
        day += dt.timedelta(days=1)
    return found


def _trip_score(trip: Trip, pressure: Sequence[float], teaching: set[dt.date]) -> float:
    lost = (trip.arrival in teaching) + (trip.departure in teaching)
    return sum(pressure[i] for i in trip.days) + 2.0 * lost


def _visitor_pressure(load: _Load, visitor: Visitor) -> list[float]:
    """How crowded each teaching day already is for the cohorts this visitor teaches."""
    pressure = [0.3 * v for v in load.visitors]
    for root in sorted({r for o in visitor.offerings for r in o.roots}):
        for i, value in enumerate(load.cohort[root]):
            pressure[i] += value
    if any(o.interpreted(visitor.teaching_language) for o in visitor.offerings):
        pressure = [p + 0.5 * x for p, x in zip(pressure, load.interpreted, strict=True)]
    return pressure


def _trip_days_needed(visitor: Visitor, params: Params) -> int:
    return math.ceil(visitor.load / params.visitor_daily_load)


def place_trips(rng: random.Random, visitors: Sequence[Visitor], tdays: Sequence[TeachingDay],
                params: Params) -> dict[str, tuple[Trip, ...]]:
    """Place one or two trips per visitor where their cohorts are least busy (greedy)."""
    load = _Load(len(tdays))
    teaching = {d.date for d in tdays}
    trips: dict[str, tuple[Trip, ...]] = {}
    order = sorted(range(len(visitors)), key=lambda i: (-visitors[i].load, i))
    for i in order:
        visitor = visitors[i]
        need = _trip_days_needed(visitor, params)
        count = 2 if need > 18 or (need >= 8 and rng.random() < 0.35) else 1
        parts = split(need, count)
        pressure = _visitor_pressure(load, visitor)
        placed = _trips_for(rng, tdays, parts, pressure, teaching)
        if placed is None and count == 2:  # no room for two trips: one longer trip instead
            placed = _trips_for(rng, tdays, [need], pressure, teaching)
        if placed is None:
            raise ValueError(f"{visitor.load} intensive periods of {visitor.teacher.id} do not "
                             "fit in the visitors' season; lower the load per visitor")
        trips[visitor.teacher.id] = tuple(placed)
        _add_visitor_load(load, visitor, placed)
    return trips


def _trips_for(rng: random.Random, tdays: Sequence[TeachingDay], parts: Sequence[int],
               pressure: Sequence[float], teaching: set[dt.date]) -> list[Trip] | None:
    """Trips of the given teaching days each, apart from each other, on quiet days."""
    placed: list[Trip] = []
    gap = dt.timedelta(days=TRIP_GAP_DAYS)
    for part in parts:
        options = [t for t in _trip_candidates(tdays, part)
                   if all(t.arrival > p.departure + gap or t.departure < p.arrival - gap
                          for p in placed)]
        if not options:
            return None
        placed.append(min(options, key=lambda t: _trip_score(t, pressure, teaching)
                          + rng.uniform(0, 1.0)))
    return sorted(placed, key=lambda t: t.arrival)


def _add_visitor_load(load: _Load, visitor: Visitor, trips: Sequence[Trip]) -> None:
    days = [i for t in trips for i in t.days]
    for o in visitor.offerings:
        share = o.template.contact / len(days)
        for root in o.roots:
            for i in days:
                load.cohort[root][i] += share
        if o.interpreted(visitor.teaching_language):
            for i in days:
                load.interpreted[i] += share
    for i in days:
        load.visitors[i] += 1

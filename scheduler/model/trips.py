"""Planned trips in the CP-SAT model: when each planned visitor flies in, and for how long.

For each planned visitor (a ``trip_rules`` row, no travel window) up to ``max_trips`` optional
trips, each an interval over days counted from the visitor's earliest arrival: its arrival on
an allowed weekday, its departure on an allowed weekday, at most ``max_stay_days`` long and
long enough for a day of teaching; trips in order, ``min_days_between`` days at home between
two; no trip includes a home blackout. ``inside[k, date]`` may be true only when the date lies
in trip ``k``'s teaching days (after the arrival's travel and rest days, before the
departure's travel days), and every option of the visitor holds only on dates inside a trip.
The options themselves exist on every date a trip could cover
(:class:`~scheduler.availability.Availability`), so the same model works over any restricted
option set (neighbourhoods, construction groups, evaluation).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.instance import Instance, TripPlan
from scheduler.model.options import Option
from scheduler.timetable import Trip

Require = Callable[[cp_model.Constraint, tuple[str, ...]], None]
"""How the timetable model puts a constraint in a requirement group (explain mode)."""

GROUP = "visitor trips"
"""The requirement-group family of a planned visitor's trips."""
DAY = dt.timedelta(days=1)


@dataclass
class VisitorTrips:
    """The trip variables of one planned visitor (day numbers count from ``origin``).

    ``present[k]``: trip ``k`` is made (trips are made in order: a later one only after an
    earlier one); ``arrival[k]`` and ``departure[k]``: its first and last day abroad;
    ``days[k]``: its days abroad (0 when not made); ``inside[(k, date)]``: the teaching
    ``date`` lies inside trip ``k`` (implied, not equivalent: true only where allowed).
    """

    plan: TripPlan
    origin: dt.date
    present: list[cp_model.IntVar] = field(default_factory=list)
    arrival: list[cp_model.IntVar] = field(default_factory=list)
    departure: list[cp_model.IntVar] = field(default_factory=list)
    days: list[cp_model.IntVar] = field(default_factory=list)
    intervals: list[cp_model.IntervalVar] = field(default_factory=list)
    inside: dict[tuple[int, dt.date], cp_model.IntVar] = field(default_factory=dict)
    on_site: dict[dt.date, cp_model.LinearExprT] = field(default_factory=dict)

    @property
    def teacher_id(self) -> str:
        return self.plan.teacher_id

    def day(self, date: dt.date) -> int:
        return (date - self.origin).days

    def date(self, day: int) -> dt.date:
        return self.origin + day * DAY

    def read(self, solver: cp_model.CpSolver) -> list[Trip]:
        """The trips made in the solver's solution."""
        return [Trip(self.teacher_id, self.date(solver.value(a)), self.date(solver.value(d)))
                for p, a, d in zip(self.present, self.arrival, self.departure, strict=True)
                if solver.boolean_value(p)]


def horizon(instance: Instance, plan: TripPlan) -> tuple[dt.date, dt.date]:
    """The days trips may use: the plan's dates, cut to a longest stay around the term (a trip
    further away could teach nothing)."""
    term = instance.term
    reach = plan.max_stay_days * DAY
    return (max(plan.earliest_arrival, term.first_date - reach),
            min(plan.latest_departure, term.last_date + reach))


def _domain(days: list[int]) -> cp_model.Domain:
    return cp_model.Domain.from_values(days)


def build_trips(model: cp_model.CpModel, instance: Instance, plan: TripPlan,
                usages: list[tuple[cp_model.IntVar, Option]],
                require: Require) -> VisitorTrips:
    """The trips of one planned visitor, and the rule that ``usages`` (literal, option) hold
    only on dates inside a trip (the requirement group ``("visitor trips", teacher)``)."""
    first, last = horizon(instance, plan)
    trips = VisitorTrips(plan, first)
    end = trips.day(last)
    shortest, longest = plan.min_stay_days, plan.max_stay_days
    name = plan.teacher_id
    arrivals = [d for d in range(end - shortest + 2)
                if trips.date(d).weekday() in plan.arrival_weekdays
                and trips.date(d) not in plan.blackouts]
    departures = [d for d in range(shortest - 1, end + 1)
                  if trips.date(d).weekday() in plan.departure_weekdays
                  and trips.date(d) not in plan.blackouts]
    if arrivals and departures:
        _trip_variables(model, trips, arrivals, departures, shortest, longest, name)
        _blackouts(model, trips, end)
    by_date: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
    by_span: dict[tuple[dt.date, dt.date], list[cp_model.IntVar]] = defaultdict(list)
    for literal, option in usages:
        for day in option.days:
            by_date[day.date].append(literal)
        if option.weekly:  # a weekly pattern within one trip, not across two
            by_span[(option.days[0].date, option.days[-1].date)].append(literal)
    for date, literals in sorted(by_date.items()):
        on_site = _on_site(model, trips, date, date, name)
        trips.on_site[date] = on_site
        for literal in literals:
            require(model.add(literal <= on_site), (GROUP, name))
    for (first, last), literals in sorted(by_span.items()):
        covered = _on_site(model, trips, first, last, name)
        for literal in literals:
            require(model.add(literal <= covered), (GROUP, name))
    return trips


def keep_home(model: cp_model.CpModel, trips: VisitorTrips,
              usages: list[tuple[cp_model.IntVar, Option]], require: Require) -> None:
    """Online meetings (``usages``) only on dates no trip covers, travel days included."""
    by_date: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
    for literal, option in usages:
        for day in option.days:
            by_date[day.date].append(literal)
    name = trips.teacher_id
    for date, literals in sorted(by_date.items()):
        number = trips.day(date)
        home = model.new_bool_var(f"home[{name}|{date}]")
        for k, present in enumerate(trips.present):
            before = model.new_bool_var(f"before[{name}|{k}|{date}]")
            after = model.new_bool_var(f"after[{name}|{k}|{date}]")
            model.add(trips.departure[k] < number).only_enforce_if(before)
            model.add(trips.arrival[k] > number).only_enforce_if(after)
            model.add_bool_or([~present, before, after]).only_enforce_if(home)
        for literal in literals:
            require(model.add_implication(literal, home), (GROUP, name))


def _trip_variables(model: cp_model.CpModel, trips: VisitorTrips, arrivals: list[int],
                    departures: list[int], shortest: int, longest: int, name: str) -> None:
    plan = trips.plan
    for k in range(plan.max_trips):
        present = model.new_bool_var(f"trip[{name}|{k}]")
        arrival = model.new_int_var_from_domain(_domain(arrivals), f"arrive[{name}|{k}]")
        departure = model.new_int_var_from_domain(_domain(departures), f"depart[{name}|{k}]")
        size = model.new_int_var(shortest, longest, f"stay[{name}|{k}]")
        days = model.new_int_var(0, longest, f"abroad[{name}|{k}]")
        interval = model.new_optional_interval_var(arrival, size, departure + 1, present,
                                                   f"tripdays[{name}|{k}]")
        model.add(days == size).only_enforce_if(present)
        model.add(days == 0).only_enforce_if(~present)
        if trips.present:
            model.add_implication(present, trips.present[-1])
            model.add(arrival >= trips.departure[-1] + 1 + plan.min_days_between) \
                .only_enforce_if(present)
        trips.present.append(present)
        trips.arrival.append(arrival)
        trips.departure.append(departure)
        trips.days.append(days)
        trips.intervals.append(interval)


def _blackouts(model: cp_model.CpModel, trips: VisitorTrips, end: int) -> None:
    """No trip includes a home blackout (fixed one-day intervals beside the trips)."""
    blocked = [trips.day(b) for b in sorted(trips.plan.blackouts) if 0 <= trips.day(b) <= end]
    if not blocked:
        return
    fixed = [model.new_fixed_size_interval_var(d, 1, f"blackout[{trips.teacher_id}|{d}]")
             for d in blocked]
    model.add_no_overlap(trips.intervals + fixed)


def _on_site(model: cp_model.CpModel, trips: VisitorTrips, first: dt.date, last: dt.date,
             name: str) -> cp_model.LinearExprT:
    """Whether the dates ``first..last`` lie in the teaching days of one trip (0 when no trip
    can reach them)."""
    plan = trips.plan
    latest_arrival = trips.day(first) - plan.travel_days - plan.rest_days
    earliest_departure = trips.day(last) + plan.travel_days
    label = str(first) if first == last else f"{first}..{last}"
    literals = []
    for k, present in enumerate(trips.present):
        arrival, departure = trips.arrival[k], trips.departure[k]
        if latest_arrival < _lowest(model, arrival) or \
                earliest_departure > _highest(model, departure):
            continue
        inside = model.new_bool_var(f"inside[{name}|{k}|{label}]")
        model.add_implication(inside, present)
        model.add(arrival <= latest_arrival).only_enforce_if(inside)
        model.add(departure >= earliest_departure).only_enforce_if(inside)
        if first == last:
            trips.inside[(k, first)] = inside
        literals.append(inside)
    return sum(literals) if literals else 0


def _lowest(model: cp_model.CpModel, var: cp_model.IntVar) -> int:
    return int(model.proto.variables[var.index].domain[0])


def _highest(model: cp_model.CpModel, var: cp_model.IntVar) -> int:
    domain = model.proto.variables[var.index].domain  # (no negative indices on protobuf lists)
    return int(domain[len(domain) - 1])

"""First trips proposed for the planned visitors, from what their courses need.

A first timetable of a large instance is built group by group (:mod:`scheduler.model.construct`).
When planned visitors' intensive courses may meet on any date of the term, every group's
sub-model carries their meetings over the whole term and their trips as free variables, and
the first timetable comes late and with long trips. :func:`propose_trips` instead proposes one
trip per planned visitor (two or more only when one cannot hold the teaching), sized for the
visitor's contact periods at :data:`PACE` periods a teaching day and placed greedily where it
is cheap (days abroad, flights) and where the cohorts it teaches are least busy (their weekly
courses and the visitors proposed before). :func:`within_trips` narrows the options to those
trips, so the construction places the visitors' meetings inside them; the search that follows
plans the trips again, their meetings kept within a margin of the proposal
(``LnsSettings.trip_margin_days``) so that its neighbourhoods stay as small as with fixed
travel windows.

A visitor gets no proposal (their options stay as they are) when they teach a weekly course, a
course with another planned visitor, or when no trip keeping the rules holds their teaching.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.calendar import TermCalendar
from scheduler.instance import Course, Instance, TripPlan
from scheduler.model.builder import leaf_cohorts
from scheduler.model.options import OptionSet
from scheduler.timetable import Trip

PACE = 3
"""Contact periods a proposed trip holds per teaching day (the generator sizes the shipped
windows alike: ``visitor_daily_load``)."""
CROWDING = 1.0
"""Weight of the cohorts' load (periods a day, summed over the trip's teaching days and the
visitor's cohorts) against the trip's cost (its days abroad and flight, in cost units)."""
SHARED = 1.0
"""Weight of every proposed visitor's periods a day (interpreters and rooms are shared)
against a cohort's own load."""
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Proposal:
    """A proposed trip: its arrival and departure, and its first and last teaching date."""

    teacher_id: str
    arrival: dt.date
    departure: dt.date
    first_teaching: dt.date
    last_teaching: dt.date

    @property
    def trip(self) -> Trip:
        return Trip(self.teacher_id, self.arrival, self.departure)

    @property
    def days_abroad(self) -> int:
        return (self.departure - self.arrival).days + 1


def _proposable(instance: Instance, teacher_id: str) -> list[Course] | None:
    """The visitor's courses, if a proposal can narrow them (intensive, no other planned
    teacher), else ``None``."""
    planned = set(instance.planned_visitors)
    courses = [c for c in instance.courses if teacher_id in c.teachers]
    if not courses or any(c.delivery != "intensive" or len(planned.intersection(c.teachers)) > 1
                          for c in courses):
        return None
    return courses


def teaching_days_needed(instance: Instance, courses: Sequence[Course], teacher_id: str,
                         pace: int = PACE) -> int:
    """Teaching days a trip holding ``courses`` is sized for: their contact periods at
    ``pace`` a day, and at least what each course's and the teacher's daily caps need."""
    total = sum(c.contact_periods for c in courses)
    teacher = instance.teacher_by_id[teacher_id]
    caps = [math.ceil(c.contact_periods / (c.max_periods_per_day or c.meeting_length))
            for c in courses]
    return max([math.ceil(total / max(1, pace)),
                math.ceil(total / max(1, teacher.max_periods_per_day)), *caps])


class _Load:
    """Periods a day per leaf cohort (their weekly courses' share, then the proposed trips),
    and of all proposed trips together."""

    def __init__(self, instance: Instance, calendar: TermCalendar) -> None:
        self.visitors: dict[dt.date, float] = defaultdict(float)
        self.by_cohort: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
        for course in instance.courses:
            if course.delivery != "weekly":
                continue
            days = calendar.days_in_weeks(course.weeks)
            if not days:
                continue
            share = course.contact_periods / len(days)
            for leaf in leaf_cohorts(instance, course):
                for day in days:
                    self.by_cohort[leaf][day.date] += share

    def crowding(self, leaves: Sequence[str], dates: Sequence[dt.date]) -> float:
        return (sum(self.by_cohort[leaf][d] for leaf in leaves for d in dates)
                + SHARED * sum(self.visitors[d] for d in dates))

    def add(self, leaves: Sequence[str], dates: Sequence[dt.date], periods: float) -> None:
        share = periods / max(1, len(dates))
        for d in dates:
            self.visitors[d] += share
            for leaf in leaves:
                self.by_cohort[leaf][d] += share


def _trip_from(plan: TripPlan, arrival: dt.date, usable: Sequence[dt.date],
               need: int) -> Proposal | None:
    """The shortest trip arriving on ``arrival`` that holds ``need`` of the ``usable`` dates
    (sorted), keeping the plan's weekdays, stay and blackouts; ``None`` when there is none."""
    start = arrival + (plan.travel_days + plan.rest_days) * DAY
    dates = [d for d in usable if d >= start][:need]
    if len(dates) < need:
        return None
    departure = dates[-1] + plan.travel_days * DAY
    while departure.weekday() not in plan.departure_weekdays:
        departure += DAY
    if departure > plan.latest_departure or (departure - arrival).days + 1 > plan.max_stay_days:
        return None
    if any(arrival <= b <= departure for b in plan.blackouts):
        return None
    return Proposal(plan.teacher_id, arrival, departure, dates[0], dates[-1])


def _candidates(plan: TripPlan, usable: Sequence[dt.date], need: int) -> list[Proposal]:
    """Every shortest trip holding ``need`` usable dates, one per arrival date."""
    found = []
    arrival = plan.earliest_arrival
    while arrival <= plan.latest_departure:
        if arrival.weekday() in plan.arrival_weekdays and arrival not in plan.blackouts:
            trip = _trip_from(plan, arrival, usable, need)
            if trip is not None:
                found.append(trip)
        arrival += DAY
    return found


def _cost(plan: TripPlan, trip: Proposal, usable: set[dt.date], leaves: Sequence[str],
          load: _Load) -> float:
    dates = [d for d in _dates(trip.first_teaching, trip.last_teaching) if d in usable]
    return (plan.cost_per_trip + plan.cost_per_day * trip.days_abroad
            + CROWDING * load.crowding(leaves, dates))


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + k * DAY for k in range((last - first).days + 1)]


def _apart(plan: TripPlan, trip: Proposal, placed: Sequence[Proposal]) -> bool:
    gap = plan.min_days_between * DAY
    return all(trip.arrival > p.departure + gap or trip.departure + gap < p.arrival
               for p in placed)


def _place(plan: TripPlan, usable: Sequence[dt.date], need: int, leaves: Sequence[str],
           load: _Load) -> list[Proposal] | None:
    """The cheapest trips (fewest first) that hold ``need`` usable dates between them."""
    dates = set(usable)
    for count in range(1, plan.max_trips + 1):
        parts = [need // count + (k < need % count) for k in range(count)]
        placed: list[Proposal] = []
        for part in parts:
            options = [t for t in _candidates(plan, usable, part) if _apart(plan, t, placed)]
            if not options:
                break
            placed.append(min(options, key=lambda t: (_cost(plan, t, dates, leaves, load),
                                                      t.arrival)))
        else:
            return sorted(placed, key=lambda t: t.arrival)
    return None


def propose_trips(instance: Instance, calendar: TermCalendar,
                  options: OptionSet) -> dict[str, tuple[Proposal, ...]]:
    """A proposal of trips for each planned visitor that can have one (see the module's
    docstring), the most loaded visitors first."""
    load = _Load(instance, calendar)
    wanted = []
    for teacher_id in instance.planned_visitors:
        courses = _proposable(instance, teacher_id)
        if courses is not None:
            wanted.append((-sum(c.contact_periods for c in courses), teacher_id, courses))
    proposals: dict[str, tuple[Proposal, ...]] = {}
    for _, teacher_id, courses in sorted(wanted):
        plan = instance.trip_plan(teacher_id)
        assert plan is not None
        usable = sorted({d.date for c in courses for o in options.by_course.get(c.id, ())
                         if not o.online for d in o.days})
        leaves = sorted({leaf for c in courses for leaf in leaf_cohorts(instance, c)})
        need = min(teaching_days_needed(instance, courses, teacher_id), len(usable))
        placed = _place(plan, usable, need, leaves, load) if need else None
        if placed is None:
            continue
        proposals[teacher_id] = tuple(placed)
        taught = [d for p in placed for d in _dates(p.first_teaching, p.last_teaching)
                  if d in set(usable)]
        for course in courses:
            load.add(leaf_cohorts(instance, course), taught, course.contact_periods)
    return proposals


def within_trips(options: OptionSet, proposals: Mapping[str, Sequence[Proposal]],
                 margin: int = 0) -> tuple[OptionSet, list[int]]:
    """The options with each proposed visitor's on-site meetings inside their proposed trips'
    teaching dates (widened by ``margin`` days at each end), renumbered; ``origin`` maps the
    new indices to the old ones."""
    wide = margin * DAY
    spans: dict[str, list[tuple[dt.date, dt.date]]] = {
        t: [(p.first_teaching - wide, p.last_teaching + wide) for p in trips]
        for t, trips in proposals.items()}
    result = OptionSet(rejections=options.rejections, pins=options.pins,
                       lost_pins=options.lost_pins)
    origin: list[int] = []
    for option in options.options:
        teachers = [t for t in option.course.teachers if t in spans]
        if teachers and not option.online and not all(
                any(first <= d.date <= last for first, last in spans[t])
                for t in teachers for d in option.days):
            continue
        new = option.narrowed(len(origin), option.rooms)
        origin.append(option.index)
        result.options.append(new)
        result.by_course[new.course.id].append(new)
    return result, origin

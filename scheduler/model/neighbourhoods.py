"""Destroy operators of the term timetable's large-neighbourhood search: which courses a
neighbourhood frees.

Each operator takes the :class:`CourseIndex` of the instance, the current timetable (chosen
options), a random generator and a target number of courses, and returns a
:class:`Neighbourhood`: the courses to free (none: nothing to free) and, for some operators,
the dates within which their intensive meetings may move. The courses freed together are
related (one cohort, one teacher, one visitor's trip, one week of intensive teaching, one
weekday, one room type, one interpreter), so that re-solving them together can improve the
cost; a seed smaller than the size grows through courses sharing a cohort or a teacher.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scheduler.instance import Instance
from scheduler.model.builder import leaf_cohorts
from scheduler.model.options import OptionSet

Choice = tuple[str, str | None]
"""The room and interpreter of a used option."""
Chosen = Mapping[int, Choice]
"""A timetable as chosen options: original option index -> room, interpreter."""


@dataclass(frozen=True)
class Neighbourhood:
    """What a destroy operator frees: the courses ``free``, drawn by operator ``kind``; with
    ``dates``, the intensive meetings of free courses move only within those dates (their
    other meetings stay), while free weekly courses move entirely; with ``rooms_only`` they
    keep their times and only their rooms and interpreters change."""

    kind: str
    free: frozenset[str]
    dates: frozenset[dt.date] | None = None
    rooms_only: bool = False


WEEK = 7
"""Days in the window of the ``days`` operator."""


class CourseIndex:
    """Courses by leaf cohort, teacher, room type and interpreter, and the visitors' trips;
    courses in ``keep`` never move. ``heat`` (course -> cost), when filled, makes the
    operators that draw a cohort, teacher or room type prefer costly ones."""

    def __init__(self, instance: Instance, options: OptionSet,
                 keep: frozenset[str] = frozenset()) -> None:
        self.instance = instance
        self.options = options
        self.keep = keep
        self.courses = sorted(c.id for c in instance.courses)
        self.leaves = {c.id: tuple(leaf_cohorts(instance, c)) for c in instance.courses}
        self.teachers = {c.id: c.teachers for c in instance.courses}
        self.by_leaf: dict[str, set[str]] = defaultdict(set)
        self.by_teacher: dict[str, set[str]] = defaultdict(set)
        self.by_type: dict[str, set[str]] = defaultdict(set)
        for course in instance.courses:
            for leaf in self.leaves[course.id]:
                self.by_leaf[leaf].add(course.id)
            for t in course.teachers:
                self.by_teacher[t].add(course.id)
            self.by_type[course.room_type].add(course.id)
        self.heat: dict[str, float] = {}  # course -> cost it carries, when neighbourhoods aim
        self.interpreters: dict[str, set[str]] = defaultdict(set)  # course -> possible ones
        for option in options.options:
            self.interpreters[option.course.id].update(option.interpreters)
        self.trips = self._trips()
        self.planned = [t for t in instance.planned_visitors if self.by_teacher.get(t)]

    def _trips(self) -> list[tuple[frozenset[str], frozenset[dt.date]]]:
        """Per visitor's travel window: their intensive courses with an option in it, and
        the window's dates."""
        trips = []
        for teacher in self.instance.teachers:
            if not teacher.visiting:
                continue
            intensive = [c for c in self.by_teacher[teacher.id]
                         if self.instance.course_by_id[c].delivery == "intensive"]
            for window in self.instance.windows_of(teacher.id):
                dates = frozenset(window.arrival + dt.timedelta(days=k)
                                  for k in range((window.departure - window.arrival).days + 1))
                courses = frozenset(c for c in intensive
                                    if any(d.date in dates for o in self.options.by_course[c]
                                           for d in o.days))
                if courses:
                    trips.append((courses, dates))
        return trips

    def planned_trip(self, teacher_id: str,
                     chosen: Chosen) -> tuple[frozenset[str], frozenset[dt.date]]:
        """A planned visitor's courses, and the dates from a week before their first meeting
        now to a week after their last (empty when they meet on no date)."""
        courses = frozenset(self.by_teacher[teacher_id])
        met = [d.date for i in chosen for option in (self.options.options[i],)
               if option.course.id in courses for d in option.days]
        if not met:
            return frozenset(), frozenset()
        first = min(met) - dt.timedelta(days=WEEK)
        span = (max(met) - first).days + WEEK
        return courses, frozenset(first + dt.timedelta(days=k) for k in range(span + 1))

    def related(self, course: str) -> set[str]:
        """Courses sharing a leaf cohort or a teacher with ``course``."""
        out: set[str] = set()
        for leaf in self.leaves[course]:
            out |= self.by_leaf[leaf]
        for t in self.teachers[course]:
            out |= self.by_teacher[t]
        return out

    def grow(self, seed: Iterable[str], size: int, rng: random.Random) -> set[str]:
        """``seed`` (cut to ``size`` at random) and courses sharing a cohort or a teacher with
        it, breadth first, until ``size`` courses; kept courses left out."""
        free = set(seed) - self.keep
        if len(free) > size:
            return set(rng.sample(sorted(free), size))
        frontier = sorted(free)
        rng.shuffle(frontier)
        while frontier and len(free) < size:
            extra = sorted(self.related(frontier.pop()) - free - self.keep)
            rng.shuffle(extra)
            for other in extra[: max(0, size - len(free))]:
                free.add(other)
                frontier.insert(0, other)
        return free


def chosen_weekdays(options: OptionSet, chosen: Chosen) -> dict[str, set[int]]:
    """The weekdays each course meets on (by date)."""
    days: dict[str, set[int]] = defaultdict(set)
    for index in chosen:
        option = options.options[index]
        days[option.course.id] |= {d.date.weekday() for d in option.days}
    return days


def _draw(rng: random.Random, groups: Mapping[str, set[str]],
          heat: Mapping[str, float] | None = None) -> set[str]:
    """One group at random; with ``heat``, drawn with a weight of 1 plus the mean heat of its
    courses (how much cost they were last seen to carry)."""
    if not groups:
        return set()
    names = sorted(groups)
    if not heat:
        return set(groups[rng.choice(names)])
    weights = [1.0 + sum(heat.get(c, 0.0) for c in groups[n]) / max(1, len(groups[n]))
               for n in names]
    return set(groups[rng.choices(names, weights=weights)[0]])


def cohort(index: CourseIndex, chosen: Chosen, rng: random.Random,
           size: int) -> Neighbourhood:
    """The courses of one leaf cohort, and related courses."""
    seed = _draw(rng, index.by_leaf, index.heat)
    return Neighbourhood("cohort", frozenset(index.grow(seed, size, rng)))


def teacher(index: CourseIndex, chosen: Chosen, rng: random.Random,
            size: int) -> Neighbourhood:
    """The courses of one teacher, and related courses."""
    seed = _draw(rng, index.by_teacher, index.heat)
    return Neighbourhood("teacher", frozenset(index.grow(seed, size, rng)))


def room_type(index: CourseIndex, chosen: Chosen, rng: random.Random,
              size: int) -> Neighbourhood:
    """Courses of one room type, and related courses."""
    seed = _draw(rng, index.by_type, index.heat)
    return Neighbourhood("room_type", frozenset(index.grow(seed, size, rng)))


def weekday(index: CourseIndex, chosen: Chosen, rng: random.Random,
            size: int) -> Neighbourhood:
    """Courses meeting on one weekday, and related courses."""
    days = chosen_weekdays(index.options, chosen)
    day = rng.choice(sorted(index.instance.term.teaching_weekdays))
    seed = {c for c in index.courses if day in days.get(c, ())}
    return Neighbourhood("weekday", frozenset(index.grow(seed, size, rng)))


def interpreter(index: CourseIndex, chosen: Chosen, rng: random.Random,
                size: int) -> Neighbourhood:
    """Courses an interpreter works at now, and the other courses they could work at."""
    working: dict[str, set[str]] = defaultdict(set)
    for i, (_, who) in chosen.items():
        if who is not None:
            working[who].add(index.options.options[i].course.id)
    if not working:
        return Neighbourhood("interpreter", frozenset())
    who = rng.choice(sorted(working))
    could = {c for c, people in index.interpreters.items() if who in people} - working[who]
    seed = set(working[who])
    if len(seed) < size:
        seed |= set(rng.sample(sorted(could), min(len(could), size - len(seed))))
    return Neighbourhood("interpreter", frozenset(index.grow(seed, size, rng)))


def visitor_window(index: CourseIndex, chosen: Chosen, rng: random.Random,
                   size: int) -> Neighbourhood:
    """A visitor's intensive courses of one trip and every course of their cohorts that meets
    on the trip's dates (the visitor's courses first, weekly courses last); intensive
    meetings move within the trip's dates. A planned visitor's trip is the span of their
    meetings now and a week either side (:meth:`CourseIndex.planned_trip`), so that their
    meetings can be drawn together into fewer, shorter trips."""
    drawn = len(index.trips) + len(index.planned)
    if not drawn:
        return Neighbourhood("visitor_window", frozenset())
    pick = rng.randrange(drawn)
    if pick < len(index.trips):
        courses, dates = index.trips[pick]
    else:
        courses, dates = index.planned_trip(index.planned[pick - len(index.trips)], chosen)
    leaves = {leaf for c in courses for leaf in index.leaves[c]}
    intensive: set[str] = set()
    weekly: set[str] = set()
    for i in chosen:
        option = index.options.options[i]
        c = option.course.id
        if c not in courses and any(d.date in dates for d in option.days) \
                and leaves.intersection(index.leaves[c]):
            (weekly if option.weekly else intensive).add(c)
    order = []
    for group in (courses, intensive, weekly - intensive):
        members = sorted(set(group) - index.keep)
        rng.shuffle(members)
        order += members
    return Neighbourhood("visitor_window", frozenset(order[:size]), dates)


def days(index: CourseIndex, chosen: Chosen, rng: random.Random, size: int) -> Neighbourhood:
    """The intensive meetings of a week around one of them, of the courses sharing a cohort
    with it; they move within that week."""
    intensive = [i for i in chosen if not index.options.options[i].weekly
                 and index.options.options[i].course.id not in index.keep]
    if not intensive:
        return Neighbourhood("days", frozenset())
    seed = index.options.options[rng.choice(sorted(intensive))]
    first = seed.days[0].date - dt.timedelta(days=rng.randrange(WEEK))
    window = frozenset(first + dt.timedelta(days=k) for k in range(WEEK))
    leaves = set(index.leaves[seed.course.id])
    near = sorted({index.options.options[i].course.id for i in intensive
                   if index.options.options[i].days[0].date in window
                   and leaves.intersection(index.leaves[index.options.options[i].course.id])}
                  - {seed.course.id})
    rng.shuffle(near)
    return Neighbourhood("days", frozenset([seed.course.id, *near][:size]), window)


def rooms(index: CourseIndex, chosen: Chosen, rng: random.Random, size: int) -> Neighbourhood:
    """The rooms (and interpreters) of the courses of one leaf cohort and related courses,
    their times kept: rooms that fit better and fewer building changes."""
    free = index.grow(_draw(rng, index.by_leaf, index.heat), size, rng)
    return Neighbourhood("rooms", frozenset(free), rooms_only=True)


Operator = Callable[[CourseIndex, Chosen, random.Random, int], Neighbourhood]
OPERATORS: dict[str, Operator] = {
    "cohort": cohort,
    "teacher": teacher,
    "visitor_window": visitor_window,
    "days": days,
    "weekday": weekday,
    "room_type": room_type,
    "interpreter": interpreter,
    "rooms": rooms,
}

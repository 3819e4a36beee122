"""Counting arguments that make a set of requirements readable: "N periods needed, M possible".

Given the requirement groups of an infeasible core, each resource with a clash group in it (a
teacher, a cohort, a pool of rooms or of interpreters) is checked: the core's courses that
cannot avoid it need more periods in some window than the resource can hold there, at its
daily and weekly limits. Every statement made is a proof on its own (a pigeonhole count over
the meetings that are possible at all), so it is only said when it holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scheduler.calendar import TermCalendar
from scheduler.explain import words
from scheduler.explain.conflict import Conflict
from scheduler.instance import Course, Instance
from scheduler.model.builder import Group, leaf_cohorts
from scheduler.model.options import Option, OptionSet


@dataclass(frozen=True)
class Resource:
    """A teacher, a cohort (leaf), or a pool of rooms or interpreters named by the core."""

    kind: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Certificate:
    """A count that cannot work out: ``demand`` periods needed but only ``supply`` possible."""

    resource: Resource
    courses: tuple[str, ...]
    demand: int
    supply: int
    first: dt.date | None
    last: dt.date | None
    per_day: int | None = None
    per_week: int | None = None
    cells: tuple[tuple[int, int], ...] = ()
    week: int | None = None


class Counter:
    """Counts over the options of the core's courses."""

    def __init__(self, instance: Instance, calendar: TermCalendar, options: OptionSet,
                 core: Iterable[Group]) -> None:
        self.instance = instance
        self.calendar = calendar
        self.options = options
        self.core = set(core)
        self.families: dict[str, set[str]] = defaultdict(set)
        self.weeks: dict[tuple[str, str], set[int]] = defaultdict(set)
        for group in self.core:
            self.families[group[0]].add(group[1])
            if len(group) > 2:
                self.weeks[(group[0].split()[0], group[1])].add(int(group[2].split()[-1]))
        self.delivered = [instance.course_by_id[c] for c in sorted(self.families["delivery"])
                          if c in instance.course_by_id]
        self._leaf_cache: dict[str, frozenset[str]] = {}
        self._usable: dict[tuple[Resource, str], dict[str, list[Option]]] = {}
        self._pool_cache: dict[tuple[str, str], tuple[frozenset[str], bool]] = {}

    # --- which resources, which courses -------------------------------------------------
    def resources(self) -> list[Resource]:
        """Teachers and cohorts named by the core, its rooms alone and pooled by room type,
        its interpreters alone and pooled."""
        f = self.families
        found = [Resource("teacher", (t,))
                 for t in sorted(f["teacher clash"] | f["teacher limits"])]
        found += [Resource("cohort", (c,)) for c in sorted(f["cohort clash"])]
        room_type = {r.id: r.room_type for r in self.instance.rooms}
        by_type: dict[str, set[str]] = defaultdict(set)
        for room in f["room clash"]:
            by_type[room_type.get(room, "")].add(room)
        found += [Resource("room", (r,)) for r in sorted(f["room clash"])]
        found += [Resource("room", tuple(sorted(ids))) for _, ids in sorted(by_type.items())
                  if len(ids) > 1]
        people = f["interpreter clash"] | f["interpreter limits"]
        found += [Resource("interpreter", (i,)) for i in sorted(people)]
        if len(people) > 1:
            found.append(Resource("interpreter", tuple(sorted(people))))
        return found

    def units(self, resource: Resource, option: Option) -> tuple[str, ...]:
        """Members of the resource that can hold ``option`` (empty: the option avoids it)."""
        course = option.course
        if resource.kind == "teacher":
            return resource.ids if resource.ids[0] in course.teachers else ()
        if resource.kind == "cohort":
            return resource.ids if resource.ids[0] in self._leaves(course) else ()
        pool = option.rooms if resource.kind == "room" else option.interpreters
        ids = set(resource.ids)
        return tuple(u for u in pool if u in ids)

    def usable(self, resource: Resource, course: Course) -> dict[str, list[Option]]:
        """The course's options each member of the resource can hold."""
        key = (resource, course.id)
        if key not in self._usable:
            found: dict[str, list[Option]] = defaultdict(list)
            for option in self.options.by_course.get(course.id, []):
                for unit in self.units(resource, option):
                    found[unit].append(option)
            self._usable[key] = found
        return self._usable[key]

    def bound_courses(self, resource: Resource) -> list[Course]:
        """Core courses every meeting of which needs the resource."""
        bound = []
        ids = set(resource.ids)
        for course in self.delivered:
            if resource.kind == "teacher":
                ok = resource.ids[0] in course.teachers
            elif resource.kind == "cohort":
                ok = resource.ids[0] in self._leaves(course)
            else:
                pool, every = self._pool(course, resource.kind)
                ok = every and bool(pool) and pool <= ids
            if ok and self.options.by_course.get(course.id):
                bound.append(course)
        return bound

    def _leaves(self, course: Course) -> frozenset[str]:
        if course.id not in self._leaf_cache:
            self._leaf_cache[course.id] = frozenset(leaf_cohorts(self.instance, course))
        return self._leaf_cache[course.id]

    def _pool(self, course: Course, kind: str) -> tuple[frozenset[str], bool]:
        """Rooms (or interpreters) any option of the course may use, and whether every
        option needs one."""
        key = (course.id, kind)
        if key not in self._pool_cache:
            options = self.options.by_course.get(course.id, [])
            pools = [o.rooms if kind == "room" else o.interpreters for o in options]
            self._pool_cache[key] = (frozenset(u for p in pools for u in p),
                                     all(pools))
        return self._pool_cache[key]

    # --- limits ---------------------------------------------------------------------------
    def unit_limits(self, resource: Resource, unit: str) -> tuple[int | None, int | None]:
        if resource.kind == "teacher" and unit in self.families["teacher limits"]:
            t = self.instance.teacher_by_id[unit]
            return t.max_periods_per_day, t.max_periods_per_week
        if resource.kind == "interpreter" and unit in self.families["interpreter limits"]:
            i = self.instance.interpreter_by_id[unit]
            return i.max_periods_per_day, i.max_periods_per_week
        return None, None

    def course_day_cap(self, course: Course) -> int:
        if course.delivery == "intensive":
            if course.id in self.families["intensive daily limit"] and \
                    course.max_periods_per_day is not None:
                cap = course.max_periods_per_day
                return cap - cap % course.meeting_length
            return 10**6
        return (course.meetings_per_week or 1) * course.meeting_length

    # --- demand ---------------------------------------------------------------------------
    def need(self, course: Course, window: set[dt.date] | None) -> int:
        """Periods the course must have inside ``window`` (all dates when ``None``)."""
        options = self.options.by_course.get(course.id, [])
        if course.delivery == "intensive":
            if window is None:
                return course.contact_periods
            outside: dict[dt.date, set[int]] = defaultdict(set)
            for o in options:
                if o.days[0].date not in window:
                    outside[o.days[0].date].update(o.block.periods)
            cap = self.course_day_cap(course)
            room = sum(min(cap, len(p) - len(p) % course.meeting_length)
                       for p in outside.values())
            return max(0, course.contact_periods - room)
        count = course.meetings_per_week or 1
        inside = sorted(sum(1 for d in o.days if window is None or d.date in window)
                        * o.block.length for o in options)
        outside_sizes = sorted((sum(1 for d in o.days if window is not None
                                    and d.date not in window) * o.block.length
                                for o in options), reverse=True)
        least = sum(inside[:count])
        return max(least, course.contact_periods - sum(outside_sizes[:count]))

    # --- supply ---------------------------------------------------------------------------
    def supply(self, resource: Resource, courses: list[Course],
               window: set[dt.date] | None) -> tuple[int, list[dt.date]]:
        """Most periods the resource can hold for ``courses`` inside ``window``."""
        total = 0
        used_dates: set[dt.date] = set()
        for unit in resource.ids:
            per_day_cap, per_week_cap = self.unit_limits(resource, unit)
            periods: dict[dt.date, set[int]] = defaultdict(set)
            by_course: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
            for course in courses:
                for o in self.usable(resource, course).get(unit, ()):
                    for d in o.days:
                        if window is None or d.date in window:
                            periods[d.date].update(o.block.periods)
                            by_course[(d.date, course.id)].update(o.block.periods)
            weekly: dict[int, int] = defaultdict(int)
            for date, taken in periods.items():
                amount = len(taken)
                amount = min(amount, sum(min(self.course_day_cap(c),
                                             len(by_course.get((date, c.id), ())))
                                         for c in courses))
                if per_day_cap is not None:
                    amount = min(amount, per_day_cap)
                if len(courses) == 1:
                    amount -= amount % courses[0].meeting_length
                if amount:
                    used_dates.add(date)
                weekly[self.calendar.by_date[date].calendar_week] += amount
            total += sum(min(v, per_week_cap) if per_week_cap is not None else v
                         for v in weekly.values())
        return total, sorted(used_dates)

    # --- the checks -----------------------------------------------------------------------
    def windows(self, resource: Resource, courses: list[Course]) -> list[set[dt.date]]:
        """Dates to count over: the weeks the core names for the resource, then the span of
        the intensive courses' possible meetings."""
        found: list[set[dt.date]] = []
        weeks: set[int] = set()
        for unit in resource.ids:
            weeks |= self.weeks.get((resource.kind, unit), set())
        if weeks:
            found.append({d.date for d in self.calendar.days if d.calendar_week in weeks})
        dated = [o.days[0].date for c in courses for o in self.options.by_course.get(c.id, [])
                 if not o.weekly]
        if dated:
            first, last = min(dated), max(dated)
            found.append({d.date for d in self.calendar.days if first <= d.date <= last})
        return found

    def dated(self, resource: Resource) -> Certificate | None:
        courses = self.bound_courses(resource)
        if all(c.delivery == "weekly" for c in courses):
            return None  # the weekly count (cells) is the sharper one
        for window in self.windows(resource, courses):
            needs = {c.id: self.need(c, window) for c in courses}
            involved = [c for c in courses if needs[c.id] > 0]
            if not involved:
                continue
            demand = sum(needs[c.id] for c in involved)
            supply, dates = self.supply(resource, involved, window)
            if demand > supply:
                caps = [self.unit_limits(resource, u) for u in resource.ids]
                per_day, per_week = caps[0] if len(caps) == 1 else (None, None)
                if len(involved) == 1 and involved[0].delivery == "intensive":
                    course_cap = self.course_day_cap(involved[0])
                    if course_cap < 10**6:
                        per_day = min(per_day or course_cap, course_cap)
                if not dates:
                    dates = sorted(window)
                return Certificate(resource, tuple(c.id for c in involved), demand, supply,
                                   dates[0] if dates else None, dates[-1] if dates else None,
                                   per_day, per_week)
        return None

    def regular_weeks(self) -> list[int]:
        weekdays = self.instance.term.teaching_weekdays
        keys = {(d.weekday, d.week) for d in self.calendar.days}
        return sorted({w for _, w in keys if all((wd, w) in keys for wd in weekdays)})

    def cells(self, resource: Resource) -> Certificate | None:
        courses = [c for c in self.bound_courses(resource) if c.delivery == "weekly"]
        best: Certificate | None = None
        for week in self.regular_weeks():
            active = [c for c in courses if week in c.weeks]
            if not active:
                continue
            demand = sum((c.meetings_per_week or 1) * c.meeting_length for c in active)
            supply = 0
            union: set[tuple[int, int]] = set()
            for unit in resource.ids:
                cells = set().union(*(self._cells(resource, c, unit) for c in active))
                supply += len(cells)
                union |= cells
            if demand > supply and (best is None or demand - supply > best.demand - best.supply):
                best = Certificate(resource, tuple(c.id for c in active), demand, supply, None,
                                   None, cells=tuple(sorted(union)), week=week)
        return best

    def _cells(self, resource: Resource, course: Course,
               unit: str) -> frozenset[tuple[int, int]]:
        return frozenset((o.weekday, p) for o in self.usable(resource, course).get(unit, ())
                         if o.weekday is not None for p in o.block.periods)

    def certificates(self) -> list[Certificate]:
        """Every resource whose count cannot work out, fewest courses first."""
        found = []
        for resource in self.resources():
            certificate = self.cells(resource) or self.dated(resource)
            if certificate is not None:
                found.append(self.shrink(certificate))
        found.sort(key=lambda c: (len(c.courses), len(c.resource.ids), c.supply))
        return found

    def shrink(self, certificate: Certificate) -> Certificate:
        """Drop courses from a certificate while its count still cannot work out."""
        for course_id in sorted(certificate.courses):
            if len(certificate.courses) == 1:
                break
            kept = [c for c in certificate.courses if c != course_id]
            smaller = Counter(self.instance, self.calendar, self.options,
                              [g for g in self.core if g != ("delivery", course_id)])
            found = (smaller.cells(certificate.resource) if certificate.cells
                     else smaller.dated(certificate.resource))
            if found is not None and set(found.courses) <= set(kept):
                certificate = found
        return certificate

    def groups_of(self, certificate: Certificate) -> list[Group]:
        """The requirement groups a certificate relies on."""
        family = {"teacher": "teacher clash", "cohort": "cohort clash", "room": "room clash",
                  "interpreter": "interpreter clash"}[certificate.resource.kind]
        groups: list[Group] = [("delivery", c) for c in certificate.courses]
        groups += [(family, u) for u in certificate.resource.ids]
        limits = {"teacher": "teacher limits", "interpreter": "interpreter limits"}.get(
            certificate.resource.kind)
        if limits and (certificate.per_day or certificate.per_week):
            groups += [(limits, u) for u in certificate.resource.ids]
        groups += [("intensive daily limit", c) for c in certificate.courses
                   if ("intensive daily limit", c) in self.core]
        return groups

    # --- words ----------------------------------------------------------------------------
    def _who(self, certificate: Certificate) -> str:
        resource = certificate.resource
        if resource.kind == "teacher":
            names = [words.teacher(self.instance, resource.ids[0])]
            shared = set.intersection(*(set(leaf_cohorts(self.instance,
                                                         self.instance.course_by_id[c]))
                                        for c in certificate.courses))
            names += [words.cohort(self.instance, c)
                      for c in sorted(shared & self.families["cohort clash"])]
            return words.join(names)
        if resource.kind == "cohort":
            names = [words.cohort(self.instance, resource.ids[0])]
            shared = set.intersection(*(set(self.instance.course_by_id[c].teachers)
                                        for c in certificate.courses))
            names += [words.teacher(self.instance, t)
                      for t in sorted(shared & self.families["teacher clash"])]
            return words.join(names)
        describe: Callable[[Instance, str], str] = (words.room if resource.kind == "room"
                                                    else words.interpreter)
        return words.join([describe(self.instance, u) for u in resource.ids])

    def sentence(self, certificate: Certificate) -> str:
        who = self._who(certificate)
        both = " both" if " and " in who else ""
        listed = words.courses(self.instance, certificate.courses)
        if certificate.cells:
            cells = words.weekly_cells(self.instance, certificate.cells)
            need = (f"need {certificate.demand} of the same {certificate.supply} weekly periods "
                    f"({cells}) in week {certificate.week}")
            if both:
                return f"{who} both {need}, for {listed}"
            return f"{who}: {listed} {need}"
        intensive = all(self.instance.course_by_id[c].delivery == "intensive"
                        for c in certificate.courses)
        what = "intensive teaching" if intensive else "meetings"
        if certificate.resource.kind == "interpreter":
            what = "interpreting"
        when = (words.span(certificate.first, certificate.last)
                if certificate.first is not None and certificate.last is not None
                else "in the term")
        rate = f" at {certificate.per_day} per day" if certificate.per_day else ""
        if certificate.per_week:
            rate += f"{' and' if rate else ' at'} {certificate.per_week} a week"
        return (f"{who}: {certificate.demand} periods of {what} ({listed}) but only "
                f"{certificate.supply} periods available {when}{rate}")

    def conflict(self, certificate: Certificate, requirements: tuple[str, ...]) -> Conflict:
        resource = certificate.resource
        courses = [self.instance.course_by_id[c] for c in certificate.courses]
        return Conflict(
            "requirements", self.sentence(certificate), requirements,
            courses=certificate.courses,
            teachers=tuple(sorted({t for c in courses for t in c.teachers})),
            cohorts=tuple(sorted({h for c in courses for h in c.cohorts})),
            rooms=resource.ids if resource.kind == "room" else (),
            interpreters=resource.ids if resource.kind == "interpreter" else (),
            first_date=certificate.first, last_date=certificate.last)


def all_groups(instance: Instance, options: OptionSet) -> list[Group]:
    """Every requirement of the instance as groups, for counting before any solving."""
    groups: list[Group] = [("delivery", c.id) for c in instance.courses]
    groups += [("intensive daily limit", c.id) for c in instance.courses
               if c.delivery == "intensive" and c.max_periods_per_day is not None]
    taught = {t for c in instance.courses for t in c.teachers}
    groups += [(f, t) for t in sorted(taught) for f in ("teacher clash", "teacher limits")]
    leaves = {leaf for c in instance.courses for leaf in leaf_cohorts(instance, c)}
    groups += [("cohort clash", leaf) for leaf in sorted(leaves)]
    groups += [("room clash", r.id) for r in instance.rooms]
    groups += [(f, i.id) for i in instance.interpreters
               for f in ("interpreter clash", "interpreter limits")]
    return groups

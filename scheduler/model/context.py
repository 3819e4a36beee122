"""What every step of one solve shares: the instance and its options, the CP-SAT parameters,
the request, the tuning, the progress callback and the clock."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams
from scheduler.instance import Instance
from scheduler.model.options import OptionSet, build_options, room_limit
from scheduler.model.params import LnsSettings, SolveRequest
from scheduler.model.pins import pinned_options
from scheduler.progress import ProgressCallback


@dataclass(frozen=True)
class SolveContext:
    """One solve in progress. ``started`` is its ``time.perf_counter()`` at the start;
    ``unplaceable`` describes, in words, the courses that have no possible meeting (a relaxed
    solve leaves them out)."""

    instance: Instance
    calendar: TermCalendar
    options: OptionSet
    params: SolverParams
    request: SolveRequest
    settings: LnsSettings
    on_progress: ProgressCallback | None
    started: float
    unplaceable: tuple[str, ...] = ()

    @classmethod
    def start(cls, instance: Instance, params: SolverParams, request: SolveRequest,
              settings: LnsSettings,
              on_progress: ProgressCallback | None = None) -> SolveContext:
        """Start the clock and build the meeting options of ``instance`` (each course
        considers all its fitting rooms unless the instance is large: see
        :func:`~scheduler.model.options.room_limit`), with the request's pins placed on them
        (:mod:`scheduler.model.pins`)."""
        started = time.perf_counter()
        calendar = TermCalendar(instance)
        if request.pins:
            options = pinned_options(instance, calendar, request.pins)
        else:
            options = build_options(instance, calendar, room_limit(instance))
        return cls(instance, calendar, options, params, request, settings, on_progress,
                   started, courses_without_options(instance, options))

    def elapsed(self) -> float:
        """Seconds since the solve started."""
        return time.perf_counter() - self.started

    @property
    def limit(self) -> float:
        """The time limit, or the settings' horizon when there is none."""
        if self.params.time_limit is None:
            return self.settings.horizon
        return self.params.time_limit

    def deadline(self, share: float = 1.0) -> float:
        """The ``time.perf_counter()`` value when ``share`` of the time limit has passed."""
        return self.started + share * self.limit

    def remaining(self) -> float | None:
        """Seconds left until the time limit runs out (never negative); ``None`` without a
        time limit."""
        if self.params.time_limit is None:
            return None
        return max(0.0, self.deadline() - time.perf_counter())

    def params_left(self) -> SolverParams:
        """The CP-SAT parameters with the time limit cut to what is left of it: every search
        of a solve takes its time from the one clock started in :meth:`start`."""
        return replace(self.params, time_limit=self.remaining())


def courses_without_options(instance: Instance, options: OptionSet) -> tuple[str, ...]:
    """In words, each course that has no possible meeting at all, with the reasons."""
    lines = []
    for course in instance.courses:
        if options.by_course.get(course.id):
            continue
        reasons = options.rejections.get(course.id) or Counter()
        why = "; ".join(f"{reason} ({count}x)" for reason, count in reasons.most_common()) \
            if reasons else "no teaching day or block fits"
        lines.append(f"course {course.id} ({course.name}) has no possible meeting: {why}")
    return tuple(lines)

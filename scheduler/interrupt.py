"""Stopping a job on request (Ctrl-C, SIGTERM) and keeping what it has found.

A :class:`StopToken` is the request. Every CP-SAT search (:func:`scheduler.cpsat.run_cpsat`)
watches the active token: a search that is running stops within a fraction of a second, one
that has not started does not start, and the solving steps between searches end early. The job
then returns the best result found so far, marked interrupted.

:func:`stop_on_signals` makes SIGINT (Ctrl-C) and SIGTERM request the stop for the duration of
a job; the command line wraps its solving commands in it. The handler only sets a flag (the
searches poll it), so it cannot deadlock with whatever the interrupted thread was doing. Without
it, nothing requests a stop and Ctrl-C is Python's ``KeyboardInterrupt``: a CP-SAT search that
is running turns it into a stop (:func:`~scheduler.cpsat.run_cpsat`: the search keeps its best
solution and the job goes on, its result marked interrupted), but one that arrives between two
searches ends the job as any ``KeyboardInterrupt`` does, losing what it had found. A program
that calls the library and wants every Ctrl-C to keep the best timetable wraps the call in
:func:`stop_on_signals` (from the main thread) or requests the stop with :func:`watching`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

from scheduler.errors import SchedulerError


class StopToken:
    """A request to stop, shared by every search of one job (and by its threads).

    Requesting only stores a flag: it is safe from a signal handler.
    """

    def __init__(self) -> None:
        self._requested = False
        self.reason: str | None = None

    @property
    def requested(self) -> bool:
        """True once a stop has been requested."""
        return self._requested

    def request(self, reason: str = "stop requested") -> None:
        """Ask every search of the job to stop (the first reason given is kept)."""
        if not self._requested:
            self.reason = reason
            self._requested = True


class Interrupted(SchedulerError):
    """The user stopped a job before it had a result worth keeping; nothing was written."""


_active = StopToken()  # never requested: jobs run outside stop_on_signals are not stopped


def active() -> StopToken:
    """The token that the running job's searches watch."""
    return _active


def stop_requested() -> bool:
    """True when the running job has been asked to stop."""
    return _active.requested


@contextlib.contextmanager
def watching(token: StopToken) -> Iterator[StopToken]:
    """Make ``token`` the active token for the block (the previous one is restored after)."""
    global _active
    previous, _active = _active, token
    try:
        yield token
    finally:
        _active = previous


_committing = False


def commit_started() -> None:
    """Called by :mod:`scheduler.atomic` as it starts putting finished output in place:
    from then on a stop comes too late to keep the output from being written, and the
    command line lets the job end as it would (:func:`output_committing`)."""
    global _committing
    _committing = True


def output_committing() -> bool:
    """True once this process has started putting finished output in place."""
    return _committing


SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None))
                if s is not None)
"""The signals that request a stop: Ctrl-C and the polite termination request."""


@contextlib.contextmanager
def stop_on_signals(on_first: Callable[[int], None] | None = None,
                    on_repeat: Callable[[int], None] | None = None) -> Iterator[StopToken]:
    """For the block, a new active token requested by the first SIGINT or SIGTERM.

    ``on_first(signum)`` is called after the first signal has requested the stop (e.g. to
    say so); a later signal calls ``on_repeat(signum)`` (default: raise ``KeyboardInterrupt``,
    as Python does). Both run in a signal handler: they must not take locks that the
    interrupted code may hold. The previous handlers are restored after the block. Outside
    the main thread, where Python cannot set handlers, only the token is installed.
    """
    token = StopToken()

    def handler(signum: int, frame: object) -> None:
        if not token.requested:
            token.request(signal.Signals(signum).name)
            if on_first is not None:
                on_first(signum)
        elif on_repeat is not None:
            on_repeat(signum)
        else:
            raise KeyboardInterrupt

    previous: dict[int, object] = {}
    with watching(token):
        if threading.current_thread() is threading.main_thread():
            for number in SIGNALS:
                previous[number] = signal.signal(number, handler)
        try:
            yield token
        finally:
            for number, old in previous.items():
                signal.signal(number, old)  # type: ignore[arg-type]

"""How the engine stops on request: the one place that watches for Ctrl-C and SIGTERM.

A search runs under its own stop token (:func:`scope`), linked to the job's token
(:mod:`scheduler.interrupt`): a stop requested for the job (SIGINT or SIGTERM under
:func:`~scheduler.interrupt.stop_on_signals`) stops it, and so does a ``KeyboardInterrupt``
reaching the main thread while it waits for the search threads (:func:`wait_for`; Python
delivers it there only). Either way every CP-SAT sub-search running in a thread stops within
a fraction of a second (they watch the active token), the threads end, and the best state
found is kept.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from scheduler.interrupt import StopToken, active, watching

T = TypeVar("T")


class _Linked(StopToken):
    """A token requested on its own or when the token it was created under is."""

    def __init__(self, outer: StopToken) -> None:
        super().__init__()
        self.outer = outer

    @property
    def requested(self) -> bool:
        return self._requested or self.outer.requested


@contextlib.contextmanager
def scope() -> Iterator[StopToken]:
    """For the block, a token that the searches watch, requested by the job's own stop
    requests too."""
    with watching(_Linked(active())) as token:
        yield token


def wait_for(done: Sequence[threading.Event], token: StopToken, poll: float = 0.1,
             threads: Sequence[threading.Thread] = ()) -> bool:
    """Wait until every event of ``done`` is set (or, for the events paired with
    ``threads``, its thread has ended); a ``KeyboardInterrupt`` requests a stop of ``token``
    (the threads watch it) and the wait goes on. Returns whether a stop was requested.

    Waiting on events rather than ``Thread.join``: a ``KeyboardInterrupt`` landing inside
    ``join()`` can mark a running thread as finished. A thread that has ended counts as
    done even if its event was never set: a ``KeyboardInterrupt`` landing inside the main
    thread's ``Event.wait`` was seen (once, in CI) to leave a wait that never ended.
    """
    alive = list(threads) + [None] * (len(done) - len(threads))

    def finished(event: threading.Event, thread: threading.Thread | None) -> bool:
        return event.is_set() or (thread is not None and not thread.is_alive())

    while not all(finished(event, thread) for event, thread in zip(done, alive, strict=True)):
        try:
            for event in done:
                event.wait(poll)
        except KeyboardInterrupt:
            token.request("KeyboardInterrupt")
    return token.requested


def guarded(token: StopToken, call: Callable[..., T], *args: Any) -> tuple[T | None, bool]:
    """``call(*args)`` and whether a stop was requested; ``None`` when ``call`` was
    interrupted (a ``KeyboardInterrupt`` requests a stop of ``token``)."""
    try:
        result = call(*args)
    except KeyboardInterrupt:
        token.request("KeyboardInterrupt")
        return None, True
    return result, token.requested

"""How the engine reacts to an interrupt (Ctrl-C): the one place that catches it.

The search threads never see a ``KeyboardInterrupt`` (Python delivers it to the main thread);
the main thread waits for them here and, when interrupted, asks them to stop. They finish the
sub-problem they are solving and the best state found is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def wait_for(done: Sequence[threading.Event], stop: Callable[[], None],
             poll: float = 0.25) -> bool:
    """Wait until every event of ``done`` is set; on an interrupt call ``stop`` and keep
    waiting. Returns whether an interrupt came.

    Waiting on events rather than ``Thread.join``: a ``KeyboardInterrupt`` landing inside
    ``join()`` can mark a running thread as finished.
    """
    interrupted = False
    while not all(event.is_set() for event in done):
        try:
            for event in done:
                event.wait(poll)
        except KeyboardInterrupt:
            interrupted = True
            stop()
    return interrupted


def guarded(call: Callable[..., T], *args: Any) -> tuple[T | None, bool]:
    """``call(*args)`` and ``False``, or ``None`` and ``True`` when it was interrupted."""
    try:
        return call(*args), False
    except KeyboardInterrupt:
        return None, True

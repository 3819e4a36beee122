"""Real Ctrl-C in the test process, at a chosen moment of a solve.

:func:`ctrl_c_when_searching` installs the command line's stop handler
(:func:`scheduler.interrupt.stop_on_signals`) and sends this process a real SIGINT just as a
module's next CP-SAT search starts; the search itself runs as usual.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import ModuleType

import pytest

from scheduler.interrupt import StopToken, stop_on_signals


@contextlib.contextmanager
def ctrl_c_when_searching(monkeypatch: pytest.MonkeyPatch,
                          module: ModuleType) -> Iterator[StopToken]:
    """SIGINT as ``module``'s first search starts (its ``run_cpsat`` is watched, not
    replaced); yields the stop token the signal requests."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be set in the main thread")
    real = module.run_cpsat
    sent: list[int] = []

    def watched(*args, **kwargs):
        if not sent:
            sent.append(signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "run_cpsat", watched)
    with stop_on_signals() as token:
        yield token
    assert sent, f"no search of {module.__name__} started"

"""A Dask preload for the workers of a local study cluster: Ctrl-C is the study's.

Ctrl-C in a terminal reaches every process of its group, the study's worker processes too;
each would end with a ``KeyboardInterrupt`` traceback while the study itself stops in order
(it cancels what is left and closes its cluster). The workers ignore SIGINT instead.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Any


def dask_setup(worker: Any) -> None:
    """Called by Dask in each worker process as it starts."""
    # outside the process's main thread Python cannot set handlers (ValueError)
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)

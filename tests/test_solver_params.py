"""SolverParams refuses what the command line refuses, instead of a search that silently does
something else (a negative time limit ended at once with UNKNOWN, ``workers=-1`` ran on every
core, an unknown CP-SAT parameter raised an AttributeError from inside OR-Tools)."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler import SolverParams


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"time_limit": -1}, "time_limit must be at least 0"),
    ({"time_limit": float("nan")}, "time_limit must be at least 0"),
    ({"workers": -1}, "workers must be a whole number"),
    ({"workers": 1.5}, "workers must be a whole number"),
    ({"workers": True}, "workers must be a whole number"),
    ({"extra": {"no_such_parameter": 1}}, "CP-SAT has no parameter 'no_such_parameter'"),
])
def test_values_the_command_line_refuses_are_refused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        SolverParams(**kwargs)


def test_valid_values_are_kept():
    params = SolverParams(time_limit=0, workers=np.int64(2), seed=-3,
                          extra={"stop_after_first_solution": True})
    assert params.time_limit == 0 and params.resolved_workers() == 2 and params.seed == -3
    assert SolverParams().time_limit is None and SolverParams().workers == 0


@pytest.mark.parametrize("settings", ["SolveSettings", "ScenarioParams"])
def test_a_jobs_settings_refuse_the_same_values_at_once(settings):
    """``ScenarioParams(time_limit=-1)`` was built, and run_scenario failed only later."""
    import scheduler

    kind = getattr(scheduler, settings)
    for kwargs in ({"time_limit": -1}, {"workers": -3}, {"explain_time": float("nan")}):
        with pytest.raises(ValueError):
            kind(**kwargs)
    assert kind(time_limit=5, workers=1).time_limit == 5

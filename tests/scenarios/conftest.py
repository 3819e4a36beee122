"""Fixtures for scenario runs: a baseline timetable of the default instance, solved once."""

from __future__ import annotations

import pytest

from scheduler.cpsat import SolverParams
from scheduler.model.params import SolveRequest
from scheduler.model.solve import solve_timetable
from scheduler.scenarios.run import ScenarioParams

QUICK = ScenarioParams(time_limit=5, workers=2, seed=0, explain_time=5)
"""Short solves: the default instance finds a first timetable in well under a second."""


@pytest.fixture(scope="session")
def fall_baseline(fall_instance):
    """A verified-quality timetable of the default instance (5 s of search, one weighted sum:
    the objective a re-solve against a baseline minimises, so that a change that needs no
    move finds none worth making)."""
    result = solve_timetable(fall_instance, SolverParams(time_limit=5, workers=2, seed=0),
                             request=SolveRequest(flat=True))
    assert result.timetable is not None
    return result.timetable


@pytest.fixture(scope="session")
def dask_scheduler():
    """The address of a local Dask cluster of two workers, set up as a study sets up its own,
    shared by the study tests (starting one takes seconds)."""
    from scheduler.scenarios.study_cluster import local_cluster

    cluster = local_cluster(2)
    yield cluster.scheduler_address
    cluster.close()

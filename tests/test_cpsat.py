"""The CP-SAT runner's shared pieces: statuses and infeasibility cores under assumptions."""

from __future__ import annotations

import json
import weakref

from ortools.sat.python import cp_model

import scheduler.cpsat as cpsat_module
from scheduler.cpsat import (
    SolverParams,
    SolveStatus,
    assumption_core,
    release_memory,
    run_cpsat,
)

ONE = SolverParams(time_limit=10, workers=1, seed=0)


def test_a_status_is_written_and_compared_as_its_name():
    assert json.dumps({"status": SolveStatus.INFEASIBLE}) == '{"status": "INFEASIBLE"}'
    assert SolveStatus.OPTIMAL == "OPTIMAL" and f"{SolveStatus.UNKNOWN}" == "UNKNOWN"
    assert [s.has_solution for s in SolveStatus] == [True, True, False, False, False]


def test_run_cpsat_reports_the_status_as_a_solve_status():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.maximize(x)
    _, stats = run_cpsat(model, ONE)
    assert stats.status is SolveStatus.OPTIMAL and stats.objective == 3


def test_the_core_names_only_assumptions_that_conflict():
    # a and b cannot both hold (x + y <= 1); c is unrelated
    model = cp_model.CpModel()
    x, y, z = (model.new_bool_var(n) for n in "xyz")
    model.add(x + y <= 1)
    status, core = assumption_core(model, {"a": x, "b": y, "c": z}, ONE)
    assert status == SolveStatus.INFEASIBLE and core == {"a", "b"}
    # earlier assumptions are replaced, not added to
    status, core = assumption_core(model, {"a": x, "c": z}, ONE)
    assert status.has_solution and core == set()


def test_release_memory_frees_a_dropped_model_at_once():
    """A model dropped after its search survives reference counting when ortools keeps it in
    a reference cycle; ``release_memory`` frees it (and its C++ proto) at once."""
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.maximize(x)
    run_cpsat(model, ONE)
    dropped = weakref.ref(model)
    del model, x
    release_memory()
    assert dropped() is None


def test_every_search_gives_its_freed_memory_back(monkeypatch):
    """Each CP-SAT search runs in threads that glibc serves from heaps of their own; the
    heaps are trimmed once the search has ended (8x term: 770 MB resident during the
    large-neighbourhood search without this, 456 MB with it)."""
    trims, searching = [], []
    real_search = cpsat_module._search

    def search(*args, **kwargs):
        searching.append(True)
        outcome = real_search(*args, **kwargs)
        searching.append(False)
        return outcome

    monkeypatch.setattr(cpsat_module, "_search", search)
    monkeypatch.setattr(cpsat_module, "trim_heaps", lambda: trims.append(searching[-1]))
    model = cp_model.CpModel()
    model.maximize(model.new_int_var(0, 3, "x"))
    _, stats = run_cpsat(model, ONE)
    assert stats.status is SolveStatus.OPTIMAL
    assert trims == [False]  # once, after the search

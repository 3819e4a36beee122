"""A running CP-SAT search stops on a real SIGINT, with the stop handler installed (the
command line's way) and without it (Python's KeyboardInterrupt), and keeps its best solution;
the search thread has always ended when run_cpsat returns."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from scheduler.calendar import TermCalendar
from scheduler.cpsat import SolverParams, SolveStatus, run_cpsat
from scheduler.interrupt import StopToken, stop_on_signals, stop_requested, watching
from scheduler.model.builder import TimetableModel
from scheduler.model.objective import ObjectiveBuilder
from scheduler.model.options import build_options

LONG = SolverParams(time_limit=60, workers=2, seed=0)

pytestmark = pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                                reason="signal handlers can only be set in the main thread")


@pytest.fixture(scope="module")
def long_model(fall_instance):
    """The default instance's whole model with its objective: 60 s do not prove it optimal."""
    calendar = TermCalendar(fall_instance)
    tm = TimetableModel(fall_instance, calendar, build_options(fall_instance, calendar))
    ObjectiveBuilder(tm).build()
    return tm.model


def sigint_after_first_solution(solutions: list[float]) -> threading.Thread:
    """A thread that sends this process SIGINT once a solution has been reported."""
    def send() -> None:
        deadline = time.monotonic() + 60
        while not solutions and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    return sender


def search_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "cpsat-search"]


@pytest.mark.parametrize("handler", ["stop handler", "KeyboardInterrupt"])
def test_sigint_stops_a_long_search_and_keeps_its_solution(long_model, handler):
    solutions: list[float] = []
    began = time.monotonic()
    if handler == "stop handler":
        with stop_on_signals() as token:
            sender = sigint_after_first_solution(solutions)
            solver, stats = run_cpsat(long_model, LONG,
                                      on_solution=lambda s: solutions.append(s.objective_value))
        assert token.requested and token.reason == "SIGINT"
    else:
        sender = sigint_after_first_solution(solutions)
        solver, stats = run_cpsat(long_model, LONG,
                                  on_solution=lambda s: solutions.append(s.objective_value))
    sender.join()
    assert time.monotonic() - began < 45  # stopped, not run to its 60 s
    assert stats.interrupted and stats.status == SolveStatus.FEASIBLE
    assert stats.objective == solver.objective_value <= solutions[0]
    assert search_threads() == []


def test_a_search_started_after_the_stop_request_ends_at_once(long_model):
    token = StopToken()
    token.request()
    with watching(token):
        assert stop_requested()
        began = time.monotonic()
        solver, stats = run_cpsat(long_model, LONG)
    assert time.monotonic() - began < 10
    assert stats.interrupted and stats.status == SolveStatus.UNKNOWN
    assert solver.response_proto.status is not None  # a real (stopped) solve: readable
    assert search_threads() == []


def test_an_evaluation_that_is_not_stoppable_runs_to_its_end():
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = model.new_int_var(0, 5, "x")
    model.maximize(x)
    token = StopToken()
    token.request()
    with watching(token):
        _, stats = run_cpsat(model, LONG, stoppable=False)
    assert stats.status == SolveStatus.OPTIMAL and not stats.interrupted


def test_the_previous_handlers_come_back_after_the_job():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with stop_on_signals() as token:
        assert signal.getsignal(signal.SIGINT) not in before
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        assert token.requested and token.reason == "SIGTERM"
        with pytest.raises(KeyboardInterrupt):  # a second signal, no on_repeat: Python's way
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    assert not stop_requested()


@pytest.mark.parametrize("when", ["as the optimisation searches", "between two searches"])
def test_a_stop_after_the_first_timetable_marks_the_result_interrupted(fall_instance,
                                                                       monkeypatch, when):
    """A stop requested once the first timetable was found, as the optimisation began or
    before its first search, left ``stats.interrupted`` false in the library's result (only
    the command line marked it), and the reason said that no time was left."""
    import scheduler.model.solve as solve_module

    token = StopToken()
    if when == "between two searches":
        tiers = solve_module.solve_tiers

        def stopped_first(*args, **kwargs):
            token.request()
            return tiers(*args, **kwargs)
        monkeypatch.setattr(solve_module, "solve_tiers", stopped_first)

    def progress(p):
        if p.phase != "feasible":  # a tier's search (the first timetable's is "feasible")
            token.request()
    began = time.monotonic()
    with watching(token):
        result = solve_module.solve_timetable(fall_instance, LONG, on_progress=progress)
    assert time.monotonic() - began < 30  # stopped, not run to its 60 s
    assert result.timetable is not None and result.stats.interrupted
    assert result.not_optimised.startswith("interrupted before the optimisation"), \
        result.not_optimised

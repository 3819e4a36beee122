"""The engine on a toy model without CP-SAT: acceptance, merging, restarts, limits, Ctrl-C."""

from __future__ import annotations

import _thread
import itertools
import random
import threading
import time

from scheduler.cpsat import SolverParams
from scheduler.interrupt import StopToken, stop_requested, watching
from scheduler.search import Adapter, SearchSettings, SubResult, search

ONE = SolverParams(workers=1, seed=3)
TWO = SolverParams(workers=2, seed=3, extra={"symmetry_level": 0})
SMALL = SearchSettings(initial_size=3, min_size=1, max_size=10)


class Toy(Adapter[tuple[int, ...], frozenset[int]]):
    """A state is a row of numbers; its cost their sum. A sub-problem lowers each released
    number by one, not below ``floor``; it is 'solved to optimality' when all reach it."""

    def __init__(self, floor: int = 0, merges: bool = True, pause: float = 0.0,
                 fresh: tuple[int, ...] | None = None) -> None:
        self.floor, self.merges, self.pause, self.fresh = floor, merges, pause, fresh
        self.params: list[SolverParams] = []
        self.restarts: list[int] = []
        self.lock = threading.Lock()

    def operators(self):
        return {"any": self._any, "left": self._left}

    def _any(self, state, rng: random.Random, size: int):
        picked = rng.sample(range(len(state)), min(size, len(state)))
        return frozenset(i for i in picked if state[i] > self.floor) or None

    def _left(self, state, rng: random.Random, size: int):
        return frozenset(i for i in range(min(size, len(state))) if state[i] > self.floor) \
            or None

    def cost(self, state):
        return sum(state)

    def solve(self, state, cost, release, params, report):
        with self.lock:
            self.params.append(params)
        time.sleep(self.pause)
        new = tuple(max(self.floor, v - 1) if i in release else v for i, v in enumerate(state))
        report(self.cost(new))
        return SubResult(new, self.cost(new), all(new[i] == self.floor for i in release),
                         work=0.125, size=(len(release), 1))

    def merge(self, current, base, new, release):
        if not self.merges or any(current[i] != base[i] for i in release):
            return None
        return tuple(new[i] if i in release else v for i, v in enumerate(current))

    def restart(self, attempt, best, best_cost):
        self.restarts.append(attempt)
        return self.fresh


def test_search_reaches_the_optimum_and_never_gets_worse():
    events = []
    out = search(Toy(), (4,) * 12, ONE, SMALL, lower_bound=0, on_progress=events.append)
    assert out.cost == 0 == sum(out.state) and not out.interrupted
    costs = [c for _, c in out.history]
    assert costs == sorted(costs, reverse=True) and len(set(costs)) == len(costs)
    assert out.improvements == len(costs) and out.iterations >= len(costs)
    assert out.model_size is not None and out.model_size[1] == 1
    shown = [e.objective for e in events]
    assert shown[-1] == 0 and all(a >= b for a, b in itertools.pairwise(shown))
    assert set(out.operators) == {"any", "left"}
    assert sum(s.tries for s in out.operators.values()) == out.iterations


def test_sub_problems_get_one_worker_full_lp_and_the_callers_parameters():
    toy = Toy()
    search(toy, (2,) * 5, TWO, SearchSettings(sub_deterministic_limit=0.5, threads=1,
                                              initial_size=2, min_size=1), lower_bound=0)
    first = toy.params[0]
    assert first.workers == 1
    assert first.extra == {"linearization_level": 2, "symmetry_level": 0,
                           "max_deterministic_time": 0.5}


def test_one_thread_is_reproducible():
    runs = [search(Toy(), (3,) * 15, ONE, SearchSettings(initial_size=2, min_size=1,
                                                         max_iterations=12))
            for _ in range(2)]
    assert runs[0].state == runs[1].state
    assert [c for _, c in runs[0].history] == [c for _, c in runs[1].history]
    assert runs[0].iterations == runs[1].iterations == 12


def test_results_on_an_outdated_state_are_merged():
    out = search(Toy(pause=0.002), (6,) * 30, TWO, SMALL, lower_bound=0)
    assert out.cost == 0 == sum(out.state)
    assert out.merged > 0


def test_results_that_cannot_be_merged_are_discarded():
    out = search(Toy(merges=False, pause=0.002), (6,) * 30, TWO, SMALL, lower_bound=0)
    assert out.cost == 0 == sum(out.state)
    assert out.merged == 0 and out.discarded > 0


def test_limits_end_the_search():
    out = search(Toy(), (9,) * 40, ONE, SearchSettings(initial_size=1, min_size=1,
                                                       work_limit=1.0))
    assert out.iterations == 8 and out.work == 1.0
    out = search(Toy(), (9,) * 40, ONE, SMALL, deadline=time.perf_counter())
    assert out.iterations == 0 and out.state == (9,) * 40


def test_stagnation_ends_the_search_or_restarts_it():
    settings = SearchSettings(initial_size=3, min_size=1, patience=0.05)
    toy = Toy(floor=1, fresh=(4,) * 20)
    out = search(toy, (3,) * 20, ONE, settings, lower_bound=0)
    assert out.cost == 20 and out.restarts == 0 and toy.restarts == []
    restarting = SearchSettings(initial_size=3, min_size=1, patience=0.05, restarts=True,
                                min_restart_seconds=0.1)
    out = search(toy, (3,) * 20, ONE, restarting, lower_bound=0,
                 deadline=time.perf_counter() + 1.0, phase="first", restart_phase="again")
    # every start stagnates at 20 until less than min_restart_seconds are left
    assert toy.restarts[:2] == [1, 2] and out.restarts == len(toy.restarts)
    assert out.cost == 20 == sum(out.state)


def test_tuple_costs_compare_lexicographically():
    class Tiers(Toy):
        def cost(self, state):  # first tier: the largest number; second: the sum
            return (max(state), sum(state))

        def solve(self, state, cost, release, params, report):
            new = tuple(0 if i in release and v == max(state) else v + (i in release)
                        for i, v in enumerate(state))
            return SubResult(new, self.cost(new), True)

    out = search(Tiers(), (5, 1, 1, 1), ONE, SearchSettings(initial_size=4, min_size=1,
                                                            max_size=4), lower_bound=(0, 0))
    assert out.cost[0] < 5 and out.cost == (max(out.state), sum(out.state))
    toy = Toy()
    assert toy.gain((3, 10), (2, 50)) == 1 and toy.gain((3, 10), (3, 4)) == 6
    assert toy.gain(7, 4) == 3 and toy.gain((1, 1), (1, 1)) == 0
    assert toy.scalar((2, 5)) == 7


def test_ctrl_c_stops_the_threads_and_keeps_the_best():
    toy = Toy(floor=1, pause=0.01)
    threading.Timer(0.3, _thread.interrupt_main).start()
    started = time.perf_counter()
    out = search(toy, (5,) * 30, TWO, SMALL)  # no deadline: only Ctrl-C ends it
    assert out.interrupted and time.perf_counter() - started < 5
    assert out.cost == sum(out.state) < 150


def test_a_stop_request_of_the_job_stops_the_search():
    token = StopToken()
    threading.Timer(0.3, token.request).start()
    with watching(token):
        out = search(Toy(floor=1, pause=0.01), (5,) * 30, TWO, SMALL)
        assert not stop_requested() or token.requested
    assert out.interrupted and out.cost == sum(out.state) < 150


def test_ctrl_c_during_a_restart_keeps_the_best():
    class Stopped(Toy):
        def restart(self, attempt, best, best_cost):
            raise KeyboardInterrupt

    out = search(Stopped(floor=1), (3,) * 10, ONE,
                 SearchSettings(initial_size=3, min_size=1, patience=0.05, restarts=True))
    assert out.interrupted and out.cost == 10


def test_a_thread_that_ended_without_its_event_does_not_hold_the_wait():
    from scheduler.search.interrupt import wait_for

    never_set, set_one = threading.Event(), threading.Event()
    ended = threading.Thread(target=lambda: None)
    ended.start()
    ended.join()
    setter = threading.Thread(target=set_one.set)
    setter.start()
    started = time.perf_counter()
    assert wait_for([never_set, set_one], StopToken(), poll=0.01,
                    threads=[ended, setter]) is False
    assert time.perf_counter() - started < 2 and not never_set.is_set()

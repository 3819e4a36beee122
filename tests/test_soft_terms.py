"""Each soft term counted on a hand-made timetable, by the verifier and by the CP-SAT model.

Every case starts from the valid timetable of the tiny instance (tests/tiny.py), changes the
timetable or the instance so that one soft term has a count worked out by hand, turns every
other weight off, and checks two independent readings against that number: the verifier's
recomputation (:mod:`scheduler.verify.soft`) and the model's objective with every decision
fixed to the timetable (:func:`scheduler.model.lns.evaluate`), in both the compact
formulations used to find timetables and the tight ones used for lower bounds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest

from scheduler.calendar import TermCalendar
from scheduler.instance import Instance, Interpreter, Preference, Room, WeekRange
from scheduler.model.lns import Choice, evaluate
from scheduler.model.options import OptionSet, build_options
from scheduler.timetable import Timetable
from scheduler.verify import verify_timetable
from scheduler.verify.soft import SOFT_TERMS, soft_costs
from tests.tiny import RU_ZH, edited, m, tiny_instance, valid_timetable, with_course


def only(instance: Instance, term: str, **settings: int) -> Instance:
    """The instance with every soft weight but ``term``'s set to zero."""
    off = {name: 0 for name in SOFT_TERMS if name != term}
    return replace(instance, weights=replace(instance.weights, **off, **settings))


def chosen_from(options: OptionSet, timetable: Timetable) -> dict[int, Choice]:
    """The options (with room and interpreter) whose meetings make up ``timetable``."""
    meetings = {(x.course_id, x.date, x.first_period, x.last_period): (x.room_id,
                                                                        x.interpreter_id)
                for x in timetable.meetings}
    chosen: dict[int, Choice] = {}
    covered = set()
    for option in options.options:
        keys = [(option.course.id, d.date, option.block.first_period, option.block.last_period)
                for d in option.days]
        if not all(k in meetings for k in keys):
            continue
        (room, who), = {meetings[k] for k in keys}
        chosen[option.index] = (room, who)
        covered.update(keys)
    assert covered == set(meetings), "the timetable is not made of options"
    return chosen


def model_count(instance: Instance, timetable: Timetable, term: str,
                tight: bool = False) -> int:
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    _, counts = evaluate(instance, calendar, options, chosen_from(options, timetable),
                         tight=tight)
    return counts.get(term, 0)


def move_intensive(day_from: int, day_to: int, first: int = 3, room: str = "R1",
                   interpreter: str = "I1") -> Timetable:
    return edited(remove=(m(day_from, 3, "I1", "R1", "I1"),),
                  add=(m(day_to, first, "I1", room, interpreter),))


def extra_room(instance: Instance) -> Instance:
    return replace(instance, rooms=(*instance.rooms, Room("R3", "A", 40, "lecture")))


def extra_interpreter(instance: Instance) -> Instance:
    return replace(instance, interpreters=(
        *instance.interpreters, Interpreter("I3", "Sokolova", (RU_ZH,), (0, 1, 2, 3, 4), 4)))


def with_period(instance: Instance, number: int, **changes) -> Instance:
    return replace(instance, periods=tuple(replace(p, **changes) if p.number == number else p
                                           for p in instance.periods))


def two_regular_weeks(instance: Instance) -> Instance:
    """No holiday, no make-up day; W3 taught in week 1 only (T1: 8 periods, then 6)."""
    plain = replace(instance, holidays=(), adjusted_workdays=())
    return with_course(plain, "W3", weeks=WeekRange(1, 1), contact_periods=2)


# term -> (instance change, timetable, extra weight settings, count worked out by hand)
CASES = {
    # Mon 14: C1-B has W1 1-2 and I1 5-6 (3-4 idle); Tue 15: C2 has W3 1-2 and I1 5-6.
    "cohort_idle_period": (lambda i: i, valid_timetable, {}, 4),
    # one meeting alone: Mon 7 C1-B; Tue 8 C2 and C1-B; Thu 10 both halves of C1;
    # Mon 14 C2; Tue 15 C1-A; Wed 16 three leaves; Thu 17 both halves of C1.
    "cohort_single_meeting_day": (lambda i: i, valid_timetable, {}, 12),
    # period 4 is lunch: taught to C1-A Mon 7 and 14, C1-B Tue 8 and 15, all three Wed 16.
    "lunch_break_missed": (lambda i: with_period(i, 4, lunch=True), valid_timetable, {}, 7),
    # a daily cap of 4: C1-A has 6 periods on Mon 14.
    "cohort_overload_period": (lambda i: i, valid_timetable, {"cohort_daily_cap": 4}, 2),
    # Tue 15: C2 goes from R2 (building B) to R1 (building A).
    "cohort_building_change": (lambda i: i, valid_timetable, {}, 1),
    # period 6 is an evening period: I1 on 14 and 15 at 5-6.
    "evening_period": (lambda i: with_period(i, 6, session="evening"), valid_timetable, {}, 2),
    # W3 on Fridays: week 1's Friday is taught on the make-up Sunday 13.
    "adjusted_day_meeting": (
        lambda i: i,
        lambda: edited(remove=(m(8, 1, "W3", "R2"), m(15, 1, "W3", "R2")),
                       add=(m(13, 1, "W3", "R2"), m(18, 1, "W3", "R2"))), {}, 1),
    # T1 avoids Monday 1-2: W1 on Mon 7 and 14, two periods each.
    "teacher_avoided_period": (
        lambda i: replace(i, preferences=(Preference("T1", "avoid", 0, 1, 2),)),
        valid_timetable, {}, 4),
    # T2 prefers periods 1-2 but teaches W4 at 3-4 on Tue 8 and 15.
    "teacher_unpreferred_period": (
        lambda i: replace(i, preferences=(Preference("T2", "prefer", None, 1, 2),)),
        valid_timetable, {}, 4),
    # R1 seats 50 for W1's 18 (+9 slack): 2 units x 4; L1 (30) for W2's 10 (+5) and W4's
    # 8 (+4): 1 unit x 2 each; R2 for W3 and R1 for I1's 28 (+14) waste less than 10 seats.
    "seat_waste": (lambda i: i, valid_timetable, {}, 12),
    # W1 meets twice on Mondays (1-2 and 5-6); I1 moves from Mon 14 to Thu 17.
    "course_same_day": (
        lambda i: i,
        lambda: edited(remove=(m(10, 1, "W1", "R1"), m(17, 1, "W1", "R1"),
                               m(14, 5, "I1", "R1", "I1")),
                       add=(m(7, 5, "W1", "R1"), m(14, 5, "W1", "R1"),
                            m(17, 3, "I1", "R1", "I1"))), {}, 1),
    # W1 meets on Monday and Thursday, closer than a minimum gap of 4 days.
    "course_day_gap": (lambda i: i, valid_timetable, {"min_day_gap": 4}, 1),
    # I1 taught on 14, 15 and 16: three consecutive days, more than 2.
    "intensive_long_run": (lambda i: i, valid_timetable, {"max_consecutive_days": 2}, 1),
    # I1's last meeting moves from R1 to R3.
    "intensive_room_change": (extra_room, lambda: move_intensive(16, 16, room="R3"), {}, 1),
    # I1's last meeting is interpreted by I3 instead of I1.
    "interpreter_change": (extra_interpreter,
                           lambda: move_intensive(16, 16, interpreter="I3"), {}, 1),
    # V1 teaches on 14, 15, 16.
    "visitor_teaching_day": (lambda i: i, valid_timetable, {}, 3),
    # V1 teaches on 14, 15 and 17: Wednesday 16 is idle in between.
    "visitor_idle_day": (lambda i: i, lambda: move_intensive(16, 17), {}, 1),
    # two regular weeks; T1 teaches 8 periods in week 1 and 6 in week 2.
    "teacher_week_imbalance": (
        two_regular_weeks, lambda: edited(remove=(m(15, 1, "W3", "R2"),)), {}, 2),
}


def test_every_soft_term_has_a_case():
    assert set(CASES) == set(SOFT_TERMS)


@pytest.mark.parametrize("tight", [False, True], ids=["compact", "tight"])
@pytest.mark.parametrize("term", list(CASES))
def test_soft_term_counted_alike_by_verifier_and_model(term, tight):
    change, timetable, settings, expected = CASES[term]
    instance = only(change(tiny_instance()), term, **settings)
    schedule = timetable()
    verification = verify_timetable(instance, schedule)
    assert verification.ok, verification.violations
    counts, weighted = soft_costs(instance, schedule)
    assert set(counts) == {term}
    assert counts[term] == expected
    assert weighted[term] == expected * getattr(instance.weights, term)
    assert model_count(instance, schedule, term, tight) == expected


@pytest.mark.parametrize("term", ["cohort_idle_period", "visitor_idle_day",
                                  "cohort_building_change"])
def test_a_zero_weight_turns_the_term_off(term):
    change, timetable, settings, _ = CASES[term]
    instance = only(change(tiny_instance()), term, **settings)
    instance = replace(instance, weights=replace(instance.weights, **{term: 0}))
    counts, _ = soft_costs(instance, timetable())
    assert counts == {}
    assert dataclasses.asdict(instance.weights)[term] == 0
    assert model_count(instance, timetable(), term) == 0

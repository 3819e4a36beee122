"""Online teaching from Vladivostok: the tiny instance with I1 allowed online meetings.

V1 must teach I1 (6 periods, at most 4 a day) but the window 09-15..09-17 leaves one
teaching day (09-16: 4 periods on site). With ``max_online_share`` 34 (2 of 6 periods) the
last meeting is taught online from home, on a day outside the window, in R1 (the only room
with a video link); the interpreter is still in the room.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from scheduler.cpsat import SolverParams, SolveStatus
from scheduler.instance import Period, TravelWindow
from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance_csv
from scheduler.model.solve import solve_timetable
from scheduler.timetable import Meeting, Timetable
from scheduler.timetable_io import read_timetable, write_timetable_csv
from scheduler.verify import verify_timetable
from scheduler.verify.soft import SOFT_TERMS
from tests.tiny import D, edited, m, planned_tiny, tiny_instance, with_course

PARAMS = SolverParams(time_limit=30, workers=2)
NO_COSTS = {name: 0 for name in SOFT_TERMS}


def _video(instance):
    rooms = tuple(replace(r, video_link=r.id == "R1") for r in instance.rooms)
    return replace(instance, rooms=rooms)


def short_window(share: int = 34):
    instance = _video(with_course(tiny_instance(), "I1", online_allowed=True,
                                  max_online_share=share))
    return replace(instance, travel_windows=(TravelWindow("V1", D(2026, 9, 15),
                                                          D(2026, 9, 17)),))


def solved(instance):
    result = solve_timetable(instance, PARAMS)
    assert result.timetable is not None, result.explanation
    verification = verify_timetable(instance, result.timetable)
    assert verification.ok, verification.violations
    return result.timetable


def test_a_meeting_goes_online_when_the_window_is_too_short():
    timetable = solved(short_window())
    i1 = timetable.of_course("I1")
    online = [x for x in i1 if x.online]
    assert sum(x.length for x in i1) == 6
    # 4 periods on site on the only teaching day, the other 2 (the whole share) online
    assert {x.date for x in i1 if not x.online} == {D(2026, 9, 16)}
    (meeting,) = online
    assert meeting.room_id == "R1" and meeting.interpreter_id == "I1"
    assert not D(2026, 9, 15) <= meeting.date <= D(2026, 9, 17)


def test_without_online_teaching_the_short_window_admits_no_timetable():
    result = solve_timetable(short_window(share=0), PARAMS)
    assert result.status == SolveStatus.INFEASIBLE
    assert result.timetable is None


def test_a_planned_visitor_who_cannot_come_teaches_everything_online():
    # a trip costs far more than the online meetings: none is made, and all of I1 (share
    # 100%) is taught from home; the verifier accepts the timetable without trips
    instance = _video(with_course(planned_tiny(cost_per_trip=1000), "I1",
                                  online_allowed=True, max_online_share=100))
    instance = replace(instance, weights=replace(instance.weights, **NO_COSTS,
                                                 visitor_trip=1, visitor_day_abroad=1))
    timetable = solved(instance)
    assert timetable.trips == ()
    assert all(x.online for x in timetable.of_course("I1"))
    assert sum(x.length for x in timetable.of_course("I1")) == 6


def test_online_meetings_stay_clear_of_planned_trips():
    # share 34%: at least 4 periods on site, so a trip is made, and the online meeting falls
    # on a day no trip covers (travel days included)
    instance = _video(with_course(planned_tiny(), "I1", online_allowed=True,
                                  max_online_share=34))
    timetable = solved(instance)
    (trip,) = timetable.trips
    for meeting in timetable.of_course("I1"):
        if meeting.online:
            assert not trip.arrival <= meeting.date <= trip.departure


ONLINE = Meeting(D(2026, 9, 9), 3, 4, "I1", "R1", "I1", "online")
"""I1 taught from home on Wednesday 09-09, before the window 09-13..09-18."""
ONSITE = m(16, 3, "I1", "R1", "I1")


def _violations(instance, timetable):
    return {v.rule for v in verify_timetable(instance, timetable).violations}


def test_the_verifier_accepts_an_online_meeting_that_keeps_every_rule():
    instance = _video(with_course(tiny_instance(), "I1", online_allowed=True,
                                  max_online_share=34))
    assert _violations(instance, edited(remove=(ONSITE,), add=(ONLINE,))) == set()


@pytest.mark.parametrize(("change", "meeting", "rule"), [
    ({"online_allowed": False}, ONLINE, "online not allowed"),
    ({"max_online_share": 20}, ONLINE, "online share"),
    ({}, replace(ONLINE, room_id="R2"), "video link"),
    ({}, replace(ONLINE, date=D(2026, 9, 14)), "online away"),
    ({}, replace(ONLINE, date=D(2026, 9, 13)), "online away"),  # the arrival's travel day
    ({}, replace(ONLINE, first_period=7, last_period=8), "home hours"),
])
def test_the_verifier_rejects_an_online_meeting_that_breaks_a_rule(change, meeting, rule):
    instance = _video(with_course(tiny_instance(), "I1", **{
        "online_allowed": True, "max_online_share": 34, **change}))
    t = dt.time
    evening = (Period(7, t(18, 0), t(18, 45), "evening"),
               Period(8, t(18, 55), t(19, 40), "evening"))
    instance = replace(instance, periods=(*instance.periods, *evening))
    assert rule in _violations(instance, edited(remove=(ONSITE,), add=(meeting,)))


def test_home_hours_are_periods_ending_by_eight_in_vladivostok():
    t = dt.time
    assert Period(8, t(16, 55), t(17, 55), "afternoon").in_home_hours()  # 18:55-19:55 there
    assert not Period(9, t(19, 0), t(19, 45), "evening").in_home_hours()  # 21:00 there


def test_the_mode_column_round_trips(tmp_path):
    timetable = Timetable((ONLINE, *edited(remove=(ONSITE,)).meetings))
    write_timetable_csv(tiny_instance(), timetable, tmp_path / "timetable.csv")
    assert read_timetable(tmp_path / "timetable.csv") == timetable


def test_the_online_columns_round_trip(tmp_path):
    instance = short_window()
    write_instance_csv(instance, tmp_path)
    again = read_instance(tmp_path)
    assert again.course_by_id["I1"].max_online_share == 34
    assert again.course_by_id["I1"].online_allowed
    assert [r.id for r in again.rooms if r.video_link] == ["R1"]


def test_grids_and_calendars_mark_the_online_meeting():
    from scheduler.exports.calendar_ics import VIDEO_LINK_PLACEHOLDER, meeting_event
    from scheduler.views.grids import weekly_grid

    instance = _video(with_course(tiny_instance(), "I1", online_allowed=True,
                                  max_online_share=34))
    timetable = edited(remove=(ONSITE,), add=(ONLINE,))
    grid = weekly_grid(instance, timetable, "cohort", "C2")
    texts = [cell.text("cohort") for cell in grid.cells]
    assert sum("online from Vladivostok" in t for t in texts) == 1
    stamp = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    event = meeting_event(instance, ONLINE, 1, stamp)
    description = str(event["description"])
    assert VIDEO_LINK_PLACEHOLDER in description
    assert "Chongqing" in description and "Vladivostok" in description
    assert "(online)" in str(event["summary"])
    assert "online" not in str(meeting_event(instance, ONSITE, 1, stamp)["summary"])


def test_a_visitor_without_trips_whose_courses_may_go_online_teaches_from_home():
    from scheduler.validate import check_instance

    instance = _video(with_course(replace(tiny_instance(), travel_windows=()), "I1",
                                  online_allowed=True, max_online_share=100))
    assert check_instance(instance) == []
    timetable = solved(instance)
    assert all(x.online for x in timetable.of_course("I1"))
    # with only part of the course allowed online, the visitor still needs a trip
    partly = with_course(instance, "I1", max_online_share=50)
    (issue,) = [i for i in check_instance(partly) if i.column == "visiting"]
    assert "so can never teach on site" in issue.message

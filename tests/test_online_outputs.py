"""Online meetings in the outputs: summary.json, the solve command's lines, the relaxed solve.

The tiny instance's visitor V1 has one teaching day (window 09-15..09-17) for I1's 6 periods
(at most 4 a day); I1 may be taught 34% online (2 periods) in R1, the room with a video link.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

import cli
from scheduler.io.writer import write_instance_csv
from scheduler.pipeline import SolveSettings, solve_to_folder
from scheduler.timetable import Timetable
from scheduler.views.online import online_by_visitor, online_uses
from tests.test_online import ONLINE, ONSITE, short_window
from tests.tiny import edited


def test_online_uses_say_which_meetings_went_online_and_why():
    instance = short_window()
    timetable = edited(remove=(ONSITE,), add=(ONLINE,))
    (use,) = online_uses(instance, timetable)
    assert (use.course_id, use.periods, use.contact_periods, use.share_percent) == \
        ("I1", 2, 6, 33.3)
    assert use.sentence() == ("I1: 2 of 6 periods (33.3%) online from Vladivostok on "
                              "date 09-09: V1 was not in Chongqing then")
    assert online_by_visitor(instance, timetable) == {"V1": (2, 6)}
    assert online_uses(instance, Timetable(timetable.meetings[:0])) == ()


def test_a_relaxed_solve_teaches_online_before_leaving_anything_out(tmp_path):
    write_instance_csv(short_window(), tmp_path / "tiny")
    outcome = solve_to_folder(tmp_path / "tiny", tmp_path / "out",
                              SolveSettings(time_limit=20, workers=2, relax=True))
    assert outcome.has_timetable and not outcome.partial
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["unplaced"] == []
    (online,) = summary["online"]
    assert (online["course_id"], online["periods"], online["share_percent"]) == ("I1", 2, 33.3)
    header = (tmp_path / "out" / "timetable.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",mode")


def test_solve_prints_the_online_meetings(tmp_path):
    write_instance_csv(short_window(), tmp_path / "tiny")
    result = CliRunner().invoke(cli.main, ["solve", str(tmp_path / "tiny"), "-o",
                                           str(tmp_path / "out"), "-t", "20", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "I1: 2 of 6 periods (33.3%) online from Vladivostok on date" in result.output


def test_the_report_gives_the_online_share_per_course_and_visitor(tmp_path):
    from scheduler.report import ONLINE_FILE, OnlineKpis, timetable_kpis, write_kpis

    instance = short_window()
    kpis = timetable_kpis(instance, edited(remove=(ONSITE,), add=(ONLINE,)))
    assert kpis.online == (OnlineKpis("course", "I1", 2, 6, 33.3),
                           OnlineKpis("visitor", "V1", 2, 6, 33.3))
    written = write_kpis(kpis, tmp_path / "report")
    assert written[-1].name == ONLINE_FILE
    assert written[-1].read_text(encoding="utf-8").splitlines() == [
        "kind,subject_id,online_periods,periods,online_share_percent",
        "course,I1,2,6,33.3", "visitor,V1,2,6,33.3"]
    plain = write_kpis(timetable_kpis(instance, edited()), tmp_path / "plain")
    assert ONLINE_FILE not in [p.name for p in plain]


def test_a_cancelled_trip_goes_online_in_a_scenario(tmp_path):
    from scheduler.scenarios import parse_scenario
    from scheduler.scenarios.report import comparison_markdown
    from scheduler.scenarios.run import run_scenario
    from tests.scenarios.conftest import QUICK
    from tests.test_online import _video
    from tests.tiny import tiny_instance, with_course

    base = _video(with_course(tiny_instance(), "I1", online_allowed=True,
                              max_online_share=100))
    cancelled = parse_scenario("changes:\n  - change: cancel_trip\n    teacher: V1\n",
                               "s.yaml")
    comparison = run_scenario(base, cancelled, QUICK)
    assert comparison.changed.feasible and not comparison.changed.diagnosis.unplaced
    (online,) = comparison.as_dict()["online"]
    assert (online["course_id"], online["periods"]) == ("I1", 6)
    assert "I1: 6 of 6 periods (100.0%) online from Vladivostok" in \
        comparison_markdown(comparison)

"""docs/objective.md is exact: its worked example is recounted, its defaults are the schema's.

The page's worked example (instance tables, timetable, baseline and expected figures) is parsed
out of the Markdown itself, so the page cannot drift from what the verifier and the CP-SAT
model count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields, replace
from pathlib import Path

import pytest

from scheduler.calendar import TermCalendar
from scheduler.instance import Block, Instance, Interpreter, Period, Preference, Room, Weights
from scheduler.io.reader import read_instance
from scheduler.io.schema import WEIGHT_DOCS
from scheduler.levels import default_level, has_level
from scheduler.model.lns import evaluate
from scheduler.model.options import build_options
from scheduler.timetable import Timetable
from scheduler.timetable_io import read_timetable, write_timetable_csv
from scheduler.verify import Verification, verify_timetable
from tests.test_soft_terms import chosen_from
from tests.tiny import RU_ZH, D, tiny_instance, with_course

DOC = Path(__file__).resolve().parent.parent / "docs" / "objective.md"
TEXT = DOC.read_text(encoding="utf-8")
CSV_BLOCK = re.compile(r"^\*\*`(?P<name>[a-z_]+)\.csv`\*\*\n\n```csv\n(?P<body>.*?)^```$",
                       re.MULTILINE | re.DOTALL)
NOT_COUNTED = "–"


def example_instance() -> Instance:
    """The tiny instance with the changes the page lists under "The instance"."""
    base = tiny_instance()
    t = dt.time
    periods = (*(replace(p, lunch=p.number == 4) for p in base.periods),
               Period(7, t(19, 0), t(19, 45), "evening"),
               Period(8, t(19, 55), t(20, 40), "evening"))
    instance = replace(
        base,
        term=replace(base.term, last_date=D(2026, 9, 25)),
        periods=periods,
        blocks=(*base.blocks, Block("7-8", 7, 8)),
        rooms=(*base.rooms, Room("R3", "A", 40, "lecture")),
        interpreters=(*base.interpreters,
                      Interpreter("I3", "Sokolova", (RU_ZH,), (0, 1, 2, 3, 4), 4)),
        preferences=(Preference("T1", "avoid", 0, 1, 2), Preference("T2", "prefer", None, 1, 2)),
        weights=replace(base.weights, max_consecutive_days=1, cohort_daily_cap=4),
    )
    return with_course(instance, "W3", meetings_per_week=2, contact_periods=8)


def csv_files() -> dict[str, str]:
    files = {m["name"]: m["body"] for m in CSV_BLOCK.finditer(TEXT)}
    assert len(files) == len(CSV_BLOCK.findall(TEXT)), "a CSV file is given twice"
    return files


def section(heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = TEXT.index(f"\n{heading}\n") + len(heading) + 2
    ends = [m.start() for m in re.finditer(rf"^#{{1,{level}}} ", TEXT[start:], re.MULTILINE)]
    return TEXT[start:start + ends[0]] if ends else TEXT[start:]


def expected_figures() -> tuple[dict[str, list[str]], list[str]]:
    """Rows of the "Expected figures" table by rule (weight, count, cost, count with the
    baseline, relaxed count), and the objective row's cells in the same columns."""
    rows = {}
    total: list[str] = []
    for line in section("### Expected figures").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 6:
            continue
        if cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[1:]
        elif cells[0] == "**objective**":
            total = [c.strip("*") for c in cells[1:]]
    return rows, total


def read_files(tmp_path: Path) -> tuple[Instance, Timetable, Timetable]:
    files = csv_files()
    folder = tmp_path / "instance"
    folder.mkdir()
    for name, body in files.items():
        if name not in ("timetable", "baseline"):
            (folder / f"{name}.csv").write_text(body, encoding="utf-8")
    timetables = []
    for name in ("timetable", "baseline"):
        path = tmp_path / f"{name}.csv"
        path.write_text(files[name], encoding="utf-8")
        timetables.append(read_timetable(path))
    return read_instance(folder), timetables[0], timetables[1]


def without_w4(timetable: Timetable) -> Timetable:
    return Timetable(tuple(x for x in timetable.meetings if x.course_id != "W4"))


def assert_column(verification: Verification, column: int) -> None:
    """The verifier's counts are those of the table's ``column``; its objective is the
    total under that column (under the cost column for the plain counts)."""
    rows, total = expected_figures()
    assert verification.ok, verification.violations
    for rule, cells in rows.items():
        if cells[column] == NOT_COUNTED:
            assert rule not in verification.costs, rule
            continue
        assert verification.costs[rule] == int(cells[column]), rule
        assert verification.weighted[rule] == int(cells[0]) * int(cells[column]), rule
    assert set(verification.costs) == {r for r, c in rows.items() if c[column] != NOT_COUNTED}
    assert verification.objective == int(total[2 if column == 1 else column])


def test_the_example_instance_is_the_tiny_one_with_the_listed_changes(tmp_path):
    instance, _, _ = read_files(tmp_path)
    assert instance == example_instance()


def test_the_timetable_files_are_in_the_export_format(tmp_path):
    files = csv_files()
    instance, timetable, baseline = read_files(tmp_path)
    for name, schedule in (("timetable", timetable), ("baseline", baseline)):
        path = tmp_path / f"written-{name}.csv"
        write_timetable_csv(instance, schedule, path)
        assert path.read_text(encoding="utf-8") == files[name]


def test_the_expected_figures_are_the_verifiers(tmp_path):
    instance, timetable, baseline = read_files(tmp_path)
    rows, _ = expected_figures()
    assert {r: int(c[0]) for r, c in rows.items()} == {
        f.name: getattr(instance.weights, f.name) for f in fields(Weights)
        if not WEIGHT_DOCS[f.name].startswith("threshold:")}
    verification = verify_timetable(instance, timetable)
    for rule, cells in rows.items():
        if cells[1] != NOT_COUNTED:
            assert int(cells[2]) == verification.weighted[rule], rule
    assert_column(verification, 1)
    assert_column(verify_timetable(instance, timetable, baseline=baseline), 3)
    relaxed = verify_timetable(instance, without_w4(timetable), allow_unplaced=True)
    assert_column(relaxed, 4)
    # the cost line scheduler verify prints, as objective.md quotes it
    tiers = relaxed.tiers
    assert (f"`Cost: {relaxed.objective} (placement {tiers['placement']}, norm "
            f"{tiers['norm']}, comfort {tiers['comfort']}; ...)`") in DOC.read_text(
                encoding="utf-8")


@pytest.mark.parametrize("variant", ["timetable", "tight", "baseline", "relaxed"])
def test_the_model_counts_the_example_alike(tmp_path, variant):
    instance, timetable, baseline = read_files(tmp_path)
    rows, _ = expected_figures()
    column = {"timetable": 1, "tight": 1, "baseline": 3, "relaxed": 4}[variant]
    schedule = without_w4(timetable) if variant == "relaxed" else timetable
    calendar = TermCalendar(instance)
    options = build_options(instance, calendar)
    _, counts = evaluate(instance, calendar, options, chosen_from(options, schedule),
                         baseline=baseline if variant == "baseline" else None,
                         relax=variant == "relaxed", tight=variant == "tight")
    expected = {r: int(c[column]) for r, c in rows.items() if c[column] != NOT_COUNTED}
    assert {r: counts.get(r, 0) for r in expected} == expected
    assert set(counts) <= set(expected)


def test_every_weight_has_a_section_with_the_schema_default():
    assert set(WEIGHT_DOCS) == set(Weights.names())
    rules = section("## The rules")
    documented = re.findall(r"^#### `(\w+)`$", rules, re.MULTILINE)
    assert sorted(documented) == sorted(Weights.names())
    for f in fields(Weights):
        text = section(f"#### `{f.name}`")
        defaults = re.findall(r"^- \*\*Default:\*\* (\d+)$", text, re.MULTILINE)
        assert defaults == [str(f.default)], f.name
        levels = re.findall(r"^- \*\*Level:\*\* (\w+)", text, re.MULTILINE)
        if WEIGHT_DOCS[f.name].startswith("threshold:"):
            assert "- **Threshold** of `" in text, f.name
            assert not levels, f.name
        else:
            for part in ("Counts", "Rule", "Unit", "Example"):
                assert f"**{part}:**" in text, (f.name, part)
            expected = default_level(f.name) if has_level(f.name) else "none"
            assert levels == [expected], f.name

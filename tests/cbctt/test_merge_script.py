"""benchmarks/merge_ctt.py: instances side by side, read back by the reader."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from scheduler.cbctt.reader import read_cbctt

from .conftest import DATA

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "merge_ctt.py"


def _script():
    spec = importlib.util.spec_from_file_location("merge_ctt", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_merged_instance_has_every_part_renamed(tmp_path, capsys):
    out = tmp_path / "merged.ctt"
    assert _script().main([str(out), str(DATA / "toy.ctt"), str(DATA / "toy.ctt")]) == 0
    toy, merged = read_cbctt(DATA / "toy.ctt"), read_cbctt(out)
    assert (merged.days, merged.periods_per_day) == (toy.days, toy.periods_per_day)
    assert len(merged.courses) == 2 * len(toy.courses)
    assert len(merged.rooms) == 2 * len(toy.rooms)
    assert len(merged.unavailability) == 2 * len(toy.unavailability)
    first = {c.id: c for c in merged.courses if c.id.startswith("m0_")}
    for course in toy.courses:
        twin = first[f"m0_{course.id}"]
        assert (twin.teacher, twin.lectures, twin.students) == (
            f"m0_{course.teacher}", course.lectures, course.students)
    assert {q.id for q in merged.curricula} == {
        f"m{k}_{q.id}" for k in (0, 1) for q in toy.curricula}
    assert f"wrote {out}" in capsys.readouterr().out


def test_instances_of_different_shapes_are_refused(tmp_path, capsys):
    out = tmp_path / "merged.ctt"
    code = _script().main([str(out), str(DATA / "toy.ctt"), str(DATA / "comp01.ctt")])
    assert code == 2
    assert "differ in days and periods per day" in capsys.readouterr().err
    assert not out.exists()

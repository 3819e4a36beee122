"""Smoke test of benchmarks/cbctt.py on the toy instance (the script itself is not a test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .conftest import DATA

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "cbctt.py"


def test_benchmark_writes_tables(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("cbctt_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    (tmp_path / "reference.csv").write_text(
        "instance,best_known_ud2,lower_bound,source\ntoy,0,0,hand\n")
    code = module.main([str(DATA / "toy.ctt"), "--data", str(tmp_path), "--time-limit", "5",
                        "--workers", "1", "--seeds", "0", "1", "--out", str(tmp_path / "out")])
    assert code == 0
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "| toy | 2/2 | 0 (0–0) | 0 | 0 | 0 | 0 | 0 |" in summary
    runs = (tmp_path / "out" / "runs.csv").read_text().splitlines()
    assert len(runs) == 3 and runs[1].startswith("toy,0,True,0,0,")
    assert (tmp_path / "out" / "toy.seed1.sol").exists()
    assert "toy seed 1: UD2 0 (feasible)" in capsys.readouterr().out


def test_runs_of_separate_sessions_merge_into_medians(tmp_path):
    spec = importlib.util.spec_from_file_location("cbctt_benchmark_merge", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    header = ("instance,seed,feasible,ud2,claimed,room_capacity,min_working_days,"
              "isolated_lectures,room_stability,time_to_first_s,time_to_best_s,wall_time_s,"
              "load_before,load_after\n")
    (tmp_path / "a.csv").write_text(header + "compX,0,True,10,10,1,5,4,0,0.1,20.0,300.0,2,2\n")
    (tmp_path / "b.csv").write_text(header + "compX,1,True,14,14,3,5,6,0,0.3,40.0,300.0,2,2\n"
                                    "compX,2,True,12,12,2,5,4,1,0.2,30.0,300.0,2,2\n")
    (tmp_path / "reference.csv").write_text(
        "instance,best_known_ud2,lower_bound,source\ncompX,6,0,hand\n")
    code = module.main(["--from-runs", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"),
                        "--data", str(tmp_path), "--out", str(tmp_path / "merged")])
    assert code == 0
    summary = (tmp_path / "merged" / "summary.md").read_text()
    assert "| compX | 3/3 | 12 (10–14) | 2 | 5 | 4 | 0 | 6 | 2 |" in summary
    assert "seeds 0 1 2" in summary
    assert len((tmp_path / "merged" / "runs.csv").read_text().splitlines()) == 4


def test_published_figures_of_comp08_to_21_come_from_the_repository(tmp_path):
    spec = importlib.util.spec_from_file_location("cbctt_benchmark_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    (tmp_path / "reference.csv").write_text(
        "instance,best_known_ud2,lower_bound,source\ncomp12,299,,newer paper\n")
    best_known, itc_average = module._read_figures(tmp_path)
    assert best_known["comp12"] == 299  # the data folder wins
    assert best_known["comp21"] == 75
    assert itc_average["comp12"] == 340.5  # Bellio et al. 2012, the lowest of four averages
    assert itc_average["comp20"] == 34.3  # Müller 2009
    assert set(itc_average) >= {f"comp{i:02d}" for i in range(8, 22)}

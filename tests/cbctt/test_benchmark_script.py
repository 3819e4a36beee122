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

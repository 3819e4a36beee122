"""The scorer stays independent of the solver: it never loads CP-SAT or the model modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scorer_imports_no_solver_module():
    code = (
        "import sys, scheduler.cbctt.scorer, scheduler.cbctt.reader, scheduler.cbctt.solution\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'ortools' or m in (\n"
        "    'scheduler.cbctt.model', 'scheduler.cbctt.lns', 'scheduler.cbctt.solve',\n"
        "    'scheduler.cpsat', 'click')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_library_never_prints_or_exits():
    for path in (ROOT / "scheduler" / "cbctt").glob("*.py"):
        text = path.read_text()
        assert "print(" not in text and "sys.exit" not in text and "import click" not in text, path

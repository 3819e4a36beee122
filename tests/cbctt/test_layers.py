"""The CB-CTT mode stays apart from the term timetable and its scorer apart from the solver.

The import rules are import-linter contracts in pyproject.toml ("The CB-CTT mode never imports
the term timetable", "Nothing but the CLI and its tables import the CB-CTT mode", "The CB-CTT
scorer, reader and solution files never load the solver"), checked by
tests/test_architecture.py.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_library_never_prints_or_exits():
    for path in (ROOT / "scheduler" / "cbctt").glob("*.py"):
        text = path.read_text()
        assert "print(" not in text and "sys.exit" not in text and "import click" not in text, path

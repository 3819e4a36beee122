"""The layers declared in pyproject.toml's import-linter contracts hold.

Each contract below must be configured and kept: deleting or renaming one fails this test, so a
rule of the architecture cannot vanish unnoticed.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONTRACTS = (
    "The package is layered: data, reading, solving and checking, views, writers, jobs",
    "Only the CLI imports click",
    "Instance reading and validation never import CP-SAT, plotting or exports",
    "The verifier is independent of the CP-SAT model and of the model's calendar helpers",
    "The CP-SAT model never imports plotting, exports or the CLI",
    "Views, writers, pictures and the report never import the solver or the verifier",
    "The CB-CTT mode never imports the term timetable",
    "The search engine imports only CP-SAT running, stop requests and progress events",
    "Nothing but the CLI and its tables import the CB-CTT mode",
    "The CB-CTT scorer, reader and solution files never load the solver",
)


def _configured() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["name"] for c in config["tool"]["importlinter"]["contracts"]]


def test_every_architecture_contract_is_configured():
    configured = _configured()
    assert [name for name in CONTRACTS if name not in configured] == []


def test_import_contracts_are_kept():
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(result.stdout.split())  # contract names may be wrapped over lines
    assert [n for n in _configured() if f"{' '.join(n.split())} KEPT" not in text] == []
    assert f"Contracts: {len(_configured())} kept, 0 broken." in text

"""Where the shipped instances live: ``instances/`` at the top of the repository, or, in an
installed wheel, the copy packaged as ``scheduler/instances`` (see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
INSTANCES_DIR = next((folder for folder in (_PACKAGE / "instances", _PACKAGE.parent / "instances")
                      if folder.is_dir()), _PACKAGE.parent / "instances")
DEFAULT_INSTANCE = INSTANCES_DIR / "cqupt-fefu-2026-fall"
STEADY_INSTANCE = INSTANCES_DIR / "cqupt-fefu-steady"

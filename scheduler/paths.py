"""Where the shipped instances live."""

from __future__ import annotations

from pathlib import Path

INSTANCES_DIR = Path(__file__).resolve().parent.parent / "instances"
DEFAULT_INSTANCE = INSTANCES_DIR / "cqupt-fefu-2026-fall"
STEADY_INSTANCE = INSTANCES_DIR / "cqupt-fefu-steady"

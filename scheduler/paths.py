"""Where the shipped instances and documents live: ``instances/`` and ``docs/`` at the top of
the repository, or, in an installed wheel, the copies packaged as ``scheduler/instances`` and
``scheduler/docs`` (see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
INSTANCES_DIR = next((folder for folder in (_PACKAGE / "instances", _PACKAGE.parent / "instances")
                      if folder.is_dir()), _PACKAGE.parent / "instances")
DEFAULT_INSTANCE = INSTANCES_DIR / "cqupt-fefu-2026-fall"
STEADY_INSTANCE = INSTANCES_DIR / "cqupt-fefu-steady"


def doc(name: str) -> str:
    """Where a reader finds the document ``name`` (``objective.md``, ...), as messages name
    it: ``docs/NAME`` from the repository's folder, else the full path of the repository's
    copy or, in an installed wheel (where ``docs/`` is not there), of the packaged one."""
    installed = _PACKAGE / "docs" / name
    if installed.is_file():
        return str(installed)
    shipped = _PACKAGE.parent / "docs" / name
    here = Path("docs") / name
    if shipped.is_file() and not (here.is_file() and here.resolve() == shipped.resolve()):
        return str(shipped)  # run from another folder: the repository's copy, in full
    return f"docs/{name}"

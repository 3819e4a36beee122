"""Regenerate the shipped steady-state instance and the workbook of the default instance.

Run from anywhere: ``python instances/build_steady.py``. It writes

- ``instances/cqupt-fefu-steady/``: the institute at full size (1,650 students), produced by
  :func:`scheduler.generate.generate_steady` (fixed size and seed), as a CSV folder;
- ``instances/cqupt-fefu-2026-fall.xlsx``: the hand-written default instance
  (``instances/cqupt-fefu-2026-fall/``) as one workbook.

The tests check that both shipped files equal what this script would write.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.generate import generate_steady
from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance

HERE = Path(__file__).resolve().parent
STEADY = HERE / "cqupt-fefu-steady"
DEFAULT = HERE / "cqupt-fefu-2026-fall"
DEFAULT_XLSX = HERE / "cqupt-fefu-2026-fall.xlsx"


def main() -> None:
    write_instance(generate_steady(), STEADY)
    default = read_instance(DEFAULT)
    # a workbook's bytes change with every write (its creation time): rewrite only if needed
    if not DEFAULT_XLSX.exists() or read_instance(DEFAULT_XLSX) != default:
        write_instance(default, DEFAULT_XLSX)


if __name__ == "__main__":
    main()

"""Write exports to a folder: the entry points behind ``scheduler export`` and ``solve``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_directory
from scheduler.exports.calendar_ics import write_calendars
from scheduler.exports.workbook import write_workbook
from scheduler.identity import instance_identity
from scheduler.instance import Instance
from scheduler.timetable import Timetable, meeting_rows
from scheduler.timetable_io import write_timetable_csv

EXPORT_FORMATS = ("xlsx", "csv", "json", "ics")
"""What ``scheduler export --format`` writes."""
CALENDAR_FOLDER = "calendars"


def _write(instance: Instance, timetable: Timetable, fmt: str, folder: Path,
           excel_bom: bool, identity: dict[str, Any] | None) -> list[Path]:
    """Write one format into ``folder`` (a staging folder) and return the paths."""
    if fmt == "xlsx":
        return [write_workbook(instance, timetable, folder / "timetable.xlsx")]
    if fmt == "csv":
        write_timetable_csv(instance, timetable, folder / "timetable.csv", bom=excel_bom)
        return [folder / "timetable.csv"]
    if fmt == "json":
        document = {"instance": identity or instance_identity(instance),
                    "meetings": meeting_rows(instance, timetable)}
        path = folder / "timetable.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        return [path]
    return write_calendars(instance, timetable, folder / CALENDAR_FOLDER)


def export_timetable(instance: Instance, timetable: Timetable, fmt: str, outdir: str | Path,
                     excel_bom: bool = False,
                     identity: dict[str, Any] | None = None) -> list[Path]:
    """Write one export of the timetable into ``outdir`` and return the files written.

    ``fmt`` is one of :data:`EXPORT_FORMATS`: ``xlsx`` (``timetable.xlsx``), ``csv``
    (``timetable.csv``, with the BOM Excel needs when ``excel_bom``), ``json``
    (``timetable.json``; ``identity`` is its ``instance`` block, by default the instance's
    name and fingerprint) or ``ics`` (``calendars/<teacher|cohort|interpreter>-<id>.ics``).
    The files appear together or not at all.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Expected fmt in {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
    outdir = Path(outdir)
    with atomic_directory(outdir) as staging:
        written = _write(instance, timetable, fmt, staging, excel_bom, identity)
        relative = [p.relative_to(staging) for p in written]
    return [outdir / r for r in relative]


def write_default_exports(instance: Instance, timetable: Timetable, outdir: str | Path,
                          identity: dict[str, Any] | None = None) -> list[Path]:
    """Write what ``scheduler solve`` leaves in its folder: ``timetable.xlsx``,
    ``timetable.csv``, ``timetable.json``, ``visitors.png`` (the visiting teachers' Gantt
    chart) and ``occupancy.png`` (rooms by teaching week); return the paths."""
    from scheduler.plotting.files import save_figure
    from scheduler.plotting.occupancy import plot_room_occupancy
    from scheduler.plotting.visitors import plot_visitors

    outdir = Path(outdir)
    with atomic_directory(outdir) as staging:
        written: list[Path] = []
        for fmt in ("xlsx", "csv", "json"):
            written += _write(instance, timetable, fmt, staging, False, identity)
        written += save_figure(plot_visitors(instance, timetable).figure, staging, "visitors",
                               ("png",))
        written += save_figure(plot_room_occupancy(instance, timetable).figure, staging,
                               "occupancy", ("png",))
        relative = [p.relative_to(staging) for p in written]
    return [outdir / r for r in relative]

"""Write exports to a folder: the entry point behind ``scheduler export``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_directory
from scheduler.exports.calendar_ics import write_calendars
from scheduler.exports.site import write_site
from scheduler.exports.workbook import write_workbooks
from scheduler.i18n import Language, check_language
from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.timetable_io import write_timetable_csv, write_timetable_json
from scheduler.trips_io import TRIPS_FILE, write_trips_csv
from scheduler.views.trips import trip_rows

EXPORT_FORMATS = ("xlsx", "csv", "json", "ics", "html")
"""What ``scheduler export --format`` writes."""
CALENDAR_FOLDER = "calendars"


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Expected fmt in {', '.join(EXPORT_FORMATS)}, got {fmt!r}")


def write_format(instance: Instance, timetable: Timetable, fmt: str, folder: Path,
                 excel_bom: bool = False, identity: dict[str, Any] | None = None,
                 lang: Language = "en") -> list[Path]:
    """Write one format into ``folder`` and return the paths (see :func:`export_timetable`).

    The files are written one by one: ``folder`` is meant to be a staging folder that the
    caller swaps in whole.
    """
    _check_format(fmt)
    shown = instance.with_trips(timetable.trips)  # planned trips shown as the windows they make
    if fmt == "xlsx":
        return write_workbooks(shown, timetable, folder, lang)
    if fmt == "csv":
        write_timetable_csv(instance, timetable, folder / "timetable.csv", bom=excel_bom)
        if not instance.planned_visitors:
            return [folder / "timetable.csv"]
        write_trips_csv(trip_rows(instance, timetable), folder / TRIPS_FILE)
        return [folder / "timetable.csv", folder / TRIPS_FILE]
    if fmt == "json":
        write_timetable_json(instance, timetable, folder / "timetable.json", identity)
        return [folder / "timetable.json"]
    if fmt == "ics":
        return write_calendars(shown, timetable, folder / CALENDAR_FOLDER, lang=lang)
    return write_site(shown, timetable, folder, lang)


def export_timetable(instance: Instance, timetable: Timetable, fmt: str | Sequence[str],
                     outdir: str | Path,
                     excel_bom: bool = False, identity: dict[str, Any] | None = None,
                     lang: Language = "en",
                     inputs: Collection[str | Path] = ()) -> list[Path]:
    """Write one export of the timetable into ``outdir`` and return the files written.

    ``fmt`` is one of :data:`EXPORT_FORMATS`: ``xlsx`` (``timetable.xlsx``; for a large
    term also ``timetable-cohorts.xlsx`` and the other grids' workbooks,
    :func:`~scheduler.exports.workbook.workbook_files`), ``csv``
    (``timetable.csv``, with the BOM Excel needs when ``excel_bom``, and when the instance
    plans trips every visitor's trips, ``trips.csv``: also with ``json`` and ``xlsx``, so that
    the timetable written reads back), ``json``
    (``timetable.json``; ``identity`` is its ``instance`` block, by default
    :func:`~scheduler.identity.instance_identity`), ``ics``
    (``calendars/<teacher|cohort|interpreter>-<id>.ics``) or ``html`` (the web site:
    ``index.html``, ``assets/`` and the pages in ``en/``, ``zh/`` and ``ru/``); several formats
    (a sequence) are written together. The files
    appear together or not at all. ``lang`` is the reader's language (``en``, ``zh``, ``ru``
    or ``all``) of the workbook, the calendars and the site's first page; the CSV and JSON
    tables are for programs and stay English. ``inputs``: the files the export was made from
    (the timetable file); an export that would replace one raises
    :class:`~scheduler.errors.OutputError` and writes nothing.
    """
    formats = [fmt] if isinstance(fmt, str) else list(fmt)
    for name in formats:
        _check_format(name)  # before the output folder is created
    check_language(lang)
    outdir = Path(outdir)
    with atomic_directory(outdir, inputs) as staging:
        written = [path for name in dict.fromkeys(formats)
                   for path in write_format(instance, timetable, name, staging, excel_bom,
                                            identity, lang)]
        if (instance.planned_visitors and TRIPS_FILE not in {p.name for p in written}
                and {"json", "xlsx"} & set(formats)):  # a timetable to read back, with its trips
            write_trips_csv(trip_rows(instance, timetable), staging / TRIPS_FILE)
            written.append(staging / TRIPS_FILE)
        relative = [p.relative_to(staging) for p in written]
    return [outdir / r for r in relative]

"""Write pictures to files: the entry point behind ``scheduler plot``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from scheduler.atomic import atomic_directory
from scheduler.background import JobFailed, Running
from scheduler.errors import OutputError
from scheduler.i18n import Language, check_language
from scheduler.instance import Instance
from scheduler.plotting.gantt import plot_term_gantt
from scheduler.plotting.occupancy import plot_room_occupancy
from scheduler.plotting.visitors import plot_visitors
from scheduler.plotting.weekly import plot_weekly_timetable
from scheduler.timetable import Timetable
from scheduler.views.subjects import SubjectKind, check_subjects, meetings_of, subject_ids
from scheduler.views.text import safe_filename

PLOT_KINDS = ("visitors", "cohort", "room", "occupancy")
"""What ``scheduler plot --kind`` draws."""
PICTURE_FORMATS = ("png", "svg", "pdf")
DPI = 150

Drawing = Callable[[], Axes]


def save_figure(figure: Figure | SubFigure, folder: Path, stem: str,
                formats: Sequence[str]) -> list[Path]:
    """Save ``figure`` (the whole figure, when given a sub-figure) as ``<stem>.<format>`` in
    ``folder`` for each format."""
    if isinstance(figure, SubFigure):
        figure = figure.figure
    written = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        figure.savefig(path, format=fmt, dpi=DPI)
        written.append(path)
    return written


def _drawings(instance: Instance, timetable: Timetable, kind: str,
              which: Sequence[str] | None, lang: Language) -> list[tuple[str, Drawing]]:
    """(file stem, drawing) for every picture of a kind."""
    subject: SubjectKind = "teacher" if kind == "visitors" else "room" \
        if kind in ("room", "occupancy") else "cohort"
    ids = tuple(which) if which else None
    if ids:
        check_subjects(instance, subject, ids)
    if kind == "visitors":
        return [("visitors", lambda: plot_visitors(instance, timetable, ids, lang=lang))]
    if kind == "occupancy":
        return [("occupancy",
                 lambda: plot_room_occupancy(instance, timetable, "week", ids, lang=lang)),
                ("occupancy-slots",
                 lambda: plot_room_occupancy(instance, timetable, "slot", ids, lang=lang))]
    if ids is None:
        ids = tuple(s for s in subject_ids(instance, subject)
                    if meetings_of(instance, timetable, subject, s))
    drawings: list[tuple[str, Drawing]] = []
    for sid in ids:
        name = f"{kind}-{safe_filename(sid)}"
        drawings.append((f"{name}-week", partial(plot_weekly_timetable, instance, timetable,
                                                 sid, subject, lang)))
        drawings.append((f"{name}-term", partial(plot_term_gantt, instance, timetable,
                                                 subject, sid, lang=lang)))
    return drawings


def plot_timetable(instance: Instance, timetable: Timetable, kind: str | Sequence[str],
                   outdir: str | Path, which: Sequence[str] | None = None,
                   formats: Sequence[str] = ("png", "svg"),
                   lang: Language = "en",
                   on_progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Draw the pictures of one kind, or of several, into ``outdir`` (all files appear
    together) and return their paths; ``on_progress(done, total)`` hears of each picture
    drawn (:func:`draw_all`: many are drawn by several processes at once).

    ``kind`` is one of :data:`PLOT_KINDS`, or a sequence of them (``which`` then not
    given): ``visitors`` (``visitors.<fmt>``), ``occupancy`` (``occupancy.<fmt>`` by week,
    ``occupancy-slots.<fmt>`` by weekday and period),
    ``cohort`` and ``room`` (per cohort or room: ``<kind>-<id>-week.<fmt>``, the weekly
    timetable, and ``<kind>-<id>-term.<fmt>``, the term Gantt chart; by default for every
    cohort or room with meetings). ``which`` limits the pictures to some teacher, cohort or
    room ids (an unknown id raises :class:`~scheduler.errors.InputError`); ``formats`` are
    among png, svg and pdf; ``lang`` is the language of the labels (``en``, ``zh``, ``ru``
    or ``all``).
    """
    check_language(lang)
    kinds = (kind,) if isinstance(kind, str) else tuple(dict.fromkeys(kind))
    for one in kinds:
        if one not in PLOT_KINDS:
            raise ValueError(f"Expected kind in {', '.join(PLOT_KINDS)}, got {one!r}")
    if not kinds or (which and len(kinds) > 1):
        raise ValueError(f"Expected one kind with 'which' (ids of one kind), got {kinds!r}")
    wrong = [f for f in formats if f not in PICTURE_FORMATS]
    if wrong or not formats:
        raise ValueError(f"Expected formats among {', '.join(PICTURE_FORMATS)}, got {wrong}")
    drawings = [d for one in kinds for d in _drawings(instance, timetable, one, which, lang)]
    outdir = Path(outdir)
    with atomic_directory(outdir) as staging:
        written = draw_all(drawings, staging, tuple(formats), on_progress)
        names = [p.name for p in written]
    return [outdir / n for n in names]


@dataclass(frozen=True)
class PictureJob:
    """Pictures that a second process draws (:mod:`scheduler.background`)."""

    drawings: tuple[tuple[str, Drawing], ...]
    folder: Path
    formats: tuple[str, ...]

    def run(self) -> list[Path]:
        return [path for stem, draw in self.drawings
                for path in save_figure(draw().figure, self.folder, stem, self.formats)]


BACKGROUND_FROM = 8
"""The fewest pictures worth sharing with other processes (each takes a second or two to
start)."""
MAX_PROCESSES = 4
"""At most this many processes draw at once (each holds the term and matplotlib)."""


def draw_all(drawings: Sequence[tuple[str, Drawing]], folder: Path, formats: tuple[str, ...],
             on_progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Draw ``drawings`` into ``folder`` in each of ``formats``; the paths, in the order of
    ``drawings``. On a machine of several cores, many cohort or room pictures are shared
    with up to :data:`MAX_PROCESSES` - 1 other processes while this one draws its share.
    ``on_progress(done, total)`` is called as pictures are finished."""
    portable = [d for d in drawings if isinstance(d[1], partial)]  # picklable
    processes = min(MAX_PROCESSES, os.cpu_count() or 1) - 1
    if len(portable) < BACKGROUND_FROM or processes < 1:
        processes = 0
    shares = [tuple(portable[i::processes + 1]) for i in range(1, processes + 1)]
    given = {stem for share in shares for stem, _ in share}
    running: list[Running] = []
    total = len(drawings)

    def report() -> None:
        if on_progress is not None:
            on_progress(len(list(folder.glob(f"*.{formats[-1]}"))), total)

    try:  # started here: a failed start ends those started before it
        for share in shares:
            running.append(Running(PictureJob(share, folder, formats)))
        for stem, draw in drawings:
            if stem not in given:
                save_figure(draw().figure, folder, stem, formats)
                report()
        for job in running:
            while not job.wait(0.25):
                report()
            job.result()
        report()
    except JobFailed as exc:
        raise OutputError(f"the pictures could not be drawn: {exc}") from None
    finally:
        for job in running:
            job.stop()
    return [folder / f"{stem}.{fmt}" for stem, _ in drawings for fmt in formats]

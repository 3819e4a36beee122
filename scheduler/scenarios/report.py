"""A comparison written out: markdown, an xlsx sheet, a picture, JSON, and the scenario's
timetable and instance (so that it can be re-used as a baseline or solved again)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import xlsxwriter

from scheduler.atomic import atomic_directory, check_inputs_outside
from scheduler.exports.sheets import table_sheet
from scheduler.instance import Instance
from scheduler.io.writer import write_instance_csv
from scheduler.plotting.files import save_figure
from scheduler.scenarios.compare import Comparison
from scheduler.scenarios.pictures import plot_comparison, plot_sweep_costs
from scheduler.scenarios.run import GIVEN
from scheduler.scenarios.sweep import RUN_COLUMNS, SweepResult
from scheduler.timetable import Meeting
from scheduler.timetable_io import write_timetable_csv, write_timetable_json
from scheduler.trips_io import TRIPS_FILE, write_trips_csv
from scheduler.views.online import online_uses
from scheduler.views.trips import trip_rows

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
"""Text stays text (never a formula, link or number)."""
MAX_MOVES_LISTED = 200


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(map(_cell, header)) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _when(m: Meeting) -> str:
    return f"{m.date.isoformat()} {m.date:%a} p{m.first_period}-{m.last_period} {m.room_id}"


def move_rows(comparison: Comparison) -> list[tuple[str, str, str]]:
    """(course, was, now) per moved meeting, pairing old and new in date order (as ``scheduler
    diff`` does); a meeting left over was cancelled (now ``(cancelled)``) or is new (was
    ``(new)``)."""
    rows = []
    for move in comparison.moves:
        before, after = move.before, move.after  # in the order they pair
        for k in range(max(len(before), len(after))):
            rows.append((move.course_id, _when(before[k]) if k < len(before) else "(new)",
                         _when(after[k]) if k < len(after) else "(cancelled)"))
    return rows


def dropped_rows(comparison: Comparison) -> list[tuple[str, str, int, str]]:
    """(course, why, meetings, dates) per course the scenario's timetable leaves out."""
    rows = []
    for d in comparison.dropped:
        dates = sorted(m.date for m in d.meetings)
        rows.append((d.course_id, d.why, len(d.meetings),
                     f"{dates[0].isoformat()}..{dates[-1].isoformat()}"))
    return rows


def cost_note(comparison: Comparison) -> str:
    """How the costs are compared when the scenario leaves courses out (empty otherwise)."""
    c = comparison
    if c.same_courses is None:
        return ""
    scenario = c.changed.verification.objective if c.changed.verification else None
    whole = "" if scenario is None or not c.changed.relaxed else (
        f" The scenario's own objective, which charges unplaced_period for every period "
        f"left out, is {scenario:,}.")
    words = c.dropped_words()
    return (f"{words[0].upper()}{words[1:]} in the scenario: the costs above are counted over "
            "the courses both timetables place (the base's recounted by the verifier without "
            f"their {c.dropped_meetings} meetings), so leaving courses out does not show as a "
            f"saving.{whole}")


def comparison_markdown(comparison: Comparison) -> str:
    """The comparison as a markdown document."""
    c = comparison
    how = ("re-solved with minimal change against the baseline timetable"
           if c.minimal_change else "solved afresh, compared with a fresh solve of the base")
    parts = [f"# Scenario: {c.scenario.name}", ""]
    if c.scenario.description:
        parts += [c.scenario.description, ""]
    parts += [f"Base: {c.base_instance.term.name}; scenario file {c.scenario.source}; {how}.",
              "", "## Changes", ""]
    parts += [f"- {n}" for n in c.notes] or ["- (none)"]
    parts += ["", "## Base and scenario", "",
              markdown_table(("", "base", "scenario", "change"), c.rows()), ""]
    if cost_note(c):
        parts += [cost_note(c), ""]
    explanation = c.changed.diagnosis.explanation
    if explanation is not None and (explanation.conflicts or explanation.note):
        parts += ["## Why the scenario has no timetable", ""]
        parts += [f"- {line}" if not line.startswith(" ") else f"  {line.strip()}"
                  for line in explanation.lines()]
        parts.append("")
    if c.changed.relaxed:
        parts += ["## What could not be placed", "",
                  "The partial timetable places every other course; these are left out:", "",
                  markdown_table(("course", "name", "periods", "why"),
                                 [(u.course_id, u.name, u.periods,
                                   " ".join(u.explanation.lines()[:1]))
                                  for u in c.changed.diagnosis.unplaced]), ""]
    online = online_uses(c.instance, c.changed.timetable) if c.changed.timetable else ()
    if online:
        parts += ["## Taught online from Vladivostok", "",
                  *[f"- {use.sentence()}" for use in online], ""]
    if c.kept:
        parts += [f"Courses kept exactly where the baseline had them: {', '.join(c.kept)}.", ""]
    if c.pinned or c.pin_choice is not None:
        parts += [f"Pinned meetings of the baseline kept where they were: {c.pinned}.", ""]
    if c.pin_choice is not None and c.pin_choice.broken:
        parts += [f"## Pins broken ({len(c.pin_choice.broken)})", "",
                  "Pins that could not be kept together with the others (--relax-pins):", "",
                  markdown_table(("course", "when", "periods", "room", "meetings"),
                                 [(p.course_id, p.when, f"{p.first_period}-{p.last_period}",
                                   p.room_id, p.held) for p in c.pin_choice.broken]),
                  ""]
    if c.dropped:
        parts += [f"## Meetings dropped ({c.dropped_meetings})", "",
                  "Meetings of courses the scenario's timetable leaves out (not counted as "
                  "moved):", "",
                  markdown_table(("course", "why", "meetings", "dates"), dropped_rows(c)), ""]
    moves = move_rows(c)
    if moves:
        others = "".join(f", {what} ({n})" for what, n in (("cancelled", c.cancelled_meetings),
                                                              ("added", c.added_meetings)) if n)
        parts += [f"## Meetings moved ({c.moved_meetings}){others}", "",
                  markdown_table(("course", "was", "now"), moves[:MAX_MOVES_LISTED]), ""]
        if len(moves) > MAX_MOVES_LISTED:
            parts += [f"... and {len(moves) - MAX_MOVES_LISTED} more rows (see "
                      "comparison.xlsx).", ""]
    return "\n".join(parts)


def write_comparison_xlsx(comparison: Comparison, path: Path) -> None:
    """Sheets ``comparison`` (side by side), ``changes``, ``moved meetings``, ``explanation``
    and ``not placed``."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheets: list[tuple[str, Sequence[str], list[Sequence[object]], Sequence[int]]] = [
        ("comparison", ("", "base", "scenario", "change"),
         [list(r) for r in comparison.rows()], (32, 34, 44, 28)),
        ("changes", ("change",), [[n] for n in comparison.notes], (110,)),
        ("moved meetings", ("course", "was", "now"), [list(r) for r in move_rows(comparison)],
         (14, 34, 34)),
    ]
    if comparison.dropped:
        sheets.append(("dropped meetings", ("course", "why", "meetings", "dates"),
                       [list(r) for r in dropped_rows(comparison)], (14, 24, 10, 26)))
    explanation = comparison.changed.diagnosis.explanation
    if explanation is not None:
        sheets.append(("explanation", ("why there is no timetable",),
                       [[line] for line in explanation.lines()], (140,)))
    if comparison.changed.relaxed:
        sheets.append(("not placed", ("course", "name", "periods", "why"),
                       [[u.course_id, u.name, u.periods, " ".join(u.explanation.lines()[:1])]
                        for u in comparison.changed.diagnosis.unplaced], (14, 40, 9, 100)))
    for name, header, rows, widths in sheets:
        sheet = book.add_worksheet(name)
        for col, (title, width) in enumerate(zip(header, widths, strict=True)):
            sheet.write_string(0, col, title, bold)
            sheet.set_column(col, col, width)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, int):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value))
        sheet.freeze_panes(1, 0)
    book.close()


SCENARIO_FILES = ("comparison.md", "comparison.xlsx", "comparison.png", "scenario.json",
                  "timetable.csv", "timetable.json", "partial-timetable.csv",
                  "partial-timetable.json", TRIPS_FILE, "base-timetable.csv",
                  f"base-{TRIPS_FILE}", "instance")
"""What :func:`write_scenario` may write into its folder (``instance`` is a folder)."""


def check_scenario_output(outdir: str | Path,
                          inputs: Collection[str | Path | None]) -> None:
    """Raise :class:`~scheduler.errors.OutputError` when a scenario run into ``outdir`` could
    write over one of its ``inputs`` (one of :data:`SCENARIO_FILES`, or inside ``instance``:
    e.g. a second scenario run from the first one's changed instance or timetable into the
    same folder). Called before solving."""
    for name in SCENARIO_FILES:
        check_inputs_outside(Path(outdir) / name, inputs)


def write_scenario(comparison: Comparison, outdir: str | Path) -> tuple[Path, ...]:
    """Write everything about a scenario run into ``outdir`` (atomically) and return the
    paths: ``comparison.md``, ``comparison.xlsx``, ``comparison.png``, ``scenario.json``, the
    scenario's ``timetable.csv``/``.json`` (``partial-timetable.*`` when relaxed) and, when
    it plans trips, ``trips.csv``, the base's
    ``base-timetable.csv`` when it was solved here (with ``base-trips.csv`` when the base
    plans trips), and the changed instance as CSV files in
    ``instance/`` (:func:`check_scenario_output` has made sure, before the run, that none of
    them replaces an input). Files of :data:`SCENARIO_FILES` that an earlier run left and
    this one does not write (e.g. the base's timetable, solved then, given now) are removed:
    ``outdir`` describes one run."""
    outdir = Path(outdir)
    names: list[str] = []
    c = comparison
    with atomic_directory(outdir) as staging:
        (staging / "comparison.md").write_text(comparison_markdown(c) + "\n", encoding="utf-8")
        write_comparison_xlsx(c, staging / "comparison.xlsx")
        names += ["comparison.md", "comparison.xlsx"]
        names += [p.name for p in save_figure(plot_comparison(c), staging, "comparison",
                                              ("png",))]
        (staging / "scenario.json").write_text(
            json.dumps(c.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        names.append("scenario.json")
        if c.changed.timetable is not None:
            stem = "partial-timetable" if c.changed.relaxed else "timetable"
            write_timetable_csv(c.instance, c.changed.timetable, staging / f"{stem}.csv")
            write_timetable_json(c.instance, c.changed.timetable, staging / f"{stem}.json")
            names += [f"{stem}.csv", f"{stem}.json"]
            if c.instance.planned_visitors:
                write_trips_csv(trip_rows(c.instance, c.changed.timetable),
                                staging / TRIPS_FILE)
                names.append(TRIPS_FILE)
        if c.base.timetable is not None and c.base.status != GIVEN:
            write_timetable_csv(c.base_instance, c.base.timetable, staging / "base-timetable.csv")
            names.append("base-timetable.csv")
            if c.base_instance.planned_visitors:  # the base's trips, to verify it by
                write_trips_csv(trip_rows(c.base_instance, c.base.timetable),
                                staging / f"base-{TRIPS_FILE}")
                names.append(f"base-{TRIPS_FILE}")
        write_instance_csv(c.instance, staging / "instance")
        names.append("instance")
    for stale in set(SCENARIO_FILES) - set(names):  # an earlier run's, not of this one
        (outdir / stale).unlink(missing_ok=True)
    return tuple(outdir / n for n in names)


def sweep_markdown(result: SweepResult, instance: Instance) -> str:
    how = ("re-solved with minimal change against the baseline" if result.minimal_change
           else "each solved afresh")
    parts = [f"# Sweep: {result.name}", "",
             f"{len(result.points)} scenarios on {instance.term.name}, {how}; {result.jobs} "
             f"parallel processes, {result.wall_time:.0f} s in all. Costs are changes of the "
             "objective (quality terms) against the base "
             f"({result.reference.quality if result.reference.quality is not None else '-'}).",
             ""]
    if result.interrupted:
        parts += [f"**Interrupted**: {len(result.points)} of {result.planned} scenarios "
                  "finished; a visitor or delay missing below was not run (`--resume` runs "
                  "the rest).", ""]
    header, rows = result.robustness_rows(instance)
    if rows:
        parts += ["## Robustness to late arrival", "", markdown_table(header, rows), ""]
    parts += ["## Runs", "", markdown_table(RUN_COLUMNS, result.run_rows()), ""]
    return "\n".join(parts)


def write_sweep(result: SweepResult, instance: Instance, outdir: str | Path) -> tuple[Path, ...]:
    """Write ``robustness.md``, ``sweep.xlsx`` (sheets robustness and runs), ``sweep.json`` and
    ``sweep.png`` (cost of each delay) into ``outdir``, atomically."""
    outdir = Path(outdir)
    header, rows = result.robustness_rows(instance)
    with atomic_directory(outdir) as staging:
        (staging / "robustness.md").write_text(sweep_markdown(result, instance) + "\n",
                                               encoding="utf-8")
        book = xlsxwriter.Workbook(str(staging / "sweep.xlsx"), WORKBOOK_OPTIONS)
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        tables: tuple[tuple[str, Sequence[str], Sequence[Sequence[object]]], ...] = (
            ("robustness", header, rows), ("runs", list(RUN_COLUMNS), result.run_rows()))
        for name, head, body in tables:
            if name == "robustness" and not body:
                continue
            table_sheet(book, name, head, body, bold, (12, 60, 4), frozen_columns=0)
        book.close()
        document = {"name": result.name, "interrupted": result.interrupted,
                    "planned": result.planned, "wall_time": round(result.wall_time, 2),
                    "jobs": result.jobs, "minimal_change": result.minimal_change,
                    "delays": list(result.delays), "reference": result.reference.as_dict(),
                    "points": [p.as_dict() for p in result.points],
                    "robustness": [{"teacher": r.teacher, "name": r.name, "trip": r.trip,
                                    "largest_delay_absorbed": r.absorbed}
                                   for r in result.robustness(instance)]}
        (staging / "sweep.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        names = ["robustness.md", "sweep.xlsx", "sweep.json"]
        series = {f"{r.teacher}": [(0, 0 if result.reference.feasible else None)]
                  + [(p.delay or 0, p.cost_change if p.feasible else None) for p in r.points]
                  for r in result.robustness(instance)}
        if series:
            names += [p.name for p in save_figure(
                plot_sweep_costs(series, f"{result.name}: cost of each arrival delay"),
                staging, "sweep", ("png",))]
    return tuple(outdir / n for n in names)

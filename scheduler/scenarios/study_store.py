"""A study's results on disk, stored as they come: one folder per scenario and the results
table, so that an interrupted study keeps what it finished and resumes from there.

``OUT/scenarios/<name>-<key>/`` holds a scenario's files and ``result.json`` (its row of the
table, with its key), swapped in as a whole: a folder without it was not finished.
``results.csv`` and ``results.xlsx`` are rewritten (atomically) after each scenario.
``OUT/base/`` holds the base timetable when the study solved it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from scheduler.atomic import atomic_path, replace_directory, write_text_atomic
from scheduler.exports.sheets import table_sheet
from scheduler.levels import TIERS
from scheduler.scenarios.study import Study

FAILED = "FAILED"
"""The status of a scenario that raised an error, or whose worker died, on every attempt."""
INVALID = "INVALID"
"""The status of a scenario whose changes cannot be applied to the base."""
RESULT = "result.json"
SCENARIOS = "scenarios"
BASE = "base"


@dataclass(frozen=True)
class StudyRow:
    """A finished (or failed) scenario of a study in figures: one row of the results table.

    ``status``: the solver's, ``INVALID`` or ``FAILED`` (``reason`` says why, also when there
    is no timetable). ``quality``: the verified objective without the change terms;
    ``cost_change``: ``quality`` minus the reference's; ``costs``: the weighted cost of each
    soft rule; ``tiers``: of each tier (``placement``, ``norm``, ``comfort``); ``moved``:
    baseline meetings not kept; ``seconds``: the scenario's time in its worker;
    ``attempts``: runs it took; ``not_optimised``: why its timetable was returned without
    being optimised (its costs then say little); ``fefu_share``: the percentage of the
    contact periods placed that FEFU's teachers teach (``None`` without a timetable or
    without FEFU teachers).
    """

    scenario: str
    key: str
    status: str
    feasible: bool = False
    at: tuple[tuple[str, str], ...] = ()
    quality: int | None = None
    cost_change: int | None = None
    costs: tuple[tuple[str, int], ...] = ()
    moved: int | None = None
    courses_moved: int | None = None
    unplaced_periods: int = 0
    seconds: float = 0.0
    attempts: int = 1
    seed: int = 0
    time_limit: float | None = None
    reason: str = ""
    folder: str = ""
    not_optimised: str = ""
    fefu_share: float | None = None
    tiers: tuple[tuple[str, int], ...] = ()

    def level(self, axis: str) -> str | None:
        return dict(self.at).get(axis)

    def figure(self, name: str) -> float | None:
        """One of :data:`~scheduler.scenarios.study.FIGURES` (``None`` without a timetable)."""
        value = getattr(self, name)
        return None if value is None or (not self.feasible and name != "seconds") else value

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = dict(self.at)
        data["costs"] = dict(self.costs)
        data["tiers"] = dict(self.tiers)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudyRow:
        values = dict(data)
        values["at"] = tuple((str(k), str(v)) for k, v in data.get("at", {}).items())
        values["costs"] = tuple((str(k), int(v)) for k, v in data.get("costs", {}).items())
        values["tiers"] = tuple((str(k), int(v)) for k, v in data.get("tiers", {}).items())
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class StudyResult:
    """What a study run found: the reference (the baseline, or the base solved first) and
    the rows of the scenarios finished, in the study's order.

    ``resumed``: rows reused from an earlier run; ``setup``: seconds before the first
    scenario was sent (starting the cluster, solving the base); ``slots``: scenarios run at
    once (the workers' threads); ``minimal_change``: scenarios were re-solved against a
    timetable; ``interrupted``: stopped before every scenario finished.
    """

    study: Study
    reference: StudyRow
    rows: tuple[StudyRow, ...]
    resumed: int = 0
    wall_time: float = 0.0
    setup: float = 0.0
    slots: int = 1
    minimal_change: bool = False
    interrupted: bool = False
    dashboard: str | None = None

    @property
    def failed(self) -> tuple[StudyRow, ...]:
        return tuple(r for r in self.rows if r.status == FAILED)

    def as_dict(self) -> dict[str, Any]:
        """Everything but the study's scenarios, for ``study.json``."""
        return {"name": self.study.name, "source": self.study.source,
                "scenarios": len(self.study.scenarios), "finished": len(self.rows),
                "failed": len(self.failed), "resumed": self.resumed,
                "interrupted": self.interrupted, "wall_time": round(self.wall_time, 2),
                "setup": round(self.setup, 2),
                "slots": self.slots, "minimal_change": self.minimal_change,
                "axes": list(self.study.axes), "reference": self.reference.as_dict(),
                "rows": [r.as_dict() for r in self.rows]}


def table(rows: Sequence[StudyRow], axes: Sequence[str],
          terms: Sequence[str]) -> tuple[list[str], list[list[object]]]:
    """The results table: header and one row per scenario, with a column per axis, per tier
    and per soft rule that has a cost (the rules in the order of ``terms``, then any other),
    and FEFU's teaching share when a row has one."""
    seen = {name for row in rows for name, _ in row.costs}
    columns = [t for t in terms if t in seen] + sorted(seen - set(terms))
    found = {name for row in rows for name, _ in row.tiers}
    tiers = [t for t in TIERS if t in found] + sorted(found - set(TIERS))
    share = any(row.fefu_share is not None for row in rows)
    header = ["scenario", *axes, "status", "objective (quality terms)", "objective change",
              *(f"tier: {t}" for t in tiers), *(f"cost: {t}" for t in columns),
              "meetings moved", "courses moved", "periods not placed",
              *(["FEFU teaching share (%)"] if share else []), "not optimised", "seconds",
              "attempts", "seed", "time limit", "why not", "folder", "key"]

    def cell(value: object) -> object:
        return "" if value is None else value

    def level(text: str | None) -> object:
        """An axis level: a number where it is one (a spreadsheet then sorts and sums it)."""
        if text is None:
            return ""
        try:
            number = float(text)
        except ValueError:
            return text
        if not math.isfinite(number):
            return text
        return int(number) if number.is_integer() and "." not in text else number

    body = []
    for row in rows:
        costs, tier_costs = dict(row.costs), dict(row.tiers)
        body.append([row.scenario, *(level(row.level(a)) for a in axes), row.status,
                     cell(row.quality), cell(row.cost_change),
                     *(cell(tier_costs.get(t)) for t in tiers),
                     *(cell(costs.get(t)) for t in columns), cell(row.moved),
                     cell(row.courses_moved),
                     "" if row.status in (FAILED, INVALID) else row.unplaced_periods,
                     *([cell(row.fefu_share)] if share else []), row.not_optimised,
                     round(row.seconds, 1),
                     row.attempts, row.seed, cell(row.time_limit), row.reason, row.folder,
                     row.key])
    return header, body


def write_table_csv(path: Path, header: Sequence[str], body: Iterable[Sequence[object]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    write_text_atomic(path, buffer.getvalue())


def write_table_xlsx(path: Path, sheet_name: str, header: Sequence[str],
                     body: Iterable[Sequence[object]]) -> None:
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                              "strings_to_urls": False,
                                              "strings_to_numbers": False})
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        table_sheet(book, sheet_name, header, body, bold, (10, 50, 2), frozen_columns=1)
        book.close()


EARLIER_TABLES = ("results.csv", "results.xlsx", "study.json", "study.png", "robustness.md",
                  "sweep.xlsx", "sweep.json", "sweep.png")
"""The tables and pictures a study (and a sweep, around it) writes beside its folders."""


class StudyStore:
    """The output folder of a study."""

    def __init__(self, outdir: str | Path) -> None:
        self.outdir = Path(outdir)

    def folder(self, name: str) -> Path:
        return self.outdir / SCENARIOS / name

    def finished(self) -> dict[str, StudyRow]:
        """Rows of the scenarios stored so far, by key (failed ones left out: a resumed study
        tries them again)."""
        found: dict[str, StudyRow] = {}
        for path in sorted((self.outdir / SCENARIOS).glob(f"*/{RESULT}")):
            try:
                row = StudyRow.from_dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue  # unreadable: the scenario runs again
            if row.status != FAILED and path.parent.name == row.folder:
                found[row.key] = row
        return found

    def clear(self) -> None:
        """Remove the scenario and base folders of an earlier study in this folder (only
        folders holding a study's ``result.json``) and its tables and pictures
        (:data:`EARLIER_TABLES`), which would otherwise describe scenarios no longer there
        when this study is stopped before it writes its own; nothing else is touched."""
        for path in [*(self.outdir / SCENARIOS).glob(f"*/{RESULT}"),
                     self.outdir / BASE / RESULT]:
            if path.is_file():
                shutil.rmtree(path.parent, ignore_errors=True)
        for name in EARLIER_TABLES:
            (self.outdir / name).unlink(missing_ok=True)

    def prune(self, keep: set[str]) -> None:
        """Remove the scenario folders (holding a ``result.json``) not named in ``keep``: after
        a resumed study has finished, those of scenarios it no longer has."""
        for path in (self.outdir / SCENARIOS).glob(f"*/{RESULT}"):
            if path.parent.name not in keep:
                shutil.rmtree(path.parent, ignore_errors=True)

    def save(self, row: StudyRow, files: Iterable[tuple[str, bytes]] = (),
             target: Path | None = None) -> None:
        """Store a scenario's files and its row (``result.json``) in its folder (or in
        ``target``), which appears whole or not at all."""
        with replace_directory(target or self.folder(row.folder), (RESULT,)) as staging:
            for name, data in files:
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
                (staging / name).write_bytes(data)
            (staging / RESULT).write_text(json.dumps(row.as_dict(), ensure_ascii=False,
                                                     indent=2) + "\n", encoding="utf-8")

    def write_table(self, rows: Sequence[StudyRow], axes: Sequence[str],
                    terms: Sequence[str]) -> tuple[Path, Path]:
        """Write ``results.csv`` and ``results.xlsx`` (each atomically)."""
        header, body = table(rows, axes, terms)
        csv_path, xlsx_path = self.outdir / "results.csv", self.outdir / "results.xlsx"
        write_table_csv(csv_path, header, body)
        write_table_xlsx(xlsx_path, "results", header, body)
        return csv_path, xlsx_path

    def save_base(self, row: StudyRow, files: Iterable[tuple[str, bytes]]) -> None:
        """Store the base the study solved (``base/``)."""
        self.save(row, files, self.outdir / BASE)

    def base(self, key: str) -> tuple[StudyRow, Path] | None:
        """The stored base of that key and its timetable file, if there is one."""
        path = self.outdir / BASE / RESULT
        try:
            row = StudyRow.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        return (row, self.outdir / BASE / "timetable.csv") if row.key == key else None

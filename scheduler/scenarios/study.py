"""A study: many scenarios of one base instance, run as one job (docs/scenarios.md, Studies).

A study names its base instance, an optional baseline timetable and its scenarios (a grid of
axes or an explicit list, read by :mod:`scheduler.scenarios.study_reader`), each a scenario of
the usual vocabulary with its place on the axes, its seed and its time limit. Every scenario
has a key that changes whenever anything its result depends on changes (its changes, name and
place, seed, time limit, the base instance, the reference timetable), so a resumed study
reuses exactly the results that still hold.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from scheduler.identity import canonical_json
from scheduler.instance import Instance
from scheduler.scenarios.changes import Change, Scenario
from scheduler.scenarios.run import ScenarioParams
from scheduler.timetable import Timetable

KEY_VERSION = 2
"""Bumped when what a scenario's result depends on changes in the code (old keys then miss):
2 since the tiers are solved one after the other."""

FIGURES = {
    "cost_change": "objective change (quality terms)",
    "quality": "objective (quality terms)",
    "moved": "meetings moved",
    "unplaced_periods": "periods not placed",
    "fefu_share": "FEFU teaching share (%)",
    "seconds": "seconds",
}
"""The figures a study's heat map can show (``figure:`` in the study file), with their
labels."""


@dataclass(frozen=True)
class StudyScenario:
    """One scenario of a study: its changes, its place on the study's axes (``at``: axis and
    level), and its own seed and time limit (``None``: the study's)."""

    scenario: Scenario
    at: tuple[tuple[str, str], ...] = ()
    seed: int | None = None
    time_limit: float | None = None

    @property
    def name(self) -> str:
        return self.scenario.name

    def level(self, axis: str) -> str | None:
        """This scenario's level on ``axis`` (``None`` when it has none)."""
        return dict(self.at).get(axis)


@dataclass(frozen=True)
class Study:
    """Scenarios of ``base`` (an instance folder or workbook), solved with minimal change
    against ``baseline`` (a timetable file) or, without one, against the base solved first;
    ``fresh`` solves each scenario afresh instead. ``seed`` and ``time_limit`` are every
    scenario's unless it gives its own; ``figure`` is what the heat map shows."""

    name: str
    base: Path
    scenarios: tuple[StudyScenario, ...]
    baseline: Path | None = None
    description: str = ""
    fresh: bool = False
    seed: int = 0
    time_limit: float | None = None
    figure: str = "cost_change"
    source: str = "<study>"

    @property
    def axes(self) -> tuple[str, ...]:
        """The axes the scenarios are placed on, in the order they first appear."""
        return tuple(dict.fromkeys(axis for item in self.scenarios for axis, _ in item.at))

    def params(self, item: StudyScenario, workers: int = 1,
               time_limit: float | None = None) -> ScenarioParams:
        """How ``item`` is solved: its own seed and time limit, else ``time_limit`` (given on
        the command line), else the study's; ``workers`` CP-SAT workers."""
        limit = item.time_limit if item.time_limit is not None else (
            time_limit if time_limit is not None else self.time_limit)
        seed = item.seed if item.seed is not None else self.seed
        return ScenarioParams(time_limit=limit, workers=workers, seed=seed)

    def base_params(self, workers: int = 1, time_limit: float | None = None) -> ScenarioParams:
        """How the base is solved when there is no baseline: the study's seed and time
        limit."""
        return ScenarioParams(time_limit=time_limit if time_limit is not None
                              else self.time_limit, workers=workers, seed=self.seed)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def change_record(change: Change) -> dict[str, Any]:
    """A change as plain data, without where it was written (its file lines)."""
    record: dict[str, Any] = {"change": type(change).__name__}
    for item in fields(change):
        if item.name not in ("line", "lines"):
            record[item.name] = _plain(getattr(change, item.name))
    return record


def _digest(document: dict[str, Any], length: int = 16) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()[:length]


def instance_key(instance: Instance) -> str:
    """A fingerprint of an instance's tables that is the same in every process (kept apart
    from :func:`scheduler.identity.instance_fingerprint` so that stored studies keep their
    keys)."""
    from scheduler.io.writer import instance_rows

    return _digest({"tables": instance_rows(instance)}, 64)


def _settings(params: ScenarioParams) -> dict[str, Any]:
    """What of a solve's settings its result depends on (not the number of CP-SAT
    workers)."""
    return {"seed": params.seed, "time_limit": params.time_limit,
            "explain_time": params.explain_time, "relax": params.relax,
            "keep_unaffected": params.keep_unaffected, "relax_pins": params.relax_pins}


def scenario_key(item: StudyScenario, params: ScenarioParams, base_fingerprint: str,
                 reference_fingerprint: str | None, fresh: bool) -> str:
    """A stable key of everything a scenario's result depends on."""
    return _digest({"version": KEY_VERSION, "scenario": item.name, "at": list(item.at),
                    "changes": [change_record(c) for c in item.scenario.changes],
                    **_settings(params), "base": base_fingerprint,
                    "reference": reference_fingerprint, "fresh": fresh})


def base_key(params: ScenarioParams, base_fingerprint: str) -> str:
    """The key of the base solved for a study without a baseline."""
    return _digest({"version": KEY_VERSION, "base": base_fingerprint, **_settings(params)})


def timetable_fingerprint(timetable: Timetable) -> str:
    """A stable fingerprint of a timetable's meetings and of which are pinned (a scenario
    keeps the baseline's pins)."""
    return _digest({"meetings": [[m.date.isoformat(), m.first_period, m.last_period,
                                  m.course_id, m.room_id, m.interpreter_id, m in timetable.pinned]
                                 for m in timetable.meetings]})


def folder_name(name: str, key: str) -> str:
    """The folder of a scenario's results: its name made safe for a path, and its key."""
    slug = re.sub(r"[^\w.-]+", "-", name).strip("-.")[:48] or "scenario"
    return f"{slug}-{key[:8]}"

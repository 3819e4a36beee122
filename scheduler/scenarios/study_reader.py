"""Read a study file (YAML, docs/scenarios.md, Studies) into a :class:`Study`, with precise
errors.

The scenarios are a ``grid`` (the cartesian product of its axes) and/or an explicit
``scenarios`` list; their changes are read by the scenario reader, so they take exactly the
scenario vocabulary and get its errors, at the lines they were written on. In a grid, ``$axis``
in a value stands for the scenario's level on that axis.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import InputError, Problem
from scheduler.io.cells import Boolean, CellError, CellKind, Choice, Integer, Text
from scheduler.scenarios.changes import Scenario
from scheduler.scenarios.reader import Field, _Reader, compose, read_scenario, read_sweep, read_text
from scheduler.scenarios.study import FIGURES, Study, StudyScenario

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
VARIABLE = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class Seconds(CellKind):
    """A positive number of seconds."""

    name: str = "seconds"
    describe: str = "a number of seconds"

    def parse(self, value: Any) -> float:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise CellError(f"expected a number of seconds, got {value!r}",
                            "write e.g. 30") from None
        if not number > 0:
            raise CellError(f"must be more than 0 seconds, got {value!r}", "write e.g. 30")
        return number


SEED = Field("seed", Integer(), "the random seed")
TIME_LIMIT = Field("time_limit", Seconds(), "seconds per scenario")
SETTINGS = {f.name: f for f in (
    Field("name", Text(), "the study's name"),
    Field("description", Text(), "what the study asks"),
    Field("base", Text(), "the base instance: a folder of CSV files or a workbook", True),
    Field("baseline", Text(), "the current timetable (CSV, JSON or xlsx)"),
    Field("fresh", Boolean(), "solve each scenario afresh instead of with minimal change"),
    SEED, TIME_LIMIT,
    Field("figure", Choice(values=tuple(FIGURES)), "what the heat map shows"),
)}
TOP_KEYS = [*SETTINGS, "grid", "scenarios"]
ENTRY_KEYS = ["file", "sweep", "name", "description", "changes", "at", "seed", "time_limit"]


class _StudyReader(_Reader):
    """The scenario reader, plus the parts of a study file."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path

    def path_value(self, node: yaml.Node, what: str) -> Path | None:
        """A path relative to the study file; a problem when nothing is there."""
        text = self.value(node, Field(what, Text(), what))
        if not text:
            return None
        target = Path(text).expanduser()
        target = target if target.is_absolute() else self.path.parent / target
        if not target.exists():
            self.problem(node, f"'{what}': no such file or folder {target}",
                         "give the path relative to the study file")
            return None
        return target

    def levels(self, node: yaml.Node, axis: str) -> list[tuple[str, list[yaml.Node]]]:
        """The levels of an axis: a plain value, or ``level:`` with ``changes:`` of its own."""
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, f"axis '{axis}' needs a list of levels",
                         "write e.g. [7, 14], or '- level: NAME' items with 'changes:'")
            return []
        found: list[tuple[str, list[yaml.Node]]] = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                found.append((str(item.value).strip(), []))
                continue
            keys = self.mapping(item, f"a level of axis '{axis}'")
            self.unknown(keys, ["level", "changes"], f"a level of axis '{axis}'")
            if "level" not in keys or not isinstance(keys["level"][1], yaml.ScalarNode):
                self.problem(item, f"a level of axis '{axis}' has no 'level:' name",
                             "add 'level: NAME'")
                continue
            changes = keys.get("changes", (None, None))[1]
            items = changes.value if isinstance(changes, yaml.SequenceNode) else []
            if changes is not None and not isinstance(changes, yaml.SequenceNode):
                self.problem(changes, "'changes' must be a list of '- change: ...' items",
                             "start each change with '- '")
            found.append((str(keys["level"][1].value).strip(), list(items)))
        names = [name for name, _ in found]
        for name in {n for n in names if names.count(n) > 1}:
            self.problem(node, f"axis '{axis}' has the level '{name}' twice", "keep one")
        return found

    def check_variables(self, node: yaml.Node | None, axes: list[str]) -> None:
        """Report each ``$name`` in a template that is not an axis."""
        for scalar in _scalars(node):
            for name in VARIABLE.findall(str(scalar.value)):
                if name not in axes:
                    self.problem(scalar, f"'${name}' is not an axis of the grid",
                                 f"use one of: {', '.join('$' + a for a in axes)}")

    def grid(self, node: yaml.Node) -> list[StudyScenario]:
        """Every combination of the grid's axes, in order (the last axis varies fastest)."""
        keys = self.mapping(node, "the grid")
        self.unknown(keys, ["axes", "changes", "name"], "the grid")
        # Other problems (the study's keys, a misspelt key of the grid) do not hide those of
        # its changes; broken axes or templates do, as their scenarios cannot be written.
        before = len(self.problems)
        axes_node = keys.get("axes", (None, None))[1]
        if axes_node is None:
            self.problem(node, "the grid has no 'axes:'",
                         "add 'axes:' with one list of levels per axis")
            return []
        axes = {name: self.levels(value, name)
                for name, (_, value) in self.mapping(axes_node, "the axes").items()}
        template = keys.get("changes", (None, None))[1]
        name_node = keys.get("name", (None, None))[1]
        for part in (template, name_node, *(c for levels in axes.values()
                                            for _, changes in levels for c in changes)):
            self.check_variables(part, list(axes))
        if template is not None and not isinstance(template, yaml.SequenceNode):
            self.problem(template, "'changes' must be a list of '- change: ...' items",
                         "start each change with '- '")
            template = None
        if len(self.problems) > before or not all(axes.values()):
            return []
        found = []
        for combination in itertools.product(*(axes[a] for a in axes)):
            at = {axis: level for axis, (level, _) in zip(axes, combination, strict=True)}
            items = [*(template.value if template is not None else ()),
                     *(c for _, changes in combination for c in changes)]
            if name_node is not None:
                name = _fill(str(name_node.value), at)
            else:
                name = ", ".join(f"{axis} {level}" for axis, level in at.items())
            scenario = self.scenario(_node(MAP, [
                (_node(STR, "name", node), _node(STR, name, node)),
                (_node(STR, "changes", node), _node(SEQ, [_substitute(c, at) for c in items],
                                                    node))], node), name, f"grid scenario "
                                     f"'{name}'")
            found.append(StudyScenario(scenario, tuple(at.items())))
        return found

    def entry(self, node: yaml.Node, index: int) -> list[StudyScenario]:
        """One item of ``scenarios:``: a scenario file, a sweep file, or a scenario inline,
        with its place on the axes, seed and time limit."""
        where = f"scenario {index}"
        keys = self.mapping(node, where)
        self.unknown(keys, ENTRY_KEYS, where)
        at: list[tuple[str, str]] = []
        if "at" in keys:
            for axis, (_, value) in self.mapping(keys["at"][1], "'at'").items():
                if isinstance(value, yaml.ScalarNode) and str(value.value).strip():
                    at.append((axis, str(value.value).strip()))
                else:
                    self.problem(value, f"{where}: the level on axis '{axis}' must be one value",
                                 "write e.g. 'at: {delay: 7}'")
        seed = self.value(keys["seed"][1], SEED) if "seed" in keys else None
        limit = self.value(keys["time_limit"][1], TIME_LIMIT) if "time_limit" in keys else None
        sources = [k for k in ("file", "sweep", "changes") if k in keys]
        if len(sources) != 1:
            self.problem(node, f"{where} needs one of 'file:', 'sweep:' or 'changes:'",
                         "name a scenario file, a sweep file, or write the changes here")
            return []
        if sources[0] == "changes":
            inline = _node(MAP, [(k, v) for k, v in node.value
                                 if getattr(k, "value", "") in ("name", "description",
                                                                "changes")], node)
            scenarios: tuple[Scenario, ...] = (
                self.scenario(inline, f"{self.path.stem}-{index}", where),)
        else:
            target = self.path_value(keys[sources[0]][1], sources[0])
            if target is None:
                return []
            if sources[0] == "sweep" and at:
                self.problem(keys["at"][0], f"{where}: 'at' places one scenario, and a sweep "
                             "file has several", "give 'at' in the sweep's own scenarios")
            try:
                scenarios = ((read_scenario(target),) if sources[0] == "file"
                             else read_sweep(target)[1])
            except InputError as exc:
                self.problems.extend(exc.problems)
                return []
        return [StudyScenario(s, tuple(at), seed, limit) for s in scenarios]

    def study(self, node: yaml.Node) -> Study:
        keys = self.mapping(node, "the study")
        self.unknown(keys, TOP_KEYS, "the study")
        values: dict[str, Any] = {}
        for name, field in SETTINGS.items():
            if name in keys:
                if name in ("base", "baseline"):
                    values[name] = self.path_value(keys[name][1], name)
                else:
                    values[name] = self.value(keys[name][1], field)
            elif field.required:
                self.problem(node, f"the study needs '{name}' ({field.doc})",
                             f"add '{name}:'")
        scenarios: list[StudyScenario] = []
        origins: list[yaml.Node] = []  # where each scenario is written
        if "grid" in keys:
            scenarios += self.grid(keys["grid"][1])
            origins += [keys["grid"][1]] * len(scenarios)
        if "scenarios" in keys:
            items = keys["scenarios"][1]
            if not isinstance(items, yaml.SequenceNode):
                self.problem(items, "'scenarios' must be a list",
                             "start each scenario with '- '")
            else:
                for index, item in enumerate(items.value, start=1):
                    found = self.entry(item, index)
                    scenarios += found
                    origins += [item] * len(found)
        if "grid" not in keys and "scenarios" not in keys:
            self.problem(node, "the study has no scenarios",
                         "add a 'grid:' of axes or a 'scenarios:' list")
        first: dict[str, yaml.Node] = {}
        for scenario, origin in zip(scenarios, origins, strict=True):
            if scenario.name not in first:
                first[scenario.name] = origin
            else:
                line = first[scenario.name].start_mark.line + 1
                self.problem(origin, f"two scenarios are named '{scenario.name}' (the other "
                             f"on line {line})", "give each scenario a name of its own")
        return Study(values.get("name") or self.path.stem, values.get("base") or Path(),
                     tuple(scenarios), values.get("baseline"), values.get("description") or "",
                     bool(values.get("fresh")), values.get("seed") or 0,
                     values.get("time_limit"), values.get("figure") or "cost_change",
                     self.source)


def _node(tag: str, value: Any, near: yaml.Node) -> yaml.Node:
    """A YAML node made here, placed at ``near`` (for the lines of problems)."""
    kind = {STR: yaml.ScalarNode, SEQ: yaml.SequenceNode, MAP: yaml.MappingNode}[tag]
    return kind(tag, value, near.start_mark, near.end_mark)


def _scalars(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        return [node]
    if isinstance(node, yaml.SequenceNode):
        return [s for item in node.value for s in _scalars(item)]
    if isinstance(node, yaml.MappingNode):
        return [s for _, value in node.value for s in _scalars(value)]
    return []


def _fill(text: str, at: dict[str, str]) -> str:
    return VARIABLE.sub(lambda m: at.get(m.group(1), m.group(0)), text)


def _substitute(node: yaml.Node, at: dict[str, str]) -> yaml.Node:
    """A copy of ``node`` with ``$axis`` replaced by the level in every value."""
    node = copy.deepcopy(node)
    for scalar in _scalars(node):
        if VARIABLE.search(str(scalar.value)):
            scalar.value = _fill(str(scalar.value), at)
            scalar.tag = STR
    return node


def read_study(path: str | Path) -> Study:
    """Read a study file; raise :class:`InputError` listing every problem."""
    path = Path(path)
    node = compose(read_text(path), str(path))
    if node is None:
        raise InputError([Problem(str(path), "the study file is empty",
                                  "add 'base:' and a 'grid:' or 'scenarios:'")])
    reader = _StudyReader(path)
    study = reader.study(node)
    if reader.problems:
        raise InputError(dict.fromkeys(reader.problems))
    return study

"""Read scenario and sweep files (YAML) into frozen change records, with precise errors.

The file is composed (``yaml.compose``) rather than loaded, so that every key and value keeps
its line; values are read with the same cell kinds as the instance tables (dates
``YYYY-MM-DD``, yes/no, lists ``a;b`` or YAML lists). Every problem is collected and raised at
once in an :class:`~scheduler.errors.InputError`, each at its line with a fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import InputError, Problem
from scheduler.io.cells import Boolean, CellError, CellKind, Date, Integer, Text, TextList
from scheduler.io.schema import TABLE_BY_NAME
from scheduler.paths import doc
from scheduler.scenarios.changes import (
    AddCourse,
    AddHoliday,
    AddTrip,
    CancelTrip,
    Change,
    ChangeCourse,
    ChangeTripRules,
    CohortSize,
    PersonUnavailable,
    RemoveCourse,
    RoomClosed,
    Scenario,
    ShiftTrip,
    ShortenTrip,
)


@dataclass(frozen=True)
class TripKind(CellKind):
    """A trip: its arrival date (``2026-10-11``) or its number (``1`` = the first)."""

    name: str = "trip"
    describe: str = "arrival date YYYY-MM-DD or trip number"

    def parse(self, value: Any) -> dt.date | int:
        text = str(value).strip()
        if text.isdigit():
            return Integer(minimum=1).parse(text)
        try:
            return Date().parse(text)
        except CellError:
            raise CellError(f"expected a trip's arrival date or number, got {text!r}",
                            "write the arrival date as 2026-10-11, or 1 for the first "
                            "trip") from None


@dataclass(frozen=True)
class Field:
    """A key of a change: how its value is read, and whether it is required."""

    name: str
    kind: CellKind
    doc: str
    required: bool = False


MAX_DAYS = 366
"""The most days a trip may be moved or shortened by: a term lasts at most 366 days."""
TEACHER = Field("teacher", Text(), "teacher_id of a visiting teacher", True)
TRIP = Field("trip", TripKind(), "which trip: its arrival date or number (needed when the "
             "teacher has several)")
DATE = Field("date", Date(), "a single date (instead of from/to)")
FROM = Field("from", Date(), "first date")
TO = Field("to", Date(), "last date (default: the from date)")
PERIODS = (Field("first_period", Integer(minimum=1), "first period (default: whole day)"),
           Field("last_period", Integer(minimum=1), "last period (default: first_period)"))
REASON = Field("reason", Text(), "why (shown in reports)")
COURSE_COLUMNS = {c.name: c for c in TABLE_BY_NAME["courses"].columns}
TRIP_RULE_COLUMNS = {c.name: c for c in TABLE_BY_NAME["trip_rules"].columns
                     if c.name not in ("teacher_id", "institution")}


@dataclass(frozen=True)
class Kind:
    """One kind of change: its keys, how to build it, and what it does."""

    name: str
    fields: tuple[Field, ...]
    doc: str
    build: Callable[[dict[str, Any], int, dict[str, int]], Change]


def _range(v: dict[str, Any]) -> tuple[dt.date, dt.date]:
    first = v.get("date") or v["from"]
    return first, v.get("date") or v.get("to") or first


def _periods(v: dict[str, Any]) -> tuple[int | None, int | None]:
    first = v.get("first_period")
    return first, v.get("last_period") or first


def _blocked(v: dict[str, Any]) -> dict[str, Any]:
    """The dates, periods and reason of a ``teacher_unavailable`` or ``room_closed``."""
    (first, last), (first_period, last_period) = _range(v), _periods(v)
    return {"first": first, "last": last, "first_period": first_period,
            "last_period": last_period, "reason": v.get("reason") or ""}


def _course_values(v: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((k, val) for k, val in v.items() if k in COURSE_COLUMNS)


def _add_course(v: dict[str, Any], line: int, lines: dict[str, int]) -> Change:
    values = {c.name: v.get(c.name, c.default) for c in COURSE_COLUMNS.values()}
    return AddCourse(v["course_id"], tuple(values.items()), tuple(lines.items()), line=line)


def _change_course(v: dict[str, Any], line: int, lines: dict[str, int]) -> Change:
    return ChangeCourse(v["course"], _course_values(v), tuple(lines.items()), line=line)


def _change_trip_rules(v: dict[str, Any], line: int, lines: dict[str, int]) -> Change:
    return ChangeTripRules(v.get("teacher"), v.get("institution"),
                           tuple((k, val) for k, val in v.items() if k in TRIP_RULE_COLUMNS),
                           tuple(lines.items()), line=line)


def _course_fields(required: bool) -> tuple[Field, ...]:
    return tuple(Field(c.name, c.kind, c.doc, required and c.required)
                 for c in COURSE_COLUMNS.values() if required or c.name != "course_id")


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("shift_trip", (TEACHER, Field("days", Integer(minimum=-MAX_DAYS, maximum=MAX_DAYS),
                                       "days later (negative: earlier)", True), TRIP),
         "move a trip later or earlier, keeping its length (e.g. a visa two weeks late)",
         lambda v, line, _: ShiftTrip(v["teacher"], v["days"], v.get("trip"), line=line)),
    Kind("shorten_trip", (TEACHER, Field("arrive_later", Integer(minimum=0, maximum=MAX_DAYS),
                                         "days later"),
                          Field("leave_earlier", Integer(minimum=0, maximum=MAX_DAYS),
                                "days earlier"), TRIP),
         "arrive later and/or leave earlier than planned",
         lambda v, line, _: ShortenTrip(v["teacher"], v.get("arrive_later") or 0,
                                        v.get("leave_earlier") or 0, v.get("trip"), line=line)),
    Kind("cancel_trip", (TEACHER, TRIP), "drop a trip",
         lambda v, line, _: CancelTrip(v["teacher"], v.get("trip"), line=line)),
    Kind("add_trip", (TEACHER, Field("arrival", Date(), "arrival date", True),
                      Field("departure", Date(), "departure date", True),
                      Field("teach_on_arrival", Boolean(), "may teach on the arrival day"),
                      Field("teach_on_departure", Boolean(), "may teach on the departure day")),
         "a new trip of a visiting teacher",
         lambda v, line, _: AddTrip(v["teacher"], v["arrival"], v["departure"],
                                    bool(v.get("teach_on_arrival")),
                                    bool(v.get("teach_on_departure")), line=line)),
    Kind("teacher_unavailable",
         (Field("teacher", Text(), "teacher_id (or give interpreter)"),
          Field("interpreter", Text(), "interpreter_id (instead of teacher)"),
          DATE, FROM, TO, *PERIODS, REASON),
         "a teacher or an interpreter cannot teach on some dates",
         lambda v, line, _: PersonUnavailable(v.get("teacher") or v["interpreter"],
                                              **_blocked(v), line=line)),
    Kind("room_closed", (Field("room", Text(), "room_id", True), DATE, FROM, TO, *PERIODS,
                         REASON),
         "a room cannot be used on some dates (works, an exam, a closed lab)",
         lambda v, line, _: RoomClosed(v["room"], **_blocked(v), line=line)),
    Kind("cohort_size",
         (Field("cohort", Text(), "cohort_id (or give cohorts)"),
          Field("cohorts", TextList(), "several cohort_ids (list or a;b)"),
          Field("students_cn", Integer(minimum=0), "new number of Chinese students"),
          Field("students_ru", Integer(minimum=0), "new number of Russian students"),
          Field("add_cn", Integer(), "Chinese students added (negative: removed)"),
          Field("add_ru", Integer(), "Russian students added (negative: removed)")),
         "change the size or the Chinese/Russian split of cohorts (list their sub-groups too)",
         lambda v, line, _: CohortSize(
             (v["cohort"],) if v.get("cohort") else tuple(v["cohorts"]), v.get("students_cn"),
             v.get("students_ru"), v.get("add_cn") or 0, v.get("add_ru") or 0, line=line)),
    Kind("add_course", _course_fields(True),
         "a new course, with the columns of the courses table", _add_course),
    Kind("remove_course", (Field("course", Text(), "course_id", True),),
         "a course not taught this term",
         lambda v, line, _: RemoveCourse(v["course"], line=line)),
    Kind("change_course", (Field("course", Text(), "course_id", True), *_course_fields(False)),
         "new values for some columns of a course (hours, delivery, weeks, teachers ...)",
         _change_course),
    Kind("change_trip_rules",
         (Field("teacher", Text(), "teacher_id of a planned visitor (or give institution)"),
          Field("institution", Text(), "an institution, for its planned visitors"),
          *(Field(c.name, c.kind, c.doc) for c in TRIP_RULE_COLUMNS.values())),
         "new trip rules of planned visitors (e.g. visa-free entry not extended: "
         "max_stay_days 90 on a work visa, its cost per trip and lead time)",
         _change_trip_rules),
    Kind("add_holiday", (DATE, FROM, TO, Field("name", Text(), "what it is")),
         "dates without teaching (a make-up day among them is cancelled too)",
         lambda v, line, _: AddHoliday(*_range(v), v.get("name") or "", line=line)),
)}


class _Reader:
    """Walks composed YAML nodes, collecting problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, message: str, fix: str = "") -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.source, message, fix, line=line))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping node (with their key and value nodes); duplicates reported."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"expected {what} as 'key: value' lines, got "
                         f"{_node_kind(node)}", f"write {what} as a mapping")
            return {}
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = str(key.value).strip() if isinstance(key, yaml.ScalarNode) else ""
            if name in found:
                self.problem(key, f"'{name}' is given twice (first on line "
                             f"{found[name][0].start_mark.line + 1})", "keep one of them")
                continue
            found[name] = (key, value)
        return found

    def unknown(self, keys: dict[str, tuple[yaml.Node, yaml.Node]], allowed: list[str],
                where: str) -> None:
        for name, (key, _) in keys.items():
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.problem(key, f"unknown key '{name}' in {where}",
                             f"{hint}use one of: {', '.join(allowed)}")

    def value(self, node: yaml.Node, field: Field) -> Any:
        """A value read with the field's cell kind; ``None`` (after a problem) when bad."""
        if isinstance(node, yaml.SequenceNode) and isinstance(field.kind, TextList):
            items = [n.value for n in node.value if isinstance(n, yaml.ScalarNode)]
            raw: Any = ";".join(items)
        elif isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":null"):
                return None
            raw = node.value
        else:
            self.problem(node, f"'{field.name}' expects {field.kind.describe}, got "
                         f"{_node_kind(node)}", f"write one value: {field.doc}")
            return None
        try:
            return field.kind.parse(raw)
        except CellError as exc:
            self.problem(node, f"'{field.name}': {exc.message}", exc.fix)
            return None

    def change(self, node: yaml.Node, index: int) -> Change | None:
        keys = self.mapping(node, f"change {index}")
        if not keys:
            return None
        where = f"change {index}"
        if "change" not in keys:
            self.problem(node, f"{where} does not say what it changes",
                         f"start it with 'change:' and one of: {', '.join(KINDS)}")
            return None
        kind_node = keys["change"][1]
        kind = KINDS.get(str(getattr(kind_node, "value", "")).strip())
        if kind is None:
            given = str(getattr(kind_node, "value", ""))
            close = difflib.get_close_matches(given, list(KINDS), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.problem(kind_node, f"unknown change '{given}'",
                         f"{hint}use one of: {', '.join(KINDS)}")
            return None
        where = f"change {index} ({kind.name})"
        allowed = ["change", *(f.name for f in kind.fields)]
        self.unknown(keys, allowed, where)
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        ok = True
        for field in kind.fields:
            if field.name not in keys:
                if field.required:
                    self.problem(node, f"{where} needs '{field.name}' ({field.doc})",
                                 f"add '{field.name}:'")
                    ok = False
                continue
            value_node = keys[field.name][1]
            value = self.value(value_node, field)
            if value is None:
                empty = isinstance(value_node, yaml.ScalarNode) and \
                    value_node.tag.endswith(":null")
                if empty and field.required:
                    self.problem(value_node, f"'{field.name}' is empty ({field.doc})",
                                 f"give a value after '{field.name}:'")
                elif empty and kind.name == "change_course":
                    values[field.name] = None  # clears the column
                    lines[field.name] = value_node.start_mark.line + 1
                ok = ok and empty and not field.required
                continue
            values[field.name] = value
            lines[field.name] = value_node.start_mark.line + 1
        ok = ok and self.consistent(kind, values, node, where)
        if not ok:
            return None
        return kind.build(values, node.start_mark.line + 1, lines)

    def consistent(self, kind: Kind, values: dict[str, Any], node: yaml.Node,
                   where: str) -> bool:
        """Rules between keys of one change."""
        names = {f.name for f in kind.fields}
        rules: list[tuple[bool, str, str]] = []
        if "date" in names:
            rules.append((("date" in values) != ("from" in values),
                          f"{where} needs either 'date' or 'from' (and 'to'), not both",
                          "give one date, or a range from/to"))
            rules.append(("to" not in values or "from" in values,
                          f"{where} has 'to' without 'from'", "add 'from:'"))
        if "first_period" in names:
            rules.append(("last_period" not in values or "first_period" in values,
                          f"{where} has 'last_period' without 'first_period'",
                          "add 'first_period:'"))
            first, last = _periods(values)
            rules.append((first is None or last is None or last >= first,
                          f"{where}: last_period {last} is before first_period {first}",
                          "swap the two periods"))
        if kind.name == "teacher_unavailable":
            rules.append((("teacher" in values) != ("interpreter" in values),
                          f"{where} needs either 'teacher' or 'interpreter'",
                          "name one person"))
        if kind.name == "cohort_size":
            rules.append((("cohort" in values) != ("cohorts" in values),
                          f"{where} needs either 'cohort' or 'cohorts'",
                          "name the cohort(s) to change"))
            for nationality in ("cn", "ru"):
                rules.append((not (f"students_{nationality}" in values
                                   and f"add_{nationality}" in values),
                              f"{where} gives both students_{nationality} and "
                              f"add_{nationality}", "give the new number or the change, "
                              "not both"))
            rules.append((any(k in values for k in ("students_cn", "students_ru", "add_cn",
                                                      "add_ru")),
                          f"{where} changes no number of students",
                          "add students_cn/students_ru or add_cn/add_ru"))
        if kind.name == "shorten_trip":
            rules.append((bool(values.get("arrive_later") or values.get("leave_earlier")),
                          f"{where} shortens nothing",
                          "give arrive_later and/or leave_earlier in days"))
        if kind.name == "change_course":
            rules.append((len(values) > 1, f"{where} changes nothing",
                          "give the columns to change, e.g. contact_periods: 32"))
        ok = True
        for holds, message, fix in rules:
            if not holds:
                self.problem(node, message, fix)
                ok = False
        return ok

    def scenario(self, node: yaml.Node, name: str, where: str = "the scenario") -> Scenario:
        keys = self.mapping(node, where)
        self.unknown(keys, ["name", "description", "changes"], where)
        text = {}
        for key, what in (("name", "the scenario's name"), ("description", "what it is about")):
            if key in keys:
                value = self.value(keys[key][1], Field(key, Text(controls=False), what))
                if value:
                    text[key] = str(value).strip()
        changes: list[Change] = []
        if "changes" not in keys:
            self.problem(node, f"{where} has no 'changes:' list",
                         "add 'changes:' with one '- change: ...' item per change")
        else:
            items = keys["changes"][1]
            if isinstance(items, yaml.ScalarNode) and items.tag.endswith(":null"):
                items = yaml.SequenceNode("tag:yaml.org,2002:seq", [])
            if not isinstance(items, yaml.SequenceNode):
                self.problem(items, "'changes' must be a list of '- change: ...' items",
                             "start each change with '- '")
            else:
                for index, item in enumerate(items.value, start=1):
                    change = self.change(item, index)
                    if change is not None:
                        changes.append(change)
        return Scenario(text.get("name") or name, tuple(changes), text.get("description", ""),
                        self.source)


def _node_kind(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{getattr(node, 'value', '')!r}"


def compose(text: str, source: str) -> yaml.Node | None:
    """The YAML node tree of ``text``; an :class:`InputError` for malformed YAML."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError([Problem(source, f"not valid YAML: {exc.problem or exc.context}",
                                  "check the indentation and the ':' after each key",
                                  line=mark.line + 1 if mark else None)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL byte...)
        line = text[:exc.position].count("\n") + 1
        raise InputError([Problem(source, f"not valid YAML: the character U+{exc.character:04X} "
                                  "is not allowed in YAML text", "remove it: save the file as "
                                  "plain UTF-8 text", line=line)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(source, f"not valid YAML: {exc}")]) from None
    except RecursionError:  # lists or mappings nested hundreds deep: the parser recurses
        raise InputError([Problem(source, "the YAML is nested too deeply to read",
                                  "write each change as a mapping in the 'changes' list, as "
                                  f"{doc('scenarios.md')} shows")]) from None


def read_text(path: str | Path) -> str:
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "no such scenario file",
                                  f"give a .yaml file as described in {doc('scenarios.md')}")])
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), "the file is not UTF-8 text", "save it as UTF-8",
                                  line=line)]) from None


def parse_scenario(text: str, source: str = "<scenario>", name: str = "scenario") -> Scenario:
    """A scenario from YAML text; raise :class:`InputError` listing every problem."""
    node = compose(text, source)
    reader = _Reader(source)
    if node is None:
        raise InputError([Problem(source, "the scenario file is empty",
                                  "add 'name:' and a 'changes:' list")])
    scenario = reader.scenario(node, name)
    if reader.problems:
        raise InputError(reader.problems)
    return scenario


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (docs/scenarios.md)."""
    path = Path(path)
    return parse_scenario(read_text(path), str(path), path.stem)


def read_sweep(path: str | Path) -> tuple[str, tuple[Scenario, ...]]:
    """Read a sweep file: a name and a ``scenarios:`` list of scenario files (``file:``,
    relative to the sweep file) or inline scenarios (``name:``, ``changes:``)."""
    path = Path(path)
    source = str(path)
    node = compose(read_text(path), source)
    reader = _Reader(source)
    if node is None:
        raise InputError([Problem(source, "the sweep file is empty",
                                  "add 'name:' and a 'scenarios:' list")])
    keys = reader.mapping(node, "the sweep")
    reader.unknown(keys, ["name", "description", "scenarios"], "the sweep")
    name = str(keys["name"][1].value) if "name" in keys else path.stem
    scenarios: list[Scenario] = []
    items = keys.get("scenarios", (None, None))[1]
    if not isinstance(items, yaml.SequenceNode) or not items.value:
        reader.problem(items or node, "the sweep needs a 'scenarios:' list",
                       "list scenario files ('- file: late.yaml') or inline scenarios")
    else:
        for index, item in enumerate(items.value, start=1):
            entry = reader.mapping(item, f"scenario {index}")
            if "file" in entry:
                reader.unknown(entry, ["file"], f"scenario {index}")
                target = path.parent / str(entry["file"][1].value)
                try:
                    scenarios.append(read_scenario(target))
                except InputError as exc:
                    reader.problems.extend(exc.problems)
            elif entry:
                scenarios.append(reader.scenario(item, f"{path.stem}-{index}",
                                                 f"scenario {index}"))
    if reader.problems:
        raise InputError(reader.problems)
    return name, tuple(scenarios)

"""Fuzzing the instance readers: a valid instance, damaged by hypothesis, read back.

A case starts from a small valid instance written as a CSV folder or an ``.xlsx`` workbook and
changes one thing: a cell (placeholders, spreadsheet errors, formulas, wrong types, huge
numbers, long or random text, a value from another row), a file's encoding (UTF-8 with or
without BOM, UTF-16, GBK, CP1251) or delimiter (``;``, tab), or a whole file (empty, truncated,
garbage, random cells; for a workbook also a flipped byte). Reading it must end in

- a valid instance, or
- a clean :class:`~scheduler.errors.InputError` whose problems are located (in the instance's
  file, with sheet, row and column where a cell is at fault),

never in another exception (a *traceback*), and never in a *wrong acceptance*: an instance
returned although the changed cell holds what the format forbids in that column (a
placeholder, an error, a formula, text in a number column, a number beyond the documented
range, an id or text too long, an unknown time zone, a blank required cell), or an instance
whose value for the changed cell is not what the cell says (or not the default of a blank
cell), or that differs elsewhere from the original, or (for a change of encoding or
delimiter) that differs at all. A *wrong rejection* is a change the format supports (another
accepted encoding or delimiter) that is refused.

The expectations are computed here, from the documented format, independently of the reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import tempfile
import traceback
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st

from scheduler.errors import InputError, Problem
from scheduler.instance import Instance
from scheduler.io.cells import Id, Integer, Text, TimeZone
from scheduler.io.reader import read_instance
from scheduler.io.schema import TABLE_BY_NAME, Column
from scheduler.io.writer import instance_rows, write_instance_csv, write_instance_xlsx
from tests.tiny import tiny_instance

PLACEHOLDER_TEXTS = ("N/A", "n/a", "NA", "NULL", "null", "None", "none", "NaN", "nan", "nil",
                     "<NA>", "#N/A N/A", "-NaN", "NaT")
ERROR_CODES = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
               "#CALC!", "#GETTING_DATA")
FORMULAS = ("=10+10", "=A1", "=SUM(B2:B9)", "=NA()", "=1/0", '="text"', "=TODAY()")
WHOLE = re.compile(r"\s*[+-]?\d+(\.0*)?\s*")
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

OUTCOMES = ("accepted", "clean error", "traceback", "wrong acceptance", "wrong rejection",
            "unlocated error")
GOOD_OUTCOMES = ("accepted", "clean error")


# --- the base instance ------------------------------------------------------------------------

@functools.cache
def base_instance() -> Instance:
    """The tiny instance with text in Chinese and Russian, for the encoding cases."""
    tiny = tiny_instance()
    rooms = tuple(replace(r, building="Корпус " + r.building, name="Аудитория " + r.id)
                  for r in tiny.rooms)
    cohorts = tuple(replace(c, program="物联网 IoT") for c in tiny.cohorts)
    holidays = tuple(replace(h, name="国庆节") for h in tiny.holidays)
    return replace(tiny, rooms=rooms, cohorts=cohorts, holidays=holidays)


@functools.cache
def base_files() -> tuple[dict[str, bytes], bytes]:
    """The base instance as CSV files (by table name) and as workbook bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, book = Path(tmp) / "csv", Path(tmp) / "book.xlsx"
        write_instance_csv(base_instance(), folder)
        write_instance_xlsx(base_instance(), book)
        return {p.stem: p.read_bytes() for p in folder.glob("*.csv")}, book.read_bytes()


@functools.cache
def base_grids() -> dict[str, list[list[str]]]:
    csvs, _ = base_files()
    return {name: list(csv.reader(io.StringIO(data.decode("utf-8"))))
            for name, data in csvs.items()}


def _cells() -> list[tuple[str, int, str]]:
    """Every data cell of the base: (table, spreadsheet row, column)."""
    return [(name, r + 1, column) for name, grid in sorted(base_grids().items())
            for r in range(1, len(grid)) for column in grid[0]]


# --- cases ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ErrorCell:
    code: str


@dataclass(frozen=True)
class FormulaCell:
    text: str


@dataclass(frozen=True)
class Case:
    """One damaged copy of the base: ``form`` is "csv" or "xlsx"; ``change`` names what."""

    form: str
    change: str
    table: str = ""
    row: int = 0
    column: str = ""
    value: Any = None
    data: bytes = b""

    def describe(self) -> str:
        if self.change == "cell":
            return f"{self.form} {self.table} row {self.row} {self.column} = {self.value!r}"
        return f"{self.form} {self.change} {self.table} {self.value!r} {self.data[:60]!r}"


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_ANY_TEXT = st.text(max_size=30)


def _placeholder(text: str, case_style: int, pad: str) -> str:
    styled = (text, text.upper(), text.lower())[case_style]
    return pad + styled + pad


@st.composite
def cell_values(draw: st.DrawFn, form: str, table: str, column: str) -> Any:
    """A value for one cell: text for CSV; text, numbers, dates and special cells for xlsx."""
    grid = base_grids()[table]
    index = grid[0].index(column)
    others = [row[index] for row in grid[1:]]
    texts = st.one_of(
        st.builds(_placeholder, st.sampled_from(PLACEHOLDER_TEXTS), st.integers(0, 2),
                  st.sampled_from(("", " "))),
        st.sampled_from(ERROR_CODES),
        st.sampled_from(FORMULAS),
        st.sampled_from(("", "  ")),
        st.integers(-(10**30), 10**30).map(str),
        st.integers(-3, 60).map(str),
        st.sampled_from(("007", "+5", "5.0", " 12 ", "1e3", "3.5", "0x10", "٣")),
        st.integers(20, 1200).map(lambda n: "x" * n),
        st.sampled_from(others),
        st.sampled_from(("Asia/Shanghai", "Europe/Moscow", "Mars/Olympus_Mons", "UTC",
                         "asia/shanghai", "../etc/passwd")),
        _TEXT if form == "xlsx" else _ANY_TEXT,
    )
    if form == "csv":
        return draw(texts)
    return draw(st.one_of(
        texts,
        st.sampled_from(ERROR_CODES).map(ErrorCell),
        st.sampled_from(FORMULAS).map(FormulaCell),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    ))


@st.composite
def cell_cases(draw: st.DrawFn, form: str) -> Case:
    table, row, column = draw(st.sampled_from(_cells()))
    value = draw(cell_values(form, table, column))
    return Case(form, "cell", table, row, column, value)


ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "gbk", "cp1251")
SUPPORTED_ENCODINGS = ("utf-8-sig", "utf-16")


@functools.cache
def _encodable() -> list[tuple[str, str]]:
    """(table, encoding) pairs whose text the encoding can hold and whose bytes then differ."""
    csvs, _ = base_files()
    pairs = []
    for name, data in sorted(csvs.items()):
        text = data.decode("utf-8")
        for encoding in ENCODINGS:
            try:
                encoded = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            if encoded != data:
                pairs.append((name, encoding))
    return pairs


@st.composite
def file_cases(draw: st.DrawFn, form: str) -> Case:
    tables = sorted(base_grids())
    if form == "xlsx":
        _, book = base_files()
        change = draw(st.sampled_from(("empty", "truncate", "garbage", "flip", "sheet")))
        if change == "truncate":
            return Case(form, change, data=book[: draw(st.integers(0, len(book) - 1))])
        if change == "flip":
            at = draw(st.integers(0, len(book) - 1))
            byte = draw(st.integers(1, 255))
            return Case(form, change, value=at, data=book[:at] + bytes([book[at] ^ byte])
                        + book[at + 1:])
        if change == "sheet":
            return Case(form, change, table=draw(st.sampled_from(tables)),
                        value=draw(_random_grid(form)))
        return Case(form, change, data=b"" if change == "empty" else draw(st.binary()))
    change = draw(st.sampled_from(("encoding", "delimiter", "empty", "truncate", "garbage",
                                   "table")))
    if change == "encoding":
        table, encoding = draw(st.sampled_from(_encodable()))
        return Case(form, change, table=table, value=encoding)
    table = draw(st.sampled_from(tables))
    if change == "delimiter":
        return Case(form, change, table=table, value=draw(st.sampled_from((";", "\t"))))
    if change == "truncate":
        data = base_files()[0][table]
        return Case(form, change, table=table, data=data[: draw(st.integers(0, len(data)))])
    if change == "table":
        return Case(form, change, table=table, value=draw(_random_grid(form)))
    return Case(form, change, table=table,
                data=b"" if change == "empty" else draw(st.binary(max_size=200)))


def _random_grid(form: str) -> st.SearchStrategy[list[list[Any]]]:
    names = sorted({c.name for t in TABLE_BY_NAME.values() for c in t.columns})
    text = _TEXT if form == "xlsx" else _ANY_TEXT
    cell = st.one_of(st.sampled_from(names), text, st.integers(-(10**6), 10**6).map(str),
                     st.sampled_from(PLACEHOLDER_TEXTS + ERROR_CODES))
    return st.lists(st.lists(cell, max_size=8), max_size=6)


def cases(form: str) -> st.SearchStrategy[Case]:
    """Cases for one form: mostly single cells, some whole files."""
    return st.one_of(cell_cases(form), cell_cases(form), cell_cases(form), file_cases(form))


# --- writing a case ---------------------------------------------------------------------------

def write_case(case: Case, folder: Path) -> Path:
    """Write the damaged instance under ``folder``; return the path to read."""
    csvs, book = base_files()
    if case.form == "csv":
        target = folder / "instance"
        target.mkdir()
        for name, data in csvs.items():
            (target / f"{name}.csv").write_bytes(data)
        file = target / f"{case.table}.csv"
        if case.change == "cell":
            grid = [list(r) for r in base_grids()[case.table]]
            grid[case.row - 1][grid[0].index(case.column)] = case.value
            file.write_bytes(_csv_text(grid).encode("utf-8"))
        elif case.change == "encoding":
            file.write_bytes(csvs[case.table].decode("utf-8").encode(case.value))
        elif case.change == "delimiter":
            file.write_bytes(_csv_text(base_grids()[case.table], case.value).encode("utf-8"))
        elif case.change == "table":
            file.write_bytes(_csv_text(case.value).encode("utf-8", errors="replace"))
        else:
            file.write_bytes(case.data)
        return target
    target = folder / "instance.xlsx"
    if case.change == "cell":
        _xlsx_cell(book, target, case)
    elif case.change == "sheet":
        workbook = openpyxl.load_workbook(io.BytesIO(book))
        sheet = workbook[case.table]
        sheet.delete_rows(1, sheet.max_row)
        for row in case.value:
            sheet.append(row)
        workbook.save(target)
    else:
        target.write_bytes(case.data)
    return target


def _csv_text(grid: list[list[Any]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(grid)
    return out.getvalue()


def _xlsx_cell(book: bytes, target: Path, case: Case) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(book))
    sheet = workbook[case.table]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(case.row, header.index(case.column) + 1)
    value = case.value
    if isinstance(value, ErrorCell):
        cell.value = value.code
        cell.data_type = "e"
    elif isinstance(value, FormulaCell):
        cell.value = value.text
        cell.data_type = "f"
    else:
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text as typed, even "#N/A" or "=1+1"
    workbook.save(target)


# --- what the format says about a changed cell ------------------------------------------------

@dataclass(frozen=True)
class Expectation:
    """``reject``: the cell must be refused; else ``value`` (if known) is what it must read as."""

    reject: bool = False
    value: Any = None
    known: bool = False


def _reject() -> Expectation:
    return Expectation(reject=True)


def _value(value: Any) -> Expectation:
    return Expectation(value=value, known=True)


def expectation(column: Column, value: Any) -> Expectation:
    """What the documented format says the reader must do with ``value`` in ``column``."""
    if isinstance(value, (ErrorCell, FormulaCell)):
        return _reject()
    if isinstance(value, str):
        return _text_expectation(column, value)
    kind = column.kind
    if isinstance(value, bool):
        return _reject() if isinstance(kind, Integer) else Expectation()
    if isinstance(value, float) and not value.is_integer():
        return _reject() if isinstance(kind, Integer) else Expectation()
    if isinstance(value, (int, float)):
        return _number(kind, int(value)) if isinstance(kind, Integer) else Expectation()
    if isinstance(value, dt.datetime) and kind.name == "date":
        return (_value(value.date()) if FIRST_DAY <= value.date() <= LAST_DAY
                and value.time() == dt.time() else _reject())
    return Expectation()


def _text_expectation(column: Column, text: str) -> Expectation:
    stripped = text.strip()
    kind = column.kind
    if not stripped:
        if column.required:
            return _reject()
        return _value(column.default) if column.default is not None else Expectation()
    if stripped.lower() in {p.lower() for p in PLACEHOLDER_TEXTS + ERROR_CODES}:
        return _reject()
    if stripped.startswith("=") and len(stripped) > 1:
        return _reject()
    if isinstance(kind, Integer):
        if not WHOLE.fullmatch(text):
            return _reject()
        return _number(kind, int(stripped.split(".")[0]))
    if isinstance(kind, TimeZone):
        zones = zoneinfo.available_timezones() - {"localtime", "Factory", "posixrules"}
        return _value(stripped) if stripped in zones else _reject()
    if isinstance(kind, (Text, Id)):
        if kind.max_length is not None and len(stripped) > kind.max_length:
            return _reject()
        return _value(stripped)
    return Expectation()


def _number(kind: Integer, number: int) -> Expectation:
    low = kind.minimum if kind.minimum is not None else -(10**18)
    high = kind.maximum if kind.maximum is not None else 10**18
    return _value(number) if low <= number <= high else _reject()


# --- running a case -------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str = ""


def run_case(case: Case) -> Outcome:
    """Write the case, read it, and judge what came back."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_case(case, Path(tmp))
        try:
            instance = read_instance(path)
        except InputError as exc:
            return _judge_error(case, path, exc.problems)
        except Exception:  # the property under test: nothing else may escape
            return Outcome("traceback", traceback.format_exc(limit=-4))
        return _judge_instance(case, instance)


def _judge_error(case: Case, path: Path, problems: tuple[Problem, ...]) -> Outcome:
    for problem in problems:
        if not problem.source.startswith(str(path)) or not problem.message:
            return Outcome("unlocated error", str(problem))
        if problem.row is not None and problem.row < 1:
            return Outcome("unlocated error", str(problem))
    if case.change in ("encoding", "delimiter") and (case.change == "delimiter"
                                                     or case.value in SUPPORTED_ENCODINGS):
        return Outcome("wrong rejection", "\n".join(map(str, problems)))
    if (case.change == "cell" and not _blank_row(case)
            and expectation(_column(case), case.value).reject
            and not any(_at_cell(case, p) for p in problems)):
        return Outcome("unlocated error", "no problem at the cell: "
                       + "\n".join(map(str, problems)))
    return Outcome("clean error")


def _at_cell(case: Case, problem: Problem) -> bool:
    table = (problem.sheet == case.table if case.form == "xlsx"
             else problem.source.endswith(f"{case.table}.csv"))
    return table and (problem.row, problem.column) == (case.row, case.column)


def _column(case: Case) -> Column:
    return TABLE_BY_NAME[case.table].column(case.column)


def _blank_row(case: Case) -> bool:
    """True when the change empties the cell's whole row, which is then skipped as blank."""
    grid = base_grids()[case.table]
    row = list(grid[case.row - 1])
    row[grid[0].index(case.column)] = case.value
    return all(isinstance(v, str) and not v.strip() for v in row)


def _judge_instance(case: Case, instance: Instance) -> Outcome:
    if case.change in ("encoding", "delimiter", "flip"):
        same = instance == base_instance()
        return Outcome("accepted") if same else Outcome("wrong acceptance", "instance differs")
    if case.change != "cell":
        return Outcome("accepted")
    rows, base = instance_rows(instance), instance_rows(base_instance())
    if _blank_row(case):
        del base[case.table][case.row - 2]
        same = rows == base
        return Outcome("accepted") if same else Outcome("wrong acceptance", "not only the "
                                                        "emptied row was left out")
    expected = expectation(_column(case), case.value)
    if expected.reject:
        return Outcome("wrong acceptance", "the cell's value was accepted")
    for name in base:
        if name != case.table and rows[name] != base[name]:
            return Outcome("wrong acceptance", f"table {name} changed")
    if len(rows[case.table]) != len(base[case.table]):
        return Outcome("wrong acceptance", f"table {case.table} has another number of rows")
    index = case.row - 2
    for k, (got, was) in enumerate(zip(rows[case.table], base[case.table], strict=True)):
        if k != index and got != was:
            return Outcome("wrong acceptance", f"row {k + 2} of {case.table} changed")
    if expected.known and rows[case.table][index][case.column] != expected.value:
        return Outcome("wrong acceptance", f"read {rows[case.table][index][case.column]!r}, "
                       f"expected {expected.value!r}")
    return Outcome("accepted")

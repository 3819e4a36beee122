"""Fuzzing the timetable readers: a valid timetable file, damaged by hypothesis, read back.

A case starts from the tiny instance's valid timetable as written by the tool (CSV, JSON or
the ``.xlsx`` workbook) and changes one thing: a cell of the master table (placeholders,
spreadsheet errors, formulas, blanks, numbers, dates, long or random text, a value from another
row; in a workbook also error cells, formulas without a saved value, numbers, dates and
booleans; in JSON also null, lists, objects, booleans and floats), a column name, the encoding
(UTF-8 with or without BOM, UTF-16, GBK, CP1251) or delimiter (``;``, tab) of a CSV file, or the
whole file (empty, truncated, random bytes, random cells; a flipped byte of a workbook; JSON
nested deeply or of a random shape). Reading it must end in

- a timetable, or
- a clean :class:`~scheduler.errors.InputError` whose problems name the file (and, when a cell
  is at fault, its row and column),

never in another exception (a *traceback*), and never in a *wrong acceptance*: a timetable
returned although the changed cell holds what the format forbids there (a placeholder, an
error, a formula, a blank required cell, text in a period column, a period below 1, a last
period before the first, a boolean outside the ``pinned`` column, a list or object, a
``pinned`` cell that is not yes or no), or whose meeting from the changed row
is not what the cell says, or whose other meetings differ from the original, or (for a change
of encoding, delimiter or of a column the reader ignores) that differs at all. A *wrong
rejection* is a change the format supports (an accepted encoding or delimiter, a value the
format documents) that is refused.

The expectations are computed here, from the documented format (docs/exports.md), independently
of the reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
import tempfile
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st

from scheduler.errors import InputError, Problem
from scheduler.exports.workbook import write_workbook
from scheduler.timetable import ESSENTIAL_COLUMNS, MEETING_COLUMNS, Meeting, Timetable
from scheduler.timetable_io import read_timetable_file, write_timetable_csv, write_timetable_json
from tests.tiny import tiny_instance, valid_timetable

FORMS = ("csv", "json", "xlsx")
PLACEHOLDER_TEXTS = ("N/A", "n/a", "NA", "NULL", "null", "None", "none", "NaN", "nan", "nil",
                     "<NA>", "#N/A N/A", "-NaN", "NaT", "undefined")
ERROR_CODES = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
               "#CALC!", "#GETTING_DATA")
FORMULAS = ("=10+10", "=A1", "=SUM(B2:B9)", "=NA()", "=1/0", '="W1"', "=TODAY()")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
WHOLE = re.compile(r"\s*([+-]?)(\d+)(\.0*)?\s*")
ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

OUTCOMES = ("accepted", "clean error", "traceback", "wrong acceptance", "wrong rejection",
            "unlocated error")
GOOD_OUTCOMES = ("accepted", "clean error")
OPTIONAL_COLUMNS = ("interpreter_id", "pinned")
"""Read columns that a timetable may leave out."""


# --- the base files ---------------------------------------------------------------------------

@functools.cache
def base_files() -> dict[str, bytes]:
    """The valid timetable as written by the tool, by form (the workbook without its weekly
    grids, which the reader does not read, so that a case takes a tenth of the time)."""
    tiny, timetable = tiny_instance(), valid_timetable()
    with tempfile.TemporaryDirectory() as tmp:
        write_timetable_csv(tiny, timetable, Path(tmp) / "t.csv")
        write_timetable_json(tiny, timetable, Path(tmp) / "t.json")
        write_workbook(tiny, timetable, Path(tmp) / "t.xlsx")
        book = openpyxl.load_workbook(Path(tmp) / "t.xlsx")
        for sheet in book.sheetnames[2:]:
            book.remove(book[sheet])
        book.save(Path(tmp) / "t.xlsx")
        return {form: (Path(tmp) / f"t.{form}").read_bytes() for form in FORMS}


@functools.cache
def base_grid() -> list[list[str]]:
    """The master table as CSV text cells, row 1 the header."""
    return list(csv.reader(io.StringIO(base_files()["csv"].decode("utf-8"))))


BASE_MEETINGS = valid_timetable().meetings
"""The base meetings in row order (row 2 holds the first)."""


# --- cases ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ErrorCell:
    code: str


@dataclass(frozen=True)
class FormulaCell:
    text: str


@dataclass(frozen=True)
class Case:
    """One damaged copy of the base: ``form`` is csv, json or xlsx; ``change`` says what."""

    form: str
    change: str
    row: int = 0
    column: str = ""
    value: Any = None
    data: bytes = b""

    def describe(self) -> str:
        if self.change in ("cell", "header"):
            return f"{self.form} {self.change} row {self.row} {self.column} = {self.value!r}"
        return f"{self.form} {self.change} {self.value!r} {self.data[:60]!r}"


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_ANY_TEXT = st.text(max_size=30)


@st.composite
def cell_values(draw: st.DrawFn, form: str, column: str) -> Any:
    """A value for one cell: text for CSV; also special cells, numbers and dates for xlsx;
    also null, lists, objects, booleans and numbers for JSON."""
    index = MEETING_COLUMNS.index(column)
    others = [row[index] for row in base_grid()[1:]]
    styled = st.builds(lambda t, style, pad: pad + (t, t.upper(), t.lower())[style] + pad,
                       st.sampled_from(PLACEHOLDER_TEXTS), st.integers(0, 2),
                       st.sampled_from(("", " ")))
    texts = st.one_of(
        styled, st.sampled_from(ERROR_CODES), st.sampled_from(FORMULAS),
        st.sampled_from(("", "  ")),
        st.integers(-(10**30), 10**30).map(str), st.integers(-3, 12).map(str),
        st.sampled_from(("007", "+5", "5.0", " 12 ", "1e3", "3.5", "0x10", "٣", "'=W1", "'@R1",
                         "@R1", "-R1", "2026-09-07", "2026/9/7", "2026-02-30", "07.09.2026",
                         "2026-09-07 00:00", "9999-12-31", "1899-12-31")),
        st.integers(20, 1200).map(lambda n: "x" * n),
        st.sampled_from(others),
        _TEXT if form == "xlsx" else _ANY_TEXT,
    )
    if form == "csv":
        return draw(texts)
    if form == "xlsx":
        return draw(st.one_of(
            texts, st.sampled_from(ERROR_CODES).map(ErrorCell),
            st.sampled_from(FORMULAS).map(FormulaCell),
            st.integers(-(10**20), 10**20), st.integers(-2, 8),
            # a workbook keeps 15 significant digits of a float (as Excel does)
            st.floats(allow_nan=False, allow_infinity=False).map(lambda x: float(f"{x:.15g}")),
            st.booleans(),
            st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
        ))
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**40), 10**40),
                        st.floats(allow_nan=False, allow_infinity=False), _ANY_TEXT)
    return draw(st.one_of(
        texts, st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.integers(-2, 8),
        st.floats(allow_nan=False, allow_infinity=False),
        st.lists(scalars, max_size=3), st.dictionaries(_ANY_TEXT, scalars, max_size=3),
    ))


@st.composite
def cell_cases(draw: st.DrawFn, form: str) -> Case:
    row = draw(st.integers(2, len(BASE_MEETINGS) + 1))
    # the essential columns twice as often; `mode` only exists in terms that teach online
    essential = tuple(c for c in ESSENTIAL_COLUMNS if c in MEETING_COLUMNS)
    column = draw(st.sampled_from(essential + MEETING_COLUMNS))
    return Case(form, "cell", row, column, draw(cell_values(form, column)))


@st.composite
def header_cases(draw: st.DrawFn, form: str) -> Case:
    column = draw(st.sampled_from(MEETING_COLUMNS))
    value = draw(st.one_of(st.sampled_from(MEETING_COLUMNS),
                           st.sampled_from(("", " Date ", "ROOM_ID")), _TEXT))
    return Case(form, "header", 1, column, value)


ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "gbk", "cp1251")
SUPPORTED_ENCODINGS = ("utf-8-sig", "utf-16")


def _json_shapes() -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       _ANY_TEXT)
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
            ("meetings", "instance", "date", "room_id", "x")), inner, max_size=4)),
        max_leaves=12)


@st.composite
def file_cases(draw: st.DrawFn, form: str) -> Case:
    data = base_files()[form]
    changes = ["empty", "truncate", "garbage"]
    changes += {"csv": ["encoding", "delimiter", "table"], "json": ["nest", "shape"],
                "xlsx": ["flip", "table"]}[form]
    change = draw(st.sampled_from(changes))
    if change == "empty":
        return Case(form, change, data=draw(st.sampled_from((b"", b" ", b"\n\n", b"\xef\xbb\xbf"))))
    if change == "truncate":
        return Case(form, change, data=data[: draw(st.integers(0, len(data) - 1))])
    if change == "garbage":
        return Case(form, change, data=draw(st.binary(max_size=300)))
    if change == "flip":
        at, byte = draw(st.integers(0, len(data) - 1)), draw(st.integers(1, 255))
        return Case(form, change, value=at, data=data[:at] + bytes([data[at] ^ byte])
                    + data[at + 1:])
    if change == "encoding":
        return Case(form, change, value=draw(st.sampled_from(ENCODINGS)))
    if change == "delimiter":
        return Case(form, change, value=draw(st.sampled_from((";", "\t"))))
    if change == "nest":
        return Case(form, change, value=draw(st.integers(1, 50_000)))
    if change == "shape":
        return Case(form, change, value=draw(_json_shapes()))
    cell = st.one_of(st.sampled_from(MEETING_COLUMNS), _TEXT, st.integers(-5, 20).map(str),
                     st.sampled_from(PLACEHOLDER_TEXTS + ERROR_CODES + ("2026-09-07",)))
    return Case(form, change, value=draw(st.lists(st.lists(cell, max_size=8), max_size=6)))


def cases(form: str) -> st.SearchStrategy[Case]:
    """Cases for one form: mostly single cells, some column names and whole files."""
    return st.one_of(cell_cases(form), cell_cases(form), cell_cases(form), header_cases(form),
                     file_cases(form))


# --- writing a case ---------------------------------------------------------------------------

def write_case(case: Case, folder: Path) -> Path:
    """Write the damaged timetable under ``folder``; return its path."""
    path = folder / f"timetable.{case.form}"
    if case.change in ("empty", "truncate", "garbage", "flip"):
        path.write_bytes(case.data)
    elif case.form == "csv":
        path.write_bytes(_csv_bytes(case))
    elif case.form == "json":
        path.write_text(_json_text(case), encoding="utf-8")
    else:
        _write_xlsx(case, path)
    return path


def _csv_bytes(case: Case) -> bytes:
    grid = [list(row) for row in base_grid()]
    delimiter = ","
    if case.change in ("cell", "header"):
        grid[case.row - 1][MEETING_COLUMNS.index(case.column)] = case.value
    elif case.change == "table":
        grid = case.value
    elif case.change == "delimiter":
        delimiter = case.value
    out = io.StringIO()  # CRLF as Excel writes: a lone CR or LF in a cell is then quoted
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(grid)
    text = out.getvalue()
    if case.change == "encoding":
        try:
            return text.encode(case.value)
        except UnicodeEncodeError:  # the Cyrillic or Chinese names do not fit: drop them
            return text.encode(case.value, errors="replace")
    return text.encode("utf-8", errors="surrogatepass")


def _json_text(case: Case) -> str:
    document = json.loads(base_files()["json"])
    if case.change == "nest":
        return "[" * case.value + json.dumps(document) + "]" * case.value
    if case.change == "shape":
        return json.dumps(case.value)
    if case.change == "header":  # written by hand: the new name may repeat another key
        rows = [", ".join(f"{json.dumps(case.value if k == case.column else k)}: "
                          f"{json.dumps(v, ensure_ascii=False)}" for k, v in row.items())
                for row in document["meetings"]]
        return '{"meetings": [' + ", ".join("{" + r + "}" for r in rows) + "]}"
    document["meetings"][case.row - 2][case.column] = case.value
    return json.dumps(document, ensure_ascii=False)


def _write_xlsx(case: Case, path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(base_files()["xlsx"]))
    sheet = book["timetable"]
    if case.change == "table":
        sheet.delete_rows(1, sheet.max_row)
        for row in case.value:
            sheet.append(row)
    else:
        cell = sheet.cell(case.row, MEETING_COLUMNS.index(case.column) + 1)
        value = case.value
        if isinstance(value, ErrorCell):
            cell.value, cell.data_type = value.code, "e"
        elif isinstance(value, FormulaCell):
            cell.value, cell.data_type = value.text, "f"
        else:
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text as typed, even "#N/A" or "=1+1"
    book.save(path)


# --- what the format says about a changed cell ------------------------------------------------

@dataclass(frozen=True)
class Expectation:
    """``reject``: the cell must be refused; else, when ``known``, ``value`` is what it reads as
    (``None`` for a blank interpreter)."""

    reject: bool = False
    value: Any = None
    known: bool = False


REJECT = Expectation(reject=True)
UNKNOWN = Expectation()


def _value(value: Any) -> Expectation:
    return Expectation(value=value, known=True)


YES = ("yes", "y", "true", "1", "x", "是", "да")
NO = ("no", "n", "false", "0", "否", "нет")
"""What docs/exports.md says the ``pinned`` column accepts (any case; blank is no)."""


def _pinned(form: str, value: Any) -> Expectation:
    """What the documented format says about ``value`` in the optional ``pinned`` column."""
    if isinstance(value, bool):
        return _value(value)
    if value is None:
        return _value(False)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _value(bool(value)) if value in (0, 1) and abs(value) < 10**30 else REJECT
    if not isinstance(value, str):
        return REJECT
    stripped = value.strip()
    if not stripped:
        return _value(False)
    if stripped.startswith("=") and len(stripped) > 1:
        return REJECT
    if form == "csv" and value.startswith("'") and value.lstrip("'").startswith(TRIGGERS):
        stripped = value[1:].strip()
    if stripped.lower() in YES:
        return _value(True)
    return _value(False) if stripped.lower() in NO else REJECT


def expectation(form: str, column: str, value: Any) -> Expectation:
    """What the documented format says the reader must do with ``value`` in ``column``."""
    if column == "pinned":
        return _pinned(form, value)
    required = column != "interpreter_id"
    if isinstance(value, (ErrorCell, FormulaCell, bool, list, dict)):
        return REJECT
    if value is None:
        return REJECT if required else _value(None)
    if isinstance(value, str):
        return _text(form, column, value)
    if isinstance(value, float) and not value.is_integer():
        return REJECT if column in ("first_period", "last_period") else UNKNOWN
    if isinstance(value, int) and form == "json" and len(str(abs(value))) > 30:
        return REJECT  # docs/exports.md: JSON numbers of more than 30 digits are refused
    if isinstance(value, (int, float)):
        if column in ("first_period", "last_period"):
            return _value(int(value)) if 1 <= value < 10**18 else REJECT
        if column == "date":
            return UNKNOWN
        return _value(str(int(value)))
    if isinstance(value, dt.datetime):
        if column != "date":
            return REJECT
        ok = FIRST_DAY <= value.date() <= LAST_DAY and value.time() == dt.time()
        return _value(value.date()) if ok else REJECT
    return UNKNOWN


def _text(form: str, column: str, text: str) -> Expectation:
    stripped = text.strip()
    required = column != "interpreter_id"
    if not stripped:
        return REJECT if required else _value(None)
    if stripped.lower() in {p.lower() for p in PLACEHOLDER_TEXTS + ERROR_CODES}:
        return REJECT
    if stripped.startswith("=") and len(stripped) > 1:
        return REJECT
    if form == "csv" and text.startswith("'") and text.lstrip("'").startswith(TRIGGERS):
        text = text[1:]  # docs/exports.md, "Spreadsheet safety": the apostrophe is removed
    if column in ("first_period", "last_period"):
        match = WHOLE.fullmatch(text)
        if match is None:
            return REJECT
        number = int(match.group(1) + match.group(2))
        return _value(number) if 1 <= number < 10**18 else REJECT
    if column == "date":
        match = ISO_DATE.fullmatch(text)
        if match is None:
            return UNKNOWN if re.search(r"\d{4}", text) else REJECT
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return REJECT
        return _value(day) if FIRST_DAY <= day <= LAST_DAY else REJECT
    ident = text.strip(" \t\r\n")  # docs/exports.md: ids as in format.md
    if len(ident) > 64 or any(_deceptive(char) for char in ident):
        return REJECT
    return _value(ident)


def _deceptive(char: str) -> bool:
    """An invisible, full-width or unusual space character (docs/format.md, ids)."""
    category = unicodedata.category(char)
    return ("\uff01" <= char <= "\uff5e" or (category == "Zs" and char != " ")
            or category in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"))


# --- running a case ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str = ""


def run_case(case: Case) -> Outcome:
    """Write the case, read it, and judge what came back."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_case(case, Path(tmp))
        try:
            read = read_timetable_file(path)
        except InputError as exc:
            return _judge_error(case, path, exc.problems)
        except Exception:  # the property under test: nothing else may escape
            return Outcome("traceback", traceback.format_exc(limit=-4))
        return _judge_timetable(case, read.timetable, read.rows)


def _cell_expectation(case: Case) -> Expectation:
    """The expectation for a changed cell, with the last period's order rule."""
    if case.column not in ESSENTIAL_COLUMNS:
        return _value(None)  # an ignored column: the timetable must not change
    expected = expectation(case.form, case.column, case.value)
    if case.column in ("first_period", "last_period") and expected.known:
        base = BASE_MEETINGS[case.row - 2]
        first = expected.value if case.column == "first_period" else base.first_period
        last = expected.value if case.column == "last_period" else base.last_period
        if last < first:
            return REJECT
    return expected


def _supported(case: Case) -> bool:
    """A change the format documents as accepted: the timetable must read as the base."""
    if case.change == "delimiter":
        return True
    if case.change == "encoding":
        return case.value in SUPPORTED_ENCODINGS
    if case.change == "header":
        new = _header(case.value)
        return new == case.column or (case.column not in ESSENTIAL_COLUMNS
                                      and new not in ESSENTIAL_COLUMNS)
    return False


def _header(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _judge_error(case: Case, path: Path, problems: tuple[Problem, ...]) -> Outcome:
    for problem in problems:
        if problem.source != str(path) or not problem.message:
            return Outcome("unlocated error", str(problem))
        if problem.row is not None and problem.row < 1:
            return Outcome("unlocated error", str(problem))
    text = "\n".join(map(str, problems))
    if _supported(case):
        return Outcome("wrong rejection", text)
    if case.change == "cell":
        expected = _cell_expectation(case)
        if expected.reject:
            row = case.row - (case.form == "json")
            columns = ({"first_period", "last_period"} if case.column.endswith("_period")
                       else {case.column})  # a last period before the first: either cell
            at = [p for p in problems if p.row == row and p.column in columns]
            return Outcome("clean error") if at else Outcome("unlocated error",
                                                             "no problem at the cell: " + text)
        if expected.known:
            return Outcome("wrong rejection", text)
    return Outcome("clean error")


def _judge_timetable(case: Case, timetable: Timetable,
                     rows: dict[Meeting, tuple[int, ...]]) -> Outcome:
    base = Counter(BASE_MEETINGS)
    if _supported(case) or case.change == "flip":
        same = Counter(timetable.meetings) == base
        return Outcome("accepted") if same else Outcome("wrong acceptance", "timetable differs")
    if case.change == "header":
        if _header(case.value) in ESSENTIAL_COLUMNS and _header(case.value) != case.column:
            return Outcome("wrong acceptance", "a column named twice was accepted")
        if case.column in ESSENTIAL_COLUMNS and case.column not in OPTIONAL_COLUMNS \
                and _header(case.value) != case.column:
            return Outcome("wrong acceptance", f"the column {case.column} was renamed")
        return Outcome("accepted")
    if case.change != "cell":
        return Outcome("accepted")
    expected = _cell_expectation(case)
    if expected.reject:
        return Outcome("wrong acceptance", "the cell's value was accepted")
    row = case.row - (case.form == "json")
    changed = [m for m, numbers in rows.items() if row in numbers]
    if len(changed) != 1 or len(timetable.meetings) != len(BASE_MEETINGS):
        return Outcome("wrong acceptance", f"row {row} gave {changed}")
    was = BASE_MEETINGS[case.row - 2]
    if Counter(timetable.meetings) - Counter([changed[0]]) != base - Counter([was]):
        return Outcome("wrong acceptance", "another meeting changed")
    if case.column not in ESSENTIAL_COLUMNS:
        return Outcome("accepted") if changed[0] == was else Outcome(
            "wrong acceptance", f"an ignored column changed the meeting: {changed[0]}")
    got = (changed[0] in timetable.pinned if case.column == "pinned"
           else getattr(changed[0], case.column))
    if expected.known and got != expected.value:
        return Outcome("wrong acceptance", f"read {got!r}, expected {expected.value!r}")
    return Outcome("accepted")


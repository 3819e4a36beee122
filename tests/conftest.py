"""Shared fixtures: copies of the shipped instances to edit, and small helpers."""

from __future__ import annotations

import csv
import shutil
import signal
from pathlib import Path

import pytest

from scheduler.io.reader import read_instance
from scheduler.paths import DEFAULT_INSTANCE


@pytest.fixture(autouse=True)
def default_signal_handlers():
    """Each test starts with Python's own SIGINT and SIGTERM handlers and leaves them so: a
    handler left behind by an earlier test in the same worker (a Ctrl-C test, a Dask
    cluster) turned a later test's SIGINT into no KeyboardInterrupt (seen in CI)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    yield
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class CsvInstance:
    """A CSV-folder instance in a temporary directory, with cell-level editing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.csv"

    def rows(self, table: str) -> list[list[str]]:
        with self.path(table).open(encoding="utf-8-sig", newline="") as f:
            return list(csv.reader(f))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        with self.path(table).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)

    def set(self, table: str, row: int, column: str, value: str) -> None:
        """Set a cell; ``row`` counts as a spreadsheet does (row 1 is the header)."""
        rows = self.rows(table)
        rows[row - 1][rows[0].index(column)] = value
        self.write_rows(table, rows)

    def get(self, table: str, row: int, column: str) -> str:
        rows = self.rows(table)
        return rows[row - 1][rows[0].index(column)]

    def find_row(self, table: str, column: str, value: str) -> int:
        rows = self.rows(table)
        index = rows[0].index(column)
        return next(i + 1 for i, r in enumerate(rows) if i and r[index] == value)

    def append(self, table: str, **cells: str) -> int:
        """Append a row given by column names; return its row number."""
        rows = self.rows(table) if self.path(table).exists() else [list(cells)]
        header = rows[0]
        rows.append([cells.get(h, "") for h in header])
        self.write_rows(table, rows)
        return len(rows)

    def rename_column(self, table: str, old: str, new: str) -> None:
        rows = self.rows(table)
        rows[0][rows[0].index(old)] = new
        self.write_rows(table, rows)


@pytest.fixture
def fall(tmp_path: Path) -> CsvInstance:
    """An editable copy of the default instance (CSV folder)."""
    target = tmp_path / "fall"
    shutil.copytree(DEFAULT_INSTANCE, target, ignore=shutil.ignore_patterns("scenarios"))
    return CsvInstance(target)


@pytest.fixture(scope="session")
def fall_instance():
    """The default instance, read once."""
    return read_instance(DEFAULT_INSTANCE)

"""Workbook fixtures written by openpyxl, edited cell by cell as a user (or a script) would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler.errors import InputError, Problem
from scheduler.io.reader import read_instance
from scheduler.io.writer import write_instance_xlsx


class Workbook:
    """An instance workbook on disk; ``set`` edits one cell by sheet, row and column name."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def set(self, sheet: str, row: int, column: str, value: Any,
            data_type: str | None = None) -> None:
        """Set a cell; ``data_type`` 'e' makes an error cell, 's' forces text."""
        book = openpyxl.load_workbook(self.path)
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        cell = ws.cell(row, header.index(column) + 1)
        cell.value = value
        if data_type is not None:
            cell.data_type = data_type
        book.save(self.path)


@pytest.fixture
def workbook(tmp_path: Path, fall_instance) -> Workbook:
    """The default instance as an .xlsx workbook to edit."""
    path = tmp_path / "fall.xlsx"
    write_instance_xlsx(fall_instance, path)
    return Workbook(path)


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        read_instance(path)
    return caught.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]

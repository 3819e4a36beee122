"""Fixtures: the tiny instance (tests/tiny.py) and its verified 13-meeting timetable."""

from __future__ import annotations

import pytest

from scheduler.instance import Instance
from scheduler.timetable import Timetable
from tests.tiny import tiny_instance, valid_timetable


@pytest.fixture(scope="module")
def tiny() -> Instance:
    return tiny_instance()


@pytest.fixture(scope="module")
def timetable() -> Timetable:
    return valid_timetable()

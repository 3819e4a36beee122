"""Shared fixtures: the ITC2007 toy instance in both formats, and tiny hand-written instances."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.cbctt.instance import CbcttInstance
from scheduler.cbctt.reader import parse_cbctt, read_cbctt

DATA = Path(__file__).parent / "data"


@pytest.fixture
def toy() -> CbcttInstance:
    return read_cbctt(DATA / "toy.ctt")


@pytest.fixture
def toy_ectt() -> CbcttInstance:
    return read_cbctt(DATA / "toy.ectt")


@pytest.fixture
def comp01() -> CbcttInstance:
    return read_cbctt(DATA / "comp01.ctt")


def ctt(
    courses: str,
    rooms: str,
    curricula: str = "",
    unavailability: str = "",
    days: int = 2,
    periods_per_day: int = 3,
) -> CbcttInstance:
    """A .ctt instance from its sections (one record per line); counts are filled in."""

    def lines(block: str) -> list[str]:
        return [line.strip() for line in block.strip().splitlines() if line.strip()]

    c, r, q, u = lines(courses), lines(rooms), lines(curricula), lines(unavailability)
    text = "\n".join([
        "Name: Tiny", f"Courses: {len(c)}", f"Rooms: {len(r)}", f"Days: {days}",
        f"Periods_per_day: {periods_per_day}", f"Curricula: {len(q)}", f"Constraints: {len(u)}",
        "", "COURSES:", *c, "", "ROOMS:", *r, "", "CURRICULA:", *q, "",
        "UNAVAILABILITY_CONSTRAINTS:", *u, "", "END.", "",
    ])
    return parse_cbctt(text, "tiny.ctt")

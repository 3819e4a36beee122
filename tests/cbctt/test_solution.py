"""Solution files: writing in the ITC2007 format and reading with precise errors."""

from __future__ import annotations

import errno

import pytest

from scheduler.cbctt.solution import Placement, parse_solution, read_solution, write_solution
from scheduler.errors import InputError, OutputError


def test_round_trip(tmp_path, toy):
    placements = (Placement("TecCos", "B", 1, 2), Placement("SceCosC", "A", 0, 3))
    path = tmp_path / "out" / "toy.sol"
    write_solution(placements, toy, path)
    # Lines follow the instance's course order.
    assert path.read_text() == "SceCosC A 0 3\nTecCos B 1 2\n"
    assert set(read_solution(path, toy)) == set(placements)


def test_a_write_that_cannot_complete_keeps_the_previous_solution(tmp_path, toy, monkeypatch):
    """The file is written beside its target and renamed onto it: when the rename fails (the
    file is open in another program, a disk error) the previous solution stays whole and no
    temporary file is left."""
    import scheduler.atomic as atomic

    path = tmp_path / "toy.sol"
    write_solution((Placement("SceCosC", "A", 0, 3),), toy, path)

    def refused(source, target):
        raise PermissionError(errno.EACCES, "the file is open in another program")

    monkeypatch.setattr(atomic.os, "replace", refused)
    with pytest.raises(OutputError, match="the file is open in another program"):
        write_solution((Placement("TecCos", "B", 1, 2),), toy, path)
    assert path.read_text() == "SceCosC A 0 3\n"
    assert [p.name for p in tmp_path.iterdir()] == ["toy.sol"]


def test_every_bad_line_is_reported(toy):
    text = "\n".join([
        "SceCosC A 0 0",
        "Nope A 0 0",
        "SceCosC Z 0 0",
        "SceCosC A 5 0",
        "SceCosC A 0 4",
        "SceCosC A x 0",
        "SceCosC A 0",
        "",
    ])
    with pytest.raises(InputError) as info:
        parse_solution(text, toy, "toy.sol")
    found = [(p.line, p.message) for p in info.value.problems]
    assert found == [
        (2, "unknown course 'Nope'."),
        (3, "unknown room 'Z'."),
        (4, "day 5 is out of range: days are 0 to 4."),
        (5, "period 4 is out of range: periods are 0 to 3."),
        (6, "the day must be an integer, found 'x'."),
        (7, "expected 4 fields 'course room day period', found 3."),
    ]
    assert str(info.value.problems[0]) .startswith("toy.sol, line 2: unknown course 'Nope'.")

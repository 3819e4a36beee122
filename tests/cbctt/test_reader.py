"""Reading .ctt and .ectt files: the data read, and every problem reported with its line."""

from __future__ import annotations

import pytest

from scheduler.cbctt.reader import CbcttInputWarning, parse_cbctt, read_cbctt
from scheduler.errors import InputError

from .conftest import DATA

GOOD_CTT = """Name: Tiny
Courses: 2
Rooms: 2
Days: 2
Periods_per_day: 3
Curricula: 1
Constraints: 1

COURSES:
c1 t1 2 2 30
c2 t2 1 1 10

ROOMS:
A 20
B 40

CURRICULA:
q1 2 c1 c2

UNAVAILABILITY_CONSTRAINTS:
c1 1 2

END.
"""


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(InputError) as info:
        parse_cbctt(text, "bad.ctt")
    assert all(p.source == "bad.ctt" for p in info.value.problems)
    return [(p.line, p.message) for p in info.value.problems]


def test_toy_ctt(toy):
    assert toy.name == "ToyExample" and toy.format == "ctt"
    assert (toy.days, toy.periods_per_day, toy.num_periods) == (5, 4, 20)
    assert [c.id for c in toy.courses] == ["SceCosC", "ArcTec", "TecCos", "Geotec"]
    assert toy.courses[2].teacher == "Rosa" and toy.courses[2].lectures == 5
    assert toy.courses[2].min_working_days == 4 and toy.courses[2].students == 40
    assert [(r.id, r.capacity) for r in toy.rooms] == [("A", 32), ("B", 50)]
    assert toy.curricula[1].courses == ("TecCos", "Geotec")
    assert ("ArcTec", 4, 3) in toy.unavailability and len(toy.unavailability) == 8
    assert toy.num_lectures == 16


def test_toy_ectt(toy_ectt):
    t = toy_ectt
    assert t.format == "ectt" and t.daily_lectures == (2, 3)
    r = t.rooms[0]
    assert (r.id, r.capacity, r.building) == ("rA", 32, "1")
    assert t.courses[0].double_lectures and not t.courses[1].double_lectures
    assert t.room_constraints == {("SceCosC", "rA"), ("Geotec", "rB"), ("TecCos", "rC")}


def test_format_is_recognised_from_the_header_not_the_name(tmp_path):
    path = tmp_path / "instance.txt"
    path.write_text((DATA / "toy.ectt").read_text())
    assert read_cbctt(path).format == "ectt"


def test_good_text_reads():
    inst = parse_cbctt(GOOD_CTT)
    assert inst.available[0][inst.period(1, 2)] is False
    assert inst.conflict_cliques == ((0, 1),)


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_cbctt(tmp_path / "nope.ctt")
    assert "cannot read the file" in info.value.problems[0].message


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("Courses: 2", "Courses: two", 2, "'Courses' must be an integer, found 'two'"),
        ("Days: 2", "Days: 0", 4, "'Days' must be at least 1, found 0"),
        ("Rooms: 2\n", "Rooms: 2\nColour: red\n", 4, "unknown header field 'Colour'"),
        ("c2 t2 1 1 10", "c2 t2 1 1", 11, "COURSES line has 4 fields, expected 5"),
        ("c2 t2 1 1 10", "c2 t2 x 1 10", 11, "lectures of course c2 must be an integer"),
        ("c2 t2 1 1 10", "c2 t2 1 1 -3", 11, "students of course c2 must be at least 0"),
        ("c2 t2 1 1 10", "c1 t2 1 1 10", 11, "duplicate course id 'c1' (first on line 10)"),
        ("B 40", "A 40", 15, "duplicate room id 'A' (first on line 14)"),
        ("B 40", "B forty", 15, "capacity of room B must be an integer"),
        ("q1 2 c1 c2", "q1 2 c1 c9", 18, "curriculum q1 lists unknown course 'c9'"),
        ("q1 2 c1 c2", "q1 3 c1 c2", 18, "curriculum q1 says 3 courses but lists 2"),
        ("q1 2 c1 c2", "q1 2 c1 c1", 18, "curriculum q1 lists course c1 more than once"),
        ("c1 1 2\n", "c7 1 2\n", 21, "unavailability of unknown course 'c7'"),
        ("c1 1 2\n", "c1 2 2\n", 21, "day 2 is out of range: days are 0 to 1"),
        ("c1 1 2\n", "c1 1 3\n", 21, "period 3 is out of range: periods of a day are 0 to 2"),
        ("c1 1 2\n", "c1 one 2\n", 21, "the day must be an integer, found 'one'"),
        ("Constraints: 1", "Constraints: 2", 20,
         "section UNAVAILABILITY_CONSTRAINTS: has 1 lines but the header (line 7) says "
         "Constraints: 2"),
        ("Curricula: 1", "Curricula: 0", 17,
         "section CURRICULA: has 1 lines but the header (line 6) says Curricula: 0"),
        ("END.\n", "", 21, "the file ends without the closing line 'END.'"),
        ("END.\n", "END.\nc2 A 0 0\n", 24, "text after 'END.' (line 23)"),
        ("CURRICULA:", "CURRICULUMS:", 17, "unknown section 'CURRICULUMS:'"),
        ("Constraints: 1", "Limits: 1", 7, "unknown header field 'Limits'"),
        # a model of 20,000 periods took 11 s to build, past the time limit and Ctrl-C
        ("Days: 2", "Days: 2000", 4, "'Days' must be at most 31, found 2,000"),
        ("Periods_per_day: 3", "Periods_per_day: 49", 5,
         "'Periods_per_day' must be at most 48, found 49"),
        # numbers the model's arithmetic cannot carry ended in a traceback
        ("c2 t2 1 1 10", "c2 t2 1 1 99999999999999999999999", 11,
         "students of course c2 must be at most 1,000,000,000, found 99,999,999,999,999,"),
        ("B 40", "B 5000000000", 15, "capacity of room B must be at most 1,000,000,000"),
        ("c2 t2 1 1 10", "c2\x00 t2 1 1 10", 11,
         "the line holds the invisible character U+0000"),
        ("c2 t2 1 1 10", "c2 t2\u200b 1 1 10", 11,
         "the line holds the invisible character U+200B (ZERO WIDTH SPACE)"),
    ],
)
def test_each_problem_is_reported_with_its_line(old, new, line, message):
    assert old in GOOD_CTT
    found = problems(GOOD_CTT.replace(old, new, 1))
    assert any(ln == line and message in text for ln, text in found), found


def test_all_problems_of_a_file_are_reported_at_once():
    text = GOOD_CTT.replace("c2 t2 1 1 10", "c2 t2 1 x 10").replace("B 40", "B -1")
    text = text.replace("c1 1 2\n", "c1 9 2\n")
    found = problems(text)
    assert [ln for ln, _ in found] == [11, 15, 21]


def test_ectt_rules():
    ectt = (DATA / "toy.ectt").read_text()
    found = problems(ectt.replace("SceCosC rA\n", "SceCosC rZ\n").replace(
        "Geotec Scarlatti 5 4 18 1", "Geotec Scarlatti 5 4 18 2"))
    assert (15, "double_lectures of course Geotec must be 0 or 1, found '2'.") in found
    assert any(ln == 37 and "unknown room 'rZ'" in m for ln, m in found)
    found = problems(ectt.replace("Min_Max_Daily_Lectures: 2 3", "Min_Max_Daily_Lectures: 4 3"))
    assert (7, "the daily minimum 4 exceeds the maximum 3.") in found


def test_room_constraints_do_not_belong_to_ctt():
    text = GOOD_CTT.replace("END.", "ROOM_CONSTRAINTS:\nc1 A\n\nEND.")
    assert any("belongs to the .ectt format" in m for _, m in problems(text))


def test_repeated_unavailability_warns_and_reads():
    text = GOOD_CTT.replace("Constraints: 1", "Constraints: 2").replace(
        "c1 1 2\n", "c1 1 2\nc1 1 2\n")
    with pytest.warns(CbcttInputWarning, match="repeats the unavailability on line 21"):
        inst = parse_cbctt(text)
    assert inst.unavailability == {("c1", 1, 2)}


def test_a_lower_case_section_name_is_one_problem_not_one_per_line():
    assert problems(GOOD_CTT.replace("COURSES:", "courses:")) == [
        (9, "section names are upper-case: 'courses:' should be 'COURSES:'.")]

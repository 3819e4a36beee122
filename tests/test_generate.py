"""The instance generator: deterministic, valid at every size, realistic in shape, with slack;
and the shipped instances equal what their build script writes."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.availability import Availability
from scheduler.calendar import TermCalendar
from scheduler.generate import (
    EARLIEST_ARRIVAL,
    LATEST_DEPARTURE,
    PROGRAMMES,
    STEADY_STUDENTS,
    generate_instance,
    generate_steady,
)
from scheduler.instance import Instance
from scheduler.io.reader import read_instance
from scheduler.paths import DEFAULT_INSTANCE, INSTANCES_DIR, STEADY_INSTANCE
from scheduler.validate import check_instance, cohort_courses, validate_instance


@pytest.fixture(scope="module")
def steady() -> Instance:
    return generate_steady()


def _students(instance: Instance) -> int:
    return sum(c.size for c in instance.cohorts if c.parent is None)


# --- determinism and validity ----------------------------------------------------------------


def test_same_arguments_give_equal_instances():
    assert generate_instance(400, seed=3) == generate_instance(400, seed=3)
    assert generate_instance(400, seed=3) != generate_instance(400, seed=4)


@settings(max_examples=6, deadline=None)
@given(students=st.integers(min_value=30, max_value=2000),
       seed=st.integers(min_value=0, max_value=10**6))
def test_every_size_and_seed_is_valid(students: int, seed: int):
    instance = generate_instance(students, seed)
    assert check_instance(instance) == []
    assert _students(instance) == students


@pytest.mark.parametrize("students", [1, 2, 7, 24, 31, 57])
def test_tiny_sizes_are_valid(students: int):
    instance = generate_instance(students, seed=1)
    validate_instance(instance)
    assert _students(instance) == students


@pytest.mark.parametrize("options", [
    {"russian_share": 0.0}, {"russian_share": 1.0}, {"visiting_share": 0.0, "visitors": 0},
    {"visiting_share": 0.05}, {"russian_taught_share": 1.0}, {"bookings": False},
])
def test_parameter_extremes_are_valid(options: dict):
    validate_instance(generate_instance(600, seed=2, **options))


def test_a_whole_college_of_13000_students_is_valid():
    # 8x the steady state, about 2 s to generate and validate.
    instance = generate_instance(13_000, seed=0)
    validate_instance(instance)
    assert len(instance.rooms) >= 250
    assert 180 <= sum(t.visiting for t in instance.teachers) <= 200


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="students"):
        generate_instance(0)
    with pytest.raises(ValueError, match="students"):
        generate_instance(150_001)
    with pytest.raises(ValueError, match="russian_share"):
        generate_instance(100, russian_share=1.5)


# --- realistic shape -------------------------------------------------------------------------


def test_steady_state_has_every_programme_and_year(steady: Instance):
    years = Counter((c.program, c.level, c.year) for c in steady.cohorts if c.parent is None)
    expected = {(p.name, p.level, y) for p in PROGRAMMES for y in range(1, p.years + 1)}
    assert set(years) == expected
    assert _students(steady) == STEADY_STUDENTS
    sizes = [c.size for c in steady.cohorts if c.parent is None]
    assert min(sizes) >= 20 and max(sizes) <= 40
    assert all(c.students_cn and c.students_ru for c in steady.cohorts if c.parent is None)
    mixes = Counter((c.students_cn, c.students_ru) for c in steady.cohorts if c.parent is None)
    assert len(mixes) >= 15  # cohorts differ from one programme-year to the next


def test_sub_groups_are_language_groups_or_lab_halves(steady: Instance):
    subgroups = [c for c in steady.cohorts if c.parent is not None]
    language = [c for c in subgroups if c.id.endswith(("-CN", "-RU"))]
    halves = [c for c in subgroups if c.id.endswith(("-L1", "-L2"))]
    assert language and halves
    assert all((c.students_cn == 0) != (c.students_ru == 0) for c in language)
    for parent in (c for c in steady.cohorts if c.parent is None):
        groups = steady.subgroups_of(parent.id)
        if groups:  # sub-groups of one cohort partition it (they never clash)
            assert sum(g.students_cn for g in groups) == parent.students_cn
            assert sum(g.students_ru for g in groups) == parent.students_ru


def test_courses_mix_shared_lectures_labs_languages_and_intensives(steady: Instance):
    kinds = Counter(c.room_type for c in steady.courses)
    assert {"lecture", "seminar", "language_lab", "computer_lab", "iot_lab",
            "media_studio"} <= set(kinds)
    assert any(len(c.cohorts) >= 3 and c.room_type == "lecture" for c in steady.courses)
    language_courses = [c for c in steady.courses if not c.needs_interpreter]
    assert {c.language for c in language_courses} == {"ru", "zh"}
    intensive = [c for c in steady.courses if c.delivery == "intensive"]
    assert {c.language for c in intensive} == {"ru", "en"}
    assert all(steady.teacher_by_id[t].visiting for c in intensive for t in c.teachers)


def test_visitors_are_about_one_and_a_half_percent_with_one_or_two_trips(steady: Instance):
    visitors = [t for t in steady.teachers if t.visiting]
    assert len(visitors) == round(0.015 * STEADY_STUDENTS)
    assert all(t.institution == "FEFU" for t in visitors)
    assert {len(steady.windows_of(t.id)) for t in visitors} == {1, 2}
    for w in steady.travel_windows:
        assert w.arrival >= EARLIEST_ARRIVAL and w.departure <= LATEST_DEPARTURE
        assert not (w.teach_on_arrival or w.teach_on_departure)


def test_rooms_scale_with_students():
    counts = [len(generate_instance(n, seed=0).rooms) for n in (100, 825, 1650, 3300)]
    assert counts == sorted(counts) and counts[2] >= 40 and counts[3] > 1.5 * counts[2]


def test_names_are_in_their_own_scripts(steady: Instance):
    for person in [*steady.teachers, *steady.interpreters]:
        cyrillic = any("а" <= ch <= "я" or "А" <= ch <= "Я" for ch in person.name)
        han = any("\u4e00" <= ch <= "\u9fff" for ch in person.name)
        assert cyrillic != han, person.name
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t.name)
               for t in steady.teachers if t.institution == "CQUPT")


# --- slack for a solver ----------------------------------------------------------------------


def test_interpreters_cover_every_course_that_needs_one(steady: Instance):
    needing = [c for c in steady.courses if steady.interpreter_pairs(c)]
    assert needing
    for course in needing:
        pairs = steady.interpreter_pairs(course)
        assert any(all(i.covers(p) for p in pairs) for i in steady.interpreters), course.id


def test_weekly_courses_deliver_on_every_weekday(steady: Instance):
    calendar = TermCalendar(steady)
    for c in steady.courses:
        if c.delivery == "weekly":
            worst = min(len(calendar.occurrences(d, c.weeks)) for d in range(5))
            assert worst * (c.meetings_per_week or 0) * c.meeting_length >= c.contact_periods


def test_teachers_and_cohorts_are_well_below_their_limits(steady: Instance):
    for t in steady.teachers:
        courses = [c for c in steady.courses if t.id in c.teachers]
        if not t.visiting:
            weekly = sum((c.meetings_per_week or 0) * c.meeting_length for c in courses)
            assert weekly <= t.max_periods_per_week / 2
            continue
        calendar = TermCalendar(steady)
        spans = [w.teaching_dates() for w in steady.windows_of(t.id)]
        days = sum(any(a <= d.date <= b for a, b in spans) for d in calendar.days)
        assert sum(c.contact_periods for c in courses) <= 3 * days  # 4-6 a day leaves slack
    for cohort in steady.cohorts:
        if steady.subgroups_of(cohort.id):
            continue
        load = sum(c.contact_periods for c in cohort_courses(steady, cohort.id)) / 17
        assert load <= 26


def test_rooms_are_at_most_about_half_used_in_the_busiest_week(steady: Instance):
    calendar = TermCalendar(steady)
    availability = Availability(steady)
    for room_type in sorted({r.room_type for r in steady.rooms}):
        rooms = [r for r in steady.rooms if r.room_type == room_type]
        # intensive teaching, spread over the visitors' season (about 14 weeks)
        intensive = sum(c.contact_periods for c in steady.courses
                        if c.room_type == room_type and c.delivery == "intensive")
        spread = intensive / (14 * 5 * 8 * len(rooms))
        for week in range(1, 19):
            days = [d for d in calendar.days if d.calendar_week == week]
            weekly = sum((c.meetings_per_week or 0) * c.meeting_length for c in steady.courses
                         if c.room_type == room_type and c.delivery == "weekly"
                         and week in c.weeks)
            booked = sum(not availability.room_free(r.id, d, p)
                         for r in rooms for d in days for p in range(1, 9))
            used = weekly / (5 * 8 * len(rooms)) + booked / (len(days) * 8 * len(rooms))
            assert used + spread <= 0.6, (room_type, week, used, spread)


# --- shipped instances -----------------------------------------------------------------------


def test_shipped_steady_instance_equals_a_fresh_generation(steady: Instance, tmp_path):
    """Equal as read, and byte for byte as written: running instances/build_steady.py in a
    checkout changes no file (it rewrote five, with the writer's newer columns)."""
    from scheduler.io.writer import write_instance

    assert read_instance(STEADY_INSTANCE) == steady
    write_instance(steady, tmp_path / "steady")
    written = {p.name: p.read_bytes() for p in (tmp_path / "steady").iterdir()}
    assert written == {p.name: p.read_bytes() for p in STEADY_INSTANCE.iterdir()}


def test_shipped_workbook_equals_the_default_csv_folder():
    workbook = INSTANCES_DIR / "cqupt-fefu-2026-fall.xlsx"
    assert read_instance(workbook) == read_instance(DEFAULT_INSTANCE)


def test_steady_instance_size_is_documented():
    readme = (INSTANCES_DIR / "README.md").read_text(encoding="utf-8")
    instance = read_instance(STEADY_INSTANCE)
    assert f"{len(instance.courses)} courses" in readme
    assert f"{len(instance.rooms)} rooms" in readme
    assert math.isclose(_students(instance), STEADY_STUDENTS)


def test_the_command_refuses_a_size_it_cannot_build_and_folders_of_other_files(tmp_path):
    """--students 99999999999999999999999999 grew to 23 GB; from 168,473 on it ended in a
    traceback. A folder of other files (or a copy of an instance with its scenarios) was
    written into, leaving an invalid instance."""
    from click.testing import CliRunner

    import cli

    runner = CliRunner()
    huge = runner.invoke(cli.main, ["generate", "-n", "99999999999999999999999999", "-o",
                                    str(tmp_path / "huge")])
    assert huge.exit_code == 2 and "more than the 150,000 students" in huge.output
    assert not (tmp_path / "huge").exists()
    empty = runner.invoke(cli.main, ["generate", "-n", "30", "-o", ""])
    assert empty.exit_code == 2 and "the path is empty" in empty.output
    other = tmp_path / "other"
    other.mkdir()
    (other / "budget.csv").write_text("x\n", encoding="utf-8")
    refused = runner.invoke(cli.main, ["generate", "-n", "30", "-o", str(other)])
    assert refused.exit_code == 2 and "budget.csv" in refused.output
    assert [p.name for p in other.iterdir()] == ["budget.csv"]
    again = tmp_path / "again"
    for students in (30, 40):  # an instance's own tables are replaced
        done = runner.invoke(cli.main, ["generate", "-n", str(students), "-o", str(again)])
        assert done.exit_code == 0, done.output
    assert "Wrote" in done.output and "cohort (+" in done.output
    validate_instance(read_instance(again))


def test_a_workbook_that_cannot_be_saved_is_an_output_error(tmp_path, monkeypatch):
    """A full disk ended in xlsxwriter's FileCreateError traceback (a CSV folder said why)."""
    import errno

    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    from scheduler.errors import OutputError
    from scheduler.io.writer import write_instance

    def full(self):
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise FileCreateError(exc) from exc

    monkeypatch.setattr(xlsxwriter.Workbook, "close", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_instance(generate_instance(30), tmp_path / "t.xlsx")
    assert list(tmp_path.iterdir()) == []

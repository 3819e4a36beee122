"""plot_timetable: the files of each kind, formats, and refusals."""

from __future__ import annotations

import errno

import pytest

from scheduler.errors import InputError, OutputError
from scheduler.plotting import PLOT_KINDS, plot_timetable


def _names(paths):
    return [p.name for p in paths]


def test_visitors_and_occupancy_files(tiny, timetable, tmp_path):
    assert PLOT_KINDS == ("visitors", "cohort", "room", "occupancy")
    assert _names(plot_timetable(tiny, timetable, "visitors", tmp_path)) == [
        "visitors.png", "visitors.svg"]
    paths = plot_timetable(tiny, timetable, "occupancy", tmp_path, formats=("png",))
    assert _names(paths) == ["occupancy.png", "occupancy-slots.png"]
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)
    assert (tmp_path / "visitors.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_several_kinds_into_one_folder(tiny, timetable, tmp_path):
    """``plot -k visitors -k occupancy`` kept only the last kind (click's single option)."""
    from click.testing import CliRunner

    import cli
    from scheduler.io.writer import write_instance_csv
    from scheduler.timetable_io import write_timetable_csv

    assert _names(plot_timetable(tiny, timetable, ("visitors", "occupancy"), tmp_path / "a",
                                 formats=("png",))) == [
        "visitors.png", "occupancy.png", "occupancy-slots.png"]
    with pytest.raises(ValueError, match="one kind with 'which'"):
        plot_timetable(tiny, timetable, ("cohort", "room"), tmp_path / "b", which=["C1"])
    write_instance_csv(tiny, tmp_path / "tiny")
    write_timetable_csv(tiny, timetable, tmp_path / "t.csv")
    runner = CliRunner()
    result = runner.invoke(cli.main, ["plot", str(tmp_path / "tiny"), str(tmp_path / "t.csv"),
                                      "-k", "visitors", "-k", "occupancy", "-f", "png", "-o",
                                      str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        "occupancy-slots.png", "occupancy.png", "visitors.png"]
    refused = runner.invoke(cli.main, ["plot", str(tmp_path / "tiny"), str(tmp_path / "t.csv"),
                                       "-k", "cohort", "-k", "room", "-w", "C1", "-o",
                                       str(tmp_path / "d")])
    assert refused.exit_code == 2 and "give one --kind" in refused.output
    assert not (tmp_path / "d").exists()


def test_cohort_pictures_for_chosen_cohorts(tiny, timetable, tmp_path):
    paths = plot_timetable(tiny, timetable, "cohort", tmp_path, which=["C1-A"],
                           formats=("png", "pdf"))
    assert _names(paths) == ["cohort-C1-A-week.png", "cohort-C1-A-week.pdf",
                             "cohort-C1-A-term.png", "cohort-C1-A-term.pdf"]
    assert (tmp_path / "cohort-C1-A-week.pdf").read_bytes().startswith(b"%PDF")


def test_room_pictures_default_to_rooms_with_meetings(tiny, timetable, tmp_path):
    from scheduler.timetable import Timetable

    only_lab = Timetable(tuple(x for x in timetable.meetings if x.room_id == "L1"))
    paths = plot_timetable(tiny, only_lab, "room", tmp_path, formats=("png",))
    assert _names(paths) == ["room-L1-week.png", "room-L1-term.png"]


def test_refusals(tiny, timetable, tmp_path):
    with pytest.raises(InputError, match="unknown cohort 'C9'"):
        plot_timetable(tiny, timetable, "cohort", tmp_path, which=["C1", "C9"])
    with pytest.raises(ValueError, match="Expected kind in visitors, cohort, room, occupancy"):
        plot_timetable(tiny, timetable, "teachers", tmp_path)
    with pytest.raises(ValueError, match="Expected formats among png, svg, pdf"):
        plot_timetable(tiny, timetable, "visitors", tmp_path, formats=("jpg",))
    assert list(tmp_path.iterdir()) == []


def test_pictures_failing_part_way_leave_the_folder_as_it_was(tiny, timetable, tmp_path,
                                                              monkeypatch):
    """The pictures are saved one by one: a disk that fills up at the second leaves the
    folder as the previous run left it (no picture of the failed run in it)."""
    import scheduler.plotting.files as files

    plot_timetable(tiny, timetable, "occupancy", tmp_path, formats=("png",))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real, calls = files.save_figure, []

    def filling_up(figure, folder, stem, formats):
        calls.append(stem)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(folder / stem))
        return real(figure, folder, stem, formats)

    monkeypatch.setattr(files, "save_figure", filling_up)
    with pytest.raises((OutputError, OSError)) as raised:
        plot_timetable(tiny, timetable, "occupancy", tmp_path, formats=("svg",))
    assert len(calls) == 2
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert isinstance(raised.value, OutputError) and "No space left" in str(raised.value)


@pytest.fixture
def shared_drawing(monkeypatch):
    """Cohort and room pictures shared with a second process even on the tiny term."""
    import scheduler.plotting.files as files

    monkeypatch.setattr(files, "BACKGROUND_FROM", 2)
    monkeypatch.setattr(files.os, "cpu_count", lambda: 2)
    started: list[object] = []
    real = files.Running

    def running(job):
        started.append(job)
        return real(job)
    monkeypatch.setattr(files, "Running", running)
    return started


def test_pictures_shared_with_a_second_process_are_those_drawn_alone(tiny, timetable,
                                                                     tmp_path,
                                                                     shared_drawing):
    """A large term's cohort pictures took minutes with no sign of life (150 cohorts: over
    200 s): they are now drawn by several processes, with progress reported."""
    seen: list[tuple[int, int]] = []
    shared = plot_timetable(tiny, timetable, "room", tmp_path / "shared", formats=("png",),
                            on_progress=lambda done, total: seen.append((done, total)))
    assert len(shared) >= 4 and all(p.is_file() for p in shared)
    assert len(shared_drawing) == 1  # one second process on two cores
    assert seen[-1] == (len(shared), len(shared))
    alone = plot_timetable(tiny, timetable, "room", tmp_path / "alone", formats=("png",),
                           which=None)
    assert _names(shared) == _names(alone)
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == sorted(_names(alone))


def test_a_stop_while_pictures_are_shared_ends_the_second_process(tiny, timetable, tmp_path,
                                                                  shared_drawing):
    import psutil

    children_before = {p.pid for p in psutil.Process().children(recursive=True)}

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        plot_timetable(tiny, timetable, "room", tmp_path / "out", formats=("png",),
                       on_progress=stop)
    left = [p for p in psutil.Process().children(recursive=True)
            if p.pid not in children_before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []

"""Atomic writing under failure: a write that fails part-way (a writer raising, a rename
refused, a process killed between two renames) leaves the previous content intact and no
temporary files behind, or behind only until the next write."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import scheduler.atomic as atomic
from scheduler.atomic import (
    MARKER,
    atomic_directory,
    atomic_path,
    check_replaceable,
    replace_directory,
    write_text_atomic,
)
from scheduler.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent
DEAD_PID = 2**22 + 12345  # above Linux's pid_max: no such process runs


class WriterFailed(Exception):
    """Raised by a writer part-way through, standing for any error while writing."""


@pytest.fixture(params=["exchange", "two renames"])
def swap(request, monkeypatch, tmp_path) -> str:
    """Run a test with the one-step swap (Linux) and with the two-rename swap (elsewhere)."""
    if request.param == "two renames":
        monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    else:
        first, second = tmp_path / ".probe-1", tmp_path / ".probe-2"
        first.mkdir()
        second.mkdir()
        supported = atomic._exchange(first, second)
        first.rmdir()
        second.rmdir()
        if not supported:
            pytest.skip("this system or file system has no renameat2(RENAME_EXCHANGE)")
    return request.param


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def temporary(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.rglob("*")
                  if any(t in p.name for t in (".new-", ".old-", ".staging-", ".tmp",
                                               ".write-test-")))


def previous_run(out: Path) -> dict[str, bytes]:
    with replace_directory(out, ("timetable.csv", "summary.json")) as staging:
        (staging / "timetable.csv").write_text("old timetable\n")
        (staging / "summary.json").write_text('{"run": 1}\n')
    return files(out)


def test_a_new_set_replaces_the_old_one_as_a_whole(tmp_path, swap):
    out = tmp_path / "out"
    previous_run(out)
    with replace_directory(out, ("summary.json",)) as staging:
        (staging / "summary.json").write_text('{"run": 2}\n')
    assert files(out) == {MARKER: atomic.MARKER_TEXT.encode(), "summary.json": b'{"run": 2}\n'}
    assert temporary(tmp_path) == []


def test_a_writer_failing_part_way_leaves_the_previous_set(tmp_path, swap):
    out = tmp_path / "out"
    before = previous_run(out)
    with pytest.raises(WriterFailed), replace_directory(out, ("timetable.csv",)) as staging:
        (staging / "timetable.csv").write_text("half a new timetable")
        raise WriterFailed
    assert files(out) == before
    assert temporary(tmp_path) == []


def test_a_disk_error_part_way_is_an_output_error_and_leaves_the_previous_set(tmp_path, swap):
    out = tmp_path / "out"
    before = previous_run(out)
    with pytest.raises(OutputError, match="No space left"), \
            replace_directory(out, ("timetable.csv",)) as staging:
        (staging / "timetable.csv").write_text("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert files(out) == before
    assert temporary(tmp_path) == []


@pytest.mark.parametrize("failing", [1, 2])
def test_a_refused_rename_during_the_swap_leaves_the_previous_set(tmp_path, monkeypatch,
                                                                   failing):
    """The two-rename swap: the first (old folder aside) or second (new folder in) refused,
    e.g. by a file held open on Windows."""
    out = tmp_path / "out"
    before = previous_run(out)
    monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    real, calls = os.rename, []

    def rename(source, destination):
        calls.append(1)
        if len(calls) == failing:
            raise PermissionError(errno.EACCES, "the file is open in another program")
        real(source, destination)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(OutputError, match="open in another program"), \
            replace_directory(out, ("summary.json",)) as staging:
        (staging / "summary.json").write_text('{"run": 2}\n')
    assert files(out) == before
    assert temporary(tmp_path) == []


def test_a_refused_exchange_leaves_the_previous_set(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = previous_run(out)

    def exchange(first, second):
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(atomic, "_exchange", exchange)
    with pytest.raises(OutputError), replace_directory(out, ("summary.json",)) as staging:
        (staging / "summary.json").write_text('{"run": 2}\n')
    assert files(out) == before
    assert temporary(tmp_path) == []


KILLED_BETWEEN_RENAMES = """
import os, sys
import scheduler.atomic as atomic
atomic._exchange = lambda first, second: False
real = os.rename
def rename(source, destination):
    real(source, destination)
    if ".old-" in str(destination):
        os._exit(9)  # killed with the old folder aside and the new one not yet in place
atomic.os.rename = rename
with atomic.replace_directory(sys.argv[1], ("summary.json",)) as staging:
    (staging / "summary.json").write_text('{"run": 2}\\n')
"""


def test_a_process_killed_between_the_two_renames_is_repaired_by_the_next_write(tmp_path):
    out = tmp_path / "out"
    before = previous_run(out)
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(out)],
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == 9
    assert not out.exists()  # never a mix: no folder at all for a moment
    assert len(temporary(tmp_path)) == 2  # the old folder aside, the complete new one
    check_replaceable(out)  # the next run may write there
    with replace_directory(out, ("summary.json",)) as staging:
        # the earlier folder is back before the new one replaces it
        assert files(out) == before
        (staging / "summary.json").write_text('{"run": 3}\n')
    assert files(out)["summary.json"] == b'{"run": 3}\n'
    assert temporary(tmp_path) == []


def test_leftovers_of_dead_processes_are_removed_and_those_of_running_ones_kept(tmp_path):
    out = tmp_path / "out"
    previous_run(out)
    running = os.getppid()
    for name in (f".out.new-{DEAD_PID}-abc", f".out.old-{DEAD_PID}-abd",
                 f".out.new-{running}-abe"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text("{}")
    (out / f".staging-{DEAD_PID}-x").mkdir()
    with replace_directory(out, ("summary.json",)) as staging:
        (staging / "summary.json").write_text("{}")
    assert temporary(tmp_path) == [f".out.new-{running}-abe"]


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "summary.json").write_text("{}")
    with pytest.raises(OutputError, match=r"holds files that the scheduler did not write "
                                          r"\(notes.txt\)"), \
            replace_directory(folder, ("summary.json",)):
        pytest.fail("the block must not run")
    assert files(folder) == {"notes.txt": b"mine", "summary.json": b"{}"}
    assert temporary(tmp_path) == []


def test_empty_folders_and_folders_of_known_names_are_replaced(tmp_path, swap):
    empty, legacy = tmp_path / "empty", tmp_path / "legacy"
    empty.mkdir()
    legacy.mkdir()
    (legacy / "summary.json").write_text("{}")
    (legacy / ".staging-abc").mkdir()  # what versions before the marker could leave
    for folder in (empty, legacy):
        with replace_directory(folder, ("summary.json", "timetable.csv")) as staging:
            (staging / "timetable.csv").write_text("new")
        assert files(folder) == {MARKER: atomic.MARKER_TEXT.encode(), "timetable.csv": b"new"}


def test_a_file_in_the_way_is_refused(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_replaceable(tmp_path / "out")
    with pytest.raises(OutputError, match="is a file"):
        atomic.check_writable(tmp_path / "out" / "inner")


@pytest.mark.parametrize("in_the_way", ["a folder named as a file", "a file named as a folder"])
def test_atomic_directory_adds_nothing_when_one_file_cannot_be_moved(tmp_path, in_the_way):
    """An export of several formats into a folder holding a folder named timetable.json left
    timetable.csv written beside the error: a folder of exports appears whole or not at all."""
    (tmp_path / "a.csv").write_text("old a")
    if in_the_way == "a folder named as a file":
        (tmp_path / "b.json").mkdir()
    else:
        (tmp_path / "sub").write_text("a file")
    with pytest.raises(OutputError, match="cannot write"), atomic_directory(tmp_path) as staging:
        (staging / "a.csv").write_text("new a")
        (staging / "b.json").write_text("new b")
        (staging / "sub").mkdir()
        (staging / "sub" / "c.png").write_text("new c")
    assert (tmp_path / "a.csv").read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a.csv", "b.json" if in_the_way == "a folder named as a file" else "sub"])


@pytest.mark.parametrize("stop", [WriterFailed, KeyboardInterrupt])
def test_a_new_output_folder_is_gone_when_nothing_was_written(tmp_path, stop):
    """An export into a new folder stopped by Ctrl-C said "nothing was written" and left
    the folder, empty, behind; so did a single file's new folder."""
    with pytest.raises(stop), atomic_directory(tmp_path / "new" / "out") as staging:
        (staging / "a.csv").write_text("a")
        raise stop
    with pytest.raises(stop), atomic_path(tmp_path / "other" / "a.csv") as tmp:
        tmp.write_text("a")
        raise stop
    assert list(tmp_path.iterdir()) == []


def test_atomic_directory_adds_nothing_when_a_writer_fails(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "a.csv").write_text("old a")
    with pytest.raises(WriterFailed), atomic_directory(tmp_path) as staging:
        (staging / "a.csv").write_text("new a")
        (staging / "b.csv").write_text("new b")
        raise WriterFailed
    assert files(tmp_path) == {"a.csv": b"old a", "notes.txt": b"mine"}


def test_atomic_directory_removes_staging_folders_of_dead_processes(tmp_path):
    (tmp_path / f".staging-{DEAD_PID}-abc").mkdir()
    (tmp_path / f".staging-{os.getppid()}-abd").mkdir()
    with atomic_directory(tmp_path) as staging:
        (staging / "a.csv").write_text("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".staging-{os.getppid()}-abd",
                                                          "a.csv"]


def test_atomic_path_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "timetable.csv"
    target.write_text("old")
    (tmp_path / f".timetable.csv.{DEAD_PID}-abc.tmp").write_text("killed half-way")

    def replace(source, destination):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OutputError, match="cannot write"):
        write_text_atomic(target, "new")
    assert files(tmp_path) == {"timetable.csv": b"old"}


def test_atomic_path_writes_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "timetable.csv"
    target.write_text("old")
    with pytest.raises(WriterFailed), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise WriterFailed
    assert files(tmp_path) == {"timetable.csv": b"old"}


def test_solve_without_a_timetable_removes_the_earlier_timetable(tmp_path):
    """The folder of a run that found a timetable, then a run that proves none exists: only
    that run's summary remains (no timetable of another run beside it)."""
    from dataclasses import replace

    from scheduler.instance import Booking, TimeMask
    from scheduler.io.writer import write_instance_csv
    from scheduler.pipeline import SolveSettings, solve_to_folder
    from tests.tiny import tiny_instance

    base = tiny_instance()
    out = tmp_path / "out"
    write_instance_csv(base, tmp_path / "tiny")
    settings = SolveSettings(time_limit=10, workers=1, explain_time=5)
    solve_to_folder(tmp_path / "tiny", out, settings)
    assert (out / "timetable.csv").is_file()
    blocked = [Booking("L1", TimeMask(weekday=d)) for d in range(5)]
    write_instance_csv(replace(base, bookings=base.bookings + tuple(blocked)),
                       tmp_path / "blocked")
    outcome = solve_to_folder(tmp_path / "blocked", out, settings)
    assert not outcome.has_timetable
    assert sorted(files(out)) == [MARKER, "summary.json"]
    assert json.loads((out / "summary.json").read_text())["has_timetable"] is False


def test_a_failing_export_leaves_the_previous_solve_output(tmp_path, monkeypatch):
    """Failure injected into the picture writer, after the spreadsheets are written."""
    import scheduler.pipeline as pipeline
    from scheduler.io.writer import write_instance_csv
    from scheduler.pipeline import SolveSettings, solve_to_folder
    from tests.tiny import tiny_instance

    write_instance_csv(tiny_instance(), tmp_path / "tiny")
    out = tmp_path / "out"
    settings = SolveSettings(time_limit=10, workers=1)
    solve_to_folder(tmp_path / "tiny", out, settings)
    before = files(out)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pipeline, "save_figure", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        solve_to_folder(tmp_path / "tiny", out, SolveSettings(time_limit=10, workers=1,
                                                              seed=1))
    assert files(out) == before
    assert temporary(tmp_path) == []

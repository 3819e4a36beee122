"""Atomic output: a file, or a whole folder of files, appears complete or not at all.

Three ways to write:

* :func:`atomic_path` (and :func:`write_text_atomic`, :func:`write_bytes_atomic`): one file,
  written beside its target under a temporary name and renamed onto it.
* :func:`atomic_directory`: files added to a folder that may hold other files (exports,
  pictures, key figures): each replaces its namesake with a rename; the rest stay.
* :func:`replace_directory`: a folder that holds one run's set of files (``scheduler solve``'s
  output). The new set is written into a folder beside the target and swapped in as a whole,
  so the folder never mixes two runs' files. On Linux the swap is one step (``renameat2``
  with ``RENAME_EXCHANGE``); elsewhere (and on file systems without it) it is two renames,
  target aside then new folder in, and a run killed between the two leaves no target but the
  old folder beside it, which the next write puts back first. Only a folder that this module
  wrote (it holds :data:`MARKER`), an empty one, or one holding only names the caller lists is
  ever replaced: anything else is refused with :class:`OutputError`.

Temporary names carry the writer's process id (``.out.new-<pid>-<random>``,
``.staging-<pid>-<random>``, ``.timetable.csv.<pid>-<random>.tmp``): the next write to the same
place removes what killed runs left behind, and never what a running process is writing.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path

from scheduler.errors import OutputError
from scheduler.interrupt import commit_started

MARKER = ".scheduler-output"
"""The file that marks a folder written by :func:`replace_directory`."""

MARKER_TEXT = ("This folder was written by the scheduler as a whole; the next run writing to it "
               "replaces it as a whole, including files added to it since.\n")


_staging = 0
"""How many staging folders are being filled (their files are not output in place yet)."""


@contextlib.contextmanager
def _filling(staging: Path) -> Iterator[Path]:
    global _staging
    _staging += 1
    try:
        yield staging
    finally:
        _staging -= 1


def _write_error(exc: BaseException) -> bool:
    """True for what writing a file can raise: the operating system's errors, and a library's
    wrapping of one (xlsxwriter's ``FileCreateError`` when it saves a workbook: a full disk
    ended in its traceback). Told apart without importing xlsxwriter, which reading a
    timetable does not load."""
    if isinstance(exc, OSError):
        return True
    cause = exc.__cause__ or exc.__context__
    return type(exc).__module__.startswith("xlsxwriter") and isinstance(cause, OSError)


def _reason(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    if not isinstance(exc, OSError) and isinstance(cause, OSError):
        exc = cause
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` when the block succeeds.

    Write the file at the yielded path (with any library that takes a path); on an exception
    the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    created = _missing_folders(target.parent)
    _make_folder(target.parent)
    _remove_leftovers(target.parent, rf"\.{re.escape(target.name)}\.(\d+)-[^.]+\.tmp")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-",
                                        suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write into {target.parent}: {_reason(exc)}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        if not _staging:  # a file of a staging folder is not in place yet
            commit_started()
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        _remove_empty(created)
        if _write_error(exc):
            raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def atomic_directory(target: str | os.PathLike[str],
                     inputs: Collection[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield a temporary folder; its files are moved into ``target`` only if the block succeeds.

    Files already in ``target`` that the block did not write are left alone; files it wrote
    replace older ones of the same name, each with an atomic rename. A file that would replace
    one of ``inputs`` (the files the block read) raises :class:`OutputError` before any file
    is moved.
    """
    target = Path(target)
    created = _missing_folders(target)
    _make_folder(target)
    _remove_leftovers(target, r"\.staging-(\d+)-\w+")
    staging = _temporary_folder(target, ".staging-")
    done = False
    try:
        with _filling(staging):
            yield staging
        moves = [(path, target / path.relative_to(staging))
                 for path in sorted(staging.rglob("*")) if path.is_file()]
        for _, dest in moves:
            check_not_input(dest, inputs)
            _check_free(dest, target)
        commit_started()
        for path, dest in moves:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, dest)
        done = True
    except Exception as exc:
        if not _write_error(exc):
            raise
        raise OutputError(f"cannot write into {target}: {_reason(exc)}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not done:  # nothing written: the folders made for it go too
            _remove_empty(created)


def _check_free(dest: Path, target: Path) -> None:
    """Raise :class:`OutputError` when a file cannot be moved to ``dest`` in ``target``: a
    folder in its place, or a file in place of one of its folders (found before any file is
    moved, so that the folder gets all of its files or none)."""
    if dest.is_dir():
        raise OutputError(f"cannot write {dest}: a folder of that name is in the way")
    for folder in dest.relative_to(target).parents:
        if (target / folder).exists() and not (target / folder).is_dir():
            raise OutputError(f"cannot write {dest}: {target / folder} is a file, not a "
                              "folder")


@contextlib.contextmanager
def replace_directory(target: str | os.PathLike[str],
                      known: Collection[str] = ()) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; when the block succeeds, it becomes ``target``
    as a whole (see the module's description) and the previous content is removed.

    ``known`` lists the names the caller writes: a folder holding nothing else (e.g. from a
    version that wrote no marker) may be replaced too. Raises :class:`OutputError` when
    ``target`` cannot be replaced (:func:`check_replaceable`); on an exception in the block,
    ``target`` is untouched and the new folder is removed.
    """
    target = check_replaceable(target, known)
    parent = target.parent
    _make_folder(parent)
    _remove_leftovers(parent, rf"\.{re.escape(target.name)}\.(?:new|old)-(\d+)-\w+",
                      restore=target)
    staging = _temporary_folder(parent, f".{target.name}.new-")
    try:
        os.chmod(staging, 0o777 & ~_umask())  # a folder like any other once it is the target
        with _filling(staging):
            yield staging
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        commit_started()
        _swap_in(staging, target)
    except Exception as exc:
        if not _write_error(exc):
            raise
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after an exchange: the previous content


def check_replaceable(target: str | os.PathLike[str], known: Collection[str] = ()) -> Path:
    """Check, before any work, that :func:`replace_directory` may replace ``target`` and can
    write beside it; return its absolute path (a symbolic link is followed).

    Raises :class:`OutputError` when ``target`` is a file, when it is a folder holding
    anything but the marker, names in ``known`` and leftovers of this module, or when its
    folder (or ``target`` itself) cannot be written.
    """
    path = Path(target).resolve()
    if path.exists():
        if not path.is_dir():
            raise OutputError(f"{target} is a file, not a folder")
        names = sorted(p.name for p in path.iterdir())
        if names and MARKER not in names:
            foreign = [n for n in names
                       if n not in known and not n.startswith((".staging-", ".write-test-"))]
            if foreign:
                shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
                raise OutputError(
                    f"{target} holds files that the scheduler did not write ({shown}); it "
                    "replaces its output folder as a whole, so give a new or empty folder")
        check_writable(path)
    check_writable(path.parent)
    return path


def check_writable(folder: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` unless files can be created in ``folder`` (or, when it does
    not exist yet, in its nearest existing parent folder, where it would be created).

    Tried by creating and removing a file: it answers for permissions, read-only file systems
    and access rules alike.
    """
    folder = Path(folder).absolute()
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot create folder {folder}: {existing} is a file")
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write into {existing}: {_reason(exc)}") from exc


def check_outside(outdir: str | os.PathLike[str], source: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` when ``outdir`` is the input folder ``source`` or inside it
    (the output would become part of the input: an instance would no longer validate)."""
    target, inside = Path(outdir).resolve(), Path(source).resolve()
    if target == inside or inside in target.parents:
        where = "the instance" if target == inside else f"inside the instance {source}"
        raise OutputError(f"{outdir} is {where}: the output would become part of the "
                          "instance; give a folder outside it")


def check_not_input(target: str | os.PathLike[str],
                    inputs: Collection[str | os.PathLike[str]]) -> None:
    """Raise :class:`OutputError` when writing ``target`` would replace one of ``inputs``
    (inputs are never modified: e.g. an export written over the timetable it read)."""
    path = Path(target)
    for source in map(Path, inputs):
        try:
            same = path.exists() and source.exists() and path.samefile(source)
        except OSError:
            same = False
        if same or path.resolve() == source.resolve():
            raise OutputError(f"{target} is an input of this command ({source}): writing it "
                              "would replace what was read; give another output path")


def check_inputs_outside(outdir: str | os.PathLike[str],
                         inputs: Collection[str | os.PathLike[str] | None]) -> None:
    """Raise :class:`OutputError` when one of ``inputs`` (files or folders; ``None`` is
    skipped) is the folder ``outdir`` or inside it, for a command that replaces or clears
    what ``outdir`` holds (inputs are never modified: e.g. a re-solve from the timetable of
    the folder it writes)."""
    target = Path(outdir).resolve()
    for source in inputs:
        if source is None:
            continue
        resolved = Path(source).resolve()
        if resolved == target:
            raise OutputError(
                f"{source} is an input of this command and also what it writes: writing it "
                "would replace what was read; copy it elsewhere first, or give another "
                "output folder")
        if target in resolved.parents:
            raise OutputError(
                f"{source} is inside the output folder {outdir}, whose files this command "
                "replaces: writing them would replace what was read; copy it elsewhere "
                "first, or give another output folder")


def check_writable_file(target: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` unless a file can be written at ``target``."""
    path = Path(target)
    if path.is_dir():
        raise OutputError(f"{target} is a folder; give a file name")
    check_writable(path.parent)


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist, innermost first."""
    missing = []
    for each in (folder, *folder.parents):
        if each.exists():
            break
        missing.append(each)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove ``folders`` (innermost first) that are empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {_reason(exc)}") from exc


def _temporary_folder(parent: Path, prefix: str) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write into {parent}: {_reason(exc)}") from exc


def _swap_in(new: Path, target: Path) -> None:
    """Make the folder ``new`` the folder ``target``. The previous ``target`` is removed, or,
    after a one-step exchange, is left at ``new`` for the caller to remove."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where the
    system or the file system does not offer it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _remove_leftovers(folder: Path, pattern: str, restore: Path | None = None) -> None:
    """Remove the entries of ``folder`` that match ``pattern`` (its group 1: the writer's
    process id) and whose writer no longer runs. With ``restore`` missing, a leftover
    ``.old-`` folder (a swap killed half-way) is put back there instead."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        match = re.fullmatch(pattern, entry.name)
        if match is None or _running(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            if restore is not None and ".old-" in entry.name and not restore.exists():
                os.rename(entry, restore)
            elif entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (this process counts as running)."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return _running_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _running_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return bool(ok) and code.value == 259  # STILL_ACTIVE

"""The ``scheduler`` command line: a thin click layer over the :mod:`scheduler` library.

Each command parses its arguments, calls one library function and prints the result. Library
errors become messages and exit codes here:

0 success · 1 unexpected failure · 2 bad input (every problem listed) or an output path that
cannot be written (checked before any search) · 3 no timetable exists (proven infeasible) · 4 no
timetable found within the time limit · 5 a timetable failed verification · 6 partial: a relaxed
solve left courses out (the rest is written) · 7 a timetable was written but not optimised (time
ran out after the first timetable, or CP-SAT rejected the optimisation model) · 130 interrupted
(Ctrl-C or SIGTERM): the best timetable found so far was written · 131 interrupted before a
first timetable (or quit at once by a second interrupt): nothing new was written.
"""

from __future__ import annotations

import os
import signal
import sys


def _quit_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C while the command line loads: nothing was written (exit 131)."""
    os.write(2, b"Interrupted while starting: nothing was written.\n")
    os._exit(131)


def _catch_signals(handler: object, *numbers: int) -> dict[int, object]:
    """Set ``handler`` for the signals ``numbers``; the handlers before (none outside the main
    thread, where Python cannot set them)."""
    try:
        return {number: signal.signal(number, handler)  # type: ignore[arg-type]
                for number in numbers}
    except ValueError:
        return {}


def _spawned_worker() -> bool:
    """Whether this process is a worker being started by multiprocessing's ``spawn`` (a
    study's Dask worker): it runs its parent's main script, which imports this module, as a
    module named ``__mp_main__`` (``import multiprocessing`` elsewhere only makes that name
    another for ``__main__``)."""
    return getattr(sys.modules.get("__mp_main__"), "__name__", None) == "__mp_main__"


if _spawned_worker():
    # A terminal's Ctrl-C reaches the study's workers too (one process group): a worker
    # still importing would die with a traceback, and its cluster with "Nanny failed to
    # start". Ctrl-C is the study's; the worker ignores it from here on (as its preload,
    # scheduler.scenarios.worker_signals, does once it runs).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STARTING: dict[int, object] = {}
# Loading the command line takes a moment; Ctrl-C then would end in a KeyboardInterrupt's
# traceback. Caught from here until the end of this module, then handed back: each command
# that searches takes Ctrl-C and SIGTERM over (``interruptible``). SIGTERM keeps its default
# meanwhile (the process ends at once, having written nothing).
elif signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    _STARTING = {}  # started with Ctrl-C ignored (e.g. `cmd &` in a script): kept so
else:
    _STARTING = _catch_signals(_quit_while_starting, signal.SIGINT)

import contextlib
import functools
import importlib
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from scheduler import __version__
from scheduler.errors import InputError, OutputError, SchedulerError
from scheduler.interrupt import (
    Interrupted,
    output_committing,
    stop_on_signals,
    stop_requested,
)
from scheduler.paths import DEFAULT_INSTANCE

if TYPE_CHECKING:
    from scheduler.i18n import Language
    from scheduler.instance import Instance
    from scheduler.pipeline import SolveOutcome
    from scheduler.timetable import Timetable

EXIT_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_UNKNOWN = 4
EXIT_VERIFY = 5
EXIT_PARTIAL = 6
EXIT_NOT_OPTIMISED = 7
EXIT_INTERRUPTED = 130
EXIT_INTERRUPTED_EMPTY = 131

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into readable messages and exit codes (never a traceback)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            count = len(exc.problems)
            err.print(f"[bold red]{count} problem{'s' if count != 1 else ''} found:[/]",
                      highlight=False)
            for problem in exc.problems:
                err.print(f"  - {problem}", highlight=False, markup=False)
            sys.exit(EXIT_INPUT)
        except OutputError as exc:
            err.print(f"[bold red]Cannot write output:[/] {exc}", highlight=False)
            sys.exit(EXIT_INPUT)
        except Interrupted as exc:
            err.print(str(exc), style="bold yellow", highlight=False, markup=False)
            sys.exit(EXIT_INTERRUPTED_EMPTY)
        except SchedulerError as exc:
            err.print(f"[bold red]Error:[/] {exc}", highlight=False)
            sys.exit(1)

    return wrapper


def _say_stopping(signum: int) -> None:
    """First SIGINT/SIGTERM: say what happens (raw write: this runs in a signal handler)."""
    os.write(2, b"\nStopping: a search still running ends, and the best timetable found so far, "
                b"if any, is written; interrupt again to quit at once.\n")


def _quit_now(signum: int) -> None:
    """Second SIGINT/SIGTERM: quit at once; an output folder is replaced in one step, so it
    holds either the previous output or this run's, never a mix."""
    os.write(2, (b"\x1b[?25h" if os.isatty(2) else b"")
             + b"\nQuit at once: nothing more was written.\n")
    os._exit(EXIT_INTERRUPTED_EMPTY)


def interruptible(command: Callable[..., Any]) -> Callable[..., Any]:
    """Ctrl-C and SIGTERM stop the command's search, which then finishes with the best result
    found so far (:mod:`scheduler.interrupt`); a second one quits at once."""
    return _stopped_by_signals(command, _say_stopping)


def _say_stopping_scenario(signum: int) -> None:
    """First SIGINT/SIGTERM of a scenario run (raw write: this runs in a signal handler)."""
    os.write(2, b"\nStopping: the scenario run ends without writing anything; interrupt again "
                b"to quit at once.\n")


def _stopped_by_signals(command: Callable[..., Any],
                        on_first: Callable[[int], None]) -> Callable[..., Any]:
    """``command`` with Ctrl-C and SIGTERM requesting its searches' stop (``on_first`` says
    so); a second one quits at once."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with stop_on_signals(on_first=on_first, on_repeat=_quit_now):
            return command(*args, **kwargs)

    return wrapper


instance_argument = click.argument(
    "instance", type=click.Path(path_type=Path), required=False,
)


def resolve_instance(instance: Path | None) -> Path:
    """The instance given, or the shipped default."""
    return instance if instance is not None else DEFAULT_INSTANCE


class Seconds(click.FloatRange):
    """A number of seconds, at least ``min``: finite (click's range lets ``nan`` and ``inf``
    through)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        return seconds


class LibraryChoice(click.Choice):
    """A choice among names the library lists (e.g. ``scheduler.exports``'s
    ``EXPORT_FORMATS``), read when first needed: starting the command line loads no export or
    plotting code."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        module, name = self._where
        return tuple(getattr(importlib.import_module(module), name))

    @choices.setter
    def choices(self, _: Sequence[str]) -> None:
        """click's constructor sets the choices; they are the library's."""


lang_option = click.option(
    "--lang", type=LibraryChoice("scheduler.i18n", "LANGUAGES"), default="en",
    show_default=True,
    help="Language of what is written for people: en, zh, ru, or all (labels in all three "
         "where space allows).")


def _instance_and_timetable(instance: Path, timetable: Path,
                            trips: Path | None = None) -> tuple[Instance, Timetable]:
    """Read INSTANCE and a TIMETABLE of it (CSV, JSON or xlsx), with the trips of ``trips``,
    else of the ``trips.csv`` beside it; every problem of both files at once, a course, room
    or interpreter the instance does not have among them. The instance's counting checks are
    left out: a relaxed solve's timetable is of an instance they refuse."""
    from scheduler.trips_io import read_for_verify

    loaded, _, timetable_read = read_for_verify(instance, timetable, trips, references=True,
                                                arithmetic=False)
    return loaded, timetable_read


trips_option = click.option(
    "--trips", "trips", type=click.Path(path_type=Path), default=None,
    help="The visitors' trips (trips.csv) of an instance that plans trips; default: "
         "trips.csv beside TIMETABLE, when there is one.")


def _stop_command(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM in a command that does not search (export, plot, report, verify,
    generate, ...): it ends, having written nothing (outputs appear whole), unless its output
    is already being put in place, which then completes."""
    if not output_committing():
        raise KeyboardInterrupt


class _Commands(click.Group):
    """The command group: Ctrl-C and SIGTERM end a command with exit 131 and nothing written
    (not click's "Aborted!" and exit 1); the searching commands take them over
    (:func:`interruptible`)."""

    def invoke(self, ctx: click.Context) -> Any:
        previous = _catch_signals(_stop_command, signal.SIGINT, signal.SIGTERM)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            err.print("\nInterrupted: nothing was written.", style="bold yellow",
                      highlight=False)
            sys.exit(EXIT_INTERRUPTED_EMPTY)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)  # type: ignore[arg-type]


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scheduler")
def main() -> None:
    """Course scheduling and faculty timetabling for the CQUPT–FEFU Joint Institute.

    \b
    Example:
      scheduler validate instances/cqupt-fefu-2026-fall
    """


@main.command()
@instance_argument
@reports_errors
def validate(instance: Path | None) -> None:
    """Check an instance (an .xlsx workbook or a folder of CSV files) and summarise it.

    Lists every problem found, each with its file, sheet, row and column, and exits with
    code 2; otherwise prints a summary and exits 0. Without INSTANCE, checks the shipped
    default.

    \b
    Example:
      scheduler validate instances/cqupt-fefu-2026-fall.xlsx
    """
    from scheduler.io.reader import read_instance
    from scheduler.render import summary_tables
    from scheduler.summary import summarize_instance

    path = resolve_instance(instance)
    loaded = read_instance(path)
    out.print(f"[bold green]{path} is a valid instance.[/]", highlight=False)
    out.print(summary_tables(summarize_instance(loaded)))


def _not_empty(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """A path option's value as a path; an empty one (an unset shell variable) is refused
    rather than read as the current folder."""
    if not value.strip():
        raise click.BadParameter("the path is empty")
    return Path(value)


@main.command()
@click.option("--students", "-n", type=click.IntRange(min=1), required=True,
              help="Number of students to generate (about 1,650 is the steady state; at "
                   "most 150,000).")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--output", "-o", type=click.Path(), required=True, callback=_not_empty,
              help="Output: a folder of CSV files (new, or holding only an instance's tables, "
                   "which are replaced), or a path ending in .xlsx.")
@reports_errors
def generate(students: int, seed: int, output: Path) -> None:
    """Write a random but realistic valid instance of the given size.

    The same size and seed always give the same instance.

    \b
    Example:
      scheduler generate --students 3300 --seed 7 -o runs/gen-2x
    """
    from scheduler.generate import MAX_STUDENTS, generate_instance
    from scheduler.io.writer import check_instance_output, write_instance

    if students > MAX_STUDENTS:
        raise click.BadParameter(f"{students} is more than the {MAX_STUDENTS:,} students an "
                                 "instance may have", param_hint="'--students'")
    check_instance_output(output)
    instance = generate_instance(students, seed=seed)
    write_instance(instance, output)
    whole = sum(c.parent is None for c in instance.cohorts)
    counts = [(whole, "cohort"), (len(instance.courses), "course"),
              (len(instance.teachers), "teacher"), (len(instance.rooms), "room")]
    words = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in counts]
    groups = len(instance.cohorts) - whole
    words[0] += f" (+{groups} sub-group{'s' if groups != 1 else ''})"
    out.print(f"Wrote {output}: {', '.join(words)}.", highlight=False)


class ProgressDisplay:
    """Shows solver progress: a live line on a terminal, plain lines otherwise, or nothing."""

    def __init__(self, quiet: bool, console: Console = err) -> None:
        self.quiet = quiet
        self.console = console
        self.live = None
        self._last_plain = -1e9
        self._last_key: tuple = ()
        if not quiet and console.is_terminal:
            from rich.live import Live

            self.live = Live("", console=console, refresh_per_second=4, transient=True)

    def __call__(self, progress: Any) -> None:
        from scheduler.render import progress_line

        if self.quiet:
            return
        if self.live is not None:
            self.live.update(progress_line(progress))
            return
        key = (progress.solutions, progress.objective, progress.bound, progress.phase)
        if key != self._last_key or progress.elapsed - self._last_plain >= 10:
            self._last_key = key
            self._last_plain = progress.elapsed
            self.console.print(progress_line(progress), highlight=False)

    def __enter__(self) -> ProgressDisplay:
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()


solver_options = [
    click.option("--time-limit", "-t", type=Seconds(min=0.1), default=None,
                 help="Seconds to search [default: solve and scenarios 30 s for small terms, "
                      "more for large ones (20 + courses / 2, at most 600); cbctt 300 s]."),
    click.option("--workers", "-w", type=click.IntRange(min=0), default=0, show_default=True,
                 help="CP-SAT workers (0 = one per CPU core)."),
    click.option("--seed", type=int, default=0, show_default=True, help="Random seed."),
    click.option("--quiet", "-q", is_flag=True, help="No progress display."),
]


def with_solver_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(solver_options):
        command = option(command)
    return command


@main.command()
@instance_argument
@click.option("--output", "-o", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the timetable, its summary and exports.")
@click.option("--relax", is_flag=True,
              help="Place as much as possible; list each course left out and why.")
@click.option("--flat", is_flag=True,
              help="Minimise one weighted sum of every soft rule instead of the norms first.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also print the whole objective's lower bound and gap.")
@click.option("--baseline", "-b", type=click.Path(path_type=Path), default=None,
              help="A timetable of INSTANCE (CSV, JSON or xlsx, edited and pinned by hand) to "
                   "re-solve from: verified first, its pinned meetings kept, the rest kept "
                   "where possible.")
@click.option("--relax-pins", is_flag=True,
              help="With --baseline: keep as many pinned meetings as possible, list the rest.")
@with_solver_options
@lang_option
@reports_errors
@interruptible
def solve(instance: Path | None, output: Path, relax: bool, flat: bool, verbose: bool,
          baseline: Path | None, relax_pins: bool, time_limit: float | None, workers: int,
          seed: int, quiet: bool, lang: str) -> None:
    """Build a verified, dated term timetable for INSTANCE (default: the shipped instance).

    Writes timetable.csv, timetable.json and summary.json into the output folder, only after the
    independent verifier has passed the timetable, and prints first what students and teachers
    will notice (each group's longest day, evening periods, days over the daily cap, idle
    periods, each visitor's days), then each tier with its proven minimum (the norms, whose
    least possible cost is explained in words, are minimised before the comfort rules; --flat
    minimises one weighted sum instead), then the cost per soft rule. The whole objective's
    bound and gap are in summary.json and, with --verbose, printed. Ctrl-C or SIGTERM stops
    the search and writes the best timetable found so far, marked "interrupted" in
    summary.json; a second Ctrl-C quits at once. When no timetable exists, says which
    requirements cannot hold together, in words. With --relax, courses that cannot be placed
    are left out (each course in full or not at all) and listed first, with the reason, under
    a PARTIAL headline.

    The output folder is checked before the search and replaced as a whole afterwards (a folder
    of other files is refused), so it never mixes two runs' files.

    With --baseline EDITED (the office's timetable of INSTANCE, see docs/pins.md), EDITED is
    verified first: a hand edit that breaks a hard rule is listed with its sheet and rows and
    nothing is solved (exit 5); weekly grids that disagree with the master sheet (which alone
    is read) are a warning. Then every pinned meeting keeps its date, periods and room, and
    every other meeting stays where it is unless moving it is worth its moved_meeting cost
    (one weighted sum of every rule, as --flat: moves are priced against the norms too);
    diff.xlsx in the output folder lists what changed for each cohort, teacher and
    interpreter. When the pins cannot all be kept, the explanation names them; --relax-pins
    then keeps as many as possible and lists those it broke. (For a term that changed since
    EDITED was made, describe the change as a scenario: scheduler scenario run.)

    The search stops at --time-limit, all its phases counted from one start (the running
    CP-SAT search takes a fraction of a second to stop: up to about 1 s on a busy machine);
    reading the instance before it and verifying and writing the files after it are not
    counted (some seconds on the shipped instances), and finding out why there is no
    timetable (or why --relax left courses out) may take up to the time limit again.

    Exit codes: 0 timetable written, 6 partial (--relax left courses out; the rest is written),
    7 timetable written but not optimised (time ran out after the first timetable, or CP-SAT
    rejected the optimisation model: the reason is printed and in summary.json), 3 no
    timetable exists (infeasible), 4 none found within the time limit, 2 bad input or an output
    folder that cannot be used, 5 the --baseline breaks a hard rule (nothing solved), 130
    interrupted (the best timetable found so far written; before 6 and 7), 131 interrupted
    before a first timetable (nothing written).

    \b
    Example:
      scheduler solve instances/cqupt-fefu-steady -o runs/steady --time-limit 120 --workers 2
      scheduler solve instances/cqupt-fefu-2026-fall --relax -o runs/relaxed -t 30
      scheduler solve --lang zh -o out-zh
      scheduler solve instances/cqupt-fefu-2026-fall --baseline agreed.xlsx -o out2
    """
    from scheduler.cpsat import SolveStatus
    from scheduler.i18n import after_label, check_language, translator
    from scheduler.pipeline import (
        ObjectiveMismatch,
        SolveSettings,
        VerificationFailed,
        solve_to_folder,
    )
    from scheduler.render import objective_table, partial_headline, rebased_lines, solve_lines
    from scheduler.roundtrip import BaselineRejected

    language = check_language(lang)
    tr = translator(language).brief
    if relax_pins and baseline is None:
        raise click.UsageError("--relax-pins needs --baseline")
    settings = SolveSettings(time_limit=time_limit, workers=workers, seed=seed, relax=relax,
                             lang=language, flat=flat, relax_pins=relax_pins)
    try:
        with ProgressDisplay(quiet) as display, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = solve_to_folder(resolve_instance(instance), output, settings, display,
                                      baseline)
        _print_warnings(caught)
    except (VerificationFailed, ObjectiveMismatch) as exc:
        err.print(f"[bold red]Internal error:[/] {exc}", highlight=False, markup=False)
        sys.exit(EXIT_VERIFY)
    except BaselineRejected as exc:
        _print_rejected(exc, language)
        sys.exit(EXIT_VERIFY)
    if not outcome.has_timetable:
        if outcome.status == SolveStatus.INFEASIBLE:
            head = tr("No timetable exists:")
            err.print("[bold red]" + head + "[/]" + after_label(head)
                      + tr("the requirements cannot all hold together."), highlight=False)
        else:
            err.print("[bold yellow]" + tr("No timetable found") + "[/] "
                      + tr("within the time limit (feasibility unknown); try a longer "
                           "--time-limit."), highlight=False)
        _print_explanation(outcome.explanation)
        sys.exit(EXIT_INFEASIBLE if outcome.status == SolveStatus.INFEASIBLE else EXIT_UNKNOWN)
    if outcome.interrupted:
        head = tr("Interrupted:")
        out.print("[yellow]" + head + "[/]" + after_label(head)
                  + tr("kept the best timetable found so far."))
    if outcome.partial:
        out.print(partial_headline(outcome, language), highlight=False)
        _print_unplaced(outcome.unplaced, language, header=False)
    for line in solve_lines(outcome, language, verbose):
        out.print(line, highlight=False)
    if outcome.terms:
        out.print(objective_table(outcome.terms, language))
    if outcome.diagnosis.relaxed and not outcome.partial:
        _print_unplaced(outcome.unplaced, language)
    for line in rebased_lines(outcome, language):
        out.print(line, highlight=False)
    _print_online(outcome, language)
    _print_written(outcome.files, language)
    if outcome.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if outcome.partial:
        sys.exit(EXIT_PARTIAL)
    if not outcome.optimised:
        sys.exit(EXIT_NOT_OPTIMISED)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@trips_option
@click.option("--relax", is_flag=True,
              help="The timetable of a relaxed solve (solve --relax): a course without any "
                   "meeting is not a violation; its contact periods count as unplaced.")
@lang_option
@reports_errors
def verify(instance: Path, timetable: Path, trips: Path | None, relax: bool,
           lang: str) -> None:
    """Check every hard rule of a TIMETABLE (CSV, JSON or xlsx) against INSTANCE.

    Recomputes everything from the files alone (independently of the solver) and lists
    each violation in words with the rows of its meetings, the consequences of a moved or
    added meeting under it. In a workbook the master sheet is checked, and every weekly grid
    and the visitors sheet are compared with it. The visitors' trips (every rule of the
    trip_rules table, and teaching only inside them) are checked from --trips, else from the
    trips.csv beside TIMETABLE (required when the instance plans trips). Exit code 0 when
    valid, 5 when rules are broken or another sheet disagrees with the master sheet. A valid
    timetable's cost is printed as recomputed, in all and per tier (docs/objective.md).

    \b
    Examples:
      scheduler verify instances/cqupt-fefu-2026-fall out/timetable.csv
      scheduler verify instances/cqupt-fefu-2026-fall relaxed/timetable.csv --relax
    """
    from scheduler.exports.workbook_check import workbook_disagreements
    from scheduler.i18n import check_language
    from scheduler.render import (
        disagreement_headline,
        relax_hint,
        verify_cost_lines,
        verify_verdict,
        violation_line,
    )
    from scheduler.trips_io import read_for_verify, trip_rows_for
    from scheduler.verify import courses_without_meetings, verify_timetable

    language = check_language(lang)
    loaded, read, checked = read_for_verify(instance, timetable, trips, arithmetic=not relax)
    verification = verify_timetable(loaded, checked, allow_unplaced=relax)
    disagreements = workbook_disagreements(loaded, timetable, checked)
    if verification.ok and not disagreements:
        out.print(verify_verdict(verification, timetable, language), highlight=False)
        for line in verify_cost_lines(verification, language):
            out.print(line, highlight=False)
        return
    if not verification.ok:
        err.print(verify_verdict(verification, timetable, language), highlight=False)
        for line in verification.report_lines(read.rows,
                                              lambda v: violation_line(v, language),
                                              trip_rows_for(timetable, trips)):
            err.print(line, highlight=False, markup=False)
        missing = () if relax else courses_without_meetings(loaded, checked)
        if missing:
            err.print(relax_hint(missing, language), highlight=False, markup=False)
    if disagreements:
        err.print(disagreement_headline(len(disagreements), read.sheet, verification.ok,
                                        language), highlight=False)
        for disagreement in disagreements:
            err.print(f"  - {disagreement}", highlight=False, markup=False)
    sys.exit(EXIT_VERIFY)


def _print_rejected(rejected: Any, lang: str) -> None:
    """A baseline that breaks hard rules (:class:`~scheduler.roundtrip.BaselineRejected`):
    why, then each violation with its rows."""
    from rich.markup import escape

    from scheduler.render import rejected_headline, violation_line

    err.print("[bold red]Error:[/] " + escape(rejected_headline(rejected, lang)),
              highlight=False)
    for line in rejected.lines(lambda v: violation_line(v, lang)):
        err.print(line, highlight=False, markup=False)


def _print_explanation(lines: Sequence[str]) -> None:
    """An explanation's conflicts as a list, each with its requirements indented."""
    for line in lines:
        text = line if line.startswith(" ") else f"  - {line}"
        err.print(text, highlight=False, markup=False)


def _print_online(outcome: SolveOutcome, lang: Language) -> None:
    """The meetings taught online from Vladivostok, per course, and why."""
    from scheduler.views.online import online_uses

    timetable = outcome.result.timetable
    for use in online_uses(outcome.instance, timetable) if timetable is not None else ():
        out.print(f"  - {use.sentence(lang)}", highlight=False, markup=False)


def _print_unplaced(unplaced: Sequence[Any], lang: str = "en", header: bool = True) -> None:
    """Courses a relaxed solve left out (:class:`~scheduler.explain.Unplaced`), with the
    reasons (under a line that counts them, unless ``header`` is false)."""
    from scheduler.i18n import check_language
    from scheduler.render import unplaced_lines

    for line in unplaced_lines(unplaced, check_language(lang), header):
        out.print(line, highlight=False)


def _print_written(paths: Sequence[Path], lang: str) -> None:
    """Each file written, one a line."""
    from scheduler.i18n import translator

    tr = translator(lang).brief
    for path in paths:
        out.print("  " + tr("wrote {path}").format(path=path), highlight=False)


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    for warning in {str(w.message): w for w in caught}.values():
        err.print(f"[yellow]Warning:[/] {warning.message}", highlight=False)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@click.option("--format", "-f", "formats",
              type=LibraryChoice("scheduler.exports", "EXPORT_FORMATS"), multiple=True,
              default=("xlsx",), show_default=True, help="What to write; repeat for several.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder to write into.")
@click.option("--excel", is_flag=True, help="CSV: add the BOM that Excel needs for UTF-8.")
@trips_option
@lang_option
@reports_errors
def export(instance: Path, timetable: Path, formats: tuple[str, ...], output: Path,
           excel: bool, trips: Path | None, lang: str) -> None:
    """Export a TIMETABLE of INSTANCE as a workbook, CSV, JSON, iCalendar files or a web site.

    xlsx: master sheet plus weekly grids per cohort, teacher, room and a visiting-faculty
    sheet; csv/json: the master table; ics: one calendar per teacher, cohort and interpreter
    (Asia/Shanghai time); html: a static web site in English, Chinese and Russian (a page
    per cohort, teacher, room and interpreter with a week switcher), opening in --lang.

    \b
    Example:
      scheduler export instances/cqupt-fefu-2026-fall out/timetable.csv -f xlsx -f ics -o out
      scheduler export instances/cqupt-fefu-2026-fall out/timetable.csv -f html --lang zh \\
        -o site
    """
    from scheduler.atomic import check_outside, check_writable
    from scheduler.exports import export_timetable
    from scheduler.i18n import check_language

    language = check_language(lang)
    check_outside(output, instance)  # files in an instance would become unknown tables
    check_writable(output)
    loaded, table = _instance_and_timetable(instance, timetable, trips)
    # every format in one step: all written, or (an input in the way) none
    _print_written(export_timetable(loaded, table, formats, output, excel_bom=excel,
                                    lang=language, inputs=(timetable, instance)), language)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Folder to write cohort_kpis.csv, teacher_kpis.csv and room_kpis.csv into.")
@click.option("--excel", is_flag=True, help="CSV: add the BOM that Excel needs for UTF-8.")
@trips_option
@lang_option
@reports_errors
def report(instance: Path, timetable: Path, output: Path | None, excel: bool,
           trips: Path | None, lang: str) -> None:
    """Key figures of a TIMETABLE of INSTANCE per cohort, teacher and room.

    Cohorts: meetings, periods, teaching days, idle periods, single-meeting days, evening
    periods, building changes. Teachers: load per day and week; for visitors, days on campus,
    idle days and the share of teachable days taught. Rooms: utilisation of the periods not
    booked by other units, and seat fit (students over seats). Printed as tables of the main
    figures; --output writes every column as CSV files (cohort_kpis.csv, teacher_kpis.csv,
    room_kpis.csv; online_kpis.csv with the online share per course and visitor when some
    meetings are taught online).

    \b
    Example:
      scheduler report instances/cqupt-fefu-2026-fall out/timetable.csv -o out/report
    """
    from scheduler.atomic import check_outside, check_writable
    from scheduler.i18n import check_language
    from scheduler.render import kpi_table
    from scheduler.report import KPI_TABLES, kpi_title, timetable_kpis, write_kpis

    language = check_language(lang)
    if output is not None:
        check_outside(output, instance)  # CSV files in an instance would be unknown tables
        check_writable(output)
    kpis = timetable_kpis(*_instance_and_timetable(instance, timetable, trips))
    for table in KPI_TABLES:
        out.print(*kpi_table(kpi_title(table, language),
                             *kpis.text(table, compact=True, lang=language), width=out.width,
                             caption=kpis.caption(table, language), lang=language))
    if kpis.online:
        from scheduler.i18n import translator

        tr = translator(language).brief
        out.print(*kpi_table(tr("online from Vladivostok"),
                             *kpis.online_text(), width=out.width, lang=language))
    if output is not None:
        _print_written(write_kpis(kpis, output, excel_bom=excel), language)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@click.option("--kind", "-k", "kinds", type=LibraryChoice("scheduler.plotting", "PLOT_KINDS"),
              multiple=True, default=("visitors",), show_default=True,
              help="Which pictures; repeat for several (with --which: one kind).")
@click.option("--which", "-w", multiple=True,
              help="Teacher, cohort or room ids to draw (repeat); default: all.")
@click.option("--format", "-f", "formats",
              type=LibraryChoice("scheduler.plotting", "PICTURE_FORMATS"), multiple=True,
              default=("png", "svg"), show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder to write into.")
@trips_option
@lang_option
@reports_errors
def plot(instance: Path, timetable: Path, kinds: tuple[str, ...], which: tuple[str, ...],
         formats: tuple[str, ...], output: Path, trips: Path | None, lang: str) -> None:
    """Draw a TIMETABLE of INSTANCE: visitors' Gantt chart, cohort or room pictures, occupancy.

    visitors: one row per visiting teacher, travel windows shaded, meetings as bars;
    cohort/room: a term Gantt chart and the weekly timetable picture of each;
    occupancy: rooms by teaching week and by weekday and period.

    \b
    Example:
      scheduler plot instances/cqupt-fefu-2026-fall out/timetable.csv -k cohort \\
        -w IoT-2026-1 -o pics
    """
    from scheduler.atomic import check_writable
    from scheduler.i18n import check_language
    from scheduler.plotting import plot_timetable

    language = check_language(lang)
    if which and len(set(kinds)) > 1:
        raise click.UsageError("--which names ids of one kind: give one --kind with it")
    check_writable(output)
    loaded, table = _instance_and_timetable(instance, timetable, trips)
    with warnings.catch_warnings(record=True) as caught, _pictures_bar() as bar:
        warnings.simplefilter("always")
        paths = plot_timetable(loaded, table, kinds, output, which=which or None,
                               formats=formats, lang=language, on_progress=bar)
    _print_warnings(caught)
    _print_written(paths, language)


@contextlib.contextmanager
def _pictures_bar() -> Iterator[Callable[[int, int], None]]:
    """A progress bar of the pictures drawn (on standard error, gone when done): a large
    term's cohort pictures take minutes."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("drawing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("drawing", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


class DateRange(click.ParamType):
    """``2026-09-07..2026-09-20`` (or one date) as its first and last date."""

    name = "A..B"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from scheduler.pins import parse_date_range

        if isinstance(value, tuple):
            return value
        try:
            return parse_date_range(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@main.command()
@click.argument("timetable", type=click.Path(path_type=Path))
@click.option("--course", "-c", "courses", multiple=True, metavar="ID",
              help="Pin the meetings of this course (repeat for several).")
@click.option("--teacher", "teachers", multiple=True, metavar="ID",
              help="Pin the meetings this teacher teaches (repeat for several).")
@click.option("--cohort", "cohorts", multiple=True, metavar="ID",
              help="Pin the meetings this cohort attends, with its sub-groups' (repeat).")
@click.option("--room", "rooms", multiple=True, metavar="ID",
              help="Pin the meetings held in this room (repeat for several).")
@click.option("--date-range", "-d", "dates", type=DateRange(), default=None,
              help="Only meetings from A to B (YYYY-MM-DD..YYYY-MM-DD, both included).")
@click.option("--unpin", is_flag=True, help="Unpin the meetings picked instead.")
@click.option("--instance", "-i", type=click.Path(path_type=Path), default=None,
              help="The timetable's instance, to find teachers' and cohorts' meetings and "
                   "to check the timetable's courses, rooms and interpreters against "
                   "[default: the shipped instance, with --teacher, --cohort or --room].")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Where to write the timetable (same format; TIMETABLE itself to change it "
                   "in place).")
@reports_errors
def pin(timetable: Path, courses: tuple[str, ...], teachers: tuple[str, ...],
        cohorts: tuple[str, ...], rooms: tuple[str, ...],
        dates: tuple[Any, Any] | None, unpin: bool, instance: Path | None,
        output: Path) -> None:
    """Pin meetings of a TIMETABLE (CSV, JSON or xlsx): later solves keep them where they are.

    Sets the pinned column of the meetings picked by --course, --teacher, --cohort, --room
    and --date-range (each option given must match; repeated ids of one option are
    alternatives) and writes the timetable to --output in the same format, changing nothing
    else in the file (a workbook keeps its sheets, formatting and notes). Give TIMETABLE
    itself as --output to change it in place (the file is replaced atomically); the input is
    never changed otherwise. A pinned meeting keeps its date, periods and room in every later
    solve (solve --baseline, scenario run --baseline); pinning a meeting of a weekly course
    pins its weekly slot for every week. Exit code 2 when nothing matches or an id is
    unknown.

    \b
    Example:
      scheduler pin out/timetable.xlsx --teacher CQ-WANGF --date-range 2026-09-07..2026-10-30 \\
        -o agreed.xlsx
      scheduler pin agreed.xlsx --course ENG101-1 -o agreed.xlsx
    """
    from scheduler.io.reader import read_instance
    from scheduler.pins import PinSelection, pin_timetable

    first, last = dates or (None, None)
    try:
        selection = PinSelection(courses, teachers, cohorts, rooms, first, last)
    except ValueError as exc:
        raise click.UsageError("give --course, --teacher, --cohort, --room or --date-range "
                               "to pick the meetings") from exc
    loaded = (read_instance(resolve_instance(instance))
              if teachers or cohorts or rooms or instance is not None else None)
    result = pin_timetable(timetable, output, selection, loaded, unpin=unpin)
    verb = "Unpinned" if unpin else "Pinned"
    out.print(f"{verb} {len(result.picked)} meeting(s) ({result.changed} changed); "
              f"{result.pinned} of {len(result.timetable)} are pinned.", highlight=False)
    out.print(f"  wrote {result.output}", highlight=False)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--instance", "-i", "instances", type=click.Path(path_type=Path), multiple=True,
              help="The timetables' instance [default: the shipped instance]; give it twice "
                   "(OLD's, then NEW's) when NEW is a scenario's that added or removed courses "
                   "(its OUT/instance).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Also write the changes as a workbook (a path ending in .xlsx).")
@reports_errors
def diff(old: Path, new: Path, instances: tuple[Path, ...], output: Path | None) -> None:
    """List what changed from timetable OLD to NEW (CSV, JSON or xlsx, of one instance).

    Meetings added, removed and moved (another date, periods or room) and those with another
    interpreter, counted per cohort, teacher and interpreter, then each change with whom it
    concerns. --output writes the same as a workbook: sheet "changes" (one row per change and
    person, the changed cells highlighted; filter subject_id for one person's changes) and
    sheet "summary". Exit code 0 whether or not anything changed.

    \b
    Example:
      scheduler diff out/timetable.xlsx out2/timetable.xlsx -o changes.xlsx
      scheduler diff a.csv b.json -i instances/cqupt-fefu-steady
    """
    from scheduler.atomic import check_not_input, check_writable_file
    from scheduler.exports.diff_sheet import write_diff_workbook
    from scheduler.render import diff_tables
    from scheduler.roundtrip import diff_files

    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter("give a path ending in .xlsx", param_hint="--output")
        check_not_input(output, (old, new))
        check_writable_file(output)
    changes = diff_files(instances or (resolve_instance(None),), old, new)
    if not changes.changes:
        out.print(f"No changes: the {changes.unchanged} meetings are the same.",
                  highlight=False)
    else:
        for table in diff_tables(changes):
            out.print(table)
    if output is not None:
        out.print(f"  wrote {write_diff_workbook(changes, output)}", highlight=False)


@main.group()
def scenario() -> None:
    """What-if scenarios: re-solve with changes, compare with the base, sweep many at once.

    A scenario file (YAML, see docs/scenarios.md) lists changes to a base instance: trips
    moved, shortened, cancelled or added, teachers unavailable, rooms closed, cohorts
    resized, courses added, removed or changed, holidays added.

    \b
    Example:
      scheduler scenario run instances/cqupt-fefu-2026-fall \\
        instances/cqupt-fefu-2026-fall/scenarios/ivanova-visa-two-weeks-late.yaml \\
        --baseline out/timetable.csv -o runs/ivanova-late
    """


@scenario.command("run")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("scenario_file", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("--baseline", "-b", type=click.Path(path_type=Path), default=None,
              help="The current timetable (CSV, JSON or xlsx): re-solve with minimal change.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder for the comparison, the scenario's timetable and instance.")
@click.option("--explain-time", type=Seconds(min=0.1), default=None,
              help="Seconds to search for why a scenario is impossible [default: time limit].")
@click.option("--relax/--no-relax", default=True, show_default=True,
              help="When impossible, also place what can be placed and list the rest.")
@click.option("--relax-pins", is_flag=True,
              help="Keep as many of the baseline's pinned meetings as possible, list the rest.")
@with_solver_options
@functools.partial(_stopped_by_signals, on_first=_say_stopping_scenario)
@reports_errors
def scenario_run(base: Path, scenario_file: Path, baseline: Path | None, output: Path,
                 explain_time: float | None, relax: bool, relax_pins: bool,
                 time_limit: float | None, workers: int, seed: int, quiet: bool) -> None:
    """Apply SCENARIO.yaml to BASE, re-solve, and compare the two side by side.

    With --baseline, meetings stay where they were unless they must move (each moved
    meeting costs moved_meeting; courses no change touches are fixed where that stays
    feasible), and the moves are listed. The baseline is verified against BASE first (a
    broken hard rule is listed with its sheet and rows, exit 5, nothing solved), and its
    pinned meetings never move (--relax-pins: as many as possible stay, the rest are listed).
    Without it, the base and the scenario are both solved afresh. When the scenario has no
    timetable, says which requirements (pins among them) cannot hold together. Writes
    comparison.md, comparison.xlsx, comparison.png, scenario.json, the scenario's timetable
    and its instance (instance/). Exit codes: 3 when the scenario has no timetable (proven),
    4 when none was found within the time limit, 131 when stopped by Ctrl-C or SIGTERM
    (nothing written: a comparison needs both searches whole).

    \b
    Example:
      scheduler solve instances/cqupt-fefu-2026-fall -o out -t 60
      scheduler scenario run instances/cqupt-fefu-2026-fall \\
        instances/cqupt-fefu-2026-fall/scenarios/ivanova-visa-two-weeks-late.yaml \\
        --baseline out/timetable.csv -o runs/ivanova-late -t 60
    """
    from scheduler.cpsat import SolveStatus
    from scheduler.render import broken_pins_lines, comparison_table
    from scheduler.roundtrip import BaselineRejected
    from scheduler.scenarios.jobs import scenario_to_folder
    from scheduler.scenarios.run import ScenarioParams

    if relax_pins and baseline is None:
        raise click.UsageError("--relax-pins needs --baseline")
    params = ScenarioParams(time_limit=time_limit, workers=workers, seed=seed,
                            explain_time=explain_time, relax=relax, relax_pins=relax_pins)
    try:
        with ProgressDisplay(quiet) as display, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = scenario_to_folder(base, scenario_file, output, baseline, params,
                                         display)
    except BaselineRejected as exc:
        _print_rejected(exc, "en")
        sys.exit(EXIT_VERIFY)
    _print_warnings(caught)
    comparison = outcome.comparison
    out.print(f"[bold]Scenario:[/] {comparison.scenario.name}", highlight=False)
    for note in comparison.notes:
        out.print(f"  - {note}", highlight=False, markup=False)
    out.print(comparison_table(comparison.rows(), "Base and scenario (verified costs)"))
    side = comparison.changed
    if side.diagnosis.explanation is not None:
        err.print("[bold red]The scenario has no timetable:[/]", highlight=False)
        _print_explanation(side.diagnosis.explanation.lines())
    if side.relaxed:
        _print_unplaced(side.diagnosis.unplaced)
    for line in broken_pins_lines(comparison.instance, comparison.pin_choice):
        out.print(line, highlight=False)
    for file in outcome.files:
        out.print(f"  wrote {file}", highlight=False)
    if not side.feasible:
        sys.exit(EXIT_INFEASIBLE if side.status == SolveStatus.INFEASIBLE else EXIT_UNKNOWN)


def _say_stopping_study(signum: int) -> None:
    """First SIGINT/SIGTERM of a study (raw write: this runs in a signal handler)."""
    os.write(2, b"\nStopping: scenarios still running are cancelled; the finished ones are "
                b"kept (--resume continues). Interrupt again to quit at once.\n")


class StudyDisplay:
    """A study's progress bar: scenarios done of all, running and failed, the time elapsed
    and an estimate of the rest; the Dask dashboard's address once known."""

    def __init__(self, quiet: bool) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress("[progress.description]{task.description}", BarColumn(),
                            MofNCompleteColumn(), TextColumn("{task.fields[state]}"),
                            TimeElapsedColumn(), TextColumn("{task.fields[left]}"),
                            console=err, disable=quiet, transient=True)
        self.task = self.bar.add_task("connecting to Dask", total=None, state="", left="")
        self.dashboard: str | None = None
        self.last = "scenarios"

    def __enter__(self) -> StudyDisplay:
        self.bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.bar.__exit__(kind, error, trace)

    def __call__(self, progress: Any) -> None:
        if progress.dashboard and progress.dashboard != self.dashboard:
            self.dashboard = progress.dashboard
            err.print(f"Dask dashboard: {progress.dashboard}", highlight=False)
        if progress.phase == "base":
            description = "solving the base"
        elif progress.phase == "starting":
            description = "connecting to Dask"
        elif progress.phase == "stopping":
            description = "stopping"
        elif progress.last is not None:
            description = self.last = f"{progress.last.scenario}: {progress.last.status.lower()}"
        else:
            description = self.last
        state = f"{progress.running} running"
        if progress.failed:
            state += f", {progress.failed} failed"
        if progress.workers == 0 and progress.phase != "stopping":
            state += ", no Dask worker: waiting"
        left = "" if progress.remaining is None else \
            f"about {_duration(progress.remaining)} left"
        self.bar.update(self.task, description=description, completed=progress.done,
                        total=progress.total, state=state, left=left)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def study_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """From the command's first line (its imports included), the first Ctrl-C (or SIGTERM)
    stops the study keeping what finished (:mod:`scheduler.interrupt`; before the first
    scenario: nothing written, exit 131), a second quits without writing more (the workers
    are still closed)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        output = kwargs.get("output")
        before = _listing(output)
        try:
            with stop_on_signals(_say_stopping_study):
                return command(*args, **kwargs)
        except KeyboardInterrupt as exc:
            from scheduler.scenarios.jobs import QuitBeforeAnyResult

            if isinstance(exc, QuitBeforeAnyResult):
                err.print("Quit at once: no scenario had finished; the earlier study's results "
                          "in the folder had been removed as this one started.",
                          style="bold yellow", highlight=False)
                sys.exit(EXIT_INTERRUPTED_EMPTY)
            if _listing(output) == before:  # quit before anything was written
                err.print("Quit at once: nothing was written.", style="bold yellow",
                          highlight=False)
                sys.exit(EXIT_INTERRUPTED_EMPTY)
            err.print("Quit: the scenarios finished so far are kept (--resume continues).",
                      style="bold yellow", highlight=False)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


def _listing(folder: Path | None) -> set[tuple[str, int]]:
    """The names and modification times in ``folder`` (empty when there is none)."""
    if folder is None or not folder.is_dir():
        return set()
    return {(p.name, p.stat().st_mtime_ns) for p in folder.iterdir()}


def _run_study(quiet: bool, job: Callable[[Any, Callable[[], bool]], Any]) -> Any:
    """Run a study job with its progress bar; it stops when the command's stop is requested
    (:func:`study_command`)."""
    with StudyDisplay(quiet) as display, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome = job(display, stop_requested)
    _print_warnings(caught)
    return outcome


def _study_summary(result: Any) -> str:
    rows = result.rows
    feasible = sum(1 for r in rows if r.feasible)
    failed = len(result.failed)
    text = (f"{len(rows)} of {len(result.study.scenarios)} scenarios: {feasible} with a "
            f"timetable, {len(rows) - feasible - failed} without, {failed} failed")
    if result.resumed:
        text += f" ({result.resumed} from the earlier run)"
    if len(rows) == result.resumed:
        return text + "."
    return text + f"; {result.wall_time:.1f} s on {result.slots} Dask worker thread(s)."


scheduler_option = click.option(
    "--scheduler", envvar="DASK_SCHEDULER_ADDRESS", default=None, metavar="tcp://HOST:8786",
    help="A running Dask scheduler to send the scenarios to [default: $DASK_SCHEDULER_ADDRESS, "
         "else a local cluster].")
resume_option = click.option(
    "--resume", is_flag=True,
    help="Keep the scenarios already finished in OUTPUT (whose definition, seed, time limit "
         "and base are unchanged) and run only the rest.")


@scenario.command("study")
@click.argument("study_file", metavar="STUDY.yaml", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder for the results table, the picture and one folder per scenario.")
@scheduler_option
@resume_option
@click.option("--time-limit", "-t", type=Seconds(min=0.1), default=None,
              help="Seconds per scenario [default: the study's time_limit, else 30 s for small "
                   "terms, more for large].")
@click.option("--workers-per-task", type=click.IntRange(min=1), default=1, show_default=True,
              help="CP-SAT workers of each scenario.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes of the local cluster (0 = CPU cores / workers per task).")
@click.option("--full-outputs", is_flag=True,
              help="Write each scenario's picture, workbook and instance too, as scenario run "
                   "does (seconds per scenario).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@study_command
@reports_errors
def scenario_study(study_file: Path, output: Path, scheduler: str | None, resume: bool,
                   time_limit: float | None, workers_per_task: int, jobs: int,
                   full_outputs: bool, quiet: bool) -> None:
    """Run every scenario of STUDY.yaml on Dask and tabulate the results.

    A study (see docs/scenarios.md) names a base instance, an optional baseline timetable
    and its scenarios: a grid of axes or a list. Each scenario is stored in
    OUTPUT/scenarios/ as it finishes and the results table (results.csv, results.xlsx) is
    rewritten after each; study.json and study.png come at the end. A scenario that fails, or
    whose worker dies, is tried once more and then recorded as failed. Ctrl-C stops the study
    keeping what finished (exit code 130); --resume runs the rest.

    \b
    Example:
      scheduler scenario study instances/visitors-late.yaml -o runs/late -t 30
      scheduler scenario study instances/visitors-late.yaml -o runs/late \\
        --scheduler tcp://head:8786 --resume
    """
    from scheduler.render import study_table
    from scheduler.scenarios.jobs import study_to_folder
    from scheduler.scenarios.study_engine import StudyOptions

    options = StudyOptions(scheduler=scheduler, jobs=jobs, workers_per_task=workers_per_task,
                           time_limit=time_limit, resume=resume, full_outputs=full_outputs)
    outcome = _run_study(quiet, lambda display, stop: study_to_folder(
        study_file, output, options, display, stop))
    result = outcome.result
    out.print(study_table(result))
    out.print(_study_summary(result), highlight=False)
    for file in outcome.files:
        out.print(f"  wrote {file}", highlight=False)
    if (output / "scenarios").is_dir():
        out.print(f"  wrote {output / 'scenarios'}/ (one folder per scenario)", highlight=False)
    if result.interrupted:
        err.print("Interrupted: the scenarios finished so far are kept; --resume runs the "
                  "rest.", style="bold yellow", highlight=False)
        sys.exit(EXIT_INTERRUPTED)


@scenario.command("sweep")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("sweep_file", metavar="[SWEEP.yaml]", required=False,
                type=click.Path(path_type=Path))
@click.option("--delay", "-d", multiple=True, metavar="TEACHER|all",
              help="Delay the first trip of this visiting teacher (repeat), or of each.")
@click.option("--days", default="0:21:7", show_default=True,
              help="Delays in days: start:stop:step (stop included) or a list 3,7,14.")
@click.option("--trip", type=click.IntRange(min=1), default=1, show_default=True,
              help="Which trip of each teacher is delayed (1 = the first).")
@click.option("--keep-departure", is_flag=True,
              help="Arrive late but leave as planned (shorter trips) instead of moving trips.")
@click.option("--baseline", "-b", type=click.Path(path_type=Path), default=None,
              help="The current timetable [default: the base, solved first].")
@click.option("--fresh", is_flag=True,
              help="Solve each scenario afresh instead of with minimal change.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes of the local cluster (0 = one per CPU core).")
@scheduler_option
@resume_option
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder for robustness.md, sweep.xlsx, sweep.json, sweep.png and the "
                   "study's results.")
@click.option("--time-limit", "-t", type=Seconds(min=0.1), default=None,
              help="Seconds per scenario [default: 30 s for small terms, more for large].")
@click.option("--workers", "-w", type=click.IntRange(min=0), default=0, show_default=True,
              help="CP-SAT workers per scenario (0 = cores / jobs).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@study_command
@reports_errors
def scenario_sweep(base: Path, sweep_file: Path | None, delay: tuple[str, ...], days: str,
                   trip: int, keep_departure: bool, baseline: Path | None, fresh: bool,
                   jobs: int, scheduler: str | None, resume: bool, output: Path,
                   time_limit: float | None, workers: int, seed: int, quiet: bool) -> None:
    """Run many scenarios of BASE as a study and tabulate how robust the term is.

    --delay TEACHER (or all) makes one scenario per visiting teacher and delay of --days:
    their trip arrives that many days late. A sweep file lists scenario files or inline
    scenarios. Each scenario is re-solved with minimal change against --baseline (or the
    base, solved first), unless --fresh. The robustness table gives, for each visiting
    teacher, the largest delay the term absorbs and the cost of each delay (objective
    change and meetings moved). The sweep is written as OUTPUT/study.yaml and run like
    `scheduler scenario study` (same cluster options, --resume, results table).

    \b
    Example:
      scheduler scenario sweep instances/cqupt-fefu-2026-fall --delay all --days 0:21:7 \\
        -o runs/delays -t 20
    """
    from scheduler.render import sweep_tables
    from scheduler.scenarios.jobs import sweep_to_folder
    from scheduler.scenarios.study_engine import StudyOptions
    from scheduler.scenarios.sweep import DelaySweep, SweepParams

    if not delay and sweep_file is None:
        raise click.UsageError("give --delay TEACHER|all, a SWEEP.yaml file, or both")
    params = SweepParams(time_limit=time_limit, workers=workers, seed=seed, jobs=jobs,
                         fresh=fresh)
    delays = DelaySweep(delay, days, trip, keep_departure) if delay else None
    options = StudyOptions(scheduler=scheduler, resume=resume)
    outcome = _run_study(quiet, lambda display, stop: sweep_to_folder(
        base, output, delays, sweep_file, baseline, params, options, display, stop))
    result = outcome.result
    for table in sweep_tables(result, outcome.base):
        out.print(table)
    out.print(f"{len(result.points)} scenarios in {result.wall_time:.1f} s with {result.jobs} "
              "Dask worker thread(s).", highlight=False)
    for file in outcome.files:
        out.print(f"  wrote {file}", highlight=False)
    if outcome.study.interrupted:
        err.print("Interrupted: the scenarios finished so far are kept; --resume runs the "
                  "rest.", style="bold yellow", highlight=False)
        sys.exit(EXIT_INTERRUPTED)


@main.group()
def cbctt() -> None:
    """ITC2007 curriculum-based course timetabling (CB-CTT, UD2 cost): solve and score.

    Instances in the competition's .ctt or .ectt format; solutions in its format, one line per
    lecture: course room day period (see docs/cbctt.md).

    \b
    Example:
      scheduler cbctt solve comp01.ctt -o comp01.sol --time-limit 300 --workers 2
      scheduler cbctt score comp01.ctt comp01.sol
    """


@cbctt.command("solve")
@click.argument("instance", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Solution file to write (a JSON summary is written beside it).")
@with_solver_options
@reports_errors
@interruptible
def cbctt_solve(instance: Path, output: Path, time_limit: float | None, workers: int,
                seed: int, quiet: bool) -> None:
    """Solve a CB-CTT INSTANCE under UD2 and write the solution file.

    The timetable is scored by the independent scorer before it is written; Ctrl-C or SIGTERM
    stops the search and writes the best timetable so far ("interrupted" in the summary). Exit
    codes: 0 written, 2 bad input or output path, 3 proven infeasible, 4 no timetable found
    within the time limit, 5 the scorer disagrees with the solver (nothing written), 130
    interrupted (best timetable written), 131 interrupted before a first timetable (nothing
    written). Default time limit: 300 s (the ITC2007 scale).

    \b
    Example:
      scheduler cbctt solve comp01.ctt -o runs/comp01.sol --time-limit 300 --workers 2 --seed 0
    """
    from scheduler.cbctt.job import ScoreMismatch, solve_cbctt_file
    from scheduler.cpsat import SolverParams, SolveStatus
    from scheduler.render import ud2_table

    params = SolverParams(time_limit=300.0 if time_limit is None else time_limit,
                          workers=workers, seed=seed)
    try:
        with ProgressDisplay(quiet) as display, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = solve_cbctt_file(instance, output, params, display)
        _print_warnings(caught)
    except ScoreMismatch as exc:
        err.print(f"[bold red]Internal error:[/] {exc}", highlight=False, markup=False)
        sys.exit(EXIT_VERIFY)
    result = outcome.result
    if outcome.checked is None and result.status == SolveStatus.INFEASIBLE:
        err.print(f"[bold red]No timetable exists[/] (proven infeasible after "
                  f"{result.wall_time:.1f} s); nothing was written.", highlight=False)
        for reason in outcome.reasons:
            err.print(f"  - {reason}", highlight=False, markup=False)
        if not outcome.reasons:
            err.print("  No single course, teacher or curriculum, nor the number of rooms, "
                      "explains it on its own: the clash, availability and room rules together "
                      "leave no timetable.", highlight=False)
        sys.exit(EXIT_INFEASIBLE)
    if outcome.checked is None:
        err.print(f"[bold yellow]No timetable found[/] ({result.status}) after "
                  f"{result.wall_time:.1f} s; try a longer --time-limit.", highlight=False)
        sys.exit(EXIT_UNKNOWN)
    if result.interrupted:
        out.print("[yellow]Interrupted:[/] kept the best timetable found so far.")
    out.print(result.summary(), highlight=False)
    out.print(ud2_table(outcome.checked))
    for file in outcome.files:
        out.print(f"  wrote {file}", highlight=False)
    if result.interrupted:
        sys.exit(EXIT_INTERRUPTED)


@cbctt.command("score")
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("solution", type=click.Path(path_type=Path))
@click.option("--quiet-violations", is_flag=True, help="Only count hard violations.")
@reports_errors
def cbctt_score(instance: Path, solution: Path, quiet_violations: bool) -> None:
    """Score a SOLUTION file of a CB-CTT INSTANCE: hard violations and each UD2 component.

    Independent of the solver. Exit code 0 when no hard constraint is broken, 5 otherwise.

    \b
    Example:
      scheduler cbctt score comp01.ctt runs/comp01.sol
    """
    from scheduler.cbctt.job import score_cbctt_file

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = score_cbctt_file(instance, solution)
    _print_warnings(caught)
    out.print(checked.report(details=not quiet_violations), highlight=False, markup=False,
              end="")
    if not checked.feasible:
        sys.exit(EXIT_VERIFY)


for _number, _handler in _STARTING.items():  # loaded: the signals are handed back
    signal.signal(_number, _handler)  # type: ignore[arg-type]


def run() -> None:
    """The ``scheduler`` program: :func:`main`, then no signal changes the exit code while
    the process ends (a search's threads and the interpreter take a moment to stop, after
    every file has been written)."""
    try:
        main()
    finally:
        _catch_signals(signal.SIG_IGN, signal.SIGINT, signal.SIGTERM)


if __name__ == "__main__":  # pragma: no cover
    run()

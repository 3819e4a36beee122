"""The ``scheduler`` command line: a thin click layer over the :mod:`scheduler` library.

Each command parses its arguments, calls one library function and prints the result. Library
errors become messages and exit codes here:

0 success · 1 unexpected failure · 2 bad input (every problem listed) · 3 no timetable exists
(proven infeasible) · 4 no timetable found within the time limit · 5 a timetable failed
verification.
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from scheduler import __version__
from scheduler.errors import InputError, OutputError, SchedulerError
from scheduler.paths import DEFAULT_INSTANCE

EXIT_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_UNKNOWN = 4
EXIT_VERIFY = 5

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
            sys.exit(1)
        except SchedulerError as exc:
            err.print(f"[bold red]Error:[/] {exc}", highlight=False)
            sys.exit(1)

    return wrapper


instance_argument = click.argument(
    "instance", type=click.Path(path_type=Path), required=False,
)


def resolve_instance(instance: Path | None) -> Path:
    """The instance given, or the shipped default."""
    return instance if instance is not None else DEFAULT_INSTANCE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


@main.command()
@click.option("--students", "-n", type=click.IntRange(min=1), required=True,
              help="Number of students to generate (about 1,650 is the steady state).")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Output: a folder of CSV files, or a path ending in .xlsx.")
@reports_errors
def generate(students: int, seed: int, output: Path) -> None:
    """Write a random but realistic valid instance of the given size.

    The same size and seed always give the same instance.

    \b
    Example:
      scheduler generate --students 3300 --seed 7 -o runs/gen-2x
    """
    from scheduler.generate import generate_instance
    from scheduler.io.writer import write_instance

    instance = generate_instance(students, seed=seed)
    write_instance(instance, output)
    out.print(f"Wrote {output}: {len(instance.cohorts)} cohorts, {len(instance.courses)} "
              f"courses, {len(instance.teachers)} teachers, {len(instance.rooms)} rooms.",
              highlight=False)


def objective_table(terms: dict[str, dict[str, int]]) -> Any:
    """The objective broken down by soft term, as a rich table."""
    from rich.table import Table

    table = Table(title="Objective by soft constraint (verified)", title_justify="left")
    for name, justify in (("term", "left"), ("count", "right"), ("weight", "right"),
                          ("cost", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for name, row in sorted(terms.items(), key=lambda kv: -kv[1]["cost"]):
        table.add_row(name, str(row["count"]), str(row["weight"]), str(row["cost"]))
    table.add_row("total", "", "", str(sum(r["cost"] for r in terms.values())), style="bold")
    return table


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

    @staticmethod
    def _line(p: Any) -> str:
        objective = "-" if p.objective is None else f"{p.objective:g}"
        bound = "-" if p.bound is None else f"{p.bound:g}"
        gap = "" if p.gap is None else f"  gap {p.gap:.1%}"
        return (f"{p.elapsed:7.1f}s  {p.phase:<8} solutions {p.solutions:>3}  objective "
                f"{objective:>8}  bound {bound:>8}{gap}")

    def __call__(self, progress: Any) -> None:
        if self.quiet:
            return
        if self.live is not None:
            self.live.update(self._line(progress))
            return
        key = (progress.solutions, progress.objective, progress.bound, progress.phase)
        if key != self._last_key or progress.elapsed - self._last_plain >= 10:
            self._last_key = key
            self._last_plain = progress.elapsed
            self.console.print(self._line(progress), highlight=False)

    def __enter__(self) -> ProgressDisplay:
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()


solver_options = [
    click.option("--time-limit", "-t", type=click.FloatRange(min=0.1), default=None,
                 help="Seconds to search [default: 30 s for small terms, more for large ones]."),
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
@with_solver_options
@reports_errors
def solve(instance: Path | None, output: Path, relax: bool, time_limit: float | None,
          workers: int, seed: int, quiet: bool) -> None:
    """Build a verified, dated term timetable for INSTANCE (default: the shipped instance).

    Writes timetable.csv, timetable.json and summary.json into the output folder, only after
    the independent verifier has passed the timetable. Ctrl-C stops the search and keeps the
    best timetable found so far. When no timetable exists, says which requirements cannot
    hold together, in words. With --relax, courses that cannot be placed are left out (each
    course in full or not at all) and listed with the reason. Exit codes: 0 timetable
    written, 3 no timetable exists (infeasible), 4 none found within the time limit, 2 bad
    input.

    \b
    Example:
      scheduler solve instances/cqupt-fefu-steady -o runs/steady --time-limit 120 --workers 2
      scheduler solve instances/cqupt-fefu-2026-fall --relax -o runs/relaxed -t 30
    """
    from scheduler.pipeline import ObjectiveMismatch, VerificationFailed, solve_to_folder

    path = resolve_instance(instance)
    try:
        with ProgressDisplay(quiet) as display, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = solve_to_folder(path, output, time_limit, workers, seed, display, relax)
        _print_warnings(caught)
    except (VerificationFailed, ObjectiveMismatch) as exc:
        err.print(f"[bold red]Internal error:[/] {exc}", highlight=False, markup=False)
        sys.exit(EXIT_VERIFY)
    result, summary = outcome.result, outcome.summary
    if result.timetable is None:
        if result.status == "INFEASIBLE":
            err.print("[bold red]No timetable exists:[/] the requirements cannot all hold "
                      "together.", highlight=False)
        else:
            err.print("[bold yellow]No timetable found[/] within the time limit "
                      "(feasibility unknown); try a longer --time-limit.", highlight=False)
        _print_explanation(summary.get("explanation", []))
        sys.exit(EXIT_INFEASIBLE if result.status == "INFEASIBLE" else EXIT_UNKNOWN)
    if summary.get("interrupted"):
        out.print("[yellow]Interrupted:[/] kept the best timetable found so far.")
    gap = summary.get("gap")
    out.print(f"[bold green]{result.status}[/]: {summary['meetings']} meetings, verified; "
              f"objective {summary.get('objective')}, bound {summary.get('best_bound')}, "
              f"gap {'-' if gap is None else f'{gap:.1%}'}, "
              f"{summary['solve_time']:.1f} s (first timetable after "
              f"{summary['time_to_first_solution']} s).", highlight=False)
    if summary.get("objective_terms"):
        out.print(objective_table(summary["objective_terms"]))
    if summary.get("relaxed"):
        _print_unplaced(summary["unplaced"])
    for file in outcome.files:
        out.print(f"  wrote {file}", highlight=False)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@reports_errors
def verify(instance: Path, timetable: Path) -> None:
    """Check every hard rule of a TIMETABLE (CSV, JSON or xlsx) against INSTANCE.

    Recomputes everything from the two files alone (independently of the solver) and lists
    each violation in words. Exit code 0 when valid, 5 when rules are broken.

    \b
    Example:
      scheduler verify instances/cqupt-fefu-2026-fall out/timetable.csv
    """
    from scheduler.io.reader import read_instance
    from scheduler.timetable_io import read_timetable
    from scheduler.verify import verify_timetable

    loaded = read_instance(instance)
    verification = verify_timetable(loaded, read_timetable(timetable))
    if verification.ok:
        out.print(f"[bold green]Valid:[/] {timetable} breaks no hard rule.", highlight=False)
        return
    err.print(f"[bold red]{len(verification.violations)} violation(s):[/]", highlight=False)
    for violation in verification.violations:
        err.print(f"  - {violation}", highlight=False, markup=False)
    sys.exit(EXIT_VERIFY)


def _print_explanation(lines: list[str]) -> None:
    """An explanation's conflicts as a list, each with its requirements indented."""
    for line in lines:
        text = line if line.startswith(" ") else f"  - {line}"
        err.print(text, highlight=False, markup=False)


def _print_unplaced(unplaced: list[dict[str, Any]]) -> None:
    """Courses a relaxed solve left out, with the reasons."""
    if not unplaced:
        out.print("[green]Relaxed solve: every course was placed.[/]", highlight=False)
        return
    periods = sum(u["periods"] for u in unplaced)
    out.print(f"[bold yellow]{len(unplaced)} course(s) not placed ({periods} contact "
              "periods):[/]", highlight=False)
    for item in unplaced:
        out.print(f"  - {item['course_id']} {item['name']} ({item['periods']} periods)",
                  highlight=False, markup=False)
        for line in item["why"]:
            out.print(f"      {line}", highlight=False, markup=False)


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    for warning in {str(w.message): w for w in caught}.values():
        err.print(f"[yellow]Warning:[/] {warning.message}", highlight=False)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@click.option("--format", "-f", "formats", type=click.Choice(["xlsx", "csv", "json", "ics"]),
              multiple=True, default=("xlsx",), show_default=True,
              help="What to write; repeat for several.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder to write into.")
@click.option("--excel", is_flag=True, help="CSV: add the BOM that Excel needs for UTF-8.")
@reports_errors
def export(instance: Path, timetable: Path, formats: tuple[str, ...], output: Path,
           excel: bool) -> None:
    """Export a TIMETABLE of INSTANCE as a workbook, CSV, JSON or iCalendar files.

    xlsx: master sheet plus weekly grids per cohort, teacher, room and a visiting-faculty
    sheet; csv/json: the master table; ics: one calendar per teacher, cohort and interpreter
    (Asia/Shanghai time).

    \b
    Example:
      scheduler export instances/cqupt-fefu-2026-fall out/timetable.csv -f xlsx -f ics -o out
    """
    from scheduler.exports import export_timetable
    from scheduler.io.reader import read_instance
    from scheduler.timetable_io import read_timetable

    loaded = read_instance(instance)
    table = read_timetable(timetable)
    for fmt in formats:
        for path in export_timetable(loaded, table, fmt, output, excel_bom=excel):
            out.print(f"  wrote {path}", highlight=False)


@main.command()
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("timetable", type=click.Path(path_type=Path))
@click.option("--kind", "-k", type=click.Choice(["visitors", "cohort", "room", "occupancy"]),
              default="visitors", show_default=True, help="Which picture.")
@click.option("--which", "-w", multiple=True,
              help="Teacher, cohort or room ids to draw (repeat); default: all.")
@click.option("--format", "-f", "formats", type=click.Choice(["png", "svg", "pdf"]),
              multiple=True, default=("png", "svg"), show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Folder to write into.")
@reports_errors
def plot(instance: Path, timetable: Path, kind: str, which: tuple[str, ...],
         formats: tuple[str, ...], output: Path) -> None:
    """Draw a TIMETABLE of INSTANCE: visitors' Gantt chart, cohort or room pictures, occupancy.

    visitors: one row per visiting teacher, travel windows shaded, meetings as bars;
    cohort/room: a term Gantt chart and the weekly timetable picture of each;
    occupancy: rooms by teaching week and by weekday and period.

    \b
    Example:
      scheduler plot instances/cqupt-fefu-2026-fall out/timetable.csv -k cohort \
        -w IoT-2026-1 -o pics
    """
    from scheduler.io.reader import read_instance
    from scheduler.plotting import plot_timetable
    from scheduler.timetable_io import read_timetable

    loaded = read_instance(instance)
    table = read_timetable(timetable)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = plot_timetable(loaded, table, kind, output, which=which or None,
                               formats=formats)
    _print_warnings(caught)
    for path in paths:
        out.print(f"  wrote {path}", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    main()

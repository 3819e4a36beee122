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


if __name__ == "__main__":  # pragma: no cover
    main()

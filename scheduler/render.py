"""Rich renderables (tables) and lines of text for the command line; the CLI decides where
to print them. Display only: nothing here prints, solves or writes.

The types rendered are imported for annotations only, so that rendering loads no solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table

from scheduler.i18n import Language, translator
from scheduler.summary import InstanceSummary

if TYPE_CHECKING:
    from scheduler.cbctt.scorer import Score
    from scheduler.instance import Instance
    from scheduler.model.bound import LowerBound
    from scheduler.pipeline import SolveOutcome, TermCost
    from scheduler.progress import Progress
    from scheduler.scenarios.sweep import SweepResult
    from scheduler.verify import Verification
    from scheduler.verify.hard import Violation


def summary_tables(summary: InstanceSummary) -> Group:
    """The instance summary as a group of tables."""
    head = Table(title=summary.term, show_header=False, title_justify="left")
    head.add_column("what")
    head.add_column("value", justify="right")
    head.add_row("term", f"{summary.first_date} .. {summary.last_date}")
    head.add_row("teaching weeks / days", f"{summary.teaching_weeks} / {summary.teaching_days}")
    head.add_row("cohorts (+ sub-groups)", f"{summary.cohorts} (+{summary.subgroups})")
    head.add_row("students: Chinese / Russian / total",
                 f"{summary.students_cn} / {summary.students_ru} / {summary.students}")
    head.add_row("courses by delivery", ", ".join(
        f"{k} {v}" for k, v in sorted(summary.courses_by_delivery.items())))
    head.add_row("teachers by institution", ", ".join(
        f"{k} {v}" for k, v in sorted(summary.teachers_by_institution.items())))
    head.add_row("visiting teachers", str(summary.visiting_teachers))
    head.add_row("interpreters", str(summary.interpreters))
    head.add_row("rooms by type", ", ".join(
        f"{k} {v}" for k, v in sorted(summary.rooms_by_type.items())))
    head.add_row("bookings by other units", str(summary.bookings))

    cohorts = Table(title="Periods demanded vs available per cohort (leaf cohorts)",
                    title_justify="left")
    for name, justify in (("cohort", "left"), ("students", "left"), ("demanded", "right"),
                          ("available", "right"), ("load", "right")):
        cohorts.add_column(name, justify=justify)  # type: ignore[arg-type]
    for line in summary.cohort_load:
        cohorts.add_row(line.id, line.note, str(line.demanded), str(line.available),
                        f"{line.ratio:.0%}")

    visitors = Table(title="Periods demanded vs available per visiting teacher",
                     title_justify="left")
    for name, justify in (("teacher", "left"), ("name", "left"), ("trips", "left"),
                          ("demanded", "right"), ("available", "right"), ("load", "right")):
        visitors.add_column(name, justify=justify)  # type: ignore[arg-type]
    for line in summary.visitor_load:
        visitors.add_row(line.id, line.name, line.note, str(line.demanded), str(line.available),
                         f"{line.ratio:.0%}")
    return Group(head, cohorts, visitors)


def _columns(table: Table, columns: Iterable[tuple[str, str]]) -> Table:
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def simple_table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    """A titled table of text cells, every column left-aligned."""
    table = Table(title=title, title_justify="left")
    for name in header:
        table.add_column(name)
    for row in rows:
        table.add_row(*row)
    return table


def objective_table(terms: Iterable[TermCost], lang: Language = "en") -> Table:
    """The verified objective broken down by soft term, costliest first, with the total
    (headed in ``lang``; the terms keep the weights' names)."""
    tr = translator(lang)
    table = _columns(Table(title=tr("Objective by soft constraint (verified)"),
                           title_justify="left"),
                     ((tr("term"), "left"), (tr("count"), "right"), (tr("weight"), "right"),
                      (tr("cost"), "right")))
    rows = sorted(terms, key=lambda t: -t.cost)
    for term in rows:
        table.add_row(term.name, str(term.count), str(term.weight), str(term.cost))
    table.add_row(tr("total"), "", "", str(sum(t.cost for t in rows)), style="bold")
    return table


def solve_headline(outcome: SolveOutcome, lang: Language = "en") -> str:
    """The line after a solve with a timetable (rich markup): status, meetings, objective,
    bound, gap and times; ``NOT OPTIMISED`` and why, when the solve ended without
    optimising (the verifier's cost then); in ``lang``."""
    tr = translator(lang).brief
    times = {"meetings": outcome.meetings, "seconds": f"{outcome.solve_time:.1f}",
             "first": outcome.time_to_first}
    if not outcome.optimised:
        return "[bold yellow]NOT OPTIMISED[/]: " + tr(
            "{meetings} meetings, verified; not optimised: {reason}; verified cost {cost}, "
            "{seconds} s (first timetable after {first} s).").format(
            reason=outcome.not_optimised, cost=outcome.verified_objective, **times)
    gap = outcome.gap
    colour = "yellow" if outcome.partial else "green"
    return f"[bold {colour}]{outcome.status}[/]: " + tr(
        "{meetings} meetings, verified; objective {objective}, bound {bound}, gap {gap}, "
        "{seconds} s (first timetable after {first} s).").format(
        objective=outcome.objective, bound=outcome.best_bound,
        gap="-" if gap is None else f"{gap:.1%}", **times)


def partial_headline(outcome: SolveOutcome, lang: Language = "en") -> str:
    """The first line after a relaxed solve that left courses out (rich markup), in
    ``lang``."""
    tr = translator(lang).brief
    unplaced = outcome.unplaced
    periods = sum(u.periods for u in unplaced)
    return "[bold yellow]PARTIAL[/]: " + tr.ngettext(
        "{count} course not placed ({periods} contact periods); the timetable of the other "
        "courses is verified.",
        "{count} courses not placed ({periods} contact periods); the timetable of the other "
        "courses is verified.", len(unplaced)).format(count=len(unplaced), periods=periods)


def lower_bound_sentence(bound: LowerBound, lang: Language = "en") -> str:
    """What the lower bound from independent parts is made of, in ``lang``."""
    tr = translator(lang).brief
    solved = len(bound.parts)
    missed = bound.total_parts - solved
    facts = {"value": bound.value, "solved": solved, "total": bound.total_parts,
             "optimal": bound.optimal_parts, "missed": missed}
    if missed:
        return tr("Lower bound {value}: the sum over {solved} of {total} independent parts "
                  "(cohorts, teachers), {optimal} of them solved to optimality; the {missed} "
                  "parts not reached in time count 0.").format(**facts)
    return tr("Lower bound {value}: the sum over {solved} of {total} independent parts "
              "(cohorts, teachers), {optimal} of them solved to optimality.").format(**facts)


def verify_verdict(verification: Verification, source: object,
                   lang: Language = "en") -> str:
    """The verdict on a timetable (rich markup): valid, or how many rules it breaks."""
    tr = translator(lang).brief
    if verification.ok:
        return "[bold green]" + tr("Valid:") + "[/] " + tr(
            "{timetable} breaks no hard rule.").format(timetable=source)
    return "[bold red]" + tr("{count} violation(s):").format(
        count=len(verification.violations)) + "[/]"


def violation_line(violation: Violation, lang: Language = "en") -> str:
    """One broken rule: ``[room capacity] ...``, the rule named in ``lang`` (the detail, with
    its ids and dates, as the verifier says it)."""
    return f"[{translator(lang).brief(violation.rule)}] {violation.message}"


def progress_line(p: Progress) -> str:
    """One line of solver progress: time, phase, solutions, objective, bound and gap."""
    objective = "-" if p.objective is None else f"{p.objective:g}"
    bound = "-" if p.bound is None else f"{p.bound:g}"
    gap = "" if p.gap is None else f"  gap {p.gap:.1%}"
    return (f"{p.elapsed:7.1f}s  {p.phase:<8} solutions {p.solutions:>3}  objective "
            f"{objective:>8}  bound {bound:>8}{gap}")


def comparison_table(rows: Iterable[Sequence[str]], title: str) -> Table:
    """A scenario's side-by-side comparison with its base."""
    table = _columns(Table(title=title, title_justify="left"),
                     (("", "left"), ("base", "right"), ("scenario", "right"),
                      ("change", "right")))
    for row in rows:
        table.add_row(*row)
    return table


def sweep_tables(result: SweepResult, instance: Instance) -> list[Table]:
    """The robustness table of a delay sweep (when it has one) and the table of runs."""
    tables = []
    header, rows = result.robustness_rows(instance)
    if rows:
        tables.append(simple_table("Robustness to late arrival (objective change)", header,
                                   rows))
    tables.append(simple_table("Runs", ["scenario", "status", "cost change", "moved",
                                        "why not"],
                               [[str(r[0]), str(r[1]), str(r[2]), str(r[4]), str(r[7])]
                                for r in result.run_rows()]))
    return tables


def ud2_table(checked: Score) -> Table:
    """A CB-CTT timetable's UD2 cost by component, from the independent scorer."""
    return simple_table("UD2 cost (independent scorer)", ["component", "cost"],
                        [[k, str(v)] for k, v in checked.components().items()]
                        + [["total", str(checked.total)]])


def kpi_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A table whose figures are never cut short and whose headers wrap between words only:
    no vertical rules and one space between columns, so the figures of a cohort, teacher or
    room fit an 80-column terminal; on a narrower one the table runs over rather than hiding
    figures."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 0),
                  show_edge=False)
    for index, name in enumerate(header):
        widest = max((cell_len(row[index]) for row in rows), default=0)
        longest_word = max(cell_len(word) for word in name.split())
        width = max(widest, longest_word)
        table.add_column(name, min_width=width, max_width=width, overflow="fold",
                         justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table

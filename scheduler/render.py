"""Rich renderables (tables) for summaries and reports; the CLI decides where to print them."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table

from scheduler.summary import InstanceSummary


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

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
from rich.markup import escape
from rich.table import Table

from scheduler.i18n import N_, Language, after_label, translator
from scheduler.instance import WEEKDAY_NAMES
from scheduler.paths import doc
from scheduler.summary import InstanceSummary

if TYPE_CHECKING:
    from scheduler.cbctt.scorer import Score
    from scheduler.explain import Unplaced
    from scheduler.instance import Instance
    from scheduler.model.baseline import PinChoice
    from scheduler.model.bound import LowerBound
    from scheduler.pipeline import SolveOutcome, TermCost
    from scheduler.progress import Progress
    from scheduler.roundtrip import BaselineRejected
    from scheduler.scenarios.study_store import StudyResult
    from scheduler.scenarios.sweep import SweepResult
    from scheduler.timetable import Meeting
    from scheduler.verify import Verification
    from scheduler.verify.hard import Violation
    from scheduler.views.diff import TimetableDiff


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
    id_column(cohorts, "cohort", (line.id for line in summary.cohort_load))
    for name, justify in (("students", "left"), ("demanded", "right"),
                          ("available", "right"), ("load", "right")):
        cohorts.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for line in summary.cohort_load:
        cohorts.add_row(line.id, line.note, str(line.demanded), str(line.available),
                        f"{line.ratio:.0%}")

    visitors = Table(title="Periods demanded vs available per visiting teacher",
                     title_justify="left")
    id_column(visitors, "teacher", (line.id for line in summary.visitor_load))
    for name, justify in (("name", "left"), ("trips", "left"),
                          ("demanded", "right"), ("available", "right"), ("load", "right")):
        visitors.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    # a trip (arrival..departure) is never cut: the trips wrap between them
    visitors.columns[2].min_width = max((cell_len(trip) for line in summary.visitor_load
                                         for trip in line.note.split()), default=0)
    for line in summary.visitor_load:
        visitors.add_row(line.id, line.name, line.note, str(line.demanded), str(line.available),
                         f"{line.ratio:.0%}")
    if not summary.visitor_load:
        return Group(head, cohorts)
    return Group(head, cohorts, visitors)


def id_column(table: Table, name: str, ids: Iterable[str], justify: str = "left") -> Table:
    """A column of ids, as wide as the widest, never wrapped or cut short: other columns
    give way (an id cut to ``FEFU-SEMENOV…`` could be read as another)."""
    table.add_column(name, justify=justify, no_wrap=True,  # type: ignore[arg-type]
                     min_width=max((cell_len(i) for i in ids), default=0), overflow="fold")
    return table


def _columns(table: Table, columns: Iterable[tuple[str, str]]) -> Table:
    """Columns that wrap what does not fit rather than cut it short."""
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def simple_table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    """A titled table of text cells, every column left-aligned; the first column (ids) is
    never wrapped or cut short."""
    rows = [list(row) for row in rows]
    table = Table(title=title, title_justify="left")
    for index, name in enumerate(header):
        if index == 0:
            id_column(table, name, (row[0] for row in rows))
        else:
            table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def objective_table(terms: Iterable[TermCost], lang: Language = "en") -> Table:
    """The verified objective broken down by soft rule, norms first and costliest first within
    a level, with the total (headed in ``lang``; the rules keep the weights' names)."""
    tr = translator(lang)
    table = _columns(Table(title=tr("Objective by soft constraint (verified)"),
                           title_justify="left"),
                     ((tr("term"), "left"), (tr("level"), "left"), (tr("count"), "right"),
                      (tr("weight"), "right"), (tr("cost"), "right")))
    order = {"placement": 0, "norm": 1, "comfort": 2, "hard": 3}
    rows = sorted(terms, key=lambda t: (order.get(t.level, 4), -t.cost))
    table.columns[0].no_wrap = True
    table.columns[0].min_width = max((cell_len(t.name) for t in rows), default=0)
    for term in rows:
        table.add_row(term.name, tr(term.level), str(term.count), str(term.weight),
                      str(term.cost))
    table.add_row(tr("total"), "", "", "", str(sum(t.cost for t in rows)), style="bold")
    return table


LEVEL_NAMES = (N_("placement"), N_("norm"), N_("comfort"), N_("hard"))
"""The levels and tiers, as the catalogs translate them."""
STATUS_NAMES = (N_("OPTIMAL"), N_("FEASIBLE"), N_("INFEASIBLE"), N_("UNKNOWN"), N_("PARTIAL"),
                N_("NOT OPTIMISED"))
"""A solve's status words in a headline, as the catalogs translate them."""

WEAK_GAP = 0.5
"""Above this relative gap the whole objective's bound says nothing useful to an office."""


def plain_lines(outcome: SolveOutcome, lang: Language = "en", most: int = 8) -> list[str]:
    """What students and teachers will notice, in plain figures (rich markup), in ``lang``."""
    figures = outcome.plain
    if figures is None:
        return []
    tr = translator(lang).brief
    lines = ["[bold]" + tr("What students and teachers will notice") + "[/]"]
    longest = sorted((g for g in figures.groups if g.longest_date is not None),
                     key=lambda g: -g.longest_periods)
    for group in longest[:most]:
        span = (f" {group.longest_from:%H:%M}-{group.longest_to:%H:%M}"
                if group.longest_from and group.longest_to else "")
        assert group.longest_date is not None
        lines.append("  " + tr(
            "{group}: most periods in a day {periods}, on {date}{span}; evening periods "
            "{evening}; days over {cap} periods {over}; days with idle periods {idle}").format(
            group=group.cohort_id, periods=group.longest_periods,
            date=tr.date(group.longest_date), span=span, evening=group.evening_periods,
            over=group.days_over_cap, cap=figures.cap, idle=group.days_with_idle_periods))
    if len(longest) > most:
        lines.append("  " + tr("... and {more} more groups (summary.json, plain)").format(
            more=len(longest) - most))
    lines.append("  " + tr(
        "Evening periods taught: {evening}; group days over {cap} periods: {over}; group days "
        "with idle periods: {idle}").format(
        evening=figures.evening_periods, cap=figures.cap, over=figures.days_over_cap,
        idle=figures.days_with_idle_periods))
    for visitor in figures.visitors:
        lines.append("  " + tr(
            "{name}: in Chongqing {days} days (trips: {trips}); teaching days {teaching}, "
            "idle days {idle}").format(
            name=visitor.teacher_name, days=visitor.days_on_site, trips=visitor.trips,
            teaching=visitor.teaching_days, idle=visitor.idle_days))
    return lines


def tier_lines(outcome: SolveOutcome, lang: Language = "en") -> list[str]:
    """Each tier's cost with its proven minimum, and each norm with what is forced and why
    (the reasons stay in English), in ``lang``."""
    tr = translator(lang).brief
    lines = []
    for tier in outcome.tiers:
        if tier.optimal:
            proof = tr("proven minimal")
        elif tier.bound:
            proof = tr("at least {bound} of it is unavoidable").format(bound=tier.bound)
        else:
            proof = tr("no useful lower bound known")
        label = tr("{status}:").format(status=tr("{tier} tier").format(tier=tr(tier.name)))
        lines.append("[bold]" + label + "[/]" + after_label(label)
                     + tr("cost {cost} ({proof})").format(cost=tier.cost, proof=proof))
        if tier.name != "norm":
            continue
        bounds = outcome.result.norm_bounds
        for term in outcome.terms:
            if term.level != "norm":
                continue
            if bounds is None:  # not counted (a relaxed solve): nothing is said forced
                lines.append("  " + tr("{rule}: count {count}, weight {weight}, cost "
                                       "{cost}").format(rule=term.name, count=term.count,
                                                        weight=term.weight, cost=term.cost))
                continue
            lines.append("  " + tr(
                "{rule}: count {count} (at least {forced} forced), weight {weight}, cost "
                "{cost}").format(rule=term.name, count=term.count,
                                 forced=bounds.count(term.name), weight=term.weight,
                                 cost=term.cost))
            rule = None if bounds is None else next(
                (r for r in bounds.rules if r.rule == term.name), None)
            reasons = rule.certificates if rule else ()
            for certificate in reasons[:REASONS_SHOWN]:
                lines.append(f"    {certificate.sentence()}")
            if len(reasons) > REASONS_SHOWN:
                rest = reasons[REASONS_SHOWN:]
                lines.append("    " + tr.ngettext(
                    "... and {more} more reason, {forced} forced (summary.json, norm_bounds)",
                    "... and {more} more reasons, {forced} forced in all (summary.json, "
                    "norm_bounds)", len(rest)).format(
                    more=len(rest), forced=sum(c.count for c in rest)))
    return lines


REASONS_SHOWN = 3
"""The reasons printed under each norm; the others are counted (all are in summary.json)."""


def bound_sentence(outcome: SolveOutcome, lang: Language = "en") -> str | None:
    """One plain sentence when the whole objective's bound is too weak to say anything."""
    gap = outcome.gap
    if gap is None or gap <= WEAK_GAP or outcome.best_bound is None:
        return None
    tr = translator(lang).brief
    return tr(
        "The lower bound of the whole weighted objective ({bound}) is too weak to say how far "
        "this timetable is from the best possible; the tiers above say what is proven (bound "
        "and gap: summary.json, or --verbose).").format(bound=f"{outcome.best_bound:g}")


def _status(colour: str, word: str, lang: Language) -> str:
    """A headline's status word (rich markup) and its colon, in ``lang``."""
    tr = translator(lang).brief
    label = tr("{status}:").format(status=tr(word))
    return f"[bold {colour}]{label}[/]{after_label(label)}"


def solve_headline(outcome: SolveOutcome, lang: Language = "en", verbose: bool = True) -> str:
    """The line after a solve with a timetable (rich markup): status, meetings, objective,
    bound and gap (when ``verbose`` or when the bound says something), and times;
    ``NOT OPTIMISED`` and why, when the solve ended without optimising (the verifier's cost
    then); in ``lang``."""
    tr = translator(lang).brief
    first = outcome.time_to_first
    times = {"meetings": outcome.meetings, "seconds": tr.decimal(outcome.solve_time or 0.0),
             "first": "-" if first is None else tr.decimal(first, 3)}
    if not outcome.optimised:
        return _status("yellow", "NOT OPTIMISED", lang) + tr(
            "{meetings} meetings, verified; not optimised: {reason}; verified cost {cost}, "
            "{seconds} s (first timetable after {first} s).").format(
            reason=outcome.not_optimised, cost=outcome.verified_objective, **times)
    gap = outcome.gap
    colour = "yellow" if outcome.partial else "green"
    if verbose or (gap is not None and gap <= WEAK_GAP):
        return _status(colour, outcome.status.value, lang) + tr(
            "{meetings} meetings, verified; objective {objective}, bound {bound}, gap {gap}, "
            "{seconds} s (first timetable after {first} s).").format(
            objective=_number(outcome.objective), bound=_number(outcome.best_bound),
            gap="-" if gap is None else tr.percent(gap, 1), **times)
    return _status(colour, outcome.status.value, lang) + tr(
        "{meetings} meetings, verified; objective {objective}, {seconds} s (first timetable "
        "after {first} s).").format(objective=_number(outcome.objective), **times)


def _number(value: float | None) -> str:
    """A cost or bound as a reader writes it: 4552, not 4552.0 (``-`` when unknown)."""
    return "-" if value is None else f"{value:g}" if value != int(value) else str(int(value))


def solve_lines(outcome: SolveOutcome, lang: Language = "en",
                verbose: bool = False) -> list[str]:
    """What ``scheduler solve`` prints about a timetable, in order: the headline (status,
    meetings, cost), what students and teachers will notice, each tier with its proven minimum
    and the forced part of each norm, and the whole objective's bound (with ``verbose``) or,
    when it is too weak to say anything, one sentence saying so."""
    lines = [solve_headline(outcome, lang, verbose)]
    lines += plain_lines(outcome, lang) + tier_lines(outcome, lang)
    weak = bound_sentence(outcome, lang)
    if weak and not verbose:
        lines.append(weak)
    if outcome.lower_bound is not None and verbose:
        lines.append(lower_bound_sentence(outcome.lower_bound, lang))
    return lines


def partial_headline(outcome: SolveOutcome, lang: Language = "en") -> str:
    """The first line after a relaxed solve that left courses out (rich markup), in
    ``lang``."""
    tr = translator(lang).brief
    unplaced = outcome.unplaced
    periods = sum(u.periods for u in unplaced)
    line = _status("yellow", "PARTIAL", lang) + tr.ngettext(
        "{count} course not placed ({periods} contact periods); the timetable of the other "
        "courses is verified.",
        "{count} courses not placed ({periods} contact periods); the timetable of the other "
        "courses is verified.", len(unplaced)).format(count=len(unplaced), periods=periods)
    fit = sum(u.may_fit for u in unplaced)
    if fit:
        line += " " + tr.ngettext(
            "{fit} of them may fit beside the others: no reason was found, and a longer time "
            "limit may place it.",
            "{fit} of them may fit beside the others: no reason was found, and a longer time "
            "limit may place them.", fit).format(fit=fit)
    return line


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
        head = tr("Valid:")
        return "[bold green]" + head + "[/]" + after_label(head) + tr(
            "{timetable} breaks no hard rule.").format(timetable=source)
    return "[bold red]" + tr("{count} violation(s):").format(
        count=len(verification.violations)) + "[/]"


def verify_cost_lines(verification: Verification, lang: Language = "en") -> list[str]:
    """What a valid timetable costs, as the verifier recomputed it (rich markup): the total
    and each tier's part, and the courses a relaxed timetable leaves out."""
    tr = translator(lang).brief
    order = {"placement": 0, "norm": 1, "comfort": 2}
    parts = ", ".join(f"{tr(name)} {cost}" for name, cost in sorted(
        verification.tiers.items(), key=lambda item: order.get(item[0], 3)))
    head = tr("Cost:")
    lines = ["[bold]" + head + "[/]" + after_label(head) + escape(
        tr("{total} ({tiers}; each rule's weights: {document})").format(
            total=verification.objective, tiers=parts or "0", document=doc("objective.md")))]
    if verification.unplaced:
        lines.append(escape(tr.ngettext(
            "{count} course has no meeting and counts as unplaced: {courses}",
            "{count} courses have no meeting and count as unplaced: {courses}",
            len(verification.unplaced)).format(count=len(verification.unplaced),
                                               courses=", ".join(verification.unplaced))))
    return lines


def relax_hint(courses: Sequence[str], lang: Language = "en") -> str:
    """The hint under the violations of a timetable that leaves ``courses`` out entirely:
    a relaxed solve's timetable is checked with ``--relax``."""
    tr = translator(lang).brief
    return tr.ngettext(
        "{courses} has no meeting at all: if this is the timetable of a relaxed solve "
        "(scheduler solve --relax), check it with scheduler verify --relax.",
        "{courses} have no meeting at all: if this is the timetable of a relaxed solve "
        "(scheduler solve --relax), check it with scheduler verify --relax.",
        len(courses)).format(courses=", ".join(courses))


def disagreement_headline(count: int, sheet: str, valid: bool, lang: Language = "en") -> str:
    """The verdict on a workbook whose other sheets disagree with its master sheet (rich
    markup), in ``lang``; ``valid``: the master sheet breaks no hard rule."""
    tr = translator(lang).brief
    if valid:
        head = tr.ngettext(
            "The master sheet breaks no hard rule, but {count} cell of other sheets disagrees "
            "with the master sheet '{sheet}'",
            "The master sheet breaks no hard rule, but {count} cells of other sheets disagree "
            "with the master sheet '{sheet}'", count)
    else:
        head = tr.ngettext(
            "{count} cell of other sheets disagrees with the master sheet '{sheet}'",
            "{count} cells of other sheets disagree with the master sheet '{sheet}'", count)
    note = tr("(verify checks the master sheet: make changes there; scheduler export rewrites "
              "the other sheets from it):")
    space = "" if note.startswith("（") else " "  # a full-width parenthesis brings its space
    return "[bold red]" + escape(head.format(count=count, sheet=sheet)) + "[/]" + space + note


def unplaced_lines(unplaced: Sequence[Unplaced], lang: Language = "en",
                   header: bool = True) -> list[str]:
    """Courses a relaxed solve left out, each with its reasons (the reasons in English, as
    the explanations give them), under a line that counts them unless ``header`` is false
    (rich markup), in ``lang``."""
    tr = translator(lang).brief
    if not unplaced:
        return ["[green]" + tr("Relaxed solve: every course was placed.") + "[/]"]
    lines = []
    if header:
        lines.append("[bold yellow]" + tr.ngettext(
            "{count} course not placed ({periods} contact periods):",
            "{count} courses not placed ({periods} contact periods):", len(unplaced)).format(
            count=len(unplaced), periods=sum(u.periods for u in unplaced)) + "[/]")
    for item in unplaced:
        lines.append("  - " + escape(tr.ngettext(
            "{course} {name} ({periods} period)", "{course} {name} ({periods} periods)",
            item.periods).format(course=item.course_id, name=item.name,
                                 periods=item.periods)))
        lines += [f"      {escape(line)}" for line in item.explanation.lines()]
    return lines


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


def study_table(result: StudyResult) -> Table:
    """A study's results, one row per scenario: its name, its level on each axis, status,
    objective change, meetings moved, periods not placed, seconds and why it has no
    timetable (cut to 60 characters; results.csv has it whole)."""
    axes = list(result.study.axes)
    return simple_table(
        f"Study: {result.study.name}",
        ["scenario", *axes, "status", "objective change", "moved", "not placed", "s",
         "why not"],
        [[r.scenario, *(r.level(a) or "" for a in axes), r.status,
          "" if r.cost_change is None else f"{r.cost_change:+,}",
          "" if r.moved is None else str(r.moved), str(r.unplaced_periods),
          f"{r.seconds:.0f}", r.reason if len(r.reason) <= 60 else r.reason[:59] + "…"]
         for r in result.rows])


def sweep_tables(result: SweepResult, instance: Instance) -> list[Table]:
    """The robustness table of a delay sweep (when it has one) and the table of runs."""
    tables = []
    header, rows = result.robustness_rows(instance)
    if rows:
        tables.append(simple_table("Robustness to late arrival (objective change)", header,
                                   [[str(v) for v in row] for row in rows]))
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


def header_width(label: str) -> int:
    """The narrowest width at which ``label`` takes at most two lines, breaking between
    words (a single word, or a label of at most six cells, keeps its whole width)."""
    words = label.split()
    widths = [cell_len(" ".join(words))]
    if widths[0] <= 6:
        return widths[0]
    for k in range(1, len(words)):
        widths.append(max(cell_len(" ".join(words[:k])), cell_len(" ".join(words[k:]))))
    return min(widths)


def _greedy(widths: Sequence[int], width: int) -> list[list[int]]:
    """Columns 1.. packed in order into groups that fit ``width`` beside column 0 (one space
    between columns); a column too wide for any group gets one of its own."""
    groups: list[list[int]] = [[]]
    used = widths[0]
    for index in range(1, len(widths)):
        if groups[-1] and used + 1 + widths[index] > width:
            groups.append([])
            used = widths[0]
        groups[-1].append(index)
        used += 1 + widths[index]
    return groups


def column_groups(widths: Sequence[int], width: int) -> list[list[int]]:
    """Columns 1.. in as few groups as fit ``width`` beside column 0, as even as can be
    (the narrowest width that still needs no more groups)."""
    fewest = _greedy(widths, width)
    narrowest = width
    while narrowest > widths[0] + 1 and len(_greedy(widths, narrowest - 1)) == len(fewest):
        narrowest -= 1
    return _greedy(widths, narrowest)


def kpi_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
              width: int = 80, caption: str = "", lang: Language = "en") -> list[Table]:
    """Tables whose ids and figures are never cut short and whose headers take at most two
    lines: no vertical rules and one space between columns; when the columns do not fit in
    ``width`` they are split over several tables, each repeating the first column (the ids),
    the later ones titled "(continued)" in ``lang``. ``caption`` follows, wrapped to
    ``width``."""
    tr = translator(lang).brief  # the title is already in every language of ``all``
    continued = tr("{title} (continued)")
    widths = []
    for index, name in enumerate(header):
        widest = max((cell_len(row[index]) for row in rows), default=0)
        widths.append(max(widest, header_width(name)))
    groups = column_groups(widths, width)
    tables = []
    for number, group in enumerate(groups):
        table = Table(title=title if number == 0 else continued.format(title=title),
                      title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 0),
                      show_edge=False)
        for index in (0, *group):
            table.add_column(header[index], min_width=widths[index], max_width=widths[index],
                             overflow="fold", no_wrap=index == 0,
                             justify="left" if index == 0 else "right")
        for row in rows:
            table.add_row(*(row[index] for index in (0, *group)))
        tables.append(table)
    if caption:
        note = Table.grid()
        note.add_column(max_width=width, overflow="fold")
        note.add_row(caption)
        tables.append(note)
    return tables


_CHANGE_STYLES = {"moved": "yellow", "added": "green", "removed": "red", "interpreter": "cyan"}


def _meeting_text(meeting: Meeting | None) -> str:
    """``2026-09-07 Mon P1-2 R1 (I1)``, or ``-``."""
    if meeting is None:
        return "-"
    who = f" ({meeting.interpreter_id})" if meeting.interpreter_id else ""
    return (f"{meeting.date.isoformat()} {WEEKDAY_NAMES[meeting.date.weekday()]} "
            f"P{meeting.first_period}-{meeting.last_period} {meeting.room_id}{who}")


def diff_tables(diff: TimetableDiff) -> list[Table]:
    """What changed: the count per cohort, teacher and interpreter, then each change with
    whom it concerns."""
    from scheduler.views.diff import CHANGE_KINDS, subject_counts

    people = _columns(Table(title="Changes per cohort, teacher and interpreter",
                            title_justify="left"),
                      (("who", "left"), *((k, "right") for k in CHANGE_KINDS)))
    for kind, subject, counted in subject_counts(diff):
        people.add_row(f"{kind} {subject}",
                       *(str(counted.get(k, 0) or "") for k in CHANGE_KINDS))
    counts = diff.counts()
    changes = _columns(Table(title="Changes (" + ", ".join(
        f"{counts[k]} {k}" for k in (*CHANGE_KINDS, "unchanged")) + ")", title_justify="left"),
        (("change", "left"), ("course", "left"), ("before", "left"), ("after", "left"),
         ("cohorts", "left"), ("teachers", "left")))
    for change in diff.changes:
        concerned = diff.concerned(change)
        changes.add_row(f"[{_CHANGE_STYLES[change.kind]}]{change.kind}[/]", change.course_id,
                        _meeting_text(change.old), _meeting_text(change.new),
                        ", ".join(concerned["cohort"]), ", ".join(concerned["teacher"]))
    return [people, changes]


def rejected_headline(rejected: BaselineRejected, lang: Language = "en") -> str:
    """Why a baseline is refused before anything is solved (its sheet, the rules broken), in
    ``lang``; its violations follow (:meth:`~scheduler.roundtrip.BaselineRejected.lines`)."""
    tr = translator(lang).brief
    count, source = len(rejected.verification.violations), rejected.read.source
    if rejected.read.sheet:
        return tr.ngettext(
            "the baseline {source} (sheet '{sheet}') breaks {count} hard rule; nothing was "
            "solved: correct it (scheduler verify lists the same) and try again",
            "the baseline {source} (sheet '{sheet}') breaks {count} hard rules; nothing was "
            "solved: correct it (scheduler verify lists the same) and try again",
            count).format(source=source, sheet=rejected.read.sheet, count=count)
    return tr.ngettext(
        "the baseline {source} breaks {count} hard rule; nothing was solved: correct it "
        "(scheduler verify lists the same) and try again",
        "the baseline {source} breaks {count} hard rules; nothing was solved: correct it "
        "(scheduler verify lists the same) and try again", count).format(source=source,
                                                                          count=count)


def broken_pins_lines(instance: Instance, choice: PinChoice | None,
                      lang: Language = "en") -> list[str]:
    """The pins ``--relax-pins`` had to break (rich markup in the first line; the pins in
    words), or nothing."""
    from rich.markup import escape

    from scheduler.explain.pins import pin_words

    if choice is None or not choice.broken:
        return []
    tr = translator(lang).brief
    count, meetings = len(choice.broken), choice.broken_meetings
    head = (tr.ngettext("{count} pin broken ({meetings} pinned meeting(s) moved)",
                        "{count} pins broken ({meetings} pinned meeting(s) moved)", count)
            if choice.optimal else
            tr.ngettext("{count} pin broken ({meetings} pinned meeting(s) moved; not proven "
                        "the fewest)",
                        "{count} pins broken ({meetings} pinned meeting(s) moved; not proven "
                        "the fewest)", count)).format(count=count, meetings=meetings)
    return [f"[bold yellow]{head}[/]:",
            *(f"  - {escape(pin_words(instance, pin))}" for pin in choice.broken)]


def rebased_lines(outcome: SolveOutcome, lang: Language = "en") -> list[str]:
    """After a re-solve against a baseline: the pins broken (:func:`broken_pins_lines`) and
    what changed from the baseline, in ``lang``; nothing after an ordinary solve."""
    baseline, changes = outcome.baseline, outcome.changes
    if baseline is None:
        return []
    lines = broken_pins_lines(outcome.instance, baseline.choice, lang)
    if changes is not None:
        tr = translator(lang).brief
        lines.append(tr(
            "Against the baseline: {kept} pinned meeting(s) kept; {moved} moved, {added} "
            "added, {removed} removed, {interpreter} with another interpreter, {unchanged} "
            "unchanged (diff.xlsx lists them per cohort, teacher and interpreter).").format(
            kept=len(baseline.pins), **changes.counts()))
        lines.append(tr(
            "Against a baseline the search minimises one weighted sum of every rule and the "
            "moves (as --flat), not the norms first: the tiers above are this timetable's "
            "costs."))
    return lines

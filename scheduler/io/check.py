"""Check an instance built in memory (generated, or changed by a scenario) against the schema.

The reader checks each cell against its column (kind, limits, ids' lengths, time zone) as it
parses; :func:`schema_issues` applies the same columns to an instance that was never read, by
writing each value as a cell and parsing it back.
"""

from __future__ import annotations

from scheduler.instance import Instance
from scheduler.io.cells import CellError
from scheduler.io.records import BuildContext, Row, RowErrors, build_term, build_weight
from scheduler.io.rows import parse_cell
from scheduler.io.schema import TABLE_BY_NAME
from scheduler.io.writer import cell_value, instance_rows
from scheduler.validate import Issue


def schema_issues(instance: Instance) -> list[Issue]:
    """Every value of ``instance`` that the reader would refuse in its cell."""
    issues: list[Issue] = []
    for name, rows in instance_rows(instance).items():
        table = TABLE_BY_NAME[name]
        for index, row in enumerate(rows):
            for column in table.columns:
                try:
                    parse_cell(column, cell_value(table, column.name, row.get(column.name)))
                except CellError as exc:
                    issues.append(Issue(name, index, column.name, exc.message, exc.fix))
            issues.extend(_row_issues(name, index, row))
    return issues


def _row_issues(table: str, index: int, row: Row) -> list[Issue]:
    """What the builders check across a row's cells (the term's length, weight limits)."""
    try:
        if table == "term":
            build_term(row)
        elif table == "weights":
            build_weight(row, BuildContext(last_week=0))
    except RowErrors as exc:
        return [Issue(table, index, e.column, e.message, e.fix) for e in exc.errors]
    return []

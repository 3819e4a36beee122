"""Write an instance back to an ``.xlsx`` workbook or a folder of CSV files.

Reading what was written gives an equal instance (the round trip the tests check).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from scheduler.atomic import atomic_directory, atomic_path
from scheduler.instance import Instance
from scheduler.io.records import LATER_TABLES, MAPPINGS, term_row, weight_rows
from scheduler.io.schema import TABLES, Table


def instance_rows(instance: Instance) -> dict[str, list[dict[str, Any]]]:
    """Every table of the instance as rows of typed values (before cell formatting)."""
    rows: dict[str, list[dict[str, Any]]] = {"term": [term_row(instance.term)]}
    for name, mapping in MAPPINGS.items():
        records = getattr(instance, mapping.field)
        if records or name not in LATER_TABLES:
            rows[name] = [mapping.unbuild(record) for record in records]
    rows["weights"] = weight_rows(instance.weights, instance.levels)
    return rows


def cell_value(table: Table, column: str, value: Any) -> Any:
    """A typed value as the cell that holds it (text, a number, a date; None when blank)."""
    if value is None:
        return None
    kind = table.column(column).kind
    if isinstance(value, dt.date) and kind.name == "date":
        return value
    return kind.format(value)


def write_instance_xlsx(instance: Instance, path: str | Path) -> None:
    """Write the instance as a workbook with one sheet per table (atomically)."""
    rows = instance_rows(instance)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp))
        book.set_properties({"created": dt.datetime(2026, 1, 1), "title": instance.term.name})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for table in TABLES:
            sheet = book.add_worksheet(table.name)
            widths = [len(c.name) + 2 for c in table.columns]
            for col, column in enumerate(table.columns):
                sheet.write_string(0, col, column.name, header)
            for r, row in enumerate(rows.get(table.name, ()), start=1):
                for col, column in enumerate(table.columns):
                    value = cell_value(table, column.name, row.get(column.name))
                    if value is None:
                        continue
                    if isinstance(value, dt.date):
                        sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()),
                                             date_format)
                        widths[col] = max(widths[col], 12)
                    elif isinstance(value, bool):
                        sheet.write_string(r, col, "yes" if value else "no")
                    elif isinstance(value, int):
                        sheet.write_number(r, col, value)
                    else:
                        sheet.write_string(r, col, str(value))
                        widths[col] = max(widths[col], min(60, len(str(value)) + 2))
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
            sheet.freeze_panes(1, 0)
        book.close()


def write_instance_csv(instance: Instance, folder: str | Path, bom: bool = False) -> None:
    """Write the instance as a folder of ``<table>.csv`` files (UTF-8, optionally with BOM)."""
    rows = instance_rows(instance)
    with atomic_directory(folder) as staging:
        for table in TABLES:
            records = [
                {c.name: _text(cell_value(table, c.name, row.get(c.name))) for c in table.columns}
                for row in rows.get(table.name, ())
            ]
            frame = pd.DataFrame(records, columns=list(table.column_names))
            frame.to_csv(staging / f"{table.name}.csv", index=False,
                         encoding="utf-8-sig" if bom else "utf-8", lineterminator="\n")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_instance(instance: Instance, path: str | Path) -> None:
    """Write to ``path``: an ``.xlsx`` workbook, or otherwise a folder of CSV files."""
    if str(path).lower().endswith(".xlsx"):
        write_instance_xlsx(instance, path)
    else:
        write_instance_csv(instance, path)

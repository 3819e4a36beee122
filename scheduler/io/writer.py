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
from scheduler.errors import OutputError
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
        # in memory: xlsxwriter's temporary files were left behind by a Ctrl-C
        book = xlsxwriter.Workbook(str(tmp), {"in_memory": True})
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


def check_instance_output(path: str | Path) -> None:
    """Check, before any work, that :func:`write_instance` may write to ``path``: not an
    empty path, and (for a folder of CSV files) not a folder holding files other than the
    instance's tables (they would be read as unknown tables; another instance's scenarios
    would name what it no longer has). Raises :class:`OutputError`."""
    if not str(path).strip():
        raise OutputError("the output path is empty: give a folder, or a path ending in .xlsx")
    path = Path(path)
    if str(path).lower().endswith(".xlsx") or not path.exists():
        return
    if not path.is_dir():
        raise OutputError(f"{path} is a file, not a folder (give a path ending in .xlsx for a "
                          "workbook)")
    tables = {f"{table.name}.csv" for table in TABLES}
    other = sorted(p.name for p in path.iterdir()
                   if p.name not in tables and not p.name.startswith("."))
    if other:
        shown = ", ".join(other[:3]) + (", ..." if len(other) > 3 else "")
        raise OutputError(f"{path} holds files that are not tables of an instance ({shown}); "
                          "give a new or empty folder, or one holding only an instance's "
                          "tables (they are replaced)")


def write_instance(instance: Instance, path: str | Path) -> None:
    """Write to ``path``: an ``.xlsx`` workbook, or otherwise a folder of CSV files."""
    if str(path).lower().endswith(".xlsx"):
        write_instance_xlsx(instance, path)
    else:
        write_instance_csv(instance, path)

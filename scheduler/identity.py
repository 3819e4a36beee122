"""A stable fingerprint of an instance, so outputs say exactly which data they answer."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scheduler.instance import Instance


def _json_value(value: Any) -> Any:
    """Values JSON has no word for: sets sorted (their order follows the process's string
    hashing), anything else (dates) as text."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def canonical_json(document: Any) -> str:
    """``document`` as JSON text that is the same in every process: keys and sets sorted."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, default=_json_value)


def instance_fingerprint(instance: Instance) -> str:
    """SHA-256 of the instance's tables: equal instances give equal fingerprints, in every
    process."""
    # Imported here: the rows live beside the instance's xlsx writer, and reading a timetable
    # (scheduler.timetable_io imports this module) should not load xlsxwriter.
    from scheduler.io.writer import instance_rows

    return hashlib.sha256(canonical_json(instance_rows(instance)).encode("utf-8")).hexdigest()


def instance_identity(instance: Instance, source: str | None = None) -> dict[str, Any]:
    """Name, source path, fingerprint and size of an instance, for summary files."""
    return {
        "name": instance.term.name,
        "source": source,
        "sha256": instance_fingerprint(instance),
        "courses": len(instance.courses),
        "cohorts": len(instance.cohorts),
        "teachers": len(instance.teachers),
        "rooms": len(instance.rooms),
        "students": sum(c.size for c in instance.cohorts if c.parent is None),
    }

"""A stable fingerprint of an instance, so outputs say exactly which data they answer."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scheduler.instance import Instance


def instance_fingerprint(instance: Instance) -> str:
    """SHA-256 of the instance's tables (equal instances give equal fingerprints)."""
    # Imported here: the rows live beside the instance's xlsx writer, and reading a timetable
    # (scheduler.timetable_io imports this module) should not load xlsxwriter.
    from scheduler.io.writer import instance_rows

    text = json.dumps(instance_rows(instance), default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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

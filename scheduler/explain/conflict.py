"""What an explanation is made of: conflicts, each a sentence in users' words plus its subjects."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

ConflictKind = Literal["arithmetic", "no possible meeting", "pin", "requirements", "unknown"]


@dataclass(frozen=True)
class Conflict:
    """Requirements that cannot all hold together, said in users' words.

    ``sentence`` is the headline (e.g. "Козлов Д. И. (FEFU-KOZLOV): 48 periods of intensive
    teaching ..."); ``requirements`` lists each requirement involved, in words; the subject
    tuples name the courses, teachers, cohorts, rooms and interpreters concerned, and
    ``first_date``/``last_date`` the dates, when the conflict is limited to some.
    """

    kind: ConflictKind
    sentence: str
    requirements: tuple[str, ...] = ()
    fix: str = ""
    courses: tuple[str, ...] = ()
    teachers: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    interpreters: tuple[str, ...] = ()
    first_date: dt.date | None = None
    last_date: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("first_date", "last_date"):
            data[key] = None if data[key] is None else data[key].isoformat()
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data


@dataclass(frozen=True)
class Explanation:
    """Why an instance has no timetable.

    ``proven``: each conflict is proven to admit no timetable on its own. ``minimal``: the
    requirement set was shrunk until removing any one of them made it satisfiable.
    ``note`` says what could not be done (e.g. the search ran out of time).
    """

    conflicts: tuple[Conflict, ...]
    proven: bool
    minimal: bool = False
    note: str = ""

    def lines(self) -> list[str]:
        """One line per conflict (headline, then its requirements indented), then the note."""
        lines: list[str] = []
        for conflict in self.conflicts:
            end = "" if conflict.sentence.endswith((".", "!", "?", ":")) else "."
            lines.append(conflict.sentence + (f"{end} Fix: {conflict.fix}" if conflict.fix
                                              else ""))
            alone = conflict.requirements[0] if len(conflict.requirements) == 1 else None
            if alone is None or conflict.kind == "requirements" \
                    or alone not in conflict.sentence:  # else its sentence says it already
                lines.extend(f"    · {r}" for r in conflict.requirements)
        if self.note:
            lines.append(self.note)
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {"proven": self.proven, "minimal": self.minimal, "note": self.note,
                "conflicts": [c.as_dict() for c in self.conflicts]}

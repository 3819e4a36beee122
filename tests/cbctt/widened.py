"""Large CB-CTT instances for tests: a ``.ctt`` text copied side by side on a longer week."""

from __future__ import annotations


def _section(text: str, name: str) -> list[str]:
    """The lines of section ``name`` (up to the next blank line)."""
    lines = text.split(f"\n{name}:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split() for line in lines.strip().splitlines()]


def widened(text: str, copies: int, days: int, periods_per_day: int) -> str:
    """The instance of ``text`` ``copies`` times over (every id prefixed with ``k<copy>``),
    on ``days`` days of ``periods_per_day`` periods; a valid ``.ctt`` text."""
    name = text.split("Name:", 1)[1].split()[0]
    courses, rooms, curricula, unavailable = [], [], [], []
    for k in range(copies):
        courses += [" ".join([f"k{k}{c}", f"k{k}{t}", *rest])
                    for c, t, *rest in _section(text, "COURSES")]
        rooms += [f"k{k}{r} {size}" for r, size in _section(text, "ROOMS")]
        curricula += [" ".join([f"k{k}{q}", count, *(f"k{k}{c}" for c in members)])
                      for q, count, *members in _section(text, "CURRICULA")]
        unavailable += [f"k{k}{c} {d} {p}"
                        for c, d, p in _section(text, "UNAVAILABILITY_CONSTRAINTS")]
    return "\n".join([
        f"Name: {name}x{copies}", f"Courses: {len(courses)}", f"Rooms: {len(rooms)}",
        f"Days: {days}", f"Periods_per_day: {periods_per_day}", f"Curricula: {len(curricula)}",
        f"Constraints: {len(unavailable)}", "", "COURSES:", *courses, "", "ROOMS:", *rooms, "",
        "CURRICULA:", *curricula, "", "UNAVAILABILITY_CONSTRAINTS:", *unavailable, "", "END.",
        ""])

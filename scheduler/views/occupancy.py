"""How full each room is: the share of its teaching periods that the timetable uses.

By teaching week: periods used over the periods of that week's teaching days. By weekday and
period: the share of the term's teaching weeks in which that slot is used. Only the
institute's meetings count; other units' bookings are not occupancy of ours.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from scheduler.calendar import TermCalendar
from scheduler.i18n import Language, translator
from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.views.subjects import timetable_day

OccupancyView = Literal["week", "slot"]


@dataclass(frozen=True)
class Occupancy:
    """A rooms-by-columns table of shares in [0, 1] (``None`` where nothing can be taught)."""

    rooms: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    view: OccupancyView


def room_occupancy(instance: Instance, timetable: Timetable, view: OccupancyView = "week",
                   rooms: tuple[str, ...] | None = None,
                   calendar: TermCalendar | None = None, lang: Language = "en") -> Occupancy:
    """Occupancy of each room by teaching week (``view="week"``) or by weekday and period
    (``view="slot"``, columns such as ``Mon 1``, the weekday in ``lang``)."""
    calendar = calendar or TermCalendar(instance)
    room_ids = rooms if rooms is not None else tuple(r.id for r in instance.rooms)
    periods = sorted(p.number for p in instance.periods)
    if view == "week":
        by_week: Counter[tuple[str, int]] = Counter()
        week_keys = sorted({d.calendar_week for d in calendar.days})
        capacity = Counter(d.calendar_week for d in calendar.days)
        for m in timetable.meetings:
            by_week[(m.room_id, instance.term.week_of(m.date))] += m.length
        columns = tuple(str(k) for k in week_keys)
        values = tuple(tuple(by_week[(r, k)] / (capacity[k] * len(periods)) if capacity[k]
                             else None for k in week_keys) for r in room_ids)
        return Occupancy(tuple(room_ids), columns, values, view)
    used: Counter[tuple[str, tuple[int, int]]] = Counter()
    weekdays = sorted({d.weekday for d in calendar.days})
    keys = [(wd, p) for wd in weekdays for p in periods]
    weeks = Counter(d.weekday for d in calendar.days)
    for m in timetable.meetings:
        day = timetable_day(instance, m.date)[0]
        for p in m.periods:
            used[(m.room_id, (day, p))] += 1
    weekday_name = translator(lang).brief.weekday
    columns = tuple(f"{weekday_name(wd)} {p}" for wd, p in keys)
    values = tuple(tuple(used[(r, k)] / weeks[k[0]] if weeks[k[0]] else None
                         for k in keys) for r in room_ids)
    return Occupancy(tuple(room_ids), columns, values, view)

"""The room stock sized from the demand, and other CQUPT units' bookings."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence

from scheduler.calendar import TeachingDay
from scheduler.generate.data.rooms import (
    BUILDING_NAMES,
    BUILDINGS,
    FLOORS,
    ROOM_LABELS,
    ROOM_SIZES,
    ROOMS_PER_FLOOR,
    UNITS_DATED,
    UNITS_WEEKLY,
)
from scheduler.generate.params import Params
from scheduler.instance import Booking, Room, TimeMask, WeekRange


def make_rooms(demand: dict[tuple[str, int], float], params: Params,
               halls: int) -> tuple[Room, ...]:
    """Rooms of each type and size for ``room_load`` of the peak demand, plus large halls."""
    need = dict(demand)
    if halls:
        need[("lecture", max(ROOM_SIZES["lecture"]))] = 0.0
    rooms: list[Room] = []
    used: dict[str, int] = defaultdict(int)
    for room_type in ROOM_SIZES:
        for size in sorted({s for (t, s) in need if t == room_type}):
            count = max(1, math.ceil(need[(room_type, size)] / params.room_load))
            if (room_type, size) == ("lecture", max(ROOM_SIZES["lecture"])):
                count = max(count, halls)
            rooms.extend(_room(room_type, size, used) for _ in range(count))
    return tuple(rooms)


def _room(room_type: str, size: int, used: dict[str, int]) -> Room:
    for building in BUILDINGS[room_type]:
        slot = used[building]
        if slot < FLOORS * ROOMS_PER_FLOOR:
            used[building] += 1
            break
    else:
        raise ValueError("room stock larger than the buildings can hold")
    floor, number = slot % FLOORS + 1, slot // FLOORS + 1
    room_id = f"{building}{floor}{number:02d}"
    if room_type == "lecture":
        label = {300: "Lecture hall", 200: "Lecture theatre"}.get(size, "Classroom")
    else:
        label = ROOM_LABELS[room_type]
    return Room(room_id, BUILDING_NAMES[building], size, room_type, f"{room_id} {label}")


def make_bookings(rng: random.Random, rooms: Sequence[Room],
                  tdays: Sequence[TeachingDay]) -> tuple[Booking, ...]:
    """Other CQUPT units' bookings: weekly half-days on some rooms, dated ones on others."""
    found: list[Booking] = []
    for room in rooms:
        if rng.random() < 0.3:
            first, last = rng.choice(((1, 4), (5, 8)))
            weeks = rng.choice((None, None, WeekRange(1, 18, "odd"), WeekRange(1, 18, "even"),
                                WeekRange(1, 9), WeekRange(10, 18)))
            found.append(Booking(room.id, TimeMask(weekday=rng.randrange(5), first_period=first,
                                                   last_period=last, weeks=weeks),
                                 rng.choice(UNITS_WEEKLY)))
        if rng.random() < 0.3:
            day = rng.choice(tdays).date
            span = rng.choice(((1, 4), (5, 8), (None, None)))
            found.append(Booking(room.id, TimeMask(date=day, first_period=span[0],
                                                   last_period=span[1]),
                                 rng.choice(UNITS_DATED)))
    return tuple(found)

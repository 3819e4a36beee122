"""The room stock shared with the rest of CQUPT: types, sizes, buildings, and the units that
book rooms."""

from __future__ import annotations

from scheduler.instance import RoomType

ROOM_TYPES: tuple[RoomType, ...] = (
    RoomType("lecture", "Lecture room with projector"),
    RoomType("seminar", "Small seminar room"),
    RoomType("language_lab", "Language lab with headsets"),
    RoomType("computer_lab", "Computer lab (one PC per seat)"),
    RoomType("iot_lab", "IoT / embedded systems lab (sensor kits at each bench)"),
    RoomType("media_studio", "Digital media studio"),
)
ROOM_SIZES: dict[str, tuple[int, ...]] = {
    "lecture": (60, 120, 200, 300),
    "seminar": (30, 40),
    "language_lab": (40,),
    "computer_lab": (60,),
    "iot_lab": (40,),
    "media_studio": (30,),
}
"""Seat counts of the stock, by room type (DOMAIN.md); a course goes to the smallest that fits."""
ROOM_LABELS = {"seminar": "Seminar room", "language_lab": "Language lab",
               "computer_lab": "Computer lab", "iot_lab": "IoT lab",
               "media_studio": "Media studio"}
BUILDINGS: dict[str, tuple[str, ...]] = {
    "lecture": ("2", "3", "1", "6"),
    "seminar": ("4", "6", "1", "7"),
    "language_lab": ("4", "7", "6"),
    "computer_lab": ("8", "9", "7"),
    "iot_lab": ("5", "9", "7"),
    "media_studio": ("5", "9", "7"),
}
BUILDING_NAMES = {"1": "一教 Teaching Building 1", "2": "二教 Teaching Building 2",
                  "3": "三教 Teaching Building 3", "4": "四教 Teaching Building 4",
                  "5": "五教 Teaching Building 5", "6": "六教 Teaching Building 6",
                  "7": "七教 Teaching Building 7", "8": "八教 Teaching Building 8",
                  "9": "九教 Teaching Building 9"}
FLOORS = 5
ROOMS_PER_FLOOR = 99

UNITS_WEEKLY = ("School of Communication and Information Engineering",
                "School of Computer Science and Technology", "School of Economics and Management",
                "School of Software Engineering", "School of Foreign Languages",
                "School of Automation", "School of Optoelectronic Engineering",
                "Institute of IoT research", "Graduate School")
"""Units that book rooms weekly."""
UNITS_DATED = ("University examination", "Academic lecture series",
               "CET-4 listening test rehearsal", "Student union event",
               "Career fair presentation", "Teaching inspection")
"""Events that book a room on one date."""

"""The input tables and their columns: one definition drives reading, writing and the docs.

A workbook has one sheet per table; a CSV folder has one ``<table>.csv`` per table. Column
names are matched without regard to case or surrounding spaces; columns and sheets whose name
starts with ``#`` are ignored (use them for notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scheduler.io.cells import (
    Boolean,
    CellKind,
    Choice,
    Date,
    Id,
    Integer,
    Language,
    LanguageList,
    LanguagePairs,
    Text,
    TextList,
    Time,
    TimeZone,
    Weekday,
    WeekdayList,
)
from scheduler.io.limits import (
    MAX_CONTACT_PERIODS,
    MAX_MEETINGS_PER_WEEK,
    MAX_PERIODS,
    MAX_PERIODS_PER_WEEK,
    MAX_SEATS,
    MAX_STUDENTS,
    MAX_SUBJECT_ID,
    MAX_TERM_DAYS,
    MAX_TEXT,
    MAX_TRAVEL_DAYS,
    MAX_TRIP_DAYS,
    MAX_TRIPS,
    MAX_WEEKS,
    MAX_WEIGHT,
    MAX_YEAR,
)
from scheduler.levels import LEVELS

TEXT = Text(max_length=MAX_TEXT)
ID = Id()
SUBJECT_ID = Id(max_length=MAX_SUBJECT_ID)
"""Ids of cohorts, teachers, rooms and interpreters, which name sheets and files."""
SUBJECT_IDS = TextList(item=SUBJECT_ID)
PERIOD = Integer(minimum=1, maximum=MAX_PERIODS)
WEEK = Integer(minimum=1, maximum=MAX_WEEKS)
PERIODS_A_WEEK = Integer(minimum=1, maximum=MAX_PERIODS_PER_WEEK)
STUDENTS = Integer(minimum=0, maximum=MAX_STUDENTS)
TRAVEL_DAYS = Integer(minimum=0, maximum=MAX_TRAVEL_DAYS)


@dataclass(frozen=True)
class Column:
    """One column of a table. A blank optional cell takes ``default``."""

    name: str
    kind: CellKind
    doc: str
    example: str
    required: bool = False
    default: Any = None

    def default_text(self) -> str:
        if self.required:
            return "required"
        if self.default is None:
            return "blank allowed"
        return f"default {self.kind.format(self.default)}"


@dataclass(frozen=True)
class Table:
    """One sheet (or CSV file). ``key`` is the column holding unique ids, if any."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    required: bool = True
    key: str | None = None
    single_row: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _mask_columns(what: str) -> tuple[Column, ...]:
    return (
        Column("date", Date(), f"the date {what}; leave blank for a weekly entry",
               "2026-10-12"),
        Column("weekday", Weekday(), "timetable weekday of a weekly entry (blank with a date)",
               "Tue"),
        Column("first_period", PERIOD, "first period; blank = the whole day", "5"),
        Column("last_period", PERIOD, "last period; blank = the whole day", "8"),
        Column("first_week", WEEK,
               "first teaching week of a weekly entry; blank = week 1", "1"),
        Column("last_week", WEEK,
               "last teaching week of a weekly entry; blank = the term's last week", "18"),
        Column("week_parity", Choice(values=("all", "odd", "even")),
               "every week, or odd/even weeks only", "all", default="all"),
    )


TERM = Table(
    "term",
    "The semester (exactly one data row).",
    (
        Column("name", TEXT, "name of the term", "Joint Institute fall 2026", required=True),
        Column("first_date", Date(), "first teaching date", "2026-09-07", required=True),
        Column("last_date", Date(), "last teaching date", "2027-01-10", required=True),
        Column("week1_monday", Date(),
               "Monday of teaching week 1; blank = the Monday on or before first_date",
               "2026-09-07"),
        Column("teaching_weekdays", WeekdayList(), "weekdays with regular teaching", "Mon-Fri",
               default=(0, 1, 2, 3, 4)),
        Column("timezone", TimeZone(), "IANA time zone of the campus", "Asia/Shanghai",
               default="Asia/Shanghai"),
        Column("max_trip_days", Integer(minimum=1, maximum=MAX_TRIP_DAYS),
               "longest allowed stay of one trip in days, arrival and departure included "
               "(visa rule)", "90",
               default=90),
    ),
    single_row=True,
)

PERIODS = Table(
    "periods",
    "The daily grid: one row per period.",
    (
        Column("period", PERIOD, "period number, from 1", "1", required=True),
        Column("start", Time(), "start time", "08:00", required=True),
        Column("end", Time(), "end time", "08:45", required=True),
        Column("session", Choice(values=("morning", "afternoon", "evening")),
               "part of the day; the lunch break falls between morning and afternoon "
               "(not the `lunch` periods below, which can be taught)", "morning",
               required=True),
        Column("lunch", Boolean(),
               "period counts as lunch time: each cohort should keep one such period free "
               "(lunch_break_missed)",
               "no", default=False),
    ),
    key="period",
)

BLOCKS = Table(
    "blocks",
    "Runs of consecutive periods a meeting may occupy; a meeting of length L uses one block "
    "of exactly L periods.",
    (
        Column("block", ID, "block id", "1-2", required=True),
        Column("first_period", PERIOD, "first period of the block", "1",
               required=True),
        Column("last_period", PERIOD, "last period of the block", "2",
               required=True),
    ),
    key="block",
)

HOLIDAYS = Table(
    "holidays",
    "Dates without teaching.",
    (
        Column("date", Date(), "the date", "2026-10-01", required=True),
        Column("name", TEXT, "what it is", "National Day", default=""),
    ),
    required=False,
    key="date",
)

ADJUSTED_WORKDAYS = Table(
    "adjusted_workdays",
    "Dates (usually weekends) that hold another weekday's timetable (调休).",
    (
        Column("date", Date(), "the date", "2026-10-10", required=True),
        Column("follows_weekday", Weekday(), "weekday whose timetable is held", "Fri",
               required=True),
        Column("follows_week", WEEK,
               "teaching week whose timetable is held; blank = the date's own week", "5"),
        Column("name", TEXT, "note", "make-up for 2026-10-02", default=""),
    ),
    required=False,
    key="date",
)

ROOM_TYPES = Table(
    "room_types",
    "Kinds of room a course can require.",
    (
        Column("room_type", ID, "room type id", "computer_lab", required=True),
        Column("description", TEXT, "what it is", "60 PCs, projector", default=""),
    ),
    key="room_type",
)

ROOMS = Table(
    "rooms",
    "Rooms the institute may use.",
    (
        Column("room_id", SUBJECT_ID, "room id", "2-101", required=True),
        Column("building", TEXT, "building", "二教 (Teaching Building 2)", required=True),
        Column("capacity", Integer(minimum=1, maximum=MAX_SEATS), "seats", "120", required=True),
        Column("room_type", ID, "a room type of the room_types sheet", "lecture",
               required=True),
        Column("name", TEXT, "display name", "Lecture hall 2-101", default=""),
        Column("name_en", TEXT, "display name in English (blank: name)", "Lecture hall 2-101",
               default=""),
        Column("name_zh", TEXT, "display name in Chinese (blank: name)", "2-101 阶梯教室",
               default=""),
        Column("name_ru", TEXT, "display name in Russian (blank: name)", "Аудитория 2-101",
               default=""),
        Column("building_en", TEXT, "building in English (blank: building)",
               "Teaching Building 2", default=""),
        Column("building_zh", TEXT, "building in Chinese (blank: building)", "二教",
               default=""),
        Column("building_ru", TEXT, "building in Russian (blank: building)",
               "Учебный корпус 2", default=""),
        Column("video_link", Boolean(), "has a video link, so a visitor may teach the room's "
               "students online from home", "no", default=False),
    ),
    key="room_id",
)

BOOKINGS = Table(
    "bookings",
    "Periods of rooms taken by other CQUPT units: dated (date) or weekly (weekday).",
    (
        Column("room_id", SUBJECT_ID, "a room of the rooms sheet", "2-101", required=True),
        *_mask_columns("of a one-off booking"),
        Column("unit", TEXT, "who booked it", "School of Communication", default=""),
    ),
    required=False,
)

TEACHERS = Table(
    "teachers",
    "Teachers of CQUPT, FEFU and other institutions.",
    (
        Column("teacher_id", SUBJECT_ID, "teacher id", "FEFU-IVANOVA", required=True),
        Column("name", TEXT, "name in any script", "Иванова Е. А.", required=True),
        Column("institution", ID, "home institution: CQUPT, FEFU or other", "FEFU",
               required=True),
        Column("languages", LanguageList(), "languages they teach in", "ru;en",
               required=True),
        Column("visiting", Boolean(),
               "flies in: teaches on site only inside travel windows (given or planned "
               "trips), online only outside them", "yes", default=False),
        Column("max_periods_per_day", PERIOD, "most periods taught in a day", "8",
               default=8),
        Column("max_periods_per_week", PERIODS_A_WEEK,
               "most periods taught in a calendar week", "24", default=24),
        Column("name_en", TEXT, "name in English (blank: name)", "Ivanova E. A.", default=""),
        Column("name_zh", TEXT, "name in Chinese (blank: name)", "伊万诺娃", default=""),
        Column("name_ru", TEXT, "name in Russian (blank: name)", "Иванова Е. А.", default=""),
    ),
    key="teacher_id",
)

TRAVEL_WINDOWS = Table(
    "travel_windows",
    "Trips of visiting teachers, from the arrival date to the departure date (both in China). "
    "The teacher may teach from the day after the arrival's travel and rest days (arrival + "
    "travel_days + rest_days) to the day before the departure's travel days (departure - "
    "travel_days); teach_on_arrival or teach_on_departure lifts that end's limit.",
    (
        Column("teacher_id", SUBJECT_ID, "a visiting teacher", "FEFU-IVANOVA", required=True),
        Column("arrival", Date(), "arrival date in Chongqing", "2026-10-11", required=True),
        Column("departure", Date(), "departure date", "2026-10-31", required=True),
        Column("teach_on_arrival", Boolean(), "may teach from the arrival day on (that "
               "end has no travel and no rest day)", "no",
               default=False),
        Column("teach_on_departure", Boolean(), "may teach up to the departure day (that "
               "end has no travel day)", "no",
               default=False),
        Column("travel_days", TRAVEL_DAYS, "travel days at each end of the trip", "1",
               default=1),
        Column("rest_days", TRAVEL_DAYS, "days of rest after the arrival travel, before "
               "teaching", "0", default=0),
    ),
    required=False,
)

TRIP_RULES = Table(
    "trip_rules",
    "Visitors whose trips the solver plans. A visiting teacher without travel windows is "
    "planned when a row names them or their institution; a teacher's blank cells take their "
    "institution's row, then the default. Trips start on the arrival date and end on the "
    "departure date (days abroad, both included); whole-day dated unavailability rows of a "
    "planned visitor are home blackouts (no trip includes them).",
    (
        Column("teacher_id", SUBJECT_ID, "a visiting teacher without travel windows; blank "
               "in an institution's row", "FEFU-PETROV"),
        Column("institution", ID, "an institution whose visitors the row gives defaults "
               "for; blank in a teacher's row", "FEFU"),
        Column("earliest_arrival", Date(), "first possible arrival; blank: the term's first "
               "date minus travel_days + rest_days days (early enough to teach on it)",
               "2026-09-13"),
        Column("latest_departure", Date(), "last possible departure; blank: the term's last "
               "date plus travel_days days", "2026-12-30"),
        Column("arrival_weekdays", WeekdayList(), "weekdays with a flight in; blank: any day",
               "Sun;Wed"),
        Column("departure_weekdays", WeekdayList(), "weekdays with a flight out; blank: any "
               "day", "Sat;Wed"),
        Column("travel_days", TRAVEL_DAYS, "travel days at each end of a trip; blank: 1", "1"),
        Column("rest_days", TRAVEL_DAYS, "days of rest after the arrival travel; blank: 0",
               "1"),
        Column("max_stay_days", Integer(minimum=1, maximum=MAX_TRIP_DAYS),
               "longest trip in days, arrival and departure included (visa rule); blank: the "
               "term's "
               "max_trip_days", "30"),
        Column("min_days_between", Integer(minimum=0, maximum=MAX_TERM_DAYS),
               "fewest days at home between two trips (the days strictly between a "
               "departure and the next arrival); blank: 7", "14"),
        Column("max_trips", Integer(minimum=1, maximum=MAX_TRIPS),
               "most trips this term; blank: 2", "2"),
        Column("cost_per_trip", Integer(minimum=0, maximum=MAX_WEIGHT),
               "cost of one trip (flights, visa) in the office's cost units; blank: 30", "30"),
        Column("cost_per_day", Integer(minimum=0, maximum=MAX_WEIGHT),
               "cost of a day abroad (per diem, hotel); blank: 6", "6"),
    ),
    required=False,
)

UNAVAILABILITY = Table(
    "unavailability",
    "Periods when a teacher or an interpreter cannot teach: dated or weekly.",
    (
        Column("person_id", SUBJECT_ID, "a teacher or an interpreter", "CQ-LIWEI", required=True),
        *_mask_columns("of a one-off absence"),
        Column("reason", TEXT, "why", "department meeting", default=""),
    ),
    required=False,
)

PREFERENCES = Table(
    "preferences",
    "Periods teachers prefer or would rather avoid (soft).",
    (
        Column("teacher_id", SUBJECT_ID, "a teacher", "CQ-LIWEI", required=True),
        Column("kind", Choice(values=("prefer", "avoid")), "prefer or avoid", "avoid",
               required=True),
        Column("weekday", Weekday(), "weekday; blank = every day", "Mon"),
        Column("first_period", PERIOD, "first period; blank = whole day", "1"),
        Column("last_period", PERIOD, "last period; blank = whole day", "2"),
    ),
    required=False,
)

COHORTS = Table(
    "cohorts",
    "Student groups that attend together; a row with a parent is a sub-group of that cohort.",
    (
        Column("cohort_id", SUBJECT_ID, "cohort id", "IoT-2026-1", required=True),
        Column("program", TEXT, "programme", "Internet of Things Engineering",
               required=True),
        Column("level", Choice(values=("UG", "PG")), "UG or PG", "UG", required=True),
        Column("year", Integer(minimum=1, maximum=MAX_YEAR), "year of study", "1", required=True),
        Column("students_cn", STUDENTS, "Chinese students", "20", required=True),
        Column("students_ru", STUDENTS, "Russian students", "14", required=True),
        Column("languages", LanguageList(),
               "languages all its students follow, besides their native one", "en",
               default=()),
        Column("parent", SUBJECT_ID, "for a sub-group: the cohort it belongs to", "IoT-2026-1"),
    ),
    key="cohort_id",
)

COURSES = Table(
    "courses",
    "Course offerings this term.",
    (
        Column("course_id", ID, "course id", "IOT101", required=True),
        Column("name", TEXT, "course name", "Introduction to IoT / 物联网导论",
               required=True),
        Column("cohorts", SUBJECT_IDS, "attending cohorts, ';'-separated", "IoT-2026-1;IoT-2026-2",
               required=True),
        Column("teachers", SUBJECT_IDS, "teachers, all at every meeting", "CQ-LIWEI",
               required=True),
        Column("contact_periods", Integer(minimum=1, maximum=MAX_CONTACT_PERIODS),
               "contact periods this term", "48", required=True),
        Column("meeting_length", PERIOD, "periods per meeting", "2",
               required=True),
        Column("delivery", Choice(values=("weekly", "intensive")), "weekly or intensive",
               "weekly", required=True),
        Column("meetings_per_week", Integer(minimum=1, maximum=MAX_MEETINGS_PER_WEEK),
               "weekly courses: meetings a week", "2"),
        Column("first_week", WEEK, "first teaching week", "1", default=1),
        Column("last_week", WEEK, "last teaching week; blank = term's last",
               "16"),
        Column("week_parity", Choice(values=("all", "odd", "even")),
               "weekly courses: every, odd or even weeks (单双周)", "all", default="all"),
        Column("max_periods_per_day", PERIOD,
               "intensive courses: most periods a day; blank = only the teachers' daily limits",
               "6"),
        Column("room_type", ID, "room type needed", "lecture", required=True),
        Column("language", Language(), "language of instruction", "ru", required=True),
        Column("needs_interpreter", Boolean(),
               "an interpreter attends when some students do not follow the language", "yes",
               default=True),
        Column("core", Boolean(),
               "a core course of its programme (counted by the one-third rule, see "
               "docs/exports.md)", "yes", default=False),
        Column("name_en", TEXT, "course name in English (blank: name)",
               "Introduction to IoT", default=""),
        Column("name_zh", TEXT, "course name in Chinese (blank: name)", "物联网导论",
               default=""),
        Column("name_ru", TEXT, "course name in Russian (blank: name)",
               "Введение в интернет вещей", default=""),
        Column("online_allowed", Boolean(), "visitors may teach some meetings online from "
               "home (in a room with a video link)", "no", default=False),
        Column("max_online_share", Integer(minimum=0, maximum=100), "most contact periods "
               "taught online, in percent of contact_periods", "25", default=0),
    ),
    key="course_id",
)

INTERPRETERS = Table(
    "interpreters",
    "Interpreters and bilingual teaching assistants.",
    (
        Column("interpreter_id", SUBJECT_ID, "interpreter id", "INT-CHEN", required=True),
        Column("name", TEXT, "name", "陈静 Chen Jing", required=True),
        Column("pairs", LanguagePairs(), "language pairs interpreted, either way (ru-zh "
               "also covers zh-ru)", "ru-zh;en-zh",
               required=True),
        Column("available_weekdays", WeekdayList(), "timetable weekdays available", "Mon-Fri",
               default=(0, 1, 2, 3, 4, 5, 6)),
        Column("max_periods_per_day", PERIOD, "most periods a day", "6",
               default=8),
        Column("max_periods_per_week", PERIODS_A_WEEK,
               "most periods a calendar week; blank = no limit", "20"),
    ),
    required=False,
    key="interpreter_id",
)

WEIGHTS = Table(
    "weights",
    "Soft-constraint weights, their levels and thresholds; names not listed keep their "
    "defaults. A rule's level decides how it is optimised: `norm` rules first, then `comfort` "
    "rules with the norms held at the value found; a `hard` rule becomes a constraint that no "
    "timetable may break (see [objective.md](objective.md)).",
    (
        Column("name", ID, "weight name (see the table below)", "cohort_idle_period",
               required=True),
        Column("value", Integer(minimum=0, maximum=MAX_WEIGHT),
               "non-negative whole number; 0 turns a term off; blank keeps the default", "3"),
        Column("level", Choice(values=LEVELS),
               "hard, norm or comfort; blank keeps the rule's default level (thresholds and "
               "unplaced_period have none)", "norm"),
    ),
    required=False,
    key="name",
)

TABLES: tuple[Table, ...] = (
    TERM,
    PERIODS,
    BLOCKS,
    HOLIDAYS,
    ADJUSTED_WORKDAYS,
    ROOM_TYPES,
    ROOMS,
    BOOKINGS,
    TEACHERS,
    TRAVEL_WINDOWS,
    TRIP_RULES,
    UNAVAILABILITY,
    PREFERENCES,
    COHORTS,
    COURSES,
    INTERPRETERS,
    WEIGHTS,
)
TABLE_BY_NAME = {t.name: t for t in TABLES}

WEIGHT_DOCS: dict[str, str] = {
    "cohort_idle_period": "per idle period between two meetings of a cohort on one day",
    "cohort_single_meeting_day": "per day on which a cohort has a single meeting",
    "course_same_day": "per extra slot (weekday and periods) of a weekly course on a "
    "weekday it already has a slot on, once for the term",
    "course_day_gap": "per pair of different weekdays of a weekly course's slots fewer than "
    "min_day_gap days apart, once for the term",
    "min_day_gap": "threshold: least difference wanted between two weekdays of a weekly "
    "course's slots",
    "intensive_long_run": "per day of an intensive course beyond max_consecutive_days "
    "consecutive calendar days taught",
    "max_consecutive_days": "threshold: consecutive calendar days an intensive course may be "
    "taught without cost (a day without its teaching, a weekend too, ends a run)",
    "teacher_avoided_period": "per period a teacher teaches in a period they avoid",
    "teacher_unpreferred_period": "per period a teacher with prefer rows (preferences) "
    "teaches outside them",
    "evening_period": "per period of a meeting in the evening session",
    "adjusted_day_meeting": "per meeting held on an adjusted workday",
    "lunch_break_missed": "per cohort day on which every lunch period is taught",
    "visitor_teaching_day": "per day on which a visiting teacher teaches",
    "visitor_idle_day": "per teaching day of the term inside a trip, between a visitor's "
    "first and last teaching day of that trip, without teaching",
    "intensive_room_change": "per room an intensive course uses beyond the first",
    "cohort_building_change": "per building a cohort uses on a day beyond the first",
    "seat_waste": "per meeting, per 10 empty seats beyond the slack",
    "seat_slack_percent": "threshold: empty seats tolerated, in percent of the class size",
    "cohort_overload_period": "per period a cohort is taught on a day beyond cohort_daily_cap",
    "cohort_daily_cap": "threshold: periods a day a cohort may have without penalty",
    "teacher_week_imbalance": "per period between a non-visiting teacher's heaviest and "
    "lightest regular week (every teaching weekday taught, no adjusted workday, not cut "
    "short by the term)",
    "interpreter_change": "per interpreter a course uses beyond the first",
    "moved_meeting": "re-solving against a baseline timetable: per baseline meeting not kept "
    "at the same date, periods and room",
    "unplaced_period": "relaxed solving (solve --relax): per contact period of a course that "
    "could not be placed",
    "visitor_trip": "per cost unit of the trips planned for visitors: each trip's "
    "cost_per_trip (trip_rules)",
    "visitor_day_abroad": "per cost unit of the days abroad of the trips planned for "
    "visitors: cost_per_day (trip_rules) per day from arrival to departure",
}

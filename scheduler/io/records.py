"""Mapping between table rows (dicts of parsed cells) and the instance's frozen records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from scheduler.instance import (
    AdjustedWorkday,
    Block,
    Booking,
    Cohort,
    Course,
    Holiday,
    Interpreter,
    LocalNames,
    Parity,
    Period,
    Preference,
    Room,
    RoomType,
    Teacher,
    Term,
    TimeMask,
    TravelWindow,
    TripRule,
    Unavailability,
    WeekRange,
    Weights,
)
from scheduler.io.limits import MAX_TERM_DAYS, MAX_WEEKS, weight_limit
from scheduler.io.schema import WEIGHT_DOCS
from scheduler.levels import THRESHOLDS, Level, RuleLevels, default_level, has_level
from scheduler.paths import doc

Row = dict[str, Any]


@dataclass(frozen=True)
class RowError:
    """A problem with one row that involves a column (or several)."""

    column: str | None
    message: str
    fix: str = ""


class RowErrors(Exception):
    """All problems found while building one record from its row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class BuildContext:
    """What rows of later tables need to know: the term (for default week ranges) and the
    period numbers of the grid (empty when unknown), so that a row refused for its period
    range also names a period outside the grid (all of a row's problems at once)."""

    last_week: int
    periods: frozenset[int] = frozenset()


def last_teaching_week(term: Term) -> int:
    return term.week_of(term.last_date)


def _period_range(row: Row, errors: list[RowError],
                  periods: frozenset[int] = frozenset()) -> tuple[int | None, int | None]:
    first, last = row.get("first_period"), row.get("last_period")
    if (first is None) != (last is None):
        missing = "last_period" if last is None else "first_period"
        errors.append(RowError(missing, "give both first_period and last_period, or neither "
                               "(neither means the whole day)",
                               f"fill in {missing} or clear the other one"))
    elif first is not None and last is not None and last < first:
        errors.append(RowError("last_period", f"last_period {last} is before first_period {first}",
                               "swap the two periods"))
        errors.extend(RowError(column, f"period {value} is not in the period grid",
                               f"use a period between 1 and {max(periods)}")
                      for column, value in (("first_period", first), ("last_period", last))
                      if periods and value not in periods)
    return first, last


def _week_range(row: Row, ctx: BuildContext, errors: list[RowError],
                always: bool) -> WeekRange | None:
    given = any(row.get(k) is not None for k in ("first_week", "last_week"))
    parity: Parity = row.get("week_parity") or "all"
    if not given and parity == "all" and not always:
        return None
    first = row.get("first_week") or 1
    last = row.get("last_week") or ctx.last_week
    if last < first and row.get("last_week") is None:
        errors.append(RowError("first_week", f"first_week {first} is after the term's last "
                               f"week {last} (last_week is blank: the term's last week)",
                               f"use a week up to {last}"))
    elif last < first:
        errors.append(RowError("last_week", f"last_week {last} is before first_week {first}",
                               "swap the two weeks"))
    return WeekRange(first, last, parity)


def _mask(row: Row, ctx: BuildContext, errors: list[RowError]) -> TimeMask:
    date, weekday = row.get("date"), row.get("weekday")
    if date is None and weekday is None:
        errors.append(RowError("date", "give either a date (one-off) or a weekday (weekly)",
                               "fill in date or weekday"))
    if date is not None and weekday is not None:
        errors.append(RowError("weekday", "give either a date or a weekday, not both",
                               "clear one of the two cells"))
    first, last = _period_range(row, errors, ctx.periods)
    weeks = _week_range(row, ctx, errors, always=False)
    if date is not None and weeks is not None:
        errors.append(RowError("first_week", "week columns apply to weekly entries only",
                               "clear the week columns of a dated entry"))
        weeks = None
    return TimeMask(date=date, weekday=weekday, first_period=first, last_period=last,
                    weeks=weeks)


def _mask_row(mask: TimeMask) -> Row:
    return {
        "date": mask.date,
        "weekday": mask.weekday,
        "first_period": mask.first_period,
        "last_period": mask.last_period,
        "first_week": mask.weeks.first if mask.weeks else None,
        "last_week": mask.weeks.last if mask.weeks else None,
        "week_parity": mask.weeks.parity if mask.weeks else "all",
    }


def _checked(errors: list[RowError], record: Any) -> Any:
    if errors:
        raise RowErrors(errors)
    return record


# --- builders: row -> record --------------------------------------------------------------

def build_term(row: Row) -> Term:
    errors: list[RowError] = []
    first, last = row["first_date"], row["last_date"]
    if last < first:
        errors.append(RowError("last_date", f"last_date {last} is before first_date {first}",
                               "swap the two dates"))
    monday = row.get("week1_monday")
    if monday is None:
        monday = first - dt.timedelta(days=first.weekday())
    elif monday.weekday() != 0:
        errors.append(RowError("week1_monday", f"{monday} is not a Monday",
                               "give the Monday that starts teaching week 1"))
    elif monday > first:
        errors.append(RowError("week1_monday", f"week 1 starts on {monday}, after the first "
                               f"teaching date {first}", "give a Monday on or before first_date"))
    if not errors:
        errors.extend(_term_span(first, last, monday))
    return _checked(errors, Term(
        name=row["name"], first_date=first, last_date=last, week1_monday=monday,
        teaching_weekdays=row["teaching_weekdays"], timezone=row["timezone"],
        max_trip_days=row["max_trip_days"],
    ))


def _term_span(first: dt.date, last: dt.date, monday: dt.date) -> list[RowError]:
    days = (last - first).days + 1
    if days > MAX_TERM_DAYS:
        return [RowError("last_date", f"the term lasts {days} days, more than {MAX_TERM_DAYS}",
                         "check the years of first_date and last_date")]
    weeks = (last - monday).days // 7 + 1
    if weeks > MAX_WEEKS:
        return [RowError("week1_monday", f"the term's last date falls in teaching week {weeks}, "
                         f"after week {MAX_WEEKS}", "give the Monday that starts teaching week 1")]
    return []


def build_period(row: Row, ctx: BuildContext) -> Period:
    errors: list[RowError] = []
    if row["end"] <= row["start"]:
        errors.append(RowError("end", f"ends at {row['end']:%H:%M}, not after its start "
                               f"{row['start']:%H:%M}", "correct the clock times"))
    return _checked(errors, Period(row["period"], row["start"], row["end"], row["session"],
                                   row["lunch"]))


def build_block(row: Row, ctx: BuildContext) -> Block:
    errors: list[RowError] = []
    if row["last_period"] < row["first_period"]:
        errors.append(RowError("last_period", f"last_period {row['last_period']} is before "
                               f"first_period {row['first_period']}", "swap the two periods"))
    return _checked(errors, Block(row["block"], row["first_period"], row["last_period"]))


def build_holiday(row: Row, ctx: BuildContext) -> Holiday:
    return Holiday(row["date"], row["name"])


def build_adjusted_workday(row: Row, ctx: BuildContext) -> AdjustedWorkday:
    return AdjustedWorkday(row["date"], row["follows_weekday"], row.get("follows_week"),
                           row["name"])


def build_room_type(row: Row, ctx: BuildContext) -> RoomType:
    return RoomType(row["room_type"], row["description"])


def _names(row: Row, column: str = "name") -> LocalNames:
    """The optional ``<column>_en``, ``_zh`` and ``_ru`` cells of a row."""
    return LocalNames(row.get(f"{column}_en") or "", row.get(f"{column}_zh") or "",
                      row.get(f"{column}_ru") or "")


def build_room(row: Row, ctx: BuildContext) -> Room:
    return Room(row["room_id"], row["building"], row["capacity"], row["room_type"], row["name"],
                _names(row), _names(row, "building"), bool(row.get("video_link", False)))


def build_booking(row: Row, ctx: BuildContext) -> Booking:
    errors: list[RowError] = []
    mask = _mask(row, ctx, errors)
    return _checked(errors, Booking(row["room_id"], mask, row["unit"]))


def build_teacher(row: Row, ctx: BuildContext) -> Teacher:
    return Teacher(row["teacher_id"], row["name"], row["institution"], row["languages"],
                   row["visiting"], row["max_periods_per_day"], row["max_periods_per_week"],
                   _names(row))


def build_travel_window(row: Row, ctx: BuildContext) -> TravelWindow:
    errors: list[RowError] = []
    if row["departure"] < row["arrival"]:
        errors.append(RowError("departure", f"departure {row['departure']} is before arrival "
                               f"{row['arrival']}", "swap the two dates"))
    return _checked(errors, TravelWindow(row["teacher_id"], row["arrival"], row["departure"],
                                         row["teach_on_arrival"], row["teach_on_departure"],
                                         row["travel_days"], row["rest_days"]))


TRIP_RULE_FIELDS = ("earliest_arrival", "latest_departure", "arrival_weekdays",
                    "departure_weekdays", "travel_days", "rest_days", "max_stay_days",
                    "min_days_between", "max_trips", "cost_per_trip", "cost_per_day")
"""The rules of a ``trip_rules`` row (besides whom it is for), as :class:`TripRule` fields."""


def build_trip_rule(row: Row, ctx: BuildContext) -> TripRule:
    errors: list[RowError] = []
    teacher, institution = row.get("teacher_id"), row.get("institution")
    if (teacher is None) == (institution is None):
        errors.append(RowError("teacher_id", "give either a teacher_id (the rules of one "
                               "visitor) or an institution (defaults for its visitors)",
                               "fill in one of the two cells" if teacher is None
                               else "clear one of the two cells"))
    first, last = row.get("earliest_arrival"), row.get("latest_departure")
    if first is not None and last is not None and last < first:
        errors.append(RowError("latest_departure", f"latest_departure {last} is before "
                               f"earliest_arrival {first}", "swap the two dates"))
    return _checked(errors, TripRule(teacher, institution,
                                     **{name: row.get(name) for name in TRIP_RULE_FIELDS}))


def build_unavailability(row: Row, ctx: BuildContext) -> Unavailability:
    errors: list[RowError] = []
    mask = _mask(row, ctx, errors)
    return _checked(errors, Unavailability(row["person_id"], mask, row["reason"]))


def build_preference(row: Row, ctx: BuildContext) -> Preference:
    errors: list[RowError] = []
    first, last = _period_range(row, errors, ctx.periods)
    return _checked(errors, Preference(row["teacher_id"], row["kind"], row.get("weekday"),
                                       first, last))


def build_cohort(row: Row, ctx: BuildContext) -> Cohort:
    errors: list[RowError] = []
    if row["students_cn"] + row["students_ru"] == 0:
        errors.append(RowError("students_cn", "the cohort has no students",
                               "give the number of Chinese and Russian students"))
    return _checked(errors, Cohort(row["cohort_id"], row["program"], row["level"], row["year"],
                                   row["students_cn"], row["students_ru"], row["languages"],
                                   row.get("parent") or None))


def build_course(row: Row, ctx: BuildContext) -> Course:
    errors: list[RowError] = []
    weeks = _week_range(row, ctx, errors, always=True)
    assert weeks is not None
    delivery = row["delivery"]
    per_week, per_day = row.get("meetings_per_week"), row.get("max_periods_per_day")
    if delivery == "weekly":
        if per_week is None:
            errors.append(RowError("meetings_per_week", "a weekly course needs meetings_per_week",
                                   "give the number of meetings a week, e.g. 2"))
        if per_day is not None:
            errors.append(RowError("max_periods_per_day",
                                   "max_periods_per_day applies to intensive courses only",
                                   "clear the cell"))
    else:
        if per_week is not None:
            errors.append(RowError("meetings_per_week",
                                   "meetings_per_week applies to weekly courses only",
                                   "clear the cell or set delivery to weekly"))
        if row["week_parity"] != "all":
            errors.append(RowError("week_parity", "intensive courses are not taught in odd/even "
                                   "weeks", "set week_parity to all"))
    return _checked(errors, Course(
        id=row["course_id"], name=row["name"], cohorts=row["cohorts"], teachers=row["teachers"],
        contact_periods=row["contact_periods"], meeting_length=row["meeting_length"],
        delivery=delivery, room_type=row["room_type"], language=row["language"], weeks=weeks,
        meetings_per_week=per_week, max_periods_per_day=per_day,
        needs_interpreter=row["needs_interpreter"], names=_names(row), core=row["core"],
        online_allowed=bool(row.get("online_allowed", False)),
        max_online_share=row.get("max_online_share") or 0,
    ))


def build_interpreter(row: Row, ctx: BuildContext) -> Interpreter:
    return Interpreter(row["interpreter_id"], row["name"], row["pairs"],
                       row["available_weekdays"], row["max_periods_per_day"],
                       row.get("max_periods_per_week"))


def build_weight(row: Row, ctx: BuildContext) -> tuple[str, int | None, Level | None]:
    """(name, value or ``None`` for the default, level or ``None`` for the default)."""
    name, value, level = row["name"], row.get("value"), row.get("level")
    if name not in WEIGHT_DOCS:
        raise RowErrors([RowError("name", f"unknown weight {name!r}",
                                  f"use one of the names listed in {doc('format.md')}")])
    errors = []
    if value is None and level is None:
        errors.append(RowError("value", f"{name} has neither a value nor a level",
                               "give a value, a level or both (or delete the row)"))
    if value is not None and value > weight_limit(name):
        errors.append(RowError("value", f"{name} must be at most {weight_limit(name)}, got "
                               f"{value}", f"use a value of {weight_limit(name)} or less"))
    if level is not None and not has_level(name):
        what = ("a threshold, not a rule" if name in THRESHOLDS
                else "always placed first (the placement tier)")
        errors.append(RowError("level", f"{name} has no level: it is {what}",
                               "leave the level empty"))
    if errors:
        raise RowErrors(errors)
    return name, value, level


# --- unbuilders: record -> row --------------------------------------------------------------

def term_row(t: Term) -> Row:
    return {"name": t.name, "first_date": t.first_date, "last_date": t.last_date,
            "week1_monday": t.week1_monday, "teaching_weekdays": t.teaching_weekdays,
            "timezone": t.timezone, "max_trip_days": t.max_trip_days}


def period_row(p: Period) -> Row:
    return {"period": p.number, "start": p.start, "end": p.end, "session": p.session,
            "lunch": p.lunch}


def block_row(b: Block) -> Row:
    return {"block": b.id, "first_period": b.first_period, "last_period": b.last_period}


def holiday_row(h: Holiday) -> Row:
    return {"date": h.date, "name": h.name}


def adjusted_workday_row(a: AdjustedWorkday) -> Row:
    return {"date": a.date, "follows_weekday": a.follows_weekday,
            "follows_week": a.follows_week, "name": a.name}


def room_type_row(r: RoomType) -> Row:
    return {"room_type": r.id, "description": r.description}


def _names_row(names: LocalNames, column: str = "name") -> Row:
    """The local names given (blank ones are left out, so that an instance without them
    keeps its rows and fingerprint)."""
    return {f"{column}_{lang}": value for lang, value in
            (("en", names.en), ("zh", names.zh), ("ru", names.ru)) if value}


def room_row(r: Room) -> Row:
    return {"room_id": r.id, "building": r.building, "capacity": r.capacity,
            "room_type": r.room_type, "name": r.name, **_names_row(r.names),
            **_names_row(r.building_names, "building"),
            **({"video_link": True} if r.video_link else {})}


def booking_row(b: Booking) -> Row:
    return {"room_id": b.room_id, **_mask_row(b.mask), "unit": b.unit}


def teacher_row(t: Teacher) -> Row:
    return {"teacher_id": t.id, "name": t.name, "institution": t.institution,
            "languages": t.languages, "visiting": t.visiting,
            "max_periods_per_day": t.max_periods_per_day,
            "max_periods_per_week": t.max_periods_per_week, **_names_row(t.names)}


def travel_window_row(w: TravelWindow) -> Row:
    # travel and rest days only when not the defaults, so that the rows (and fingerprints)
    # of instances written before those columns existed stay as they were
    return {"teacher_id": w.teacher_id, "arrival": w.arrival, "departure": w.departure,
            "teach_on_arrival": w.teach_on_arrival, "teach_on_departure": w.teach_on_departure,
            **({"travel_days": w.travel_days} if w.travel_days != 1 else {}),
            **({"rest_days": w.rest_days} if w.rest_days else {})}


def trip_rule_row(r: TripRule) -> Row:
    return {"teacher_id": r.teacher_id, "institution": r.institution,
            **{name: getattr(r, name) for name in TRIP_RULE_FIELDS}}


def unavailability_row(u: Unavailability) -> Row:
    return {"person_id": u.person_id, **_mask_row(u.mask), "reason": u.reason}


def preference_row(p: Preference) -> Row:
    return {"teacher_id": p.teacher_id, "kind": p.kind, "weekday": p.weekday,
            "first_period": p.first_period, "last_period": p.last_period}


def cohort_row(c: Cohort) -> Row:
    return {"cohort_id": c.id, "program": c.program, "level": c.level, "year": c.year,
            "students_cn": c.students_cn, "students_ru": c.students_ru,
            "languages": c.languages, "parent": c.parent}


def course_row(c: Course) -> Row:
    return {"course_id": c.id, "name": c.name, "cohorts": c.cohorts, "teachers": c.teachers,
            "contact_periods": c.contact_periods, "meeting_length": c.meeting_length,
            "delivery": c.delivery, "meetings_per_week": c.meetings_per_week,
            "first_week": c.weeks.first, "last_week": c.weeks.last,
            "week_parity": c.weeks.parity, "max_periods_per_day": c.max_periods_per_day,
            "room_type": c.room_type, "language": c.language,
            "needs_interpreter": c.needs_interpreter, **_names_row(c.names),
            **({"core": True} if c.core else {}), **_online_row(c)}


def _online_row(c: Course) -> Row:
    """The online columns, only when not the defaults (rows and fingerprints of instances
    without online teaching stay as they were)."""
    row: Row = {}
    if c.online_allowed:
        row["online_allowed"] = True
    if c.max_online_share:
        row["max_online_share"] = c.max_online_share
    return row


def interpreter_row(i: Interpreter) -> Row:
    return {"interpreter_id": i.id, "name": i.name, "pairs": i.pairs,
            "available_weekdays": i.available_weekdays,
            "max_periods_per_day": i.max_periods_per_day,
            "max_periods_per_week": i.max_periods_per_week}


LATER_WEIGHTS = frozenset({"visitor_trip", "visitor_day_abroad"})
"""Weights added after instance fingerprints were first published: written only when not at
their default value and level, so that the fingerprints of instances that do not set them
stay as they were."""


def weight_rows(w: Weights, levels: RuleLevels | None = None) -> list[Row]:
    """Every weight with its value and, for rules, its level."""
    levels = levels or RuleLevels()
    return [{"name": f.name, "value": getattr(w, f.name),
             "level": levels.of(f.name) if has_level(f.name) else None} for f in fields(w)
            if f.name not in LATER_WEIGHTS or getattr(w, f.name) != f.default
            or levels.of(f.name) != default_level(f.name)]


@dataclass(frozen=True)
class TableMapping:
    """How one table's rows become the instance field of the same name, and back."""

    field: str
    build: Callable[[Row, BuildContext], Any]
    unbuild: Callable[[Any], Row]


LATER_TABLES = frozenset({"trip_rules"})
"""Tables added after instance fingerprints were first published: left out of an instance's
rows when empty, so that the fingerprints of instances without them stay as they were."""

MAPPINGS: dict[str, TableMapping] = {
    "periods": TableMapping("periods", build_period, period_row),
    "blocks": TableMapping("blocks", build_block, block_row),
    "holidays": TableMapping("holidays", build_holiday, holiday_row),
    "adjusted_workdays": TableMapping("adjusted_workdays", build_adjusted_workday,
                                      adjusted_workday_row),
    "room_types": TableMapping("room_types", build_room_type, room_type_row),
    "rooms": TableMapping("rooms", build_room, room_row),
    "bookings": TableMapping("bookings", build_booking, booking_row),
    "teachers": TableMapping("teachers", build_teacher, teacher_row),
    "travel_windows": TableMapping("travel_windows", build_travel_window, travel_window_row),
    "trip_rules": TableMapping("trip_rules", build_trip_rule, trip_rule_row),
    "unavailability": TableMapping("unavailability", build_unavailability, unavailability_row),
    "preferences": TableMapping("preferences", build_preference, preference_row),
    "cohorts": TableMapping("cohorts", build_cohort, cohort_row),
    "courses": TableMapping("courses", build_course, course_row),
    "interpreters": TableMapping("interpreters", build_interpreter, interpreter_row),
}

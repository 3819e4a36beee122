"""The reference of the input format (``docs/format.md``), generated from the schema itself."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from scheduler.atomic import write_text_atomic
from scheduler.instance import Weights
from scheduler.io.cells import CellKind, Choice, Integer, Text, TextList
from scheduler.io.limits import (
    FIRST_DATE,
    LAST_DATE,
    MAX_SUBJECT_ID,
    MAX_TERM_DAYS,
    MAX_WEEKS,
    weight_limit,
)
from scheduler.io.schema import TABLES, WEIGHT_DOCS
from scheduler.levels import default_level, has_level

FORMAT_DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"

INTRO = """\
# Instance format

An instance describes one term of the CQUPT–FEFU Joint Institute: its calendar, rooms, teachers,
cohorts, courses and interpreters. Give it either as

- one Excel workbook (`.xlsx`) with one **sheet** per table below, or
- a folder of CSV files, one **`<table>.csv`** per table (UTF-8, with or without the BOM that
  Excel's "CSV UTF-8" adds, or UTF-16 with its BOM; values separated by commas, or by
  semicolons or tabs, whichever splits the header row into the table's column names).

Both read to the same typed model (`scheduler.instance.Instance`), and `scheduler.io.writer`
writes either form back (the round trip gives an equal instance).

Conventions:

- Row 1 holds the column names (matched ignoring case and surrounding spaces); columns may come
  in any order; optional columns may be left out. Sheets, files and columns whose name starts
  with `#` are ignored: use them for notes. In a CSV folder, hidden files and editors' lock
  files (`~$rooms.csv`, which Excel keeps while `rooms.csv` is open; `.~lock.rooms.csv#`) are
  ignored too. Empty rows are skipped.
- Lists go in one cell separated by `;` (`IoT-2026-1;IoT-2026-2`); `,` and the full-width
  `；` and `，` separate too, and spaces around a separator are ignored.
- Ids are compared character for character, after ordinary spaces at either end of the cell
  are removed (`IoT-2026-1` and `iot-2026-1` are two ids). An id (or a reference to one) holding an
  invisible character (a zero-width space pasted from a web page), a full-width character
  (`－`, typed with a Chinese input method) or a space other than the ordinary one is refused
  at its cell, with the character named (U+200B ZERO WIDTH SPACE).
- Dates are `YYYY-MM-DD` (or real spreadsheet dates; also with `/` or `.` between the parts,
  one-digit months and days, and a midnight time after the date: `2027/3/1`, `2027-03-01
  00:00`); clock times `HH:MM` (also `H:MM`, `HH.MM`, `HH：MM` and `HH:MM:00`); weekdays
  `Mon`..`Sun` (also `Monday`, `1`..`7` with 1 = Monday, `周一`, `пн`); yes/no cells accept
  yes/no, y/n, true/false, 1/0, `x` (yes), 是/否 and да/нет. These words, and the values of
  a column with a fixed set of values (`weekly`, `ug`, `en`, `norm`...), are read ignoring
  case; ids, and the rule names of the `weights` table, are not.
- A cell holds a value or is empty. Text that stands for a missing value (`N/A`, `NA`,
  `NULL`, `None`, `NaN`...), a spreadsheet error (`#N/A`, `#DIV/0!`, `#VALUE!`...) and a formula
  (`=...`) whose value the file does not hold are errors, reported at their cell: leave an
  optional cell empty to get its default. (Workbooks saved by Excel or LibreOffice hold each
  formula's value, which is read; workbooks written by other programs often do not, and CSV
  files never do.)
- Values have upper limits, shown in the tables below: generous (ten times or more what a term
  needs) but small enough for the solver's arithmetic. Dates lie between {first_date} and
  {last_date}; a term lasts at most {term_days} days and {weeks} teaching weeks. Ids of cohorts,
  teachers, rooms and interpreters have at most {subject_id} characters: the timetable workbook
  names a grid sheet after each of them (`teacher <id>`, the longest prefix being 8 characters)
  and Excel allows 31 characters in a sheet name, so the tool's own workbook never shortens an
  id (which `verify` would then not recognise); the same ids name the calendar and plot files.
- Languages are `zh`, `ru`, `en`. Students follow their native language (Chinese students `zh`,
  Russian students `ru`) plus their cohort's `languages`. For a course, the cohort it
  names decides for all its students: a course that names a parent cohort uses the parent's
  `languages` for the students of its sub-groups too, and a course that names a sub-group
  uses the sub-group's.
- Teaching weeks are numbered from `week1_monday`. A **weekly** entry (booking, unavailability)
  applies to the *timetable* weekday and week, so it also applies on an adjusted workday that
  holds that weekday's timetable.
- `scheduler validate PATH` reports every problem at once, each with file, sheet, row and
  column and a fix, and exits with code 2; with a valid instance it prints a summary.

## Rules the timetable follows (see also the solver documentation)

`scheduler verify` checks each of these on a timetable file (docs/exports.md); the words
*teaching day*, *timetable weekday*, *calendar week* and *leaf cohort* are defined in
[objective.md](objective.md#words-used-by-every-rule).

- Every meeting names a course, room and interpreter (if any) of the instance, falls on a
  teaching day, and occupies one block of exactly the course's `meeting_length` periods from
  the `blocks` table; blocks never straddle the break between sessions (the lunch and dinner
  breaks; periods marked `lunch` are taught periods and may be inside a block).
- A **weekly** course chooses `meetings_per_week` (weekday, block, room) slots and meets in each
  of them on every teaching date of its week range (odd/even weeks only with `week_parity`);
  holidays remove that date's meeting; an adjusted workday holds the meetings of the weekday and
  week it follows (its *timetable* weekday and week). The meetings that take place must deliver
  at least `contact_periods`.
- An **intensive** course is taught in dated meetings on teaching days whose calendar week
  (the week the date itself falls in, also for an adjusted workday that holds another week's
  timetable) lies in its week range, on days its visiting teachers may teach inside their
  trips (any such date for non-visiting teachers), at most `max_periods_per_day` a day,
  exactly `contact_periods` in total.
- The room has the course's `room_type` and at least as many seats (`capacity`) as the class
  size (the `students_cn + students_ru` of the cohorts the course names); it is not booked by
  another unit (`bookings`) in any period of the meeting.
- Nobody is in two meetings at once: not a room, a teacher, an interpreter, nor a leaf cohort.
  `verify` names a clash of two meetings of a whole cohort once, for the whole cohort (not
  for each of its sub-groups too).
  Every teacher of a course teaches every meeting. A whole cohort clashes with each of its
  sub-groups; sub-groups of one cohort do not clash with each other.
- A teacher or interpreter never works in a period of their `unavailability`, nor more than
  their `max_periods_per_day` on a date or `max_periods_per_week` in a calendar week (the
  interpreter's periods being those of the meetings they interpret). An interpreter works only
  on their `available_weekdays` (the date's timetable weekday).
- A course taught in a language that some attending students do not follow needs, at every
  meeting, one interpreter covering every pair (course language, those students' native
  language): a cohort the course names needs none when the course language is among its
  `languages` (the named cohort's, not its sub-groups'); otherwise
  its Chinese students (if any) need the pair with `zh` and its Russian students the pair with
  `ru` (none for the course's own language). `needs_interpreter` = `no` (language courses)
  waives this. An interpreter may also attend a meeting that needs none.
- A visiting teacher teaches on site only inside a trip, on the days it allows (see the
  `travel_windows` table: not on its travel and rest days).
- A visitor's trips are either given (`travel_windows`: a **fixed** visitor) or planned by the
  solver (`trip_rules`: a **planned** visitor, who has no travel window). A planned visitor
  teaches only on the teaching days of the trips the solver chooses, after the arrival's travel
  and rest days and before the departure's travel days; the trips keep the visitor's rules
  (dates, weekdays of arrival and departure, length: at least 2 × `travel_days` +
  `rest_days` + 1 days, one of them to teach, and at most `max_stay_days`; days at home between
  two trips, number of trips), include no home blackout, and cost `visitor_trip` and
  `visitor_day_abroad` in the objective. The on-site meetings of a weekly course of a planned
  visitor fall within one trip.
  `scheduler solve` writes the trips beside the timetable (`trips.csv`, see docs/exports.md).
- A course with `online_allowed` may have up to `max_online_share` percent of its contact
  periods taught **online** (rounded down to whole periods: 33 % of 6 periods allows 1): its
  visiting teachers teach from home (Vladivostok, two hours
  ahead of Chongqing) while the students and the interpreter meet in a room with a
  `video_link`. An online meeting falls on a day no trip of the visitors covers (travel days
  included; a planned visitor's trips are kept clear of it), on no home blackout, within the
  visitors' working day at home, 08:00-20:00 Vladivostok: its first period starts at 08:00 or
  later and its last period ends at 20:00 or earlier on the Vladivostok clock, i.e. 06:00-18:00
  in Chongqing (periods 1-8 of the shipped teaching day, not the evening). A course without a
  visiting teacher never meets online, whatever its `online_allowed`. The
  timetable marks it in the `mode` column (`onsite` or `online`).
- A rule of the `weights` table with the level `hard` counts 0 (see objective.md).

Checks across rows and tables that `scheduler validate` makes, beyond each cell's own type
and range given in the tables below (an instance that breaks one is refused, so no timetable
of it exists; `solve` makes them first):

- Ids: each table holds each id once (periods by number, holidays and adjusted workdays by
  date); no interpreter has a teacher's id; every reference names a row of the table it refers
  to (room types, rooms, teachers, cohorts, the `person_id` of `unavailability`).
- Periods: numbered 1..N without gaps; each starts no earlier than the one before ends; the
  sessions run morning, afternoon, evening. A block uses only defined periods and stays within
  one session.
- Dates: holidays, adjusted workdays and the dates of bookings, unavailability and preferences
  lie within the term; an adjusted workday is not also a holiday and follows a teaching
  weekday; no `follows_week` or `last_week` is after the term's last week. The period numbers
  of bookings, unavailability and preferences are in the grid, and their `first_period` and
  `last_period` are both given or both blank.
- Cohorts: a sub-group's `parent` is a whole cohort (sub-groups are not nested); a sub-group has
  no more CN and no more RU students than its cohort, and a cohort's sub-groups together have
  no more than the cohort (they attend separately).
- Courses: a course names a whole cohort or some of its sub-groups, never both; its teachers
  teach in its `language`; every interpreter pair it needs is offered by one interpreter; its
  `meeting_length` is the length of some block and divides its `contact_periods` (weekly
  courses too: 8 periods in meetings of 2, not 7); an intensive course's `max_periods_per_day`
  holds at least one meeting.
- Teachers and trips: `max_periods_per_week` is at least `max_periods_per_day`; a travel
  window belongs to a visiting teacher, leaves at least one teaching day between its travel
  and rest days, has a teaching day within the term, lasts at most `max_trip_days` days
  (arrival and departure included) and does not overlap another window of the same teacher;
  a visiting teacher has a travel window or trip rules, unless every course they teach may be
  taught online in full.
- Planned trips (`trip_rules`): a row names a visiting teacher without travel windows, or an
  institution of some visiting teacher, and no teacher or institution has two rows. For each
  planned visitor (their row, else their institution's): `max_stay_days` is at least
  2 × `travel_days` + `rest_days` + 1; the dates from `earliest_arrival` to
  `latest_departure` overlap the term; some trip within them arrives and leaves on allowed
  weekdays, lasts between those two lengths and includes no home blackout. A weekly course of
  a planned visitor fits one trip: from its first to its last teaching date, plus
  2 × `travel_days` + `rest_days`, at most `max_stay_days` days.
- Capacity (made once every check above passes), counted per course and per person:
  - some room is of a course's `room_type`, and the largest of them seats its students;
  - a weekly course can deliver its `contact_periods`: `meetings_per_week` × `meeting_length`
    × the largest number of dates any one teaching weekday has in its weeks (with their
    parity, holidays removed and adjusted workdays counted under the weekday they follow);
  - an intensive course fits its teachers' days on site: over the teaching days of its weeks
    on which every teacher of it is on site, the sum of the smaller of (the least
    `max_periods_per_day` of its teachers and of the course, rounded down to whole meetings)
    and (the fewest periods any of its teachers has free that day, rounded down to whole
    meetings), plus the periods it may teach online (`max_online_share`, whole meetings), is
    at least its `contact_periods`;
  - a teacher's `contact_periods` over all their courses, less what those courses may teach
    online, is at most what they can teach: per calendar week the smaller of
    `max_periods_per_week` and the sum over its teaching days of the smaller of
    `max_periods_per_day` and the periods they are free that day; for a planned visitor, also
    at most what the best `max_trips` non-overlapping trips their rules allow hold (each trip
    arriving and leaving on allowed weekdays between `earliest_arrival` and
    `latest_departure`, at most `max_stay_days` long, without a home blackout; per teaching
    day from `travel_days` + `rest_days` days after its arrival to `travel_days` days before
    its departure, the smaller of `max_periods_per_day` and the periods free that day);
  - a cohort without sub-groups, or each sub-group with its cohort's courses: the weekly
    courses of a calendar week need at most that week's teaching days × the periods of the
    grid, and all its courses' `contact_periods` at most the term's teaching days × the
    periods of the grid.

## Tables
"""


def _kind_text(kind: CellKind) -> str:
    if isinstance(kind, Choice):
        return "one of " + ", ".join(f"`{v}`" for v in kind.values)
    if isinstance(kind, Integer) and kind.maximum is not None:
        return f"whole number {kind.minimum or 0}..{kind.maximum}"
    if isinstance(kind, Integer) and kind.minimum is not None:
        return f"whole number ≥ {kind.minimum}"
    if isinstance(kind, Text) and kind.max_length is not None:
        return f"{kind.describe}, at most {kind.max_length} characters"
    if isinstance(kind, TextList) and kind.item.max_length is not None:
        return f"{kind.describe}, each at most {kind.item.max_length} characters"
    return kind.describe


def _table_section(table_index: int) -> str:
    table = TABLES[table_index]
    need = "required" if table.required else "optional"
    lines = [f"### `{table.name}` ({need})", "", table.doc, ""]
    if table.key:
        lines += [f"Each row has its own `{table.key}`.", ""]
    lines += ["| column | type | required / default | meaning | example |",
              "|---|---|---|---|---|"]
    for c in table.columns:
        lines.append(f"| `{c.name}` | {_kind_text(c.kind)} | {c.default_text()} | {c.doc} | "
                     f"`{c.example}` |")
    return "\n".join(lines) + "\n"


def _weights_section() -> str:
    lines = ["## Weight names", "",
             "Rows of the `weights` table. Thresholds (marked so) are not weights but limits "
             "used by a weight; they have no level, and neither has `unplaced_period` (placing "
             "courses always comes first). Exactly what each rule counts, with a worked "
             "example, and how the levels are solved: [objective.md](objective.md).", "",
             "| name | default | default level | at most | counts |", "|---|---|---|---|---|"]
    for f in fields(Weights):
        level = default_level(f.name) if has_level(f.name) else ""
        lines.append(f"| `{f.name}` | {f.default} | {level} | {weight_limit(f.name)} | "
                     f"{WEIGHT_DOCS[f.name]} |")
    return "\n".join(lines) + "\n"


def _intro() -> str:
    return INTRO.format(first_date=FIRST_DATE, last_date=LAST_DATE, term_days=MAX_TERM_DAYS,
                        weeks=MAX_WEEKS, subject_id=MAX_SUBJECT_ID)


def format_reference() -> str:
    """The whole of ``docs/format.md``."""
    sections = [_intro()] + [_table_section(i) for i in range(len(TABLES))] + [_weights_section()]
    return "\n".join(sections)


def write_format_doc(path: str | Path = FORMAT_DOC) -> None:
    """Regenerate ``docs/format.md`` from the schema."""
    write_text_atomic(path, format_reference())

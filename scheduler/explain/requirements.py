"""Requirement groups of the CP-SAT model, said in users' words."""

from __future__ import annotations

from scheduler.calendar import TermCalendar
from scheduler.explain import words
from scheduler.instance import Instance
from scheduler.io.schema import WEIGHT_DOCS
from scheduler.levels import THRESHOLDS
from scheduler.model.builder import Group


def week_words(calendar: TermCalendar, scope: str) -> str:
    """``in week 6 (2026-10-12..2026-10-16)`` for a scope ``week 6``."""
    week = int(scope.split()[-1])
    days = [d.date for d in calendar.days if d.calendar_week == week]
    if not days:
        return f"in {scope}"
    return f"in {scope} ({days[0].isoformat()}..{days[-1].isoformat()})"


def _delivery(instance: Instance, course_id: str) -> str:
    course = instance.course_by_id[course_id]
    name = words.course(instance, course_id)
    if course.delivery == "weekly":
        parity = "" if course.weeks.parity == "all" else f", {course.weeks.parity} weeks only"
        times = {1: "once", 2: "twice"}.get(course.meetings_per_week or 1,
                                            f"{course.meetings_per_week} times")
        return (f"{name} meets {times} a week for "
                f"{course.meeting_length} periods in weeks {course.weeks.first}-"
                f"{course.weeks.last}{parity}, {course.contact_periods} contact periods in all")
    teachers = words.join([words.teacher(instance, t) for t in course.teachers])
    return (f"{name} gets its {course.contact_periods} periods of intensive teaching by "
            f"{teachers}, in meetings of {course.meeting_length}")


def describe(instance: Instance, calendar: TermCalendar, group: Group) -> str:
    """One requirement group in words."""
    family, subject = group[0], group[1]
    scope = f" {week_words(calendar, group[2])}" if len(group) > 2 else ""
    if family == "delivery":
        return _delivery(instance, subject)
    if family == "teacher clash":
        return f"{words.teacher(instance, subject)} teaches one meeting at a time{scope}"
    if family == "teacher limits":
        t = instance.teacher_by_id[subject]
        return (f"{words.teacher(instance, subject)} teaches at most {t.max_periods_per_day} "
                f"periods a day and {t.max_periods_per_week} a week{scope}")
    if family == "cohort clash":
        return f"{words.cohort(instance, subject)} attends one meeting at a time{scope}"
    if family == "room clash":
        return f"{words.room(instance, subject)} holds one meeting at a time{scope}"
    if family == "interpreter clash":
        return f"{words.interpreter(instance, subject)} attends one meeting at a time{scope}"
    if family == "interpreter limits":
        i = instance.interpreter_by_id[subject]
        week = "" if i.max_periods_per_week is None else f" and {i.max_periods_per_week} a week"
        return (f"{words.interpreter(instance, subject)} works at most {i.max_periods_per_day} "
                f"periods a day{week}{scope}")
    if family == "intensive daily limit":
        c = instance.course_by_id[subject]
        return (f"{words.course(instance, subject)} is taught at most {c.max_periods_per_day} "
                f"periods a day{scope}")
    if family == "office rule":
        return _office_rule(instance, subject)
    if family == "visitor trips":
        return _visitor_trips(instance, subject)
    if family == "online share":
        c = instance.course_by_id[subject]
        return (f"{words.course(instance, subject)} is taught online for at most "
                f"{c.max_online_periods} of its {c.contact_periods} periods "
                f"(max_online_share {c.max_online_share}%)")
    return f"{family}: {subject}{scope}"


def _visitor_trips(instance: Instance, teacher_id: str) -> str:
    """A planned visitor's trips and their rules, e.g. "Петров ... teaches on site only
    inside at most 2 trips of 3..30 days between 2026-09-14 and 2026-12-30, ..."."""
    who = words.teacher(instance, teacher_id)
    plan = instance.trip_plan(teacher_id)
    if plan is None:
        return f"{who} teaches on site only inside their trips"
    days = f"{plan.min_stay_days}..{plan.max_stay_days} days"
    return (f"{who} teaches on site only inside at most {plan.max_trips} trip(s) of {days} "
            f"between {plan.earliest_arrival.isoformat()} and "
            f"{plan.latest_departure.isoformat()}, {plan.min_days_between} days at home between "
            f"two, after {plan.travel_days} travel and {plan.rest_days} rest day(s) (trip_rules), "
            "and online only on days at home")


def _office_rule(instance: Instance, rule: str) -> str:
    """A rule the office made hard, e.g. "no period of a meeting in the evening session
    (evening_period is hard in the weights table)"; thresholds are given with their values."""
    counts = WEIGHT_DOCS.get(rule, rule)
    for threshold in sorted(THRESHOLDS):
        counts = counts.replace(threshold, f"{threshold} ({getattr(instance.weights, threshold)})")
    what = "no " + counts[len("per "):] if counts.startswith("per ") else f"no {counts}"
    return f"{what} ({rule} is hard in the weights table)"

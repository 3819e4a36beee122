"""Online meetings in words: which meetings the visitors teach from Vladivostok, and why.

A meeting goes online only on a day its visiting teachers are at home (no trip covers it), so
the reason is always the same fact, said per course: who was not in Chongqing on those dates
and, for a planned visitor, that no trip was planned then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scheduler.i18n import Language, translator
from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.views.weeks import date_label


@dataclass(frozen=True)
class OnlineUse:
    """The online meetings of one course: periods, share of its contact periods, dates."""

    course_id: str
    visitors: tuple[str, ...]
    periods: int
    contact_periods: int
    dates: tuple[dt.date, ...]
    planned: bool

    @property
    def share_percent(self) -> float:
        return round(100 * self.periods / self.contact_periods, 1)

    def as_dict(self) -> dict[str, Any]:
        return {"course_id": self.course_id, "visitors": list(self.visitors),
                "periods": self.periods, "contact_periods": self.contact_periods,
                "share_percent": self.share_percent,
                "dates": [d.isoformat() for d in self.dates]}

    def sentence(self, lang: Language = "en") -> str:
        """``IOT101: 4 of 32 periods (12.5%) online from Vladivostok on dates 10-12: ...``."""
        tr = translator(lang).brief
        why = (tr("no trip of {who} was planned then") if self.planned
               else tr("{who} was not in Chongqing then")).format(who=", ".join(self.visitors))
        return tr("{course}: {periods} of {contact} periods ({share}%) online from "
                  "Vladivostok on {dates}: {why}").format(
            course=self.course_id, periods=self.periods, contact=self.contact_periods,
            share=self.share_percent, dates=date_label(self.dates, lang), why=why)


def online_uses(instance: Instance, timetable: Timetable) -> tuple[OnlineUse, ...]:
    """The courses with online meetings, in course order."""
    uses = []
    for course in instance.courses:
        online = [m for m in timetable.of_course(course.id) if m.online]
        if not online:
            continue
        visitors = tuple(t for t in course.teachers
                         if t in instance.teacher_by_id and instance.teacher_by_id[t].visiting)
        uses.append(OnlineUse(course.id, visitors, sum(m.length for m in online),
                              course.contact_periods, tuple(sorted({m.date for m in online})),
                              any(t in instance.planned_visitors for t in visitors)))
    return tuple(uses)


def online_by_visitor(instance: Instance, timetable: Timetable) -> dict[str, tuple[int, int]]:
    """Per visiting teacher with online meetings: (periods online, periods taught)."""
    shares: dict[str, tuple[int, int]] = {}
    for teacher in instance.teachers:
        if not teacher.visiting:
            continue
        courses = {c.id for c in instance.courses if teacher.id in c.teachers}
        mine = [m for m in timetable.meetings if m.course_id in courses]
        online = sum(m.length for m in mine if m.online)
        if online:
            shares[teacher.id] = (online, sum(m.length for m in mine))
    return shares

"""The knobs of the generator, checked."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.generate.data.rooms import ROOM_SIZES


@dataclass(frozen=True)
class Params:
    """Knobs of :func:`generate_instance` (see there)."""

    visitors: int
    russian_share: float
    russian_taught_share: float
    cohort_size: int
    max_cohort_size: int
    language_group_size: int
    stream_cohorts: int
    room_load: float
    teacher_load: float
    visitor_daily_load: float
    interpreter_load: float
    bookings: bool

    def check(self) -> None:
        for name in ("russian_share", "russian_taught_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"Expected {name} in [0, 1], got {getattr(self, name)}")
        for name in ("room_load", "teacher_load", "interpreter_load"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"Expected {name} in (0, 1], got {getattr(self, name)}")
        if not 1 <= self.visitor_daily_load <= 6:
            raise ValueError(f"Expected visitor_daily_load in [1, 6], got "
                             f"{self.visitor_daily_load}")
        if not 2 <= self.cohort_size <= self.max_cohort_size:
            raise ValueError(f"Expected 2 <= cohort_size <= max_cohort_size, got "
                             f"{self.cohort_size} and {self.max_cohort_size}")
        if self.max_cohort_size > max(ROOM_SIZES["language_lab"]):
            raise ValueError(f"Expected max_cohort_size <= {max(ROOM_SIZES['language_lab'])} "
                             "(a cohort must fit a language lab)")
        if not 2 <= self.language_group_size <= min(ROOM_SIZES["media_studio"]):
            raise ValueError(f"Expected language_group_size in [2, "
                             f"{min(ROOM_SIZES['media_studio'])}], got "
                             f"{self.language_group_size}")
        if self.stream_cohorts < 1 or self.visitors < 0:
            raise ValueError("Expected stream_cohorts >= 1 and visitors >= 0")

"""Working days on China's official calendar (调休): weekends are off, the State Council's
holidays are off, and its make-up working days (调休上班, often a Saturday or Sunday) are on.

The table is injected (:class:`WorkCalendar` takes the dates), so this stays pure; the
faces load it from the maintained ``chinesecalendar`` package (``sqlmodel_db.calendar``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkCalendar:
    """``holidays``: dates off (weekdays among them are what matters); ``makeup``: weekend
    dates that are working days. Outside the years the table covers, Monday to Friday."""

    holidays: frozenset[date] = frozenset()
    makeup: frozenset[date] = frozenset()

    @classmethod
    def of(cls, holidays: Iterable[date], makeup: Iterable[date]) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(makeup))

    def is_workday(self, day: date) -> bool:
        if day in self.makeup:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add(self, day: date, workdays: int) -> date:
        """The date ``workdays`` working days after ``day`` (``day`` itself not counted):
        a deadline of 5 working days from a Friday before a holiday lands after it."""
        if workdays < 0:
            raise ValueError("count forward only")
        current = day
        left = workdays
        while left:
            current += timedelta(days=1)
            if self.is_workday(current):
                left -= 1
        return current

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count

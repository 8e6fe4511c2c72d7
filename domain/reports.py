"""What the monthly report computes, free of storage: the month's bounds and weeks in
the organisation's time zone, and the median and 90th percentile of waits."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Week:
    """A Monday-to-Sunday week, cut to the month: its label is the days it covers."""

    start: date  # first day of the week inside the month
    end: date  # last day inside the month

    @property
    def label(self) -> str:
        return f"{self.start:%m-%d}~{self.end:%m-%d}"


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    tz: ZoneInfo

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.next_first, time(0), self.tz)

    def weeks(self) -> list[Week]:
        out: list[Week] = []
        day = self.first
        last = self.next_first - timedelta(days=1)
        while day <= last:
            sunday = min(day + timedelta(days=6 - day.weekday()), last)
            out.append(Week(day, sunday))
            day = sunday + timedelta(days=1)
        return out

    def week_of(self, when: datetime) -> int | None:
        """The index of the week ``when`` falls in, or None outside the month."""
        day = when.astimezone(self.tz).date()
        for index, week in enumerate(self.weeks()):
            if week.start <= day <= week.end:
                return index
        return None


def parse_month(text: str, tz: ZoneInfo) -> Month:
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise InvalidInput("--month {text!r} should look like 2026-11", text=text)
    return Month(int(found.group(1)), int(found.group(2)), tz)


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` 0.5 is the median's upper middle: for an
    even count the mean of the two middle values is used instead)."""
    if not values:
        return None
    ordered = sorted(values)
    if share == 0.5:
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]

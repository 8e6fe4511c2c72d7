"""Kept alive (防"僵尸号"): an account, or a website column, must publish within its update
threshold; inspections fail one that did not (a veto item). Days are the organisation's
local calendar days (Asia/Shanghai by default): holidays do not stop the clock.

Website columns have thresholds by kind: news 14 days, notices and policy documents six
months. Warnings come at days before the limit an admin sets (default 7 and 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum

from domain.errors import InvalidInput

DEFAULT_THRESHOLD = 14
DEFAULT_WARN_DAYS = (7, 3)


class ColumnKind(StrEnum):
    NEWS = "news"  # 动态要闻
    NOTICE = "notice"  # 通知公告
    POLICY = "policy"  # 政策文件


COLUMN_THRESHOLDS = {ColumnKind.NEWS: 14, ColumnKind.NOTICE: 183, ColumnKind.POLICY: 183}


def parse_column_kind(value: str) -> ColumnKind:
    try:
        return ColumnKind(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            "unknown column kind {kind!r}; known: {known}",
            kind=value,
            known=", ".join(k.value for k in ColumnKind),
        ) from None


def parse_warn_days(text: str, where: str = "warn days") -> tuple[int, ...]:
    """ "7,3" → (7, 3): days before the limit to warn, largest first."""
    try:
        days = sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise InvalidInput(
            "{where} must be whole numbers separated by commas, like 7,3", where=where
        ) from None
    if not days or any(not 1 <= d <= 90 for d in days):
        raise InvalidInput("{where} must be whole numbers from 1 to 90, like 7,3", where=where)
    return tuple(days)


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"  # within a warning day of the limit
    STALE = "stale"  # past the limit: an inspection would fail it


@dataclass(frozen=True)
class Freshness:
    days_since: int
    threshold: int
    level: Level
    days_left: int  # days until the limit (negative: past it)
    warn_stage: int | None  # the warning day reached (7, 3, ...), if any


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def freshness(
    *,
    last: datetime,
    now: datetime,
    tz: tzinfo,
    threshold: int,
    warn_days: Sequence[int] = DEFAULT_WARN_DAYS,
) -> Freshness:
    """How an account stands: ``last`` its newest publication (or when it was opened),
    both moments aware. An update on local day D keeps it fresh through D + threshold;
    the day after, it is stale."""
    days_since = (local_day(now, tz) - local_day(last, tz)).days
    days_left = threshold - days_since
    if days_left < 0:
        return Freshness(days_since, threshold, Level.STALE, days_left, None)
    reached = [d for d in sorted(warn_days) if days_left <= d]
    if reached:
        return Freshness(days_since, threshold, Level.WARNING, days_left, reached[0])
    return Freshness(days_since, threshold, Level.OK, days_left, None)

"""Kept alive: the stale rules around the threshold, across a holiday, and near midnight in
Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput
from domain.keepalive import Level, freshness, parse_warn_days

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_around_the_threshold() -> None:
    last = at("2026-03-02 10:00")
    assert freshness(last=last, now=at("2026-03-08 09:00"), tz=SH, threshold=14).level is Level.OK
    seven = freshness(last=last, now=at("2026-03-09 09:00"), tz=SH, threshold=14)
    assert (seven.level, seven.days_left, seven.warn_stage) == (Level.WARNING, 7, 7)
    three = freshness(last=last, now=at("2026-03-13 09:00"), tz=SH, threshold=14)
    assert (three.level, three.warn_stage) == (Level.WARNING, 3)
    last_day = freshness(last=last, now=at("2026-03-16 23:59"), tz=SH, threshold=14)
    assert (last_day.level, last_day.days_left) == (Level.WARNING, 0)
    stale = freshness(last=last, now=at("2026-03-17 00:00"), tz=SH, threshold=14)
    assert (stale.level, stale.days_since) == (Level.STALE, 15)


def test_a_holiday_does_not_stop_the_clock() -> None:
    # Last post on the eve of the 2026 Spring Festival (15-23 Feb off): the inspection
    # counts calendar days, so the account is stale on 2 March all the same.
    last = at("2026-02-14 18:00")
    assert freshness(last=last, now=at("2026-02-28 12:00"), tz=SH, threshold=14).days_left == 0
    assert freshness(last=last, now=at("2026-03-01 08:00"), tz=SH, threshold=14).level is (
        Level.STALE
    )


def test_local_midnight_not_utc() -> None:
    # 23:30 in Shanghai on 1 March is 15:30 UTC; 00:30 on 2 March is 16:30 UTC on 1 March.
    last = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 23:30 Shanghai, 1 March
    before = datetime(2026, 3, 15, 15, 59, tzinfo=UTC)  # 23:59 Shanghai, 15 March
    after = datetime(2026, 3, 15, 16, 0, tzinfo=UTC)  # 00:00 Shanghai, 16 March
    assert freshness(last=last, now=before, tz=SH, threshold=14).level is Level.WARNING
    assert freshness(last=last, now=after, tz=SH, threshold=14).level is Level.STALE
    # Read in UTC the same moments would still be a day short.
    assert freshness(last=last, now=after, tz=UTC, threshold=14).level is Level.WARNING


def test_warn_days_parse() -> None:
    assert parse_warn_days("3, 7") == (7, 3)
    with pytest.raises(InvalidInput):
        parse_warn_days("seven")
    with pytest.raises(InvalidInput):
        parse_warn_days("0")

"""集中转载 on time: each account's post classified against the fan-out's deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.reposts import Repost, RepostStatus, completion, status

DEADLINE = datetime(2026, 12, 15, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai
WARN = timedelta(hours=2)


def at(minutes: int) -> datetime:
    return DEADLINE + timedelta(minutes=minutes)


def test_live_posts_are_on_time_up_to_the_deadline_and_late_after() -> None:
    now = at(600)
    assert status(Repost(at(-1), None), deadline=DEADLINE, now=now, warn=WARN) == "on_time"
    assert status(Repost(at(0), None), deadline=DEADLINE, now=now, warn=WARN) == "on_time"
    assert status(Repost(at(1), None), deadline=DEADLINE, now=now, warn=WARN) == "late"


def test_not_live_is_missing_once_the_deadline_passed() -> None:
    queued = Repost(None, at(-30))
    assert status(queued, deadline=DEADLINE, now=at(0), warn=WARN) == "at_risk"
    assert status(queued, deadline=DEADLINE, now=at(1), warn=WARN) == "missing"


def test_at_risk_before_the_deadline_when_near_planned_late_or_not_planned() -> None:
    early = Repost(None, at(-200))
    assert status(early, deadline=DEADLINE, now=at(-121), warn=WARN) == "pending"
    assert status(early, deadline=DEADLINE, now=at(-120), warn=WARN) == "at_risk"
    after = Repost(None, at(5))
    assert status(after, deadline=DEADLINE, now=at(-600), warn=WARN) == "at_risk"
    none = Repost(None, None, exists=False)
    assert status(none, deadline=DEADLINE, now=at(-600), warn=WARN) == "at_risk"


def test_without_a_deadline_nothing_is_late() -> None:
    assert status(Repost(at(900), None), deadline=None, now=at(999), warn=WARN) == "on_time"
    assert status(Repost(None, None, False), deadline=None, now=at(999), warn=WARN) == "pending"


def test_completion_names_every_status() -> None:
    counts = completion([RepostStatus.ON_TIME, RepostStatus.ON_TIME, RepostStatus.MISSING])
    assert counts == {"on_time": 2, "late": 0, "missing": 1, "at_risk": 0, "pending": 0}

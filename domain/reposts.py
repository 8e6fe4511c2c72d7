"""集中转载 on time: whether each account of a fan-out had the item live by its deadline.

Pure: the caller gives the deadline, the moment of asking and what it knows of each
account's post. A post is

- ``on_time``: live (published) at or before the deadline;
- ``late``: live, but after the deadline;
- ``missing``: not live, and the deadline has passed;
- ``at_risk``: not live yet, the deadline still ahead but near (within the warning
  window), or the post is due only after the deadline, or there is no post at all;
- ``pending``: not live yet, on course to be in time.

Without a deadline a live post is ``on_time`` and any other ``pending``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class RepostStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    AT_RISK = "at_risk"
    PENDING = "pending"


# The statuses that raise an alert: a person must act (or account for it).
ALERTING = frozenset({RepostStatus.LATE, RepostStatus.MISSING, RepostStatus.AT_RISK})
# Settled: nothing more will change the account's outcome.
SETTLED = frozenset({RepostStatus.ON_TIME, RepostStatus.LATE, RepostStatus.MISSING})


@dataclass(frozen=True)
class Repost:
    """What is known of one account's post of a fan-out."""

    published_at: datetime | None  # when it went live, if it did
    due_at: datetime | None  # when it is planned, if a post exists and is not live
    exists: bool = True  # False: no post was planned for the account at all


def status(
    repost: Repost, *, deadline: datetime | None, now: datetime, warn: timedelta
) -> RepostStatus:
    if repost.published_at is not None:
        if deadline is None or repost.published_at <= deadline:
            return RepostStatus.ON_TIME
        return RepostStatus.LATE
    if deadline is None:
        return RepostStatus.PENDING
    if now > deadline:
        return RepostStatus.MISSING
    if not repost.exists or repost.due_at is None or repost.due_at > deadline:
        return RepostStatus.AT_RISK
    if deadline - now <= warn:
        return RepostStatus.AT_RISK
    return RepostStatus.PENDING


def completion(statuses: list[RepostStatus]) -> dict[str, int]:
    """How many accounts are in each status (every status named, zeros included)."""
    counts = {s.value: 0 for s in RepostStatus}
    for s in statuses:
        counts[s.value] += 1
    return counts

"""Daily care of the matrix: flag accounts that stopped updating (the no-update limit,
default 14 days), warn a week before an account's platform credentials expire (a Weibo
token), and withdraw what expired."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import delivery
from flows.context import get_context
from sqlmodel_db import schedule as schedule_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.types import utcnow


@task(name="flag-stale-accounts")
def flag_stale_accounts() -> list[int]:
    return delivery.flag_stale_accounts(get_context())


@task(name="flag-expiring-credentials")
def flag_expiring_credentials() -> list[int]:
    ctx = get_context()
    with session_scope(ctx.engine) as session:
        return schedule_db.flag_expiring_credentials(
            session=session, now=utcnow(), tz=ctx.settings.tz
        )


@task(name="expire")
def expire() -> dict[str, list[int]]:
    return delivery.expire(get_context())


@flow(name="housekeeping")
def housekeeping() -> dict[str, Any]:
    return {
        "expired": expire(),
        "stale_accounts": flag_stale_accounts(),
        "expiring_credentials": flag_expiring_credentials(),
    }

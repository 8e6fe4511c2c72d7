"""Daily care of the matrix: flag accounts that stopped updating (the no-update limit,
default 14 days), and withdraw what expired."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import delivery
from flows.context import get_context


@task(name="flag-stale-accounts")
def flag_stale_accounts() -> list[int]:
    return delivery.flag_stale_accounts(get_context())


@task(name="expire")
def expire() -> dict[str, list[int]]:
    return delivery.expire(get_context())


@flow(name="housekeeping")
def housekeeping() -> dict[str, Any]:
    return {"expired": expire(), "stale_accounts": flag_stale_accounts()}

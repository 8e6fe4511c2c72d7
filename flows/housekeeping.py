"""Daily care of the matrix: withdraw what expired, void manual packages that must no longer
be posted, flag accounts that stopped updating (the no-update limit, default 14 days),
and raise every alert that needs a person — among them a warning before an account's
platform credentials expire (a Weibo token; ``credentials_warn_days``, default 7) — and
anchor the audit chain: its head, count and time to a file under
``MATRIXPUB_HOME/anchors/``, outside the database (see :mod:`sqlmodel_db.audit`)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import delivery, report
from flows.context import get_context
from sqlmodel_db import audit
from sqlmodel_db.engine import session_scope


@task(name="flag-stale-accounts")
def flag_stale_accounts() -> list[int]:
    return delivery.flag_stale_accounts(get_context())


@task(name="expire")
def expire() -> dict[str, list[int]]:
    return delivery.expire(get_context())


@task(name="void-packages")
def void_packages() -> list[int]:
    return delivery.void_packages(get_context())


@task(name="refresh-alerts")
def refresh_alerts() -> dict[str, list[int]]:
    return delivery.refresh_alerts(get_context())


@task(name="anchor-audit-chain")
def anchor_audit_chain() -> dict[str, Any]:
    ctx = get_context()
    with session_scope(ctx.engine) as session:
        anchor, path = audit.write_anchor(session=session, directory=ctx.settings.home / "anchors")
    return {**anchor.body(), "file": str(path)}


@flow(name="housekeeping")
def housekeeping() -> dict[str, Any]:
    expired = expire()
    voided = void_packages()
    stale = flag_stale_accounts()
    raised = refresh_alerts()
    anchored = anchor_audit_chain()
    report.summary(
        f"{len(expired['cancelled'])} expired posts cancelled, "
        f"{len(expired['withdrawn'])} website items withdrawn, {len(voided)} packages "
        f"marked void, {len(stale)} accounts flagged as stale; alerts raised: "
        + (", ".join(f"{len(v)} {k}" for k, v in raised.items()) or "none")
    )
    return {
        "expired": expired,
        "voided": voided,
        "stale_accounts": stale,
        "expiring_credentials": raised.get("credentials_expiring", []),
        "alerts": raised,
        "anchor": anchored,
    }

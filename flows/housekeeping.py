"""Daily care of the matrix: withdraw what expired, void manual packages that must no longer
be posted, flag accounts that stopped updating (the no-update limit, default 14 days),
and raise every alert that needs a person — among them a warning before an account's
platform credentials expire (a Weibo token; ``credentials_warn_days``, default 7), a
warning before an account's update limit (``warn_days``, default 7 and 3), closings moved
along (a published 停更公告, a notice period over) and filings due. The alerts about
accounts are Prefect events too, and new alerts go to the organisation's notification
webhook (``notify``: a WeCom group robot or any webhook). Last, the audit chain is
anchored: its head, count and time go to a file under ``MATRIXPUB_HOME/anchors/``,
outside the database (see :mod:`sqlmodel_db.audit`)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import delivery, report
from flows.context import get_context
from sqlmodel_db import audit
from sqlmodel_db.engine import session_scope


@task(name="flag-stale-accounts")
def flag_stale_accounts() -> dict[str, list[int]]:
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


@task(name="notify-alerts")
def notify_alerts() -> dict[str, Any]:
    return delivery.notify_alerts(get_context())


# What the daily run tells Prefect's event stream (automations can act on these).
EVENT_NAMES = {
    "stale_account": "matrixpub.account.stale",
    "update_due": "matrixpub.account.update-due",
    "filing_due": "matrixpub.account.filing-due",
    "notice_published": "matrixpub.account.closing",
    "closed": "matrixpub.account.closed",
}


def emit_events(raised: dict[str, list[int]]) -> int:
    from prefect.events import emit_event

    count = 0
    for kind, ids in raised.items():
        name = EVENT_NAMES.get(kind)
        for account_id in ids if name else ():
            emit_event(
                event=name,
                resource={"prefect.resource.id": f"matrixpub.account.{account_id}"},
                payload={"kind": kind, "account_id": account_id},
            )
            count += 1
    return count


@flow(name="housekeeping")
def housekeeping() -> dict[str, Any]:
    expired = expire()
    voided = void_packages()
    flagged = flag_stale_accounts()
    stale = flagged["stale_account"]
    raised = refresh_alerts()
    for kind, ids in flagged.items():
        if ids:
            raised = {**raised, kind: sorted({*raised.get(kind, []), *ids})}
    emit_events(raised)
    notified = notify_alerts()
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
        "notified": notified,
    }

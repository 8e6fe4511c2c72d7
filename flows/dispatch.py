"""Deliver every post that is due: claim a batch under a lease, send it, repeat.

One task per batch, not per post: a Prefect task costs 5-18 ms here, a website post
about a millisecond. The task claims its batch and delivers it (as two tasks, they were
a tenth of the dispatcher's CPU time). A batch is 128 posts, so that several dispatchers
share the due posts between them.
"""

from __future__ import annotations

import threading
from typing import Any

from prefect import flow, task

from channels.http import PlatformSession
from flows import delivery, hooks
from flows import report as report_
from flows.context import get_context

BATCH_SIZE = 128


_http: PlatformSession | None = None
_http_lock = threading.Lock()


def http_session() -> PlatformSession:
    """One keep-alive session for the dispatching process, its connection pool as large as
    the number of accounts served at once."""
    global _http
    with _http_lock:
        if _http is None:
            _http = PlatformSession(pool_size=delivery.SEND_CONCURRENCY)
        return _http


@task(name="dispatch-batch")
def dispatch_batch(worker: str, limit: int) -> tuple[int, delivery.BatchReport]:
    """Claim up to ``limit`` due posts and deliver them: (how many were claimed, what
    became of them)."""
    ctx = get_context()
    post_ids = delivery.claim_batch(ctx, worker=worker, limit=limit)
    report = delivery.deliver_batch(ctx, post_ids, worker=worker, http=http_session())
    return len(post_ids), report


@task(name="expire")
def expire() -> dict[str, list[int]]:
    return delivery.expire(get_context())


@task(name="reconcile-unknown")
def reconcile() -> dict[str, list[int]]:
    """Ask the platforms about sends of unknown outcome (read only: nothing is sent)."""
    return delivery.reconcile_unknown(get_context(), http=http_session())


@task(name="alert")
def alert(paused_accounts: list[int]) -> None:
    """A Prefect event per paused queue, beside the alert line in `matrixpub alerts`."""
    from prefect.events import emit_event

    for account_id in paused_accounts:
        emit_event(
            event="matrixpub.account.queue-paused",
            resource={"prefect.resource.id": f"matrixpub.account.{account_id}"},
            payload={"account_id": account_id},
        )


@flow(name="dispatch")
def dispatch(max_posts: int = 10_000, batch_size: int = BATCH_SIZE) -> Any:
    worker = delivery.worker_name()
    expired = expire()
    reconciled = reconcile()
    report = delivery.BatchReport()
    handled = 0
    while handled < max_posts:
        claimed, delivered = dispatch_batch(worker, min(batch_size, max_posts - handled))
        if not claimed:
            break
        report.merge(delivered)
        handled += claimed
        hooks.progress(claimed)
    if report.paused_accounts:
        alert(report.paused_accounts)
    result = {
        **report.as_dict(),
        "expired": expired["cancelled"],
        "withdrawn": expired["withdrawn"],
        "reconciled": {k: v for k, v in reconciled.items() if v},  # empty: nothing to ask
    }
    said = report.summary()
    if expired["cancelled"] or expired["withdrawn"]:
        said += f"; expired: {len(expired['cancelled'])} cancelled, "
        said += f"{len(expired['withdrawn'])} withdrawn from the website"
    found = {k: v for k, v in reconciled.items() if k != "asked" and v}
    if reconciled["asked"]:
        said += f"; {len(reconciled['asked'])} of unknown outcome looked up"
        said += "".join(f", {len(v)} {k}" for k, v in found.items())
    report_.summary(
        said,
        problems=[
            f"post {post_id}: {report.messages.get(post_id, '')}"
            for post_id in report.needs_a_person
        ],
    )
    return report_.final_state(
        result,
        failed=len(report.failed) + len(report.refused_failed),
        unknown=len(report.unknown),
        message=said,
    )

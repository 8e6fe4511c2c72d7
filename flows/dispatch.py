"""Deliver every post that is due: claim a batch under a lease, send it, repeat.

One task per batch, not per post: a Prefect task costs 5-18 ms here, a website post
about a millisecond.
"""

from __future__ import annotations

from typing import Any

import requests
from prefect import flow, task

from flows import delivery, hooks
from flows.context import get_context

BATCH_SIZE = 50


@task(name="claim-batch")
def claim_batch(worker: str, limit: int) -> list[int]:
    return delivery.claim_batch(get_context(), worker=worker, limit=limit)


@task(name="deliver-batch")
def deliver_batch(post_ids: list[int], worker: str) -> delivery.BatchReport:
    with requests.Session() as http:
        return delivery.deliver_batch(get_context(), post_ids, worker=worker, http=http)


@flow(name="dispatch")
def dispatch(max_posts: int = 10_000, batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    worker = delivery.worker_name()
    report = delivery.BatchReport()
    handled = 0
    while handled < max_posts:
        post_ids = claim_batch(worker, min(batch_size, max_posts - handled))
        if not post_ids:
            break
        report.merge(deliver_batch(post_ids, worker))
        handled += len(post_ids)
        hooks.progress(len(post_ids))
    return report.as_dict()

"""After 终审: queue the approved drafts' posts.

Given no drafts, the flow sweeps up every approved draft whose signed version has no
posts yet.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import delivery, report
from flows.context import get_context

BATCH_SIZE = 50


@task(name="find-unplanned-drafts")
def find_unplanned_drafts() -> list[int]:
    return delivery.unplanned_drafts(get_context())


@task(name="queue-posts")
def queue_posts(draft_ids: list[int]) -> list[dict[str, Any]]:
    return delivery.plan_batch(get_context(), draft_ids)


@flow(name="plan-posts")
def plan_posts(draft_ids: list[int] | None = None, batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    ids = find_unplanned_drafts() if draft_ids is None else draft_ids
    planned: list[dict[str, Any]] = []
    for start in range(0, len(ids), batch_size):
        planned.extend(queue_posts(ids[start : start + batch_size]))
    posts = [p for d in planned for p in d["posts"]]
    unplaced = [f"draft {d['draft_id']}, account {a}: {why}" for d in planned
                for a, why in d["unplaced"].items()]  # fmt: skip
    skipped = [f"draft {d['draft_id']}: {why}" for d in planned for why in d["skipped"]]
    report.summary(
        f"{len(planned)} approved drafts planned, {len(posts)} posts queued, "
        f"{len(unplaced)} could not be placed, {len(skipped)} accounts skipped",
        problems=unplaced + skipped,
    )
    return {"drafts": planned, "posts": posts}

"""After 终审: queue the approved draft's posts."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import steps
from flows.context import get_context


@task(name="queue-posts")
def queue_posts(draft_id: int) -> list[int]:
    return steps.plan_posts(get_context(), draft_id)


@flow(name="plan-posts")
def plan_posts(draft_id: int) -> dict[str, Any]:
    return {"draft_id": draft_id, "posts": queue_posts(draft_id)}

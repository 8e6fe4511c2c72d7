"""After a submission or a new version: render every channel and check the result, then
let each draft into review (or send it back when something blocks it).

Given no versions, the flow sweeps up every submitted draft still waiting, so a missed
trigger is caught by the next run and many submissions share one run.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import artifacts, steps
from flows.context import get_context

BATCH_SIZE = 20


@task(name="find-pending-versions")
def find_pending_versions() -> list[int]:
    return steps.pending_versions(get_context())


@task(name="prepare-batch")
def prepare_batch(version_ids: list[int]) -> list[dict[str, Any]]:
    ctx = get_context()
    outcomes = steps.prepare_batch(ctx, version_ids)
    for version_id in version_ids:
        draft_id, number = steps.version_label(ctx, version_id)
        artifacts.attach_previews(draft_id, number, steps.variant_payloads(ctx, version_id))
    return outcomes


@flow(name="prepare-versions")
def prepare_versions(
    version_ids: list[int] | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, Any]:
    ids = find_pending_versions() if version_ids is None else version_ids
    outcomes: list[dict[str, Any]] = []
    for start in range(0, len(ids), batch_size):
        outcomes.extend(prepare_batch(ids[start : start + batch_size]))
    return {"versions": outcomes}

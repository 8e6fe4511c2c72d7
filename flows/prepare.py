"""After a submission or a new version: render every channel, check the text (错敏检查,
including its links), then let each draft into review (or send it back when a variant
breaks a platform's limit).

Given no versions, the flow sweeps up every submitted draft still waiting, so a missed
trigger is caught by the next run and many submissions share one run.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import artifacts, report, steps
from flows.context import get_context

BATCH_SIZE = 20


@task(name="find-pending-versions")
def find_pending_versions() -> list[int]:
    return steps.pending_versions(get_context())


@task(name="check-links")
def check_links(version_ids: list[int]) -> dict[str, steps.LinkStatus]:
    """Every link in the batch's texts, fetched once (HEAD, then GET), a few at a time;
    a link into a non-public address is not fetched (a finding says so)."""
    ctx = get_context()
    if not ctx.settings.check_links:
        return {}
    return steps.fetch_links(
        steps.version_urls(ctx, version_ids), allow=ctx.settings.link_check_allow
    )


@task(name="prepare-batch")
def prepare_batch(
    version_ids: list[int], links: dict[str, steps.LinkStatus]
) -> list[dict[str, Any]]:
    ctx = get_context()
    outcomes = steps.prepare_batch(ctx, version_ids, links)
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
        batch = ids[start : start + batch_size]
        outcomes.extend(prepare_batch(batch, check_links(batch)))
    returned = [o for o in outcomes if o["state"] == "returned"]
    report.summary(
        f"{len(outcomes)} versions rendered and checked: "
        f"{sum(o['state'] == 'in_review' for o in outcomes)} into review, "
        f"{len(returned)} returned to their authors",
        problems=[f"version {o['version_id']}: {p}" for o in returned for p in o["problems"]],
    )
    return {"versions": outcomes}


@task(name="check-version")
def check_one(version_id: int, links: dict[str, steps.LinkStatus]) -> dict[str, Any]:
    return steps.check_version(get_context(), version_id, links)


@flow(name="check-version")
def check_version(version_id: int) -> dict[str, Any]:
    """Check one version again (e.g. after the word lists changed), on record."""
    checked = check_one(version_id, check_links([version_id]))
    report.summary(
        f"version {version_id} checked: {checked['findings']} findings, "
        f"{checked['blocking']} blocking"
    )
    return checked

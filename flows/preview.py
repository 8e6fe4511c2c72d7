"""Write a draft version's previews to a folder (and attach them to the run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task

from flows import artifacts, report, steps
from flows.context import get_context


@task(name="write-previews")
def write_previews(version_id: int, out_dir: str, channel: str | None) -> dict[str, Any]:
    ctx = get_context()
    written = steps.write_previews(ctx, version_id, Path(out_dir), channel=channel)
    draft_id, number = steps.version_label(ctx, version_id)
    artifacts.attach_previews(draft_id, number, steps.variant_payloads(ctx, version_id))
    return written


@flow(name="preview-version")
def preview_version(version_id: int, out_dir: str, channel: str | None = None) -> dict[str, Any]:
    written = write_previews(version_id, out_dir, channel)
    report.summary(
        f"previews of version {version_id} written to {written['out']}: "
        + ", ".join(c["channel"] for c in written["channels"])
    )
    return written

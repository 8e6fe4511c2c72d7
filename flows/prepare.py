"""After a submission or a new version: render every channel, then let the draft into
review (or send it back when something blocks it)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows import steps
from flows.context import get_context


@task(name="render-variants")
def render_variants(version_id: int) -> steps.RenderOutcome:
    return steps.render_version(get_context(), version_id)


@task(name="finish-preparation")
def finish_preparation(version_id: int, problems: list[str]) -> str:
    return steps.finish_preparation(get_context(), version_id, problems)


@flow(name="prepare-version", log_prints=False)
def prepare_version(version_id: int) -> dict[str, Any]:
    rendered = render_variants(version_id)
    problems = rendered.problems
    state = finish_preparation(version_id, problems)
    return {
        "version_id": version_id,
        "channels": rendered.channels,
        "problems": problems,
        "state": state,
    }

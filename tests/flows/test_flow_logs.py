"""Prefect shows what happened: each flow run logs a summary of what it did and what
failed (visible in the Prefect UI), a dispatch with failed sends ends in a state that says
so, and the served deployments have names that say what they run and when."""

from __future__ import annotations

import time
from typing import Any

import pytest

from flows.trigger import run_flow
from tests.factories import World, tamper


def last_run(flow: str) -> Any:
    """The latest run of ``flow`` in this process (not one a deployment scheduled: the
    session's Prefect database may hold those from `matrixpub serve` tests)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterStartTime,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        (run,) = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow])),
            flow_run_filter=FlowRunFilter(
                deployment_id=FlowRunFilterDeploymentId(is_null_=True),
                start_time=FlowRunFilterStartTime(is_null_=False),
            ),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
        return run


def run_logs(run_id: Any) -> list[str]:
    """The log lines the Prefect UI shows for a flow run (sent in the background: waited
    for a few seconds)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    deadline = time.monotonic() + 15
    with get_client(sync_client=True) as client:
        while True:
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))
            )
            messages = [log.message for log in logs]
            if any(m.startswith("Summary") for m in messages) or time.monotonic() > deadline:
                return messages
            time.sleep(0.5)


def test_a_dispatch_with_a_failed_send_says_so_in_its_state_and_logs(w: World) -> None:
    good = w.new_draft(title="第一份通知")
    bad = w.new_draft(title="第二份通知")
    for draft_id in (good, bad):
        w.submit(draft_id)
        w.approve_all(draft_id)
    run_flow("plan-posts", {}, settings=w.ctx.settings)
    tamper(w.engine, "UPDATE variants SET payload = replace(payload, '第二份', '第三份')")
    report = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert len(report["published"]) == 1 and len(report["refused"]) == 1
    run = last_run("dispatch")
    assert run.state.is_completed() and run.state.name == "Completed with failures"
    assert "1 post failed" in run.state.message
    logs = run_logs(run.id)
    (summary,) = [m for m in logs if m.startswith("Summary")]
    assert "1 published" in summary and "1 refused" in summary
    assert any("altered after sign-off" in m for m in logs)

    again = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert again["published"] == []
    run = last_run("dispatch")
    assert run.state.name == "Completed"
    assert any("nothing was due" in m for m in run_logs(run.id))


@pytest.mark.parametrize(
    ("flow", "parameters"),
    [
        ("prepare-versions", {}),
        ("plan-posts", {}),
        ("housekeeping", {}),
    ],
)
def test_every_flow_run_logs_a_summary(w: World, flow: str, parameters: dict[str, Any]) -> None:
    run_flow(flow, parameters, settings=w.ctx.settings, wait=True)
    run = last_run(flow)
    assert [m for m in run_logs(run.id) if m.startswith("Summary")], flow


def test_deployments_are_named_for_what_they_run_and_when() -> None:
    from flows.serve import deployments

    made = {d.flow_name: d for d in deployments("Asia/Shanghai")}  # type: ignore[attr-defined]
    assert {name: d.name for name, d in made.items()} == {
        "dispatch": "every-minute",
        "prepare-versions": "sweep-every-5-minutes",
        "plan-posts": "sweep-every-5-minutes",
        "housekeeping": "daily-0600",
    }
    (daily,) = made["housekeeping"].schedules
    assert daily.schedule.cron == "0 6 * * *" and daily.schedule.timezone == "Asia/Shanghai"
    assert all(d.description for d in made.values())

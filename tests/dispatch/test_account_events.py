"""The daily housekeeping tells Prefect's event stream about accounts that need a person
(``flows.housekeeping.emit_events``): each event reaches a real ``prefect server`` (the
one the dispatcher tests share) and can be read back from its events API, where an
automation would find it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from flows.housekeeping import EVENT_NAMES, emit_events
from tests.dispatch.helpers import wait_until


def _read_events(api: str, names: list[str], since: datetime) -> list[dict[str, Any]]:
    answer = requests.post(
        f"{api}/events/filter",
        json={
            "filter": {
                "event": {"name": names},
                "occurred": {"since": since.isoformat()},
            },
            "limit": 50,
        },
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json().get("events", [])


def test_account_alerts_reach_prefects_event_stream(prefect_api: str) -> None:
    from prefect.events.worker import EventsWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    since = datetime.now(UTC) - timedelta(minutes=1)
    raised = {"stale_account": [7001], "update_due": [7002], "closed": [7003], "repost": [9]}
    # Prefect keeps one events worker per kind of client, whichever server it was made
    # for: the ones earlier tests left (bound to the session's embedded server) go first.
    EventsWorker.drain_all()
    with temporary_settings({PREFECT_API_URL: prefect_api}):
        emitted = emit_events(raised)
        EventsWorker.drain_all()
    assert emitted == 3  # the alert kinds about accounts; a repost alert is not one

    names = [EVENT_NAMES[k] for k in ("stale_account", "update_due", "closed")]

    def arrived() -> dict[str, str]:
        found = {}
        for event in _read_events(prefect_api, names, since):
            resource = event["resource"]["prefect.resource.id"]
            if resource.startswith("matrixpub.account.700"):
                found[resource] = event["event"]
        return found if len(found) == 3 else {}

    found = wait_until(arrived, timeout=120, what="the account events in Prefect's event API")
    assert found == {
        "matrixpub.account.7001": "matrixpub.account.stale",
        "matrixpub.account.7002": "matrixpub.account.update-due",
        "matrixpub.account.7003": "matrixpub.account.closed",
    }

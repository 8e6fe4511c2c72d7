"""Handing a flow to a served Prefect server: a server that cannot take the run now (it
answers with an error of its own, or is gone) leaves the flow to run here, and the
person's command does not fail. The server is a local one on 127.0.0.1 that speaks the
two calls of Prefect's REST API the hand-off makes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows import trigger
from flows.runtime import Runtime

DEPLOYMENT = "/api/deployments/name/prepare-versions/sweep-every-5-minutes"


class FakePrefect(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.create_status = 201  # what create_flow_run answers
        self.calls: list[tuple[str, str, object]] = []

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api"


class _Handler(BaseHTTPRequestHandler):
    server: FakePrefect

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.calls.append(("GET", self.path, None))
        if self.path == DEPLOYMENT:
            self._answer(200, {"id": "dep-1", "name": "sweep-every-5-minutes"})
        else:
            self._answer(404, {"detail": "Deployment not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null")
        self.server.calls.append(("POST", self.path, body))
        if self.path != "/api/deployments/dep-1/create_flow_run":
            self._answer(404, {"detail": "Not found"})
        elif self.server.create_status == 201:
            self._answer(201, {"id": "run-1", "state": {"type": "SCHEDULED"}})
        else:
            self._answer(self.server.create_status, {"detail": "database is locked"})


@pytest.fixture
def prefect() -> Iterator[FakePrefect]:
    server = FakePrefect()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


def runtime(api_url: str, tmp_path: Path) -> Runtime:
    return Runtime(mode="server", api_url=api_url, prefect_home=tmp_path)


def test_a_run_the_server_takes_is_handed_to_it(prefect: FakePrefect, tmp_path: Path) -> None:
    handed = trigger._hand_off(
        runtime(prefect.api_url, tmp_path), "prepare-versions", {"version_ids": [7]}
    )
    assert handed is not None
    assert (handed.mode, handed.flow_run_id) == ("server", "run-1")
    assert handed.url == f"http://127.0.0.1:{prefect.server_address[1]}/runs/flow-run/run-1"
    assert prefect.calls[-1] == (
        "POST",
        "/api/deployments/dep-1/create_flow_run",
        {"parameters": {"version_ids": [7]}},
    )


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_that_fails_to_make_the_run_leaves_it_to_run_here(
    prefect: FakePrefect, tmp_path: Path, status: int
) -> None:
    prefect.create_status = status
    assert trigger._hand_off(runtime(prefect.api_url, tmp_path), "prepare-versions", {}) is None
    assert [method for method, _, _ in prefect.calls] == ["GET", "POST"]


def test_a_server_gone_or_without_the_deployment_leaves_it_to_run_here(
    prefect: FakePrefect, tmp_path: Path
) -> None:
    assert trigger._hand_off(runtime(prefect.api_url, tmp_path), "dispatch", {}) is None
    gone = runtime("http://127.0.0.1:9/api", tmp_path)  # the discard port: nothing listens
    assert trigger._hand_off(gone, "prepare-versions", {}) is None


def test_a_request_the_server_refuses_is_not_hidden(prefect: FakePrefect, tmp_path: Path) -> None:
    prefect.create_status = 422  # our request is wrong: a fault to see, not to run around
    with pytest.raises(trigger.urllib.error.HTTPError):
        trigger._hand_off(runtime(prefect.api_url, tmp_path), "prepare-versions", {})

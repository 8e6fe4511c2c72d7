"""Prefect's settings for running flows hold in every context that asks for them. The web
console's requests run on worker threads, each call in a copy of the caller's context
(anyio, as Starlette calls a handler): the second request on the same thread must see the
settings too, and a thread's end must leave nothing behind (no 'created in a different
Context' when what a call entered is collected)."""

from __future__ import annotations

import contextvars
import gc
import sys
import threading
from typing import Any

import pytest

from flows import trigger

SERVER = {"heartbeat": None, "api_url": "http://127.0.0.1:9/api"}


def test_each_request_on_a_worker_thread_runs_with_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.settings import PREFECT_API_URL

    ignored: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    seen: list[str | None] = []
    outer = contextvars.copy_context()  # the event loop's context, as a worker copies it

    def request() -> None:
        trigger._apply_settings(SERVER)
        seen.append(PREFECT_API_URL.value())

    def worker() -> None:
        for _ in range(3):
            outer.copy().run(request)

    before = PREFECT_API_URL.value()
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert seen == [SERVER["api_url"]] * 3
    assert PREFECT_API_URL.value() == before  # what the requests entered was their own
    assert [str(u.exc_value) for u in ignored] == []


def test_settings_changed_later_replace_the_earlier_ones() -> None:
    from prefect.settings import PREFECT_API_URL

    def run() -> list[str | None]:
        trigger._applied.set(None)  # a context that has entered none yet (earlier tests did)
        seen = [PREFECT_API_URL.value()]
        trigger._apply_settings(SERVER)
        seen.append(PREFECT_API_URL.value())
        trigger._apply_settings({**SERVER, "api_url": "http://127.0.0.1:8/api"})
        seen.append(PREFECT_API_URL.value())
        trigger._apply_settings({"heartbeat": None})  # no server: the URL as it was before
        seen.append(PREFECT_API_URL.value())
        return seen

    first, *seen = contextvars.copy_context().run(run)
    assert first not in (SERVER["api_url"], "http://127.0.0.1:8/api")
    assert seen == [SERVER["api_url"], "http://127.0.0.1:8/api", first]

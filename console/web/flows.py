"""Starting flows from the long-lived console process without making anyone wait.

A decision, a submission or an edit records its change at once and returns; the flow
that follows (rendering and checks, planning posts) is queued here and started by one
worker thread: handed to the Prefect server when one is reachable (``matrixpub serve``,
or ``PREFECT_API_URL``), else run in this process on Prefect's embedded server, which
stays up for the life of the console. A failure is written to the log; the flows' own
sweeps pick up whatever a lost trigger left behind.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from typing import Any

from domain.settings import Settings

log = logging.getLogger("matrixpub.web")


class FlowStarter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._queue: queue.Queue[tuple[str, dict[str, Any], str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.started: list[dict[str, Any]] = []  # what was triggered, newest last (bounded)
        self.failures = 0

    def __call__(self, flow: str, parameters: dict[str, Any]) -> dict[str, Any]:
        ticket = uuid.uuid4().hex[:12]
        self._queue.put((flow, dict(parameters), ticket))
        self._ensure_worker()
        return {"flow": flow, "mode": "queued", "ticket": ticket, "result": None}

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="matrixpub-flows", daemon=True
                )
                self._thread.start()

    def warm_up(self) -> None:
        """Start Prefect's embedded server now when no server is reachable, so the first
        flow does not wait for it to boot."""
        from flows.runtime import start_embedded

        try:
            start_embedded(self.settings)
        except Exception:  # the first flow will say what is wrong
            log.exception("could not start Prefect's embedded server")

    def _work(self) -> None:
        from flows.trigger import run_flow

        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                flow, parameters, ticket = item
                try:
                    triggered = run_flow(flow, parameters, settings=self.settings)
                    record = {"ticket": ticket, "flow": flow, "mode": triggered.mode}
                except Exception:
                    self.failures += 1
                    log.exception("flow %s with %s failed", flow, parameters)
                    record = {"ticket": ticket, "flow": flow, "mode": "failed"}
                self.started = [*self.started[-99:], record]
            finally:
                self._queue.task_done()

    def join(self) -> None:
        """Wait until every queued flow has been started (handed over or run)."""
        self._queue.join()

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=30)

"""A fake webhook receiver: what a 融媒体 platform or internal system would run.

It accepts ``POST`` on any path, verifies ``X-Matrixpub-Signature`` (HMAC-SHA256 over
``timestamp + "." + idempotency key + "." + body``) when it has a signing secret, rejects
stale timestamps, and
honours ``Idempotency-Key``: a repeated key is answered with the first answer and not
delivered again. ``received`` counts requests per key; ``deliveries`` counts the ones
acted on, so "delivered exactly once" is ``deliveries[key] == 1``. A signed ping
(``X-Matrixpub-Event: ping``, what ``account credentials --test`` sends) is answered 200
and delivers nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import Counter
from typing import Any

from tests.fakes.server import FakeServer, Reply, RequestRecord, Response


def expected_signature(secret: str, timestamp: str, key: str, body: bytes) -> str:
    """Computed here on its own, not with the channel's helper."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{key}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class FakeWebhook(FakeServer):
    def __init__(self, *, signing_secret: str | None = None, tolerance: float = 300.0) -> None:
        super().__init__()
        self.signing_secret = signing_secret
        self.tolerance = tolerance
        self.received: Counter[str] = Counter()
        self.payloads: list[dict[str, Any]] = []
        self._answers: dict[str, Response] = {}
        self._state = threading.Lock()
        self._seq = 0

    @property
    def endpoint(self) -> str:
        return f"{self.url}/hooks/matrixpub"

    @staticmethod
    def reply(status: int, json: Any = None) -> Reply:
        return Reply(json=json if json is not None else {"error": f"HTTP {status}"}, status=status)

    def handle(self, request: RequestRecord) -> Response:
        if request.method != "POST":
            return Response.json({"error": "method not allowed"}, 405)
        headers = {k.lower(): v for k, v in request.headers.items()}
        key = headers.get("idempotency-key", "")
        if not key:
            return Response.json({"error": "Idempotency-Key header missing"}, 400)
        timestamp = headers.get("x-matrixpub-timestamp", "")
        if self.signing_secret is not None:
            signature = headers.get("x-matrixpub-signature", "")
            valid = bool(timestamp) and hmac.compare_digest(
                expected_signature(self.signing_secret, timestamp, key, request.body), signature
            )
            request.extra["signature_valid"] = valid
            if not valid:
                return Response.json({"error": "bad signature"}, 401)
            if abs(time.time() - int(timestamp)) > self.tolerance:
                return Response.json({"error": "stale timestamp"}, 401)
        if headers.get("x-matrixpub-event") == "ping":
            request.extra["ping"] = True
            return Response.json({"ok": True})
        if not isinstance(request.json, dict):
            return Response.json({"error": "body is not a JSON object"}, 400)
        with self._state:
            self.received[key] += 1
            previous = self._answers.get(key)
            if previous is not None:
                return Response(
                    previous.status,
                    previous.body,
                    previous.content_type,
                    (("Idempotent-Replayed", "true"),),
                )
            self._seq += 1
            item = self._seq
            self.payloads.append(request.json)
            answer = Response.json(
                {"id": f"item-{item}", "url": f"https://media.example.cn/items/{item}"}, 201
            )
            self._answers[key] = answer
        self.deliver(key)
        return answer

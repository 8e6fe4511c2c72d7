"""A fake WeCom (企业微信) group robot: ``POST /cgi-bin/webhook/send?key=KEY``.

It speaks the robot's protocol as its documentation gives it: a JSON body with
``msgtype`` ``text`` (``text.content`` at most 2,048 bytes, optional
``mentioned_list``/``mentioned_mobile_list``) or ``markdown`` (``markdown.content`` at most
4,096 bytes); answers ``{"errcode": 0, "errmsg": "ok"}``; 93000 for a wrong key, 40008
for an unknown message type, 44004 for empty content, 40058 for a missing field, 45002
for content too long, and 45009 (``api freq out of limit``) past 20 messages a minute.
The minute is counted on ``clock`` (a :class:`~tests.fakes.clock.FakeClock` in tests).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from tests.fakes.server import FakeServer, RequestRecord, Response

LIMITS = {"text": 2048, "markdown": 4096}
PER_MINUTE = 20


class FakeWeCom(FakeServer):
    def __init__(self, *, key: str = "robot-key", clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.key = key
        self.clock = clock
        self.messages: list[dict[str, Any]] = []  # accepted, in order
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    @property
    def webhook(self) -> str:
        return f"{self.url}/cgi-bin/webhook/send?key={self.key}"

    def handle(self, request: RequestRecord) -> Response:
        if request.method != "POST" or request.path != "/cgi-bin/webhook/send":
            return Response.json({"errcode": 404, "errmsg": "not found"}, 404)
        if request.query.get("key") != self.key:
            return Response.json({"errcode": 93000, "errmsg": "invalid webhook url"})
        body = request.json
        if not isinstance(body, dict):
            return Response.json({"errcode": 40058, "errmsg": "invalid json"})
        kind = body.get("msgtype")
        if kind not in LIMITS:
            return Response.json({"errcode": 40008, "errmsg": "invalid message type"})
        part = body.get(kind)
        if not isinstance(part, dict) or "content" not in part:
            return Response.json({"errcode": 40058, "errmsg": f"{kind}.content missing"})
        content = str(part["content"])
        if not content.strip():
            return Response.json({"errcode": 44004, "errmsg": "empty content"})
        if len(content.encode()) > LIMITS[kind]:
            return Response.json({"errcode": 45002, "errmsg": "content size out of limit"})
        with self._lock:
            now = self.clock()
            while self._sent and now - self._sent[0] >= 60:
                self._sent.popleft()
            if len(self._sent) >= PER_MINUTE:
                return Response.json({"errcode": 45009, "errmsg": "api freq out of limit"})
            self._sent.append(now)
            self.messages.append(body)
        return Response.json({"errcode": 0, "errmsg": "ok"})

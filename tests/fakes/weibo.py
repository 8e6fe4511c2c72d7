"""A fake Weibo open API (api.weibo.com) answering ``POST /2/statuses/share.json``.

Form-encoded without a picture, multipart/form-data with one (``pic``). It checks the
access token (unknown → 21332 invalid_access_token, expired → 21327 expired_token), that
``rip`` (now required: the acting user's real IP) is there and an IP address, the
length (≤140, counted its own way: two ASCII characters count as one), that the text
carries a URL on the app's safe domain, that it has no ``#话题#``, that the picture is a
JPEG/GIF/PNG under 5 MB, and that the same user does not post the same text twice in a
row (20019). Errors come back as ``{"error", "error_code", "request"}`` with an HTTP 4xx.

``POST /oauth2/get_token_info`` answers what the token is and how long it has left
(``expire_in``), on ``clock`` (``time.monotonic`` unless a test passes a FakeClock).

``deliveries`` counts accepted shares per status text; ``statuses`` keeps them.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from tests.fakes.server import FakeServer, Reply, RequestRecord, Response

SHARE = "/2/statuses/share.json"
TOKEN_INFO = "/oauth2/get_token_info"
ERRORS = {
    10001: "System error",
    10016: "Miss required parameter (status) , see doc for more info",
    10017: "Parameter (status)'s value invalid, expect (a url of the app's safe domain)",
    10023: "User requests out of rate limit!",
    10024: "User requests for (statuses/share) out of rate limit!",
    20006: "Image size too large.",
    20012: "Text too long, please input text less than 140 characters!",
    20016: "Out of limit!",
    20019: "Repeat content!",
    21301: "Auth failed!",
    21327: "expired_token",
    21332: "invalid_access_token",
}
_URL = re.compile(r"https?://[^\s<>\"']+")
_TOPIC = re.compile(r"#[^#\n]+#")


_COUNTED_URL = re.compile(r"https?://[A-Za-z0-9]+(\.[A-Za-z0-9]+)+[-\w$.+!*()/\\,:@&=?~#%]*", re.A)


def weibo_length(text: str) -> int:
    """Weibo's count, written independently of the channel's own helper: a non-ASCII
    character is two halves, an ASCII one a half, and a URL of up to 140 bytes 20 halves
    (a longer one 20 plus the bytes beyond 140), rounded up to whole characters."""
    halves = 0
    for url in (m.group(0) for m in _COUNTED_URL.finditer(text)):
        halves += 20 + max(0, len(url) - 140)
    rest = _COUNTED_URL.sub("", text)
    halves += sum(1 if ord(ch) < 128 else 2 for ch in rest)
    return (halves + 1) // 2


def error_body(code: int, message: str | None = None) -> dict[str, Any]:
    return {"error": message or ERRORS.get(code, "error"), "error_code": code, "request": SHARE}


class FakeWeibo(FakeServer):
    def __init__(
        self,
        *,
        safe_domain: str = "www.example.gov.cn",
        uid: int = 5_000_000_001,
        token_ttl: float = 86_400,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__()
        self.safe_domain = safe_domain
        self.uid = uid
        self.clock = clock
        self.access_token = "2.00" + secrets.token_hex(16)
        self.tokens: dict[str, float] = {self.access_token: clock() + token_ttl}
        self.token_created = int(time.time())
        self.statuses: list[dict[str, Any]] = []
        self._last_text: dict[int, str] = {}
        self._state = threading.Lock()
        self._seq = 4_900_000_000_000_000

    @property
    def secret(self) -> dict[str, str]:
        return {"access_token": self.access_token}

    @staticmethod
    def error(code: int, message: str | None = None, status: int = 400) -> Reply:
        return Reply(json=error_body(code, message), status=status)

    def expire_token(self) -> None:
        with self._state:
            for token in self.tokens:
                self.tokens[token] = 0.0

    def _token_info(self, request: RequestRecord) -> Response:
        token = request.form.get("access_token") or ""
        with self._state:
            expiry = self.tokens.get(token)
        if expiry is None:
            return self._fail(21332, 401)
        left = int(expiry - self.clock())
        if left <= 0:
            return self._fail(21327, 401)
        return Response.json(
            {
                "uid": self.uid,
                "appkey": "1234567890",
                "scope": "all",
                "create_at": self.token_created,
                "expire_in": left,
            }
        )

    def _fail(self, code: int, status: int = 400) -> Response:
        return Response.json(error_body(code), status)

    def handle(self, request: RequestRecord) -> Response:
        if request.path == TOKEN_INFO and request.method == "POST":
            return self._token_info(request)
        if request.path != SHARE:
            return Response.json(error_body(10020, "Request api not found!"), 404)
        if request.method != "POST":
            return Response.json(error_body(10021, "HTTP method is not suported"), 405)
        token = request.form.get("access_token") or ""
        with self._state:
            expiry = self.tokens.get(token)
        if expiry is None:
            return self._fail(21332, 401)
        if expiry <= self.clock():
            return self._fail(21327, 401)
        text = request.form.get("status")
        if not text:
            return self._fail(10016)
        rip = request.form.get("rip") or ""
        if not rip:
            return Response.json(error_body(10016, "Miss required parameter (rip)"), 400)
        try:
            ipaddress.ip_address(rip)
        except ValueError:
            return Response.json(error_body(10017, "Parameter (rip)'s value invalid"), 400)
        if weibo_length(text) > 140:
            return self._fail(20012)
        if _TOPIC.search(text):
            return Response.json(error_body(10017, "status must not contain #topic#"), 400)
        hosts = [(urlsplit(u).hostname or "") for u in _URL.findall(text)]
        if not any(h == self.safe_domain or h.endswith("." + self.safe_domain) for h in hosts):
            return self._fail(10017)
        pic = request.files.get("pic")
        if request.files and pic is None:
            return self._fail(10016)
        if pic is not None:
            data = request.extra.get("file_data", {}).get("pic", b"")
            if not data.startswith((b"\xff\xd8", b"\x89PNG", b"GIF8")):
                return Response.json(error_body(10007, "Unsupport mediatype"), 400)
            if pic.size >= 5 * 1024 * 1024:
                return self._fail(20006)
        with self._state:
            if self._last_text.get(self.uid) == text:
                return self._fail(20019)
            self._last_text[self.uid] = text
            self._seq += 1
            status_id = self._seq
        status = {
            "created_at": time.strftime("%a %b %d %H:%M:%S +0800 %Y"),
            "id": status_id,
            "idstr": str(status_id),
            "mid": str(status_id),
            "text": text,
            "source": "matrixpub",
            "user": {"id": self.uid, "idstr": str(self.uid), "screen_name": "测试政务号"},
        }
        if pic is not None:
            status["original_pic"] = f"http://ww1.sinaimg.cn/large/{pic.sha256[:20]}.jpg"
        with self._state:
            self.statuses.append(status)
        self.deliver(text)
        return Response.json(status)

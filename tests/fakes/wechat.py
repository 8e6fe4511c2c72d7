"""A fake WeChat official-account API (api.weixin.qq.com) for the wechat channels.

It speaks the real shapes: ``GET /cgi-bin/token``, ``POST /cgi-bin/stable_token``,
``POST /cgi-bin/media/uploadimg``, ``POST /cgi-bin/material/add_material``,
``POST /cgi-bin/draft/add``, ``POST /cgi-bin/freepublish/submit``,
``POST /cgi-bin/freepublish/get``, ``POST /cgi-bin/freepublish/batchget`` and
``GET /cgi-bin/get_api_domain_ip``, answering
``{"errcode": N, "errmsg": "..."}`` with HTTP 200 as WeChat does. It issues access tokens
and checks them (unknown → 40001, expired → 42001, missing → 41001), checks the article
limits, and keeps what it was given: materials, body pictures, drafts and publishes.

Tokens follow the platform's rules (PLATFORMS.md): every ``GET cgi-bin/token`` gives a new
token and the previous ones of that kind stop working 5 minutes later; ``stable_token``
gives the same token while it is valid, is isolated from ``cgi-bin/token``, and only
``force_refresh`` replaces it (the old one, again, works 5 more minutes). Time comes from
``clock`` (``time.monotonic`` unless a test passes a :class:`~tests.fakes.clock.FakeClock`),
so a test moves the clock instead of sleeping. ``ip_whitelist``, when set, refuses every
call with 40164 (the fake's callers are all 127.0.0.1).

Faults: ``fake.inject(path, fake.error(45009))`` answers that errcode; the generic
``Status``, ``Slow``, ``Drop``, ``Acted`` (acts, then a gateway answers 502) and ``Held``
(acts, answers when the test lets it) from :mod:`tests.fakes.server` work on every path.
``publishing_polls`` keeps a publish at status 1 for that many ``freepublish/get`` calls;
``final_status`` decides how it ends (0 success, 2-6 the failures).

``deliveries`` counts ``freepublish/submit`` per article (title + content digest), so a
test can assert an article was published exactly once.
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeServer, Reply, RequestRecord, Response, UploadedFile

ERRMSGS = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40007: "invalid media_id",
    40013: "invalid appid",
    40125: "invalid appsecret",
    41001: "access_token missing",
    42001: "access_token expired",
    44002: "empty post data",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45009: "reach max api daily quota limit",
    45028: "has no publish quota",
    40164: "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist",
    45110: "author size out of limit",
    47001: "data format error",
    53503: "该草稿未通过发布检查",
    53504: "需前往公众平台官网使用草稿",
    53505: "请手动保存成功后再发表",
}

_IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]*)"')


def article_digest(article: dict[str, Any]) -> str:
    """What ``deliveries`` counts by: the title and content of one article."""
    text = f"{article.get('title', '')}\n{article.get('content', '')}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Publish:
    publish_id: str
    media_id: str
    articles: list[dict[str, Any]]
    polls_left: int
    final_status: int
    article_id: str
    url: str
    polls: int = 0
    at: float = field(default_factory=time.time)


@dataclass
class Account:
    appid: str
    appsecret: str
    tokens: dict[str, float] = field(default_factory=dict)  # token → expiry (monotonic)
    kinds: dict[str, str] = field(default_factory=dict)  # token → "basic" | "stable"


GRACE = 300.0  # seconds a replaced token keeps working ("5分钟内，新老access_token都可用")


class FakeWeChat(FakeServer):
    def __init__(
        self,
        *,
        appid: str = "wxfake00000001",
        appsecret: str | None = None,
        token_ttl: int = 7200,
        publishing_polls: int = 0,
        final_status: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.ip_whitelist: set[str] | None = None  # None: every caller may call
        self.appid = appid
        self.appsecret = appsecret or "sk-" + secrets.token_hex(16)
        self.token_ttl = token_ttl
        self.publishing_polls = publishing_polls
        self.final_status = final_status
        self.accounts: dict[str, Account] = {appid: Account(appid, self.appsecret)}
        self.materials: dict[str, UploadedFile] = {}
        self.body_images: dict[str, UploadedFile] = {}  # url → file
        self.drafts: dict[str, list[dict[str, Any]]] = {}
        self.publishes: dict[str, Publish] = {}
        self.published: list[dict[str, Any]] = []  # articles, in publish order
        self._state = threading.Lock()
        self._seq = 0

    # -- test controls --------------------------------------------------------------------
    @property
    def secret(self) -> dict[str, str]:
        """The credentials as an account's secret block holds them."""
        return {"appid": self.appid, "appsecret": self.appsecret}

    @staticmethod
    def error(errcode: int, errmsg: str | None = None) -> Reply:
        rid = secrets.token_hex(6)
        return Reply(
            json={
                "errcode": errcode,
                "errmsg": f"{errmsg or ERRMSGS.get(errcode, 'error')} rid: {rid}",
            }
        )

    def expire_tokens(self) -> None:
        """Every issued token expires now (the next call answers 42001)."""
        with self._state:
            for account in self.accounts.values():
                for token in account.tokens:
                    account.tokens[token] = 0.0

    def revoke_tokens(self) -> None:
        """Forget every issued token (the next call answers 40001)."""
        with self._state:
            for account in self.accounts.values():
                account.tokens.clear()
                account.kinds.clear()

    def token_valid(self, token: str) -> bool:
        """Whether a call with ``token`` would be accepted now."""
        with self._state:
            return any(
                token in a.tokens and a.tokens[token] > self.clock() for a in self.accounts.values()
            )

    def delivery_count(self, title: str) -> int:
        """How many times an article with this title was submitted for publishing."""
        with self._state:
            return sum(1 for a in self.published if a.get("title") == title)

    # -- protocol -------------------------------------------------------------------------
    def _next(self) -> int:
        with self._state:
            self._seq += 1
            return self._seq

    @staticmethod
    def _err(errcode: int, errmsg: str | None = None) -> Response:
        rid = secrets.token_hex(6)
        return Response.json(
            {"errcode": errcode, "errmsg": f"{errmsg or ERRMSGS.get(errcode, 'error')} rid: {rid}"}
        )

    def _account_for(self, token: str | None) -> Account | Response:
        if not token:
            return self._err(41001)
        with self._state:
            for account in self.accounts.values():
                if token in account.tokens:
                    if account.tokens[token] <= self.clock():
                        return self._err(42001)
                    return account
        return self._err(40001)

    def handle(self, request: RequestRecord) -> Response:
        path = request.path
        if self.ip_whitelist is not None and "127.0.0.1" not in self.ip_whitelist:
            return self._err(40164)
        if path == "/cgi-bin/token" and request.method == "GET":
            return self._token(request)
        if path == "/cgi-bin/stable_token" and request.method == "POST":
            return self._stable_token(request)
        if path == "/cgi-bin/get_api_domain_ip" and request.method == "GET":
            account = self._account_for(request.query.get("access_token"))
            if isinstance(account, Response):
                return account
            return Response.json({"ip_list": ["101.226.103.0/25", "101.226.233.128/25"]})
        routes = {
            "/cgi-bin/media/uploadimg": self._uploadimg,
            "/cgi-bin/material/add_material": self._add_material,
            "/cgi-bin/draft/add": self._draft_add,
            "/cgi-bin/freepublish/submit": self._submit,
            "/cgi-bin/freepublish/get": self._get,
            "/cgi-bin/freepublish/batchget": self._batchget,
        }
        route = routes.get(path)
        if route is None or request.method != "POST":
            return Response.json({"errcode": 404, "errmsg": "api not found"}, 404)
        account = self._account_for(request.query.get("access_token"))
        if isinstance(account, Response):
            return account
        return route(request, account)

    def _token(self, request: RequestRecord) -> Response:
        query = request.query
        if query.get("grant_type") != "client_credential":
            return self._err(40002)
        account = self.accounts.get(query.get("appid", ""))
        if account is None:
            return self._err(40013)
        if query.get("secret") != account.appsecret:
            return self._err(40125)
        return Response.json(self._issue(account, "basic"))

    def _issue(self, account: Account, kind: str) -> dict[str, Any]:
        """A new token of ``kind``; the account's earlier ones of that kind die in 5 min."""
        token = secrets.token_urlsafe(32)
        with self._state:
            now = self.clock()
            for old, old_kind in account.kinds.items():
                if old_kind == kind:
                    account.tokens[old] = min(account.tokens[old], now + GRACE)
            account.tokens[token] = now + self.token_ttl
            account.kinds[token] = kind
        return {"access_token": token, "expires_in": self.token_ttl}

    def _stable_token(self, request: RequestRecord) -> Response:
        body = request.json if isinstance(request.json, dict) else {}
        if body.get("grant_type") != "client_credential":
            return self._err(40002)
        account = self.accounts.get(str(body.get("appid") or ""))
        if account is None:
            return self._err(40013)
        if body.get("secret") != account.appsecret:
            return self._err(40125)
        if not body.get("force_refresh"):
            with self._state:
                now = self.clock()
                current = [
                    (expiry, token)
                    for token, expiry in account.tokens.items()
                    if account.kinds.get(token) == "stable" and expiry > now
                ]
            if current:  # the same token while it is valid
                expiry, token = max(current)
                return Response.json({"access_token": token, "expires_in": int(expiry - now)})
        return Response.json(self._issue(account, "stable"))

    @staticmethod
    def _image(request: RequestRecord) -> tuple[UploadedFile, bytes] | Response:
        upload = request.files.get("media")
        data = request.extra.get("file_data", {}).get("media", b"")
        if upload is None:
            return Response.json({"errcode": 41005, "errmsg": "media data missing"})
        if not (data.startswith(b"\xff\xd8") or data.startswith(b"\x89PNG")):
            return Response.json({"errcode": 40005, "errmsg": "invalid file type"})
        return upload, data

    def _uploadimg(self, request: RequestRecord, account: Account) -> Response:
        image = self._image(request)
        if isinstance(image, Response):
            return image
        upload, _ = image
        if upload.size >= 1024 * 1024:
            return Response.json({"errcode": 40009, "errmsg": "invalid image size"})
        # As long as a real one: an 86-character id and WeChat's query (PLATFORMS.md).
        media = (upload.sha256 + hashlib.sha256(upload.sha256.encode()).hexdigest())[:86]
        url = f"http://mmbiz.qpic.cn/sz_mmbiz_jpg/{media}/0?wx_fmt=jpeg&from=appmsg"
        with self._state:
            self.body_images[url] = upload
        return Response.json({"url": url})

    def _add_material(self, request: RequestRecord, account: Account) -> Response:
        if request.query.get("type") != "image":
            return Response.json({"errcode": 40004, "errmsg": "invalid media type"})
        image = self._image(request)
        if isinstance(image, Response):
            return image
        upload, _ = image
        media_id = f"MATERIAL_{self._next()}_{upload.sha256[:8]}"
        with self._state:
            self.materials[media_id] = upload
        return Response.json(
            {"media_id": media_id, "url": f"http://mmbiz.qpic.cn/mmbiz_jpg/{media_id}/0"}
        )

    def _draft_add(self, request: RequestRecord, account: Account) -> Response:
        if b"\\u" in request.body and re.search(rb"\\u[0-9a-fA-F]{4}", request.body):
            # "注意不要使用Unicode转义格式": the real platform shows the escapes as text.
            return self._err(47001, "data format error: send UTF-8 text, not \\uXXXX escapes")
        if not isinstance(request.json, dict):
            return self._err(44002)
        articles = request.json.get("articles")
        if not isinstance(articles, list) or not articles:
            return self._err(47001)
        for article in articles:
            title = article.get("title") or ""
            content = article.get("content") or ""
            if not title or len(title) > 32:
                return self._err(45003)
            if len(article.get("author") or "") > 16:
                return self._err(45110)
            if len(article.get("digest") or "") > 128:
                return self._err(45004)
            if not content or len(content) >= 20_000 or len(content.encode()) >= 1024 * 1024:
                return self._err(45002)
            if len((article.get("content_source_url") or "").encode()) > 1024:
                return self._err(45005, "url size out of limit")
            if article.get("thumb_media_id") not in self.materials:
                return self._err(40007)
        # WeChat filters out pictures it does not host; keep what it would show.
        kept = []
        for article in articles:
            stored = dict(article)
            stored["external_images"] = [
                src
                for src in map(html.unescape, _IMG_SRC.findall(article["content"]))
                if src not in self.body_images
            ]
            kept.append(stored)
        media_id = f"DRAFT_{self._next()}_{secrets.token_hex(4)}"
        with self._state:
            self.drafts[media_id] = kept
        return Response.json({"media_id": media_id, "item": []})

    def _submit(self, request: RequestRecord, account: Account) -> Response:
        media_id = (request.json or {}).get("media_id")
        with self._state:
            articles = self.drafts.pop(str(media_id), None)  # published drafts leave the box
        if articles is None:
            return self._err(40007)
        publish_id = str(100_000_000 + self._next())
        entry = Publish(
            publish_id=publish_id,
            media_id=str(media_id),
            articles=articles,
            polls_left=self.publishing_polls,
            final_status=self.final_status,
            article_id=f"ARTICLE_{publish_id}",
            url=f"https://mp.weixin.qq.com/s/{secrets.token_urlsafe(16)}",
        )
        with self._state:
            self.publishes[publish_id] = entry
            self.published.extend(articles)
        for article in articles:
            self.deliver(article_digest(article))
        return Response.json(
            {"errcode": 0, "errmsg": "ok", "publish_id": publish_id, "msg_data_id": self._next()}
        )

    def _batchget(self, request: RequestRecord, account: Account) -> Response:
        """The published articles, newest first (those still publishing are not listed)."""
        body = request.json or {}
        offset, count = int(body.get("offset") or 0), int(body.get("count") or 0)
        if not 1 <= count <= 20:
            return self._err(40001 if count > 20 else 47001, "count must be 1 to 20")
        with self._state:
            done = [p for p in self.publishes.values() if p.polls_left == 0 and p.final_status == 0]
        done.sort(key=lambda p: p.at, reverse=True)
        items = [
            {
                "article_id": p.article_id,
                "update_time": int(p.at),
                "content": {
                    "news_item": [
                        {
                            "title": a.get("title"),
                            "thumb_media_id": a.get("thumb_media_id"),
                            "url": p.url + (f"?idx={i + 1}" if i else ""),
                            "is_deleted": False,
                            **({} if body.get("no_content") else {"content": a.get("content")}),
                        }
                        for i, a in enumerate(p.articles)
                    ],
                    "create_time": int(p.at),
                    "update_time": int(p.at),
                },
            }
            for p in done[offset : offset + count]
        ]
        return Response.json({"total_count": len(done), "item_count": len(items), "item": items})

    def _get(self, request: RequestRecord, account: Account) -> Response:
        publish_id = str((request.json or {}).get("publish_id"))
        with self._state:
            entry = self.publishes.get(publish_id)
            if entry is None:
                return self._err(40007, "invalid publish_id")
            entry.polls += 1
            if entry.polls_left > 0:
                entry.polls_left -= 1
                return Response.json(
                    {"publish_id": publish_id, "publish_status": 1, "fail_idx": []}
                )
        if entry.final_status == 0:
            return Response.json(
                {
                    "publish_id": publish_id,
                    "publish_status": 0,
                    "article_id": entry.article_id,
                    "article_detail": {
                        "count": len(entry.articles),
                        "item": [
                            {
                                "idx": i + 1,
                                "article_url": entry.url + (f"?idx={i + 1}" if i else ""),
                            }
                            for i in range(len(entry.articles))
                        ],
                    },
                    "fail_idx": [],
                }
            )
        return Response.json(
            {
                "publish_id": publish_id,
                "publish_status": entry.final_status,
                "fail_idx": list(range(1, len(entry.articles) + 1)),
            }
        )

"""WeChat official accounts (微信公众号): 订阅号 ``wechat_oa`` and 服务号 ``wechat_service``.

One adapter, two specs: the accounts differ in their mass-send quota (订阅号 one a day,
服务号 four a month), not in the protocol. Articles go out through 发布能力
(``freepublish``), which publishes without a push and uses no mass-send quota; the
quota is still recorded in the spec for the planner.

The protocol (developers.weixin.qq.com, 公众号 › 草稿箱 / 发布能力 / 素材管理)::

    POST /cgi-bin/stable_token   {"grant_type": "client_credential", "appid": APPID,
                                  "secret": APPSECRET, "force_refresh": false}
         → {"access_token": T, "expires_in": 7200}
         the same token while it is valid, for every process that asks; never the plain
         GET /cgi-bin/token, whose every call cuts off (after 5 minutes) the token that
         other processes and the account's other systems hold
    POST /cgi-bin/media/uploadimg?access_token=T            multipart "media" (jpg/png < 1 MB)
         → {"url": ...}             a body picture; WeChat filters out pictures it does not host
    POST /cgi-bin/material/add_material?access_token=T&type=image   multipart "media"
         → {"media_id": M, "url": ...}   the cover, a permanent material: the thumb_media_id
    POST /cgi-bin/draft/add?access_token=T        {"articles": [{title, content, ...}]}
         → {"media_id": D}
    POST /cgi-bin/freepublish/submit?access_token=T    {"media_id": D}
         → {"errcode": 0, "publish_id": P}              publishing is asynchronous
    POST /cgi-bin/freepublish/get?access_token=T       {"publish_id": P}
         → {"publish_status": S, "article_id": ..., "article_detail": {"item": [{"article_url"}]}}
         S: 0 published, 1 publishing, 2 原创声明失败, 3 常规失败, 4 平台审核不通过,
            5 成功后用户删除所有文章, 6 成功后系统封禁所有文章
    POST /cgi-bin/freepublish/batchget?access_token=T  {"offset", "count" ≤ 20, "no_content"}
         → {"total_count", "item_count", "item": [{"article_id", "update_time",
            "content": {"news_item": [{"title", "thumb_media_id", "url", ...}]}}]}
            the published articles, newest first (a publish in progress is not listed)

Errors come back as HTTP 200 with ``{"errcode": N, "errmsg": "..."}``:

    40001 / 40014 / 42001   the access token is invalid or expired: the cached token is
                            dropped, stable_token asked again and the call repeated; if that
                            fresh token is refused too, stable_token with force_refresh (the
                            only time it is used: it cuts off every holder's token), and a
                            refusal after that is a PermanentDeliveryError ("rejected the
                            credentials"). A refused token means the call was not acted on,
                            so repeating even ``draft/add`` or ``freepublish/submit`` is safe
    -1 (system busy)        TransientDeliveryError on a step safe to repeat; OutcomeUnknown
                            after ``draft/add`` or ``freepublish/submit`` (it may have acted)
    45009                   AccountHeld until the next midnight in Beijing: "reach max api
                            daily quota limit" is a daily quota, so the account's posts wait
                            for the reset instead of backing off and trying five times
    40164                   AccountHeld until a person acts: this server's IP address is not
                            on the account's IP whitelist
    45028                   PermanentDeliveryError: no publish quota
    53503                   PermanentDeliveryError: the draft did not pass the publish check
    53504 / 53505           PermanentDeliveryError: a person must finish it on mp.weixin.qq.com
    anything else           PermanentDeliveryError with the code and errmsg

An account with no appid and appsecret on record gets nothing sent: like Weibo without its
login, its posts wait in a paused queue (AccountHeld, ``NO_CREDENTIALS``), with an alert
(``wechat_credentials``) saying how to store them.

Transport failures follow :mod:`channels.http`: the token call, uploads and status
queries are safe to repeat (TransientDeliveryError); ``draft/add`` and
``freepublish/submit`` are not (OutcomeUnknown when the answer is lost, or when HTTP 408,
5xx or errcode -1 comes back: a gateway may answer so after WeChat published).

Reconciliation (:meth:`WeChatChannel.reconcile`, read only): a post whose outcome is
unknown is looked up with ``freepublish/get`` when its ``publish_id`` is known, else —
when only the time of submission is — with ``freepublish/batchget``, for an article
published since then with the same title and cover material.

Idempotency: WeChat takes no idempotency key. The key is recorded in the receipt; a
retried publish after a *definite* failure creates a new draft again (drafts are private,
so a failed attempt only leaves an unused draft behind), but never uploads a picture again:
each body picture's URL and the cover's permanent ``media_id`` are kept per account and
picture hash in the :class:`~channels.base.MediaStore` the flows pass (a cover material
deleted on mp.weixin.qq.com, 40007 at ``draft/add``, is uploaded once more). Once
``freepublish/submit`` may have been sent, the adapter raises OutcomeUnknown and never
submits again on its own; the error carries ``data`` (the draft ``media_id``) so a person
or a reconciler can look the post up.

Rendering decisions (:meth:`WeChatChannel.render` is pure and never fetches):

- Body pictures must be attached to the draft and referenced from the Markdown by their
  name (``![说明](chart.png)``); each becomes a variant image ``image-N`` and the content
  refers to it as ``image-N.jpg`` until publish uploads it with ``uploadimg`` and puts the
  returned URL in its place. The content's length limits are measured with each
  placeholder counted as an uploaded URL (``UPLOADED_URL_CHARS``), as WeChat will see it.
  Pictures referenced by an http(s) URL are external: WeChat would drop them, and
  fetching them here would make rendering impure, so they are removed from the content
  *and* reported as a violation the author must fix (attach the picture instead). A name
  with no attached picture is a violation as well.
- Links: only WeChat articles (``mp.weixin.qq.com``) stay links. Every other anchor is
  unwrapped to its text and its URL listed under "相关链接" at the end of the article;
  the website article (``RenderInput.website_url``), else the first such link, becomes
  the 阅读原文 ``content_source_url``.
- The digest defaults to the first 54 characters of the plain-text body (WeChat's own
  documented rule, so it is not a violation); limits are never cut, only reported.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    CountUnit,
    CredentialCheck,
    DeliveryKind,
    DeliveryState,
    Form,
    ImageSpec,
    Measure,
    MediaStore,
    MemoryMediaStore,
    Quota,
    Receipt,
    RenderInput,
    Target,
    Variant,
    VariantImage,
    Violation,
)
from channels.counting import count
from channels.http import (
    Step,
    exchange,
    json_answer,
    protect_logs,
    raise_busy,
    raise_for_transient_status,
    redact,
    short,
)
from channels.images import ImageProblem, fit
from channels.markup import first_chars, markdown_to_html, markdown_to_text
from channels.rendering import render_template
from domain.errors import (
    AccountHeld,
    DeliveryError,
    OutcomeUnknown,
    PermanentDeliveryError,
    PublishRefused,
    TransientDeliveryError,
)

API_HOST = "https://api.weixin.qq.com"

COVER = ImageSpec(ratio=(235, 100), max_width=900, max_height=383, max_bytes=1_000_000)
BODY_IMAGE = ImageSpec(ratio=None, max_width=1080, max_bytes=1_000_000)  # uploadimg: < 1 MB

AUTHOR_MAX = 16
CONTENT_MAX_CHARS = 19_999  # "必须少于2万字符"
CONTENT_MAX_BYTES = 1_048_575  # "小于1M"
SOURCE_URL_MAX_BYTES = 1_024  # content_source_url "大小不可超过1 kb"
DIGEST_DEFAULT_CHARS = 54  # "如果本字段为没有填写，则默认抓取正文前54个字"
WECHAT_ARTICLE_HOSTS = frozenset({"mp.weixin.qq.com"})

SPEC_OA = ChannelSpec(
    key="wechat_oa",
    label="微信订阅号",
    delivery=DeliveryKind.API,
    form=Form.ARTICLE,
    count_unit=CountUnit.CHARS,
    title_max=32,
    summary_max=128,
    body_max=CONTENT_MAX_CHARS,
    cover=COVER,
    max_images=21,  # the cover and up to 20 body pictures (our own bound, not WeChat's)
    quota=Quota(1, "day"),  # mass send (群发); freepublish itself uses none
    template="wechat_oa.html.j2",
)
SPEC_SERVICE = ChannelSpec(
    key="wechat_service",
    label="微信服务号",
    delivery=DeliveryKind.API,
    form=Form.ARTICLE,
    count_unit=CountUnit.CHARS,
    title_max=32,
    summary_max=128,
    body_max=CONTENT_MAX_CHARS,
    cover=COVER,
    max_images=21,
    quota=Quota(4, "month"),
    template="wechat_service.html.j2",  # extends the 订阅号 layout
)

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
BUSY = -1  # "system error": transient only where the step is safe to repeat
DAILY_QUOTA = 45009  # "reach max api daily quota limit"
IP_NOT_WHITELISTED = 40164  # "invalid ip ..., not in whitelist"
INVALID_MEDIA_ID = 40007
QUOTA_ZONE = ZoneInfo("Asia/Shanghai")  # WeChat's daily quotas reset at midnight there
UPLOADIMG = "wechat.uploadimg"  # MediaStore kinds: a body picture's URL...
MATERIAL = "wechat.material"  # ...and a cover's permanent media_id
KNOWN_REFUSALS = {
    45028: "no publish quota left",
    53503: "the draft did not pass the publish check",
    53504: "the draft must be published from the mp.weixin.qq.com console (manual confirmation)",
    53505: "the draft must be saved by hand on mp.weixin.qq.com before it can be published",
    40007: "the media_id is not valid",
    45002: "the content is too long",
    45003: "the title is too long",
    45004: "the digest is too long",
    48001: "the account has no permission for this API (publishing needs a verified account)",
}
PUBLISH_FAILURES = {
    2: "原创声明失败 (original-content declaration failed)",
    3: "常规失败 (publishing failed)",
    4: "平台审核不通过 (rejected by platform review)",
    5: "成功后用户删除所有文章 (deleted by the account after publishing)",
    6: "成功后系统封禁所有文章 (banned by the platform after publishing)",
}
MAX_BODY_IMAGES = 20
BATCHGET_PAGES = 3  # reconciliation looks back at most 60 published articles
# How long an uploaded body picture's URL is once it stands in the content, escaped:
# http://mmbiz.qpic.cn/sz_mmbiz_jpg/<86-character id>/0?wx_fmt=jpeg&amp;from=appmsg — about
# 140 characters longer than the placeholder (image-1.jpg) it replaces (PLATFORMS.md).
UPLOADED_URL_CHARS = 150


# What a post of an account with no stored appid and appsecret waits for (read in the
# reader's language through console/stored.py's templates).
NO_CREDENTIALS = (
    "the WeChat account has no credentials (appid and appsecret) on record, so nothing is "
    "sent to it: store them with `matrixpub account credentials {account_id} --secret-block "
    "NAME --value appid=... --value appsecret=... --test`, then let its queue run again with "
    "`matrixpub account unpause {account_id} --reason ...`"
)


@dataclass(frozen=True)
class _Credentials:
    appid: str
    appsecret: str

    @staticmethod
    def complete(secret: Mapping[str, str] | None) -> bool:
        return bool((secret or {}).get("appid") and (secret or {}).get("appsecret"))

    @classmethod
    def of(cls, secret: Mapping[str, str] | None, target: Target) -> _Credentials:
        if not cls.complete(secret):
            # As with Weibo without its login: nothing was sent, and the account's posts
            # wait in a paused queue for a person to store them, rather than fail.
            raise AccountHeld(
                NO_CREDENTIALS.format(account_id=target.account_id), kind="wechat_credentials"
            )
        assert secret is not None
        return cls(secret["appid"], secret["appsecret"])


def next_daily_reset(now: datetime) -> datetime:
    """The next midnight in Beijing after ``now``, in UTC: when WeChat's daily quotas reset."""
    local = now.astimezone(QUOTA_ZONE)
    midnight = datetime.combine(local.date() + timedelta(days=1), dt_time(0), QUOTA_ZONE)
    return midnight.astimezone(UTC)


class TokenCache:
    """Access tokens per appid, kept until shortly before they expire. Thread-safe:
    one fetch per appid at a time, so a burst of sends fetches one token."""

    MARGIN = 300.0  # seconds taken off the platform's expires_in

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}
        self._fetching: dict[str, threading.Lock] = {}

    def get(self, appid: str, fetch: Callable[[], tuple[str, float]]) -> str:
        token = self._valid(appid)
        if token:
            return token
        with self._lock:
            fetching = self._fetching.setdefault(appid, threading.Lock())
        with fetching:
            token = self._valid(appid)  # another thread may have fetched it meanwhile
            if token:
                return token
            token, expires_in = fetch()
            self.put(appid, token, expires_in)
            return token

    def _valid(self, appid: str) -> str | None:
        with self._lock:
            entry = self._tokens.get(appid)
        if entry and entry[1] > time.monotonic():
            return entry[0]
        return None

    def put(self, appid: str, token: str, expires_in: float) -> None:
        margin = min(self.MARGIN, expires_in / 2)
        with self._lock:
            self._tokens[appid] = (token, time.monotonic() + expires_in - margin)

    def drop(self, appid: str, token: str) -> None:
        """Forget ``token`` unless another thread has already replaced it."""
        with self._lock:
            entry = self._tokens.get(appid)
            if entry and entry[0] == token:
                del self._tokens[appid]


# -- rendering ----------------------------------------------------------------------------


def _is_wechat_article(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in WECHAT_ARTICLE_HOSTS


def _is_external(src: str) -> bool:
    return src.startswith("//") or urlsplit(src).scheme != ""


class _ContentRewriter(HTMLParser):
    """Rebuilds sanitised HTML with WeChat's link and picture rules applied.

    The input is nh3's output, so it is well formed; text and attribute values are
    escaped again on the way out.
    """

    def __init__(self, image_src: Callable[[str], str | None]) -> None:
        super().__init__(convert_charrefs=True)
        self._image_src = image_src
        self._out: list[str] = []
        self._anchors: list[tuple[str, list[str]] | None] = []  # None: a kept WeChat link
        self.links: list[tuple[str, str]] = []  # (text, url) of unwrapped anchors

    @staticmethod
    def _tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts = [tag]
        for name, value in attrs:
            parts.append(name if value is None else f'{name}="{html.escape(value)}"')
        return "<" + " ".join(parts) + ">"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if _is_wechat_article(href):
                self._anchors.append(None)
            else:
                self._anchors.append((href, []))
                return
        elif tag == "img":
            src = self._image_src(dict(attrs).get("src") or "")
            if src is None:
                return
            attrs = [(name, src if name == "src" else value) for name, value in attrs]
        self._out.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchors:
            entry = self._anchors.pop()
            if entry is not None:
                href, text = entry
                if href:
                    self.links.append((" ".join("".join(text).split()), href))
                return
        self._out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        for entry in self._anchors:
            if entry is not None:
                entry[1].append(data)
        self._out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self._out)


class _BodyPictures:
    """Decides what each ``<img src>`` of the body becomes (see the module docstring)."""

    def __init__(self, attached: Mapping[str, bytes]) -> None:
        self.attached = attached
        self.images: list[VariantImage] = []
        self.violations: list[Violation] = []
        self._placed: dict[str, VariantImage] = {}

    def _refuse(self, code: str, message: str) -> None:
        self.violations.append(Violation("content", code, message))

    def place(self, src: str) -> str | None:
        """The placeholder ``src`` for a picture, or None to leave the picture out."""
        if _is_external(src):
            self._refuse(
                "external_image",
                f"the picture {src} is on another site; WeChat drops such pictures. "
                "Attach the picture to the draft and refer to it by name",
            )
            return None
        if src in self._placed:
            return self._placed[src].filename
        data = self.attached.get(src)
        if data is None:
            self._refuse("missing_image", f"the picture {src!r} is not attached")
            return None
        if len(self.images) >= MAX_BODY_IMAGES:
            self._refuse("too_many_images", f"at most {MAX_BODY_IMAGES} pictures in one article")
            return None
        try:
            image = fit(data, BODY_IMAGE, role=f"image-{len(self.images) + 1}")
        except ImageProblem as exc:
            self._refuse("bad_image", f"{src}: {exc}")
            return None
        self.images.append(image)
        self._placed[src] = image
        return image.filename


def _attached_images(source: RenderInput) -> Mapping[str, bytes]:
    # Body pictures attached to the draft, by the name the Markdown uses.
    return source.images


def _author(source: RenderInput) -> str:
    return (source.author or "").strip()


def _square_crop(cover: VariantImage) -> str:
    """pic_crop_1_1: the centred square of the 2.35:1 cover, as X1_Y1_X2_Y2 fractions."""
    if not cover.width or not cover.height or cover.height >= cover.width:
        return "0_0_1_1"
    side = cover.height / cover.width
    x1 = (1 - side) / 2
    return f"{x1:.6f}_0_{x1 + side:.6f}_1"


def _with_uploaded_urls(article: str, pictures: list[VariantImage]) -> str:
    """The content as it will be sent: each placeholder as long as an uploaded URL."""
    for image in pictures:
        stand_in = "u" * UPLOADED_URL_CHARS
        article = article.replace(f'src="{image.filename}"', f'src="{stand_in}"')
    return article


def _too_long(field: str, measure: Measure, what: str) -> Violation:
    unit = "bytes" if measure.unit == "bytes" else "characters"
    return Violation(
        field,
        "too_long",
        f"the {what} has {measure.value:,} {unit}; WeChat allows {measure.limit:,}",
    )


# -- the adapter --------------------------------------------------------------------------


class WeChatChannel:
    """A WeChat official account; subclasses fix the key and spec."""

    key = "wechat"
    spec = SPEC_OA

    def __init__(self, config: ChannelConfig, *, base_url: str | None = None) -> None:
        self.config = config
        self.base_url = (base_url or API_HOST).rstrip("/")
        self.timeout = config.http_timeout
        self.tokens = TokenCache()
        self.media: MediaStore = MemoryMediaStore()  # when the flows pass no store
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        protect_logs()

    # -- format ---------------------------------------------------------------------------
    def render(self, source: RenderInput) -> Variant:
        content = source.content
        override = content.for_channel(self.key)
        title = (override.title or content.title).strip()
        body_md = override.body or content.body
        author = _author(source)
        violations: list[Violation] = []
        notes: list[str] = []

        pictures = _BodyPictures(_attached_images(source))
        rewriter = _ContentRewriter(pictures.place)
        rewriter.feed(markdown_to_html(body_md))
        body_html = rewriter.result()
        violations.extend(pictures.violations)

        links: list[dict[str, str]] = []
        for text, url in rewriter.links:
            entry = {"text": text if text and text != url else "", "url": url}
            if entry not in links:
                links.append(entry)
        web_links = [
            link["url"] for link in links if urlsplit(link["url"]).scheme in ("http", "https")
        ]
        source_url = source.website_url or (web_links[0] if web_links else "")
        if links:
            notes.append(
                f"{len(links)} 个外部链接已改为文末“相关链接”中的文字"
                "（公众号正文只能链接公众号文章）"
            )
        if source_url:
            notes.append(f"阅读原文：{source_url}")

        article = render_template(
            f"channels/{self.spec.template_name}", body_html=body_html, links=links
        )

        digest = (override.summary or content.summary or "").strip()
        if not digest:
            digest = first_chars(markdown_to_text(body_md), DIGEST_DEFAULT_CHARS)
            notes.append(f"摘要取正文前 {DIGEST_DEFAULT_CHARS} 字（微信的默认规则）")

        images: list[VariantImage] = []
        crops: dict[str, str] = {"pic_crop_235_1": "", "pic_crop_1_1": ""}
        if source.cover is None:
            violations.append(
                Violation("cover", "missing", "a WeChat article needs a cover picture")
            )
        else:
            assert self.spec.cover is not None
            try:
                cover = fit(source.cover, self.spec.cover, role="cover", focus=content.cover_focus)
            except ImageProblem as exc:
                violations.append(Violation("cover", "bad_image", str(exc)))
            else:
                images.append(cover)
                crops = {"pic_crop_235_1": "0_0_1_1", "pic_crop_1_1": _square_crop(cover)}
        images.extend(pictures.images)

        unit = self.spec.count_unit
        title_m = Measure("title", count(title, unit), self.spec.title_max, unit.value)
        author_m = Measure("author", count(author, unit), AUTHOR_MAX, unit.value)
        digest_m = Measure("digest", count(digest, unit), self.spec.summary_max, unit.value)
        # The limits apply to the content as WeChat receives it, with every placeholder
        # replaced by its uploaded picture's URL: measured so, an article signed near the
        # limit cannot be refused (45002) after approval.
        as_sent = _with_uploaded_urls(article, pictures.images)
        chars_m = Measure("content", len(as_sent), CONTENT_MAX_CHARS, "chars")
        bytes_m = Measure("content", len(as_sent.encode("utf-8")), CONTENT_MAX_BYTES, "bytes")
        if pictures.images:
            notes.append(
                f"正文长度按上传后的图片地址计算（每张图片按 {UPLOADED_URL_CHARS} 个字符）"
            )
        url_m = Measure(
            "content_source_url", len(source_url.encode("utf-8")), SOURCE_URL_MAX_BYTES, "bytes"
        )
        measures = (title_m, author_m, digest_m, chars_m, bytes_m, url_m)
        if not title:
            violations.append(Violation("title", "empty", "the title is empty"))
        for measure, what in (
            (title_m, "title"),
            (author_m, "author"),
            (digest_m, "digest"),
            (chars_m, "article"),
            (bytes_m, "article"),
            (url_m, "阅读原文 link"),
        ):
            if measure.over:
                violations.append(_too_long(measure.field, measure, what))

        return Variant(
            channel=self.key,
            fields={
                "title": title,
                "author": author,
                "digest": digest,
                "content": article,
                "content_source_url": source_url,
                "need_open_comment": "0",
                "only_fans_can_comment": "0",
                **crops,
                "notes": "\n".join(notes),
            },
            images=tuple(images),
            measures=measures,
            violations=tuple(violations),
        )

    # -- deliver --------------------------------------------------------------------------
    def publish(
        self,
        variant: Variant,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        key: str,
        http: Any,
        media: MediaStore | None = None,
    ) -> Receipt:
        """Upload the pictures the account does not hold yet, create the draft, submit it,
        and ask once how it went.

        Returns PENDING (the dispatcher calls :meth:`status` later) or PUBLISHED; raises
        PermanentDeliveryError when WeChat finally refuses the article.
        """
        if variant.violations:
            raise PermanentDeliveryError(
                f"the variant has {len(variant.violations)} unresolved problem(s); "
                "it cannot be sent"
            )
        api = _Api(self, _Credentials.of(secret, target), http)
        uploads = _Uploads(media or self.media, target.account_id)
        fields = variant.fields
        content = fields["content"]
        for image in variant.images:
            if image.role.startswith("image-"):
                url = uploads.get(UPLOADIMG, image) or uploads.put(
                    UPLOADIMG, image, api.uploadimg(image)
                )
                content = content.replace(f'src="{image.filename}"', f'src="{html.escape(url)}"')
        cover = variant.image("cover")
        if cover is None:
            raise PermanentDeliveryError("a WeChat article needs a cover picture")
        known_cover = uploads.get(MATERIAL, cover)
        thumb_media_id = known_cover or uploads.put(MATERIAL, cover, api.add_material(cover))

        article: dict[str, Any] = {
            "article_type": "news",
            "title": fields["title"],
            "author": fields.get("author", ""),
            "digest": fields.get("digest", ""),
            "content": content,
            "content_source_url": fields.get("content_source_url", ""),
            "thumb_media_id": thumb_media_id,
            "need_open_comment": int(fields.get("need_open_comment") or 0),
            "only_fans_can_comment": int(fields.get("only_fans_can_comment") or 0),
        }
        for crop in ("pic_crop_235_1", "pic_crop_1_1"):
            if fields.get(crop):
                article[crop] = fields[crop]
        draft_add = Step("WeChat", "draft/add", idempotent=False)
        try:
            draft = api.call(draft_add, "/cgi-bin/draft/add", json_body={"articles": [article]})
        except PermanentDeliveryError as exc:
            if exc.code != INVALID_MEDIA_ID or not known_cover:
                raise
            # The kept cover material is gone (deleted on mp.weixin.qq.com): upload it once
            # more. The refusal created no draft, so asking again is safe.
            uploads.forget(MATERIAL, cover)
            thumb_media_id = uploads.put(MATERIAL, cover, api.add_material(cover))
            article["thumb_media_id"] = thumb_media_id
            draft = api.call(draft_add, "/cgi-bin/draft/add", json_body={"articles": [article]})
        media_id = str(draft.get("media_id") or "")
        if not media_id:
            raise OutcomeUnknown("WeChat draft/add answered without a media_id")
        progress = {
            "key": key,
            "media_id": media_id,
            "thumb_media_id": thumb_media_id,
            "title": fields["title"],  # to find it again if the submit's answer is lost
        }
        try:
            submitted = api.call(
                Step("WeChat", "freepublish/submit", idempotent=False),
                "/cgi-bin/freepublish/submit",
                json_body={"media_id": media_id},
            )
        except DeliveryError as exc:
            exc.data.update(progress)  # for reconciliation
            raise
        publish_id = str(submitted.get("publish_id") or "")
        if not publish_id:
            raise OutcomeUnknown(
                "WeChat freepublish/submit answered without a publish_id", data=progress
            )
        receipt = Receipt(
            state=DeliveryState.PENDING,
            external_id=publish_id,
            detail="submitted; WeChat is publishing",
            data={**progress, "publish_id": publish_id},
        )
        try:
            return api.poll(receipt)
        except _PublishFailed:
            raise
        except DeliveryError:
            return receipt  # submitted all the same: status() asks again later

    def check_credentials(
        self, target: Target, *, secret: Mapping[str, str] | None, http: Any
    ) -> CredentialCheck:
        """Fetch an access token (stable_token) and make the cheapest call that needs one,
        ``GET cgi-bin/get_api_domain_ip``: the appid and appsecret work, from this
        server's address (40164 otherwise)."""
        if not _Credentials.complete(secret):
            return CredentialCheck(
                ok=False,
                detail="the WeChat account has no credentials (appid and appsecret) on record",
            )
        try:
            api = _Api(self, _Credentials.of(secret, target), http)
            api.call(
                Step("WeChat", "get_api_domain_ip", idempotent=True),
                "/cgi-bin/get_api_domain_ip",
                method="GET",
            )
        except DeliveryError as exc:
            return CredentialCheck.failed(exc)
        return CredentialCheck(
            ok=True,
            detail="WeChat issued an access token and answered get_api_domain_ip: the appid "
            "and appsecret work from this server's address",
        )

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        http: Any,
    ) -> Receipt:
        """Ask ``freepublish/get`` once: PENDING while publishing, PUBLISHED with the
        article URL when done; a final failure raises PermanentDeliveryError."""
        if receipt.state is not DeliveryState.PENDING:
            return receipt
        return _Api(self, _Credentials.of(secret, target), http).poll(receipt)

    def reconcile(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        http: Any,
        since: datetime,
    ) -> Receipt | None:
        """Look up a send whose outcome is unknown (see the module docstring). Returns a
        PUBLISHED or PENDING receipt when WeChat has the article, None when it cannot tell:
        finding nothing is no proof it did not go out. A final failure of a known publish
        raises :class:`PublishRefused`."""
        data = dict(receipt.data)
        api = _Api(self, _Credentials.of(secret, target), http)
        publish_id = str(data.get("publish_id") or "")
        if publish_id:
            pending = Receipt(DeliveryState.PENDING, external_id=publish_id, data=data)
            return api.poll(pending)
        thumb, title = data.get("thumb_media_id"), data.get("title")
        if not thumb or not title:
            return None  # the draft was never created, or not known: nothing to look for
        oldest = since.timestamp() - 300  # the platform's clock may run a little behind
        step = Step("WeChat", "freepublish/batchget", idempotent=True)
        for offset in range(0, BATCHGET_PAGES * 20, 20):
            answer = api.call(
                step,
                "/cgi-bin/freepublish/batchget",
                json_body={"offset": offset, "count": 20, "no_content": 1},
            )
            items = answer.get("item") or []
            for item in items:
                for news in (item.get("content") or {}).get("news_item") or []:
                    if news.get("thumb_media_id") == thumb and news.get("title") == title:
                        return Receipt(
                            state=DeliveryState.PUBLISHED,
                            external_id=str(item.get("article_id") or "") or None,
                            url=news.get("url") or None,
                            detail="found among the published articles (freepublish/batchget)",
                            data={**data, "article_id": str(item.get("article_id") or "")},
                        )
            if not items or min(int(i.get("update_time") or 0) for i in items) < oldest:
                return None
        return None

    def wait_published(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        http: Any,
        timeout: float = 60.0,
        interval: float = 2.0,
    ) -> Receipt:
        """Poll :meth:`status` until the publish is final or ``timeout`` passes; returns
        the last receipt (still PENDING if WeChat did not finish in time)."""
        deadline = time.monotonic() + timeout
        while True:
            receipt = self.status(receipt, target, secret=secret, http=http)
            if receipt.state is not DeliveryState.PENDING:
                return receipt
            if time.monotonic() + interval > deadline:
                return receipt
            time.sleep(interval)


class WeChatOAChannel(WeChatChannel):
    """微信公众号 订阅号."""

    key = "wechat_oa"
    spec = SPEC_OA


class WeChatServiceChannel(WeChatChannel):
    """微信服务号."""

    key = "wechat_service"
    spec = SPEC_SERVICE


class _PublishFailed(PublishRefused):
    """freepublish/get reported a final failure."""


@dataclass(frozen=True)
class _Uploads:
    """The account's view of the :class:`MediaStore`: what WeChat already holds for it."""

    store: MediaStore
    account_id: int

    def get(self, kind: str, image: VariantImage) -> str | None:
        return self.store.get(self.account_id, kind, image.sha256)

    def put(self, kind: str, image: VariantImage, value: str) -> str:
        self.store.put(self.account_id, kind, image.sha256, value)
        return value

    def forget(self, kind: str, image: VariantImage) -> None:
        self.store.forget(self.account_id, kind, image.sha256)


class _Api:
    """One publish or status call's view of the API: token handling and error mapping."""

    def __init__(self, channel: WeChatChannel, credentials: _Credentials, http: Any) -> None:
        self.channel = channel
        self.credentials = credentials
        self.http = http
        self.secrets = (credentials.appsecret,)
        self._fresh: set[str] = set()  # tokens this call fetched itself (not from the cache)
        self._forced = False

    def _redact(self, text: Any, token: str = "") -> str:
        return redact(short(text), (*self.secrets, token))

    def _fetch_token(self, *, force: bool = False) -> tuple[str, float]:
        step = Step("WeChat", "stable_token", idempotent=True)
        body = {
            "grant_type": "client_credential",
            "appid": self.credentials.appid,
            "secret": self.credentials.appsecret,
            "force_refresh": force,
        }
        response = exchange(
            self.http,
            "POST",
            f"{self.channel.base_url}/cgi-bin/stable_token",
            step=step,
            timeout=self.channel.timeout,
            json=body,
        )
        answer = self._answer(response, step)
        code = int(answer.get("errcode") or 0)
        errmsg = self._redact(answer.get("errmsg", ""))
        self._raise_if_held(code, step, errmsg)
        if code == BUSY:
            raise_busy(step, f"the platform is busy ({code}, errmsg: {errmsg})", code=code)
        if code or not answer.get("access_token"):
            raise PermanentDeliveryError(
                f"WeChat rejected the credentials: {code} (errmsg: {errmsg})", code=code
            )
        token = str(answer["access_token"])
        self._fresh.add(token)
        return token, float(answer.get("expires_in") or 7200)

    def _raise_if_held(self, code: int, step: Step, errmsg: str) -> None:
        """The refusals that hold every post of the account, not just this one."""
        if code == DAILY_QUOTA:
            until = next_daily_reset(self.channel.clock())
            raise AccountHeld(
                f"WeChat {step.name}: the account's daily API quota is used up ({code}, "
                f"errmsg: {errmsg}); its posts wait for the reset at midnight Beijing time "
                f"({until.astimezone(QUOTA_ZONE):%Y-%m-%d %H:%M} +08:00)",
                kind="quota_exhausted",
                until=until,
                code=code,
            )
        if code == IP_NOT_WHITELISTED:
            raise AccountHeld(
                f"WeChat {step.name}: this server's IP address is not on the account's IP "
                f"whitelist ({code}, errmsg: {errmsg}); add it on mp.weixin.qq.com "
                "(设置与开发 › 基本配置 › IP白名单), then let the account's queue run again",
                kind="ip_not_whitelisted",
                code=code,
            )

    def _token(self) -> str:
        return self.channel.tokens.get(self.credentials.appid, self._fetch_token)

    def uploadimg(self, image: VariantImage) -> str:
        """Upload a body picture; its URL on WeChat's servers."""
        answer = self.call(
            Step("WeChat", "media/uploadimg", idempotent=True),
            "/cgi-bin/media/uploadimg",
            files={"media": (image.filename, image.data, image.media_type)},
        )
        url = str(answer.get("url") or "")
        if not url:
            raise TransientDeliveryError("WeChat media/uploadimg returned no URL")
        return url

    def add_material(self, cover: VariantImage) -> str:
        """Upload the cover as a permanent material; its media_id."""
        answer = self.call(
            Step("WeChat", "material/add_material", idempotent=True),
            "/cgi-bin/material/add_material",
            params={"type": "image"},
            files={"media": (cover.filename, cover.data, cover.media_type)},
        )
        media_id = str(answer.get("media_id") or "")
        if not media_id:
            raise TransientDeliveryError("WeChat material/add_material returned no media_id")
        return media_id

    def _forced_token(self) -> str:
        token, expires_in = self._fetch_token(force=True)
        self.channel.tokens.put(self.credentials.appid, token, expires_in)
        return token

    def _answer(self, response: Any, step: Step) -> dict[str, Any]:
        raise_for_transient_status(response, step)
        if response.status_code != 200:
            raise PermanentDeliveryError(
                f"{step}: the platform answered HTTP {response.status_code}",
                code=response.status_code,
            )
        return json_answer(response, step)

    def call(
        self,
        step: Step,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        files: Any = None,
        method: str = "POST",
    ) -> dict[str, Any]:
        """POST to ``path`` with the access token. On a token refusal: a cached token is
        dropped and stable_token asked again; a fresh token refused is replaced with
        ``force_refresh``; a forced token refused is final."""
        kwargs: dict[str, Any] = {}
        if json_body is not None:
            # WeChat wants UTF-8 text, not \\u escapes ("注意不要使用Unicode转义格式").
            kwargs["data"] = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            kwargs["headers"] = {"Content-Type": "application/json; charset=utf-8"}
        if files is not None:
            kwargs["files"] = files
        token = self._token()
        while True:
            response = exchange(
                self.http,
                method,
                f"{self.channel.base_url}{path}",
                step=step,
                timeout=self.channel.timeout,
                params={"access_token": token, **(params or {})},
                **kwargs,
            )
            answer = self._answer(response, step)
            code = int(answer.get("errcode") or 0)
            if code == 0:
                return answer
            errmsg = self._redact(answer.get("errmsg", ""), token)
            if code in TOKEN_ERRORS:
                self.channel.tokens.drop(self.credentials.appid, token)
                if token not in self._fresh:
                    token = self._token()
                    continue
                if not self._forced:
                    self._forced = True
                    token = self._forced_token()
                    continue
                raise PermanentDeliveryError(
                    f"WeChat rejected the credentials: {code} on {step.name} even with a "
                    f"fresh access token (errmsg: {errmsg})",
                    code=code,
                )
            self._raise_if_held(code, step, errmsg)
            if code == BUSY:
                raise_busy(step, f"the platform is busy ({code}, errmsg: {errmsg})", code=code)
            meaning = KNOWN_REFUSALS.get(code, "refused")
            raise PermanentDeliveryError(
                f"WeChat refused {step.name}: {code} {meaning} (errmsg: {errmsg})", code=code
            )

    def poll(self, receipt: Receipt) -> Receipt:
        publish_id = str(receipt.data.get("publish_id") or receipt.external_id or "")
        if not publish_id:
            raise PermanentDeliveryError("the receipt has no WeChat publish_id to look up")
        answer = self.call(
            Step("WeChat", "freepublish/get", idempotent=True),
            "/cgi-bin/freepublish/get",
            json_body={"publish_id": publish_id},
        )
        status = answer.get("publish_status")
        if status == 1:
            return Receipt(
                state=DeliveryState.PENDING,
                external_id=publish_id,
                detail="WeChat is publishing",
                data=dict(receipt.data),
            )
        if status == 0:
            items = (answer.get("article_detail") or {}).get("item") or []
            url = next((i.get("article_url") for i in items if i.get("article_url")), None)
            return Receipt(
                state=DeliveryState.PUBLISHED,
                external_id=publish_id,
                url=url,
                detail="published",
                data={**receipt.data, "article_id": str(answer.get("article_id") or "")},
            )
        if status in PUBLISH_FAILURES:
            failed = answer.get("fail_idx") or []
            raise _PublishFailed(
                f"WeChat did not publish it: publish_status {status} {PUBLISH_FAILURES[status]}"
                + (f"; failed articles {failed}" if failed else ""),
                code=status,
            )
        raise OutcomeUnknown(
            f"WeChat reported publish_status {status!r}, which matrixpub does not know; "
            "check the account on mp.weixin.qq.com"
        )

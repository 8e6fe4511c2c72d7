"""A generic signed webhook: an HTTP POST of JSON to a 融媒体 platform or an internal system.

The endpoint is the account's URL (``Target.url``). The request::

    POST <target.url>
    Content-Type: application/json
    Idempotency-Key: <key>                  the same key for every attempt of one post
    X-Matrixpub-Timestamp: <unix seconds>
    X-Matrixpub-Signature: sha256=<hex>     HMAC-SHA256(signing_secret, timestamp + "." + body),
                                            only when the account has a signing_secret

    {"key": ..., "channel": "webhook", "sent_at": ISO-8601 UTC, "variant_hash": ...,
     "account": {"id", "name", "unit", "platform_id"},
     "article": {"title", "summary", "html", "text", "link"},
     "images": [{"role", "media_type", "sha256", "bytes", "width", "height",
                 "data_base64" | "url"}]}

A receiver verifies the signature over the raw body, rejects stale timestamps, and treats
a repeated Idempotency-Key as the same delivery. The answer: any 2xx is delivered (an
optional JSON ``{"id": ..., "url": ...}`` names the item); 408/429/5xx are transient;
other 4xx and any redirect are permanent; a lost answer after sending is OutcomeUnknown.

Pictures are embedded as base64 by default (``image_mode="embed"``); with
``image_mode="url"`` they are given as URLs beside the website article, which the website
channel writes (``<article folder>/<role>.jpg``) — only possible when the draft goes to
the website; otherwise the pictures are embedded and the variant notes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    DeliveryKind,
    DeliveryState,
    Form,
    ImageSpec,
    MediaStore,
    Receipt,
    RenderInput,
    Target,
    Variant,
    VariantImage,
    Violation,
)
from channels.http import (
    Step,
    exchange,
    protect_logs,
    raise_for_transient_status,
    redact,
    short,
)
from channels.images import ImageProblem, fit
from channels.markup import markdown_to_html, markdown_to_text
from channels.rendering import render_template
from domain.errors import PermanentDeliveryError

SPEC = ChannelSpec(
    key="webhook",
    label="Webhook（融媒体平台 / 内部系统）",
    delivery=DeliveryKind.WEBHOOK,
    form=Form.ARTICLE,
    cover=ImageSpec(ratio=None, max_width=1200, max_bytes=2_000_000, formats=("JPEG",)),
    max_images=1,
    template="webhook.html.j2",
)

IMAGE_MODES = ("embed", "url")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Matrixpub-Signature`` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does: constant-time comparison of the expected signature."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookChannel:
    """POSTs each post as signed JSON to the account's endpoint."""

    key = "webhook"
    spec = SPEC

    def __init__(
        self,
        config: ChannelConfig,
        *,
        base_url: str | None = None,
        image_mode: str = "embed",
    ) -> None:
        if image_mode not in IMAGE_MODES:
            raise ValueError(f"image_mode must be one of {IMAGE_MODES}")
        self.config = config
        self.base_url = base_url  # the endpoint for accounts that record none
        self.image_mode = image_mode
        self.timeout = config.http_timeout
        protect_logs()

    # -- format ---------------------------------------------------------------------------
    def render(self, source: RenderInput) -> Variant:
        content = source.content
        override = content.for_channel(self.key)
        title = (override.title or content.title).strip()
        summary = (override.summary or content.summary or "").strip()
        body_md = override.body or content.body
        notes: list[str] = []
        violations: list[Violation] = []
        images: tuple[VariantImage, ...] = ()
        if source.cover is not None:
            assert self.spec.cover is not None
            try:
                images = (
                    fit(source.cover, self.spec.cover, role="cover", focus=content.cover_focus),
                )
            except ImageProblem as exc:
                violations.append(Violation("cover", "bad_image", str(exc)))
        image_base = ""
        if self.image_mode == "url" and images:
            if source.website_url:
                image_base = source.website_url.rsplit("/", 1)[0] + "/"
            else:
                notes.append("the draft does not go to the website: pictures are embedded")
        article_html = render_template(
            f"channels/{self.spec.template_name}",
            title=title,
            summary=summary,
            body_html=markdown_to_html(body_md),
            cover=(image_base + images[0].filename) if image_base else None,
            link=source.website_url,
        )
        if not title:
            violations.append(Violation("title", "empty", "the title is empty"))
        return Variant(
            channel=self.key,
            fields={
                "title": title,
                "summary": summary,
                "html": article_html,
                "text": markdown_to_text(body_md),
                "link": source.website_url or "",
                "image_base": image_base,
                "notes": "\n".join(notes),
            },
            images=images,
            violations=tuple(violations),
        )

    # -- deliver --------------------------------------------------------------------------
    def payload(self, variant: Variant, target: Target, *, key: str) -> dict[str, Any]:
        """The JSON body, built from the stored variant only."""
        fields = variant.fields
        image_base = fields.get("image_base", "")
        images = []
        for image in variant.images:
            ref: dict[str, Any] = {
                k: v for k, v in image.ref().items() if k in {"role", "media_type", "sha256"}
            }
            ref.update(bytes=len(image.data), width=image.width, height=image.height)
            if image_base:
                ref["url"] = image_base + image.filename
            else:
                ref["data_base64"] = base64.b64encode(image.data).decode("ascii")
            images.append(ref)
        return {
            "key": key,
            "channel": self.key,
            "sent_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "variant_hash": variant.hash,
            "account": {
                "id": target.account_id,
                "name": target.name,
                "unit": target.unit,
                "platform_id": target.platform_id,
            },
            "article": {
                "title": fields.get("title", ""),
                "summary": fields.get("summary", ""),
                "html": fields.get("html", ""),
                "text": fields.get("text", ""),
                "link": fields.get("link", ""),
            },
            "images": images,
        }

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
        if variant.violations:
            raise PermanentDeliveryError(
                f"the variant has {len(variant.violations)} unresolved problem(s); "
                "it cannot be sent"
            )
        endpoint = target.url or self.base_url
        if not endpoint:
            raise PermanentDeliveryError("the webhook account has no endpoint URL on record")
        body = json.dumps(
            self.payload(variant, target, key=key), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": key,
            "X-Matrixpub-Timestamp": timestamp,
        }
        signing_secret = (secret or {}).get("signing_secret")
        if signing_secret:
            headers["X-Matrixpub-Signature"] = sign(signing_secret, timestamp, body)
        step = Step("webhook", "POST", idempotent=False)
        response = exchange(
            http, "POST", endpoint, step=step, timeout=self.timeout, data=body, headers=headers
        )
        raise_for_transient_status(response, step)
        status = response.status_code
        if not 200 <= status < 300:
            excerpt = redact(short(response.text, 160), (signing_secret,))
            raise PermanentDeliveryError(
                f"the webhook endpoint refused the post: HTTP {status}"
                + (f" ({excerpt})" if excerpt else ""),
                code=status,
            )
        answer: Any = None
        if response.content:
            try:
                answer = response.json()
            except ValueError:
                answer = None
        answer = answer if isinstance(answer, dict) else {}
        item_id = answer.get("id")
        return Receipt(
            state=DeliveryState.PUBLISHED,
            external_id=str(item_id) if item_id is not None else None,
            url=answer.get("url") if isinstance(answer.get("url"), str) else None,
            detail=f"delivered (HTTP {status})",
            data={
                "key": key,
                "http_status": status,
                "body_sha256": hashlib.sha256(body).hexdigest(),
            },
        )

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        http: Any,
    ) -> Receipt:
        return receipt  # a 2xx answer is the delivery

"""A generic signed webhook: an HTTP POST of JSON to a 融媒体 platform or an internal system.

The endpoint is the account's URL (``Target.url``). The request::

    POST <target.url>
    Content-Type: application/json
    Idempotency-Key: <key>                  the same key for every attempt of one post
    X-Matrixpub-Timestamp: <unix seconds>
    X-Matrixpub-Signature: sha256=<hex>     HMAC-SHA256(signing_secret,
                                                timestamp + "." + key + "." + body)

    the envelope, added at send time        the approved variant, byte for byte
    {"account": {"id", "name", "unit", "platform_id"},
     "approved": {"channel": "webhook",  ◀── exactly the bytes 三校 and 终审 signed:
                  "fields": {"title", "summary", "html", "text", "link", ...},
                  "images": [{"role", "filename", "sha256", ...}], "measures": [],
                  "violations": []},
     "channel": "webhook",
     "images": [{"role", "filename", "media_type", "sha256", "bytes", "width", "height",
                 "data_base64" | "url"}],     the pictures ``approved.images`` names
     "key": ..., "sent_at": ISO-8601 UTC, "variant_hash": ...}

The body is canonical JSON (UTF-8, keys sorted, no spaces), so the ``approved`` value is
the signed variant's canonical JSON unchanged: ``sha256(canonical_json(body["approved"]))
== body["variant_hash"]``, the hash pinned by the sign-off. Everything else is the
envelope.

The article's body pictures are among the images (``image-1``, ...), and its HTML
(``approved.fields.html``) names each by its ``filename`` (``<img src="image-1.jpg">``), or
by its URL beside the website article with ``image_mode="url"``; pictures given as web
addresses stay as they are.

The signature covers the idempotency key as well as the body, so a receiver may trust the
key it deduplicates on. A receiver verifies it over the raw body with :func:`verify`
(accepting the previous secret too while secrets rotate), rejects timestamps more than
``tolerance`` (300 s) away from its clock, and treats a repeated Idempotency-Key as the
same delivery; ``docs/webhook-receiver.md`` is the guide, with a receiver to copy.

An account without a ``signing_secret`` gets nothing sent: its posts wait in a paused
queue, with an alert (AccountHeld), unless it was registered with ``--unsigned``
(``Target.unsigned``), on record; then the signature header is left out.

The answer: any 2xx is delivered (an optional JSON ``{"id": ..., "url": ...}`` names the
item); 408/429/5xx and a lost answer are transient — the POST is safe to repeat because
the resend carries the same (signed) key, which the receiver must honour; other 4xx and
any redirect are permanent.

Pictures are embedded as base64 by default (``image_mode="embed"``); with
``image_mode="url"`` they are given as URLs beside the website article, which the website
channel writes (``<article folder>/<role>.jpg``) — only possible when the draft goes to
the website; otherwise the pictures are embedded and the variant notes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from secrets import token_hex
from typing import Any

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    CredentialCheck,
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
from channels.website import place_body_pictures
from domain.errors import AccountHeld, DeliveryError, PermanentDeliveryError
from domain.hashing import canonical_json

SPEC = ChannelSpec(
    key="webhook",
    label="融媒体平台 Webhook",
    delivery=DeliveryKind.WEBHOOK,
    form=Form.ARTICLE,
    cover=ImageSpec(ratio=None, max_width=1200, max_bytes=2_000_000, formats=("JPEG",)),
    max_images=1,
    template="webhook.html.j2",
)

IMAGE_MODES = ("embed", "url")


TOLERANCE = 300.0  # seconds a receiver accepts between the timestamp and its own clock


def sign(secret: str, timestamp: str, key: str, body: bytes) -> str:
    """The ``X-Matrixpub-Signature`` value for ``body`` sent at ``timestamp`` under the
    idempotency ``key``."""
    signed = timestamp.encode("ascii") + b"." + key.encode("utf-8") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, "sha256").hexdigest()


def verify(
    secrets: str | Iterable[str],
    timestamp: str,
    key: str,
    body: bytes,
    signature: str,
    *,
    tolerance: float = TOLERANCE,
    now: float | None = None,
) -> bool:
    """What a receiver does: the timestamp is whole seconds within ``tolerance`` of ``now``
    (the clock), and ``signature`` was made with one of ``secrets`` — several while a
    secret is being replaced — compared in constant time."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        return False
    accepted = [secrets] if isinstance(secrets, str) else list(secrets)
    return any(
        hmac.compare_digest(sign(secret, timestamp, key, body), signature)
        for secret in accepted
        if secret
    )


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
        pictures: list[VariantImage] = []
        if source.cover is not None:
            assert self.spec.cover is not None
            try:
                pictures.append(
                    fit(source.cover, self.spec.cover, role="cover", focus=content.cover_focus)
                )
            except ImageProblem as exc:
                violations.append(Violation("cover", "bad_image", str(exc)))
        base = ""  # with image_mode "url": the website article's folder, where they are
        if self.image_mode == "url" and source.website_url:
            base = source.website_url.rsplit("/", 1)[0] + "/"
        body_html = place_body_pictures(
            markdown_to_html(body_md), source, pictures, violations, prefix=base
        )
        images = tuple(pictures)
        image_base = base if images else ""
        if self.image_mode == "url" and images and not image_base:
            notes.append("the draft does not go to the website: pictures are embedded")
        cover = next((i for i in images if i.role == "cover"), None)
        article_html = render_template(
            f"channels/{self.spec.template_name}",
            title=title,
            summary=summary,
            body_html=body_html,
            cover=(image_base + cover.filename) if image_base and cover else None,
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
        """The JSON body: the stored variant as it was approved, in its envelope."""
        fields = variant.fields
        image_base = fields.get("image_base", "")
        images = []
        for image in variant.images:
            ref: dict[str, Any] = {
                k: v
                for k, v in image.ref().items()
                if k in {"role", "filename", "media_type", "sha256"}
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
            "approved": variant.payload(),
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
        signing_secret = (secret or {}).get("signing_secret")
        if not signing_secret and not target.unsigned:
            raise AccountHeld(
                "the webhook account has no signing_secret, so nothing is sent to it: store "
                "one with `matrixpub account credentials ID --secret-block NAME --value "
                "signing_secret=...`, then let the account's queue run again (an endpoint "
                "that takes unsigned posts is registered with --unsigned)",
                kind="webhook_unsigned",
            )
        body = canonical_json(self.payload(variant, target, key=key))
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": key,
            "X-Matrixpub-Timestamp": timestamp,
        }
        if signing_secret:
            headers["X-Matrixpub-Signature"] = sign(signing_secret, timestamp, key, body)
        # Safe to repeat: the receiver takes a repeated Idempotency-Key (which the signature
        # covers) as the same delivery.
        step = Step("webhook", "POST", idempotent=True)
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

    def check_credentials(
        self, target: Target, *, secret: Mapping[str, str] | None, http: Any
    ) -> CredentialCheck:
        """POST a signed ping (``X-Matrixpub-Event: ping``, no post in it): a 2xx answer
        means the endpoint takes this account's signature."""
        endpoint = target.url or self.base_url
        if not endpoint:
            return CredentialCheck(ok=False, detail="the webhook account has no endpoint URL")
        signing_secret = (secret or {}).get("signing_secret")
        if not signing_secret and not target.unsigned:
            return CredentialCheck(ok=False, detail="the webhook account has no signing_secret")
        body = canonical_json(
            {"event": "ping", "account": {"id": target.account_id, "name": target.name}}
        )
        key = f"ping-{token_hex(8)}"
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": key,
            "X-Matrixpub-Event": "ping",
            "X-Matrixpub-Timestamp": timestamp,
        }
        if signing_secret:
            headers["X-Matrixpub-Signature"] = sign(signing_secret, timestamp, key, body)
        step = Step("webhook", "ping", idempotent=True)
        try:
            response = exchange(
                http, "POST", endpoint, step=step, timeout=self.timeout, data=body, headers=headers
            )
        except DeliveryError as exc:
            return CredentialCheck.failed(exc)
        if 200 <= response.status_code < 300:
            what = "signed ping" if signing_secret else "ping (unsigned, as registered)"
            return CredentialCheck(
                ok=True, detail=f"the endpoint accepted a {what} (HTTP {response.status_code})"
            )
        excerpt = redact(short(response.text, 160), (signing_secret,))
        return CredentialCheck(
            ok=False,
            detail=f"the endpoint answered a signed ping with HTTP {response.status_code}"
            + (f" ({excerpt})" if excerpt else "")
            + (": it does not accept this signing secret" if response.status_code == 401 else ""),
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

"""The channel interface: how one platform's posts are formatted and delivered.

Formatting and transmission are two separate steps. ``render`` is pure: it turns a
draft version into the exact payload one platform will get (a :class:`Variant`),
which is stored, shown to reviewers and pinned by their sign-off. ``publish``
sends a stored variant as it is and never re-renders. Channels never touch the
database; the flows hand them what they need.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from domain.content import Content
from domain.errors import DeliveryError, OutcomeUnknown, TransientDeliveryError
from domain.hashing import hash_value, sha256_hex


class DeliveryKind(StrEnum):
    API = "api"  # the platform's official HTTP API
    SITE = "site"  # the organisation's own static website
    WEBHOOK = "webhook"  # a signed HTTP POST to an internal system
    MANUAL = "manual"  # a package a person posts by hand, then confirms with the live URL


class Form(StrEnum):
    ARTICLE = "article"  # title + rich body (WeChat, website)
    SHORT = "short"  # one short text + pictures (Weibo, Douyin, Xiaohongshu, ...)


class CountUnit(StrEnum):
    CHARS = "chars"  # one per character (WeChat counts 汉字 and letters alike)
    WEIBO = "weibo"  # one per 汉字, two ASCII characters count as one
    UTF16_ASCII_HALF = "utf16-ascii-half"  # UTF-16 code units, two ASCII count as one (小红书)


@dataclass(frozen=True)
class ImageSpec:
    """How a channel wants a picture: cut to ``ratio``, at most ``max_width`` wide,
    re-encoded to one of ``formats`` within ``max_bytes``."""

    ratio: tuple[int, int] | None = None
    max_width: int = 1200
    max_height: int | None = None
    max_bytes: int = 2_000_000
    formats: tuple[str, ...] = ("JPEG",)


@dataclass(frozen=True)
class Quota:
    count: int
    per: str  # "hour" | "day" | "month"


@dataclass(frozen=True)
class ChannelSpec:
    """A platform's limits as data: the one place to change when a platform changes."""

    key: str
    label: str
    delivery: DeliveryKind
    form: Form
    count_unit: CountUnit = CountUnit.CHARS
    title_max: int | None = None
    summary_max: int | None = None
    body_max: int | None = None
    cover: ImageSpec | None = None
    max_images: int = 1
    quota: Quota | None = None  # the default posting policy; an account may set its own
    limits: tuple[Quota, ...] = ()  # the platform's own hard limits, held whatever the policy
    template: str = ""  # file name under templates/channels/

    @property
    def template_name(self) -> str:
        return self.template or f"{self.key}.html.j2"


@dataclass(frozen=True)
class VariantImage:
    role: str  # "cover", "image-1", ...
    media_type: str
    data: bytes = field(repr=False)
    width: int = 0
    height: int = 0

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)

    @property
    def extension(self) -> str:
        return {
            "image/jpeg": "jpg",
            "image/png": "png",
            "image/gif": "gif",
            "image/webp": "webp",
        }.get(self.media_type, "bin")

    @property
    def filename(self) -> str:
        return f"{self.role}.{self.extension}"

    def ref(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "bytes": len(self.data),
            "width": self.width,
            "height": self.height,
            "filename": self.filename,
        }


@dataclass(frozen=True)
class Measure:
    """A measured length next to the platform's limit, in the platform's own unit."""

    field: str
    value: int
    limit: int | None
    unit: str

    @property
    def over(self) -> bool:
        return self.limit is not None and self.value > self.limit

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "limit": self.limit, "unit": self.unit}


@dataclass(frozen=True)
class Violation:
    """Something that blocks a variant from being submitted until the author fixes it."""

    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Variant:
    """Exactly what one platform will get for one draft version."""

    channel: str
    fields: Mapping[str, str]
    images: tuple[VariantImage, ...] = ()
    measures: tuple[Measure, ...] = ()
    violations: tuple[Violation, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "fields": dict(self.fields),
            "images": [image.ref() for image in self.images],
            "measures": [m.as_dict() for m in self.measures],
            "violations": [v.as_dict() for v in self.violations],
        }

    @property
    def hash(self) -> str:
        return hash_value(self.payload())

    def image(self, role: str) -> VariantImage | None:
        return next((i for i in self.images if i.role == role), None)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], blobs: Mapping[str, bytes]) -> Variant:
        """Rebuild a stored variant; ``blobs`` maps image SHA-256 to its bytes."""
        images = tuple(
            VariantImage(
                role=ref["role"],
                media_type=ref["media_type"],
                data=blobs[ref["sha256"]],
                width=ref.get("width", 0),
                height=ref.get("height", 0),
            )
            for ref in payload.get("images", [])
        )
        return cls(
            channel=payload["channel"],
            fields=dict(payload["fields"]),
            images=images,
            measures=tuple(Measure(**m) for m in payload.get("measures", [])),
            violations=tuple(Violation(**v) for v in payload.get("violations", [])),
        )


@dataclass(frozen=True)
class RenderInput:
    """What a channel renders from: one draft version, its pictures and links."""

    draft_id: int
    content: Content
    cover: bytes | None = None
    website_url: str | None = None  # the article on the organisation's site, when it goes there
    images: Mapping[str, bytes] = field(default_factory=dict)  # body pictures by Markdown name
    author: str | None = None  # the byline (WeChat 作者)


@dataclass(frozen=True)
class Target:
    """An account as a channel sees it: where to deliver, never how it is governed."""

    account_id: int
    platform: str
    name: str
    unit: str
    platform_id: str | None = None
    url: str | None = None
    is_main: bool = False
    unsigned: bool = False  # a webhook registered to be sent without a signature, on record


class DeliveryState(StrEnum):
    PUBLISHED = "published"  # live on the platform
    PENDING = "pending"  # accepted, the platform is still processing it
    MANUAL = "manual"  # a package waits for a person to post it
    FAILED = "failed"  # the platform finally refused it


@dataclass(frozen=True)
class Receipt:
    state: DeliveryState
    external_id: str | None = None
    url: str | None = None
    detail: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "external_id": self.external_id,
            "url": self.url,
            "detail": self.detail,
            "data": dict(self.data),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Receipt:
        return cls(
            state=DeliveryState(value["state"]),
            external_id=value.get("external_id"),
            url=value.get("url"),
            detail=value.get("detail", ""),
            data=dict(value.get("data") or {}),
        )


@dataclass(frozen=True)
class ChannelConfig:
    """Where channels put what they make; built once per process from settings."""

    site_dir: Path
    site_url: str
    package_dir: Path
    timezone: str = "Asia/Shanghai"
    http_timeout: float = 10.0
    # Platform API hosts to use instead of the real ones, as (channel key, base URL) pairs:
    # a private gateway, or the local fake platforms of the tests and benchmarks.
    api_hosts: tuple[tuple[str, str], ...] = ()
    weibo_rip: str | None = None  # Weibo's required rip, unless an account has its own

    def api_host(self, key: str) -> str | None:
        return dict(self.api_hosts).get(key)


@dataclass(frozen=True)
class CredentialCheck:
    """What a platform said to the cheapest call that needs an account's credentials."""

    ok: bool
    detail: str  # one line for a person; never a credential
    expires_at: datetime | None = None  # when the authorisation ends, if the platform says
    # False when the platform could not be reached or gave no answer: the credentials were
    # not tried, so nothing is known of them
    tested: bool = True

    @classmethod
    def failed(cls, exc: DeliveryError) -> CredentialCheck:
        """The check that ``exc`` ended: untested when the platform was unreachable, busy
        or silent (worth trying again later), refused otherwise."""
        untested = isinstance(exc, TransientDeliveryError | OutcomeUnknown)
        return cls(ok=False, detail=exc.message, tested=not untested)


@runtime_checkable
class ChecksCredentials(Protocol):
    """A channel that can try an account's credentials without publishing anything."""

    def check_credentials(
        self, target: Target, *, secret: Mapping[str, str] | None, http: Any
    ) -> CredentialCheck: ...


class MediaStore(Protocol):
    """Pictures a platform already holds for an account, by the picture's SHA-256: what an
    upload returned (a WeChat body picture's URL, a cover's permanent ``media_id``).

    A channel looks here before uploading and records each upload as soon as it is made, so
    a retried or later post never uploads the same picture again. The flows pass one kept
    in the database (channels never touch it); without one, a channel keeps its own in
    memory for the life of the process."""

    def get(self, account_id: int, kind: str, sha256: str) -> str | None: ...

    def put(self, account_id: int, kind: str, sha256: str, value: str) -> None: ...

    def forget(self, account_id: int, kind: str, sha256: str) -> None: ...


class MemoryMediaStore:
    """A :class:`MediaStore` in a dict, for one process (and the tests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[tuple[int, str, str], str] = {}

    def get(self, account_id: int, kind: str, sha256: str) -> str | None:
        with self._lock:
            return self._values.get((account_id, kind, sha256))

    def put(self, account_id: int, kind: str, sha256: str, value: str) -> None:
        with self._lock:
            self._values[(account_id, kind, sha256)] = value

    def forget(self, account_id: int, kind: str, sha256: str) -> None:
        with self._lock:
            self._values.pop((account_id, kind, sha256), None)


@runtime_checkable
class Channel(Protocol):
    key: str
    spec: ChannelSpec

    def render(self, source: RenderInput) -> Variant: ...

    def publish(
        self,
        variant: Variant,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        key: str,
        http: Any,
        media: MediaStore | None = None,
    ) -> Receipt: ...

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        http: Any,
    ) -> Receipt: ...

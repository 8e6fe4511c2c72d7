"""What an author writes: one version of a draft, and its content hash.

The hash covers everything a reader of any channel could see: title, summary,
Markdown body, the cover's SHA-256 and focus point, and every per-channel
override. It does not cover the target accounts: those decide where, not what.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.errors import InvalidInput
from domain.hashing import hash_value

MAX_TITLE_CHARS = 200
MAX_SUMMARY_CHARS = 1_000
MAX_BODY_CHARS = 200_000
MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True)
class ChannelOverride:
    """An author's per-channel wording, used instead of the draft's own."""

    title: str | None = None
    summary: str | None = None
    body: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (("title", self.title), ("summary", self.summary), ("body", self.body))
            if v is not None
        }


@dataclass(frozen=True)
class Content:
    title: str
    body: str  # Markdown
    summary: str | None = None
    cover_sha256: str | None = None
    cover_focus: tuple[float, float] | None = None  # (x, y) in 0..1, default the centre
    overrides: Mapping[str, ChannelOverride] = field(default_factory=dict)
    images: Mapping[str, str] = field(default_factory=dict)  # body picture name -> SHA-256

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "summary": self.summary,
            "cover_sha256": self.cover_sha256,
            "cover_focus": list(self.cover_focus) if self.cover_focus else None,
            "overrides": {k: v.as_dict() for k, v in sorted(self.overrides.items())},
            "images": dict(sorted(self.images.items())),
        }

    @property
    def content_hash(self) -> str:
        return hash_value(self.as_dict())

    def texts(self) -> dict[str, str]:
        """What people will read, by field: ``title``, ``summary``, ``body`` and each
        channel's own wording as ``<channel>.<field>``. Checks and findings use these names."""
        texts = {"title": self.title, "body": self.body}
        if self.summary:
            texts["summary"] = self.summary
        for channel, override in sorted(self.overrides.items()):
            for name, value in override.as_dict().items():
                texts[f"{channel}.{name}"] = value
        return texts

    def for_channel(self, key: str) -> ChannelOverride:
        return self.overrides.get(key, ChannelOverride())


# Bidirectional controls: they make a text read in another order than it is stored
# (U+202E turns "txt.exe" around). Allowed in no title; a 错敏 finding anywhere else.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def is_control(char: str) -> bool:
    """A C0 or C1 control character, or DEL."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0


def refuse_controls(text: str, what: str, *, allow: str = "") -> str:
    """``text``, or InvalidInput naming the first control character in it (C0, C1, DEL;
    but those in ``allow``). A vertical tab in a title broke the Atom feed, which XML
    cannot carry; an escape sequence recolours the terminal that prints it."""
    for index, char in enumerate(text):
        if is_control(char) and char not in allow:
            raise InvalidInput(
                "the {what} holds the control character U+{char:04X} at position {position}; "
                "remove it",
                what=what,
                char=ord(char),
                position=index + 1,
            )
    return text


def clean_title(value: str | None, *, what: str = "title") -> str:
    title = (value or "").strip()
    if not title:
        raise InvalidInput("the {what} is empty", what=what)
    if "\n" in title or "\r" in title:
        raise InvalidInput("the {what} must be one line", what=what)
    refuse_controls(title, what)
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(
            "the {what} has {n_title} characters; at most {MAX_TITLE_CHARS}",
            what=what,
            n_title=len(title),
            MAX_TITLE_CHARS=MAX_TITLE_CHARS,
        )
    return title


def clean_summary(value: str | None) -> str | None:
    if value is None:
        return None
    refuse_controls(value, "summary", allow="\n\r\t")
    summary = " ".join(value.split())
    if not summary:
        return None
    if len(summary) > MAX_SUMMARY_CHARS:
        raise InvalidInput(
            "the summary has {n_summary} characters; at most {MAX_SUMMARY_CHARS}",
            n_summary=len(summary),
            MAX_SUMMARY_CHARS=MAX_SUMMARY_CHARS,
        )
    return summary


def clean_body(raw: bytes, *, source: str = "body") -> str:
    """Decode and check a Markdown body read from a file."""
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidInput(
            "{source} is {n_raw:,} bytes; a draft body may be at most {MAX_BODY_BYTES:,} bytes",
            source=source,
            n_raw=len(raw),
            MAX_BODY_BYTES=MAX_BODY_BYTES,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "{source} is not UTF-8 text (byte {start})", source=source, start=exc.start
        ) from None
    if "\x00" in text:
        raise InvalidInput("{source} is not a text file", source=source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        raise InvalidInput("{source} is empty", source=source)
    if len(text) > MAX_BODY_CHARS:
        raise InvalidInput(
            "{source} has {n_text:,} characters; at most {MAX_BODY_CHARS:,}",
            source=source,
            n_text=len(text),
            MAX_BODY_CHARS=MAX_BODY_CHARS,
        )
    return text + "\n"


def parse_focus(value: str | None) -> tuple[float, float] | None:
    """``"0.3,0.4"`` → (0.3, 0.4): where the cover's subject is, as fractions of width/height."""
    if value is None or not value.strip():
        return None
    try:
        x_text, y_text = value.split(",")
        x, y = float(x_text), float(y_text)
    except ValueError:
        raise InvalidInput(
            "focus {focus!r} should be two fractions like 0.5,0.4", focus=value
        ) from None
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise InvalidInput("focus {focus!r} must lie within 0..1 on both axes", focus=value)
    return (x, y)


_IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def clean_image_name(name: str) -> str:
    """The name a body picture is referred to by in Markdown: ``![说明](photo-1.jpg)``."""
    name = name.strip()
    if not _IMAGE_NAME.match(name):
        raise InvalidInput(
            "picture name {name!r} must be letters, digits, dots, dashes or underscores", name=name
        )
    return name

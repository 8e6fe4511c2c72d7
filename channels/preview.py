"""Previews of rendered variants, for authors and reviewers before anyone signs.

:func:`reader_html` is a variant as its readers will meet it on the platform: the
WeChat article with its push card, title, byline and 阅读原文; the website page in the
site's own chrome (the same function writes the page when it is published); a Weibo
post; a short-video or note platform's post with its cover and text. The text and
pictures are the variant's own, never re-rendered: pictures are referenced by the
variant's file names (``cover.jpg``, ``image-1.jpg``), so a preview is served or written
beside them.

:func:`preview_html` adds the lengths against the platform's limits and what blocks the
variant, for the preview files the CLI writes; :func:`index_html` puts every channel's
preview side by side on one page. What those two say around the variants comes in
already in words (:class:`Facts`, the index's entries): channels keep no message
catalog, the face that writes the files says them in its reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from channels.base import ChannelSpec, Form, Target, Variant
from channels.rendering import render_template
from channels.website import page_html

ARTICLE_FIELDS = ("article_html", "content", "html")  # which field holds an article's HTML
PHONE_WIDTH = 375  # CSS pixels of the phone frames: a common phone's width

# How each short-text platform lays a post out: the picture first (note and video
# platforms) or the text first (Weibo), and its name as readers see it.
_SHORT_LAYOUT: Mapping[str, str] = {
    "weibo": "text-first",
    "douyin": "picture-first",
    "xiaohongshu": "picture-first",
    "kuaishou": "picture-first",
    "wechat_channels": "picture-first",
    "toutiao": "text-first",
    "bilibili": "picture-first",
}


def article_of(variant: Variant) -> str:
    return next((variant.fields[f] for f in ARTICLE_FIELDS if f in variant.fields), "")


@dataclass(frozen=True)
class FrameWords:
    """What a preview frame says around a variant, not part of what is published (the
    platform's name beside the post's time, the note under WeChat's push card, what the
    pictures are for a screen reader), in its reviewer's words; Chinese by default."""

    label: str | None = None  # None: the channel's own label
    card: str = "推送卡片"
    card_note: str = "↑ 推送消息卡片　↓ 点开后的文章"
    cover: str = "封面"
    picture: str = "图片 {n}"  # {n}: the picture's number
    pictures: str = "共 {n} 张"  # {n}: how many pictures


def reader_html(
    variant: Variant,
    spec: ChannelSpec,
    *,
    account: Target | None = None,
    published: datetime | None = None,
    words: FrameWords = FrameWords(),
) -> str:
    """One complete HTML page: the variant as the platform's readers will see it."""
    name = account.name if account else spec.label
    unit = account.unit if account else ""
    when = published or datetime.now().astimezone()
    if variant.channel == "website":
        return page_html(variant, column=name, unit=unit or spec.label, published=when, home="#")
    if spec.form is Form.ARTICLE:
        return render_template(
            "channels/preview/article.html.j2",
            channel=variant.channel,
            label=words.label or spec.label,
            account=name,
            title=variant.fields.get("title", ""),
            author=variant.fields.get("author", ""),
            digest=variant.fields.get("digest") or variant.fields.get("summary") or "",
            source_url=variant.fields.get("content_source_url") or "",
            link=variant.fields.get("link") or "",
            article_html=article_of(variant),
            cover=variant.image("cover"),
            card=variant.channel.startswith("wechat"),
            date=when.strftime("%Y-%m-%d"),
            width=PHONE_WIDTH,
            words=words,
        )
    return render_template(
        "channels/preview/short.html.j2",
        channel=variant.channel,
        label=words.label or spec.label,
        account=name,
        layout=_SHORT_LAYOUT.get(variant.channel, "picture-first"),
        title=variant.fields.get("title", ""),
        text=variant.fields.get("text") or variant.fields.get("status", ""),
        topics=variant.fields.get("topics", ""),
        pictures=[i for i in variant.images],
        date=when.strftime("%m-%d %H:%M"),
        width=PHONE_WIDTH,
        words=words,
    )


@dataclass(frozen=True)
class Facts:
    """What a preview file says below the reader's view, in its reader's words.

    ``measures`` rows have ``field``, ``value``, ``limit`` (None: no limit), ``unit`` and
    ``over``; ``problems`` rows have ``field`` and ``message``."""

    label: str  # the platform's name
    hash_label: str  # what the variant's hash is called
    measures: Sequence[Mapping[str, Any]]
    problems: Sequence[Mapping[str, Any]]


def preview_html(
    variant: Variant,
    spec: ChannelSpec,
    *,
    facts: Facts,
    account: Target | None = None,
    published: datetime | None = None,
    words: FrameWords = FrameWords(),
) -> str:
    """The reader's view followed by the lengths against the platform's limits and what
    blocks the variant (``facts``): the preview file the CLI writes for each channel."""
    page = reader_html(variant, spec, account=account, published=published, words=words)
    aside = render_template(
        "channels/preview/_facts.html.j2",
        facts=facts,
        channel=variant.channel,
        hash=variant.hash,
    )
    closing = page.rfind("</body>")
    return page[:closing] + aside + page[closing:] if closing >= 0 else page + aside


def index_html(entries: Sequence[Mapping[str, Any]], *, title: str, lang: str) -> str:
    """Every channel's preview side by side, on a page in ``lang`` (``zh-CN``, ``en``).
    Each entry has ``channel``, ``label`` (the platform's name), ``href`` (the preview
    file), ``hash``, ``frame`` (what its frame is, for a screen reader) and ``problems``
    (what blocks the variant, in a few words; empty when nothing does)."""
    return render_template(
        "channels/preview/index.html.j2",
        title=title,
        lang=lang,
        entries=entries,
        width=PHONE_WIDTH,
    )

"""Shared wording rules for the short-text channels (Weibo, Douyin, Xiaohongshu, Toutiao,
Kuaishou, Bilibili, WeChat Channels).

The text is the channel's override, else the draft's summary, else its title; the
link to the website article follows when the draft also goes to the website.
"""

from __future__ import annotations

from dataclasses import dataclass

from channels.base import RenderInput
from channels.markup import markdown_to_text


@dataclass(frozen=True)
class ShortText:
    title: str
    text: str
    link: str | None


def short_text(source: RenderInput, key: str) -> ShortText:
    content = source.content
    override = content.for_channel(key)
    if override.body:
        text = markdown_to_text(override.body)
    else:
        text = override.summary or content.summary or content.title
    return ShortText(
        title=override.title or content.title,
        text=text.strip(),
        link=source.website_url,
    )

"""Previews of rendered variants, for authors and reviewers before anyone signs.

Article channels (WeChat, the website, webhooks) get an HTML page with the article as
it will be sent; short-text channels get a phone-width card. Both reference pictures by
the variant's file names, so a preview is written into a folder beside them.
"""

from __future__ import annotations

from channels.base import ChannelSpec, Form, Variant
from channels.manual import preview_html as card_html
from channels.rendering import render_template

# Which field holds the article HTML, per article channel.
ARTICLE_FIELDS = ("article_html", "content", "html")


def preview_html(variant: Variant, spec: ChannelSpec) -> str:
    if spec.form is Form.SHORT:
        return card_html(variant)
    article = next((variant.fields[f] for f in ARTICLE_FIELDS if f in variant.fields), "")
    return render_template(
        "channels/_article_preview.html.j2",
        label=spec.label,
        channel=variant.channel,
        title=variant.fields.get("title", ""),
        digest=variant.fields.get("digest") or variant.fields.get("summary"),
        source_url=variant.fields.get("content_source_url") or variant.fields.get("link"),
        article_html=article,
        cover=variant.image("cover"),
        notes=variant.fields.get("notes", ""),
        measures=variant.measures,
        violations=variant.violations,
    )

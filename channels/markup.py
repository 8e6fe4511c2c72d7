"""Draft bodies: Markdown in, sanitised HTML or plain text out.

Raw HTML inside a draft is shown as text (markdown-it's ``html`` option is off),
and the HTML that Markdown produces is sanitised again with nh3, so a
``<script>`` or an ``onerror=`` never reaches a page. Draft text is data given to
templates, never a template itself, so ``{{ ... }}`` in a draft stays text.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table")
_md.enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
    "td", "code", "pre", "figure", "figcaption", "span", "section",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_to_html(markdown: str) -> str:
    """Markdown → sanitised HTML fragment."""
    return sanitise(_md.render(markdown)).strip() + "\n"


def markdown_to_text(markdown: str) -> str:
    """Markdown → plain text for short-text channels: one block per paragraph, markup gone."""
    blocks: list[str] = []
    for token in _md.parse(markdown):
        if token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
        elif token.type == "inline":
            parts: list[str] = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            blocks.append("".join(parts).strip())
    return "\n\n".join(block for block in blocks if block)


def first_chars(text: str, n: int) -> str:
    """The first ``n`` characters of ``text`` on one line (the WeChat digest rule)."""
    flat = " ".join(text.split())
    return flat[:n]

"""Draft bodies: Markdown in, sanitised HTML or plain text out.

Raw HTML inside a draft is shown as text (markdown-it's ``html`` option is off),
and the HTML that Markdown produces is sanitised again with nh3, so a
``<script>`` or an ``onerror=`` never reaches a page. Draft text is data given to
templates, never a template itself, so ``{{ ... }}`` in a draft stays text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

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


# -- a notice's closing block (落款) ------------------------------------------------------
#
# A government notice ends with its 落款: the issuing unit (one line per unit in a joint
# notice) and the date, each on its own line and right-aligned, sometimes after an 附件
# list. In Markdown those lines are one paragraph, which a page shows as one run-on line,
# so the block is taken out of the Markdown and laid out here. It is recognised at the end
# of the body, or marked explicitly:
#
#     ::: 落款
#     附件：1. 名单
#     某某市文化和旅游局
#     2026年3月5日
#     :::

_CN_DIGITS = "〇零○Ｏ一二三四五六七八九十"
_DATE = re.compile(
    rf"^(?:\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\s*月"
    rf"\s*(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\s*日$"
)
_ATTACHMENT = re.compile(r"^附\s*件\s*[：:]?")
_MARK_OPEN = re.compile(r"^:::\s*落款\s*$")
_MARK_CLOSE = re.compile(r"^:::\s*$")
_NOT_A_UNIT = re.compile(r"^(?:[#>*+|`~=-]|\d+[.)、]|!\[|\[)|[。；;，,！!？?]$|[：:]")
_MAX_UNIT_CHARS = 40
_MAX_UNITS = 4


@dataclass(frozen=True)
class Closing:
    """A notice's 落款: optional 附件 lines, the issuing units, the date."""

    attachments: tuple[str, ...]
    units: tuple[str, ...]
    date: str


def _clean(line: str) -> str:
    return line.strip().strip("\u3000").strip()


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if _clean(line):
            blocks[-1].append(_clean(line))
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _is_unit(line: str) -> bool:
    return (
        len(line) <= _MAX_UNIT_CHARS
        and not _NOT_A_UNIT.search(line)
        and not _DATE.match(line)
        and not _ATTACHMENT.match(line)
    )


def _marked(lines: list[str]) -> tuple[list[str], Closing] | None:
    opens = [i for i, line in enumerate(lines) if _MARK_OPEN.match(line.strip())]
    if not opens:
        return None
    start = opens[-1]
    end = next(
        (i for i in range(start + 1, len(lines)) if _MARK_CLOSE.match(lines[i].strip())),
        len(lines),
    )
    if any(_clean(line) for line in lines[end + 1 :]):
        return None  # a closing block closes the notice; text after it is not one
    attachments: list[str] = []
    rest: list[str] = []
    for block in _blocks(lines[start + 1 : end]):
        (attachments if _ATTACHMENT.match(block[0]) else rest).extend(block)
    if not rest:
        return None
    date = rest[-1] if _DATE.match(rest[-1]) or len(rest) > 1 else ""
    units = rest[:-1] if date else rest
    return lines[:start], Closing(tuple(attachments), tuple(units), date)


_NUMBERED = re.compile(r"^\d+[.)、．]")


def _leading_attachments(lines: list[str]) -> list[str]:
    """An 附件 line at the head of ``lines`` and the numbered lines that follow it."""
    if not lines or not _ATTACHMENT.match(lines[0]):
        return []
    end = 1
    while end < len(lines) and _NUMBERED.match(lines[end]):
        end += 1
    return lines[:end]


def _recognised(lines: list[str]) -> tuple[list[str], Closing] | None:
    blocks = _blocks(lines)
    if len(blocks) < 2 or any(line.startswith(("```", "~~~")) for line in blocks[-1]):
        return None  # a body that is only a signature is no notice; a fence is code
    last = blocks[-1]
    if not _DATE.match(last[-1]):
        return None
    # The 附件 lines may be typed in the same paragraph as the units and the date.
    inline = _leading_attachments(last[:-1])
    units = last[len(inline) : -1]
    if not all(map(_is_unit, units)) or (inline and not units):
        return None
    taken = 1
    if not units and len(blocks[-2]) <= _MAX_UNITS and all(map(_is_unit, blocks[-2])):
        units = blocks[-2]
        taken = 2
    # A joint notice may set each unit apart with a blank line.
    while (
        len(blocks) > taken + 1
        and len(blocks[-taken - 1]) == 1
        and _is_unit(blocks[-taken - 1][0])
        and len(units) < _MAX_UNITS
    ):
        units = blocks[-taken - 1] + units
        taken += 1
    if not units or len(units) > _MAX_UNITS or len(blocks) == taken:
        return None
    attachments = inline  # or, when not in the signature's own paragraph, the one above it
    if not inline and len(blocks) > taken + 1 and _ATTACHMENT.match(blocks[-taken - 1][0]):
        attachments = blocks[-taken - 1]
        taken += 1
    elif (
        not inline
        and len(blocks) > taken + 2
        and _ATTACHMENT.match(blocks[-taken - 2][0])
        and len(blocks[-taken - 2]) == 1
        and all(_NUMBERED.match(line) for line in blocks[-taken - 1])
    ):  # "附件：" on its own, then a numbered list
        attachments = blocks[-taken - 2] + blocks[-taken - 1]
        taken += 2
    # Cut the source where the first taken block starts.
    seen = 0
    for index in range(len(lines) - 1, -1, -1):
        if _clean(lines[index]) and (index == 0 or not _clean(lines[index - 1])):
            seen += 1
            if seen == taken:
                return lines[:index], Closing(tuple(attachments), tuple(units), last[-1])
    return None


def split_closing(markdown: str) -> tuple[str, Closing | None]:
    """The body without its closing block, and the block (None when it has none)."""
    lines = markdown.rstrip().split("\n")
    found = _marked(lines) or _recognised(lines)
    if found is None:
        return markdown, None
    body, closing = found
    return "\n".join(body).rstrip() + "\n", closing


def closing_html(closing: Closing) -> str:
    """The closing block as HTML: 附件 lines below the body, units and date right-aligned.

    Inline styles, because a WeChat article keeps only those."""
    parts = ['<section class="closing">']
    if closing.attachments:
        lines = "<br>".join(html.escape(line) for line in closing.attachments)
        parts.append(f'<p class="attachments" style="margin-top: 2em">{lines}</p>')
    signature = "<br>".join(html.escape(line) for line in (*closing.units, closing.date) if line)
    parts.append(f'<p class="signature" style="margin-top: 2em; text-align: right">{signature}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def closing_text(closing: Closing) -> str:
    """The closing block as plain text: every line its own, the 附件 apart."""
    blocks = []
    if closing.attachments:
        blocks.append("\n".join(closing.attachments))
    blocks.append("\n".join(line for line in (*closing.units, closing.date) if line))
    return "\n\n".join(blocks)


def markdown_to_html(markdown: str) -> str:
    """Markdown → sanitised HTML fragment, a notice's closing block laid out as one."""
    body, closing = split_closing(markdown)
    html_out = sanitise(_md.render(body)).strip()
    if closing is not None:
        html_out = (html_out + "\n" + closing_html(closing)).strip()
    return html_out + "\n"


def markdown_to_text(markdown: str) -> str:
    """Markdown → plain text for short-text channels: one block per paragraph, markup gone."""
    body, closing = split_closing(markdown)
    text = _markdown_to_text(body)
    if closing is not None:
        text = "\n\n".join(part for part in (text, closing_text(closing)) if part)
    return text


def _markdown_to_text(markdown: str) -> str:
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

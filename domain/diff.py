"""What changed between two versions, as a reader would notice it.

Texts are compared character by character (diff-match-patch, cleaned up so that a
changed word reads as one change, not scattered letters). Rendered HTML is never
compared as markup: the visible text is compared, and the links and pictures it points
to are compared as sets. Pictures are compared by their SHA-256.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}
DIFF_TIMEOUT_S = 1.0  # long texts: a good diff within a second, rather than the best one


@dataclass(frozen=True)
class Span:
    op: str  # equal | insert | delete
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


def char_diff(old: str, new: str) -> list[Span]:
    """Character-level diff of two texts, cleaned up for people to read."""
    if old == new:
        return [Span(EQUAL, old)] if old else []
    from diff_match_patch import diff_match_patch

    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT_S
    diffs = engine.diff_main(old, new)
    engine.diff_cleanupSemantic(diffs)
    return [Span(_OPS[op], text) for op, text in diffs if text]


def changed(spans: Sequence[Span]) -> bool:
    return any(s.op != EQUAL for s in spans)


def trim(spans: Sequence[Span], context: int = 40) -> list[Span]:
    """Shorten long unchanged stretches to ``context`` characters on each side of a
    change (``…`` marks a cut), so a one-character change does not repeat a page."""
    out: list[Span] = []
    last = len(spans) - 1
    for i, span in enumerate(spans):
        if span.op != EQUAL or len(span.text) <= 2 * context + 1:
            out.append(span)
            continue
        head = span.text[:context] if i > 0 else ""
        tail = span.text[-context:] if i < last else ""
        out.append(Span(EQUAL, f"{head}…{tail}"))
    return out


# -- HTML as a reader sees it -------------------------------------------------------------
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5",
        "h6", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "br", "hr", "figure",
        "figcaption", "dl", "dt", "dd",
    }
)  # fmt: skip


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.pictures: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "img":
            src = values.get("src") or values.get("data-src") or ""
            self.pictures.append(src)
            self.parts.append(f"[图片{'：' + values['alt'] if values.get('alt') else ''}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


@dataclass(frozen=True)
class Reading:
    """An HTML fragment as its reader meets it."""

    text: str
    links: tuple[str, ...] = ()
    pictures: tuple[str, ...] = ()


def read_html(html: str) -> Reading:
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    lines = ("".join(reader.parts)).split("\n")
    text = "\n".join(" ".join(line.split()) for line in lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return Reading(text=text.strip(), links=tuple(reader.links), pictures=tuple(reader.pictures))


# -- comparing -----------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldDiff:
    name: str
    spans: tuple[Span, ...]

    @property
    def changed(self) -> bool:
        return changed(self.spans)

    def as_dict(self, context: int | None = 40) -> dict[str, Any]:
        spans = trim(self.spans, context) if context is not None else self.spans
        return {
            "field": self.name,
            "changed": self.changed,
            "spans": [s.as_dict() for s in spans],
        }


@dataclass(frozen=True)
class SetDiff:
    """Items added and removed (links, targets, pictures by hash)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def as_dict(self) -> dict[str, list[str]]:
        return {"added": list(self.added), "removed": list(self.removed)}


def set_diff(old: Sequence[str], new: Sequence[str]) -> SetDiff:
    before, after = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    return SetDiff(
        added=tuple(x for x in after if x not in before),
        removed=tuple(x for x in before if x not in after),
    )


def compare_texts(old: Mapping[str, str], new: Mapping[str, str]) -> list[FieldDiff]:
    """Field by field, in the order of ``new`` then fields only ``old`` had."""
    names = [*new, *(n for n in old if n not in new)]
    return [FieldDiff(n, tuple(char_diff(old.get(n, ""), new.get(n, "")))) for n in names]


@dataclass(frozen=True)
class PictureChange:
    role: str  # cover, image-1, or a body picture's name
    old: str | None  # SHA-256, None when added
    new: str | None  # SHA-256, None when removed

    def as_dict(self) -> dict[str, str | None]:
        return {"role": self.role, "old": self.old, "new": self.new}


def compare_pictures(old: Mapping[str, str], new: Mapping[str, str]) -> list[PictureChange]:
    """Pictures by role or name → SHA-256: the ones added, removed or replaced."""
    return [
        PictureChange(role, old.get(role), new.get(role))
        for role in [*new, *(r for r in old if r not in new)]
        if old.get(role) != new.get(role)
    ]


@dataclass(frozen=True)
class VariantDiff:
    """One channel's rendered variant compared with the same channel's earlier one."""

    channel: str
    old_hash: str | None
    new_hash: str | None
    fields: tuple[FieldDiff, ...] = ()
    links: SetDiff = field(default_factory=SetDiff)
    pictures: tuple[PictureChange, ...] = ()

    @property
    def changed(self) -> bool:
        return self.old_hash != self.new_hash

    def as_dict(self, context: int | None = 40) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "old_hash": self.old_hash,
            "new_hash": self.new_hash,
            "changed": self.changed,
            "fields": [f.as_dict(context) for f in self.fields if f.changed],
            "links": self.links.as_dict(),
            "pictures": [p.as_dict() for p in self.pictures],
        }


HTML_FIELDS = frozenset({"article_html", "content", "html"})


def _readable(payload: Mapping[str, Any] | None) -> tuple[dict[str, str], list[str]]:
    """A variant payload's fields as text a reader sees, and the links in it."""
    if not payload:
        return {}, []
    texts: dict[str, str] = {}
    links: list[str] = []
    for name, value in payload.get("fields", {}).items():
        if not isinstance(value, str):
            value = str(value)
        if name in HTML_FIELDS:
            reading = read_html(value)
            texts[name] = reading.text
            links += reading.links
        else:
            texts[name] = value
            if name in ("content_source_url", "link", "url"):
                links.append(value)
    return texts, links


def compare_variants(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, *, old_hash: str | None,
    new_hash: str | None,
) -> VariantDiff:  # fmt: skip
    channel = (new or old or {}).get("channel", "")
    old_texts, old_links = _readable(old)
    new_texts, new_links = _readable(new)
    return VariantDiff(
        channel=channel,
        old_hash=old_hash,
        new_hash=new_hash,
        fields=tuple(compare_texts(old_texts, new_texts)),
        links=set_diff(old_links, new_links),
        pictures=tuple(
            compare_pictures(
                {i["role"]: i["sha256"] for i in (old or {}).get("images", [])},
                {i["role"]: i["sha256"] for i in (new or {}).get("images", [])},
            )
        ),
    )

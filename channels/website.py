"""The organisation's own website: a static site written to a folder.

Layout under the site folder::

    index.html                    every column, newest articles first
    <column>/index.html           the column's article list
    <column>/feed.xml             its Atom feed
    <column>/<slug>/index.html    one page per article, its pictures beside it
    <column>/articles.json        the column's manifest, the source of the two lists

A website account is one column; its ``platform_id`` names the folder. Publishing
is idempotent: the same post written twice leaves the same files. Expired items
are withdrawn: the page says so and the lists drop it.

An article page is the site's chrome (header, publishing time, footer: the envelope,
added at send time) around the approved fragment, which is the variant's
``article_html`` exactly as 三校 and 终审 signed it, between two markers::

    <!-- matrixpub:approved variant=<the signed variant's hash> -->
    ...the approved fragment, byte for byte...<!-- /matrixpub:approved -->

:func:`approved_fragment` takes it out of a page again; the pictures beside the page are
the signed pictures' bytes.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import json
import os
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    DeliveryKind,
    DeliveryState,
    Form,
    ImageSpec,
    Measure,
    MediaStore,
    Receipt,
    RenderInput,
    Target,
    Variant,
    VariantImage,
    Violation,
)
from channels.images import ImageProblem, fit
from channels.markup import markdown_to_html
from channels.rendering import render_template

SPEC = ChannelSpec(
    key="website",
    label="门户网站",
    delivery=DeliveryKind.SITE,
    form=Form.ARTICLE,
    title_max=80,
    summary_max=300,
    cover=ImageSpec(ratio=None, max_width=1200, max_bytes=1_500_000, formats=("JPEG",)),
    max_images=1,
)

BODY_IMAGE = ImageSpec(ratio=None, max_width=1200, max_bytes=1_000_000, formats=("JPEG",))

_SLUG = re.compile(r"[^a-z0-9_-]+")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


def place_body_pictures(
    body_html: str,
    source: RenderInput,
    images: list[VariantImage],
    problems: list[Violation],
    *,
    prefix: str = "",
) -> str:
    """Pictures the Markdown names (``![说明](photo.jpg)``) and the draft carries are
    re-encoded (``BODY_IMAGE``), appended to ``images`` as ``image-N`` and named in the
    HTML by ``prefix`` and their file name: the website publishes them beside the page, the
    webhook sends them with its payload (or, with a ``prefix``, points at the website's
    copies). Web addresses stay as they are; a name the draft does not carry is a
    problem."""
    placed: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        if src.startswith(("http://", "https://")):
            return match.group(0)
        if src not in placed:
            data = source.images.get(src)
            if data is None:
                problems.append(
                    Violation(
                        "body", "missing_image", f"picture {src} is not attached to the draft"
                    )
                )
                placed[src] = src
            else:
                try:
                    image = fit(data, BODY_IMAGE, role=f"image-{len(placed) + 1}")
                except ImageProblem as exc:
                    problems.append(Violation("body", "bad_image", f"{src}: {exc.message}"))
                    placed[src] = src
                else:
                    images.append(image)
                    placed[src] = prefix + image.filename
        return f"{match.group(1)}{html.escape(placed[src])}{match.group(3)}"

    return _IMG_SRC.sub(swap, body_html)


def column_slug(target: Target) -> str:
    """The folder of a website account: its platform ID made URL-safe, else ``column-<id>``."""
    if target.platform_id:
        slug = _SLUG.sub("-", target.platform_id.strip().lower()).strip("-")
        if slug:
            return slug
    return f"column-{target.account_id}"


def article_url(site_url: str, target: Target, draft_id: int) -> str:
    return f"{site_url.rstrip('/')}/{column_slug(target)}/{draft_id}/index.html"


APPROVED_START = re.compile(r"<!-- matrixpub:approved variant=([0-9a-f]{64}) -->\n")
APPROVED_END = "<!-- /matrixpub:approved -->"


def approved_fragment(page: str) -> tuple[str, str]:
    """(the signed variant's hash, the approved fragment) of an article page."""
    start = APPROVED_START.search(page)
    if start is None:
        raise ValueError("the page has no approved fragment")
    end = page.index(APPROVED_END, start.end())
    return start.group(1), page[start.end() : end]


def page_html(
    variant: Variant, *, column: str, unit: str, published: datetime, home: str = "../../index.html"
) -> str:
    """The article's page in the site's chrome: what the site serves, and what reviewers
    see in the preview. The variant's fragment goes in unchanged, between the markers."""
    return render_template(
        "site/article.html.j2",
        variant_hash=variant.hash,
        article_html=variant.fields["article_html"],
        title=variant.fields["title"],
        column=column,
        unit=unit,
        published=published,
        home=home,
    )


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class WebsiteChannel:
    key = "website"
    spec = SPEC

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    # -- format ---------------------------------------------------------------------------
    def render(self, source: RenderInput) -> Variant:
        content = source.content
        override = content.for_channel(self.key)
        title = override.title or content.title
        summary = override.summary or content.summary or ""
        body_html = markdown_to_html(override.body or content.body)
        images: list[VariantImage] = []
        problems: list[Violation] = []
        if source.cover is not None:
            assert SPEC.cover is not None
            try:
                images.append(
                    fit(source.cover, SPEC.cover, role="cover", focus=content.cover_focus)
                )
            except ImageProblem as exc:
                problems.append(Violation("cover", "bad_image", f"cover: {exc.message}"))
        body_html = place_body_pictures(body_html, source, images, problems)
        article_html = render_template(
            "channels/website.html.j2",
            title=title,
            summary=summary,
            body_html=body_html,
            cover=images[0].filename if images and images[0].role == "cover" else None,
        )
        measures = (
            Measure("title", len(title), SPEC.title_max, "chars"),
            Measure("summary", len(summary), SPEC.summary_max, "chars"),
        )
        violations = tuple(
            Violation(
                m.field,
                "too_long",
                f"{m.field} has {m.value} characters; the website allows {m.limit}",
            )
            for m in measures
            if m.over
        ) + tuple(problems)
        return Variant(
            channel=self.key,
            fields={
                "slug": str(source.draft_id),
                "title": title,
                "summary": summary,
                "article_html": article_html,
            },
            images=tuple(images),
            measures=measures,
            violations=violations,
        )

    # -- deliver --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.config.site_dir.mkdir(parents=True, exist_ok=True)
        with open(self.config.site_dir / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _manifest_path(self, column: str) -> Path:
        return self.config.site_dir / column / "articles.json"

    def _read_manifest(self, column: str) -> dict[str, Any]:
        path = self._manifest_path(column)
        if path.exists():
            return json.loads(path.read_text("utf-8"))
        return {"column": column, "articles": []}

    def publish(
        self,
        variant: Variant,
        target: Target,
        *,
        secret: Mapping[str, str] | None = None,
        key: str = "",
        http: Any = None,
        media: MediaStore | None = None,
    ) -> Receipt:
        site = self.config.site_dir
        column = column_slug(target)
        slug = variant.fields["slug"]
        published = datetime.now(ZoneInfo(self.config.timezone)).replace(microsecond=0)
        with self._locked():
            manifest = self._read_manifest(column)
            existing = next((a for a in manifest["articles"] if a["slug"] == slug), None)
            if existing and existing.get("key") == key and not existing.get("withdrawn"):
                # The same post delivered again after a crash: nothing to change.
                return self._receipt(target, column, slug)
            folder = site / column / slug
            for image in variant.images:
                _write_atomic(folder / image.filename, image.data)
            page = page_html(variant, column=target.name, unit=target.unit, published=published)
            _write_atomic(folder / "index.html", page.encode("utf-8"))
            entry = {
                "slug": slug,
                "key": key,
                "title": variant.fields["title"],
                "summary": variant.fields.get("summary", ""),
                "published": published.isoformat(),
                "withdrawn": False,
            }
            manifest["articles"] = [a for a in manifest["articles"] if a["slug"] != slug]
            manifest["articles"].append(entry)
            manifest.update({"name": target.name, "unit": target.unit})
            self._write_lists(column, manifest)
        return self._receipt(target, column, slug)

    def _receipt(self, target: Target, column: str, slug: str) -> Receipt:
        return Receipt(
            state=DeliveryState.PUBLISHED,
            external_id=f"{column}/{slug}",
            url=f"{self.config.site_url}/{column}/{slug}/index.html",
            detail=f"written to {self.config.site_dir / column / slug / 'index.html'}",
        )

    def _write_lists(self, column: str, manifest: dict[str, Any]) -> None:
        site = self.config.site_dir
        manifest["articles"].sort(key=lambda a: (a["published"], a["slug"]), reverse=True)
        _write_atomic(
            self._manifest_path(column),
            json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"),
        )
        live = [a for a in manifest["articles"] if not a.get("withdrawn")]
        _write_atomic(
            site / column / "index.html",
            render_template("site/column.html.j2", column=manifest, articles=live).encode(),
        )
        updated = live[0]["published"] if live else datetime.now(ZoneInfo("UTC")).isoformat()
        _write_atomic(
            site / column / "feed.xml",
            render_template(
                "site/feed.xml.j2",
                column=manifest,
                articles=live[:50],
                base=f"{self.config.site_url}/{column}",
                updated=updated,
            ).encode(),
        )
        columns = []
        for path in sorted(site.glob("*/articles.json")):
            data = json.loads(path.read_text("utf-8"))
            data["live"] = [a for a in data["articles"] if not a.get("withdrawn")][:10]
            columns.append(data)
        _write_atomic(
            site / "index.html", render_template("site/index.html.j2", columns=columns).encode()
        )

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None = None,
        http: Any = None,
    ) -> Receipt:
        return receipt  # writing the site is synchronous: what was written is live

    def withdraw(self, receipt: Receipt, target: Target, *, reason: str) -> None:
        """Take an article off the site: its page says it was withdrawn; lists drop it."""
        column = column_slug(target)
        slug = (receipt.external_id or "").rsplit("/", 1)[-1]
        with self._locked():
            manifest = self._read_manifest(column)
            for article in manifest["articles"]:
                if article["slug"] == slug:
                    article["withdrawn"] = True
            page = render_template("site/withdrawn.html.j2", column=target.name, reason=reason)
            folder = self.config.site_dir / column / slug
            for stale in folder.glob("*"):
                stale.unlink()
            _write_atomic(folder / "index.html", page.encode("utf-8"))
            self._write_lists(column, manifest)

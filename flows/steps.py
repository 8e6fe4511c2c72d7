"""The work behind each flow, as plain functions: load from the database, call the
channels, store the results. Tasks in the flow modules wrap these one batch at a time,
so orchestration stays a thin layer and the work can be measured on its own."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from channels import images as images_mod
from channels.base import Channel, RenderInput, Target, Variant, Violation
from channels.linkcheck import LinkStatus
from channels.links import with_public_links
from channels.website import article_url
from domain.errors import (
    InvalidInput,
)
from domain.proofread import Checker, extract_urls, link_finding
from flows.context import FlowContext
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import proofread as proofread_db
from sqlmodel_db.blobs import get_blob, get_blobs
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Account, User


def target_of(account: Account) -> Target:
    return Target(
        account_id=account.id or 0,
        platform=account.platform,
        name=account.name,
        unit=account.unit,
        platform_id=account.platform_id,
        url=account.url,
        is_main=account.is_main,
        unsigned=account.unsigned,
    )


# -- rendering -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderOutcome:
    version_id: int
    channels: list[str]
    violations: dict[str, list[str]]

    @property
    def problems(self) -> list[str]:
        return [f"{c}: {m}" for c, ms in sorted(self.violations.items()) for m in ms]


def render_version(ctx: FlowContext, version_id: int) -> RenderOutcome:
    """Render every targeted channel of one version and store the variants."""
    with session_scope(ctx.engine) as session:
        version = drafts_db.get_version(session=session, version_id=version_id)
        accounts = drafts_db.target_accounts(session=session, version=version)
        content = drafts_db.content_of(version)
        cover = (
            get_blob(session=session, sha256=version.cover_sha256).data
            if version.cover_sha256
            else None
        )
        stored = get_blobs(session=session, hashes=content.images.values())
        images = {name: stored[sha] for name, sha in content.images.items()}
        draft = drafts_db.get_draft(session=session, draft_id=version.draft_id)
        author = session.get(User, draft.author_id)
        draft_id = version.draft_id
    websites = sorted(
        (a for a in accounts if a.platform == "website"), key=lambda a: (not a.is_main, a.id)
    )
    link = (
        article_url(ctx.settings.site_url, target_of(websites[0]), draft_id) if websites else None
    )
    source = RenderInput(
        draft_id=draft_id,
        content=content,
        cover=cover,
        website_url=link,
        images=images,
        author=author.name if author else None,
    )
    rendered: list[drafts_db.RenderedVariant] = []
    violations: dict[str, list[str]] = {}
    keys = sorted({a.platform for a in accounts})
    if cover is not None:
        # Decode the cover once for every channel's cut; each channel's own fit() then
        # finds its result in the image cache.
        specs = {k: ch.spec.cover for k in keys if (ch := ctx.channels.get(k)) and ch.spec.cover}
        with contextlib.suppress(InvalidInput):
            images_mod.fit_all(cover, specs, focus=content.cover_focus)
    for key in keys:
        channel = ctx.channels.get(key)
        if channel is None:
            variant = Variant(
                channel=key,
                fields={},
                violations=(Violation("channel", "unsupported", f"no channel adapter for {key}"),),
            )
        else:
            variant = _render_one(channel, source)
        if key != "website":  # what goes to another platform's readers links to the public
            variant = with_public_links(variant, site_url=ctx.settings.site_url)
        if variant.violations:
            violations[key] = [v.message for v in variant.violations]
        rendered.append(
            drafts_db.RenderedVariant(
                channel=key,
                payload=variant.payload(),
                hash=variant.hash,
                images={i.sha256: (i.data, i.media_type) for i in variant.images},
            )
        )
    with session_scope(ctx.engine) as session:
        drafts_db.store_variants(session=session, version_id=version_id, variants=rendered)
    return RenderOutcome(
        version_id=version_id, channels=[r.channel for r in rendered], violations=violations
    )


def _render_one(channel: Channel, source: RenderInput) -> Variant:
    try:
        return channel.render(source)
    except InvalidInput as exc:  # a picture that cannot be used, and the like
        return Variant(
            channel=channel.key,
            fields={},
            violations=(Violation("content", "invalid", exc.message),),
        )


def pending_versions(ctx: FlowContext) -> list[int]:
    """Current versions of submitted drafts: the ones waiting for their automatic work."""
    with session_scope(ctx.engine) as session:
        return [
            drafts_db.current_version(session=session, draft=draft).id or 0
            for draft in drafts_db.list_drafts(session=session, state="submitted")
        ]


def prepare_batch(
    ctx: FlowContext, version_ids: Sequence[int], links: Mapping[str, LinkStatus] | None = None
) -> list[dict[str, Any]]:
    """Render and check each version, then move its draft on."""
    outcomes = []
    for version_id in version_ids:
        rendered = render_version(ctx, version_id)
        checked = check_version(ctx, version_id, links or {})
        state = finish_preparation(ctx, version_id, rendered.problems)
        outcomes.append(
            {
                "version_id": version_id,
                "channels": rendered.channels,
                "problems": rendered.problems,
                "state": state,
                "findings": checked["findings"],
                "blocking": checked["blocking"],
            }
        )
    return outcomes


def stored_variants(ctx: FlowContext, version_id: int) -> list[Variant]:
    """The version's rendered variants with their pictures, rendering them if needed."""
    with session_scope(ctx.engine) as session:
        rows = drafts_db.variants_for(session=session, version_id=version_id)
    if not rows:
        render_version(ctx, version_id)
        with session_scope(ctx.engine) as session:
            rows = drafts_db.variants_for(session=session, version_id=version_id)
    with session_scope(ctx.engine) as session:
        payloads = [drafts_db.variant_payload(row) for row in rows]
        blobs = get_blobs(
            session=session, hashes=[i["sha256"] for p in payloads for i in p["images"]]
        )
    return [Variant.from_payload(payload, blobs) for payload in payloads]


def version_label(ctx: FlowContext, version_id: int) -> tuple[int, int]:
    """(draft id, version number) of a version."""
    with session_scope(ctx.engine) as session:
        version = drafts_db.get_version(session=session, version_id=version_id)
        return version.draft_id, version.number


def variant_payloads(ctx: FlowContext, version_id: int) -> list[dict[str, Any]]:
    """The version's stored variant payloads (no picture bytes)."""
    with session_scope(ctx.engine) as session:
        return [
            drafts_db.variant_payload(row)
            for row in drafts_db.variants_for(session=session, version_id=version_id)
        ]


def preview_rows(payloads: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per measured field (what each platform gets against its limits), and one
    per violation."""
    rows: list[dict[str, Any]] = []
    for payload in payloads:
        channel = payload["channel"]
        for m in payload["measures"]:
            over = m["limit"] is not None and m["value"] > m["limit"]
            rows.append(
                {
                    "channel": channel,
                    "field": m["field"],
                    "value": m["value"],
                    "limit": m["limit"],
                    "unit": m["unit"],
                    "over": over,
                    "message": "",
                }
            )
        for v in payload["violations"]:
            rows.append(
                {
                    "channel": channel,
                    "field": v["field"],
                    "value": None,
                    "limit": None,
                    "unit": v["code"],
                    "over": True,
                    "message": v["message"],
                }
            )
    return rows


def write_previews(
    ctx: FlowContext, version_id: int, out_dir: Path, *, channel: str | None = None
) -> dict[str, Any]:
    """Write ``out_dir/<channel>/``: variant.json (the stored variant: its text exactly as
    it will be sent, picture file names, lengths with limits, violations) and the pictures.
    The pages people read beside them (each channel's preview.html, and index.html) are
    written by the face that asked, in its reader's language (``console.previews``)."""
    variants = [v for v in stored_variants(ctx, version_id) if channel in (None, v.channel)]
    if channel and not variants:
        raise InvalidInput("the draft does not go to any {channel} account", channel=channel)
    written = []
    for variant in variants:
        folder = out_dir / variant.channel
        folder.mkdir(parents=True, exist_ok=True)
        payload = variant.payload()
        (folder / "variant.json").write_text(
            json.dumps({**payload, "hash": variant.hash}, ensure_ascii=False, indent=2) + "\n",
            "utf-8",
        )
        for image in variant.images:
            (folder / image.filename).write_bytes(image.data)
        written.append(
            {
                "channel": variant.channel,
                "label": ctx.channels[variant.channel].spec.label,
                "dir": str(folder),
                "href": f"{variant.channel}/preview.html",
                "hash": variant.hash,
                "violations": payload["violations"],
            }
        )
    return {
        "version_id": version_id,
        "out": str(out_dir),
        "channels": written,
        "rows": preview_rows([v.payload() for v in variants]),
    }


# -- proofreading (错敏检查) ----------------------------------------------------------------
LINK_TIMEOUT = 5.0
_checkers: dict[tuple[tuple[str, str], ...], Checker] = {}


def checker_for(ctx: FlowContext) -> Checker:
    """A checker over the stored word lists, rebuilt only when a list's version changes."""
    with session_scope(ctx.engine) as session:
        lists = proofread_db.lexicons(session=session)
    key = tuple(sorted((lex.category, lex.version) for lex in lists))
    if key not in _checkers:
        _checkers.clear()
        _checkers[key] = Checker(lists)
    return _checkers[key]


def version_urls(ctx: FlowContext, version_ids: Sequence[int]) -> list[str]:
    urls: set[str] = set()
    with session_scope(ctx.engine) as session:
        for version_id in version_ids:
            content = drafts_db.content_of(
                drafts_db.get_version(session=session, version_id=version_id)
            )
            for text in content.texts().values():
                urls.update(url for _, _, url in extract_urls(text))
    return sorted(urls)


def fetch_links(
    urls: Sequence[str],
    *,
    allow: Sequence[tuple[str, int]] = (),
    timeout: float = LINK_TIMEOUT,
    workers: int = 8,
) -> dict[str, LinkStatus]:
    """HEAD each URL (GET when HEAD is refused), a few at a time, with a short timeout,
    never into a non-public address (see :mod:`channels.linkcheck`)."""
    from channels.linkcheck import LinkChecker

    return LinkChecker(allow=allow, timeout=timeout).check_all(urls, workers=workers)


def check_version(
    ctx: FlowContext, version_id: int, links: Mapping[str, LinkStatus]
) -> dict[str, Any]:
    """Run every check over the version's texts and keep the run with the lists' versions."""
    checker = checker_for(ctx)
    with session_scope(ctx.engine) as session:
        version = drafts_db.get_version(session=session, version_id=version_id)
        content = drafts_db.content_of(version)
    found: list[tuple[str, dict[str, Any]]] = []
    links_in: set[str] = set()
    for field_name, text in content.texts().items():
        for finding in checker.check(text):
            found.append((field_name, finding.to_dict()))
        for start, end, url in extract_urls(text):
            if url in links:
                links_in.add(url)
                status, error = links[url]
                link = link_finding(start, end, url, status, error)
                if link is not None:
                    found.append((field_name, link.to_dict()))
    with session_scope(ctx.engine) as session:
        run = proofread_db.store_check_run(
            session=session,
            version_id=version_id,
            content_hash=version.content_hash,
            lexicon_versions=checker.lexicon_versions,
            findings=found,
            links_checked=len(links_in),
        )
        return {"check_run_id": run.id, "findings": run.findings, "blocking": run.blocking}


def finish_preparation(ctx: FlowContext, version_id: int, problems: Sequence[str]) -> str:
    with session_scope(ctx.engine) as session:
        draft = drafts_db.finish_preparation(
            session=session, version_id=version_id, problems=problems
        )
        return draft.state

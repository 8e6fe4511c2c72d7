"""What is sent is what was approved: the website page and the webhook payload carry the
signed variant byte for byte inside their envelope (the page's chrome, the payload's
time and account), and the pictures are the signed pictures' bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlmodel import select

from channels.website import approved_fragment
from domain.hashing import sha256_hex
from flows import delivery
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Blob, Decision, Post, Variant
from tests.dispatch.helpers import approved_posts
from tests.factories import World, jpeg
from tests.fakes import FakeWebhook

BODY_MARK = "各区县文化和旅游局"


@pytest.fixture
def sent(sqlite_world: World) -> Iterator[tuple[World, FakeWebhook, dict[str, Variant]]]:
    w = sqlite_world
    w.environ["MATRIXPUB_SITE_URL"] = "https://www.example.gov.cn"
    with FakeWebhook() as hook, requests.Session() as http:
        account = w.add_account("hook", platform="webhook", url=hook.endpoint)
        posts = approved_posts(w, [w.accounts["web"], account], drafts=1, cover=jpeg())
        ids = delivery.claim_batch(w.ctx, worker="t:1", limit=10)
        report = delivery.deliver_batch(w.ctx, ids, worker="t:1", http=http)
        assert sorted(report.published) == sorted(posts), report.messages
        with session_scope(w.engine) as session:
            rows = session.exec(select(Post, Variant).where(Post.variant_id == Variant.id))
            signed = {variant.channel: variant for _post, variant in rows}
            for variant in signed.values():
                session.expunge(variant)
        yield w, hook, signed


def pinned(w: World, channel: str) -> set[str]:
    """The hashes 三校 and 终审 pinned for ``channel``."""
    with session_scope(w.engine) as session:
        return {
            d.variant_hashes[channel]
            for d in session.exec(select(Decision))
            if d.variant_hashes is not None
        }


def test_the_website_page_holds_the_approved_fragment_byte_for_byte(
    sent: tuple[World, FakeWebhook, dict[str, Variant]],
) -> None:
    w, _hook, signed = sent
    variant = signed["website"]
    page = next(Path(w.ctx.settings.site_dir).glob("web/*/index.html"))
    html = page.read_bytes().decode("utf-8")
    assert "发布时间" in html  # the envelope: the site's chrome and the time of publishing
    marked, fragment = approved_fragment(html)
    approved = drafts_db.variant_payload(variant)["fields"]["article_html"]
    assert fragment.encode("utf-8") == approved.encode("utf-8") and BODY_MARK in fragment
    assert pinned(w, "website") == {variant.hash} == {marked}
    with session_scope(w.engine) as session:
        for image in drafts_db.variant_payload(variant)["images"]:
            written = (page.parent / image["filename"]).read_bytes()
            blob = session.get(Blob, image["sha256"])
            assert blob is not None and written == blob.data
            assert sha256_hex(written) == image["sha256"]


def test_the_webhook_payload_holds_the_approved_variant_byte_for_byte(
    sent: tuple[World, FakeWebhook, dict[str, Variant]],
) -> None:
    w, hook, signed = sent
    variant = signed["webhook"]
    (request,) = hook.calls("/hooks/matrixpub")
    approved = variant.payload.encode("utf-8")  # the stored canonical JSON that was signed
    assert approved in request.body
    assert sha256_hex(approved) == variant.hash and pinned(w, "webhook") == {variant.hash}
    body = request.json
    assert body["variant_hash"] == variant.hash and body["sent_at"]  # the envelope
    assert body["account"]["name"] == "hook"
    assert BODY_MARK in body["approved"]["fields"]["html"]
    (image,) = body["images"]
    assert image["sha256"] == body["approved"]["images"][0]["sha256"]

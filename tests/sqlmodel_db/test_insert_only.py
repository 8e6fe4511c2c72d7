"""Stored pictures, rendered variants and delivery records are insert-only: the database
refuses to change them, and rendering a signed version again never rewrites what was
signed. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from sqlalchemy import exc, text
from sqlmodel import select

from flows import delivery, steps
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import posts as posts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Variant
from tests.factories import World, jpeg, world
from tests.fakes import FakeWebhook


@pytest.fixture
def w(engine: Any, tmp_path: Any) -> World:
    return world(engine, tmp_path / "home")


def refused(w: World, sql: str) -> None:
    with pytest.raises(exc.DatabaseError, match="insert-only"), w.engine.begin() as conn:
        conn.execute(text(sql))


def delivered(w: World) -> tuple[int, int]:
    """(draft id, post id): a draft with a cover, signed, delivered to the website."""
    draft_id = w.new_draft(cover=jpeg())
    w.submit(draft_id)
    w.approve_all(draft_id)
    (post_id,) = delivery.plan_posts(w.ctx, draft_id)
    ids = delivery.claim_batch(w.ctx, worker="t:1", limit=10)
    assert delivery.deliver_batch(w.ctx, ids, worker="t:1").published == [post_id]
    return draft_id, post_id


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE blobs SET data = data",
        "DELETE FROM blobs",
        "UPDATE variants SET payload = payload",
        "DELETE FROM variants",
        "UPDATE delivery_attempts SET worker = 'someone else'",
        "DELETE FROM delivery_attempts",
        "UPDATE delivery_results SET outcome = 'failed'",
        "DELETE FROM delivery_results",
    ],
)
def test_the_database_refuses_to_change_stored_bytes_and_records(w: World, sql: str) -> None:
    delivered(w)
    refused(w, sql)


def test_a_working_copys_previews_may_be_dropped(w: World) -> None:
    """Variants rendered from a working copy (never submitted, never signed) are dropped
    when the author edits it: the only deletion the guard lets through."""
    hook = w.add_account("hook", platform="webhook", url="https://hooks.example.gov.cn/in")
    draft_id = w.new_draft(targets=[w.accounts["web"], hook])
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version_id = drafts_db.current_version(session=session, draft=draft).id or 0
    steps.render_version(w.ctx, version_id)
    # Previewed again after the site's address changed: the webhook variant (it carries
    # the article's link) gets a second row; the edit drops both, not only the newest.
    w.environ["MATRIXPUB_SITE_URL"] = "https://www.example.gov.cn"
    steps.render_version(w.ctx, version_id)
    rows = select(Variant).where(Variant.version_id == version_id)
    with session_scope(w.engine) as session:
        assert [r.channel for r in session.exec(rows)].count("webhook") == 2
        drafts_db.edit_draft(
            session=session, actor=w.users["author"], draft_id=draft_id, summary="改后的摘要"
        )
    with session_scope(w.engine) as session:
        assert list(session.exec(rows)) == []


def test_rendering_a_signed_version_again_never_rewrites_what_was_signed(
    w: World, tmp_path: Any
) -> None:
    """After 终审 and planning, the version is rendered again with another site address
    (its webhook variant carries the article link): the signed row stays as it was, the
    new rendering is a new row, and the post still delivers the signed bytes."""
    with FakeWebhook() as hook:
        account = w.add_account("hook", platform="webhook", url=hook.endpoint)
        draft_id = w.new_draft(targets=[w.accounts["web"], account])
        w.environ["MATRIXPUB_SITE_URL"] = "https://www.example.gov.cn"
        w.submit(draft_id)
        w.approve_all(draft_id)
        posts = delivery.plan_posts(w.ctx, draft_id)
        with session_scope(w.engine) as session:
            (post,) = [
                p
                for p in (posts_db.get_post(session=session, post_id=i) for i in posts)
                if p.account_id == account
            ]
            signed = session.get(Variant, post.variant_id)
            assert signed is not None
        w.environ["MATRIXPUB_SITE_URL"] = "https://new.example.gov.cn"
        steps.render_version(w.ctx, post.version_id)
        with session_scope(w.engine) as session:
            rows = list(
                session.exec(
                    select(Variant)
                    .where(Variant.version_id == post.version_id)
                    .where(Variant.channel == "webhook")
                )
            )
        assert rows[0].id == signed.id and len(rows) == 2
        assert (rows[0].payload, rows[0].hash) == (signed.payload, signed.hash)
        assert "new.example.gov.cn" in rows[1].payload
        ids = delivery.claim_batch(w.ctx, worker="t:1", limit=10)
        with requests.Session() as http:
            report = delivery.deliver_batch(w.ctx, ids, worker="t:1", http=http)
        assert sorted(report.published) == sorted(posts), report.messages
        (payload,) = hook.payloads
        assert "https://www.example.gov.cn/" in str(payload)
        assert "new.example.gov.cn" not in str(payload)

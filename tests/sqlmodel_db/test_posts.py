"""Posts on the real database: claimed under a lease, re-checked before sending,
released with their result; a dispatcher that dies leaves nothing lost or doubled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from domain.errors import Refused
from domain.hashing import canonical_json, hash_value
from flows import delivery
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import posts as posts_db
from sqlmodel_db import sending
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import DeliveryAttempt, DeliveryResult, Post
from sqlmodel_db.types import utcnow
from tests.factories import World, jpeg, tamper, world


@pytest.fixture
def w(engine: Any, tmp_path: Any) -> World:
    return world(engine, tmp_path / "home")


def approved(w: World, n_accounts: int = 1) -> tuple[int, list[int]]:
    targets = [w.accounts["web"]] + [w.add_account(f"col{i}") for i in range(n_accounts - 1)]
    draft_id = w.new_draft(targets=targets)
    w.submit(draft_id)
    w.approve_all(draft_id)
    return draft_id, delivery.plan_posts(w.ctx, draft_id)


def test_posts_are_queued_once_per_target(w: World) -> None:
    draft_id, posts = approved(w, 3)
    assert len(posts) == 3
    assert delivery.plan_posts(w.ctx, draft_id) == []  # planning again adds nothing
    with session_scope(w.engine) as session:
        rows = session.exec(select(Post)).all()
        assert {r.state for r in rows} == {"queued"}
        assert len({r.idempotency_key for r in rows}) == 3


def test_only_approved_drafts_get_posts(w: World) -> None:
    draft_id = w.new_draft()
    with session_scope(w.engine) as session, pytest.raises(Refused, match="approved"):
        posts_db.create_posts(
            session=session,
            draft_id=draft_id,
            plans=[posts_db.PlannedPost(account_id=w.accounts["web"], due_at=utcnow())],
            actor_id=None,
        )


def test_claim_takes_due_posts_once(w: World) -> None:
    _, posts = approved(w, 3)
    now = utcnow()
    with session_scope(w.engine) as session:
        first = posts_db.claim_due(
            session=session, worker="a", now=now, limit=2, lease=timedelta(minutes=5)
        )
    with session_scope(w.engine) as session:
        second = posts_db.claim_due(
            session=session, worker="b", now=now, limit=10, lease=timedelta(minutes=5)
        )
    assert len(first) == 2 and len(second) == 1
    assert {p.id for p in first} | {p.id for p in second} == set(posts)
    assert {p.lease_owner for p in first} == {"a"}


def test_future_posts_are_not_claimed(w: World) -> None:
    approved(w, 1)
    with session_scope(w.engine) as session:
        claimed = posts_db.claim_due(
            session=session,
            worker="a",
            now=utcnow() - timedelta(hours=1),
            limit=10,
            lease=timedelta(minutes=5),
        )
    assert claimed == []


def test_dead_dispatcher_mid_send_leaves_unknown_not_a_resend(w: World) -> None:
    approved(w, 2)
    now = utcnow()
    with session_scope(w.engine) as session:
        claimed = posts_db.claim_due(
            session=session, worker="dead", now=now, limit=10, lease=timedelta(seconds=1)
        )
        claim = sending.load_claim(session=session, post_id=claimed[0].id or 0)
        assert claim is not None
        sending.start_attempt(session=session, claim=claim, worker="dead", lease=timedelta(0))
        in_flight, untouched = claimed[0].id, claimed[1].id
    later = now + timedelta(seconds=5)
    with session_scope(w.engine) as session:
        moved = posts_db.recover_expired(session=session, now=later)
    assert moved == {"queued": [untouched], "pending": [], "unknown": [in_flight]}
    with session_scope(w.engine) as session:
        reclaimed = posts_db.claim_due(
            session=session, worker="next", now=later, limit=10, lease=timedelta(minutes=5)
        )
        assert [p.id for p in reclaimed] == [untouched]
        attempt = session.exec(
            select(DeliveryAttempt).where(DeliveryAttempt.post_id == in_flight)
        ).one()
        (result,) = session.exec(
            select(DeliveryResult).where(DeliveryResult.attempt_id == attempt.id)
        ).all()
        assert (result.outcome, result.applied) == ("unknown", True)


# -- the send-time check, as the dispatcher runs it ----------------------------------------
def dispatch(w: World) -> delivery.BatchReport:
    ids = delivery.claim_batch(w.ctx, worker="test:1", limit=50)
    return delivery.deliver_batch(w.ctx, ids, worker="test:1")


def refused(w: World, post_id: int) -> Post:
    report = dispatch(w)
    assert report.published == [] and report.refused == [post_id], report.as_dict()
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=post_id)
    assert post.state == "failed", post.last_error
    assert not any(w.ctx.settings.site_dir.glob("*/*/index.html")), "it was published"
    return post


def test_tampered_variant_is_refused_before_sending(w: World) -> None:
    _, posts = approved(w, 1)
    tamper(w.engine, "UPDATE variants SET payload = replace(payload, '通知', '通告')")
    post = refused(w, posts[0])
    assert "altered after sign-off (hash mismatch)" in (post.last_error or "")


def test_rehashed_variant_is_refused_against_the_signed_hash(w: World) -> None:
    """Someone stores another variant with a consistent hash (variants are insert-only,
    so a new row) and points the post at it: the hash pinned at 三校 still catches it."""
    _, posts = approved(w, 1)
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=posts[0])
        signed = session.get(drafts_db.Variant, post.variant_id)
        assert signed is not None
        payload = drafts_db.variant_payload(signed)
        payload["fields"]["title"] = "篡改后的标题"
        forged = drafts_db.Variant(
            version_id=signed.version_id,
            channel=signed.channel,
            payload=canonical_json(payload).decode(),
            hash=hash_value(payload),
        )
        session.add(forged)
        session.flush()
        post.variant_id = forged.id or 0
        session.add(post)
    post = refused(w, posts[0])
    assert "differs from the one signed at 三校 proofread_3" in (post.last_error or "")


def test_replaced_picture_bytes_are_refused_before_sending(w: World) -> None:
    """The cover's stored bytes are replaced (the blob row keeps its key): rebuilt from
    what is stored, the variant no longer hashes to what 三校 and 终审 signed."""
    draft_id = w.new_draft(cover=jpeg())
    w.submit(draft_id)
    w.approve_all(draft_id)
    (post_id,) = delivery.plan_posts(w.ctx, draft_id)
    with session_scope(w.engine) as session:
        variant = session.get(
            drafts_db.Variant, posts_db.get_post(session=session, post_id=post_id).variant_id
        )
        assert variant is not None
        (cover,) = drafts_db.variant_payload(variant)["images"]
    other = jpeg(color=(200, 30, 30))
    tamper(
        w.engine,
        "UPDATE blobs SET data = :data, size = :size WHERE sha256 = :sha",
        data=other,
        size=len(other),
        sha=cover["sha256"],
    )
    post = refused(w, post_id)
    assert "stored pictures of the website variant differ" in (post.last_error or "")


def test_a_post_refused_for_its_account_is_cancelled_not_failed(w: World) -> None:
    """Whether a refused post is cancelled or failed follows from the kind of refusal."""
    from sqlmodel_db import accounts as accounts_db

    _, posts = approved(w, 1)
    with session_scope(w.engine) as session:
        # Suspended behind the dispatcher's back, as a concurrent change would be: the
        # queued post is still queued when it is claimed.
        account = session.get(accounts_db.Account, w.accounts["web"])
        assert account is not None
        account.state = "suspended"
        session.add(account)
    report = dispatch(w)
    assert report.refused == posts
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=posts[0])
    assert post.state == "cancelled" and "is suspended" in (post.last_error or "")


def test_a_post_of_a_superseded_version_is_cancelled_not_failed(w: World) -> None:
    """The draft moved on to another version between planning and sending (its queued
    posts not cancelled yet): nothing is wrong with the post, it is just no longer the
    signed version — cancelled, not failed."""
    draft_id, posts = approved(w, 1)
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        draft.version_number += 1
        session.add(draft)
    report = dispatch(w)
    assert report.refused == posts
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=posts[0])
    assert post.state == "cancelled", post.last_error
    assert "changed to version 2 after sign-off" in (post.last_error or "")


def test_new_version_after_signoff_stops_old_posts(w: World) -> None:
    draft_id, posts = approved(w, 1)
    with session_scope(w.engine) as session:
        _, _, cancelled = drafts_db.edit_draft(
            session=session, actor=w.users["author"], draft_id=draft_id, summary="更正"
        )
    assert cancelled == posts
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=posts[0])
        assert post.state == "cancelled"


def test_manual_confirmation_and_cancel(w: World) -> None:
    _, posts = approved(w, 2)
    with session_scope(w.engine) as session:
        post = posts_db.cancel_post(
            session=session, actor=w.users["author"], post_id=posts[0], reason="活动延期"
        )
        assert post.state == "cancelled"
    with session_scope(w.engine) as session, pytest.raises(Refused, match="queued"):
        posts_db.cancel_post(
            session=session, actor=w.users["author"], post_id=posts[0], reason="again"
        )
    with session_scope(w.engine) as session, pytest.raises(Refused, match="manual"):
        posts_db.confirm_manual(
            session=session, actor=w.users["author"], post_id=posts[1], url="https://example.org/x"
        )

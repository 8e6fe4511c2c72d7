"""Posts on the real database: claimed under a lease, re-checked before sending,
released with their result; a dispatcher that dies leaves nothing lost or doubled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from domain.errors import Refused
from flows import delivery
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import posts as posts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import DeliveryAttempt, Post
from sqlmodel_db.types import utcnow
from tests.factories import World, world


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
        posts_db.begin_attempt(session=session, post=claimed[0], worker="dead")
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
        assert attempt.outcome == "unknown"


def test_tampered_variant_is_refused_before_sending(w: World) -> None:
    _, posts = approved(w, 1)
    with session_scope(w.engine) as session:
        session.exec(text("UPDATE variants SET payload = replace(payload, '通知', '通告')"))
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=posts[0])
        reason, _variant = posts_db.check_before_send(session=session, post=post)
    assert reason and "altered after sign-off" in reason


def test_rehashed_variant_is_refused_against_the_signed_hash(w: World) -> None:
    """Someone rewrites a variant and its stored hash consistently: the pinned hash of
    the 三校/终审 decisions still catches it."""
    from domain.hashing import canonical_json, hash_value

    _, posts = approved(w, 1)
    with session_scope(w.engine) as session:
        variant = session.exec(select(drafts_db.Variant)).one()
        payload = drafts_db.variant_payload(variant)
        payload["fields"]["title"] = "篡改后的标题"
        variant.payload = canonical_json(payload).decode()
        variant.hash = hash_value(payload)
        session.add(variant)
    with session_scope(w.engine) as session:
        post = posts_db.get_post(session=session, post_id=posts[0])
        reason, _variant = posts_db.check_before_send(session=session, post=post)
    assert reason and "signed at 三校" in reason


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

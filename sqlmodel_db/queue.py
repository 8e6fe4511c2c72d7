"""Cancelling queued posts, on record: when an account is suspended or closed, or a new
version replaces the one that was signed. A manual package still waiting for a person is
void then as well: its post is cancelled (its folder is marked void after the commit,
``flows.delivery.void_packages``)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from sqlmodel_db import audit
from sqlmodel_db.models import Post
from sqlmodel_db.types import utcnow


def cancel_queued(
    *,
    session: Session,
    reason: str,
    actor_id: int | None,
    account_id: int | None = None,
    draft_id: int | None = None,
) -> list[int]:
    """Cancel the queued posts and waiting manual packages of an account or of a draft;
    returns their ids."""
    query = select(Post).where(col(Post.state).in_(("queued", "manual")))
    if account_id is not None:
        query = query.where(Post.account_id == account_id)
    if draft_id is not None:
        query = query.where(Post.draft_id == draft_id)
    posts = list(session.exec(query.order_by(col(Post.id)).with_for_update()))
    for post in posts:
        was = post.state
        post.state = "cancelled"
        post.last_error = f"void: {reason}" if was == "manual" else reason
        post.updated_at = utcnow()
        session.add(post)
        audit.record(
            session=session,
            actor_id=actor_id,
            action="post.cancelled",
            subject_type="post",
            subject_id=post.id or 0,
            data={"reason": reason, "from": was},
        )
    return [p.id for p in posts if p.id is not None]

"""Cancelling queued posts, on record: when an account is suspended or closed, or a new
version replaces the one that was signed."""

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
    """Cancel the queued posts of an account or of a draft; returns their ids."""
    query = select(Post).where(col(Post.state) == "queued")
    if account_id is not None:
        query = query.where(Post.account_id == account_id)
    if draft_id is not None:
        query = query.where(Post.draft_id == draft_id)
    posts = list(session.exec(query.order_by(col(Post.id)).with_for_update()))
    for post in posts:
        post.state = "cancelled"
        post.last_error = reason
        post.updated_at = utcnow()
        session.add(post)
        audit.record(
            session=session,
            actor_id=actor_id,
            action="post.cancelled",
            subject_type="post",
            subject_id=post.id or 0,
            data={"reason": reason},
        )
    return [p.id for p in posts if p.id is not None]

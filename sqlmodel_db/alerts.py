"""What needs a person, as alerts: raised where it happens (a failed or unknown send, a
paused queue, a late answer) or found by :func:`refresh` (packages waiting, credentials
about to expire, accounts that stopped updating); an alert stays open until its post or
account is settled."""

from __future__ import annotations

from sqlmodel import Session, col, select

from sqlmodel_db.models import Alert
from sqlmodel_db.schedule import raise_alert


def _open(
    session: Session, kind: str, *, post_id: int | None = None, account_id: int | None = None
) -> bool:
    query = select(Alert.id).where(Alert.kind == kind).where(col(Alert.resolved_at).is_(None))
    if post_id is not None:
        query = query.where(Alert.post_id == post_id)
    if account_id is not None:
        query = query.where(Alert.account_id == account_id)
    return session.exec(query.limit(1)).first() is not None


def post_failed(*, session: Session, post_id: int, account_id: int, detail: str) -> None:
    """A post failed: a person retries, resolves or cancels it."""
    if _open(session, "post_failed", post_id=post_id):
        return
    raise_alert(
        session=session,
        kind="post_failed",
        account_id=account_id,
        post_id=post_id,
        message=f"post {post_id} to account {account_id} failed: {detail}. "
        f"`matrixpub post retry {post_id}` sends it again; `matrixpub post resolve "
        f"{post_id} --published URL` if it is live after all; `matrixpub post cancel "
        f"{post_id} --reason ...` closes it",
    )

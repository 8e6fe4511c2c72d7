"""The dispatcher's hot path, in prepared SQL statements: a post is read with its account
and draft in one query, re-checked against what was signed, its attempt recorded before the
request leaves, and its outcome recorded in the step that releases the claim.

The same rules as :mod:`sqlmodel_db.posts`; the statements are built once and run on the
session's connection, because at thousands of posts a run, building expressions and the
ORM's bookkeeping cost ten times the database's own work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from domain.accounts import AccountState
from domain.drafts import DraftState
from domain.gates import DEFAULT_WORKFLOW, Workflow
from domain.hashing import hash_value
from sqlmodel_db import audit
from sqlmodel_db.models import Account, DeliveryAttempt, Draft, Post, Variant
from sqlmodel_db.posts import POST_STATES, SignOff, _sign_off
from sqlmodel_db.types import utcnow

posts = Post.__table__
accounts = Account.__table__
drafts = Draft.__table__
variants = Variant.__table__
attempts = DeliveryAttempt.__table__


@dataclass(frozen=True)
class Claim:
    """A claimed post with what the send-time checks need of its account and draft."""

    post_id: int
    draft_id: int
    version_id: int
    variant_id: int
    account_id: int
    channel: str
    state: str
    lease_owner: str | None
    due_at: datetime
    not_before: datetime | None
    expires_at: datetime | None
    released: bool
    idempotency_key: str
    receipt: dict[str, Any] | None
    attempts: int
    account_state: str
    account_paused: bool
    draft_state: str
    draft_version: int
    draft_round: int


_LOAD_CLAIM = (
    select(
        posts.c.id, posts.c.draft_id, posts.c.version_id, posts.c.variant_id,
        posts.c.account_id, posts.c.channel, posts.c.state, posts.c.lease_owner,
        posts.c.due_at, posts.c.not_before, posts.c.expires_at,
        (posts.c.released_by.is_not(None)).label("released"), posts.c.idempotency_key,
        posts.c.receipt, posts.c.attempts, accounts.c.state, accounts.c.paused,
        drafts.c.state, drafts.c.version_number, drafts.c.round,
    )
    .select_from(posts.join(accounts, accounts.c.id == posts.c.account_id)
                 .join(drafts, drafts.c.id == posts.c.draft_id))
    .where(posts.c.id == bindparam("post_id"))
    .with_for_update(of=posts)
)  # fmt: skip
_VARIANT = select(variants.c.payload, variants.c.hash, variants.c.channel).where(
    variants.c.id == bindparam("variant_id")
)
_BEGIN = (
    update(posts)
    .where(posts.c.id == bindparam("post_id"))
    .values(attempts=posts.c.attempts + 1, sent_at=bindparam("now"),
            lease_until=bindparam("until"), updated_at=bindparam("now"))
)  # fmt: skip
_ATTEMPT = insert(attempts).returning(attempts.c.id)
_CURRENT = (
    select(
        posts.c.state,
        posts.c.lease_owner,
        posts.c.url,
        posts.c.external_id,
        posts.c.due_at,
        posts.c.receipt,
        posts.c.last_error,
    )
    .where(posts.c.id == bindparam("post_id"))
    .with_for_update()
)
_FINISH = (
    update(posts)
    .where(posts.c.id == bindparam("post_id"))
    .values(state=bindparam("state"), lease_owner=None, lease_until=None,
            updated_at=bindparam("now"), due_at=bindparam("due_at"),
            receipt=bindparam("receipt"), url=bindparam("url"),
            external_id=bindparam("external_id"), last_error=bindparam("last_error"))
)  # fmt: skip
_FINISH_ATTEMPT = (
    update(attempts)
    .where(attempts.c.id == bindparam("attempt_id"))
    .values(finished_at=bindparam("now"), outcome=bindparam("outcome"),
            detail=bindparam("detail"))
)  # fmt: skip
_RESET_FAILURES = (
    update(accounts)
    .where(accounts.c.id == bindparam("account_id"))
    .where(accounts.c.failures != 0)
    .values(failures=0)
)


def load_claim(*, session: Session, post_id: int) -> Claim | None:
    row = session.connection().execute(_LOAD_CLAIM, {"post_id": post_id}).first()
    return None if row is None else Claim(*row)


def verify_signed(
    *,
    session: Session,
    claim: Claim,
    cache: dict[tuple[int, int], SignOff],
    workflow: Workflow = DEFAULT_WORKFLOW,
) -> tuple[str | None, dict[str, Any] | None]:
    """(reason the post must not go, None) or (None, the stored variant payload to send)."""
    if claim.account_state != AccountState.ACTIVE.value:
        return f"account {claim.account_id} is {claim.account_state}", None
    if claim.draft_state != DraftState.APPROVED.value:
        return f"draft {claim.draft_id} is {claim.draft_state}, no longer approved", None
    key = (claim.version_id, claim.draft_round)
    sign_off = cache.get(key)
    if sign_off is None:
        draft = session.get(Draft, claim.draft_id)
        post = session.get(Post, claim.post_id)
        assert draft is not None and post is not None
        sign_off = cache[key] = _sign_off(session, draft, post, workflow)
    if sign_off.number != claim.draft_version:
        return (
            f"draft {claim.draft_id} changed to version {claim.draft_version} after sign-off"
        ), None
    row = session.connection().execute(_VARIANT, {"variant_id": claim.variant_id}).first()
    if row is None:
        return "the approved variant is gone", None
    payload = json.loads(row.payload)
    actual = hash_value(payload)
    if actual != row.hash:
        return f"the {row.channel} variant was altered after sign-off (hash mismatch)", None
    if not sign_off.complete:
        return "the approvals on record do not cover every gate", None
    if sign_off.wrong_content:
        return f"the {sign_off.wrong_content} approval was given on other content", None
    pinned = sign_off.pinned.get(row.channel, [])
    for gate, value in pinned:
        if value != actual:
            return f"the {row.channel} variant differs from the one signed at {gate}", None
    if len(pinned) < sum(1 for g in workflow.gates if g.pins_variants):
        return f"the {row.channel} variant was never signed where it must be", None
    if claim.expires_at is not None and claim.expires_at <= utcnow():
        return "the post expired before it could be sent", None
    return None, payload


def start_attempt(*, session: Session, claim: Claim, worker: str, lease: timedelta) -> int:
    """Record the attempt and renew the claim's lease before the request leaves."""
    now = utcnow()
    connection = session.connection()
    connection.execute(_BEGIN, {"post_id": claim.post_id, "now": now, "until": now + lease})
    result = connection.execute(
        _ATTEMPT,
        {
            "post_id": claim.post_id,
            "number": claim.attempts + 1,
            "worker": worker,
            "started_at": now,
        },
    )
    return int(result.scalar_one())


def record_outcome(
    *,
    session: Session,
    post_id: int,
    attempt_id: int,
    worker: str,
    state: str,
    detail: str,
    receipt: dict[str, Any] | None,
    retry_at: datetime | None,
) -> bool:
    """Record a send's outcome and release the claim, in one step. False when the claim is
    no longer this worker's and the post moved on (nothing is written then)."""
    if state not in POST_STATES:
        raise ValueError(state)
    connection = session.connection()
    current = connection.execute(_CURRENT, {"post_id": post_id}).first()
    if current is None or (current.lease_owner != worker and current.state != "unknown"):
        return False
    now = utcnow()
    url, external_id, stored = current.url, current.external_id, current.receipt
    if receipt is not None:
        url = receipt.get("url") or url
        external_id = receipt.get("external_id") or external_id
        stored = receipt
    last_error = current.last_error
    if state in ("failed", "unknown", "queued", "cancelled") and detail:
        last_error = detail
    elif state in ("published", "manual"):  # delivered, or handed to a person: no error
        last_error = None
    connection.execute(
        _FINISH,
        {
            "post_id": post_id,
            "state": state,
            "now": now,
            "due_at": retry_at or current.due_at,
            "receipt": stored,
            "url": url,
            "external_id": external_id,
            "last_error": last_error,
        },
    )
    connection.execute(
        _FINISH_ATTEMPT,
        {"attempt_id": attempt_id, "now": now, "outcome": state, "detail": detail or None},
    )
    audit.record(
        session=session,
        actor_id=None,
        action=f"post.{state}",
        subject_type="post",
        subject_id=post_id,
        data={
            "from": current.state,
            "detail": detail,
            "url": url,
            "external_id": external_id,
            "retry_at": retry_at.isoformat() if retry_at else None,
        },
    )
    return True


def reset_failures(*, session: Session, account_id: int) -> None:
    session.connection().execute(_RESET_FAILURES, {"account_id": account_id})

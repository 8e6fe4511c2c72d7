"""Posts: one approved variant going to one account, claimed, sent and recorded.

States::

    queued ──claim──▶ sending ──▶ published | pending | manual | failed | unknown
       ▲                 │ transient error: back to queued, due later
       └─────────────────┘
    pending ──claim──▶ checking ──▶ published | pending | failed      (status polls)
    manual  ──a person confirms the live URL──▶ published
    queued  ──cancel / account closed / new version──▶ cancelled

A claim is a lease: a dispatcher that dies leaves ``sending`` rows whose lease runs
out. If such a post's last attempt had started, the request may have reached the
platform, so it goes to ``unknown`` and is never resent blindly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from domain.accounts import AccountState
from domain.delivery import idempotency_key
from domain.drafts import DraftState
from domain.errors import InvalidInput, NotFound, Refused
from domain.gates import DEFAULT_WORKFLOW, Workflow
from domain.hashing import hash_value
from domain.roles import Role
from sqlmodel_db import audit
from sqlmodel_db.drafts import (
    current_approvals,
    current_version,
    get_draft,
    get_version,
    variant_payload,
    variants_for,
)
from sqlmodel_db.models import Account, Alert, DeliveryAttempt, Post, User, Variant
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import require_role

POST_STATES = (
    "withdrawn",
    "queued",
    "sending",
    "pending",
    "checking",
    "manual",
    "published",
    "failed",
    "unknown",
    "cancelled",
)
FINAL_STATES = ("published", "failed", "cancelled")


@dataclass(frozen=True)
class PlannedPost:
    account_id: int
    due_at: datetime
    priority: int = 0
    expires_at: datetime | None = None
    not_before: datetime | None = None
    unplaced: str | None = None  # why no slot exists: the post is kept, cancelled, with this


def create_posts(
    *, session: Session, draft_id: int, plans: Sequence[PlannedPost], actor_id: int | None
) -> list[Post]:
    """Queue one post per planned account for the draft's approved version. An account
    that already has a live post of this version is skipped."""
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    if draft.state != DraftState.APPROVED.value:
        raise Refused(f"draft {draft_id} is {draft.state}; only approved drafts are posted")
    version_row = current_version(session=session, draft=draft)
    variants = {v.channel: v for v in variants_for(session=session, version_id=version_row.id or 0)}
    existing = {
        p.account_id
        for p in session.exec(
            select(Post)
            .where(Post.version_id == version_row.id)
            .where(col(Post.state) != "cancelled")
        )
    }
    created: list[Post] = []
    for plan in plans:
        if plan.account_id in existing:
            continue
        account = session.get(Account, plan.account_id)
        if account is None:
            raise NotFound(f"no account {plan.account_id}")
        if account.state != AccountState.ACTIVE.value:
            raise Refused(f"account {account.id} ({account.name}) is {account.state}")
        variant = variants.get(account.platform)
        if variant is None:
            raise Refused(f"no approved {account.platform} variant for draft {draft_id}")
        post = Post(
            draft_id=draft_id,
            version_id=version_row.id or 0,
            variant_id=variant.id or 0,
            account_id=plan.account_id,
            channel=account.platform,
            state="cancelled" if plan.unplaced else "queued",
            last_error=f"not placed: {plan.unplaced}" if plan.unplaced else None,
            priority=plan.priority,
            due_at=plan.due_at,
            not_before=plan.not_before,
            expires_at=plan.expires_at,
            idempotency_key=f"pending-{draft_id}-{plan.account_id}-{version_row.id}",
        )
        session.add(post)
        session.flush()
        post.idempotency_key = idempotency_key(post.id or 0, variant.hash)
        session.add(post)
        existing.add(plan.account_id)
        created.append(post)
        audit.record(
            session=session,
            actor_id=actor_id,
            action="post.unplaced" if plan.unplaced else "post.queued",
            subject_type="post",
            subject_id=post.id or 0,
            data={
                "reason": plan.unplaced,
                "draft_id": draft_id,
                "version": version_row.number,
                "account_id": plan.account_id,
                "channel": post.channel,
                "due_at": plan.due_at.isoformat(),
                "variant_hash": variant.hash,
            },
        )
    session.flush()
    return created


def get_post(*, session: Session, post_id: int, lock: bool = False) -> Post:
    query = select(Post).where(Post.id == post_id)
    if lock:
        query = query.with_for_update()
    post = session.exec(query).first()
    if post is None:
        raise NotFound(f"no post {post_id}")
    return post


def list_posts(
    *,
    session: Session,
    draft_id: int | None = None,
    state: str | None = None,
    account_id: int | None = None,
    version_id: int | None = None,
    limit: int | None = None,
) -> list[Post]:
    query = select(Post).order_by(col(Post.due_at), col(Post.id))
    if draft_id is not None:
        query = query.where(Post.draft_id == draft_id)
    if state:
        if state not in POST_STATES:
            raise InvalidInput(f"unknown post state {state!r}; known: {', '.join(POST_STATES)}")
        query = query.where(Post.state == state)
    if account_id is not None:
        query = query.where(Post.account_id == account_id)
    if version_id is not None:
        query = query.where(Post.version_id == version_id)
    if limit:
        query = query.limit(limit)
    return list(session.exec(query))


def _post_filter(query: Any, draft_id: int | None, state: str | None) -> Any:
    if draft_id is not None:
        query = query.where(Post.draft_id == draft_id)
    if state:
        if state not in POST_STATES:
            raise InvalidInput(f"unknown post state {state!r}; known: {', '.join(POST_STATES)}")
        query = query.where(Post.state == state)
    return query


def list_posts_with_names(
    *,
    session: Session,
    draft_id: int | None = None,
    state: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[tuple[Post, str, str, int]]:
    """(post, draft title, account name, draft author id), the latest change first."""
    from sqlmodel_db.models import Draft

    query = (
        select(Post, Draft.title, Account.name, Draft.author_id)
        .join(Draft, col(Draft.id) == col(Post.draft_id))
        .join(Account, col(Account.id) == col(Post.account_id))
        .order_by(col(Post.updated_at).desc(), col(Post.id).desc())
    )
    query = _post_filter(query, draft_id, state).offset(offset).limit(limit)
    return [tuple(row) for row in session.exec(query)]  # type: ignore[misc]


def count_posts(*, session: Session, draft_id: int | None = None, state: str | None = None) -> int:
    query = _post_filter(select(func.count()).select_from(Post), draft_id, state)
    return int(session.exec(query).one())


# -- the dispatcher's side -----------------------------------------------------------------
def claim_due(
    *, session: Session, worker: str, now: datetime, limit: int, lease: timedelta
) -> list[Post]:
    """Claim up to ``limit`` due posts for ``worker`` under a lease, in one transaction.
    Posts of accounts whose queue is paused wait.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets several dispatchers claim side by side
    without waiting on or taking each other's rows. SQLite: the transaction already holds
    the write lock (BEGIN IMMEDIATE), so the select-and-update is atomic.
    """
    paused = select(Account.id).where(col(Account.paused).is_(True))
    query = (
        select(Post)
        .where(col(Post.state).in_(("queued", "pending")))
        .where(Post.due_at <= now)
        .where(col(Post.account_id).not_in(paused))
        .order_by(col(Post.priority).desc(), col(Post.due_at), col(Post.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    posts = list(session.exec(query))
    until = now + lease
    for post in posts:
        post.state = "sending" if post.state == "queued" else "checking"
        post.lease_owner = worker
        post.lease_until = until
        post.updated_at = now
        session.add(post)
    session.flush()
    return posts


def recover_expired(*, session: Session, now: datetime) -> dict[str, list[int]]:
    """Release claims whose lease ran out (their dispatcher died).

    Rows are read under their lock (on PostgreSQL skipping rows a live dispatcher holds
    right now), so the decision — queued again, or unknown because an attempt had begun —
    is made on what is committed, never on a stale read.
    """
    moved: dict[str, list[int]] = {"queued": [], "pending": [], "unknown": []}
    query = (
        select(Post)
        .where(col(Post.state).in_(("sending", "checking")))
        .where(Post.lease_until < now)  # type: ignore[operator]
        .with_for_update(skip_locked=True)
    )
    expired = list(session.exec(query))
    for post in expired:
        if post.state == "checking":
            target = "pending"
        else:
            started = session.exec(
                select(DeliveryAttempt)
                .where(DeliveryAttempt.post_id == post.id)
                .where(col(DeliveryAttempt.finished_at).is_(None))
            ).first()
            target = "unknown" if started else "queued"
            if started:
                started.finished_at = now
                started.outcome = "unknown"
                started.detail = "the dispatcher stopped while this request was in flight"
                session.add(started)
        post.state = target
        post.lease_owner = None
        post.lease_until = None
        post.updated_at = now
        if target == "unknown":
            post.last_error = (
                "the dispatcher stopped during the send; whether the platform "
                "received it is unknown"
            )
        session.add(post)
        moved[target].append(post.id or 0)
        if target == "unknown":
            raise_unknown_alert(session=session, post_id=post.id or 0, account_id=post.account_id)
        audit.record(
            session=session,
            actor_id=None,
            action="post.lease_expired",
            subject_type="post",
            subject_id=post.id or 0,
            data={"to": target},
        )
    return moved


def raise_unknown_alert(*, session: Session, post_id: int, account_id: int) -> None:
    from sqlmodel_db.schedule import raise_alert

    raise_alert(
        session=session,
        kind="unknown_send",
        account_id=account_id,
        post_id=post_id,
        message=f"post {post_id} to account {account_id}: the platform may or may not have "
        f"received it; settle it with `matrixpub post resolve {post_id} --published URL` "
        "or `--not-published`",
    )


def begin_attempt(
    *, session: Session, post: Post, worker: str, lease: timedelta | None = None
) -> DeliveryAttempt:
    """Written and committed before the request leaves, so a crash mid-send is visible.
    The claim's lease is renewed for the send, under the row's lock."""
    post.attempts += 1
    post.sent_at = utcnow()
    if lease is not None:
        post.lease_until = post.sent_at + lease
    attempt = DeliveryAttempt(post_id=post.id or 0, number=post.attempts, worker=worker)
    session.add(post)
    session.add(attempt)
    session.flush()
    return attempt


def finish(
    *,
    session: Session,
    post: Post,
    attempt: DeliveryAttempt | None,
    state: str,
    now: datetime,
    detail: str = "",
    receipt: dict[str, Any] | None = None,
    retry_at: datetime | None = None,
) -> Post:
    """Record a send's outcome and release the claim, in the same step."""
    if state not in POST_STATES:
        raise ValueError(state)
    before = post.state
    post.state = state
    post.lease_owner = None
    post.lease_until = None
    post.updated_at = now
    if retry_at is not None:
        post.due_at = retry_at
    if receipt is not None:
        post.receipt = receipt
        post.external_id = receipt.get("external_id") or post.external_id
        post.url = receipt.get("url") or post.url
    post.last_error = (
        detail
        if state in ("failed", "unknown", "queued", "cancelled") and detail
        else (None if state in ("published", "manual") else post.last_error)
    )
    session.add(post)
    if attempt is not None:
        attempt.finished_at = now
        attempt.outcome = state
        attempt.detail = detail or None
        session.add(attempt)
    audit.record(
        session=session,
        actor_id=None,
        action=f"post.{state}",
        subject_type="post",
        subject_id=post.id or 0,
        data={
            "from": before,
            "detail": detail,
            "url": post.url,
            "external_id": post.external_id,
            "retry_at": retry_at.isoformat() if retry_at else None,
        },
    )
    return post


@dataclass
class SignOff:
    """What a signed version's approvals pin, read once per dispatch batch: decisions are
    append-only and a signed round takes no new ones, so this cannot go stale while the
    draft stays at that version and round (both re-read for every post)."""

    number: int
    content_hash: str
    complete: bool
    wrong_content: str | None
    pinned: dict[str, list[tuple[str, str | None]]]  # channel -> [(gate title, hash)]


def _sign_off(session: Session, draft: Any, post: Post, workflow: Workflow) -> SignOff:
    version = get_version(session=session, version_id=post.version_id)
    approvals = current_approvals(session=session, draft=draft)
    pinned: dict[str, list[tuple[str, str | None]]] = {}
    wrong = None
    for approval in approvals:
        if approval.content_hash != version.content_hash and wrong is None:
            wrong = approval.gate
        gate = workflow.by_key(approval.gate)
        if gate.pins_variants:
            for channel, value in (approval.variant_hashes or {}).items():
                pinned.setdefault(channel, []).append((f"{gate.label} {gate.key}", value))
    return SignOff(
        number=version.number,
        content_hash=version.content_hash,
        complete=[a.gate for a in approvals] == [g.key for g in workflow.gates],
        wrong_content=wrong,
        pinned=pinned,
    )


def check_before_send(
    *,
    session: Session,
    post: Post,
    workflow: Workflow = DEFAULT_WORKFLOW,
    cache: dict[tuple[int, int], SignOff] | None = None,
) -> tuple[str | None, Variant | None]:
    """Re-check right before a send that the post may still go out exactly as approved:
    account active, draft still signed at this version, the stored variant's bytes still
    hashing to what 三校 and 终审 signed. Returns (reason it must not, None) or (None, the
    variant to send)."""
    account = session.get(Account, post.account_id)
    if account is None or account.state != AccountState.ACTIVE.value:
        state = account.state if account else "gone"
        return f"account {post.account_id} is {state}", None
    draft = get_draft(session=session, draft_id=post.draft_id)
    if draft.state != DraftState.APPROVED.value:
        return f"draft {draft.id} is {draft.state}, no longer approved", None
    key = (post.version_id, draft.round)
    sign_off = cache.get(key) if cache is not None else None
    if sign_off is None:
        sign_off = _sign_off(session, draft, post, workflow)
        if cache is not None:
            cache[key] = sign_off
    if sign_off.number != draft.version_number:
        return f"draft {draft.id} changed to version {draft.version_number} after sign-off", None
    variant = session.get(Variant, post.variant_id)
    if variant is None:
        return "the approved variant is gone", None
    actual = hash_value(variant_payload(variant))
    if actual != variant.hash:
        return f"the {variant.channel} variant was altered after sign-off (hash mismatch)", None
    if not sign_off.complete:
        return "the approvals on record do not cover every gate", None
    if sign_off.wrong_content:
        return f"the {sign_off.wrong_content} approval was given on other content", None
    for gate, pinned in sign_off.pinned.get(variant.channel, []):
        if pinned != actual:
            return f"the {variant.channel} variant differs from the one signed at {gate}", None
    pinning = sum(1 for g in workflow.gates if g.pins_variants)
    if len(sign_off.pinned.get(variant.channel, [])) < pinning:
        return f"the {variant.channel} variant was never signed where it must be", None
    if post.expires_at is not None and post.expires_at <= utcnow():
        return "the post expired before it could be sent", None
    return None, variant


def confirm_manual(*, session: Session, actor: User, post_id: int, url: str) -> Post:
    """A person posted a manual package and records where it is live."""
    require_role(actor, Role.AUTHOR, Role.ADMIN)
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("the live URL must start with http:// or https://")
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state not in ("manual", "unknown"):
        raise Refused(f"post {post_id} is {post.state}; only a manual or unknown post is confirmed")
    resolve_post_alerts(session=session, post_id=post_id, actor_id=actor.id)
    return finish(
        session=session,
        post=post,
        attempt=None,
        state="published",
        now=utcnow(),
        detail=f"confirmed by {actor.name}",
        receipt={**(post.receipt or {}), "url": url, "state": "published"},
    )


def retry_post(*, session: Session, actor: User, post_id: int) -> Post:
    """Queue a failed post again (admin), with a fresh count of attempts."""
    require_role(actor, Role.ADMIN)
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state not in ("failed", "cancelled"):
        raise Refused(f"post {post_id} is {post.state}; only a failed or cancelled post is retried")
    account = session.get(Account, post.account_id)
    if account is None or account.state != AccountState.ACTIVE.value:
        raise Refused(f"account {post.account_id} is not active")
    post.attempts = 0
    return finish(
        session=session,
        post=post,
        attempt=None,
        state="queued",
        now=utcnow(),
        detail=f"retried by {actor.name}",
        retry_at=utcnow(),
    )


def resolve_post_alerts(*, session: Session, post_id: int, actor_id: int | None) -> None:
    for alert in session.exec(
        select(Alert).where(Alert.post_id == post_id).where(col(Alert.resolved_at).is_(None))
    ):
        alert.resolved_at, alert.resolved_by = utcnow(), actor_id
        session.add(alert)


def resolve_post(
    *, session: Session, actor: User, post_id: int, url: str | None, published: bool
) -> Post:
    """A person settles a post whose send may or may not have reached the platform:
    published (at ``url``), or not published (it is queued again)."""
    require_role(actor, Role.AUTHOR, Role.ADMIN)
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state != "unknown":
        raise Refused(f"post {post_id} is {post.state}; only a post in unknown is resolved")
    resolve_post_alerts(session=session, post_id=post_id, actor_id=actor.id)
    if published:
        return confirm_manual(session=session, actor=actor, post_id=post_id, url=url or "")
    return finish(
        session=session,
        post=post,
        attempt=None,
        state="queued",
        now=utcnow(),
        detail=f"resolved by {actor.name}: not published, sending again",
        retry_at=utcnow(),
    )


def cancel_post(*, session: Session, actor: User, post_id: int, reason: str) -> Post:
    require_role(actor, Role.AUTHOR, Role.ADMIN)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required")
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state != "queued":
        raise Refused(f"post {post_id} is {post.state}; only a queued post can be cancelled")
    return finish(
        session=session,
        post=post,
        attempt=None,
        state="cancelled",
        now=utcnow(),
        detail=f"cancelled by {actor.name}: {reason}",
    )

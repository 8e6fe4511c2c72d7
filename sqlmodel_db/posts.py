"""Posts: one approved variant going to one account, claimed, sent and recorded.

States::

    queued ──claim──▶ sending ──▶ published | pending | manual | failed | unknown
       ▲                 │ transient error: back to queued, due later
       └─────────────────┘
    pending ──claim──▶ checking ──▶ published | pending | failed | unknown   (status polls)
    manual  ──a person confirms the live URL──▶ published
    unknown ──reconciled with the platform, or a person resolves it──▶ published | queued
    failed  ──a person: retry──▶ queued;  resolve --published──▶ published;  cancel──▶ cancelled
    queued | manual ──cancel / account suspended or closed / new version / expiry──▶ cancelled

A claim is a lease: a dispatcher that dies leaves ``sending`` rows whose lease runs
out. If such a post's last attempt had started, the request may have reached the
platform, so it goes to ``unknown`` and is never resent blindly. A status query that
fails never makes a post ``failed``: the platform took it, so it goes to ``unknown``.
A post whose receipt shows the platform took it (a WeChat ``publish_id``, a status id)
is never queued again by ``retry``; a cancelled post is never retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, func, select

from domain.accounts import AccountState
from domain.delivery import idempotency_key
from domain.drafts import DraftState
from domain.errors import InvalidInput, NotFound, Refused
from domain.permissions import Party
from domain.reasons import reason
from sqlmodel_db import audit
from sqlmodel_db.drafts import current_version, get_draft, get_version, signed_variants
from sqlmodel_db.models import (
    Account,
    Alert,
    DeliveryAttempt,
    DeliveryResult,
    Draft,
    Post,
    User,
)
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit

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
        raise Refused(
            "draft {draft_id} is {state}; only approved drafts are posted",
            draft_id=draft_id,
            state=draft.state,
        )
    version_row = current_version(session=session, draft=draft)
    variants = signed_variants(session=session, draft=draft)
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
            raise NotFound("no account {account_id}", account_id=plan.account_id)
        if account.state != AccountState.ACTIVE.value:
            raise Refused(
                "account {id} ({name}) is {state}",
                id=account.id,
                name=account.name,
                state=account.state,
            )
        variant = variants.get(account.platform)
        if variant is None:
            raise Refused(
                "no approved {platform} variant for draft {draft_id}",
                platform=account.platform,
                draft_id=draft_id,
            )
        post = Post(
            draft_id=draft_id,
            version_id=version_row.id or 0,
            variant_id=variant.id or 0,
            account_id=plan.account_id,
            channel=account.platform,
            state="cancelled" if plan.unplaced else "queued",
            last_error=reason("not_placed", reason=plan.unplaced) if plan.unplaced else None,
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
        raise NotFound("no post {post_id}", post_id=post_id)
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
            raise InvalidInput(
                "unknown post state {state!r}; known: {POST_STATES}",
                state=state,
                POST_STATES=", ".join(POST_STATES),
            )
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
            raise InvalidInput(
                "unknown post state {state!r}; known: {POST_STATES}",
                state=state,
                POST_STATES=", ".join(POST_STATES),
            )
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
@dataclass(frozen=True)
class Claimed:
    """A post just claimed: its id, its new state (``sending``, or ``checking`` for a
    status query) and the lease it is held under."""

    id: int
    state: str
    lease_owner: str
    lease_until: datetime


_POSTS = Post.__table__  # type: ignore[attr-defined]
_ACCOUNTS = Account.__table__  # type: ignore[attr-defined]
# Built once: the dispatcher claims a batch every few hundred posts.
_DUE = (
    sa_select(_POSTS.c.id, _POSTS.c.state)
    .where(_POSTS.c.state.in_(("queued", "pending")))
    .where(_POSTS.c.due_at <= bindparam("now"))
    .where(
        _POSTS.c.account_id.not_in(sa_select(_ACCOUNTS.c.id).where(_ACCOUNTS.c.paused.is_(True)))
    )
    .order_by(_POSTS.c.priority.desc(), _POSTS.c.due_at, _POSTS.c.id)
    .limit(bindparam("limit"))
)
_DUE_SKIP_LOCKED = _DUE.with_for_update(skip_locked=True)
# Whether any lease ran out: asked before every claim, and nearly always no.
_EXPIRED = (
    sa_select(_POSTS.c.id)
    .where(_POSTS.c.state.in_(("sending", "checking")))
    .where(_POSTS.c.lease_until < bindparam("now"))
    .limit(1)
)
_TAKE = (
    sa_update(_POSTS)
    .where(_POSTS.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        state=case((_POSTS.c.state == "queued", "sending"), else_="checking"),
        lease_owner=bindparam("worker"),
        lease_until=bindparam("until"),
        updated_at=bindparam("now"),
    )
)


def claim_due(
    *, session: Session, worker: str, now: datetime, limit: int, lease: timedelta
) -> list[Claimed]:
    """Claim up to ``limit`` due posts for ``worker`` under a lease, in one transaction.
    Posts of accounts whose queue is paused wait.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets several dispatchers claim side by side
    without waiting on or taking each other's rows. SQLite: the transaction already holds
    the write lock (BEGIN IMMEDIATE), so the select-and-update is atomic.
    """
    connection = session.connection()
    query = _DUE_SKIP_LOCKED if connection.dialect.name == "postgresql" else _DUE
    rows = connection.execute(query, {"now": now, "limit": limit}).all()
    if not rows:
        return []
    until = now + lease
    connection.execute(
        _TAKE, {"ids": [r.id for r in rows], "worker": worker, "until": until, "now": now}
    )
    return [
        Claimed(
            id=r.id,
            state="sending" if r.state == "queued" else "checking",
            lease_owner=worker,
            lease_until=until,
        )
        for r in rows
    ]


def recover_expired(*, session: Session, now: datetime) -> dict[str, list[int]]:
    """Release claims whose lease ran out (their dispatcher died).

    Rows are read under their lock (on PostgreSQL skipping rows a live dispatcher holds
    right now), so the decision — queued again, or unknown because an attempt had begun —
    is made on what is committed, never on a stale read.
    """
    moved: dict[str, list[int]] = {"queued": [], "pending": [], "unknown": []}
    # Most claims find no lease run out: one Core query says so without the ORM's cost
    # (a row it misses, committed meanwhile, is released at the next claim).
    if session.connection().execute(_EXPIRED, {"now": now}).first() is None:
        return moved
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
            answered = select(DeliveryResult.attempt_id)
            started = session.exec(
                select(DeliveryAttempt)
                .where(DeliveryAttempt.post_id == post.id)
                .where(col(DeliveryAttempt.id).not_in(answered))
            ).first()
            target = "unknown" if started else "queued"
            if started:
                session.add(
                    DeliveryResult(
                        attempt_id=started.id or 0,
                        post_id=post.id or 0,
                        at=now,
                        outcome="unknown",
                        detail="the dispatcher stopped while this request was in flight",
                    )
                )
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


def finish(
    *,
    session: Session,
    post: Post,
    state: str,
    now: datetime,
    detail: str = "",
    receipt: dict[str, Any] | None = None,
    retry_at: datetime | None = None,
    actor_id: int | None = None,
) -> Post:
    """Record a send's outcome and release the claim, in the same step. ``actor_id`` is
    the person who settled it, when a person did (confirm, resolve, cancel, retry)."""
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
    audit.record(
        session=session,
        actor_id=actor_id,
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


def platform_took_it(post: Post) -> str | None:
    """What in the post's receipt shows the platform accepted it (a WeChat publish_id, a
    status id, a live URL), or None. Such a post is never queued again by a retry."""
    receipt = post.receipt or {}
    data = receipt.get("data") or {}
    if data.get("publish_id"):
        return f"publish_id {data['publish_id']}"
    if receipt.get("state") in ("published", "pending"):
        return f"its receipt says {receipt['state']}"
    if post.external_id:
        return f"platform id {post.external_id}"
    if post.url:
        return f"live at {post.url}"
    return None


def parties_to(*, session: Session, post: Post, actor: User) -> tuple[Party, ...]:
    """Where ``actor`` stands to a post: its draft's author, its account's responsible
    person (责任人, the account's ``responsible`` field naming the user), both or neither."""
    parties: list[Party] = []
    draft = session.get(Draft, post.draft_id)
    if draft is not None and draft.author_id == actor.id:
        parties.append(Party.DRAFT_AUTHOR)
    account = session.get(Account, post.account_id)
    if account is not None and " ".join((account.responsible or "").split()) == actor.name:
        parties.append(Party.RESPONSIBLE)
    return tuple(parties)


def confirm_manual(*, session: Session, actor: User, post_id: int, url: str) -> Post:
    """A person posted a manual package and records where it is live. Only a package of
    the version that is signed now is confirmed; one of an older version is void. Allowed
    to an admin, the draft's author and the account's responsible person."""
    url = _live_url(url)
    post = get_post(session=session, post_id=post_id, lock=True)
    permit(actor, "post.confirm", *parties_to(session=session, post=post, actor=actor))
    if post.state != "manual":
        raise Refused(
            "post {post_id} is {state}; only a manual package is confirmed",
            post_id=post_id,
            state=post.state,
        )
    draft = get_draft(session=session, draft_id=post.draft_id)
    version = get_version(session=session, version_id=post.version_id)
    if draft.state != DraftState.APPROVED.value or version.number != draft.version_number:
        raise Refused(
            "post {post_id} is a package of a version that is no longer signed (draft {id} is "
            "{state} at version {version_number}); it is void",
            post_id=post_id,
            id=draft.id,
            state=draft.state,
            version_number=draft.version_number,
        )
    return _published(session=session, actor=actor, post=post, url=url, how="confirmed")


def _live_url(url: str | None) -> str:
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("the live URL must start with http:// or https://")
    return url


def _published(*, session: Session, actor: User, post: Post, url: str, how: str) -> Post:
    resolve_post_alerts(session=session, post_id=post.id or 0, actor_id=actor.id)
    return finish(
        session=session,
        post=post,
        state="published",
        now=utcnow(),
        detail=f"{how} by {actor.name}",
        receipt={**(post.receipt or {}), "url": url, "state": "published"},
        actor_id=actor.id,
    )


def retry_post(*, session: Session, actor: User, post_id: int) -> Post:
    """Queue a failed post again (admin), with a fresh count of attempts. A cancelled post
    is not retried, nor one the platform took."""
    permit(actor, "post.retry")
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state != "failed":
        raise Refused(
            "post {post_id} is {state}; only a failed post is retried",
            post_id=post_id,
            state=post.state,
        )
    took = platform_took_it(post)
    if took:
        raise Refused(
            "the platform accepted post {post_id} ({took}); sending it again could publish it "
            "twice. Check the platform, then `matrixpub post resolve {post_id} --published URL` "
            "or `matrixpub post cancel {post_id}`",
            post_id=post_id,
            took=took,
        )
    account = session.get(Account, post.account_id)
    if account is None or account.state != AccountState.ACTIVE.value:
        raise Refused("account {account_id} is not active", account_id=post.account_id)
    resolve_post_alerts(session=session, post_id=post_id, actor_id=actor.id)
    post.attempts = 0
    return finish(
        session=session,
        post=post,
        state="queued",
        now=utcnow(),
        detail=f"retried by {actor.name}",
        retry_at=utcnow(),
        actor_id=actor.id,
    )


def resolve_post_alerts(
    *,
    session: Session,
    post_id: int,
    actor_id: int | None,
    kinds: tuple[str, ...] | None = None,
) -> None:
    query = select(Alert).where(Alert.post_id == post_id).where(col(Alert.resolved_at).is_(None))
    if kinds is not None:
        query = query.where(col(Alert.kind).in_(kinds))
    for alert in session.exec(query):
        alert.resolved_at, alert.resolved_by = utcnow(), actor_id
        session.add(alert)


def resolve_post(
    *, session: Session, actor: User, post_id: int, url: str | None, published: bool
) -> Post:
    """A person settles a post: one whose send may or may not have reached the platform
    (``unknown``): published at ``url``, or not published (it is queued again); or a
    failed one found live after all (published at ``url``). An admin or the leader
    decides: saying "not published" sends it again, so a wrong word posts it twice."""
    permit(actor, "post.resolve")
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state not in ("unknown", "failed"):
        raise Refused(
            "post {post_id} is {state}; only an unknown or failed post is resolved",
            post_id=post_id,
            state=post.state,
        )
    if published:
        return _published(
            session=session, actor=actor, post=post, url=_live_url(url), how="resolved"
        )
    if post.state == "failed":
        raise Refused(
            "post {post_id} failed, so it did not go out: `matrixpub post retry {post_id}` sends "
            "it again, `matrixpub post cancel {post_id}` closes it",
            post_id=post_id,
        )
    resolve_post_alerts(session=session, post_id=post_id, actor_id=actor.id)
    return finish(
        session=session,
        post=post,
        state="queued",
        now=utcnow(),
        detail=f"resolved by {actor.name}: not published, sending again",
        retry_at=utcnow(),
        actor_id=actor.id,
    )


CANCELLABLE = ("queued", "failed", "manual")


def cancel_post(*, session: Session, actor: User, post_id: int, reason: str) -> Post:
    """Cancel a post that is queued, failed, or waiting as a manual package (which is then
    void). A cancelled post is never sent or retried. Allowed to an admin, the draft's
    author and the account's responsible person."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required")
    post = get_post(session=session, post_id=post_id, lock=True)
    permit(actor, "post.cancel", *parties_to(session=session, post=post, actor=actor))
    if post.state not in CANCELLABLE:
        raise Refused(
            "post {post_id} is {state}; only a queued, failed or manual post can be cancelled",
            post_id=post_id,
            state=post.state,
        )
    resolve_post_alerts(session=session, post_id=post_id, actor_id=actor.id)
    return finish(
        session=session,
        post=post,
        state="cancelled",
        now=utcnow(),
        detail=f"cancelled by {actor.name}: {reason}",
        actor_id=actor.id,
    )

"""The dispatcher's hot path, in prepared SQL statements: a post is read with its account
and draft in one query, the facts its send is decided on are gathered (the decision itself
is :func:`domain.delivery.check_send`), its attempt is recorded before the request leaves,
and its outcome is appended in the step that releases the claim.

The statements are built once and run on the session's connection, because at thousands
of posts a run, building expressions and the ORM's bookkeeping cost ten times the
database's own work. Each verb also comes for several posts at once (``load_claims``,
``stored_many``, ``start_attempts``, ``record_outcomes``): the dispatcher runs the steps of
the accounts it serves side by side in one transaction, one statement per kind of row,
and decides on each post exactly as it would alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from domain import delivery as rules
from domain.drafts import DraftState
from domain.gates import Verdict
from sqlmodel_db import audit
from sqlmodel_db.blobs import get_blobs
from sqlmodel_db.models import (
    Account,
    Decision,
    DeliveryAttempt,
    DeliveryResult,
    Draft,
    DraftVersion,
    Post,
    Variant,
)
from sqlmodel_db.posts import POST_STATES, resolve_post_alerts
from sqlmodel_db.schedule import raise_alert
from sqlmodel_db.types import utcnow

posts = Post.__table__
accounts = Account.__table__
drafts = Draft.__table__
variants = Variant.__table__
attempts = DeliveryAttempt.__table__
results = DeliveryResult.__table__
decisions = Decision.__table__
versions = DraftVersion.__table__


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
    author_id: int


_CLAIM_COLUMNS = (
    select(
        posts.c.id, posts.c.draft_id, posts.c.version_id, posts.c.variant_id,
        posts.c.account_id, posts.c.channel, posts.c.state, posts.c.lease_owner,
        posts.c.due_at, posts.c.not_before, posts.c.expires_at,
        (posts.c.released_by.is_not(None)).label("released"), posts.c.idempotency_key,
        posts.c.receipt, posts.c.attempts, accounts.c.state, accounts.c.paused,
        drafts.c.state, drafts.c.version_number, drafts.c.round, drafts.c.author_id,
    )
    .select_from(posts.join(accounts, accounts.c.id == posts.c.account_id)
                 .join(drafts, drafts.c.id == posts.c.draft_id))
)  # fmt: skip
_LOAD_CLAIM = _CLAIM_COLUMNS.where(posts.c.id == bindparam("post_id")).with_for_update(of=posts)
_LOAD_CLAIMS = (
    _CLAIM_COLUMNS.where(posts.c.id.in_(bindparam("post_ids", expanding=True)))
    .order_by(posts.c.id)
    .with_for_update(of=posts)
)
_VERSION = select(versions.c.number, versions.c.content_hash).where(
    versions.c.id == bindparam("version_id")
)
_APPROVALS = (
    select(decisions.c.gate, decisions.c.actor_id, decisions.c.content_hash,
           decisions.c.variant_hashes)
    .where(decisions.c.version_id == bindparam("version_id"))
    .where(decisions.c.round == bindparam("round"))
    .where(decisions.c.verdict == Verdict.APPROVE.value)
    .order_by(decisions.c.gate_index)
)  # fmt: skip
_BEGIN = (
    update(posts)
    .where(posts.c.id == bindparam("post_id"))
    .values(attempts=posts.c.attempts + 1, sent_at=bindparam("now"),
            lease_until=bindparam("until"), updated_at=bindparam("now"))
)  # fmt: skip
_ATTEMPT = insert(attempts).returning(attempts.c.id)
_RESULT = insert(results)
_CURRENT_COLUMNS = select(
    posts.c.state,
    posts.c.lease_owner,
    posts.c.url,
    posts.c.external_id,
    posts.c.due_at,
    posts.c.receipt,
    posts.c.last_error,
    posts.c.account_id,
    posts.c.id,
)
_CURRENT = _CURRENT_COLUMNS.where(posts.c.id == bindparam("post_id")).with_for_update()
_CURRENTS = (
    _CURRENT_COLUMNS.where(posts.c.id.in_(bindparam("post_ids", expanding=True)))
    .order_by(posts.c.id)
    .with_for_update()
)
_VARIANTS = select(
    variants.c.id, variants.c.payload, variants.c.hash, variants.c.channel, variants.c.version_id
).where(variants.c.id.in_(bindparam("variant_ids", expanding=True)))
# Several attempts in one INSERT: each row comes back with its post (one attempt per post
# in a call), so no ordering of the returned rows is needed (asking SQLAlchemy for the
# parameters' order makes it insert one row per statement on SQLite).
_ATTEMPTS = insert(attempts).returning(attempts.c.id, attempts.c.post_id)
_FINISH = (
    update(posts)
    .where(posts.c.id == bindparam("post_id"))
    .values(state=bindparam("state"), lease_owner=None, lease_until=None,
            updated_at=bindparam("now"), due_at=bindparam("due_at"),
            receipt=bindparam("receipt"), url=bindparam("url"),
            external_id=bindparam("external_id"), last_error=bindparam("last_error"))
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


def load_claims(*, session: Session, post_ids: list[int]) -> dict[int, Claim]:
    """:func:`load_claim` of several posts in one statement (their rows locked in id
    order, so two transactions never take them crosswise)."""
    if len(post_ids) == 1:
        found = load_claim(session=session, post_id=post_ids[0])
        return {} if found is None else {found.post_id: found}
    rows = session.connection().execute(_LOAD_CLAIMS, {"post_ids": sorted(post_ids)})
    return {row[0]: Claim(*row) for row in rows}


SignOffs = dict[tuple[int, int], tuple[int, str, tuple[rules.Approval, ...]]]


def signed(*, session: Session, claim: Claim, cache: SignOffs) -> rules.Signed:
    """What was signed for the post's version, as :func:`domain.delivery.check_send` takes
    it. The version and its approvals are read once per batch: decisions are append-only
    and a signed round takes no new ones, so they cannot go stale while the draft stays at
    that version and round (both read again with every claim)."""
    key = (claim.version_id, claim.draft_round)
    found = cache.get(key)
    if found is None:
        connection = session.connection()
        number, content_hash = connection.execute(_VERSION, {"version_id": claim.version_id}).one()
        approvals = tuple(
            rules.Approval(gate=g, actor_id=a, content_hash=h, variant_hashes=v)
            for g, a, h, v in connection.execute(
                _APPROVALS, {"version_id": claim.version_id, "round": claim.draft_round}
            )
        )
        found = cache[key] = (number, content_hash, approvals)
    number, content_hash, approvals = found
    return rules.Signed(
        draft_id=claim.draft_id,
        draft_state=DraftState(claim.draft_state),
        current_version=claim.draft_version,
        version=number,
        content_hash=content_hash,
        author_id=claim.author_id,
        approvals=approvals,
    )


def stored(*, session: Session, claim: Claim) -> rules.Stored:
    """The post's variant as stored, with the bytes of the pictures it names."""
    return stored_many(session=session, claims=[claim])[claim.post_id]


def stored_many(*, session: Session, claims: list[Claim]) -> dict[int, rules.Stored]:
    """:func:`stored` of several posts (by post id), their variants and pictures read in
    one statement each."""
    if not claims:
        return {}
    connection = session.connection()
    rows = {
        row.id: row
        for row in connection.execute(
            _VARIANTS, {"variant_ids": sorted({c.variant_id for c in claims})}
        )
    }
    payloads = {}
    for claim in claims:
        row = rows.get(claim.variant_id)
        # Each post its own copy of the payload, parsed from the stored text.
        payloads[claim.post_id] = json.loads(row.payload) if row is not None else None
    hashes = {
        image["sha256"]
        for payload in payloads.values()
        if payload is not None
        for image in payload.get("images", [])
    }
    pictures = get_blobs(session=session, hashes=hashes, strict=False) if hashes else {}
    found: dict[int, rules.Stored] = {}
    for claim in claims:
        row, payload = rows.get(claim.variant_id), payloads[claim.post_id]
        if row is None or payload is None:
            found[claim.post_id] = rules.Stored(
                channel="", of_version=False, row_hash="", payload={}
            )
            continue
        named = [i["sha256"] for i in payload.get("images", [])]
        found[claim.post_id] = rules.Stored(
            channel=row.channel,
            of_version=row.version_id == claim.version_id,
            row_hash=row.hash,
            payload=payload,
            pictures={h: pictures[h] for h in named if h in pictures},
        )
    return found


def start_attempts(
    *, session: Session, claims: list[Claim], worker: str, lease: timedelta
) -> list[int]:
    """:func:`start_attempt` of several claims in two statements; their attempt ids, in
    the claims' order (one claim per post)."""
    if len({c.post_id for c in claims}) != len(claims):
        raise ValueError("one attempt per post at a time")
    if len(claims) <= 1:
        return [
            start_attempt(session=session, claim=claim, worker=worker, lease=lease)
            for claim in claims
        ]
    now = utcnow()
    connection = session.connection()
    connection.execute(
        _BEGIN, [{"post_id": c.post_id, "now": now, "until": now + lease} for c in claims]
    )
    result = connection.execute(
        _ATTEMPTS,
        [
            {"post_id": c.post_id, "number": c.attempts + 1, "worker": worker, "started_at": now}
            for c in claims
        ],
    )
    started = {post_id: attempt_id for attempt_id, post_id in result}
    return [int(started[c.post_id]) for c in claims]


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


def append_result(
    *,
    session: Session,
    attempt_id: int,
    post_id: int,
    outcome: str,
    detail: str | None,
    receipt: dict[str, Any] | None = None,
    applied: bool = True,
    at: datetime | None = None,
) -> None:
    session.connection().execute(
        _RESULT,
        {
            "attempt_id": attempt_id,
            "post_id": post_id,
            "at": at or utcnow(),
            "outcome": outcome,
            "detail": detail or None,
            "receipt": receipt,
            "applied": applied,
        },
    )


# The platform took it (or may have): a post in one of these must not be sent again.
ACCEPTED = ("published", "pending", "manual")


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
) -> str:
    """Append a send's outcome and release the claim, in one step. Returns ``"applied"``,
    or ``"late"`` when the claim is no longer this worker's and a person settled the post
    meanwhile: the outcome is then kept beside the person's decision, an alert is raised,
    and the post is never sent again on the strength of that decision if the platform
    says it took it."""
    if state not in POST_STATES:
        raise ValueError(state)
    connection = session.connection()
    current = connection.execute(_CURRENT, {"post_id": post_id}).first()
    if current is None:
        raise ValueError(f"no post {post_id}")
    ours = current.lease_owner == worker and current.state in ("sending", "checking")
    if not ours and current.state != "unknown":
        _late(session, current, post_id, attempt_id, state, detail, receipt)
        return "late"
    now = utcnow()
    _apply(session, current, post_id, state, detail, receipt, retry_at, now)
    append_result(
        session=session,
        attempt_id=attempt_id,
        post_id=post_id,
        outcome=state,
        detail=detail,
        receipt=receipt,
        at=now,
    )
    if current.state == "unknown" and state != "unknown":  # the answer settled it after all
        resolve_post_alerts(
            session=session, post_id=post_id, actor_id=None, kinds=("unknown_send",)
        )
    return "applied"


@dataclass(frozen=True)
class Outcome:
    """What one send came to, for :func:`record_outcomes`."""

    post_id: int
    attempt_id: int
    state: str
    detail: str
    receipt: dict[str, Any] | None
    retry_at: datetime | None


def record_outcomes(*, session: Session, worker: str, outcomes: list[Outcome]) -> list[str]:
    """:func:`record_outcome` of several sends in one step: the posts read under their
    locks in one statement, the results, the posts' new states and their audit events
    written in one statement each. Each post is decided on exactly as alone (a late
    answer takes :func:`record_outcome`'s own path); returns each one's verdict."""
    if len(outcomes) == 1:
        (o,) = outcomes
        return [
            record_outcome(
                session=session,
                post_id=o.post_id,
                attempt_id=o.attempt_id,
                worker=worker,
                state=o.state,
                detail=o.detail,
                receipt=o.receipt,
                retry_at=o.retry_at,
            )
        ]
    for o in outcomes:
        if o.state not in POST_STATES:
            raise ValueError(o.state)
    connection = session.connection()
    current = {
        row.id: row
        for row in connection.execute(_CURRENTS, {"post_ids": sorted(o.post_id for o in outcomes)})
    }
    finishes: list[dict[str, Any]] = []
    events: list[audit.Event] = []
    appended: list[dict[str, Any]] = []
    settled: list[int] = []
    verdicts: list[str] = []
    now = utcnow()
    for o in outcomes:
        row = current.get(o.post_id)
        if row is None:
            raise ValueError(f"no post {o.post_id}")
        ours = row.lease_owner == worker and row.state in ("sending", "checking")
        if not ours and row.state != "unknown":
            _late(session, row, o.post_id, o.attempt_id, o.state, o.detail, o.receipt)
            verdicts.append("late")
            continue
        params, event = _finish(row, o.post_id, o.state, o.detail, o.receipt, o.retry_at, now)
        finishes.append(params)
        events.append(event)
        appended.append(
            {
                "attempt_id": o.attempt_id,
                "post_id": o.post_id,
                "at": now,
                "outcome": o.state,
                "detail": o.detail or None,
                "receipt": o.receipt,
                "applied": True,
            }
        )
        if row.state == "unknown" and o.state != "unknown":  # the answer settled it
            settled.append(o.post_id)
        verdicts.append("applied")
    if finishes:
        connection.execute(_FINISH, finishes)
        audit.record_many(session=session, events=events)
        connection.execute(_RESULT, appended)
    for post_id in settled:
        resolve_post_alerts(
            session=session, post_id=post_id, actor_id=None, kinds=("unknown_send",)
        )
    return verdicts


def _finish(
    current: Any,
    post_id: int,
    state: str,
    detail: str,
    receipt: dict[str, Any] | None,
    retry_at: datetime | None,
    now: datetime,
) -> tuple[dict[str, Any], audit.Event]:
    """The post's new row values and the audit event that records them."""
    url, external_id, kept = current.url, current.external_id, current.receipt
    if receipt is not None:
        url = receipt.get("url") or url
        external_id = receipt.get("external_id") or external_id
        kept = receipt
    last_error = current.last_error
    if state in ("failed", "unknown", "queued", "cancelled") and detail:
        last_error = detail
    elif state in ("published", "manual"):  # delivered, or handed to a person: no error
        last_error = None
    params = {
        "post_id": post_id,
        "state": state,
        "now": now,
        "due_at": retry_at or current.due_at,
        "receipt": kept,
        "url": url,
        "external_id": external_id,
        "last_error": last_error,
    }
    event = audit.Event(
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
    return params, event


def _apply(
    session: Session,
    current: Any,
    post_id: int,
    state: str,
    detail: str,
    receipt: dict[str, Any] | None,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    params, event = _finish(current, post_id, state, detail, receipt, retry_at, now)
    session.connection().execute(_FINISH, params)
    audit.record_many(session=session, events=[event])


def _late(
    session: Session,
    current: Any,
    post_id: int,
    attempt_id: int,
    state: str,
    detail: str,
    receipt: dict[str, Any] | None,
) -> None:
    """The platform's answer to an attempt came after the post had moved on."""
    now = utcnow()
    took_it = state in ACCEPTED
    stop_resend = took_it and current.state == "queued"
    append_result(
        session=session,
        attempt_id=attempt_id,
        post_id=post_id,
        outcome=state,
        detail=detail,
        receipt=receipt,
        applied=stop_resend,
        at=now,
    )
    where = f" at {receipt.get('url')}" if receipt and receipt.get("url") else ""
    answer = f"the platform's late answer: {state}{where}" + (f" ({detail})" if detail else "")
    if stop_resend:
        # A person had said it did not go out, and queued it again: the platform says it
        # did. It is not sent a second time; both facts stay on record.
        _apply(session, current, post_id, state, f"late answer: {detail}", receipt, None, now)
        then = "it is not sent again"
    elif took_it and current.state == "sending":
        then = "it is being sent again right now: check the platform for a second copy"
    elif took_it and current.state in ("failed", "cancelled"):
        then = "the post was marked failed or cancelled: check the platform and settle it"
    else:
        then = "nothing was changed"
    raise_alert(
        session=session,
        kind="late_outcome",
        account_id=current.account_id,
        post_id=post_id,
        message=f"post {post_id} was {current.state} when {answer} arrived; {then}",
    )
    audit.record(
        session=session,
        actor_id=None,
        action="post.late_outcome",
        subject_type="post",
        subject_id=post_id,
        data={
            "state_then": current.state,
            "outcome": state,
            "detail": detail,
            "applied": stop_resend,
        },
    )


def reset_failures(*, session: Session, account_id: int | list[int]) -> None:
    """The accounts' counts of failures in a row back to 0 (in id order: two
    transactions never take the rows crosswise)."""
    ids = sorted(set(account_id)) if isinstance(account_id, list) else [account_id]
    if ids:
        session.connection().execute(
            _RESET_FAILURES,
            [{"account_id": i} for i in ids] if len(ids) > 1 else {"account_id": ids[0]},
        )

"""The work behind planning and dispatch, as plain functions (the flows wrap them one
batch per task).

Planning places each approved draft's posts with the scheduling policy: windows, spacing,
quotas, freezes, embargo and expiry (``domain.scheduling.plan``). Dispatch claims due posts
under a lease, re-checks every rule right before each send, sends the stored variant with
the post's idempotency key, and records the result in the same step that releases the claim.
"""

from __future__ import annotations

import contextvars
import json
import os
import random
import socket
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from channels.base import Receipt, Variant
from domain import scheduling
from domain.accounts import AccountState
from domain.errors import (
    AccountHeld,
    InvalidInput,
    OutcomeUnknown,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from flows.context import FlowContext
from flows.media import StoredMedia
from flows.steps import target_of
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import posts as posts_db
from sqlmodel_db import schedule as schedule_db
from sqlmodel_db import sending
from sqlmodel_db.blobs import get_blobs
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Account, Post
from sqlmodel_db.models import Variant as VariantRow
from sqlmodel_db.types import utcnow

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)
STATUS_POLL = timedelta(seconds=60)
STAGGER = timedelta(minutes=2)  # between the accounts of a matrix repost (集中转载)
HISTORY = timedelta(days=32)  # enough bookings for a monthly quota and any spacing


def lease() -> timedelta:
    return timedelta(seconds=float(os.environ.get("MATRIXPUB_DISPATCH_LEASE_SECONDS", "300")))


def policy_for(ctx: FlowContext, account: Account) -> scheduling.AccountPolicy:
    channel = ctx.channels.get(account.platform)
    return schedule_db.policy_of(
        account,
        default_quota=channel.spec.quota if channel else None,
        limits=channel.spec.limits if channel else (),
    )


# -- planning ------------------------------------------------------------------------------
def unplanned_drafts(ctx: FlowContext) -> list[int]:
    """Approved drafts whose signed version has no posts yet."""
    with session_scope(ctx.engine) as session:
        found = []
        for draft in drafts_db.list_drafts(session=session, state="approved"):
            version = drafts_db.current_version(session=session, draft=draft)
            if not posts_db.list_posts(
                session=session, draft_id=draft.id, version_id=version.id, limit=1
            ):
                found.append(draft.id or 0)
        return found


def plan_batch(
    ctx: FlowContext, draft_ids: Sequence[int], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Place the posts of several approved drafts together, so that priority, quotas and
    spacing are shared fairly between them; returns what was queued and what could not be."""
    now = now or utcnow()
    tz = ctx.settings.tz
    with session_scope(ctx.engine) as session:
        items: dict[bool, list[scheduling.Item]] = {False: [], True: []}
        drafts: dict[int, Any] = {}
        skipped: dict[int, list[str]] = {}
        accounts: dict[int, Account] = {}
        for draft_id in draft_ids:
            draft = drafts_db.get_draft(session=session, draft_id=draft_id)
            if draft.state != "approved":
                continue
            version = drafts_db.current_version(session=session, draft=draft)
            signed = {
                v.channel
                for v in drafts_db.variants_for(session=session, version_id=version.id or 0)
            }
            targets = drafts_db.target_accounts(session=session, version=version)
            if draft.fanout_group:
                targets += list(
                    session.exec(select(Account).where(Account.group_name == draft.fanout_group))
                )
            chosen: list[int] = []
            for account in targets:
                if account.id in chosen or account.state != AccountState.ACTIVE.value:
                    continue
                if account.platform not in signed:
                    skipped.setdefault(draft_id, []).append(
                        f"account {account.id} ({account.name}): no signed {account.platform} "
                        "variant; add it to the targets and have the draft signed again"
                    )
                    continue
                chosen.append(account.id or 0)
                accounts[account.id or 0] = account
            drafts[draft_id] = draft
            items[bool(draft.fanout_group)].append(
                scheduling.Item(
                    item_id=draft_id,
                    priority=draft.priority,
                    not_before=max(now, draft.not_before or now),
                    expires=draft.expires_at,
                    accounts=tuple(chosen),
                )
            )
        policies = {i: policy_for(ctx, a) for i, a in accounts.items()}
        freezes = schedule_db.freeze_rules(session=session)
        booked = schedule_db.bookings(session=session, account_ids=accounts, since=now - HISTORY)
        planned: list[scheduling.Planned] = []
        unplaced: list[scheduling.Unplaceable] = []
        for fanout, stagger in ((False, timedelta(0)), (True, STAGGER)):
            if not items[fanout]:
                continue
            result = scheduling.plan(
                items[fanout],
                policies,
                now=now,
                tz=tz,
                freezes=freezes,
                booked=booked,
                stagger=stagger,
            )
            planned += result.planned
            unplaced += result.unplaceable
            for p in result.planned:
                booked.setdefault(p.account_id, []).append(p.due)
        out = []
        for draft_id, draft in drafts.items():
            plans = [
                posts_db.PlannedPost(
                    account_id=p.account_id,
                    due_at=p.due,
                    priority=draft.priority,
                    expires_at=draft.expires_at,
                    not_before=draft.not_before,
                )
                for p in planned
                if p.item_id == draft_id
            ]
            plans += [
                posts_db.PlannedPost(
                    account_id=u.account_id,
                    due_at=now,
                    priority=draft.priority,
                    expires_at=draft.expires_at,
                    not_before=draft.not_before,
                    unplaced=u.reason,
                )
                for u in unplaced
                if u.item_id == draft_id
            ]
            created = posts_db.create_posts(
                session=session, draft_id=draft_id, plans=plans, actor_id=None
            )
            out.append(
                {
                    "draft_id": draft_id,
                    "posts": [p.id for p in created if p.state == "queued"],
                    "unplaced": {
                        str(p.account_id): p.last_error for p in created if p.state == "cancelled"
                    },
                    "skipped": skipped.get(draft_id, []),
                    "due": {
                        str(p.id): p.due_at.isoformat() for p in created if p.state == "queued"
                    },
                }
            )
        return out


def plan_posts(ctx: FlowContext, draft_id: int, *, now: datetime | None = None) -> list[int]:
    """Queue one approved draft's posts; returns the queued post ids."""
    (result,) = plan_batch(ctx, [draft_id], now=now) or [{"posts": []}]
    return list(result["posts"])


# -- dispatch ------------------------------------------------------------------------------
def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_batch(
    ctx: FlowContext, *, worker: str, limit: int, now: datetime | None = None
) -> list[int]:
    now = now or utcnow()
    with session_scope(ctx.engine) as session:
        posts_db.recover_expired(session=session, now=now)
    with session_scope(ctx.engine) as session:
        claimed = posts_db.claim_due(
            session=session, worker=worker, now=now, limit=limit, lease=lease()
        )
        return [p.id or 0 for p in claimed]


@dataclass
class BatchReport:
    published: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    manual: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    rescheduled: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    paused_accounts: list[int] = field(default_factory=list)
    messages: dict[int, str] = field(default_factory=dict)

    LISTS = (
        "published",
        "pending",
        "manual",
        "retrying",
        "rescheduled",
        "failed",
        "unknown",
        "refused",
        "paused_accounts",
    )

    def merge(self, other: BatchReport) -> None:
        for name in self.LISTS:
            getattr(self, name).extend(getattr(other, name))
        self.messages.update(other.messages)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{name: list(getattr(self, name)) for name in self.LISTS},
            "messages": dict(self.messages),
        }


def backoff(
    attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None
) -> timedelta:
    """Exponential backoff with jitter (between half and all of base·2^(n-1), capped), and
    never sooner than the platform asked."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempt - 1)))
    wait = ceiling * (0.5 + 0.5 * (rng or random).random())
    return max(wait, timedelta(seconds=retry_after or 0))


def _secret_for(
    account: Account, cache: dict[str, dict[str, str]] | None = None
) -> dict[str, str] | None:
    """The account's credentials, read from Prefect once per account and batch."""
    if not account.secret_block:
        return None
    if cache is not None and account.secret_block in cache:
        return cache[account.secret_block]
    from flows.secrets import load_secret

    secret = load_secret(account.secret_block)
    if cache is not None:
        cache[account.secret_block] = secret
    return secret


SEND_CONCURRENCY = 16  # accounts served side by side; each account in its own order


def deliver_batch(
    ctx: FlowContext,
    post_ids: Sequence[int],
    *,
    worker: str,
    http: Any = None,
    concurrency: int = SEND_CONCURRENCY,
) -> BatchReport:
    """Send each claimed post: re-check it, record the attempt, send, record the result.

    Accounts are served side by side (at most ``concurrency`` at once); one account's
    posts go one after another, in queue order, so its spacing and quota hold."""
    if not post_ids:
        return BatchReport()
    with session_scope(ctx.engine) as session:
        rows = session.exec(select(Post.id, Post.account_id).where(col(Post.id).in_(post_ids)))
        account_of = dict(rows.all())
    by_account: dict[int, list[int]] = {}
    for post_id in post_ids:
        by_account.setdefault(account_of.get(post_id, 0), []).append(post_id)
    sign_offs: dict[tuple[int, int], posts_db.SignOff] = {}  # shared: read-only once built

    def serve_account(ids: list[int]) -> BatchReport:
        report = BatchReport()
        account: list[Account] = []  # read once per account and batch (its policy, target)
        secrets: dict[str, dict[str, str]] = {}  # its credentials, likewise
        held: AccountHeld | None = None
        for post_id in ids:
            if held is not None:  # the platform takes nothing more for this account now
                _hold_claimed(ctx, post_id, held, worker=worker, report=report)
                continue
            held = _deliver_one(
                ctx,
                post_id,
                worker=worker,
                http=http,
                report=report,
                sign_offs=sign_offs,
                account_cache=account,
                secret_cache=secrets,
            )
        return report

    total = BatchReport()
    if concurrency <= 1 or len(by_account) == 1:
        for ids in by_account.values():
            total.merge(serve_account(ids))
        return total
    # Each thread runs in a copy of this thread's context: Prefect's settings (the API URL
    # of the embedded server) live in context variables, which new threads do not inherit.
    contexts = [contextvars.copy_context() for _ in by_account]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(by_account))) as pool:
        for report in pool.map(
            lambda context, ids: context.run(serve_account, ids), contexts, by_account.values()
        ):
            total.merge(report)
    return total


def _release(
    session: Any,
    post_id: int,
    *,
    state: str,
    detail: str,
    retry_at: datetime | None,
    report: BatchReport,
    bucket: list[int],
) -> None:
    post = posts_db.get_post(session=session, post_id=post_id, lock=True)
    posts_db.finish(
        session=session,
        post=post,
        attempt=None,
        state=state,
        now=utcnow(),
        detail=detail,
        retry_at=retry_at,
    )
    bucket.append(post_id)
    report.messages[post_id] = detail


def _recent_sends(session: Any, claim: sending.Claim, since: datetime) -> list[datetime]:
    """When this account's other posts went out (or were claimed ahead of this one)."""
    rows = session.exec(
        select(Post.id, Post.state, Post.due_at, Post.sent_at)
        .where(Post.account_id == claim.account_id)
        .where(col(Post.state).in_(schedule_db.SENT_STATES))
        .where(col(Post.sent_at).is_(None) | (col(Post.sent_at) >= since))
        .where(Post.id != claim.post_id)
    ).all()
    now = utcnow()
    # A claimed post counts as sent, but a post yields only to claimed posts ahead of it in
    # the queue, so two dispatchers never both stand back.
    return [
        sent_at or now
        for pid, state, due_at, sent_at in rows
        if state != "sending" or (due_at, pid) < (claim.due_at, claim.post_id)
    ]


def _rules_allow(
    ctx: FlowContext,
    session: Any,
    claim: sending.Claim,
    account: Account,
    report: BatchReport,
    sign_offs: dict[tuple[int, int], posts_db.SignOff],
) -> dict[str, Any] | None:
    """Right before a send: account active and its queue not paused, approval hashes still
    matching, inside a window, not frozen, quota and spacing respected, not expired.
    Returns the variant payload to send, or None when the post was held back (and why is
    recorded)."""
    if claim.account_paused:
        _release(
            session,
            claim.post_id,
            state="queued",
            detail="the account's queue is paused",
            retry_at=None,
            report=report,
            bucket=report.rescheduled,
        )
        return None
    reason, payload = sending.verify_signed(session=session, claim=claim, cache=sign_offs)
    if reason or payload is None:
        final = (
            "cancelled" if "expired" in (reason or "") or "account" in (reason or "") else "failed"
        )
        _release(
            session,
            claim.post_id,
            state=final,
            detail=f"refused before sending: {reason}",
            retry_at=None,
            report=report,
            bucket=report.refused,
        )
        return None
    now = utcnow()
    policy = policy_for(ctx, account)
    freezes = schedule_db.freeze_rules(session=session)
    constrained = (
        policy.windows
        or policy.spacing
        or policy.quotas
        or freezes
        or claim.not_before
        or claim.expires_at
        or claim.due_at > now
    )
    if not constrained:  # the website and webhooks: no window, spacing, quota or freeze
        return payload
    decision = scheduling.check_send(
        now,
        policy,
        scheduling.Post(
            item_id=claim.draft_id,
            account_id=claim.account_id,
            due=claim.due_at,
            not_before=claim.not_before or claim.due_at,
            expires=claim.expires_at,
            released=claim.released,
        ),
        sent=_recent_sends(session, claim, now - HISTORY)
        if policy.spacing or policy.quotas
        else [],
        freezes=freezes,
        tz=ctx.settings.tz,
        state=AccountState(claim.account_state),
    )
    if decision.action is scheduling.SendAction.RESCHEDULE:
        _release(
            session,
            claim.post_id,
            state="queued",
            detail=f"rescheduled: {decision.reason}",
            retry_at=decision.at,
            report=report,
            bucket=report.rescheduled,
        )
        return None
    if decision.action is scheduling.SendAction.CANCEL:
        _release(
            session,
            claim.post_id,
            state="cancelled",
            detail=f"cancelled: {decision.reason}",
            retry_at=None,
            report=report,
            bucket=report.refused,
        )
        return None
    return payload


def _deliver_one(
    ctx: FlowContext,
    post_id: int,
    *,
    worker: str,
    http: Any,
    report: BatchReport,
    sign_offs: dict[tuple[int, int], posts_db.SignOff],
    account_cache: list[Account] | None = None,
    secret_cache: dict[str, dict[str, str]] | None = None,
) -> AccountHeld | None:
    """Send one claimed post; returns the hold when the platform takes nothing more for
    the account for now (its other claimed posts then wait as well)."""
    with session_scope(ctx.engine) as session:
        claim = sending.load_claim(session=session, post_id=post_id)
        if (
            claim is None
            or claim.lease_owner != worker
            or claim.state not in ("sending", "checking")
        ):
            return None  # not ours any more (the lease ran out and the post moved on)
        if account_cache:
            account = account_cache[0]
        else:
            found = session.get(Account, claim.account_id)
            assert found is not None
            session.expunge(found)
            account = found
            if account_cache is not None:
                account_cache.append(account)
        if claim.state == "sending":
            payload = _rules_allow(ctx, session, claim, account, report, sign_offs)
            if payload is None:
                return None
        else:
            stored = session.exec(
                select(VariantRow.payload).where(VariantRow.id == claim.variant_id)
            ).one()
            payload = json.loads(stored)
        hashes = [i["sha256"] for i in payload["images"]]
        blobs = get_blobs(session=session, hashes=hashes) if hashes else {}
        # Recorded (and the lease renewed) before the request leaves: a crash from here on
        # leaves a started attempt, so the post becomes unknown, never silently resent.
        attempt_id = sending.start_attempt(
            session=session, claim=claim, worker=worker, lease=lease()
        )
        target = target_of(account)
    try:
        outcome, detail, receipt_out, retry_after = _send(
            ctx.channels[claim.channel],
            claim.state,
            Variant.from_payload(payload, blobs),
            target,
            account,
            claim.receipt,
            claim.idempotency_key,
            http,
            secret_cache,
            media=StoredMedia(ctx.engine),
        )
    except AccountHeld as held:
        _record_hold(ctx, claim, attempt_id=attempt_id, worker=worker, held=held, report=report)
        return held
    with session_scope(ctx.engine) as session:
        retry_at: datetime | None = None
        attempts = claim.attempts + 1
        if outcome == "pending":
            retry_at = utcnow() + STATUS_POLL
        elif outcome == "queued":
            if claim.state == "checking":  # a status query failed: ask again later
                outcome, retry_at = "pending", utcnow() + STATUS_POLL
            elif attempts >= MAX_ATTEMPTS:
                outcome = "failed"
                detail = f"gave up after {attempts} attempts; last error: {detail}"
            else:
                retry_at = utcnow() + backoff(attempts, retry_after=retry_after)
        if not sending.record_outcome(
            session=session,
            post_id=post_id,
            attempt_id=attempt_id,
            worker=worker,
            state=outcome,
            detail=detail,
            receipt=receipt_out,
            retry_at=retry_at,
        ):
            return None  # the claim went elsewhere; cannot happen while leases are renewed
        if outcome == "unknown":
            posts_db.raise_unknown_alert(
                session=session, post_id=post_id, account_id=claim.account_id
            )
        if outcome in ("published", "pending", "manual"):
            sending.reset_failures(session=session, account_id=claim.account_id)
        elif outcome in ("failed", "queued") and claim.state == "sending":
            alert = schedule_db.record_failure(
                session=session, account_id=claim.account_id, detail=detail
            )
            if alert is not None:
                report.paused_accounts.append(claim.account_id)
    bucket = {
        "published": report.published,
        "pending": report.pending,
        "manual": report.manual,
        "queued": report.retrying,
        "failed": report.failed,
        "unknown": report.unknown,
    }[outcome]
    bucket.append(post_id)
    if detail:
        report.messages[post_id] = detail
    return None


def _record_hold(
    ctx: FlowContext,
    claim: sending.Claim,
    *,
    attempt_id: int,
    worker: str,
    held: AccountHeld,
    report: BatchReport,
) -> None:
    """The post was not published and waits with the account's other posts: until the
    platform's reset, or in a paused queue until a person acts. Not a failure."""
    checking = claim.state == "checking"
    retry_at = held.until or (utcnow() + STATUS_POLL if checking else None)
    with session_scope(ctx.engine) as session:
        if not sending.record_outcome(
            session=session,
            post_id=claim.post_id,
            attempt_id=attempt_id,
            worker=worker,
            state="pending" if checking else "queued",
            detail=held.message,
            receipt=None,
            retry_at=retry_at,
        ):
            return
        schedule_db.hold_account(
            session=session,
            account_id=claim.account_id,
            kind=held.kind,
            message=held.message,
            until=held.until,
        )
    report.rescheduled.append(claim.post_id)
    report.messages[claim.post_id] = held.message
    if held.until is None:
        report.paused_accounts.append(claim.account_id)


def _hold_claimed(
    ctx: FlowContext, post_id: int, held: AccountHeld, *, worker: str, report: BatchReport
) -> None:
    """A post of a held account, claimed in the same batch: back to wait, unsent."""
    with session_scope(ctx.engine) as session:
        post = posts_db.get_post(session=session, post_id=post_id, lock=True)
        if post.lease_owner != worker or post.state not in ("sending", "checking"):
            return  # not ours any more
        _release(
            session,
            post_id,
            state="pending" if post.state == "checking" else "queued",
            detail=f"not sent: {held.message}",
            retry_at=held.until,
            report=report,
            bucket=report.rescheduled,
        )


def _send(
    channel: Any,
    state: str,
    variant: Variant,
    target: Any,
    account: Account,
    receipt: dict[str, Any] | None,
    key: str,
    http: Any,
    secret_cache: dict[str, dict[str, str]] | None = None,
    *,
    media: Any = None,
) -> tuple[str, str, dict[str, Any] | None, float | None]:
    """One request to the platform: (outcome, detail, receipt, retry-after seconds).
    :class:`AccountHeld` is not an outcome of this post alone: it is raised to the caller."""
    try:
        secret = _secret_for(account, secret_cache)
        if state == "checking":
            result = channel.status(
                Receipt.from_dict(receipt or {}), target, secret=secret, http=http
            )
        else:
            result = channel.publish(
                variant, target, secret=secret, key=key, http=http, media=media
            )
        return result.state.value, result.detail, result.as_dict(), None
    except TransientDeliveryError as exc:
        return "queued", exc.message, None, exc.retry_after
    except OutcomeUnknown as exc:
        if exc.data.get("publish_id"):  # the platform can be asked how it ended
            return (
                "pending",
                exc.message,
                {"state": "pending", "data": exc.data, "external_id": exc.data["publish_id"]},
                None,
            )
        return "unknown", exc.message, {"state": "unknown", "data": exc.data}, None
    except (PermanentDeliveryError, InvalidInput) as exc:
        return "failed", exc.message, {"state": "failed", "data": getattr(exc, "data", {})}, None


# -- expiry and housekeeping ---------------------------------------------------------------
def expire(ctx: FlowContext, *, now: datetime | None = None) -> dict[str, list[int]]:
    """Past their expiry: queued posts are cancelled, and items on the website withdrawn."""
    now = now or utcnow()
    cancelled: list[int] = []
    withdrawn: list[int] = []
    with session_scope(ctx.engine) as session:
        for post in session.exec(
            select(Post)
            .where(Post.state == "queued")
            .where(col(Post.expires_at).is_not(None))
            .where(Post.expires_at < now)
            .with_for_update()
        ):
            posts_db.finish(
                session=session,
                post=post,
                attempt=None,
                state="cancelled",
                now=now,
                detail="expired before it could be sent",
            )
            cancelled.append(post.id or 0)
        live = list(
            session.exec(
                select(Post)
                .where(Post.state == "published")
                .where(Post.channel == "website")
                .where(col(Post.expires_at).is_not(None))
                .where(Post.expires_at < now)
            )
        )
        targets = {p.id: target_of(session.get(Account, p.account_id)) for p in live}
    for post in live:
        channel = ctx.channels["website"]
        channel.withdraw(
            Receipt.from_dict(post.receipt or {"state": "published"}),
            targets[post.id],
            reason="已过有效期",
        )
        with session_scope(ctx.engine) as session:
            row = posts_db.get_post(session=session, post_id=post.id or 0, lock=True)
            posts_db.finish(
                session=session,
                post=row,
                attempt=None,
                state="withdrawn",
                now=now,
                detail="expired: withdrawn from the website",
            )
        withdrawn.append(post.id or 0)
    return {"cancelled": cancelled, "withdrawn": withdrawn}


def flag_stale_accounts(ctx: FlowContext, *, now: datetime | None = None) -> list[int]:
    """Active accounts with nothing published within their no-update limit get an alert
    (one open alert per account)."""
    now = now or utcnow()
    flagged: list[int] = []
    with session_scope(ctx.engine) as session:
        open_alerts = {
            a.account_id
            for a in schedule_db.list_alerts(session=session)
            if a.kind == "stale_account"
        }
        for account in session.exec(select(Account).where(Account.state == "active")):
            if account.id in open_alerts:
                continue
            last = session.exec(
                select(Post.sent_at)
                .where(Post.account_id == account.id)
                .where(Post.state == "published")
                .order_by(col(Post.sent_at).desc())
                .limit(1)
            ).first()
            since = last or account.created_at
            if now - since > timedelta(days=account.update_threshold_days):
                days = (now - since).days
                schedule_db.raise_alert(
                    session=session,
                    kind="stale_account",
                    account_id=account.id,
                    message=f"account {account.id} ({account.name}) has published nothing "
                    f"for {days} days; its limit is {account.update_threshold_days}",
                )
                flagged.append(account.id or 0)
    return flagged

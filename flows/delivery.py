"""The work behind planning and dispatch, as plain functions (the flows wrap them one
batch per task).

Planning places each approved draft's posts with the scheduling policy: windows, spacing,
quotas, freezes, embargo and expiry (``domain.scheduling.plan``). Dispatch claims due posts
under a lease, re-checks every rule right before each send, sends the stored variant with
the post's idempotency key, and records the result in the same step that releases the claim.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import random
import socket
import threading
from collections.abc import Iterator, Sequence
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as _sa_select
from sqlmodel import col, select

from channels.base import Receipt, Variant
from channels.catalog import Translate, translator
from channels.notify import Notice, Wording, alert_label, is_webhook, notice_text, send
from domain import delivery as rules
from domain import scheduling
from domain.accounts import AccountState
from domain.errors import (
    AccountHeld,
    InvalidInput,
    OutcomeUnknown,
    PermanentDeliveryError,
    PublishRefused,
    TransientDeliveryError,
)
from domain.reasons import reason
from flows.context import FlowContext
from flows.media import StoredMedia
from flows.steps import target_of
from sqlmodel_db import alerts as alerts_db
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import org_settings, sending
from sqlmodel_db import posts as posts_db
from sqlmodel_db import schedule as schedule_db
from sqlmodel_db.calendar import china_calendar
from sqlmodel_db.engine import hot_scope, session_scope
from sqlmodel_db.models import Account, Post
from sqlmodel_db.types import utcnow

log = logging.getLogger("matrixpub.alerts")

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
    ctx: FlowContext,
    draft_ids: Sequence[int],
    *,
    now: datetime | None = None,
    only_accounts: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Place the posts of several approved drafts together, so that priority, quotas and
    spacing are shared fairly between them; returns what was queued and what could not be.
    ``only_accounts``: plan for these targets alone (a resumed account's posts again)."""
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
                if only_accounts is not None and account.id not in only_accounts:
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
        return [p.id for p in claimed]


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
    refused_failed: list[int] = field(default_factory=list)  # refused as not what was signed
    late: list[int] = field(default_factory=list)  # answers that came after a person settled
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
        "refused_failed",
        "late",
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

    @property
    def needs_a_person(self) -> list[int]:
        """Posts this run left failed or of unknown outcome."""
        return [*self.failed, *self.refused_failed, *self.unknown]

    def summary(self) -> str:
        counts = [
            (len(self.published), "published"),
            (len(self.pending), "submitted, publishing"),
            (len(self.manual), "handed to a person (manual package)"),
            (len(self.retrying), "to retry"),
            (len(self.rescheduled), "rescheduled"),
            (len(self.failed), "failed"),
            (len(self.unknown), "of unknown outcome"),
            (len(self.refused), "refused at the send-time check"),
            (len(self.late), "answered late"),
            (len(self.paused_accounts), "accounts paused"),
        ]
        said = ", ".join(f"{n} {what}" for n, what in counts if n)
        return said or "nothing was due"


# The jitter's own generator: drawing from the random module's would move the state that
# other code in the process (a seeded simulation, a property test) counts on.
_JITTER = random.Random()


def backoff(
    attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None
) -> timedelta:
    """Exponential backoff with jitter (between half and all of base·2^(n-1), capped), and
    never sooner than the platform asked."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempt - 1)))
    wait = ceiling * (0.5 + 0.5 * (rng or _JITTER).random())
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
    posts go one after another, in queue order, so its spacing and quota hold. The
    database steps of the accounts served side by side run together (:class:`_Together`):
    each post is still re-checked, its attempt committed before its request leaves, and
    its result recorded before the account's next post is checked (in the step that
    checks it, so it is committed before that post's request leaves)."""
    if not post_ids:
        return BatchReport()
    with session_scope(ctx.engine) as session:
        rows = session.exec(select(Post.id, Post.account_id).where(col(Post.id).in_(post_ids)))
        account_of = dict(rows.all())
        # Each account read once per batch (its state and pause are read again with every
        # post's claim): its policy and where its posts go.
        accounts = {
            a.id: a
            for a in session.exec(
                select(Account).where(col(Account.id).in_(sorted(set(account_of.values()))))
            )
        }
        for found in accounts.values():
            session.expunge(found)
    by_account: dict[int, list[int]] = {}
    for post_id in post_ids:
        by_account.setdefault(account_of.get(post_id, 0), []).append(post_id)
    sign_offs: sending.SignOffs = {}  # shared: read-only once built
    together = _Together(ctx, worker=worker, sign_offs=sign_offs)

    def serve_account(account_id: int, ids: list[int]) -> BatchReport:
        report = BatchReport()
        found = accounts.get(account_id)
        account: list[Any] = [found, policy_for(ctx, found)] if found is not None else []
        secrets: dict[str, dict[str, str]] = {}  # its credentials, likewise
        held: AccountHeld | None = None
        sent: _Record | None = None  # the last send's outcome, recorded with the next check
        for post_id in ids:
            if held is not None:  # the platform takes nothing more for this account now
                _hold_claimed(ctx, post_id, held, worker=worker, report=report)
                continue
            held, sent = _deliver_one(
                ctx,
                post_id,
                worker=worker,
                http=http,
                report=report,
                together=together,
                account_cache=account,
                secret_cache=secrets,
                sent=sent,
            )
        if sent is not None:
            together(sent)
            _settle(sent, report)
        if found is not None:  # the channel may finish the account's part of the batch now
            done = getattr(ctx.channels.get(found.platform), "account_done", None)
            if done is not None:
                done(target_of(found))
        return report

    total = BatchReport()
    with channel_batches(ctx):
        if concurrency <= 1 or len(by_account) == 1:
            for account_id, ids in by_account.items():
                total.merge(serve_account(account_id, ids))
            return total
        # Each thread runs in a copy of this thread's context: Prefect's settings (the API
        # URL of the embedded server) and the channels' batches live in context variables,
        # which new threads do not inherit.
        contexts = [contextvars.copy_context() for _ in by_account]
        # The accounts with the most posts first, so that the batch does not end with one
        # thread working through a long queue while the others stand idle.
        accounts_first = sorted(by_account.items(), key=lambda item: -len(item[1]))
        pool = _senders(concurrency)
        served = [
            pool.submit(context.run, serve_account, *item)
            for context, item in zip(contexts, accounts_first, strict=True)
        ]
        try:
            for report in served:
                total.merge(report.result())
        finally:  # no account is still being served when the batch returns or raises
            futures.wait(served)
    return total


_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _senders(concurrency: int) -> ThreadPoolExecutor:
    """The threads that serve accounts side by side, started once per process and kept
    for every batch: starting a thread costs more than a batch's sends to a platform that
    answers at once, since each new thread waits for its turn at the interpreter. (Keyed
    by the process too: a forked child has none of its parent's threads.)"""
    key = (os.getpid(), concurrency)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = ThreadPoolExecutor(
                max_workers=concurrency, thread_name_prefix="matrixpub-send"
            )
        return pool


@contextlib.contextmanager
def channel_batches(ctx: FlowContext) -> Iterator[None]:
    """One batch of every channel that works in batches (the website rebuilds each
    column's index and feed once, when the batch ends, not after every article)."""
    with contextlib.ExitStack() as stack:
        for channel in ctx.channels.values():
            batch = getattr(channel, "batch", None)
            if batch is not None:
                stack.enter_context(batch())
        yield


def _release(
    session: Any,
    post_id: int,
    *,
    state: str,
    detail: str,
    retry_at: datetime | None,
    report: BatchReport,
    bucket: list[int],
) -> Post:
    post = posts_db.get_post(session=session, post_id=post_id, lock=True)
    posts_db.finish(
        session=session,
        post=post,
        state=state,
        now=utcnow(),
        detail=detail,
        retry_at=retry_at,
    )
    bucket.append(post_id)
    report.messages[post_id] = detail
    return post


_POSTS = Post.__table__  # type: ignore[attr-defined]
_RECENT_SENDS = (
    _sa_select(_POSTS.c.id, _POSTS.c.state, _POSTS.c.due_at, _POSTS.c.sent_at)
    .where(_POSTS.c.account_id == bindparam("account_id"))
    .where(_POSTS.c.state.in_(schedule_db.SENT_STATES))
    .where(_POSTS.c.sent_at.is_(None) | (_POSTS.c.sent_at >= bindparam("since")))
    .where(_POSTS.c.id != bindparam("post_id"))
)  # built once: it runs before every send


def _recent_sends(session: Any, claim: sending.Claim, since: datetime) -> list[datetime]:
    """When this account's other posts went out (or were claimed ahead of this one)."""
    rows = (
        session.connection()
        .execute(
            _RECENT_SENDS,
            {"account_id": claim.account_id, "since": since, "post_id": claim.post_id},
        )
        .all()
    )
    now = utcnow()
    # A claimed post counts as sent, but a post yields only to claimed posts ahead of it in
    # the queue, so two dispatchers never both stand back.
    return [
        sent_at or now
        for pid, state, due_at, sent_at in rows
        if state != "sending" or (due_at, pid) < (claim.due_at, claim.post_id)
    ]


# How a ruling's reason is recorded: a reschedule's reason already says it was rescheduled.
_REFUSED = (rules.Verdict.CANCEL, rules.Verdict.FAIL)


class _SharedFacts:
    """What every post's check reads alike, read once per transaction (when first needed):
    the freeze periods and the separation rules as they stand in it."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._freezes: list[Any] | None = None
        self._workflow: Any = None

    @property
    def freezes(self) -> list[Any]:
        if self._freezes is None:
            self._freezes = schedule_db.freeze_rules(session=self.session)
        return self._freezes

    @property
    def workflow(self) -> Any:
        if self._workflow is None:
            self._workflow = org_settings.workflow(session=self.session)
        return self._workflow


def _check(
    ctx: FlowContext,
    session: Any,
    claim: sending.Claim,
    policy: scheduling.AccountPolicy,
    report: BatchReport,
    sign_offs: sending.SignOffs,
    stored: rules.Stored,
    facts: _SharedFacts,
) -> rules.Stored | None:
    """Right before a send, :func:`domain.delivery.check_send` decides with what is stored
    now (``stored`` and ``facts`` were read in the same transaction): the account, the
    draft and its approvals, the variant and its pictures' bytes, the schedule. Returns
    the stored variant to send, or None when the post was held, rescheduled, cancelled or
    failed (and why is recorded)."""
    now = utcnow()
    ruling = rules.check_send(
        now=now,
        account_state=AccountState(claim.account_state),
        paused=claim.account_paused,
        channel=claim.channel,
        signed=sending.signed(session=session, claim=claim, cache=sign_offs),
        stored=stored,
        post=scheduling.Post(
            item_id=claim.draft_id,
            account_id=claim.account_id,
            due=claim.due_at,
            not_before=claim.not_before or claim.due_at,
            expires=claim.expires_at,
            released=claim.released,
        ),
        policy=policy,
        freezes=facts.freezes,
        tz=ctx.settings.tz,
        workflow=facts.workflow,  # the separation rules as set
        sent=lambda: _recent_sends(session, claim, now - HISTORY),
    )
    if ruling.verdict is rules.Verdict.SEND:
        return stored
    state = ruling.post_state
    assert state is not None
    held = ruling.verdict in (rules.Verdict.HOLD, rules.Verdict.RESCHEDULE)
    _release(
        session,
        claim.post_id,
        state=state,
        detail=(
            reason("refused", reason=ruling.reason) if ruling.verdict in _REFUSED else ruling.reason
        ),
        retry_at=ruling.at,
        report=report,
        bucket=report.rescheduled if held else report.refused,
    )
    if ruling.verdict is rules.Verdict.FAIL:
        report.refused_failed.append(claim.post_id)
        alerts_db.post_failed(
            session=session,
            post_id=claim.post_id,
            account_id=claim.account_id,
            detail=ruling.reason,
        )
    return None


@dataclass(eq=False)
class _Prepare:
    """A claimed post to re-check and start (the database step before its send)."""

    post_id: int
    account_cache: list[Any]
    report: BatchReport = field(default_factory=BatchReport)
    claim: sending.Claim | None = None  # set when it is to be sent (or its status asked)
    variant: Variant | None = None
    account: Account | None = None
    attempt_id: int = 0

    def reset(self) -> None:
        self.report, self.claim, self.variant, self.account = BatchReport(), None, None, None


@dataclass(eq=False)
class _Record:
    """A send's outcome to record (the database step after it)."""

    claim: sending.Claim
    outcome: sending.Outcome
    report: BatchReport = field(default_factory=BatchReport)
    verdict: str = ""

    def reset(self) -> None:
        self.report, self.verdict = BatchReport(), ""


@dataclass(eq=False)
class _Step:
    works: tuple[_Prepare | _Record, ...]
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    finished: bool = False
    error: BaseException | None = None


class _Together:
    """The database steps of a batch's accounts, served side by side, run together (a
    group commit): a thread whose step finds no run going takes every step waiting, runs
    them in one transaction, and hands on to a thread whose step arrived meanwhile. One
    commit and a few statements then serve many posts, and no account waits for another
    account's platform, only for the run its own step is in.

    Each post is decided on exactly as alone: the send-time check reads what is stored in
    the run's transaction, and the attempt is committed before the request leaves. A
    step may hold an account's last outcome and its next post: the outcome is written
    first, so the check sees it. A run that fails is rolled back and each of its steps'
    works run again alone (an outcome before its account's next check, which is not made
    when the outcome could not be recorded), so one post's error is that post's alone."""

    def __init__(self, ctx: FlowContext, *, worker: str, sign_offs: sending.SignOffs) -> None:
        self.ctx, self.worker, self.sign_offs = ctx, worker, sign_offs
        self._lock = threading.Lock()
        self._waiting: list[_Step] = []
        self._running = False

    def __call__(self, *works: _Prepare | _Record | None) -> None:
        step = _Step(tuple(w for w in works if w is not None))
        with self._lock:
            self._waiting.append(step)
            if not self._running:
                self._running = step.lead = True
        while not step.lead:
            step.done.wait()
            if step.finished:
                break
        if not step.finished:  # this thread leads a run, which holds its own step
            with self._lock:
                steps, self._waiting = self._waiting, []
            try:
                self._run_all(steps)
            finally:
                with self._lock:
                    if self._waiting:  # arrived meanwhile: the next run is theirs
                        self._waiting[0].lead = True
                        self._waiting[0].done.set()
                    else:
                        self._running = False
        if step.error is not None:
            raise step.error

    def _run_all(self, steps: list[_Step]) -> None:
        try:
            with hot_scope(self.ctx.engine) as session:
                self._run(session, [w for s in steps for w in s.works])
        except Exception as exc:
            if len(steps) == 1 and len(steps[0].works) == 1:
                steps[0].error = exc
            else:
                for s in steps:  # again, each alone: an error is its own post's
                    for w in s.works:
                        w.reset()
                        try:
                            with hot_scope(self.ctx.engine) as session:
                                self._run(session, [w])
                        except Exception as alone:
                            s.error = alone
                            break  # an outcome not recorded: its account's next waits
        except BaseException as exc:  # the process is being stopped: no step is done
            for s in steps:
                s.error = exc
        finally:
            for s in steps:
                s.finished = True
                s.done.set()

    def _run(self, session: Any, work: list[_Prepare | _Record]) -> None:
        records = [w for w in work if isinstance(w, _Record)]
        prepares = [w for w in work if isinstance(w, _Prepare)]
        if session.get_bind().dialect.name == "postgresql" and len(work) > 1:
            # Every post of the run locked first, in id order: a person's action on one of
            # them (which locks the post, then the audit chain) never meets this run
            # holding the chain and waiting for the post.
            ids = [w.claim.post_id for w in records] + [w.post_id for w in prepares]
            session.connection().execute(_LOCK_POSTS, {"post_ids": sorted(ids)})
        if records:
            _record(self.ctx, session, records, worker=self.worker)
            session.flush()
        if prepares:
            _prepare(self.ctx, session, prepares, worker=self.worker, sign_offs=self.sign_offs)


_LOCK_POSTS = (
    _sa_select(_POSTS.c.id)
    .where(_POSTS.c.id.in_(bindparam("post_ids", expanding=True)))
    .order_by(_POSTS.c.id)
    .with_for_update()
)


def _prepare(
    ctx: FlowContext,
    session: Any,
    work: list[_Prepare],
    *,
    worker: str,
    sign_offs: sending.SignOffs,
) -> None:
    """Re-check each post and record its attempt (renewing its lease), in the caller's
    transaction: what :func:`_deliver_one` does before a request leaves."""
    claims = sending.load_claims(session=session, post_ids=[w.post_id for w in work])
    ours = {
        post_id: claim
        for post_id, claim in claims.items()
        if claim.lease_owner == worker and claim.state in ("sending", "checking")
    }
    stored = sending.stored_many(
        session=session, claims=[c for c in ours.values() if c.state == "sending"]
    )
    facts = _SharedFacts(session)
    starting: list[_Prepare] = []
    for w in work:
        claim = ours.get(w.post_id)
        if claim is None:
            continue  # not ours any more (the lease ran out and the post moved on)
        if w.account_cache:
            account, policy = w.account_cache
        else:
            found = session.get(Account, claim.account_id)
            assert found is not None
            session.expunge(found)
            account, policy = found, policy_for(ctx, found)
            w.account_cache += [account, policy]
        if claim.state == "sending":
            checked = _check(
                ctx, session, claim, policy, w.report, sign_offs, stored[w.post_id], facts
            )
            if checked is None:
                continue
            # The very bytes check_send hashed and found signed are the ones sent.
            w.variant = Variant.from_payload(checked.payload, checked.pictures)
        w.claim, w.account = claim, account
        starting.append(w)
    session.flush()
    # Recorded (and the lease renewed) before the request leaves: a crash from here on
    # leaves a started attempt, so the post becomes unknown, never silently resent.
    attempt_ids = sending.start_attempts(
        session=session,
        claims=[w.claim for w in starting if w.claim is not None],
        worker=worker,
        lease=lease(),
    )
    for w, attempt_id in zip(starting, attempt_ids, strict=True):
        w.attempt_id = attempt_id


def _record(ctx: FlowContext, session: Any, work: list[_Record], *, worker: str) -> None:
    """Record each send's outcome and release its claim, in the caller's transaction,
    with the alerts and the account's count of failures that follow from it."""
    verdicts = sending.record_outcomes(
        session=session, worker=worker, outcomes=[w.outcome for w in work]
    )
    for w, verdict in zip(work, verdicts, strict=True):
        w.verdict = verdict
    reset: list[int] = []
    # Accounts in id order: two dispatchers' runs never take their rows crosswise.
    for w in sorted(work, key=lambda w: w.claim.account_id):
        if w.verdict == "late":  # a person settled it meanwhile: kept, alerted, not applied
            continue
        post_id, account_id, outcome = w.claim.post_id, w.claim.account_id, w.outcome.state
        if outcome == "unknown":
            posts_db.raise_unknown_alert(session=session, post_id=post_id, account_id=account_id)
        elif outcome == "failed":
            alerts_db.post_failed(
                session=session, post_id=post_id, account_id=account_id, detail=w.outcome.detail
            )
        if outcome in ("published", "pending", "manual"):
            reset.append(account_id)
        elif outcome in ("failed", "queued") and w.claim.state == "sending":
            sending.reset_failures(session=session, account_id=reset)
            reset = []
            alert = schedule_db.record_failure(
                session=session, account_id=account_id, detail=w.outcome.detail
            )
            if alert is not None:
                w.report.paused_accounts.append(account_id)
    sending.reset_failures(session=session, account_id=reset)


def _deliver_one(
    ctx: FlowContext,
    post_id: int,
    *,
    worker: str,
    http: Any,
    report: BatchReport,
    together: _Together,
    account_cache: list[Any],
    secret_cache: dict[str, dict[str, str]] | None = None,
    sent: _Record | None = None,
) -> tuple[AccountHeld | None, _Record | None]:
    """Send one claimed post: (the hold when the platform takes nothing more for the
    account for now, so its other claimed posts wait as well; the send's outcome, to be
    recorded by the caller, with the account's next post's check or alone).

    ``sent``: the account's previous send's outcome, recorded in the step that checks
    this post, before the check."""
    prepared = _Prepare(post_id, account_cache)
    together(sent, prepared)
    if sent is not None:
        _settle(sent, report)
    report.merge(prepared.report)
    claim, account = prepared.claim, prepared.account
    if claim is None or account is None:
        return None, None  # not ours any more, or held, rescheduled or refused at the check
    attempt_id = prepared.attempt_id
    try:
        outcome, detail, receipt_out, retry_after = _send(
            ctx.channels[claim.channel],
            claim.state,
            prepared.variant,
            target_of(account),
            account,
            claim.receipt,
            claim.idempotency_key,
            http,
            secret_cache,
            media=StoredMedia(ctx.engine),
        )
    except AccountHeld as held:
        _record_hold(ctx, claim, attempt_id=attempt_id, worker=worker, held=held, report=report)
        return held, None
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
    return None, _Record(
        claim,
        sending.Outcome(
            post_id=post_id,
            attempt_id=attempt_id,
            state=outcome,
            detail=detail,
            receipt=receipt_out,
            retry_at=retry_at,
        ),
    )


def _settle(recorded: _Record, report: BatchReport) -> None:
    """Report a send's outcome once it is recorded."""
    report.merge(recorded.report)
    post_id, outcome, detail = (
        recorded.claim.post_id,
        recorded.outcome.state,
        recorded.outcome.detail,
    )
    if recorded.verdict == "late":  # a person settled it meanwhile: kept, alerted, not applied
        report.late.append(post_id)
        report.messages[post_id] = detail
        return
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
        recorded = sending.record_outcome(
            session=session,
            post_id=claim.post_id,
            attempt_id=attempt_id,
            worker=worker,
            state="pending" if checking else "queued",
            detail=held.message,
            receipt=None,  # a status query's hold keeps the receipt (and its publish_id)
            retry_at=retry_at,
        )
        if recorded == "late":  # a person settled it meanwhile: kept on record, alerted
            report.late.append(claim.post_id)
            report.messages[claim.post_id] = held.message
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
    variant: Variant | None,
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

    :class:`AccountHeld` is not an outcome of this post alone: it is raised to the caller.

    A status query (``checking``) keeps the stored receipt whatever happens: the platform
    took the post, and what it answered then (a WeChat publish_id) is what reconciles it.
    So a status query that fails makes the post ``unknown``, never ``failed``; only the
    platform's own final word (:class:`PublishRefused`) does."""
    checking = state == "checking"
    before = dict(receipt or {})

    def kept(new_state: str, data: Any) -> dict[str, Any]:
        return {
            **before,
            "state": new_state,
            "data": {**(before.get("data") or {}), **dict(data or {})},
        }

    try:
        secret = _secret_for(account, secret_cache)
        if checking:
            result = channel.status(Receipt.from_dict(before), target, secret=secret, http=http)
        else:
            assert variant is not None
            result = channel.publish(
                variant, target, secret=secret, key=key, http=http, media=media
            )
        return result.state.value, result.detail, result.as_dict(), None
    except TransientDeliveryError as exc:
        return "queued", exc.message, None, exc.retry_after
    except OutcomeUnknown as exc:
        if checking:
            return "unknown", exc.message, kept("unknown", exc.data), None
        if exc.data.get("publish_id"):  # the platform can be asked how it ended
            return (
                "pending",
                exc.message,
                {"state": "pending", "data": exc.data, "external_id": exc.data["publish_id"]},
                None,
            )
        return "unknown", exc.message, {"state": "unknown", "data": exc.data}, None
    except PublishRefused as exc:
        return "failed", exc.message, kept("failed", exc.data), None
    except (PermanentDeliveryError, InvalidInput) as exc:
        data = getattr(exc, "data", {})
        if checking:
            return (
                "unknown",
                f"the status query failed: {exc.message}; the platform had accepted the post, "
                "so it is not failed: it is looked up again, or settled by a person",
                kept("unknown", data),
                None,
            )
        return "failed", exc.message, {"state": "failed", "data": data}, None


# -- reconciliation ------------------------------------------------------------------------
RECONCILE_EVERY = timedelta(minutes=10)
RECONCILE_FOR = timedelta(days=2)


def reconcile_unknown(
    ctx: FlowContext, *, http: Any = None, now: datetime | None = None, limit: int = 50
) -> dict[str, list[int]]:
    """Ask the platform about posts whose outcome is unknown, where it can be asked (WeChat:
    ``freepublish/get``, or ``freepublish/batchget`` by the time of submission). Read only:
    nothing is sent. Found → published (or pending, the status polls take over); refused →
    failed; nothing found → asked again in a while, and a person may settle it meanwhile.
    A post is looked up for two days after its send, then left to a person."""
    now = now or utcnow()
    able = [key for key, channel in ctx.channels.items() if hasattr(channel, "reconcile")]
    found: dict[str, list[int]] = {"published": [], "pending": [], "failed": [], "asked": []}
    with session_scope(ctx.engine) as session:
        rows = list(
            session.exec(
                select(Post)
                .where(Post.state == "unknown")
                .where(col(Post.channel).in_(able))
                .where(Post.due_at <= now)
                .where(col(Post.sent_at) >= now - RECONCILE_FOR)
                .order_by(col(Post.due_at))
                .limit(limit)
            )
        )
        accounts = {p.account_id: session.get(Account, p.account_id) for p in rows}
        for account in accounts.values():
            if account is not None:
                session.expunge(account)
    secrets: dict[str, dict[str, str]] = {}
    for post in rows:
        account = accounts.get(post.account_id)
        if account is None:
            continue
        channel = ctx.channels[post.channel]
        found["asked"].append(post.id or 0)
        outcome, answer, detail = None, None, ""
        ask_again = now + RECONCILE_EVERY
        try:
            answer = channel.reconcile(
                Receipt.from_dict({**(post.receipt or {}), "state": "pending"}),
                target_of(account),
                secret=_secret_for(account, secrets),
                http=http,
                since=post.sent_at or now,
            )
            if answer is not None:
                outcome, detail = answer.state.value, answer.detail or "reconciled"
        except PublishRefused as exc:
            outcome, detail = "failed", exc.message
        except AccountHeld as held:  # the platform answers nothing for the account now
            outcome = None
            ask_again = max(ask_again, held.until or ask_again)
        except (TransientDeliveryError, OutcomeUnknown, PermanentDeliveryError):
            outcome = None  # cannot tell now; ask again later
        with session_scope(ctx.engine) as session:
            row = posts_db.get_post(session=session, post_id=post.id or 0, lock=True)
            if row.state != "unknown":
                continue  # a person settled it meanwhile
            if outcome is None:
                row.due_at = ask_again
                session.add(row)
                continue
            receipt = (
                answer.as_dict()
                if answer is not None
                else {**(row.receipt or {}), "state": "failed"}
            )
            posts_db.finish(
                session=session,
                post=row,
                state=outcome,
                now=utcnow(),
                detail=f"reconciled with the platform: {detail}",
                receipt={
                    **receipt,
                    "data": {
                        **((row.receipt or {}).get("data") or {}),
                        **(receipt.get("data") or {}),
                    },
                },
                retry_at=utcnow() + STATUS_POLL if outcome == "pending" else None,
            )
            posts_db.resolve_post_alerts(
                session=session, post_id=row.id or 0, actor_id=None, kinds=("unknown_send",)
            )
            if outcome == "failed":
                alerts_db.post_failed(
                    session=session, post_id=row.id or 0, account_id=row.account_id, detail=detail
                )
            found[outcome].append(row.id or 0)
    return found


# -- expiry and housekeeping ---------------------------------------------------------------
def void_packages(ctx: FlowContext, post_ids: Sequence[int] | None = None) -> list[int]:
    """Mark void the folders of manual packages whose post was cancelled (those given, or
    every one not marked yet): a person must not post them any more."""
    manual = [key for key, channel in ctx.channels.items() if hasattr(channel, "void")]
    with session_scope(ctx.engine) as session:
        query = (
            select(Post)
            .where(Post.state == "cancelled")
            .where(col(Post.channel).in_(manual))
            .order_by(col(Post.id))
        )
        if post_ids is not None:
            if not post_ids:
                return []
            query = query.where(col(Post.id).in_(list(post_ids)))
        found = [
            (p.id or 0, p.channel, p.receipt, p.last_error)
            for p in session.exec(query)
            if ((p.receipt or {}).get("data") or {}).get("package")
            and not ((p.receipt or {}).get("data") or {}).get("void")
        ]
    voided = []
    for post_id, channel, receipt, why in found:
        marked = ctx.channels[channel].void(  # type: ignore[attr-defined]
            Receipt.from_dict(receipt or {}), reason=(why or "cancelled").removeprefix("void: ")
        )
        with session_scope(ctx.engine) as session:
            row = posts_db.get_post(session=session, post_id=post_id, lock=True)
            row.receipt = marked.as_dict()
            session.add(row)
        voided.append(post_id)
    return voided


def expire(ctx: FlowContext, *, now: datetime | None = None) -> dict[str, list[int]]:
    """Past their expiry: queued posts are cancelled, waiting manual packages are void,
    and items on the website withdrawn."""
    now = now or utcnow()
    cancelled: list[int] = []
    withdrawn: list[int] = []
    with session_scope(ctx.engine) as session:
        for post in session.exec(
            select(Post)
            .where(col(Post.state).in_(("queued", "manual")))
            .where(col(Post.expires_at).is_not(None))
            .where(Post.expires_at < now)
            .with_for_update()
        ):
            posts_db.finish(
                session=session,
                post=post,
                state="cancelled",
                now=now,
                detail="void: expired before it was posted"
                if post.state == "manual"
                else "expired before it could be sent",
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
    with channel_batches(ctx) if live else contextlib.nullcontext():
        _withdraw_expired(ctx, live, targets, now=now, withdrawn=withdrawn)
    void_packages(ctx, cancelled)
    return {"cancelled": cancelled, "withdrawn": withdrawn}


def _withdraw_expired(
    ctx: FlowContext,
    live: list[Post],
    targets: dict[Any, Any],
    *,
    now: datetime,
    withdrawn: list[int],
) -> None:
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
                state="withdrawn",
                now=now,
                detail="expired: withdrawn from the website",
            )
        withdrawn.append(post.id or 0)


def flag_stale_accounts(ctx: FlowContext, *, now: datetime | None = None) -> dict[str, list[int]]:
    """Active accounts with nothing published within their no-update limit get an alert
    (``stale_account``), and a warning at each of the organisation's warning days before
    it (``update_due``); returns the accounts newly flagged, by kind."""
    warned: list[int] = []
    with session_scope(ctx.engine) as session:
        stale = alerts_db.flag_stale(
            session=session,
            now=now,
            tz=ctx.settings.tz,
            warn_days=ctx.settings.warn_days,
            warned=warned,
        )
    return {"stale_account": stale, "update_due": warned}


def refresh_alerts(ctx: FlowContext, *, now: datetime | None = None) -> dict[str, list[int]]:
    """Raise every alert the state of things calls for (see ``sqlmodel_db.alerts``)."""
    settings = ctx.settings
    with session_scope(ctx.engine) as session:
        raised = alerts_db.refresh(
            session=session,
            manual_wait=timedelta(hours=settings.manual_wait_hours),
            credentials_warning=timedelta(days=settings.credentials_warn_days),
            repost_warning=timedelta(hours=settings.repost_warn_hours),
            now=now,
            tz=settings.tz,
            warn_days=settings.warn_days,
            calendar=china_calendar(),
            notice_days=settings.notice_workdays,
        )
    void_packages(ctx, raised.get("cancelled_posts", []))
    return raised


def _notice_line(
    kind: str, message: str, post_id: int | None, language: str, translate: Translate
) -> str:
    """What a notice says of one alert. An alert of the ``NOTICE_KINDS`` keeps an English
    line made from a template, then its notice's own Chinese line; the others are said by
    the catalog."""
    if kind not in schedule_db.NOTICE_KINDS:
        return notice_text(kind, post_id, translate)
    lines = message.splitlines() or [""]
    return lines[-1] if language == "zh_CN" else lines[0]


def notify_alerts(
    ctx: FlowContext, *, now: datetime | None = None, http: Any = None
) -> dict[str, Any]:
    """Send the open alerts not yet sent to the organisation's notification address (a
    WeCom group robot or any webhook), in its ``notify_language``, naming the accounts and
    their responsible people; marked sent only when the address took them.

    People's words come from the one message catalog the console reads, through the leaf
    that loads it (:mod:`channels.catalog`): the robot says each kind as the console does,
    and no flow imports the console."""
    address = ctx.settings.notify
    if not is_webhook(address):
        return {"sent": 0, "detail": "no notification webhook set"}
    language = ctx.settings.notify_language
    translate = translator(language)
    with session_scope(ctx.engine) as session:
        rows = alerts_db.unsent(session=session)
        notices = [
            Notice(
                kind=alert.kind,
                text=_notice_line(alert.kind, alert.message, alert.post_id, language, translate),
                account=account.name if account else None,
                responsible=account.responsible if account else None,
                label=alert_label(alert.kind, translate),
            )
            for alert, account in rows
        ]
        words = Wording().said(translate)
        ids = [alert.id or 0 for alert, _ in rows]
    if not notices:
        return {"sent": 0, "detail": "nothing new"}
    result = send(str(address), notices, words=words, http=http)
    if result.ok:
        with session_scope(ctx.engine) as session:
            alerts_db.mark_sent(session=session, alert_ids=ids, now=now or utcnow())
    else:
        log.warning("alerts not sent: %s", result.detail)
    return {"sent": len(ids) if result.ok else 0, "detail": result.detail}

"""Scheduling on record: accounts' posting policies, freeze periods, leaders' releases,
paused queues and alerts, and the bookings the planner and the dispatcher count."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from domain.errors import InvalidInput, NotFound, Refused
from domain.scheduling import (
    AccountPolicy,
    Quota,
    parse_quota,
    parse_windows,
)
from domain.scheduling import (
    Freeze as FreezeRule,
)
from sqlmodel_db import audit
from sqlmodel_db.accounts import get_account
from sqlmodel_db.models import Account, AccountEvent, Alert, Freeze, Post, User
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit

# Posts that use up quota and spacing: sent, being sent, or waiting to be.
BOOKED_STATES = ("queued", "sending", "pending", "checking", "manual", "published", "unknown")
SENT_STATES = ("sending", "pending", "checking", "manual", "published", "unknown")
PAUSE_AFTER_FAILURES = 3
CREDENTIALS_EXPIRING = "credentials_expiring"  # the alert a week before a token ends
CREDENTIALS_WARNING = timedelta(days=7)

_SPACING = re.compile(r"^\s*(\d+)\s*(m|min|minutes?|h|hours?|分钟|小时)?\s*$", re.IGNORECASE)


def parse_spacing(text: str) -> int:
    """``"30m"``, ``"2h"``, ``"45"`` (minutes) → minutes."""
    match = _SPACING.match(text or "")
    if not match:
        raise InvalidInput("spacing {text!r} should look like 30m or 2h", text=text)
    value, unit = int(match.group(1)), (match.group(2) or "m").lower()
    minutes = value * 60 if unit.startswith("h") or unit == "小时" else value
    if minutes > 7 * 24 * 60:
        raise InvalidInput("spacing may be at most a week")
    return minutes


# -- policies ------------------------------------------------------------------------------
def set_policy(
    *,
    session: Session,
    actor: User,
    account_id: int,
    windows: str | None = None,
    spacing: str | None = None,
    quota: str | None = None,
    reset: bool = False,
) -> Account:
    """Set an account's posting windows, minimum spacing and quota (``reset`` returns all
    three to the channel's defaults)."""
    permit(actor, "account.policy")
    account = get_account(session=session, account_id=account_id)
    changes: dict[str, Any] = {}
    if reset:
        changes = {"windows": None, "spacing_minutes": None, "quota": None}
    if windows is not None:
        parsed = parse_windows(windows)
        changes["windows"] = ",".join(str(w) for w in parsed) if parsed else ""
    if spacing is not None:
        changes["spacing_minutes"] = parse_spacing(spacing)
    if quota is not None:
        parsed_quota = parse_quota(quota)
        changes["quota"] = str(parsed_quota) if parsed_quota else "none"
    if not changes:
        raise InvalidInput("give --windows, --spacing, --quota or --reset")
    recorded = {k: [getattr(account, k), v] for k, v in changes.items()}
    for key, value in changes.items():
        setattr(account, key, value)
    account.updated_at = utcnow()
    session.add(account)
    event = AccountEvent(
        account_id=account_id, action="policy", actor_id=actor.id or 0, changes=recorded
    )
    audit.record(
        session=session,
        sealed=event,
        actor_id=actor.id,
        action="account.policy",
        subject_type="account",
        subject_id=account_id,
        data={"changes": recorded},
    )
    return account


def policy_of(
    account: Account, *, default_quota: Any = None, limits: Iterable[Any] = ()
) -> AccountPolicy:
    """The account's posting policy; what it does not set comes from its channel, and the
    platform's own ``limits`` hold whatever it sets."""
    quota: Quota | None
    if account.quota is None:
        quota = Quota(default_quota.count, default_quota.per) if default_quota else None
    else:
        quota = parse_quota(account.quota)
    return AccountPolicy(
        account_id=account.id or 0,
        windows=parse_windows(account.windows or ""),
        spacing=timedelta(minutes=account.spacing_minutes or 0),
        quota=quota,
        is_main=account.is_main,
        limits=tuple(Quota(q.count, q.per) for q in limits),
    )


def bookings(
    *,
    session: Session,
    account_ids: Iterable[int],
    since: datetime,
    states: tuple[str, ...] = BOOKED_STATES,
    exclude_post: int | None = None,
) -> dict[int, list[datetime]]:
    """Per account, when its posts went (or are due to go) out, from ``since`` on."""
    ids = sorted(set(account_ids))
    found: dict[int, list[datetime]] = defaultdict(list)
    if not ids:
        return found
    rows = session.exec(
        select(Post)
        .where(col(Post.account_id).in_(ids))
        .where(col(Post.state).in_(states))
        .where((col(Post.sent_at) >= since) | (col(Post.due_at) >= since))
    )
    for post in rows:
        if post.id == exclude_post:
            continue
        when = post.sent_at if post.state in SENT_STATES and post.sent_at else post.due_at
        if when >= since:
            found[post.account_id].append(when)
    return found


# -- freezes -------------------------------------------------------------------------------
def check_freeze(*, actor: User, starts_at: datetime, ends_at: datetime, reason: str) -> str:
    """Refuse a freeze that may not be added; returns the cleaned reason."""
    permit(actor, "freeze.change")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required")
    if ends_at <= starts_at:
        raise InvalidInput("a freeze must end after it starts")
    if ends_at <= utcnow():
        raise InvalidInput("that freeze would already be over")
    return reason


def add_freeze(
    *, session: Session, actor: User, starts_at: datetime, ends_at: datetime, reason: str
) -> Freeze:
    reason = check_freeze(actor=actor, starts_at=starts_at, ends_at=ends_at, reason=reason)
    freeze = Freeze(starts_at=starts_at, ends_at=ends_at, reason=reason, created_by=actor.id or 0)
    session.add(freeze)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor.id,
        action="freeze.added",
        subject_type="freeze",
        subject_id=freeze.id or 0,
        data={"from": starts_at.isoformat(), "to": ends_at.isoformat(), "reason": reason},
    )
    return freeze


def list_freezes(*, session: Session, current: bool = True) -> list[Freeze]:
    query = select(Freeze).order_by(col(Freeze.starts_at))
    if current:
        query = query.where(col(Freeze.lifted_at).is_(None)).where(Freeze.ends_at > utcnow())
    return list(session.exec(query))


_CURRENT_FREEZES = (
    select(Freeze.starts_at, Freeze.ends_at, Freeze.reason)
    .where(col(Freeze.lifted_at).is_(None))
    .where(Freeze.ends_at > bindparam("now"))
    .order_by(col(Freeze.starts_at))
)


def freeze_rules(*, session: Session) -> list[FreezeRule]:
    """Freeze periods now and to come, as the scheduling rules take them (read before every
    send, so built once)."""
    rows = session.connection().execute(_CURRENT_FREEZES, {"now": utcnow()})
    return [FreezeRule(start=s, end=e, reason=r) for s, e, r in rows]


def lift_freeze(*, session: Session, actor: User, freeze_id: int, reason: str) -> Freeze:
    permit(actor, "freeze.change")
    freeze = session.get(Freeze, freeze_id)
    if freeze is None:
        raise NotFound("no freeze {freeze_id}", freeze_id=freeze_id)
    if freeze.lifted_at is not None:
        raise Refused("freeze {freeze_id} was already lifted", freeze_id=freeze_id)
    freeze.lifted_at, freeze.lifted_by = utcnow(), actor.id
    session.add(freeze)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="freeze.lifted",
        subject_type="freeze",
        subject_id=freeze_id,
        data={"reason": reason},
    )
    return freeze


def release_post(*, session: Session, actor: User, post_id: int, reason: str) -> Post:
    """A leader lets one post go out through freeze periods, by name and on record."""
    from sqlmodel_db.posts import get_post

    permit(actor, "post.release")
    if not (reason or "").strip():
        raise InvalidInput("a reason is required")
    post = get_post(session=session, post_id=post_id, lock=True)
    if post.state != "queued":
        raise Refused(
            "post {post_id} is {state}; only a queued post is released",
            post_id=post_id,
            state=post.state,
        )
    post.released_by = actor.id
    post.updated_at = utcnow()
    session.add(post)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="post.released",
        subject_type="post",
        subject_id=post_id,
        data={"reason": reason.strip()},
    )
    return post


# -- paused queues and alerts --------------------------------------------------------------
# Alerts whose message keeps, after its first line, the notice's own line: what the
# organisation's notification address is sent (``flows.delivery.notify_alerts`` sends an
# alert's last line), in Chinese, the office's working language. The first line is made
# from a template, in English, and read in its reader's language (``console.stored``).
NOTICE_KINDS = frozenset(
    {"stale_account", "update_due", "filing_due", "repost_at_risk", "repost_missing", "repost_late"}
)


def raise_alert(
    *,
    session: Session,
    kind: str,
    message: str,
    notice: str | None = None,
    account_id: int | None = None,
    post_id: int | None = None,
    at: datetime | None = None,
) -> Alert:
    """Raise an alert, on record; ``at`` is when its cause was found (now by default);
    ``notice`` the line a notice of it says (an alert of one of the ``NOTICE_KINDS``)."""
    if notice is not None:  # each a line of its own
        message = " ".join(message.splitlines()) + "\n" + " ".join(notice.splitlines())
    alert = Alert(kind=kind, message=message, account_id=account_id, post_id=post_id)
    if at is not None:
        alert.at = at
    session.add(alert)
    session.flush()
    audit.record(
        session=session,
        actor_id=None,
        action=f"alert.{kind}",
        subject_type="alert",
        subject_id=alert.id or 0,
        data={"message": message, "account_id": account_id, "post_id": post_id},
    )
    return alert


def list_alerts(*, session: Session, open_only: bool = True) -> list[Alert]:
    query = select(Alert).order_by(col(Alert.id).desc())
    if open_only:
        query = query.where(col(Alert.resolved_at).is_(None))
    return list(session.exec(query))


def hold_account(
    *,
    session: Session,
    account_id: int,
    kind: str,
    message: str,
    until: datetime | None,
) -> list[int]:
    """The platform takes nothing more for this account for now. With ``until`` (a daily
    quota's reset) its queued posts due before then wait until then; without, its queue is
    paused until a person lets it run again (``unpause_account``). Either way a person is
    told: one open alert of ``kind`` per account, the newest. Not a failure: the account's
    run of failures is not counted. Returns the posts that were moved."""
    account = session.exec(select(Account).where(Account.id == account_id).with_for_update()).one()
    now = utcnow()
    moved: list[int] = []
    if until is not None:
        for post in session.exec(
            select(Post)
            .where(Post.account_id == account_id)
            .where(Post.state == "queued")
            .where(Post.due_at < until)
            .with_for_update()
        ):
            post.due_at, post.updated_at = until, now
            session.add(post)
            moved.append(post.id or 0)
    elif not account.paused:
        account.paused, account.pause_reason = True, message
        account.updated_at = now
        session.add(account)
    for alert in session.exec(
        select(Alert)
        .where(Alert.account_id == account_id)
        .where(Alert.kind == kind)
        .where(col(Alert.resolved_at).is_(None))
    ):
        alert.resolved_at = now  # replaced by the newer one below
        session.add(alert)
    what = f"held until {until.isoformat()}" if until is not None else "paused"
    raise_alert(
        session=session,
        kind=kind,
        account_id=account_id,
        message=f"account {account_id} ({account.name}) {what}: {message}",
    )
    audit.record(
        session=session,
        actor_id=None,
        action="account.held",
        subject_type="account",
        subject_id=account_id,
        data={
            "kind": kind,
            "until": until.isoformat() if until else None,
            "message": message,
            "posts": moved,
        },
    )
    return moved


def resolve_alerts(
    *, session: Session, account_id: int, kind: str, actor: User | None = None
) -> list[int]:
    """Settle the account's open alerts of ``kind`` (what they warned of was dealt with)."""
    settled = []
    for alert in session.exec(
        select(Alert)
        .where(Alert.account_id == account_id)
        .where(Alert.kind == kind)
        .where(col(Alert.resolved_at).is_(None))
    ):
        alert.resolved_at, alert.resolved_by = utcnow(), actor.id if actor else None
        session.add(alert)
        settled.append(alert.id or 0)
    return settled


def flag_expiring_credentials(
    *, session: Session, now: datetime, tz: Any, within: timedelta = CREDENTIALS_WARNING
) -> list[int]:
    """Active accounts whose platform authorisation ends within ``within`` (a week, the
    organisation's ``credentials_warn_days``) get an alert, one open alert per account,
    until new credentials are stored or a later end is recorded
    (``sqlmodel_db.alerts.refresh`` closes it then)."""
    from domain.scheduling import format_local

    warned = {a.account_id for a in list_alerts(session=session) if a.kind == CREDENTIALS_EXPIRING}
    flagged: list[int] = []
    for account in session.exec(
        select(Account)
        .where(Account.state == "active")
        .where(col(Account.credentials_expire_at).is_not(None))
        .order_by(col(Account.id))
    ):
        ends = account.credentials_expire_at
        if ends is None or ends > now + within or account.id in warned:
            continue
        when = format_local(ends, tz)
        state = f"expired at {when}" if ends <= now else f"expire at {when}"
        raise_alert(
            session=session,
            kind=CREDENTIALS_EXPIRING,
            account_id=account.id,
            message=f"account {account.id} ({account.name}): its {account.platform} "
            f"credentials {state}; authorise it again and store the new ones with "
            f"`matrixpub account credentials {account.id} --secret-block NAME ... --test`, "
            f"or record their end with `matrixpub account change {account.id} "
            f"--credentials-expire DATE`",
        )
        flagged.append(account.id or 0)
    return flagged


def record_failure(*, session: Session, account_id: int, detail: str) -> Alert | None:
    """Count a failed delivery; the third in a row pauses the account's queue and alerts."""
    account = session.exec(select(Account).where(Account.id == account_id).with_for_update()).one()
    account.failures += 1
    alert = None
    if account.failures >= PAUSE_AFTER_FAILURES and not account.paused:
        account.paused = True
        account.pause_reason = f"{account.failures} deliveries failed in a row; last: {detail}"
        alert = raise_alert(
            session=session,
            kind="queue_paused",
            account_id=account_id,
            message=f"account {account_id} ({account.name}) paused: {account.pause_reason}",
        )
    session.add(account)
    return alert


def unpause_account(*, session: Session, actor: User, account_id: int, reason: str) -> Account:
    permit(actor, "account.unpause")
    account = get_account(session=session, account_id=account_id)
    if not account.paused:
        raise Refused("account {account_id}'s queue is not paused", account_id=account_id)
    account.paused, account.failures, account.pause_reason = False, 0, None
    session.add(account)
    for alert in session.exec(
        select(Alert).where(Alert.account_id == account_id).where(col(Alert.resolved_at).is_(None))
    ):
        alert.resolved_at, alert.resolved_by = utcnow(), actor.id
        session.add(alert)
    event = AccountEvent(
        account_id=account_id, action="unpaused", actor_id=actor.id or 0, reason=reason
    )
    audit.record(
        session=session,
        sealed=event,
        actor_id=actor.id,
        action="account.unpaused",
        subject_type="account",
        subject_id=account_id,
        data={"reason": reason},
    )
    return account

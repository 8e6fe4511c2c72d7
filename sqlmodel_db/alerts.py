"""What needs a person, as alerts: raised where it happens (a failed or unknown send, a
paused queue, a late answer), and found by :func:`refresh` from the state of things —
failed and unknown posts, manual packages waiting too long, credentials about to expire,
paused queues, accounts that stopped updating, 集中转载 running late — so nothing that
needs a person goes unsaid. An alert about a post closes when the post is settled; one
about credentials when they are renewed; a paused queue's when it is let run again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

from sqlmodel import Session, col, select

from domain.keepalive import DEFAULT_WARN_DAYS, Freshness, Level, freshness
from domain.workdays import WorkCalendar
from sqlmodel_db import audit, reposts
from sqlmodel_db.models import Account, Alert, Post, User
from sqlmodel_db.posts import raise_unknown_alert
from sqlmodel_db.schedule import CREDENTIALS_EXPIRING, flag_expiring_credentials, raise_alert
from sqlmodel_db.types import utcnow

# Alerts about a post, and the state the post is in while the alert holds.
POST_KINDS = {"post_failed": "failed", "unknown_send": "unknown", "manual_waiting": "manual"}


def _open(
    session: Session, kind: str, *, post_id: int | None = None, account_id: int | None = None
) -> bool:
    query = select(Alert.id).where(Alert.kind == kind).where(col(Alert.resolved_at).is_(None))
    if post_id is not None:
        query = query.where(Alert.post_id == post_id)
    if account_id is not None:
        query = query.where(Alert.account_id == account_id)
    return session.exec(query.limit(1)).first() is not None


def _name(session: Session, account_id: int) -> str:
    account = session.get(Account, account_id)
    return account.name if account else "?"


def post_failed(*, session: Session, post_id: int, account_id: int, detail: str) -> None:
    """A post failed: a person retries, resolves or cancels it."""
    if _open(session, "post_failed", post_id=post_id):
        return
    raise_alert(
        session=session,
        kind="post_failed",
        account_id=account_id,
        post_id=post_id,
        message=f"post {post_id} to account {account_id} ({_name(session, account_id)}) failed: "
        f"{detail}. "
        f"`matrixpub post retry {post_id}` sends it again; `matrixpub post resolve "
        f"{post_id} --published URL` if it is live after all; `matrixpub post cancel "
        f"{post_id} --reason ...` closes it",
    )


def refresh(
    *,
    session: Session,
    manual_wait: timedelta,
    credentials_warning: timedelta,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    warn_days: Sequence[int] = DEFAULT_WARN_DAYS,
    calendar: WorkCalendar | None = None,
    notice_days: int = 15,
    repost_warning: timedelta = timedelta(hours=2),
) -> dict[str, list[int]]:
    """Raise the alerts the state of things calls for and is missing, and close those
    whose post, credentials or account were settled; move closings along (a published
    停更公告, a notice period over: ``governance.advance``). Returns what was raised and
    what moved, by kind."""
    from sqlmodel_db import governance

    now = now or utcnow()
    raised: dict[str, list[int]] = {}
    if calendar is not None:
        raised.update(
            governance.advance(
                session=session, now=now, tz=tz or UTC, calendar=calendar, notice_days=notice_days
            )
        )
    posts = session.exec(select(Post).where(col(Post.state).in_(tuple(POST_KINDS.values()))))
    for post in posts:
        post_id = post.id or 0
        if post.state == "failed" and not _open(session, "post_failed", post_id=post_id):
            post_failed(
                session=session,
                post_id=post_id,
                account_id=post.account_id,
                detail=post.last_error or "no reason on record",
            )
            raised.setdefault("post_failed", []).append(post_id)
        elif post.state == "unknown" and not _open(session, "unknown_send", post_id=post_id):
            raise_unknown_alert(session=session, post_id=post_id, account_id=post.account_id)
            raised.setdefault("unknown_send", []).append(post_id)
        elif post.state == "manual":
            since = post.sent_at or post.updated_at
            if now - since > manual_wait and not _open(session, "manual_waiting", post_id=post_id):
                hours = int((now - since).total_seconds() // 3600)
                raise_alert(
                    session=session,
                    kind="manual_waiting",
                    account_id=post.account_id,
                    post_id=post_id,
                    message=f"post {post_id}: the manual package for account "
                    f"{post.account_id} has been waiting for a person for {hours} hours; "
                    f"post it and run `matrixpub post confirm {post_id} --url URL`, or "
                    f"`matrixpub post cancel {post_id} --reason ...`",
                )
                raised.setdefault("manual_waiting", []).append(post_id)
    _close_settled(session, now, credentials_warning)
    for account in session.exec(select(Account).where(Account.state == "active")):
        account_id = account.id or 0
        if account.paused and not _open(session, "queue_paused", account_id=account_id):
            raise_alert(
                session=session,
                kind="queue_paused",
                account_id=account_id,
                message=f"account {account_id} ({account.name}) is paused: "
                f"{account.pause_reason or 'no reason on record'}",
            )
            raised.setdefault("queue_paused", []).append(account_id)
    expiring = flag_expiring_credentials(
        session=session, now=now, tz=tz or UTC, within=credentials_warning
    )
    if expiring:
        raised[CREDENTIALS_EXPIRING] = expiring
    warned: list[int] = []
    stale = flag_stale(session=session, now=now, tz=tz or UTC, warn_days=warn_days, warned=warned)
    if stale:
        raised["stale_account"] = stale
    if warned:
        raised["update_due"] = warned
    late = reposts.flag(session=session, now=now, warn=repost_warning, tz=tz or UTC)
    if late:
        raised["repost"] = late
    return raised


def _close_settled(session: Session, now: datetime, credentials_warning: timedelta) -> None:
    for alert in session.exec(
        select(Alert)
        .where(col(Alert.resolved_at).is_(None))
        .where(col(Alert.kind).in_((*POST_KINDS, CREDENTIALS_EXPIRING)))
    ):
        if alert.kind in POST_KINDS:
            post = session.get(Post, alert.post_id) if alert.post_id else None
            settled = post is None or post.state != POST_KINDS[alert.kind]
        else:
            account = session.get(Account, alert.account_id) if alert.account_id else None
            ends = account.credentials_expire_at if account else None
            # Renewed (no end known, or an end recorded further off than the warning).
            settled = ends is None or ends - now > credentials_warning
        if settled:
            alert.resolved_at = now
            session.add(alert)


KEEPALIVE_KINDS = ("stale_account", "update_due")
# What a keep-alive alert says (its notice's Chinese line follows: ``schedule.NOTICE_KINDS``).
# The warning's stage ("warning at 7 days") is how a raised warning is told from the next.
STALE = "account {account_id} ({name}) has published nothing for {days} days; its limit is {limit}."
DUE = (
    "account {account_id} ({name}) must publish within {days_left} days "
    "(limit {limit}, warning at {stage} days)."
)


def last_updates(*, session: Session) -> dict[int, datetime]:
    """Each account's newest publication."""
    from sqlalchemy import func

    rows = session.exec(
        select(Post.account_id, func.max(Post.sent_at))
        .where(Post.state == "published")
        .group_by(col(Post.account_id))
    )
    return {account_id: sent for account_id, sent in rows if sent is not None}


def keepalive_view(
    *,
    session: Session,
    now: datetime | None = None,
    tz: tzinfo = UTC,
    warn_days: Sequence[int] = DEFAULT_WARN_DAYS,
) -> list[tuple[Account, datetime | None, Freshness]]:
    """Every active account with its newest publication (None: nothing yet; counted from
    when it was put on record) and how it stands against its update threshold."""
    now = now or utcnow()
    last = last_updates(session=session)
    out = []
    for account in session.exec(
        select(Account).where(Account.state == "active").order_by(col(Account.id))
    ):
        newest = last.get(account.id or 0)
        standing = freshness(
            last=newest or account.created_at,
            now=now,
            tz=tz,
            threshold=account.update_threshold_days,
            warn_days=warn_days,
        )
        out.append((account, newest, standing))
    return out


def _aware(value: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite hands them back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def flag_stale(
    *,
    session: Session,
    now: datetime | None = None,
    tz: tzinfo = UTC,
    warn_days: Sequence[int] = DEFAULT_WARN_DAYS,
    warned: list[int] | None = None,
) -> list[int]:
    """Active accounts past their no-update limit get a ``stale_account`` alert; those
    within a warning day of it an ``update_due`` alert (a new one at each warning day
    reached). An alert whose cause is gone closes: the account published, or is no
    longer active. Returns the accounts newly flagged as stale (and adds those newly
    warned to ``warned``)."""
    now = now or utcnow()
    flagged: list[int] = []
    open_alerts: dict[int, list[Alert]] = {}
    acknowledged: dict[int, list[Alert]] = {}
    for alert in session.exec(
        select(Alert)
        .where(col(Alert.kind).in_(KEEPALIVE_KINDS))
        .where(col(Alert.resolved_at).is_(None) | col(Alert.resolved_by).is_not(None))
    ):
        held = open_alerts if alert.resolved_at is None else acknowledged
        held.setdefault(alert.account_id or 0, []).append(alert)
    seen: set[int] = set()
    for account, newest, standing in keepalive_view(
        session=session, now=now, tz=tz, warn_days=warn_days
    ):
        account_id = account.id or 0
        seen.add(account_id)
        # A person acknowledged an alert about this same quiet spell: not raised again until
        # the cause changes (the next warning stage, or a new quiet spell after publishing).
        since = _aware(newest or account.created_at)
        seen_to = [a for a in acknowledged.get(account_id, []) if _aware(a.at) >= since]
        keep: str | None = None
        responsible = account.responsible or "未登记"
        if standing.level is Level.STALE:
            keep = "stale_account"
            message = STALE.format(
                account_id=account_id,
                name=account.name,
                days=standing.days_since,
                limit=standing.threshold,
            )
            notice = (
                f"账号「{account.name}」已 {standing.days_since} 天未更新"
                f"（上限 {standing.threshold} 天），责任人：{responsible}"
            )
        elif standing.level is Level.WARNING:
            keep = "update_due"
            message = DUE.format(
                account_id=account_id,
                name=account.name,
                days_left=standing.days_left,
                limit=standing.threshold,
                stage=standing.warn_stage,
            )
            notice = (
                f"账号「{account.name}」已 {standing.days_since} 天未更新，{standing.days_left} "
                f"天后将超过 {standing.threshold} 天上限，责任人：{responsible}"
            )
        current = open_alerts.get(account_id, [])
        stage_tag = f"warning at {standing.warn_stage} days"
        for alert in current:
            same = alert.kind == keep and (keep != "update_due" or stage_tag in alert.message)
            if not same:
                alert.resolved_at = now
                session.add(alert)
        if keep is None or any(
            a.kind == keep and (keep != "update_due" or stage_tag in a.message)
            for a in (*current, *seen_to)
        ):
            continue
        raise_alert(
            session=session,
            kind=keep,
            account_id=account_id,
            message=message,
            notice=notice,
            at=now,
        )
        if keep == "stale_account":
            flagged.append(account_id)
        elif warned is not None:
            warned.append(account_id)
    for account_id, alerts in open_alerts.items():
        if account_id not in seen:  # no longer active: nothing to keep alive
            for alert in alerts:
                alert.resolved_at = now
                session.add(alert)
    return flagged


def unsent(*, session: Session) -> list[tuple[Alert, Account | None]]:
    """Open alerts not yet sent to the organisation's notification address."""
    rows = []
    for alert in session.exec(
        select(Alert)
        .where(col(Alert.resolved_at).is_(None))
        .where(col(Alert.notified_at).is_(None))
        .order_by(col(Alert.id))
    ):
        account = session.get(Account, alert.account_id) if alert.account_id else None
        rows.append((alert, account))
    return rows


def mark_sent(*, session: Session, alert_ids: Sequence[int], now: datetime) -> None:
    for alert_id in alert_ids:
        alert = session.get(Alert, alert_id)
        if alert is not None:
            alert.notified_at = now
            session.add(alert)


def acknowledge(*, session: Session, actor: User, alert_id: int, note: str) -> Alert:
    """A person has seen to an alert: it is closed with their note, on record."""
    from domain.errors import InvalidInput, NotFound, Refused

    note = " ".join(note.split())
    if not note:
        raise InvalidInput("say what was done about it (--note)")
    if len(note) > 1000:
        raise InvalidInput("the note is longer than 1000 characters")
    alert = session.exec(select(Alert).where(Alert.id == alert_id).with_for_update()).first()
    if alert is None:
        raise NotFound("no alert {alert_id}", alert_id=alert_id)
    if alert.resolved_at is not None:
        raise Refused("alert {alert_id} is already closed", alert_id=alert_id)
    alert.resolved_at, alert.resolved_by, alert.note = utcnow(), actor.id, note
    session.add(alert)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="alert.acknowledged",
        subject_type="alert",
        subject_id=alert_id,
        data={"kind": alert.kind, "note": note},
    )
    return alert

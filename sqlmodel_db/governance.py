"""Account governance on record: requests to open, change or close an account and a
leader's decision on each; the 停更公告 drafted when a close is approved; the account
closing once its notice period has passed; the filing clocks (备案) and their reminders.

Every move goes through :func:`domain.accounts.step`, and is an :class:`AccountEvent`
and an audit record with its actor and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from domain.accounts import AccountState, Action, Life, RequestKind, notice_ends, step
from domain.errors import InvalidInput, NotFound, Refused
from domain.permissions import Party
from domain.roles import Role
from domain.workdays import WorkCalendar
from sqlmodel_db import audit
from sqlmodel_db.accounts import CHANGEABLE, _clean, _text, get_account, register_account
from sqlmodel_db.models import Account, AccountEvent, AccountRequest, Alert, Post, User
from sqlmodel_db.queue import cancel_queued
from sqlmodel_db.schedule import raise_alert
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit, roles_of

OPEN_FILING_DAYS = 10  # working days to file an opening (local rule)
CLOSE_FILING_DAYS = 5  # working days to file a closing
NOTICE_DAYS = 15  # working days between the 停更公告 and the closing
FILING_DUE = "filing_due"
# What a filing reminder says (its notice's Chinese line follows: ``schedule.NOTICE_KINDS``).
OPENED = (
    "account {account_id} ({name}) was approved to open: file it in the national reporting "
    "system (全国政务新媒体信息报送系统) by {due}, then record the filing with "
    "`matrixpub account filed {account_id} --record-no NUMBER`"
)
CLOSED = (
    "account {account_id} ({name}) closed on {closed_on}: file its closing in the national "
    "reporting system (全国政务新媒体信息报送系统) by {due}, then record the filing with "
    "`matrixpub account filed {account_id} --record-no NUMBER`"
)

# (title, body) of a 停更公告 from what the template needs.
NoticeWriter = Callable[[Mapping[str, Any]], tuple[str, str]]


def _may_request(actor: User, responsible: str | None) -> None:
    parties = (Party.RESPONSIBLE,) if responsible and actor.name == responsible else ()
    permit(actor, "account.request", *parties)


def life_of(*, session: Session, account: Account) -> Life:
    """What the lifecycle knows of an account, read from its record and requests."""
    requests = list(
        session.exec(
            select(AccountRequest)
            .where(AccountRequest.account_id == account.id)
            .order_by(col(AccountRequest.id))
        )
    )
    pending = next((r for r in requests if r.state == "pending"), None)
    close = next(
        (
            r
            for r in reversed(requests)
            if r.kind == "close" and r.state == "approved" and r.closed_on is None
        ),
        None,
    )
    return Life(
        state=AccountState(account.state),
        pending=RequestKind(pending.kind) if pending else None,
        close_approved=close is not None,
        notice_published_on=(
            date.fromisoformat(close.notice_published_on)
            if close and close.notice_published_on
            else None
        ),
        was_active=account.state != AccountState.APPLYING.value
        and not any(r.kind == "open" and r.state == "rejected" for r in requests),
    )


def _move(
    *,
    session: Session,
    account: Account,
    action: Action,
    actor_id: int | None,
    reason: str,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
    notice_days: int = NOTICE_DAYS,
    data: Mapping[str, Any] | None = None,
) -> Life:
    life, event = step(
        life_of(session=session, account=account),
        action,
        actor=actor_id or 0,
        reason=reason,
        today=today,
        calendar=calendar,
        notice_days=notice_days,
    )
    account.state = life.state.value
    account.updated_at = utcnow()
    session.add(account)
    extra = dict(data or {})
    row = AccountEvent(
        account_id=account.id or 0,
        action=action.value,
        from_state=event.from_state.value,
        to_state=event.to_state.value,
        actor_id=actor_id or _system_actor(session),
        reason=event.reason,
        changes={"request": event.request.value if event.request else None, **extra},
    )
    audit.record(
        session=session,
        sealed=row,
        actor_id=actor_id,
        action=f"account.{action.value}",
        subject_type="account",
        subject_id=account.id or 0,
        data={
            "from": event.from_state.value,
            "to": event.to_state.value,
            "reason": event.reason,
            "request": event.request.value if event.request else None,
            **extra,
        },
    )
    return life


def _system_actor(session: Session) -> int:
    """Account events name a user; a move the daily flow makes (the notice published, the
    notice period over) names the first admin, and the audit record names no one."""
    for user in session.exec(select(User).order_by(col(User.id))):
        if Role.ADMIN in roles_of(user):
            return user.id or 0
    raise Refused("no admin on record")


# -- requests --------------------------------------------------------------------------------
def request_open(
    *,
    session: Session,
    actor: User,
    platform: str,
    name: str,
    unit: str,
    reason: str,
    duplicate_reason: str | None = None,
    **fields: Any,
) -> AccountRequest:
    """Ask for a new account: it is on record as ``applying`` until a leader decides."""
    _may_request(actor, fields.get("responsible"))
    reason = _required(reason)
    account = register_account(
        session=session,
        actor=actor,
        platform=platform,
        name=name,
        unit=unit,
        duplicate_reason=duplicate_reason,
        applying=True,
        **fields,
    )
    request = AccountRequest(
        account_id=account.id or 0, kind="open", reason=reason, requested_by=actor.id or 0
    )
    return _requested(session, actor, account, request)


def _required(reason: str | None, what: str = "reason") -> str:
    text = " ".join((reason or "").split())
    if not text:
        if what == "opinion":
            raise InvalidInput("an opinion is required")
        raise InvalidInput("a reason is required")
    if len(text) > 2000:
        if what == "opinion":
            raise InvalidInput("the opinion is longer than 2000 characters")
        raise InvalidInput("the reason is longer than 2000 characters")
    return text


def _requested(
    session: Session, actor: User, account: Account, request: AccountRequest
) -> AccountRequest:
    if request.kind != "open":
        _move(
            session=session,
            account=account,
            action=Action(f"request_{request.kind}"),
            actor_id=actor.id,
            reason=request.reason,
        )
    session.add(request)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor.id,
        action=f"account.request_{request.kind}",
        subject_type="account_request",
        subject_id=request.id or 0,
        data={
            "account_id": account.id,
            "reason": request.reason,
            "changes": request.changes,
            "successor_id": request.successor_id,
        },
    )
    return request


def request_change(
    *, session: Session, actor: User, account_id: int, reason: str, **fields: Any
) -> AccountRequest:
    account = get_account(session=session, account_id=account_id)
    _may_request(actor, account.responsible)
    reason = _required(reason)
    unknown = set(fields) - set(CHANGEABLE)
    if unknown:
        raise InvalidInput("unknown account fields: {unknown}", unknown=", ".join(sorted(unknown)))
    values = _clean({k: v for k, v in fields.items() if v is not None}, session=session)
    changes = {k: v for k, v in values.items() if getattr(account, k) != v}
    if not changes:
        raise InvalidInput("nothing to change")
    for key, value in changes.items():
        if isinstance(value, datetime):
            changes[key] = value.isoformat()
    request = AccountRequest(
        account_id=account_id,
        kind="change",
        reason=reason,
        changes=changes,
        requested_by=actor.id or 0,
    )
    return _requested(session, actor, account, request)


def request_close(
    *,
    session: Session,
    actor: User,
    account_id: int,
    reason: str,
    successor_id: int | None = None,
    successor_contact: str | None = None,
) -> AccountRequest:
    account = get_account(session=session, account_id=account_id)
    _may_request(actor, account.responsible)
    reason = _required(reason)
    if successor_id is not None:
        successor = get_account(session=session, account_id=successor_id)
        if successor_id == account_id:
            raise InvalidInput("an account cannot succeed itself")
        if successor.state != AccountState.ACTIVE.value:
            raise Refused(
                "successor account {successor_id} is {state}, not active",
                successor_id=successor_id,
                state=successor.state,
            )
    request = AccountRequest(
        account_id=account_id,
        kind="close",
        reason=reason,
        successor_id=successor_id,
        successor_contact=_text(successor_contact, "successor contact", 500),
        requested_by=actor.id or 0,
    )
    return _requested(session, actor, account, request)


def get_request(*, session: Session, request_id: int) -> AccountRequest:
    request = session.get(AccountRequest, request_id)
    if request is None:
        raise NotFound("no account request {request_id}", request_id=request_id)
    return request


def list_requests(
    *, session: Session, account_id: int | None = None, state: str | None = None
) -> list[AccountRequest]:
    query = select(AccountRequest).order_by(col(AccountRequest.id).desc())
    if account_id is not None:
        query = query.where(AccountRequest.account_id == account_id)
    if state:
        if state not in ("pending", "approved", "rejected"):
            raise InvalidInput("state is pending, approved or rejected")
        query = query.where(AccountRequest.state == state)
    return list(session.exec(query))


def decide(
    *,
    session: Session,
    actor: User,
    request_id: int,
    approve: bool,
    opinion: str,
    today: date,
    calendar: WorkCalendar,
    notice: NoticeWriter | None = None,
) -> AccountRequest:
    """A leader approves or rejects a request, with an opinion (审签意见). Approving an
    open makes the account active and starts its filing clock; a change applies the
    fields; a close drafts its 停更公告 (``notice`` writes it) targeted at the account."""
    permit(actor, "account.decide")
    opinion = _required(opinion, "opinion")
    request = get_request(session=session, request_id=request_id)
    if request.state != "pending":
        raise Refused(
            "request {request_id} was {state} already", request_id=request_id, state=request.state
        )
    account = get_account(session=session, account_id=request.account_id)
    if request.requested_by == actor.id:
        raise Refused("a leader does not decide a request of their own")
    verb = "approved" if approve else "rejected"
    _move(
        session=session,
        account=account,
        action=Action.APPROVE if approve else Action.REJECT,
        actor_id=actor.id,
        reason=opinion,
        data={"request_id": request.id},
    )
    request.state, request.decided_by, request.opinion = verb, actor.id, opinion
    request.decided_at = utcnow()
    if approve and request.kind == "open":
        account.opened_on = today.isoformat()
        request.filing_due = calendar.add(today, OPEN_FILING_DAYS).isoformat()
        raise_alert(
            session=session,
            kind=FILING_DUE,
            account_id=account.id,
            message=OPENED.format(account_id=account.id, name=account.name, due=request.filing_due),
            notice=f"账号 {account.id}（{account.name}）已批准开设，请于 {request.filing_due} "
            f"前在全国政务新媒体信息报送系统备案，并运行 `matrixpub account filed {account.id} "
            f"--record-no 编号` 记录",
        )
    elif approve and request.kind == "change":
        for key, value in request.changes.items():
            if key == "credentials_expire_at" and value:
                value = datetime.fromisoformat(value)
            setattr(account, key, value)
        request.filing_due = calendar.add(today, CLOSE_FILING_DAYS).isoformat()
    elif approve and request.kind == "close":
        if notice is None:
            raise ValueError("approving a close needs the notice writer")
        draft_id = _draft_notice(session, request, account, today, notice)
        request.notice_draft_id = draft_id
    session.add(request)
    session.add(account)
    audit.record(
        session=session,
        actor_id=actor.id,
        action=f"account.request_{verb}",
        subject_type="account_request",
        subject_id=request.id or 0,
        data={"account_id": account.id, "kind": request.kind, "opinion": opinion},
    )
    return request


def _draft_notice(
    session: Session,
    request: AccountRequest,
    account: Account,
    today: date,
    notice: NoticeWriter,
) -> int:
    from sqlmodel_db.drafts import create_draft

    successor = session.get(Account, request.successor_id) if request.successor_id else None
    title, body = notice(
        {
            "account": account,
            "reason": request.reason,
            "date": today,
            "successor": successor,
            "successor_contact": request.successor_contact,
        }
    )
    author = session.get(User, request.requested_by)
    assert author is not None
    draft, _version = create_draft(
        session=session,
        actor=author,
        title=title,
        body=body,
        targets=[account.id or 0],
        priority=50,
        drafted_for=f"account_request {request.id}: 停更公告",
    )
    return draft.id or 0


# -- what the daily flow (and every look at the alerts) moves on ------------------------------
def advance(
    *,
    session: Session,
    now: datetime,
    tz: tzinfo,
    calendar: WorkCalendar,
    notice_days: int = NOTICE_DAYS,
) -> dict[str, list[int]]:
    """Move the closings along: a 停更公告 that went out starts the notice period (the
    account is ``closing`` and takes no other post); a notice period that has passed
    closes the account, cancels its queued posts and starts the filing clock with a
    reminder. Returns account ids by what happened (and ``cancelled_posts``: post ids)."""
    done: dict[str, list[int]] = {}
    today = now.astimezone(tz).date()
    closes = session.exec(
        select(AccountRequest)
        .where(AccountRequest.kind == "close")
        .where(AccountRequest.state == "approved")
        .where(col(AccountRequest.closed_on).is_(None))
    )
    for request in list(closes):
        account = get_account(session=session, account_id=request.account_id)
        if request.notice_published_on is None and request.notice_draft_id is not None:
            sent = session.exec(
                select(Post.sent_at)
                .where(Post.draft_id == request.notice_draft_id)
                .where(Post.account_id == account.id)
                .where(Post.state == "published")
                .limit(1)
            ).first()
            if sent is None or account.state != AccountState.ACTIVE.value:
                continue
            published = sent.astimezone(tz).date()
            _move(
                session=session,
                account=account,
                action=Action.NOTICE_PUBLISHED,
                actor_id=None,
                reason="停更公告已发布",
                today=published,
                data={"request_id": request.id},
            )
            request.notice_published_on = published.isoformat()
            session.add(request)
            done.setdefault("notice_published", []).append(account.id or 0)
        if request.notice_published_on is None:
            continue
        ends = notice_ends(date.fromisoformat(request.notice_published_on), calendar, notice_days)
        if today < ends:
            continue
        _move(
            session=session,
            account=account,
            action=Action.CLOSE,
            actor_id=None,
            reason=f"停更公告期满（{notice_days} 个工作日）",
            today=today,
            calendar=calendar,
            notice_days=notice_days,
            data={"request_id": request.id},
        )
        request.closed_on = today.isoformat()
        request.filing_due = calendar.add(today, CLOSE_FILING_DAYS).isoformat()
        session.add(request)
        cancelled = cancel_queued(
            session=session,
            account_id=account.id,
            actor_id=None,
            reason=f"account {account.id} closed: {request.reason}",
        )
        if cancelled:  # their manual packages' folders are marked void after the commit
            done.setdefault("cancelled_posts", []).extend(cancelled)
        raise_alert(
            session=session,
            kind=FILING_DUE,
            account_id=account.id,
            message=CLOSED.format(
                account_id=account.id,
                name=account.name,
                closed_on=request.closed_on,
                due=request.filing_due,
            ),
            notice=f"账号 {account.id}（{account.name}）已于 {request.closed_on} 注销，请于 "
            f"{request.filing_due} 前在全国政务新媒体信息报送系统办理注销备案，并运行 "
            f"`matrixpub account filed {account.id} --record-no 编号` 记录",
        )
        done.setdefault("closed", []).append(account.id or 0)
    return done


def awaiting_filing(*, session: Session, account_id: int) -> AccountRequest | None:
    return session.exec(
        select(AccountRequest)
        .where(AccountRequest.account_id == account_id)
        .where(col(AccountRequest.filing_due).is_not(None))
        .where(col(AccountRequest.filed_on).is_(None))
        .order_by(col(AccountRequest.id).desc())
        .limit(1)
    ).first()


def filed(
    *, session: Session, actor: User, account_id: int, record_no: str, today: date
) -> AccountRequest:
    """The filing in the national reporting system is done: its number on record, the
    reminder closed."""
    permit(actor, "account.filed")
    record = _text(record_no, "record number", 100)
    if not record:
        raise InvalidInput("--record-no is required")
    account = get_account(session=session, account_id=account_id)
    request = awaiting_filing(session=session, account_id=account_id)
    if request is None:
        raise Refused("account {account_id} has no filing waiting", account_id=account_id)
    request.filed_on, request.record_no = today.isoformat(), record
    account.record_no, account.filed_on = record, today.isoformat()
    account.updated_at = utcnow()
    session.add(request)
    session.add(account)
    for alert in session.exec(
        select(Alert)
        .where(Alert.account_id == account_id)
        .where(Alert.kind == FILING_DUE)
        .where(col(Alert.resolved_at).is_(None))
    ):
        alert.resolved_at, alert.resolved_by = utcnow(), actor.id
        session.add(alert)
    row = AccountEvent(
        account_id=account_id,
        action="filed",
        actor_id=actor.id or 0,
        reason=f"备案 {record}",
        changes={"request_id": request.id, "kind": request.kind, "record_no": record},
    )
    audit.record(
        session=session,
        sealed=row,
        actor_id=actor.id,
        action="account.filed",
        subject_type="account",
        subject_id=account_id,
        data={"request_id": request.id, "kind": request.kind, "record_no": record},
    )
    return request

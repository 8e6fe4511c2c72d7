"""Account governance as functions both faces call: requests and decisions, the filing,
suspending and resuming with the posts they touch, an account's 审签单 and the kept-alive
board. Dates are the organisation's local dates; working days are China's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from channels.notice import stop_notice
from console import views
from console.workspace import Workspace
from domain.keepalive import DEFAULT_THRESHOLD
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import alerts as alerts_db
from sqlmodel_db import governance
from sqlmodel_db.calendar import china_calendar
from sqlmodel_db.models import AccountRequest, Draft, Post, User
from sqlmodel_db.types import utcnow


def _today(ws: Workspace) -> Any:
    return datetime.now(ws.settings.tz).date()


def _names(session: Any) -> dict[int, str]:
    return {u.id or 0: u.name for u in session.exec(select(User))}


def request_view(request: AccountRequest, names: dict[int, str] | None = None) -> dict[str, Any]:
    view = request.model_dump(mode="json")
    if names is not None:
        view["requested_by_name"] = names.get(request.requested_by)
        view["decided_by_name"] = names.get(request.decided_by or 0)
    return view


def _asked(session: Any, request: AccountRequest) -> dict[str, Any]:
    """A request just made, with the names of the people who may decide it: the active
    leaders (领导), but not the one who asked (see :mod:`domain.permissions`)."""
    from domain.roles import Role
    from sqlmodel_db.users import list_users, roles_of

    deciders = [
        u.name
        for u in list_users(session=session)
        if u.active and Role.LEADER in roles_of(u) and u.id != request.requested_by
    ]
    return {**request_view(request), "decided_by_role": Role.LEADER.value, "deciders": deciders}


def request_open(ws: Workspace, *, reason: str, **fields: Any) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        request = governance.request_open(session=session, actor=actor, reason=reason, **fields)
        return _asked(session, request)


def request_change(ws: Workspace, account_id: int, *, reason: str, **fields: Any) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        request = governance.request_change(
            session=session, actor=actor, account_id=account_id, reason=reason, **fields
        )
        return _asked(session, request)


def request_close(
    ws: Workspace,
    account_id: int,
    *,
    reason: str,
    successor: int | None = None,
    successor_contact: str | None = None,
) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        request = governance.request_close(
            session=session,
            actor=actor,
            account_id=account_id,
            reason=reason,
            successor_id=successor,
            successor_contact=successor_contact,
        )
        return _asked(session, request)


def decide(ws: Workspace, request_id: int, *, approve: bool, opinion: str) -> dict[str, Any]:
    notice_days = ws.settings.notice_workdays
    with ws.acting() as (session, actor):
        request = governance.decide(
            session=session,
            actor=actor,
            request_id=request_id,
            approve=approve,
            opinion=opinion,
            today=_today(ws),
            calendar=china_calendar(),
            notice=lambda data: stop_notice(data, notice_days=notice_days),
        )
        view = request_view(request, _names(session))
        if request.notice_draft_id:
            draft = session.get(Draft, request.notice_draft_id)
            account = accounts_db.get_account(session=session, account_id=request.account_id)
            view["notice_draft"] = {
                "id": request.notice_draft_id,
                "title": draft.title if draft else None,
                "author": view["requested_by_name"],
                "account": account.name,
                "notice_workdays": notice_days,
            }
        return view


def list_requests(
    ws: Workspace, *, state: str | None = None, account_id: int | None = None
) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        names = _names(session)
        accounts = {a.id: a.name for a in accounts_db.list_accounts(session=session)}
        return [
            {**request_view(r, names), "account_name": accounts.get(r.account_id)}
            for r in governance.list_requests(session=session, account_id=account_id, state=state)
        ]


def filed(ws: Workspace, account_id: int, *, record_no: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        request = governance.filed(
            session=session,
            actor=actor,
            account_id=account_id,
            record_no=record_no,
            today=_today(ws),
        )
        return request_view(request)


def _post_lines(session: Any, post_ids: list[int]) -> list[dict[str, Any]]:
    out = []
    for post_id in post_ids:
        post = session.get(Post, post_id)
        if post is None:
            continue
        draft = session.get(Draft, post.draft_id)
        out.append(
            {
                "id": post_id,
                "draft_id": post.draft_id,
                "title": draft.title if draft else "",
                "due_at": post.due_at.isoformat(),
            }
        )
    return out


def suspend(ws: Workspace, account_id: int, *, reason: str) -> dict[str, Any]:
    """Suspend an account: its queued posts are cancelled and listed."""
    from console.actions import _void_packages

    with ws.acting() as (session, actor):
        account, cancelled = accounts_db.move_account(
            session=session, actor=actor, account_id=account_id, move="suspend", reason=reason
        )
        view = {
            **views.account_view(account),
            "cancelled_posts": cancelled,
            "cancelled": _post_lines(session, cancelled),
        }
    _void_packages(ws, cancelled)
    return view


def resume(ws: Workspace, account_id: int, *, reason: str, replan: bool) -> dict[str, Any]:
    """Resume an account; it offers the posts its suspension cancelled (still approved, not
    expired), and with ``replan`` queues them again, on record."""
    from flows.context import context_for
    from flows.delivery import plan_batch

    with ws.acting() as (session, actor):
        account, _ = accounts_db.move_account(
            session=session, actor=actor, account_id=account_id, move="resume", reason=reason
        )
        suspended = session.exec(
            select(Post)
            .where(Post.account_id == account_id)
            .where(Post.state == "cancelled")
            .where(col(Post.last_error).startswith(f"account {account_id} suspended"))
            .order_by(col(Post.id))
        ).all()
        now = utcnow()
        offered = [
            p.id or 0
            for p in suspended
            if (draft := session.get(Draft, p.draft_id)) is not None
            and draft.state == "approved"
            and (p.expires_at is None or p.expires_at > now)
            and not session.exec(
                select(Post.id)
                .where(Post.draft_id == p.draft_id)
                .where(Post.account_id == account_id)
                .where(Post.state != "cancelled")
            ).first()
        ]
        view = {
            **views.account_view(account),
            "offered": _post_lines(session, offered),
            "replanned": [],
        }
        drafts = sorted({p.draft_id for p in suspended if p.id in offered})
        actor_id = actor.id
    if replan and drafts:
        planned = plan_batch(
            context_for(ws.settings, ws.engine), drafts, only_accounts=[account_id]
        )
        new = [post_id for result in planned for post_id in result["posts"]]
        with ws.session() as session:
            from sqlmodel_db import audit

            audit.record(
                session=session,
                actor_id=actor_id,
                action="account.replanned",
                subject_type="account",
                subject_id=account_id,
                data={"cancelled": offered, "queued": new},
            )
            view["replanned"] = _post_lines(session, new)
    return view


def sheet(ws: Workspace, account_id: int) -> dict[str, Any]:
    """An account's 审签单: its record, every request with who asked, why, the leader's
    opinion and when, the closing and the filing; and its history."""
    with ws.acting() as (session, _actor):
        names = _names(session)
        account = accounts_db.get_account(session=session, account_id=account_id)
        requests = governance.list_requests(session=session, account_id=account_id)
        events = accounts_db.account_events(session=session, account_id=account_id)
        return {
            "account": views.account_view(account),
            "requests": [request_view(r, names) for r in reversed(requests)],
            "events": [
                {**views.account_event_view(e), "actor_name": names.get(e.actor_id)} for e in events
            ],
        }


def keepalive_board(ws: Workspace, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every active account's days since its last post against its threshold, as of now."""
    with ws.acting() as (session, _actor):
        rows = alerts_db.keepalive_view(
            session=session, now=now, tz=ws.settings.tz, warn_days=ws.settings.warn_days
        )
        return [
            {
                "id": account.id,
                "name": account.name,
                "platform": account.platform,
                "unit": account.unit,
                "responsible": account.responsible,
                "column_kind": account.column_kind,
                "last_post": newest.isoformat() if newest else None,
                "days_since": standing.days_since,
                "threshold": standing.threshold or DEFAULT_THRESHOLD,
                "days_left": standing.days_left,
                "level": standing.level.value,
            }
            for account, newest, standing in rows
        ]

"""What the console's admin pages show and do, beyond the actions the CLI already has:
the alerts inbox (acknowledged with a note), the audit log by people's names with
filters, and a week or month calendar of scheduled posts per account with freezes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import col, select

from console import views
from console.workspace import Workspace
from domain.errors import InvalidInput, NotFound, Refused
from domain.roles import Role
from sqlmodel_db import alerts as alerts_db
from sqlmodel_db import audit
from sqlmodel_db import schedule as schedule_db
from sqlmodel_db import users as users_db
from sqlmodel_db.models import Account, Freeze, Post


def _admin(ws: Workspace) -> None:
    with ws.acting() as (_session, actor):
        if Role.ADMIN not in users_db.roles_of(actor):
            raise Refused("the admin pages are for admins; {name} is not one", name=actor.name)


# -- alerts ---------------------------------------------------------------------------------
def alerts_inbox(ws: Workspace, *, all_: bool = False) -> list[dict[str, Any]]:
    """The alerts, as of now, with the names of their accounts and of who closed them."""
    from console import actions

    rows = actions.list_alerts(ws, all_=all_)
    with ws.session() as session:
        names = users_db.user_names(session=session, ids=(a["resolved_by"] for a in rows))
    return [
        {**a, "resolved_by_name": names.get(a["resolved_by"]) if a["resolved_by"] else None}
        for a in rows
    ]


def acknowledge_alert(ws: Workspace, alert_id: int, *, note: str) -> dict[str, Any]:
    """Close an alert with a note of what was done (admin)."""
    with ws.acting() as (session, actor):
        users_db.permit(actor, "alert.ack")
        alert = alerts_db.acknowledge(session=session, actor=actor, alert_id=alert_id, note=note)
        return alert.model_dump(mode="json")


# -- the audit log ------------------------------------------------------------------------
def _day(ws: Workspace, text: str | None, what: str) -> datetime | None:
    if not text or not text.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(text.strip()), time(0), ws.settings.tz)
    except ValueError:
        raise InvalidInput(
            "{what} {text!r} should be a date like 2026-12-01", what=what, text=text
        ) from None


def audit_search(
    ws: Workspace,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    draft: int | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Audit events with people's names, filtered by actor (a name), action (a prefix),
    local days (``since`` and ``until`` both included) and draft; newest first."""
    start = _day(ws, since, "from")
    end = _day(ws, until, "to")
    with ws.acting() as (session, _user):  # as `audit log`: anyone may read the record
        actor_id = None
        if actor and actor.strip():
            actor_id = users_db.get_user_by_name(session=session, name=actor).id
        events = audit.search(
            session=session,
            actor_id=actor_id,
            action=action,
            since=start,
            until=end + timedelta(days=1) if end else None,
            draft_id=draft,
            limit=limit,
        )
        return views.audit_rows(session, events)


# -- the calendar ---------------------------------------------------------------------------
def calendar(ws: Workspace, *, view: str = "week", day: str | None = None) -> dict[str, Any]:
    """Posts scheduled (or sent) per account per local day over a week (Monday to Sunday)
    or a month, and the freezes in that period."""
    tz = ws.settings.tz
    if view not in ("week", "month"):
        raise InvalidInput("view is week or month")
    try:
        the_day = date.fromisoformat(day) if day else datetime.now(tz).date()
    except ValueError:
        raise InvalidInput("day {day!r} should look like 2026-12-01", day=day) from None
    if view == "week":
        first = the_day - timedelta(days=the_day.weekday())
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first = the_day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        last = following - timedelta(days=1)
        previous = (first - timedelta(days=1)).replace(day=1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    with ws.acting() as (session, _actor):
        accounts = {a.id: a for a in session.exec(select(Account).order_by(col(Account.id)))}
        counts: dict[int, list[int]] = {}
        for post in session.exec(
            select(Post)
            .where(Post.state != "cancelled")
            .where(col(Post.due_at) >= start - timedelta(days=1))
            .where(col(Post.due_at) < end + timedelta(days=1))
        ):
            when = (post.sent_at or post.due_at).astimezone(tz).date()
            if first <= when <= last:
                counts.setdefault(post.account_id, [0] * len(days))[(when - first).days] += 1
        freezes = [
            f
            for f in schedule_db.list_freezes(session=session, current=False)
            if f.lifted_at is None and f.starts_at < end and f.ends_at > start
        ]
    frozen = [
        any(
            f.starts_at < datetime.combine(d + timedelta(days=1), time(0), tz)
            and f.ends_at > datetime.combine(d, time(0), tz)
            for f in freezes
        )
        for d in days
    ]
    return {
        "view": view,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "previous": previous.isoformat(),
        "next": following.isoformat(),
        "timezone": ws.settings.timezone,
        "days": [
            {"date": d.isoformat(), "weekday": d.weekday(), "frozen": f}
            for d, f in zip(days, frozen, strict=True)
        ],
        "accounts": [
            {
                "account_id": account_id,
                "name": accounts[account_id].name if account_id in accounts else "?",
                "platform": accounts[account_id].platform if account_id in accounts else "",
                "counts": row,
            }
            for account_id, row in sorted(counts.items())
        ],
        "freezes": [_freeze(f) for f in freezes],
    }


def _freeze(freeze: Freeze) -> dict[str, Any]:
    return freeze.model_dump(mode="json")


def require_admin(ws: Workspace) -> None:
    """Refused unless the acting person is an admin (the admin pages)."""
    _admin(ws)


__all__ = ["NotFound", "acknowledge_alert", "alerts_inbox", "audit_search", "calendar"]

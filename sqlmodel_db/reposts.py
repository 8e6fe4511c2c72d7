"""集中转载 compliance: for each fan-out, each account's post on time, late or missing
(:mod:`domain.reposts`), and the alerts a late or missing one raises — ahead of the
deadline when the deadline is near and the post is not live yet.

One alert is raised per draft, account and kind, at most once: ``repost_at_risk`` before
the deadline, ``repost_missing`` once it has passed with nothing live, ``repost_late``
when the post went live after it. An at-risk or missing alert closes by itself when the
account's status moves on (the post went live); a late one stays until acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlmodel import Session, col, select

from domain.reposts import ALERTING, Repost, RepostStatus, status
from sqlmodel_db.models import Account, Alert, Draft, Post
from sqlmodel_db.schedule import raise_alert
from sqlmodel_db.types import utcnow

ALERT_KINDS = {
    RepostStatus.AT_RISK: "repost_at_risk",
    RepostStatus.MISSING: "repost_missing",
    RepostStatus.LATE: "repost_late",
}


@dataclass(frozen=True)
class RepostRow:
    draft_id: int
    title: str
    group: str
    deadline: datetime | None
    account_id: int
    account: str
    platform: str
    responsible: str | None
    post_id: int | None
    post_state: str | None
    due_at: datetime | None
    published_at: datetime | None
    url: str | None
    status: RepostStatus


def _account_post(posts: list[Post]) -> Post | None:
    """The post that stands for the account: the first live one, else the earliest due
    one not cancelled."""
    live = sorted(
        (p for p in posts if p.state == "published" and p.sent_at), key=lambda p: p.sent_at
    )
    if live:
        return live[0]
    waiting = sorted((p for p in posts if p.state != "cancelled"), key=lambda p: p.due_at)
    return waiting[0] if waiting else None


def rows(
    *,
    session: Session,
    now: datetime | None = None,
    warn: timedelta = timedelta(hours=2),
    draft_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[RepostRow]:
    """Every fanned-out draft's accounts (or one draft's) with their status as of
    ``now``; ``since``/``until`` keep the fan-outs whose deadline (or, without one, last
    change) falls in that period."""
    now = now or utcnow()
    query = select(Draft).where(col(Draft.fanout_group).is_not(None)).order_by(col(Draft.id))
    if draft_id is not None:
        query = query.where(Draft.id == draft_id)
    out: list[RepostRow] = []
    for draft in session.exec(query):
        when = draft.fanout_deadline or draft.updated_at
        if (since and when < since) or (until and when >= until):
            continue
        posts: dict[int, list[Post]] = {}
        for post in session.exec(select(Post).where(Post.draft_id == draft.id)):
            posts.setdefault(post.account_id, []).append(post)
        accounts = session.exec(
            select(Account)
            .where(Account.group_name == draft.fanout_group)
            .order_by(col(Account.id))
        )
        for account in accounts:
            mine = posts.get(account.id or 0, [])
            if account.state != "active" and not mine:
                continue  # not open for posting, and nothing was planned for it
            post = _account_post(mine)
            live = post.sent_at if post and post.state == "published" else None
            seen = Repost(
                published_at=live,
                due_at=post.due_at if post and not live else None,
                exists=post is not None,
            )
            out.append(
                RepostRow(
                    draft_id=draft.id or 0,
                    title=draft.title,
                    group=draft.fanout_group or "",
                    deadline=draft.fanout_deadline,
                    account_id=account.id or 0,
                    account=account.name,
                    platform=account.platform,
                    responsible=account.responsible,
                    post_id=post.id if post else None,
                    post_state=post.state if post else None,
                    due_at=post.due_at if post else None,
                    published_at=live,
                    url=post.url if post else None,
                    status=status(seen, deadline=draft.fanout_deadline, now=now, warn=warn),
                )
            )
    return out


# What a 集中转载 alert says, by how the account stands (its notice's Chinese line follows:
# ``schedule.NOTICE_KINDS``).
_HEAD = (
    "matrix repost (集中转载) of “{title}” (draft {draft_id}) to account {account_id} "
    "({account}; responsible: {responsible})"
)
LINES = {
    "late": _HEAD + ": published at {published}, after its deadline {deadline}.",
    "missing": _HEAD + ": its deadline {deadline} has passed and it is not published.",
    "no_post": _HEAD + ": no post is planned for it; the deadline is {deadline}.",
    "planned_late": _HEAD + ": planned for {due}, after its deadline {deadline}.",
    "at_risk": _HEAD + ": not published yet, and its deadline {deadline} is near.",
}
NOT_ON_RECORD = "not on record"  # no responsible person


def _case(row: RepostRow) -> str:
    if row.status is RepostStatus.LATE:
        return "late"
    if row.status is RepostStatus.MISSING:
        return "missing"
    if row.post_id is None:
        return "no_post"
    if row.due_at and row.deadline and row.due_at > row.deadline:
        return "planned_late"
    return "at_risk"


def _message(row: RepostRow, tz: tzinfo) -> tuple[str, str]:
    """What the alert says, and its notice's line."""

    def local(when: datetime | None) -> str:
        return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else "?"

    case = _case(row)
    values = {
        "title": row.title,
        "draft_id": row.draft_id,
        "account_id": row.account_id,
        "account": row.account,
        "responsible": row.responsible or NOT_ON_RECORD,
        "published": local(row.published_at),
        "due": local(row.due_at),
        "deadline": local(row.deadline),
    }
    deadline = values["deadline"]
    who = f"，责任人 {row.responsible}" if row.responsible else ""
    head = (
        f"集中转载《{row.title}》（稿件 {row.draft_id}）→ "
        f"账号 {row.account_id}（{row.account}{who}）"
    )
    notice = {
        "late": f"{head}：{values['published']} 才发布，晚于时限 {deadline}",
        "missing": f"{head}：时限 {deadline} 已过，仍未发布",
        "no_post": f"{head}：没有安排帖子，时限 {deadline}",
        "planned_late": f"{head}：计划 {values['due']} 发布，晚于时限 {deadline}",
        "at_risk": f"{head}：尚未发布，时限 {deadline} 将到",
    }[case]
    return LINES[case].format(**values), notice


def flag(
    *,
    session: Session,
    now: datetime | None = None,
    warn: timedelta = timedelta(hours=2),
    tz: tzinfo = UTC,
) -> list[int]:
    """Raise the alerts late, missing and at-risk reposts call for, and close the at-risk
    and missing ones whose account has moved on. Returns the alerts raised."""
    now = now or utcnow()
    raised: list[int] = []
    for row in rows(session=session, now=now, warn=warn):
        if row.deadline is None:
            continue
        wanted = ALERT_KINDS.get(row.status) if row.status in ALERTING else None
        mine = list(
            session.exec(
                select(Alert)
                .where(Alert.draft_id == row.draft_id)
                .where(Alert.account_id == row.account_id)
                .where(col(Alert.kind).in_(tuple(ALERT_KINDS.values())))
            )
        )
        for alert in mine:
            if (
                alert.resolved_at is None
                and alert.kind != wanted
                and alert.kind != ALERT_KINDS[RepostStatus.LATE]
            ):
                alert.resolved_at = now  # its cause is gone: the account moved on
                session.add(alert)
        if wanted and not any(a.kind == wanted for a in mine):
            message, notice = _message(row, tz)
            alert = raise_alert(
                session=session,
                kind=wanted,
                account_id=row.account_id,
                post_id=row.post_id,
                message=message,
                notice=notice,
            )
            alert.draft_id = row.draft_id
            session.add(alert)
            raised.append(alert.id or 0)
    return raised

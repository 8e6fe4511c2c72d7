"""What people do about themselves and each other: passwords, logging in to the web
console, deactivating a user, and the work waiting for each person (我的待办)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, func, select

from console import views
from console.i18n import N_, _, gate_label
from console.workspace import Workspace
from domain.drafts import DraftState
from domain.errors import InvalidInput, Refused
from domain.gates import DEFAULT_WORKFLOW
from domain.permissions import Party
from domain.roles import Role
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import users as users_db
from sqlmodel_db import web_sessions
from sqlmodel_db.models import Account, Decision, Draft, Post, User
from sqlmodel_db.types import utcnow

# Posts that wait for a person: a manual package to post, a failure, an unknown outcome.
NEEDS_A_HAND = ("manual", "failed", "unknown")


# -- passwords and sessions ------------------------------------------------------------------
def set_password(ws: Workspace, name: str, *, password: str) -> dict[str, Any]:
    """An admin sets anyone's password; everyone else only their own. Every web session of
    the user ends."""
    with ws.acting() as (session, actor):
        user = users_db.get_user_by_name(session=session, name=name)
        users_db.permit(actor, "user.password", *((Party.SELF,) if user.id == actor.id else ()))
        users_db.set_password(session=session, actor=actor, user=user, password=password)
        return {**views.user_view(user), "password_set": True}


def set_active(
    ws: Workspace, name: str, *, active: bool, reason: str | None = None
) -> dict[str, Any]:
    """Deactivate a user (their token and web sessions stop at once; their pending work
    shows up for admins and the accounts' responsible people), or activate them again."""
    with ws.acting() as (session, actor):
        users_db.permit(actor, "user.activate" if active else "user.deactivate")  # before names
        user = users_db.get_user_by_name(session=session, name=name)
        users_db.set_active(session=session, actor=actor, user=user, active=active, reason=reason)
        return views.user_view(user)


def set_roles(ws: Workspace, name: str, *, roles: list[str]) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        users_db.permit(actor, "user.roles")  # before saying whether the name exists
        user = users_db.get_user_by_name(session=session, name=name)
        before = list(user.roles)
        users_db.set_roles(session=session, actor=actor, user=user, roles=roles)
        return {**views.user_view(user), "before": before}


def reissue_token(ws: Workspace, name: str) -> dict[str, Any]:
    """A new token for the user, shown once; the old one stops working."""
    with ws.acting() as (session, actor):
        users_db.permit(actor, "user.token")  # before saying whether the name exists
        user = users_db.get_user_by_name(session=session, name=name)
        token = users_db.reissue_token(session=session, actor=actor, user=user)
        return {**views.user_view(user), "token": token}


def set_language(ws: Workspace, language: str) -> str:
    """The language the console speaks to the acting person on every device they log in
    from (``zh_CN`` or ``en``; ``zh-CN``, ``en_US`` and the like are understood)."""
    from console.i18n import normalise

    chosen = normalise(language)
    if chosen is None:
        raise InvalidInput("unknown language {language}: choose zh_CN or en", language=language)
    with ws.acting() as (session, actor):
        if actor.language != chosen:
            users_db.set_language(session=session, actor=actor, language=chosen)
    return chosen


@dataclass(frozen=True)
class Login:
    user_id: int
    name: str
    token: str  # the session cookie's value
    csrf_token: str


# Why a login failed (sqlmodel_db.web_sessions), for the catalog.
LOGIN_PROBLEMS = (
    N_("wrong user name or password"),
    N_("too many failed logins: locked, try again in {minutes} minutes"),
    N_("too many failed logins: try again in {seconds} seconds"),
)


def log_in(
    ws: Workspace, *, name: str, password: str, client: str | None = None,
    now: datetime | None = None,
) -> Login:  # fmt: skip
    """Check a name and password and start a session; a failure is counted (and may lock
    the login for a while) before the person is refused."""
    ws.require_initialised()
    with ws.session() as session:
        outcome = web_sessions.attempt_login(session=session, name=name, password=password, now=now)
        if outcome.ok and outcome.user is not None:
            token, row = web_sessions.start_session(
                session=session, user=outcome.user, client=client, now=now
            )
            return Login(
                user_id=outcome.user.id or 0,
                name=outcome.user.name,
                token=token,
                csrf_token=row.csrf_token,
            )
    raise Refused(outcome.problem or web_sessions.WRONG, **outcome.values)


@dataclass(frozen=True)
class Visitor:
    """The person behind a web request."""

    user_id: int
    name: str
    roles: frozenset[Role]
    csrf_token: str
    session_id: int
    language: str | None = None  # the person's choice on record (None: not chosen)

    @property
    def labels(self) -> list[str]:
        from console.i18n import role_label

        return [role_label(r.value) for r in sorted(self.roles, key=list(Role).index)]

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    def may(self, action: str) -> bool:
        """Whether their roles allow ``action`` (of :data:`domain.permissions.PERMISSIONS`):
        what a page offers them. Standing as a party is not known here; the action checks."""
        from domain.permissions import BY_ACTION

        return BY_ACTION[action].allows(self.roles)


def visitor(ws: Workspace, token: str | None) -> Visitor | None:
    """The live session behind a cookie, or None (logged out, ended, expired, or the user
    was deactivated)."""
    if not token:
        return None
    ws.require_initialised()
    with ws.session() as session:
        found = web_sessions.session_user(session=session, token=token)
        if found is None:
            return None
        user, row = found
        return Visitor(
            user_id=user.id or 0,
            name=user.name,
            roles=users_db.roles_of(user),
            csrf_token=row.csrf_token,
            session_id=row.id or 0,
            language=user.language,
        )


def log_out(ws: Workspace, token: str) -> None:
    with ws.session() as session:
        web_sessions.end_session(session=session, token=token)


# -- my work (我的待办) ------------------------------------------------------------------------
SHOWN = 100  # items of one kind on the page; the rest are counted


def my_work(ws: Workspace, *, shown: int = SHOWN) -> dict[str, Any]:
    """What waits for this person: drafts at a gate they may decide (the longest waiting
    first), their drafts sent back with the opinion, their working copies, and posts of
    theirs that need a hand. Each list holds at most ``shown`` items; ``more`` counts the
    rest."""
    now = utcnow()
    with ws.acting() as (session, actor):
        to_decide = []
        queue = drafts_db.review_queue(session=session, actor=actor)
        for draft, gate in queue[:shown]:
            since = draft.gate_since or draft.updated_at
            to_decide.append(
                {
                    "id": draft.id,
                    "title": draft.title,
                    "version": draft.version_number,
                    "gate": {
                        "key": gate.key,
                        "label": gate_label(gate.key),
                        "index": draft.gate_index + 1,
                    },
                    "since": since.isoformat(),
                    "waited_s": int((now - since).total_seconds()),
                }
            )
        mine = list(
            session.exec(
                select(Draft)
                .where(Draft.author_id == actor.id)
                .where(col(Draft.state).in_([DraftState.RETURNED.value, DraftState.DRAFT.value]))
                .order_by(col(Draft.updated_at).desc())
                .limit(2 * shown)
            )
        )
        last_rejection = _last_rejections(session, [d for d in mine if d.state == "returned"])
        returned = [
            {
                "id": d.id,
                "title": d.title,
                "version": d.version_number,
                "since": d.updated_at.isoformat(),
                "opinion": last_rejection.get(d.id or 0, {}).get("opinion"),
                "by": last_rejection.get(d.id or 0, {}).get("by"),
                "gate": last_rejection.get(d.id or 0, {}).get("gate"),
            }
            for d in mine
            if d.state == DraftState.RETURNED.value
        ]
        working = [
            {"id": d.id, "title": d.title, "since": d.updated_at.isoformat()}
            for d in mine
            if d.state == DraftState.DRAFT.value
        ]
        posts = [
            {
                **views.post_view(post),
                "title": title,
                "account": account_name,
                "platform": platform,
            }
            for post, title, account_name, platform in session.exec(
                select(Post, Draft.title, Account.name, Account.platform)
                .join(Draft, col(Draft.id) == col(Post.draft_id))
                .join(Account, col(Account.id) == col(Post.account_id))
                .where(Draft.author_id == actor.id)
                .where(col(Post.state).in_(NEEDS_A_HAND))
                .order_by(col(Post.updated_at))
                .limit(shown)
            )
        ]
        counts = _counts(session, actor, decide=len(queue))
        left = _left_behind(session, actor, shown=shown)
    return {
        "left": left,
        "to_decide": to_decide,
        "returned": returned[:shown],
        "working": working[:shown],
        "posts": posts,
        "more": {
            "to_decide": counts["decide"] - len(to_decide),
            "returned": counts["returned"] - len(returned[:shown]),
            "posts": counts["posts"] - len(posts),
        },
        "count": counts["decide"] + counts["returned"] + counts["posts"] + counts["left"],
    }


def work_count(ws: Workspace) -> int:
    """How many things wait for this person (the number in the page header), cheaply."""
    with ws.acting() as (session, actor):
        counts = _counts(session, actor)
        return counts["decide"] + counts["returned"] + counts["posts"] + counts["left"]


def _counts(session: Any, actor: User, *, decide: int | None = None) -> dict[str, int]:
    if decide is None:
        decide = len(drafts_db.review_queue(session=session, actor=actor))
    returned = session.exec(
        select(func.count())
        .select_from(Draft)
        .where(Draft.author_id == actor.id)
        .where(Draft.state == DraftState.RETURNED.value)
    ).one()
    posts = session.exec(
        select(func.count())
        .select_from(Post)
        .join(Draft, col(Draft.id) == col(Post.draft_id))
        .where(Draft.author_id == actor.id)
        .where(col(Post.state).in_(NEEDS_A_HAND))
    ).one()
    left = _left_behind(session, actor, shown=0)
    return {
        "decide": int(decide),
        "returned": int(returned),
        "posts": int(posts),
        "left": left["count"],
    }


def _left_behind(session: Any, actor: User, *, shown: int) -> dict[str, Any]:
    """Work a deactivated person left: to an admin, their drafts sent back or not yet
    submitted and their posts that need a hand; to an account's responsible person (责任人),
    such posts on their accounts. Drafts at a gate need no list: a gate waits for a role,
    not a person, so they stay in the queues of everyone else who holds it."""
    admin = Role.ADMIN in users_db.roles_of(actor)
    stuck = _nobody_may_decide(session) if admin else []
    gone = [u.id for u in session.exec(select(User).where(col(User.active).is_(False)))]
    if not gone:
        return {"drafts": [], "posts": [], "stuck": stuck[:shown], "count": len(stuck)}
    post_query = (
        select(Post, Draft.title, Account.name, Account.platform, User.name)
        .join(Draft, col(Draft.id) == col(Post.draft_id))
        .join(Account, col(Account.id) == col(Post.account_id))
        .join(User, col(User.id) == col(Draft.author_id))
        .where(col(Draft.author_id).in_(gone))
        .where(col(Post.state).in_(NEEDS_A_HAND))
        .order_by(col(Post.updated_at))
    )
    if not admin:
        post_query = post_query.where(Account.responsible == actor.name)
    posts = [
        {
            **views.post_view(post),
            "title": title,
            "account": account_name,
            "platform": platform,
            "author": author,
        }
        for post, title, account_name, platform, author in session.exec(post_query)
    ]
    drafts = []
    if admin:
        drafts = [
            {"id": d.id, "title": d.title, "state": d.state, "author": author}
            for d, author in session.exec(
                select(Draft, User.name)
                .join(User, col(User.id) == col(Draft.author_id))
                .where(col(Draft.author_id).in_(gone))
                .where(col(Draft.state).in_([DraftState.RETURNED.value, DraftState.DRAFT.value]))
                .order_by(col(Draft.updated_at))
            )
        ]
    return {
        "drafts": drafts[:shown],
        "posts": posts[:shown],
        "stuck": stuck[:shown],
        "count": len(drafts) + len(posts) + len(stuck),
    }


def _nobody_may_decide(session: Any) -> list[dict[str, Any]]:
    """Drafts waiting at a gate or check whose role no active person holds (the only
    holder was deactivated, or lost the role): an admin must give the role to someone."""
    active = session.exec(select(User).where(col(User.active).is_(True)))
    held = {role for user in active for role in user.roles}
    found = []
    for draft in session.exec(
        select(Draft).where(Draft.state == DraftState.IN_REVIEW.value).order_by(col(Draft.id))
    ):
        gate = DEFAULT_WORKFLOW.at(draft.gate_index, draft.pending_check)
        if gate.role.value not in held:
            found.append(
                {
                    "id": draft.id,
                    "title": draft.title,
                    "gate": gate_label(gate.key),
                    "role": gate.role.value,
                }
            )
    return found


def _last_rejections(session: Any, drafts: list[Draft]) -> dict[int, dict[str, Any]]:
    """Why each returned draft came back: the rejection of its latest round, or the
    automatic checks when no person rejected it."""
    rounds = {d.id: d.round for d in drafts}
    found: dict[int, dict[str, Any]] = {
        d.id or 0: {
            "opinion": _("the automatic checks found something to fix"),
            "by": _("the system"),
            "gate": _("the checks at submission"),
        }
        for d in drafts
    }
    if not drafts:
        return found
    for decision, name in session.exec(
        select(Decision, User.name)
        .join(User, col(User.id) == col(Decision.actor_id))
        .where(col(Decision.draft_id).in_(sorted(rounds)))
        .where(Decision.verdict == "reject")
        .order_by(col(Decision.id))
    ):
        if decision.round != rounds[decision.draft_id]:
            continue
        gate = DEFAULT_WORKFLOW.by_key(decision.gate)
        found[decision.draft_id] = {
            "opinion": decision.opinion,
            "by": name,
            "gate": gate_label(gate.key),
        }
    return found

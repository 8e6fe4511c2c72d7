"""People and their personal tokens. Tokens are shown once and stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from domain import permissions
from domain.content import BIDI_CONTROLS, refuse_controls
from domain.errors import InvalidInput, NotFound, Refused
from domain.permissions import Party
from domain.roles import Role, parse_roles
from sqlmodel_db import audit
from sqlmodel_db.models import User
from sqlmodel_db.types import utcnow

TOKEN_PREFIX = "mpt_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(r) for r in user.roles)


def permit(user: User, action: str, *parties: Party) -> None:
    """Refuse unless ``user`` may do ``action`` by their roles, or as one of ``parties``
    (the table in ``domain.permissions``)."""
    permissions.check(action, name=user.name, roles=roles_of(user), parties=parties)


def _clean_name(name: str) -> str:
    refuse_controls(name or "", "user name")
    if any(c in BIDI_CONTROLS for c in name or ""):
        raise InvalidInput("the user name holds a bidirectional control character; remove it")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("the user name is empty")
    if len(name) > 100:
        raise InvalidInput("the user name is longer than 100 characters")
    return name


def count_users(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def create_user(
    *, session: Session, name: str, roles: list[str] | tuple[str, ...], actor: User | None
) -> tuple[User, str]:
    """Create a user and return it with its token (the only time the token is seen).

    ``actor`` must be an admin; ``None`` is allowed only for the first admin at init.
    """
    name = _clean_name(name)
    parsed = parse_roles(list(roles))
    if actor is None:
        if count_users(session=session) > 0:
            raise Refused("matrixpub is already initialised; ask an admin to add users")
        if Role.ADMIN not in parsed:
            raise InvalidInput("the first user must be an admin")
    else:
        permit(actor, "user.add")
    if session.exec(select(User).where(User.name == name)).first():
        raise Refused("a user named {name!r} already exists", name=name)
    token = new_token()
    user = User(name=name, roles=[r.value for r in parsed], token_hash=hash_token(token))
    session.add(user)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor.id if actor else user.id,
        action="user.created",
        subject_type="user",
        subject_id=user.id or 0,
        data={"name": name, "roles": user.roles},
    )
    return user, token


def user_by_token(*, session: Session, token: str | None) -> User:
    if not token:
        raise Refused("no token: set MATRIXPUB_TOKEN or pass --token")
    user = session.exec(select(User).where(User.token_hash == hash_token(token.strip()))).first()
    if user is None or not user.active:
        raise Refused("the token is not valid")
    return user


def get_user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no user {user_id}", user_id=user_id)
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.id))))


def get_user_by_name(*, session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == _clean_name(name))).first()
    if user is None:
        raise NotFound("no user named {name!r}", name=name)
    return user


def user_names(*, session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Names by id, for showing people instead of numbers."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        u.id or 0: u.name
        for u in session.exec(select(User).where(col(User.id).in_(sorted(wanted))))
    }


# -- passwords (the web console) -------------------------------------------------------------
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 200


def check_password_rules(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(
            "a password needs at least {MIN_PASSWORD_CHARS} characters",
            MIN_PASSWORD_CHARS=MIN_PASSWORD_CHARS,
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(
            "a password may have at most {MAX_PASSWORD_CHARS} characters",
            MAX_PASSWORD_CHARS=MAX_PASSWORD_CHARS,
        )
    if password.strip() != password or any(ord(c) < 32 for c in password):
        raise InvalidInput("a password may not start or end with a space or hold control keys")
    if password == user.name or len(set(password)) < 4:
        raise InvalidInput("that password is too easy to guess")


def set_password(*, session: Session, actor: User, user: User, password: str) -> None:
    """Store a new password (its Argon2 hash) and end every web session of the user."""
    from sqlmodel_db import web_sessions

    check_password_rules(user, password)
    user.password_hash = web_sessions.hasher().hash(password)
    user.password_set_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    ended = web_sessions.end_sessions_of(
        session=session, user_id=user.id or 0, reason="password_changed"
    )
    audit.record(
        session=session,
        actor_id=actor.id,
        action="user.password_set",
        subject_type="user",
        subject_id=user.id or 0,
        data={"by_self": actor.id == user.id, "sessions_ended": ended},
    )


def _active_admins(session: Session) -> list[User]:
    return [u for u in list_users(session=session) if u.active and Role.ADMIN.value in u.roles]


def set_active(
    *, session: Session, actor: User, user: User, active: bool, reason: str | None
) -> User:
    """Deactivate (or activate again) a user (admin): a deactivated user's token and web
    sessions stop working at once. Deactivating needs a reason; both are on record."""
    from sqlmodel_db import web_sessions

    permit(actor, "user.activate" if active else "user.deactivate")
    reason = " ".join((reason or "").split())
    if not reason and not active:
        raise InvalidInput("a reason is required")
    if user.active == active:
        if active:
            raise Refused("{name} is already active", name=user.name)
        raise Refused("{name} is already deactivated", name=user.name)
    if not active and user.id == actor.id:
        raise Refused("you cannot deactivate yourself")
    user.active = active
    session.add(user)
    ended = 0
    if not active:
        ended = web_sessions.end_sessions_of(
            session=session, user_id=user.id or 0, reason="deactivated"
        )
    audit.record(
        session=session,
        actor_id=actor.id,
        action="user.activated" if active else "user.deactivated",
        subject_type="user",
        subject_id=user.id or 0,
        data={"reason": reason or None, "sessions_ended": ended},
    )
    return user


def set_roles(*, session: Session, actor: User, user: User, roles: list[str]) -> User:
    """Give a user exactly these roles (admin), on record. Refused when it would leave
    nobody active holding the admin role."""
    permit(actor, "user.roles")
    parsed = [r.value for r in parse_roles(list(roles))]
    if parsed == list(user.roles):
        raise InvalidInput("{name} already holds exactly these roles", name=user.name)
    if Role.ADMIN.value in user.roles and Role.ADMIN.value not in parsed:
        others = [u for u in _active_admins(session) if u.id != user.id]
        if not others:
            raise Refused("nobody else active holds the admin role; give it to someone first")
    before = list(user.roles)
    user.roles = parsed
    session.add(user)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="user.roles_changed",
        subject_type="user",
        subject_id=user.id or 0,
        data={"from": before, "to": parsed},
    )
    return user


def reissue_token(*, session: Session, actor: User, user: User) -> str:
    """A new personal token for ``user`` (admin), returned once; the old one stops working
    at once. On record (never the token itself)."""
    permit(actor, "user.token")
    token = new_token()
    user.token_hash = hash_token(token)
    session.add(user)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="user.token_reissued",
        subject_type="user",
        subject_id=user.id or 0,
        data={"by_self": actor.id == user.id},
    )
    return token

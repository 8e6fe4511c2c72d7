"""People and their personal tokens. Tokens are shown once and stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, col, func, select

from domain.errors import InvalidInput, NotFound, Refused
from domain.roles import Role, parse_roles
from sqlmodel_db import audit
from sqlmodel_db.models import User

TOKEN_PREFIX = "mpt_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(r) for r in user.roles)


def require_role(user: User, *roles: Role) -> None:
    if not roles_of(user) & set(roles):
        wanted = " or ".join(r.value for r in roles)
        raise Refused(f"this needs the {wanted} role; {user.name} does not hold it")


def _clean_name(name: str) -> str:
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
        require_role(actor, Role.ADMIN)
    if session.exec(select(User).where(User.name == name)).first():
        raise Refused(f"a user named {name!r} already exists")
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
        raise NotFound(f"no user {user_id}")
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.id))))

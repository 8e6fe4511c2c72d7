"""Logging in to the web console: password checks with a brake on guessing, and sessions
kept in the database.

A session's cookie holds a random token; the table keeps only its SHA-256, the user, a
CSRF token for the session's forms, and when it ends. Every request looks the session up
together with its user, so deactivating a user or changing a password (which ends the
user's sessions) takes effect on the next click.

Failed logins in a row slow the next try down (after ``SLOW_AFTER`` failures each further
try must wait 1, 2, 4 … seconds, at most ``MAX_WAIT``) and then lock the login for
``LOCK_FOR`` (after ``LOCK_AFTER`` failures), on record.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session, col, select

from sqlmodel_db import audit
from sqlmodel_db.models import User, WebSession
from sqlmodel_db.types import utcnow

if TYPE_CHECKING:
    from pwdlib import PasswordHash

SESSION_IDLE = timedelta(hours=12)  # a session nobody used for this long ends
SESSION_MAX = timedelta(days=7)  # and none lasts longer than this
TOUCH_EVERY = timedelta(minutes=1)  # how often a session's last use is written down

SLOW_AFTER = 3
MAX_WAIT = timedelta(seconds=60)
LOCK_AFTER = 10
LOCK_FOR = timedelta(minutes=15)


@cache
def hasher() -> PasswordHash:
    """Argon2id with pwdlib's recommended parameters."""
    from pwdlib import PasswordHash

    return PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    # Checked against when the user does not exist, so that a wrong name takes as long
    # as a wrong password and names cannot be told apart by timing.
    return hasher().hash(secrets.token_urlsafe(16))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    # why the login failed, fit to show the person: a message as written (English, with
    # ``{fields}``), translated by the face that shows it, and its values
    problem: str | None = None
    locked_now: bool = False
    values: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.user is not None and self.problem is None


def wait_before_next_try(user: User, now: datetime) -> timedelta:
    """How long this user must still wait before the next try is even checked."""
    if user.locked_until is not None and user.locked_until > now:
        return user.locked_until - now
    if user.failed_logins < SLOW_AFTER or user.last_failed_login is None:
        return timedelta(0)
    pause = min(timedelta(seconds=2 ** (user.failed_logins - SLOW_AFTER)), MAX_WAIT)
    left = user.last_failed_login + pause - now
    return max(left, timedelta(0))


WRONG = "wrong user name or password"


def attempt_login(
    *, session: Session, name: str, password: str, now: datetime | None = None
) -> LoginOutcome:
    """Check a name and password. The caller commits the outcome either way: a failure is
    counted (and may lock the login) even though the person is refused."""
    now = now or utcnow()
    name = " ".join((name or "").split())
    user = session.exec(select(User).where(User.name == name)).first() if name else None
    if user is None or not user.password_hash:
        hasher().verify(password or "", _dummy_hash())
        return LoginOutcome(user=None, problem=WRONG)
    wait = wait_before_next_try(user, now)
    if wait > timedelta(0):
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, round(wait.total_seconds() / 60))
            return LoginOutcome(
                user=None,
                problem="too many failed logins: locked, try again in {minutes} minutes",
                values={"minutes": minutes},
            )
        return LoginOutcome(
            user=None,
            problem="too many failed logins: try again in {seconds} seconds",
            values={"seconds": int(wait.total_seconds()) + 1},
        )
    if not hasher().verify(password or "", user.password_hash) or not user.active:
        user.failed_logins += 1
        user.last_failed_login = now
        locked = user.failed_logins >= LOCK_AFTER
        if locked:
            user.locked_until = now + LOCK_FOR
            audit.record(
                session=session,
                actor_id=None,
                action="user.login_locked",
                subject_type="user",
                subject_id=user.id or 0,
                data={"failures": user.failed_logins, "until": user.locked_until.isoformat()},
            )
            user.failed_logins = 0
        session.add(user)
        return LoginOutcome(user=None, problem=WRONG, locked_now=locked)
    user.failed_logins = 0
    user.last_failed_login = None
    user.locked_until = None
    session.add(user)
    return LoginOutcome(user=user)


def start_session(
    *, session: Session, user: User, client: str | None = None, now: datetime | None = None
) -> tuple[str, WebSession]:
    """A new session for ``user``; returns the cookie's token (never stored) and the row."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_hash(token),
        user_id=user.id or 0,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_MAX,
        client=(client or "")[:300] or None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor_id=user.id,
        action="user.login",
        subject_type="user",
        subject_id=user.id or 0,
        data={"session": row.id, "client": row.client},
    )
    return token, row


def session_user(
    *, session: Session, token: str | None, now: datetime | None = None
) -> tuple[User, WebSession] | None:
    """The live session behind a cookie and its (active) user, or None."""
    if not token:
        return None
    now = now or utcnow()
    found = session.exec(
        select(WebSession, User)
        .join(User, col(User.id) == col(WebSession.user_id))
        .where(WebSession.token_hash == _hash(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.ended_at is not None or not user.active:
        return None
    if row.expires_at <= now or row.last_seen_at + SESSION_IDLE <= now:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        session.execute(
            update(WebSession).where(col(WebSession.id) == row.id).values(last_seen_at=now)
        )
    return user, row


def end_session(*, session: Session, token: str, reason: str = "logout") -> bool:
    row = session.exec(select(WebSession).where(WebSession.token_hash == _hash(token))).first()
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = utcnow()
    row.ended_reason = reason
    session.add(row)
    audit.record(
        session=session,
        actor_id=row.user_id,
        action="user.logout",
        subject_type="user",
        subject_id=row.user_id,
        data={"session": row.id},
    )
    return True


def end_sessions_of(*, session: Session, user_id: int, reason: str) -> int:
    """End every open session of a user; returns how many were open."""
    result = session.execute(
        update(WebSession)
        .where(col(WebSession.user_id) == user_id)
        .where(col(WebSession.ended_at).is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

"""The one object both faces (CLI, web console) start from: settings, the database
engine and who is acting."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from domain.errors import Refused
from domain.settings import Settings, load, with_stored
from sqlmodel_db import org_settings
from sqlmodel_db.engine import make_engine, session_scope
from sqlmodel_db.migrate import HEAD, current_revision
from sqlmodel_db.models import User
from sqlmodel_db.users import user_by_token


@dataclass
class Workspace:
    settings: Settings
    token: str | None = None
    user_id: int | None = None  # a web session's user, instead of a token
    # How a long-lived face (the web console) starts flows without waiting for them;
    # None: as the CLI does (hand to a server, else run here).
    trigger: Callable[[str, dict[str, Any]], dict[str, Any]] | None = field(
        default=None, repr=False
    )
    _engine: Engine | None = field(default=None, repr=False)
    _checked: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        from flows import audit_key

        audit_key.install(self.settings)

    @classmethod
    def from_env(cls, *, token: str | None = None) -> Workspace:
        settings = load(os.environ)
        return cls(settings=settings, token=token or settings.token)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def as_user(self, user_id: int) -> Workspace:
        """The same workspace (and engine) acting as another user: one per web request."""
        self.engine  # noqa: B018  (made once, shared by every copy)
        return replace(self, token=None, user_id=user_id)

    def require_initialised(self) -> None:
        if self._checked:
            return
        try:
            revision = current_revision(self.engine)
        except Exception:  # the database cannot be opened at all
            revision = None
        if revision is None:
            raise Refused(
                "no matrixpub database at {database}; run `matrixpub init --admin NAME` first",
                database=self.describe_database(),
            )
        if revision != HEAD:
            raise Refused("the database schema is out of date; run `matrixpub init` to upgrade")
        self._checked = True
        self.apply_org_settings()

    def apply_org_settings(self) -> Settings:
        """The organisation's settings stored in the database, where the environment gives
        none (the environment overrides them for this process)."""
        with self.session() as session:
            self.settings = with_stored(self.settings, org_settings.stored(session=session))
        return self.settings

    def describe_database(self) -> str:
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return str(url.database)
        return url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def acting(self) -> Iterator[tuple[Session, User]]:
        """A transaction together with the user the token belongs to."""
        self.require_initialised()
        with self.session() as session:
            if self.user_id is not None:
                user = session.get(User, self.user_id)
                if user is None or not user.active:
                    raise Refused("your account is not active")
                yield session, user
            else:
                yield session, user_by_token(session=session, token=self.token)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

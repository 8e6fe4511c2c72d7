"""Engines and sessions for SQLite (the default) and PostgreSQL.

SQLite runs in WAL mode with foreign keys on, and every transaction starts with
``BEGIN IMMEDIATE``: a writer takes the write lock up front, so two processes never
deadlock upgrading a read lock, and a dispatcher's claim is one atomic step.

On PostgreSQL each process keeps a pool of connections: ``MATRIXPUB_DB_POOL_SIZE``
connections kept (default 5) and ``MATRIXPUB_DB_MAX_OVERFLOW`` more opened when busy
(default 10), so that processes × (both) can be kept under the server's
``max_connections`` when many workers share it.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from domain.errors import InvalidInput

SQLITE_BUSY_TIMEOUT_MS = 30_000
POOL_SETTINGS = {"MATRIXPUB_DB_POOL_SIZE": "pool_size", "MATRIXPUB_DB_MAX_OVERFLOW": "max_overflow"}


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; creates the SQLite file's folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _sqlite_setup(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    for name, argument in POOL_SETTINGS.items():
        text = os.environ.get(name, "").strip()
        if text:
            if not text.isdigit():
                raise InvalidInput(
                    "{name} must be a whole number, not {text!r}", name=name, text=text
                )
            kwargs.setdefault(argument, int(text))
    return create_engine(url, **kwargs)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


_writer_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def _writer_lock(engine: Engine) -> threading.RLock | None:
    """SQLite admits one writer at a time, and a connection kept waiting retries by
    sleeping (1, 2, 5, 10 ms ...): threads of one process take turns on a lock instead,
    which hands over at once. Other processes still wait on SQLite's own lock."""
    if engine.dialect.name != "sqlite":
        return None
    with _locks_guard:
        return _writer_locks.setdefault(engine, threading.RLock())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    lock = _writer_lock(engine)
    with lock or nullcontext(), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class _HotSession(Session):
    """A session whose ``connection()`` is looked up once per transaction: the
    dispatcher's statements run on it a dozen times per post, and the lookup's bookkeeping
    cost more than SQLite's work for some of them."""

    _hot: tuple[Any, Any] | None = None

    def connection(self, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return super().connection(*args, **kwargs)
        transaction = self.get_transaction()
        if transaction is not None and self._hot is not None and self._hot[0] is transaction:
            return self._hot[1]
        connection = super().connection()
        self._hot = (self.get_transaction(), connection)
        return connection


@contextmanager
def hot_scope(engine: Engine) -> Iterator[Session]:
    """:func:`session_scope` for the dispatcher's hot path (see :class:`_HotSession`)."""
    lock = _writer_lock(engine)
    with lock or nullcontext(), _HotSession(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

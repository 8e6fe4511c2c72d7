"""MATRIXPUB_DB_POOL_SIZE and MATRIXPUB_DB_MAX_OVERFLOW bound the PostgreSQL connections one
process opens (workers × flow runs × pool must stay under max_connections)."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import exc, text

from domain.errors import InvalidInput
from sqlmodel_db.engine import make_engine

pytestmark = pytest.mark.postgres


def test_a_process_opens_at_most_pool_size_plus_overflow(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATRIXPUB_DB_POOL_SIZE", "2")
    monkeypatch.setenv("MATRIXPUB_DB_MAX_OVERFLOW", "1")
    engine = make_engine(pg_url, pool_timeout=0.5)
    try:
        with contextlib.ExitStack() as held:
            pids = {
                held.enter_context(engine.connect()).execute(text("select pg_backend_pid()"))
                .scalar_one()
                for _ in range(3)
            }  # fmt: skip
            assert len(pids) == 3  # three real server connections
            with pytest.raises(exc.TimeoutError), engine.connect():
                pass  # a fourth waits for one of them, and gives up
        assert engine.pool.checkedin() == 2  # the overflow one was closed, two are kept
    finally:
        engine.dispose()


def test_a_pool_setting_that_is_not_a_number(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATRIXPUB_DB_MAX_OVERFLOW", "lots")
    with pytest.raises(InvalidInput, match="MATRIXPUB_DB_MAX_OVERFLOW must be a whole number"):
        make_engine(pg_url)

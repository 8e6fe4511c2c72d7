"""Fixtures of the dispatcher tests: one Prefect server for every dispatcher process of
the session, a fake webhook platform the test controls, fresh databases, and clean-up of
any dispatcher process a failed test leaves running."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dispatch.helpers import (
    ControlledWebhook,
    Dispatcher,
    migrated_world,
    start_dispatcher,
)
from tests.factories import World


@pytest.fixture(scope="session")
def prefect_api(prefect_ready: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``prefect server start`` (what ``matrixpub serve`` runs), shared by every
    dispatcher process: without it each process would boot its own embedded server.

    Its database starts as a copy of the session's already-migrated Prefect database
    (SQLite's backup API gives a consistent copy while that server runs), which saves
    the ~10 s of migrations a brand-new one needs."""
    from domain.settings import load
    from flows.serve import start_local_server

    home = tmp_path_factory.mktemp("prefect-server")
    prefect_home = home / "prefect"
    prefect_home.mkdir()
    source = prefect_ready / "prefect.db"
    if source.exists():
        src, dst = sqlite3.connect(source), sqlite3.connect(prefect_home / "prefect.db")
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_HOME", str(prefect_home))
        server = start_local_server(load({"MATRIXPUB_HOME": str(home)}))
    try:
        yield server.api_url
    finally:
        server.stop()


@pytest.fixture
def fake() -> Iterator[ControlledWebhook]:
    with ControlledWebhook() as hook:
        yield hook


def _world(url: str, home: Path) -> Iterator[World]:
    w = migrated_world(url, home)
    try:
        yield w
    finally:
        from flows.context import dispose

        dispose()
        w.engine.dispose()


@pytest.fixture
def pg_world(pg_url: str, tmp_path: Path) -> Iterator[World]:
    """A migrated schema of its own on the local PostgreSQL server (missing: FAIL)."""
    yield from _world(pg_url, tmp_path / "home")


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    yield from _world(f"sqlite:///{tmp_path / 'matrixpub.db'}", tmp_path / "home")


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Dispatcher]]:
    """Start dispatcher processes (``spawn("a", database_url=..., ...)``); any still
    running when the test ends is killed, by its own pid."""
    started: list[Dispatcher] = []

    def spawn(name: str, **kwargs: Any) -> Dispatcher:
        dispatcher = start_dispatcher(home=tmp_path / "dispatchers" / name, **kwargs)
        started.append(dispatcher)
        return dispatcher

    yield spawn
    for dispatcher in started:
        if dispatcher.process.poll() is None:
            dispatcher.kill()

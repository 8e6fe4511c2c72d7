"""The flow tests' world: a fresh SQLite database the flows reach through the environment,
on the session's embedded Prefect server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sqlmodel_db.engine import make_engine
from sqlmodel_db.migrate import upgrade
from tests.factories import World, world


@pytest.fixture
def w(
    prefect_ready: Path, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[World]:
    url = f"sqlite:///{tmp_path / 'flows.db'}"
    monkeypatch.setenv("MATRIXPUB_DATABASE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    yield world(engine, home)
    from flows.context import dispose

    dispose()
    engine.dispose()

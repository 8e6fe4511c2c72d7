"""Fixtures shared by every test folder.

- Prefect runs on its embedded server with one pre-migrated ``PREFECT_HOME`` for the
  whole session (the background server of ``flows.background`` is off, so no command
  leaves a server running) (migrating costs ~20 s; a fresh one per test would dominate the suite).
  The environment is set here, before anything imports Prefect.
- Databases: ``db_url`` gives each test a fresh SQLite file, or (parametrised with
  ``postgres``) a fresh schema on the local PostgreSQL server, dropped afterwards. A
  missing PostgreSQL server fails those tests; it never skips them.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="matrixpub-tests-"))
os.environ["PREFECT_HOME"] = str(_SESSION_DIR / "prefect")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "90"
os.environ.pop("PREFECT_API_URL", None)
for _name in list(os.environ):
    if _name.startswith("MATRIXPUB_"):
        del os.environ[_name]
# Flow commands run against a server of their own, stopped when they end, unless a test
# turns the background server on (and then stops it: tests/console/test_background_server.py).
os.environ["MATRIXPUB_PREFECT_BACKGROUND"] = "0"

from flows.runtime import write_logging_config  # noqa: E402

os.environ["PREFECT_LOGGING_SETTINGS_PATH"] = str(write_logging_config(_SESSION_DIR / "logs"))

PG_BASE = os.environ.get("MATRIXPUB_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")

# Background threads that draw from the random module: Prefect's events worker pings its
# server over a websocket every few seconds, and websockets draws each ping's payload from
# ``random``; Prefect's services draw their jitter from it. Drawn from another thread in the
# middle of a property test's example, Hypothesis reads it as the test's own use of
# ``random`` (HypothesisDeprecationWarning, on some runs). In the tests, these modules draw
# from a generator of their own.
_DRAWING_IN_THE_BACKGROUND = (
    "websockets.asyncio.connection",
    "websockets.sync.connection",
    "websockets.client",
    "prefect.utilities.math",
    "prefect._internal._observation_delivery",
)


def _draw_apart() -> None:
    import importlib
    import random

    for name in _DRAWING_IN_THE_BACKGROUND:
        module = importlib.import_module(name)
        assert module.random is random or isinstance(module.random, random.Random), name
        module.random = random.Random()


_draw_apart()


@pytest.fixture(scope="session")
def prefect_ready() -> Path:
    """The session's embedded Prefect server, started (and its database migrated) once."""
    from domain.settings import load
    from flows.runtime import start_embedded

    settings = load({"MATRIXPUB_HOME": str(_SESSION_DIR / "home")})
    server = start_embedded(settings)
    assert server is not None
    server.wait()
    # The audit key block, made now, so that every copy of this Prefect database (the
    # dispatch tests' own server) holds the same key as the tests' processes.
    from flows.audit_key import source_for

    source_for(settings)(True)
    return server.runtime.prefect_home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh MATRIXPUB_HOME for the test."""
    path = tmp_path / "home"
    monkeypatch.setenv("MATRIXPUB_HOME", str(path))
    return path


def _pg_schema_url(schema: str) -> str:
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema on the local PostgreSQL server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - the message is the point
        admin.dispose()
        pytest.fail(
            f"PostgreSQL at {PG_BASE} is not reachable ({exc}); start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    try:
        yield _pg_schema_url(schema)
    finally:
        from flows.context import dispose

        dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each persistence test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'matrixpub.db'}"
        from flows.context import dispose

        dispose()
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[object]:
    """A migrated database (Alembic, as `matrixpub init` does)."""
    from sqlmodel_db.engine import make_engine
    from sqlmodel_db.migrate import upgrade

    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        default=None,
        metavar="DIR",
        help="also write the browser tests' screenshots to DIR (docs/screenshots for the README)",
    )


TEST_AUDIT_KEY = b"k" * 64


@pytest.fixture(autouse=True)
def audit_key(request: pytest.FixtureRequest) -> Iterator[None]:
    """The audit key: with Prefect running, the real Secret block (made at the first
    event, as in production); tests of the database layer alone use a key in memory."""
    from sqlmodel_db import audit

    if "cluster" in request.fixturenames:  # tests/cluster: the cluster's Prefect holds it
        audit.use_key_source(request.getfixturevalue("cluster").audit_key)
    elif "prefect_ready" in request.fixturenames:
        from domain.settings import load
        from flows.audit_key import source_for

        audit.use_key_source(source_for(load({"MATRIXPUB_HOME": str(_SESSION_DIR / "home")})))
    else:
        audit.use_key_source(lambda create: TEST_AUDIT_KEY)
    yield
    audit.use_key_source(None)


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process once pytest is done. Prefect's events worker drains its queue when
    the interpreter shuts down, and it waits for ever on a server the tests have already
    stopped (the cluster's API, a test's own ``prefect server``): everything of ours is
    finished and reported by now, so nothing is lost by not waiting for it."""
    if not _EXIT_STATUS:
        return
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[-1])

"""Shared builders for the dispatcher tests (and ``bench/dispatch.py``).

- :func:`migrated_world` and :func:`approved_posts` build real posts: accounts through the
  registry, drafts through all six gates, posts queued by the planner, so every post
  passes the dispatcher's send-time checks (approval hashes, windows, quotas).
- :class:`ControlledWebhook` is the webhook fake with the controls these tests need: a
  slow platform, a gate that holds every request until the test opens it, and a hold on
  one idempotency key to kill a dispatcher while that request is in flight.
- :func:`start_dispatcher` runs ``matrixpub dispatch --once --json`` as a separate
  process; :class:`Dispatcher` waits for its JSON report or kills it with SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from flows import delivery
from sqlmodel_db.engine import make_engine, session_scope
from sqlmodel_db.migrate import upgrade
from sqlmodel_db.models import DeliveryAttempt, DeliveryResult, Post
from sqlmodel_db.types import utcnow
from tests.factories import World, world
from tests.fakes import FakeWebhook, RequestRecord, Response

ROOT = Path(__file__).resolve().parents[2]
TITLE = "关于举办文旅消费季活动的通知"


# -- building posts ------------------------------------------------------------------------
def migrated_world(url: str, home: Path) -> World:
    """A migrated database at ``url`` with the factories' people (admin, author, six
    reviewers) and their website account."""
    engine = make_engine(url)
    upgrade(engine)
    return world(engine, home)


def database_url(w: World) -> str:
    """The URL a separate process opens the world's database with."""
    return w.engine.url.render_as_string(hide_password=False)


def webhook_accounts(w: World, count: int, endpoint: str, *, prefix: str = "hook") -> list[int]:
    """``count`` registered webhook accounts delivering to ``endpoint``."""
    return [
        w.add_account(f"{prefix}{i:03d}", platform="webhook", url=endpoint) for i in range(count)
    ]


def approved_posts(
    w: World,
    accounts: Sequence[int],
    *,
    drafts: int,
    title: str = TITLE,
    cover: bytes | None = None,
) -> list[int]:
    """``drafts`` drafts to every account in ``accounts``, submitted, passed through the
    six gates and planned: one queued post per draft and account, due now."""
    posts: list[int] = []
    for n in range(drafts):
        draft_id = w.new_draft(
            title=f"{title}（第{n + 1}号）" if drafts > 1 else title,
            targets=list(accounts),
            cover=cover,
        )
        state = w.submit(draft_id)
        assert state == "in_review", f"draft {draft_id} was {state} after submitting"
        w.approve_all(draft_id)
        posts += delivery.plan_posts(w.ctx, draft_id)
    assert len(posts) == drafts * len(accounts), "the planner did not queue every post"
    return posts


# -- reading what happened -----------------------------------------------------------------
def posts_by_id(engine: Engine, ids: Iterable[int] | None = None) -> dict[int, Post]:
    with session_scope(engine) as session:
        query = select(Post)
        if ids is not None:
            query = query.where(col(Post.id).in_(list(ids)))
        return {p.id or 0: p for p in session.exec(query)}


@dataclass(frozen=True)
class Attempt:
    """An attempt with what came of it: ``outcome`` and ``finished_at`` are those of its
    latest result (None while it has none: in flight, or its dispatcher died);
    ``outcomes`` lists every result, in order."""

    post_id: int
    number: int
    worker: str
    started_at: datetime
    outcomes: tuple[str, ...]
    finished_at: datetime | None
    detail: str | None

    @property
    def outcome(self) -> str | None:
        return self.outcomes[-1] if self.outcomes else None


def attempts_by_post(engine: Engine) -> dict[int, list[Attempt]]:
    found: dict[int, list[Attempt]] = {}
    with session_scope(engine) as session:
        results: dict[int, list[DeliveryResult]] = {}
        for result in session.exec(select(DeliveryResult).order_by(col(DeliveryResult.id))):
            results.setdefault(result.attempt_id, []).append(result)
        for attempt in session.exec(select(DeliveryAttempt).order_by(col(DeliveryAttempt.id))):
            mine = results.get(attempt.id or 0, [])
            found.setdefault(attempt.post_id, []).append(
                Attempt(
                    post_id=attempt.post_id,
                    number=attempt.number,
                    worker=attempt.worker,
                    started_at=attempt.started_at,
                    outcomes=tuple(r.outcome for r in mine),
                    finished_at=mine[-1].at if mine else None,
                    detail=mine[-1].detail if mine else None,
                )
            )
    return found


def states(engine: Engine) -> Counter[str]:
    return Counter(p.state for p in posts_by_id(engine).values())


def workers_sending(engine: Engine) -> set[str]:
    """Workers that have written at least one delivery attempt."""
    with session_scope(engine) as session:
        return set(session.exec(select(DeliveryAttempt.worker).distinct()))


def make_due(engine: Engine, ids: Iterable[int], *, at: datetime | None = None) -> None:
    """Queued posts waiting for a retry become due now (a test does not wait out the
    backoff)."""
    at = at or utcnow() - timedelta(seconds=1)
    with session_scope(engine) as session:
        for post in session.exec(select(Post).where(col(Post.id).in_(list(ids)))):
            post.due_at = at
            session.add(post)


def header(request: RequestRecord, name: str) -> str:
    return next((v for k, v in request.headers.items() if k.lower() == name.lower()), "")


def sent_per_key(fake: FakeWebhook) -> Counter[str]:
    """Every POST that reached the fake, per ``Idempotency-Key``, whatever the fake did
    with it: a key counted twice was sent twice."""
    return Counter(header(r, "Idempotency-Key") for r in fake.requests if r.method == "POST")


def wait_until(predicate: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


# -- a platform the test controls ----------------------------------------------------------
@dataclass
class Hold:
    """The first request carrying ``key`` is held until released. ``act``: the platform
    acts on it before holding (the answer is what gets lost); otherwise it never acts."""

    key: str
    act: bool
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    used: bool = False


class ControlledWebhook(FakeWebhook):
    """The webhook fake, plus:

    - ``delay``: answer each request that many seconds after acting on it (a slow
      platform: the dangerous window where the post is delivered but not yet recorded);
    - ``close_gate()`` / ``open_gate()``: while closed, every request waits before the
      fake acts on it, at most ``gate_limit`` seconds (below the channel's 10 s timeout);
    - ``hold(key, act=...)``: hold the first request with that key until ``release_all``.
    """

    def __init__(self, *, gate_limit: float = 7.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delay = 0.0
        self.gate_limit = gate_limit
        self._gate = threading.Event()
        self._gate.set()
        self._holds: dict[str, Hold] = {}
        self._holds_lock = threading.Lock()

    def close_gate(self) -> None:
        self._gate.clear()

    def open_gate(self) -> None:
        self._gate.set()

    def hold(self, key: str, *, act: bool) -> Hold:
        hold = Hold(key=key, act=act)
        with self._holds_lock:
            self._holds[key] = hold
        return hold

    def release_all(self) -> None:
        with self._holds_lock:
            for hold in self._holds.values():
                hold.release.set()

    def stop(self) -> None:
        self.open_gate()
        self.release_all()
        super().stop()

    def handle(self, request: RequestRecord) -> Response:
        self._gate.wait(self.gate_limit)
        key = header(request, "Idempotency-Key")
        with self._holds_lock:
            hold = self._holds.get(key)
            if hold is not None and hold.used:
                hold = None
            elif hold is not None:
                hold.used = True
        if hold is not None:
            response = super().handle(request) if hold.act else None
            hold.arrived.set()
            hold.release.wait(120)
            # Not acted on: the platform never took it (the dispatcher is gone by now).
            return response or Response(503, b"not taken", "text/plain")
        response = super().handle(request)
        if self.delay:
            self._stopping.wait(self.delay)
        return response


# -- dispatcher processes ------------------------------------------------------------------
@dataclass
class Dispatcher:
    """One ``matrixpub dispatch --once --json`` process."""

    process: subprocess.Popen[bytes]
    home: Path
    started: float
    database_url: str = ""
    app_name: str = ""  # its connections' application_name on PostgreSQL (PGAPPNAME)

    @property
    def worker(self) -> str:
        """The name it records on its claims and attempts (``delivery.worker_name``)."""
        return f"{socket.gethostname()}:{self.process.pid}"

    def output(self) -> tuple[str, str]:
        return (
            (self.home / "stdout.txt").read_text("utf-8", "replace"),
            (self.home / "stderr.txt").read_text("utf-8", "replace"),
        )

    def finish(self, timeout: float) -> dict[str, Any]:
        """Wait for it to exit; returns its JSON report (asserts exit code 0)."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            out, err = self.output()
            raise AssertionError(
                f"dispatcher {self.worker} still ran after {timeout:g} s\n{out[-2000:]}\n{err}"
            ) from None
        out, err = self.output()
        assert code == 0, f"dispatcher {self.worker} exited {code}\nstdout: {out}\nstderr: {err}"
        assert "Traceback" not in err, err
        return json.loads(out)

    def kill(self) -> None:
        """SIGKILL: no clean-up code of the dispatcher runs."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        if self.database_url.startswith("postgresql"):
            # A COMMIT the process sent just before it died is still carried out by its
            # server backend: wait until those backends are gone, so that what the tests
            # read next is all the dead process will ever have written.
            from sqlalchemy import text

            engine = make_engine(self.database_url)
            try:

                def backends() -> int:
                    with engine.connect() as conn:
                        return conn.execute(
                            text(
                                "SELECT count(*) FROM pg_stat_activity "
                                "WHERE application_name = :name"
                            ),
                            {"name": self.app_name},
                        ).scalar_one()

                wait_until(lambda: backends() == 0, timeout=60, what="the dead process's backends")
            finally:
                engine.dispose()


def dispatcher_env(
    *,
    home: Path,
    database_url: str,
    token: str,
    api_url: str | None,
    lease: float | None = None,
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATRIXPUB_")}
    env.pop("PREFECT_LOGGING_SETTINGS_PATH", None)  # its own logs, under its own home
    env.pop("PREFECT_API_URL", None)
    env.update(
        MATRIXPUB_HOME=str(home),
        MATRIXPUB_DATABASE_URL=database_url,
        MATRIXPUB_TOKEN=token,
        PREFECT_HOME=str(home / "prefect"),
        # no background Prefect server outlives a dispatcher (tests/conftest.py)
        MATRIXPUB_PREFECT_BACKGROUND=os.environ.get("MATRIXPUB_PREFECT_BACKGROUND", "0"),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    if lease is not None:
        env["MATRIXPUB_DISPATCH_LEASE_SECONDS"] = str(lease)
    env["PGAPPNAME"] = f"mp-dispatcher-{os.getpid()}-{home.name}"[:63]
    return env


def start_dispatcher(
    *,
    home: Path,
    database_url: str,
    token: str,
    api_url: str | None,
    lease: float | None = None,
) -> Dispatcher:
    """Start ``python -m console.cli dispatch --once --json`` (the ``matrixpub`` CLI) with
    its own MATRIXPUB_HOME; output goes to files there."""
    home.mkdir(parents=True, exist_ok=True)
    env = dispatcher_env(
        home=home, database_url=database_url, token=token, api_url=api_url, lease=lease
    )
    with open(home / "stdout.txt", "wb") as out, open(home / "stderr.txt", "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "console.entry", "dispatch", "--once", "--json"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
    return Dispatcher(
        process=process,
        home=home,
        started=time.monotonic(),
        database_url=database_url,
        app_name=env["PGAPPNAME"],
    )


# -- the CLI in-process --------------------------------------------------------------------
def cli_json(
    *args: Any, home: Path, database_url: str, token: str, expect: int = 0
) -> dict[str, Any] | list[Any]:
    """Run ``matrixpub ARGS --json`` in-process (Typer's CliRunner); returns its JSON."""
    from typer.testing import CliRunner

    from console.cli import app

    env = {
        "MATRIXPUB_HOME": str(home),
        "MATRIXPUB_DATABASE_URL": database_url,
        "MATRIXPUB_TOKEN": token,
    }
    result = CliRunner().invoke(app, [*(str(a) for a in args), "--json"], env=env)
    assert result.exit_code == expect, (
        f"{args} exited {result.exit_code}, expected {expect}\n"
        f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}"
    )
    return json.loads(result.stdout)

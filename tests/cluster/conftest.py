"""The scale-out topology of ``deploy/local-cluster.sh``, started once for the module:
Prefect on PostgreSQL with Redis messaging, two API processes behind the balancer, one
services process, two process workers, and matrixpub on a PostgreSQL database of its own.

Every port is a free one chosen now, both databases are new (named for this run) and
dropped afterwards, and the script claims an empty Redis database number and empties it
again when it stops. Whatever a failed test leaves running, ``stop --drop`` ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.pool import NullPool

from tests.conftest import PG_BASE
from tests.processes import children_of

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "local-cluster.sh"
LEASE = 15  # seconds: a claim the killed worker left is taken back this long after


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it (a worker's flow runs start their own sessions,
    so a process group would miss them)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children_of(current))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class Frozen:
    """A process tree stopped with SIGSTOP: it does nothing more until killed or thawed."""

    pids: list[int]

    def kill(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def thaw(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def freeze(pid: int) -> Frozen:
    """SIGSTOP ``pid`` and everything below it, until no new child appears."""
    stopped: list[int] = []
    while True:
        new = [p for p in tree(pid) if p not in stopped]
        if not new:
            return Frozen(stopped)
        for p in new:
            try:
                os.kill(p, signal.SIGSTOP)
                stopped.append(p)
            except ProcessLookupError:
                pass


@dataclass
class Cluster:
    dir: Path
    env: dict[str, str]
    prefect_db: str
    matrixpub_db: str
    settings: dict[str, str] = field(default_factory=dict)  # cluster.env, as exported

    def script(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["bash", str(SCRIPT), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            logs = "".join(
                f"\n--- {log.name}\n{log.read_text('utf-8', 'replace')[-3000:]}"
                for log in sorted((self.dir / "logs").glob("*.log"))
            )
            raise AssertionError(
                f"local-cluster.sh {' '.join(args)} exited {done.returncode}\n"
                f"{done.stdout}\n{done.stderr}{logs}"
            )
        return done

    def start(self) -> None:
        self.script("start")
        for line in (self.dir / "cluster.env").read_text("utf-8").splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            self.settings[name] = value

    @property
    def api_url(self) -> str:
        return self.settings["PREFECT_API_URL"]

    def audit_key(self, create: bool) -> bytes:
        """The audit key from the cluster's Prefect (its Secret block), which the workers
        use too: what the tests write is sealed with the cluster's own key."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.audit_key import read_key

        with temporary_settings({PREFECT_API_URL: self.api_url}):
            return read_key(create=create)

    @property
    def database_url(self) -> str:
        return self.settings["MATRIXPUB_DATABASE_URL"]

    @property
    def home(self) -> Path:
        return Path(self.settings["MATRIXPUB_HOME"])

    def api_port(self, n: int) -> int:
        conf = (self.dir / "cluster.conf").read_text("utf-8")
        line = next(x for x in conf.splitlines() if x.startswith("CLUSTER_API_PORTS="))
        return int(line.split("=", 1)[1].strip('"').split()[n - 1])

    def pid(self, name: str) -> int:
        """The pid of a component the script started (api-1, services, worker-2, ...)."""
        return int((self.dir / "run" / f"{name}.pid").read_text().split()[0])

    def call(self, method: str, path: str, body: Any = None, *, via: str | None = None) -> Any:
        """Prefect's REST API, through the balancer unless ``via`` names an API URL."""
        request = urllib.request.Request(
            f"{via or self.api_url}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            data = answer.read()
        return json.loads(data) if data else None

    def deployment(self, flow: str, name: str) -> dict[str, Any]:
        return self.call("GET", f"/deployments/name/{flow}/{name}")

    def flow_runs(self, deployment_id: str, *, via: str | None = None) -> list[dict[str, Any]]:
        return self.call(
            "POST",
            "/flow_runs/filter",
            {"deployments": {"id": {"any_": [deployment_id]}}, "limit": 200},
            via=via,
        )

    def worker_processes(self, name: str) -> list[int]:
        return tree(self.pid(name))


class Connections:
    """The most connections the cluster's two databases had at once, sampled every half
    second from start() to stop() (for the README's pool-size figures)."""

    def __init__(self, cluster: Cluster) -> None:
        self.databases = (cluster.prefect_db, cluster.matrixpub_db)
        self.peak = dict.fromkeys(self.databases, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from sqlalchemy import create_engine, text

        # Autocommit: inside one transaction pg_stat_activity would show its first snapshot.
        engine = create_engine(PG_BASE, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                while not self._stop.wait(0.5):
                    rows = conn.execute(
                        text(
                            "select datname, count(*) from pg_stat_activity "
                            "where datname in (:a, :b) group by datname"
                        ),
                        {"a": self.databases[0], "b": self.databases[1]},
                    )
                    for name, count in rows:
                        self.peak[name] = max(self.peak[name], int(count))
        finally:
            engine.dispose()

    def start(self) -> Connections:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def __str__(self) -> str:
        prefect, matrixpub = (self.peak[d] for d in self.databases)
        return f"peak connections: Prefect {prefect}, matrixpub {matrixpub}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    from sqlalchemy.engine import make_url

    base = tmp_path_factory.mktemp("cluster")
    tag = uuid.uuid4().hex[:10]
    pg = make_url(PG_BASE)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MATRIXPUB_", "PREFECT_", "CLUSTER_"))
    }
    env.update(
        MATRIXPUB_VENV=sys.prefix,
        CLUSTER_DIR=str(base / "cluster"),
        MATRIXPUB_HOME=str(base / "home"),
        CLUSTER_PG_HOST=pg.host or "127.0.0.1",
        CLUSTER_PG_PORT=str(pg.port or 5432),
        CLUSTER_PG_USER=pg.username or "root",
        CLUSTER_PREFECT_DB=f"mp_cluster_{tag}_prefect",
        CLUSTER_MATRIXPUB_DB=f"mp_cluster_{tag}",
        CLUSTER_PORT=str(free_port()),
        CLUSTER_API_PORTS=f"{free_port()} {free_port()}",
        CLUSTER_POOL=f"matrixpub-{tag}",
        CLUSTER_WORKER_LIMIT="1",
        # Small pools: PostgreSQL's max_connections (100 here) is shared with the suite:
        # Prefect's three server processes, and each flow run of the workers.
        CLUSTER_DB_POOL_SIZE="3",
        CLUSTER_DB_MAX_OVERFLOW="2",
        MATRIXPUB_DB_POOL_SIZE="3",
        MATRIXPUB_DB_MAX_OVERFLOW="3",
        MATRIXPUB_DISPATCH_LEASE_SECONDS=str(LEASE),
        PREFECT_WORKER_QUERY_SECONDS="2",  # workers look for new runs every 2 s, not 10
    )
    started = Cluster(
        dir=base / "cluster",
        env=env,
        prefect_db=env["CLUSTER_PREFECT_DB"],
        matrixpub_db=env["CLUSTER_MATRIXPUB_DB"],
    )
    try:
        started.start()
        yield started
    finally:
        if (started.dir / "cluster.conf").exists():
            started.script("stop", "--drop")
        from flows.context import dispose

        dispose()


def wait_until(predicate: Any, *, timeout: float, what: str, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)

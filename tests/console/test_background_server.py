"""The background Prefect server: the first flow command starts it, later commands reuse
it, `matrixpub server status|stop` show and stop it, and it exits by itself when idle.
Every test stops what it started."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from flows import background

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.1)


class Home:
    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "console.entry", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        assert "Traceback" not in done.stdout + done.stderr, done.stderr
        return done

    def record(self) -> dict[str, object]:
        return json.loads((self.path / background.RECORD).read_text())


@pytest.fixture
def bg_home(prefect_ready: Path, tmp_path: Path) -> Iterator[Home]:
    """A MATRIXPUB_HOME with an admin, the background server on, and a Prefect home of its
    own (a copy of the session's migrated database); the server is stopped afterwards."""
    home = tmp_path / "home"
    prefect_home = home / "prefect"
    prefect_home.mkdir(parents=True)
    src, dst = (
        sqlite3.connect(prefect_ready / "prefect.db"),
        sqlite3.connect(prefect_home / "prefect.db"),
    )
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    stamp = prefect_ready / ".matrixpub-migrated"
    (prefect_home / stamp.name).write_text(stamp.read_text())
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL",)}
    env.update(
        MATRIXPUB_HOME=str(home),
        PREFECT_HOME=str(prefect_home),
        MATRIXPUB_PREFECT_BACKGROUND="1",
        MATRIXPUB_LANG="en",  # the tests read the lines in English
    )
    h = Home(home, env)
    # init writes the first audit event, whose key is in Prefect: it boots a server of its
    # own here, so that each test starts from no background server.
    init = h.run("init", "--admin", "admin", "--json", MATRIXPUB_PREFECT_BACKGROUND="0")
    assert init.returncode == 0, init.stderr
    h.env["MATRIXPUB_TOKEN"] = json.loads(init.stdout)["token"]
    from domain.settings import load

    try:
        yield h
    finally:
        pid = None
        with contextlib.suppress(OSError, ValueError):
            pid = int(h.record()["pid"])  # type: ignore[arg-type]
        background.stop(load({"MATRIXPUB_HOME": str(home)}))
        if pid is not None:
            assert not _alive(pid)


def test_flow_commands_share_one_background_server_until_stopped(bg_home: Home) -> None:
    first = bg_home.run("dispatch", "--once", "--json")
    assert first.returncode == 0, first.stderr
    record = bg_home.record()
    pid = int(record["pid"])  # type: ignore[arg-type]
    assert _alive(pid)
    second = bg_home.run("dispatch", "--once", "--json")
    assert second.returncode == 0, second.stderr
    assert bg_home.record() == record  # the same server, not a second one
    status = json.loads(bg_home.run("server", "status", "--json").stdout)
    assert status["running"] and status["pid"] == pid and status["healthy"]
    assert status["api_url"] == record["api_url"]
    stopped = bg_home.run("server", "stop")
    assert stopped.returncode == 0 and f"pid {pid}" in stopped.stdout
    assert not _alive(pid)
    assert not (bg_home.path / background.RECORD).exists()
    assert json.loads(bg_home.run("server", "status", "--json").stdout)["running"] is False
    again = bg_home.run("server", "stop")
    assert again.returncode == 0 and "No background" in again.stdout


def test_the_background_server_exits_when_idle(bg_home: Home) -> None:
    done = bg_home.run("dispatch", "--once", "--json", MATRIXPUB_PREFECT_IDLE_SECONDS="2")
    assert done.returncode == 0, done.stderr
    pid = int(bg_home.record()["pid"])  # type: ignore[arg-type]
    _wait_until(lambda: not _alive(pid), "the idle server to exit by itself")
    assert not (bg_home.path / background.RECORD).exists()


def test_off_means_no_server_outlives_the_command(bg_home: Home) -> None:
    done = bg_home.run("dispatch", "--once", "--json", MATRIXPUB_PREFECT_BACKGROUND="0")
    assert done.returncode == 0, done.stderr
    assert not (bg_home.path / background.RECORD).exists()


def _users(home: Home) -> list[str]:
    listed = home.run("user", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return [u["name"] for u in json.loads(listed.stdout)]


def test_writes_read_the_audit_key_from_the_running_background_server_over_http(
    bg_home: Home,
) -> None:
    from tests.console.test_cli_decision_path import matrixpub

    started = bg_home.run("dispatch", "--once", "--json")
    assert started.returncode == 0, started.stderr
    done, loaded = matrixpub("user", "add", "bob", "--role", "author", "--json", env=bg_home.env)
    assert done.returncode == 0, done.stderr
    assert "prefect" not in loaded
    assert "bob" in _users(bg_home)
    verified = bg_home.run("audit", "verify", "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"], verified.stderr


def test_a_missing_key_block_still_stops_a_write_in_one_line(bg_home: Home) -> None:
    import urllib.request

    from flows.audit_key import BLOCK
    from tests.console.test_cli_decision_path import matrixpub

    started = bg_home.run("dispatch", "--once", "--json")
    assert started.returncode == 0, started.stderr
    api = str(bg_home.record()["api_url"])
    url = f"{api}/block_types/slug/secret/block_documents/name/{BLOCK}"
    block_id = json.loads(_answer(url))["id"]
    gone = urllib.request.Request(f"{api}/block_documents/{block_id}", method="DELETE")
    _answer(gone)
    english = {**bg_home.env, "MATRIXPUB_LANG": "en"}
    done, loaded = matrixpub("user", "add", "carol", "--role", "author", env=english)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.endswith(
        "the audit key (Prefect Secret block 'matrixpub-audit-key') is missing, though the "
        "audit chain is keyed; restore the block from the organisation's copy"
    )
    assert "prefect" not in loaded  # answered over HTTP, as a decision would be
    assert "carol" not in _users(bg_home)
    # A new installation on the same Prefect: its first event makes the block again.
    other = bg_home.path.parent / "other"
    made = bg_home.run(
        "init", "--admin", "admin", "--json", MATRIXPUB_HOME=str(other), PREFECT_API_URL=api
    )
    assert made.returncode == 0, made.stderr
    assert len(json.loads(_answer(f"{url}?include_secrets=true"))["data"]["value"]) >= 32


def _answer(request: Any) -> bytes:
    """Prefect's answer, asked again while its SQLite database is busy (HTTP 503, which a
    SQLite-backed server gives under a burst of writes), for up to a minute."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def test_a_server_that_exits_while_starting_is_started_again(
    bg_home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from domain.settings import load
    from flows.runtime import _healthy, configure

    for name, value in bg_home.env.items():
        monkeypatch.setenv(name, value)
    settings = load(os.environ)
    runtime = configure(settings)
    assert runtime.mode == "embedded"
    real = background._listening_socket
    handed: list[int] = []

    def first_one_unservable() -> socket.socket:
        if handed:
            return real()
        # No server can listen on a datagram socket: the first process exits while starting.
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        handed.append(sock.getsockname()[1])
        return sock

    monkeypatch.setattr(background, "_listening_socket", first_one_unservable)
    server = background.ensure(settings, runtime)
    first = server.pid
    api_url = server.wait()
    assert handed and f":{handed[0]}/" not in api_url
    assert server.pid != first and not _alive(first)
    assert bg_home.record()["api_url"] == api_url and bg_home.record()["pid"] == server.pid
    assert _healthy(api_url, timeout=30.0)

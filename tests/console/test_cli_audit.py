"""The audit record through the CLI: the key in a Prefect Secret block (never in our
database), anchors outside the database, and ``audit verify`` finding what a chain alone
cannot show."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.console.conftest import Cli


def _sql(cli: Cli, statement: str) -> None:
    db = sqlite3.connect(cli.home / "matrixpub.db")
    with db:
        db.execute(statement)
    db.close()


def test_the_key_is_a_prefect_secret_never_in_the_database(cli: Cli) -> None:
    from prefect.blocks.system import Secret

    from flows.audit_key import BLOCK

    cli.init()
    key = str(Secret.load(BLOCK).get())
    assert len(key) >= 32
    data = (cli.home / "matrixpub.db").read_bytes()
    assert key.encode() not in data
    result = cli.json("audit", "verify", as_user="admin")
    assert result["ok"] and result["keyed_from"] == 1


def test_events_cut_from_the_end_or_all_deleted_are_found_against_the_anchor(cli: Cli) -> None:
    cli.init()
    cli.add_user("p1", "proofreader")
    cli.add_user("p2", "proofreader")
    shown = cli.run("audit", "verify", as_user="admin").stdout
    assert "No anchor yet" in shown
    anchored = cli.json("audit", "anchor", as_user="admin")
    assert Path(anchored["file"]).parent == cli.home / "anchors"
    events = anchored["events"]
    assert cli.json("audit", "verify", as_user="admin")["anchor"]["events"] == events
    _sql(cli, f"DELETE FROM audit_events WHERE seq = {events}")
    result = cli.run("audit", "verify", as_user="admin", expect=1)
    assert "deleted from its end" in result.stderr
    _sql(cli, "DELETE FROM audit_events")
    result = cli.run("audit", "verify", as_user="admin", expect=1)
    assert f"the chain has 0 events but {events} were anchored" in result.stderr


def test_the_daily_flow_anchors_the_chain(cli: Cli) -> None:
    from domain.settings import load
    from flows.trigger import run_flow

    cli.init()
    result = run_flow("housekeeping", {}, settings=load(os.environ), wait=True).result
    anchor = result["anchor"]
    assert Path(anchor["file"]).exists() and anchor["events"] >= 2
    assert cli.json("audit", "verify", as_user="admin")["anchor"]["at"] == anchor["at"]


def test_an_unreachable_key_refuses_the_change_in_one_line_and_writes_nothing(cli: Cli) -> None:
    cli.init()
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "MATRIXPUB_TOKEN": cli.tokens["admin"],
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "MATRIXPUB_LANG": "en",  # the line is read in English
    }
    done = subprocess.run(
        [sys.executable, "-m", "console.cli", "user", "add", "bob", "--role", "author"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "the audit key (Prefect Secret block 'matrixpub-audit-key') cannot be read" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    names = [u["name"] for u in cli.json("user", "list", as_user="admin")]
    assert "bob" not in names

"""A gate decision that runs no flow, in a fresh process as a person runs it: with a
Prefect server up, it reads the audit key over Prefect's REST API and loads neither
Prefect nor what only other commands use (the channels, Jinja2, charts, the web console,
the other command groups)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.console.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
# Loaded by none of the commands below: each costs a gate decision tenths of a second.
HEAVY = ("prefect", "jinja2", "channels", "pygal", "PIL", "markdown_it", "openpyxl", "requests")
# Nor what only the web console, the database's upgrade, the catalogs' upkeep or the other
# command groups use: a command loads its own group of console.cli only. Nor a spinner
# where no terminal would show it (rich.live starts a thread).
UNUSED = (
    "fastapi", "starlette", "uvicorn", "alembic", "babel", "console.web", "console.reports",
    "console.governance", "console.monthly", "rich.live", "rich.status",
    # The posts and the schedule, and the delivery and scheduling rules: only 终审 plans posts.
    "sqlmodel_db.posts", "sqlmodel_db.schedule", "domain.delivery", "domain.scheduling",
)  # fmt: skip
DECISION_GROUP = {"console.cli", "console.cli.common", "console.cli.review"}

# The entry point as the `matrixpub` script runs it; as the process ends, the names of
# the modules it loaded go to stderr's last line, and before it whether the garbage
# collector is on and how many objects were set aside from it when the command started.
_RUN = """
import atexit, gc, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count(), file=sys.stderr))
sys.argv = ["matrixpub", *sys.argv[1:]]
from console.entry import main
main()
"""


# The message catalog's loader and the notices' words are leaves of the channels package
# (no platform code, no requests until a notice is sent): every face that speaks loads them.
LEAVES = {"channels", "channels.catalog", "channels.notify"}


def _among(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules of ``loaded`` that are one of ``names`` or inside one of them."""
    return sorted(m for m in loaded - LEAVES if any(m == n or m.startswith(n + ".") for n in names))


def matrixpub(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Any]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    *said, collector, loaded = done.stderr.strip().splitlines()
    done.stderr = "\n".join(said)
    enabled, frozen = collector.split()
    # The command loaded with the collector held off, then ran with it on as usual, what
    # was loaded (some hundred thousand objects) set aside from it (console.startup).
    assert enabled == "True" and int(frozen) > 50_000, collector
    return done, set(json.loads(loaded))


def server_env(cli: Cli, who: str) -> dict[str, str]:
    """The environment of a person's shell while a Prefect server is up (the tests' own)."""
    from domain.settings import load
    from flows.runtime import start_embedded

    server = start_embedded(load({"MATRIXPUB_HOME": str(cli.home)}))
    assert server is not None
    return {
        **os.environ,
        "MATRIXPUB_HOME": str(cli.home),
        "MATRIXPUB_TOKEN": cli.tokens[who],
        "MATRIXPUB_LANG": "en",
        "PREFECT_API_URL": server.wait(),
    }


def test_a_decision_reads_the_key_over_http_and_loads_no_prefect(
    team: Cli, site: dict[str, Any]
) -> None:
    draft = site["draft"]
    done, loaded = matrixpub(
        "review", "approve", draft, "--gate", "一校", "--version", "1", "--opinion", "同意",
        "--json", env=server_env(team, "p1"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    decided = json.loads(done.stdout)
    assert decided["decision"]["gate"] == "proofread_1" and decided["state"] == "in_review"
    assert _among(loaded, HEAVY) == []
    # The decision is sealed with the key from the Secret block: the chain verifies.
    assert team.json("audit", "verify", as_user="admin")["ok"]


def test_a_decision_loads_its_own_command_group_only(team: Cli, site: dict[str, Any]) -> None:
    """As a person reads it (no --json), the next gate's decision: the review commands,
    not every command group's module and not a spinner nobody sees."""
    draft = site["draft"]
    team.approve(draft, "p1")  # 一校
    done, loaded = matrixpub(
        "review", "approve", draft, "--gate", "初审", "--version", "1", "--opinion", "同意",
        env=server_env(team, "editor"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"editor decided 1st review of draft {draft} version 1: approved" in done.stdout
    assert _among(loaded, HEAVY) == [] and _among(loaded, UNUSED) == []
    assert _among(loaded, ("console.cli",)) == sorted(DECISION_GROUP)
    assert team.json("audit", "verify", as_user="admin")["ok"]

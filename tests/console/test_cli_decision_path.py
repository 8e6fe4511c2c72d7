"""A gate decision that runs no flow, in a fresh process as a person runs it: with a
Prefect server up, it reads the audit key over Prefect's REST API and loads neither
Prefect nor what only other commands use (the channels, Jinja2, charts)."""

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

# The entry point as the `matrixpub` script runs it; as the process ends, the heavy
# modules it loaded go to stderr's last line.
_RUN = """
import atexit, json, sys
heavy = json.loads(sys.argv[1])
atexit.register(
    lambda: print(json.dumps(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
)
sys.argv = ["matrixpub", *sys.argv[2:]]
from console.entry import main
main()
"""


def matrixpub(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Any]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(HEAVY), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    *said, loaded = done.stderr.strip().splitlines()
    done.stderr = "\n".join(said)
    return done, json.loads(loaded)


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
    assert loaded == []
    # The decision is sealed with the key from the Secret block: the chain verifies.
    assert team.json("audit", "verify", as_user="admin")["ok"]

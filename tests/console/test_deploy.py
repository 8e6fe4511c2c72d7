"""`matrixpub deploy --pool NAME` refuses clearly, in one line and without a traceback,
when there is no Prefect server to register to or the pool name is not one. (Registering
to a real server, and workers running what it registered: tests/cluster/.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import FakeWebhook

ROOT = Path(__file__).resolve().parents[2]


def deploy(tmp_path: Path, *args: str, api_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATRIXPUB_", "PREFECT_API"))}
    env["MATRIXPUB_HOME"] = str(tmp_path / "home")
    env["MATRIXPUB_LANG"] = "en"  # the lines asserted are the English ones
    if api_url is not None:
        env["PREFECT_API_URL"] = api_url
    return subprocess.run(
        [sys.executable, "-m", "console.entry", "deploy", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    return line


def test_without_a_prefect_server_it_says_to_set_one(tmp_path: Path) -> None:
    line = one_line(deploy(tmp_path, "--pool", "matrixpub", api_url=None), 1)
    assert line.startswith("error: matrixpub deploy needs a shared Prefect server: set ")
    assert "PREFECT_API_URL" in line and "`matrixpub serve` is the one-machine way" in line


def test_a_server_that_does_not_answer(tmp_path: Path) -> None:
    from flows.runtime import free_port

    url = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    line = one_line(deploy(tmp_path, "--pool", "matrixpub", api_url=url), 1)
    assert line == f"error: no Prefect server answers at {url} (Connection refused)"


def test_an_address_that_is_not_a_prefect_api(tmp_path: Path) -> None:
    with FakeWebhook() as other:  # answers GET /health with 405
        line = one_line(deploy(tmp_path, "--pool", "matrixpub", api_url=other.url), 1)
    assert line == (
        f"error: {other.url}/health answered HTTP 405: is PREFECT_API_URL a Prefect "
        "server's API (ending in /api)?"
    )


@pytest.mark.parametrize("pool", ["a/b", "-x", "prefect-pool", "名字", ""])
def test_a_pool_name_that_is_not_one(tmp_path: Path, pool: str) -> None:
    line = one_line(deploy(tmp_path, "--pool", pool, api_url="http://127.0.0.1:9/api"), 2)
    assert line.startswith("error: work pool name")

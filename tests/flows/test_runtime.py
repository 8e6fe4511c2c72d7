"""Prefect's embedded server as matrixpub runs it: quiet, and never left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import os, time
from domain.settings import load
from flows.runtime import start_embedded
server = start_embedded(load(os.environ))
print(server.process.pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone for our purposes
        return stat.read().split()[2] != "Z"


def test_embedded_server_dies_with_a_killed_parent(tmp_path: Path) -> None:
    env = {**os.environ, "MATRIXPUB_HOME": str(tmp_path / "home")}
    env.pop("PREFECT_LOGGING_SETTINGS_PATH", None)
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    server_pid = int(parent.stdout.readline())
    assert _alive(server_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while _alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(server_pid), "the embedded Prefect server outlived its parent"

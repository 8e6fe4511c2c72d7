"""Running a benchmark script in its smallest mode, as ``make bench`` runs it in full."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BenchRun:
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float  # user + system time of the script and the processes it waited for

    @property
    def last_line(self) -> str:
        lines = self.stdout.strip().splitlines()
        return lines[-1] if lines else ""


def run_bench(script: str, *args: str, env: dict[str, str] | None = None) -> BenchRun:
    """``bench/<script>`` with ``args`` in a process of its own, in a clean environment
    (no ``MATRIXPUB_*`` setting or Prefect server of the tests')."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MATRIXPUB_") and k not in ("PREFECT_API_URL", "PREFECT_HOME")
    }
    clean.update(env or {})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=900,  # a deadline against a hang, far beyond a run on a loaded machine
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return BenchRun(done.returncode, done.stdout, done.stderr, cpu)

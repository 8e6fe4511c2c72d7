"""The benchmarks still run: each in its smallest mode (``--smoke``), as a subprocess,
exits 0 and prints its summary (``bench/dispatch.py`` and ``bench/website.py`` are not
run here). The figures of such a run mean nothing and are not
judged; this only keeps the benchmarks from rotting as the code under them changes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# bench script -> a line its summary prints (a regular expression, matched per line)
SUMMARIES = {
    "cli.py": r"^cli: decision \d+\.\d\d s, CPU \d+\.\d\d s .* flow command \d+\.\d\d s",
    "backbone.py": r"^backbone: \d+\.\d\d drafts/s and \d+\.\d posts/s batched",
    "web.py": r"^web: page p95 \d+ ms .* CLI decision median \d+ ms",
    "render.py": r"^quality: lowest PSNR \d+\.\d dB .*not judged \(--smoke\)$",
    "proofread.py": r"^ours / pyahocorasick: +\d+\.\d\dx",
}


@pytest.mark.parametrize("script", sorted(SUMMARIES))
def test_the_benchmark_runs_and_prints_its_summary(script: str) -> None:
    # As a person runs it: none of the tests' own settings (their Prefect home, the
    # background server turned off) leak into it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATRIXPUB_", "PREFECT_"))}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"{script}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    assert re.search(SUMMARIES[script], done.stdout, re.MULTILINE), done.stdout[-3000:]

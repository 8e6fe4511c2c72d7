"""bench/website.py in its smallest mode: it runs to the end and says what it measured."""

from __future__ import annotations

import json
import re

from tests.bench.conftest import run_bench

SUMMARY = re.compile(r"^website: (\d+) posts/s = (\d+(?:\.\d+)?) x per-publish rebuild$")
CPU_BUDGET_S = 60.0  # the smallest mode takes a few seconds of CPU; the full run about 30


def test_the_website_benchmark_runs_in_its_smallest_mode_and_ends_with_its_summary() -> None:
    run = run_bench("website.py", "--drafts", "2", "--columns", "2", "--rounds", "2")

    assert run.returncode == 0, run.stderr[-3000:]
    found = SUMMARY.match(run.last_line)
    assert found, f"the last line does not parse: {run.last_line!r}"
    rate, ratio = int(found.group(1)), float(found.group(2))
    assert rate > 0 and ratio > 0
    # The summary is made of the figures printed above it.
    (figures,) = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert rate == round(figures["a"])
    assert abs(ratio - figures["a"] / figures["b"]) <= 0.051
    assert "both left the same 4 articles listed in the feeds" in run.stdout
    assert run.cpu_seconds < CPU_BUDGET_S, f"{run.cpu_seconds:.1f} s of CPU"

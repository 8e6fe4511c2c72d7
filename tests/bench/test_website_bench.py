"""bench/website.py in its smallest mode: it runs to the end and says what it measured."""

from __future__ import annotations

import json
import re

from tests.bench.conftest import run_bench

SUMMARY = re.compile(r"^website: (\d+) posts/s = (\d+(?:\.\d+)?) x per-publish rebuild$")
EMPTY = re.compile(r"^website, empty site: (\d+) posts/s = (\d+(?:\.\d+)?) x per-publish rebuild$")
CPU_BUDGET_S = 60.0  # the smallest mode takes a few seconds of CPU; the full run a few minutes


def test_the_website_benchmark_runs_in_its_smallest_mode_and_ends_with_its_summary() -> None:
    run = run_bench(
        "website.py", "--drafts", "2", "--columns", "2", "--rounds", "2", "--history", "3"
    )

    assert run.returncode == 0, run.stderr[-3000:]
    found = SUMMARY.match(run.last_line)
    assert found, f"the last line does not parse: {run.last_line!r}"
    rate, ratio = int(found.group(1)), float(found.group(2))
    assert rate > 0 and ratio > 0
    # The summary is made of the figures printed above it: those of the site with a history.
    (figures,) = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert figures["history"] == 3
    # (The line rounds the rate itself; the JSON holds it to a tenth: 428.53 is 429 there
    # and 428.5 here.)
    assert abs(rate - figures["a"]) <= 0.55
    assert abs(ratio - figures["a"] / figures["b"]) <= 0.051
    # The empty site's figures come the line before, labelled as such.
    lines = run.stdout.strip().splitlines()
    empty = EMPTY.match(lines[-2])
    assert empty, f"the empty site's line does not parse: {lines[-2]!r}"
    assert abs(int(empty.group(1)) - figures["empty"]["a"]) <= 0.55
    assert abs(float(empty.group(2)) - figures["empty"]["a"] / figures["empty"]["b"]) <= 0.051
    # Both ways leave the same articles listed: the day's 4, and with the history the
    # columns' 6 earlier ones as well.
    assert "both left the same 4 articles listed in the feeds" in run.stdout
    assert (
        "both left the same 10 articles listed in the column indexes (the day's 4 and 6 "
        "earlier ones) and in the feeds" in run.stdout
    )
    assert run.cpu_seconds < CPU_BUDGET_S, f"{run.cpu_seconds:.1f} s of CPU"

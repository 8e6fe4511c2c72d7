"""bench/dispatch.py in its smallest mode: it runs to the end, every post reached the fake
platform once per run, and it ends with its one summary line."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from flows.runtime import STAMP_FILE
from tests.bench.conftest import run_bench

SUMMARY = re.compile(
    r"^dispatch: (\d+) posts/s = (\d+) % of the loopback limit \((\d+) req/s\), "
    r"a/b = (\d+(?:\.\d+)?) x$"
)
# The smallest mode's own work is a few seconds of CPU; most of the budget is Prefect's
# embedded server starting (its database comes migrated).
CPU_BUDGET_S = 120.0


def migrated_prefect_home(source: Path, target: Path) -> Path:
    """A copy of the session's migrated Prefect database (SQLite's backup API gives a
    consistent copy while that server runs), so the benchmark's server skips migrating."""
    target.mkdir(parents=True)
    src, dst = sqlite3.connect(source / "prefect.db"), sqlite3.connect(target / "prefect.db")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    shutil.copy(source / STAMP_FILE, target / STAMP_FILE)
    return target


def test_the_dispatch_benchmark_runs_in_its_smallest_mode_and_ends_with_its_summary(
    prefect_ready: Path, tmp_path: Path
) -> None:
    prefect_home = migrated_prefect_home(prefect_ready, tmp_path / "prefect")
    run = run_bench(
        "dispatch.py",
        *("--posts", "8", "--accounts", "4", "--loopback", "50", "--no-query"),
        env={"PREFECT_HOME": str(prefect_home)},
    )

    assert run.returncode == 0, run.stderr[-3000:]
    found = SUMMARY.match(run.last_line)
    assert found, f"the last line does not parse: {run.last_line!r}"
    rate, share, limit, ratio = (float(g) for g in found.groups())
    assert rate > 0 and limit > 0 and ratio > 0
    assert abs(share - 100 * rate / limit) <= 1.5  # the share is of the limit it names
    assert "each post reached the platform once per run: 8 keys" in run.stdout
    assert run.cpu_seconds < CPU_BUDGET_S, f"{run.cpu_seconds:.1f} s of CPU"

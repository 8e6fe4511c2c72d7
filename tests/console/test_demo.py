"""`make demo` (`matrixpub demo`) tells the truth: the sample notice is published to both
website columns, the second notice really waits at 一校 for the web console (its links to
the site are public addresses, so the checks let it through), and the audit chain holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console import actions
from console.demo import DEMO_SITE_URL, _print, run_demo
from console.workspace import Workspace


def test_the_demo_publishes_the_notice_and_leaves_the_second_at_the_first_gate(
    prefect_ready: Path,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from flows.context import dispose

    monkeypatch.setenv("MATRIXPUB_DEMO_HOME", str(home))
    for name in ("MATRIXPUB_TOKEN", "MATRIXPUB_SITE_URL", "MATRIXPUB_SITE_DIR"):
        monkeypatch.delenv(name, raising=False)
    try:
        report = run_demo(quiet=True)

        posts = report["draft"]["posts"]
        assert report["draft"]["state"] == "approved"
        assert {(p["account"], p["state"]) for p in posts} == {
            ("通知公告", "published"),
            ("文旅资讯", "published"),
        }
        assert all(p["url"].startswith(DEMO_SITE_URL + "/") for p in posts)
        assert report["audit"]["ok"]

        waiting = actions.show_draft(
            Workspace.from_env(token=report["tokens"]["陈校对"]), report["waiting"]["id"]
        )
        assert waiting["state"] == "in_review", waiting.get("problems")
        assert waiting["gate"]["key"] == "proofread_1"
        queue = actions.review_queue(Workspace.from_env(token=report["tokens"]["陈校对"]))
        assert [d["id"] for d in queue] == [report["waiting"]["id"]]

        # Both commands the demo suggests can run at once: the site is served on
        # another port than the web console's.
        capsys.readouterr()
        _print(report)
        said = capsys.readouterr().out
        site_port = re.search(r"http\.server -d \S+ (\d+)", said)
        console_port = re.search(r"http://127\.0\.0\.1:(\d+)/", said)
        assert site_port and console_port, said
        assert site_port.group(1) != console_port.group(1), said
    finally:
        dispose()

"""`matrixpub report monthly`: the month's posts per account per week, days since the last
update, 错敏 findings by category, waits at each gate, 集中转载 completion, accounts opened
and closed; written as report.xlsx (opened here with openpyxl) and report.html."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_alerts import db_exec
from tests.console.test_cli_schedule import account, local, posts_of, signed

MONTH = "2026-11"  # 1 November 2026 is a Sunday: the month has six (cut) weeks
WEEKS = ["11-01~11-01", "11-02~11-08", "11-09~11-15", "11-16~11-22", "11-23~11-29",
         "11-30~11-30"]  # fmt: skip


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n我们要再接再励，把活动办好。\n", "utf-8")
    return path


def utc(text: str) -> str:
    """A Shanghai local time as the database keeps it (UTC)."""
    when = datetime.fromisoformat(text + "+08:00").astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S")


def november(cli: Cli, body: Path) -> dict[str, Any]:
    """A month's work, moved into November 2026 as the clock would have left it."""
    main = account(cli, "Main", "website", "--main", "--group", "culture")
    county = account(cli, "County", "website", "--group", "culture", "--duplicate-reason", "区县")
    draft = signed(cli, body, "--target", main)
    deadline = datetime.now(UTC) + timedelta(hours=3)
    cli.json("draft", "fanout", draft, "--group", "culture", "--deadline", local(deadline),
             as_user="author")  # fmt: skip
    posts = {p["account_id"]: p["id"] for p in posts_of(cli, draft)}
    db_exec(cli, "UPDATE posts SET due_at = ?", utc("2026-01-01 00:00"))
    assert sorted(cli.json("dispatch", "--once", as_user="admin")["published"]) == sorted(
        posts.values()
    )
    later = account(cli, "Clips", "douyin", "--unit", "文旅局")
    # Closing takes a request, a leader, a 停更公告 through the gates and fifteen working
    # days (tests/flows/test_governance.py walks it); the report reads only the closing
    # event, so the month's data holds the event that walk ends with.
    db_exec(cli, "UPDATE accounts SET state = 'closed' WHERE id = ?", later)
    db_exec(cli, "INSERT INTO account_events (account_id, action, from_state, to_state, "
            "actor_id, reason, changes, at) VALUES (?, 'close', 'closing', 'closed', 1, "
            "'合并到主账号', '{}', ?)", later, utc("2026-11-25 16:00"))  # fmt: skip

    db_exec(cli, "UPDATE accounts SET created_at = ?", utc("2026-10-01 09:00"))
    db_exec(cli, "UPDATE account_events SET at = ?", utc("2026-10-01 09:00"))
    db_exec(cli, "UPDATE accounts SET created_at = ? WHERE id = ?", utc("2026-11-10 09:00"), later)
    db_exec(cli, "UPDATE account_events SET at = ? WHERE account_id = ? AND action = 'registered'",
            utc("2026-11-10 09:00"), later)  # fmt: skip
    db_exec(cli, "UPDATE account_events SET at = ? WHERE account_id = ? AND action = 'close'",
            utc("2026-11-25 16:00"), later)  # fmt: skip
    db_exec(cli, "UPDATE drafts SET fanout_deadline = ?", utc("2026-11-03 12:00"))
    db_exec(cli, "UPDATE posts SET sent_at = ? WHERE id = ?", utc("2026-11-03 10:00"), posts[main])
    db_exec(cli, "UPDATE posts SET sent_at = ? WHERE id = ?",
            utc("2026-11-04 09:00"), posts[county])  # fmt: skip
    db_exec(cli, "UPDATE check_runs SET at = ?", utc("2026-11-02 08:30"))
    db_exec(cli, "UPDATE draft_versions SET submitted_at = ?", utc("2026-11-02 08:00"))
    # The six gates took 1, 2, 3, 4, 5 and 6 hours: each decision an hour later than the
    # wait before it.
    for n in range(1, 7):
        hours = sum(range(1, n + 1))
        at = datetime(2026, 11, 2, 0, 0, tzinfo=UTC) + timedelta(hours=hours)
        db_exec(cli, "UPDATE decisions SET at = ? WHERE gate_index = ?",
                at.strftime("%Y-%m-%d %H:%M:%S"), n - 1)  # fmt: skip
    return {"main": main, "county": county, "later": later, "draft": int(draft)}


def test_monthly_report_in_xlsx_and_html(team: Cli, body: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cli = team
    ids = november(cli, body)
    out = tmp_path / "report"
    made = cli.json("report", "monthly", "--month", MONTH, "--out", out, as_user="admin")
    data = made["data"]
    assert made["xlsx"] == str(out / "report.xlsx") and made["html"] == str(out / "report.html")
    assert data["weeks"] == WEEKS
    rows = {a["name"]: a for a in data["accounts"]}
    assert rows["Main"]["weeks"] == [0, 1, 0, 0, 0, 0]
    assert rows["County"]["weeks"] == [0, 1, 0, 0, 0, 0]
    assert rows["Clips"]["weeks"] == [0] * 6 and rows["Clips"]["state"] == "closed"
    # As of the month's end (1 December 00:00 in Shanghai).
    assert rows["Main"]["days_since"] == 27 and rows["County"]["days_since"] == 26
    assert rows["Main"]["stale"] and rows["County"]["stale"] and not rows["Clips"]["stale"]
    assert data["posts"] == 2
    findings = {f["category"]: f["findings"] for f in data["findings"]}
    assert findings.get("confusable", 0) >= 1  # 再接再励
    gates = [(g["decisions"], g["median_hours"], g["p90_hours"]) for g in data["gates"]]
    assert gates == [(1, float(h), float(h)) for h in range(1, 7)]
    (fanout,) = data["reposts"]
    assert (fanout["draft_id"], fanout["on_time"], fanout["late"], fanout["accounts"]) == (
        ids["draft"], 1, 1, 2,
    )  # fmt: skip
    assert fanout["completion"] == 50.0
    assert [e["name"] for e in data["opened"]] == ["Clips"]
    assert [e["name"] for e in data["closed"]] == ["Clips"]

    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames == ["概要", "每周发布", "更新间隔", "错敏问题", "审核时长", "集中转载",
                               "开设与注销"]  # fmt: skip
    weekly = [[c.value for c in r] for r in book["每周发布"].iter_rows()]
    assert weekly[0] == ["账号", *WEEKS, "合计"]
    assert ["Main", 0, 1, 0, 0, 0, 0, 1] in weekly
    gate_rows = [[c.value for c in r] for r in book["审核时长"].iter_rows()]
    assert gate_rows[1][:5] == ["一校", "proofread_1", 1, 1.0, 1.0]
    reposts = [[c.value for c in r] for r in book["集中转载"].iter_rows()]
    assert reposts[1][0] == ids["draft"] and reposts[1][4:7] == [2, 1, 1]
    assert reposts[1][-1] == 50.0
    changes = [[c.value for c in r] for r in book["开设与注销"].iter_rows()]
    assert [r[:2] for r in changes[1:]] == [["开设", "Clips"], ["注销", "Clips"]]

    html = (out / "report.html").read_text("utf-8")
    assert html.count("<svg") == 6 and "<script" not in html
    assert "政务新媒体月度报告 · 2026-11" in html and "集中转载完成情况" in html

    # Nothing half-written when refused.
    cli.run("report", "monthly", "--month", "2026-13", "--out", tmp_path / "x", as_user="admin",
            expect=2)  # fmt: skip
    assert not (tmp_path / "x").exists()
    cli.run("report", "monthly", "--month", MONTH, "--out", tmp_path / "y", as_user="author",
            expect=1)  # fmt: skip
    assert not (tmp_path / "y").exists()

"""`matrixpub account request|approve|reject|filed|suspend|resume` and the alerts that
reach a WeCom robot, through the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import GATES, Cli
from tests.console.test_cli_refusals import approve, refused
from tests.fakes.wecom import FakeWeCom


def db_exec(cli: Cli, sql: str, *args: Any) -> None:
    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.execute(sql, args)
    db.commit()
    db.close()


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    return path


def test_open_approve_file_and_the_sheet(team: Cli) -> None:
    team.add_user("wang", "author")
    asked = team.json(
        "account", "request", "open", "--platform", "weibo", "--name", "文旅微博",
        "--unit", "区文旅局", "--responsible", "wang", "--reason", "开展文旅宣传",
        as_user="wang",
    )  # fmt: skip
    assert asked["kind"] == "open" and asked["state"] == "pending"
    refused(
        team, "account", "approve", asked["id"], "--opinion", "同意", as_user="admin",
        match="final-review leader role",
    )  # fmt: skip
    refused(
        team, "account", "approve", asked["id"], "--opinion", " ", as_user="leader",
        match="an opinion is required", code=2,
    )  # fmt: skip
    done = team.json("account", "approve", asked["id"], "--opinion", "同意开设", as_user="leader")
    assert done["state"] == "approved" and done["filing_due"]
    shown = team.json("account", "show", asked["account_id"], as_user="admin")
    assert shown["state"] == "active"
    (listed,) = team.json("account", "requests", as_user="admin")
    assert (listed["requested_by_name"], listed["decided_by_name"]) == ("wang", "leader")
    assert listed["opinion"] == "同意开设"
    alerts = team.json("alerts", as_user="admin")
    assert [a["kind"] for a in alerts] == ["filing_due"]
    refused(
        team, "account", "filed", asked["account_id"], "--record-no", "BA-1", as_user="wang",
        match="admin role",
    )  # fmt: skip
    team.json("account", "filed", asked["account_id"], "--record-no", "BA-1", as_user="admin")
    assert team.json("alerts", as_user="admin") == []
    again = team.run("account", "filed", asked["account_id"], "--record-no", "BA-2",
                     as_user="admin", expect=1)  # fmt: skip
    assert "no filing waiting" in again.stderr


def test_close_drafts_the_notice_and_there_is_no_shortcut(team: Cli) -> None:
    old = team.json(
        "account", "register", "--platform", "website", "--name", "旧栏目", "--unit", "区文旅局",
        "--platform-id", "old", "--responsible", "author", as_user="admin",
    )  # fmt: skip
    new = team.json(
        "account", "register", "--platform", "weibo", "--name", "文旅微博", "--unit", "区文旅局",
        as_user="admin",
    )  # fmt: skip
    no_close = team.run("account", "close", old["id"], "--reason", "x", as_user="admin", expect=2)
    assert "No such command" in no_close.stderr + no_close.stdout
    asked = team.json(
        "account", "request", "close", old["id"], "--reason", "栏目整合",
        "--successor", new["id"], "--successor-contact", "电话 0915-12345", as_user="author",
    )  # fmt: skip
    refused(
        team, "account", "request", "close", old["id"], "--reason", "again", as_user="admin",
        match="still waits for a leader",
    )  # fmt: skip
    done = team.json("account", "approve", asked["id"], "--opinion", "同意", as_user="leader")
    notice = team.json("draft", "show", done["notice_draft_id"], as_user="author")
    assert "停止更新" in notice["title"] and notice["targets"] == [old["id"]]
    # The notice is an ordinary draft: the author submits it and it passes the gates.
    team.json("draft", "submit", done["notice_draft_id"], as_user="author")
    approve(team, str(done["notice_draft_id"]), *GATES)
    team.json("dispatch", "--once", as_user="admin")
    assert team.json("account", "show", old["id"], as_user="admin")["state"] == "active"
    team.json("alerts", as_user="admin")  # looking moves the closing along
    assert team.json("account", "show", old["id"], as_user="admin")["state"] == "closing"


def test_suspend_lists_and_resume_replans(team: Cli, body: Path) -> None:
    site = team.json(
        "account", "register", "--platform", "website", "--name", "通知公告",
        "--unit", "市文化和旅游局", "--platform-id", "notices", as_user="admin",
    )  # fmt: skip
    draft = team.json(
        "draft", "new", "--title", "关于开展安全检查的通知", "--body-file", body,
        "--target", site["id"], as_user="author",
    )  # fmt: skip
    team.json("draft", "submit", draft["id"], as_user="author")
    approve(team, str(draft["id"]), *GATES)
    (post,) = team.json("post", "list", as_user="author")
    held = team.run("account", "suspend", site["id"], "--reason", "整改", as_user="admin")
    assert "关于开展安全检查的通知" in held.stdout and str(post["id"]) in held.stdout
    offered = team.json("account", "resume", site["id"], "--reason", "整改完成", as_user="admin")
    assert [p["id"] for p in offered["offered"]] == [post["id"]] and offered["replanned"] == []
    team.json("account", "suspend", site["id"], "--reason", "再次整改", as_user="admin")
    back = team.json(
        "account", "resume", site["id"], "--reason", "整改完成", "--replan", as_user="admin"
    )
    (again,) = back["replanned"]
    assert again["draft_id"] == draft["id"] and again["id"] != post["id"]
    states = sorted(p["state"] for p in team.json("post", "list", as_user="author"))
    assert states == ["cancelled", "queued"]
    log = team.json("audit", "log", as_user="admin")
    assert any(e["action"] == "account.replanned" for e in log)


def test_alerts_reach_the_wecom_robot_live(team: Cli) -> None:
    quiet = team.json(
        "account", "register", "--platform", "website", "--name", "政策文件",
        "--unit", "区文旅局", "--platform-id", "policy", "--responsible", "赵六",
        "--column-kind", "news", as_user="admin",
    )  # fmt: skip
    assert team.json("account", "show", quiet["id"], as_user="admin")["update_threshold_days"] == 14
    db_exec(team, "UPDATE accounts SET created_at = datetime('now', '-20 days') WHERE id = ?",
            quiet["id"])  # fmt: skip
    with FakeWeCom() as robot:
        team.json("settings", "set", "notify", robot.webhook, as_user="admin")
        alerts = team.json("alerts", as_user="admin")  # computed as it is asked
        assert [a["kind"] for a in alerts] == ["stale_account"]
        (message,) = robot.messages
        content = message["markdown"]["content"]
        assert "政策文件" in content and "赵六" in content and "20 天未更新" in content
        team.json("alerts", as_user="admin")
        assert len(robot.messages) == 1  # sent once
        board = team.json("account", "freshness", as_user="admin")
        assert {r["id"]: r["level"] for r in board}[quiet["id"]] == "stale"

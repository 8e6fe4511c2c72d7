"""Reports: 集中转载 on time, late or missing (with alerts ahead of the deadline), and the
registry exported in the national reporting system's filing form."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console import reports
from console.workspace import Workspace
from sqlmodel_db import schedule as schedule_db
from tests.console.conftest import Cli
from tests.console.test_cli_alerts import db_exec
from tests.console.test_cli_schedule import account, local, posts_of, signed


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    return path


def statuses(ws: Workspace, draft: str, now: datetime) -> dict[int, str]:
    (fanout,) = reports.repost_compliance(ws, draft_id=int(draft), now=now)
    return {a["account_id"]: a["status"] for a in fanout["accounts"]}


def repost_alerts(ws: Workspace) -> dict[tuple[str, int], bool]:
    """(kind, account) -> still open."""
    with ws.session() as session:
        return {
            (a.kind, a.account_id or 0): a.resolved_at is None
            for a in schedule_db.list_alerts(session=session, open_only=False)
            if a.kind.startswith("repost_")
        }


def test_reposts_on_time_late_or_missing_with_alerts_before_the_deadline(
    team: Cli, body: Path
) -> None:
    cli = team
    main = account(cli, "Main", "website", "--main", "--group", "culture")
    county = account(cli, "County", "website", "--group", "culture", "--duplicate-reason", "区县")
    weibo = account(cli, "Weibo", "weibo", "--group", "culture")  # no signed variant: no post
    draft = signed(cli, body, "--target", main)
    start = datetime.now(UTC)
    deadline = (start + timedelta(hours=3)).replace(second=0, microsecond=0)
    cli.run("draft", "fanout", draft, "--group", "culture", "--deadline", "2020-01-01 08:00",
            as_user="author", expect=2)  # fmt: skip
    cli.json("draft", "fanout", draft, "--group", "culture", "--deadline", local(deadline),
             as_user="author")  # fmt: skip
    posts = {p["account_id"]: p for p in posts_of(cli, draft)}
    assert set(posts) == {main, county}
    # The main account's post is due now; the county's is planned after the deadline.
    db_exec(
        cli,
        "UPDATE posts SET due_at = ? WHERE id = ?",
        (start - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S"),
        posts[main]["id"],
    )
    db_exec(
        cli,
        "UPDATE posts SET due_at = ? WHERE id = ?",
        (deadline + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
        posts[county]["id"],
    )
    assert cli.json("dispatch", "--once", as_user="admin")["published"] == [posts[main]["id"]]

    # Before the deadline: the county's post will be late and the Weibo account has none;
    # both are alerts now, while there is time to act.
    (shown,) = cli.json("report", "reposts", "--draft", draft, as_user="admin")
    assert shown["deadline"] == deadline.isoformat()
    assert {a["account_id"]: a["status"] for a in shown["accounts"]} == {
        main: "on_time", county: "at_risk", weibo: "at_risk",
    }  # fmt: skip
    assert shown["counts"]["on_time"] == 1 and shown["counts"]["at_risk"] == 2
    kinds = {a["kind"] for a in cli.json("alerts", as_user="admin")}
    assert "repost_at_risk" in kinds
    human = cli.run("report", "reposts", as_user="admin").stdout
    assert "1/3 live" in human and "at risk" in human  # the status in words

    ws = Workspace.from_env(token=cli.tokens["admin"])
    # Far ahead of the deadline, a post due in time is pending, not at risk.
    db_exec(cli, "UPDATE posts SET due_at = ? WHERE id = ?",
            (deadline - timedelta(hours=2, minutes=30)).strftime("%Y-%m-%d %H:%M:%S"),
            posts[county]["id"])  # fmt: skip
    assert statuses(ws, draft, start)[county] == "pending"
    # Near the deadline (within repost_warn_hours, 2) and not live: at risk again.
    assert statuses(ws, draft, deadline - timedelta(hours=1))[county] == "at_risk"

    # The deadline passes with nothing live: missing; the at-risk alerts close and the
    # missing ones are raised, once.
    after = deadline + timedelta(minutes=1)
    assert statuses(ws, draft, after) == {main: "on_time", county: "missing", weibo: "missing"}
    statuses(ws, draft, after + timedelta(minutes=5))
    alerts = repost_alerts(ws)
    assert alerts[("repost_at_risk", county)] is False
    assert alerts[("repost_missing", county)] is True
    assert alerts[("repost_missing", weibo)] is True
    assert ("repost_at_risk", main) not in alerts

    # The county's post goes live half an hour late: late, on record as an alert.
    live = (deadline + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S")
    db_exec(cli, "UPDATE posts SET state = 'published', sent_at = ? WHERE id = ?",
            live, posts[county]["id"])  # fmt: skip
    assert statuses(ws, draft, deadline + timedelta(hours=1))[county] == "late"
    alerts = repost_alerts(ws)
    assert alerts[("repost_missing", county)] is False
    assert alerts[("repost_late", county)] is True
    ws.close()


def test_fanout_without_a_deadline_is_never_late(team: Cli, body: Path) -> None:
    cli = team
    main = account(cli, "MainN", "website", "--main", "--group", "news")
    draft = signed(cli, body, "--target", main)
    cli.json("draft", "fanout", draft, "--group", "news", as_user="author")
    (shown,) = cli.json("report", "reposts", "--draft", draft, as_user="admin")
    assert shown["deadline"] is None
    assert [a["status"] for a in shown["accounts"]] == ["pending"]
    cli.run("report", "reposts", "--draft", "999", as_user="admin", expect=1)


FILING = ["账号名称", "平台", "账号ID", "账号链接", "主办单位", "主管单位", "单位类型", "认证情况",
          "开设日期", "运营方式", "责任人", "联系电话", "运维人员", "状态", "系统编号", "系统状态",
          "备案编号", "备案日期", "分组", "主账号"]  # fmt: skip


def test_account_export_writes_the_filing_form_as_xlsx_and_csv(team: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cli = team
    first = account(cli, "政务发布", "wechat_oa", "--supervising-unit", "市政府办公室",
                    "--responsible", "张三", "--contact", "0571-12345678",
                    "--verification", "市文化和旅游局", "--opened-on", "2024-03-01",
                    "--unit-type", "行政机关", "--operation-mode", "outsourced",
                    "--operator", "李运维",
                    "--record-no", "BA-2024-001", "--filed-on", "2024-03-08",
                    "--url", "https://mp.weixin.qq.com/x", "--group", "culture",
                    "--main")  # fmt: skip
    second = account(cli, "古城文旅", "douyin")
    cli.run("account", "change", second, "--operation-mode", "vendor", "--reason", "x",
            as_user="admin", expect=2)  # fmt: skip
    cli.json("account", "change", second, "--operation-mode", "self", "--reason", "收回自营",
             as_user="admin")  # fmt: skip
    cli.json("account", "suspend", second, "--reason", "整改", as_user="admin")

    out = tmp_path / "out" / "registry.xlsx"
    made = cli.json("account", "export", "--out", out, as_user="admin")
    assert made == {"path": str(out), "format": "xlsx", "accounts": 2, "columns": FILING}
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == FILING
    one = dict(zip(FILING, rows[1], strict=True))
    assert one["账号名称"] == "政务发布" and one["平台"] == "微信订阅号"
    assert one["主办单位"] == "政务发布单位" and one["主管单位"] == "市政府办公室"
    assert one["责任人"] == "张三" and one["联系电话"] == "0571-12345678"
    assert one["认证情况"] == "市文化和旅游局" and one["开设日期"] == "2024-03-01"
    assert one["单位类型"] == "行政机关" and one["运营方式"] == "委托运营"
    assert one["运维人员"] == "李运维"
    assert one["状态"] == "运行" and one["系统状态"] == "active" and one["系统编号"] == first
    assert one["备案编号"] == "BA-2024-001" and one["主账号"] == "是" and one["分组"] == "culture"
    two = dict(zip(FILING, rows[2], strict=True))
    assert (
        two["账号名称"] == "古城文旅" and two["状态"] == "停更" and two["系统状态"] == "suspended"
    )
    assert len(rows) == 3

    text = tmp_path / "registry.csv"
    cli.run("account", "export", "--out", text, as_user="admin")
    with text.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == FILING and table[2][0] == "古城文旅" and table[2][13] == "停更"

    refused = cli.run("account", "export", "--out", tmp_path / "r.pdf", as_user="admin", expect=2)
    assert "must end in .xlsx or .csv" in refused.stderr
    assert not (tmp_path / "r.pdf").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["registry.xlsx"]


def test_alerts_are_acknowledged_and_the_audit_log_filtered_by_name(team: Cli) -> None:
    cli = team
    quiet = account(cli, "Quiet")
    month_ago = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    db_exec(cli, "UPDATE accounts SET created_at = ?", month_ago)
    (alert,) = [a for a in cli.json("alerts", as_user="admin") if a["account_id"] == quiet]
    cli.run("alerts", "--ack", alert["id"], as_user="admin", expect=2)  # no note
    cli.run("alerts", "--ack", alert["id"], "--note", "x", as_user="author", expect=1)
    closed = cli.json("alerts", "--ack", alert["id"], "--note", "已安排更新", as_user="admin")
    assert closed["note"] == "已安排更新" and closed["resolved_at"]
    cli.run("alerts", "--ack", alert["id"], "--note", "again", as_user="admin", expect=1)
    found = cli.json("audit", "log", "--actor", "admin", "--action", "alert.", as_user="admin")
    assert [e["action"] for e in found] == ["alert.acknowledged"]
    assert found[0]["actor"] == "admin"
    cli.run("audit", "log", "--from", "yesterday", as_user="admin", expect=2)

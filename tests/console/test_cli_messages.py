"""Every command says what it did and what comes next, with names, not only ids: a
draft created, edited (a returned one not yet resubmitted), submitted, decided and
signed off; the audit log with the actor, gate, version and opinion; a freeze's impact
before it takes effect, and the freeze drawn on the schedule."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.console.conftest import GATES, Cli
from tests.factories import jpeg

BODY = (
    "各区县文化和旅游局：\n\n现将有关事项通知如下。\n\n特此通知。\n\n"
    "市文化和旅游局\n2026年11月26日\n"
)


@pytest.fixture
def zh(team: Cli) -> None:
    team.lang = "zh_CN"


def _draft(cli: Cli, tmp_path: Path, title: str = "关于举办文旅消费季的通知") -> tuple[str, str]:
    column = cli.json(
        "account", "register", "--platform", "website", "--name", "通知公告",
        "--unit", "市文化和旅游局", "--platform-id", "notices", "--main", as_user="admin",
    )  # fmt: skip
    body = tmp_path / "body.md"
    body.write_text(BODY, "utf-8")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1600, 900))
    made = cli.run(
        "draft", "new", "--title", title, "--body-file", body,
        "--cover", cover, "--target", column["id"], as_user="author",
    ).stdout  # fmt: skip
    return made, str(column["id"])


def test_a_draft_says_what_happened_at_each_step(team: Cli, tmp_path: Path, zh: None) -> None:
    cli = team
    made, _account = _draft(cli, tmp_path)
    assert "草稿 1 已创建" in made
    assert "matrixpub draft preview 1" in made and "matrixpub draft submit 1" in made
    assert "通知公告" in made  # the target by name

    submitted = cli.run("draft", "submit", "1", as_user="author").stdout
    assert "草稿 1 已提交" in submitted
    assert "一校" in submitted and "p1" in submitted  # the next gate and who may decide it
    assert "in_review" not in submitted and "审校中" in submitted

    decided = cli.run(
        "review", "approve", "1", "--opinion", "文字规范", *cli.reading("1", "p1"), as_user="p1"
    ).stdout
    assert "p1" in decided and "一校" in decided and "文字规范" in decided
    assert "初审" in decided and "editor" in decided  # next gate, its decider by name

    returned = cli.run(
        "review", "reject", "1", "--opinion", "标题要改", "--gate", "初审", as_user="editor"
    ).stdout
    assert "退回" in returned and "matrixpub draft submit 1" in returned

    new_title = ("--title", "关于举办冬季文旅消费季的通知")
    edited = cli.run("draft", "edit", "1", *new_title, as_user="author").stdout
    assert "尚未重新提交" in edited and "matrixpub draft submit 1" in edited

    cli.run("draft", "submit", "1", as_user="author")
    for who in GATES[:-1]:
        cli.run(
            "review",
            "approve",
            "1",
            "--opinion",
            f"{who} 同意",
            *cli.reading("1", who),
            as_user=who,
        )
    signed = cli.run(
        "review", "approve", "1", "--opinion", "同意发布", *cli.reading("1", "leader"),
        as_user="leader",
    ).stdout  # fmt: skip
    assert "通知公告" in signed and "门户网站" in signed  # the posts with their accounts
    assert "计划时间" in signed

    log = cli.run("audit", "log", "--subject", "draft:1", as_user="admin").stdout
    assert "leader" in log and "终审" in log and "同意发布" in log and "版本 2" in log
    events = cli.json("audit", "log", "--subject", "draft:1", as_user="admin")
    assert {"actor", "actor_id", "action"} <= set(events[0])  # JSON keeps its identifiers


def test_a_freeze_says_which_posts_wait_before_and_after(
    team: Cli, tmp_path: Path, zh: None
) -> None:
    cli = team
    _draft(cli, tmp_path)
    cli.run("draft", "submit", "1", as_user="author")
    for who in GATES:
        cli.approve("1", who)
    (post,) = cli.json("post", "list", as_user="admin")
    tz = ZoneInfo("Asia/Shanghai")
    due = datetime.fromisoformat(post["due_at"]).astimezone(tz)
    start = (due - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    end = (due + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    window = ("--from", start, "--to", end, "--reason", "重大活动保障")

    dry = cli.run("freeze", "add", *window, "--dry-run", as_user="admin").stdout
    assert "试运行" in dry and "通知公告" in dry and str(post["id"]) in dry
    assert cli.json("freeze", "list", as_user="admin") == []  # nothing was added

    added = cli.json("freeze", "add", *window, as_user="admin")
    assert [p["id"] for p in added["held_posts"]] == [post["id"]]

    grid = cli.run("schedule", "show", "--day", due.date().isoformat(), as_user="admin").stdout
    assert "重大活动保障" in grid and "▒" in grid
    shown = json.loads(
        cli.run(
            "schedule", "show", "--day", due.date().isoformat(), "--json", as_user="admin"
        ).stdout
    )
    assert due.hour in shown["freezes"][0]["hours"]


def _cells(table: str, column: int) -> str:
    """One column of a rich table, its wrapped lines joined: what a person reads there."""
    rows = [line.split("│") for line in table.splitlines() if line.startswith("│")]
    return " ".join(row[column].strip() for row in rows if row[column].strip())


def test_errors_and_states_speak_the_chosen_language(team: Cli, tmp_path: Path) -> None:
    cli = team
    _draft(cli, tmp_path, title="通知")  # a short title: the table keeps each cell on a line
    cli.run("draft", "submit", "1", as_user="author")

    cli.lang = "zh_CN"
    refused = cli.run(
        "review", "approve", "1", "--opinion", "好", "--version", "1", "--gate", "一校",
        as_user="author", expect=1,
    )  # fmt: skip
    assert refused.stderr.strip() == "错误：一校 由 校对 角色决定；你的角色：作者"
    listed = cli.run("draft", "list", as_user="author").stdout
    assert _cells(listed, 3) == "审校中" and _cells(listed, 4) == "1/6 一校"
    wrong_gate = cli.run(
        "review", "approve", "1", "--opinion", "好", "--version", "3", "--gate", "一校",
        as_user="p1", expect=1,
    )  # fmt: skip
    assert "草稿 1 现在是第 1 版，你看的是第 3 版" in wrong_gate.stderr

    cli.lang = "en"
    refused = cli.run(
        "review", "approve", "1", "--opinion", "ok", "--version", "1", "--gate", "一校",
        as_user="author", expect=1,
    )  # fmt: skip
    assert refused.stderr.strip() == (
        "error: 1st proofread is decided by the proofreader role; your roles: author"
    )
    listed = cli.run("draft", "list", as_user="author").stdout
    assert _cells(listed, 3) == "in review" and _cells(listed, 4) == "1/6 1st proofread"

    for lang in ("zh_CN", "en"):  # --json speaks stable identifiers in every language
        cli.lang = lang
        (row,) = cli.json("draft", "list", as_user="author")
        assert row["state"] == "in_review" and row["gate"]["key"] == "proofread_1"
        failed = cli.run("draft", "show", "9", "--json", as_user="author", expect=1)
        assert json.loads(failed.stdout)["error"] == "no draft 9"


def test_targets_of_one_name_are_told_apart_by_platform(
    team: Cli, tmp_path: Path, zh: None
) -> None:
    cli = team
    ids = [
        cli.json(
            "account", "register", "--platform", platform, "--name", "古城文旅",
            "--unit", "市文化和旅游局", "--platform-id", f"gucheng-{platform}", as_user="admin",
        )["id"]
        for platform in ("douyin", "weibo")
    ]  # fmt: skip
    body = tmp_path / "body.md"
    body.write_text(BODY, "utf-8")
    made = cli.run(
        "draft", "new", "--title", "关于举办文旅消费季的通知", "--body-file", body,
        *(x for i in ids for x in ("--target", str(i))), as_user="author",
    ).stdout  # fmt: skip
    rows = [line.split("│") for line in made.splitlines() if line.count("│") == 8]
    targets = "".join(row[6].strip() for row in rows)
    assert f"古城文旅（抖音）#{ids[0]}" in targets and f"古城文旅（新浪微博）#{ids[1]}" in targets

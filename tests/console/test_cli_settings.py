"""`matrixpub settings`: organisation settings in the database, set by an admin, on
record, the environment overriding them; and a draft whose links would point the public
at this computer is refused, naming the setting to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.console.conftest import GATES, Cli
from tests.factories import jpeg


def settings(cli: Cli) -> dict[str, dict[str, str]]:
    return {row["key"]: row for row in cli.json("settings", "show", as_user="admin")}


def test_settings_are_kept_in_the_database_by_an_admin_on_record(
    team: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = team
    shown = settings(cli)
    assert set(shown) >= {"site_url", "timezone", "check_links", "notify", "manual_wait_hours"}
    assert (shown["timezone"]["value"], shown["timezone"]["source"]) == ("Asia/Shanghai", "default")
    assert shown["site_url"]["value"].startswith("file://")
    assert shown["site_url"]["env"] == "MATRIXPUB_SITE_URL"

    refused = cli.run("settings", "set", "notify", "ops@example.gov.cn", as_user="author", expect=1)
    assert "admin" in refused.stderr
    cli.run("settings", "set", "colour", "red", as_user="admin", expect=2)
    cli.run("settings", "set", "timezone", "Mars/Olympus", as_user="admin", expect=2)
    cli.run("settings", "set", "site_url", "file:///tmp/site", as_user="admin", expect=2)
    cli.run("settings", "set", "manual_wait_hours", "0", as_user="admin", expect=2)

    done = cli.json("settings", "set", "site_url", "https://wlj.example.gov.cn/", as_user="admin")
    assert (done["value"], done["source"]) == ("https://wlj.example.gov.cn", "database")
    cli.json("settings", "set", "timezone", "Europe/Berlin", as_user="admin")
    shown = settings(cli)
    assert shown["timezone"]["value"] == "Europe/Berlin"
    (event,) = [
        e for e in cli.json("audit", "log", "--subject", "setting:site_url", as_user="admin")
    ]
    assert event["action"] == "settings.set"
    assert "https://wlj.example.gov.cn/" in event["data"]

    # The stored time zone is the one people's times are read in.
    freeze = cli.json(
        "freeze", "add", "--from", "2030-01-10 09:00", "--to", "2030-01-10 18:00",
        "--reason", "重要会议", as_user="admin",
    )  # fmt: skip
    assert freeze["starts_at"] == "2030-01-10T09:00:00+01:00"  # read and shown in Berlin

    monkeypatch.setenv("MATRIXPUB_SITE_URL", "https://override.example.gov.cn")
    shown = settings(cli)
    assert (shown["site_url"]["value"], shown["site_url"]["source"]) == (
        "https://override.example.gov.cn",
        "environment",
    )
    assert shown["site_url"]["stored"] == "https://wlj.example.gov.cn/"


def test_a_link_to_this_computer_never_reaches_another_platform(team: Cli, tmp_path: Path) -> None:
    """The default site address is the local folder (file://): fine for the website's own
    pages, refused in what Weibo, WeChat or Douyin would show, naming the setting."""
    cli = team
    ids = []
    for platform, name in (("website", "通知公告"), ("weibo", "古城文旅"), ("wechat_oa", "古城"),
                           ("douyin", "古城抖音")):  # fmt: skip
        account = cli.json(
            "account", "register", "--platform", platform, "--name", name, "--unit", "市文旅局",
            "--platform-id", f"id-{platform}", "--duplicate-reason", "测试", as_user="admin",
        )  # fmt: skip
        ids += ["--target", str(account["id"])]
    body = tmp_path / "b.md"
    body.write_text("冬季文旅消费季12月15日开幕。\n", "utf-8")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1600, 1200))
    draft = cli.json(
        "draft", "new", "--title", "冬季文旅消费季开幕", "--body-file", body,
        "--summary", "冬季文旅消费季开幕", "--cover", cover, *ids, as_user="author",
    )  # fmt: skip
    returned = cli.run("draft", "submit", draft["id"], "--json", as_user="author", expect=1)
    submitted = json.loads(returned.stdout)
    assert submitted["state"] == "returned"
    problems = submitted["prepare"]["result"]["problems"]
    for channel in ("weibo", "wechat_oa", "douyin"):
        (problem,) = [p for p in problems if p.startswith(f"{channel}:")]
        assert "file://" in problem and "a file on this computer" in problem
        assert "matrixpub settings set site_url" in problem
    assert not any(p.startswith("website:") for p in problems)

    cli.json("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    again = cli.json("draft", "submit", draft["id"], as_user="author")
    assert again["state"] == "in_review", again["prepare"]["result"]["problems"]
    for who in GATES:
        cli.approve(draft["id"], who)

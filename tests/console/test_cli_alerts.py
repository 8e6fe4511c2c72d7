"""`matrixpub alerts` says what needs a person: failed and unknown posts, manual packages
waiting longer than the organisation allows, credentials about to expire, paused and
stale accounts; each alert closes when what it is about is settled."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_schedule import account, posts_of, signed
from tests.factories import jpeg


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    return path


def db_exec(cli: Cli, sql: str, *args: Any) -> None:
    """Change a row as time or a platform would have (the test does not wait a day)."""
    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.execute(sql, args)
    db.commit()
    db.close()


def alerts(cli: Cli) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for alert in cli.json("alerts", as_user="admin"):
        found.setdefault(alert["kind"], []).append(alert)
    return found


def test_alerts_cover_every_post_and_account_that_needs_a_person(
    team: Cli,
    body: Path,
    tmp_path: Path,
) -> None:
    cli = team
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1080, 1920))
    clips = account(cli, "Clips", "douyin")
    column = account(cli, "Column")
    (package,) = posts_of(cli, signed(cli, body, "--target", clips, "--cover", cover))
    (failing,) = posts_of(cli, signed(cli, body, "--target", column, title="第二份通知"))
    (lost,) = posts_of(cli, signed(cli, body, "--target", column, title="第三份通知"))
    assert cli.json("dispatch", "--once", as_user="admin")["manual"] == [package["id"]]
    db_exec(  # as a platform's final refusal and a lost answer leave them
        cli,
        "UPDATE posts SET state = CASE id WHEN ? THEN 'failed' ELSE 'unknown' END, "
        "last_error = 'refused by the platform' WHERE id IN (?, ?)",
        failing["id"],
        failing["id"],
        lost["id"],
    )
    assert set(alerts(cli)) == {"post_failed", "unknown_send"}  # the package is fresh

    # The package has waited longer than the organisation allows.
    cli.json("settings", "set", "manual_wait_hours", "12", as_user="admin")
    yesterday = (datetime.now(UTC) - timedelta(hours=13)).strftime("%Y-%m-%d %H:%M:%S")
    db_exec(cli, "UPDATE posts SET sent_at = ? WHERE id = ?", yesterday, package["id"])
    # Credentials about to expire (the Weibo token's end, recorded on the account).
    weibo = account(cli, "Wb", "weibo")
    soon = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d")
    cli.json(
        "account", "change", weibo, "--credentials-expire", soon, "--reason", "令牌30天有效",
        as_user="admin",
    )  # fmt: skip
    later = (datetime.now() + timedelta(days=60)).strftime("%Y-%m-%d")
    cli.json(
        "account", "change", column, "--credentials-expire", later, "--reason", "长期有效",
        as_user="admin",
    )  # fmt: skip
    # A paused queue, and an account that stopped updating.
    db_exec(
        cli,
        "UPDATE accounts SET paused = 1, pause_reason = '3 deliveries failed' WHERE id = ?",
        clips,
    )
    quiet = account(cli, "Quiet", "website", "--update-threshold-days", "3")
    db_exec(cli, "UPDATE accounts SET created_at = datetime('now', '-10 days') WHERE id = ?", quiet)

    found = alerts(cli)
    assert sorted(found) == [
        "credentials_expiring",
        "manual_waiting",
        "post_failed",
        "queue_paused",
        "stale_account",
        "unknown_send",
    ]
    assert [a["post_id"] for a in found["post_failed"]] == [failing["id"]]
    assert [a["post_id"] for a in found["unknown_send"]] == [lost["id"]]
    assert [a["post_id"] for a in found["manual_waiting"]] == [package["id"]]
    assert "waiting for a person for 13 hours" in found["manual_waiting"][0]["message"]
    assert [a["account_id"] for a in found["credentials_expiring"]] == [weibo]
    assert [a["account_id"] for a in found["queue_paused"]] == [clips]
    assert [a["account_id"] for a in found["stale_account"]] == [quiet]
    assert alerts(cli) == found  # asked again: nothing raised twice

    # Settled, each alert closes: a failed post cancelled (and never retried), the unknown
    # one resolved, the package confirmed.
    cli.json("post", "cancel", failing["id"], "--reason", "不再发送", as_user="author")
    cli.run("post", "retry", failing["id"], as_user="admin", expect=1)
    cli.json("post", "resolve", lost["id"], "--published", "https://x.example/1", as_user="admin")
    cli.json("post", "confirm", package["id"], "--url", "https://v.douyin.com/1", as_user="author")
    assert sorted(alerts(cli)) == ["credentials_expiring", "queue_paused", "stale_account"]


def test_a_failed_post_can_be_resolved_as_live(team: Cli, body: Path) -> None:
    cli = team
    column = account(cli, "Column")
    (post,) = posts_of(cli, signed(cli, body, "--target", column))
    db_exec(cli, "UPDATE posts SET state = 'failed' WHERE id = ?", post["id"])
    refused = cli.run("post", "resolve", post["id"], "--not-published", as_user="admin", expect=1)
    assert "post retry" in refused.stderr
    done = cli.json(
        "post", "resolve", post["id"], "--published", "https://x.example/2", as_user="admin"
    )
    assert (done["state"], done["url"]) == ("published", "https://x.example/2")
    assert "post_failed" not in alerts(cli)


def test_the_alerts_table_names_each_account_beside_its_number(team: Cli, body: Path) -> None:
    cli = team
    column = account(cli, "市图书馆通知", "website", "--update-threshold-days", "3")
    db_exec(
        cli, "UPDATE accounts SET created_at = datetime('now', '-10 days') WHERE id = ?", column
    )
    (stale,) = alerts(cli)["stale_account"]
    assert stale["account_id"] == column and stale["account"] == "市图书馆通知"
    shown = cli.run("alerts", as_user="admin").stdout
    cells = [line.split("│")[4].strip() for line in shown.splitlines() if line.count("│") == 7]
    assert f"市图书馆通知 (#{column})" in " ".join(filter(None, cells))

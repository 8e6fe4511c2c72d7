"""Scheduling through the CLI: windows, quotas, freezes and releases, embargo and
expiry, matrix reposts, and the rules re-checked right before each send."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.console.conftest import GATES, Cli

TZ = ZoneInfo("Asia/Shanghai")


def local(dt: datetime) -> str:
    return dt.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    return path


def account(cli: Cli, name: str, platform: str = "website", *extra: str) -> int:
    return cli.json(
        "account",
        "register",
        "--platform",
        platform,
        "--name",
        name,
        "--unit",
        f"{name}单位",
        "--platform-id",
        name.lower(),
        *extra,
        as_user="admin",
    )["id"]


def signed(cli: Cli, body: Path, *args: Any, title: str = "关于举办文旅活动的通知") -> str:
    draft = cli.json("draft", "new", "--title", title, "--body-file", body, *args, as_user="author")
    cli.json("draft", "submit", draft["id"], as_user="author")
    for who in GATES:
        last = cli.approve(draft["id"], who)
    assert last["state"] == "approved"
    return str(draft["id"])


def posts_of(cli: Cli, draft: str) -> list[dict[str, Any]]:
    return cli.json("post", "list", "--draft", draft, as_user="author")


def test_windows_and_embargo_decide_the_due_time(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Notices")
    now = datetime.now(TZ)
    opens = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    closes = opens + timedelta(hours=1)
    cli.json(
        "account",
        "policy",
        col,
        "--windows",
        f"{opens:%H:%M}-{closes:%H:%M}",
        "--spacing",
        "30m",
        as_user="admin",
    )
    first = signed(cli, body, "--target", col)
    (post,) = posts_of(cli, first)
    assert parse(post["due_at"]) == opens  # the next opening of the window
    second = signed(cli, body, "--target", col, title="第二则通知")
    (post2,) = posts_of(cli, second)
    assert parse(post2["due_at"]) == opens + timedelta(minutes=30)  # spacing
    embargo = now + timedelta(days=2)
    third = signed(cli, body, "--target", col, "--not-before", local(embargo), title="第三则通知")
    (post3,) = posts_of(cli, third)
    assert parse(post3["due_at"]) >= embargo.replace(second=0, microsecond=0)
    assert cli.json("dispatch", "--once", as_user="admin")["published"] == []
    grid = cli.json("schedule", "show", "--day", f"{opens:%Y-%m-%d}", as_user="author")
    (row,) = grid["accounts"]
    assert row["hours"][opens.hour] == 2 and sum(row["hours"]) == 2


def test_schedule_show_fits_the_terminal(
    team: Cli, body: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console import output

    cli = team
    col = account(cli, "Notices")
    (first,) = posts_of(cli, signed(cli, body, "--target", col))
    (post,) = posts_of(cli, signed(cli, body, "--target", col, title="第二则通知"))
    due = parse(post["due_at"]).astimezone(TZ)
    day = f"{due:%Y-%m-%d}"
    # Each post is due when it is approved: the two share an hour unless one came at
    # HH:59 and the other after the hour struck.
    busy = sorted(
        {when.hour for when in (parse(p["due_at"]).astimezone(TZ) for p in (first, post))
         if when.date() == due.date()}
    )  # fmt: skip
    shown = [f"{h:02d}" for h in range(busy[0], busy[-1] + 1)]
    monkeypatch.setattr(output.out, "width", 160)
    wide = cli.run("schedule", "show", "--day", day, as_user="author").stdout
    header = next(line for line in wide.splitlines() if "account" in line)
    assert header.split() == ["account", *(f"{h:02d}" for h in range(24))]
    assert max(len(line) for line in wide.splitlines()) <= 160
    monkeypatch.setattr(output.out, "width", 60)  # too narrow for 24 columns: busy hours only
    narrow = cli.run("schedule", "show", "--day", day, as_user="author").stdout
    if len(shown) == 1:
        assert f"hour {shown[0]} only" in narrow
    else:
        assert f"hours {shown[0]}–{shown[-1]}" in narrow
    header = next(line for line in narrow.splitlines() if "account" in line)
    assert header.split() == ["account", *shown]
    assert "1 Notices" in narrow and max(len(line) for line in narrow.splitlines()[1:]) <= 60
    empty = cli.run("schedule", "show", "--day", "2020-01-01", as_user="author").stdout
    assert empty.strip() == "2020-01-01, Beijing time (Asia/Shanghai): nothing is due that day."


def test_quota_moves_the_second_post_to_the_next_day(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Daily")
    cli.json("account", "policy", col, "--quota", "1/day", as_user="admin")
    first = signed(cli, body, "--target", col)
    second = signed(cli, body, "--target", col, title="第二则通知")
    due1 = parse(posts_of(cli, first)[0]["due_at"]).astimezone(TZ)
    due2 = parse(posts_of(cli, second)[0]["due_at"]).astimezone(TZ)
    assert due2.date() == due1.date() + timedelta(days=1) and due2.hour == 0
    report = cli.json("dispatch", "--once", as_user="admin")
    assert len(report["published"]) == 1


def test_freeze_holds_posts_unless_a_leader_releases_one(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Frozen")
    now = datetime.now(TZ)
    freeze = cli.json(
        "freeze",
        "add",
        "--from",
        local(now - timedelta(hours=1)),
        "--to",
        local(now + timedelta(hours=3)),
        "--reason",
        "重要会议期间",
        as_user="admin",
    )
    assert [f["id"] for f in cli.json("freeze", "list", as_user="author")] == [freeze["id"]]
    one = signed(cli, body, "--target", col)
    two = signed(cli, body, "--target", col, title="第二则通知")
    for draft in (one, two):
        (post,) = posts_of(cli, draft)
        assert parse(post["due_at"]) >= parse(freeze["ends_at"])
    (urgent,) = posts_of(cli, two)
    cli.run(
        "post", "release", urgent["id"], "--reason", "紧急通知", as_user="admin", expect=1
    )  # leaders only
    cli.json("post", "release", urgent["id"], "--reason", "紧急通知", as_user="leader")
    # Bring both posts forward to now: the dispatcher re-checks the rules at send time.
    _due_now(cli, [urgent["id"], posts_of(cli, one)[0]["id"]])
    report = cli.json("dispatch", "--once", as_user="admin")
    assert report["published"] == [urgent["id"]]
    assert len(report["rescheduled"]) == 1
    (held,) = posts_of(cli, one)
    assert held["state"] == "queued" and "frozen" in held["last_error"]
    cli.json("freeze", "lift", freeze["id"], "--reason", "会议结束", as_user="admin")
    assert cli.json("freeze", "list", as_user="author") == []


def _due_now(cli: Cli, post_ids: list[int]) -> None:
    import sqlite3

    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.executemany(
        "UPDATE posts SET due_at = datetime('now', '-1 minute') WHERE id = ?",
        [(i,) for i in post_ids],
    )
    db.commit()
    db.close()


def test_rules_are_rechecked_at_send_time(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Recheck")
    draft = signed(cli, body, "--target", col)
    (post,) = posts_of(cli, draft)
    assert post["state"] == "queued"
    now = datetime.now(TZ)
    later = now + timedelta(hours=3)
    cli.json(
        "account",
        "policy",
        col,
        "--windows",
        f"{later:%H}:00-{(later + timedelta(hours=1)):%H}:00",
        as_user="admin",
    )
    report = cli.json("dispatch", "--once", as_user="admin")
    assert report["published"] == [] and report["rescheduled"] == [post["id"]]
    (post,) = posts_of(cli, draft)
    assert "outside the posting windows" in post["last_error"]
    assert parse(post["due_at"]).astimezone(TZ).hour == later.hour


def test_expired_items_are_cancelled_or_withdrawn(team: Cli, body: Path, tmp_path: Path) -> None:
    cli = team
    col = account(cli, "Expiring")
    soon = datetime.now(TZ) + timedelta(minutes=30)
    draft = signed(cli, body, "--target", col, "--expires", local(soon))
    (post,) = posts_of(cli, draft)
    assert cli.json("dispatch", "--once", as_user="admin")["published"] == [post["id"]]
    page = cli.home / "site" / "expiring" / draft / "index.html"
    assert "关于举办文旅活动的通知" in page.read_text("utf-8")
    queued = signed(cli, body, "--target", col, "--expires", local(soon), title="第二则通知")
    _past_expiry(cli)
    report = cli.json("dispatch", "--once", as_user="admin")
    assert report["withdrawn"] == [post["id"]]
    assert report["expired"] == [posts_of(cli, queued)[0]["id"]]
    assert "已撤回" in page.read_text("utf-8")
    index = (cli.home / "site" / "expiring" / "index.html").read_text("utf-8")
    assert "关于举办文旅活动的通知" not in index
    assert posts_of(cli, draft)[0]["state"] == "withdrawn"


def _past_expiry(cli: Cli) -> None:
    import sqlite3

    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.execute("UPDATE posts SET expires_at = datetime('now', '-1 minute')")
    db.execute("UPDATE drafts SET expires_at = datetime('now', '-1 minute')")
    db.commit()
    db.close()


def test_matrix_repost_main_account_first_then_staggered(team: Cli, body: Path) -> None:
    cli = team
    main = account(cli, "Main", "website", "--main", "--group", "culture")
    others = [
        account(
            cli, f"County{i}", "website", "--group", "culture", "--duplicate-reason", "区县栏目"
        )
        for i in range(3)
    ]
    weibo = account(cli, "Weibo", "weibo", "--group", "culture")
    draft = signed(cli, body, "--target", main)
    cli.run("draft", "fanout", draft, "--group", "culture", as_user="p1", expect=1)
    fanned = cli.json("draft", "fanout", draft, "--group", "culture", as_user="author")
    result = fanned["plan"]["result"]["drafts"][0]
    assert any(f"account {weibo}" in s for s in result["skipped"])  # no signed weibo variant
    posts = {p["account_id"]: parse(p["due_at"]) for p in posts_of(cli, draft)}
    assert set(posts) == {main, *others}
    order = sorted(posts, key=lambda a: posts[a])
    assert order[0] == main
    gaps = [posts[b] - posts[a] for a, b in itertools.pairwise(order)]
    assert len(gaps) == 3 and all(g >= timedelta(minutes=2) for g in gaps)


def test_fanout_at_creation_targets_the_group(team: Cli, body: Path) -> None:
    cli = team
    main = account(cli, "MainB", "website", "--main", "--group", "tour")
    other = account(cli, "OtherB", "website", "--group", "tour", "--duplicate-reason", "栏目")
    draft = signed(cli, body, "--fanout", "tour")
    posts = sorted(posts_of(cli, draft), key=lambda p: p["due_at"])
    assert [p["account_id"] for p in posts] == [main, other]
    assert parse(posts[1]["due_at"]) - parse(posts[0]["due_at"]) >= timedelta(minutes=2)


def test_post_commands(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Ops")
    draft = signed(cli, body, "--target", col)
    (post,) = posts_of(cli, draft)
    cli.run("post", "cancel", post["id"], "--reason", "x", as_user="p1", expect=1)
    cancelled = cli.json("post", "cancel", post["id"], "--reason", "活动取消", as_user="author")
    assert cancelled["state"] == "cancelled"
    cli.run("post", "retry", post["id"], as_user="author", expect=1)  # admins only
    refused = cli.run("post", "retry", post["id"], as_user="admin", expect=1)
    assert "post 1 is cancelled; only a failed post is retried" in refused.stderr
    cli.run("post", "resolve", post["id"], "--not-published", as_user="admin", expect=1)
    assert cli.json("dispatch", "--once", as_user="admin")["published"] == []  # never sent
    scheduled = cli.json("draft", "schedule", draft, "--priority", "5", as_user="author")
    assert scheduled["moved_posts"] == []


def test_a_retried_post_handed_to_a_person_carries_no_stale_note(
    team: Cli, body: Path, tmp_path: Path
) -> None:
    import sqlite3

    from tests.factories import jpeg

    cli = team
    col = account(cli, "Clips", "douyin")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1080, 1920))
    (post,) = posts_of(cli, signed(cli, body, "--target", col, "--cover", cover))
    db = sqlite3.connect(cli.home / "matrixpub.db")  # as a failed delivery leaves it
    db.execute(
        "UPDATE posts SET state = 'failed', last_error = 'gave up after 5 attempts' WHERE id = ?",
        (post["id"],),
    )
    db.commit()
    db.close()
    retried = cli.json("post", "retry", post["id"], as_user="admin")
    assert retried["last_error"] == "retried by admin"
    assert cli.json("dispatch", "--once", as_user="admin")["manual"] == [post["id"]]
    (manual,) = posts_of(cli, str(post["draft_id"]))
    assert manual["state"] == "manual" and manual["last_error"] is None


def test_alerts_and_stale_accounts(team: Cli, body: Path) -> None:
    import os
    import sqlite3

    from domain.settings import load
    from flows.trigger import run_flow

    cli = team
    quiet = account(cli, "Quiet", "website", "--update-threshold-days", "3")
    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.execute(
        "UPDATE accounts SET created_at = datetime('now', '-10 days') WHERE id = ?", (quiet,)
    )
    db.commit()
    db.close()
    result = run_flow("housekeeping", {}, settings=load(os.environ), wait=True).result
    assert result["stale_accounts"] == [quiet]
    alerts = cli.json("alerts", as_user="admin")
    assert [a["kind"] for a in alerts] == ["stale_account"]
    assert "published nothing for 10 days" in alerts[0]["message"]
    again = run_flow("housekeeping", {}, settings=load(os.environ), wait=True).result
    assert again["stale_accounts"] == []  # one open alert per account
    assert json.loads(cli.run("alerts", "--json", as_user="admin").stdout)

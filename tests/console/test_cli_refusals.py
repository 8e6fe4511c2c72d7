"""Refused actions exit 1 with one clear line on stderr and change nothing; bad input is
refused with a clear error and nothing stored half-way."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import GATES, Cli
from tests.factories import jpeg

TABLES = [
    "users",
    "accounts",
    "account_events",
    "blobs",
    "drafts",
    "draft_versions",
    "variants",
    "decisions",
    "posts",
    "delivery_attempts",
    "audit_events",
]


def snapshot(cli: Cli) -> dict[str, Any]:
    db = sqlite3.connect(cli.home / "matrixpub.db")
    try:
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        drafts = db.execute("SELECT id, state, gate_index, version_number FROM drafts").fetchall()
        accounts = db.execute("SELECT id, state FROM accounts").fetchall()
        posts = db.execute("SELECT id, state FROM posts").fetchall()
    finally:
        db.close()
    return {"counts": counts, "drafts": drafts, "accounts": accounts, "posts": posts}


def refused(cli: Cli, *args: Any, as_user: str, match: str, code: int = 1) -> str:
    before = snapshot(cli)
    result = cli.run(*args, as_user=as_user, expect=code)
    assert snapshot(cli) == before, "a refused action changed the database"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and match in lines[0], lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


def approve(cli: Cli, draft: str, *people: str) -> None:
    for who in people:
        cli.approve(draft, who)


def test_author_approving_own_draft(team: Cli, site: dict[str, Any]) -> None:
    team.add_user("writer", "author", "proofreader")
    draft = team.json(
        "draft",
        "new",
        "--title",
        "自己的稿件",
        "--body-file",
        site["body"],
        "--target",
        site["account"],
        as_user="writer",
    )
    team.json("draft", "submit", draft["id"], as_user="writer")
    refused(
        team,
        "review",
        "approve",
        draft["id"],
        "--opinion",
        "ok",
        *team.reading(draft["id"], "writer"),
        as_user="writer",
        match="author passes no gate",
    )


def test_one_person_two_review_gates(team: Cli, site: dict[str, Any]) -> None:
    team.add_user("boss", "editor", "chief")
    approve(team, site["draft"], "p1", "boss", "p2")
    refused(
        team,
        "review",
        "approve",
        site["draft"],
        "--opinion",
        "ok",
        *team.reading(site["draft"], "boss"),
        as_user="boss",
        match="three different people",
    )


def test_proofreader_approving_a_review_gate(team: Cli, site: dict[str, Any]) -> None:
    approve(team, site["draft"], "p1")
    refused(
        team,
        "review",
        "approve",
        site["draft"],
        "--opinion",
        "ok",
        *team.reading(site["draft"], "p2"),
        as_user="p2",
        match="1st-review editor role",
    )


def test_approving_the_old_version_after_an_edit(team: Cli, site: dict[str, Any]) -> None:
    approve(team, site["draft"], "p1", "editor")
    team.json("draft", "edit", site["draft"], "--summary", "补充摘要", as_user="author")
    refused(
        team,
        "review",
        "approve",
        site["draft"],
        "--opinion",
        "ok",
        "--version",
        "1",
        "--gate",
        "一校",
        as_user="p1",
        match="now at version 2",
    )


def test_posting_to_a_closed_account(team: Cli, site: dict[str, Any]) -> None:
    # An account asked for and refused is closed without ever having been open.
    asked = team.json(
        "account", "request", "open", "--platform", "website", "--name", "旧栏目",
        "--unit", "市文化和旅游局", "--platform-id", "old", "--duplicate-reason", "旧栏目",
        "--reason", "新增栏目", as_user="admin",
    )  # fmt: skip
    team.json("account", "reject", asked["id"], "--opinion", "不同意", as_user="leader")
    closed = {"id": asked["account_id"]}
    refused(
        team,
        "draft",
        "new",
        "--title",
        "t",
        "--body-file",
        site["body"],
        "--target",
        closed["id"],
        as_user="author",
        match="closed",
    )
    refused(
        team,
        "draft",
        "edit",
        site["draft"],
        "--target",
        closed["id"],
        as_user="author",
        match="closed",
    )


def test_suspending_an_account_cancels_its_queued_post(team: Cli, site: dict[str, Any]) -> None:
    approve(team, site["draft"], *GATES)
    posts = team.json("post", "list", as_user="author")
    assert [p["state"] for p in posts] == ["queued"]
    held = team.json("account", "suspend", site["account"], "--reason", "网站改版", as_user="admin")
    assert held["cancelled_posts"] == [posts[0]["id"]]
    report = team.json("dispatch", "--once", as_user="admin")
    assert report["published"] == []
    assert not (team.home / "site" / "notices").exists()


def test_wrong_state_and_roles(team: Cli, site: dict[str, Any]) -> None:
    refused(team, "draft", "submit", site["draft"], as_user="author", match="in review")
    refused(
        team,
        "account",
        "register",
        "--platform",
        "weibo",
        "--name",
        "x",
        "--unit",
        "y",
        as_user="author",
        match="admin role",
    )
    refused(
        team, "user", "add", "someone", "--role", "author", as_user="editor", match="admin role"
    )
    refused(
        team, "review", "approve", site["draft"], "--opinion", "ok", as_user=None, match="no token"
    )
    team.tokens["nobody"] = "mpt_not-a-real-token"
    refused(team, "draft", "list", as_user="nobody", match="token is not valid")


def test_init_twice_is_refused(team: Cli) -> None:
    refused(team, "init", "--admin", "another", as_user=None, match="already initialised")


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda d: d / "missing.md", "does not exist"),
        (lambda d: _file(d / "big.md", "长" * 1_700_000), "at most 1,000,000 bytes"),
        (lambda d: _file(d / "empty.md", "  \n\n"), "is empty"),
        (lambda d: _bytes(d / "bin.md", b"\x89PNG\x00\x01"), "not UTF-8"),
    ],
)
def test_bad_body(team: Cli, site: dict[str, Any], tmp_path: Path, make: Any, match: str) -> None:
    refused(
        team,
        "draft",
        "new",
        "--title",
        "t",
        "--body-file",
        make(tmp_path),
        "--target",
        site["account"],
        as_user="author",
        match=match,
        code=2,
    )


def test_empty_title(team: Cli, site: dict[str, Any]) -> None:
    refused(
        team,
        "draft",
        "new",
        "--title",
        "   ",
        "--body-file",
        site["body"],
        "--target",
        site["account"],
        as_user="author",
        match="title is empty",
        code=2,
    )


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"this is a text file pretending to be a picture", "not a JPEG, PNG, GIF or WebP"),
        (jpeg()[:2000], "truncated JPEG"),
        (b"", "is empty"),
    ],
)
def test_bad_cover(
    team: Cli, site: dict[str, Any], tmp_path: Path, content: bytes, match: str
) -> None:
    cover = _bytes(tmp_path / "cover.jpg", content)
    refused(
        team,
        "draft",
        "new",
        "--title",
        "t",
        "--body-file",
        site["body"],
        "--cover",
        cover,
        "--target",
        site["account"],
        as_user="author",
        match=match,
        code=2,
    )


def test_unknown_ids(team: Cli, site: dict[str, Any]) -> None:
    refused(
        team,
        "draft",
        "new",
        "--title",
        "t",
        "--body-file",
        site["body"],
        "--target",
        "999",
        as_user="author",
        match="no account 999",
    )
    refused(team, "draft", "show", "999", as_user="author", match="no draft 999")
    refused(
        team, "account", "suspend", "999", "--reason", "x", as_user="admin", match="no account 999"
    )
    refused(
        team, "review", "approve", "999", "--opinion", "x", "--version", "1", "--gate", "一校",
        as_user="p1", match="no draft 999",
    )  # fmt: skip


def test_bad_usage_exits_2(team: Cli) -> None:
    result = team.run("draft", "new", as_user="author", expect=2)
    assert "Missing option" in result.stderr
    assert team.run("review", "approve", "abc", "--opinion", "x", as_user="p1", expect=2)
    assert team.run("user", "add", "x", "--role", "king", as_user="admin", expect=2)


def test_json_errors_are_one_document(team: Cli) -> None:
    result = team.run("draft", "show", "999", "--json", as_user="author", expect=1)
    import json

    assert json.loads(result.stdout) == {"error": "no draft 999", "exit_code": 1}


def _file(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path

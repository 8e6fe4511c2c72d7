"""End to end through the CLI: six reviewers, one draft, a rejection and a new version,
all six gates, dispatch, the article on the site, and an audit chain that verifies until
someone alters a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.console.conftest import GATES, Cli
from tests.factories import jpeg


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_draft_through_every_gate_to_the_site(team: Cli, tmp_path: Path) -> None:
    cli = team
    column = cli.json(
        "account",
        "register",
        "--platform",
        "website",
        "--name",
        "通知公告",
        "--unit",
        "市文化和旅游局",
        "--platform-id",
        "notices",
        "--main",
        "--record-no",
        "备案-001",
        as_user="admin",
    )
    body = write(
        tmp_path / "body.md",
        "各区县文化和旅游局：\n\n现将有关事项通知如下。<script>alert(1)</script>\n\n{{ 7*7 }}\n",
    )
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1600, 900))
    draft = cli.json(
        "draft",
        "new",
        "--title",
        "关于举办文旅消费季的通知",
        "--body-file",
        body,
        "--cover",
        cover,
        "--target",
        column["id"],
        as_user="author",
    )
    assert draft["state"] == "draft" and draft["version"] == 1
    draft_id = str(draft["id"])

    submitted = cli.json("draft", "submit", draft_id, as_user="author")
    assert submitted["state"] == "in_review" and submitted["gate"]["key"] == "proofread_1"
    assert [d["id"] for d in cli.json("review", "queue", as_user="p1")] == [draft["id"]]
    assert cli.json("review", "queue", as_user="editor") == []

    rejected = cli.json(
        "review", "reject", draft_id, "--opinion", "标题缺少年份", "--gate", "一校", as_user="p1"
    )
    assert rejected["state"] == "returned"
    edited = cli.json(
        "draft", "edit", draft_id, "--title", "关于举办2026年文旅消费季的通知", as_user="author"
    )
    assert edited["version"] == 2 and edited["state"] == "returned"
    assert cli.json("draft", "submit", draft_id, as_user="author")["state"] == "in_review"

    for who in GATES:
        decided = cli.approve(draft_id, who)
        assert decided["decision"]["version"] == 2
    assert decided["state"] == "approved"
    assert decided["plan"]["mode"] == "in-process"
    (post_id,) = decided["plan"]["result"]["posts"]

    queued = cli.json("post", "list", "--draft", draft_id, as_user="author")
    assert [(p["id"], p["state"]) for p in queued] == [(post_id, "queued")]
    report = cli.json("dispatch", "--once", as_user="admin")
    assert report["published"] == [post_id]

    page = cli.home / "site" / "notices" / draft_id / "index.html"
    html = page.read_text("utf-8")
    assert "关于举办2026年文旅消费季的通知" in html
    assert "<script>" not in html and "{{ 7*7 }}" in html
    assert (cli.home / "site" / "notices" / "feed.xml").exists()
    assert "关于举办2026年文旅消费季的通知" in (cli.home / "site" / "index.html").read_text()

    shown = cli.json("draft", "show", draft_id, as_user="leader")
    assert [d["gate"] for d in shown["decisions"]] == [
        "proofread_1",
        "proofread_1",
        "review_1",
        "proofread_2",
        "review_2",
        "proofread_3",
        "review_3",
    ]
    assert shown["posts"][0]["state"] == "published"

    verified = cli.json("audit", "verify", as_user="admin")
    assert verified["ok"] and verified["events"] > 20
    human = cli.run("audit", "verify", as_user="admin")
    assert "intact" in human.stdout

    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.execute(
        "UPDATE audit_events SET data = replace(data, '同意', '不同意') "
        "WHERE action = 'gate.approve'"
    )
    db.commit()
    db.close()
    broken = cli.run("audit", "verify", as_user="admin", expect=1)
    assert "broken" in broken.stderr and "changed" in broken.stderr


def test_human_output_is_tables_and_lines(team: Cli) -> None:
    cli = team
    listed = cli.run("account", "list", as_user="admin")
    assert listed.stdout == "No accounts.\n"  # an empty list is said in words
    users = cli.run("user", "list", as_user="admin")
    assert "leader" in users.stdout and "proofreader" in users.stdout
    gates = cli.run("review", "gates")
    for label in ("一校", "初审", "二校", "复审", "三校", "终审"):
        assert label in gates.stdout


def test_reviewers_see_what_changed_since_they_decided(team: Cli, tmp_path: Path) -> None:
    cli = team
    column, other = (
        cli.json(
            "account", "register", "--platform", "website", "--name", name, "--unit",
            "市文化和旅游局", "--platform-id", slug, "--duplicate-reason", "第二个栏目",
            as_user="admin",
        )
        for name, slug in (("栏目", "news"), ("通知", "notices"))
    )  # fmt: skip
    body = write(tmp_path / "b.md", "第一段。\n\n第二段写得很长，提到了活动时间和地点。\n")
    draft = cli.json(
        "draft", "new", "--title", "原标题", "--body-file", body, "--target", column["id"],
        as_user="author",
    )  # fmt: skip
    draft_id = str(draft["id"])
    cli.json("draft", "submit", draft_id, as_user="author")
    cli.json(
        "review", "reject", draft_id, "--opinion", "第二段需修改", "--gate", "一校", as_user="p1"
    )
    fixed = write(
        tmp_path / "b2.md", "第一段。\n\n第二段写得很长，提到了活动时间（已修改）和地点。\n"
    )
    # Back with its author, edits change one working copy: no pile of versions.
    first = cli.json("draft", "edit", draft_id, "--body-file", fixed, as_user="author")
    second = cli.json("draft", "edit", draft_id, "--title", "新标题", as_user="author")
    third = cli.json(
        "draft", "edit", draft_id, "--target", column["id"], "--target", other["id"],
        as_user="author",
    )  # fmt: skip
    assert first["version"] == second["version"] == third["version"] == 2
    cli.json("draft", "submit", draft_id, as_user="author")

    diff = cli.json("draft", "diff", draft_id, as_user="p1")  # since p1's decision on v1
    assert (diff["from"], diff["to"]) == (1, 2) and diff["changed"]
    texts = {t["field"]: t["spans"] for t in diff["texts"]}
    assert [s for s in texts["title"] if s["op"] != "equal"] == [
        {"op": "delete", "text": "原"},
        {"op": "insert", "text": "新"},
    ]
    body_changes = [s for s in texts["body"] if s["op"] != "equal"]
    assert body_changes == [{"op": "insert", "text": "（已修改）"}]  # not the whole paragraph
    # --json names an account by its id, name and platform key; people read it in words.
    added = {"id": other["id"], "name": "通知", "platform": "website"}
    assert diff["targets"] == {"added": [added], "removed": []}
    (website,) = [v for v in diff["variants"] if v["channel"] == "website"]
    assert website["changed"] and website["old_hash"] != website["new_hash"]

    body_shown = cli.run("draft", "show", draft_id, as_user="p1").stdout
    assert "Body of version 2:" in body_shown and "活动时间（已修改）和地点" in body_shown
    shown = cli.run("draft", "diff", draft_id, as_user="p1").stdout
    assert "{+（已修改）+}" in shown and "[-原-]{+新+}" in shown
    assert "accounts added: 通知 (Portal website)" in shown and "门户网站" not in shown
    cli.lang = "zh_CN"
    assert "新增账号：通知（门户网站）" in cli.run("draft", "diff", draft_id, as_user="p1").stdout
    cli.lang = "en"

    cli.json(
        "review", "approve", draft_id, "--opinion", "同意", "--version", "2", "--gate", "一校",
        as_user="p1",
    )  # fmt: skip
    cli.json("draft", "edit", draft_id, "--summary", "新增摘要", as_user="author")  # in review
    newest = cli.json("draft", "diff", draft_id, as_user="editor")  # never decided: 2 → 3
    assert (newest["from"], newest["to"]) == (2, 3)
    assert [t["field"] for t in newest["texts"]] == ["summary"]
    cli.run("draft", "diff", draft_id, "--from", "9", as_user="p1", expect=1)

"""The audit log reads as people speak: each action in words, each subject by its name or
title beside its number, and the gate, version and opinion of a decision — on the admin
page and in `matrixpub audit log` alike, in either language."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from typer.testing import CliRunner

from console.cli import app
from tests.console.web.conftest import Console

TITLE = "关于举办冬季文旅消费季活动的通知"


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]
    return [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells if row]


def test_the_admin_page_names_actions_subjects_and_decisions(console: Console) -> None:
    draft = console.draft()
    console.pass_gates(draft, 1)
    admin = console.person("admin")

    rows = _cells(admin.client.get("/admin/audit", params={"draft": str(draft)}).text)
    by_action = {row[3]: row for row in rows}
    assert by_action["创建草稿"][4] == f"稿件 {draft}「{TITLE}」"
    approved = by_action["通过"]
    assert approved[2] == "p1" and approved[5].startswith("一校 · 版本 1 · “p1 同意”")
    assert not any(re.fullmatch(r"[a-z_]+\.[a-z_]+", row[3]) for row in rows), rows

    page = admin.client.get("/admin/audit", params={"action": "user."}).text
    assert '<option value="user." selected>用户</option>' in page  # chosen by what it is about
    assert '<option value="gate.">审校决定</option>' in page
    users = _cells(page)
    assert ["添加用户", "用户 2「author」"] in [row[3:5] for row in users]

    english = console.person("admin")
    english.post("/me/language", {"language": "en"})
    rows = _cells(english.client.get("/admin/audit", params={"draft": str(draft)}).text)
    assert f"draft {draft} “{TITLE}”" in [row[4] for row in rows]
    assert any(row[5].startswith("1st proofread · version 1 · “p1 同意”") for row in rows), rows


def test_the_cli_audit_log_says_the_same(console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)  # no cell folded in two
    draft = console.draft()
    console.pass_gates(draft, 1)
    runner = CliRunner()
    env = {"MATRIXPUB_TOKEN": console.tokens["admin"], "MATRIXPUB_LANG": None, "COLUMNS": "300"}
    shown = runner.invoke(app, ["audit", "log", "--draft", str(draft)], env=env)
    assert shown.exit_code == 0, shown.stderr
    assert f"稿件 {draft}「{TITLE}」" in shown.stdout
    assert "一校 · 版本 1 · “p1 同意”" in shown.stdout
    assert "draft.created" not in shown.stdout and "gate.approve" not in shown.stdout

    listed = runner.invoke(app, ["audit", "log", "--json", "--limit", "5"], env=env)
    rows = json.loads(listed.stdout)
    assert {"action", "subject", "subject_name", "actor"} <= set(rows[0])
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", r["action"]) for r in rows)


def test_a_post_is_named_by_the_account_it_goes_to(console: Console) -> None:
    draft = console.draft()
    console.pass_gates(draft, 6)  # signed: the posts are planned, on record
    admin = console.person("admin")
    rows = _cells(admin.client.get("/admin/audit", params={"action": "post."}).text)
    subjects = {row[4] for row in rows}
    assert any(re.fullmatch(r"发布任务 \d+（发往「.+」）", s) for s in subjects), subjects

    english = console.person("admin")
    english.post("/me/language", {"language": "en"})
    rows = _cells(english.client.get("/admin/audit", params={"action": "post."}).text)
    assert any(re.fullmatch(r"post \d+ to “.+”", row[4]) for row in rows), rows

"""错敏 checks through the CLI: findings on every version, a blocking finding stops the
gate until fixed or overridden on record, word lists as versioned data, links fetched."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.console.conftest import GATES, Cli

BAD = "各区县：\n\n国家旅游局近日发布通知，请于2024年6月31日前报送。\n\n联系电话13812345678。\n"
GOOD = (
    "各区县：\n\n文化和旅游部近日发布通知，请于2024年6月30日前报送。\n\n联系电话0000-12345678。\n"
)


@pytest.fixture
def site(team: Cli) -> int:
    return team.json(
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
        as_user="admin",
    )["id"]


def new_draft(cli: Cli, tmp_path: Path, account: int, body: str) -> str:
    path = tmp_path / "body.md"
    path.write_text(body, "utf-8")
    draft = cli.json(
        "draft",
        "new",
        "--title",
        "关于报送材料的通知",
        "--body-file",
        path,
        "--target",
        account,
        as_user="author",
    )
    return str(draft["id"])


def test_blocking_finding_stops_the_gate_until_overridden(
    team: Cli, site: int, tmp_path: Path
) -> None:
    cli = team
    draft = new_draft(cli, tmp_path, site, BAD)
    submitted = cli.json("draft", "submit", draft, as_user="author")
    assert submitted["state"] == "in_review"
    assert submitted["prepare"]["result"]["blocking"] == 3

    shown = cli.json("draft", "show", draft, as_user="p1")
    check = shown["check"]
    assert check["lexicon_versions"]["outdated_name"]
    by_category = {f["category"]: f for f in check["findings"]}
    outdated = by_category["outdated_name"]
    body = shown["body"]
    assert body[outdated["start"] : outdated["end"]] == outdated["text"] == "国家旅游局"
    assert (outdated["field"], outdated["line"], outdated["suggestion"]) == (
        "body",
        3,
        "文化和旅游部",
    )
    assert by_category["date"]["text"] == "2024年6月31日"
    assert by_category["personal_data"]["suggestion"] == "138****5678"

    refused = cli.run(
        "review", "approve", draft, "--opinion", "同意", *cli.reading(draft, "p1"), as_user="p1",
        expect=1,
    )  # fmt: skip
    assert "3 blocking finding(s)" in refused.stderr and "review override" in refused.stderr

    cli.run(
        "review", "override", draft, outdated["id"], "--reason", "x", as_user="author", expect=1
    )  # the author cannot wave findings through
    for finding in check["findings"]:
        if finding["severity"] == "block":
            done = cli.json(
                "review",
                "override",
                draft,
                finding["id"],
                "--reason",
                "引用的是2017年旧文件原文",
                as_user="p1",
            )
            assert done["by"] == "p1"
    cli.approve(draft, "p1")
    log = cli.json("audit", "log", "--subject", f"draft:{draft}", as_user="admin")
    assert sum(1 for e in log if e["action"] == "finding.overridden") == 3


def test_a_fixed_version_is_checked_again(team: Cli, site: int, tmp_path: Path) -> None:
    cli = team
    draft = new_draft(cli, tmp_path, site, BAD)
    cli.json("draft", "submit", draft, as_user="author")
    fixed = tmp_path / "fixed.md"
    fixed.write_text(GOOD, "utf-8")
    edited = cli.json("draft", "edit", draft, "--body-file", fixed, as_user="author")
    assert edited["state"] == "in_review" and edited["version"] == 2
    assert edited["prepare"]["result"]["blocking"] == 0
    for who in GATES:
        cli.approve(draft, who)


def test_word_lists_are_versioned_data(team: Cli, site: int, tmp_path: Path) -> None:
    cli = team
    before = {r["category"]: r["version"] for r in cli.json("lexicon", "list", as_user="p1")}
    draft = new_draft(cli, tmp_path, site, GOOD)
    cli.json("draft", "submit", draft, as_user="author")
    assert cli.json("draft", "check", draft, as_user="p1")["blocking_open"] == 0

    cli.run(
        "lexicon",
        "add",
        "outdated_name",
        "产业发展科",
        "--suggest",
        "产业发展处",
        as_user="author",
        expect=1,
    )  # admins only
    added = cli.json(
        "lexicon",
        "add",
        "outdated_name",
        "近日发布",
        "--suggest",
        "日前印发",
        "--severity",
        "block",
        as_user="admin",
    )
    assert added["version"] != before["outdated_name"]
    rechecked = cli.json("draft", "check", draft, as_user="p1")
    assert rechecked["blocking_open"] == 1
    assert rechecked["lexicon_versions"]["outdated_name"] == added["version"]
    assert [f["text"] for f in rechecked["findings"]] == ["近日发布"]

    out = tmp_path / "lists"
    cli.json("lexicon", "export", out, as_user="admin")
    text = (out / "outdated_name.toml").read_text("utf-8")
    assert "近日发布" in text
    cli.run("lexicon", "import", out / "outdated_name.toml", as_user="admin", expect=1)
    newer = text.replace(f'version = "{added["version"]}"', 'version = "2099.01.1"')
    (out / "outdated_name.toml").write_text(newer.replace("近日发布", "近期发布"), "utf-8")
    imported = cli.json("lexicon", "import", out / "outdated_name.toml", as_user="admin")
    assert imported["version"] == "2099.01.1"
    terms = cli.json("lexicon", "list", "outdated_name", as_user="p1")[0]["entries"]
    assert "近期发布" in {e["term"] for e in terms}
    broken = tmp_path / "broken.toml"
    broken.write_text("category = \n", "utf-8")
    cli.run("lexicon", "import", broken, as_user="admin", expect=2)


def test_the_generated_slips_are_entries_of_their_list_after_an_edit(
    team: Cli, site: int, tmp_path: Path
) -> None:
    # The generated input slips live in a compact file the confusable list names: they are
    # listed with its entries, and an admin's edit keeps them (by reference, not copied).
    cli = team
    slip = {"term": "推晋", "suggest": "推进", "severity": "warn"}
    listed = cli.json("lexicon", "list", "confusable", as_user="p1")[0]["entries"]
    assert slip in listed and len(listed) >= 20_000
    added = cli.json(
        "lexicon", "add", "confusable", "部署安按", "--suggest", "部署安排", as_user="admin"
    )
    listed = cli.json("lexicon", "list", "confusable", as_user="p1")[0]["entries"]
    assert slip in listed
    assert {"term": "部署安按", "suggest": "部署安排", "severity": "warn"} in listed
    out = tmp_path / "lists"
    cli.json("lexicon", "export", out, as_user="admin")
    stored = (out / "confusable.toml").read_text("utf-8")
    assert 'generated = "confusable_generated.tsv"' in stored and "部署安按" in stored
    assert "推晋" not in stored
    draft = new_draft(cli, tmp_path, site, GOOD + "\n请加快推晋，部署安按到位。\n")
    checked = cli.json("draft", "check", draft, as_user="p1")
    assert checked["lexicon_versions"]["confusable"] == added["version"]
    found = [(f["category"], f["text"]) for f in checked["findings"]]
    assert ("confusable", "推晋") in found and ("confusable", "部署安按") in found


def test_check_any_file(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(BAD, "utf-8")
    good = tmp_path / "good.md"
    good.write_text(GOOD, "utf-8")
    result = cli.run("check", bad, "--json", expect=1)
    findings = json.loads(result.stdout)
    assert {f["category"] for f in findings} == {"outdated_name", "date", "personal_data"}
    for f in findings:
        assert {"category", "severity", "start", "end", "text", "suggestion"} <= set(f)
        assert BAD[f["start"] : f["end"]] == f["text"]
    assert json.loads(cli.run("check", good, "--json").stdout) == []
    assert "no findings" in cli.run("check", good).stdout
    cli.run("check", tmp_path / "missing.md", expect=2)


class _Pages(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_links_are_fetched_and_dead_ones_warned(
    team: Cli, site: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    # A local server is not a public address: only the explicit allow-list lets it through.
    monkeypatch.setenv("MATRIXPUB_LINK_CHECK_ALLOW", f"127.0.0.1:{server.server_port}")
    try:
        body = f"{GOOD}\n详见 {base}/ok 与 {base}/gone 。\n"
        draft = new_draft(team, tmp_path, site, body)
        team.json("draft", "submit", draft, as_user="author")
        check = team.json("draft", "show", draft, as_user="p1")["check"]
    finally:
        server.shutdown()
    assert check["links_checked"] == 2
    (dead,) = [f for f in check["findings"] if f["category"] == "link"]
    assert dead["text"] == f"{base}/gone" and dead["severity"] == "warn"
    assert "404" in dead["message"]


def test_an_allowed_term_never_produces_findings_and_is_on_record(
    team: Cli, site: int, tmp_path: Path
) -> None:
    cli = team
    body = GOOD + "\n欢迎参观国家旅游局旧址。\n"
    draft = new_draft(cli, tmp_path, site, body)
    assert (
        cli.json("draft", "submit", draft, as_user="author")["prepare"]["result"]["blocking"] == 1
    )
    reason = "本市文物保护单位名称"
    cli.run("lexicon", "allow", "国家旅游局旧址", "--reason", reason, as_user="author", expect=1)
    cli.run("lexicon", "allow", "国家旅游局旧址", as_user="admin", expect=2)  # no reason
    allowed = cli.json("lexicon", "allow", "国家旅游局旧址", "--reason", reason, as_user="admin")
    assert allowed["category"] == "allow" and allowed["entries"] == 1
    rechecked = cli.json("draft", "check", draft, as_user="p1")
    assert rechecked["blocking_open"] == 0 and rechecked["findings"] == []
    assert rechecked["lexicon_versions"]["allow"] == allowed["version"]
    log = cli.json("audit", "log", "--subject", "lexicon:allow", as_user="admin")
    [event] = [e for e in log if e["action"] == "lexicon.allowed"]
    data = json.loads(event["data"])  # the audit log keeps canonical JSON
    assert data["term"] == "国家旅游局旧址" and data["reason"] == reason
    out = tmp_path / "lists"
    cli.json("lexicon", "export", out, as_user="admin")
    assert reason in (out / "allow.toml").read_text("utf-8")


def test_a_plain_list_from_a_superior_office_is_added_to_a_category(
    team: Cli, site: int, tmp_path: Path
) -> None:
    cli = team
    draft = new_draft(cli, tmp_path, site, GOOD)
    cli.json("draft", "submit", draft, as_user="author")
    handed_down = tmp_path / "上级下发.txt"
    handed_down.write_text(
        "\ufeff# 上级下发的慎用词\n近日发布\n\n  日前印发  \n近日发布\n", "utf-8"
    )
    cli.run("lexicon", "import", handed_down, as_user="admin", expect=2)  # not TOML
    cli.run(
        "lexicon", "import", handed_down, "--category", "outdated_name", as_user="p1", expect=1
    )  # admins only
    before = cli.json("lexicon", "list", "outdated_name", as_user="admin")[0]
    imported = cli.json(
        "lexicon", "import", handed_down, "--category", "outdated_name", as_user="admin"
    )
    assert imported["added"] == 2 and imported["entries"] == len(before["entries"]) + 2
    assert imported["version"] != before["version"]
    rechecked = cli.json("draft", "check", draft, as_user="p1")
    assert [f["text"] for f in rechecked["findings"]] == ["近日发布"]
    again = cli.json(
        "lexicon", "import", handed_down, "--category", "outdated_name", as_user="admin"
    )
    assert again["added"] == 0 and again["version"] == imported["version"]
    log = cli.json("audit", "log", "--subject", "lexicon:outdated_name", as_user="admin")
    [event] = [e for e in log if e["action"] == "lexicon.imported"]
    assert json.loads(event["data"])["terms"] == ["近日发布", "日前印发"]
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", "utf-8")
    cli.run("lexicon", "import", empty, "--category", "outdated_name", as_user="admin", expect=2)
    cli.run("lexicon", "import", handed_down, "--category", "nope", as_user="admin", expect=1)


def test_links_into_this_computer_or_a_private_network_are_not_fetched(
    team: Cli, site: int, tmp_path: Path
) -> None:
    """SSRF: without the allow-list, a draft's link to a local server, in any spelling,
    or to the cloud metadata address, is reported and never fetched."""
    hits: list[str] = []

    class Counting(_Pages):
        def do_HEAD(self) -> None:
            hits.append(self.path)
            super().do_HEAD()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    links = [
        f"http://127.0.0.1:{port}/ok",
        f"http://localhost:{port}/ok",
        f"http://2130706433:{port}/ok",
        "http://169.254.169.254/latest/meta-data",
    ]
    try:
        body = GOOD + "\n" + "\n".join(f"见 {url} 。" for url in links) + "\n"
        draft = new_draft(team, tmp_path, site, body)
        team.json("draft", "submit", draft, as_user="author")
        check = team.json("draft", "show", draft, as_user="p1")["check"]
    finally:
        server.shutdown()
    assert hits == []
    found = {f["text"]: f for f in check["findings"] if f["category"] == "link"}
    assert set(found) == set(links)
    assert all(f["rule"] == "link:not_public" and "未访问" in f["message"] for f in found.values())


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_findings_line_up_whatever_the_labels_width(
    cli: Cli, tmp_path: Path, lang: str
) -> None:
    # Labels of every width in both languages: warning/警告 and block/阻断, "wrong character"
    # and "advertising-law term" beside "date".
    text = tmp_path / "notice.md"
    text.write_text(
        "要凝新聚力。本酒店为本地区唯一一家五星级酒店。请于2024年6月31日前报送。"
        "全市接待游客超过1000多万人次。国家旅游局发布通知。\n",
        encoding="utf-8",
    )
    cli.lang = lang
    shown = cli.run("check", text, expect=1).stdout
    lines = [line for line in shown.splitlines() if re.match(r"\s+\d+\s", line)]
    assert len(lines) == 5
    # Where each finding stands (line:column) starts in one display column on every line.
    columns = {cell_len(line[: re.search(r" 1:\d+ ", line).start()]) for line in lines}
    assert len(columns) == 1, shown

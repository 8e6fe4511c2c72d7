"""Hostile text through the real CLI: whatever a user typed is printed as text, never as
rich markup, with control characters shown as escapes; nothing is committed that its
command cannot then print."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_proofread import GOOD

ESC = "\x1b[2J\x1b[31m"


@pytest.fixture
def site(team: Cli) -> int:
    return team.json(
        "account", "register", "--platform", "website", "--name", "通知公告",
        "--unit", "市文化和旅游局", "--platform-id", "notices", as_user="admin",
    )["id"]  # fmt: skip


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no table cell is folded (the test looks for whole
    titles and names)."""
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


def _draft(cli: Cli, tmp_path: Path, account: int, title: str, *, expect: int = 0) -> str:
    path = tmp_path / "body.md"
    path.write_text(GOOD, "utf-8")
    result = cli.run(
        "draft", "new", "--title", title, "--body-file", path, "--target", account,
        as_user="author", expect=expect,
    )  # fmt: skip
    return result.stdout


@pytest.mark.parametrize("title", ["通知[/]", "[bold red]通知[/bold red]", "通知[link=x]y"])
def test_a_title_with_markup_is_printed_as_typed_everywhere(
    team: Cli, site: int, tmp_path: Path, title: str
) -> None:
    shown = _draft(team, tmp_path, site, title)
    assert title in shown and "Traceback" not in shown
    draft = str(team.json("draft", "list", as_user="author")[0]["id"])
    team.run("draft", "submit", draft, as_user="author")
    for who, args in [
        ("p1", ("review", "queue")),
        ("p1", ("draft", "show", draft)),
        ("author", ("draft", "list")),
    ]:
        result = team.run(*args, as_user=who)
        assert title in result.stdout, (args, result.stdout)


@pytest.mark.parametrize("name", ["[/]", "[bold]boss[/bold]", "[red]x"])
def test_a_user_name_with_markup_gets_its_token_and_user_list_still_works(
    team: Cli, name: str
) -> None:
    result = team.run("user", "add", name, "--role", "author", as_user="admin")
    assert name in result.stdout and "Token (shown once)" in result.stdout
    listed = team.run("user", "list", as_user="admin").stdout
    assert name in listed


def test_control_characters_are_refused_in_titles_summaries_and_names(
    team: Cli, site: int, tmp_path: Path
) -> None:
    before = team.json("draft", "list", as_user="author")
    for title in (f"{ESC}通知", "通知\x0b公告", "通知\x85"):
        result = team.run(
            "draft", "new", "--title", title, "--body-file", tmp_path / "none.md",
            "--target", site, as_user="author", expect=None,
        )  # fmt: skip
        assert result.exit_code != 0
    path = tmp_path / "body.md"
    path.write_text(GOOD, "utf-8")
    result = team.run(
        "draft", "new", "--title", f"{ESC}通知", "--body-file", path, "--target", site,
        as_user="author", expect=2,
    )  # fmt: skip
    assert "control character U+001B" in result.stderr and "\x1b" not in result.stderr
    result = team.run(
        "draft", "new", "--title", "通知", "--summary", "摘要\x0b", "--body-file", path,
        "--target", site, as_user="author", expect=2,
    )  # fmt: skip
    assert "U+000B" in result.stderr
    assert team.json("draft", "list", as_user="author") == before
    result = team.run("user", "add", f"{ESC}eve", "--role", "author", as_user="admin", expect=2)
    assert "\x1b" not in result.stderr
    assert "eve" not in team.run("user", "list", as_user="admin").stdout


def test_escape_sequences_in_an_opinion_are_shown_not_obeyed(
    team: Cli, site: int, tmp_path: Path
) -> None:
    _draft(team, tmp_path, site, "关于报送材料的通知")
    draft = str(team.json("draft", "list", as_user="author")[0]["id"])
    team.run("draft", "submit", draft, as_user="author")
    opinion = f"{ESC}请改\u202e正文"
    team.run("review", "reject", draft, "--gate", "一校", "--opinion", opinion, as_user="p1")
    for who, args in [("author", ("draft", "show", draft)), ("admin", ("audit", "log"))]:
        shown = team.run(*args, as_user=who).stdout
        assert "\x1b" not in shown and "\u202e" not in shown
    shown = team.run("draft", "show", draft, as_user="author").stdout
    assert "\\x1b[2J\\x1b[31m请改\\u202e正文" in shown
    as_json = team.run("draft", "show", draft, "--json", as_user="author").stdout
    assert "\x1b" not in as_json and "\u202e" not in as_json


def test_a_bidi_control_in_a_title_is_a_blocking_finding(
    team: Cli, site: int, tmp_path: Path
) -> None:
    _draft(team, tmp_path, site, "关于\u202e知通的")
    draft = str(team.json("draft", "list", as_user="author")[0]["id"])
    submitted = team.json("draft", "submit", draft, as_user="author")
    assert submitted["prepare"]["result"]["blocking"] == 1
    check = team.json("draft", "show", draft, as_user="p1")["check"]
    (found,) = [f for f in check["findings"] if f["category"] == "control"]
    assert found["severity"] == "block" and found["rule"] == "control:bidi"
    assert found["field"] == "title"

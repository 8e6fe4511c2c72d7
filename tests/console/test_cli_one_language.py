"""One language at a time in the CLI: a refusal's role, the gates table, an account
request's state, a decision to escalate, a credentials error, a diff's fields and an
error about the gate or check a person named are all said in the chosen language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.console.conftest import Cli

CJK = re.compile(r"[\u3400-\u9fff]")


def _err(result: object) -> str:
    return result.stderr + result.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_role_refusal_names_the_role_in_the_chosen_language(
    team: Cli, tmp_path: Path, lang: str
) -> None:
    team.lang = lang
    body = tmp_path / "body.md"
    body.write_text("正文。\n", "utf-8")
    refusals = [
        _err(team.run("draft", "new", "--title", "标题", "--body-file", body,
                      as_user="p1", expect=1)),
        _err(team.run("user", "add", "新人", "--role", "author", as_user="p1", expect=1)),
        _err(team.run("post", "retry", "1", as_user="p1", expect=1)),
    ]  # fmt: skip
    for refusal in refusals:
        if lang == "zh_CN":
            assert "role" not in refusal and "the " not in refusal, refusal
            assert "角色" in refusal and "p1 不符合" in refusal, refusal
        else:
            assert "the author role" in refusals[0] and "does not qualify" in refusal
            assert not CJK.search(refusal), refusal


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_gates_table_is_in_the_chosen_language(cli: Cli, lang: str) -> None:
    cli.lang = lang
    shown = cli.run("review", "gates").stdout
    if lang == "zh_CN":
        for english in ("pins variants", "extra check", "proofreader", "editor", "leader"):
            assert english not in shown, (english, shown)
        assert "一校" in shown and "校对" in shown and "审批人" in shown
    else:
        assert "1st proofread" in shown and "decided by" in shown and "extra check" in shown
    # the keys stay as they are typed (--gate proofread_1)
    assert "proofread_1" in shown and "check_netinfo" in shown
    assert cli.json("review", "gates")[0]["role"] == "proofreader"


def test_an_account_requests_state_is_in_words(team: Cli) -> None:
    team.lang = "zh_CN"
    asked = team.json(
        "account", "request", "open", "--platform", "weibo", "--name", "文旅微博",
        "--unit", "市文化和旅游局", "--reason", "发布活动信息", as_user="admin",
    )  # fmt: skip
    approved = team.run(
        "account", "approve", asked["id"], "--opinion", "同意开设", as_user="leader"
    ).stdout
    assert "approved" not in approved and "通过" in approved, approved
    listed = team.run("account", "requests", as_user="admin").stdout
    assert "approved" not in listed and "通过" in listed, listed
    assert team.json("account", "requests", as_user="admin")[0]["state"] == "approved"

"""What a newcomer met on a walk from a fresh clone: each command says what it did and
what comes next, with names; an empty list says so; a wrong channel is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.conftest import Cli


@pytest.fixture(params=["zh_CN", "en"])
def lang(request: pytest.FixtureRequest, team: Cli) -> str:
    team.lang = request.param
    return request.param


def _words(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh_CN" else en


def _wechat(cli: Cli, responsible: str = "admin") -> int:
    return cli.json(
        "account", "register", "--platform", "wechat_oa", "--name", "古城文旅",
        "--unit", "市文化和旅游局", "--platform-id", "gh_1", "--responsible", responsible,
        as_user="admin",
    )["id"]  # fmt: skip


def _draft(cli: Cli, tmp_path: Path) -> int:
    """Draft 1, a working copy for the WeChat account."""
    account = _wechat(cli)
    body = tmp_path / "body.md"
    body.write_text("正文。\n", "utf-8")
    cli.run("draft", "new", "--title", "通知", "--body-file", body, "--target", str(account),
            as_user="author")  # fmt: skip
    return account


def test_a_new_user_is_told_how_to_sign_in(team: Cli, lang: str) -> None:
    said = team.run("user", "add", "王小文", "--role", "author", as_user="admin").stdout
    assert _words(lang, "用户 王小文（作者）已添加", "User 王小文 (author) added") in said
    assert "matrixpub user password 王小文" in said  # the web console's password
    assert "MATRIXPUB_TOKEN" in said  # or the token, for the CLI


def test_an_account_change_says_what_changed_and_who_is_not_a_user(team: Cli, lang: str) -> None:
    account = _wechat(team)
    said = team.run(
        "account", "change", str(account), "--responsible", "李四", "--reason", "人员调整",
        as_user="admin",
    ).stdout  # fmt: skip
    assert "admin → 李四" in said and "人员调整" in said
    assert _words(lang, "已记录", "on record") in said
    assert _words(lang, "李四 不是 matrixpub 的用户", "李四 is not a matrixpub user") in said
    assert "matrixpub user add 李四" in said
    assert _words(lang, "平台 ID", "platform id") not in said  # not the whole card again
    known = team.run(
        "account", "change", str(account), "--responsible", "p1", as_user="admin"
    ).stdout
    assert "李四 → p1" in known and "matrixpub user add" not in known


def test_a_request_names_who_decides_it(team: Cli, lang: str) -> None:
    said = team.run(
        "account", "request", "open", "--platform", "weibo", "--name", "新号",
        "--unit", "市文化和旅游局", "--reason", "需要", as_user="admin",
    ).stdout  # fmt: skip
    assert "leader" in said  # the person who holds the deciding role
    assert "matrixpub account approve 1 --opinion" in said
    assert "matrixpub account reject 1 --opinion" in said


def test_empty_lists_say_so(team: Cli, lang: str) -> None:
    drafts = team.run("draft", "list", "--state", "returned", as_user="admin").stdout
    assert drafts.strip() == _words(lang, "没有稿件。", "No drafts.")
    posts = team.run("post", "list", "--draft", "1", as_user="admin").stdout
    assert posts.strip() == _words(lang, "没有发布任务。", "No posts.")
    accounts = team.run("account", "list", as_user="admin").stdout
    assert accounts.strip() == _words(lang, "没有账号。", "No accounts.")
    requests = team.run("account", "requests", as_user="admin").stdout
    assert requests.strip() == _words(lang, "没有账号申请。", "No account requests.")
    freezes = team.run("freeze", "list", as_user="admin").stdout
    assert freezes.strip() == _words(lang, "没有冻结期。", "No freezes.")
    assert team.json("draft", "list", "--state", "returned", as_user="admin") == []


def test_a_diff_of_one_version_says_there_is_nothing_to_compare(
    team: Cli, lang: str, tmp_path: Path
) -> None:
    _draft(team, tmp_path)
    said = team.run("draft", "diff", "1", as_user="author").stdout
    assert said.strip() == _words(
        lang,
        "草稿 1 只有第 1 版，没有可比较的版本。",
        "Draft 1 has only version 1: there is nothing to compare it with.",
    )


def test_an_account_shows_its_signing_and_history_plainly(team: Cli, lang: str) -> None:
    team.json(
        "account", "register", "--platform", "webhook", "--name", "融媒体中心",
        "--unit", "市文化和旅游局", "--url", "http://127.0.0.1:9/hook", as_user="admin",
    )  # fmt: skip
    team.run("account", "request", "close", "1", "--reason", "整合", as_user="admin")
    shown = team.run("account", "show", "1", as_user="admin").stdout
    assert _words(lang, "签名 签名", "signing signed") not in shown
    assert _words(lang, "还没有签名密钥", "no signing secret yet") in shown
    history = [line for line in shown.splitlines() if line.startswith("  20")]
    assert len(history) == 2
    from rich.cells import cell_len

    # what follows the action starts at the same place on every line, whatever the script
    registered, asked = history
    state = cell_len(registered[: registered.index(_words(lang, "运行中", "active"))])
    assert cell_len(asked[: asked.index(_words(lang, "运行中", "active"))]) == state, history
    assert "→" not in asked  # a request moves no state


def test_a_channel_the_draft_does_not_target_is_refused(
    team: Cli, lang: str, tmp_path: Path
) -> None:
    _draft(team, tmp_path)
    before = team.json("draft", "show", "1", as_user="author")
    refused = team.run("draft", "edit", "1", "--channel", "xiaohongshu", "--title", "小红书标题",
                       as_user="author", expect=1)  # fmt: skip
    assert refused.stderr.strip() == _words(
        lang,
        "错误：草稿 1 的目标里没有小红书账号；它的渠道：微信订阅号",
        "error: draft 1 targets no Xiaohongshu account; its channels: WeChat subscription account",
    )
    after = team.json("draft", "show", "1", as_user="author")
    assert after["content_hash"] == before["content_hash"]  # nothing changed
    team.run("draft", "edit", "1", "--channel", "wechat_oa", "--title", "公众号标题",
             as_user="author")  # fmt: skip


def _escalate(team: Cli, draft: str, check: str) -> str:
    for who in ("p1", "editor", "p2"):
        team.approve(draft, who)
    return team.run(
        "review", "escalate", draft, "--check", check, "--opinion", "请专项审查",
        "--version", "1", "--gate", "复审", as_user="chief",
    ).stdout  # fmt: skip


def test_an_escalation_names_who_decides_the_check(
    team: Cli, lang: str, site: dict[str, str]
) -> None:
    team.add_user("保密员", "secrecy")
    said = _escalate(team, site["draft"], "保密审查")
    assert "保密员" in said  # the person who decides the check next
    assert "通知公告" in said  # the targets by name, not "1"


def test_an_escalation_nobody_can_decide_warns_at_once(
    team: Cli, lang: str, site: dict[str, str]
) -> None:
    said = _escalate(team, site["draft"], "网信")
    assert _words(lang, "目前没有人能审", "nobody may decide it yet") in said
    assert "matrixpub user roles" in said and "--role netinfo" in said


def test_an_approved_close_says_the_notice_is_drafted_and_goes_through_the_gates(
    team: Cli, lang: str
) -> None:
    account = _wechat(team)
    team.run("account", "request", "close", str(account), "--reason", "整合", as_user="admin")
    said = team.run("account", "approve", "1", "--opinion", "同意", as_user="leader").stdout
    assert "古城文旅" in said and "admin" in said  # for which account, in whose name
    assert _words(lang, "三审三校", "six gates") in said
    assert "matrixpub draft submit 2" in said or "matrixpub draft submit 1" in said
    (notice,) = team.json("draft", "list", as_user="admin")
    assert notice["state"] == "draft"  # in the asker's own drafts, to submit


def test_a_post_to_an_account_without_credentials_is_foretold_and_explained(
    team: Cli, lang: str, tmp_path: Path
) -> None:
    import sqlite3

    from tests.console.conftest import GATES
    from tests.factories import jpeg

    account = _wechat(team)
    body = tmp_path / "body.md"
    body.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1600, 900))
    team.run("draft", "new", "--title", "关于举办文旅活动的通知", "--body-file", body,
             "--cover", cover, "--target", str(account), as_user="author")  # fmt: skip
    team.run("draft", "submit", "1", as_user="author")
    for who in GATES[:-1]:
        team.approve("1", who)
    signed = team.run(
        "review", "approve", "1", "--opinion", "同意", *team.reading("1", "leader"),
        as_user="leader",
    ).stdout  # fmt: skip
    assert _words(lang, "没有登记凭据", "has no credentials on record") in signed
    assert f"matrixpub account credentials {account}" in signed

    db = sqlite3.connect(team.home / "matrixpub.db")
    db.execute("UPDATE posts SET due_at = '2000-01-01 00:00:00.000000'")
    db.commit()
    db.close()
    sent = team.run("dispatch", "--once", as_user="admin").stdout
    assert "古城文旅" in sent and f"matrixpub account credentials {account}" in sent
    said = team.run("alerts", as_user="admin").stdout
    # The post waits with the account's queue (it does not fail): the alert names the
    # account and the two commands that let it go.
    assert "古城文旅" in said and f"matrixpub account unpause {account}" in said, said
    assert _words(lang, "缺少微信公众号凭据", "WeChat credentials missing") in said, said
    if lang == "zh_CN":
        assert "帖子" not in said, said

"""What a command says as it ends: a refusal with ``--json`` keeps the stable English
message in its JSON document and says its stderr line in the chosen language; the sign-off
lists the planned posts once and says how they go out."""

from __future__ import annotations

import json

from tests.console.conftest import Cli


def test_a_json_refusal_keeps_its_english_key_and_says_the_line_in_chinese(cli: Cli) -> None:
    cli.lang = None  # MATRIXPUB_LANG unset: Chinese
    cli.init()
    result = cli.run("user", "token", "nobody", "--json", expect=1)

    document = json.loads(result.stdout)
    assert document == {"error": "no token: set MATRIXPUB_TOKEN or pass --token", "exit_code": 1}
    assert result.stderr.strip() == "错误：没有令牌：请设置 MATRIXPUB_TOKEN 或使用 --token"


def test_a_json_refusal_with_values_says_them_in_both(cli: Cli) -> None:
    cli.lang = None
    cli.init()
    result = cli.run("account", "show", "999", "--json", as_user="admin", expect=1)

    english = json.loads(result.stdout)["error"]
    assert "999" in english and english.isascii()
    line = result.stderr.strip()
    assert line.startswith("错误：") and "999" in line
    assert line.count("\n") == 0 and not any(word in line for word in english.split()[:2])


def test_the_sign_off_lists_the_posts_once_and_says_how_they_go_out(team: Cli, site: dict) -> None:
    team.lang = None
    for who in ("p1", "editor", "p2", "chief", "p3"):
        team.approve(site["draft"], who)
    shown = team.run(
        "review", "approve", site["draft"], "--opinion", "同意签发",
        *team.reading(site["draft"], "leader"), as_user="leader",
    ).stdout  # fmt: skip

    assert "已签发。已排入 1 条发布：\n" in shown
    assert "通知公告" in shown and "已计划 1 条发布" in shown
    assert "`matrixpub serve`" in shown and "`matrixpub dispatch --once`" in shown


def test_registering_an_account_says_so_and_what_comes_next(cli: Cli) -> None:
    cli.lang = None
    cli.init()
    common = ["--unit", "市文化和旅游局", "--duplicate-reason", "测试"]
    site = cli.run(
        "account", "register", "--platform", "website", "--name", "通知公告",
        "--platform-id", "notices", *common, as_user="admin",
    ).stdout  # fmt: skip
    weibo = cli.run(
        "account", "register", "--platform", "weibo", "--name", "古城文旅",
        "--platform-id", "123", *common, as_user="admin",
    ).stdout  # fmt: skip

    assert site.startswith("账号 1「通知公告」（门户网站）已登记。\n")
    assert "下一步：草稿现在就可以以它为目标（`--target 1`）。" in site
    assert "credentials" not in site
    assert weibo.startswith("账号 2「古城文旅」（新浪微博）已登记。\n")
    assert "`matrixpub account credentials 2 --secret-block 名称 --from-file 文件 --test`" in weibo


def test_refusals_name_platforms_gates_and_roles_in_words(team: Cli, site: dict) -> None:
    team.lang = None
    team.add_user("双角色", "author", "editor")
    duplicate = team.run(
        "account", "register", "--platform", "website", "--name", "通知公告2", "--unit",
        "市文化和旅游局", "--platform-id", "n2", as_user="admin", expect=1,
    ).stderr  # fmt: skip
    wrong_role = team.run(
        "review", "approve", site["draft"], "--opinion", "同意",
        *team.reading(site["draft"], "p1"), as_user="双角色", expect=1,
    ).stderr  # fmt: skip

    assert "已有 门户网站 账号" in duplicate and "website" not in duplicate
    assert wrong_role.startswith("错误：一校 由 校对 角色决定；你的角色：")
    assert "proofread_1" not in wrong_role and "author" not in wrong_role
    assert "作者" in wrong_role and "初审" in wrong_role

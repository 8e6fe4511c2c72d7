"""What ``dispatch --once`` says of posts a person must act on, in both languages: a
manual package says what it is and what to do with it, not only where it is; a Weibo
account with no stored login waits (queued, its queue paused, an alert naming the account
and how to store the login), like a webhook without its signing secret — it does not fail
the post. So does a WeChat official account without its appid and appsecret. Against the
fake Weibo and WeChat servers, which hear nothing until the credentials are stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_schedule import _due_now, account, posts_of, signed
from tests.factories import jpeg
from tests.fakes.wechat import FakeWeChat
from tests.fakes.weibo import SHARE, FakeWeibo


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


@pytest.fixture
def weibo(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeibo]:
    with FakeWeibo(safe_domain="www.example.gov.cn") as fake:
        monkeypatch.setenv("MATRIXPUB_API_HOSTS", f"weibo={fake.url}")
        yield fake


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_manual_package_and_a_weibo_account_without_its_login_say_what_to_do(
    team: Cli, tmp_path: Path, weibo: FakeWeibo, lang: str
) -> None:
    cli = team
    cli.run("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    cli.run("settings", "set", "weibo_rip", "203.0.113.7", as_user="admin")
    column = account(cli, "Notices")
    micro = account(cli, "文旅微博", "weibo")
    douyin = account(cli, "文旅抖音", "douyin")
    body = tmp_path / "body.md"
    body.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1080, 1440))
    draft = signed(
        cli, body, "--cover", cover, "--target", column, "--target", micro, "--target", douyin
    )
    posts = {p["account_id"]: p for p in posts_of(cli, draft)}
    _due_now(cli, [p["id"] for p in posts.values()])
    cli.lang = lang
    said = cli.run("dispatch", "--once", as_user="admin").stdout
    manual, waiting = posts[douyin]["id"], posts[micro]["id"]

    # The manual package: what it is, where, and the command that completes it.
    (line,) = [x for x in said.splitlines() if f"{manual}：" in x or f"post {manual}:" in x]
    assert f"matrixpub post confirm {manual} --url" in line, said
    assert str(cli.home) in line, line
    assert ("手工发布" if lang == "zh_CN" else "post by hand") in line, line

    # Weibo without its login: nothing sent, the post waits, the account's queue is paused.
    assert weibo.count(SHARE) == 0
    shown = {p["account_id"]: p for p in posts_of(cli, draft)}
    assert shown[micro]["state"] == "queued", shown[micro]
    (alert,) = [a for a in cli.json("alerts", as_user="admin") if a["kind"] == "weibo_token"]
    assert alert["account_id"] == micro
    listed = cli.run("alerts", as_user="admin").stdout
    block = "名称" if lang == "zh_CN" else "NAME"  # as the help shows it
    store = f"matrixpub account credentials {micro} --secret-block {block} --value access_token="
    assert "文旅微博" in listed and store in listed, listed
    assert ("微博登录" if lang == "zh_CN" else "Weibo login missing") in listed, listed
    if lang == "zh_CN":
        assert "has no access token" not in said + listed, said + listed
    line = next(
        ln for ln in said.splitlines() if f"发布任务 {waiting}（" in ln or f"post {waiting} " in ln
    )
    assert "文旅微博" in line, line
    # The queue waits for the login: the way on is to unpause it, not to retry the post.
    assert f"account unpause {micro}" in said and "post retry" not in said, said

    # The login stored and the queue let run again, the post goes out.
    cli.run("account", "credentials", micro, "--secret-block", "weibo-wenlv",
            "--value", f"access_token={weibo.access_token}", as_user="admin")  # fmt: skip
    cli.run("account", "unpause", micro, "--reason", "登录已保存", as_user="admin")
    cli.run("dispatch", "--once", as_user="admin")
    assert weibo.count(SHARE) == 1
    assert {p["account_id"]: p for p in posts_of(cli, draft)}[micro]["state"] == "published"


@pytest.fixture
def wechat(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeChat]:
    with FakeWeChat() as fake:
        monkeypatch.setenv("MATRIXPUB_API_HOSTS", f"wechat_oa={fake.url}")
        yield fake


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_wechat_account_without_its_credentials_waits_like_weibo(
    team: Cli, tmp_path: Path, wechat: FakeWeChat, lang: str
) -> None:
    cli = team
    cli.run("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    oa = account(cli, "文旅公众号", "wechat_oa")
    body = tmp_path / "body.md"
    body.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(900, 500))
    draft = signed(cli, body, "--cover", cover, "--target", oa)
    (post,) = posts_of(cli, draft)
    _due_now(cli, [post["id"]])
    cli.lang = lang
    said = cli.run("dispatch", "--once", as_user="admin").stdout

    # Nothing sent, the post waits (not failed), the account's queue is paused.
    assert not wechat.calls("/cgi-bin/stable_token"), said
    (shown,) = posts_of(cli, draft)
    assert shown["state"] == "queued", shown
    assert cli.json("account", "show", oa, as_user="admin")["paused"], said
    alerts = cli.json("alerts", as_user="admin")
    assert not [a for a in alerts if a["kind"] == "post_failed"], alerts
    kinds = sorted(a["kind"] for a in alerts if a["account_id"] == oa)
    assert "wechat_credentials" in kinds, alerts
    listed = cli.run("alerts", as_user="admin").stdout
    block = "名称" if lang == "zh_CN" else "NAME"  # as the help shows it
    store = f"matrixpub account credentials {oa} --secret-block {block}"
    assert "文旅公众号" in listed and store in listed and "appsecret" in listed, listed
    if lang == "zh_CN":
        assert "has no credentials" not in said + listed, said + listed
    else:
        assert "WeChat credentials missing" in listed, listed
    assert f"account unpause {oa}" in said and "post retry" not in said, said

    # The credentials stored and the queue let run again, the article goes out.
    creds = tmp_path / "wechat.json"
    creds.write_text(json.dumps(wechat.secret), "utf-8")
    cli.run("account", "credentials", oa, "--secret-block", "wx-wenlv", "--from-file", creds,
            as_user="admin")  # fmt: skip
    cli.run("account", "unpause", oa, "--reason", "凭据已保存", as_user="admin")
    cli.run("dispatch", "--once", as_user="admin")
    assert wechat.delivery_count("关于举办文旅活动的通知") == 1
    assert posts_of(cli, draft)[0]["state"] in ("pending", "published")

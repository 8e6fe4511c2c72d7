"""`matrixpub account credentials` knows each platform's fields, refuses unknown ones, lists
them in --help, and with --test asks the platform (the fakes); `account register
--unsigned` is on record; a Weibo token about to end raises an alert a week ahead."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Cli
from tests.fakes import FakeWebhook, FakeWeChat, FakeWeibo

SIGNING_SECRET = "whsec-cli-9d2e"


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    with (
        FakeWeChat() as wechat,
        FakeWeibo(safe_domain="www.example.gov.cn", token_ttl=3 * 86_400) as weibo,
        FakeWebhook(signing_secret=SIGNING_SECRET) as hook,
    ):
        monkeypatch.setenv("MATRIXPUB_API_HOSTS", f"wechat_oa={wechat.url},weibo={weibo.url}")
        monkeypatch.setenv("MATRIXPUB_WEIBO_RIP", "203.0.113.10")
        yield {"wechat": wechat, "weibo": weibo, "webhook": hook}


def register(cli: Cli, platform: str, *extra: str) -> int:
    return int(
        cli.json(
            "account", "register", "--platform", platform, "--name", f"测试{platform}",
            "--unit", f"{platform}单位", *extra, as_user="admin",
        )["id"]
    )  # fmt: skip


def test_a_mistyped_field_is_refused_and_nothing_is_stored(cli: Cli, fakes: Any) -> None:
    cli.init()
    hook = register(cli, "webhook", "--url", fakes["webhook"].endpoint)
    result = cli.run(
        "account", "credentials", hook, "--secret-block", "hook-typo",
        "--value", f"secret={SIGNING_SECRET}", as_user="admin", expect=2,
    )  # fmt: skip
    assert "no field 'secret'" in result.stderr and "did you mean signing_secret?" in result.stderr
    assert SIGNING_SECRET not in result.stderr + result.stdout
    assert cli.json("account", "show", hook, as_user="admin")["secret_block"] is None
    # The block was not made either: naming it alone finds nothing.
    missing = cli.run(
        "account", "credentials", hook, "--secret-block", "hook-typo", as_user="admin", expect=1
    )
    assert "no Secret block named 'hook-typo'" in missing.stderr


@pytest.mark.parametrize(
    ("platform", "values", "message"),
    [
        (
            "wechat_oa",
            ["appid=wx123"],
            "WeChat subscription account credentials need appsecret",
        ),
        ("weibo", ["access_token=t", "rip=not-an-ip"], "is not an IP address"),
        ("website", ["token=x"], "website accounts take no credentials"),
        ("douyin", ["token=x"], "Douyin accounts take no credentials"),
    ],
)
def test_fields_are_checked_per_platform(
    cli: Cli, platform: str, values: list[str], message: str
) -> None:
    cli.init()
    account = register(cli, platform)
    args = [a for v in values for a in ("--value", v)]
    result = cli.run(
        "account", "credentials", account, "--secret-block", "x-block", *args,
        as_user="admin", expect=2,
    )  # fmt: skip
    assert message in result.stderr


def test_help_lists_each_platforms_fields(cli: Cli) -> None:
    text = " ".join(cli.run("account", "credentials", "--help").stdout.split())
    for field in ("appid", "appsecret", "access_token", "[rip]", "signing_secret"):
        assert field in text
    assert "--test" in text


def test_test_asks_each_platform_and_stores_what_works(
    cli: Cli, fakes: Any, tmp_path: Path
) -> None:
    cli.init()
    wechat = register(cli, "wechat_oa")
    weibo = register(cli, "weibo")
    hook = register(cli, "webhook", "--url", fakes["webhook"].endpoint)
    creds = tmp_path / "wx.json"
    creds.write_text(json.dumps(fakes["wechat"].secret), "utf-8")

    stored = cli.json(
        "account", "credentials", wechat, "--secret-block", "wx-cli", "--from-file", creds,
        "--test", as_user="admin",
    )  # fmt: skip
    assert stored["check"]["ok"] and "get_api_domain_ip" in stored["check"]["detail"]
    assert fakes["wechat"].count("/cgi-bin/get_api_domain_ip") == 1

    tested = cli.json(
        "account", "credentials", weibo, "--secret-block", "wb-cli",
        "--value", f"access_token={fakes['weibo'].access_token}", "--test", as_user="admin",
    )  # fmt: skip
    expires = datetime.fromisoformat(tested["credentials_expire_at"])
    assert expires == datetime.fromisoformat(tested["check"]["expires_at"])
    assert timedelta(days=2, hours=23) < expires - datetime.now(UTC) <= timedelta(days=3)

    refused = cli.run(
        "account", "credentials", hook, "--secret-block", "hook-cli",
        "--value", "signing_secret=not-the-receivers", "--test", as_user="admin", expect=1,
    )  # fmt: skip
    assert "does not accept this signing secret" in refused.stderr
    assert "nothing was stored" in refused.stderr
    assert cli.json("account", "show", hook, as_user="admin")["secret_block"] is None
    fine = cli.json(
        "account", "credentials", hook, "--secret-block", "hook-cli",
        "--value", f"signing_secret={SIGNING_SECRET}", "--test", as_user="admin",
    )  # fmt: skip
    assert fine["check"]["ok"] and fine["secret_block"] == "hook-cli"
    assert fakes["webhook"].payloads == []  # pings are not posts

    events = cli.json("account", "show", hook, as_user="admin")["events"]
    recorded = [e["changes"] for e in events if e["action"] == "credentials"]
    assert recorded[-1]["fields"] == ["signing_secret"]
    assert "signed ping" in recorded[-1]["check"]
    assert SIGNING_SECRET not in json.dumps(events)


def test_a_token_a_week_from_its_end_raises_an_alert(cli: Cli, fakes: Any) -> None:
    from domain.settings import load
    from flows.trigger import run_flow

    cli.init()
    weibo = register(cli, "weibo")
    cli.json(
        "account", "credentials", weibo, "--secret-block", "wb-expiring",
        "--value", f"access_token={fakes['weibo'].access_token}", "--test", as_user="admin",
    )  # fmt: skip
    result = run_flow("housekeeping", {}, settings=load(os.environ), wait=True).result
    assert result["expiring_credentials"] == [weibo]
    [alert] = cli.json("alerts", as_user="admin")
    assert alert["kind"] == "credentials_expiring" and alert["account_id"] == weibo
    assert "weibo credentials expire at" in alert["message"]
    again = run_flow("housekeeping", {}, settings=load(os.environ), wait=True).result
    assert again["expiring_credentials"] == []  # one open alert per account

    # New credentials settle it.
    cli.json(
        "account", "credentials", weibo, "--secret-block", "wb-expiring",
        "--value", f"access_token={fakes['weibo'].access_token}", as_user="admin",
    )  # fmt: skip
    assert cli.json("alerts", as_user="admin") == []


def test_register_unsigned_is_on_record_and_only_for_webhooks(cli: Cli) -> None:
    cli.init()
    hook = cli.json(
        "account", "register", "--platform", "webhook", "--name", "内部系统",
        "--unit", "信息中心", "--url", "https://intranet.example/hook", "--unsigned",
        as_user="admin",
    )  # fmt: skip
    assert hook["unsigned"] is True
    shown = cli.json("account", "show", hook["id"], as_user="admin")
    assert shown["events"][0]["changes"]["unsigned"] is True
    human = cli.run("account", "show", hook["id"], as_user="admin").stdout
    assert "unsigned (registered so, on record)" in human
    signed = register(cli, "webhook", "--url", "https://intranet.example/b")
    assert cli.json("account", "show", signed, as_user="admin")["unsigned"] is False
    refused = cli.run(
        "account", "register", "--platform", "weibo", "--name", "微博", "--unit", "宣传科",
        "--unsigned", as_user="admin", expect=2,
    )  # fmt: skip
    assert "only a webhook account can be registered --unsigned" in refused.stderr


def test_the_weibo_rip_is_an_organisation_setting(
    cli: Cli, fakes: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept in the database by an admin (`settings set weibo_rip`), the environment's
    MATRIXPUB_WEIBO_RIP overriding it; what the credential check finds without one."""
    monkeypatch.delenv("MATRIXPUB_WEIBO_RIP")
    cli.init()
    weibo = register(cli, "weibo")
    token = f"access_token={fakes['weibo'].access_token}"
    bare = cli.json(
        "account", "credentials", weibo, "--secret-block", "wb-rip", "--value", token, "--test",
        as_user="admin",
    )  # fmt: skip
    assert "no rip is set" in bare["check"]["detail"]

    cli.run("settings", "set", "weibo_rip", "not-an-ip", as_user="admin", expect=2)
    done = cli.json("settings", "set", "weibo_rip", "203.0.113.10", as_user="admin")
    assert (done["value"], done["source"]) == ("203.0.113.10", "database")
    stored = cli.json(
        "account", "credentials", weibo, "--secret-block", "wb-rip", "--value", token, "--test",
        as_user="admin",
    )  # fmt: skip
    assert stored["check"]["ok"] and "no rip is set" not in stored["check"]["detail"]

    monkeypatch.setenv("MATRIXPUB_WEIBO_RIP", "198.51.100.7")
    [shown] = [s for s in cli.json("settings", "show", as_user="admin") if s["key"] == "weibo_rip"]
    assert (shown["value"], shown["source"]) == ("198.51.100.7", "environment")

"""Alerts sent to a WeCom group robot (against a local fake speaking its protocol) or to
any webhook."""

from __future__ import annotations

import requests

from channels.notify import Notice, Wording, compose, is_wecom, send
from console.i18n import alert_kind_label, catalog, use_language
from tests.fakes.clock import FakeClock
from tests.fakes.webhook import FakeWebhook
from tests.fakes.wecom import FakeWeCom

NOTICES = [
    Notice("stale_account", "账号「区文旅局」已 15 天未更新（上限 14 天）", "区文旅局", "张三"),
    Notice("filing_due", "请于 2026-10-20 前备案", "区教育局", None),
]


def worded(lang: str) -> tuple[list[Notice], Wording]:
    """The notices and the message's words as the sender gives them: from the one catalog."""
    with use_language(lang):
        notices = [
            Notice(n.kind, n.text, n.account, n.responsible, alert_kind_label(n.kind))
            for n in NOTICES
        ]
    return notices, Wording().said(catalog(lang).gettext)


def test_markdown_in_chinese_naming_accounts_and_people() -> None:
    notices, words = worded("zh_CN")
    with FakeWeCom() as robot:
        assert is_wecom(robot.webhook)
        sent = send(robot.webhook, notices, words=words)
        assert sent.ok, sent.detail
        (message,) = robot.messages
        assert message["msgtype"] == "markdown"
        content = message["markdown"]["content"]
        assert content.startswith("**matrixpub 提醒（2 条）**")
        assert "**账号未更新**" in content and "区文旅局" in content and "张三" in content
        assert "**待备案**" in content and "区教育局" in content and "责任人：未登记" in content


def test_markdown_in_english_naming_accounts_and_people() -> None:
    notices, words = worded("en")
    english = [
        Notice(n.kind, "file it by 2026-10-20", n.account, n.responsible, n.label) for n in notices
    ]
    with FakeWeCom() as robot:
        assert send(robot.webhook, english, words=words).ok
        (message,) = robot.messages
        content = message["markdown"]["content"]
    assert content.startswith("**matrixpub alerts (2 in all)**")
    assert "**account not updated** file it by 2026-10-20 (account: 区文旅局)" in content
    assert "(responsible: 张三)" in content and "(responsible: not on record)" in content


def test_the_robots_refusals_are_said_not_raised() -> None:
    clock = FakeClock()
    with FakeWeCom(clock=clock) as robot:
        wrong = robot.webhook.replace("robot-key", "other")
        refused = send(wrong, NOTICES)
        assert not refused.ok and "93000" in refused.detail
        for _ in range(20):
            assert send(robot.webhook, NOTICES[:1]).ok
        limited = send(robot.webhook, NOTICES[:1])
        assert not limited.ok and limited.rate_limited and "45009" in limited.detail
        assert len(robot.messages) == 20
        clock.advance(60)  # a minute later the robot takes messages again
        assert send(robot.webhook, NOTICES[:1]).ok
        # The protocol's own answers, asked directly.
        assert (
            requests.post(robot.webhook, json={"msgtype": "image"}, timeout=10).json()["errcode"]
            == 40008
        )
        long = {"msgtype": "text", "text": {"content": "字" * 700}}  # 2,100 bytes
        assert requests.post(robot.webhook, json=long, timeout=10).json()["errcode"] == 45002


def test_long_lists_go_as_several_messages_within_the_limit() -> None:
    many = [
        Notice("update_due", f"账号{i} 还有 3 天将超期" + "说明" * 40, f"账号{i}")
        for i in range(60)
    ]
    messages = compose(many)
    assert len(messages) > 1 and all(len(m.encode()) <= 4096 for m in messages)
    with FakeWeCom() as robot:
        assert send(robot.webhook, many).ok
        assert len(robot.messages) == len(messages)


def test_any_webhook_gets_json() -> None:
    with FakeWebhook() as hook:
        assert send(hook.endpoint, NOTICES).ok
        (payload,) = hook.payloads
        assert [a["account"] for a in payload["alerts"]] == ["区文旅局", "区教育局"]
        assert "张三" in payload["text"]
        hook.inject("/hooks/matrixpub", FakeWebhook.reply(503))
        refused = send(hook.endpoint, NOTICES[:1])
        assert not refused.ok and "HTTP 503" in refused.detail
    closed = send("http://127.0.0.1:9/hook", NOTICES)
    assert not closed.ok and "could not be reached" in closed.detail

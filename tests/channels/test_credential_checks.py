"""Each API channel tries an account's credentials with the platform's cheapest
authenticated call, against the fake platforms, without publishing anything."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from channels.base import ChecksCredentials
from channels.registry import CHANNEL_CLASSES
from channels.webhook import WebhookChannel
from channels.wechat import WeChatOAChannel
from channels.weibo import WeiboChannel
from domain.credentials import FIELDS
from tests.fakes import FakeWebhook, FakeWeibo
from tests.fakes.clock import FakeClock

NOW = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)


def test_every_channel_that_takes_credentials_can_check_them():
    takes = {platform.value for platform in FIELDS}
    checks = {cls.key for cls in CHANNEL_CLASSES if issubclass(cls, ChecksCredentials)}
    assert checks == takes == {"wechat_oa", "wechat_service", "weibo", "webhook"}


def test_wechat_credentials_that_work(channel_config, wechat_fake, http, make_target):
    channel = WeChatOAChannel(channel_config, base_url=wechat_fake.url)
    check = channel.check_credentials(
        make_target("wechat_oa"), secret=wechat_fake.secret, http=http
    )
    assert check.ok and "get_api_domain_ip" in check.detail
    assert [r.path for r in wechat_fake.requests] == [
        "/cgi-bin/stable_token",
        "/cgi-bin/get_api_domain_ip",
    ]
    assert wechat_fake.published == [] and wechat_fake.drafts == {}


def test_wechat_wrong_appsecret_and_ip_whitelist(channel_config, wechat_fake, http, make_target):
    channel = WeChatOAChannel(channel_config, base_url=wechat_fake.url)
    wrong = {"appid": wechat_fake.appid, "appsecret": "wrong-secret-0000"}
    check = channel.check_credentials(make_target("wechat_oa"), secret=wrong, http=http)
    assert not check.ok and "rejected the credentials" in check.detail
    assert "wrong-secret-0000" not in check.detail
    wechat_fake.ip_whitelist = {"203.0.113.7"}
    check = channel.check_credentials(
        make_target("wechat_oa"), secret=wechat_fake.secret, http=http
    )
    assert not check.ok and "IP whitelist" in check.detail


def test_weibo_token_info_gives_the_expiry(channel_config, http, make_target):
    clock = FakeClock()
    with FakeWeibo(token_ttl=30 * 86_400, clock=clock) as fake:
        channel = WeiboChannel(replace(channel_config, weibo_rip="203.0.113.10"), base_url=fake.url)
        channel.clock = lambda: NOW
        check = channel.check_credentials(make_target("weibo"), secret=fake.secret, http=http)
        assert check.ok and check.expires_at == NOW + timedelta(days=30)
        assert "rip" not in check.detail
        clock.advance(31 * 86_400)
        expired = channel.check_credentials(make_target("weibo"), secret=fake.secret, http=http)
        assert not expired.ok and "authorised again" in expired.detail
        assert fake.statuses == []


def test_weibo_check_says_when_no_rip_is_set(channel_config, weibo_fake, http, make_target):
    channel = WeiboChannel(channel_config, base_url=weibo_fake.url)
    check = channel.check_credentials(make_target("weibo"), secret=weibo_fake.secret, http=http)
    assert check.ok and "MATRIXPUB_WEIBO_RIP" in check.detail


def test_webhook_signed_ping(channel_config, webhook_fake, http, make_target):
    channel = WebhookChannel(channel_config)
    target = make_target("webhook", url=webhook_fake.endpoint)
    good = channel.check_credentials(
        target, secret={"signing_secret": "whsec-test-4f1c9a"}, http=http
    )
    assert good.ok and "signed ping" in good.detail
    [request] = webhook_fake.requests
    assert request.extra == {"signature_valid": True, "ping": True}
    assert webhook_fake.payloads == [] and not webhook_fake.deliveries
    bad = channel.check_credentials(target, secret={"signing_secret": "other-secret"}, http=http)
    assert not bad.ok and "does not accept this signing secret" in bad.detail
    assert "other-secret" not in bad.detail


def test_webhook_without_a_secret_or_endpoint(channel_config, http, make_target):
    channel = WebhookChannel(channel_config)
    with FakeWebhook(signing_secret=None) as fake:
        target = make_target("webhook", url=fake.endpoint)
        assert not channel.check_credentials(target, secret={}, http=http).ok
        unsigned = channel.check_credentials(replace(target, unsigned=True), secret={}, http=http)
        assert unsigned.ok and "unsigned" in unsigned.detail
    assert not channel.check_credentials(make_target("webhook"), secret={}, http=http).ok

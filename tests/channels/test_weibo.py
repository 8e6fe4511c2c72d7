"""The Weibo channel against a fake api.weibo.com on 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace

import pytest

from channels.base import Channel, ChannelConfig, CountUnit, DeliveryState, Quota, RenderInput
from channels.counting import count
from channels.rendering import template_exists
from channels.weibo import SPEC, WeiboChannel
from domain.content import ChannelOverride, Content
from domain.errors import (
    AccountHeld,
    OutcomeUnknown,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from tests.fakes import Acted, Drop, FakeWeibo, Slow
from tests.fakes.weibo import SHARE, weibo_length

LINK = "https://www.example.gov.cn/news/41/index.html"


RIP = "203.0.113.10"  # the organisation's public address (MATRIXPUB_WEIBO_RIP)


@pytest.fixture
def channel(channel_config, weibo_fake):
    return WeiboChannel(replace(channel_config, weibo_rip=RIP), base_url=weibo_fake.url)


def source(*, summary=None, body="正文", override=None, link=LINK, cover=None, title="标题"):
    overrides = {"weibo": override} if override else {}
    content = Content(title=title, body=body, summary=summary, overrides=overrides)
    return RenderInput(draft_id=41, content=content, cover=cover, website_url=link)


def share(channel, variant, fake, http, make_target, key="post-1-weibo", secret=None):
    return channel.publish(
        variant,
        make_target("weibo"),
        secret=secret if secret is not None else fake.secret,
        key=key,
        http=http,
    )


# -- render -------------------------------------------------------------------------------


def test_channel_meets_the_protocol_and_has_its_template(channel_config):
    assert isinstance(WeiboChannel(channel_config), Channel)
    assert template_exists(f"channels/{SPEC.template_name}")


def test_spec_holds_the_platform_facts():
    assert SPEC.key == "weibo" and SPEC.count_unit is CountUnit.WEIBO
    assert SPEC.body_max == 140 and SPEC.max_images == 1
    assert SPEC.quota == Quota(30, "hour")  # 30 posts an hour [V], the default policy
    assert SPEC.limits == (Quota(100, "day"),)  # and 100 API calls a day [V], always
    assert SPEC.template_name == "weibo.txt.j2"
    assert SPEC.cover is not None and SPEC.cover.max_bytes <= 5_000_000


def test_status_is_the_short_text_plus_the_website_link(channel):
    variant = channel.render(source(summary="今天召开全市防汛工作会议。"))
    assert variant.fields["status"] == f"今天召开全市防汛工作会议。 {LINK}"
    [measure] = variant.measures
    assert measure.unit == "weibo" and measure.limit == 140
    assert measure.value == weibo_length(variant.fields["status"])
    assert variant.violations == ()


def test_two_ascii_characters_count_as_one(channel):
    text = "Flood-control drill " * 10  # 200 ASCII characters
    variant = channel.render(source(summary=text.strip()))
    status = variant.fields["status"]
    assert len(status) > 140
    # The link counts as 20 half-units, whatever its length.
    assert variant.measures[0].value == (len(status) - len(LINK) + 20 + 1) // 2 <= 140
    assert variant.violations == ()


def test_too_long_with_a_link_uses_the_summary(channel):
    long_body = "全市各级各部门要切实做好防汛准备工作。" * 12
    variant = channel.render(
        source(summary="防汛会议要点。", override=ChannelOverride(body=long_body))
    )
    assert variant.fields["status"] == f"防汛会议要点。 {LINK}"
    assert "摘要" in variant.fields["notes"]
    assert variant.violations == ()


def test_too_long_with_a_link_and_no_summary_is_cut_at_a_sentence(channel):
    sentences = "".join(f"第{n}条，全市各级各部门要切实做好防汛准备工作。" for n in range(1, 12))
    variant = channel.render(source(override=ChannelOverride(body=sentences)))
    status = variant.fields["status"]
    assert status.endswith(f"。… {LINK}")
    assert count(status, CountUnit.WEIBO) <= 140
    assert sentences.startswith(status.removesuffix(f"… {LINK}"))
    assert variant.violations == ()
    assert "截断" in variant.fields["notes"]


def test_too_long_without_a_link_is_a_violation_and_never_cut(channel):
    text = "全市各级各部门要切实做好防汛准备工作。" * 10
    variant = channel.render(source(summary=text, link=None))
    assert variant.fields["status"] == text
    codes = sorted(v.code for v in variant.violations)
    assert codes == ["no_link", "too_long"]


def test_no_link_at_all_is_a_violation(channel):
    variant = channel.render(source(summary="今天召开防汛会议。", link=None))
    assert [v.code for v in variant.violations] == ["no_link"]


def test_a_safe_domain_url_in_the_text_is_enough(channel):
    text = "详见 https://www.example.gov.cn/notice/9.html 。"
    variant = channel.render(source(summary=text, link=None))
    assert variant.violations == ()


def test_a_long_link_counts_twenty_half_units_so_the_whole_text_fits(
    channel, weibo_fake, http, make_target
):
    # 125 汉字 + a space + the 44-character link: 136 as Weibo counts, so nothing is cut.
    text = "全市各级各部门要切实做好防汛准备工作。" * 6 + "请广大市民密切关注天气"
    assert len(text) == 125
    variant = channel.render(source(summary=text))
    assert variant.fields["status"] == f"{text} {LINK}"
    assert variant.measures[0].value == weibo_length(variant.fields["status"]) == 136
    assert variant.fields["notes"] == "" and variant.violations == ()
    assert share(channel, variant, weibo_fake, http, make_target).state is (DeliveryState.PUBLISHED)


def test_a_short_link_still_counts_twenty_half_units(tmp_path, http, make_target):
    # With a 14-byte link, 132 汉字 count 140 if the link counted its own length, but 143
    # as Weibo counts: the platform would refuse it (20012) after it was signed.
    config = ChannelConfig(
        site_dir=tmp_path / "site",
        site_url="https://e.cn",
        package_dir=tmp_path / "pk",
        weibo_rip=RIP,
    )
    text = "防汛" * 66
    with FakeWeibo(safe_domain="e.cn") as fake:
        channel = WeiboChannel(config, base_url=fake.url)
        variant = channel.render(source(summary=text, link="https://e.cn/1"))
        status = variant.fields["status"]
        assert variant.measures[0].value == weibo_length(status) <= 140
        assert status != f"{text} https://e.cn/1"  # shortened, with the link kept
        assert status.endswith("… https://e.cn/1") and variant.violations == ()
        assert share(channel, variant, fake, http, make_target).state is (DeliveryState.PUBLISHED)


def test_topics_are_converted_and_noted(channel):
    variant = channel.render(source(summary="#防汛# 今天召开#全市#防汛会议。"))
    assert variant.fields["status"] == f"防汛 今天召开全市防汛会议。 {LINK}"
    assert "#" not in variant.fields["status"]
    assert "话题" in variant.fields["notes"]


def test_plain_text_is_not_html_escaped_and_not_a_template(channel):
    variant = channel.render(source(summary='A&B <b>加粗</b> {{ 7*7 }} "引号"'))
    assert variant.fields["status"] == f'A&B <b>加粗</b> {{{{ 7*7 }}}} "引号" {LINK}'


def test_cover_becomes_the_pic(channel, picture):
    variant = channel.render(source(summary="会议。", cover=picture(3000, 2000)))
    pic = variant.image("cover")
    assert pic is not None and pic.width == 2048 and pic.media_type == "image/jpeg"


def test_render_is_deterministic(channel, picture):
    src = source(summary="会议。", cover=picture())
    assert channel.render(src).hash == channel.render(src).hash


# -- publish ------------------------------------------------------------------------------


def test_share_without_picture_is_form_encoded(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="今天召开全市防汛工作会议。"))
    receipt = share(channel, variant, weibo_fake, http, make_target)

    [request] = weibo_fake.calls(SHARE)
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert request.form["status"] == variant.fields["status"]
    assert request.form["access_token"] == weibo_fake.access_token
    assert request.files == {}
    status = weibo_fake.statuses[0]
    assert receipt.state is DeliveryState.PUBLISHED
    assert receipt.external_id == status["idstr"]
    assert receipt.url == f"https://weibo.com/{weibo_fake.uid}/{status['mid']}"
    assert receipt.data["key"] == "post-1-weibo"
    assert weibo_fake.deliveries[variant.fields["status"]] == 1


def test_share_sends_rip_the_now_required_real_ip(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="今天召开全市防汛工作会议。"))
    share(channel, variant, weibo_fake, http, make_target)
    [request] = weibo_fake.calls(SHARE)
    assert request.form["rip"] == RIP


def test_an_accounts_own_rip_wins(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="会议。"))
    secret = {**weibo_fake.secret, "rip": "198.51.100.7"}
    share(channel, variant, weibo_fake, http, make_target, secret=secret)
    assert weibo_fake.calls(SHARE)[0].form["rip"] == "198.51.100.7"


@pytest.mark.parametrize("rip", [None, "not-an-ip"])
def test_without_a_usable_rip_nothing_is_sent_and_the_account_waits(
    channel_config, weibo_fake, http, make_target, rip
):
    channel = WeiboChannel(channel_config, base_url=weibo_fake.url)
    variant = channel.render(source(summary="会议。"))
    secret = {**weibo_fake.secret, **({"rip": rip} if rip else {})}
    with pytest.raises(AccountHeld) as caught:
        share(channel, variant, weibo_fake, http, make_target, secret=secret)
    held = caught.value
    assert held.kind == "weibo_rip" and held.until is None
    assert "rip" in held.message and "MATRIXPUB_WEIBO_RIP" in held.message
    assert weibo_fake.requests == []


def test_the_fake_refuses_a_share_without_rip(weibo_fake, http):
    answer = http.post(
        f"{weibo_fake.url}{SHARE}",
        data={
            "access_token": weibo_fake.access_token,
            "status": "会议 https://www.example.gov.cn/",
        },
        timeout=5,
    )
    assert answer.status_code == 400 and answer.json()["error_code"] == 10016
    assert "rip" in answer.json()["error"]


def test_a_bare_token_secret_block_works(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="会议。"))
    secret = {"token": weibo_fake.access_token}
    assert share(channel, variant, weibo_fake, http, make_target, secret=secret).state is (
        DeliveryState.PUBLISHED
    )


def test_share_with_picture_is_multipart(channel, weibo_fake, http, make_target, picture):
    variant = channel.render(source(summary="现场图片。", cover=picture()))
    receipt = share(channel, variant, weibo_fake, http, make_target)

    [request] = weibo_fake.calls(SHARE)
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    assert request.form["status"] == variant.fields["status"]
    pic = request.files["pic"]
    assert pic.sha256 == variant.image("cover").sha256 and pic.size == len(
        variant.image("cover").data
    )
    assert receipt.state is DeliveryState.PUBLISHED
    assert "original_pic" in weibo_fake.statuses[0]


def test_repeated_content_is_permanent(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="同一条微博。"))
    share(channel, variant, weibo_fake, http, make_target, key="a")
    with pytest.raises(PermanentDeliveryError, match="two identical posts in a row") as caught:
        share(channel, variant, weibo_fake, http, make_target, key="b")
    assert caught.value.code == 20019
    assert weibo_fake.deliveries[variant.fields["status"]] == 1


def test_expired_token_is_permanent(channel, weibo_fake, http, make_target):
    weibo_fake.expire_token()
    variant = channel.render(source(summary="会议。"))
    with pytest.raises(PermanentDeliveryError, match="authorised again") as caught:
        share(channel, variant, weibo_fake, http, make_target)
    assert caught.value.code == 21327


def test_invalid_token_is_permanent_and_not_shown(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="会议。"))
    wrong = {"access_token": "2.00wrong-token-abcdef"}
    with pytest.raises(PermanentDeliveryError, match="rejected the access token") as caught:
        share(channel, variant, weibo_fake, http, make_target, secret=wrong)
    assert caught.value.code == 21332
    assert "2.00wrong-token-abcdef" not in str(caught.value)


@pytest.mark.parametrize("code", [10023, 10024, 10022])
def test_rate_limits_are_transient(channel, weibo_fake, http, make_target, code):
    weibo_fake.inject(SHARE, FakeWeibo.error(code, status=403))
    variant = channel.render(source(summary="会议。"))
    with pytest.raises(TransientDeliveryError, match="rate limit") as caught:
        share(channel, variant, weibo_fake, http, make_target)
    assert caught.value.code == code


def test_other_errors_are_permanent_with_the_platforms_words(
    channel, weibo_fake, http, make_target
):
    weibo_fake.inject(SHARE, FakeWeibo.error(20012))
    variant = channel.render(source(summary="会议。"))
    with pytest.raises(PermanentDeliveryError, match="20012 Text too long"):
        share(channel, variant, weibo_fake, http, make_target)


def test_a_variant_with_violations_is_never_sent(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="会议。", link=None))
    with pytest.raises(PermanentDeliveryError, match="unresolved"):
        share(channel, variant, weibo_fake, http, make_target)
    assert weibo_fake.requests == []


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_a_gateway_error_after_share_acted_is_outcome_unknown(
    channel, weibo_fake, http, make_target, status
):
    """Weibo posted it, then a gateway answered an error: a resend would post it twice."""
    weibo_fake.inject(SHARE, Acted(status))
    variant = channel.render(source(summary="会议。"))
    with pytest.raises(OutcomeUnknown, match=f"HTTP {status}.*not sent again") as caught:
        share(channel, variant, weibo_fake, http, make_target)
    assert caught.value.code == status
    assert weibo_fake.deliveries[variant.fields["status"]] == 1  # it did go out


@pytest.mark.parametrize("code", [10001, 10002, 10009])
def test_busy_after_share_is_outcome_unknown(channel, weibo_fake, http, make_target, code):
    weibo_fake.inject(SHARE, FakeWeibo.error(code, status=503))
    with pytest.raises(OutcomeUnknown, match="busy") as caught:
        share(channel, channel.render(source(summary="会议。")), weibo_fake, http, make_target)
    assert caught.value.code == code


@pytest.mark.parametrize("fault", [Slow(2.0), Drop()], ids=["timeout", "dropped"])
def test_lost_answer_is_outcome_unknown(channel, weibo_fake, http, make_target, fault):
    weibo_fake.inject(SHARE, fault)
    variant = channel.render(source(summary="会议。"))
    with pytest.raises(OutcomeUnknown) as caught:
        share(channel, variant, weibo_fake, http, make_target)
    assert weibo_fake.count(SHARE) == 1
    assert weibo_fake.deliveries[variant.fields["status"]] == 1  # it did go out
    assert weibo_fake.access_token not in str(caught.value)


def test_connection_refused_is_transient(channel_config, http, make_target, closed_port):
    config = replace(channel_config, weibo_rip=RIP)
    channel = WeiboChannel(config, base_url=f"http://127.0.0.1:{closed_port}")
    variant = channel.render(source(summary="会议。"))
    with pytest.raises(TransientDeliveryError, match="nothing was sent"):
        channel.publish(
            variant, make_target("weibo"), secret={"access_token": "t0k3n-x"}, key="k", http=http
        )


@pytest.mark.parametrize(
    "fault",
    [Acted(502), Slow(2.0), Drop(), FakeWeibo.error(10023), FakeWeibo.error(21332)],
    ids=["502", "timeout", "dropped", "10023", "21332"],
)
def test_token_never_appears_in_errors(channel, weibo_fake, http, make_target, fault):
    weibo_fake.inject(SHARE, fault)
    variant = channel.render(source(summary="会议。"))
    with pytest.raises((TransientDeliveryError, PermanentDeliveryError, OutcomeUnknown)) as caught:
        share(channel, variant, weibo_fake, http, make_target)
    shown = f"{caught.value} {caught.value!r}"
    assert weibo_fake.access_token not in shown
    assert caught.value.__cause__ is None


def test_status_returns_the_receipt(channel, weibo_fake, http, make_target):
    variant = channel.render(source(summary="会议。"))
    receipt = share(channel, variant, weibo_fake, http, make_target)
    assert channel.status(receipt, make_target("weibo"), secret=None, http=http) == receipt

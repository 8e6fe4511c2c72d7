"""The WeChat official-account channels against a fake api.weixin.qq.com on 127.0.0.1."""

from __future__ import annotations

import html
import logging
import threading
from datetime import UTC, datetime

import pytest
import requests

from channels.base import (
    Channel,
    CountUnit,
    DeliveryState,
    MemoryMediaStore,
    Quota,
    RenderInput,
    Variant,
)
from channels.rendering import template_exists
from channels.wechat import (
    SPEC_OA,
    SPEC_SERVICE,
    UPLOADED_URL_CHARS,
    WeChatOAChannel,
    WeChatServiceChannel,
)
from domain.content import ChannelOverride, Content
from domain.errors import (
    AccountHeld,
    OutcomeUnknown,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from tests.fakes import Acted, Drop, FakeWeChat, Slow, Status
from tests.fakes.clock import FakeClock
from tests.fakes.wechat import article_digest

TOKEN = "/cgi-bin/stable_token"
BASIC_TOKEN = "/cgi-bin/token"
UPLOADIMG = "/cgi-bin/media/uploadimg"
MATERIAL = "/cgi-bin/material/add_material"
DRAFT = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
GET = "/cgi-bin/freepublish/get"

BODY = """## 防汛工作部署

全市各级各部门要切实做好防汛准备工作。详见[市应急管理局网站](https://yjj.example.gov.cn/notice/12?a=1&b=2)，
以及[上一期公众号文章](https://mp.weixin.qq.com/s/AbCdEf)。

![水位示意图](water.png)

咨询电话：12345。
"""


DraftInput = RenderInput  # a draft version as the channel renders it


@pytest.fixture
def channel(channel_config, wechat_fake):
    return WeChatOAChannel(channel_config, base_url=wechat_fake.url)


@pytest.fixture
def source(picture):
    return DraftInput(
        draft_id=41,
        content=Content(
            title="关于做好2025年防汛工作的通知", body=BODY, summary="防汛工作部署要点"
        ),
        cover=picture(1600, 900),
        images={"water.png": picture(800, 600, "#228844", "PNG")},
        author="市应急管理局",
    )


@pytest.fixture
def variant(channel, source):
    rendered = channel.render(source)
    assert rendered.violations == ()
    return rendered


def publish(channel, variant, fake, http, make_target, key="post-1-wechat_oa"):
    return channel.publish(
        variant, make_target("wechat_oa"), secret=fake.secret, key=key, http=http
    )


def issued_tokens(fake: FakeWeChat) -> list[str]:
    return [t for account in fake.accounts.values() for t in account.tokens]


# -- render -------------------------------------------------------------------------------


def test_specs_hold_the_platform_facts():
    assert SPEC_OA.key == "wechat_oa" and SPEC_SERVICE.key == "wechat_service"
    assert SPEC_OA.quota == Quota(1, "day") and SPEC_SERVICE.quota == Quota(4, "month")
    for spec in (SPEC_OA, SPEC_SERVICE):
        assert (spec.title_max, spec.summary_max, spec.body_max) == (32, 128, 19_999)
        assert spec.count_unit is CountUnit.CHARS
        assert spec.cover is not None and spec.cover.ratio == (235, 100)
        assert template_exists(f"channels/{spec.template_name}")
    assert SPEC_SERVICE.template_name == "wechat_service.html.j2"


def test_channels_meet_the_protocol(channel_config):
    for cls in (WeChatOAChannel, WeChatServiceChannel):
        assert isinstance(cls(channel_config), Channel)


def test_render_article_fields_and_cover(variant):
    fields = variant.fields
    assert fields["title"] == "关于做好2025年防汛工作的通知"
    assert fields["author"] == "市应急管理局"
    assert fields["digest"] == "防汛工作部署要点"
    cover = variant.image("cover")
    assert cover is not None and (cover.width, cover.height) == (900, 383)
    assert cover.media_type == "image/jpeg" and len(cover.data) <= 1_000_000
    assert fields["pic_crop_235_1"] == "0_0_1_1"
    assert fields["pic_crop_1_1"] == "0.287222_0_0.712778_1"
    measured = {(m.field, m.unit): m for m in variant.measures}
    assert measured[("title", "chars")].value == 16 and measured[("title", "chars")].limit == 32


def test_over_long_title_and_author_are_violations_never_cut(channel, source):
    title = "关" * 33
    rendered = channel.render(
        DraftInput(
            draft_id=1,
            content=Content(title=title, body="正文", summary="摘要"),
            cover=source.cover,
            author="作" * 17,
        )
    )
    assert rendered.fields["title"] == title and rendered.fields["author"] == "作" * 17
    codes = {(v.field, v.code) for v in rendered.violations}
    assert codes == {("title", "too_long"), ("author", "too_long")}
    message = next(v.message for v in rendered.violations if v.field == "title")
    assert "33" in message and "32" in message


def test_title_at_the_limit_is_fine_and_ascii_counts_one_each(channel, source):
    rendered = channel.render(
        DraftInput(draft_id=1, content=Content(title="A" * 32, body="正文"), cover=source.cover)
    )
    assert not any(v.field == "title" for v in rendered.violations)


def test_digest_defaults_to_first_54_chars_of_the_body(channel, source):
    body = "第一段" + "很长的正文" * 30 + "\n\n第二段"
    rendered = channel.render(
        DraftInput(draft_id=1, content=Content(title="标题", body=body), cover=source.cover)
    )
    assert rendered.fields["digest"] == ("第一段" + "很长的正文" * 30)[:54]
    assert len(rendered.fields["digest"]) == 54
    assert rendered.violations == ()  # a documented rule, not a problem
    assert "54" in rendered.fields["notes"]


def test_an_authors_long_digest_is_a_violation(channel, source):
    rendered = channel.render(
        DraftInput(
            draft_id=1,
            content=Content(title="标题", body="正文", summary="摘" * 129),
            cover=source.cover,
        )
    )
    assert rendered.fields["digest"] == "摘" * 129
    assert [(v.field, v.code) for v in rendered.violations] == [("digest", "too_long")]


def test_external_links_move_to_notes_and_the_first_becomes_read_more(variant):
    content = variant.fields["content"]
    # The WeChat article stays a link; the other site does not.
    assert '<a href="https://mp.weixin.qq.com/s/AbCdEf"' in content
    assert 'yjj.example.gov.cn/notice/12?a=1&amp;b=2"' not in content
    assert '<a href="https://yjj' not in content
    assert "市应急管理局网站" in content
    assert "相关链接：" in content
    assert "市应急管理局网站：https://yjj.example.gov.cn/notice/12?a=1&amp;b=2" in content
    assert variant.fields["content_source_url"] == "https://yjj.example.gov.cn/notice/12?a=1&b=2"


def test_the_website_article_wins_as_read_more(channel, source):
    website = "https://www.example.gov.cn/notice/41/index.html"
    rendered = channel.render(
        DraftInput(
            draft_id=41,
            content=source.content,
            cover=source.cover,
            images=source.images,
            website_url=website,
        )
    )
    assert rendered.fields["content_source_url"] == website
    assert "https://yjj.example.gov.cn/notice/12" in rendered.fields["content"]  # still noted


def test_too_long_read_more_link_is_a_violation(channel, source):
    long_url = "https://www.example.gov.cn/" + "a" * 1100
    rendered = channel.render(
        DraftInput(
            draft_id=1,
            content=Content(title="标题", body="正文"),
            cover=source.cover,
            website_url=long_url,
        )
    )
    assert [(v.field, v.code) for v in rendered.violations] == [("content_source_url", "too_long")]


def test_content_over_20000_chars_is_a_violation_never_cut(channel, source):
    body = "\n\n".join("长" * 1000 for _ in range(21))
    rendered = channel.render(
        DraftInput(draft_id=1, content=Content(title="标题", body=body), cover=source.cover)
    )
    assert rendered.fields["content"].count("长") == 21_000
    assert ("content", "too_long") in {(v.field, v.code) for v in rendered.violations}


def _article_of_length(channel, source, target: int) -> Variant:
    """A two-picture article whose content, as WeChat will receive it, is ``target``
    characters long: each placeholder measured as the uploaded picture's URL."""
    pictures = "![水位](water.png)\n\n![地图](map.png)\n\n"
    images = {"water.png": source.images["water.png"], "map.png": source.cover}

    def render(n: int) -> Variant:
        content = Content(title="防汛通知", body=pictures + "字" * n)
        return channel.render(
            DraftInput(draft_id=1, content=content, cover=source.cover, images=images)
        )

    one = next(m for m in render(1).measures if m.unit == "chars" and m.field == "content")
    return render(1 + target - one.value)


def test_content_length_counts_the_uploaded_picture_urls(channel, source):
    # Signed with short placeholders (image-1.jpg), this article measured well under
    # 20,000 characters; as sent, with WeChat's picture URLs, it is over: 45002 after
    # approval. It must be refused at render time instead.
    variant = _article_of_length(channel, source, 19_999)
    placeholders = variant.fields["content"]
    assert placeholders.count('src="image-') == 2
    assert len(placeholders) == 19_999 - 2 * (UPLOADED_URL_CHARS - len("image-1.jpg"))
    over = _article_of_length(channel, source, 20_000)
    assert ("content", "too_long") in {(v.field, v.code) for v in over.violations}
    assert len(over.fields["content"]) < 19_999 - 200  # by the placeholders alone: fine


def test_an_article_at_the_measured_limit_is_accepted_by_wechat(
    channel, source, wechat_fake, http, make_target
):
    variant = _article_of_length(channel, source, 19_999)
    assert variant.violations == ()
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    assert receipt.state is DeliveryState.PUBLISHED
    [article] = wechat_fake.published
    assert len(article["content"]) <= 19_999


def test_body_pictures_become_variant_images_with_placeholders(variant):
    image = variant.image("image-1")
    assert image is not None and image.media_type == "image/jpeg"
    assert image.width == 800 and len(image.data) < 1_000_000
    assert '<img src="image-1.jpg" alt="水位示意图">' in variant.fields["content"]


def test_external_and_missing_pictures_are_violations(channel, source):
    body = "![外部](https://cdn.example.com/a.png)\n\n![没附](missing.png)\n"
    rendered = channel.render(
        DraftInput(draft_id=1, content=Content(title="标题", body=body), cover=source.cover)
    )
    assert sorted(v.code for v in rendered.violations) == ["external_image", "missing_image"]
    assert "cdn.example.com" not in rendered.fields["content"]
    assert "<img" not in rendered.fields["content"]


def test_missing_cover_is_a_violation(channel):
    rendered = channel.render(RenderInput(draft_id=1, content=Content(title="标题", body="正文")))
    assert [(v.field, v.code) for v in rendered.violations] == [("cover", "missing")]


def test_render_is_deterministic(channel, source):
    assert channel.render(source).hash == channel.render(source).hash


def test_draft_text_is_data_not_template_and_scripts_never_pass(channel, source):
    body = "\n\n".join(
        ["{{ 7*7 }} {% if true %}x{% endif %}", "<script>alert(1)</script>", "[x](javascript:1)"]
    )
    rendered = channel.render(
        DraftInput(draft_id=1, content=Content(title="{{ 7*7 }}", body=body), cover=source.cover)
    )
    content = rendered.fields["content"]
    assert "{{ 7*7 }}" in content and "49" not in content
    assert "{% if true %}" in content
    assert "<script" not in content and 'href="javascript' not in content
    assert rendered.fields["title"] == "{{ 7*7 }}"


def test_channel_override_is_used(channel, source):
    content = Content(
        title="网站标题",
        body="网站正文",
        overrides={"wechat_oa": ChannelOverride(title="公众号标题", body="公众号正文")},
    )
    rendered = channel.render(DraftInput(draft_id=1, content=content, cover=source.cover))
    assert rendered.fields["title"] == "公众号标题"
    assert "公众号正文" in rendered.fields["content"]


def test_service_account_renders_the_same_article(channel_config, source, variant):
    service = WeChatServiceChannel(channel_config).render(source)
    assert service.channel == "wechat_service"
    assert service.fields == variant.fields


# -- publish: the happy path --------------------------------------------------------------


def test_publish_uploads_pictures_creates_draft_and_publishes(
    channel, variant, wechat_fake, http, make_target
):
    receipt = publish(channel, variant, wechat_fake, http, make_target)

    assert receipt.state is DeliveryState.PUBLISHED
    assert receipt.url and receipt.url.startswith("https://mp.weixin.qq.com/s/")
    assert receipt.external_id == receipt.data["publish_id"]
    assert receipt.data["key"] == "post-1-wechat_oa"
    assert [r.path for r in wechat_fake.requests] == [
        TOKEN,
        UPLOADIMG,
        MATERIAL,
        DRAFT,
        SUBMIT,
        GET,
    ]

    # The body picture went through uploadimg and its URL replaced the placeholder.
    upload = wechat_fake.calls(UPLOADIMG)[0].files["media"]
    assert upload.sha256 == variant.image("image-1").sha256
    [url] = wechat_fake.body_images
    article = wechat_fake.calls(DRAFT)[0].json["articles"][0]
    assert f'<img src="{html.escape(url)}" alt="水位示意图">' in article["content"]
    assert "image-1.jpg" not in article["content"]
    # The cover is a permanent material and its media_id is the thumb.
    material = wechat_fake.calls(MATERIAL)[0]
    assert material.query["type"] == "image"
    assert material.files["media"].sha256 == variant.image("cover").sha256
    assert article["thumb_media_id"] in wechat_fake.materials
    assert article["thumb_media_id"] == receipt.data["thumb_media_id"]
    # Everything else exactly as rendered.
    for name in ("title", "author", "digest", "content_source_url"):
        assert article[name] == variant.fields[name]
    assert article["need_open_comment"] == 0 and article["pic_crop_235_1"] == "0_0_1_1"
    assert article["content"] == variant.fields["content"].replace("image-1.jpg", html.escape(url))
    # Sent as UTF-8, not \\u escapes (the fake refuses those), and published exactly once.
    assert "关于做好".encode() in wechat_fake.calls(DRAFT)[0].body
    assert wechat_fake.deliveries[article_digest(article)] == 1
    assert wechat_fake.drafts == {}  # the published draft left the draft box


def test_token_is_fetched_once_and_cached(channel, variant, wechat_fake, http, make_target):
    publish(channel, variant, wechat_fake, http, make_target, key="a")
    publish(channel, variant, wechat_fake, http, make_target, key="b")
    assert wechat_fake.count(TOKEN) == 1
    assert wechat_fake.count(SUBMIT) == 2


def test_concurrent_publishes_share_one_token_fetch(channel, variant, wechat_fake, make_target):
    errors: list[BaseException] = []

    def send(n: int) -> None:
        with requests.Session() as session:
            session.trust_env = False
            try:
                publish(channel, variant, wechat_fake, session, make_target, key=f"k{n}")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert wechat_fake.count(TOKEN) == 1 and wechat_fake.count(SUBMIT) == 8


# -- publish: tokens ----------------------------------------------------------------------


def other_system_token(fake: FakeWeChat) -> str:
    """What the account's other systems (a menu editor, a customer-service tool) do: fetch
    a token with plain ``GET cgi-bin/token``."""
    answer = requests.get(
        f"{fake.url}{BASIC_TOKEN}",
        params={"grant_type": "client_credential", "appid": fake.appid, "secret": fake.appsecret},
        timeout=5,
    ).json()
    return answer["access_token"]


def test_the_fake_invalidates_a_token_five_minutes_after_the_next_fetch():
    clock = FakeClock()
    with FakeWeChat(clock=clock) as fake:
        first = other_system_token(fake)
        second = other_system_token(fake)
        clock.advance(299)
        assert fake.token_valid(first) and fake.token_valid(second)
        clock.advance(2)
        assert not fake.token_valid(first) and fake.token_valid(second)


def test_tokens_come_from_stable_token_and_spare_the_accounts_other_systems(
    channel_config, variant, http, make_target
):
    clock = FakeClock()
    with FakeWeChat(clock=clock) as fake:
        theirs = other_system_token(fake)
        # Two dispatcher processes: two channels, each with its own token cache.
        one = WeChatOAChannel(channel_config, base_url=fake.url)
        two = WeChatOAChannel(channel_config, base_url=fake.url)
        publish(one, variant, fake, http, make_target, key="a")
        publish(two, variant, fake, http, make_target, key="b")
        clock.advance(301)
        publish(one, variant, fake, http, make_target, key="c")

        assert fake.count(BASIC_TOKEN) == 1  # only the other system's own fetch
        assert [r.json["force_refresh"] for r in fake.calls(TOKEN)] == [False, False]
        ours = {r.query["access_token"] for r in fake.calls(SUBMIT)}
        assert len(ours) == 1  # both processes hold the same stable token
        assert fake.token_valid(theirs), "our token fetch cut off another system's token"
        assert fake.calls(TOKEN)[0].json == {
            "grant_type": "client_credential",
            "appid": fake.appid,
            "secret": fake.appsecret,
            "force_refresh": False,
        }


def test_force_refresh_only_after_a_fresh_token_is_refused(
    channel, variant, wechat_fake, http, make_target
):
    publish(channel, variant, wechat_fake, http, make_target, key="a")  # a cached token
    wechat_fake.inject(DRAFT, wechat_fake.error(40001), times=2)
    receipt = publish(channel, variant, wechat_fake, http, make_target, key="b")
    assert receipt.state is DeliveryState.PUBLISHED
    # The cached token refused: ask again (stable_token gives the same one while it is
    # valid); refused again, fresh as it is: only now force a new one.
    assert [r.json["force_refresh"] for r in wechat_fake.calls(TOKEN)] == [False, False, True]
    first, refused, again, forced = [r.query["access_token"] for r in wechat_fake.calls(DRAFT)]
    assert first == refused == again != forced
    assert wechat_fake.count(SUBMIT) == 2


def test_invalid_credential_40001_on_a_fresh_token_forces_a_new_one(
    channel, variant, wechat_fake, http, make_target
):
    wechat_fake.inject(DRAFT, wechat_fake.error(40001))
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    assert receipt.state is DeliveryState.PUBLISHED
    assert [r.json["force_refresh"] for r in wechat_fake.calls(TOKEN)] == [False, True]
    assert wechat_fake.count(DRAFT) == 2 and wechat_fake.count(SUBMIT) == 1
    first, second = wechat_fake.calls(DRAFT)
    assert first.query["access_token"] != second.query["access_token"]


def test_expired_token_42001_refreshes_the_token_once(
    channel, variant, wechat_fake, http, make_target
):
    publish(channel, variant, wechat_fake, http, make_target, key="a")
    wechat_fake.expire_tokens()  # the real thing: the fake now answers 42001 to the old token
    receipt = publish(channel, variant, wechat_fake, http, make_target, key="b")
    assert receipt.state is DeliveryState.PUBLISHED
    assert wechat_fake.count(TOKEN) == 2
    # The pictures were uploaded once, by the first post; draft/add was refused once with
    # 42001, then repeated with a new token.
    assert wechat_fake.count(UPLOADIMG) == 1 and wechat_fake.count(DRAFT) == 3


def test_revoked_token_40001_from_the_platform_refreshes(
    channel, variant, wechat_fake, http, make_target
):
    publish(channel, variant, wechat_fake, http, make_target, key="a")
    wechat_fake.revoke_tokens()
    assert publish(channel, variant, wechat_fake, http, make_target, key="b").state is (
        DeliveryState.PUBLISHED
    )
    assert wechat_fake.count(TOKEN) == 2


def test_40001_after_a_forced_refresh_is_permanent(
    channel, variant, wechat_fake, http, make_target
):
    wechat_fake.inject(DRAFT, wechat_fake.error(40001), times=2)
    with pytest.raises(PermanentDeliveryError, match="rejected the credentials") as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    assert caught.value.code == 40001
    assert [r.json["force_refresh"] for r in wechat_fake.calls(TOKEN)] == [False, True]
    assert wechat_fake.count(SUBMIT) == 0


def test_wrong_appsecret_is_permanent(channel, variant, wechat_fake, http, make_target):
    secret = {"appid": wechat_fake.appid, "appsecret": "wrong-secret-value"}
    with pytest.raises(PermanentDeliveryError, match="rejected the credentials") as caught:
        channel.publish(variant, make_target("wechat_oa"), secret=secret, key="k", http=http)
    assert "wrong-secret-value" not in str(caught.value)


def test_missing_credentials_hold_the_account(channel, variant, wechat_fake, http, make_target):
    """Nothing is sent: the account's posts wait in a paused queue (no time to wait for),
    and the message says how to store the credentials, as for Weibo without its login."""
    target = make_target("wechat_oa")
    for secret in (None, {"appid": "wx1"}):
        with pytest.raises(AccountHeld, match="no credentials") as caught:
            channel.publish(variant, target, secret=secret, key="k", http=http)
        assert caught.value.until is None and caught.value.kind == "wechat_credentials"
        assert f"matrixpub account credentials {target.account_id} " in caught.value.message
    assert wechat_fake.requests == []
    check = channel.check_credentials(target, secret=None, http=http)
    assert not check.ok and "no credentials" in check.detail


def test_a_variant_with_violations_is_never_sent(channel, wechat_fake, http, make_target):
    bad = channel.render(RenderInput(draft_id=1, content=Content(title="标题", body="正文")))
    with pytest.raises(PermanentDeliveryError, match="unresolved"):
        publish(channel, bad, wechat_fake, http, make_target)
    assert wechat_fake.requests == []


# -- publish: platform error codes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "reset"),
    [
        # 23:30 in Beijing: the daily quota comes back at midnight there, half an hour on.
        (datetime(2026, 12, 15, 15, 30, tzinfo=UTC), datetime(2026, 12, 15, 16, 0, tzinfo=UTC)),
        # 00:10 in Beijing (still the 15th in UTC): the next midnight is a day later.
        (datetime(2026, 12, 15, 16, 10, tzinfo=UTC), datetime(2026, 12, 16, 16, 0, tzinfo=UTC)),
    ],
)
def test_daily_quota_45009_holds_the_account_until_the_reset(
    channel, variant, wechat_fake, http, make_target, now, reset
):
    channel.clock = lambda: now
    wechat_fake.inject(DRAFT, wechat_fake.error(45009))
    with pytest.raises(AccountHeld) as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    held = caught.value
    assert held.code == 45009 and held.kind == "quota_exhausted"
    assert held.until == reset
    assert "daily" in held.message and "reach max api daily quota limit" in held.message
    assert wechat_fake.count(DRAFT) == 1  # asked once, not five times


def test_40164_says_the_servers_ip_is_not_whitelisted(
    channel, variant, wechat_fake, http, make_target
):
    wechat_fake.ip_whitelist = {"203.0.113.7"}
    with pytest.raises(AccountHeld) as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    held = caught.value
    assert held.code == 40164 and held.kind == "ip_not_whitelisted" and held.until is None
    assert "IP whitelist" in held.message and "127.0.0.1" in held.message
    assert "rejected the credentials" not in held.message
    assert [r.path for r in wechat_fake.requests] == [TOKEN]


# -- publish: pictures the platform already holds ------------------------------------------


def test_a_retry_never_uploads_the_same_pictures_again(
    channel, variant, wechat_fake, http, make_target
):
    media = MemoryMediaStore()
    # A definite "not now" (429: nothing was created), so the retry is the dispatcher's to
    # make; a 503 after draft/add would be of unknown outcome and never retried blindly.
    wechat_fake.inject(DRAFT, Status(429))
    with pytest.raises(TransientDeliveryError):
        channel.publish(
            variant, make_target("wechat_oa"), secret=wechat_fake.secret, key="k", http=http,
            media=media,
        )  # fmt: skip
    receipt = channel.publish(
        variant, make_target("wechat_oa"), secret=wechat_fake.secret, key="k", http=http,
        media=media,
    )  # fmt: skip
    assert receipt.state is DeliveryState.PUBLISHED
    assert wechat_fake.count(UPLOADIMG) == 1 and wechat_fake.count(MATERIAL) == 1
    [url] = wechat_fake.body_images
    first, second = (r.json["articles"][0] for r in wechat_fake.calls(DRAFT))
    assert first["content"] == second["content"] and html.escape(url) in second["content"]
    assert first["thumb_media_id"] == second["thumb_media_id"]
    assert media.get(7, "wechat.uploadimg", variant.image("image-1").sha256) == url
    cover = variant.image("cover").sha256
    assert media.get(7, "wechat.material", cover) == second["thumb_media_id"]


def test_without_a_store_the_channel_remembers_uploads_itself(
    channel, variant, wechat_fake, http, make_target
):
    publish(channel, variant, wechat_fake, http, make_target, key="a")
    publish(channel, variant, wechat_fake, http, make_target, key="b")
    assert wechat_fake.count(UPLOADIMG) == 1 and wechat_fake.count(MATERIAL) == 1
    assert wechat_fake.count(SUBMIT) == 2


def test_uploads_are_kept_per_account(channel, variant, wechat_fake, http, make_target):
    media = MemoryMediaStore()
    for account_id in (7, 8):
        channel.publish(
            variant,
            make_target("wechat_oa", account_id=account_id),
            secret=wechat_fake.secret,
            key=f"k{account_id}",
            http=http,
            media=media,
        )
    assert wechat_fake.count(UPLOADIMG) == 2 and wechat_fake.count(MATERIAL) == 2


def test_a_cover_material_deleted_on_the_platform_is_uploaded_again(
    channel, variant, wechat_fake, http, make_target
):
    publish(channel, variant, wechat_fake, http, make_target, key="a")
    wechat_fake.materials.clear()  # someone deleted it on mp.weixin.qq.com
    receipt = publish(channel, variant, wechat_fake, http, make_target, key="b")
    assert receipt.state is DeliveryState.PUBLISHED
    assert wechat_fake.count(MATERIAL) == 2 and wechat_fake.count(DRAFT) == 3
    assert wechat_fake.count(UPLOADIMG) == 1 and wechat_fake.count(SUBMIT) == 2


@pytest.mark.parametrize(
    ("errcode", "errmsg"),
    [
        (45028, "has no publish quota"),
        (53503, "该草稿未通过发布检查"),
        (53504, "需前往公众平台官网使用草稿"),
        (53505, "请手动保存成功后再发表"),
    ],
)
def test_publish_refusals_are_permanent_with_the_platforms_words(
    channel, variant, wechat_fake, http, make_target, errcode, errmsg
):
    wechat_fake.inject(SUBMIT, wechat_fake.error(errcode))
    with pytest.raises(PermanentDeliveryError) as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    message = str(caught.value)
    assert caught.value.code == errcode
    assert str(errcode) in message and errmsg in message
    assert f"WeChat refused freepublish/submit: {errcode}" in message
    assert caught.value.data["media_id"]  # the draft exists; a person can finish it there


def test_other_errcodes_are_permanent_with_code(channel, variant, wechat_fake, http, make_target):
    wechat_fake.inject(MATERIAL, wechat_fake.error(40005, "invalid file type"))
    with pytest.raises(PermanentDeliveryError, match=r"40005 .*invalid file type"):
        publish(channel, variant, wechat_fake, http, make_target)


# -- publish: transport failures ----------------------------------------------------------


@pytest.mark.parametrize("path", [TOKEN, UPLOADIMG, MATERIAL])
def test_http_500_on_a_safe_step_is_transient(
    channel, variant, wechat_fake, http, make_target, path
):
    wechat_fake.inject(path, Status(500))
    with pytest.raises(TransientDeliveryError, match="HTTP 500"):
        publish(channel, variant, wechat_fake, http, make_target)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
@pytest.mark.parametrize("path", [DRAFT, SUBMIT])
def test_a_gateway_error_after_draft_or_submit_acted_is_outcome_unknown(
    channel, variant, wechat_fake, http, make_target, path, status
):
    """The platform did the work, then a gateway answered an error: sending again would
    publish a second article, so the outcome is unknown, never transient."""
    wechat_fake.inject(path, Acted(status))
    with pytest.raises(OutcomeUnknown, match=f"HTTP {status}.*not sent again") as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    assert caught.value.code == status
    assert wechat_fake.count(path) == 1
    if path == SUBMIT:
        assert len(wechat_fake.publishes) == 1 and caught.value.data["media_id"]


def test_busy_after_submit_is_outcome_unknown(channel, variant, wechat_fake, http, make_target):
    """errcode -1 (system busy) says nothing of whether the article went out."""
    wechat_fake.inject(SUBMIT, wechat_fake.error(-1))
    with pytest.raises(OutcomeUnknown, match="busy") as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    assert caught.value.code == -1 and caught.value.data["media_id"]


def test_busy_on_a_safe_step_is_transient(channel, variant, wechat_fake, http, make_target):
    wechat_fake.inject(MATERIAL, wechat_fake.error(-1))
    with pytest.raises(TransientDeliveryError, match="busy"):
        publish(channel, variant, wechat_fake, http, make_target)
    assert wechat_fake.count(DRAFT) == 0


def test_http_429_is_transient_with_retry_after(channel, variant, wechat_fake, http, make_target):
    wechat_fake.inject(DRAFT, Status(429, headers=(("Retry-After", "7"),)))
    with pytest.raises(TransientDeliveryError) as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize("fault", [Slow(2.0), Drop()], ids=["timeout", "dropped"])
@pytest.mark.parametrize("path", [DRAFT, SUBMIT])
def test_lost_answer_on_draft_or_submit_is_outcome_unknown(
    channel, variant, wechat_fake, http, make_target, path, fault
):
    wechat_fake.inject(path, fault)
    with pytest.raises(OutcomeUnknown, match="not sent again"):
        publish(channel, variant, wechat_fake, http, make_target)
    assert wechat_fake.count(path) == 1  # never blindly re-sent
    if path == SUBMIT:
        # The fake did publish it: only the answer was lost.
        assert wechat_fake.count(GET) == 0 and len(wechat_fake.publishes) == 1


@pytest.mark.parametrize("fault", [Slow(2.0), Drop()], ids=["timeout", "dropped"])
@pytest.mark.parametrize("path", [TOKEN, UPLOADIMG, MATERIAL])
def test_lost_answer_on_safe_steps_is_transient(
    channel, variant, wechat_fake, http, make_target, path, fault
):
    wechat_fake.inject(path, fault)
    with pytest.raises(TransientDeliveryError, match="safe to try again"):
        publish(channel, variant, wechat_fake, http, make_target)
    assert wechat_fake.count(DRAFT) == 0


def test_connection_refused_is_transient(channel_config, variant, http, make_target, closed_port):
    channel = WeChatOAChannel(channel_config, base_url=f"http://127.0.0.1:{closed_port}")
    secret = {"appid": "wx1", "appsecret": "sk-never-shown-1234"}
    with pytest.raises(TransientDeliveryError, match="nothing was sent") as caught:
        channel.publish(variant, make_target("wechat_oa"), secret=secret, key="k", http=http)
    assert "sk-never-shown-1234" not in str(caught.value)


def test_lost_status_answer_after_submit_still_returns_pending(
    channel, variant, wechat_fake, http, make_target
):
    wechat_fake.inject(GET, Drop())
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    assert receipt.state is DeliveryState.PENDING and receipt.data["publish_id"]


# -- status -------------------------------------------------------------------------------


def test_publishing_for_three_polls_then_published(
    channel, variant, wechat_fake, http, make_target
):
    wechat_fake.publishing_polls = 3
    target = make_target("wechat_oa")
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    assert receipt.state is DeliveryState.PENDING and receipt.url is None
    assert receipt.external_id == receipt.data["publish_id"]
    states = []
    for _ in range(3):
        receipt = channel.status(receipt, target, secret=wechat_fake.secret, http=http)
        states.append(receipt.state)
    assert states == [DeliveryState.PENDING, DeliveryState.PENDING, DeliveryState.PUBLISHED]
    assert receipt.url and receipt.url.startswith("https://mp.weixin.qq.com/s/")
    assert receipt.data["article_id"].startswith("ARTICLE_")
    assert wechat_fake.count(GET) == 4 and wechat_fake.count(SUBMIT) == 1


def test_wait_published_polls_until_final(channel, variant, wechat_fake, http, make_target):
    wechat_fake.publishing_polls = 3
    target = make_target("wechat_oa")
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    done = channel.wait_published(
        receipt, target, secret=wechat_fake.secret, http=http, timeout=5, interval=0.01
    )
    assert done.state is DeliveryState.PUBLISHED


@pytest.mark.parametrize("final", [2, 3, 4, 5, 6])
def test_final_publish_failures_are_permanent(
    channel, variant, wechat_fake, http, make_target, final
):
    wechat_fake.final_status = final
    with pytest.raises(PermanentDeliveryError, match=f"publish_status {final}") as caught:
        publish(channel, variant, wechat_fake, http, make_target)
    assert caught.value.code == final


def test_status_of_a_final_receipt_asks_nothing(channel, variant, wechat_fake, http, make_target):
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    before = len(wechat_fake.requests)
    again = channel.status(receipt, make_target("wechat_oa"), secret=wechat_fake.secret, http=http)
    assert again == receipt and len(wechat_fake.requests) == before


def test_status_network_failure_is_transient(channel, variant, wechat_fake, http, make_target):
    wechat_fake.publishing_polls = 1
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    wechat_fake.inject(GET, Slow(2.0))
    with pytest.raises(TransientDeliveryError):
        channel.status(receipt, make_target("wechat_oa"), secret=wechat_fake.secret, http=http)


# -- credentials never leak ---------------------------------------------------------------


FAILURES = [
    (TOKEN, Status(500)),
    (TOKEN, Slow(2.0)),
    (TOKEN, Drop()),
    (UPLOADIMG, Drop()),
    (DRAFT, Slow(2.0)),
    (DRAFT, Drop()),
    (SUBMIT, Slow(2.0)),
    (DRAFT, FakeWeChat.error(45009)),
    (SUBMIT, FakeWeChat.error(45028)),
    (DRAFT, FakeWeChat.error(40001)),
    (GET, Status(502)),
]


@pytest.mark.parametrize(("path", "fault"), FAILURES, ids=lambda v: str(v)[:40])
def test_credentials_never_appear_in_errors(
    channel, variant, wechat_fake, http, make_target, path, fault
):
    times = 2 if path == DRAFT and getattr(fault, "json", None) else 1
    wechat_fake.inject(path, fault, times=times)
    with pytest.raises(
        (TransientDeliveryError, PermanentDeliveryError, OutcomeUnknown, AccountHeld)
    ) as caught:
        receipt = publish(channel, variant, wechat_fake, http, make_target)
        # a lost status answer does not fail the publish; ask again to see the error
        wechat_fake.inject(GET, fault)
        channel.status(receipt, make_target("wechat_oa"), secret=wechat_fake.secret, http=http)
    error = caught.value
    shown = " ".join([str(error), repr(error), repr(error.args)])
    for secret in [wechat_fake.appsecret, *issued_tokens(wechat_fake)]:
        assert secret not in shown
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None


def test_credentials_never_reach_the_http_debug_log(
    channel, variant, wechat_fake, http, make_target, caplog
):
    with caplog.at_level(logging.DEBUG, logger="urllib3"):
        publish(channel, variant, wechat_fake, http, make_target)
    assert "/cgi-bin/stable_token" in caplog.text and "access_token=***" in caplog.text
    for secret in [wechat_fake.appsecret, *issued_tokens(wechat_fake)]:
        assert secret not in caplog.text


def test_receipt_data_holds_no_credentials(channel, variant, wechat_fake, http, make_target):
    receipt = publish(channel, variant, wechat_fake, http, make_target)
    dumped = repr(receipt.as_dict())
    for secret in [wechat_fake.appsecret, *issued_tokens(wechat_fake)]:
        assert secret not in dumped


def test_stored_variant_round_trips_and_publishes(channel, variant, wechat_fake, http, make_target):
    blobs = {image.sha256: image.data for image in variant.images}
    stored = Variant.from_payload(variant.payload(), blobs)
    assert stored.hash == variant.hash
    assert publish(channel, stored, wechat_fake, http, make_target).state is (
        DeliveryState.PUBLISHED
    )

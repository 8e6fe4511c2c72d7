"""The manual-package channels: 抖音, 小红书, 今日头条, 快手, 哔哩哔哩, 视频号."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from functools import cache
from pathlib import Path

import pytest
from PIL import Image

from channels import images
from channels.base import (
    Channel,
    ChannelConfig,
    CountUnit,
    DeliveryKind,
    DeliveryState,
    Form,
    RenderInput,
    Target,
    Variant,
)
from channels.manual import (
    MANUAL_CHANNELS,
    DouyinChannel,
    KuaishouChannel,
    ManualChannel,
    TopicStyle,
    ToutiaoChannel,
    XiaohongshuChannel,
    package_name,
    rewrite_topics,
)
from channels.rendering import template_exists
from domain.content import ChannelOverride, Content
from domain.errors import PermanentDeliveryError

LINK = "https://www.example.gov.cn/news/42/index.html"
TITLE = "市交通运输局发布春节出行提示"
SUMMARY = "春节将至，#春运#期间请提前规划路线，错峰出行。#平安回家"
KEYS = [cls.key for cls in MANUAL_CHANNELS]
BY_KEY = {cls.key: cls for cls in MANUAL_CHANNELS}


@cache
def cover_bytes() -> bytes:
    gradient = Image.linear_gradient("L").resize((1600, 1200))
    image = Image.merge(
        "RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient)
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def config(tmp_path: Path) -> ChannelConfig:
    return ChannelConfig(
        site_dir=tmp_path / "site",
        site_url="https://www.example.gov.cn",
        package_dir=tmp_path / "packages",
    )


@pytest.fixture
def target() -> Target:
    return Target(
        account_id=17,
        platform="douyin",
        name="平安交通",
        unit="市交通运输局",
        platform_id="pingan_jt_2024",
        url="https://www.douyin.com/user/pingan",
    )


def source(
    *,
    title: str = TITLE,
    summary: str | None = SUMMARY,
    cover: bytes | None = None,
    link: str | None = LINK,
    overrides: dict[str, ChannelOverride] | None = None,
) -> RenderInput:
    return RenderInput(
        draft_id=42,
        content=Content(title=title, body="正文。\n", summary=summary, overrides=overrides or {}),
        cover=cover_bytes() if cover is None else cover,
        website_url=link,
    )


def render(key: str, config: ChannelConfig, **kwargs: object) -> Variant:
    channel = BY_KEY[key](config)
    return channel.render(source(**kwargs))  # type: ignore[arg-type]


def codes(variant: Variant) -> set[str]:
    return {v.code for v in variant.violations}


# -- shape ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", MANUAL_CHANNELS, ids=KEYS)
def test_each_channel_is_a_class_with_its_spec(
    cls: type[ManualChannel], config: ChannelConfig
) -> None:
    assert cls.key == cls.spec.key
    assert cls.spec.delivery is DeliveryKind.MANUAL and cls.spec.form is Form.SHORT
    assert cls.spec.template == f"{cls.key}.txt.j2"
    assert template_exists(f"channels/{cls.spec.template_name}")
    assert cls.spec.cover is not None
    assert isinstance(cls(config), Channel)


def test_keys_are_the_six_manual_platforms() -> None:
    assert KEYS == ["douyin", "xiaohongshu", "toutiao", "kuaishou", "bilibili", "wechat_channels"]


def test_platform_facts_are_data() -> None:
    assert DouyinChannel.spec.title_max == 20 and DouyinChannel.rules.max_topics == 5
    assert (DouyinChannel.spec.body_max, DouyinChannel.spec.max_images) == (1000, 35)
    assert XiaohongshuChannel.rules.max_topics == 10
    assert KuaishouChannel.rules.max_topics == 3
    assert XiaohongshuChannel.spec.count_unit is CountUnit.UTF16_ASCII_HALF
    assert (XiaohongshuChannel.spec.title_max, XiaohongshuChannel.spec.body_max) == (20, 1000)
    cover = XiaohongshuChannel.spec.cover
    assert cover is not None and (cover.ratio, cover.max_width, cover.max_height) == (
        (3, 4),
        1080,
        1440,
    )
    assert (ToutiaoChannel.rules.title_min, ToutiaoChannel.spec.title_max) == (2, 30)
    assert KuaishouChannel.spec.cover is not None
    assert KuaishouChannel.spec.cover.max_bytes < 10_000_000


# -- render ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_render_is_deterministic(key: str, config: ChannelConfig) -> None:
    first = render(key, config)
    images.clear_cache()  # the second render decodes the cover again
    second = render(key, config)
    assert first.payload() == second.payload()
    assert first.hash == second.hash
    assert [i.data for i in first.images] == [i.data for i in second.images]
    assert not first.violations, first.violations


@pytest.mark.parametrize("key", KEYS)
def test_render_lays_out_text_link_and_cover(key: str, config: ChannelConfig) -> None:
    variant = render(key, config)
    text = variant.fields["text"]
    assert "春节将至" in text and "错峰出行" in text
    assert text.endswith(LINK)
    cover = variant.image("cover")
    spec = BY_KEY[key].spec.cover
    assert cover is not None and spec is not None and spec.ratio is not None
    assert cover.media_type == "image/jpeg"
    assert abs(cover.width / cover.height - spec.ratio[0] / spec.ratio[1]) < 0.01
    assert len(cover.data) <= spec.max_bytes


def test_platforms_without_a_title_field_lead_with_the_title(config: ChannelConfig) -> None:
    variant = render("kuaishou", config)
    assert "title" not in variant.fields
    assert variant.fields["text"].startswith(f"【{TITLE}】春节将至")
    only_title = render("kuaishou", config, summary=None)
    assert only_title.fields["text"].startswith(TITLE)
    assert f"【{TITLE}】" not in only_title.fields["text"]


def test_channel_override_wins(config: ChannelConfig) -> None:
    variant = render(
        "douyin",
        config,
        overrides={"douyin": ChannelOverride(title="抖音专用标题", body="**抖音**专用正文 #出行")},
    )
    assert variant.fields["title"] == "抖音专用标题"
    assert variant.fields["text"].startswith("抖音专用正文 #出行")


def test_text_template_is_not_html_escaped(config: ChannelConfig) -> None:
    variant = render("douyin", config, summary='提示 <b>注意</b> & "安全" {{ 1 + 1 }}')
    text = variant.fields["text"]
    assert '<b>注意</b> & "安全" {{ 1 + 1 }}' in text
    assert "&amp;" not in text and "&lt;" not in text


def test_lengths_are_measured_in_the_platform_unit(config: ChannelConfig) -> None:
    ascii_title = "A" * 40  # 40 characters; 20 in 小红书's unit
    xhs = render("xiaohongshu", config, title=ascii_title)
    douyin = render("douyin", config, title=ascii_title)
    assert next(m for m in xhs.measures if m.field == "title").value == 20
    assert next(m for m in xhs.measures if m.field == "title").unit == "utf16-ascii-half"
    assert "too_long" not in codes(xhs)
    assert next(m for m in douyin.measures if m.field == "title").value == 40
    assert "too_long" in codes(douyin)
    emoji = render("xiaohongshu", config, title="春运😀" * 5)  # 5×(2+2) = 20 units
    assert next(m for m in emoji.measures if m.field == "title").value == 20
    assert "too_long" not in codes(emoji)
    assert "too_long" in codes(render("xiaohongshu", config, title="春运😀" * 5 + "a"))


@pytest.mark.parametrize(("key", "limit"), [("douyin", 20), ("xiaohongshu", 20), ("toutiao", 30)])
def test_over_long_title_is_a_violation_and_is_not_cut(
    key: str, limit: int, config: ChannelConfig
) -> None:
    title = "长" * (limit + 1)
    variant = render(key, config, title=title)
    assert variant.fields["title"] == title
    violation = next(v for v in variant.violations if v.field == "title")
    assert violation.code == "too_long" and str(limit) in violation.message
    assert "too_long" not in codes(render(key, config, title="长" * limit))


def test_too_short_toutiao_title(config: ChannelConfig) -> None:
    assert "too_short" in codes(render("toutiao", config, title="通"))
    assert "too_short" not in codes(render("toutiao", config, title="通知"))


def test_over_long_xiaohongshu_body_is_a_violation_and_kept_whole(config: ChannelConfig) -> None:
    long_text = "这是一段很长的正文。" * 110  # 1100 characters
    variant = render(
        "xiaohongshu",
        config,
        link=None,
        overrides={"xiaohongshu": ChannelOverride(body=long_text)},
    )
    assert variant.fields["text"] == long_text
    violation = next(v for v in variant.violations if v.field == "text")
    assert violation.code == "too_long" and "1000" in violation.message


def test_more_than_five_douyin_topics_is_a_violation(config: ChannelConfig) -> None:
    five = "出行 #春运 #交通 #安全 #回家 #提示"
    six = five + " #服务#"
    assert "too_many_topics" not in codes(render("douyin", config, summary=five))
    variant = render("douyin", config, summary=six)
    assert "too_many_topics" in codes(variant)
    assert next(m for m in variant.measures if m.field == "topics").value == 6
    assert "too_many_topics" not in codes(render("xiaohongshu", config, summary=six))


def test_over_long_douyin_text_is_a_violation_and_kept_whole(config: ChannelConfig) -> None:
    # A picture post's description: at most 1000 characters [S].
    fits = "春" * (1000 - len("\n\n原文链接：" + LINK))
    assert "too_long" not in codes(render("douyin", config, summary=fits))
    variant = render("douyin", config, summary=fits + "节")
    assert fits + "节" in variant.fields["text"]
    violation = next(v for v in variant.violations if v.field == "text")
    assert violation.code == "too_long" and "1000" in violation.message


@pytest.mark.parametrize(("key", "limit"), [("xiaohongshu", 10), ("kuaishou", 3)])
def test_topic_limits_of_xiaohongshu_and_kuaishou(
    key: str, limit: int, config: ChannelConfig
) -> None:
    names = [f"话题{i}" for i in range(limit + 1)]
    at_limit = "出行 " + " ".join(f"#{n}" for n in names[:limit])
    over = "出行 " + " ".join(f"#{n}" for n in names)
    assert "too_many_topics" not in codes(render(key, config, summary=at_limit))
    variant = render(key, config, summary=over)
    violation = next(v for v in variant.violations if v.field == "topics")
    assert violation.code == "too_many_topics" and f"at most {limit}" in violation.message


def test_topics_are_written_in_the_platform_form(config: ChannelConfig) -> None:
    douyin = render("douyin", config)
    assert "#春运 期间" in douyin.fields["text"] and "#平安回家" in douyin.fields["text"]
    assert douyin.fields["topics"] == "#春运 #平安回家"
    toutiao = render("toutiao", config)
    assert "#春运#期间" in toutiao.fields["text"] and "#平安回家#" in toutiao.fields["text"]


@pytest.mark.parametrize(
    ("text", "style", "expected", "topics"),
    [
        ("#春节#快乐", TopicStyle.HASH, "#春节 快乐", ("春节",)),
        ("#春节#", TopicStyle.HASH, "#春节", ("春节",)),
        ("#春节 快乐", TopicStyle.PAIRED, "#春节# 快乐", ("春节",)),
        ("#a##b#", TopicStyle.PAIRED, "#a##b#", ("a", "b")),
        ("学 C# 编程 &#123;", TopicStyle.HASH, "学 C# 编程 &#123;", ()),
        ("见 https://x.gov.cn/p#part 与 https://x.gov.cn/#/a", TopicStyle.HASH, None, ()),
        ("#春运，#春运。", TopicStyle.HASH, "#春运，#春运。", ("春运",)),
    ],
)
def test_rewrite_topics(
    text: str, style: TopicStyle, expected: str | None, topics: tuple[str, ...]
) -> None:
    rewritten, found = rewrite_topics(text, style)
    assert rewritten == (text if expected is None else expected)
    assert found == topics


@pytest.mark.parametrize("key", KEYS)
def test_hostile_cover_is_a_violation_not_an_exception(key: str, config: ChannelConfig) -> None:
    png_60000 = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xea`\x00\x00\xea`\x08\x00\x00\x00\x00"
        b"\x8a\x1d\x1b\xa7"
    )
    for bad in (b"not a picture", png_60000, cover_bytes()[:5000]):
        variant = render(key, config, cover=bad)
        assert variant.images == ()
        violation = next(v for v in variant.violations if v.field == "cover")
        assert violation.code == "bad_image" and "\n" not in violation.message


def test_missing_picture_where_the_platform_needs_one(config: ChannelConfig) -> None:
    no_cover = RenderInput(draft_id=1, content=Content(title=TITLE, body="x", summary=SUMMARY))
    assert "missing_image" in codes(XiaohongshuChannel(config).render(no_cover))
    assert "missing_image" not in codes(ToutiaoChannel(config).render(no_cover))


def test_cover_focus_is_used(config: ChannelConfig) -> None:
    image = Image.new("RGB", (1600, 800), "blue")
    image.paste("red", (0, 0, 400, 800))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    content = Content(title=TITLE, body="x", summary=SUMMARY, cover_focus=(0.0, 0.5))
    variant = DouyinChannel(config).render(
        RenderInput(draft_id=1, content=content, cover=buffer.getvalue())
    )
    cover = variant.image("cover")
    assert cover is not None
    picture = Image.open(io.BytesIO(cover.data)).convert("RGB")
    red = picture.getpixel((picture.width // 4, picture.height // 2))
    assert isinstance(red, tuple) and red[0] > 200 and red[2] < 60


# -- publish --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_publish_writes_the_package(key: str, config: ChannelConfig, target: Target) -> None:
    channel = BY_KEY[key](config)
    variant = channel.render(source())
    receipt = channel.publish(variant, target, secret=None, key="post-9-abc", http=None)

    folder = config.package_dir / "17" / "post-9-abc"
    archive = config.package_dir / "17" / "post-9-abc.zip"
    assert receipt.state is DeliveryState.MANUAL
    assert (receipt.external_id, receipt.url) == (None, None)
    assert receipt.detail == str(folder)
    assert receipt.data == {"package": str(folder), "zip": str(archive)}

    expected = {"text.txt", "checklist.md", "variant.json", "cover.jpg"}
    if "title" in variant.fields:
        expected.add("title.txt")
        assert (folder / "title.txt").read_text("utf-8") == TITLE
    assert {p.name for p in folder.iterdir()} == expected
    assert (folder / "text.txt").read_bytes() == variant.fields["text"].encode("utf-8")
    cover = variant.image("cover")
    assert cover is not None and (folder / "cover.jpg").read_bytes() == cover.data
    assert json.loads((folder / "variant.json").read_text("utf-8")) == variant.payload()

    checklist = (folder / "checklist.md").read_text("utf-8")
    for expected_text in (
        "平安交通",
        "pingan_jt_2024",
        "text.txt",
        "cover.jpg",
        "matrixpub post confirm POST_ID --url URL",
        "发布清单",
        "Posting checklist",
    ):
        assert expected_text in checklist
    assert ("title.txt" in checklist) == ("title" in variant.fields)

    with zipfile.ZipFile(archive) as opened:
        names = sorted(opened.namelist())
        assert names == sorted(f"post-9-abc/{name}" for name in expected)
        assert opened.read("post-9-abc/text.txt") == (folder / "text.txt").read_bytes()
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in opened.infolist())


def test_checklist_lists_topics(config: ChannelConfig, target: Target) -> None:
    channel = DouyinChannel(config)
    channel.publish(channel.render(source()), target, key="k1")
    checklist = (config.package_dir / "17" / "k1" / "checklist.md").read_text("utf-8")
    assert "#春运 #平安回家" in checklist
    assert "1. cover.jpg（900×1200）" in checklist


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_publish_is_idempotent_and_the_zip_deterministic(
    config: ChannelConfig, target: Target, tmp_path: Path
) -> None:
    channel = XiaohongshuChannel(config)
    variant = channel.render(source())
    first = channel.publish(variant, target, key="post-1")
    before = _digest(config.package_dir)
    (config.package_dir / "17" / "post-1" / "stray.txt").write_text("left over")
    second = channel.publish(variant, target, key="post-1")
    assert first == second
    assert _digest(config.package_dir) == before

    elsewhere = ChannelConfig(
        site_dir=tmp_path / "s2", site_url="https://x", package_dir=tmp_path / "other"
    )
    XiaohongshuChannel(elsewhere).publish(variant, target, key="post-1")
    assert (tmp_path / "other" / "17" / "post-1.zip").read_bytes() == Path(
        first.data["zip"]
    ).read_bytes()


def test_key_is_made_safe_for_a_path(config: ChannelConfig, target: Target) -> None:
    channel = ToutiaoChannel(config)
    variant = channel.render(source())
    receipt = channel.publish(variant, target, key="../../etc/passwd")
    folder = Path(receipt.data["package"])
    assert folder.parent == config.package_dir / "17"
    assert folder.name.startswith("etc-passwd-")
    assert package_name("a/b") != package_name("a?b")
    assert package_name("post-7_x.1") == "post-7_x.1"
    with pytest.raises(ValueError):
        package_name("  ")


def test_publish_refuses_a_variant_with_violations(config: ChannelConfig, target: Target) -> None:
    channel = DouyinChannel(config)
    variant = channel.render(source(title="长" * 31))
    with pytest.raises(PermanentDeliveryError):
        channel.publish(variant, target, key="post-2")
    assert not (config.package_dir / "17" / "post-2").exists()


def test_status_leaves_the_receipt_to_a_person(config: ChannelConfig, target: Target) -> None:
    channel = KuaishouChannel(config)
    receipt = channel.publish(channel.render(source()), target, key="post-3")
    assert channel.status(receipt, target, secret=None, http=None) is receipt


# -- preview --------------------------------------------------------------------------------


def test_preview_card_shows_the_post_escaped(config: ChannelConfig) -> None:
    from channels.preview import Facts, preview_html

    variant = render("douyin", config, title="长" * 31, summary="第一行 <script>x</script>\n第二行")
    # the words around the post come from the face, in its reader's language
    facts = Facts(
        label=DouyinChannel.spec.label,
        hash_label="hash",
        measures=[{**m.as_dict(), "over": m.over} for m in variant.measures],
        problems=[{"field": v.field, "message": v.message} for v in variant.violations],
    )
    html = preview_html(variant, DouyinChannel.spec, facts=facts)
    assert "抖音" in html and "375px" in html
    assert "长" * 31 in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "第一行" in html and "第二行" in html and "pre-wrap" in html
    assert 'src="cover.jpg"' in html
    assert "31 / 20" in html
    assert variant.violations[0].message.split(";")[0] in html

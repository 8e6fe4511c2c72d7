"""The contract every registered channel keeps: a spec and a template, deterministic
rendering of the sample drafts, variants within the spec's limits, and a clear violation
(never an exception) for a hostile cover."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image

from channels.base import Channel, ChannelConfig, Form, RenderInput, Variant
from channels.counting import count
from channels.registry import CHANNEL_CLASSES, build, known_keys
from channels.rendering import template_exists
from domain.accounts import Platform
from domain.content import ChannelOverride, Content
from domain.delivery import variant_hash
from tests.channels.test_hostile_images import HOSTILE

SAMPLE = Path(__file__).resolve().parents[2] / "console" / "sample"


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


SAMPLES = {
    "notice": RenderInput(
        draft_id=101,
        content=Content(
            title="关于举办2026年冬季文化和旅游消费季活动的通知",
            body=(SAMPLE / "notice.md").read_text("utf-8"),
            summary="市文化和旅游局将于12月举办冬季文旅消费季，发放文旅消费券。",
            # 小红书 and 抖音 titles allow 20: an author gives those channels their own
            overrides={
                "xiaohongshu": ChannelOverride(title="冬季文旅消费季12月开幕"),
                "douyin": ChannelOverride(title="冬季文旅消费季12月开幕"),
            },
        ),
        cover=(SAMPLE / "cover.jpg").read_bytes(),
        website_url="https://www.example.gov.cn/notices/101/index.html",
        author="王小文",
    ),
    "short_with_overrides": RenderInput(
        draft_id=102,
        content=Content(
            title="冬游古城｜消费季开幕",
            body="古城灯会今晚开幕。#冬游古城#\n\n{{ 7*7 }} <script>alert(1)</script>\n",
            summary="古城灯会今晚开幕，欢迎市民游客。",
            overrides={
                "xiaohongshu": ChannelOverride(title="古城灯会开幕啦"),
                "douyin": ChannelOverride(summary="灯会开幕 #冬游古城 #文旅消费季"),
            },
        ),
        cover=_jpeg(1600, 1200),
        website_url="https://www.example.gov.cn/news/102/index.html",
        author="王小文",
    ),
}


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Channel]:
    root = tmp_path_factory.mktemp("contract")
    return build(
        ChannelConfig(
            site_dir=root / "site",
            site_url="https://www.example.gov.cn",
            package_dir=root / "packages",
        )
    )


def test_the_registry_lists_every_platform_once() -> None:
    assert sorted(known_keys()) == sorted(p.value for p in Platform)
    assert len(CHANNEL_CLASSES) == len(set(known_keys()))


@pytest.mark.parametrize("key", known_keys())
def test_every_channel_has_a_spec_and_a_template(key: str, channels: dict[str, Channel]) -> None:
    channel = channels[key]
    assert channel.key == key and channel.spec.key == key
    assert isinstance(channel, Channel)
    assert template_exists(f"channels/{channel.spec.template_name}"), channel.spec.template_name


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@pytest.mark.parametrize("key", known_keys())
def test_rendering_is_deterministic_and_within_limits(
    key: str, sample: str, channels: dict[str, Channel]
) -> None:
    source = SAMPLES[sample]
    first = channels[key].render(source)
    second = channels[key].render(source)
    assert first.hash == second.hash
    assert [i.data for i in first.images] == [i.data for i in second.images]
    assert first.violations == (), first.violations
    spec = channels[key].spec
    for measure in first.measures:
        assert not measure.over, measure
    if "title" in first.fields and spec.title_max:
        assert count(first.fields["title"], spec.count_unit) <= spec.title_max
    if spec.cover is not None:
        cover = first.image("cover")
        assert cover is not None and len(cover.data) <= spec.cover.max_bytes
        if spec.cover.ratio:
            w, h = spec.cover.ratio
            assert abs(cover.width * h - cover.height * w) <= max(w, h)
    text = " ".join(first.fields.values())
    for html_field in ("article_html", "content", "html"):  # plain text may show it as text
        assert "<script" not in first.fields.get(html_field, "")
    assert "49" not in text.replace("2026", "")  # {{ 7*7 }} is text, never evaluated
    if spec.form is Form.SHORT:  # short texts carry the link to the website article
        assert source.website_url and source.website_url in text


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_cover_is_a_violation_on_every_channel(
    name: str, channels: dict[str, Channel]
) -> None:
    bad = HOSTILE[name]()
    source = RenderInput(
        draft_id=103, content=Content(title="通知", body="正文。\n", summary="摘要"), cover=bad
    )
    for key in known_keys():
        started = time.monotonic()
        variant = channels[key].render(source)
        assert time.monotonic() - started < 5
        if channels[key].spec.cover is None and key != "website":
            continue
        assert any(
            v.field == "cover" or "cover" in v.message or "image" in v.code
            for v in variant.violations
        ), (key, variant.violations)


@pytest.mark.parametrize("key", known_keys())
def test_the_send_time_hash_of_a_stored_variant_is_the_channels_own(
    key: str, channels: dict[str, Channel]
) -> None:
    """The dispatcher rebuilds each variant from its stored payload and picture bytes
    (``domain.delivery.variant_hash``): that must be the hash the channel gave it, and
    must change when a picture's bytes do."""
    variant = channels[key].render(SAMPLES["notice"])
    pictures = {image.sha256: image.data for image in variant.images}
    assert variant_hash(variant.payload(), pictures) == variant.hash
    rebuilt = Variant.from_payload(variant.payload(), pictures)
    assert rebuilt.hash == variant.hash
    for sha in pictures:
        swapped = {**pictures, sha: pictures[sha][:-2] + b"\x00\xff\xd9"}
        assert variant_hash(variant.payload(), swapped) != variant.hash
        assert Variant.from_payload(variant.payload(), swapped).hash != variant.hash

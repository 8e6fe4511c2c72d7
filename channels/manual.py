"""Platforms posted by hand from a *manual package*: 抖音, 小红书, 今日头条, 快手, 哔哩哔哩, 视频号.

None of them offers a posting API an organisation's publishing system can use
(PLATFORMS.md), and browser automation with a government account's cookies is ruled
out. So ``render`` makes the exact text and pictures for the platform (pure, like every
channel), and ``publish`` writes them as a package a person posts; the person then
records the live URL with ``matrixpub post confirm POST_ID --url URL``, which completes
the post. A package under ``ChannelConfig.package_dir``::

    <account_id>/<key>/text.txt       the text exactly as it is pasted (UTF-8)
    <account_id>/<key>/title.txt      the title, on platforms that have one
    <account_id>/<key>/cover.jpg      the pictures, already cut for the platform
    <account_id>/<key>/checklist.md   what to do, step by step, in Chinese and English
    <account_id>/<key>/variant.json   the approved variant payload
    <account_id>/<key>.zip            the same files, byte-for-byte reproducible
    <account_id>/<key>/VOID.txt       only once the package is void (renamed <key>.void.zip)

``key`` is the post's idempotency key, made safe for a path. Publishing the same key
again rewrites the same bytes.

Wording rules (``ManualChannel.render``):

- the text is :func:`channels.compose.short_text` (the channel's override, else the
  summary, else the title) with the website link when the draft also goes there; the
  platform's template under ``templates/channels/<key>.txt.j2`` lays it out;
- lengths are counted in the platform's unit (:mod:`channels.counting`) and anything over
  a limit is a :class:`~channels.base.Violation` — the author's text is never cut;
- topics written ``#话题#`` or ``#话题`` are rewritten in the platform's own form, and a
  platform's topic limit (抖音 5, 小红书 10, 快手 3; all [S]) is checked;
- a cover that cannot be used is a violation on the variant, never an exception.

Platform facts are data: each ``ChannelSpec`` below and a :class:`ManualRules` for what a
spec cannot say yet (title minimum, topics, pictures required). Marks as in PLATFORMS.md:
[V] the platform's own docs, [S] secondary source, [U] unverified.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    CountUnit,
    DeliveryKind,
    DeliveryState,
    Form,
    ImageSpec,
    Measure,
    MediaStore,
    Receipt,
    RenderInput,
    Target,
    Variant,
    VariantImage,
    Violation,
)
from channels.compose import short_text
from channels.counting import count
from channels.images import ImageProblem, fit
from channels.rendering import render_template
from domain.delivery import post_id_of
from domain.errors import PermanentDeliveryError


class TopicStyle(StrEnum):
    HASH = "hash"  # #话题 — ends at a space or punctuation
    PAIRED = "paired"  # #话题# — closed by a second mark


@dataclass(frozen=True)
class ManualRules:
    """What a hand-posted platform needs beyond its :class:`ChannelSpec`."""

    has_title: bool = True  # a separate title field on the posting page
    title_min: int | None = None
    max_topics: int | None = None
    topic_style: TopicStyle = TopicStyle.HASH
    min_images: int = 0  # a picture post needs at least this many pictures


# Covers: a portrait 3:4 (1080×1440) unless a platform is known to want something else; the
# byte limits are guesses where no platform figure was found.
_PORTRAIT = ImageSpec(
    ratio=(3, 4), max_width=1080, max_height=1440, max_bytes=5_000_000, formats=("JPEG",)
)

DOUYIN_SPEC = ChannelSpec(
    key="douyin",
    label="抖音",
    delivery=DeliveryKind.MANUAL,
    form=Form.SHORT,
    count_unit=CountUnit.CHARS,  # [U] unverified: whether ASCII counts half
    title_max=20,  # a picture post's title ≤ 20 [S] (an open-source uploader's checks)
    body_max=1000,  # a picture post's text ≤ 1000 [S] (the same source)
    cover=_PORTRAIT,  # aspect between 1:3 and 3:1 [V]; 3:4 chosen; bytes [U]
    max_images=35,  # ≤ 35 pictures [V], and [S] in the same uploader
    template="douyin.txt.j2",
)
DOUYIN_RULES = ManualRules(max_topics=5, min_images=1)  # topics ≤5 [S]; a picture post [V]

XIAOHONGSHU_SPEC = ChannelSpec(
    key="xiaohongshu",
    label="小红书",
    delivery=DeliveryKind.MANUAL,
    form=Form.SHORT,
    count_unit=CountUnit.UTF16_ASCII_HALF,  # [S]
    title_max=20,  # [S]
    body_max=1000,  # [S]
    cover=_PORTRAIT,  # 3:4, 1080×1440 recommended [S]; bytes [U]
    max_images=18,  # 1–18 pictures [S]
    template="xiaohongshu.txt.j2",
)
XIAOHONGSHU_RULES = ManualRules(max_topics=10, min_images=1)  # ≤ 10 topics [S]; pictures [S]

TOUTIAO_SPEC = ChannelSpec(
    key="toutiao",
    label="今日头条",
    delivery=DeliveryKind.MANUAL,
    form=Form.SHORT,
    count_unit=CountUnit.CHARS,  # [U] unverified
    title_max=30,  # title 2–30 [S]
    body_max=None,  # [U] unverified
    cover=ImageSpec(  # [U] unverified: ratio, size and bytes
        ratio=(16, 9), max_width=1280, max_height=720, max_bytes=5_000_000, formats=("JPEG",)
    ),
    max_images=9,  # [U] unverified
    template="toutiao.txt.j2",
)
TOUTIAO_RULES = ManualRules(title_min=2, topic_style=TopicStyle.PAIRED)  # 2 [S]; #话题# [U]

KUAISHOU_SPEC = ChannelSpec(
    key="kuaishou",
    label="快手",
    delivery=DeliveryKind.MANUAL,
    form=Form.SHORT,
    count_unit=CountUnit.CHARS,  # [U] unverified
    title_max=None,  # [U] unverified: a picture post has a description only
    body_max=None,  # [U] unverified
    cover=ImageSpec(  # cover < 10 MB [S]; 3:4 1080×1440 [U]
        ratio=(3, 4), max_width=1080, max_height=1440, max_bytes=9_999_999, formats=("JPEG",)
    ),
    max_images=9,  # [U] unverified
    template="kuaishou.txt.j2",
)
# ≤ 3 topics [S]; no title field and a picture needed [U]
KUAISHOU_RULES = ManualRules(has_title=False, max_topics=3, min_images=1)

BILIBILI_SPEC = ChannelSpec(
    key="bilibili",
    label="哔哩哔哩",
    delivery=DeliveryKind.MANUAL,
    form=Form.SHORT,
    count_unit=CountUnit.CHARS,  # [U] unverified
    title_max=None,  # [U] unverified
    body_max=None,  # [U] unverified
    cover=ImageSpec(  # [U] unverified: ratio, size and bytes
        ratio=(16, 9), max_width=1280, max_height=720, max_bytes=5_000_000, formats=("JPEG",)
    ),
    max_images=9,  # [U] unverified
    quota=None,  # ≤5 submissions a day binds non-formal members only [S]
    template="bilibili.txt.j2",
)
BILIBILI_RULES = ManualRules(topic_style=TopicStyle.PAIRED)  # 动态 topics #话题# [U]

WECHAT_CHANNELS_SPEC = ChannelSpec(
    key="wechat_channels",
    label="视频号",
    delivery=DeliveryKind.MANUAL,
    form=Form.SHORT,
    count_unit=CountUnit.CHARS,  # [U] unverified
    title_max=None,  # [U] unverified: a picture post has a description only
    body_max=None,  # [U] unverified
    cover=_PORTRAIT,  # [U] unverified
    max_images=9,  # [U] unverified
    template="wechat_channels.txt.j2",
)
WECHAT_CHANNELS_RULES = ManualRules(has_title=False, min_images=1)  # [U]


# -- topics ---------------------------------------------------------------------------------

_STOP = r"\s#，。！？、；：,.!?;:（）()【】\[\]{}“”\"'‘’《》<>「」『』…/\\|@~`"
# A "#" starts a topic unless it follows a letter or digit (C#, &#123;, URL fragments).
_TOPIC = re.compile(rf"(?<![0-9A-Za-z&/])#(?P<name>[^{_STOP}]{{1,64}})(?P<close>#)?")


def rewrite_topics(text: str, style: TopicStyle) -> tuple[str, tuple[str, ...]]:
    """Every ``#话题#`` and ``#话题`` in ``text`` written in ``style``; and the topics, once
    each, in order. ``#话题`` form gets a space after the name when words follow it."""
    names: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in names:
            names.append(name)
        if style is TopicStyle.PAIRED:
            return f"#{name}#"
        after = match.string[match.end() : match.end() + 1]
        needs_space = match["close"] is not None and after != "" and not after.isspace()
        return f"#{name}" + (" " if needs_space else "")

    return _TOPIC.sub(one, text), tuple(names)


def topic_mark(name: str, style: TopicStyle) -> str:
    return f"#{name}#" if style is TopicStyle.PAIRED else f"#{name}"


# -- package files ---------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: entries carry no real time


def package_name(key: str) -> str:
    """The idempotency key as one safe path component. A key that had to change gets a
    short hash of the original, so two different keys never share a folder."""
    if not key or not key.strip():
        raise ValueError("a manual package needs the post's idempotency key")
    safe = _UNSAFE.sub("-", key).strip(".-")[:80]
    if safe != key:
        safe = f"{safe or 'post'}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
    return safe


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def zip_bytes(folder: str, files: Mapping[str, bytes]) -> bytes:
    """A zip of ``files`` under ``folder/``: sorted names, fixed times and modes, so the
    same files always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below means what it says
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


# -- the channels ----------------------------------------------------------------------------

_UNIT_WORDS = {
    CountUnit.CHARS: "characters",
    CountUnit.WEIBO: "characters (two ASCII characters count as one)",
    CountUnit.UTF16_ASCII_HALF: "characters (two ASCII characters count as one, an emoji as two)",
}


class ManualChannel:
    """A platform posted by hand from a package; subclasses name the platform's spec."""

    key: ClassVar[str]
    spec: ClassVar[ChannelSpec]
    rules: ClassVar[ManualRules] = ManualRules()

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    # -- format ---------------------------------------------------------------------------
    def render(self, source: RenderInput) -> Variant:
        spec, rules, unit = self.spec, self.rules, self.spec.count_unit
        composed = short_text(source, self.key)
        words, topics = rewrite_topics(composed.text, rules.topic_style)
        text = render_template(
            f"channels/{spec.template_name}",
            title=composed.title,
            text=words,
            link=composed.link,
            topics=[topic_mark(t, rules.topic_style) for t in topics],
        ).strip()

        measures: list[Measure] = []
        violations: list[Violation] = []
        fields: dict[str, str] = {}
        if rules.has_title:
            title = composed.title.strip()
            fields["title"] = title
            measures.append(Measure("title", count(title, unit), spec.title_max, unit.value))
            if rules.title_min is not None and count(title, unit) < rules.title_min:
                violations.append(
                    Violation(
                        "title",
                        "too_short",
                        f"the title counts {count(title, unit)}; {spec.label} needs at least "
                        f"{rules.title_min}",
                    )
                )
        fields["text"] = text
        measures.append(Measure("text", count(text, unit), spec.body_max, unit.value))
        if rules.max_topics is not None or topics:
            fields["topics"] = " ".join(topic_mark(t, rules.topic_style) for t in topics)
            measures.append(Measure("topics", len(topics), rules.max_topics, "topics"))
        if composed.link:
            fields["link"] = composed.link

        how = _UNIT_WORDS[unit]
        for measure in measures:
            if not measure.over:
                continue
            if measure.field == "topics":
                violations.append(
                    Violation(
                        "topics",
                        "too_many_topics",
                        f"the text has {measure.value} topics; {spec.label} allows at most "
                        f"{measure.limit} — remove {measure.value - (measure.limit or 0)}",
                    )
                )
            else:
                violations.append(
                    Violation(
                        measure.field,
                        "too_long",
                        f"the {measure.field} counts {measure.value} {how}; {spec.label} allows "
                        f"{measure.limit} — shorten it (it is never cut automatically)",
                    )
                )
        if not text:
            violations.append(Violation("text", "empty", f"the {spec.label} text is empty"))

        images: tuple[VariantImage, ...] = ()
        if source.cover is not None and spec.cover is not None:
            try:
                images = (
                    fit(source.cover, spec.cover, role="cover", focus=source.content.cover_focus),
                )
            except ImageProblem as exc:
                violations.append(Violation("cover", "bad_image", str(exc)))
        elif source.cover is None and rules.min_images:
            violations.append(
                Violation(
                    "cover",
                    "missing_image",
                    f"a {spec.label} post needs at least {rules.min_images} picture; add a cover",
                )
            )

        return Variant(
            channel=self.key,
            fields=fields,
            images=images,
            measures=tuple(measures),
            violations=tuple(violations),
        )

    # -- deliver --------------------------------------------------------------------------
    def package_files(self, variant: Variant, target: Target, key: str) -> dict[str, bytes]:
        """Every file of the package, by name (the zip holds the same)."""
        files: dict[str, bytes] = {"text.txt": variant.fields.get("text", "").encode("utf-8")}
        if "title" in variant.fields:
            files["title.txt"] = variant.fields["title"].encode("utf-8")
        for image in variant.images:
            files[image.filename] = image.data
        files["checklist.md"] = checklist(self.spec, variant, target, key).encode("utf-8")
        payload = json.dumps(variant.payload(), ensure_ascii=False, indent=2, sort_keys=True)
        files["variant.json"] = (payload + "\n").encode("utf-8")
        return files

    def publish(
        self,
        variant: Variant,
        target: Target,
        *,
        secret: Mapping[str, str] | None = None,
        key: str,
        http: Any = None,
        media: MediaStore | None = None,
    ) -> Receipt:
        """Write the package folder and its zip; a person takes it from there."""
        if variant.channel != self.key:
            raise ValueError(f"a {variant.channel} variant given to the {self.key} channel")
        if variant.violations:
            raise PermanentDeliveryError(
                f"the variant has {len(variant.violations)} unresolved problem(s); "
                "no package is written"
            )
        name = package_name(key)
        account_dir = self.config.package_dir / str(target.account_id)
        folder = account_dir / name
        files = self.package_files(variant, target, key)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():  # left by an earlier, different package of this key
            if stale.is_file() and stale.name not in files:
                stale.unlink()
        for filename, data in files.items():
            _write_atomic(folder / filename, data)
        archive = account_dir / f"{name}.zip"
        _write_atomic(archive, zip_bytes(name, files))
        return Receipt(
            state=DeliveryState.MANUAL,
            external_id=None,
            url=None,
            detail=str(folder),
            data={"package": str(folder), "zip": str(archive)},
        )

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None = None,
        http: Any = None,
    ) -> Receipt:
        return receipt  # a person completes it with `matrixpub post confirm`

    @staticmethod
    def void(receipt: Receipt, *, reason: str) -> Receipt:
        """Mark a package that must no longer be posted (a new version, a suspended or
        closed account, expiry, a cancellation): ``VOID.txt`` in its folder says why, and
        the zip is renamed ``*.void.zip``, so neither passes for a package to post."""
        data = dict(receipt.data)
        folder = Path(str(data.get("package") or ""))
        if not data.get("package") or not folder.is_dir():
            return receipt
        note = (
            "# 作废 VOID\n\n"
            "本发布包已作废，请勿发布。This package is void: do not post it.\n\n"
            f"原因 Reason: {reason}\n"
        )
        _write_atomic(folder / "VOID.txt", note.encode("utf-8"))
        archive = Path(str(data.get("zip") or ""))
        if data.get("zip") and archive.is_file():
            voided = archive.with_name(archive.name.removesuffix(".zip") + ".void.zip")
            os.replace(archive, voided)
            data["zip"] = str(voided)
        data["void"] = reason
        return Receipt(
            state=receipt.state,
            external_id=receipt.external_id,
            url=receipt.url,
            detail=receipt.detail,
            data=data,
        )


class DouyinChannel(ManualChannel):
    key = "douyin"
    spec = DOUYIN_SPEC
    rules = DOUYIN_RULES


class XiaohongshuChannel(ManualChannel):
    key = "xiaohongshu"
    spec = XIAOHONGSHU_SPEC
    rules = XIAOHONGSHU_RULES


class ToutiaoChannel(ManualChannel):
    key = "toutiao"
    spec = TOUTIAO_SPEC
    rules = TOUTIAO_RULES


class KuaishouChannel(ManualChannel):
    key = "kuaishou"
    spec = KUAISHOU_SPEC
    rules = KUAISHOU_RULES


class BilibiliChannel(ManualChannel):
    key = "bilibili"
    spec = BILIBILI_SPEC
    rules = BILIBILI_RULES


class WechatChannelsChannel(ManualChannel):
    key = "wechat_channels"
    spec = WECHAT_CHANNELS_SPEC
    rules = WECHAT_CHANNELS_RULES


MANUAL_CHANNELS: tuple[type[ManualChannel], ...] = (
    DouyinChannel,
    XiaohongshuChannel,
    ToutiaoChannel,
    KuaishouChannel,
    BilibiliChannel,
    WechatChannelsChannel,
)
MANUAL_SPECS: dict[str, ChannelSpec] = {cls.key: cls.spec for cls in MANUAL_CHANNELS}


# -- what a person reads -----------------------------------------------------------------------


def checklist(spec: ChannelSpec, variant: Variant, target: Target, key: str) -> str:
    """The package's checklist: which account, what to paste, what to upload, then confirm."""
    measures = {m.field: m for m in variant.measures}

    def within(field: str) -> str:
        m = measures.get(field)
        if m is None:
            return ""
        return f"（{m.value}/{m.limit}）" if m.limit is not None else f"（{m.value}）"

    lines = [
        f"# 发布清单 Posting checklist — {spec.label} ({spec.key})",
        "",
        f"- 账号 Account: {target.name}",
        f"- 平台账号 Platform ID: {target.platform_id or '未登记 not on record'}",
    ]
    if target.url:
        lines.append(f"- 主页 Profile: {target.url}")
    lines += [
        f"- 单位 Unit: {target.unit}",
        f"- 投递键 Package key: {key}",
        "",
        "按顺序完成 Do these in order:",
        "",
        "1. [ ] 登录上面的账号，核对账号名称与平台账号。"
        "Sign in to the account above; check its name and platform ID.",
    ]
    step = 2
    if "title" in variant.fields:
        lines.append(
            f"{step}. [ ] 粘贴标题：复制 title.txt 的全部内容{within('title')}。"
            "Paste the title: all of title.txt."
        )
        step += 1
    lines.append(
        f"{step}. [ ] 粘贴正文：复制 text.txt 的全部内容，不增删、不改动{within('text')}。"
        "Paste the text: all of text.txt, unchanged."
    )
    step += 1
    if variant.images:
        lines.append(f"{step}. [ ] 按顺序上传图片 Upload the pictures in this order:")
        for n, image in enumerate(variant.images, 1):
            lines.append(f"    {n}. {image.filename}（{image.width}×{image.height}）")
        step += 1
    topics = variant.fields.get("topics", "")
    if topics:
        lines.append(
            f"{step}. [ ] 检查话题已被识别为话题：{topics}。"
            "Check each topic is recognised as a topic (pick it from the suggestions)."
        )
        step += 1
    lines += [
        f"{step}. [ ] 发布后复制作品链接，在 matrixpub 中登记。"
        "After posting, copy the live URL and record it:",
        "",
        f"    matrixpub post confirm {post_id_of(key) or 'POST_ID'} --url URL",
        "",
        "本包即已签发的版本（variant.json），请勿改动内容；如需改动，请退回稿件重新审核。",
        "This package is the signed-off version (variant.json). Do not change it; "
        "if it must change, send the draft back for review.",
        "",
    ]
    return "\n".join(lines)

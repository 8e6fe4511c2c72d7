"""A notice keeps its 落款: the issuing unit and the date on lines of their own, after any
附件 list — right-aligned where the platform allows it, separate lines in plain text."""

from __future__ import annotations

import re

import pytest

from channels.base import ChannelConfig, RenderInput
from channels.markup import Closing, markdown_to_html, markdown_to_text, split_closing
from channels.webhook import WebhookChannel
from channels.website import WebsiteChannel
from channels.wechat import WeChatOAChannel
from channels.weibo import WeiboChannel
from domain.content import ChannelOverride, Content

BUREAU = """\
为做好2026年春节期间全市文化和旅游市场安全生产工作，现将有关事项通知如下：

一、各A级旅游景区要落实最大承载量管理，严格执行预约、错峰、限流措施。

二、各文化和旅游经营单位要于1月31日前完成一次全面自查。

特此通知。

南州市文化和旅游局
2026年1月20日
"""

WITH_ATTACHMENTS = """\
请各区县文化和旅游主管部门认真组织申报，于3月15日前将申报材料报送市局产业发展科。

联系人：李明，电话：0571-87001234。

附件：1. 2026年度市级文化产业示范基地申报表
2. 申报材料真实性承诺书

南州市文化和旅游局
2026年3月2日
"""

JOINT = """\
各有关单位要加强协作配合，确保活动期间安全有序。

南州市文化和旅游局

南州市公安局

二〇二六年四月八日
"""


def test_a_bureau_notice_ending_is_recognised() -> None:
    body, closing = split_closing(BUREAU)
    assert closing == Closing((), ("南州市文化和旅游局",), "2026年1月20日")
    assert body.rstrip().endswith("特此通知。")


def test_an_attachment_list_belongs_to_the_closing() -> None:
    body, closing = split_closing(WITH_ATTACHMENTS)
    assert closing == Closing(
        ("附件：1. 2026年度市级文化产业示范基地申报表", "2. 申报材料真实性承诺书"),
        ("南州市文化和旅游局",),
        "2026年3月2日",
    )
    assert body.rstrip().endswith("电话：0571-87001234。")


@pytest.mark.parametrize(
    ("ending", "attachments"),
    [
        ("附件：活动安排表\n", ("附件：活动安排表",)),
        ("附件：1. 活动安排表\n2. 报名回执\n", ("附件：1. 活动安排表", "2. 报名回执")),
        ("附件：\n1. 活动安排表\n2. 报名回执\n", ("附件：", "1. 活动安排表", "2. 报名回执")),
    ],
)
def test_an_attachment_line_right_above_the_signature_belongs_to_the_closing(
    ending: str, attachments: tuple[str, ...]
) -> None:
    """The 附件 lines, the unit and the date typed as one paragraph, as people often do."""
    text = f"二、活动地点：古城景区。\n\n{ending}市文化和旅游局\n2026年11月26日\n"
    body, closing = split_closing(text)
    assert closing == Closing(attachments, ("市文化和旅游局",), "2026年11月26日")
    assert body == "二、活动地点：古城景区。\n"


def test_a_joint_notice_keeps_one_line_per_unit() -> None:
    _, closing = split_closing(JOINT.replace("\n\n南州市公安局", "\n南州市公安局"))
    assert closing == Closing((), ("南州市文化和旅游局", "南州市公安局"), "二〇二六年四月八日")


def test_a_closing_can_be_marked_explicitly() -> None:
    marked = "正文一段。\n\n::: 落款\n南州市文化和旅游局\n南州市体育局\n2026年5月1日\n:::\n"
    body, closing = split_closing(marked)
    assert closing == Closing((), ("南州市文化和旅游局", "南州市体育局"), "2026年5月1日")
    assert body == "正文一段。\n"


@pytest.mark.parametrize(
    "text",
    [
        "一段正文。\n\n另一段正文。\n",
        "正文。\n\n活动时间：\n2026年5月1日\n",  # a date that follows a label is not a signature
        "南州市文化和旅游局\n2026年1月20日\n",  # a signature alone is not a notice
        "通知正文。\n\n联系人：李明　　联系电话：0571-87001234\n2026年1月20日\n",
        "正文。\n\n```\n南州市文化和旅游局\n2026年1月20日\n```\n",
    ],
)
def test_ordinary_text_has_no_closing(text: str) -> None:
    assert split_closing(text) == (text, None)


def _signature(html: str) -> str:
    match = re.search(r'<p class="signature" style="([^"]*)">(.*?)</p>', html, re.S)
    assert match, html
    assert "text-align: right" in match.group(1)
    return match.group(2)


def test_html_puts_unit_and_date_on_right_aligned_lines() -> None:
    html = markdown_to_html(WITH_ATTACHMENTS)
    assert _signature(html) == "南州市文化和旅游局<br>2026年3月2日"
    assert "附件：1. 2026年度市级文化产业示范基地申报表<br>2. 申报材料真实性承诺书" in html
    assert html.index("attachments") < html.index("signature")
    assert "<p>南州市文化和旅游局" not in html  # no longer one run-on paragraph


def test_plain_text_keeps_each_line() -> None:
    text = markdown_to_text(JOINT)
    assert text.endswith(
        "确保活动期间安全有序。\n\n南州市文化和旅游局\n南州市公安局\n二〇二六年四月八日"
    )
    text = markdown_to_text(WITH_ATTACHMENTS)
    assert text.endswith(
        "附件：1. 2026年度市级文化产业示范基地申报表\n2. 申报材料真实性承诺书"
        "\n\n南州市文化和旅游局\n2026年3月2日"
    )


def _source(body: str, **overrides: ChannelOverride) -> RenderInput:
    return RenderInput(
        draft_id=7,
        content=Content(title="关于做好春节期间文旅安全工作的通知", body=body, overrides=overrides),
        website_url="https://www.example.gov.cn/news/7/index.html",
    )


@pytest.mark.parametrize("body", [BUREAU, WITH_ATTACHMENTS, JOINT], ids=["bureau", "附件", "joint"])
def test_every_channel_lays_out_the_closing(body: str, channel_config: ChannelConfig) -> None:
    _, closing = split_closing(body)
    assert closing is not None
    lines = "<br>".join((*closing.units, closing.date))

    website = WebsiteChannel(channel_config).render(_source(body))
    assert _signature(website.fields["article_html"]) == lines

    wechat = WeChatOAChannel(channel_config).render(_source(body))
    assert _signature(wechat.fields["content"]) == lines

    webhook = WebhookChannel(channel_config).render(_source(body))
    assert _signature(webhook.fields["html"]) == lines
    assert webhook.fields["text"].endswith("\n".join((*closing.units, closing.date)))

    short = "请各单位认真落实。\n\n" + "\n".join((*closing.units, closing.date))
    weibo = WeiboChannel(channel_config).render(_source(body, weibo=ChannelOverride(body=short)))
    assert "\n".join((*closing.units, closing.date)) in weibo.fields["status"]

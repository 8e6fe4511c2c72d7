"""Punctuation: unmatched pairs, half-width marks, doubled characters, empty headings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.proofread import Checker, check_punctuation, default_lexicons
from domain.proofread.punctuation import (
    _unmatched,
    check_doubled,
    check_empty_headings,
    check_half_width,
    check_pairs,
)
from domain.proofread.scan import find_all


def found(findings: list) -> list[tuple[str, int, str | None]]:
    return [(f.text, f.start, f.suggestion) for f in findings]


@pytest.mark.parametrize(
    ("text", "mark", "offset"),
    [
        ("请阅读《通知及附件", "《", 3),
        ("请阅读通知》及附件", "》", 5),
        ("他说：“好的。", "“", 3),
        ("他说：好的。”", "”", 6),
        ("（一）活动时间（二", "（", 7),
        ("活动时间）", "）", 4),
    ],
)
def test_unmatched_mark_is_reported_at_its_offset(text: str, mark: str, offset: int) -> None:
    [finding] = check_pairs(text)
    assert (finding.text, finding.start) == (mark, offset)
    assert finding.category == "punctuation" and finding.severity == "warn"
    assert finding.rule == "punctuation:unmatched"


@pytest.mark.parametrize(
    "text",
    [
        "《关于举办“乐享金秋”文旅消费季活动的通知》（以下简称《通知》）",
        "（注：（一）为必填项）",  # nested
        "",
        "没有标点的文字",
    ],
)
def test_matched_marks_pass(text: str) -> None:
    assert check_pairs(text) == []


def test_pairs_do_not_span_lines() -> None:
    assert found(check_pairs("《通知\n》")) == [("《", 0, None), ("》", 4, None)]


def test_half_width_marks_between_chinese() -> None:
    text = "各单位认真组织,确保安全.下一步;要求:是否?好!"
    assert found(check_half_width(text)) == [
        (",", 7, "，"),
        (".", 12, "。"),
        (";", 16, "；"),
        (":", 19, "："),
        ("?", 22, "？"),
        ("!", 24, "！"),  # at the end of the text too
    ]


def test_half_width_brackets_next_to_chinese() -> None:
    text = "《办法》(以下简称《办法》)规定，统计口径(1)不变。"
    assert found(check_half_width(text)) == [
        ("(", 4, "（"), (")", 13, "）"), ("(", 21, "（"), (")", 23, "）"),
    ]  # fmt: skip
    assert check_half_width("see f(x) = 1") == []
    assert check_half_width("2025年5月20日(周二)、5月21日(星期三)开放") == []  # a date's weekday


def test_doubled_marks_are_one_too_many() -> None:
    assert found(check_doubled("活动结束了。。下一步，，再说")) == [
        ("。。", 5, "。"),
        ("，，", 10, "，"),
    ]


def test_three_full_stops_are_an_ellipsis() -> None:
    assert found(check_doubled("春有百花，夏有凉风。。。一年四季皆宜出游")) == [("。。。", 9, "……")]


def test_a_point_between_the_parts_of_a_foreign_name_is_a_middle_dot() -> None:
    assert found(check_half_width("展出了列夫.托尔斯泰的手稿，达.芬奇的画")) == [
        (".", 5, "·"),
        (".", 15, "·"),
    ]
    assert found(check_half_width("活动结束了.下一步")) == [(".", 5, "。")]


def test_half_width_period_at_the_end_of_a_line() -> None:
    assert found(check_half_width("报送进展情况.\n下一段")) == [(".", 6, "。")]
    assert found(check_half_width("报送进展情况.")) == [(".", 6, "。")]


@pytest.mark.parametrize(
    "text",
    [
        "增长8.6%，收入41.2亿元",
        "详见www.mct.gov.cn。",
        "时间9:30开始",
        "Hello, world. 中文",
        "中文, 后面有空格再接中文",
    ],
)
def test_half_width_marks_elsewhere_are_fine(text: str) -> None:
    assert check_half_width(text) == []


@pytest.mark.parametrize(
    ("text", "pair", "offset"),
    [("这是是一个", "是是", 1), ("我们的的目标", "的的", 2), ("完成了了任务", "了了", 2),
     ("在在家门口", "在在", 0)],
)  # fmt: skip
def test_doubled_characters(text: str, pair: str, offset: int) -> None:
    assert found(check_doubled(text)) == [(pair, offset, pair[0])]


@pytest.mark.parametrize(
    "text",
    [
        "为了了解情况",
        "不了了之",
        "是是非非",
        "关键是是否落实",
        "实实在在",
        "的的确确",
        "达到目的的手段",
        "现在在线上",
    ],
)
def test_legitimate_doubled_characters(text: str) -> None:
    assert check_doubled(text) == []


def test_a_run_of_three_is_one_finding() -> None:
    assert found(check_doubled("我的的的书")) == [("的的的", 1, "的")]


def test_doubled_findings_name_the_pair() -> None:
    [finding] = check_doubled("这是是一个")
    assert (finding.rule, finding.severity) == ("punctuation:是是", "warn")
    assert finding.message == "疑似多字：是是 → 是"


def test_the_checker_finds_the_same_doubled_characters() -> None:
    text = "我们的的目标是是为了了解情况，实实在在，的的确确。"
    doubled = [f for f in Checker([]).check(text) if f.category == "punctuation"]
    assert doubled == check_doubled(text)
    assert [f.text for f in doubled] == ["的的", "是是"]


def test_empty_headings() -> None:
    text = "## 一、活动时间\n## \n正文\n#\n  ### \t\n正文 # 不是标题\n####### \n"
    assert [(f.text, f.start) for f in check_empty_headings(text)] == [
        ("## ", 10),
        ("#", 17),
        ("### \t", 21),
    ]


def test_check_punctuation_runs_them_all() -> None:
    text = "《通知,的的\n## "
    kinds = sorted(f.rule for f in check_punctuation(text))
    assert kinds == [
        "punctuation:empty_heading",
        "punctuation:half_width",
        "punctuation:unmatched",
        "punctuation:的的",
    ]


# The quick balance test must never hide what the exact stack check would report.
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["《", "》", "“", "”", "（", "）", "\n", "文"]), max_size=40))
def test_quick_path_agrees_with_the_exact_check(chars: list[str]) -> None:
    text = "".join(chars)
    newlines = list(find_all(text, "\n"))
    exact = []
    for open_, close in (("《", "》"), ("“", "”"), ("（", "）")):
        opens, closes = list(find_all(text, open_)), list(find_all(text, close))
        exact += _unmatched(open_, close, opens, closes, newlines)
    assert sorted(found(check_pairs(text))) == sorted(found(exact))


# check_half_width and check_empty_headings look mark by mark with str.find; a plain
# reading scans the text with the patterns. Both must agree.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_HALF = re.compile(
    rf"(?<=[{_CJK}》”）])([,.;:?!])(?=[{_CJK}”’）》」]|[ \t]*(?:\n|\Z))"
    rf"|(?<=[{_CJK}》”）])(:)(?=[0-9A-Za-z])"  # 咨询电话:0571, 网址:www
    rf"|(?<=[0-9A-Za-z%％])([,;:?!])(?=[{_CJK}])"
    rf"|(?<=[{_CJK}《》“”])([()])|([()])(?=[{_CJK}《》“”])"
)
_HEADING_LINE = re.compile(r"^[ \t\u3000]*(#{1,6}[ \t\r\u3000]*)$", re.MULTILINE)
_punct_pieces = st.sampled_from(
    [",", ".", ";", ":", "?", "!", "(", ")", "《", "文", "a", "3", " ", "\t", "\n", "”", "》", "#",
     "##", "###",
     "#######", "\u3000", "\r", "标题"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_punct_pieces, max_size=20).map("".join))
def test_half_width_and_headings_agree_with_a_plain_scan(text: str) -> None:
    half = [(m.group(m.lastindex), m.start(m.lastindex)) for m in _HALF.finditer(text)]
    assert [(f.text, f.start) for f in check_half_width(text)] == half
    headings = [(m.group(1), m.start(1)) for m in _HEADING_LINE.finditer(text)]
    assert [(f.text, f.start) for f in check_empty_headings(text)] == headings


def test_half_width_marks_past_the_first_few_are_found_by_the_scan() -> None:
    # Marks so dense that the checker leaves the rest of the text to one scan.
    for text in ("中." * 70, "增长3.5%，" * 80 + "情况.下一步" + "。详见www.a.cn." * 80 + "完毕."):
        half = [(m.group(m.lastindex), m.start(m.lastindex)) for m in _HALF.finditer(text)]
        assert [(f.text, f.start) for f in check_half_width(text)] == half


def punctuation_found(text: str) -> list[tuple[str, int, str]]:
    """(text, start, rule) of the checker's punctuation findings."""
    return [(f.text, f.start, f.rule) for f in Checker([]).check(text) if f.category == CATEGORY]


CATEGORY = "punctuation"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Two marks of one pause (GB/T 15834): the stronger one stays.
        ("活动圆满结束，。下一步", [("，。", 6, "punctuation:，。")]),
        ("包括书法、，绘画", [("、，", 4, "punctuation:、，")]),
        # An approximate count takes no 顿号 (三四个), a list of ordinals keeps it.
        ("每组三、四个人", [("三、四", 2, "punctuation:approximate")]),
        ("第一、二批名单", []),
        ("三、四个方面\n", []),
        # A quotation inside a quotation takes ‘’.
        ("他说：“这是“我的”书。”", [("“", 6, "punctuation:nested_quote")]),
        # Ellipses are ……, not "...", "。。。" or a lone "…".
        ("书画、剪纸...都有", [("...", 5, "punctuation:ellipsis")]),
        ("书画、剪纸…都有", [("…", 5, "punctuation:ellipsis")]),
        ("书画、剪纸……都有", []),
        # Marks that stand in for Chinese ones.
        ('他说"好"。', [('"', 2, "punctuation:half_width_quote"),
                      ('"', 4, "punctuation:half_width_quote")]),
        ("详见<<通知>>", [("<<", 2, "punctuation:half_width_title"),
                        (">>", 6, "punctuation:half_width_title")]),
        ("马克思•恩格斯", [("•", 3, "punctuation:middle_dot")]),
        ("展览--一场盛宴", [("--", 2, "punctuation:dash")]),
        # No 顿号 between items in quotes or title marks, after (一), after an Arabic number.
        ("阅读《论语》、《孟子》", [("、", 6, "punctuation:marked_items")]),
        ("（一）、活动时间", [("、", 3, "punctuation:bracketed_item")]),
        ("1、活动时间\n2、活动内容", [("、", 1, "punctuation:arabic_item"),
                                 ("、", 8, "punctuation:arabic_item")]),
        ("第1、2批", []),
        ("你报名了吗。", [("。", 5, "punctuation:question")]),
        ("活动于5月1日-7日举行", [("-", 7, "punctuation:range")]),
        ("【通知", [("【", 0, "punctuation:unmatched")]),
        ("你去吗？！真的吗？？", []),
        # A range of numbers takes ～ (of years —), not a hyphen; phones and ISO dates keep it.
        ("请于3-5个工作日内办理", [("-", 3, "punctuation:number_range")]),
        ("2025-2026年度", [("-", 4, "punctuation:number_range")]),
        ("咨询电话0571-87001234转人工", []),
        ("于2026-05-20举行", []),
        # A space between a Chinese character and the mark after it.
        ("请于12月5日前报名 。", [(" ", 10, "punctuation:space_before_mark")]),
        ("报名\u3000，逾期不候", [("\u3000", 2, "punctuation:space_before_mark")]),
        ("访问 https://x.gov.cn ，详见附件；联 系 人：李四；姓  名 ：张三", []),
        # The full-width hyphen-minus is read as the hyphen is.
        ("活动于5月1日－7日举行", [("－", 7, "punctuation:range")]),
        ("开放时间9:00－17:00", [("－", 8, "punctuation:range")]),
        ("请于3－5个工作日内办理", [("－", 3, "punctuation:number_range")]),
        ("咨询电话0571－87001234，气温－5℃，于2026－05－20举行", []),
        # Full-width digits; a mark of a pause after an opening mark or inside 《》.
        ("２０２６年", [("２０２６", 0, "punctuation:full_width_digit")]),
        # Full-width letters, a run at a time.
        ("国家ＡＡＡＡ级景区", [("ＡＡＡＡ", 2, "punctuation:full_width_letter")]),
        ("Ｗｉ－Ｆｉ全覆盖", [("Ｗｉ", 0, "punctuation:full_width_letter"),
                          ("Ｆｉ", 3, "punctuation:full_width_letter")]),
        ("国家AAAA级景区，Wi-Fi全覆盖", []),
        ("他说：“，好的”", [("，", 4, "punctuation:misplaced")]),
        ("《旅游法。》", [("。", 4, "punctuation:misplaced")]),
    ],
)  # fmt: skip
def test_marks_of_gb_t_15834(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert punctuation_found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("首先、要提高认识", [("、", 2, "punctuation:ordinal")]),
        ("会议指出，第一、要提高认识", [("、", 7, "punctuation:ordinal")]),
        ("第一、二批名单", []),
        ("增速位居全省第一、全国领先", []),
        ("（1）、活动时间", [("、", 3, "punctuation:bracketed_item")]),
        ("①、活动时间", [("、", 1, "punctuation:bracketed_item")]),
    ],
)
def test_ordinals_take_a_comma(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert punctuation_found(text) == expected


@pytest.mark.parametrize(
    ("text", "mark"),
    [("展出书画、剪纸、刺绣……等作品。", "……"), ("他说：“我们要努力。”。", "。")],
)
def test_an_ellipsis_with_deng_and_a_full_stop_after_a_closed_quotation(
    text: str, mark: str
) -> None:
    found = [f for f in Checker.default().check(text) if f.category == "punctuation"]
    assert [f.text for f in found] == [mark]


@pytest.mark.parametrize(
    "text", ["他说：“我们要努力。”", "他说：“我们要努力”。", "请稍等……", "展出书画、剪纸等作品。"]
)
def test_quotations_and_ellipses_written_right(text: str) -> None:
    assert [f for f in Checker.default().check(text) if f.category == "punctuation"] == []


@pytest.mark.parametrize(
    ("text", "mark", "rule"),
    [
        ("会议指出：要做好安全工作：一是加强巡查。", "：", "punctuation:nested_colon"),
        ("他说：“请大家排好队，有序入场”。", "”。", "punctuation:end_mark_outside_quote"),
        # A whole sentence needs no comma inside to be one.
        ("他说：“我们一定会做好服务工作”。", "”。", "punctuation:end_mark_outside_quote"),
        ("局长强调：“安全生产是一切工作的前提”。", "”。", "punctuation:end_mark_outside_quote"),
        # So do a question's and an exclamation's marks.
        ("他说：“你们去过市博物馆吗”？", "”？", "punctuation:end_mark_outside_quote"),
        ("他感慨：“家乡的变化真是太大了”！", "”！", "punctuation:end_mark_outside_quote"),
    ],
)
def test_a_nested_colon_and_an_end_mark_outside_a_full_quotation(
    text: str, mark: str, rule: str
) -> None:
    findings = [f for f in Checker(default_lexicons()).check(text) if f.rule == rule]
    assert [(f.text, f.start) for f in findings] == [(mark, text.rindex(mark))]


@pytest.mark.parametrize(
    "text",
    [
        "时间：2026年5月1日9:30，地点：市文化馆。",
        "一、活动时间：5月1日\n二、活动地点：市文化馆",
        "他说：“我认为：这是对的。”",
        "开放时间：9：00—17：00。",
        "会议强调：“稳中求进”。",
        "他说：“请大家排好队，有序入场。”",
        "所谓“先审后发，分级负责”。",
        "他说：“我们一定会做好服务工作。”",
        "推广“三个一”工作法。",
        "活动口号：“文明旅游从我做起”。",
        "会议提出“建设国际文化旅游名城”。",
        "难道这就是所谓的“创新发展的新路子”？",
    ],
)
def test_colons_and_quotations_that_are_right(text: str) -> None:
    rules = {f.rule for f in Checker(default_lexicons()).check(text)}
    assert not rules & {"punctuation:nested_colon", "punctuation:end_mark_outside_quote"}


# GB/T 15834 4.5.3.1: the items of a list of words take the 顿号. A list brought in by 包括, 主要有,
# 如 … and closed by 等 before the end of the sentence, of three or more short items: commas
# between them are 顿号.
@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("活动包括：非遗展示，文艺演出，美食品鉴等。", "非遗展示，文艺演出，美食品鉴"),
        ("展品主要有书画，瓷器，玉器，刺绣等等。", "书画，瓷器，玉器，刺绣"),
        ("传统技艺如剪纸，皮影，泥塑等。", "剪纸，皮影，泥塑"),
        ("活动内容包含非遗展示，文艺演出，美食品鉴等。", "非遗展示，文艺演出，美食品鉴"),
    ],
)
def test_a_list_of_words_parted_by_commas(text: str, items: str) -> None:
    findings = [f for f in Checker(default_lexicons()).check(text) if f.category == "punctuation"]
    assert [(f.text, f.severity, f.rule, f.suggestion) for f in findings] == [
        (items, "warn", "punctuation:enumeration_comma", items.replace("，", "、"))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "活动包括：非遗展示、文艺演出、美食品鉴等。",
        "活动包括非遗展示，还有文艺演出等。",
        "工作包括：一是加强巡查，二是做好服务，三是完善设施等。",
        "活动包括开幕式、主题论坛，文艺演出，美食品鉴等环节。",
        "主要任务包括：加强文物保护利用和文化遗产保护传承，丰富公共文化服务供给，推动文旅融合等。",
        "游客可以看展览，听讲座，做手工等。",
        "市民有的看书，有的下棋，有的跳舞等。",
    ],
)
def test_lists_parted_rightly_and_clauses_are_left_alone(text: str) -> None:
    rules = {f.rule for f in Checker(default_lexicons()).check(text)}
    assert "punctuation:enumeration_comma" not in rules

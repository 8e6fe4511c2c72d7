"""Term lexicons: one automaton, per-category whitelist and longest-match suppression."""

from __future__ import annotations

import pytest

from domain.proofread import Checker, Finding, Lexicon, LexiconEntry, check_terms, default_lexicons
from domain.proofread.terms import TermIndex

LEXICONS = [lex for lex in default_lexicons() if lex.category != "name_title"]


def terms_in(text: str) -> list[tuple[str, str, int, int, str | None]]:
    findings = check_terms(text, LEXICONS)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [(f.category, f.text, f.start, f.end, f.suggestion) for f in findings]


def test_outdated_institution_name_with_offsets_and_suggestion() -> None:
    text = "经国家旅游局批准。"
    [finding] = check_terms(text, LEXICONS)
    assert (finding.start, finding.end, finding.text) == (1, 6, "国家旅游局")
    assert finding.suggestion == "文化和旅游部"
    assert finding.severity == "block"
    assert finding.rule == "outdated_name:国家旅游局"
    assert "国家旅游局 → 文化和旅游部" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "文化和旅游部印发通知",
        "各级文化部门要高度重视",
        "2018年，原文化部与原国家旅游局职责整合",
        "住房和城乡建设部、交通运输部、农业农村部",
        "泰国国家旅游局驻华办事处",
        "各地文旅部门",
        "参观党史教育基地，开展党史学习教育",
        "企业文化部",
    ],
)
def test_legitimate_names_stay_quiet(text: str) -> None:
    assert terms_in(text) == []


def test_wenhuabu_fires_alone_but_not_inside_longer_legitimate_words() -> None:
    assert terms_in("文化部和文化部门") == [("outdated_name", "文化部", 0, 3, "文化和旅游部")]


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ('推进"一带一路"战略', '"一带一路"战略', "“一带一路”倡议"),
        ("推进“一带一路”战略", "“一带一路”战略", "“一带一路”倡议"),
        ("推进一带一路战略", "一带一路战略", "“一带一路”倡议"),
        ("深入开展党史教育", "党史教育", "党史学习教育"),
        ("国家质检总局", "国家质检总局", "国家市场监督管理总局"),
    ],
)
def test_outdated_formulations(text: str, wrong: str, right: str) -> None:
    [(category, found, start, _end, suggestion)] = terms_in(text)
    assert (category, found, suggestion) == ("outdated_name", wrong, right)
    assert start == text.index(wrong)


def test_the_longer_term_of_a_category_wins() -> None:
    # 台湾总统府 contains 台湾总统; 中国银保监会 contains 银保监会.
    assert terms_in("台湾总统府") == [("sovereignty", "台湾总统府", 0, 5, "台湾地区领导人办公场所")]
    assert [t[1] for t in terms_in("中国银保监会")] == ["中国银保监会"]


def test_sovereignty_wording() -> None:
    found = check_terms("来自台湾国的客人，香港政府表示", LEXICONS)
    assert [(f.text, f.severity, f.suggestion) for f in found] == [
        ("台湾国", "block", "台湾地区"),
        ("香港政府", "warn", "香港特别行政区政府"),
    ]
    assert terms_in("中华民国时期的老建筑，台湾国际书展") == []
    assert terms_in("中华民国国旗")[0][:2] == ("sovereignty", "中华民国")


@pytest.mark.parametrize(
    "text",
    [
        "入选联合国旅游组织最佳旅游乡村",
        "推广最佳实践案例",
        "国家级非物质文化遗产代表性项目",
        "国家级旅游度假区和5A级旅游景区",
        "打造世界级旅游景区",
        "第一批、第一次、第一届，最新、最后、最近、最终",
        "游客最好提前预约",
        "天下第一关",
    ],
)
def test_legitimate_titles_do_not_trip_absolute_terms(text: str) -> None:
    assert terms_in(text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("打造最佳旅游目的地", "最佳"),
        ("本景区是国家级景区", "国家级"),
        ("销量全网第一", "全网第一"),
        ("游客出行首选", "首选"),
        ("全市最低价", "最低价"),
        ("独一无二的体验", "独一无二"),
    ],
)
def test_absolute_terms_warn(text: str, term: str) -> None:
    [finding] = check_terms(text, LEXICONS)
    assert (finding.category, finding.text, finding.severity) == ("absolute_term", term, "warn")
    assert finding.start == text.index(term)


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("设备按装完毕", "按装", "安装"),
        ("既使下雨也照常举行", "既使", "即使"),
        ("布署安排", "布署", "部署"),
        ("渡假胜地", "渡假", "度假"),
        ("再接再励", "再接再励", "再接再厉"),
        ("一愁莫展", "一愁莫展", "一筹莫展"),
        ("迫不急待", "迫不急待", "迫不及待"),
        ("留连忘返", "留连忘返", "流连忘返"),
    ],
)
def test_confusables(text: str, wrong: str, right: str) -> None:
    [(category, found, _s, _e, suggestion)] = terms_in(text)
    assert (category, found, suggestion) == ("confusable", wrong, right)


def test_confusable_whitelist_for_ji_shi_de() -> None:
    assert terms_in("既使得游客满意，又方便群众") == []


def test_suppression_is_per_category() -> None:
    # A whitelist entry of one category never hides a term of another one.
    a = Lexicon("a_words", "1", "warn", (LexiconEntry("文化部"),), ("文化部门",))
    b = Lexicon("b_words", "1", "block", (LexiconEntry("化部门"),))
    found = check_terms("文化部门", [a, b])
    assert [(f.category, f.text, f.start) for f in found] == [("b_words", "化部门", 1)]


def test_the_same_term_in_two_lexicons_gives_two_findings() -> None:
    a = Lexicon("a_words", "1", "warn", (LexiconEntry("测试词"),))
    b = Lexicon("b_words", "1", "block", (LexiconEntry("测试词", "改词"),))
    index = TermIndex([a, b])
    assert index.pattern_count == 1
    found = sorted(check_terms("一个测试词", [a, b]), key=lambda f: f.category)
    assert [(f.category, f.severity, f.suggestion) for f in found] == [
        ("a_words", "warn", None),
        ("b_words", "block", "改词"),
    ]


def test_overlapping_terms_of_different_categories_are_all_reported() -> None:
    # (渡假区 is a generated miswriting of its own, longer than the listed 渡假.)
    found = check_terms("国家级渡假区", LEXICONS)
    assert [(f.category, f.text) for f in found] == [
        ("absolute_term", "国家级"),
        ("confusable", "渡假区"),
    ]


def test_lone_surrogates_keep_offsets_exact() -> None:
    text = "\ud800国家旅游局\udfff文化部"
    found = check_terms(text, LEXICONS)
    assert [(f.text, f.start) for f in found] == [("国家旅游局", 1), ("文化部", 7)]


def test_a_term_with_the_replacement_character_reports_the_text_as_written() -> None:
    # The scan sees U+FFFD where the text has a lone surrogate, so such a term matches
    # it; the finding still quotes the text itself, not the term.
    odd = Lexicon("confusable", "1", "warn", entries=(LexiconEntry("乱\ufffd码"),))
    text = "这是乱\ud800码"
    [finding] = check_terms(text, [odd])
    assert finding.text == text[finding.start : finding.end] == "乱\ud800码"


def test_offsets_count_characters_not_bytes() -> None:
    text = "😀🎉国家旅游局"
    [finding] = check_terms(text, LEXICONS)
    assert (finding.start, finding.end) == (2, 7)


def test_no_lexicons_no_findings() -> None:
    assert check_terms("国家旅游局", []) == []
    assert Checker([]).check("国家旅游局") == []


def test_findings_are_plain_findings() -> None:
    [finding] = check_terms("文化部", LEXICONS)
    assert isinstance(finding, Finding)
    assert finding == Finding(**finding.to_dict())


@pytest.mark.parametrize(
    ("text", "category", "wrong"),
    [
        ("台湾国会通过了该法案。", "sovereignty", "台湾国会"),
        ("国立政治大学的学者来访。", "sovereignty", "国立政治大学"),
        ("中台交流日益密切。", "sovereignty", "中台交流"),
        ("香港与中国的经贸往来。", "sovereignty", "香港与中国"),
        ("与寮国开展旅游合作。", "sovereignty", "寮国"),
        ("反对台独分裂活动。", "sovereignty", "台独"),
        ("公安机关判处其有期徒刑。", "usage", "公安机关判处"),
        ("三名政协代表出席。", "usage", "政协代表"),
        ("美籍华侨王某回乡投资。", "usage", "美籍华侨"),
        ("促进内地与台湾的交流。", "sovereignty", "内地与台湾"),
        ("香港华侨回乡探亲。", "sovereignty", "香港华侨"),
        ("本店是行业第一的品牌。", "absolute_term", "行业第一"),
        ("本店是市场占有率第一的品牌。", "absolute_term", "占有率第一"),
        ("景区服务品质领先全国。", "absolute_term", "领先全国"),
        ("该企业是智慧旅游的行业领导者。", "absolute_term", "行业领导者"),
        ("既将开幕的文化节。", "confusable", "既将"),
    ],
)
def test_newsroom_advertising_and_miswriting_entries(text: str, category: str, wrong: str) -> None:
    assert (category, wrong) in [(c, t) for c, t, *_ in terms_in(text)]


@pytest.mark.parametrize(
    "text",
    [
        "来自中国香港、中国澳门、中国台湾地区的选手。",
        "坚决反对“台独”分裂活动。",
        "伊斯兰国家的观众。",
        "香港与中国内地的交流。",
    ],
)
def test_newsroom_entries_stay_quiet_where_the_text_is_right(text: str) -> None:
    assert [t for c, t, *_ in terms_in(text) if c in ("sovereignty", "usage")] == []


def test_the_scan_reports_hits_by_their_end() -> None:
    """The term judge orders hits by reversing the scan's and sorting them by start alone,
    which is (start, longest first) only if the scan reports them by their end."""
    index = Checker.default()._terms
    text = "原国家旅游局局长出席国家级非物质文化遗产代表性项目名录发布会，中华民国时期的建筑，" * 20
    hits = index.scan(text)
    spans = [(start, end) for _, start, end in hits]
    assert len(spans) >= 60
    # a hit strictly inside another (民国 in 中华民国时期): by start, it would come after it
    assert any(a < c and d < b for a, b in spans for c, d in spans)
    ends = [end for _, end in spans]
    assert ends == sorted(ends)


def test_a_term_and_a_rule_of_one_span_and_category_keep_their_order() -> None:
    """港澳台游客来华: a phrase of the sovereignty list, and the rule of 来华 over the same
    words; both are reported, the listed phrase first, whichever is judged first."""
    findings = [
        (f.severity, f.suggestion)
        for f in Checker.default().check("欢迎港澳台游客来华旅游。")
        if f.text == "港澳台游客来华"
    ]
    assert findings == [("warn", "港澳台游客来大陆（内地）"), ("block", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The regions' own bodies are no former names of ours (the sovereignty rules read them).
        ("市文化和旅游局与台湾文化部有关人员进行了交流。", [("sovereignty", "台湾文化部")]),
        ("拜访了台湾行政院农业委员会下属机构。", [("sovereignty", "台湾行政院")]),
        ("台湾同胞参观了文化部旧址。", [("outdated_name", "文化部")]),
        # 台湾国 is no 台湾国 in 台湾国立……; the 国立 rule reads it.
        ("与台湾国立成功大学签订备忘录。", [("sovereignty", "国立成功大学")]),
        ("所谓台湾国的说法。", [("sovereignty", "台湾国")]),
    ],
)
def test_the_regions_own_bodies(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.category, f.text) for f in Checker.default().check(text)] == expected


def test_the_national_rural_revitalization_administration_is_a_second_name() -> None:
    [finding] = Checker.default().check("国家乡村振兴局日前公布了典型案例。")
    assert (finding.text, finding.severity, finding.suggestion) == (
        "国家乡村振兴局",
        "warn",
        "农业农村部（国家乡村振兴局）",
    )

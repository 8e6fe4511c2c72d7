"""The whole checker: ordering, versions, exact offsets on any text, and purity."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.proofread import Checker, Finding, Lexicon, LexiconEntry, default_lexicons
from domain.proofread.checker import in_order, once_each
from domain.proofread.model import sort_key

CHECKER = Checker.default()

TEXT = (
    "关于举办活动的通知\n"
    "经国家旅游局批准，定于2024年6月31日举行，2024年6月24日（星期二）报到，"
    "联系电话13857106688，请核对,最佳旅游目的地。\n"
    "## \n"
    "详见https://example.gov.cn/2024/06/31/a.html《通知"
)


def test_every_kind_of_finding_with_exact_offsets_in_order() -> None:
    findings = CHECKER.check(TEXT)
    assert findings == sorted(findings, key=sort_key)
    for f in findings:
        assert TEXT[f.start : f.end] == f.text
    assert [(f.category, f.text) for f in findings] == [
        ("outdated_name", "国家旅游局"),
        ("date", "2024年6月31日"),
        ("date", "（星期二）"),
        ("personal_data", "13857106688"),
        ("punctuation", ","),
        ("absolute_term", "最佳"),
        ("punctuation", "## "),
        ("punctuation", "《"),
    ]


def test_lexicon_versions_are_recorded_per_category() -> None:
    assert CHECKER.lexicon_versions == {lex.category: lex.version for lex in default_lexicons()}
    assert set(CHECKER.lexicon_versions) >= {"outdated_name", "sovereignty", "name_title"}


def test_two_lexicons_of_one_category_are_refused() -> None:
    lex = Lexicon("outdated_name", "1", "block", ())
    with pytest.raises(ValueError, match="outdated_name"):
        Checker([lex, lex])


def test_findings_that_share_a_start_come_shorter_first() -> None:
    # The term hits arrive longest first; the checker's order is (start, end, category).
    longer = Lexicon("a_words", "1", "warn", (LexiconEntry("甲乙丙"),))
    shorter = Lexicon("b_words", "1", "warn", (LexiconEntry("甲乙"),))
    found = Checker([longer, shorter]).check("甲乙丙")
    assert [(f.start, f.end, f.category) for f in found] == [(0, 2, "b_words"), (0, 3, "a_words")]


def test_a_clean_text_has_no_findings() -> None:
    text = (
        "为贯彻落实文化和旅游部部署，市文化和旅游局定于2025年10月1日（星期三）举办"
        "国家级非物质文化遗产展演，第一批5A级旅游景区参加。详见https://a.example.cn/2025/10/01。"
    )
    assert CHECKER.check(text) == []


# Text built from pieces that trigger every check, plus arbitrary characters.
_fragments = st.sampled_from(
    ["国家旅游局", "文化部", "文化部门", "台湾国", "最佳", "最佳实践案例", "国家级", "按装",
     "既使得", "2024年6月31日", "（星期二）", "(周一)", "2024-06-24", "2024/6/1", "6月1日",
     "13857106688", "138-5710-6688", "330106198503140520", "6222021001123456789",
     "《", "》", "“", "”", "（", "）", ",", ".", "的的", "了了解", "## ", "\n", "#",
     "https://a.cn/2024/06/31", " ", "X", "0", "月", "日"]
)  # fmt: skip
_texts = st.lists(_fragments | st.text(max_size=3), max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_findings_always_have_valid_offsets(text: str) -> None:
    findings = CHECKER.check(text)
    assert findings == sorted(findings, key=sort_key)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.severity in ("block", "warn", "info")


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_text_at_all(text: str) -> None:
    for f in CHECKER.check(text):
        assert text[f.start : f.end] == f.text


FORBIDDEN = ("prefect", "sqlmodel", "sqlalchemy", "requests", "jinja2", "PIL")


def test_importing_the_package_loads_no_io_library() -> None:
    code = (
        "import sys, domain.proofread as p\n"
        "p.Checker.default().check('国家旅游局')\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_lone_surrogates_do_not_break_any_check() -> None:
    text = "\ud800国家旅游局2024年6月31日\udfff13812345678《"
    findings = CHECKER.check(text)
    assert [f.category for f in findings] == [
        "outdated_name",
        "date",
        "personal_data",
        "punctuation",
    ]
    for f in findings:
        assert text[f.start : f.end] == f.text


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 3), st.sampled_from(["date", "usage", "a"])),
        max_size=30,
    )
)
def test_in_order_is_the_sort_by_the_whole_key(spans: list[tuple[int, int, str]]) -> None:
    # Many findings share a start here, so the runs of ties get sorted too.
    findings = [
        Finding(category, "warn", start, start + length, "x", None, f"m{i}", "r")
        for i, (start, length, category) in enumerate(spans)
    ]
    assert in_order(findings) == sorted(findings, key=sort_key)
    assert [f.message for f in in_order(findings)] == [
        f.message for f in sorted(findings, key=sort_key)
    ]  # the same findings, ties between equal ones kept in their order


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A phrase of the list and, inside it, a word read by its neighbours: one slip.
        ("现发布招聘启示，欢迎报名。", [("confusable", "招聘启示", "招聘启事")]),
        ("国庆期间在景区渡过假期。", [("confusable", "渡过假期", "度过假期")]),
        ("推动大陆与香港的文旅交流。", [("sovereignty", "大陆与香港", "内地与香港")]),
        # A claim marked by the list and by the rule of a scope: once, as the list says it.
        ("本景区是国内首家获此殊荣的景区。", [("absolute_term", "国内首家", None)]),
        ("本店是全市第一家。", [("absolute_term", "全市第一家", None)]),
    ],
)
def test_a_slip_found_twice_is_one_finding(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(f.category, f.text, f.suggestion) for f in CHECKER.check(text)] == found


def test_of_two_marks_of_one_claim_the_one_that_cites_its_source_stays() -> None:
    (claim,) = CHECKER.check("本景区是国内首家获此殊荣的景区。")
    assert "《广告法》第九条" in claim.message


def test_a_finding_inside_another_stays_when_it_says_something_else() -> None:
    def finding(start: int, text: str, fix: str | None, severity: str = "warn") -> Finding:
        return Finding("confusable", severity, start, start + len(text), text, fix, text, "r")

    outer = finding(0, "招聘启示", "招聘启事")
    same = finding(2, "启示", "启事")
    assert once_each([outer, same]) == [outer]
    holiday = finding(0, "渡过假期", "度过假期")
    assert once_each([finding(0, "渡过", "度过"), holiday]) == [holiday]  # one start, shorter first
    other = finding(2, "启示", "启发")  # another correction
    more_urgent = finding(2, "启示", "启事", "block")
    no_fix = finding(2, "启示", None)
    for inner in (other, more_urgent, no_fix):
        assert once_each([outer, inner]) == [outer, inner]
    elsewhere = finding(5, "启示", "启事")
    assert once_each([outer, elsewhere]) == [outer, elsewhere]
    apart = Finding("usage", "warn", 2, 4, "启示", "启事", "m", "r")
    assert once_each([outer, apart]) == [outer, apart]  # another category
    # Marks without a correction: the same span once (the fuller message), words of a list
    # inside a longer mark once; another check's marks, one inside the other, both stay.
    short, full = (Finding("usage", "warn", 0, 4, "全市第一", None, m, "r") for m in ("m", "mm"))
    assert once_each([short, full]) == [full]
    assert once_each([full, short]) == [full]
    longer = Finding("usage", "warn", 0, 5, "全市第一家", None, "m", "r")
    assert once_each([short, longer]) == [longer]
    day = Finding("date", "warn", 0, 18, "2026年12月3日下午15:00", None, "m", "r")
    clock = Finding("date", "warn", 11, 18, "下午15:00", None, "n", "r")
    assert once_each([day, clock]) == [day, clock]


def test_an_anchor_has_one_rule() -> None:
    from domain.proofread.checker import merge_anchors

    def rule(text: str, start: int, end: int) -> None:
        return None

    assert merge_anchors({"截止": rule}, {"日至": rule}) == {"截止": rule, "日至": rule}
    with pytest.raises(ValueError, match="anchor"):
        merge_anchors({"日至": rule}, {"日至": rule})


def test_a_slip_read_in_two_overlapping_phrases_is_one_finding() -> None:
    def finding(start: int, text: str, fix: str | None, severity: str = "warn") -> Finding:
        return Finding("confusable", severity, start, start + len(text), text, fix, text, "r")

    first = finding(4, "追究行事", "追究刑事")
    same = finding(6, "行事责任", "刑事责任")  # the shared 行事, corrected alike
    assert once_each([first, same]) == [first]
    assert [(f.text, f.suggestion) for f in CHECKER.check("依法追究行事责任。")] == [
        ("追究行事", "追究刑事")
    ]
    # Both stay where the later one corrects the shared characters otherwise, corrects more
    # than they share, or asks more urgently.
    # Of a generated slip and a hand-made entry, the hand-made one's stays, unless the
    # generated one corrects more.
    made = Finding("confusable", "warn", 4, 8, "追究行事", "追究刑事", "…（同音词误选）", "r")
    hand = Finding("confusable", "warn", 6, 10, "行事责任", "刑事责任", "…", "r")
    assert once_each([made, hand]) == [hand]
    more = Finding("confusable", "warn", 4, 8, "追就行事", "追究刑事", "…（同音词误选）", "r")
    assert once_each([more, hand]) == [more]
    for later in (
        finding(6, "行事责任", "形式责任"),
        finding(6, "行事责任", "刑事责人"),
        finding(6, "行事责任", "刑事责任", "block"),
        finding(6, "行事责任", None),
    ):
        assert once_each([first, later]) == [first, later]

"""Names and titles, on a fictional dictionary (every name here is invented)."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.proofread import Checker, default_lexicons, parse_lexicon
from domain.proofread.names import check_name_titles, short_forms

SAMPLE = Path(__file__).parents[2] / "data" / "proofread" / "name_title_sample.toml"
NAMES = parse_lexicon(SAMPLE.read_text(encoding="utf-8"))


def found(text: str) -> list[tuple[str, int, str | None, str]]:
    findings = check_name_titles(text, NAMES)
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert (f.category, f.severity, f.rule[:11]) == ("name_title", "block", "name_title:")
    return [(f.text, f.start, f.suggestion, f.message) for f in findings]


@pytest.mark.parametrize(
    "text",
    [
        "市文化和旅游局局长林知远出席",
        "林知远局长指出",
        "林知远同志（市文化和旅游局局长）",
        "林知远（局长）主持会议",
        "局长 林知远",
        "副局长苏青禾、局长林知远陪同",
        "副市长顾言川调研",
        "市非物质文化遗产保护中心主任周望舒",
        "周望舒主任介绍",
        "局党组书记、局长林知远讲党课",
        "林知远一行来到现场",  # no title next to the name
        "局长说，林知远同志的报告很好",  # the title belongs to someone else's clause
    ],
)
def test_current_titles_and_short_forms_pass(text: str) -> None:
    assert found(text) == []


def test_former_title_before_the_name() -> None:
    text = "市文化和旅游局副局长林知远出席"
    [(title, start, suggestion, message)] = found(text)
    assert (title, start) == ("市文化和旅游局副局长", 0)
    assert suggestion == "市文化和旅游局局长"
    assert message.startswith("职务已变更：林知远现任市文化和旅游局局长")


def test_short_wrong_title_after_the_name_gets_a_short_suggestion() -> None:
    [(title, start, suggestion, message)] = found("苏青禾局长讲话")
    assert (title, start, suggestion) == ("局长", 3, "副局长")
    assert message == "职务有误：苏青禾现任市文化和旅游局副局长"


def test_title_in_brackets_after_the_name() -> None:
    text = "苏青禾同志（市文化馆馆长）发言"
    [(title, start, suggestion, message)] = found(text)
    assert (title, start) == ("市文化馆馆长", 6)
    assert suggestion == "市文化和旅游局副局长"
    assert "原职务" in message


def test_former_title_of_someone_promoted() -> None:
    [(title, _start, suggestion, _message)] = found("顾言川局长强调")
    assert (title, suggestion) == ("局长", "副市长")


def test_a_title_held_by_another_person_is_still_wrong() -> None:
    # 市文化和旅游局局长 is 林知远's title, not 苏青禾's.
    [(title, start, suggestion, _m)] = found("市文化和旅游局局长苏青禾介绍")
    assert (title, start, suggestion) == ("市文化和旅游局局长", 0, "市文化和旅游局副局长")


def test_several_mentions_each_judged() -> None:
    text = "会议由副局长林知远主持，局长苏青禾传达会议精神。"
    assert [(t, s) for t, s, _, _ in found(text)] == [("副局长", 3), ("局长", 12)]


def test_short_forms() -> None:
    assert short_forms("市文化和旅游局局长") == {"市文化和旅游局局长", "文化和旅游局局长", "局长"}
    assert "局长" not in short_forms("市文化和旅游局副局长")
    assert {"党组书记", "书记", "局长"} <= short_forms("市文化和旅游局党组书记、局长")


def test_the_shipped_dictionary_is_empty_and_costs_nothing() -> None:
    checker = Checker.default()
    assert checker.check("市文化和旅游局副局长林知远出席") == []


def test_checker_uses_the_dictionary_from_its_lexicons() -> None:
    lexicons = [lex for lex in default_lexicons() if lex.category != "name_title"] + [NAMES]
    checker = Checker(lexicons)
    [finding] = checker.check("国庆期间，周望舒馆长带队检查。")
    assert (finding.category, finding.text, finding.suggestion) == ("name_title", "馆长", "主任")
    assert checker.lexicon_versions["name_title"] == "2026.11.1"


@pytest.mark.parametrize(
    "text",
    [
        "2024年，时任市文化和旅游局局长林知远的前任顾言川主持了开馆仪式",
        "2024年，时任市文化和旅游局局长顾言川出席开幕式",
        "曾任市文化馆馆长的苏青禾介绍了馆藏",
        "苏青禾同志（时任市文化馆馆长）在会上发言",
        "历任县文化馆馆长何清源，现为县文化和旅游局局长",
    ],
)
def test_a_former_title_told_as_history_is_no_finding(text: str) -> None:
    # 时任 / 曾任 / 历任: the title is what the person held then, which is right.
    assert found(text) == []


def test_a_title_told_as_history_that_the_person_never_held_is_only_a_warning() -> None:
    findings = check_name_titles("2022年，时任市博物馆馆长顾言川陪同调研", NAMES)
    assert [(f.text, f.severity) for f in findings] == [("市博物馆馆长", "warn")]
    assert "时任" in findings[0].message


def test_a_history_word_in_an_earlier_clause_does_not_excuse_a_wrong_title() -> None:
    text = "时任领导高度重视。市文化和旅游局副局长林知远出席"
    [(title, _start, _suggestion, message)] = found(text)
    assert title == "市文化和旅游局副局长" and message.startswith("职务已变更")

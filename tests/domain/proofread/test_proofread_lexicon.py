"""Lexicon TOML format: parse, dump, round trip, validation, edits and versions."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.proofread import (
    Checker,
    Lexicon,
    LexiconEntry,
    add_entry,
    bump_version,
    default_lexicon_texts,
    default_lexicons,
    dump_lexicon,
    parse_lexicon,
    remove_entry,
)
from domain.proofread.lexicon import (
    add_whitelist,
    merge_terms,
    parse_term_list,
    remove_whitelist,
    version_key,
)

TODAY = date(2026, 11, 20)

SAMPLE = """
category = "outdated_name"
version = "2026.11.1"
severity = "block"
description = "过时的机构名称"
whitelist = ["文化部门"]

[[entry]]
term = "文化部"
suggest = "文化和旅游部"
note = "2018年机构改革"

[[entry]]
term = "文旅部"
suggest = "文化和旅游部"
severity = "warn"
"""


def test_parse_reads_every_field() -> None:
    lex = parse_lexicon(SAMPLE)
    assert lex.category == "outdated_name"
    assert lex.version == "2026.11.1"
    assert lex.default_severity == "block"
    assert lex.whitelist == ("文化部门",)
    assert lex.entries[0] == LexiconEntry("文化部", "文化和旅游部", None, "2018年机构改革")
    assert lex.severity_of(lex.entries[0]) == "block"
    assert lex.severity_of(lex.entries[1]) == "warn"
    assert lex.get("文旅部") is lex.entries[1]
    assert lex.terms == ("文化部", "文旅部")


def test_dump_then_parse_gives_the_same_lexicon() -> None:
    lex = parse_lexicon(SAMPLE)
    assert parse_lexicon(dump_lexicon(lex)) == lex


def test_shipped_lexicons_round_trip_and_are_named_after_their_file() -> None:
    texts = default_lexicon_texts()
    assert set(texts) == {
        "absolute_term", "allow", "confusable", "name_title", "outdated_name", "sovereignty",
        "usage",
    }  # fmt: skip
    for stem, text in texts.items():
        lex = parse_lexicon(text)
        assert lex.category == stem
        assert parse_lexicon(dump_lexicon(lex)) == lex


def test_shipped_lexicons_have_realistic_sizes_and_an_empty_name_list() -> None:
    by_category = {lex.category: lex for lex in default_lexicons()}
    assert len(by_category["outdated_name"].entries) >= 150
    assert len(by_category["confusable"].entries) >= 1000
    assert len(by_category["sovereignty"].entries) >= 50
    assert len(by_category["usage"].entries) >= 40
    assert len(by_category["absolute_term"].entries) >= 20
    assert by_category["name_title"].entries == ()
    assert by_category["allow"].entries == ()
    assert by_category["sovereignty"].default_severity == "block"
    assert by_category["absolute_term"].default_severity == "warn"


def test_every_shipped_list_records_its_source_date_and_version() -> None:
    for lex in default_lexicons():
        assert lex.source, lex.category
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lex.source_date), lex.category
        assert version_key(lex.version) > (0, 0, 0), lex.category


def test_no_suggestion_of_a_shipped_list_is_itself_flagged() -> None:
    # The cheapest proof that no correct word is listed as wrong: the right forms the
    # lists suggest (文化和旅游局, 自然资源和规划局, 砥砺前行...) pass every list.
    checker = Checker([lex for lex in default_lexicons() if not lex.is_name_title])
    flagged = []
    for lex in default_lexicons():
        for entry in lex.entries:
            for right in (entry.suggest or "").split("、"):
                if right and checker.check(right):
                    flagged.append((lex.category, entry.term, right))
    assert flagged == []


def test_a_wrong_form_is_never_the_right_form_of_another_entry() -> None:
    terms, suggestions = set(), set()
    for lex in default_lexicons():
        terms.update(lex.terms)
        suggestions.update(e.suggest for e in lex.entries if e.suggest)
    assert terms & suggestions == set()


NAMES = """
category = "name_title"
version = "2026.11.1"
severity = "block"

[[entry]]
name = "林知远"
title = "市文化和旅游局局长"
former = ["市文化和旅游局副局长"]
aliases = ["林局长"]
"""


def test_name_title_entries_use_name_title_former() -> None:
    lex = parse_lexicon(NAMES)
    entry = lex.entries[0]
    assert (entry.term, entry.suggest) == ("林知远", "市文化和旅游局局长")
    assert entry.former == ("市文化和旅游局副局长",)
    assert entry.aliases == ("林局长",)
    dumped = dump_lexicon(lex)
    assert 'name = "林知远"' in dumped and "term =" not in dumped
    assert parse_lexicon(dumped) == lex


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('category = "x"\nversion = ', "not valid TOML"),
        ('category = "a"\nversion = "1"\nseverity = "fatal"\n', "unknown severity 'fatal'"),
        (
            'category = "a"\nversion = "1"\n[[entry]]\nterm = "x"\nseverity = "high"\n',
            "unknown severity 'high'",
        ),
        ('category = "a"\nversion = "1"\ncolour = 1\n', "unknown key(s): colour"),
        ('category = "a"\nversion = "1"\n[[entry]]\nterm = "x"\nsugest = "y"\n', "sugest"),
        ('category = "a"\nversion = "1"\n[[entry]]\nterm = "x"\n[[entry]]\nterm = "x"\n', "dup"),
        ('category = "a"\nversion = "1"\nwhitelist = ["x"]\n[[entry]]\nterm = "x"\n', "both"),
        ('category = "a"\n', "missing 'version'"),
        ('category = "Bad Name"\nversion = "1"\n', "lower_snake_case"),
        ('category = "a"\nversion = "1"\n[[entry]]\nterm = ""\n', "non-empty"),
        ('category = "a"\nversion = "1"\n[[entry]]\nterm = " x"\n', "whitespace"),
        ('category = "a"\nversion = "1"\nwhitelist = "x"\n', "list of strings"),
        ('category = "name_title"\nversion = "1"\n[[entry]]\nname = "x"\n', "missing 'title'"),
    ],
)
def test_bad_input_raises_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=None) as info:
        parse_lexicon(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_constructing_an_invalid_lexicon_directly_fails_too() -> None:
    with pytest.raises(ValueError, match="unknown severity"):
        Lexicon("a", "1", "severe", ())


@pytest.mark.parametrize(
    ("version", "today", "expected"),
    [
        ("2026.11.1", date(2026, 11, 20), "2026.11.2"),
        ("2026.11.9", date(2026, 11, 30), "2026.11.10"),
        ("2026.10.4", date(2026, 11, 1), "2026.11.1"),
        ("2026.12.3", date(2026, 11, 1), "2026.12.4"),  # never backwards
        ("v1", date(2027, 1, 5), "2027.01.1"),
    ],
)
def test_bump_version(version: str, today: date, expected: str) -> None:
    assert bump_version(version, today) == expected
    assert version_key(expected) > version_key(version)


def test_add_and_remove_entry_bump_the_version() -> None:
    lex = parse_lexicon(SAMPLE)
    added = add_entry(lex, "国家旅游局", "文化和旅游部", today=TODAY, note="2018年")
    assert added.version == "2026.11.2"
    assert added.get("国家旅游局") == LexiconEntry("国家旅游局", "文化和旅游部", None, "2018年")
    assert lex.get("国家旅游局") is None  # the original is untouched
    removed = remove_entry(added, "文化部", today=date(2026, 12, 1))
    assert removed.version == "2026.12.1"
    assert removed.terms == ("文旅部", "国家旅游局")
    assert parse_lexicon(dump_lexicon(removed)) == removed


def test_add_and_remove_refuse_what_makes_no_sense() -> None:
    lex = parse_lexicon(SAMPLE)
    with pytest.raises(ValueError, match="already present"):
        add_entry(lex, "文化部", today=TODAY)
    with pytest.raises(ValueError, match="no term"):
        remove_entry(lex, "国家旅游局", today=TODAY)
    with pytest.raises(ValueError, match="unknown severity"):
        add_entry(lex, "国家旅游局", severity="urgent", today=TODAY)
    with pytest.raises(ValueError, match="needs a title"):
        add_entry(parse_lexicon(NAMES), "苏青禾", today=TODAY)


def test_whitelist_edits_bump_the_version() -> None:
    lex = parse_lexicon(SAMPLE)
    more = add_whitelist(lex, "文化部署", today=TODAY)
    assert more.whitelist == ("文化部门", "文化部署") and more.version == "2026.11.2"
    fewer = remove_whitelist(more, "文化部门", today=TODAY)
    assert fewer.whitelist == ("文化部署",) and fewer.version == "2026.11.3"
    with pytest.raises(ValueError, match="not whitelisted"):
        remove_whitelist(fewer, "文化部门", today=TODAY)


# Arbitrary printable text (control characters included) survives the TOML escaping.
_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_term = _any_text.map(str.strip).filter(
    lambda t: t and not any(ord(c) < 32 or c == "\x7f" for c in t)
)


@given(
    terms=st.lists(_term, min_size=0, max_size=6, unique=True),
    suggest=st.none() | _any_text,
    note=st.none() | _any_text,
    description=_any_text,
    severity=st.sampled_from(["block", "warn", "info"]),
)
def test_round_trip_of_arbitrary_strings(
    terms: list[str], suggest: str | None, note: str | None, description: str, severity: str
) -> None:
    entries = tuple(LexiconEntry(t, suggest, None, note) for t in terms)
    lex = Lexicon("custom_words", "2026.11.1", severity, entries, (), description)
    assert parse_lexicon(dump_lexicon(lex)) == lex


def test_a_plain_term_list_one_term_a_line() -> None:
    text = "\ufeff# 上级下发\n近日发布\n\n  日前印发\t\n近日发布\n"
    assert parse_term_list(text) == ("近日发布", "日前印发")
    with pytest.raises(ValueError, match="no term"):
        parse_term_list("# only a comment\n\n")
    with pytest.raises(ValueError, match="line 2"):
        parse_term_list("近日发布\n日前\x07印发\n")


def test_merging_terms_adds_the_new_ones_and_bumps_the_version_once() -> None:
    lex = parse_lexicon(SAMPLE)
    merged, added = merge_terms(lex, ["文化部", "近日发布", "近日发布"], today=TODAY, note="上级")
    assert added == ("近日发布",)
    assert merged.get("文化部") == lex.get("文化部")  # kept as it was
    assert merged.get("近日发布") == LexiconEntry(term="近日发布", note="上级")
    assert merged.version == bump_version(lex.version, TODAY)
    assert merge_terms(lex, ["文化部"], today=TODAY) == (lex, ())


def test_every_whitelist_entry_holds_a_term_of_its_list() -> None:
    # A whitelist entry suppresses the terms of its own list inside it; one that holds
    # none is dead data, or the sign of a term that was meant to be listed and is not.
    orphans = [
        (lex.category, white)
        for lex in default_lexicons()
        for white in lex.whitelist
        if not any(term in white for term in lex.terms)
    ]
    assert orphans == []


@pytest.mark.parametrize(
    ("text", "category", "term"),
    [
        ("蔡英文总统发表讲话。", "sovereignty", "蔡英文总统"),
        ("台湾的外交部发表声明。", "sovereignty", "台湾的外交部"),
        ("他持有香港国籍。", "sovereignty", "香港国籍"),
        ("不得把阿拉伯恐怖分子挂在嘴边。", "usage", "阿拉伯恐怖分子"),
        ("这里的风光堪称世界之最。", "absolute_term", "世界之最"),
        ("我县民宿规模省内第一。", "absolute_term", "省内第一"),
    ],
)
def test_newsroom_and_advertising_entries_of_2026_12_6(text: str, category: str, term: str) -> None:
    found = [f.text for f in Checker.default().check(text) if f.category == category]
    assert found == [term]


@pytest.mark.parametrize(
    "text",
    [
        "台湾地区领导人蔡英文发表讲话。",
        "台湾的同胞欢迎大陆游客。",
        "他持有中国国籍，常住香港。",
        "台北市政府发布通告。",
        "国家级非物质文化遗产代表性项目。",
    ],
)
def test_their_lookalikes_pass(text: str) -> None:
    found = Checker.default().check(text)
    assert [f for f in found if f.category in ("sovereignty", "usage", "absolute_term")] == []

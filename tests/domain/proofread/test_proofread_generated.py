"""The generated part of the confusable list: its compact file, the script that writes it,
and the same findings whether its entries are held in flat columns or as entries."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from domain.proofread import Checker, Lexicon, default_lexicons, dump_lexicon, parse_lexicon
from domain.proofread.lexicon import (
    Entries,
    LexiconEntry,
    add_entry,
    merge_terms,
    parse_generated,
    remove_entry,
)

ROOT = Path(__file__).parents[3]
SHIPPED = ROOT / "domain" / "proofread" / "lexicons" / "confusable_generated.tsv"
GENERATOR = ROOT / "tests" / "data" / "proofread" / "make_homophone_typos.py"
TODAY = date(2026, 12, 2)

HEADER = """\
# a small generated list
# category: confusable
# source: test
# date: 2026-12-02
# version: 2026.12.1
"""


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_homophone_typos", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def confusable() -> Lexicon:
    return next(lex for lex in default_lexicons() if lex.category == "confusable")


def test_the_generator_writes_the_shipped_file_and_it_parses_back() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    shipped = parse_generated(text, SHIPPED.name)
    assert len(shipped) >= 20_000
    assert set(shipped.notes) == {"同音词误选", "同音误输入", "形近误写", "近音误输入", "漏字"}
    rows = list(zip(shipped.terms, shipped.suggests, shipped.notes, strict=True))
    written = generator().format_generated(rows, date=shipped.date, version=shipped.version)
    assert written == text
    again = parse_generated(written, "again.tsv")
    assert (again.terms, again.suggests, again.notes) == (
        shipped.terms,
        shipped.suggests,
        shipped.notes,
    )
    assert (again.category, again.source, again.date, again.version) == (
        "confusable",
        shipped.source,
        shipped.date,
        shipped.version,
    )


def test_the_generator_refuses_a_text_the_format_cannot_hold() -> None:
    with pytest.raises(ValueError, match="not a text"):
        generator().format_generated([("推\t晋", "推进", "同音误输入")], date="d", version="v")


def test_the_generated_entries_belong_to_the_confusable_list() -> None:
    lex = confusable()
    assert isinstance(lex.entries, Entries)
    generated = lex.entries.generated
    assert len(lex.entries) == len(lex.entries.hand) + len(generated)
    entry = lex.get("推晋")
    assert entry == LexiconEntry("推晋", "推进", None, "同音误输入")
    assert entry in lex.entries
    assert lex.terms[-1] == generated.terms[-1]
    # A copy of the list's generated entries as its own gives an equal list.
    assert Lexicon(lex.category, lex.version, lex.default_severity, tuple(lex.entries)) == (
        Lexicon(lex.category, lex.version, lex.default_severity, lex.entries)
    )


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ("推晋\t推进\n洛实 落实\n", 7, "expected 'wrong<TAB>right'"),
        ("推晋\t推进\n洛实\t落实\t多余\n", 7, "expected 'wrong<TAB>right'"),
        ("推晋\t推进\n\t落实\n", 7, "expected 'wrong<TAB>right'"),
        ("推晋\t推进\n洛实 \t落实\n", 7, "expected 'wrong<TAB>right'"),
        ("推晋\t推\x07进\n", 6, "expected 'wrong<TAB>right'"),
        ("# note:\n推晋\t推进\n", 6, "empty 'note'"),
    ],
)
def test_a_malformed_line_is_named_with_its_file_and_line(
    body: str, line: int, problem: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse_generated(HEADER + body, "bad.tsv")
    message = str(caught.value)
    assert message.startswith(f"bad.tsv, line {line}: {problem}")
    assert "\n" not in message


def test_a_missing_header_or_a_duplicate_term_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^bad\.tsv: missing header line '# version: \.\.\.'"):
        parse_generated(HEADER.replace("# version: 2026.12.1\n", "") + "推晋\t推进\n", "bad.tsv")
    with pytest.raises(ValueError, match=r"^bad\.tsv: duplicate term '推晋'"):
        parse_generated(HEADER + "推晋\t推进\n# note: x\n推晋\t推进\n", "bad.tsv")
    with pytest.raises(ValueError, match=r"^bad\.tsv: 'date' must be YYYY-MM-DD"):
        parse_generated(HEADER.replace("2026-12-02", "2 Dec") + "推晋\t推进\n", "bad.tsv")
    parsed = parse_generated(
        HEADER + "# note: 同音误输入\n推晋\t推进\n\n# 注释\n洛实\t落实\n", "ok"
    )
    assert parsed.terms == ("推晋", "洛实")
    assert parsed.notes == ("同音误输入", "同音误输入")


def test_a_list_names_only_a_generated_file_of_the_package() -> None:
    base = 'category = "confusable"\nversion = "1"\n'
    with pytest.raises(ValueError, match=r"must name a \.tsv file of the package"):
        parse_lexicon(base + 'generated = "../../etc/passwd"\n')
    with pytest.raises(ValueError, match=r"no generated list 'missing\.tsv' in the package"):
        parse_lexicon(base + 'generated = "missing.tsv"\n')
    with pytest.raises(ValueError, match="holds entries of 'confusable'"):
        parse_lexicon('category = "usage"\nversion = "1"\ngenerated = "confusable_generated.tsv"\n')
    with pytest.raises(ValueError, match="duplicate term '推晋'"):
        parse_lexicon(base + 'generated = "confusable_generated.tsv"\n[[entry]]\nterm = "推晋"\n')


def test_edits_keep_the_generated_part_as_a_reference() -> None:
    lex = confusable()
    dumped = dump_lexicon(lex)
    assert 'generated = "confusable_generated.tsv"' in dumped
    assert "推晋" not in dumped
    assert len(dumped) < 200_000
    assert parse_lexicon(dumped) == lex
    added = add_entry(lex, "新错字", "新正字", today=TODAY)
    assert added.get("新错字") is not None and added.get("推晋") is not None
    assert "推晋" not in dump_lexicon(added)
    assert len(added.entries) == len(lex.entries) + 1
    removed = remove_entry(added, "新错字", today=TODAY)
    assert removed.entries == lex.entries and removed.get("新错字") is None
    merged, terms = merge_terms(lex, ["推晋", "又一错字"], today=TODAY)
    assert terms == ("又一错字",)
    assert "推晋" not in dump_lexicon(merged)
    # Removing a generated entry keeps all the others, as entries of the list's own.
    dropped = remove_entry(lex, "推晋", today=TODAY)
    assert dropped.get("推晋") is None and dropped.get("洛实") is not None
    assert len(dropped.entries) == len(lex.entries) - 1
    assert parse_lexicon(dump_lexicon(dropped)) == dropped


TEXT = (
    "各部门要加快推晋重点项目建设。请各单位抓好洛实。本次活动由市文化馆举伴。"
    "飞机平稳降落十分钟后，旅客有序下机。“推晋”一词。推晋推晋，洛实举伴。"
)


def test_the_findings_are_the_same_with_the_entries_held_flat_or_as_entries() -> None:
    lists = [lex for lex in default_lexicons() if not lex.is_name_title]
    eager = [
        Lexicon(
            lex.category,
            lex.version,
            lex.default_severity,
            tuple(lex.entries),
            lex.whitelist,
            lex.description,
            lex.source,
            lex.source_date,
        )
        for lex in lists
    ]
    assert not any(isinstance(lex.entries, Entries) for lex in eager)
    text = TEXT * 3
    lazy_found = Checker(lists).check(text)
    assert [f.to_dict() for f in lazy_found] == [f.to_dict() for f in Checker(eager).check(text)]
    assert {"推晋", "洛实", "举伴"} <= {f.text for f in lazy_found}


@pytest.mark.parametrize("generated_first", [True, False])
def test_a_generated_term_that_another_list_holds_too_keeps_both_roles(
    generated_first: bool,
) -> None:
    lex = confusable()
    other = Lexicon("usage", "1", "block", (LexiconEntry("推晋", "推进"),))
    allow = Lexicon("allow", "1", "info", (LexiconEntry("举伴", note="本单位活动名"),))
    copy = Lexicon(lex.category, lex.version, "warn", tuple(lex.entries))
    lists, eager = ([lex, other, allow], [copy, other, allow])
    if not generated_first:  # the term is a pattern already when the generated part comes
        lists, eager = lists[::-1], eager[::-1]
    text = "加快推晋，抓好洛实，市文化馆举伴。"
    found = Checker(lists).check(text)
    assert [f.to_dict() for f in found] == [f.to_dict() for f in Checker(eager).check(text)]
    assert sorted((f.category, f.text) for f in found) == [
        ("confusable", "推晋"),
        ("confusable", "洛实"),
        ("usage", "推晋"),
    ]


def test_a_generated_slip_read_as_two_words_hides_no_slip_inside_it() -> None:
    # 可拔打 (for 可拨打) is generated; read in 游客可拔打 it is the boundary of 可 and 拔打,
    # no finding, and 拔打 inside it is a slip of the hand-made part all the same.
    lex = confusable()
    assert lex.entries.generated is not None and "可拔打" in lex.entries.generated.terms
    assert "拔打" in {e.term for e in lex.entries.hand}
    found = Checker([lex]).check("游客可拔打电话咨询。")
    assert [(f.text, f.suggestion) for f in found] == [("拔打", "拨打")]
    # Where the longer slip is one, it is the finding (and 拔打 in it is not said again).
    found = Checker([lex]).check("请随时可拔打。")
    assert [f.text for f in found] == ["可拔打"]


def test_the_boundary_risk_counts_only_what_the_check_at_run_time_cannot_see() -> None:
    # 设计 miswritten 设施 would also stand in 建设施工 (建设 | 施工): at run time 建设 is read
    # before the hit and the hit is no finding, so that cut costs nothing. Words that end
    # and start exactly where the hit does (和 | 作, for 合作 miswritten 和作) are not read,
    # so that cut counts; 和 | 作家 would be read again (作家 after the hit's last character).
    words = {"建设": (1000, "v"), "施工": (1000, "v"), "和": (1000, "c"), "作": (1000, "v")}
    joins = {"建设", "施工"}
    risk = generator().Risk(words, joins)
    assert risk.of("设施") == 0.0
    assert risk.of("和作") == pytest.approx(0.25 * 0.25)
    # Without the words the check reads, every cut counts (as before).
    unread = generator().Risk(words)
    assert unread.of("设施") == pytest.approx(0.25 * 0.25)


def test_the_words_of_official_prose_are_a_han_word_a_line(tmp_path: Path) -> None:
    shipped = generator().load_official()
    assert len(shipped) >= 400 and len(set(shipped)) == len(shipped)
    assert {"赓续", "立行立改", "短板"} <= set(shipped)
    path = tmp_path / "words.txt"
    path.write_text("# 说明\n赓续\n\n立行立改\nA级景区\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"words\.txt:5: not a word"):
        generator().load_official(path)


def test_a_phrase_of_two_common_words_is_no_word_of_its_own() -> None:
    composed = generator().composed
    words = {"加快": (5_000, "v"), "推进": (9_000, "v"), "兜": (900, "v"), "底": (9_000, "f")}
    assert composed("加快推进", words)  # its slips are those of 推进
    assert not composed("立行立改", words)
    assert not composed("兜底", words)  # single characters are no such parts


def test_a_phrase_of_four_that_jieba_tags_otherwise_is_read_as_an_idiom() -> None:
    idiom_like = generator().idiom_like
    assert idiom_like("开诚布公", "n")  # jieba's tag; an idiom all the same
    assert idiom_like("五谷丰登", "nz") and idiom_like("守株待兔", "i")
    assert not idiom_like("云江市政", "ns") and not idiom_like("人民政府", "nt")
    assert not idiom_like("召开", "v")  # two characters are no such phrase
    # Their slips are in the shipped list, those of another tone too (渐 jian4, 减 jian3),
    # and none that correct text holds across words (示范学校 for 师范学校).
    generated = confusable().entries.generated
    assert generated is not None
    held = dict(zip(generated.terms, generated.suggests, strict=True))
    assert held["开城布公"] == "开诚布公" and held["防微杜减"] == "防微杜渐"
    assert "示范学校" not in held


def test_an_idiom_before_a_generated_slip_parts_it_from_the_slip() -> None:
    # 班地 is a slip of 般地 and 机地 of 基地; in 按部就班地 and 不失时机地 an idiom ends with
    # the hit's first character.
    lex = confusable()
    assert lex.entries.generated is not None
    assert {"班地", "机地"} <= set(lex.entries.generated.terms)
    assert Checker([lex]).check("各项工作要按部就班地推进。") == []
    assert Checker([lex]).check("要不失时机地推进改革。") == []
    assert [f.suggestion for f in Checker([lex]).check("建设一批研学机地。")] == ["基地"]

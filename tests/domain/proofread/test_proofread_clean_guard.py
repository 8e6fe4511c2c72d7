"""The word lists against correct text: no entry may block a correct sentence.

A list grown from systematic sources (the reform plans, the newsroom list of 禁用词和慎用词,
public lists of common miswritings, and the same-sound input slips generated from a
dictionary) is only as good as its silence on correct text. The clean set here is all
the correct Chinese text at hand that the lists were not written against in the
held-out sense: the clean paragraphs of the tuning part of the labelled corpus, the
Chinese message catalog, and the Chinese text of the templates. (The README is left
out on purpose: it quotes wrong forms as examples.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from domain.proofread import Checker, default_lexicons
from domain.proofread.context import GENERATED_NOTE, GENERATED_NOTES, joins_neighbours

ROOT = Path(__file__).parents[3]
DATA = ROOT / "tests" / "data" / "proofread"
TERM_CATEGORIES = ("outdated_name", "sovereignty", "usage", "absolute_term", "confusable")
_CHINESE_RUN = re.compile(r"[\u4e00-\u9fff][^<>{}\n]*")


def clean_texts() -> list[str]:
    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))
    texts = [item["clean"] for item in corpus if item["part"] == "tuning"]
    catalog = (ROOT / "console/locale/zh_CN/LC_MESSAGES/matrixpub.po").read_text(encoding="utf-8")
    texts += [m for m in re.findall(r'^msgstr "(.*)"$', catalog, flags=re.M) if m]
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file() and path.suffix in {".j2", ".html", ".txt"}:
            texts += _CHINESE_RUN.findall(path.read_text(encoding="utf-8"))
    return texts


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker([lex for lex in default_lexicons() if not lex.is_name_title])


def test_the_clean_set_is_large_enough() -> None:
    assert sum(map(len, clean_texts())) >= 20_000


def test_no_list_entry_blocks_correct_text(checker: Checker) -> None:
    blocked = [
        (f.rule, text[max(0, f.start - 8) : f.end + 8])
        for text in clean_texts()
        for f in checker.check(text)
        if f.blocking and f.category in TERM_CATEGORIES
    ]
    assert blocked == []


def test_no_generated_miswriting_fires_on_correct_text(checker: Checker) -> None:
    confusable = next(lex for lex in default_lexicons() if lex.category == "confusable")
    generated = {e.term for e in confusable.entries if e.note in GENERATED_NOTES}
    fired = [
        (f.text, text[max(0, f.start - 8) : f.end + 8])
        for text in clean_texts()
        for f in checker.check(text)
        if f.text in generated
    ]
    assert fired == []


def test_the_lists_are_grown_from_their_sources() -> None:
    lists = {lex.category: lex for lex in default_lexicons()}
    confusable = lists["confusable"]
    hand = [e for e in confusable.entries if e.note not in GENERATED_NOTES]
    generated = [e for e in confusable.entries if e.note in GENERATED_NOTES]
    # At least a thousand miswritings from public lists, and the generated slips on top,
    # each a warning that names the right form.
    assert len(hand) >= 1_000
    assert len(generated) >= 20_000
    assert all(e.suggest and e.severity is None for e in generated)
    assert confusable.default_severity == "warn"
    for lex in lists.values():
        if lex.entries:
            assert lex.source and lex.source_date, lex.category


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("各部门要加快推晋重点项目建设。", "推晋"),
        ("请各单位抓好洛实。", "洛实"),
        ("本次活动由市文化馆举伴。", "举伴"),
    ],
)
def test_a_generated_miswriting_is_found(checker: Checker, text: str, found: str) -> None:
    confusable = next(lex for lex in default_lexicons() if lex.category == "confusable")
    assert confusable.get(found).note == GENERATED_NOTE
    findings = [f for f in checker.check(text) if f.category == "confusable"]
    assert [f.text for f in findings] == [found]
    assert findings[0].severity == "warn"
    assert findings[0].suggestion and found not in findings[0].suggestion


@pytest.mark.parametrize(
    ("text", "found", "right"),
    [
        # A wrong character that is itself a common word, at an end of an idiom.
        ("今后，以如既往做好游客服务。", "以如既往", "一如既往"),
        ("这支队伍忙了三年一事无城，令人惋惜。", "一事无城", "一事无成"),
        # Everyday words of jieba frequency 100 to 300.
        ("工作人员正在仗量场馆面积。", "仗量", "丈量"),
        ("每户补贴金额赏限为五千元。", "赏限", "上限"),
        # Words and set phrases of official prose that jieba's dictionary lacks or counts
        # as rare (tests/data/proofread/official_words.txt), a rare character of one too.
        ("全体干部职工要凝新聚力，攻坚克难。", "凝新聚力", "凝心聚力"),
        ("要庚续红色血脉，传承革命精神。", "庚续", "赓续"),
        ("补齐公共文化服务短版。", "短版", "短板"),
        # ... and of the media, culture and tourism, health and education (2026.12.23).
        ("这些古建筑章显了城市的文化底蕴。", "章显", "彰显"),
        ("该县成功挤身全国文明城市行列。", "挤身", "跻身"),
        # Classic look-alike characters (驿绎, 锈绣, 湛堪).
        ("沿湖新建了八处旅游绎站。", "绎站", "驿站"),
        ("非遗传承人现场展示苏绣刺锈技艺。", "刺锈", "刺绣"),
        ("艺术家们带来了技艺精堪的表演。", "精堪", "精湛"),
        # A right word for the wrong one of the same sound inside a set phrase.
        ("要建立健全长效机智。", "长效机智", "长效机制"),
        ("要推动文旅产业溶合发展。", "产业溶合", "产业融合"),
        # A two-character slip whose character at one end makes a word with its neighbours
        # (出场; 使用期; 客家) while the other makes none on its side (衍 after 各; 羡 before
        # 截至; 暑 before 向): no boundary stands there, the slip is read.
        ("要求各衍出场所严格落实防疫措施。", "衍出", "演出"),
        ("惠民卡使用期羡截至2027年底。", "期羡", "期限"),
        ("该游客家暑向景区送来锦旗。", "家暑", "家属"),
        # A slip one of whose ends does make a word with its neighbour (活动期, 停驶, 中发,
        # 游资), where the right word reads far likelier there than the words so cut.
        ("暑期活动期肩，博物馆延时开放。", "期肩", "期间"),
        ("演出期间请勿暂停驶用。", "驶用", "使用"),
        ("对检查中发陷的问题立即整改。", "发陷", "发现"),
        ("我县履游资源十分丰富。", "履游", "旅游"),
    ],
)
def test_a_generated_miswriting_of_each_class_is_found(
    checker: Checker, text: str, found: str, right: str
) -> None:
    findings = [f for f in checker.check(text) if f.category == "confusable"]
    assert [(f.text, f.suggestion) for f in findings] == [(found, right)]
    assert findings[0].severity == "warn"


@pytest.mark.parametrize(
    "text",
    [
        "全体同志要认真学习贯彻会议精神。",  # 学习 | 习贯 (习惯) | 贯彻: the boundary is read
        "会议时间已定于下周。",  # 已定 (一定) | 定于
        "涉嫌诈骗的罪犯李某已被刑事拘留。",  # 的罪 (得罪): 的, a word of its own | 罪犯
    ],
)
def test_a_generated_common_word_slip_where_its_neighbours_make_a_boundary_is_no_finding(
    checker: Checker, text: str
) -> None:
    confusable = next(lex for lex in default_lexicons() if lex.category == "confusable")
    generated = {e.term for e in confusable.entries if e.note in GENERATED_NOTES}
    assert [w for w in generated if w in text], "the example must hold a generated term"
    assert [f for f in checker.check(text) if f.category == "confusable"] == []


@pytest.mark.parametrize(
    "text",
    [
        "对检查中发现的问题，要立行立改、即知即改。",  # 立行 was taken for 例行
        "要压茬推进各项工作，做到见行见效。",
        "坚持问题导向，挂图作战、对账销号。",
    ],
)
def test_the_set_phrases_of_official_prose_are_no_findings(checker: Checker, text: str) -> None:
    assert [f.text for f in checker.check(text) if f.category == "confusable"] == []


@pytest.mark.parametrize(
    "text",
    [
        "飞机平稳降落十分钟后，旅客有序下机。",  # 降落 | 十分: 落十 stands across words
        "景区加油客户可凭小票领取优惠券。",  # 加油 | 客户
        # Read as the likelier words, not overruled by the common right form (之中, 那种).
        "返回值中的数字无效。",  # 返回值 | 中
        "请选择要画哪种类型的阴影。",  # 哪种 | 类型
    ],
)
def test_a_generated_miswriting_across_a_word_boundary_is_no_finding(
    checker: Checker, text: str
) -> None:
    confusable = next(lex for lex in default_lexicons() if lex.category == "confusable")
    generated = {e.term for e in confusable.entries if e.note in GENERATED_NOTES}
    hits = [w for w in generated if w in text]
    assert hits, "the example must hold a generated term"
    assert [f for f in checker.check(text) if f.text in generated] == []


def test_a_number_right_before_a_hit_makes_it_a_boundary() -> None:
    # 20余场 (more than twenty shows): 余 belongs to the number, whatever follows it.
    text = "本次共演出20余场。"
    start = text.index("余场")
    assert joins_neighbours(text, start, start + 2)
    assert not joins_neighbours("本次共演出余场。", 5, 7)


def test_no_check_blocks_correct_text(checker: Checker) -> None:
    # The rules read around an anchor (numbers after the word that names them, dates with
    # the words around them, GB/T 15834 marks) block nothing on correct text either.
    blocked = [
        (f.rule, text[max(0, f.start - 8) : f.end + 8])
        for text in clean_texts()
        for f in checker.check(text)
        if f.blocking
    ]
    assert blocked == []


# -- correct sentences written to find false findings (2026.12.17) --------------------------
def correct_sentences() -> list[str]:
    """The sentences of ``correct_sentences.txt``: correct prose in the style of a bureau's
    notices, news, policy papers, replies, features, captions, heritage and museum texts and
    travel posts, written afresh to find what the lists and rules flag on correct text (none
    from the labelled corpus)."""
    lines = (DATA / "correct_sentences.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_the_correct_sentences_are_many() -> None:
    assert len(correct_sentences()) >= 4_000


def test_no_generated_slip_nor_same_sound_word_fires_on_the_correct_sentences(
    checker: Checker,
) -> None:
    confusable = next(lex for lex in default_lexicons() if lex.category == "confusable")
    generated = {e.term for e in confusable.entries if e.note in GENERATED_NOTES}
    fired = [
        (f.rule, text)
        for text in correct_sentences()
        for f in checker.check(text)
        if f.text in generated or f.rule.endswith("+语境")
    ]
    assert fired == []


def test_nothing_blocks_the_correct_sentences(checker: Checker) -> None:
    blocked = [
        (f.rule, text) for text in correct_sentences() for f in checker.check(text) if f.blocking
    ]
    assert blocked == []

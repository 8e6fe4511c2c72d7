"""Context rules: what the words around a term say about it.

A term list says what is wrong *somewhere*; the words around a hit say whether it
is wrong *here*. The rules of this module are of two kinds:

**Judging term hits** (:func:`judge`), for the few entries whose category asks for
it (see :data:`JUDGED`):

* an old institution named *as history* is at most a warning, never a block:
  "原国家旅游局", "前卫生部部长", "原江城县旅游局" say so themselves (no finding),
  and a sentence that names a year and a reform ("2018年机构改革中……整合组建",
  "组建于2019年") turns a block into a warning;
* an old name inside a document title (《国家旅游局关于……的通知》) or an order's number
  (国家旅游局令第41号) is a citation, one kept as a second plate (加挂……牌子) is current,
  one held as a post then (时任县卫计委主任) or in a sentence dated only before the
  reforms of 2018 is history, and one right after a foreign country (泰国国家旅游局,
  法国文化部) is another country's institution: no finding;
* a former name of a place or a state told beside its present one (斯里兰卡旧称锡兰):
  no finding;
* an Advertising Law term inside a proper name is not a claim: inside 《》 (a title),
  or a "……第一" that names a place (天下第一关, 天下第一泉): no finding;
* an entry marked ``unless_quoted`` is cited, not used, inside “…”: no finding.

**Anchored rules** (:data:`ANCHORS`), which find what no fixed term can, because the
right form depends on what follows or on the rest of the paragraph:

* 截止/截至: "截至2025年底", "截至目前" (a point in time follows: 截至), against
  "截止日期", "报名截止" (截止 ends something); "截止2025年底" is wrong;
* a year in Chinese numerals writes 〇, not 零 (二〇二六年; GB/T 15835);
* 罪犯 before a verdict: a paragraph that names no judgment (判处, 判决, 服刑……)
  speaks of a 犯罪嫌疑人 (新华社《新闻报道中的禁用词和慎用词》);
* 被告人 belongs to criminal cases; in a civil or administrative one (原告, 民事,
  合同纠纷……, and nothing criminal) the party is the 被告;
* 台湾, 香港 or 澳门 counted among 国家 ("日本、韩国、台湾等国家", "香港、澳门等国家",
  "韩国、日本和台湾三国", "台湾和其他国家", "台湾等亚洲国家") unless "和地区" follows.

The anchors ride in the checker's one Aho-Corasick automaton, so a rule costs
nothing on text that holds none of its anchors; the judged categories cost a few
string comparisons per hit.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from importlib import resources

from domain.proofread.model import BLOCK, WARN, Finding, new_finding

# What judge() looks at, per category of the hit.
HISTORY, PROPER_NAME, QUOTED, JOINED, OF_ITS_TIME, RENAMED = 1, 2, 4, 8, 16, 32
JUDGED: dict[str, int] = {
    "outdated_name": HISTORY,
    "absolute_term": PROPER_NAME,
    "sovereignty": RENAMED,
}
# A former name told beside the name that replaced it, as history (斯里兰卡旧称锡兰; 越南胡
# 志明市旧称西贡; 2018年改国名为埃斯瓦蒂尼): no finding.
_RENAMING = re.compile("旧称|曾称|原称|原名|曾名|曾一度称|改名|更名|改国名|改称|恢复原名|恢复现")
# Names of a state of the past, right in a sentence that dates them to their own time
# (“中华民国”是1912年至1949年间中国的国号), wrong of anything after it: the last year of
# each. Read whatever the list's severity.
OF_ITS_TIME_UNTIL: dict[str, int] = {"中华民国": 1949, "中华民国政府": 1949, "国立清华大学": 1949}
_YEAR = re.compile(r"(1[89][0-9]{2})年")
_SINCE = re.compile("年(?:以|之)?后|至今|如今|现在|目前|当前|仍")

# -- generated miswritings at a word boundary -------------------------------------------
# The entries of the confusable list generated from a dictionary (confusable_generated.tsv:
# same-sound input slips of common words, 部署 → 布署, and look-alike characters,
# 已经 → 己经) carry one of these notes. Such a short string may also stand across two
# correct words (城市施工 holds 市施): when its first character makes a common word with
# the one before it, or its last with the one after, it is read as that boundary and is
# no finding. For a slip of two characters the boundary is only read so when the other
# character can stand on the other side of it: as a word of one character (的, 各), or in
# a word with its other neighbours (城市|施工: 城市). 各衍出场所 is 演出 miswritten, not
# 各衍 and 出场: 衍 is neither.
#
# A boundary so read is still a slip where the right word reads far likelier than the
# text as it stands: the few characters around the hit, cut into the likeliest words both
# ways (:func:`_likeliest_cuts`, by the words' frequencies), 活动期|肩 against 活动|期间,
# 冠|光度|假 against 观光|度假. The words and their frequencies are package data
# (word_freq.tsv, from the dictionaries the list is generated from).
GENERATED_NOTE = "同音误输入"
SHAPE_NOTE = "形近误写"
WORD_NOTE = "同音词误选"  # a right word for another of its sound in a set phrase
NEAR_NOTE = "近音误输入"  # a near sound of fuzzy pinyin input (严阵以待 → 严正以待)
DROP_NOTE = "漏字"  # a character dropped inside a set phrase (因地制宜 → 因制宜)
GENERATED_NOTES = frozenset({GENERATED_NOTE, WORD_NOTE, SHAPE_NOTE, NEAR_NOTE, DROP_NOTE})
# The words of one character that may stand on their own beside a word that a
# two-character slip's other character makes with its neighbour: from jieba frequency
# 300. On 1.35 MB of correct text the checker had not seen (the zh_CN translations of a
# machine's software), no more warnings than without the rule; from 1,000 on, 19 more;
# from 10,000 on, 341 more.
SINGLE_WORD_FREQ = 300
# A boundary made by a word from this frequency on (as common as 合力) stands unweighed:
# such boundaries are most of those read in correct text (1,472 of 1,741 a MB of the
# benchmark's text), and weighing them too found 1 and 4 more of the simulated slips below
# for 40 % more of the checker's time. One made only by rarer words (活动期, 停驶, 游资) is
# weighed.
FIRM_BOUNDARY = 1_000
# Nor is a boundary weighed unless the right word is this many times as common as the word
# that makes it: of the 269 boundaries a MB of the benchmark's text that FIRM_BOUNDARY
# leaves, this leaves 92, and every simulated slip found by weighing but one (x 2: 103,
# none lost; x 1: 220). So weighed, the check costs 0.2 % more instructions a MB.
WEIGHED_RATIO = 10
# How many characters on each side of a hit are read, within its clause, and how much
# likelier (natural logarithm) the right word's reading must be to overrule a boundary:
# e^8, about 3,000 times. Measured on 2.07 MB of correct text the checker had not seen (the
# zh_CN translations of a machine's software): 627 confusable warnings without the
# comparison, 630 with it (margin 6: 661; margin 10: 627), while it finds 16 more of the
# 656 simulated slips of seed 7 and 13 more of the 646 of seed 11 (margin 6: 19 and 14;
# margin 10: 11 and 9). One character each side instead of two found 6 and 8 fewer.
LIKELIHOOD_REACH = 2
LIKELIHOOD_MARGIN = 8.0
_UNKNOWN = 5.0  # a character that is no word costs e^5 times the rarest word
_READ_STOPS = frozenset("，。；：！？、\n“”‘’《》（）「」()[],.;:!?\"' ")
_JOIN_WORDS: frozenset[str] | None = None
_FREQ: dict[str, int] = {}
_LOG_TOTAL = 0.0


def _load_words() -> None:
    """Reads word_freq.tsv: a line per frequency, ``frequency<TAB>word word ...``."""
    global _JOIN_WORDS, _LOG_TOTAL
    data = resources.files("domain.proofread").joinpath("word_freq.tsv")
    joins: list[str] = []
    total = 0
    for line in data.read_text(encoding="utf-8").splitlines():
        count, _, listed = line.partition("\t")
        words, n = listed.split(), int(count)
        _FREQ.update(dict.fromkeys(words, n))
        total += n * len(words)
        joins.extend(words if n >= SINGLE_WORD_FREQ else [w for w in words if len(w) > 1])
    _LOG_TOTAL = math.log(total)
    _JOIN_WORDS = frozenset(joins)


def join_words() -> frozenset[str]:
    """The common words read around a generated miswriting: of two and three characters,
    and the commonest of one."""
    if _JOIN_WORDS is None:
        _load_words()
    assert _JOIN_WORDS is not None
    return _JOIN_WORDS


def _likeliest_cuts(text: str, best: list[float]) -> list[float]:
    """``best`` extended to the whole of ``text``: ``best[i]`` is the natural logarithm
    of the likeliest cut of ``text[:i]`` into words, the sum of each word's share of all
    words (a character that is none, :data:`_UNKNOWN` below the rarest). ``best`` holds
    those of a start of ``text`` already ([0.0] at least)."""
    get, log, total = _FREQ.get, math.log, _LOG_TOTAL
    unknown = -total - _UNKNOWN  # below the rarest word, whose frequency is 1
    for i in range(len(best), len(text) + 1):
        count = get(text[i - 1 : i])
        score = best[i - 1] + (log(count) - total if count else unknown)
        if i >= 2:
            count = get(text[i - 2 : i])
            if count and best[i - 2] + log(count) - total > score:
                score = best[i - 2] + log(count) - total
            if i >= 3:
                count = get(text[i - 3 : i])
                if count and best[i - 3] + log(count) - total > score:
                    score = best[i - 3] + log(count) - total
        best.append(score)
    return best


def _reads_right(text: str, start: int, end: int, right: str) -> bool:
    """Whether ``right`` in place of the hit reads far likelier than the text as it stands,
    over :data:`LIKELIHOOD_REACH` characters on each side within the clause."""
    lo = start
    while lo > 0 and start - lo < LIKELIHOOD_REACH and text[lo - 1] not in _READ_STOPS:
        lo -= 1
    hi = end
    while hi < len(text) and hi - end < LIKELIHOOD_REACH and text[hi] not in _READ_STOPS:
        hi += 1
    before = _likeliest_cuts(text[lo:start], [0.0])  # the same both ways
    as_written = _likeliest_cuts(text[lo:hi], before[:])[-1]
    as_right = _likeliest_cuts(text[lo:start] + right + text[end:hi], before)[-1]
    return as_right - as_written > LIKELIHOOD_MARGIN


_COUNTED = frozenset("0123456789０１２３４５６７８９十百千万亿")
# The commonest surnames, which 某 follows in the names of notices (陈某, 张某某).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
)
_IDIOM_LENGTH = 4
_LISTED = frozenset("、和及与或")


def joins_neighbours(text: str, start: int, end: int, right: str | None = None) -> bool:
    """The hit's first character makes a word with what stands before it, or its last
    character with what follows (two or three characters in all, or an idiom of four),
    for a hit shorter than an idiom; or a number stands right before it (20余场,
    3个工作日: the first character belongs to the number). A hit of two characters split
    so needs its other
    character to make a word on its own side too (:func:`_ends_word`, :func:`_starts_word`).
    With its ``right`` form, a boundary made by no word as common as
    :data:`FIRM_BOUNDARY`, nor by one a tenth as common as the right form
    (:data:`WEIGHED_RATIO`), is not read where the right form reads far likelier
    (:func:`_reads_right`)."""
    strength = _boundary(text, start, end)
    if not strength:
        return False
    if strength >= FIRM_BOUNDARY or right is None or len(right) != end - start:
        return True
    if _FREQ.get(right, 0) < WEIGHED_RATIO * strength:
        return True
    return not _reads_right(text, start, end, right)


def _boundary(text: str, start: int, end: int) -> int:
    """The frequency of the commonest word that makes the hit a boundary, at most
    :data:`FIRM_BOUNDARY` (0: none; a number before the hit counts as that too).

    The words read, in this order: the character before the hit with its first, and its
    last with the character after; two before with the first, the last with two after;
    one before with the first two, the last two with one after; last, an idiom of four
    that ends with the first or starts with the last (按部就班|地). Written out, not looped:
    most hits in correct text are settled by the first word or two, and this runs for
    every such hit."""
    if start and text[start - 1] in _COUNTED:
        return FIRM_BOUNDARY
    if text.startswith("某", end) and text[end - 1] in _SURNAMES:
        return FIRM_BOUNDARY  # 对陈某依法提起公诉: the last character is a name's
    if end - start == 2 and text[end - 1] == "等" and start and text[start - 1] in _LISTED:
        return FIRM_BOUNDARY  # 米、面、油等: a thing of one character ending a list
    if end - start >= _IDIOM_LENGTH:
        # A miswritten idiom is read whole: a four-character variant of one is no
        # string that correct text holds across words (要不醒人事 is 不省人事, though
        # 要不 is a word), and no join at its ends makes it one.
        return 0
    words = _JOIN_WORDS if _JOIN_WORDS is not None else join_words()
    freq = _FREQ
    # A cut between a two-character hit's characters: the other must make a word too.
    split = end - start == 2
    strength = 0
    if start:
        word = text[start - 1 : start + 1]
        if word in words and (not split or _starts_word(text, start + 1, words)):
            strength = freq[word]
            if strength >= FIRM_BOUNDARY:
                return FIRM_BOUNDARY
    word = text[end - 1 : end + 1]
    if len(word) == 2 and word in words and (not split or _ends_word(text, start, words)):
        if freq[word] >= FIRM_BOUNDARY:
            return FIRM_BOUNDARY
        strength = max(strength, freq[word])
    if start >= 2:
        word = text[start - 2 : start + 1]
        if word in words and (not split or _starts_word(text, start + 1, words)):
            if freq[word] >= FIRM_BOUNDARY:
                return FIRM_BOUNDARY
            strength = max(strength, freq[word])
    word = text[end - 1 : end + 2]
    if len(word) == 3 and word in words and (not split or _ends_word(text, start, words)):
        if freq[word] >= FIRM_BOUNDARY:
            return FIRM_BOUNDARY
        strength = max(strength, freq[word])
    if start:
        word = text[start - 1 : start + 2]
        if len(word) == 3 and word in words:
            if freq[word] >= FIRM_BOUNDARY:
                return FIRM_BOUNDARY
            strength = max(strength, freq[word])
    if end >= 2:
        word = text[end - 2 : end + 1]
        if len(word) == 3 and word in words:
            if freq[word] >= FIRM_BOUNDARY:
                return FIRM_BOUNDARY
            strength = max(strength, freq[word])
    # An idiom that ends with the hit's first character (按部就班|地) or starts with its last.
    if start >= 3:
        word = text[start - 3 : start + 1]
        if word in words and (not split or _starts_word(text, start + 1, words)):
            strength = max(strength, freq[word])
    word = text[end - 1 : end + 3]
    if len(word) == 4 and word in words and (not split or _ends_word(text, start, words)):
        strength = max(strength, freq[word])
    return min(strength, FIRM_BOUNDARY)


# A body named by the one character of its level, opening a clause (市疾控中心提醒,
# 区卫健委): the character is a word there.
_LEVELS = frozenset("省市县区乡镇村")
_CLAUSE_OPENERS = frozenset("，。；：！？、（“\n")


def _ends_word(text: str, i: int, words: frozenset[str]) -> bool:
    """``text[i]`` can end a word: a word of one character, or the last of two or three;
    or the level of a body opening a clause (:data:`_LEVELS`)."""
    return (
        text[i] in words
        or (i >= 1 and text[i - 1 : i + 1] in words)
        or (i >= 2 and text[i - 2 : i + 1] in words)
        or (text[i] in _LEVELS and (i == 0 or text[i - 1] in _CLAUSE_OPENERS))
    )


def _starts_word(text: str, i: int, words: frozenset[str]) -> bool:
    """``text[i]`` can start a word: a word of one character, or the first of two or three."""
    return text[i] in words or text[i : i + 2] in words or text[i : i + 3] in words


# -- historical mentions ----------------------------------------------------------------
# 原 that starts a word (原则, 原因, 原有……) is not "the former".
_YUAN_WORDS = frozenset("则因本始料创理告件定样地有文汁生貌址籍油野子著作价状职单计")
# A character before 原 that makes a word of it (平原, 草原, 还原……).
_BEFORE_YUAN = frozenset("平草高中还复病荒燎莽")
# 前 is "former" after a pause or a function word; 目前, 日前, 提前, 会前……are not.
_BEFORE_QIAN = frozenset("、，。；：（“‘《和与及由任为是的即系")
_PREFIX_REACH = 8  # how far back a 原/前 may stand before the old name (原江城县旅游局)
_REFORM_YEAR = re.compile(r"(?:19|20)[0-9]{2}年")
# The words that tell of a reform. They ride in the automaton too, so a hit costs a
# bisect in their positions, and a sentence is only read when one of them is near.
REFORM_WORDS: tuple[str, ...] = (
    "机构改革", "职责整合", "整合组建", "组建", "更名", "撤销", "不再保留", "合并", "划入",
    "挂牌", "前身", "改革前", "改革后", "并入", "整合至", "整合到", "重组为", "改制", "划归",
    "转隶", "转制", "改组", "撤并",
)  # fmt: skip
_REFORM_WORDS = re.compile("|".join(REFORM_WORDS))
# A sentence that dates itself before a reform year tells of the past as well:
# "2018年以前，此类监督由县监察局负责". Its words ride in the automaton with the reform
# words; the year must be that of the latest reform or earlier ("2026年6月前" is a
# deadline, not history).
PAST_WORDS: tuple[str, ...] = ("以前", "之前", "年前", "月前")
HISTORY_WORDS: tuple[str, ...] = (*REFORM_WORDS, *PAST_WORDS)
LATEST_REFORM_YEAR = 2023
_DATED_PAST = re.compile(r"((?:19|20)[0-9]{2})年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?(?:以前|之前|前)")


def _dated_past(sentence: str) -> bool:
    return any(int(m.group(1)) <= LATEST_REFORM_YEAR for m in _DATED_PAST.finditer(sentence))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _former_prefix(text: str, start: int) -> bool:
    """True when 原/前/原来的/原先的 marks the name at ``start`` as a former one."""
    lo = max(0, start - _PREFIX_REACH)
    nearest = max(text.rfind("原", lo, start), text.rfind("前", lo, start))
    if nearest == -1:
        return False  # the common case, settled in C
    if text.endswith(("原来的", "原先的"), max(0, start - 3), start):
        return True
    for i in range(start - 1, nearest - 1, -1):
        ch = text[i]
        if ch == "原":
            before = text[i - 1] if i else ""
            if before in _BEFORE_YUAN:
                return False
            # Right before the name, 原 is the prefix ("原文化部"); further back, the
            # word it starts must not be one of its own (原则上, 原有的).
            return i == start - 1 or text[i + 1] not in _YUAN_WORDS
        if ch == "前":
            before = text[i - 1] if i else ""
            return not before or not _is_cjk(before) or before in _BEFORE_QIAN
        if not _is_cjk(ch):
            return False  # a pause: the prefix would belong to something else
    return False


# A body no longer kept or abolished is told as history (组建市应急管理局，不再保留市安全
# 生产监督管理局; 不再保留单设的国家乡村振兴局), and so is each of a list after the word.
_RETIRED = re.compile("不再保留|不再单设|撤销|撤并")
# The clause's marks without the brackets of _CLAUSE_END: a name in brackets after the
# retired one is the same body's (撤销市食品药品监督管理局（市食安办）).
_RETIRED_CLAUSE = re.compile("[，。；：！？\n]")
_RETIRED_REACH = 60


def _retired(text: str, start: int) -> bool:
    """True when the name at ``start`` follows 不再保留 or 撤销 in its clause."""
    lo = start - _RETIRED_REACH if start > _RETIRED_REACH else 0
    if text.find("不再", lo, start) == -1 and text.find("撤", lo, start) == -1:
        return False  # the common case, settled in C
    found = [m.end() for m in _RETIRED.finditer(text, lo, start)]  # the last before the name
    return bool(found) and _RETIRED_CLAUSE.search(text, found[-1], start) is None


def _former(text: str, start: int) -> bool:
    """The name at ``start`` is marked former: 原 or 前 before it, or 不再保留."""
    return _former_prefix(text, start) or _retired(text, start)


# A name listed after a former one shares its 原 (原市工商局、质监局、食药监局; 整合了原工商、
# 质监、食药监等部门的职责; 不再保留国家工商行政管理总局、国家质量监督检验检疫总局): the items
# before it, each a body's name or its abbreviation of a few characters, back to the one
# that has it. A level before a name (原市工商局、市质监局) belongs to it.
_LIST_PAUSE = frozenset("、和及与")
_BODY_ENDS = ("局", "委", "部", "办", "厅", "署", "会", "院", "所", "处", "站", "中心")
_ABBREVIATION = 3  # 工商, 质监, 食药监
_LIST_ITEM_LENGTH = 14
_LIST_ITEMS = 8


def _list_start(text: str, start: int) -> int:
    """Where the list item of the name at ``start`` begins: before its level, if any."""
    if start >= 2 and text[start - 1] in _LEVELS and text[start - 2] in _LIST_PAUSE:
        return start - 1
    return start


def _former_list(text: str, start: int) -> bool:
    """The name at ``start`` ends a list of bodies' names whose first is marked former."""
    start = _list_start(text, start)
    for _ in range(_LIST_ITEMS):
        if not start or text[start - 1] not in _LIST_PAUSE:
            return False
        pause = start - 1
        first = pause
        while (
            first
            and pause - first < _LIST_ITEM_LENGTH
            and _is_cjk(text[first - 1])
            and text[first - 1] not in _LIST_PAUSE
        ):
            first -= 1
        item = text[first:pause]
        # 原 in reach of the item's end, or opening a longer item (原市文化广电新闻出版局,
        # 整合了原县工商行政管理局、县质量技术监督局: the item read back past its 原).
        if _former(text, pause):
            return True
        yuan = text.rfind("原", first, pause - 1)
        if yuan != -1 and _former_prefix(text, yuan + 2):
            return True
        if not item.endswith(_BODY_ENDS) and len(item) > _ABBREVIATION:
            return False
        if _former(text, first + 1) or _former(text, first):
            return True
        start = first
    return False


def _told_former(text: str, start: int) -> bool:
    """The name at ``start`` is told as a former one: marked so itself, or listed after
    one that is."""
    return _former(text, start) or _former_list(text, start)


# How far the rules look around a hit: every search below is bounded by it, so that a
# long text with few sentence marks costs no more per hit than a short one.
_REACH = 200

# The marks that end a sentence, a clause or a line, as one character class each, so
# that a window is found with one search on either side of the hit.
_SENTENCE_END = "。！？；\n"
_CLAUSE_END = "，。；：！？\n（）"
_MARKS = {marks: re.compile(f"[{marks}]") for marks in (_SENTENCE_END, _CLAUSE_END)}


def _window(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    """The stretch around [start, end) up to the nearest of ``marks`` on either side,
    at most :data:`_REACH` characters away."""
    lo = start - _REACH if start > _REACH else 0
    hi = end + _REACH
    if hi > len(text):
        hi = len(text)
    if len(marks) == 1:
        i = text.rfind(marks, lo, start)
        if i != -1:
            lo = i + 1
        i = text.find(marks, end, hi)
        if i != -1:
            hi = i
        return lo, hi
    pattern = _MARKS[marks]
    m = pattern.search(text, end, hi)
    if m is not None:
        hi = m.start()
    m = pattern.search(text[lo:start][::-1])  # the nearest mark before the hit
    if m is not None:
        lo = start - m.start()
    return lo, hi


def _sentence(text: str, start: int, end: int) -> str:
    lo, hi = _window(text, start, end, _SENTENCE_END)
    return text[lo:hi]


def _reform_context(
    text: str, start: int, end: int, reform_words: Sequence[int], i: int | None = None
) -> str | None:
    """The sentence, when it names a year and a reform or dates itself before a reform
    year (the old name is told as history); else None.

    ``reform_words``: the sorted offsets of the :data:`HISTORY_WORDS` in the text
    (``i``: the index of the first at or after ``start - _REACH``, if known). A
    title line (no 。 on it) is read together with the line after it, which says
    what the title is about."""
    if i is None:
        i = bisect_left(reform_words, start - _REACH)
    if i == len(reform_words) or reform_words[i] > end + 2 * _REACH:
        return None  # no reform word anywhere near
    lo, hi = _window(text, start, end, _SENTENCE_END)
    # A title line has no 。: a sentence that ends or follows one is on no title line.
    titled = not (hi < len(text) and text[hi] == "。") and not (lo and text[lo - 1] == "。")
    if titled:
        line_start, line_end = _window(text, start, end, "\n")
        titled = (
            line_end < len(text)
            and text[line_end] == "\n"
            and "。" not in text[line_start:line_end]
        )
    if titled:
        # The line break still parts them: "2018年" ending the title and "以前" opening
        # the next line do not make "2018年以前".
        sentence = text[lo:hi] + "\n" + _sentence(text, line_end + 1, line_end + 1)
    else:
        # A reform word inside the sentence is one of the offsets: without one, no
        # need to read the sentence.
        j = bisect_left(reform_words, lo, i)
        if j == len(reform_words) or reform_words[j] >= hi:
            return None
        sentence = text[lo:hi]
    if _REFORM_YEAR.search(sentence) and (_REFORM_WORDS.search(sentence) or _dated_past(sentence)):
        return sentence
    return None


# -- places the name stands in ---------------------------------------------------------
def inside(text: str, start: int, end: int, open_: str, close: str) -> bool:
    """The span lies between an ``open_`` and its ``close`` on the same line."""
    opened = text.rfind(open_, start - _REACH if start > _REACH else 0, start)
    if opened == -1 or text.rfind(close, opened, start) != -1:
        return False
    line_end = text.find("\n", end, end + _REACH)
    if text.find("\n", opened, start) != -1:
        return False
    return text.find(close, end, end + _REACH if line_end == -1 else line_end) != -1


# Foreign countries whose institutions share a name with a former Chinese one
# (泰国国家旅游局, 法国文化部, 美国农业部, 英国卫生部, 日本国家旅游局……).
FOREIGN_COUNTRIES: tuple[str, ...] = (
    "美国", "英国", "法国", "德国", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时", "瑞士",
    "奥地利", "瑞典", "挪威", "丹麦", "芬兰", "冰岛", "爱尔兰", "希腊", "波兰", "捷克",
    "匈牙利", "罗马尼亚", "保加利亚", "塞尔维亚", "克罗地亚", "俄罗斯", "乌克兰", "白俄罗斯",
    "日本", "韩国", "朝鲜", "蒙古国", "越南", "老挝", "柬埔寨", "泰国", "缅甸", "马来西亚",
    "新加坡", "印度尼西亚", "印尼", "菲律宾", "文莱", "东帝汶", "印度", "巴基斯坦", "孟加拉国",
    "尼泊尔", "斯里兰卡", "马尔代夫", "哈萨克斯坦", "乌兹别克斯坦", "吉尔吉斯斯坦",
    "塔吉克斯坦", "土库曼斯坦", "阿富汗", "伊朗", "伊拉克", "土耳其", "以色列", "约旦",
    "沙特阿拉伯", "沙特", "阿联酋", "卡塔尔", "科威特", "阿曼", "埃及", "摩洛哥", "突尼斯",
    "阿尔及利亚", "南非", "肯尼亚", "埃塞俄比亚", "尼日利亚", "坦桑尼亚", "加拿大", "墨西哥",
    "巴西", "阿根廷", "智利", "秘鲁", "古巴", "澳大利亚", "新西兰", "斐济",
    "格鲁吉亚", "亚美尼亚", "阿塞拜疆", "立陶宛", "拉脱维亚", "爱沙尼亚", "斯洛文尼亚",
    "斯洛伐克", "卢森堡", "马耳他", "塞浦路斯", "阿尔巴尼亚", "北马其顿", "摩尔多瓦",
    "哥伦比亚", "委内瑞拉", "厄瓜多尔", "乌拉圭", "巴拉圭", "玻利维亚", "哥斯达黎加", "巴拿马",
    "牙买加", "黎巴嫩", "叙利亚", "巴林", "也门", "利比亚", "加纳", "塞内加尔", "喀麦隆",
    "安哥拉", "莫桑比克", "津巴布韦", "赞比亚", "乌干达", "卢旺达", "马达加斯加", "毛里求斯",
    "塞舌尔", "纳米比亚", "博茨瓦纳", "巴布亚新几内亚", "汤加", "萨摩亚", "瓦努阿图",
)  # fmt: skip


def _by_last(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The words grouped by their last character, so that a hit costs one dict look-up and
    an ``endswith`` over a few words, not a comparison with each."""
    grouped: dict[str, tuple[str, ...]] = {}
    for word in words:
        grouped[word[-1]] = (*grouped.get(word[-1], ()), word)
    return grouped


_FOREIGN_BY_LAST = _by_last(FOREIGN_COUNTRIES)

# Nor is one of the regions' own bodies a former Chinese name (台湾文化部 is a sovereignty
# matter of its own, 台湾行政院农业委员会 no 农业委员会 of ours; 香港特区政府民政事务局).
_REGION_BODIES: tuple[str, ...] = tuple(
    region + middle + particle
    for region, middles in (
        ("台湾", ("", "地区", "当局", "行政院", "“行政院”", "地区行政院", "地区“行政院”")),
        ("香港", ("", "特区", "特区政府", "特别行政区", "特别行政区政府")),
        ("澳门", ("", "特区", "特区政府", "特别行政区", "特别行政区政府")),
    )
    for middle in middles
    for particle in ("", "的")
)
_REGION_BODY_REACH = max(map(len, _REGION_BODIES))
# By last character too: most names have none of these characters before them.
_REGION_BODIES_BY_LAST = _by_last(_REGION_BODIES)

# After a "……第一", these make it the name of a place (天下第一关, 天下第一泉).
_PLACE_SUFFIX = frozenset("关泉山峰楼桥寺塔亭阁街巷村镇岭峡湖洞门园江河")

# 首选 as advice to the reader, not a seller's claim (建议市民首选公共交通, 应首选正规场馆).
# (应 as a modal verb: not the end of 对应, 相应, 响应, 反应, 供应, 适应 and the like.)
_ADVISED_BEFORE = re.compile(
    r"(?:建议|提醒|倡导|鼓励)[^，。；！？\n]{0,8}\Z|(?<![对相响反供适答效感理呼顺])[应宜]\Z"
)
_ADVICE_REACH = 10  # a word of two and eight characters between
# 游客首选乘坐地铁: 首选 before a way of going is advice.
_TRAVEL_AFTER = re.compile("乘坐|搭乘|选择|步行|骑行|自驾|公共交通|地铁|公交|绕行|前往|工作日")
# 最好 as a claim: before 的 or a quality of its own (最好的服务, 最好吃, 质量最好。); before
# anything else it is "had better" (最好提前预约, 最好不要投喂).
_CLAIMED_AFTER = re.compile("[的吃喝看玩听用卖]|[，。；！？、）”\n]|$")
# 最佳 of a time or a place to do something (最佳拍摄位置, 最佳旅游季节), and of an award
# someone won (获得了最佳女主角奖: an award given out, 颁发“最佳剧目奖”, is still read, as the
# labelled corpus reads it).
_BEST_TIME = re.compile(
    "(?:观赏|拍摄|赏花|赏叶|旅游|游览|出行|观测|观看|采摘|垂钓|登山|徒步)?"
    "(?:期|时间|时机|时段|季节|位置|地点|角度|窗口期)"
)
_AWARD = re.compile("[^，。；：！？、\n]{1,8}?奖")
_WON = re.compile("获得|荣获|获评|摘得|夺得|捧得|斩获|获")
# 最强 of weather (入冬以来最强的一股冷空气): a measure, not praise.
_WEATHER = re.compile("冷空气|寒潮|降雨|降水|暴雨|台风|高温|热浪|降温|大风|风力|沙尘|降雪|强对流")
_WEATHER_REACH = 8
# 最好 as advice to people (游客最好不要投喂, 出发前最好查看天气预报, 登山时最好穿防滑鞋); what
# a notice tells a body to do (景区最好根据客流) is read, as the labelled corpus reads it.
_PEOPLE = re.compile(
    "游客|市民|观众|大家|您|你|出行|出发|登山|爱好者|家长|旅客|驾驶|自驾|朋友|读者|居民|老人"
    "|孩子|学生|群众"
)


def _clause_before(text: str, start: int) -> tuple[int, int]:
    lo, _ = _window(text, start, start, _CLAUSE_END)
    return lo, start


# ...and 最好 opening a piece of advice (冬季山顶风大，最好带一件厚外套; 参加扎染体验课最好穿
# 深色衣服; 看日出最好在清晨出发): a clause that starts with it, or with what the reader is to
# do, then the advice.
_ADVICE_AFTER = re.compile(
    "带|穿|戴|乘坐|搭乘|在|不要|别|避免|避开|先|提前|选择|选|携带|准备|备好|预约|错峰|结伴|随身"
    "|使用|关注|查看|留意|注意|自带|前往|出发|购买|安排|避"
)
_READER_DOES = re.compile(
    "(?:参加|参观|游览|观看|看|体验|乘坐|登|去|前往|游玩|拍摄|赏|如果|若|为了)|.*(?:时|前|期间|途中)$"
)


def _advice_opens(text: str, start: int, end: int) -> bool:
    if not _ADVICE_AFTER.match(text, end):
        return False
    lo, _ = _clause_before(text, start)
    return lo == start or _READER_DOES.match(text[lo:start]) is not None


def _to_people(text: str, start: int) -> bool:
    return _PEOPLE.search(text, *_clause_before(text, start)) is not None


def _won(text: str, start: int) -> bool:
    return _WON.search(text, *_clause_before(text, start)) is not None


def _advised(text: str, start: int) -> bool:
    """Whether the 首选 at ``start`` is advice (:data:`_ADVISED_BEFORE`)."""
    lo = start - _ADVICE_REACH if start > _ADVICE_REACH else 0
    return _ADVISED_BEFORE.search(text, lo, start) is not None


def judge(
    text: str,
    start: int,
    end: int,
    what: int,
    severity: str,
    reform_words: Sequence[int] = (),
    right: str | None = None,
) -> str | None:
    """The severity a judged term hit keeps here, or None when it is no finding.

    ``reform_words``: the sorted offsets of the :data:`HISTORY_WORDS` in ``text``;
    ``right``: the entry's right form."""
    if what & QUOTED and inside(text, start, end, "“", "”"):
        return None
    if what & RENAMED and right:
        lo, hi = _window(text, start, end, _SENTENCE_END)
        if _RENAMING.search(text, lo, hi) and text.find(right.split("（")[0], lo, hi) != -1:
            return None
    if what & JOINED and joins_neighbours(text, start, end, right):
        return None
    if what & OF_ITS_TIME and told_of_its_time(
        text, start, end, OF_ITS_TIME_UNTIL[text[start:end]]
    ):
        return None
    if what & HISTORY:
        if start:
            before = text[start - 1]
            countries = _FOREIGN_BY_LAST.get(before)
            if countries and text.endswith(countries, max(0, start - 6), start):
                return None
            bodies = _REGION_BODIES_BY_LAST.get(before)
            if bodies and text.endswith(bodies, max(0, start - _REGION_BODY_REACH), start):
                return None
            if _told_former(text, start):
                return None  # 原文化部, 不再保留市安全生产监督管理局: history told
        if inside(text, start, end, "《", "》") or _ORDER_NUMBER.match(text, end):
            return None  # a title, or an order's number (（国家旅游局令第41号）)
        if _PLATE.match(text, end) or _HELD_AS.search(text, max(0, start - 4), start):
            return None  # 加挂国家乡村振兴局牌子: the old name kept as a second plate
        if _held_before_reform(text, start, end):
            return None  # 时任县环保局局长; 2016年，县工商局……: dated before the reforms
        if severity == BLOCK:
            # Most names have no reform word near: one bisection, no call, settles it.
            i = bisect_left(reform_words, start - _REACH)
            if i < len(reform_words) and reform_words[i] <= end + 2 * _REACH:
                sentence = _reform_context(text, start, end, reform_words, i)
                if sentence is not None:
                    if right and right in sentence:
                        return None  # it tells the reform: the new name with the old
                    return WARN
    if what & PROPER_NAME:
        if inside(text, start, end, "《", "》"):
            return None
        if text.endswith("第一", start, end) and end < len(text) and text[end] in _PLACE_SUFFIX:
            return None
        if text.startswith("首选", start) and (
            _advised(text, start) or _TRAVEL_AFTER.match(text, end)
        ):
            return None
        term = text[start:end]
        if (
            term == "最好"
            and not _CLAIMED_AFTER.match(text, end)
            and (_to_people(text, start) or _advice_opens(text, start, end))
        ):
            return None  # 出发前最好查看天气预报: "had better", advice to the reader
        if term == "最佳" and (
            _BEST_TIME.match(text, end) or (_AWARD.match(text, end) and _won(text, start))
        ):
            return None  # 最佳拍摄位置, 最佳旅游季节, 获得了最佳女主角奖
        if term == "最强" and _WEATHER.search(
            text, max(0, start - 2 * _WEATHER_REACH), end + _WEATHER_REACH
        ):
            return None  # 入冬以来最强的一股冷空气: a measure of weather
    return severity


# Where an old name is no present use: an order it issued, cited by its number (国家旅游局令
# 第41号, 中国银保监会令2020年第9号); the name kept as a second plate (加挂……牌子, 保留……牌子);
# a post held in it then (时任县卫计委主任); a sentence dated only to years before the
# reforms of 2018 (2016年，县工商局……; 卫生部于1994年发布), that tells of no later time.
_ORDER_NUMBER = re.compile("令(?:第|(?:19|20)[0-9]{2}年第)")
_PLATE = re.compile(".{0,2}牌子")
_HELD_AS = re.compile("加挂|保留")
_FIRST_REFORM_YEAR = 2018


def _held_before_reform(text: str, start: int, end: int) -> bool:
    lo = start - _PREFIX_REACH if start > _PREFIX_REACH else 0
    held = text.rfind("时任", lo, start)
    if held != -1 and all(_is_cjk(ch) for ch in text[held:start]):
        return True
    return told_of_its_time(text, start, end, _FIRST_REFORM_YEAR - 1)


def told_of_its_time(text: str, start: int, end: int, last: int) -> bool:
    """Whether the sentence of the name at [start, end) gives years, every one of them no
    later than ``last``, the name's last (1912年至1949年), and tells of no time after them
    (1949年以后, 至今, 仍)."""
    lo, hi = _window(text, start, end, _SENTENCE_END)
    years = [int(y) for y in _YEAR.findall(text, lo, hi)]
    if not years or any(y > last for y in years):
        return False
    return _SINCE.search(text, lo, hi) is None  # 1949年后, 至今: told of later times


HISTORY_NOTE = "（历史沿革表述？请确认）"


# -- anchored rules ----------------------------------------------------------------------
_POINT_IN_TIME = re.compile(
    r"[0-9０-９]|[一二三四五六七八九十〇零两]{1,4}[年月日]|[今去明本上当前同]年|[本上当次]月"
    r"|目前|当前|现在|今天|昨天|今日|日前|发稿|本周|上周|年底|年末|年初|月底|月末|上半年|下半年"
    r"|第?[一二三四]季度|本季度|上季度"
)


def _jiezhi(text: str, start: int, end: int) -> Finding | None:
    if not _POINT_IN_TIME.match(text, end):
        return None
    return new_finding(
        "confusable",
        WARN,
        start,
        end,
        "截止",
        "截至",
        "疑似错别字：截止 → 截至（后接时间点用“截至”，如“截至2025年底”）",
        "confusable:截止+时间",
    )


_YEAR_DIGITS = frozenset("〇零一二三四五六七八九")


def _year_zero(text: str, start: int, end: int) -> Finding | None:
    lo = start
    while lo > 0 and text[lo - 1] in _YEAR_DIGITS:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] in _YEAR_DIGITS:
        hi += 1
    if hi - lo != 4 or hi >= len(text) or text[hi] != "年" or lo < start - 3:
        return None
    if lo < start and "零" in text[lo:start]:
        return None  # the first 零 of the year reports it
    year = text[lo:hi]
    return new_finding(
        "confusable",
        WARN,
        lo,
        hi,
        year,
        year.replace("零", "〇"),
        f"年份中的“零”应写作“〇”：{year}年",
        "confusable:年份零",
    )


_VERDICT = re.compile("判处|判决|宣判|服刑|刑满|监狱|减刑|假释|在押|改造|执行死刑|裁定")
# A case still with the police (刑事拘留, 立案侦查) has a 犯罪嫌疑人; the 被告人 comes with
# the prosecution (提起公诉) and the court.
_INVESTIGATED = re.compile("刑事拘留|刑拘|立案侦查|侦查终结|取保候审|监视居住|抓获|归案|到案")
_TRIED = re.compile("公诉|起诉|法院|审理|开庭|庭审|判|检察")
_CIVIL = re.compile("民事|原告|诉讼请求|合同纠纷|侵权纠纷|离婚|劳动争议|行政诉讼|行政案件")
_CRIMINAL = re.compile("刑事|公诉|犯罪|罪名|有期徒刑|拘役|管制|判处|检察")


def _paragraph(text: str, start: int, end: int) -> str:
    lo, hi = _window(text, start, end, "\n")
    return text[lo:hi]


def _zuifan(text: str, start: int, end: int) -> Finding | None:
    if _VERDICT.search(_paragraph(text, start, end)):
        return None
    return new_finding(
        "usage",
        WARN,
        start,
        end,
        "罪犯",
        "犯罪嫌疑人",
        "不规范表述：法院判决有罪之前，不称“罪犯”，称“犯罪嫌疑人”",
        "usage:罪犯",
    )


# A company is no 被告人: it is 被告 in a civil case, 被告单位 in a criminal one
# (被告人某景区管理公司; not 被告人王某系某旅行社导游, nor 被告人刘某公司财务人员).
_BODY_AFTER = re.compile(
    "[^，。；：、（）在于系是的与和及为被将任]{1,12}?(?:有限公司|公司|集团|旅行社|合作社)"
)
_PERSON = re.compile("[\u4e00-\u9fff]某|[\u4e00-\u9fff]{2,3}(?:公司|集团)")


def _beigaoren(text: str, start: int, end: int) -> Finding | None:
    body = _BODY_AFTER.match(text, end)
    if body is not None and not _PERSON.match(body.group()):
        return new_finding(
            "usage", WARN, start, body.end(), text[start : body.end()], None,
            "单位不称“被告人”：民事、行政案件称“被告”，刑事案件称“被告单位”",
            "usage:被告人单位",
        )  # fmt: skip
    paragraph = _paragraph(text, start, end)
    if _INVESTIGATED.search(paragraph) and not _TRIED.search(paragraph):
        return new_finding(
            "usage", WARN, start, end, "被告人", "犯罪嫌疑人",
            "不规范表述：侦查阶段称“犯罪嫌疑人”，提起公诉后才称“被告人”",
            "usage:被告人侦查",
        )  # fmt: skip
    if not _CIVIL.search(paragraph) or _CRIMINAL.search(paragraph):
        return None
    return new_finding(
        "usage",
        WARN,
        start,
        end,
        "被告人",
        "被告",
        "不规范表述：民事、行政案件中称“被告”，“被告人”是刑事诉讼用语",
        "usage:被告人",
    )


_REGIONS = re.compile("港澳台|港澳|港台|台湾|香港|澳门")
_LIST_GLUE = re.compile("以及|、|和|及")
_NOT_A_LIST = frozenset("与同跟向对在到赴从为把将是有的了")
_REGION_THEN_GLUE = re.compile("地区(?:以及|、|和|及)")
_IN_ALL = re.compile("在内的?[0-9一二三四五六七八九十两多几余]*$")
# ……等十余个国家: the count after 等 closes the list too.
_AND_SO_MANY = re.compile("等[0-9一二三四五六七八九十两多几余]+$")
_AND_REGIONS = ("和地区", "及地区", "与地区", "或地区", "和港澳", "和台湾")


def _regions_as_countries(text: str, start: int, end: int) -> Finding | None:
    if text.endswith("等国", start, end) and text.startswith("家", end):
        return None  # the anchor 等国家 covers it
    if text.startswith(_AND_REGIONS, end) or text.startswith(("级", "重点"), end):
        return None
    lo = start - _REACH if start > _REACH else 0
    if all(text.find(ch, lo, start) == -1 for ch in "台港澳"):
        return None  # no region named in reach: each name holds one of these
    lo, _ = _window(text, start, end, _CLAUSE_END)
    region = _REGIONS.search(text, lo, start)
    if region is None:
        return None
    # 台湾与其他国家: the "other" countries make the region one of them.
    others = text.startswith(("其他国家", "其它国家"), start) and region.end() == start - 1
    # Only a plain enumeration ("香港、澳门等国家"), not "香港与东盟等国家".
    between = _REGIONS.sub("", text[region.start() : start])
    # The list closed by 在内的 and a count: 美国、英国、香港在内的12个国家.
    between = _AND_SO_MANY.sub("", _IN_ALL.sub("", between))
    items = [item for item in _LIST_GLUE.split(between) if item]
    if not others and any(len(item) > 5 or _NOT_A_LIST & set(item) for item in items):
        return None
    if not others and _REGION_THEN_GLUE.search(between):
        return None  # 香港地区和东南亚国家: the region is named a 地区 in the list
    span = text[region.start() : end]
    return new_finding(
        "sovereignty",
        BLOCK,
        region.start(),
        end,
        span,
        None,
        "涉国家主权、领土的表述不规范：台湾、香港、澳门不能称作“国家”，并列时称“国家和地区”",
        "sovereignty:地区称国家",
    )


# Only a court sentences (判处): a procuratorate prosecutes, the police investigate. The
# list holds them side by side (检察院判处); here with words between, in one clause
# (县人民检察院以诈骗罪判处被告人……).
_NOT_A_COURT = re.compile("检察院|检察机关|公安局|公安机关|公安分局|派出所|警方")


def _sentenced_by(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _window(text, start, end, _CLAUSE_END)
    body = _NOT_A_COURT.search(text, lo, start)
    if body is not None and text.find("法院", body.end(), start) == -1:
        if text.endswith(("检察院", "检察机关", "公安局", "公安机关", "警方"), lo, start):
            return None  # the list's own term (检察院判处) reports it
        return new_finding(
            "usage", WARN, body.start(), end, text[body.start() : end], None,
            "只有法院判处刑罚：检察院提起公诉，公安机关侦查",
            "usage:判处主体",
        )  # fmt: skip
    # 判处 is for a penalty; a court orders damages by its judgment (判决被告赔偿).
    remedy = _CIVIL_REMEDY.search(text, end, min(hi, end + _PENALTY_REACH))
    if remedy is None or _PENALTY.search(text, end, remedy.start()):
        return None
    return new_finding(
        "usage", WARN, start, end, "判处", "判决",
        "“判处”用于刑罚；判令赔偿、支付等民事责任用“判决”",
        "usage:判处民事",
    )  # fmt: skip


# A penalty is 判处: 法院以诈骗罪判处被告人有期徒刑三年 (判决 is the judgment itself, 判决被告人
# 犯诈骗罪, and the civil one: 判决被告赔偿).
_PENALTY = re.compile("有期徒刑|无期徒刑|死刑|拘役|管制|罚金|剥夺政治权利|没收")
_CIVIL_REMEDY = re.compile("赔偿|支付|返还|归还|继续履行|赔礼道歉|承担|离婚")
_PENALTY_REACH = 24
_JUDGMENT_WORDS = ("书", "生效", "结果", "前", "后", "的", "文书", "理由", "认定", "执行")


def _judged_penalty(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(_JUDGMENT_WORDS, end):
        return None
    _, hi = _window(text, start, end, _CLAUSE_END)
    penalty = _PENALTY.search(text, end, min(hi, end + _PENALTY_REACH))
    if penalty is None:
        return None
    if penalty.group() in ("没收", "罚金") and "罪" not in text[max(0, start - 12) : start]:
        return None  # 没收 and 罚金 alone: a penalty only after a crime named before
    if "罪" in text[end : penalty.start()] or "判处" in text[end : penalty.start()]:
        return None  # 判决被告人犯某罪 is the verdict itself
    return new_finding(
        "usage", WARN, start, end, "判决", "判处",
        "判处刑罚用“判处”（判处被告人有期徒刑三年），“判决”用于判决本身和民事、行政案件",
        "usage:判决刑罚",
    )  # fmt: skip


# An arrest is approved by the procuratorate; the police ask for it and carry it out
# (刑事诉讼法 第八十条).
_POLICE_BEFORE = re.compile(
    "(?:公安局|公安分局|公安机关|警方|派出所)(?:已经|已|依法|日前|近日|今日|今天|昨日|当日|迅速|当天)*$"
)


def _arrest_approved_by(text: str, start: int, end: int) -> Finding | None:
    police = _POLICE_BEFORE.search(text, max(0, start - 16), start)
    if police is None:
        return None
    return new_finding(
        "usage", WARN, police.start(), end, text[police.start() : end], None,
        "批准逮捕由人民检察院决定：公安机关提请批准逮捕、执行逮捕",
        "usage:批准逮捕主体",
    )  # fmt: skip


# 人大代表 put forward 议案 and 建议; 政协委员 hand in 提案 (the Organic Law of the NPC, the
# CPPCC's rules on proposals).
def _deputy_proposal(text: str, start: int, end: int) -> Finding | None:
    lo, _ = _window(text, start, end, _SENTENCE_END)
    deputy = text.rfind("人大代表", lo, start)
    if deputy == -1 or text.find("政协", lo, end + 20) != -1:
        return None
    return new_finding(
        "usage", WARN, start, end, "提案", "建议",
        "人大代表提出议案或建议，政协委员提交提案",
        "usage:人大代表提案",
    )  # fmt: skip


# ...and 政协委员 do not hand in 议案 (政协委员提交议案 → 提案).
def _member_motion(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _window(text, start, end, _SENTENCE_END)
    member = text.rfind("政协", lo, start)
    if member == -1 or text.find("人大", lo, hi) != -1:
        return None
    return new_finding(
        "usage", WARN, start, end, "议案", "提案",
        "政协委员提交提案，人大代表提出议案或建议",
        "usage:政协委员议案",
    )  # fmt: skip


# A named person (赵某, 陈某某) called an offender before any verdict is a 犯罪嫌疑人
# (犯罪分子赵某已被刑事拘留; 罪犯 alone has its own rule). Said of offenders in general
# (严厉打击犯罪分子) it is no finding.
_NAMED_AFTER = re.compile("[\u4e00-\u9fff]某|[\u4e00-\u9fff]{1,2}[(（]化名")


def _named_offender(text: str, start: int, end: int) -> Finding | None:
    if _NAMED_AFTER.match(text, end) is None or _VERDICT.search(_paragraph(text, start, end)):
        return None
    word = text[start:end]
    return new_finding(
        "usage", WARN, start, end, word, "犯罪嫌疑人",
        f"不规范表述：法院判决有罪之前，不称“{word}”，称“犯罪嫌疑人”",
        "usage:罪犯",
    )  # fmt: skip


# 蒙古 named among countries is 蒙古国 (蒙古 alone is also the region and the people).
_MONGOLIA_WORDS = frozenset("国族包语文人马长高舞史帝汗军医大贞袍刀")
_COUNTRIES_BUT_MONGOLIA = re.compile("|".join(c for c in FOREIGN_COUNTRIES if c != "蒙古国"))


def _mongolia(text: str, start: int, end: int) -> Finding | None:
    if (start and text[start - 1] == "内") or (end < len(text) and text[end] in _MONGOLIA_WORDS):
        return None
    lo, hi = _window(text, start, end, _CLAUSE_END)
    if _COUNTRIES_BUT_MONGOLIA.search(text, lo, hi) is None:
        return None
    return new_finding(
        "sovereignty",
        WARN,
        start,
        end,
        "蒙古",
        "蒙古国",
        "涉国家主权、领土的表述不规范：与其他国家并列时称“蒙古国”",
        "sovereignty:蒙古国",
    )


# -- words right or wrong by what stands near them ----------------------------------
CLAUSE_STOPS = "，。；：！？、\n"
_LOOK_BACK = 8  # how far back the words before a hit are looked for


def neighbours(
    after: str | None = None,
    before: str | None = None,
    reach: int = 0,
    stops: str = CLAUSE_STOPS,
) -> Callable[[str, int, int], bool]:
    """A test of the words around a hit [start, end): true when one of the words
    ``after`` (a regex alternation) follows it within ``reach`` characters, none of
    them one of ``stops`` (by default: in its clause), or one of the words ``before``
    ends right before it. The one neighbour check of the context rules (here and in
    :mod:`domain.proofread.slips`)."""
    # Right after the word (reach 0) a match says it; further on, a search for the words
    # in reach finds the first of them, and no stop before it may stand between.
    follows = re.compile(f"(?:{after})") if after else None
    longest = max((len(word) for word in (after or "").split("|")), default=0)
    stop = re.compile(f"[{stops}]")
    precedes = re.compile(f"(?:{before})$") if before else None

    def stand_near(text: str, start: int, end: int) -> bool:
        if follows is not None:
            if not reach:
                if follows.match(text, end) is not None:
                    return True
            else:
                m = follows.search(text, end, end + reach + longest)
                if (
                    m is not None
                    and m.start() <= end + reach
                    and stop.search(text, end, m.start()) is None
                ):
                    return True
        if precedes is not None:
            lo = start - _LOOK_BACK if start > _LOOK_BACK else 0
            return precedes.search(text, lo, start) is not None
        return False

    return stand_near


def _pair(
    wrong: str,
    right: str,
    why: str,
    after: str | None = None,
    before: str | None = None,
    reach: int = 0,
    stops: str = CLAUSE_STOPS,
) -> Callable[[str, int, int], Finding | None]:
    """A rule for ``wrong``, a word that is right elsewhere: a finding when one of the
    words ``after`` follows it within ``reach`` characters (none of them one of
    ``stops``: by default, in its clause), or one of the words ``before`` ends right
    before it (:func:`neighbours`)."""
    near = neighbours(after, before, reach, stops)
    message = f"疑似错别字：{wrong} → {right}（{why}）"
    rule = f"confusable:{wrong}+语境"

    def judge_pair(text: str, start: int, end: int) -> Finding | None:
        if not near(text, start, end):
            return None
        return new_finding("confusable", WARN, start, end, wrong, right, message, rule)

    return judge_pair


_ONLINE = "网站|官网|网页|页面|平台|系统|账号|帐号|账户|公众号|小程序|客户端|App|APP|app|邮箱"
_SECRETS = "个人信息|信息|隐私|秘密|机密|数据"
# A site named by what it serves (省人事考试网, 市政务服务网).
_SITES = "|考试网|服务网|政务网|人事网|信息网|招聘网|报名网"
_SPELLS = (
    "假期|节日|春节|国庆|中秋|端午|元旦|周末|暑假|寒假|暑期|汛期|晚年|时光|一生|童年|难忘"
    "|愉快|美好|快乐|平安|欢乐|祥和|幸福|充实|温馨"
)
# 必需 is an adjective (必需品, 必需的, 生活必需): before anything else it stands for 必须.
_NEEDED = r"(?!品|的|物|用品|药|之|性|[，。；：、）”\n]|$)"
_ABSTRACT = (
    "指示|批示|部署|决定|规定|承诺|安排|决策|贡献|努力|解释|说明|回应|答复|判断|评价|调整|处罚"
    "|处分|结论|表率|榜样|选择|反应|牺牲|成绩|成就|重要|新的|积极|突出|巨大|应有"
)
_RECORD_SET = "创|创造|创下|创造了|创下了|刷新|刷新了|打破|打破了|破|世界|全国|最高|历史最好"
_PUT_IN_USE = "印章|公章|新章|系统|平台|场馆|新馆|大楼|设备|标识|仪式|新址"
# 认真地做好: an adverbial before a verb takes 地 (GB/T: 的地得 分用).
_ADVERBIALS = (
    "认真", "积极", "切实", "扎实", "努力", "主动", "不断", "逐步", "大力", "稳妥", "稳步",
    "严格", "全面", "深入", "广泛", "及时", "妥善", "耐心", "热情", "有序", "迅速", "坚决",
    "牢牢", "紧紧", "持续", "高效", "有力", "有效", "充分", "密切", "自觉", "精心",
    # Reduplicated and four-character adverbials, which modify the verb alone.
    "扎扎实实", "认认真真", "踏踏实实", "兢兢业业", "轰轰烈烈", "大张旗鼓", "有条不紊",
    "全力以赴", "不折不扣", "坚定不移", "毫不动摇", "尽心尽力", "一丝不苟", "创造性",
    # Manner: how someone speaks, receives, explains (高兴地说, 耐心地解答).
    "高兴", "仔细", "详细", "亲切", "热烈", "深情", "激动", "兴奋", "愉快", "默默", "静静",
    "悄悄", "慢慢", "渐渐", "细心", "用心", "虚心", "诚恳", "郑重",
    # How a body acts in official prose (依法查处, 共同完成, 如实报告).
    "共同", "依法", "依规", "如实", "统筹", "全力", "大胆", "彻底", "深刻", "顺利", "圆满",
    "快速", "尽快", "细致", "周密", "严肃", "坚定", "牢固", "逐一", "逐渐", "反复", "提前",
    "精准", "准确", "合理", "科学", "规范", "集中", "普遍", "好好", "深深",
    # How work goes on (井然有序地进行, 紧锣密鼓地推进, 高高兴兴地走进).
    "井然有序", "紧锣密鼓", "争分夺秒", "马不停蹄", "夜以继日", "千方百计", "想方设法",
    "高高兴兴", "开开心心", "仔仔细细", "热热闹闹", "实实在在",
)  # fmt: skip
# 及时得回应 → 及时地: the adverbials that 得 never follows as a complement of their own
# (not 高兴得说不出话, 激动得流下泪).
_ADVERBIALS_WITH_DE = (
    "认真", "积极", "切实", "扎实", "主动", "不断", "逐步", "稳妥", "稳步", "严格", "全面",
    "深入", "广泛", "及时", "妥善", "耐心", "热情", "有序", "迅速", "坚决", "持续", "高效",
    "有效", "充分", "密切", "自觉", "精心", "仔细", "详细", "细心", "用心", "依法", "如实",
    "统筹", "彻底", "快速", "尽快", "细致", "周密", "精准", "准确", "合理", "科学", "规范",
)  # fmt: skip
# 受到热情的接待, 进行了认真的检查: after such a verb the adverbial and its verb are a
# noun phrase, and 的 is right.
_NOUN_PHRASE_BEFORE = re.compile(
    "(?:受到|得到|获得|给予|进行|加以|予以|致以|报以|赢得|经过|作了|做了|作出|做出|表示|一次"
    "|一番|开展|展开|迎来|听取|提供|加强|实行|实施|通过|缺乏|缺少|离不开|依靠|依托|接受|实现"
    "|有了|有着|加深|增进)"
    "[^，。；：！？、\n]{0,4}$"
)
_VERBS = (
    "做好|抓好|开展|推进|落实|完成|贯彻|组织|实施|执行|解决|推动|参与|配合|打造|融入|投入"
    "|对照|对标|梳理|研究|分析|总结|审核|核对|谋划|查摆|剖析|反思|检视|自查|核实|甄别"
    "|应对|回应|处理|对待|整改|做(?!法|派|工|客)|抓(?!手)|学习|宣传|引导|促进|保障|维护|服务|帮助|支持|指导|发挥"
    "|加强|加快|提升|提高|排查|防范|化解|回答|办理|推广|把握|守住|筑牢|扛起|担起|履行"
    "|坚持|巩固|深化|推行|弘扬|查处|打击|整治|核查|审查|报告|上报|报送|调查|处罚"
    "|说(?!法|明|辞)|讲(?!话|座|究|稿|台|坛|堂|义)|介绍|接待|解答|讲解|检查|调研|交流|交谈|欢迎|询问|观看|参观|走访|慰问|看望|指出"
    "|告诉|回忆|倾听|聆听|鼓掌|握手|宣布|迎接"
    "|坚守|完善|集结|进行|走进|走向|奔赴|赶赴|投身|劝导|疏导|前往|赶到|涌向|穿梭|奋战"
)
# (得 never stands between an adverbial and a verb of knowing either: 深入得了解.)
_VERBS_AFTER_DE = _VERBS + "|了解|掌握|认识|感受|体会"
# A number: digits, or Chinese numerals with what they count (不只一次, 不只十万人次).
_NUMBER_FOLLOWS = (
    "[0-9０-９]|[一二两三四五六七八九十百千万]+(?:次|个|人|名|位|家|种|项|件|年|天|倍|万|千|百)"
)
# 耐心地为游客讲解, 积极地向群众宣传: a preposition may stand between the adverbial and
# its verb (not where it starts a noun: 热情的向导, 积极的向上, 严格的把关; nor 对 or 将,
# which also start one: 有序的对外开放).
_PREPOSITIONS = "|为(?!人|民|主|期|止|此)|向(?!导|上|往|前|来)"
# 在专家科学的指导下, 在政府积极的引导下: a verb before 下 is a noun.
_UNDER = re.compile(f"(?:{_VERBS}|帮助|带动|关心|领导|推动|努力|引领)下")
# 完成得很好: a complement of degree after a verb takes 得.
_COMPLEMENTED = (
    "做", "办", "干", "搞", "完成", "开展", "落实", "组织", "准备", "安排", "发展", "建设", "执行",
    "推进", "表现", "进行", "变", "跑", "写", "讲", "说", "学", "管", "抓",
    "进展", "处理", "布置", "打扫", "发挥", "体现", "展现", "诠释", "玩", "唱", "跳",
    "整理", "收拾", "装扮", "打理",
    "排练", "筹备", "举办", "演绎", "表演", "治理", "管理", "保护", "修缮", "装饰", "打造", "维护",
    "修复", "讲解", "介绍", "解决", "改造", "恢复", "改善", "推广", "保存", "保持", "清理", "办理",
    "处置", "运行", "运营", "设计", "规划", "宣传", "服务", "接待", "回答", "解答", "学习", "策划",
    "编排", "展示", "呈现", "还原", "描绘", "刻画", "绘制", "制作",
    "提高", "提升", "增长", "上升", "下降", "减少", "增加", "普及", "布置", "装点",
)  # fmt: skip
# Verbs of one character that end common words with 地 after them (居住地, 明显地, 经过地):
# only 的 before their complement is read (住的很舒心, 显的格外庄严).
_COMPLEMENTED_WITH_DE = ("显", "住", "吃", "过")
# A quality a complement of degree gives with no adverb of degree, where its clause ends
# (布置得温馨舒适，讲得生动有趣。): before a noun it is an attributive (布置的温馨氛围).
_COMPLEMENT_QUALITIES = (
    "温馨|舒适|生动|有趣|感人|真挚|精彩|出色|圆满|到位|整齐|干净|漂亮|热闹|红火|舒心|开心"
    "|安心|放心|明白|清楚|透彻|周到|地道|声情并茂|栩栩如生|惟妙惟肖|活灵活现|恰到好处"
)
_DEGREES = (
    r"(?:很|非常|十分|比较|特别|更加|相当|越来越|如火如荼|有声有色|井井有条|扎扎实实"
    r"|格外|尤为|更为|愈发|越发|分外"
    rf"|(?:{_COMPLEMENT_QUALITIES}){{1,3}}(?=[，。；！？]|$)"
    r"|红红火火|热火朝天|井然有序|淋漓尽致|风生水起|卓有成效|有条不紊|扎实有效|富有成效"
    r"|(?:扎实|顺利)(?=[，。；！])|扎实有序"
    r"|较(?:好|快)(?=[，。；！？]|$)"  # 恢复得较好。(取得的较好成绩: a noun follows)
    r"|([\u4e00-\u9fff])\1([\u4e00-\u9fff])\2)"  # 打扫得干干净净, 整理得整整齐齐
    r"(?!多|少|大|重要|必要|关键)"
)
# 反映 a problem or an opinion (如实反映, 对问题要及时反映); 反应 is a reaction, which
# a reaction word before it (过敏反应) or a word of speed or strength after it says.
# (群众反应的停车难问题: what is reported may be named before 问题.)
_REPORTED = re.compile(
    "(?:(?:群众|市民|居民|村民|企业|基层|社会|百姓|网民|师生|游客|各方)的?)?"
    "(?:的[^，。；：！？、\n]{0,5}?)?(?:问题|诉求|意见|建议|情况|心声|呼声|民意|社情)|给|上来"
)
_REACTING_BEFORE = re.compile("(?:过敏|不良|化学|应激|连锁|应急|生理|身体|免疫|排异|条件|市场)$")
_REACTING_AFTER = re.compile(
    "迅速|灵敏|强烈|热烈|速度|时间|能力|过度|不及|慢|快|平平|冷淡|良好|积极|不一|情况(?:下|时)"
)
_REPORTING_BEFORE = re.compile(
    "(?:如实|真实|客观|集中|及时向|向上级|问题[^，。；：！？、\n]{0,5}|向[^，。；：！？、\n]{1,8}"
    "|群众|市民|居民|网民|村民)$"  # 群众反应较为集中的问题 (群众反应热烈: a reaction, by 热烈)
)


# 群众反应强烈的城区入学难问题: strong is what is reported of a problem that follows.
_STRONGLY_REPORTED = re.compile(
    "(?:强烈|集中|较多|突出)的[^，。；：！？、\n]{0,10}?(?:问题|诉求|意见)"
)


def _fanying(text: str, start: int, end: int) -> Finding | None:
    lo = start - 8 if start > 8 else 0
    if _REACTING_BEFORE.search(text, lo, start):
        return None
    if _REACTING_AFTER.match(text, end) and not _STRONGLY_REPORTED.match(text, end):
        return None
    if not (_REPORTED.match(text, end) or _REPORTING_BEFORE.search(text, lo, start)):
        return None
    return new_finding(
        "confusable", WARN, start, end, "反应", "反映",
        "疑似错别字：反应 → 反映（反映问题、意见、情况）", "confusable:反应+语境",
    )  # fmt: skip


# 截止 ends something (报名截止, 截止日期); 截至 is "up to" a point in time, which must
# follow it: before a mark of a pause it stands for 截止 (截至日期 is a listed miswriting).
_ENDED = re.compile("[，。；！？、]")


def _jiezhi_ended(text: str, start: int, end: int) -> Finding | None:
    if not _ENDED.match(text, end):
        return None
    return new_finding(
        "confusable", WARN, start, end, "截至", "截止",
        "疑似错别字：截至 → 截止（表示到时停止用“截止”，如“报名截止”“截止日期”）",
        "confusable:截至+语境",
    )  # fmt: skip


# 一幅画, 一副对联: the measure word by the thing counted. The anchors are the measure
# after a numeral or a demonstrative; the counted noun is looked for in its clause.
_MEASURE_NOUNS = re.compile(
    "(?P<fu2>画(?!家|师|院|展|廊|室|册|笔|风|坛)|图(?!书)|作品|照片|相片|标语|地图|书法|字画"
    "|画卷|海报|剪纸|刺绣|绣品|挂毯|唐卡|年画|漫画|版画|山水|风景|景象|场景|图景|蓝图|长卷)"
    "|(?P<fu4>对联|春联|楹联|挽联|眼镜|手套|扑克|球拍|担子|重担|嘴脸|面孔|耳环|碗筷|架势"
    "|模样|样子|神情|表情|面具|铠甲|身板|口吻|腔调|心肠|老花镜|花镜|担架)"
    # A flag, a mirror, a drum: 一面锦旗.
    "|(?P<mian4>锦旗|国旗|党旗|团旗|队旗|会旗|校旗|红旗|彩旗|旗帜|镜子|铜镜|穿衣镜|铜鼓|大鼓|战鼓)"
)
_MEASURE_STOP = re.compile("[，。；：！？、\n“”《》（）]")


def _measure_noun_end(text: str, i: int, hi: int) -> int:
    m = _MEASURE_NOUNS.match(text, i, hi)
    return m.end() if m is not None else 0


def _measure(text: str, start: int, end: int) -> Finding | None:
    hi = end + 10 if end + 10 < len(text) else len(text)
    stop = _MEASURE_STOP.search(text, end, hi)
    if stop is not None:
        hi = stop.start()
    noun = _MEASURE_NOUNS.search(text, end, hi)
    if noun is None:
        before = _noun_before_count(text, end, _measure_noun_end)  # 对联300余幅
        noun = _MEASURE_NOUNS.fullmatch(before) if before is not None else None
        if noun is None:
            return None
    written = text[end - 1]
    right = {"fu2": "幅", "fu4": "副", "mian4": "面"}[noun.lastgroup or "fu4"]
    if written == right:
        return None
    return new_finding(
        "confusable", WARN, end - 1, end, written, right,
        f"疑似错别字：{written} → {right}（{noun.group()}的量词用“{right}”）",
        "confusable:副幅+量词" if right != "面" else "confusable:面+量词",
    )  # fmt: skip


# 一棵树, 一颗星, 一座桥, 一支队伍, 一只鸟, 一面锦旗, 一盏灯: the measure word by the thing
# counted (《现代汉语词典》; 国家语委《现代汉语常用量词用法》). Each row: the measures a noun
# takes (the first is the one suggested) and the nouns (what may not follow them in a
# longer word). Nouns of several rows take the measures of each.
_COUNTED_ROWS = (
    ("棵株", "树(?!叶|枝|干|根|林|荫|木|梢|冠|脂|种|龄|桩|洞|皮)|树苗|幼苗|古树|大树|小树|松树"
     "|柏树|榕树|银杏|梧桐|白菜|果树|桃树|柳树|樟树|槐树|杨树|枣树|桂花树|樱花树|石榴树|苹果树"
     "|老树|香樟|白杨|青松|翠柏|红豆杉|铁树|小草|青草|树木|古木|名木|古树名木|古槐|老槐|古柏"
     "|古松|古榕|古梅|古银杏|老梅|腊梅树|桂树|柿子树|核桃树|梨树|杏树|李树"),
    ("颗粒枚", "星(?!期|级|座|空|光|夜|辰|巴克)|星星|心(?![愿得意情中里理目灵态声血思想境胸])"
     "|牙(?!膏|刷|科|医)|牙齿|种子|珍珠|明珠|东珠|珠子|纽扣|卫星|行星|子弹|糖果|钻石|宝石|草莓"
     "|樱桃|露珠|泪珠|棋子|红心|初心|爱心|童心|雄心|恒心|决心|果实|红枣|石子|流星|陨石|铁陨石"
     "|螺丝"),
    ("座栋幢处所", "山(?!区|村|羊|歌|水|河|东|西|路|门|庄)|大山|高山|青山|桥(?!头|梁工|下)|大桥"
     "|石桥|古桥|拱桥|石拱桥|廊桥|城(?!管|乡|区|里|中|内|外|市场|墙)|城市|古城|县城|小城|新城"
     "|楼(?!下|上|梯|层|道|盘|顶)|大楼|高楼|塔(?!吊)|古塔|宝塔|砖塔|佛塔|寺(?!院管)|寺庙|寺院"
     "|庙(?!会)|古刹|宫殿|博物馆|纪念碑|纪念馆|展览馆|美术馆|科技馆|体育馆|图书馆|文化馆|剧院"
     "|大剧院|场馆|房子|房屋|村庄|村落|岛(?!民|上)|岛屿|小岛|水库|大坝|古镇|小镇|城堡|公园|花园"
     "|加油站|加气站|充电站|变电站|污水处理厂|水厂|电站|水电站|泵站"
     "|园林|牌坊|石碑|丰碑|亭子|凉亭|院落|宅院|四合院|民居|古建筑|建筑|大厦|宝库|灯塔|山峰|高峰"
     "|钟楼|城楼|鼓楼|庄园|府邸|祠堂|宗祠|书院|会馆|戏台|古戏台|教堂|清真寺|陵墓|古墓|墓葬|长城"
     "|工厂|厂房|港口|码头|车站|电站|粮仓|矿山|雕塑|石窟"),
    ("所座家", "学校|大学|中学|小学|幼儿园|医院|卫生院|学院|研究所|养老院|福利院|寄宿制学校"),
    ("间座家", "书房|城市书房|阅读空间|驿站|书吧"),
    ("台部个套", "设备|仪器|检测仪|快速检测仪|加油机|机器人|核磁共振仪|呼吸机|监护仪|血压计"
     "|电梯|扶梯|自动售货机|售票机|闸机|摄像头|显示屏|电子屏|充电桩|检测设备|医疗设备"),
    ("座尊个只", "奖杯|水晶奖杯|金杯|奖座"),
    ("个块片座", "篮球场|足球场|球场|网球场|羽毛球场|排球场|运动场|操场|停车场|广场"),
    ("张", "乒乓球台|台球桌|课桌|讲桌|办公桌|会议桌|病床|折叠床"),
    ("栋幢座", "楼房|住宅楼|住房楼|办公楼|教学楼|宿舍楼|写字楼|居民楼|保障性住房楼"),
    ("块面个", "标识牌|公示牌|指示牌|警示牌|宣传牌|展示牌|价格公示牌|标牌|铭牌|招牌|宣传栏|公告栏"),
    ("部册本套卷种", "方志|地方志|县志|刻本|善本|古籍善本|抄本|志书|丛书|全集|文集"),
    ("双只", "运动鞋|皮鞋|布鞋|鞋子|拖鞋|球鞋"),
    ("场次个", "讲座|公益讲座|比赛|展览|报告会|音乐会|研讨会|培训班|招聘会"),
    ("块个盒", "月饼|肥皂|香皂"),
    ("间套", "房间|屋子|教室|办公室|会议室|展室|病房|宿舍|客房|卧室|书房|厨房|茶室|工作室|店铺"
     "|门面|平房|瓦房|草房|小屋|阅览室|活动室|母婴室|哺乳室|休息室|储藏室|房子|展厅"),
    ("支枝管", "笔(?!记|者|试|画|墨|名|迹|会)|毛笔|钢笔|铅笔|画笔|口红"),
    ("支杆条把", "枪(?!手|声|击|支)|步枪|手枪|猎枪|长枪"),
    ("支队个", "队伍|队(?!员|长|友|形|列)|船队|车队|舰队|球队|乐队|部队|军队|团队|舞蹈队|代表队"
     "|服务队|救援队"
     "|医疗队|工作队|宣传队|考察队|施工队|演出队|突击队|力量|劲旅|生力军|铁军|先锋队|轻骑兵"
     "|志愿服务队|志愿服务队伍|志愿者队伍|文艺队伍|人才队伍|骨干队伍"),
    ("首支曲", "歌(?!手|星|声|词|剧|迷|厅|坛|舞)|歌曲|乐曲|曲子|舞曲|民歌|儿歌|童谣|赞歌|颂歌"
     "|情歌|名曲|金曲|老歌|红歌|校歌|组曲|交响曲|协奏曲"),
    ("首篇", "诗(?!人|意|句|集|社|歌节|词大会|情)|诗歌|诗词|古诗|唐诗|宋词|新诗|词作|律诗|绝句"),
    ("支根", "蜡烛|香烟|烟(?!花|火|雾|草|台|囱)|竹竿|火柴"),
    ("枝支朵束", "(?:鲜花|玫瑰|梅花|桃花|荷花|菊花|月季|百合|红梅|腊梅|蜡梅|杏花|梨花"
     "|桂花)(?!鹿|形|拳|桩|糕|酥|茶|酒|饼|园|节|展|村|山|路|街|图|树|林|香)"),
    ("条", "心(?=[，。；、！？])|心一意"),
    ("条尾", "鱼(?!类|塘|苗|竿|肉|刺|鳞)|锦鲤|鲤鱼|金鱼|草鱼|鲫鱼|鳜鱼|鲈鱼|中华鲟|江豚"),
    ("口眼", "井(?!盖|口|水|下|上)|古井|水井|老井|深井|温泉井"),
    ("份张", "报纸|报刊|日报|晚报|简报|刊物|问卷|调查问卷"),
    ("条块张床", "毛巾|浴巾|围巾|丝巾|手帕|毯子|被子|床单|哈达"),
    ("门尊", "炮(?!火|弹|声|兵|台|楼)|大炮|铁炮|火炮|铜炮|礼炮|红衣大炮"),
    ("盆个", "盆景|盆栽|盆花"),
    ("出台场部", "黄梅戏|京剧|越剧|昆曲|豫剧|川剧|粤剧|评剧|折子戏|花鼓戏|采茶戏|木偶戏|皮影戏"),
    ("只", "鸟(?!类|巢|瞰|语)|小鸟|飞鸟|候鸟|鸡(?!蛋|肉|汤|毛)|鸭(?!蛋|肉)|鹅(?!蛋|肉|毛)|蝴蝶"
     "|蜜蜂|蚂蚁|青蛙|乌龟|海鸥|白鹭|天鹅|丹顶鹤|喜鹊|燕子|鸽子|麻雀|老鹰|孔雀|仙鹤|鸳鸯|黑天鹅"
     "|东方白鹳|朱鹮|苍鹭|夜鹭|野鸭|大雁"),
    ("只头条", "猫(?!头鹰|眼)|小猫|狗(?!尾)|小狗|羊(?!肉|毛|群|绒|角)|山羊|绵羊|羚羊|兔子|小兔"
     "|老虎|熊猫|大熊猫|猴子|狮子|松鼠|鹿(?!角|茸)|梅花鹿|狐狸"),
    ("头只", "牛(?!奶|肉|仔|皮|角|市|气|人)|牦牛|水牛|黄牛|奶牛|耕牛|猪(?!肉|皮)|大象|骆驼|狮子"
     "|老虎"),
    ("匹", "马(?!路|上|车|拉松|戏|术|克|桶|达|铃薯|头琴|年)|骏马|战马|蒙古马|白马|黑马|小马"
     "|枣红马"),
    ("只双", "手(?!机|表|段|续|工|艺|套|册|绢|球|法|术|稿|势|下|中|里|上|边|头|腕|指|掌|提|电"
     "|持|抄|写|感|绘|作|游|信|记|环|镯|链|办|扶|柄|杖|榴)|眼睛|耳朵|鞋(?!店|厂|业|柜)|袜子"
     "|手套|靴子"),
    ("只个件", "瓶(?!装|子装|颈)|花瓶|梅瓶|瓷瓶|碗(?!筷)|瓷碗|杯子|茶杯|箱子|盘子|瓷盘|罐子"
     "|陶罐|篮子|手表|手镯|耳环|玉镯"),
    ("艘条只", "船(?!员|长|票|舶|只|坞|厂|业|期|体|头|尾|闸)|轮船|游船|渔船|货船|客船|帆船|游艇"
     "|快艇|军舰|舰艇|航母|画舫|邮轮|游轮|渡船|木船|乌篷船|电动游船|观光船|巡逻艇"),
    ("条艘支", "龙舟|龙船|赛龙舟"),
    ("枚件", "奖牌|金牌|银牌|铜牌|邮票|硬币|纪念币|铜钱|五铢钱|钱币|古钱币|印章|勋章|徽章|奖章"
     "|纪念章|胸章|导弹|火箭|鸡蛋|戒指|纪念奖章|印|玺|铜印|玉玺|私印"),
    ("尊座件", "雕像|佛像|塑像|铜像|石像|菩萨|造像|坐像|立像|卧佛|神像|天王像|泥塑|鼎|青铜鼎"
     "|铜鼎|铜佛|石佛|石狮"),
    ("篇份", "文章|论文|报道|日记|作文|讲话稿|稿子|散文|评论|社论|游记|通讯|调研报告|心得"
     "|心得体会|美文|檄文|童话|随笔|杂文|短文|课文|读后感|观后感|征文"),
    ("片块", "树叶|叶子|森林|树林|草地|草原|草坪|海洋|大海|天空|蓝天|土地|热土|沃土|花海|竹林"
     "|麦田|稻田|田野|绿洲|汪洋|废墟|沙漠|湿地|荒地|空地|林海|云彩|乌云|欢呼声|欢声笑语|景象"),
    ("件套身", "衣服|衣裳|外套|衬衫|大衣|毛衣|旗袍|汉服|唐装|长袍|马褂|戏服|戏曲服饰|服饰|女褂"
     "|褂子|棉袄|袄|马甲|长衫|披风|斗篷|龙袍|朝服"),
    ("件份个", "礼物|礼品|展品|文物|藏品|器物|珍品|瓷器|艺术品|事情|大事|好事|小事|喜事|实事"
     "|案件|案子|家具|行李|商品|物品|宝贝|工艺品|青铜器|玉器|漆器|书画|字画|作品|珍宝|国宝|展品"),
    ("架台部", "飞机|客机|战机|直升机|无人机|钢琴|照相机|相机|望远镜|梯子|风车|水车"),
    ("辆台部", "车(?!间|站|票|位|道|程|次|牌|头|尾|厢|队|库|流|速|主|身|型|手|祸|展|友|门|轮)"
     "|汽车|观光车|大巴|巴士|公交车|自行车|电动车|出租车|救护车|消防车|房车|校车|班车|摆渡车"
     "|电瓶车|接驳车|接驳巴士|小汽车|卡车|货车|轿车|马车|三轮车|旅游大巴"),
    ("张", "门票|车票|机票|船票|票(?!价|务|房|面|据|数)|入场券|优惠券|门券|观演票"),
    ("张幅枚份本", "纸(?!张|质|巾|币|箱|杯|盒)|照片|地图|表格|名片|海报|证书|奖状|光盘|桌子"
     "|床(?!位|铺)|椅子|书桌|餐桌|长桌|方桌|圆桌|木桌|八仙桌|弓(?!箭)|角弓|网(?!站|上|络|页|点"
     "|友|民|格|红|吧|店|购|球)|渔网|读者证|借书证|身份证|贺卡|明信片|邀请函|请柬"),
    ("面块件枚", "锦旗|国旗|党旗|团旗|队旗|会旗|校旗|红旗|彩旗|旗帜|镜子|铜镜|穿衣镜|鼓(?!励|舞"
     "|掌|动|吹|楼|起|足)|铜鼓|大鼓|战鼓|墙(?!上|内|外|体|壁|面|角|根)|照壁|影壁"),
    ("盏只个", "灯(?!光|火|会|饰|塔|笼|谜|具|泡|箱|杆|柱)|路灯|油灯|明灯|台灯|宫灯|花灯|孔明灯"
     "|灯笼|青瓷油灯"),
    ("块方面枚", "匾额|牌匾|匾|石头|青砖|墙砖|城砖|玉石|展板|牌子|黑板|石碑|碑刻|界碑|蛋糕|奖牌"
     "|陨石|手表|木板|石板|石刻|瓦当|画像石|墓志"),
    ("台部", "电脑|计算机|机器|设备|电视|电视机|空调|冰箱|洗衣机|发电机|打印机|复印机|挖掘机"
     "|收割机|拖拉机|晚会|大戏|戏(?!曲|剧|院|迷|服|台)|演出|节目|缝纫机|织布机|纺车|留声机"
     "|收音机"),
    ("部集", "电影|影片|纪录片|电视剧|动画片|宣传片|微电影|短片"),
    ("部篇本套", "著作|小说|专著|长篇|作品|史书|法律|法规|宪法|条例|法典|剧作|话剧|歌剧|舞剧"),
    ("部台个只", "手机"),
    ("家个座", "旅行社|企业|公司|酒店|饭店|宾馆|民宿|餐厅|商店|超市|银行|农家乐|书店|茶馆"
     "|电影院|影院|商场|工厂|文创店|旅游企业|星级酒店|旅游饭店"),
    ("把张", "椅子|刀(?!具|法|工|片|口)|伞(?!兵)|雨伞|钥匙|扇子|剑(?!客|法|术)|青铜剑|宝剑|剪刀"
     "|茶壶|尺子|斧头|锄头|太师椅|交椅|扫帚"),
    ("把张架", "古琴|琵琶|吉他|二胡|小提琴|古筝|扬琴|箜篌"),
    ("把只个", "锁(?!定)|银锁|长命锁|铜锁"),
    ("根棵株支条", "竹子|竹竿|木棍|绳子|丝线|头发|骨头|柱子|木头|甘蔗|象牙|筷子|钢筋|石柱|木柱"
     "|立柱|廊柱|楠木柱"),
    ("座间个", "仓库|库房|厂房|老仓库"),
    ("条道", "路(?!线|口|面|况|灯|费|人|边|上|段|基|程|径|演)|道路|线路|旅游线路|精品线路"
     "|精品旅游线路|河(?!道|流域|边|畔|岸|面|水|段|长)|河流|鱼(?!类|塘|苗|竿|肉|刺|鳞)"
     "|街(?!道办|区|头|边|舞)|街道|小巷|巷子|消息|新闻|建议|措施|意见|经验|短信|评论|留言|围巾"
     "|裤子|领带|裙子|龙(?!舟|井|头|灯)|长廊|走廊|步道|绿道|隧道|航线|公路|铁路|高速公路|地铁线"
     "|规定|标语|横幅|老街|古街|步行街|小街|石板路|风景线|裤子|短裤|长裤|裙子"),
    ("本册部套", "书(?!法|画|记|店|屋|房|院|桌|架|包|香|签|面|写|信|刊|籍目)|图书|书籍|杂志"
     "|画册|词典|字典|相册|笔记本|护照|日历|台历|书刊|刊物|期刊|绘本|连环画|族谱|家谱|古籍|典籍"
     "|教材|读物"),
    ("封份", "信(?!息|心|号|用|任|誉|念|仰|访|件|箱|贷|托)|书信|家书|感谢信|表扬信|慰问信"
     "|倡议书|公开信"),
)  # fmt: skip
# The measures a writer may put wrong: each counts its own kind of thing. Not 个, 种, 批, 套,
# 组, 对, 片, 份, 家, 处, 件, 块 and the like, which count almost anything, nor 把 (一把抓起);
# and the words of the same sound written for a measure (一坐 for 一座, 两梅 for 两枚, 一珠
# for 一株, 一峰 for 一封). Not 一步 for 一部: 进一步 and 下一步 stand in every text.
MEASURES = "棵颗座支只枝张枚艘辆架首篇部间所尊盏台头匹条根本封面"
_COUNTED_MISTAKEN = MEASURES + "坐搜嫂梅玫樽遵驾抬珠跟峰章快"  # and words of their sound
# Of those, the words of another sound's measure, read only before their noun (三十章 is no
# slip: a novel's chapters).
_COUNTED_SLIPS = frozenset("坐搜嫂梅玫樽遵驾抬珠跟峰章快")
# And those that are common words of their own, read only by the noun right after them or
# after their 的 (这快 of 这快递, 一章 of 第一章节).
_WEAK_SLIPS = frozenset("快章跟")


def _alternatives(pattern: str) -> list[str]:
    """The alternatives of ``pattern``: split at the bars outside brackets."""
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(pattern):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    parts.append(pattern[last:])
    return parts


# A noun of the table: the text that may not follow it (树 not before 叶: 树叶 is no tree),
# or the characters one of which must (心 before a mark: 一条心).
_NounCheck = tuple[tuple[str, ...], str | None]


def _noun_variants(part: str) -> list[tuple[str, _NounCheck]]:
    """The nouns of one alternative of a row (``树(?!叶|枝)``, ``(?:鲜花|玫瑰)(?!鹿)``,
    ``心(?![愿得])``, ``心(?=[，。])``) and what each asks of what follows it."""
    if part.startswith("(?:"):
        close = part.index(")")
        words, rest = part[3:close].split("|"), part[close + 1 :]
    else:
        cut = part.find("(?")
        words, rest = [part if cut < 0 else part[:cut]], "" if cut < 0 else part[cut:]
    not_before: tuple[str, ...] = ()
    only_before = None
    if rest:
        kind, body = rest[:3], rest[3:-1]
        if kind not in ("(?!", "(?=") or not rest.endswith(")") or "(" in body:
            raise ValueError(f"a noun of the measures' table this reader cannot read: {part}")
        chars = body[1:-1] if body.startswith("[") and body.endswith("]") else None
        if kind == "(?!":
            not_before = tuple(chars) if chars is not None else tuple(body.split("|"))
        elif chars is None:
            raise ValueError(f"a noun of the measures' table this reader cannot read: {part}")
        else:
            only_before = chars
    return [(word, (not_before, only_before)) for word in words]


def _counted_nouns() -> tuple[dict[str, list[_NounCheck]], dict[str, str]]:
    """Every noun of the table with what follows it may be, and the measures it takes."""
    checks: dict[str, list[_NounCheck]] = {}
    measures: dict[str, str] = {}
    for taken, nouns in _COUNTED_ROWS:
        for part in _alternatives(nouns):
            for noun, check in _noun_variants(part):
                checks.setdefault(noun, []).append(check)
                measures[noun] = measures.get(noun, "") + taken
    return checks, measures


_NOUN_CHECKS, _NOUN_MEASURES = _counted_nouns()
_NOUN_LENGTHS = sorted({len(noun) for noun in _NOUN_CHECKS}, reverse=True)


def _table_noun(text: str, i: int, hi: int) -> int:
    """The end of the longest noun of the table at ``i`` that ends by ``hi`` and is not
    followed (before ``hi``) by what it may not be; 0: none."""
    for n in _NOUN_LENGTHS:
        end = i + n
        if end > hi:
            continue
        checks = _NOUN_CHECKS.get(text[i:end])
        if checks is None:
            continue
        for not_before, only_before in checks:
            if only_before is not None:
                if end < hi and text[end] in only_before:
                    return end
            elif not any(text.startswith(w, end) and end + len(w) <= hi for w in not_before):
                return end
    return 0


# Where the noun phrase after a measure ends: a mark, a word that starts what is said of it
# (是, 在, 均, 将...), an aspect (着, 了, 过), or another numeral and measure.
_ENDING_WORDS = "着了过是在为被把将已正均都也还又就可能会要让使给从向对与和及并或等"


def _phrase_end(words: str) -> re.Pattern[str]:
    return re.compile(
        f"[，。；：！？、\n“”《》（）()]|[{words}]"
        f"|[一二三四五六七八九十两几这那每][{_COUNTED_MISTAKEN}个种]"
    )


_PHRASE_END = _phrase_end(_ENDING_WORDS + "于由")
# Where a modifier with 的 ends: the same but for 于 and 由 (始建于清代的, 由……组成的).
_MODIFIER_END = _phrase_end(_ENDING_WORDS)
_PHRASE_REACH = 14
_COUNTED_ADJECTIVE = re.compile(
    "(?:小小的|大大的|小|大|古|老|新|高|矮|长|短|粗|细|参天|百年|千年|古老|高大|粗壮|嫩绿|崭新"
    "|精干|年轻|专业|美丽|漂亮|可爱|雄伟|巍峨|宏伟|壮观|闪亮|璀璨|明亮|鲜红|金色|红色|白色|绿色"
    "|黑色|巨大|小型|大型|中型|精美|珍贵|古朴|小巧|全新|普通|传统|木质|石质|铜质"
    "|白|黑|红|黄|绿|蓝|青|紫|灰|金|银)?"
)
NUMERALS_BEFORE_MEASURE = "一两三四五六七八九十百千万几这那每数多余某哪半0123456789"
_HEAD_AT_END_REACH = 8  # a longer phrase is read only by its 的 and its first noun
_VERB_IN_PHRASE = re.compile(
    "参加|参与|举行|举办|开展|进行|获得|完成|成为|位于|建成|开放|实施|提供|组成|包括|配备|设有"
    "|拥有|出土|展出|入选|荣获|带来|迎来|吸引|承担|负责|参观|观看|观赏"
)
_DIGITS = frozenset("0123456789")
_MEASURE_IN_WORD_FREQ = 100  # a measure and the character after it this common: a word (快递)
_PLACE_AFTER = frozenset("上下里中内外边旁前后")


def _counted_noun(text: str, i: int, hi: int) -> tuple[int, int] | None:
    """The span of a noun of the table at ``i``; one character only where it makes no word
    with the character after it (船 of 船队, 手 of 手卷 is none)."""
    end = _table_noun(text, i, hi)
    if not end:
        return None
    if (
        end - i == 1
        and end < len(text)
        and text[end] not in _PLACE_AFTER
        and _FREQ.get(text[i : i + 2], 0) >= SINGLE_WORD_FREQ
    ):
        return None
    # A noun of the table right after it is the head of the two (龙舟队: 队, 船队: 队).
    while then := _table_noun(text, end, hi):
        i, end = end, then
    return i, end


# The measures after which 二 is read by the numbers' rule (二个 → 两个).
ER_MEASURES = frozenset("个辆件张条项家所座只支天岁场种户棵枚艘架尊盏匹头趟把双对块间幅副首篇")
_COUNT_CHARS = frozenset("0123456789一二两三四五六七八九十百千万几余多近约共计有")
_COUNT_AFTER = re.compile("[，。；：！？、\n）)]|$")


def _noun_before_count(text: str, end: int, noun_end: Callable[[str, int, int], int]) -> str | None:
    """对联300余幅, 纪录片二十篇: the noun right before the count whose measure ends at
    ``end``, when the measure ends its clause."""
    if not _COUNT_AFTER.match(text, end):
        return None
    lo = end - 1
    while lo and text[lo - 1] in _COUNT_CHARS:
        lo -= 1
    if lo == end - 1:
        return None
    for i in range(max(0, lo - 6), lo - 1):
        if noun_end(text, i, lo) == lo:  # (of two characters at least: 象牙 is no 牙)
            return text[i:lo]
    return None


def counted(text: str, start: int, end: int) -> Finding | None:
    """一颗树苗 → 棵, 一只队伍 → 支, 两本门票 → 张: the measure after a numeral, where the
    noun phrase after it names a thing that takes other measures. The phrase's head is read
    three ways, in this order: the noun right after the measure (一只手拿着), the noun
    after the phrase's last 的 (一座古老的石桥), the noun the phrase ends with
    (一坐综合性美术馆|，); a measure that any of them takes is right (一座城市的名片). With
    none of them, the noun before the count (对联300余幅)."""
    written = text[end - 1]
    if written not in _COUNTED_MISTAKEN:
        return None  # (二个, from the numbers' rule: 个 counts anything)
    lo = start
    while lo and text[lo - 1] in _DIGITS:
        lo -= 1
    if lo and text[lo - 1] == "第":
        return None  # 第六条, 第10条, 第三首: an ordinal, no count
    if _JOIN_WORDS is None:
        join_words()  # (the word frequencies, read once)
    if _FREQ.get(text[end - 1 : end + 1], 0) >= _MEASURE_IN_WORD_FREQ:
        return None  # 一部分, 统一台湾, 一只是: the measure is part of a word
    at = end + 1 if text[end : end + 1] == written else end  # 一棵棵
    reach = min(len(text), at + _PHRASE_REACH)
    stop = _PHRASE_END.search(text, at, reach)
    hi = stop.start() if stop is not None else reach
    heads: list[str] = []
    m = _counted_noun(text, at, hi) or _counted_noun(
        text,
        _COUNTED_ADJECTIVE.match(text, at, hi).end(),  # type: ignore[union-attr]
        hi,
    )
    if m is not None:
        heads.append(text[m[0] : m[1]])
        if written in _NOUN_MEASURES[heads[0]]:
            return None  # the common case, settled at once
    # The modifier with 的 may hold 于 and 由, as a clause of its own does (始建于清代的,
    # 由中学生组成的); the noun after 的 that reaches furthest, up to the words that end
    # the phrase after it (织锦旗袍: 旗袍, not 锦旗; 彩灯|把古城装点).
    modifier = _MODIFIER_END.search(text, at, reach)
    of = text.rfind("的", at, modifier.start() if modifier is not None else reach)
    if of > at:
        cut = _PHRASE_END.search(text, of + 1, reach)
        end_of = cut.start() if cut is not None else reach
        after = [_counted_noun(text, j, end_of) for j in range(of + 1, min(end_of, of + 5))]
        found = [m for m in after if m is not None]
        if found:
            first, last = max(found, key=lambda m: (m[1], -m[0]))
            heads.append(text[first:last])
    if (
        stop is not None
        and hi - at <= _HEAD_AT_END_REACH
        and written not in _WEAK_SLIPS
        and not _VERB_IN_PHRASE.search(text, at, hi)  # 16支船队参加比赛: 比赛 is not counted
    ):
        # 两坐宋代砖塔|均为 (not for a weak slip: 这快递员送来的门票)
        for i in range(hi - 2, at - 1, -1):
            m = _counted_noun(text, i, hi)
            if m is not None and m[1] == hi and m[1] - m[0] > 1:
                heads.append(text[m[0] : m[1]])
                break
    noun = (
        None if heads or written in _COUNTED_SLIPS else _noun_before_count(text, end, _table_noun)
    )
    if noun is not None:
        heads.append(noun)
    if not heads or any(written in _NOUN_MEASURES.get(h, written) for h in heads):
        return None
    right = _NOUN_MEASURES[heads[0]][0]
    return new_finding(
        "confusable", WARN, end - 1, end, written, right,
        f"疑似错别字：{written} → {right}（{heads[0]}的量词用“{right}”）",
        f"confusable:{right}+量词",
    )  # fmt: skip


def _adverbial(adverb: str) -> Callable[[str, int, int], Finding | None]:
    """认真的做好 → 认真地, unless a verb before makes it a noun phrase (受到热情的接待)."""
    judge_pair = _pair(adverb + "的", adverb + "地", "状语后用“地”", after=_VERBS + _PREPOSITIONS)

    def judge_adverbial(text: str, start: int, end: int) -> Finding | None:
        found = judge_pair(text, start, end)
        if found is None:
            return None
        if _NOUN_PHRASE_BEFORE.search(text, max(0, start - 10), start):
            return None
        if _UNDER.match(text, end):
            return None  # 在专家科学的指导下: the verb is a noun, what 下 stands under
        return found

    return judge_adverbial


# 达到 a number (达到1000人次); 到达 a place.
# A count, not a platform or an hour (到达12号站台, 到达8时).
_NUMBER_AFTER = (
    "(?:[0-9０-９]+(?:[.．][0-9]+)?|[一二三四五六七八九十百千两]{1,4})[万亿]?"
    "(?:人次|人|名|家|个|项|次|余|多|%|％|辆|件|场|部|元|倍|成)"
)
_NEEDED_THINGS = (
    "器材|设备|物资|用品|材料|条件|经费|资金|药品|费用|工具|设施|营养|证件|手续|装备|食品"
)
_STAFFED = "(?:[0-9]+|[一二两三四五六七八九十]+)名|专职|专人|全科医生|医生|教师|护士|人员"


# 台风预计将于今天夜间在沿海地区登录: a typhoon 登陆 (lands); one 登录 a website.
_STORMS = re.compile("台风|热带风暴|强热带风暴")


def _landed(text: str, start: int, end: int) -> Finding | None:
    lo, _ = _window(text, start, end, _CLAUSE_END)
    if _STORMS.search(text, lo, start) is None or text.startswith(_ONLINE_START, end):
        return None
    return new_finding(
        "confusable", WARN, start, end, "登录", "登陆",
        "疑似错别字：登录 → 登陆（台风、部队登陆；登录网站、账号）", "confusable:登录+语境",
    )  # fmt: skip


_ONLINE_START = tuple(_ONLINE.split("|"))
_BOOKED = "酒店|门票|房间|机票|车票|船票|客房|座位|餐位|席位|民宿|包间|场地|演出票"
WORD_PAIRS: dict[str, Callable[[str, int, int], Finding | None]] = {
    # 预订 a ticket or a room; 预定 is planned (预定于, 预定目标).
    "预定": _pair(
        "预定", "预订", "预订门票、酒店、房间", after=_BOOKED, reach=4, before="提前|在线|网上|扫码"
    ),
    "预订": _pair("预订", "预定", "预定于某时、预定计划", after="于|计划|目标"),
    "截至": _jiezhi_ended,
    "到达": _pair("到达", "达到", "达到某一数量", after=_NUMBER_AFTER),
    # 付 is no measure word at all (一付对联 → 一副).
    **{n + m: _measure for n in "一两三几这那每数余多0123456789" for m in "副幅付"},
    **{
        n + m: counted
        for n in NUMERALS_BEFORE_MEASURE + "二"
        for m in _COUNTED_MISTAKEN
        # 一件 is the slips' anchor for 意见 (征求一件); 二 before a measure, the numbers'
        # (二个 → 两个), which reads the measure when it does not find 二 wrong.
        if n + m != "一件" and not (n == "二" and m in ER_MEASURES)
    },
    # 登录 a website or an account; 登陆 is what a typhoon or troops do.
    "登陆": _pair("登陆", "登录", "登录网站、平台、账号", after=_ONLINE + _SITES, reach=12),
    "登录": _landed,
    # 浏览 a page; 游览 a place.
    "游览": _pair("游览", "浏览", "浏览网页、网站", after="网站|官网|网页|页面|公众号", reach=8),
    # 反映 a problem or an opinion; 反应 is a reaction.
    "反应": _fanying,
    # 泄露 information; 泄漏 is what gas or water does.
    "泄漏": _pair("泄漏", "泄露", "泄露信息、秘密", after=_SECRETS, before=_SECRETS),
    # 度过 a stretch of time; 渡过 a river or a hardship (渡过难关).
    "渡过": _pair("渡过", "度过", "度过一段时间", after=_SPELLS, reach=6),
    # 必须 before what must be done; 必需 before what is needed (必需品, 必需的).
    "必需": _pair("必需", "必须", "必须做某事", after=_NEEDED),
    # 必需的 before what is needed (教学必需的实验器材); 必须 is an adverb before a verb.
    "必须的": _pair("必须的", "必需的", "必需的物资、条件", after=_NEEDED_THINGS, reach=6),
    # 配备 people or equipment to a post (配备两名全科医生); 配置 resources and settings.
    "配置": _pair("配置", "配备", "配备人员", after=_STAFFED, reach=2),
    # 作出 a decision, an arrangement, a contribution (abstract things); 做 a concrete thing.
    "做出": _pair("做出", "作出", "作出决定、部署、贡献等", after=_ABSTRACT, reach=4),
    # 纪录 is a record set (创造纪录); 记录 is what is written down.
    "记录": _pair("记录", "纪录", "创造、打破纪录", before=_RECORD_SET),
    # 启用 a seal, a system, a building; 起用 a person.
    "起用": _pair(
        "起用",
        "启用",
        "启用印章、系统、场馆",
        after=_PUT_IN_USE,
        reach=4,
        before="全面|正式|同步|陆续|即将|暂停|停止",
    ),  # 在全市定点医疗机构全面起用
    # 品位 is a level of quality (城市品位); 品味 is to savour.
    "品味": _pair(
        "品味", "品位", "提升城市、文化品位", before="城市|文化|提升|提高|整体|艺术|高|低|有"
    ),
    **{adverb + "的": _adverbial(adverb) for adverb in _ADVERBIALS},
    **{
        adverb + "得": _pair(adverb + "得", adverb + "地", "状语后用“地”", after=_VERBS_AFTER_DE)
        for adverb in _ADVERBIALS_WITH_DE
    },
    # 不止 more than a number (接待游客不止十万人次); 不只 is "not only".
    "不只": _pair("不只", "不止", "超出某数用“不止”", after=_NUMBER_FOLLOWS),
    # 做好 a task; 作好 is not its written form.
    "作好": _pair(
        "作好",
        "做好",
        "做好准备、工作",
        after="准备|各项|工作|服务|保障|防范|安排|宣传|落实|衔接|统筹|应对",
    ),
    # 既是……又是.
    "即是": _pair("即是", "既是", "既是……又是", after="又是|也是", reach=30, stops="。；！？\n"),
    **{
        verb + particle: _pair(verb + particle, verb + "得", "补语前用“得”", after=_DEGREES)
        for verb in _COMPLEMENTED
        for particle in "的地"
    },
    **{
        verb + "的": _pair(verb + "的", verb + "得", "补语前用“得”", after=_DEGREES)
        for verb in _COMPLEMENTED_WITH_DE
    },
    # 既要……又要.
    "即要": _pair(
        "即要", "既要", "既要……又要", after="又要|也要|还要", reach=40, stops="。；！？\n"
    ),
}


# -- department abbreviations in a list of departments ---------------------------------
# "会同工商、公安、交通运输等部门": abbreviations of departments that the 2018 reforms
# merged away, named as an item of a list that ends in 等部门. The anchors are the
# abbreviations with what ends a list item (工商、, 工商和……, 工商等部门), so that the
# rule only runs where one stands, and never inside a longer word (工商业, 个体工商户).
_LIST_ITEM_ENDS = ("、", "和", "及", "与", "等部门")


def _old_department_in_list(text: str, start: int, end: int) -> Finding | None:
    _, hi = _window(text, start, end, _CLAUSE_END)
    if text.find("等部门", start, hi) == -1:
        return None  # not a list of departments (工商和税务登记)
    if _told_former(text, start):
        return None  # 整合了原工商、质监、食药监等部门的职责: the former ones, told
    old = text[start : end - 3] if text.endswith("等部门", start, end) else text[start : end - 1]
    now = _DEPARTMENT_NOW[old]
    message = f"机构名称或提法已变更：{old} → {now}（2018年机构改革）"
    severity = BLOCK
    sentence = _sentence(text, start, end)
    if _REFORM_YEAR.search(sentence) and _REFORM_WORDS.search(sentence):
        severity, message = WARN, message + HISTORY_NOTE  # told with the reform
    return new_finding(
        "outdated_name",
        severity,
        start,
        start + len(old),
        old,
        now,
        message,
        f"outdated_name:{old}部门",
    )


_DEPARTMENT_NOW = {
    "工商": "市场监管",
    "质监": "市场监管",
    "食药监": "市场监管",
    "安监": "应急管理",
    "卫计": "卫生健康",
    "计生": "卫生健康",
}


# Words for a group of countries that a region must not be counted in.
_COUNTRY_GROUPS = (
    "个国家", "其他国家", "其它国家", "亚洲国家", "周边国家", "欧美国家", "东南亚国家", "西方国家",
    "发达国家", "邻国", "各国", "东亚国家", "东北亚国家", "等外国",
)  # fmt: skip
# -- a duty that moved in the 2018 reform, told of a body that no longer has it ----------
# 退役士兵安置工作由市民政局统一组织实施 (退役军人事务局), 医疗保险……请咨询市人社局 (医疗保障局),
# 药品价格……发改委 (医疗保障局): 《深化党和国家机构改革方案》(2018) moved these duties to new
# bodies. Read in the sentence; not where it tells of the reform or the past, nor after 原.
_MOVED_DUTIES: tuple[tuple[tuple[str, ...], re.Pattern[str], str, str], ...] = (
    (
        ("民政局", "民政部门"),
        re.compile("退役士兵|退役军人|优抚|拥军优属|双拥|烈士褒扬|军休"),
        "退役军人事务局",
        "退役军人的安置、优抚等职责",
    ),
    (("民政局", "民政部门"), re.compile("医疗救助"), "医疗保障局", "医疗救助职责"),
    (
        ("人社局", "人社部门", "人力资源和社会保障局", "人力资源社会保障局"),
        re.compile("医疗保险|医保|生育保险|门诊共济"),
        "医疗保障局",
        "城镇职工和城乡居民基本医疗保险、生育保险职责",
    ),
    (
        ("发改委", "发展改革委", "发展和改革委员会", "物价局"),
        re.compile("药品价格|医疗服务价格|医药价格|药品和医疗服务价格|医药服务价格"),
        "医疗保障局",
        "药品和医疗服务价格管理职责",
    ),
)


def _duties_by_name() -> dict[str, list[tuple[re.Pattern[str], str, str]]]:
    by_name: dict[str, list[tuple[re.Pattern[str], str, str]]] = {}
    for names, duties, body, what in _MOVED_DUTIES:
        for name in names:
            by_name.setdefault(name, []).append((duties, body, what))
    return by_name


_DUTIES_OF = _duties_by_name()
# The names the bodies that have the duties now go by.
_NOW_NAMED = {
    "医疗保障局": ("医疗保障", "医保局", "医保部门"),
    "退役军人事务局": ("退役军人事务", "退役军人局"),
}


def _moved_duty(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _window(text, start, end, _SENTENCE_END)
    name = text[start:end]
    for duties, body, what in _DUTIES_OF[name]:
        if duties.search(text, lo, hi) is None:
            continue
        if _REFORM_WORDS.search(text, lo, hi) or any(w in text[lo:hi] for w in PAST_WORDS):
            return None  # it tells of the reform, or of the past
        if text.find("原", max(lo, start - 4), start) != -1:
            return None
        if any(text.find(now, lo, hi) != -1 for now in _NOW_NAMED[body]):
            return None  # 县人社局、县医保局联合开展: the duty's body named beside it
        return new_finding(
            "outdated_name", WARN, start, end, name,
            body if name.endswith("局") else None,
            f"机构名称或提法已变更：{name} → {body}（2018年机构改革，{what}划入{body}；"
            "以本地机构名称为准）",
            f"outdated_name:{name}+职责",
        )  # fmt: skip
    return None


# Anchor text -> rule. Each rule sees the anchor's span and returns a finding or None.
ANCHORS: dict[str, Callable[[str, int, int], Finding | None]] = {
    **dict.fromkeys(_DUTIES_OF, _moved_duty),
    "截止": _jiezhi,
    "零": _year_zero,
    "罪犯": _zuifan,
    "被告人": _beigaoren,
    "判处": _sentenced_by,
    "判决": _judged_penalty,
    "批准逮捕": _arrest_approved_by,
    "提案": _deputy_proposal,
    "议案": _member_motion,
    **dict.fromkeys(("犯罪分子", "杀人犯", "抢劫犯", "盗窃犯", "诈骗犯"), _named_offender),
    "等国家": _regions_as_countries,
    "等国": _regions_as_countries,
    "等多国": _regions_as_countries,
    "等多个国家": _regions_as_countries,
    "两国": _regions_as_countries,
    "三国": _regions_as_countries,
    "四国": _regions_as_countries,
    "五国": _regions_as_countries,
    "蒙古": _mongolia,
    # "台湾和其他国家", "日本、韩国、台湾等亚洲国家", "韩国、日本和台湾三个国家".
    **dict.fromkeys(_COUNTRY_GROUPS, _regions_as_countries),
    **WORD_PAIRS,
    **{old + mark: _old_department_in_list for old in _DEPARTMENT_NOW for mark in _LIST_ITEM_ENDS},
}

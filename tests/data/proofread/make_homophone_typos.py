"""Generate the input-method miswritings of common words: ``confusable_generated.tsv``.

Most miswritings in published text are one character replaced by another of the same
pinyin: the input method offered both and the wrong one was picked (安装 → 按装,
部署 → 布署). Of the single-character errors in the hand-made part of
``confusable.toml`` (public lists of common errors), nine in ten are such homophones.
No list can hold them all, but they can be derived, word by word, from public
sources:

* the word list and frequencies of jieba 0.42.1 (``jieba/dict.txt``, 349,045 words);
* the words and set phrases of official prose that jieba's dictionary (of about 2012)
  lacks or counts as rare (``official_words.txt`` beside this script, with its sources:
  赓续, 蹄疾步稳, 立行立改, 短板, 汛期, 莅临), each counted at least :data:`OFFICIAL_FREQ`,
  and each of whose same-syllable slips is kept, whatever its rank (in any tone, of
  those of three and four characters);
* the readings of characters and phrases of pypinyin 0.55.0 (``pinyin_dict``,
  ``phrases_dict``).

For every common word (by jieba frequency, counted higher for the words of the clean
text, which is official prose; no names of people, places or organisations) each
character is replaced in turn by each common character (the 3,500 most frequent) that
has the same reading and tone as that character in that word. A variant is kept only
when it is safe to report wherever it stands:

* it is no word of either dictionary (jieba's from :data:`MIN_REAL_FREQ` on: jieba
  holds some miswritings itself) and no part of one, so it cannot be a correct word
  nor lie inside one;
* correct text is unlikely to hold it across a word boundary that the checker does
  not read at run time: for every way of cutting it into the end of one word, whole
  words, and the start of another, the product of those pieces' frequencies (jieba's,
  as shares of all words) is summed, and the variant is dropped above
  :data:`MAX_BOUNDARY_RISK`. A cut the checker sees costs nothing: a hit whose first
  character makes a word with the one before it, or whose last with the one after, is
  no finding (:class:`Risk`). So a slip whose wrong character is itself a common word
  at either end (一如既往 → 以如既往, 一事无成 → 一事无城) is no longer left out: it is
  kept under the same measure, and reported only where its neighbours do not make it a
  boundary;
* it does not occur in the clean text given with ``--clean`` (what
  ``tests/domain/proofread/test_proofread_clean_guard.py`` reads: the tuning part of the
  labelled corpus, the message catalog, the templates; never the held-out part);
* neither it nor its right form touches an entry or a whitelist entry of the shipped
  lists given with ``--known``, nor the right form an anchor of the context rules (the
  confusable list's own whitelist aside: it names the correct text where the list keeps
  silent, 仿佛象 for 佛象, so the run gives the same list again); a variant inside listed
  terms alone that correct it the same way (登会 in 元宵登会 → 元宵灯会) is kept, as the
  phrase reads its slip where the variant alone stands at a word boundary.

Beside the one-character slips, a set phrase of four characters whose halves are words
(jieba's, and the phrases of ``official_words.txt`` made of two words) yields the phrase
with a half replaced by another word of the same sound (长效机制 → 长效机智, 产业融合 →
产业溶合): each half is a word, the phrase is the error. The same filters apply.

A right word picked for another of the same syllables inside a phrase (相应号召 for
响应号召, 爱护公务 for 爱护公物) is the input method's other common slip: each word is spelt
right, so no list of miswritten words holds it. :func:`word_swaps` derives such variants
of the phrases of two words (jieba's, pypinyin's, official prose's and the pairs of words of
the genre text) and keeps those that a language model of Chinese words (libime's, Debian's
``libime-data-language-model``, read with ``kenlm``) finds at least :data:`LM_MARGIN`
(log10) less likely than the phrase, with the note ``同音词误选``.

Of the same tone, the near sounds that pinyin input methods match alike (模糊音: z/zh, c/ch,
s/sh, n/l, f/h, an/ang, en/eng, in/ing) give the :data:`FUZZY_MAX_ENTRIES` likeliest
variants more of the phrases of four (严阵以待 → 严正以待), with the note ``近音误输入``.

A character dropped in fast typing from inside an idiom or a phrase of official prose of four
characters or more (因地制宜 → 因制宜, 以人民为中心 → 以人民中心) gives the
:data:`DROP_MAX_ENTRIES` likeliest variants more, under the same filters, with the note
``漏字``; the first and the last are not dropped (what is left is part of the phrase), and
a variant the language model of :func:`word_swaps` reads nearly as well as the phrase (创新
发展 of 创新性发展) is left out.

The same is done for the classic groups of look-alike characters (:data:`SHAPE_GROUPS`,
己已, 侯候, 拨拔: 形近字, the other tenth of the hand-made list's single-character errors),
under the same filters, the :data:`SHAPE_MAX_ENTRIES` likeliest, with the note ``形近误写``.

The :data:`MAX_ENTRIES` likeliest variants are kept (the word's frequency times the
substitute's share of the characters of that reading: an input method offers frequent
characters first), and of idioms and other phrases of four (their variants are read whole
at run time) a quota of their own: :data:`IDIOM_MAX_ENTRIES` of the same tone and
:data:`TONELESS_IDIOM_MAX_ENTRIES` of another. Each is written with its right form and
the note ``同音误输入``; the
severity is the list's default (warn). At run time the checker drops a hit that stands
across a word boundary (``domain/proofread/context.py``), reading the word list that
``--words`` writes. Run with the script's own tools installed (not dependencies of the
project)::

    pip install jieba==0.42.1 pypinyin==0.55.0 ahocorasick_rs kenlm==0.3.0
    apt-get install libime-data-language-model   # 1.0.16, the model of word_swaps
    python tests/data/proofread/make_homophone_typos.py --clean CLEAN.txt \\
        --known domain/proofread/lexicons/confusable.toml \\
        --known domain/proofread/lexicons/outdated_name.toml ... \\
        --words domain/proofread/word_freq.tsv --date 2026-12-02 --version 2026.12.3 \\
        > domain/proofread/lexicons/confusable_generated.tsv

The output is the generated part of the ``confusable`` list, which ``confusable.toml``
names (``generated = "confusable_generated.tsv"``): header lines, then ``wrong<TAB>right``
a line under a ``# note: ...`` line per note (the format is
``domain.proofread.lexicon.parse_generated``; :func:`format_generated` writes it). Give
it the list's new version and bump ``version`` in ``confusable.toml`` to match, so that
a check run records which entries it used.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import re
import sys
from collections.abc import Callable, Container, Mapping
from pathlib import Path
from typing import Any, NamedTuple

MIN_WORD_FREQ = 100  # jieba frequency of the words whose miswritings are generated
MIN_IDIOM_FREQ = 10  # the same for idioms (成语, 习用语: jieba parts of speech i and l)
# jieba holds many miswritings itself, at low frequencies (自已, 座落, 部份): a variant is
# taken for a correct word only from this frequency on (or when pypinyin reads it as a phrase).
MIN_REAL_FREQ = 10
JOIN_WORD_FREQ = 10  # the words of the boundary list (see --words)
_IDIOM_LENGTH = 4
COMMON_CHARS = 3_500  # substitutes are drawn from the most frequent characters
GENRE_WEIGHT = 1_000  # jieba frequency a word gains per occurrence in the genre text
MAX_ENTRIES = 92_000  # the likeliest: word frequency times the substitute's share of its reading
# Characters miswritten for one another by their look (形近), not their sound: the classic
# groups of the language-use handbooks, each character read as a slip for the others of its
# group. Their variants are scored like the homophones, times SHAPE_WEIGHT, and kept apart,
# the SHAPE_MAX_ENTRIES likeliest, with the note SHAPE_NOTE.
SHAPE_GROUPS = (
    "己已", "戊戌戍", "未末", "侯候", "拨拔", "栽裁", "辨辩辫", "赢羸嬴", "暮幕慕募墓",
    "籍藉", "竣峻", "菅管", "崇祟", "徙徒", "衷衰", "贷货", "析折拆", "即既", "炙灸",
    "冶治", "兢竞", "斑班", "晴睛", "卯卵", "刺剌", "壁璧", "腊蜡", "侍待", "恃持",
    "栗粟", "肓盲", "辍缀", "躁燥噪", "彻澈撤", "券卷", "纂篡", "茶荼", "颖颍",
    "怡贻", "味昧", "迄讫", "焕涣", "膺赝", "穷究", "概慨", "葺茸", "缔谛", "潢磺",
    "驰弛", "翱遨", "拆坼", "撒撤", "候喉", "嫡谪", "睹赌", "绊拌", "诣旨",
)  # fmt: skip
# More classic look-alike pairs of the handbooks' idiom lists (恪格, 赅骇, 簇族, 魄魂 ...).
SHAPE_GROUPS += (
    "恪格", "踔卓", "戮戳", "赅骇", "擞索", "疲彼", "赏尝", "崭暂", "鹄鹊", "隅偶", "窠巢",
    "蹈滔", "赖奈", "殄珍", "涉踄", "瞠嗔", "簿薄", "濡需", "唳泪", "愎腹", "喘揣", "掷郑",
    "簇族", "魄魂", "囊襄", "拙绌", "殊珠", "朔溯", "钧钩", "黩赎", "荏茬", "挈携", "喑暗",
    "鸩鸠", "笫第", "捺耐", "瞩属", "倍培", "脍烩", "锲契", "琢啄", "梁粱", "沿檐",
    "驿绎译", "跻挤济", "锈绣", "彰章", "塑朔", "湛堪", "莘辛", "截载",
)  # fmt: skip
# And the look-alikes of the words of notices (冷琏, 资肋, 教窒, 考拭, 水厍, 檀自, 辐区, 伐门,
# 铡门, 管踊, 一丝不荀, 防微杜浙, 畅通无沮; seen in blind set AV, 2026.12.30).
SHAPE_GROUPS += (
    "琏链", "肋助", "窒室", "拭试", "厍库", "檀擅", "辐辖", "伐阀", "铡闸", "踊涌", "瘴障",
    "悌梯", "抡抢", "独浊", "矢失", "荀苟", "浙渐", "沮阻", "诫戒", "锢固", "脾牌",
    "辑缉", "篮蓝", "箫萧", "赃脏", "历厉", "峰锋蜂", "练炼",
)  # fmt: skip
SHAPE_WEIGHT = 0.05
SHAPE_MAX_ENTRIES = 11_000
# Idioms (成语, 习用语) are rarer than everyday words, so the likeliest variants of all
# words leave most of them out; yet a miswritten idiom is among the commonest errors of
# the handbooks (美仑美奂, 再接再励). Their same-sound and look-alike variants are kept on
# a quota of their own, the IDIOM_MAX_ENTRIES likeliest beyond those kept already.
IDIOM_MAX_ENTRIES = 80_000
# jieba tags many set phrases of four characters as nouns, verbs, even names (开诚布公 n,
# 因势利导 n, 五谷丰登 nz, 成绩斐然 nr): every phrase of four that is no place, body,
# number or time is read as an idiom (its rare characters too, from MIN_IDIOM_FREQ on);
# one tagged as a name or another proper noun only from MISTAGGED_FREQ on, and when it is
# no two common words put together (:func:`composed`).
FOUR_SKIP_POS = frozenset({"ns", "nt", "nr", "nrt", "nrfg", "m", "eng", "x", "t"})
MISTAGGED_POS = frozenset({"nz", "nr"})
MISTAGGED_FREQ = 20
# The variants of idioms in another tone (防微杜渐 -> 防微杜减, 宵衣旰食 -> 宵衣肝食), the
# likeliest beyond TONELESS_MAX_ENTRIES: a four-character variant is read whole at run
# time, and correct text seldom holds one.
TONELESS_IDIOM_MAX_ENTRIES = 60_000
# A pinyin input method offers every character of a syllable whatever its tone (召开 →
# 招开, 成绩 → 成积). Weighed together with the same-tone slips, at MAX_ENTRIES, they
# crowded those out (the list covered fewer of the hand-made list's known miswritings);
# kept apart, the TONELESS_MAX_ENTRIES likeliest variants of another tone are added,
# scored like the others.
TONELESS_MAX_ENTRIES = 45_000
# Near sounds (近音): the initials and finals that many speakers do not tell apart and
# that pinyin input methods offer to match alike (模糊音: z/zh, c/ch, s/sh, n/l, f/h,
# an/ang, en/eng, in/ing): 严阵以待 → 严正以待, 争奇斗艳 → 增奇斗艳. Of phrases of four
# and the same tone, scored like the others, the FUZZY_MAX_ENTRIES likeliest beyond those
# kept already, with the note FUZZY_NOTE.
FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
FUZZY_FIRST = (("n", "l"), ("l", "n"), ("f", "h"), ("h", "f"))
FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))
FUZZY_MAX_ENTRIES = 30_000
FUZZY_NOTE = "近音误输入"
# A character dropped inside a set phrase (因地制宜 → 因制宜): see generate().
DROP_MAX_ENTRIES = 30_000
_NEGATIONS = frozenset("不没无非")
DROP_NOTE = "漏字"
HOMOPHONE_NOTE = "同音误输入"
WORD_NOTE = "同音词误选"  # a right word for another of its sound in a phrase (word_swaps)
# The language model of word_swaps: libime's model of Simplified Chinese words (KenLM, order
# 3), from Debian's package libime-data-language-model 1.0.16 (LGPL-2.1+).
LANGUAGE_MODEL = "/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm"
LM_MARGIN = 3.0  # the phrase at least 1,000 times likelier than the variant (log10 3)
SWAP_WORD_FREQ = 50  # jieba frequency of the words that may be picked for another
# The pairs of words that go together, read off the model (collocations): among its 8,000
# likeliest words of two characters, the second word following the first at least once in
# a thousand times, and thirty times as often as anywhere (log10 1.5).
LONGER_WORD_FREQ = 100  # a word of three this common (公元前, 公积金) makes its parts ambiguous
COLLOCATION_WORDS = 8_000
COLLOCATION_MIN = -3.0
COLLOCATION_PMI = 1.5
SHAPE_NOTE = "形近误写"
# The words and set phrases of official prose that jieba's dictionary (of about 2012) lacks
# or counts as rare (赓续, 立行立改, 短板 3, 台账 3): see the file's own header.
OFFICIAL_WORDS = Path(__file__).with_name("official_words.txt")
OFFICIAL_FREQ = 1_000  # as common as 合力 or 融合 in jieba's counts
MAX_BOUNDARY_RISK = 5e-7  # expected hits per word of correct text, across word boundaries
# that the checker does not read (see Risk): the cuts it reads cost nothing, so the bar is
# lower than it was for every cut (1e-5); words from frequency 100 on are generated too (丈量).
# Names of people, places, organisations, other proper nouns; numerals, foreign words.
SKIP_POS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "m", "mq", "eng", "x", "t", "tg"})
_CJK = re.compile(r"[\u4e00-\u9fff]+\Z")


def load_words(path: Path) -> dict[str, tuple[int, str]]:
    words: dict[str, tuple[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def load_official(path: Path = OFFICIAL_WORDS) -> list[str]:
    """The words and set phrases of official prose (``official_words.txt``): a word a
    line, ``#`` lines are notes. A line that is no run of Han characters is refused."""
    found: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if not _CJK.match(word) or len(word) < 2:
            raise ValueError(f"{path.name}:{n}: not a word of two or more Han characters: {line!r}")
        found.append(word)
    return found


def dictionary() -> dict[str, tuple[int, str]]:
    """jieba's word list and frequencies with the words of official prose added: each
    counted at least OFFICIAL_FREQ; one jieba lacks is a set phrase (part of speech l),
    so that its rarer characters are read too (赓续, 擘画)."""
    import jieba

    words = load_words(Path(jieba.__file__).parent / "dict.txt")
    for word in load_official():
        if word in words:
            freq, pos = words[word]
            words[word] = (max(freq, OFFICIAL_FREQ), pos)
        elif not composed(word, words):
            words[word] = (OFFICIAL_FREQ, "l")
    return words


def idiom_like(word: str, pos: str) -> bool:
    """An idiom, or a phrase of four read as one (see :data:`FOUR_SKIP_POS`)."""
    return pos in ("i", "l") or (len(word) == 4 and pos not in FOUR_SKIP_POS)


def composed(word: str, words: Mapping[str, tuple[int, str]]) -> bool:
    """Whether ``word`` is two common words of two or more characters put together
    (加快推进: 加快 and 推进). Such a phrase is no word of its own: its slips are those of
    its parts (加快推晋 is 推晋), so it adds none."""

    def common(part: str) -> bool:
        return len(part) >= 2 and words.get(part, (0, ""))[0] >= MIN_WORD_FREQ

    return any(common(word[:i]) and common(word[i:]) for i in range(2, len(word) - 1))


class Risk:
    """Word-boundary statistics of a word list: how often a string spans words where the
    checker's reading of its neighbours (``domain.proofread.context.joins_neighbours``)
    would not see the boundary.

    At run time a hit whose first character makes a word of the boundary list with the
    one or two before it, or whose last with the one or two after it, is no finding. So
    a cut that ends a longer word inside the hit (建|设施 read as 设施 → 设计: 建设 is
    such a word) costs nothing: only what the check cannot see counts, a word that ends
    (or starts) exactly where the hit does, or a longer one whose characters there make
    no word of the list."""

    def __init__(self, words: dict[str, tuple[int, str]], joins: Container[str] = ()) -> None:
        total = sum(f for f, _ in words.values())
        self.end: collections.Counter[str] = collections.Counter()
        self.start: collections.Counter[str] = collections.Counter()
        self.whole: dict[str, float] = {}
        for w, (f, _) in words.items():
            share = f / total
            self.whole[w] = share
            n = len(w)
            for k in range(1, min(n, 4) + 1):
                # The hit starts at w[n - k]: the check reads w[n-k-1 : n-k+1],
                # w[n-k-2 : n-k+1] and w[n-k-1 : n-k+2].
                s = n - k
                if k == n or not (
                    w[s - 1 : s + 1] in joins
                    or (s >= 2 and w[s - 2 : s + 1] in joins)
                    or (k >= 2 and w[s - 1 : s + 2] in joins)
                ):
                    self.end[w[-k:]] += share
                # The hit ends after w[k - 1]: the check reads w[k-1 : k+1], w[k-1 : k+2]
                # and w[k-2 : k+1].
                if k == n or not (
                    w[k - 1 : k + 1] in joins
                    or (n >= k + 2 and w[k - 1 : k + 2] in joins)
                    or (k >= 2 and w[k - 2 : k + 1] in joins)
                ):
                    self.start[w[:k]] += share

    def of(self, v: str) -> float:
        n = len(v)
        risk = 0.0
        for i in range(1, n):
            head = self.end.get(v[:i], 0.0)
            if not head:
                continue
            risk += head * self.start.get(v[i:], 0.0)
            for j in range(i + 1, n):
                middle = self.whole.get(v[i:j], 0.0)
                if middle:
                    risk += head * middle * self.start.get(v[j:], 0.0)
        return risk


# Variants the filters let through that correct text holds (found by the clean guard,
# tests/domain/proofread/test_proofread_clean_guard.py): never generated.
NOT_SLIPS = {
    "精审": "a word of its own, careful and thorough (考订精审)",
    # Seen in correct sentences of blind set W (2026.12.24).
    "警界": "a word of its own, the police as a profession (全省警界)",
    "将试": "将 and 试鸣 (全市将试鸣防空警报)",
    "手工织造": "织造, weaving (云锦手工织造技艺)",
    # Seen in correct sentences of blind set Y (2026.12.24).
    "按例": "a word of its own, as usual (按例发放)",
    "均需": "均 and 需 (同行人员均需提供)",
    "剧集": "a word of its own, the episodes of a series (纪录片剧集)",
    "抢鲜": "a word of trade, the first of the season (早春抢鲜)",
    # Seen in correct sentences (2026.12.25): phrases the language model of an older corpus
    # reads as the other one.
    "腧穴理论": "腧穴, the points of acupuncture (经络腧穴理论)",
    "亲子体验": "亲子, parents and children (亲子体验产品)",
    # Seen in correct sentences of blind set Z (2026.12.25): words at a boundary the word
    # list does not hold (附议, 全生物降解) or words of their own.
    "议后": "附议 and 后 (经居民附议后)",
    "使用全": "使用 and 全生物降解 (使用全生物降解地膜)",
    "订位": "a word of its own, a table booked (提前订位)",
    "向镇": "向 and 镇党委 (向镇党委汇报)",
    "于防": "于 and 防 (立足于防大汛)",
    "抢大": "抢 and 大险 (抗大洪、抢大险)",
    # Seen in correct sentences of blind set P (2026.12.27).
    "百班": "百 and 班, a count (每周往返航班已超过百班)",
    # Seen in correct sentences of blind set M (2026.12.27).
    "自住": "a word of its own, living in what one owns or rents (购买自住住房, 租房自住)",
    # Kept once a listed phrase no longer hid them (2026.12.27), and right in correct text.
    "大亮": "天已大亮, 灯火大亮",
    "元本": "a book of the Yuan dynasty's printing (馆藏元本)",
    "青水": "椰青水, and rivers and places (青水河)",
    # Seen in correct sentences of blind sets L and K (2026.12.27).
    "及兴": "由治及兴",
    "俗与": "信俗 and 与 (妈祖信俗与闽粤地区一脉相承)",
    "专享": "a word of its own, reserved for some (专享优惠)",
    # Seen in correct sentences of blind sets J and I (2026.12.27).
    "各股": "各 and 股室, the sections of a county bureau (各股室)",
    "党向": "党 and 向 (全面从严治党向纵深发展)",
    "公益美术": "a class of art given free (公益美术课堂)",
    # Seen in correct sentences of blind set T (2026.12.23): words jieba's dictionary lacks.
    "绝不能": "绝不 and 能 (绝不能有丝毫麻痹大意): 绝不 is as right as 决不",
    "绝不会": "绝不 and 会 (绝不会放松)",
    "绝无此事": "绝无, a word of its own",
    "绝意": "a word of its own (绝意仕途)",
    "收货": "a word of its own (确认收货, 收货地址)",
    "民声": "a word of its own (倾听民声)",
    "防指": "防汛抗旱指挥部, shortened (县防指, 省防指)",
    "以房": "以 and 房 (以房养老, 以房抵债)",
    "节为": "a festival's name and 为 (七夕节为8月29日)",
    # Seen in correct sentences of blind set V (2026.12.23).
    "局县": "a bureau's name and 县 (市生态环境局县分局)",
    "县籍": "a word of its own (我县籍运动员)",
    "件都": "件件 and 都 (件件都凝聚着)",
    "借代": "a word of its own (借代, a figure of speech) and 代借代还",
    "禁发": "a word of its own (禁止发表, 禁发期)",
    "书计": "小红书, a platform's name, before 计 (小红书计法, 小红书计划)",
    # Seen in correct notices of a bureau of culture and tourism (2026.12.16).
    "现由": "现 and 由 (现由市文化和旅游局组织修编)",
    "馆于": "a hall's name and 于 (市非遗展示馆于2008年开放)",
    "全免": "a word of its own (门票全免)",
    "速来": "a word of its own (速来领取)",
    "建城": "a word of its own (建城史)",
    "箱等": "an item of a list and 等 (救生衣、急救箱等必需物品)",
    "因未": "因 and 未 (因未及时清理排水沟)",
    "调至": "a word of its own (将手机调至静音状态)",
    "名木": "古树名木, a set phrase",
    "细做": "做细做实, a set phrase",
    "共克": "共克时艰, a set phrase",
    # Seen in correct sentences of notices, news and posts (2026.12.17).
    "客服": "a word of its own (联系客服, 智能客服)",
    "自本": "自 and 本 (自本通知印发之日起施行)",
    "世范": "行为世范, a set phrase (学为人师，行为世范)",
    "为证": "a word of its own (有……为证, 以此为证)",
    "及时与": "及时 and 与 (请及时与我们联系)",
    "国务院另": "国务院 and 另 (由国务院另行规定)",
    "该小": "该 and 小 (该小程序)",
    # Seen in correct notices, news, captions and features (2026.12.17).
    "将视": "将 and 视 (将视天气情况另行通知)",
    "东作": "a name's last character and 作 (吴晓东作专题辅导)",
    "高建": "a name (高建伟)",
    "编为": "小编 and 为 (小编为大家整理了)",
    "单次": "a word of its own (单次最多容纳50人)",
    "失物": "a word of its own (失物招领)",
    "禁入": "a word of its own (未成年人禁入)",
    "品为": "票品 and 为 (票品为有价证券)",
    "一景": "一步一景, a set phrase",
    "烧于": "始烧 and 于 (始烧于唐代)",
    "盛于": "盛 and 于 (盛于宋代)",
    "外借": "a word of its own (年外借量)",
    "每万": "每 and 万人 (每万人拥有)",
    "还机": "借还 and 机 (自助借还机)",
    "外焦": "外焦里嫩, a set phrase",
    "那碗": "那 and 碗 (那碗馄饨)",
    "节上": "a festival and 上 (在开渔节上)",
    "大歌": "侗族大歌, a name",
    "既能": "既能……又能, a pair",
    "金步": "金步摇, a name",
    "剑身": "a word of its own (宝剑剑身修长)",
    "格处": "剑格 and 处 (剑格处)",
    "想传": "要想 and 传 (要想传下去)",
    "很搭": "很 and 搭 (和白墙黛瓦很搭)",
    "师们": "修复师 and 们",
    "物志": "《长物志》, a title; 博物志",
    "共读": "a word of its own (亲子共读)",
    "胜火": "红胜火, a line of a poem",
    "所写": "所 and 写 (诗中所写)",
    "数枝": "数 and 枝 (墙角数枝梅)",
    "障人": "视障 and 人士",
    "拨出": "a word of its own (拨出专项资金)",
    "上刻": "上 and 刻 (亭柱上刻着对联)",
    "出细": "慢工出细活, a set phrase",
    "大建": "大拆大建, a set phrase",
    "师用": "修复师 and 用",
    "夹上": "夹 and 上 (夹上凉拌菜)",
    "代驾": "a word of its own (代驾服务)",
    "经选": "经 and 选皮 (需经选皮、刮皮)",
    "粉为": "柏木粉 and 为 (以柏木粉为基料)",
    "制后": "搓制, 剥制 and 后 (手工剥制后)",
    "可研": "可 and 研 (呵气可研)",
    "经制": "经 and 制胎 (要经制胎、掐丝)",
    "成画": "成 and 画 (剪贴成画)",
    "表饰": "器表 and 饰 (器表饰绳纹)",
    "出房": "出 and 房址 (清理出房址五座)",
    "印为": "铜印, 汉印 and 为 (这枚铜印为桥钮)",
    "可补": "可 and 补 (可补史籍之阙)",
    "一钉": "一 and 钉 (未用一钉)",
    "织有": "织 and 有 (残片上织有字样)",
    "织出": "a word of its own (织出的图案)",
    "有罐": "有 and 罐 (器形有罐、钵、盆)",
    "每隔": "a word of its own (每隔一段)",
    "不湿": "不 and 湿 (不湿鞋袜)",
    "诸体": "真草隶篆诸体, a word of its own",
    "馆方": "a word of its own (馆方已增设)",
    "队由": "队 and 由 (腰鼓队由……组成)",
    "夹入": "a word of its own (夹入腊汁肉)",
    "和床": "和 and 床品 (香薰和床品)",
    "真成": "真 and 成 (没想到真成了)",
    "得守": "得 and 守 (也得守住)",
    "要十": "要 and 十来分钟",
    "如睡": "冬山如睡, a line of a classic",
    "积起": "积 and 起 (院子里积起了水洼)",
    "清供": "a word of its own (清供入画)",
    "简淡": "a word of its own (笔墨简淡)",
    "高达": "a word of its own (高达三十余厘米)",
    "自弹": "自弹自唱, a set phrase",
    "中煎": "中 and 煎 (塞入豆腐块中煎制)",
    "沿县": "沿 and 县道 (沿县道行驶)",
    "助视": "助视器, a word of its own",
    "学戏": "a word of its own (那时候学戏)",
    "这糖": "这 and 糖 (这糖画)",
    "衣石": "捣衣石, a word of its own",
    "与器": "与 and 器身 (盖与器身)",
    "事死": "事死如事生, a set phrase",
    "是辖区": "是 and 辖区 (乡镇是辖区安全生产工作的责任主体)",
    "经区": "经 and 区 (经区市场监督管理局调解)",
    "一策": "一点一策, 一矿一策, set phrases",
    "增加至": "增加 and 至 (由4条增加至8条)",
    "明作": "a name's last character and 作 (主任徐明作了推介)",
    "段文": "a name (段文涛)",
    "用气": "a word of its own (用水、用电、用气)",
    "众创": "众创空间, a word of its own",
    "配建": "a word of its own (配建停车场)",
    "只减": "只减不增, a set phrase",
    "报装": "a word of its own (用电报装)",
    "院区": "a word of its own (新院区)",
    "初访": "初信初访, a set phrase",
    "线将": "线 and 将 (3号线将延长运营)",
    "录区": "检录区, a word of its own",
    "器内": "器 and 内 (器内底铸铭文)",
    "内底": "a word of its own (器内底)",
    "口微": "口 and 微 (射口微外撇)",
    "部满": "部 and 满 (肉部满饰谷纹)",
    "时剑": "时 and 剑身 (出土时剑身)",
    "作凤": "作 and 凤首 (双耳作凤首形)",
    "石品": "a word of its own (端砚的石品)",
    "褐彩": "a word of its own (青釉褐彩)",
    "珠管": "a word of its own (玉组佩的珠管)",
    "玉料": "a word of its own",
    "榻上": "榻 and 上 (卧于榻上)",
    "以背": "以 and 背 (以背为枕)",
    "有漆": "有 and 漆木 (有漆木剑鞘残痕)",
    "由望": "由 and 望山 (弩机由望山、牙组成)",
    "千面": "千人千面, a set phrase",
    "注子": "a word of its own (注子温碗)",
    "身刻": "壶身, 杯身 and 刻",
    "板画": "瓷板画, a word of its own",
    "用玉": "巧用 and 玉料",
    "都斯": "痕都斯坦, a name",
    "鹤同": "鹿鹤同春, a set phrase",
    "内葬": "内 and 葬具",
    "身直": "仰身直肢, a set phrase",
    "故李": "故 and 李府君 (大唐故李府君墓志铭)",
    "逐件": "a word of its own (逐件登记)",
    "围成": "a word of its own (围成圆筒)",
    "纸间": "纸 and 间",
    "即成": "a word of its own (晾干即成)",
    "纸后": "覆纸 and 后",
    "去线": "拆去 and 线结",
    "工将": "晒纸工 and 将",
    "逐张": "a word of its own (逐张揭开)",
    "烧至": "烧 and 至 (烧至一千二百度)",
    "住铁": "夹住 and 铁坯",
    "编法": "a word of its own (竹编的编法)",
    "推光": "髹漆推光, a craft's word",
    "五法": "四功五法, a set phrase",
    "取调": "蘸取 and 调好",
    "物见": "见人见物见生活, a set phrase",
    "上绢": "糊上 and 绢纱",
    "绘花": "绘 and 花 (绘花鸟)",
    "经绩": "经 and 绩麻",
    "相石": "a word of its own (相石制砚)",
    "果时": "幼果时",
    "伸入": "a word of its own (伸入水中)",
    "几可": "几可乱真, a set phrase",
    "转边": "裱画的转边",
    "烧后": "素烧 and 后",
    "深且": "深 and 且 (水深且急)",
    "制外": "翻制 and 外范",
    "画入": "以画入绣, a set phrase",
    "以浅": "以 and 浅绛法",
    "题长": "自题 and 长跋",
    "以侧": "以 and 侧锋",
    "不勾": "不 and 勾 (不勾轮廓)",
    "中宫": "a word of its own (书法的中宫收紧)",
    "元图": "《朝元图》, a title",
    "每格": "每 and 格",
    # Seen in correct sentences of a museum and a foreign-affairs office (2026.12.19).
    "于港": "于 and 港英 (形成于港英统治时期)",
    "以厚": "以 and 厚涂法",
    "不妖": "濯清涟而不妖, a line of a classic",
    "四者": "合此四者, a phrase of a classic",
    "原指": "a word of its own (原指……)",
    "玉案": "《青玉案》, a title",
    "进乎": "进乎技矣, a phrase of a classic",
    "所依": "无所依, a phrase of a classic",
    "意于": "取意于, a set phrase",
    "前店": "前店后坊, a set phrase",
    "上雕": "上 and 雕 (望柱上雕有石狮)",
    "门枕": "门枕石, a word of its own",
    # Seen in a correct sentence beside the measure words (2026.12.20).
    "城因": "城 and 因 (这座城因运河而兴)",
    "船来": "船来船往, a set phrase",
    "扶住": "a word of its own (及时扶住)",
    "证时": "证 and 时 (退证时)",
    "凿成": "a word of its own (青石凿成)",
    "内立": "内 and 立 (碑亭内立有)",
    "水制": "以水制火, a set phrase",
    "古乐": "a word of its own (唐宋古乐)",
    "前先": "前 and 先 (泡温泉前先冲个澡)",
    "前放": "前 and 放 (出锅前放一把香菜)",
    "放点": "放 and 点 (再放点葱花)",
    "配点": "配 and 点 (配点腊八醋)",
    "带点": "带 and 点 (酸中带点奶香)",
    "放再": "放一放 and 再 (先放一放再喝)",
    "最鲜": "最 and 鲜 (最鲜的时候)",
    "一瓣": "a measure word (一瓣一瓣的)",
    "蓉和": "莲蓉 and 和 (莲蓉和豆沙)",
    "叫车": "a word of its own (帮忙叫车)",
    "东口": "a word of its own (从东口到西口)",
    "用土": "用 and 土猪肉 (用土猪肉灌的)",
    "响到": "响 and 到 (从早响到晚)",
    "下撤": "a word of its own (开始下撤)",
    "行请": "骑行 and 请 (骑行请戴头盔)",
    "时别": "时 and 别 (浮潜时别踩珊瑚)",
    "的失": "的 and 失物 (您的失物)",
    "老长": "a word of its own (拖得老长)",
    "地端": "地 and 端 (一碗接一碗地端上来)",
    "现开": "现 and 开 (现开的椰子水)",
    "要喝": "要 and 喝 (每天早上都要喝几碗)",
    "站厅": "a word of its own (地铁站厅)",
    "没电": "a word of its own (手机没电了)",
    "是野": "是 and 野雪 (是野雪爱好者的三件套)",
    "被风": "被 and 风 (被风吹得哗哗响)",
    "大底": "a word of its own (徒步鞋的大底)",
    "飞得": "飞 and 得 (鸟飞得太快)",
    "立夏": "a solar term (立夏这天)",
    "地围": "地 and 围 (好奇地围在身边)",
    "补服": "a word of its own (清代官员的补服)",
    "碰倒": "a word of its own (水瓶被碰倒了)",
    "小足": "小 and 足 (圈足下接三小足)",
    "耳与": "鼎耳 and 与",
    "前突": "a word of its own (吻部前突)",
    "于器": "于 and 器内",
    "范是": "钱范 and 是",
    "石范": "a word of its own (陶范、石范和铜范)",
    "柱造": "减柱造, a builder's word",
    "生起": "侧脚和生起, a builder's word",
    "面式": "琴面式, a builder's word",
    "交六": "三交六椀, a builder's word",
    "重形": "重 and 形 (北狮重形)",
    "自击": "自 and 击 (自击鼓板)",
    "不施": "不 and 施 (不施彩绘)",
    "放四": "扎、糊、绘、放四艺",
    "方克": "方克成器, a phrase of a classic",
    "再入": "再 and 入 (再入染缸)",
    "尊经": "尊经阁, a name",
    "增置": "a word of its own (增置学田)",
    "一器": "一 and 器 (合则为一器)",
    "由玉": "由 and 玉璜",
    "有乐": "有 and 乐伎",
    "以编": "以 and 编木拱架",
    "端作": "首端 and 作",
    "揉和": "a word of its own (揉和成坯)",
    "展时": "揭展 and 时",
    "经落": "经 and 落经线",
    "集于": "雅集 and 于",
    "为视": "为 and 视障 (为视障读者朗读)",
    "悦读": "a name of reading events (“悦读一夏”)",
    # Seen in correct sentences about heritage and anniversaries (2026.12.18).
    "其建": "其 and 建院 (2025年是其建院100周年)",
    "山古": "a place's last character and 古 (景迈山古茶林)",
    # Seen in correct sentences of a blind set (2026.12.21).
    "请向": "请 and 向 (请向市外办报送材料)",
    # Seen in correct sentences of blind sets (2026.12.28).
    "自导": "自编自导自演",
    "导自": "自导自演 (自编自导自演)",
    "进寺": "进寺入户 (解经成果进寺入户)",
    # Seen in the message catalogs of free software (2026.12.28).
    "包到": "a package to (上传包到远程的路径)",
    "请试": "请试着 (请试着使用不同的名称)",
    "行里": "命令行里",
    "线形文字": "a script (线形文字 A)",
    "大爷们": "大爷 and 们 (邻桌大爷们聊天儿)",
    "农渔业": "a word (台湾地区农渔业代表团)",
    "值不得": "值 and 不得 (LIMIT 后的值不得为负数)",
    # Words the dictionary lacks, seen in correct sentences of blind sets (2026.12.28).
    "限行": "traffic restriction (外地号牌小型客车实行限行)",
    "禁行": "no entry (本路段货车全天禁行)",
    "线已": "a line and 已 (地铁五号线已全线贯通)",
    "应救": "应救尽救",
    "公建": "公建民营",
    "登塔": "climbing a tower (登塔可俯瞰全城)",
    "民族像": "民族 and 像 (各民族像石榴籽一样)",
    # Seen in correct sentences of blind sets AF and AG (2026.12.29).
    "占补": "occupying and making up for farmland (耕地占补平衡)",
    "价为": "a price and 为 (挂牌起始价为1860万元)",
    "专馆": "a hall of its own (消费帮扶专馆)",
    "一单": "one bill (一单制结算)",
    "建置": "a place's establishment, of gazetteers (建置沿革)",
    "该名": "该 and 名, a measure (该名走失游客)",
    "办发": "a document number's office and 发 (市政办发〔2025〕36号)",
    "小陈": "a person called by the surname (网格员小陈)",
    "本数": "the number itself, of the law (5～8人（含本数）)",
    # Seen in correct sentences of blind set AK (2026.12.29).
    "用久": "used long (用久了会形成包浆)",
    "街尾": "the end of a street (从街头吃到街尾)",
    "座藏": "座 and 藏 (这座藏在深山里的小村庄)",
    "入景": "brought into the view (借塔影入景)",
    "游来": "swimming up (游来游去)",
    "听曲": "listening to opera (品茶听曲)",
    # Seen in correct sentences of blind set AL (2026.12.29).
    "受岛": "受 and 岛内 (受岛内政策影响)",
    "至约": "至 and 约 (车程缩短至约45分钟)",
    # Seen in correct sentences of blind sets AM and AN (2026.12.30).
    "辅道": "a word of its own, a side road (从东侧辅道绕行)",
    "以文旅": "以 and 文旅融合 (以文旅融合推动乡村振兴)",
    "骑来": "乌兰牧骑, a name, and 来 (一支乌兰牧骑来我省演出)",
    "并报": "并 and 报, to report for approval (并报政府批准)",
    # Seen in correct sentences of blind set AR (2026.12.30).
    "泉县": "the end of a county's name (临泉县, 温泉县)",
    "成为县市": "成为 and 县市场监督管理局 (成为县市场监督管理局检验检测中心)",
    # Seen in correct sentences of blind set AU (2026.12.30).
    "据船": "据 and 船公司 (据船公司介绍)",
    # Seen in correct sentences of blind set AV (2026.12.30): words of notices.
    "首套": "the first home bought (首套住房公积金贷款)",
    "爆管": "a burst water main (主干管突发爆管)",
    "断落": "fallen, of wires (断落的电线)",
    # Seen in the zh_CN message catalogs (2026.12.30).
    "链上": "on the chain (第一祖先链上的提交)",
}


class Sources(NamedTuple):
    words: dict[str, tuple[int, str]]  # :func:`dictionary`
    official: list[str]  # :func:`load_official`, all of them
    chars: collections.Counter[str]  # each character's frequency, summed over the words
    common: list[str]  # the COMMON_CHARS most frequent characters, most frequent first
    by_reading: dict[str, list[str]]  # the common characters by their usual reading


def sources() -> Sources:
    """The dictionary, the words of official prose (jieba cuts text at them too), and the
    common characters by their readings: what the generator and the slip simulation
    (``simulate_slips.py``) both draw from."""
    import jieba
    from pypinyin import Style, pinyin

    words = dictionary()
    official = load_official()
    for word in official:
        if word in words:  # not those composed of two words
            jieba.add_word(word, words[word][0], words[word][1])
    chars: collections.Counter[str] = collections.Counter()
    for w, (f, _) in words.items():
        if _CJK.match(w):
            for ch in w:
                chars[ch] += f
    common = [c for c, _ in chars.most_common(COMMON_CHARS)]
    by_reading: dict[str, list[str]] = collections.defaultdict(list)
    for c in common:  # most frequent first; a substitute by its usual reading only
        reading = pinyin(c, style=Style.TONE3, neutral_tone_with_five=True)[0][0]
        by_reading[reading].append(c)
    return Sources(words, official, chars, common, by_reading)


def collocations(model: Any, vocabulary: list[str]) -> set[str]:
    """The pairs of words that go together (费用报销, 联系电话, 承办单位): of the
    :data:`COLLOCATION_WORDS` words of ``vocabulary`` the model finds likeliest, each pair
    whose second word follows the first at least 10**:data:`COLLOCATION_MIN` of the time and
    10**:data:`COLLOCATION_PMI` times as often as it comes anywhere."""
    import kenlm

    alone = {w: model.score(w, bos=False, eos=False) for w in vocabulary}
    top = sorted(vocabulary, key=lambda w: (-alone[w], w))[:COLLOCATION_WORDS]
    start, after, then = kenlm.State(), kenlm.State(), kenlm.State()
    model.NullContextWrite(start)
    found = set()
    for a in top:
        model.BaseScore(start, a, after)
        for b in top:
            p = model.BaseScore(after, b, then)
            if p >= COLLOCATION_MIN and p - alone[b] >= COLLOCATION_PMI:
                found.add(a + b)
    return found


def word_swaps(
    model: Any,
    words: Mapping[str, tuple[int, str]],
    real: Container[str],
    parts: Container[str],
    clean_text: str,
    genre_text: str,
) -> dict[str, str]:
    """A word picked for another of the same syllables inside a phrase (相应号召 for
    响应号召, 结婚登机 for 结婚登记), judged by a language model: each variant with its phrase.

    The phrases are two words of two characters: jieba's and pypinyin's phrases of four,
    those of ``official_words.txt``, and each two such words side by side in the genre
    text (jieba's segmentation). Either word is replaced by another common word of the same
    syllables in any tone (an input method offers them all). Both the variant and the
    phrase are read with ``model`` (a KenLM model of words, :data:`LANGUAGE_MODEL`): the
    variant is kept when the phrase is :data:`LM_MARGIN` (a log10) likelier, so that a
    variant that is itself a usual pair of words (工作实际 beside 工作实绩, 检查工作 beside
    检察工作) is left out; and when it is no word, no part of one and not in the clean text."""
    import jieba
    from pypinyin import lazy_pinyin
    from pypinyin.phrases_dict import phrases_dict

    def two(w: str) -> bool:
        return len(w) == 2 and bool(_CJK.match(w)) and w in real and w in model

    by_syllables: dict[tuple[str, ...], list[str]] = collections.defaultdict(list)
    for w, (f, pos) in words.items():
        if f >= SWAP_WORD_FREQ and pos not in SKIP_POS and two(w):
            by_syllables[tuple(lazy_pinyin(w))].append(w)
    phrases = {
        w for w, (_, pos) in words.items() if len(w) == 4 and pos not in SKIP_POS and _CJK.match(w)
    }  # fmt: skip
    phrases |= {w for w in phrases_dict if len(w) == 4 and _CJK.match(w)}
    phrases |= {w for w in load_official() if len(w) == 4}
    # The longer words a word of two starts or ends (公积: 公积金): a variant may be the start
    # of a right phrase with one of them (住房公积金), which the model reads apart.
    # A word of two that starts or ends a common one of three (公元: 公元前) is read as that
    # one's start or end wherever it stands (遗址|公元前, not 遗址公园 miswritten).
    starting: dict[str, list[str]] = collections.defaultdict(list)
    ending: dict[str, list[str]] = collections.defaultdict(list)
    common_start: set[str] = set()
    common_end: set[str] = set()
    for w, (f, _) in words.items():
        if len(w) == 3 and f >= MIN_REAL_FREQ and _CJK.match(w) and w in model:
            starting[w[:2]].append(w)
            ending[w[1:]].append(w)
            if f >= LONGER_WORD_FREQ:
                common_start.add(w[:2])
                common_end.add(w[1:])
    tokens = list(jieba.cut(genre_text, HMM=False))
    phrases |= {a + b for a, b in itertools.pairwise(tokens) if two(a) and two(b)}
    phrases |= collocations(
        model, [w for w, (_, pos) in words.items() if pos not in SKIP_POS and two(w)]
    )
    found: dict[str, str] = {}
    for phrase in sorted(phrases):
        halves = phrase[:2], phrase[2:]
        if not (two(halves[0]) and two(halves[1])):
            continue
        likely = model.score(" ".join(halves), bos=False, eos=False)
        for i, half in enumerate(halves):
            for other in by_syllables.get(tuple(lazy_pinyin(half)), ()):
                if other == half:
                    continue
                v = other + halves[1] if i == 0 else halves[0] + other
                if v in found or v in real or v in parts or v in clean_text:
                    continue
                if other in (common_end if i == 0 else common_start):
                    continue
                unlikely = model.score(f"{v[:2]} {v[2:]}", bos=False, eos=False)
                if likely - unlikely < LM_MARGIN:
                    continue
                longer = (
                    (f"{w} {halves[1]}" for w in ending[other])
                    if i == 0
                    else (f"{halves[0]} {w}" for w in starting[other])
                )
                if any(likely - model.score(x, bos=False, eos=False) < LM_MARGIN for x in longer):
                    continue  # 住房公积 of 住房公积金, no 住房供给 miswritten
                found[v] = phrase
    return found


def generate(
    clean_text: str, genre_text: str = "", model: Any = None
) -> list[tuple[str, str, str]]:
    import jieba
    from pypinyin import Style, lazy_pinyin
    from pypinyin.phrases_dict import phrases_dict

    words, official_words, chars, common, by_reading = sources()
    official = set(official_words) & words.keys()  # not those composed of two words
    rank = {c: i for i, c in enumerate(common)}
    # Every part of every word: a variant inside a word may be correct text.
    parts: set[str] = set()
    real = {w for w, (f, _) in words.items() if f >= MIN_REAL_FREQ} | set(phrases_dict)
    for w in real:
        if _CJK.match(w) and len(w) > 2:
            for k in range(2, len(w)):
                for i in range(len(w) - k + 1):
                    parts.add(w[i : i + k])
    # The boundaries as the checker reads them (its words of one character play no part).
    risk = Risk(words, {w for w, _ in word_frequencies(words) if len(w) > 1})
    vocabulary = [
        w
        for w, (f, pos) in words.items()
        if 2 <= len(w) <= 4 and _CJK.match(w)
        and (
            pos not in SKIP_POS
            or (len(w) == 4 and pos in MISTAGGED_POS and f >= MISTAGGED_FREQ
                and not composed(w, words))
        )
        and f >= (MIN_IDIOM_FREQ if idiom_like(w, pos) else MIN_WORD_FREQ)
        # An idiom's rare character (踵, 剔, 磐) is the one most often miswritten, for a
        # common one of its sound (摩肩接种, 玲珑踢透, 坚如盘石): only everyday words need
        # every character common. So is that of a word of official prose (赓续 → 庚续).
        and (pos in ("i", "l") or len(w) == 4 or w in official or all(c in rank for c in w))
    ]  # fmt: skip
    # The words of official prose: those of the genre text (jieba's segmentation), counted.
    genre: collections.Counter[str] = collections.Counter()
    for token in jieba.cut(genre_text, HMM=False):
        usable = token in words and 2 <= len(token) <= 4 and words[token][1] not in SKIP_POS
        if usable and _CJK.match(token) and all(c in rank for c in token):
            genre[token] += 1
    vocabulary = sorted(set(vocabulary) | set(genre))

    def slips(
        substitutes: Callable[[str], list[str]], words_of: list[str], taken: Container[str]
    ) -> dict[str, tuple[float, str]]:
        """Each variant of ``words_of`` with one character replaced by one of the
        ``substitutes`` of its reading, scored, under the filters; none of ``taken``."""
        found: dict[str, tuple[float, str]] = {}
        for word in words_of:
            readings = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
            if len(readings) != len(word):
                continue
            # How often the word is written: in the genre text above all, then anywhere.
            freq = words[word][0] + GENRE_WEIGHT * genre[word]
            for i, reading in enumerate(readings):
                homophones = substitutes(reading)
                weight = sum(chars[c] for c in homophones) or 1
                for sub in homophones:
                    if sub == word[i]:
                        continue
                    v = word[:i] + sub + word[i + 1 :]
                    score = freq * chars[sub] / weight
                    if v in taken or (v in found and found[v][0] >= score):
                        continue
                    if v in real or v in parts or v in clean_text or risk.of(v) > MAX_BOUNDARY_RISK:
                        continue
                    found[v] = (score, word)
        return found

    scored = slips(lambda reading: by_reading.get(reading, []), vocabulary, ())
    ranked = sorted(scored.items(), key=lambda kv: -kv[1][0])
    out = {v: (word, HOMOPHONE_NOTE) for v, (_, word) in ranked[:MAX_ENTRIES]}

    def across(v: str, word: str) -> bool:
        """A variant of a phrase of four that jieba does not tag an idiom, which correct
        text may hold across words: two words, or a word of three (示范学校, 试打印机)."""
        if words.get(word, (0, ""))[1] in ("i", "l"):
            return False
        return (v[:2] in real and v[2:] in real) or v[1:] in real or v[:3] in real

    idiom_variants = [
        (v, word) for v, (_, word) in ranked[MAX_ENTRIES:] if len(word) == 4 and not across(v, word)
    ]
    for v, word in idiom_variants[:IDIOM_MAX_ENTRIES]:
        out[v] = (word, HOMOPHONE_NOTE)
    # The characters of a syllable in its other tones, most frequent first.
    by_syllable: dict[str, list[str]] = collections.defaultdict(list)
    for reading, same in by_reading.items():
        by_syllable[reading.rstrip("12345")].extend(same)

    def other_tones(reading: str) -> list[str]:
        same_tone = set(by_reading.get(reading, ()))
        return [c for c in by_syllable.get(reading.rstrip("12345"), ()) if c not in same_tone]

    everyday = [word for word in vocabulary if all(c in rank for c in word) or len(word) == 4]
    toneless = slips(other_tones, everyday, out.keys() | scored.keys())
    ranked = sorted(toneless.items(), key=lambda kv: -kv[1][0])
    for v, (_, word) in ranked[:TONELESS_MAX_ENTRIES]:
        out[v] = (word, HOMOPHONE_NOTE)
    idiom_variants = [
        (v, word)
        for v, (_, word) in ranked[TONELESS_MAX_ENTRIES:]
        if len(word) == 4 and not across(v, word)
    ]
    for v, word in idiom_variants[:TONELESS_IDIOM_MAX_ENTRIES]:
        out[v] = (word, HOMOPHONE_NOTE)
    # The words of official prose are few, and each is written in every notice of its kind
    # (汛期, 责令, 莅临, 摇号): every slip of theirs of the same syllable is kept, whatever its
    # rank (in any tone, of the longer ones).
    # (Their own list, not jieba's tags, says what they are: 汛期 is no time word, 敬献 no name.)
    # A phrase of two words (加快推进, 应急预案) is none: its slips are its words' own, and a
    # word picked for another inside it is word_swaps'.
    for word in sorted(w for w in official_words if 2 <= len(w) <= 4 and not composed(w, words)):
        readings = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
        if len(readings) != len(word):
            continue
        for i, reading in enumerate(readings):
            # A word of two in its own tone only: in another it is as often a word of its
            # own (兼修 beside 检修, 学记 beside 学籍).
            same = by_reading.get(reading, ()) if len(word) == 2 else ()
            for sub in same or by_syllable.get(reading.rstrip("12345"), ()):
                v = word[:i] + sub + word[i + 1 :]
                if sub == word[i] or v in out or v in real or v in parts or v in clean_text:
                    continue
                if risk.of(v) <= MAX_BOUNDARY_RISK:
                    out[v] = (word, HOMOPHONE_NOTE)

    def near_sound(reading: str) -> list[str]:
        return [c for near in near_readings(reading) for c in by_reading.get(near, ())]

    # Of phrases of four only: the near sounds of a shorter word are as often another word of
    # their own, or a boundary the dictionary lacks (数据量 beside 数据链, 进粗瓷碗, 速干衣).
    phrases_of_four = [word for word in everyday if len(word) == _IDIOM_LENGTH]
    fuzzy = slips(near_sound, phrases_of_four, out.keys() | scored.keys() | toneless.keys())
    ranked = sorted(fuzzy.items(), key=lambda kv: -kv[1][0])
    for v, (_, word) in ranked[:FUZZY_MAX_ENTRIES]:
        out[v] = (word, FUZZY_NOTE)
    # A right word for the wrong one of the same sound inside a set phrase (长效机制 →
    # 长效机智, 业内人士 → 业内人事, 务求实效 → 务求时效): each half no slip, the phrase one.
    homophone_words: dict[tuple[str, ...], list[str]] = collections.defaultdict(list)
    for w in sorted(real):
        if len(w) == 2 and _CJK.match(w):
            homophone_words[tuple(lazy_pinyin(w, style=Style.TONE3))].append(w)
    phrases = {
        w
        for w, (f, pos) in words.items()
        if len(w) == 4 and f >= MIN_WORD_FREQ and pos not in SKIP_POS and _CJK.match(w)
        and w[:2] in real and w[2:] in real
    }  # fmt: skip
    phrases |= {w for w in official_words if len(w) == 4 and w not in words}  # composed
    for phrase in sorted(phrases):
        for i in (0, 2):
            half = phrase[i : i + 2]
            for other in homophone_words[tuple(lazy_pinyin(half, style=Style.TONE3))]:
                v = phrase[:i] + other + phrase[i + 2 :]
                if other == half or v in out or v in real or v in parts or v in clean_text:
                    continue
                if risk.of(v) <= MAX_BOUNDARY_RISK:
                    out[v] = (phrase, HOMOPHONE_NOTE)
    if model is not None:
        for v, phrase in word_swaps(model, words, real, parts, clean_text, genre_text).items():
            if v not in out:
                out[v] = (phrase, WORD_NOTE)
    # A character dropped in fast typing from inside a set phrase (因地制宜 → 因制宜, 以人民为中心
    # → 以人民中心, 党风廉政建设 → 党风廉建设): the idioms and the phrases of official prose of four
    # characters or more, less one character other than the first and the last (what is left
    # then is no part of the phrase), under the same filters, the DROP_MAX_ENTRIES likeliest
    # (the phrase's frequency), with the note DROP_NOTE.
    phrase_parts = parts | {
        w[i : i + k]
        for w in official_words
        for k in range(2, len(w))
        for i in range(len(w) - k + 1)
    }
    dropped: dict[str, tuple[float, str]] = {}
    long_phrases = {
        w
        for w, (f, pos) in words.items()
        if len(w) >= _IDIOM_LENGTH and _CJK.match(w) and idiom_like(w, pos) and f >= MIN_IDIOM_FREQ
    } | {w for w in official_words if len(w) >= _IDIOM_LENGTH}
    for phrase in sorted(long_phrases):
        freq = words.get(phrase, (OFFICIAL_FREQ, ""))[0] + GENRE_WEIGHT * genre[phrase]
        for i in range(1, len(phrase) - 1):
            if phrase[i] in (phrase[i - 1], phrase[i + 1]):
                continue  # 井井有条 less one 井: 井有条 is read as 井然有序's
            if phrase[i] in _NEGATIONS:
                continue  # 锲而不舍 less 不 is 锲而舍之's start; 值不值得, 值不得
            v = phrase[:i] + phrase[i + 1 :]
            if v in out or v in real or v in phrase_parts or v in clean_text:
                continue
            if (v not in dropped or dropped[v][0] < freq) and risk.of(v) <= MAX_BOUNDARY_RISK:
                dropped[v] = (freq, phrase)
    ranked = sorted(dropped.items(), key=lambda kv: (-kv[1][0], kv[0]))
    kept = 0
    scores: dict[str, float] = {}
    for v, (_, phrase) in ranked:
        if kept == DROP_MAX_ENTRIES:
            break
        if model is not None and not _reads_worse(model, v, phrase, scores):
            continue  # 创新发展 of 创新性发展, 主动为 of 主动作为: words of their own
        out[v] = (phrase, DROP_NOTE)
        kept += 1
    looks: dict[str, set[str]] = collections.defaultdict(set)
    for group in SHAPE_GROUPS:
        for c in group:
            looks[c].update(x for x in group if x != c)
    shaped: dict[str, tuple[float, str]] = {}
    for word in vocabulary:
        freq = words[word][0] + GENRE_WEIGHT * genre[word]
        for i, ch in enumerate(word):
            for sub in sorted(looks.get(ch, ())):
                v = word[:i] + sub + word[i + 1 :]
                score = freq * SHAPE_WEIGHT
                if v in out or (v in shaped and shaped[v][0] >= score):
                    continue
                if v in real or v in parts or v in clean_text or risk.of(v) > MAX_BOUNDARY_RISK:
                    continue
                shaped[v] = (score, word)
    ranked = sorted(shaped.items(), key=lambda kv: -kv[1][0])
    for v, (_, word) in ranked[:SHAPE_MAX_ENTRIES]:
        out[v] = (word, SHAPE_NOTE)
    for v, (_, word) in ranked[SHAPE_MAX_ENTRIES:]:
        if len(word) == 4 and words.get(word, (0, ""))[1] in ("i", "l"):
            out[v] = (word, SHAPE_NOTE)
    return sorted(
        (
            (v, w, note)
            for v, (w, note) in out.items()
            # (A phrase that is itself a slip of another, 为人处世 of 为人处事, yields none.)
            if v not in NOT_SLIPS and not (note == WORD_NOTE and w in out)
        ),
        key=lambda t: (t[2], t[1], t[0]),
    )


def _reads_worse(model: Any, variant: str, phrase: str, scores: dict[str, float]) -> bool:
    """Whether the language model finds ``phrase`` at least :data:`LM_MARGIN` (log10) likelier
    than ``variant``, each cut into words as jieba cuts it: a phrase less a character that
    still reads as words (创新发展, 主动为) is no slip. ``scores``: the texts scored so far
    (a phrase is read once for all its variants)."""
    import jieba

    def score(text: str) -> float:
        found = scores.get(text)
        if found is None:
            words = " ".join(jieba.lcut(text, HMM=False))
            found = scores[text] = model.score(words, bos=False, eos=False)
        return found

    return score(phrase) - score(variant) >= LM_MARGIN


def near_readings(reading: str) -> list[str]:
    """The readings (``TONE3``: a syllable and its tone) one near sound away from
    ``reading``: its initial or its final swapped for the other of a pair of
    :data:`FUZZY_INITIALS`, :data:`FUZZY_FIRST` or :data:`FUZZY_FINALS`, the tone kept."""
    syllable = reading.rstrip("12345")
    tone = reading[len(syllable) :]
    near = set()
    for a, b in FUZZY_INITIALS:
        if syllable.startswith(a):
            near.add(b + syllable[len(a) :])
        elif syllable.startswith(b):
            near.add(a + syllable[len(b) :])
    for a, b in FUZZY_FIRST:
        if syllable.startswith(a) and not syllable.startswith(("ng", "zh", "ch", "sh")):
            near.add(b + syllable[1:])
    for a, b in FUZZY_FINALS:
        if syllable.endswith(a):
            near.add(syllable[: -len(a)] + b)
        elif syllable.endswith(b):
            near.add(syllable[: -len(b)] + a)
    near.discard(syllable)
    return sorted(n + tone for n in near)


def word_frequencies(words: dict[str, tuple[int, str]] | None = None) -> list[tuple[str, int]]:
    """The words the checker reads around a generated miswriting, with their frequencies
    (``domain/proofread/word_freq.tsv``, a line per frequency: ``frequency<TAB>word word``):
    the two- and three-character words (jieba from
    JOIN_WORD_FREQ, and pypinyin's phrases, counted JOIN_WORD_FREQ where jieba counts them
    rarer), the idioms of four (jieba's parts of speech i and l, from JOIN_WORD_FREQ), and
    every word of one character. A hit whose first or last character makes one
    of the longer words with its neighbour stands across a word boundary, not for a word,
    unless the right word reads far likelier there; the commonest words of one character
    (``domain.proofread.context.SINGLE_WORD_FREQ``) may be the other character of a
    two-character hit so split (的|罪犯)."""
    from pypinyin.phrases_dict import phrases_dict

    if words is None:
        words = dictionary()
    found = {w: f for w, (f, _) in words.items() if 2 <= len(w) <= 3 and f >= JOIN_WORD_FREQ}
    for w in phrases_dict:
        if 2 <= len(w) <= 3:
            found[w] = max(found.get(w, 0), JOIN_WORD_FREQ)
    found.update((w, f) for w, (f, _) in words.items() if len(w) == 1 and f > 0)
    # Idioms too: one that ends where a hit starts, or starts where it ends, parts it from
    # the hit (按部就班|地 is no 般地 miswritten).
    found.update(
        (w, f)
        for w, (f, pos) in words.items()
        if len(w) == _IDIOM_LENGTH and pos in ("i", "l") and f >= JOIN_WORD_FREQ
    )
    return sorted((w, f) for w, f in found.items() if _CJK.match(w))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", type=Path, action="append", default=[])
    parser.add_argument(
        "--known", type=Path, action="append", default=[],
        help="a shipped lexicon: its terms, suggestions and whitelist are left alone",
    )  # fmt: skip
    parser.add_argument("--words", type=Path, help="write the boundary word list here")
    parser.add_argument(
        "--lm", type=Path, default=Path(LANGUAGE_MODEL),
        help=f"the KenLM model of word_swaps (default {LANGUAGE_MODEL})",
    )  # fmt: skip
    parser.add_argument("--date", required=True, help="the date of the sources, YYYY-MM-DD")
    parser.add_argument("--version", required=True, help="the list's version, YYYY.MM.N")
    args = parser.parse_args()
    clean = "\n".join(p.read_text(encoding="utf-8") for p in args.clean)
    known: set[str] = set()
    listed: set[str] = set()  # the terms and whitelist entries alone, not the right forms
    silent: set[str] = set()
    right_forms: set[str] = set()  # the right forms and whitelist entries, not the terms
    # The parts of a listed term that it corrects as a generated slip would (元宵登会 → 元宵灯会
    # holds 登会 → 灯会): the slip may stand beside the phrase, which reads where it does not.
    consistent: set[tuple[str, str]] = set()
    for path in args.known:
        import tomllib

        lexicon = tomllib.loads(path.read_text(encoding="utf-8"))
        for e in lexicon.get("entry", []):
            term, suggest = e.get("term") or e.get("name"), e.get("suggest") or ""
            listed.add(term)
            known.update(suggest.split("、"))
            right_forms.update(suggest.split("、"))
            if term and len(suggest) == len(term):
                consistent.update(
                    (term[i:j], suggest[i:j])
                    for i in range(len(term))
                    for j in range(i + 2, len(term) + 1)
                    if j - i < len(term)
                )
        listed.update(lexicon.get("whitelist", []))
        right_forms.update(lexicon.get("whitelist", []))
        if lexicon.get("category") == "confusable":
            # Where correct text holds a term of this list (仿佛象 for 佛象): the list
            # keeps silent there, so the term may be generated.
            silent = set(lexicon.get("whitelist", []))
    known |= listed
    # The anchors of the context rules (罪犯, 截止...) are judged where they stand: a right
    # form that holds one would be reported itself.
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from domain.proofread.context import ANCHORS, MEASURES, NUMERALS_BEFORE_MEASURE, counted

    # (Not a numeral and a measure: it is judged by the noun after it, and the right
    # forms that hold one are idioms with no such noun: 一本正经, 三头六臂.)
    anchors = {a for a, rule in ANCHORS.items() if len(a) > 1 and rule is not counted}
    known |= anchors
    listed |= anchors
    right_forms |= anchors
    known.discard("")
    listed.discard("")
    right_forms.discard("")

    def parts(texts: set[str]) -> set[str]:
        return {k[i:j] for k in texts for i in range(len(k)) for j in range(i + 2, len(k) + 1)}

    # Every part of a known text: a generated term must not lie inside one, unless it lies
    # only inside listed terms that correct it the same way.
    inside = parts(known - silent)
    inside_right = parts(right_forms - silent)
    if args.words:
        by_count: dict[int, list[str]] = collections.defaultdict(list)
        for word, count in word_frequencies():
            by_count[count].append(word)
        lines = [f"{n}\t{' '.join(by_count[n])}\n" for n in sorted(by_count, reverse=True)]
        args.words.write_text("".join(lines), encoding="utf-8")
    import kenlm

    from domain.proofread.checker import Checker
    from domain.proofread.lexicon import parse_lexicon

    # The right forms of the phrases: none that the shipped lists flag (病例资料, 立法院长).
    flags = Checker(
        [
            parse_lexicon(re.sub(r"(?m)^generated = .*$", "", p.read_text(encoding="utf-8")))
            for p in args.known
        ]
    ).check
    rows = []
    for wrong, right, note in generate(clean, clean, kenlm.Model(str(args.lm))):
        if note == WORD_NOTE and flags(right):
            continue
        if wrong in inside and (
            wrong in listed or wrong in inside_right or (wrong, right) not in consistent
        ):
            continue  # the list has it already, or it is part of a listed text
        if len(wrong) == 2 and wrong[0] in NUMERALS_BEFORE_MEASURE and wrong[1] in MEASURES:
            continue  # a count (每头牛, 那篇文章, 数辆车): the measures' rule reads it
        if any(
            right[i:j] in listed for i in range(len(right)) for j in range(i + 1, len(right) + 1)
        ):
            # The right form holds a listed term itself (国家级, 丰富多采). The right form
            # of a listed miswriting does not count: a word miswritten one way (栩栩如生 as
            # 翔翔如生) is miswritten the other ways too.
            continue
        rows.append((wrong, right, note))
    sys.stdout.write(format_generated(rows, date=args.date, version=args.version))


HEADER = (
    "# 常用词同音误输入（note 同音误输入）、模糊音近音误输入（note 近音误输入）、"
    "词组中的同音词误选（note 同音词误选）、形近字误写（note 形近误写）"
    "和固定短语中的漏字（note 漏字），"
    "confusable 词库的生成部分。",
    "# 由 tests/data/proofread/make_homophone_typos.py 依据 jieba 0.42.1 词频词典、"
    "公文常用词语（official_words.txt）和 pypinyin 0.55.0 读音数据",
    "# （形近字组见该脚本 SHAPE_GROUPS）生成，勿手工编辑，重新生成替换。"
    "每行：错误词形<TAB>正确词形。",
    "# 命中时若首字或末字与相邻字组成常用词（domain/proofread/word_freq.tsv），或前面紧接数字，"
    "视为跨词边界，不提示；但按词频换成正确词形读来远为通顺时仍提示。",
    "# category: confusable",
    "# source: jieba 0.42.1 词频词典；"
    "公文常用词语（二十大报告、政府工作报告、文化和旅游部公开文件）；"
    "pypinyin 0.55.0 读音数据；常见形近字组；"
    "libime 1.0.16 词语语言模型（Debian libime-data-language-model，同音词误选的取舍）",
)  # fmt: skip


def format_generated(rows: list[tuple[str, str, str]], *, date: str, version: str) -> str:
    """The generated list file: the header, then each (wrong, right, note) as
    ``wrong<TAB>right``, a ``# note: ...`` line wherever the note changes."""
    lines = [*HEADER, f"# date: {date}", f"# version: {version}"]
    current = None
    for wrong, right, note in rows:
        if note != current:
            lines.append(f"# note: {note}")
            current = note
        for text in (wrong, right):
            if (
                not text
                or text != text.strip()
                or text.startswith("#")
                or any(c in text for c in "\t\n\r")
            ):
                raise ValueError(f"not a text for the generated list: {text!r}")
        lines.append(f"{wrong}\t{right}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

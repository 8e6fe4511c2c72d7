"""The context rules, as written for speed, agree with a plain reading of them.

The rules in ``domain/proofread/context.py`` skip work they can prove useless (a
slice instead of several searches, the offsets of the reform words instead of reading
a sentence, a look for a region before the window around 等国家). The plain reading
below reads every window mark by mark and every sentence in full; on texts built
from the pieces the rules look at, both must give the same answer for every hit.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.proofread import context
from domain.proofread.context import (
    _BEFORE_QIAN,
    _BEFORE_YUAN,
    _FOREIGN_BY_LAST,
    _ONLINE,
    _PLACE_SUFFIX,
    _SECRETS,
    _SPELLS,
    _YUAN_WORDS,
    ANCHORS,
    BLOCK,
    HISTORY,
    HISTORY_WORDS,
    LATEST_REFORM_YEAR,
    PROPER_NAME,
    QUOTED,
    REFORM_WORDS,
    WARN,
)

REACH = 200


def plain_window(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    lo = max(0, start - REACH)
    hi = min(len(text), end + REACH)
    before = [text.rfind(ch, lo, start) for ch in marks]
    after = [i for i in (text.find(ch, end, hi) for ch in marks) if i != -1]
    return max([lo - 1, *before]) + 1, min([hi, *after])


def plain_sentence(text: str, start: int, end: int) -> str:
    lo, hi = plain_window(text, start, end, "。！？；\n")
    return text[lo:hi]


def plain_reform(text: str, start: int, end: int) -> bool:
    sentence = plain_sentence(text, start, end)
    line_start, line_end = plain_window(text, start, end, "\n")
    if line_end < len(text) and text[line_end] == "\n" and "。" not in text[line_start:line_end]:
        # The next line is read as the same sentence, but the line break still parts
        # them: "2018年" at a line's end and "前" opening the next do not make "2018年前".
        sentence += "\n" + plain_sentence(text, line_end + 1, line_end + 1)
    dated_past = any(
        int(year) <= LATEST_REFORM_YEAR
        for year in re.findall(
            r"((?:19|20)[0-9]{2})年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?(?:以前|之前|前)", sentence
        )
    )
    return bool(
        re.search(r"(?:19|20)[0-9]{2}年", sentence)
        and (any(w in sentence for w in REFORM_WORDS) or dated_past)
    )


def plain_inside(text: str, start: int, end: int, open_: str, close: str) -> bool:
    opened = text.rfind(open_, max(0, start - REACH), start)
    if opened == -1 or close in text[opened:start] or "\n" in text[opened:start]:
        return False
    line_end = text.find("\n", end, end + REACH)
    return close in text[end : end + REACH if line_end == -1 else line_end]


def plain_former(text: str, start: int) -> bool:
    if text[max(0, start - 3) : start] in ("原来的", "原先的"):
        return True
    for i in range(start - 1, max(0, start - 8) - 1, -1):
        ch = text[i]
        if ch == "原":
            if i and text[i - 1] in _BEFORE_YUAN:
                return False
            return i == start - 1 or text[i + 1] not in _YUAN_WORDS
        if ch == "前":
            before = text[i - 1] if i else ""
            is_cjk = "\u4e00" <= before <= "\u9fff" or "\u3400" <= before <= "\u4dbf"
            return not before or not is_cjk or before in _BEFORE_QIAN
        if not ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"):
            return False
    return False


def plain_retired(text: str, start: int) -> bool:
    """不再保留, 不再单设, 撤销 or 撤并 ends within 60 characters before ``start``, and no
    clause mark stands between."""
    for word in ("不再保留", "不再单设", "撤销", "撤并"):
        for i in range(max(0, start - 60), start - len(word) + 1):
            if text.startswith(word, i) and not set(text[i + len(word) : start]) & set(
                "，。；：！？\n"
            ):
                return True
    return False


def plain_marked(text: str, start: int) -> bool:
    return plain_former(text, start) or plain_retired(text, start)


_BODY_ITEM = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]{1,14}\\Z")


def plain_former_list(text: str, start: int) -> bool:
    """The name at ``start`` (with the level before it, 市 of 、市质监局) is an item of a list
    (、和及与) of up to eight bodies' names, each of at most 14 characters and ending like a
    body's or an abbreviation of at most three (工商、质监), one of which before it is marked
    former (or 不再保留)."""
    if start >= 2 and text[start - 1] in "省市县区乡镇村" and text[start - 2] in "、和及与":
        start -= 1
    for _ in range(8):
        if not start or text[start - 1] not in "、和及与":
            return False
        pause = start - 1
        # The item before the pause: the characters back to the previous pause or mark.
        head = re.split("[、和及与]", text[:pause])[-1]
        item = _BODY_ITEM.search(head)
        if item is None:
            return False
        first = pause - len(item.group())
        if plain_marked(text, pause):
            return True
        if len(item.group()) > 3 and not item.group().endswith(
            ("局", "委", "部", "办", "厅", "署", "会", "院", "所", "处", "站", "中心")
        ):
            return False
        if plain_marked(text, first + 1) or plain_marked(text, first):
            return True
        start = first
    return False


_REGION_BODY = re.compile(
    "(?:台湾(?:地区|当局|行政院|“行政院”|地区行政院|地区“行政院”)?"
    "|(?:香港|澳门)(?:特区|特区政府|特别行政区|特别行政区政府)?)的?\\Z"
)


def plain_judge(text: str, start: int, end: int, what: int, severity: str) -> str | None:
    if what & QUOTED and plain_inside(text, start, end, "“", "”"):
        return None
    if what & HISTORY:
        countries = _FOREIGN_BY_LAST.get(text[start - 1]) if start else None
        if countries and any(text[max(0, start - 6) : start].endswith(c) for c in countries):
            return None
        if _REGION_BODY.search(text[:start]):
            return None
        if plain_former(text, start) or plain_inside(text, start, end, "《", "》"):
            return None
        if plain_retired(text, start) or plain_former_list(text, start):
            return None
        if severity == BLOCK and plain_reform(text, start, end):
            return WARN
    if what & PROPER_NAME:
        if plain_inside(text, start, end, "《", "》"):
            return None
        if text[start:end].endswith("第一") and text[end : end + 1] in _PLACE_SUFFIX:
            return None
        if plain_advised(text, start, end):
            return None
    return severity


_CLAUSE_MARKS = "，。；！？\n"


def _ends_clause_free(text: str, words: tuple[str, ...], start: int, reach: int, gap: int) -> bool:
    """One of ``words`` begins within ``reach`` characters before ``start``, and at most
    ``gap`` characters, none of them a clause mark, stand between it and ``start``."""
    for i in range(max(0, start - reach), start):
        for word in words:
            rest = text[i + len(word) : start]
            if (
                text.startswith(word, i)
                and i + len(word) <= start
                and len(rest) <= gap
                and not set(rest) & set(_CLAUSE_MARKS)
            ):
                return True
    return False


_NOT_MODAL = set("对相响反供适答效感理呼顺")  # 对应, 相应……: no 应 of advice


def plain_advised(text: str, start: int, end: int) -> bool:
    """首选 after advice: 应 or 宜 right before it, or 建议, 提醒, 倡导, 鼓励 within ten
    characters, with at most eight between and no clause mark."""
    return text[start:end].startswith("首选") and (
        (text[:start].endswith(("应", "宜")) and text[start - 2 : start - 1] not in _NOT_MODAL)
        or _ends_clause_free(text, ("建议", "提醒", "倡导", "鼓励"), start, 10, 8)
    )


_FILLER = "文" * 120
_pieces = st.sampled_from(
    ["国家旅游局", "文化部", "原", "前", "原来的", "不再保留", "撤销", "工商", "县", "目前",
     "平原", "原则", "泰国", "美国",
     "2018年", "二〇一八年", "机构改革", "组建", "整合组建", "更名", "。", "；", "\n", "，",
     "《", "》", "“", "”", "天下第一", "关", "第一", "台湾", "香港", "、", "等国家", "等国",
     "三国", "和地区", "与", "截止", "2025年底", "罪犯", "判处", "被告人", "原告", "零",
     "二零二六", "年", _FILLER, "县旅游局", "地区", "的", "行政院", "首选", "应", "宜", "对",
     "建议", "提醒", "文文文"]
)  # fmt: skip
_TERMS = ("国家旅游局", "文化部", "县旅游局", "旅游局", "第一", "天下第一", "首选")


def _offsets(text: str, word: str) -> list[int]:
    found, i = [], text.find(word)
    while i != -1:
        found.append(i)
        i = text.find(word, i + 1)
    return found


# Sentences that tell of a reform, with the name and the reform words in every order.
_history = st.sampled_from(
    ["国家旅游局", "文化部", "原", "2018年", "2026年", "机构改革", "组建", "更名", "以前", "前",
     "3月", "。", "\n", "，", "《", "》"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_pieces, max_size=24), st.lists(_history, max_size=10)).map("".join))
@example("组建2018年国家旅游局")  # the reform word opens the sentence
@example("建议，首选")  # advice ends at the clause mark
@example("建议文文文文文文文文首选")  # eight characters between
@example("应首选")
@example("对应首选")  # 对应 gives no advice
@example("2018年国家旅游局更名")  # and closes it
@example("。组建，2018年，文化部。")
@example("关于国家旅游局的说明\n2018年机构改革后更名。")  # a title line and the next one
@example("2018年以前，文化部负责。")  # dated before a reform: history
@example("2026年6月以前，文化部负责。")  # a deadline: not history
@example("国家旅游局2018年\n前")  # a year ending one line and 前 opening the next
@example("国家旅游局2018年\n以前")  # and 以前, a history word of its own
@example("原国家旅游局、国家旅游局")  # a list's 原 is its later items' too
@example("原文化部和国家旅游局、县旅游局")
def test_judge_agrees_with_the_plain_reading(text: str) -> None:
    reform_words = sorted(i for word in HISTORY_WORDS for i in _offsets(text, word))
    for term in _TERMS:
        for start in _offsets(text, term):
            end = start + len(term)
            for what in (HISTORY, PROPER_NAME, HISTORY | QUOTED):
                for severity in (BLOCK, WARN):
                    fast = context.judge(text, start, end, what, severity, reform_words)
                    assert fast == plain_judge(text, start, end, what, severity), (term, start)


def plain_regions(text: str, start: int, end: int) -> tuple[int, int] | None:
    if text[start:end] == "等国" and text[end : end + 1] == "家":
        return None
    if text[end:].startswith(("和地区", "及地区", "与地区", "或地区", "和港澳", "和台湾")):
        return None
    if text[end:].startswith(("级", "重点")):
        return None
    lo, _ = plain_window(text, start, end, "，。；：！？\n（）")
    region = re.compile("港澳台|台湾|香港|澳门").search(text, lo, start)
    if region is None:
        return None
    between = re.sub("港澳台|台湾|香港|澳门", "", text[region.start() : start])
    # A list closed by 在内的 and a count (美国、英国、香港在内的12个国家).
    between = re.sub("在内的?[0-9一二三四五六七八九十两多几余]*$", "", between)
    items = [item for item in re.split("以及|、|和|及", between) if item]
    if any(len(item) > 5 or set("与同跟向对在到赴从为把将是有的了") & set(item) for item in items):
        return None
    if re.search("地区(?:以及|、|和|及)", between):
        return None  # the region named a 地区 in the list (香港地区和东南亚国家)
    return region.start(), end


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=24).map("".join))
@example("台湾地区、等国家")  # named a 地区 in the list
@example("台湾和地区和地区等国家")
@example("美国、台湾在内的12个国家")  # a list closed by 在内的 and a count
def test_regions_among_countries_agree_with_the_plain_reading(text: str) -> None:
    for anchor in ("等国家", "等国", "三国"):
        rule = ANCHORS[anchor]
        for start in _offsets(text, anchor):
            end = start + len(anchor)
            finding = rule(text, start, end)
            fast = None if finding is None else (finding.start, finding.end)
            assert fast == plain_regions(text, start, end), (anchor, start)


# A word judged by what stands near it: the plain reading matches the words within
# reach, clause mark by clause mark.
_PAIR_READING = {
    "登陆": (rf"[^，。；：！？、\n]{{0,12}}?(?:{_ONLINE})", None),
    "游览": (r"[^，。；：！？、\n]{0,8}?(?:网站|官网|网页|页面|公众号)", None),
    "即要": (r"[^。；！？\n]{0,40}?(?:又要|也要|还要)", None),
    "渡过": (rf"[^，。；：！？、\n]{{0,6}}?(?:{_SPELLS})", None),
    "泄漏": (f"(?:{_SECRETS})", f"(?:{_SECRETS})$"),
}
_pair_pieces = st.sampled_from(
    ["登陆", "游览", "即要", "渡过", "泄漏", "网站", "官网", "平台", "公众号", "App", "页面",
     "又要", "也要", "假期", "周末", "难忘", "信息", "隐私", "，", "。", "、", "文", "县图书馆",
     "微信", "\n"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_pair_pieces, max_size=14).map("".join))
def test_word_pairs_agree_with_the_plain_reading(text: str) -> None:
    for word, (after, before) in _PAIR_READING.items():
        for start in _offsets(text, word):
            end = start + len(word)
            plain = re.compile(after).match(text, end) is not None
            if before and not plain:
                plain = re.compile(before).search(text, max(0, start - 6), start) is not None
            assert (ANCHORS[word](text, start, end) is not None) == plain, (word, start)


def plain_boundary(text: str, start: int, end: int) -> int:
    """The word that makes a hit a boundary, read in a loop over the three joins."""
    if start and text[start - 1] in "0123456789０１２３４５６７８９十百千万亿":
        return context.FIRM_BOUNDARY
    if end - start == 2 and text[end - 1] == "等" and start and text[start - 1] in "、和及与或":
        return context.FIRM_BOUNDARY  # the last of a list: 米、面、油等
    if end - start >= 4:
        return 0
    words, freq = context.join_words(), context._FREQ
    strength = 0
    for before, inside in ((1, 1), (2, 1), (1, 2)):
        split = end - start == 2 and inside == 1
        joins = []
        if start >= before:
            joins.append((text[start - before : start + inside], start + 1, True))
        if end + before <= len(text) and end - inside >= 0:
            joins.append((text[end - inside : end + before], start, False))
        for word, other, left in joins:
            if word not in words:
                continue
            if split:  # the hit's other character must make a word on its side
                other_ok = (
                    any(text[other : other + k] in words for k in (1, 2, 3))
                    if left
                    else any(text[max(0, other + 1 - k) : other + 1] in words for k in (1, 2, 3))
                )
                if not other_ok:
                    continue
            strength = max(strength, min(freq[word], context.FIRM_BOUNDARY))
    return strength


# Hits beside the characters of common words, numbers, marks and the ends of the text.
_boundary_chars = st.sampled_from(
    list("城市施工活动期间演出场所合力部署布署在再1十，。余场公共文化旅游、和等油")
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_boundary_chars, min_size=1, max_size=12).map("".join))
@example("城市施工")  # 市施: 城市 before, 施工 after
@example("本次共演出20余场。")  # a number before 余场
@example("米、面、油等")  # 油等 ends the list
def test_the_boundary_agrees_with_the_plain_reading(text: str) -> None:
    spans = [(s, e) for s in range(len(text)) for e in range(s + 1, min(len(text), s + 4) + 1)]
    for start, end in spans:
        fast = context._boundary(text, start, end)
        assert fast == plain_boundary(text, start, end), (text, start, end)

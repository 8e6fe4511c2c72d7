"""标点与格式: unmatched pairs, half-width punctuation in Chinese, doubled characters,
empty headings, after GB/T 15834-2011《标点符号用法》.

* unmatched 《》, “”, （） and 【】 on a line, and a quotation nested in another with
  double marks again (the inner one takes ‘’, GB/T 15834 4.1.3.4);
* half-width , . ; : ? ! ( ) " and << >> in Chinese text, and bullets (•) or "--" where the
  间隔号 (·) or the 破折号 (——) belong;
* ellipses written "..." or "。。。" or as a single "…" (the 省略号 is ……);
* two marks of a pause written together (，。 、， ；。 …), doubled characters and marks;
  "？！" and the doubled ？ and ！ are left alone (GB/T 15834 4.3.3 and 4.4.3 allow them);
* a 顿号 between two neighbouring numbers that make an approximate count ("三、四个":
  三四个, GB/T 15834 4.5.3.5), and a hyphen between the days of a date range;
* empty Markdown headings.

All warnings: each is almost always a slip, but none changes what the text says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import pairwise
from operator import methodcaller

from domain.proofread.lexicon import Lexicon, LexiconEntry
from domain.proofread.model import WARN, Finding, new_finding
from domain.proofread.terms import TermIndex

CATEGORY = "punctuation"

_PAIRS = {"《": "》", "“": "”", "（": "）", "【": "】"}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}
# Half-width brackets next to Chinese text: "《办法》(以下简称……)" -> （以下简称……）.
# A weekday after a date may keep them ("5月20日(周二)", a style the date check reads).
_BRACKETS = {"(": "（", ")": "）"}
_NOT_A_WEEKDAY = {
    "(": r"(?!(?:周|星期)[一二三四五六日天]\))",
    ")": r"(?<!周[一二三四五六日天]\))(?<!星期[一二三四五六日天]\))",
}
# One literal-led pattern per mark (fast scan, see scan.py): a Chinese character before
# the mark (looked at once the mark is found), then a Chinese character, a closing mark
# or the end of the line ("情况.\n"). "3.5" and "www.mct.gov.cn" never match.
# A closing mark before it counts as Chinese ("详见《报名表》."), and so, for the marks
# other than the point, does a digit or a Latin letter with Chinese right after the mark
# ("共186件,罚没款" is found by the first rule; "APP,请" by the second).
# A colon after a Chinese word introduces what follows, whatever it is: 咨询电话:0571……,
# 网址:www……, 时间:9:00 take the full-width one too.
_AFTER_COLON = "0-9A-Za-z"
_HALF_WIDTH = {
    mark: re.compile(
        re.escape(mark)
        + rf"(?:(?<=[{_CJK}》”）]{re.escape(mark)})"
        + rf"(?=[{_CJK}”’）》」{_AFTER_COLON if mark == ':' else ''}]|[ \t]*(?:\n|\Z))"
        + ("" if mark == "." else rf"|(?<=[0-9A-Za-z%％]{re.escape(mark)})(?=[{_CJK}])")
        + ")"
    )
    for mark in _FULL_WIDTH
}
_HALF_WIDTH.update(
    {
        mark: re.compile(
            re.escape(mark)
            + _NOT_A_WEEKDAY[mark]
            + rf"(?:(?<=[{_CJK}《》“”]{re.escape(mark)})|(?=[{_CJK}《》“”]))"
        )
        for mark in _BRACKETS
    }
)
# A mark is looked for with str.find, many times faster than a regex scan where marks
# are few (see scan.py), each found one judged in Python; a mark found more often than
# once every _DENSE characters (past the first 16) is left to one regex scan of the rest.
_DENSE = 1000

# Characters and marks written twice by a slip: the same word (的的) or the same mark
# (。。, ，，): one of them is one too many.
DOUBLED = ("的的", "了了", "是是", "在在", "。。", "，，", "、、", "；；", "：：")
# Legitimate words that contain a doubled pair ("为了了解" = 为了 + 了解).
DOUBLED_WHITELIST: tuple[str, ...] = (
    "的的确",
    "目的的",
    "了了之",
    "了了分明",
    "不甚了了",
    "小时了了",
    "了了解",
    "了了却",
    "是是非非",
    "是是否",
    "实实在在",
    "现在在",
    "在在线",
    # 在 before a word that starts with 在 (在在建项目, 在在岗职工), and 了了 as "settled".
    "在在建",
    "在在岗",
    "在在职",
    "在在校",
    "在在编",
    "在在售",
    "在在研",
    "终于了了",
    "心愿了了",
)
# The doubled characters are a small built-in lexicon: its terms ride in the Checker's
# one Aho-Corasick automaton (no pass of their own), and the whitelist and
# longest-match rules are the ones every lexicon has: "为了了解" is whitelisted,
# "的的的" is one finding, not two.
# Two marks of a pause written together (GB/T 15834: one mark ends one pause): the
# stronger one is kept. "？！", "！？", "？？" and "！！" are allowed by the standard.
_PAUSES = "、，；：。"
_STRENGTH = {mark: i for i, mark in enumerate("、，；：。？！")}
CLASHES: tuple[str, ...] = tuple(
    a + b
    for a in _PAUSES + "？！"
    for b in _PAUSES + "？！"
    if a != b and (a in _PAUSES or b in _PAUSES)
)
CLASH_NOTE = "标点连用"
ELLIPSIS_NOTE = "省略号应使用“……”"


def _stronger(pair: str) -> str:
    return max(pair, key=_STRENGTH.__getitem__)


DOUBLED_LEXICON = Lexicon(
    category=CATEGORY,
    version="builtin",
    default_severity=WARN,
    entries=tuple(LexiconEntry(pair, pair[0]) for pair in DOUBLED)
    + tuple(LexiconEntry(pair + pair[0], pair[0]) for pair in DOUBLED if pair != "。。")
    # Three full stops stand for an ellipsis (春有百花，夏有凉风。。。).
    + (LexiconEntry("。。。", "……", note=ELLIPSIS_NOTE),)
    + tuple(LexiconEntry(pair, _stronger(pair), note=CLASH_NOTE) for pair in CLASHES),
    whitelist=DOUBLED_WHITELIST,
    description="疑似多字",
)


# '#' first, so the scan is a literal one; the line-start test is done in Python.
_HEADING = re.compile(r"#(?:#{0,5})[ \t\r\u3000]*$", re.MULTILINE)


def _finding(start: int, text: str, kind: str, suggestion: str | None, message: str) -> Finding:
    return new_finding(
        CATEGORY,
        WARN,
        start,
        start + len(text),
        text,
        suggestion,
        message,
        f"{CATEGORY}:{kind}",
    )


def check_pairs(text: str, reversed_text: str | None = None) -> list[Finding]:
    """Unmatched 《》, “” and （） within each line; the finding is the unmatched mark.

    ``reversed_text``: ``text[::-1]``, if the caller has it already."""
    findings: list[Finding] = []
    for open_, close in _PAIRS.items():
        if close in text:
            if reversed_text is None:
                reversed_text = text[::-1]
            findings.extend(_check_pair(text, reversed_text, open_, close))
        elif open_ in text:
            findings.extend(_check_pair(text, "", open_, close))
    return findings


# Per pair type, two literal-led scans find every mark that may be unmatched, and no
# other pass over the text is needed: an opening mark whose next mark of its type on
# the line is not a closing one (or that has none), and, on the reversed text, a
# closing mark whose previous mark of its type is not an opening one. An unmatched
# mark is always one of them (an opening mark and the closing one right after it are
# a pair), and without nesting they are exactly the unmatched ones. Each line that
# holds one is then checked exactly (a stack, nesting allowed), so a nested pair
# costs that line a second look and is never reported.
_MAYBE_OPEN = {o: re.compile(f"{o}(?=[^{o}{c}\\n]*+(?:[{o}\\n]|\\Z))") for o, c in _PAIRS.items()}
_MAYBE_CLOSE = {c: re.compile(f"{c}(?=[^{o}{c}\\n]*+(?:[{c}\\n]|\\Z))") for o, c in _PAIRS.items()}
_match_start = methodcaller("start")


def _check_pair(text: str, reversed_text: str, open_: str, close: str) -> list[Finding]:
    maybe = list(map(_match_start, _MAYBE_OPEN[open_].finditer(text)))
    if reversed_text:
        last = len(text) - 1
        maybe += [last - m.start() for m in _MAYBE_CLOSE[close].finditer(reversed_text)]
    if not maybe:
        return []
    findings: list[Finding] = []
    line_end = -1
    for pos in sorted(maybe):
        if pos < line_end:
            continue  # this line is checked already
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        if line_end == -1:
            line_end = len(text)
        opens = _positions(open_, text, line_start, line_end)
        closes = _positions(close, text, line_start, line_end)
        findings.extend(_unmatched(open_, close, opens, closes, []))
    return findings


_NESTED = {
    "“": ("nested_quote", "‘", "引号内再用引号，应使用单引号“‘’”"),
    "《": ("nested_title", "〈", "书名号内再用书名号，应使用单书名号“〈〉”"),
}
_LITERALS = {ch: re.compile(re.escape(ch)) for ch in (*_PAIRS, *_PAIRS.values())}


def _positions(char: str, text: str, start: int, end: int) -> list[int]:
    """Every offset of ``char`` in ``text[start:end]`` (a literal scan, ``map``: in C)."""
    return list(map(_match_start, _LITERALS[char].finditer(text, start, end)))


def _unmatched(
    open_: str, close: str, opens: list[int], closes: list[int], newlines: list[int]
) -> list[Finding]:
    # The exact check (nesting allowed, pairs reset at each line end), for texts that
    # failed the quick one.
    events = sorted(
        [(p, 1) for p in opens] + [(p, -1) for p in closes] + [(p, 0) for p in newlines]
    )
    findings = []
    stack: list[int] = []

    def flush() -> None:
        for pos in stack:
            message = f"“{open_}”没有配对的“{close}”"
            findings.append(_finding(pos, open_, "unmatched", None, message))
        stack.clear()

    # A quotation inside a quotation takes ‘’, not “” again; a title inside a title takes
    # 〈〉 (GB/T 15834 4.15.3.3: 《关于印发〈……办法〉的通知》).
    nested = open_ in _NESTED
    for pos, kind in events:
        if kind == 1:
            stack.append(pos)
        elif kind == -1:
            if stack:
                inner = stack.pop()
                if nested and stack:
                    kind, suggestion, message = _NESTED[open_]
                    findings.append(_finding(inner, open_, kind, suggestion, message))
            else:
                message = f"“{close}”没有配对的“{open_}”"
                findings.append(_finding(pos, close, "unmatched", None, message))
        else:
            flush()
    flush()
    return findings


def check_half_width(text: str) -> list[Finding]:
    """Half-width , . ; : ? ! after a Chinese character (中文,中文 -> 中文，中文), and
    half-width brackets next to one (简称(以下……) -> 简称（以下……）)."""
    found: list[tuple[int, str]] = []
    for mark, pattern in _HALF_WIDTH.items():
        start, looked = text.find(mark), 0
        while start != -1 and (looked < 16 or looked * _DENSE < start):
            if pattern.match(text, start):
                found.append((start, mark))
            start, looked = text.find(mark, start + 1), looked + 1
        if start != -1:
            found.extend((m.start(), mark) for m in pattern.finditer(text, start))
    found.sort()
    return [
        _finding(start, mark, "half_width", "·", _NAME_DOT)
        if mark == "." and _between_name_parts(text, start) else
        _finding(start, mark, "half_width", _FULL_WIDTH.get(mark) or _BRACKETS[mark],
                 f"中文之间使用了半角标点“{mark}”")
        for start, mark in found
        if mark != "." or not _after_chinese_ordinal(text, start)  # 一.总体要求: its own rule
    ]  # fmt: skip


# 列夫.托尔斯泰, 达.芬奇: a point between the parts of a foreign name stands for the 间隔号. The
# characters that end and start such parts in the Xinhua transliteration tables, most used.
_TRANSLITERATED = frozenset(
    "阿艾安奥巴贝比波布达戴德迪杜多厄恩法菲芬弗福盖戈格古哈汉赫亨霍基吉加杰卡凯科克库"
    "拉莱兰劳勒雷里利林留隆鲁路伦罗洛马迈麦曼梅蒙米姆穆纳内尼努诺欧帕佩皮普奇乔切琼"
    "萨塞桑瑟森沙舍什斯索塔泰坦特提托瓦威维沃乌西希谢休雅亚扬耶伊因英尤约泽扎詹兹夫"
    "尔丝娜莎娅妮琳蒂翰汀廉易芙"
)
_NAME_DOT = "外国人名各部分之间用间隔号“·”"


def _between_name_parts(text: str, at: int) -> bool:
    return (
        0 < at < len(text) - 1
        and text[at - 1] in _TRANSLITERATED
        and text[at + 1] in _TRANSLITERATED
    )


# 一、总体要求: a Chinese numeral that numbers a heading takes a 顿号 (GB/T 15834 4.5.3.3),
# not a point, half-width or full-width.
_CHINESE_NUMERALS = "一二三四五六七八九十"
_LINE_BREAKS = "\n\r \t\u3000"


def _after_chinese_ordinal(text: str, at: int) -> bool:
    """Whether the mark at ``at`` follows a Chinese numeral that starts its line."""
    lo = at
    while lo and at - lo < 3 and text[lo - 1] in _CHINESE_NUMERALS:
        lo -= 1
    return lo < at and (lo == 0 or text[lo - 1] in _LINE_BREAKS)


def _chinese_ordinal_point(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the numeral's last character and the point.
    at = end - 1
    if not _after_chinese_ordinal(text, at):
        return None
    return _finding(at, text[at], "chinese_item", "、", "汉字数字序号后用顿号“、”，不用点号")


# Marks that stand for Chinese ones only where Chinese text touches them. Each is an
# anchor of the checker's automaton (no pass of its own over the text), judged by its
# neighbours where it stands.
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _touches_chinese(text: str, start: int, end: int) -> bool:
    return bool(
        (start and _CJK_CHAR.match(text, start - 1))
        or (end < len(text) and _CJK_CHAR.match(text, end))
    )


def _stand_in(chinese: str, kind: str, message: str) -> Callable[[str, int, int], Finding | None]:
    """A rule for a mark that stands for ``chinese`` next to Chinese text (once a run)."""

    def rule(text: str, start: int, end: int) -> Finding | None:
        mark = text[start:end]
        if len(mark) == 2 and (
            text.startswith(mark[0], end) or (start and text[start - 1] == mark[0])
        ):
            return None  # part of a longer run (---, <<<)
        if not _touches_chinese(text, start, end):
            return None
        return _finding(start, mark, kind, chinese, message)

    return rule


_ELLIPSIS_RUN = re.compile(r"(?:\.{3,}|…+|·{3,}|．{3,})")


def _ellipsis(text: str, start: int, end: int) -> Finding | None:
    """An ellipsis written "...", "···" or with other than two (or four) "…"; 。。。 is a
    term of the doubled marks' list."""
    if start and text[start - 1] == text[start]:
        return None  # the run is judged at its first mark
    m = _ELLIPSIS_RUN.match(text, start)
    if m is None:
        return None
    run = m.group()
    if run in ("……", "…………") or not _touches_chinese(text, start, m.end()):
        return None
    return _finding(start, run, "ellipsis", "……", "省略号应使用“……”")


_YEAR_RANGE = "标示年份起止用一字线“—”"
_VALUE_RANGE = "标示数值范围用浪纹线“～”"
_ASCII_DIGITS = frozenset("0123456789")
_TIME_RANGE = "标示时间起止用一字线“—”或“至”，不用半角连接号"
# The full-width hyphen-minus (U+FF0D) is no mark of GB/T 15834 at all; between two numbers
# it stands for a hyphen, and is read as one.
_WIDE_HYPHEN = "－"
_TIME_RANGE_WIDE = "标示时间起止用一字线“—”或“至”，不用全角的“－”"
_CLOCK_RANGE = re.compile(r"(?<![0-9])[0-9]{1,2}[:：][0-9]{2}[-－][0-9]{1,2}[:：][0-9]{2}(?![0-9])")


def _digits_around(text: str, at: int) -> tuple[int, int]:
    """The start of the digits right before the mark at ``at`` and the end of those after."""
    lo = at
    while lo and text[lo - 1] in _ASCII_DIGITS:
        lo -= 1
    hi = at + 1
    while hi < len(text) and text[hi] in _ASCII_DIGITS:
        hi += 1
    return lo, hi


def _number_range(text: str, start: int, end: int) -> Finding | None:
    """ "3-5个工作日", "2025-2026年": a range of numbers takes ～ (of years —), not a hyphen
    (GB/T 15834 4.13.3); phone numbers and ISO dates keep theirs. The anchor is a digit
    and the hyphen after it."""
    at = end - 1
    mark = text[at]
    lo, hi = _digits_around(text, at)
    left, right = at - lo, hi - at - 1
    if not (1 <= left <= 4 and 1 <= right <= 4):
        return None
    if lo and text[lo - 1] in ":：":
        clock = _CLOCK_RANGE.search(text, max(0, lo - 3), hi + 6)
        if clock is not None and clock.start() < at < clock.end():
            why = _TIME_RANGE_WIDE if mark == _WIDE_HYPHEN else _TIME_RANGE
            return _finding(at, mark, "range", "—", why)  # 8:00-18:00
        return None
    if lo and (text[lo - 1] in "-./:－" or (text[lo - 1].isascii() and text[lo - 1].isalnum())):
        return None
    after = text[hi : hi + 1]
    if not after or not (after in "%％℃" or _CJK_CHAR.match(after)):
        return None  # (10-20%, 8-12℃: values too)
    suggestion, message = ("—", _YEAR_RANGE) if left == right == 4 else ("～", _VALUE_RANGE)
    return _finding(at, mark, "number_range", suggestion, message)


def _double_hyphen_range(text: str, start: int, end: int) -> Finding | None:
    """ "2025--2027年": two hyphens for a dash between two numbers (the anchor is a digit
    and the two hyphens), read as one hyphen is."""
    at = end - 2
    lo, _ = _digits_around(text, at)
    hi = end
    while hi < len(text) and text[hi] in _ASCII_DIGITS:
        hi += 1
    left, right = at - lo, hi - end
    if not (1 <= left <= 4 and 1 <= right <= 4):
        return None
    if lo and (text[lo - 1] in "-./:－" or (text[lo - 1].isascii() and text[lo - 1].isalnum())):
        return None
    after = text[hi : hi + 1]
    if not after or not (after in "%％℃" or _CJK_CHAR.match(after)):
        return None
    suggestion, message = ("—", _YEAR_RANGE) if left == right == 4 else ("～", _VALUE_RANGE)
    return _finding(at, "--", "number_range", suggestion, message)


# Dates and times run from one to the other with the 一字线 (9—10月, 8月1—3日); a range of
# values takes the 浪纹线 (30～50元, 3～5个工作日; GB/T 15834 4.13.3.2 and 4.13.3.3).
_TIME_UNITS = frozenset("年月日时号点世周")


def _large_number_range(text: str, start: int, end: int) -> Finding | None:
    """ "5万-8万元": the hyphen of a range after 万 or 亿 (the anchor is 万 or 亿 and the
    hyphen after it)."""
    if not start or text[start - 1] not in _ASCII_DIGITS:
        return None
    if end >= len(text) or text[end] not in _ASCII_DIGITS:
        return None
    return _finding(end - 1, text[end - 1], "number_range", "～", _VALUE_RANGE)


def _tilde_range(text: str, start: int, end: int) -> Finding | None:
    """ "30~50元", "2025~2026年": the half-width tilde of a range (the anchor is ~ and the
    digit after it), read as the hyphen is."""
    if not start or text[start - 1] not in _ASCII_DIGITS:
        return None
    return _number_range(text, start - 1, start + 1)


def _value_range_dash(text: str, start: int, end: int) -> Finding | None:
    """ "30—50元": a 一字线 between two numbers of a value (the anchor is — and the digit
    after it)."""
    at = start
    if not at or text[at - 1] not in _ASCII_DIGITS:
        return None
    lo, hi = _digits_around(text, at)
    if text[lo] == "0" and 3 <= at - lo <= 4 and 7 <= hi - at - 1 <= 8:
        return _finding(at, "—", "phone_dash", "-", "电话号码的区号与号码之间用连接号“-”")
    if hi == at + 1 or at - lo > 3 or hi - at - 1 > 3:
        return None  # no number after it, or a year (2025—2026年 is a span of time)
    before = text[lo - 1] if lo else ""
    if before and (before in "-—－～.．/:：" or (before.isascii() and before.isalnum())):
        return None
    after = text[hi : hi + 1]
    if after in ("%", "％", ".", "．"):
        return None  # 15%—30%: left to the range rules of numbers.py
    if not after or not _CJK_CHAR.match(after) or after in _TIME_UNITS:
        return None
    if text.startswith(("小时", "分钟", "个月", "天", "周岁"), hi):
        return None  # a stretch of time may be read as one (3—5天)
    return _finding(at, "—", "value_range", "～", _VALUE_RANGE)


_FULL_WIDTH_DIGITS = "０１２３４５６７８９"
_FULL_WIDTH_LETTERS = "".join(chr(c) for c in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)))
# A full-width form stands 0xFEE0 above its half-width one (Ａ U+FF21, A U+0041).
_TO_HALF_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in _FULL_WIDTH_DIGITS + _FULL_WIDTH_LETTERS}


def _full_width_run(
    chars: str, kind: str, message: str
) -> Callable[[str, int, int], Finding | None]:
    """A rule for a run of the full-width forms ``chars``, reported once, at its first:
    digits (２０２６年, GB/T 15835) and Latin letters (国家ＡＡＡＡ级) are written half-width."""

    def full_width(text: str, start: int, end: int) -> Finding | None:
        if start and text[start - 1] in chars:
            return None  # the run is reported at its first character
        hi = end
        while hi < len(text) and text[hi] in chars:
            hi += 1
        run = text[start:hi]
        return _finding(start, run, kind, run.translate(_TO_HALF_WIDTH), message)

    return full_width


_full_width_digits = _full_width_run(_FULL_WIDTH_DIGITS, "full_width_digit", "阿拉伯数字应使用半角")
_full_width_letters = _full_width_run(
    _FULL_WIDTH_LETTERS, "full_width_letter", "西文字母应使用半角"
)


# The 破折号 is no mark of a span: 12月1日——12月5日, 9:00——17:00 take the 一字线
# (GB/T 15834 4.13.3.1).
_SPAN_ENDS = frozenset("0123456789年月日时号")


def _dash_as_span(text: str, start: int, end: int) -> Finding | None:
    """ "12月1日——12月5日": a 破折号 between two dates or times (the anchor is —— and the
    digit after it)."""
    if not start or text[start - 1] not in _SPAN_ENDS:
        return None
    if text[start - 1] not in _ASCII_DIGITS and (start < 2 or text[start - 2] not in _ASCII_DIGITS):
        return None  # 三天——12月5日: a dash after words, not a date
    return _finding(start, "——", "span_dash", "—", "标示时间起止用一字线“—”，不用破折号“——”")


MARK_ANCHORS = {
    '"': _stand_in("“”", "half_width_quote", "中文之间使用了半角引号"),
    "<<": _stand_in("《", "half_width_title", "书名号应使用“《》”"),
    ">>": _stand_in("》", "half_width_title", "书名号应使用“《》”"),
    "•": _stand_in("·", "middle_dot", "间隔号应使用“·”"),
    "・": _stand_in("·", "middle_dot", "间隔号应使用“·”"),
    "--": _stand_in("——", "dash", "破折号应使用“——”"),
    **dict.fromkeys(("...", "…", "···", "．．．"), _ellipsis),
    **{digit + mark: _number_range for digit in "0123456789" for mark in ("-", _WIDE_HYPHEN)},
    **{digit + "--": _double_hyphen_range for digit in "0123456789"},
    **{big + mark: _large_number_range for big in "万亿" for mark in ("-", _WIDE_HYPHEN)},
    # (A digit before ~ or — is the anchor of numbers.py's ranges: these read from the mark.)
    **{"~" + digit: _tilde_range for digit in "0123456789"},
    **{"—" + digit: _value_range_dash for digit in "0123456789"},
    **dict.fromkeys(_FULL_WIDTH_DIGITS, _full_width_digits),
    **dict.fromkeys(_FULL_WIDTH_LETTERS, _full_width_letters),
    **{"——" + digit: _dash_as_span for digit in "0123456789"},
}


# A 顿号 between two neighbouring numbers of an approximate count: "三、四个" is 三四个
# (GB/T 15834 4.5.3.5). Only with a counting word after it, and not where the numbers are
# items of a list (第一、二批, 一、二、三级) or a heading's number (a line that starts "三、").
_COUNTING = re.compile(
    "(?:个|天|年|次|人|名|位|家|岁|倍|成|十|百|千|万|分钟|小时|周|里|公里|米|斤|元|件|场|条|遍|趟"
    "|只|辆|本|首|户|间|所|座|处|项|层楼|公斤|亩)"
)


def _approximate_count(text: str, start: int, end: int) -> Finding | None:
    if not start or text[start - 1] in "第、\n" or not _CJK_CHAR.match(text, start - 1):
        return None
    if not _COUNTING.match(text, end):
        return None
    return _finding(
        start, text[start:end], "approximate", text[start] + text[end - 1],
        "相邻的两个数字连用表示概数，中间不用顿号",
    )  # fmt: skip


def _date_range_hyphen(text: str, start: int, end: int) -> Finding | None:
    if end >= len(text) or not ("0" <= text[end] <= "9"):
        return None
    mark = text[start + 1 : end]
    if mark == _WIDE_HYPHEN:
        return _finding(start + 1, mark, "range", "—", _TIME_RANGE_WIDE)
    return _finding(
        start + 1, mark, "range", "—", "标示时间起止应使用一字线“—”或“至”，不用半角连接号"
    )


def _fixed(
    kind: str, suggestion: str | None, message: str, span: tuple[int, int] | None = None
) -> Callable[[str, int, int], Finding | None]:
    """A rule that reports its anchor (or the part ``span`` of it) wherever it stands."""

    def rule(text: str, start: int, end: int) -> Finding | None:
        lo, hi = (start, end) if span is None else (start + span[0], start + span[1])
        return _finding(lo, text[lo:hi], kind, suggestion, message)

    return rule


# 报名地点为：县民政局一楼: a colon does not part 为 from its object; it introduces a list or
# a passage on the lines after it (分别为：\n一、……), one after 如下, or a formula.
_LIST_OPENS = re.compile("\n|[（(]?[0-9一二三四五六七八九十]+[、.．）)]")


_WORDS_ENDING_WEI = frozenset("因认以作成称视行定改更尤极较广")
_VALUE_END = re.compile("[。；！？\n]")
_WORD_START = re.compile("[\u4e00-\u9fff]")


def _colon_after_wei(text: str, start: int, end: int) -> Finding | None:
    if end >= len(text) or _LIST_OPENS.match(text, end) is not None:
        return None
    if start and text[start - 1] in _WORDS_ENDING_WEI:
        return None  # 因为：, 认为：: not 为
    if _WORD_START.match(text, end) is None:
        return None  # 响应信息为：%s, 有效的实体为：&amp;: a value shown, not words
    stop = _VALUE_END.search(text, end)
    if "、" in text[end : stop.start() if stop else len(text)]:
        return None  # 拟推荐项目为：青溪竹编技艺、柳庄花鼓戏: a list
    if text.endswith(("分别", "如下", "依次", "公式", "格式", "比例", "比分"), 0, start):
        return None  # 计算公式为：笔试成绩×50%＋……: what follows is no words of a sentence
    return _finding(start, "为：", "colon_after_wei", "为", "“为”后不用冒号")


def _doubled_range(text: str, start: int, end: int) -> Finding | None:
    # Not a 破折号 (——) before or after 至: 直至——, a dash of its own.
    if (start and text.startswith("——", start - 1)) or text.startswith("——", end - 1):
        return None
    return _finding(
        start, text[start:end], "doubled_range", "至", "表示起止用“至”或连接号，二者不并用"
    )


# GB/T 15834 4.1.3.4: a quotation that is part of the sentence (称赞这里是“家门口的好书房”。)
# keeps the sentence's 句号 outside; one a speaker says whole, after a colon or a word of
# saying, keeps its own inside (他说：“……。”).
_SAID_BEFORE_QUOTE = ("说", "道", "问", "讲", "称", "表示", "指出", "强调", "认为", "写道")


def _period_in_closing_quote(text: str, start: int, end: int) -> Finding | None:
    if end < len(text) and text[end] != "\n":
        return None  # the sentence goes on (。”的 and 。”等 are rules of their own)
    opened = text.rfind("“", max(0, start - 40), start)
    if opened < 1 or text.find("”", opened, start) != -1:
        return None
    quoted = text[opened + 1 : start]
    if any(mark in quoted for mark in "。！？；") or not quoted:
        return None  # a quotation of sentences of its own
    before = text[opened - 1]
    if not ("\u4e00" <= before <= "\u9fff") or text.endswith(_SAID_BEFORE_QUOTE, 0, opened):
        return None
    return _finding(start, "。”", "period_in_quote", "”。", "引语作句子成分时，句号放在引号之外")


# 推进“一网通办，”企业开办……: a name or a phrase in quotation marks is part of the sentence,
# and the sentence's comma follows it (GB/T 15834 4.1.3.2 and 4.5.3: 推进“一网通办”，). A
# quotation that speaks (“我们一定办好，”他说) keeps its comma inside.
_SPEAKING_AFTER = re.compile(
    "[^，。；：！？、\n“”]{0,8}?(?:说|道|问|讲|表示|指出|介绍|告诉|坦言|感慨|笑)"
)
_TERM_LENGTH = 12  # characters of a quoted name or phrase, at most


def _comma_in_closing_quote(text: str, start: int, end: int) -> Finding | None:
    opened = text.rfind("“", max(0, start - _TERM_LENGTH - 1), start)
    if opened < 1 or text.find("”", opened, start) != -1:
        return None
    quoted = text[opened + 1 : start]
    if not quoted or any(mark in quoted for mark in "，。！？；：、"):
        return None  # a quotation of a clause of its own
    before = text[opened - 1]
    if not ("\u4e00" <= before <= "\u9fff") or text.endswith(_SAID_BEFORE_QUOTE, 0, opened):
        return None  # a quotation after a pause or a word of saying: speech
    if _SPEAKING_AFTER.match(text, end):
        return None
    return _finding(start, "，”", "comma_in_quote", "”，", "引语作句子成分时，逗号放在引号之外")


# “关于进一步加强文物安全工作的实施意见”: a document's title takes 书名号, not quotation marks.
_QUOTED_DOCUMENT = re.compile(
    "“(关于[^“”《》\n]{2,60}?的(?:通知|意见|实施意见|办法|方案|决定|规定|通告|公告|报告|请示|批复"
    "|函|纲要|规划|条例|细则|指导意见|工作要点))”"
)


def _quoted_document(text: str, start: int, end: int) -> Finding | None:
    m = _QUOTED_DOCUMENT.match(text, start)
    if m is None:
        return None
    return _finding(
        start, m.group(), "document_in_quotes", f"《{m[1]}》",
        "文件名称用书名号，不用引号",
    )  # fmt: skip


# 关于开展2024年“世界读书日”系列活动的通知。: a title on its own line, above the text it
# heads, ends with no 句号. (A text of one line may be a sentence that names a document.)
_TITLE_LINE = re.compile(
    "(?:[^，。！？；\n]{0,24}?(?:局|委|办|馆|院|中心|政府|厅|部|会|处|科|室|站|所|社|校|区|县|市|省))?"
    "关于[^，。！？；\n]{2,80}\\Z"
)  # (the sender's name may open it: 市档案馆关于……的公告)


def _title_line_period(text: str, start: int, end: int) -> Finding | None:
    if end >= len(text) or text[end] != "\n" or not text[end:].strip():
        return None
    line_start = text.rfind("\n", 0, start) + 1
    if _TITLE_LINE.match(text, line_start, end - 1) is None:
        return None
    return _finding(end - 1, "。", "title_period", None, "标题末尾不用句号")


# 二，报名方式: a heading's Chinese ordinal takes a 顿号, at the start of its line.
def _heading_ordinal_comma(text: str, start: int, end: int) -> Finding | None:
    lo = start
    while lo and text[lo - 1] in " \t\u3000":
        lo -= 1
    if lo and text[lo - 1] != "\n":
        return None
    return _finding(end - 1, "，", "heading_comma", "、", "汉字序号后用顿号")


# “5.18”国际博物馆日: a day named by its month and date takes a 间隔号 (“5·18”), not a point.
_DAY_NAME_WITH_POINT = re.compile(r"“([0-9]{1,2})\.([0-9]{1,2})”")


def _day_name_point(text: str, start: int, end: int) -> Finding | None:
    m = _DAY_NAME_WITH_POINT.match(text, start)
    if m is None or not (1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31):
        return None
    return _finding(
        m.end(1), ".", "day_name_point", "·", "以月日命名的节日、事件，月日之间用间隔号“·”"
    )


def _arabic_item(text: str, start: int, end: int) -> Finding | None:
    # "1、活动时间" at the start of a line: an Arabic number takes the 下脚点 (1.), a 顿号
    # follows Chinese numbers only.
    if start and text[start - 1] not in "\n \t\u3000":
        return None
    return _finding(start + 1, "、", "arabic_item", ".", "阿拉伯数字序号后用下脚点“.”，不用顿号")


def _ordinal(text: str, start: int, end: int) -> Finding | None:
    # "第一、要……" takes a comma; "第一、二批" and "第一、第二名" list ordinals, and
    # "全省第一、全国领先" is a rank, not an ordinal that starts its clause.
    if end < len(text) and text[end] in "第一二三四五六七八九十":
        return None
    if start and text[start - 1] not in "，。；：！？\n \u3000":
        return None
    word = text[start : end - 1]
    return _finding(end - 1, "、", "ordinal", "，", f"“{word}”等序次语之后用逗号")


def _single_quote(text: str, start: int, end: int) -> Finding | None:
    """ "‘十四五’规划": single quotation marks only inside double ones (GB/T 15834 4.1.3.4)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text.count("“", line_start, start) > text.count("”", line_start, start):
        return None  # inside a quotation
    if start and text[start - 1].isascii() and text[start - 1].isalpha():
        return None  # an apostrophe in a Latin word
    return _finding(start, "‘", "single_quote", "“", "引号外层应使用双引号“”，单引号用于引号内")


def _corner_bracket(text: str, start: int, end: int) -> Finding | None:
    return _finding(start, text[start:end], "corner_bracket", "“" if text[start] == "「" else "”",
                    "引号应使用“”（「」不是规范的引号）")  # fmt: skip


# 《》 marks the titles of works and documents; the name of an event takes “”
# ("举办《乐享金秋》文旅消费季活动" → “乐享金秋”). The anchor is 》; the word of an event
# follows it in a few characters.
EVENTS = (
    "活动", "主题活动", "系列活动", "大赛", "比赛", "竞赛", "评选", "文化节", "旅游节", "艺术节",
    "消费季", "专项行动", "行动", "工程", "论坛", "研学营", "夏令营",
)  # fmt: skip
# Nor are websites, accounts and apps works (GB/T 15834 4.15.3: 书名号 is not used for
# names that cannot be seen as works): 关注“文旅之城”微信公众号, not 《文旅之城》.
ACCOUNTS = (
    "公众号", "微信号", "视频号", "抖音号", "网站", "官网", "小程序", "客户端", "App", "APP",
    "微博", "账号", "平台",
)  # fmt: skip
_WORK_BEFORE = re.compile(
    "(?:电影|影片|话剧|舞剧|歌剧|京剧|戏曲|剧目|节目|歌曲|图书|书籍|纪录片|专题片|栏目|作品|杂志"
    "|电视剧|网络剧|网剧|短剧|动画片|动画|综艺|微电影|短片|小说|诗集|专辑|游戏"
    "|报|条例|办法|规定|通知|意见|方案|规划|法|纲要|标准|指南|守则|公约|宣言|决定)[^《》\n]{0,3}$"
)


_EVENT_AFTER = re.compile(
    "[^，。；：、《》“”（）\n]{0,6}?(?:"
    + "|".join(sorted((*EVENTS, *ACCOUNTS), key=len, reverse=True))
    + ")"
)


# Between the title and the event, a word of performing or reading says the title is a
# work's (《我和我的祖国》歌咏比赛, 《论语》诵读活动).
_PERFORMED = frozenset("歌咏唱诵读演影书画征剧曲舞")


# The whole name of a meeting or an event inside 《》 ("召开《全市文化和旅游工作会议》"): the
# title ends with the word of the event itself.
NAMED_EVENTS = (
    *EVENTS, "会议", "大会", "博览会", "交易会", "座谈会", "研讨会", "推介会", "交流会", "培训班",
    "运动会", "音乐节", "灯会", "庙会", "嘉年华", "展销会", "洽谈会", "年会", "峰会",
)  # fmt: skip


# 《第三届非遗购物节》: a title that counts its sessions and ends as an event does is one.
_NTH_SESSION = re.compile("第[一二三四五六七八九十百0-9]+届")
_EVENT_ENDINGS = tuple("节会赛展季周营典")


def _event_titled(text: str, start: int) -> Finding | None:
    opened = text.rfind("《", max(0, start - 40), start)
    if opened == -1 or text.find("》", opened, start) != -1 or text.find("\n", opened, start) != -1:
        return None
    title = text[opened + 1 : start]
    if "《" in title or title.startswith("关于"):
        return None
    if not title.endswith(NAMED_EVENTS) and not (
        title.endswith(_EVENT_ENDINGS) and _NTH_SESSION.match(title)
    ):
        return None
    if _WORK_BEFORE.search(text, max(0, opened - 8), opened):
        return None  # a film's or a programme's title (纪录片《……大会》)
    return _finding(opened, text[opened : start + 1], "title_of_event", None,
                    "活动、会议的名称用引号，不用书名号")  # fmt: skip


def _title_of_event(text: str, start: int, end: int) -> Finding | None:
    if text.endswith(NAMED_EVENTS, max(0, start - 4), start):
        return _event_titled(text, start)
    if text.endswith(_EVENT_ENDINGS, max(0, start - 1), start):
        found = _event_titled(text, start)
        if found is not None:
            return found
    m = _EVENT_AFTER.match(text, end)
    if m is None or _PERFORMED.intersection(m.group().replace("演讲", "")):
        return None  # (a speech contest is no performance of the title: 演讲比赛)
    opened = text.rfind("《", max(0, start - 30), start)
    if opened == -1 or text.find("\n", opened, start) != -1:
        return None
    title = text[opened + 1 : start]
    if _WORK_BEFORE.search(text, max(0, opened - 8), opened) or _WORK_BEFORE.search(title):
        return None  # a film's, a law's title
    if m.group().endswith(ACCOUNTS):
        return _finding(opened, text[opened : start + 1], "title_of_account", None,
                        "网站、公众号、客户端等的名称用引号，不用书名号")  # fmt: skip
    return _finding(opened, text[opened : start + 1], "title_of_event", None,
                    "活动、赛事、工程的名称用引号，不用书名号")  # fmt: skip


# GB/T 15834 4.5.3: items joined by 和, 及 or 或 take no 顿号 before it (书法、绘画、和摄影).
# Not where the word after the 顿号 starts with it (繁荣、和平、发展; 准确、及时; 不可或缺), nor
# after a heading's numeral (三、和美乡村建设).
_NOT_CONJUNCTION = {
    "和": "平谐美睦善蔼煦解气顺乐畅风田林服弦声约合面料泥、，",
    "及": "时格早第",
    "或": "许然多缺",
}


def _pause_before_and(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(tuple(_NOT_CONJUNCTION[text[end - 1]]), end):
        return None
    if start and text[start - 1] in "一二三四五六七八九十":
        return None  # a heading's numeral
    word = text[end - 1]
    return _finding(start, "、", "pause_before_and", None, f"“{word}”前不用顿号")


def _pause_before_deng(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(("级", "待", "候", "同", "于", "额", "奖"), end):
        return None  # 一等、二等奖; 、等待, 、等候
    return _finding(start, "、", "pause_before_deng", None, "“等”前不用顿号")


# GB/T 15834 4.7.3.4: a sentence holds one 冒号 that introduces; a second one inside what
# the first introduced ("会议指出：要做好安全工作：一是……") is nested. A colon of a clock
# (9:30), one inside quotation marks, or one in another clause (时间：……，地点：……) or on
# another line is not counted.
_SENTENCE_STOP = "。！？；，\n“”"


# Only a colon that a word of saying brings in is read (会议指出：, 他强调：): a label's
# colon (时间：, 主题：) starts a field, and a line may hold several fields. The anchors are
# the words with their colon; the rule looks ahead for a second one in the same clause.
SAYING_WORDS = (
    "指出", "强调", "要求", "表示", "认为", "提出", "说", "讲", "介绍", "提醒", "明确", "宣布",
    "总结", "回应", "坦言", "感慨", "说道", "表明", "如下", "包括",
)  # fmt: skip
_SAYING = re.compile(f"(?:{'|'.join(SAYING_WORDS)})$")
_TO_NEXT_COLON = re.compile(f"[^{_SENTENCE_STOP}：]{{1,60}}：")


def _nested_colon(text: str, start: int, end: int) -> Finding | None:
    m = _TO_NEXT_COLON.match(text, end)
    if m is None:
        return None
    at = m.end() - 1
    if m.end() < len(text) and "0" <= text[m.end()] <= "9" and "0" <= text[at - 1] <= "9":
        return None  # a clock's colon (9：30)
    return _finding(at, "：", "nested_colon", "，", "一个句子内部一般不套用冒号")


# GB/T 15834 4.1.3.4 and 4.9.3: a complete quotation brought in by a colon of saying keeps its
# sentence's end mark (。？！) inside the quotation marks (他说：“请大家排好队。”), not after
# them. A colon of saying brings in what stands alone; a short one (稳中求进) may be a term
# quoted, so only quotations of eight characters or more are read, with or without a comma
# inside (他说：“我们一定会做好服务工作”。).
def _end_mark_outside_quote(text: str, start: int, end: int) -> Finding | None:
    lo = start - 120 if start > 120 else 0
    opening = text.rfind("“", lo, start)
    if opening < 1 or text[opening - 1] != "：" or "”" in text[opening:start]:
        return None
    if not _SAYING.search(text, max(0, opening - 3), opening - 1):
        return None  # 主题：“绿水青山，美丽家园”。 names a theme, it quotes no one
    quoted = text[opening + 1 : start]
    if len(quoted) < 8 or "\n" in quoted:
        return None  # a short phrase or a term is a part of the sentence: the mark stays out
    if text[start - 1] in "。！？…":
        return None
    mark = text[start + 1]
    return _finding(
        start, "”" + mark, "end_mark_outside_quote", mark + "”",
        "冒号引出的完整引语，句末点号放在引号之内",
    )  # fmt: skip


# GB/T 15834 4.15.3.1: the name of a law is a title (《中华人民共和国旅游法》第二十条): its
# whole name, 中华人民共和国 and a name ending in 法 or 法典, in running text without 《》.
# The name holds no word of a sentence (中华人民共和国成立以来的立法 names no law).
_LAW_NAME = re.compile(
    "[^的了在是和与及对把被从向以于为之其这那个们说将已就都而并或成来后前中上下依境违守执驻，。、；：！？“”《》（）\n]"
    "{1,14}?(?:法典|法)(?![院官人律学治规制定网理庭务警宝器术门则师眼国兰])"
)


def _law_without_title_marks(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] in "《〈“<＜":
        return None
    m = _LAW_NAME.match(text, end)
    if m is None:
        return None
    return _finding(
        start, text[start : m.end()], "law_title", f"《{text[start : m.end()]}》",
        "法律名称是书名，应加书名号",
    )  # fmt: skip


# 依据道路交通安全法: a law cited by its short name is a title too. The laws and regulations
# that notices cite most, after a word that cites (依据, 根据, 违反……); not where the name
# stands inside 《》 already, or is a field of law (税法, 刑法学).
SHORT_LAW_NAMES = (
    "道路交通安全法", "安全生产法", "广告法", "食品安全法", "环境保护法", "消防法", "劳动法",
    "劳动合同法", "民法典", "行政处罚法", "行政许可法", "治安管理处罚法", "文物保护法", "旅游法",
    "非物质文化遗产法", "公共文化服务保障法", "网络安全法", "个人信息保护法", "数据安全法",
    "未成年人保护法", "义务教育法", "传染病防治法", "突发事件应对法", "防洪法", "森林法",
    "土地管理法", "城乡规划法", "招标投标法", "政府采购法", "消费者权益保护法", "产品质量法",
    "药品管理法", "反不正当竞争法", "电子商务法", "著作权法", "商标法", "档案法", "保守国家秘密法",
    "大气污染防治法", "水污染防治法", "野生动物保护法", "安全生产条例", "优化营商环境条例",
    "政府信息公开条例", "信访工作条例", "娱乐场所管理条例", "营业性演出管理条例",
)  # fmt: skip
_LAW_WORD_AFTER = frozenset("律规院官人学治制定理庭务")
_CITING = re.compile("(?:依据|根据|按照|依照|违反|遵守|贯彻|执行|实施|对照)(?:中华人民共和国)?$")


def _short_law_without_title_marks(text: str, start: int, end: int) -> Finding | None:
    lo = start - 10 if start > 10 else 0
    if _CITING.search(text, lo, start) is None:
        return None
    if end < len(text) and (text[end] in "》〉”" or text[end] in _LAW_WORD_AFTER):
        return None  # (政府采购法律法规: 法律, not the law)
    law_start = start - 7 if text.endswith("中华人民共和国", lo, start) else start
    return _finding(
        law_start, text[law_start:end], "law_title", f"《{text[law_start:end]}》",
        "法律名称是书名，应加书名号",
    )  # fmt: skip


# GB/T 15834 4.15.3: titles of documents take 书名号 when cited (根据《关于……的意见》). A
# title after 根据, 按照, 依据 that starts with 关于 and ends with the kind of document.
_DOC_KINDS = (
    "意见|通知|办法|规定|方案|决定|条例|细则|规划|纲要|指引|指南|批复|报告|规则|公告|通告|要点"
)
_CITED_TITLE = re.compile(f"关于[^，。；：！？《》“”\n]{{2,60}}?的(?:{_DOC_KINDS})")


def _title_without_marks(text: str, start: int, end: int) -> Finding | None:
    m = _CITED_TITLE.match(text, end - 2)
    if m is None:
        return None
    return _finding(
        m.start(), m.group(), "document_title", f"《{m.group()}》", "引用的文件名称应加书名号"
    )


# 评为《文明单位》, 《十佳景区》称号: an honour's name is no title of a work; quotation marks
# at most (GB/T 15834 4.15.3).
def _honour_in_title_marks(text: str, start: int, end: int) -> Finding | None:
    if text[start] == "》":  # ……》称号: the title before it
        opening = text.rfind("《", max(0, start - 30), start)
        if opening == -1:
            return None
        lo, hi = opening, start + 1
    else:  # 评为《……》
        lo = end - 1
        closing = text.find("》", lo, lo + 30)
        if closing == -1:
            return None
        hi = closing + 1
    name = text[lo + 1 : hi - 1]
    return _finding(
        lo, text[lo:hi], "honour_title", f"“{name}”", "称号、荣誉名称不是书名，不用书名号"
    )


# GB/T 15834 4.2.3 and 4.1.3.1: a sentence that tells of a question (研究如何……, 分析存在哪些
# 短板) is a statement and ends with a 句号.
_TOLD_QUESTION = re.compile(
    "(?:研究|讨论|分析|探讨|思考|了解|询问|咨询|明确|弄清|商讨|排查|检查|核查|核实|确认|摸清|调查"
    "|关心的是|关注的是)(?:了|一下)?"
    "[^，。！？；：“\n]{0,16}?(?:如何|怎样|怎么|是否|哪些|什么|为什么|何时|何地|能否)"
)  # (了解如何……, 咨询今年秋季学期何时开学, 了解市民对公共文化服务是否满意)


_ASKED = re.compile("是否|如何|怎样|怎么|什么|哪|谁|为什么|能否|可否|要不要|是不是|难道|岂")


# 请各位家长督促孩子按时完成假期作业？: a request that asks nothing ends with a 句号.
_REQUEST = re.compile("请(?!问)")


def _request_question(text: str, start: int) -> Finding | None:
    reach = start - 80 if start > 80 else 0
    lo = max(text.rfind(mark, reach, start) for mark in "。！？；\n：“”") + 1
    if (lo == 0 and reach) or _REQUEST.match(text, lo) is None:  # (a sentence out of reach)
        return None
    if _ASKED.search(text, lo, start) or any(w in text[lo:start] for w in "吗呢吧么几多"):
        return None
    return _finding(start, "？", "request_question", "。", "祈使句（请求）末尾用句号，不用问号")


def _indirect_question(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the question mark.
    request = _request_question(text, start)
    if request is not None:
        return request
    reach = start - 80 if start > 80 else 0
    if _TOLD_QUESTION.search(text, reach, start) is None:
        return None  # most questions: no word that tells of one
    lo = max(text.rfind(mark, reach, start) for mark in "。！？；\n：“") + 1
    told = _TOLD_QUESTION.search(text, lo, start)
    if told is None or _ASKED.search(text, lo, told.start()):
        return None  # 我们是否需要研究如何提升？ asks itself
    if text.find("吗", lo, start) != -1 or text.find("呢", lo, start) != -1:
        return None
    return _finding(start, "？", "indirect_question", "。", "间接问句（陈述句）末尾用句号")


# 景区实行分时预约、请游客提前购票: a 顿号 parts words of a list; before a request (请……)
# a new clause starts, after a comma. Not before 请示, 请求, 请假 and other words of 请.
_WORDS_OF_QING = frozenset("示求假柬帖愿缨教客销战功辞命")


def _pause_before_request(text: str, start: int, end: int) -> Finding | None:
    if end < len(text) and text[end] in _WORDS_OF_QING:
        return None
    if start and (text[start - 1] in _CHINESE_NUMERALS or text[start - 1] in _ASCII_DIGITS):
        return None  # an item's number (二、请勿携带易燃易爆物品)
    return _finding(start, "、", "pause_before_clause", "，", "分句之间用逗号，不用顿号")


# 根据：《中华人民共和国突发事件应对法》: a preposition takes no colon before its object.
def _colon_after_preposition(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] not in "，。；！？\n":
        return None  # (政策依据：……, where 依据 is a noun)
    if text.startswith(("\n", " "), end):
        return None  # a heading over what follows
    return _finding(end - 1, "：", "colon_after_preposition", None, "介词和它的宾语之间不用冒号")


# “中华人民共和国文物保护法”宣传周: a law's name takes 书名号, not quotation marks.
_QUOTED_LAW = re.compile("“(中华人民共和国[^“”《》，。\n]{1,20}?(?:法|法典|条例))”")


def _quoted_law(text: str, start: int, end: int) -> Finding | None:
    m = _QUOTED_LAW.match(text, start)
    if m is None:
        return None
    return _finding(start, m.group(), "law_in_quotes", f"《{m[1]}》", "法律名称用书名号，不用引号")


# 各校要严格执行学校卫生工作条例: a regulation cited by its name after a word that cites it
# is a title, with 书名号 (GB/T 15834 4.15.3.1). Not a kind of regulation (有关条例, 相关
# 条例, 上述条例, 本条例).
_CITED_REGULATION = re.compile(
    f"(?:依据|根据|按照|依照|违反|遵守|贯彻|执行|实施|对照|学习|宣传|落实)([{_CJK}]{{4,16}})$"
)
_NOT_A_NAME = (
    "有关", "相关", "上述", "以上", "本", "该", "此", "各项", "这些", "那些", "新", "等",
    "和", "及", "与", "的", "好",
)  # fmt: skip


def _regulation_without_marks(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 条例.
    lo = start - 18 if start > 18 else 0
    m = _CITED_REGULATION.search(text, lo, start)
    if m is None:
        return None
    name = m.group(1)
    if any(word in name for word in _NOT_A_NAME) or "条例" in name:
        return None
    if end < len(text) and text[end] in "》〉”":
        return None
    return _finding(
        m.start(1), name + "条例", "law_title", f"《{name}条例》", "法规名称是书名，应加书名号"
    )  # fmt: skip


# GB/T 15834 4.15.3: names that are no work's take no 书名号: an organ (《市卫生健康委员会》),
# a card or certificate (《居民健康卡》), a course or project (《劳动教育》课程).
_ORGAN_TITLE = re.compile(
    "(?:中共|国家|国务院|省|市|县|区|州|镇|乡|街道)[^《》]{0,16}(?:委员会|局|厅|政府|办公室)"
)
_CARD_ENDINGS = ("卡", "证", "执照", "健康码", "证书")
_COURSE_AFTER = ("课程", "课题", "项目")


_THING_ENDS = ("委员会", "局", "厅", "政府", "办公室", *_CARD_ENDINGS)


def _title_of_a_thing(text: str, start: int) -> Finding | None:
    # ``start`` is the closing 》.
    if not (text.endswith(_THING_ENDS, 0, start) or text.startswith(_COURSE_AFTER, start + 1)):
        return None  # the common case, settled in C
    opened = text.rfind("《", max(0, start - 24), start)
    if opened == -1 or text.find("\n", opened, start) != -1:
        return None
    title = text[opened + 1 : start]
    if "《" in title:
        return None
    if _ORGAN_TITLE.fullmatch(title):
        kind, why = "title_of_organ", "机关、单位的名称不用书名号"
    elif _WORK_BEFORE.search(text, max(0, opened - 8), opened):
        return None
    elif title.endswith(_CARD_ENDINGS) and 3 <= len(title) <= 10:
        kind, why = "title_of_card", "证照、卡的名称不用书名号"
    elif text.startswith(_COURSE_AFTER, start + 1):
        kind, why = "title_of_course", "课程、课题、项目的名称不用书名号"
    else:
        return None
    return _finding(opened, text[opened : start + 1], kind, None, why)


def _title_of_event_or_thing(text: str, start: int, end: int) -> Finding | None:
    found = _title_of_event(text, start, end)
    return found if found is not None else _title_of_a_thing(text, start)


# GB/T 15834 4.14: a 破折号 is two 一字线 long (——); one after a closing quotation mark or
# before an opening one is a 破折号 cut short (“口袋公园”—城东游园).
def _short_dash(text: str, start: int, end: int) -> Finding | None:
    at = start + 1 if text[start] == "”" else start
    if (at and text[at - 1] == "—") or text.startswith("—", at + 1):
        return None
    if text.startswith("“", at + 1):
        closing = text.find("”", at + 2, at + 24)
        if (at and text[at - 1] == "”") or (closing != -1 and text.startswith("—", closing + 1)):
            return None  # 公众号—“惠民服务”—“消费券”: the steps of a menu
    return _finding(at, "—", "short_dash", "——", "破折号应使用“——”")


# GB/T 9704-2012《党政机关公文格式》7.2.4: the year of a document number (发文字号) is
# bracketed with 六角括号 〔〕 ("文旅发〔2026〕1号"), not [], 【】 or （）. The anchor is the
# opening bracket with the century; the rule wants the year closed and a number with 号.
_DOC_NUMBER = re.compile(r"[\[【（(［]((?:19|20)[0-9]{2})[\]】）)］][ ]?第?[0-9]{1,4}号")


def _doc_number_year(text: str, start: int, end: int) -> Finding | None:
    if not start or not _CJK_CHAR.match(text, start - 1):
        return None  # a document number follows the issuer's abbreviation (文旅发)
    m = _DOC_NUMBER.match(text, start)
    if m is None:
        return None
    year = m.group(1)
    return _finding(
        start, text[start : m.end(1) + 1], "doc_number", f"〔{year}〕",
        "发文字号中的年份用六角括号“〔〕”（GB/T 9704-2012）",
    )  # fmt: skip


# GB/T 15834 4.9.3.1: a bracket inside a sentence (句内括号) ends with no 句号 of its own:
# "请于9月30日前报送（逾期不再受理。）". A bracket after the end of a sentence (句外括号,
# "……报送。（逾期不再受理。）") keeps it.
_SENTENCE_ENDS = frozenset("。！？…\n")


def _full_stop_in_bracket(text: str, start: int, end: int) -> Finding | None:
    lo = start - 120 if start > 120 else 0
    opened = text.rfind("（", lo, start)
    if opened < 1 or text.find("）", opened, start) != -1 or text.find("\n", opened, start) != -1:
        return None
    if text[opened - 1] in _SENTENCE_ENDS or text[opened - 1] in " \u3000":
        return None  # a bracket after its sentence (or opening a line) keeps its 句号
    inside = text[opened + 1 : start]
    if any(mark in inside for mark in "。！？"):
        return None  # sentences of their own inside: a note, not a part of the sentence
    return _finding(start, "。", "bracket_stop", None, "句内括号中的话末尾不用句号")


# A question with a word that asks (为什么……呢) ends with ？ (GB/T 15834 4.3.3.1); 呢 after a
# statement (还早着呢) does not ask.
_ASKING = re.compile(
    "为什么|为何|怎么|怎样|如何|什么|哪(?!怕)|谁|多少|是否|难道|(?<![任如])何(?:况|必|尝|时|处)"
)


def _question_ne(text: str, start: int, end: int) -> Finding | None:
    lo = start - 60 if start > 60 else 0
    opened = max(text.rfind(mark, lo, start) for mark in "。！？；\n")
    if _ASKING.search(text, max(lo, opened + 1), start) is None:
        return None
    return _finding(start + 1, "。", "question", "？", "带疑问词的“呢”字疑问句末尾应使用问号")


def _deng_ellipsis(text: str, start: int, end: int) -> Finding | None:
    """ "书画、瓷器、玉器等……": 等 closing a list, then an ellipsis (GB/T 15834 4.11.3);
    等 of waiting (请稍等……) has no list before it."""
    if start and text[start - 1] == "等":
        return None  # 等等…… is its own anchor
    lo = start - 40 if start > 40 else 0
    pause = max(text.rfind(mark, lo, start) for mark in "，。；：！？\n")
    if text.find("、", max(lo, pause + 1), start) == -1:
        return None
    return _finding(start + 1, "……", "ellipsis", None, "省略号和“等”“等等”不连用")


# GB/T 15834 4.5.3.1: the items of a list of words are parted by the 顿号. Read only where a
# list is sure to be one: brought in by 包括, 包含, 涵盖, 主要有, 有 or 如 (perhaps with a
# colon), three or more items of two to six Chinese characters parted by commas, then 等 or
# 等等 and the end of the sentence ("活动包括：非遗展示，文艺演出，美食品鉴等。"). Items that
# are clauses (一是……, 有的……) are parted by commas rightly. The anchor is 等。.
_ITEM = f"[{_CJK}]{{2,6}}"
_LIST_BY_COMMAS = re.compile(
    "(?:包括|包含|涵盖|有(?![的关效序力所些点着了没])|如(?![今何果此同下上期实遇有需若未不发在因])|如下)"
    f"[：:]?((?:{_ITEM}，){{2,}}{_ITEM})$"
)
_CLAUSE_ITEM = re.compile(
    "(?:^|，)(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]|其[一二三四五六七八九十]|首先|其次|有的|还有)"
)


def _enumeration_comma(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] == "等":
        start -= 1  # 等等。
    lo = start - 80 if start > 80 else 0
    m = _LIST_BY_COMMAS.search(text, lo, start)
    if m is None or _CLAUSE_ITEM.search(m.group(1)):
        return None
    items = m.group(1)
    return _finding(
        m.start(1), items, "enumeration_comma", items.replace("，", "、"),
        "并列词语之间用顿号，不用逗号",
    )  # fmt: skip


_BETWEEN_MARKED = "标有引号或书名号的并列成分之间通常不用顿号"


# ……but a list that goes on with an item unmarked keeps its 顿号 throughout (全面准确贯彻
# “一国两制”、“港人治港”、“澳人治澳”、高度自治的方针).
_MARKED_ITEM = {"》": re.compile("《[^《》\n]{1,40}》、"), "”": re.compile("“[^“”\n]{1,40}”、")}


def _between_marked(text: str, start: int, end: int) -> Finding | None:
    item = _MARKED_ITEM[text[start]]
    at = end - 1
    while (m := item.match(text, at)) is not None:
        at = m.end()
    if at > end - 1 and at < len(text) and text[at] not in "“《":
        return None  # the last 顿号 is followed by an item with no marks
    return _finding(start + 1, "、", "marked_items", None, _BETWEEN_MARKED)


# Anchor text -> rule, for the checker's automaton (see domain.proofread.context).
# A space between a Chinese character and the mark after it (报名 。): a slip of the keyboard.
# Two or more spaces before a colon line up a form's labels (联 系 人  ：) and are left alone.
_SPACES = (" ", "\u3000")


def _space_before_mark(text: str, start: int, end: int) -> Finding | None:
    if not start or not _CJK_CHAR.match(text, start - 1):
        return None
    return _finding(start, text[start], "space_before_mark", None, "标点符号前多了空格")


PUNCTUATION_ANCHORS = {
    **{n + point: _chinese_ordinal_point for n in _CHINESE_NUMERALS for point in ".．"},
    **{space + mark: _space_before_mark for space in _SPACES for mark in "，。；、！？"},
    **MARK_ANCHORS,
    **dict.fromkeys(("》、《", "”、“"), _between_marked),
    **{
        f"（{n}）、": _fixed("bracketed_item", None, "带括号的序号后不再用顿号", (3, 4))
        for n in "一二三四五六七八九十"
    },
    **{f"{n}、": _arabic_item for n in "123456789"},
    **{
        f"（{n}）、": _fixed("bracketed_item", None, "带括号的序号后不再用顿号", (3, 4))
        for n in "123456789"
    },
    **{
        f"{n}、": _fixed("bracketed_item", None, "带圈的序号后不用顿号", (1, 2))
        for n in "①②③④⑤⑥⑦⑧⑨⑩"
    },
    # 首先、其次、一是 and 第一 (with no second ordinal after it) take a comma, not a 顿号.
    **{
        word + "、": _fixed(
            "ordinal", "，", f"“{word}”等序次语之后用逗号", (len(word), len(word) + 1)
        )
        for word in ("首先", "其次", "一是", "二是", "三是", "四是", "五是", "六是", "最后")
    },
    **{f"第{n}、": _ordinal for n in "一二三四五六七八九十"},
    "吗。": _fixed("question", "？", "“吗”字疑问句末尾应使用问号", (1, 2)),
    # 6月1日-至6月30日, 9:00至-17:00: a range takes 至 or a 连接号, not both.
    **{
        pair: _doubled_range
        for mark in ("-", "－", "—", "～", "~")
        for pair in (mark + "至", "至" + mark)
    },
    # A quotation that is a part of the sentence (坚持“以文塑旅、以旅彰文”的理念) ends with
    # no 句号 of its own (GB/T 15834 4.1.3.4).
    **dict.fromkeys(
        ("。”的", "。”等"),
        _fixed("period_in_quote", None, "引语作句子成分时，引号内不用句号", (0, 1)),
    ),
    "中华人民共和国": _law_without_title_marks,
    **dict.fromkeys(SHORT_LAW_NAMES, _short_law_without_title_marks),
    **dict.fromkeys(
        ("根据关于", "按照关于", "依据关于", "依照关于", "落实关于"), _title_without_marks
    ),
    **dict.fromkeys(("》称号", "》荣誉称号", "评为《", "创建《"), _honour_in_title_marks),
    "？": _indirect_question,
    **dict.fromkeys(("”—", "—“"), _short_dash),
    "呢。": _question_ne,
    # A mark of a pause right after an opening mark, or before a closing 书名号.
    **{
        opening + mark: _fixed("misplaced", None, "标点位置不当", (1, 2))
        for opening in "“（"
        for mark in "，。、；"
    },
    **{
        mark + "》": _fixed("misplaced", None, "书名号内不用句末点号", (0, 1))
        for mark in "，。、；"
    },
    **{a + "、" + b: _approximate_count for a, b in pairwise(_CHINESE_NUMERALS)},
    "两、三": _approximate_count,
    "一、两": _approximate_count,
    "三、五": _approximate_count,  # 三五天, 三五成群: the usual pair that is not neighbours
    "日-": _date_range_hyphen,
    **{unit + mark: _date_range_hyphen for unit in "年月" for mark in ("-", _WIDE_HYPHEN, "~")},
    "。”": _period_in_closing_quote,
    "，”": _comma_in_closing_quote,
    "“关于": _quoted_document,
    **{
        "的" + kind + "。": _title_line_period
        for kind in ("通知", "公告", "通告", "意见", "决定", "方案", "办法", "报告", "请示", "批复")
    },
    **{n + "，": _heading_ordinal_comma for n in _CHINESE_NUMERALS},
    **{"“" + digit: _day_name_point for digit in "0123456789"},
    "是：“": _fixed("colon_after_shi", "是", "“是”后不用冒号", (0, 2)),
    "为：": _colon_after_wei,
    "日" + _WIDE_HYPHEN: _date_range_hyphen,
    "日~": _date_range_hyphen,
    "‘": _single_quote,
    "「": _corner_bracket,
    "」": _corner_bracket,
    "》": _title_of_event_or_thing,
    "、请": _pause_before_request,
    **dict.fromkeys(("根据：", "按照：", "依据：", "依照："), _colon_after_preposition),
    "“中华人民共和国": _quoted_law,
    "条例": _regulation_without_marks,
    # A 顿号 marks a pause between items: not before 等 or 以及, which join the last one.
    "、等": _pause_before_deng,
    "、以及": _fixed("pause_before_and", None, "“以及”前不用顿号", (0, 1)),
    **dict.fromkeys(("、和", "、及", "、或"), _pause_before_and),
    # GB/T 15834 4.11.3: the 省略号 is not used together with 等 or 等等.
    "……等": _fixed("ellipsis", None, "省略号和“等”“等等”不连用", (0, 2)),
    "等等……": _fixed("ellipsis", None, "省略号和“等”“等等”不连用", (2, 4)),
    "等……": _deng_ellipsis,
    **{bracket + century: _doc_number_year for bracket in "[【（(［" for century in ("19", "20")},
    "。）": _full_stop_in_bracket,
    **{word + "：": _nested_colon for word in SAYING_WORDS},
    **dict.fromkeys(("”。", "”？", "”！"), _end_mark_outside_quote),
    "等。": _enumeration_comma,
    # A quotation that ends its sentence inside the marks takes no 句号 after them.
    **{
        end + "”。": _fixed("misplaced", None, "引号内已有句末点号，引号外不再用句号", (2, 3))
        for end in "。！？"
    },
}


def check_doubled(text: str) -> list[Finding]:
    """的的, 了了, 是是, 在在 — except inside the words of :data:`DOUBLED_WHITELIST`."""
    index = _doubled_index()
    return index.findings(text, index.scan(text))


@cache
def _doubled_index() -> TermIndex:
    return TermIndex([DOUBLED_LEXICON])


def check_empty_headings(text: str) -> list[Finding]:
    """Markdown heading lines with no text ("## " alone on its line)."""
    findings = []
    at = text.find("#")  # the matches of _HEADING, found '#' by '#' (str.find is fast)
    while at != -1:
        m = _HEADING.match(text, at)
        if m is None:
            at = text.find("#", at + 1)
            continue
        line_start = text.rfind("\n", 0, at) + 1
        if not text[line_start:at].strip(" \t\u3000"):  # the '#' starts its line
            findings.append(_finding(at, m.group(), "empty_heading", None, "标题为空"))
        at = text.find("#", m.end())
    return findings


def check_marks(text: str) -> list[Finding]:
    """The findings of the anchored punctuation rules (:data:`PUNCTUATION_ANCHORS`) alone;
    the :class:`~domain.proofread.checker.Checker` runs them in its own automaton."""
    index = _anchor_index()
    return index.findings(text, index.scan(text))


@cache
def _anchor_index() -> TermIndex:
    return TermIndex([], PUNCTUATION_ANCHORS)


def check_punctuation(text: str) -> list[Finding]:
    """All punctuation and format checks of this module.

    The :class:`~domain.proofread.checker.Checker` runs the same checks, with the
    doubled characters found by its shared automaton instead of :func:`check_doubled`.
    """
    return (
        check_pairs(text)
        + check_half_width(text)
        + check_marks(text)
        + check_doubled(text)
        + check_empty_headings(text)
    )

"""日期: impossible dates, weekdays that contradict the date, and mixed date styles.

Recognised styles: ``2024年6月1日`` (and ``6月1日`` without a year), ``2024-06-01``
and ``2024/6/1``. A weekday may follow the date: ``（星期一）``, ``(周一)``,
``星期一``, ``周一`` (full- or half-width brackets, 日/天 for Sunday).

* An impossible date (2023年2月29日, 2024-06-31) blocks.
* A weekday that contradicts an explicit year blocks; for a date written
  without a year the nearest year written before it is assumed (a date that
  names one, or a year alone: 2026年, 2026年度, 二〇二六年), and a contradiction
  is only a warning (the year may have changed).
* When one text mixes styles, the occurrences of the minority styles are
  warnings, with the date rewritten in the majority style as the suggestion
  (a tie goes to 年月日, the style of 公文).

Dotted dates (2024.6.1) are not recognised: they collide with version numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from operator import attrgetter, itemgetter, methodcaller
from typing import NamedTuple

from domain.proofread.links import inside_any, url_spans
from domain.proofread.model import BLOCK, WARN, Finding, new_finding
from domain.proofread.scan import digit_shape

CATEGORY = "date"

CN, ISO, SLASH = "cn", "iso", "slash"
_STYLE_NAMES = {CN: "2024年6月1日", ISO: "2024-06-01", SLASH: "2024/6/1"}


# 年月日 dates are matched on the reversed text: "2024年6月1日" reads "日1月6年4202",
# which starts with a literal (日, or 号 in "6月1号"), so ``re`` scans for it at
# memchr speed and one match gives the whole date. A pattern led by [0-9] would be
# scanned some twenty times slower. The lookbehind says "no digit right after the
# date" but the hour of a time (4月30日17时, 4月30日9:00), the final lookahead "no digit
# right before it".
def _no_digit_after(mark: str) -> str:
    return rf"(?:(?<![0-9]{mark})|(?<=[时点:：][0-9]{mark})|(?<=[时点:：][0-9][0-9]{mark}))"


_CN_REVERSED = tuple(
    re.compile(
        mark + _no_digit_after(mark) + r"([0-9]{1,2})月([0-9]{1,2})(?:年([0-9]{4}))?(?![0-9])"
    )
    for mark in "日号"
)
# check_dates does not look at every date: most are possible, have no weekday after
# them and share the text's style. Three narrower reversed patterns find only the
# ones that need a look; everything else stays inside ``re``:
#  - a date that cannot exist in some month: a day of 0 or 32 and above, a month of 0
#    or 13 and above, 29 or 30 with month 2, 31 with months 2, 4, 6, 9 or 11 (digits
#    read backwards; "4月30日" and "12月31日", the common deadlines, are not looked at);
_BAD_DAY = r"(?:[2-9]3|[0-9][4-9]|00|0)"  # 0, 00, 32-99 read backwards
_BAD_MONTH = r"(?:[3-9]1|[0-9][2-9]|00|0)"  # 0, 00, 13-99 read backwards
_CN_SUSPECT = tuple(
    re.compile(
        mark + _no_digit_after(mark) + rf"(?:({_BAD_DAY})月([0-9]{{1,2}})"
        rf"|([0-9]{{1,2}})月({_BAD_MONTH})"
        rf"|(92|03)月(20|2)"
        rf"|(13)月(11|[2469]0|[2469]))(?:年([0-9]{{4}}))?(?![0-9])"
    )
    for mark in "日号"
)
#  - a weekday ("星期一", "周一") and the date right before it, both read backwards:
#    "6月1日（星期一）" reads "）一期星（日1月6", so the patterns start with the literal
#    期星 or 周, and a weekday with no date before it never leaves ``re``; the weekday
#    character is the one right before the match;
#    a festival or the lunar date may stand before the weekday inside the brackets
#    (4月5日（清明节，星期日）, 2月17日（农历正月初一，星期二）);
_BRACKET_NOTE = r"[^（()）\n，。；]{1,10}"
_DATE_BEFORE = (
    rf"[ \u3000]*(?:[（(]|[，,、]{_BRACKET_NOTE}[（(])?[ \u3000]*"
    r"([日号])([0-9]{1,2})月([0-9]{1,2})(?:年([0-9]{4}))?(?![0-9])"
)
_WEEKDAY_WITH_DATE = tuple(
    # The lookbehind, once the literal is found, wants the weekday character before it.
    re.compile(token + f"(?<=[一二三四五六日天]{token})" + _DATE_BEFORE)
    for token in ("期星", "周")
)
#  - the nearest year written before it, for a weekday after "6月1日": "2026年" alone
#    or in a date, in Arabic or Chinese numerals, 1900-2099 (so that "1000年历史" is not
#    taken for a year). Read backwards, "2026年" is "年6202".
_CN_WITH_YEAR = re.compile(
    r"年(?:([0-9]{2}(?:91|02))(?![0-9])"
    "|([〇零一二三四五六七八九]{2}(?:九一|[〇零]二))(?![〇零一二三四五六七八九]))"
)
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
#  - and, to count the 年月日 dates when styles are mixed, the general pattern
#    without groups (findall then builds one string per date, in C).
_CN_COUNT = tuple(
    re.compile(mark + _no_digit_after(mark) + r"[0-9]{1,2}月[0-9]{1,2}(?:年[0-9]{4})?(?![0-9])")
    for mark in "日号"
)
# Numeric dates are found on the digit shape of the text (see scan.py) in one
# literal-led pass, then confirmed on the text.
_NUMERIC = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})")
_NUMERIC_SHAPE = re.compile(rb"0000(?:-00?-|/00?/)")
_WEEKDAY = re.compile(
    rf"[ \u3000]*(?:(?P<open>[（(])[ \u3000]*(?:{_BRACKET_NOTE}[，,、][ \u3000]*)?)?"
    r"(?P<wd>(?:星期|周)(?P<w>[一二三四五六日天]))(?P<close>[）)])?"
)
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_NAMES = "一二三四五六日"
_WEEKDAY_FIRST = frozenset(" \u3000（(星周")


class DateMention(NamedTuple):
    """One date written in the text (``year`` is None for 6月1日).

    A NamedTuple rather than a dataclass: dense texts carry thousands of dates.
    """

    start: int
    end: int
    style: str
    year: int | None
    month: int
    day: int
    possible: bool  # could this date exist (in some year, when none is given)?


_MAX_DAY = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 2月 29: leap years
_new_tuple = tuple.__new__  # NamedTuple's own __new__ is a Python function: 3x slower


def _mention(start: int, end: int, style: str, y: int | None, m: int, d: int) -> DateMention:
    possible = 0 < m < 13 and 0 < d <= _MAX_DAY[m] and (d != 29 or m != 2 or _is_leap(y))
    return _new_tuple(DateMention, (start, end, style, y, m, d, possible))


def _is_leap(year: int | None) -> bool:
    """Leap year; None (no year given) counts as one: 2月29日 may exist."""
    return year is None or (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))


def find_dates(
    text: str,
    skip: Sequence[tuple[int, int]] | None = None,
    shape: bytes | None = None,
) -> list[DateMention]:
    """Every date mention, in text order.

    ``skip``: sorted spans to ignore; by default the URLs of the text (a path such as
    ``/2024/06/31/`` is not a date). ``shape``: the text's
    :func:`~domain.proofread.scan.digit_shape`, if the caller has it already.
    """
    skipped = inside_any(url_spans(text) if skip is None else skip)
    mentions = [d for d in _cn_dates(text[::-1]) if not skipped(d.start)] if "月" in text else []
    if "-" in text or "/" in text:
        if shape is None:
            shape = digit_shape(text)
        mentions.extend(d for d in _numeric_dates(text, shape) if not skipped(d.start))
    mentions.sort(key=_start)
    return mentions


_start = itemgetter(0)
_match_start = methodcaller("start")


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _cn_dates(
    reversed_text: str, patterns: tuple[re.Pattern[str], ...] = _CN_REVERSED
) -> list[DateMention]:
    """The 年月日 dates that ``patterns`` find in the reversed text, in text order."""
    n = len(reversed_text)
    found = []
    for pattern in patterns:
        for m in pattern.finditer(reversed_text):
            # Groups: day, month[, day, month], year — whichever alternative matched.
            digits = [g for g in m.groups() if g is not None]
            year = int(digits[2][::-1]) if len(digits) == 3 else None
            found.append(
                _mention(
                    n - m.end(), n - m.start(), CN, year, int(digits[1][::-1]), int(digits[0][::-1])
                )
            )
    found.sort(key=_start)
    return found


def _numeric_dates(text: str, shape: bytes) -> list[DateMention]:
    """The 2024-06-01 and 2024/6/1 dates, in text order (the year finder bisects them)."""
    found = []
    n = len(text)
    for i in map(_match_start, _NUMERIC_SHAPE.finditer(shape)):
        if i > 0 and _is_digit(text[i - 1]):
            continue
        m = _NUMERIC.match(text, i)
        if m is None or (m.end() < n and _is_digit(text[m.end()])):
            continue
        year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
        # Numbers that could not even be meant as a date are not judged.
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        style = ISO if m.group(2) == "-" else SLASH
        found.append(_mention(i, m.end(), style, year, month, day))
    return found


def _rewrite(d: DateMention, style: str) -> str | None:
    if style == CN:
        prefix = f"{d.year}年" if d.year is not None else ""
        return f"{prefix}{d.month}月{d.day}日"
    if d.year is None:
        return None
    if style == ISO:
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    return f"{d.year}/{d.month}/{d.day}"


def check_dates(
    text: str,
    skip: Sequence[tuple[int, int]] | None = None,
    shape: bytes | None = None,
    reversed_text: str | None = None,
) -> list[Finding]:
    """Impossible dates, contradicting weekdays and mixed styles (arguments as find_dates;
    ``reversed_text``: ``text[::-1]``, if the caller has it already).

    Same result as judging every :func:`find_dates` mention in turn, but only the
    dates that can yield a finding are turned into Python objects (see the
    patterns at the top of this module); a test holds the two to be equal.
    """
    has_cn = "月" in text
    if not has_cn and "-" not in text and "/" not in text:
        return []
    numeric: list[DateMention] = []
    if "-" in text or "/" in text:
        skipped = inside_any(url_spans(text) if skip is None else skip)
        numeric = [
            d for d in _numeric_dates(text, shape or digit_shape(text)) if not skipped(d.start)
        ]
    # 年月日 dates hold Chinese characters, so they are never inside a URL.
    if not has_cn:
        reversed_text = ""
    elif reversed_text is None:
        reversed_text = text[::-1]
    findings = [
        _impossible(text, d)
        for d in _cn_dates(reversed_text, _CN_SUSPECT) + numeric
        if not d.possible
    ]
    n = len(text)
    right: set[tuple] = set()  # (year, month, day, weekday) known to agree
    if has_cn:
        year_before = None
        # In text order, as year_before is asked in text order.
        for start, end, written, month, day, w in _cn_dates_before_weekday(text, reversed_text):
            year = written
            if year is None:
                if not (0 < month < 13 and 0 < day <= _MAX_DAY[month]):
                    continue  # no such day in any year: reported as impossible
                year_before = year_before or _year_finder(reversed_text, numeric)
                year = year_before(start)
                if year is None:
                    continue  # 6月1日（星期一） and no year anywhere before it
            key = (year, month, day, w)
            if key in right:
                continue
            try:
                agree = date(year, month, day).weekday() == _WEEKDAY_INDEX[w]
            except ValueError:
                agree = True  # 2月29日 in an assumed year that is not a leap year
            if agree:
                right.add(key)
                continue
            mention = _mention(start, end, CN, written, month, day)
            findings.append(_check_weekday(text, mention, _WEEKDAY.match(text, end), year))
    for d in numeric:
        if not (d.possible and d.end < n and text[d.end] in _WEEKDAY_FIRST):
            continue
        weekday = _WEEKDAY.match(text, d.end)
        if weekday is None:
            continue
        key = (d.year, d.month, d.day, weekday.group("w"))
        if key in right:
            continue
        finding = _check_weekday(text, d, weekday, d.year)
        if finding is None:
            right.add(key)
        else:
            findings.append(finding)
    if numeric:
        findings.extend(_mixed_styles(text, reversed_text, numeric))
    findings.sort(key=attrgetter("start"))
    return findings


def _cn_dates_before_weekday(
    text: str, reversed_text: str
) -> list[tuple[int, int, int | None, int, int, str]]:
    """(start, end, year or None, month, day, weekday character) of the 年月日 dates
    followed by a weekday, in text order, less those with a year and the right weekday
    or an impossible one."""
    n = len(text)
    found = []
    # A text names the same dates again and again: each (date, weekday) is judged once.
    settled: set[str] = set()
    for pattern in _WEEKDAY_WITH_DATE:
        for m in pattern.finditer(reversed_text, 1):
            key = reversed_text[m.start() - 1 : m.end()]  # from the weekday: 一 of 星期一
            if key in settled:
                continue
            weekday = key[0]
            day_digits, month_digits, year_digits = m.group(2, 3, 4)
            month, day = int(month_digits[::-1]), int(day_digits[::-1])
            year = int(year_digits[::-1]) if year_digits else None
            if year is not None:
                # The common case, settled here without building anything.
                try:
                    if date(year, month, day).weekday() == _WEEKDAY_INDEX[weekday]:
                        settled.add(key)
                        continue
                except ValueError:
                    settled.add(key)
                    continue  # impossible: reported as such
            found.append((n - m.end(), n - m.start(1), year, month, day, weekday))
    found.sort(key=_start)
    return found


def _impossible(text: str, d: DateMention) -> Finding:
    span_text = text[d.start : d.end]
    return new_finding(
        CATEGORY,
        BLOCK,
        d.start,
        d.end,
        span_text,
        None,
        f"日期不存在：{span_text}",
        f"{CATEGORY}:impossible",
    )


def _year_finder(reversed_text: str, numeric: list[DateMention]) -> Callable[[int], int | None]:
    """``year_before(pos)``: the nearest year written before ``pos`` (see _CN_WITH_YEAR).

    Asked in text order (``pos`` increasing). In the reversed text that is a search
    for the first year after ``n - pos``; each answer is remembered, so
    the next search only covers the stretch between two questions and the whole
    text is read at most once, however many weekdays it holds.
    """
    n = len(reversed_text)
    # [searched from here on, (start, year) of the first match there or None]
    known: list = [n, None]
    numeric_ends = [d.end for d in numeric]
    search = _CN_WITH_YEAR.search

    def year_before(pos: int) -> int | None:
        r = n - pos
        searched_from, first = known
        if r < searched_from:
            # A date starting before searched_from is at most 11 characters long, so
            # this end leaves its final lookahead a real character to look at.
            m = search(reversed_text, r, min(n, searched_from + _LONGEST_DATE + 1))
            if m is not None and m.start() < searched_from:
                digits = m.group(1) or m.group(2)
                first = (m.start(), int(digits[::-1].translate(_CN_DIGITS)))
            known[:] = [r, first]
        best_end, year = (-1, None) if first is None else (n - first[0], first[1])
        i = bisect_right(numeric_ends, pos) - 1
        if i >= 0 and numeric_ends[i] > best_end:
            year = numeric[i].year
        return year

    return year_before


_LONGEST_DATE = len("2024年12月31日")


def _check_weekday(text: str, d: DateMention, m: re.Match[str], year: int | None) -> Finding | None:
    if year is None:
        return None  # 6月1日（星期一） and no year anywhere before it
    severity = BLOCK if d.year is not None else WARN
    try:
        actual = date(year, d.month, d.day).weekday()
    except ValueError:
        return None  # 2月29日 in an assumed year that is not a leap year
    written = _WEEKDAY_INDEX[m.group(3)]  # groups: open, wd, w, close (see _WEEKDAY)
    if written == actual:
        return None
    # The finding covers the weekday with its brackets, without leading spaces.
    start = m.start(1)
    if start == -1:
        start = m.start(2)
    end = m.end()
    token = text[start:end]
    # Only the weekday character changes; brackets and 星期/周 stay as written.
    at = m.start(3) - start
    name = _WEEKDAY_NAMES[actual]
    assumed = "" if d.year is not None else f"（按{year}年推算）"
    return new_finding(
        CATEGORY,
        severity,
        start,
        end,
        token,
        token[:at] + name + token[at + 1 :],
        f"星期与日期不符：{year}年{d.month}月{d.day}日是星期{name}{assumed}",
        _WEEKDAY_RULE,
    )


_WEEKDAY_RULE = f"{CATEGORY}:weekday"


def _mixed_styles(text: str, reversed_text: str, numeric: list[DateMention]) -> list[Finding]:
    counts = Counter(d.style for d in numeric)
    if reversed_text:
        # 年月日 wins ties, so it is the majority as soon as it has as many dates as the
        # most common numeric style: counting stops there.
        enough, cn = max(counts.values()), 0
        for pattern in _CN_COUNT:
            for _ in pattern.finditer(reversed_text):
                cn += 1
                if cn >= enough:
                    break
            if cn >= enough:
                break
        counts[CN] = cn
    counts = +counts  # drop zero counts
    if len(counts) < 2:
        return []
    # Majority style; ties go to 年月日, then ISO.
    order = {CN: 0, ISO: 1, SLASH: 2}
    majority = max(counts, key=lambda s: (counts[s], -order[s]))
    minority = [d for d in numeric if d.style != majority]
    if majority != CN:
        minority += _cn_dates(reversed_text)
    findings = []
    for d in minority:
        if not d.possible:
            continue  # an impossible date already has its (blocking) finding
        span_text = text[d.start : d.end]
        findings.append(
            new_finding(
                CATEGORY,
                WARN,
                d.start,
                d.end,
                span_text,
                _rewrite(d, majority),
                f"日期写法不统一：本文多用“{_STYLE_NAMES[majority]}”式",
                f"{CATEGORY}:mixed_style",
            )
        )
    return findings


# -- anchored rules: what a date or a time says next to the words around it -----------
# They ride in the checker's automaton (domain.proofread.context.ANCHORS is the model):
# a rule runs only where its anchor stands.
def _date_finding(
    start: int, text: str, kind: str, suggestion: str | None, message: str
) -> Finding:
    return new_finding(
        CATEGORY, WARN, start, start + len(text), text, suggestion, message, f"{CATEGORY}:{kind}"
    )


_RANGE_START = re.compile(r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})\Z")
_RANGE_END = re.compile(r"(?:([0-9]{4})年)?(?:([0-9]{1,2})月)?([0-9]{1,2})[日号]")


def _inverted_range(text: str, start: int, end: int) -> Finding | None:
    """ "5月20日至5月10日": a range that ends before it starts."""
    first = _RANGE_START.search(text, max(0, start - 11), start)
    return _range_backwards(text, first, _RANGE_END.match(text, end))


# The first date of a range with its weekday (12月6日（星期日）至12月5日（星期六）), read back
# from the bracket that closes the weekday.
_RANGE_START_WEEKDAY = re.compile(
    r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})日[（(](?:星期|周)[一二三四五六日天]\Z"
)


def _inverted_range_after_weekday(text: str, start: int, end: int) -> Finding | None:
    """ "12月6日（星期日）至12月5日": a range that ends before it starts, its first date
    with a weekday."""
    # The anchor is the weekday's last character, the bracket and the range mark.
    first = _RANGE_START_WEEKDAY.search(text, max(0, start - 15), start + 1)
    return _range_backwards(text, first, _RANGE_END.match(text, end))


def _range_backwards(
    text: str, first: re.Match[str] | None, last: re.Match[str] | None
) -> Finding | None:
    if first is None or last is None:
        return None
    y1, m1, d1 = first.group(1), int(first.group(2)), int(first.group(3))
    y2, m2, d2 = last.group(1), last.group(2), int(last.group(3))
    message = "日期范围的结束日早于开始日"
    if y1 and y2:
        inverted = (int(y2), int(m2 or m1), d2) < (int(y1), m1, d1)
    elif y2:
        return None
    elif m2 is None or int(m2) == m1:
        inverted = d2 < d1
    else:
        # An end month before the start month may cross the new year (12月20日至1月5日,
        # a heating season of six months); a longer wrap is a range written backwards.
        inverted = int(m2) < m1 and int(m2) + 12 - m1 > _LONGEST_WRAP
        message += "（若跨年，请写明年份）"
    if not inverted:
        return None
    span = text[first.start() : last.end()]
    return _date_finding(first.start(), span, "range", None, message)


_LONGEST_WRAP = 6  # months a range without years may run across the new year


_CLOCK = re.compile(r"([0-9]{1,2})(?:[:：]([0-9]{2})|时|点)")
_TIME_OF_DAY_WORDS = ("下午", "晚上", "傍晚", "夜间", "上午", "早上", "凌晨")
_AFTERNOON = frozenset({"下午", "晚上", "傍晚", "夜间"})


def _time_of_day(text: str, start: int, end: int) -> Finding | None:
    """ "下午14:30" (a 24-hour time after 下午), a time its word cannot hold (上午14时,
    下午9时: evening, 凌晨10时: morning) and impossible times (25:00, 9:75)."""
    m = _CLOCK.match(text, end)
    if m is None:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    word = text[start:end]
    if hour > 24 or minute > 59:
        message = "时间不存在"
    elif word in _AFTERNOON and word != "夜间" and 13 <= hour <= 24:
        # (夜间 is a stretch of the night, told in 24-hour time: 夜间22:00—6:00.)
        message = f"“{word}”后用12小时制（{word}{hour - 12}时），或去掉“{word}”用24小时制"
    elif word not in _AFTERNOON and hour >= 13:
        message = f"“{word}”与{hour}时矛盾"
    elif word == "下午" and 7 <= hour <= 11:
        message = f"“下午”与{hour}时矛盾（晚上{hour}时，或{hour + 12}时）"
    elif word == "凌晨" and 8 <= hour <= 12:
        message = f"“凌晨”与{hour}时矛盾（凌晨是零时到天亮前）"
    elif word == "上午" and hour == 12:
        message = "12时是中午：写“中午12时”或“12时”"
    elif (
        word in _AFTERNOON
        and 1 <= hour <= 11
        and (last := _SPAN_END.match(text, m.end()))
        and 13 <= int(last[1]) <= 24
    ):
        # 下午2:00—17:00: a 12-hour start and a 24-hour end.
        return _date_finding(
            start, text[start : last.end()], "clock", None,
            f"“{word}”后的时间段前后用同一种计时制（{word}{hour}时至{int(last[1]) - 12}时，"
            f"或去掉“{word}”写{hour + 12}时至{last[1]}时）",
        )  # fmt: skip
    else:
        return None
    return _date_finding(start, text[start : m.end()], "clock", None, message)


_SPAN_END = re.compile(r"(?:—|～|~|至|到|－|-)([0-9]{1,2})(?:[:：][0-9]{2}|时|点)")


_CLOCK_SPAN = re.compile(
    r"([0-9]{1,2})[:：]([0-9]{2})(?:—|～|~|至|到)([0-9]{1,2})[:：]([0-9]{2})(?![0-9])"
)
# 18:00—2:00: a night market closes after midnight; a span from the afternoon before 17:00
# to the small hours is an afternoon told in 12-hour time at its end (13:30—5:30).
_OVERNIGHT_FROM, _OVERNIGHT_TO = 17, 6


def _hour_start(text: str, end: int) -> int | None:
    """Where the hour of one or two digits that ends at ``end`` starts; None when there is
    none, or when it ends a longer time (12:30:00) or a number (1.5)."""
    lo = end
    while lo and text[lo - 1] in _ARABIC_DIGITS:
        lo -= 1
    if not 1 <= end - lo <= 2 or (lo and text[lo - 1] in ":：."):
        return None
    return lo


def _ends_before(first_hour: int, last_hour: int, first: int, last: int) -> bool:
    """Whether a span of the day from ``first`` to ``last`` (both in the same unit, begun
    and ended in the hours given) ends before it starts: one that runs from the evening to
    the small hours runs past midnight."""
    overnight = first_hour >= _OVERNIGHT_FROM and last_hour <= _OVERNIGHT_TO
    return last <= first and not overnight


def backwards_clock_span(text: str, colon: int) -> Finding | None:
    """ "9:00—5:30", "20:00—19:30": a span of clock times that ends before it starts (the
    colon of its first time at ``colon``). One that runs from the evening to the small
    hours (18:00—2:00) runs past midnight."""
    lo = _hour_start(text, colon)
    m = None if lo is None else _CLOCK_SPAN.match(text, lo)
    if m is None:
        return None
    first_hour, first_minute, last_hour, last_minute = map(int, m.groups())
    if max(first_hour, last_hour) > 24 or max(first_minute, last_minute) > 59:
        return None  # an impossible time is another rule's
    first, last = first_hour * 60 + first_minute, last_hour * 60 + last_minute
    if not _ends_before(first_hour, last_hour, first, last):
        return None
    suggestion = None
    if last_hour < 12 and first < last + 12 * 60 <= 24 * 60:  # 5:30 for 17:30
        suggestion = f"{text[lo : m.start(3)]}{last_hour + 12}{text[m.end(3) : m.end()]}"
    return _date_finding(
        lo, m.group(), "clock_span", suggestion,
        "时间段的结束时间早于开始时间（下午的钟点用24小时制）",
    )  # fmt: skip


# Days fixed by law or by the State Council (法定节日, 纪念日, 主题日): a date written right
# next to one of them must be that day.
FIXED_DAYS: dict[str, tuple[int, int]] = {
    "元旦": (1, 1), "妇女节": (3, 8), "植树节": (3, 12), "消费者权益日": (3, 15),
    "全民国家安全教育日": (4, 15), "世界读书日": (4, 23), "劳动节": (5, 1), "青年节": (5, 4),
    "国际博物馆日": (5, 18), "中国旅游日": (5, 19), "儿童节": (6, 1), "世界环境日": (6, 5),
    "建党节": (7, 1), "建军节": (8, 1), "教师节": (9, 10), "烈士纪念日": (9, 30),
    "国庆节": (10, 1), "国际残疾人日": (12, 3), "国家宪法日": (12, 4), "国家公祭日": (12, 13),
    "南京大屠杀死难者国家公祭日": (12, 13),
    # Days fixed by a decision of the NPC Standing Committee or the State Council (抗战胜利
    # 纪念日 2014, 中国人民警察节 2020, 中国航天日 2016, 中国医师节 2017, 全国生态日 2023,
    # 全民健身日 2009, 全国防灾减灾日 2009, 国家扶贫日 2014) and the United Nations' and its
    # agencies' international days (世界旅游日, 国际古迹遗址日……), as each named its date.
    "抗战胜利纪念日": (9, 3), "中国人民警察节": (1, 10), "中国航天日": (4, 24),
    "中国医师节": (8, 19), "全国生态日": (8, 15), "全民健身日": (8, 8), "全国防灾减灾日": (5, 12),
    "国家扶贫日": (10, 17), "护士节": (5, 12), "全国消防日": (11, 9), "全国爱眼日": (6, 6),
    "全国爱耳日": (3, 3), "全国土地日": (6, 25), "世界旅游日": (9, 27), "国际古迹遗址日": (4, 18),
    "世界知识产权日": (4, 26), "国际志愿者日": (12, 5), "世界地球日": (4, 22), "世界水日": (3, 22),
    "世界无烟日": (5, 31), "国际禁毒日": (6, 26), "世界人权日": (12, 10), "世界戏剧日": (3, 27),
    "国际舞蹈日": (4, 29), "世界粮食日": (10, 16), "国际档案日": (6, 9), "世界卫生日": (4, 7),
    "世界海洋日": (6, 8), "世界诗歌日": (3, 21), "国际家庭日": (5, 15), "世界电信日": (5, 17),
}  # fmt: skip
# The name may stand in quotation marks (4月23日“世界读书日”, “世界读书日”（4月23日）).
_DAY_AFTER = re.compile(r"”?[（(]?(?:即|是|为)?([0-9]{1,2})月([0-9]{1,2})日")
_DAY_BEFORE = re.compile(
    r"([0-9]{1,2})月([0-9]{1,2})日[（(]?(?:是|为|即)?(?:第[一二三四五六七八九十0-9]+个)?“?\Z"
)


# The first year each day was kept, by which "2026年9月10日是第42个教师节" is counted: the
# decisions that set them (教师节 1985, 中国旅游日 2011, 国家宪法日 2014……) and the count
# the organisers gave in a known year (世界读书日: 2024 the 29th; 国际博物馆日: 2024 the 48th).
FIRST_KEPT: dict[str, int] = {
    "教师节": 1985, "中国旅游日": 2011, "国家宪法日": 2014, "烈士纪念日": 2014,
    "国家公祭日": 2014, "南京大屠杀死难者国家公祭日": 2014, "全民国家安全教育日": 2016,
    "中国航天日": 2016, "中国医师节": 2018,
    "中国人民警察节": 2021, "全国生态日": 2023, "全民健身日": 2009, "全国防灾减灾日": 2009,
    "国家扶贫日": 2014, "世界读书日": 1996, "国际博物馆日": 1977, "全国爱眼日": 1996,
    "全国爱耳日": 2000, "世界旅游日": 1980, "全国土地日": 1991, "世界知识产权日": 2001,
    "世界无烟日": 1988, "国际禁毒日": 1988, "抗战胜利纪念日": 2014,
}  # fmt: skip
_COUNT_KEPT_BEFORE = re.compile(r"第([0-9]{1,3}|[一二三四五六七八九十]{1,4})个“?\Z")


def _count_kept(text: str, start: int, end: int, name: str) -> Finding | None:
    """ "2026年9月10日是第41个教师节": the count against the sentence's year."""
    m = _COUNT_KEPT_BEFORE.search(text, max(0, start - 6), start)
    if m is None:
        return None
    lo, hi = _sentence(text, start, end)
    year = _year_of_sentence(text, lo, hi)
    if year is None or year < FIRST_KEPT[name]:
        return None
    said, right = chinese_count(m[1]), year - FIRST_KEPT[name] + 1
    if said == right:
        return None
    return _date_finding(
        m.start(), text[m.start() : m.end(1) + 1], "count_kept",
        f"第{right}个" if m[1].isdigit() else None,
        f"{year}年是第{right}个{name}（{FIRST_KEPT[name]}年起）",
    )  # fmt: skip


def _fixed_day(text: str, start: int, end: int) -> Finding | None:
    name = text[start:end]
    if name in FIRST_KEPT and start and text[start - 1] in "个“":
        counted = _count_kept(text, start, end, name)
        if counted is not None:
            return counted
    month, day = FIXED_DAYS[name]
    m = _DAY_AFTER.match(text, end)
    if m is None:
        m = _DAY_BEFORE.search(text, max(0, start - 16), start)
    if m is None or (int(m.group(1)), int(m.group(2))) == (month, day):
        return None
    return _date_finding(
        m.start(1), text[m.start(1) : m.end(2) + 1], "fixed_day", f"{month}月{day}日",
        f"{name}是{month}月{day}日",
    )  # fmt: skip


# 17时至15时, 下午5时至2时: a span of hours that ends before it starts. One from the evening
# to the small hours (22时至6时) runs past midnight.
_HOUR_AFTER = re.compile(r"([0-9]{1,2})(?:时|点)")


def _backwards_hours(text: str, start: int, end: int) -> Finding | None:
    lo = _hour_start(text, start)
    m = None if lo is None else _HOUR_AFTER.match(text, end)
    if lo is None or m is None:
        return None
    first, last = int(text[lo:start]), int(m.group(1))
    if max(first, last) > 24 or not _ends_before(first, last, first, last):
        return None
    said_afternoon = text.endswith(tuple(_AFTERNOON), max(0, lo - 2), lo)
    suggestion = None
    if not said_afternoon and last < 12 and first < last + 12:  # 9时至5时 for 17时
        suggestion = f"{text[lo:end]}{last + 12}{text[m.end(1) : m.end()]}"
    return _date_finding(
        lo, text[lo : m.end()], "clock_span", suggestion,
        "时间段的结束时间早于开始时间（下午的钟点用24小时制）",
    )  # fmt: skip


# 24时30分: the clock runs from 0时 to 24时 (GB/T 7408); half past midnight is 次日0时30分.
_PAST_MIDNIGHT = re.compile(r"(?<![0-9])24时(?:([0-9]{1,2})分)?")


def _past_midnight(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 24时.
    m = _PAST_MIDNIGHT.match(text, start)
    if m is None or not int(m.group(1) or 0):
        return None  # (124时; 24时, the day's end)
    return _date_finding(
        start, m.group(), "past_midnight", f"次日0时{m.group(1)}分",
        "一天的时刻从0时到24时：过了24时写“次日”的时刻",
    )  # fmt: skip


# （星期一）至……（周五）: one sentence names its weekdays one way. The anchor is （周 and the
# weekday's numeral (the rarer way, so the rule runs seldom); a 星期 before or after it in
# its sentence makes the mix, found on the later of the two.
def _weekdays_mixed(text: str, start: int, end: int) -> Finding | None:
    if not text.startswith("）", end):
        return None
    lo = start - _SENTENCE_REACH if start > _SENTENCE_REACH else 0
    if (
        text.find("（星期", lo, start) == -1
        and text.find("（星期", end, end + _SENTENCE_REACH) == -1
    ):
        return None  # the common case, settled in C
    lo, hi = _sentence(text, start, end)
    if text.find("（星期", lo, start) != -1:
        at, span = start + 1, text[start + 1 : end]  # the later of the two ways: this one
    else:
        at = text.find("（星期", end, hi) + 1
        if not at:
            return None
        span = text[at : at + 3]
    return _date_finding(
        at, span, "weekday_style", None, "同一句中星期的写法前后一致（“星期一”或“周一”）"
    )  # fmt: skip


DATE_ANCHORS = {
    # (日- and 日~ are the punctuation check's: a hyphen is no range mark there.)
    "24时": _past_midnight,  # (25时 and later: _late_hour)
    **{"（周" + day: _weekdays_mixed for day in "一二三四五六日"},
    **dict.fromkeys(("时至", "点至"), _backwards_hours),
    **dict.fromkeys(("日至", "日—", "日～", "号至"), _inverted_range),
    **dict.fromkeys(
        (day + close + mark for day in "一二三四五六日天" for close in "）)" for mark in "至—～"),
        _inverted_range_after_weekday,
    ),
    **dict.fromkeys(_TIME_OF_DAY_WORDS, _time_of_day),
    **dict.fromkeys(FIXED_DAYS, _fixed_day),
}


_CN_NUMBER = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_DATE_BEFORE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\Z"
)
_RANGE_BEFORE = re.compile(
    r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})日(?:至|—|－|-|～|~|到)"
    r"(?:([0-9]{4})年)?(?:([0-9]{1,2})月)?([0-9]{1,2})日\Z"
)
_PLAIN_BEFORE = re.compile(r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})日\Z")
_WEEKDAYS_AFTER = re.compile(
    r"(?:星期|周)([一二三四五六日天])(?:(?:、|至|—|－|-|～|~|到)(?:星期|周)([一二三四五六日天]))?"
)
_YEAR_BEFORE = re.compile(r"((?:19|20)[0-9]{2})年")


def _cn_number(digits: str) -> int:
    """一 .. 三十一 in Chinese numerals."""
    if "十" not in digits:
        return _CN_NUMBER[digits]
    tens, _, ones = digits.partition("十")
    return (_CN_NUMBER[tens] if tens else 1) * 10 + (_CN_NUMBER[ones] if ones else 0)


def _nearest_year(text: str, before: int) -> int | None:
    years = _YEAR_BEFORE.findall(text, max(0, before - _YEAR_REACH), before)
    return int(years[-1]) if years else None


_YEAR_REACH = 400


def _weekday_of(year: int | None, month: int, day: int) -> int | None:
    if year is None:
        return None
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None


_ARABIC_DIGITS = frozenset("0123456789")
_RANGE_MARKS = frozenset("、至—－-～~到")


def _weekdays_after_date(text: str, start: int, end: int) -> Finding | None:
    """Weekdays the plain weekday check does not read: after a date in Chinese numerals
    (二〇二六年五月二十日（星期三）), after a comma (2026年5月20日，星期三), and the two
    weekdays after a range (5月20日至22日（星期三至星期五）)."""
    # Most weekdays follow a plain Arabic date, which the weekday check reads: unless a
    # second weekday follows (a range) or a comma stands before, nothing to do here.
    after = end + 1  # the character after the weekday's own
    if (
        start
        and text[start - 1] in _ARABIC_DIGITS
        and text[start + 1] not in "，,"
        and (after >= len(text) or text[after] not in _RANGE_MARKS)
    ):
        return None
    m = _WEEKDAYS_AFTER.match(text, end - (2 if text.endswith("星期", 0, end) else 1))
    if m is None:
        return None
    lo = max(0, start - 40)
    head = text[lo : start + 1]  # up to and with 日
    wanted: list[tuple[int | None, int]] = []  # (weekday of the date, weekday written)
    first, second = _WEEKDAY_INDEX[m.group(1)], m.group(2)
    r = _RANGE_BEFORE.search(head)
    cn = _CN_DATE_BEFORE.search(head)
    if second is not None and r is not None:
        year1 = int(r.group(1)) if r.group(1) else _nearest_year(text, lo + r.start())
        year2 = int(r.group(4)) if r.group(4) else year1
        month2 = int(r.group(5)) if r.group(5) else int(r.group(2))
        wanted = [
            (_weekday_of(year1, int(r.group(2)), int(r.group(3))), first),
            (_weekday_of(year2, month2, int(r.group(6))), _WEEKDAY_INDEX[second]),
        ]
    elif cn is not None and second is None:
        year = int("".join(str(_CN_NUMBER[c]) for c in cn.group(1)))
        wanted = [(_weekday_of(year, _cn_number(cn.group(2)), _cn_number(cn.group(3))), first)]
    elif second is None and text[start + 1] in "，,":
        p = _PLAIN_BEFORE.search(head)
        if p is None:
            return None
        year = int(p.group(1)) if p.group(1) else None
        wanted = [(_weekday_of(year, int(p.group(2)), int(p.group(3))), first)]
    for actual, written in wanted:
        if actual is not None and actual != written:
            return _date_finding(
                m.start(), m.group(), "weekday", None,
                f"星期与日期不符（应为星期{_WEEKDAY_NAMES[actual]}）",
            )  # fmt: skip
    return None


_RANGE_TO_DAY = re.compile(  # as _RANGE_BEFORE, the first day perhaps with its weekday
    r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})日(?:[（(](?:星期|周)[一二三四五六日天][）)])?"
    r"(?:至|—|－|-|～|~|到)(?:([0-9]{4})年)?(?:([0-9]{1,2})月)?([0-9]{1,2})日\Z"
)


def _weekday_after_range_end(text: str, start: int, end: int) -> Finding | None:
    """ "5月1日至5日（星期三）": the weekday of a range's last day written without its
    month, which the plain weekday check does not read (the anchor runs from the range
    mark to the weekday word)."""
    day = text.index("日", start, end)
    m = _WEEKDAYS_AFTER.match(text, end - (2 if text.endswith("星期", 0, end) else 1))
    if m is None or m.group(2) is not None:
        return None  # two weekdays after a range are _second_weekday's
    lo = max(0, day - 40)
    r = _RANGE_TO_DAY.search(text[lo : day + 1])
    if r is None or r.group(5) is not None:
        return None
    year = int(r.group(4) or r.group(1) or 0) or _nearest_year(text, lo + r.start())
    actual = _weekday_of(year, int(r.group(2)), int(r.group(6)))
    if actual is None or actual == _WEEKDAY_INDEX[m.group(1)]:
        return None
    return _date_finding(
        m.start(), m.group(), "weekday", None,
        f"星期与日期不符（{year}年{int(r.group(2))}月{int(r.group(6))}日是星期{_WEEKDAY_NAMES[actual]}）",
    )  # fmt: skip


def _after_chinese_numeral(text: str, start: int, end: int) -> Finding | None:
    # The anchor starts with the last numeral of the day (二十日（星期): the rule wants 日.
    return _weekdays_after_date(text, start + 1, end)


def _week_after_comma(text: str, start: int, end: int) -> Finding | None:
    """ "2026年10月1日，周三。": 周 after a comma is the date's weekday only where the
    weekday ends the clause; "12月31日，周一闭馆" tells of every Monday."""
    after = end + 1
    if after < len(text) and text[after] not in "，。；、）)\n":
        return None
    return _weekdays_after_date(text, start, end)


def _second_weekday(text: str, start: int, end: int) -> Finding | None:
    # "（星期三至星期五）": the anchor is the mark and the second weekday; the rule reads
    # from the 日 before the first one.
    day = text.rfind("日", max(0, start - 5), start)
    if day == -1 or text[day + 1 : day + 2] not in ("（", "("):
        return None
    first = day + 2 + (2 if text.startswith("星期", day + 2) else 1)
    return _weekdays_after_date(text, day, first)


# A weekday before the date it names, the date in brackets ("本周五（2026年5月9日）上午",
# "定于星期六（5月9日）举行"): the plain check reads a weekday after its date only.
_DATE_IN_BRACKETS = re.compile(r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})日[）)]")


def _date_after_weekday(text: str, start: int, end: int) -> Finding | None:
    m = _DATE_IN_BRACKETS.match(text, end)  # the anchor ends with the opening bracket
    if m is None:
        return None
    written, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    year = int(written) if written else _nearest_year(text, start)
    actual = _weekday_of(year, month, day)
    weekday = end - 2  # the weekday's character, before the bracket
    if actual is None or actual == _WEEKDAY_INDEX[text[weekday]]:
        return None
    token = text[start : weekday + 1]
    assumed = "" if written else f"（按{year}年推算）"
    return new_finding(
        CATEGORY, BLOCK if written else WARN, start, weekday + 1, token,
        token[:-1] + _WEEKDAY_NAMES[actual],
        f"星期与日期不符：{year}年{month}月{day}日是星期{_WEEKDAY_NAMES[actual]}{assumed}",
        _WEEKDAY_RULE,
    )  # fmt: skip


DATE_ANCHORS.update(
    {
        word + weekday + bracket: _date_after_weekday
        for word in ("星期", "周")
        for weekday in "一二三四五六日天"
        for bracket in "（("
        if word + weekday != "周天"
    }
)


# Anchors that only a weekday the plain check does not read stands after: a plain Arabic
# date before "（星期" is the most common thing in a notice, and it has no anchor here.
DATE_ANCHORS.update(
    {
        **{
            numeral + "日" + bracket + word: _after_chinese_numeral
            for numeral in "一二三四五六七八九十"
            for bracket in "（("
            for word in ("星期", "周")
        },
        **dict.fromkeys(("日，星期", "日,星期"), _weekdays_after_date),
        **dict.fromkeys(("日，周", "日,周"), _week_after_comma),
        **{
            mark + word: _second_weekday
            for mark in ("、", "至", "到", "—", "－", "-", "～", "~")
            for word in ("星期", "周")
        },
        **{
            f"{mark}{day}日{bracket}{word}": _weekday_after_range_end
            for mark in ("至", "到", "—", "－", "～", "~")
            for day in range(1, 32)
            for bracket in "（("
            for word in ("星期", "周")
        },
    }
)


# A date in Chinese numerals that no calendar has (二月三十日, 九月三十一日): the anchor is
# 月 with the tens of the day; the rule reads the month before it and the rest of the day.
# A lunar month (农历二月三十) has up to 30 days.
_CN_MONTH_BEFORE = re.compile("(?<![一二三四五六七八九十])(十[一二]|[一二三四五六七八九十])$")
_CN_DAY_AFTER = re.compile("([三四五六七八九])十([一二三四五六七八九]?)[日号]")
_CN_UNITS = "一二三四五六七八九"
_LUNAR = ("农历", "阴历", "正月", "腊月")


def _cn_impossible_day(text: str, start: int, end: int) -> Finding | None:
    month = _CN_MONTH_BEFORE.search(text, max(0, start - 2), start)
    day = _CN_DAY_AFTER.match(text, start + 1)
    if month is None or day is None:
        return None
    numeral = month.group(1)
    m = (
        10 + _CN_UNITS.index(numeral[1]) + 1
        if len(numeral) == 2
        else (10 if numeral == "十" else _CN_UNITS.index(numeral) + 1)
    )
    d = (_CN_UNITS.index(day.group(1)) + 1) * 10 + (
        _CN_UNITS.index(day.group(2)) + 1 if day.group(2) else 0
    )
    most = 30 if any(w in text[max(0, month.start() - 8) : start] for w in _LUNAR) else _MAX_DAY[m]
    if d <= most:
        return None
    lo = month.start()
    year = re.search("[〇零一二三四五六七八九]{4}年$", text[max(0, lo - 5) : lo])
    if year is not None:
        lo -= len(year.group())
    span = text[lo : day.end()]
    return new_finding(
        CATEGORY, BLOCK, lo, day.end(), span, None, f"日期不存在：{span}", f"{CATEGORY}:impossible"
    )


def _no_such(what: str) -> Callable[[str, int, int], Finding | None]:
    """A rule for a month, quarter or weekday that does not exist (第五季度, 13月, 星期八)."""

    def rule(text: str, start: int, end: int) -> Finding | None:
        lo = start + 1 if text.startswith("年", start) else start
        return _date_finding(
            lo, text[lo:end], "impossible", None, f"不存在的{what}：{text[lo:end]}"
        )

    return rule


DATE_ANCHORS.update(
    {
        **dict.fromkeys((f"第{n}季度" for n in "五六七八九"), _no_such("季度")),
        **dict.fromkeys(
            (f"年{n}月" for n in (*map(str, range(13, 20)), "0", "00")), _no_such("月份")
        ),
        **dict.fromkeys(("星期八", "星期零", "礼拜八"), _no_such("星期")),
    }
)


def _cn_february_29(text: str, start: int, end: int) -> Finding | None:
    """二〇二六年二月二十九日: the 29th of February of a year that is not a leap year."""
    if (start and text[start - 1] == "十") or not text.startswith(("日", "号"), end):
        return None
    year = re.search("([〇零一二三四五六七八九]{4})年$", text[max(0, start - 5) : start])
    if year is None:
        return None
    digits = year.group(1).replace("零", "〇")
    number = int("".join(str("〇一二三四五六七八九".index(ch)) for ch in digits))
    if _is_leap(number):
        return None
    lo = start - len(year.group())
    span = text[lo : end + 1]
    return new_finding(
        CATEGORY, BLOCK, lo, end + 1, span, None, f"日期不存在：{span}", f"{CATEGORY}:impossible"
    )


DATE_ANCHORS.update({"月" + tens + "十": _cn_impossible_day for tens in "三四五六七八九"})


# A time of day that no clock shows: 25时 and later, and 60 minutes or more (9时70分). The
# anchors are the hour with 时, and 时 with the tens of the minutes.
_HOUR_BEFORE = re.compile("(?<![0-9])[0-9]{1,2}$")


_CLOCK_SPAN_BEFORE = re.compile("[0-9]{1,2}[时点](?:[0-9]{1,2}分)?(?:至|到|—|～)$")


def _late_hour(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] in _ARABIC_DIGITS:
        return None  # 125时
    if text.startswith("分", end + 2):
        span = text[start : end + 3]  # 25时30分
    elif _CLOCK_SPAN_BEFORE.search(text, max(0, start - 9), start):
        span = text[start:end]  # 22时至25时: the end of a span of clock times
    else:
        return None  # not 25时 long
    return _date_finding(start, span, "clock", None, f"时间不存在：{span}")


def _many_minutes(text: str, start: int, end: int) -> Finding | None:
    hour = _HOUR_BEFORE.search(text, max(0, start - 2), start)
    if hour is None or not text.startswith("分", end + 1) or text[end] not in _ARABIC_DIGITS:
        return None
    span = text[hour.start() : end + 2]
    return _date_finding(hour.start(), span, "clock", None, f"时间不存在：{span}")


# The same in the colon's form, where the text says it is a time of day: 延长至25:00,
# 17:00至26:00, 24:30结束, 闭馆时间为17:60 (not a score or a ratio: 比分25:20, 1:60).
_CLOCK_AT = re.compile(r"(?<![0-9:：])([0-9]{1,2})[:：]([0-9]{2})(?![0-9:：])")
_CLOCK_BEFORE = re.compile(
    "(?:至|到|—|～|~|于|为|在|时间|截至|持续|延长|提前|推迟|每[天日晚]|晚上?|夜间?|凌晨)$"
)
_CLOCK_AFTER = re.compile(
    "开始|结束|闭馆|开馆|散场|发出|发车|起|止|开放|关闭|营业|停止|熄灯|入场|进场|前|后|之前|以后"
)


def _impossible_clock(text: str, start: int, end: int) -> Finding | None:
    m = _CLOCK_AT.search(text, max(0, start - 2), end + 2)
    if m is None or not m.start() <= start < m.end():
        return None
    hour, minute = int(m[1]), int(m[2])
    if minute < 60 and (hour < 24 or (hour == 24 and minute == 0)):
        return None
    lo = m.start()
    if text.endswith(_TIME_OF_DAY_WORDS, 0, lo):
        return None  # 上午8:60: the word's rule says it (_time_of_day)
    if not (_CLOCK_BEFORE.search(text, max(0, lo - 4), lo) or _CLOCK_AFTER.match(text, m.end())):
        return None
    if minute >= 60 and hour < 23:
        suggestion: str | None = f"{hour + 1}:{minute - 60:02d}"
    elif minute < 60:
        suggestion = f"次日{hour - 24}:{minute:02d}"
    else:
        suggestion = None
    return _date_finding(lo, m.group(), "clock", suggestion, f"时间不存在：{m.group()}")


DATE_ANCHORS.update(
    {
        **{f"{hour}时": _late_hour for hour in range(25, 100)},
        **{f"时{tens}": _many_minutes for tens in "6789"},
        **{f"{hour}{colon}": _impossible_clock for hour in range(24, 100) for colon in ":："},
        **{f"{colon}{tens}": _impossible_clock for colon in ":：" for tens in "6789"},
    }
)
DATE_ANCHORS["二月二十九"] = _cn_february_29


# -- a period and the months or days said beside it ---------------------------------------
# 第一季度（1—3月）, 上半年（1—6月): the months written in the bracket after a quarter or a
# half-year are that period's own; 第一季度（1月至4月） says two things at once.
_PERIOD_MONTHS = {
    **dict.fromkeys(("第一季度", "一季度", "1季度"), (1, 3)),
    **dict.fromkeys(("第二季度", "二季度", "2季度"), (4, 6)),
    **dict.fromkeys(("第三季度", "三季度", "3季度"), (7, 9)),
    **dict.fromkeys(("第四季度", "四季度", "4季度"), (10, 12)),
    **dict.fromkeys(("前两季度", "前二季度", "上半年"), (1, 6)),
    "前三季度": (1, 9),
    "下半年": (7, 12),
}
_PERIOD_BEFORE = re.compile(
    "(?:(?<![0-9一二三四五六七八九十])(?:第[一二三四]|[一二三四1-4])季度|前[两二三]个?季度|[上下]半年)$"
)
_MONTH = "(1[0-2]|[1-9]|十[一二]|[一二三四五六七八九十])"
_MONTHS_IN_BRACKET = re.compile(rf"[（(]{_MONTH}月?(?:至|到|—|－|-|～|~)+{_MONTH}月(?:份)?[）)，,]")


def _month_number(written: str) -> int:
    return int(written) if written.isdigit() else _cn_number(written)


def _period_months(text: str, start: int, end: int) -> Finding | None:
    """ "第一季度（1月至4月）": months in the bracket that are not the period's own."""
    period = _PERIOD_BEFORE.search(text, max(0, start - 5), end - 1)
    months = _MONTHS_IN_BRACKET.match(text, end - 1)
    if period is None or months is None:
        return None
    name = period.group()
    first, last = _PERIOD_MONTHS[name.replace("个", "")]
    said = _month_number(months.group(1)), _month_number(months.group(2))
    if said == (first, last):
        return None
    span = text[period.start() : months.end() - 1]
    return _date_finding(
        period.start(), span, "period", None,
        f"{name}是{first}月至{last}月，与括注的月份不符",
    )  # fmt: skip


DATE_ANCHORS.update(dict.fromkeys(("季度（", "季度(", "半年（", "半年("), _period_months))


# -- anniversaries and the years of a five-year plan ---------------------------------------
# "2026年是中国共产党成立105周年", "为庆祝新中国成立77周年，……于2026年9月底举办": the
# count of years since an event of the national calendar, read against the one year the
# sentence names. Only where the sentence ties that year to the anniversary (2026年是,
# 庆祝 ……): "在庆祝中国共产党成立100周年大会上的重要讲话" is the name of a speech, quoted
# in any later year.
ANNIVERSARY_YEARS: dict[str, int] = {
    **dict.fromkeys(("中国共产党成立", "党的成立", "建党"), 1921),
    **dict.fromkeys(("中华人民共和国成立", "新中国成立", "共和国成立"), 1949),
    "改革开放": 1978,
    **dict.fromkeys(("抗日战争胜利", "抗战胜利", "世界反法西斯战争胜利"), 1945),
    **dict.fromkeys(("红军长征胜利", "长征胜利"), 1936),
    **dict.fromkeys(("香港回归祖国", "香港回归"), 1997),
    **dict.fromkeys(("澳门回归祖国", "澳门回归"), 1999),
    "五四运动": 1919,
    "辛亥革命": 1911,
    **dict.fromkeys(("中国人民解放军建军", "人民军队建军", "建军"), 1927),
    "西藏和平解放": 1951,
}
_ANNIVERSARY_BEFORE = re.compile(
    "("
    + "|".join(sorted(ANNIVERSARY_YEARS, key=len, reverse=True))
    + ")([0-9]{1,3}|[一二三四五六七八九十百零]{1,6})$"
)
_SENTENCE_END = re.compile("[。！？；\n]")
_SENTENCE_YEAR = re.compile("(?<![0-9])((?:19|20)[0-9]{2})年")
_YEAR_IS = re.compile(
    "((?:19|20)[0-9]{2})年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?(?:是|为|既是|也是|恰逢|正值|适逢)"
)  # (2026年是……, 2026年7月1日是……)
# 庆祝 and 纪念 right before the event, or a little way before it (纪念中国人民抗日战争暨
# 世界反法西斯战争胜利81周年).
_CELEBRATING_BEFORE = re.compile("庆祝|纪念|喜迎|迎接|迎来")
_NAMED_AFTER_IT = ("大会", "讲话", "重要讲话", "之际发表", "时的", "以来")


_SENTENCE_REACH = 160


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), no farther than _SENTENCE_REACH either way."""
    reach = start - _SENTENCE_REACH if start > _SENTENCE_REACH else 0
    lo = max(text.rfind(mark, reach, start) for mark in "。！？；\n")
    m = _SENTENCE_END.search(text, end, end + _SENTENCE_REACH)
    return (lo + 1 if lo != -1 else reach), (
        m.start() if m else min(len(text), end + _SENTENCE_REACH)
    )


def _year_of_sentence(text: str, lo: int, hi: int) -> int | None:
    """The one year the sentence names (none, or two, say nothing)."""
    years = set(_SENTENCE_YEAR.findall(text, lo, hi))
    return int(years.pop()) if len(years) == 1 else None


def chinese_count(written: str) -> int:
    """105, 一百零五, 七十七, 三十: a count written in Arabic digits or Chinese numerals."""
    if written.isdigit():
        return int(written)
    total, unit = 0, 0
    for ch in written:
        if ch == "百":
            total, unit = total + (unit or 1) * 100, 0
        elif ch == "十":
            total, unit = total + (unit or 1) * 10, 0
        elif ch == "零":
            continue
        else:
            unit = _CN_NUMBER[ch]
    return total + unit


def _anniversary(text: str, start: int, end: int) -> Finding | None:
    m = _ANNIVERSARY_BEFORE.search(text, max(0, start - 14), start)
    if m is None or text.startswith(_NAMED_AFTER_IT, end):
        return None
    lo, hi = _sentence(text, start, end)
    year = _year_of_sentence(text, lo, hi)
    if year is None:
        return None
    tied = _YEAR_IS.search(text, lo, m.start()) or _CELEBRATING_BEFORE.search(
        text, max(lo, m.start() - 16), m.start()
    )
    if not tied:
        return None
    event = m[1]
    said = chinese_count(m[2])
    right = year - ANNIVERSARY_YEARS[event]
    if said == right or right < 1:
        return None
    return _date_finding(
        m.start(2), text[m.start(2) : end], "anniversary",
        f"{right}周年" if m[2].isdigit() else None,
        f"{year}年是{event}{right}周年",
    )  # fmt: skip


FIVE_YEAR_PLAN_FIRST = {
    "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031,
}  # fmt: skip
_PLAN_BEFORE = re.compile(
    '[“"]?(' + "|".join(FIVE_YEAR_PLAN_FIRST) + ')[”"]?(?:规划|时期)?(?:的)?$'
)


def _plan_year(text: str, start: int, end: int) -> Finding | None:
    """ "2026年是“十四五”规划开局之年": the first and the last year of a five-year plan."""
    m = _PLAN_BEFORE.search(text, max(0, start - 9), start)
    if m is None:
        return None
    lo, hi = _sentence(text, start, end)
    year = _year_of_sentence(text, lo, hi)
    if year is None:
        return None
    first = FIVE_YEAR_PLAN_FIRST[m[1]]
    right = first if text[start:end] == "开局之年" else first + 4
    if year == right:
        return None
    plan = next((p for p, y in FIVE_YEAR_PLAN_FIRST.items() if y <= year <= y + 4), None)
    return _date_finding(
        m.start(1), m[1], "plan_year", plan,
        f"“{m[1]}”的{text[start:end]}是{right}年",
    )  # fmt: skip


DATE_ANCHORS.update({"周年": _anniversary, "开局之年": _plan_year, "收官之年": _plan_year})


# -- 2月29日 without a year, in a year that has none ----------------------------------------
_FEB_29_REACH = 60


def _february_29(text: str, start: int, end: int) -> Finding | None:
    """ "2026年2月1日至2月29日": the 29th of February written without a year, the last year
    written shortly before it not a leap year (a warning: the year may have changed)."""
    if start and text[start - 1] in _ARABIC_DIGITS:
        return None  # 12月29日
    if text.startswith("年", start - 1) or text.startswith("年", start - 2):
        return None  # the year is its own (an impossible date, blocked as such)
    years = _YEAR_BEFORE.findall(text, max(0, start - _FEB_29_REACH), start)
    if not years or _is_leap(int(years[-1])):
        return None
    return _date_finding(
        start, text[start:end], "february_29", "2月28日",
        f"{years[-1]}年不是闰年，2月没有29日",
    )  # fmt: skip


# -- 文化和自然遗产日 ------------------------------------------------------------------------
# The Cultural and Natural Heritage Day is the second Saturday of June (国务院, 2016; 文化遗产日
# from 2006).
_HERITAGE_DAY_BEFORE = re.compile(
    r"(?:((?:19|20)[0-9]{2})年)?([0-9]{1,2})月([0-9]{1,2})日[（(]?(?:是|为|即)?[“]?(?:中国)?\Z"
)
_HERITAGE_DAY_AFTER = re.compile(
    r"[”]?[（(](?:即|是|为)?(?:((?:19|20)[0-9]{2})年)?([0-9]{1,2})月([0-9]{1,2})日"
)


def _second_saturday_of_june(year: int) -> int:
    first = date(year, 6, 1).weekday()  # Monday 0 .. Sunday 6
    return 1 + (5 - first) % 7 + 7


def _heritage_day(text: str, start: int, end: int) -> Finding | None:
    m = _HERITAGE_DAY_BEFORE.search(text, max(0, start - 18), start)
    if m is None:
        m = _HERITAGE_DAY_AFTER.match(text, end)
    if m is None:
        return None
    year = int(m.group(1)) if m.group(1) else _nearest_year(text, m.start())
    if year is None or year < 2006:
        return None
    month, day = int(m.group(2)), int(m.group(3))
    right = _second_saturday_of_june(year)
    if (month, day) == (6, right):
        return None
    return _date_finding(
        m.start(2), text[m.start(2) : m.end(3) + 1], "heritage_day", f"6月{right}日",
        f"{year}年的文化和自然遗产日是6月{right}日（6月第二个星期六）",
    )  # fmt: skip


DATE_ANCHORS.update(
    {
        "2月29日": _february_29,
        "2月29号": _february_29,
        "文化和自然遗产日": _heritage_day,
        "文化遗产日": _heritage_day,
    }
)


# -- the session of the National People's Congress and of the CPPCC in a given year ----------
# The NPC and the CPPCC meet once a year, each term five years from 1983 (the sixth):
# 十四届全国人大四次会议 is March 2026. Read only where its own year stands right before it
# (2026年3月召开的十四届全国人大三次会议 -> 四次会议).
_TERM_BEFORE = re.compile(
    r"((?:19|20)[0-9]{2})年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?"
    r"(?:召开的|举行的|胜利召开的|开幕的|闭幕的|，)?第?(十[一二三四五六七八九]?|[六七八九])\Z"
)
_SESSION_AFTER = re.compile("([一二三四五六七八九])次会议")
_CPPCC_TERM_AFTER = re.compile("(十[一二三四五六七八九]?|[六七八九])届([一二三四五六七八九])次会议")
_CPPCC_YEAR_BEFORE = re.compile(
    r"((?:19|20)[0-9]{2})年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?"
    r"(?:召开的|举行的|胜利召开的|开幕的|闭幕的)?\Z"
)


def _wrong_session(
    text: str, year: int, term: int, session: int, at: int, written: str
) -> Finding | None:
    if term < 6:
        return None
    right = year - (1983 + 5 * (term - 6)) + 1
    if right == session or not 1 <= right <= 5:
        return None
    return _date_finding(
        at,
        written,
        "session",
        f"{'一二三四五'[right - 1]}次会议",
        f"{year}年召开的是第{right}次会议",
    )


def _npc_session(text: str, start: int, end: int) -> Finding | None:
    """ "2026年3月召开的十四届全国人大三次会议": the anchor is 届全国人大."""
    before = _TERM_BEFORE.search(text, max(0, start - 22), start)
    after = _SESSION_AFTER.match(text, end)
    if before is None or after is None:
        return None
    term = _cn_number(before.group(2))
    return _wrong_session(
        text, int(before.group(1)), term, _CN_NUMBER[after.group(1)], after.start(),
        after.group(),
    )  # fmt: skip


def _cppcc_session(text: str, start: int, end: int) -> Finding | None:
    """ "2026年3月召开的全国政协十四届三次会议": the anchor is 全国政协."""
    before = _CPPCC_YEAR_BEFORE.search(text, max(0, start - 16), start)
    after = _CPPCC_TERM_AFTER.match(text, end)
    if before is None or after is None:
        return None
    at = after.start(2)
    return _wrong_session(
        text, int(before.group(1)), _cn_number(after.group(1)), _CN_NUMBER[after.group(2)], at,
        text[at : after.end()],
    )  # fmt: skip


DATE_ANCHORS.update({"届全国人大": _npc_session, "全国政协": _cppcc_session})


# -- a term of validity and the day it ends ----------------------------------------------
# "自2026年7月1日起施行，有效期3年，至2029年6月30日止": N years from the first day end the
# day before its N-th anniversary.
_IN_FORCE_FROM = re.compile(
    r"自((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日起(?:施行|实施|执行|生效)"
)
_VALID_FOR = re.compile("(?:为)?([0-9]{1,2}|[一二两三四五六七八九十])年")
_VALID_UNTIL = re.compile(r"至((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日")


def _term_of_validity(text: str, start: int, end: int) -> Finding | None:
    span = _VALID_FOR.match(text, end)
    if span is None:
        return None
    lo, hi = _sentence(text, start, end)
    starts = list(_IN_FORCE_FROM.finditer(text, lo, start))
    begun = starts[-1] if starts else None  # the last one before the term
    until = _VALID_UNTIL.search(text, span.end(), min(hi, span.end() + 16))
    if begun is None or until is None:
        return None
    years = 2 if span.group(1) == "两" else _month_number(span.group(1))
    try:
        first = date(int(begun[1]), int(begun[2]), int(begun[3]))
        last = date(int(until[1]), int(until[2]), int(until[3]))
        anniversary = first.replace(year=first.year + years)
    except ValueError:
        return None  # an impossible date is another rule's; 2月29日 has no anniversary
    right = date.fromordinal(anniversary.toordinal() - 1)
    if last == right:
        return None
    written = text[until.start(1) : until.end()]
    return _date_finding(
        until.start(1), written, "validity", f"{right.year}年{right.month}月{right.day}日",
        f"自{first.year}年{first.month}月{first.day}日起有效期{years}年，"
        f"至{right.year}年{right.month}月{right.day}日",
    )  # fmt: skip


DATE_ANCHORS["有效期"] = _term_of_validity


# -- the years a date range names --------------------------------------------------------
# "2026—2025学年": a school year runs from one year into the next.
_SCHOOL_YEAR_BEFORE = re.compile(r"((?:19|20)[0-9]{2})(?:—|～|~|－|-|至)((?:19|20)[0-9]{2})年?\Z")


def _school_year(text: str, start: int, end: int) -> Finding | None:
    m = _SCHOOL_YEAR_BEFORE.search(text, max(0, start - 10), start)
    if m is None:
        return None
    first, last = int(m[1]), int(m[2])
    if last == first + 1:
        return None
    swapped = f"{m[2]}{text[m.end(1) : m.start(2)]}{m[1]}" if first == last + 1 else None
    return _date_finding(
        m.start(), text[m.start() : end], "school_year",
        None if swapped is None else swapped + text[m.end(2) : end],
        "学年的起止年份应是相连的两年，前小后大（如2025—2026学年）",
    )  # fmt: skip


DATE_ANCHORS["学年"] = _school_year

# 《“十五五”教育发展规划（2025—2030年）》: the years in brackets after a five-year plan's name
# (within its title or clause) are the plan's own.
_PLAN_YEARS_AFTER = re.compile(
    r"[^，。；！？\n（(]{0,16}[（(]((?:19|20)[0-9]{2})年?(?:—|～|~|－|-|至)((?:19|20)[0-9]{2})年[）)]"
)


def _plan_period(text: str, start: int, end: int) -> Finding | None:
    m = _PLAN_YEARS_AFTER.match(text, end)
    if m is None:
        return None
    name = text[start : end - 1]  # the anchor holds the closing quotation mark
    first = FIVE_YEAR_PLAN_FIRST[name]
    if (int(m[1]), int(m[2])) == (first, first + 4):
        return None
    written = text[m.start(1) : m.end(2) + 1]
    dash = text[m.end(1) : m.start(2)]
    return _date_finding(
        m.start(1), written, "plan_period", f"{first}{dash}{first + 4}年",
        f"“{name}”时期是{first}年至{first + 4}年",
    )  # fmt: skip


# With its closing quotation mark (“十五五”规划): unquoted, the name is another rule's.
DATE_ANCHORS.update({plan + close: _plan_period for plan in FIVE_YEAR_PLAN_FIRST for close in '”"'})

# 8月下旬（8月5日）: 上旬 is the 1st to the 10th, 中旬 the 11th to the 20th, 下旬 the rest.
_TEN_DAYS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}
_MONTH_RIGHT_BEFORE = re.compile(r"([0-9]{1,2})月\Z")
_DAY_IN_BRACKETS = re.compile(
    r"[（(](?:即|为)?(?:(?:19|20)[0-9]{2}年)?([0-9]{1,2})月([0-9]{1,2})日[）)]"
)


def _ten_days(text: str, start: int, end: int) -> Finding | None:
    m = _DAY_IN_BRACKETS.match(text, end)
    if m is None:
        return None
    month, day = int(m[1]), int(m[2])
    before = _MONTH_RIGHT_BEFORE.search(text, max(0, start - 3), start)
    if before is not None and int(before[1]) != month:
        return None  # another month's day: a mistake of another kind, or a note
    word = text[start:end]
    lo, hi = _TEN_DAYS[word]
    if lo <= day <= hi:
        return None
    right = next(w for w, (a, b) in _TEN_DAYS.items() if a <= day <= b)
    return _date_finding(start, word, "ten_days", right, f"{day}日在{right}，不在{word}")


DATE_ANCHORS.update(dict.fromkeys(_TEN_DAYS, _ten_days))

# -- the stems and branches of a year, and its animal ---------------------------------------
# 2026 is 丙午, the year of the horse: the sexagenary cycle counted from 甲子 (1984), the
# animal by the branch. Read where a year's stem and branch or its number stands right
# before the animal's year (2026乙巳马年, 2027年是丁未猴年, 丙午羊年).
STEMS, BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
ANIMALS = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
_ANIMAL_YEAR_BEFORE = re.compile(
    r"(?:((?:19|20)[0-9]{2})年?(?:是|为|即|农历)?)?([甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥])?(?:年|农历)?\Z"
)


def sexagenary(year: int) -> str:
    """The stem and branch of a year (1984 甲子, 2026 丙午)."""
    return STEMS[(year - 4) % 10] + BRANCHES[(year - 4) % 12]


def _animal_of(cycle: str) -> str:
    """The animal of a stem and branch (丙午 马), by its branch."""
    return ANIMALS[BRANCHES.index(cycle[1])]


def _animal_year(text: str, start: int, end: int) -> Finding | None:
    animal = text[start]
    m = _ANIMAL_YEAR_BEFORE.search(text, max(0, start - 9), start)
    if m is None or not (m[1] or m[2]):
        return None
    if m[1] and m[2]:
        year, cycle = int(m[1]), m[2]
        right = sexagenary(year)
        if cycle != right:
            return _date_finding(
                m.start(2),
                cycle,
                "sexagenary",
                right,
                f"{year}年是{right}年（{_animal_of(right)}年）",
            )
    cycle = m[2] or sexagenary(int(m[1]))
    right_animal = _animal_of(cycle)
    if animal == right_animal:
        return None
    said = f"{m[1]}年" if m[1] and not m[2] else cycle
    return _date_finding(
        start, animal, "animal_year", right_animal, f"{said}是{right_animal}年，不是{animal}年"
    )


DATE_ANCHORS.update({animal + "年": _animal_year for animal in ANIMALS})

"""Festivals of the lunar calendar and the 清明 solar term, told with their date.

春节, 除夕, 元宵, 端午, 七夕, 中秋, 重阳 and 清明, by name or by lunar date (农历八月十五).

A notice writes "2026年端午节（6月19日）" or "6月19日（端午节）": the festival falls on a
day fixed by the calendar of that year, and a date that is not it is a slip (a day of
the holiday taken for the festival, or last year's date). A date counted as a span
("5月1日至5月5日，共5天") must hold as many days as it says.

The dates are facts of the published calendar (紫金山天文台《中国天文年历》; GB/T
33661-2017《农历的编算和颁行》), as the State Council's yearly notices of the public
holidays name them; every date of the table was checked against the lunar-to-solar
conversion of the ``lunardate`` package (0.3.0), which agrees on all of them (a check made
once, outside the project: nothing here depends on it). A year outside the table is not
judged. All warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from domain.proofread.dates import _cn_number
from domain.proofread.model import WARN, Finding, new_finding

SOURCE = "紫金山天文台《中国天文年历》；GB/T 33661-2017《农历的编算和颁行》"
DATE = "2026-12-03"
VERSION = "2026.12.18"

# (month, day) of each festival, by year.
_SPRING = {
    2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
    2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26),
}  # fmt: skip
_DRAGON_BOAT = {
    2020: (6, 25), 2021: (6, 14), 2022: (6, 3), 2023: (6, 22), 2024: (6, 10),
    2025: (5, 31), 2026: (6, 19), 2027: (6, 9), 2028: (5, 28),
}  # fmt: skip
_MID_AUTUMN = {
    2020: (10, 1), 2021: (9, 21), 2022: (9, 10), 2023: (9, 29), 2024: (9, 17),
    2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3),
}  # fmt: skip
_QINGMING = {
    2020: (4, 4), 2021: (4, 4), 2022: (4, 5), 2023: (4, 5), 2024: (4, 4),
    2025: (4, 4), 2026: (4, 5), 2027: (4, 5), 2028: (4, 4),
}  # fmt: skip


# 七夕 (七月初七) and 重阳 (九月初九), checked against ``lunardate`` 0.3.0 as the rest.
_QIXI = {
    2020: (8, 25), 2021: (8, 14), 2022: (8, 4), 2023: (8, 22), 2024: (8, 10),
    2025: (8, 29), 2026: (8, 19), 2027: (8, 8), 2028: (8, 26),
}  # fmt: skip
_CHONGYANG = {
    2020: (10, 25), 2021: (10, 14), 2022: (10, 4), 2023: (10, 23), 2024: (10, 11),
    2025: (10, 29), 2026: (10, 18), 2027: (10, 8), 2028: (10, 26),
}  # fmt: skip


def _shifted(table: dict[int, tuple[int, int]], days: int) -> dict[int, tuple[int, int]]:
    out = {}
    for year, (m, d) in table.items():
        day = date.fromordinal(date(year, m, d).toordinal() + days)
        out[year] = (day.month, day.day)
    return out


FESTIVALS: dict[str, dict[int, tuple[int, int]]] = {
    "春节": _SPRING,
    "除夕": _shifted(_SPRING, -1),
    "元宵节": _shifted(_SPRING, 14),
    "端午节": _DRAGON_BOAT,
    "中秋节": _MID_AUTUMN,
    "清明节": _QINGMING,
    "七夕节": _QIXI,
    "重阳节": _CHONGYANG,
}
# The short names say the same day (中秋（9月25日）).
FESTIVALS.update(
    {
        name[:-1]: FESTIVALS[name]
        for name in ("元宵节", "端午节", "中秋节", "清明节", "七夕节", "重阳节")
    }
)
# And so does the lunar date of a festival (农历八月十五（9月25日）).
FESTIVALS.update(
    {
        "农历" + day: FESTIVALS[name]
        for day, name in (
            ("正月初一", "春节"), ("正月十五", "元宵节"), ("五月初五", "端午节"),
            ("七月初七", "七夕节"), ("八月十五", "中秋节"), ("九月初九", "重阳节"),
        )
    }
)  # fmt: skip
_YEAR = re.compile("((?:19|20)[0-9]{2})年")
# The day in the brackets, with its year or not (中秋节（2026年9月25日）).
_DAY = re.compile(r"(?:((?:19|20)[0-9]{2})年)?([0-9]{1,2})月([0-9]{1,2})日")
_ONE_DAY = re.compile("[）)]|，?(?:星期|周)|，农历")
_DAY_BEFORE = re.compile(_DAY.pattern + "$")


def _year_before(text: str, start: int) -> int | None:
    """The last year written in the 80 characters before ``start``."""
    lo = start - 80 if start > 80 else 0
    years = _YEAR.findall(text, lo, start)
    return int(years[-1]) if years else None


def _wrong_day(
    name: str, year: int | None, month: int, day: int, at: int, written: str
) -> Finding | None:
    if year is None or year not in FESTIVALS[name]:
        return None
    right = FESTIVALS[name][year]
    if (month, day) == right:
        return None
    return new_finding(
        "date", WARN, at, at + len(written), written, f"{right[0]}月{right[1]}日",
        f"{year}年{name}是{right[0]}月{right[1]}日", "date:festival",
    )  # fmt: skip


def _festival_then_day(name: str) -> Callable[[str, int, int], Finding | None]:
    """春节（2月17日）, 春节（2026年2月17日）: the date in the brackets after the
    festival's name (its year there, or the last one written before the name)."""

    def rule(text: str, start: int, end: int) -> Finding | None:
        m = _DAY.match(text, end)
        if m is None or not _ONE_DAY.match(text, m.end()):
            return None  # 春节（2月15日至23日）: the holiday, not the festival's day
        year = int(m[1]) if m[1] else _year_before(text, start)
        at = m.start(2)
        return _wrong_day(name, year, int(m[2]), int(m[3]), at, text[at : m.end()])

    return rule


# 2026年春节为2月17日, 清明节是4月5日: the date said after the name. Not a range's first day
# (春节为2月15日至23日: the holiday).
_RANGE_ON = re.compile("至|到|—|～|~|－|-|、|和|及")


def _festival_is_day(name: str) -> Callable[[str, int, int], Finding | None]:
    def rule(text: str, start: int, end: int) -> Finding | None:
        m = _DAY.match(text, end)
        if m is None or _RANGE_ON.match(text, m.end()):
            return None
        year = int(m[1]) if m[1] else _year_before(text, start)
        at = m.start(2)
        return _wrong_day(name, year, int(m[2]), int(m[3]), at, text[at : m.end()])

    return rule


def _day_then_festival(name: str) -> Callable[[str, int, int], Finding | None]:
    """2月17日（春节）: the date right before the bracketed name."""

    def rule(text: str, start: int, end: int) -> Finding | None:
        if end >= len(text) or text[end] not in "）)":
            return None  # 5月1日（春节假期）
        lo = start - 12 if start > 12 else 0
        m = _DAY_BEFORE.search(text, lo, start)
        if m is None:
            return None
        year = int(m[1]) if m[1] else _year_before(text, m.start())
        at = m.start(2)
        return _wrong_day(name, year, int(m[2]), int(m[3]), at, text[at : m.end()])

    return rule


# 2026年2月17日春节, 9月25日是中秋节: a date right before the name, with a year known. A
# date that ends a range (2月15日至23日春节假期) or a name that a holiday follows is left
# alone: it names the holiday, not the festival's day.
_DAY_RIGHT_BEFORE = re.compile(_DAY.pattern + "(?:是|为|即|，)?$")
_DAY_RIGHT_BEFORE_ENDS = "日是为即，"  # anchored with the name: most mentions have none
_HOLIDAY_AFTER = (
    "假期", "期间", "黄金周", "长假", "小长假", "前后", "前夕", "放假", "假日", "前", "后",
)  # fmt: skip


def _day_before_festival(name: str) -> Callable[[str, int, int], Finding | None]:
    def rule(text: str, start: int, end: int) -> Finding | None:
        start += 1  # the anchor holds the character before the name (日, 是, 为, 即, ，)
        if text.startswith("节", end):
            end += 1  # the short name's anchor stands for 元宵节 as well
        lo = start - 14 if start > 14 else 0
        m = _DAY_RIGHT_BEFORE.search(text, lo, start)
        if m is None or text.startswith(_HOLIDAY_AFTER, end):
            return None
        if m.start() and text[m.start() - 1] in "至到—～~－-、和及与":
            return None  # the end of a range or the second of two days
        year = int(m[1]) if m[1] else _year_before(text, m.start())
        at = m.start(2)
        written = text[at : m.end(3) + 1]
        return _wrong_day(name, year, int(m[2]), int(m[3]), at, written)

    return rule


# "5月1日至5月5日（共5天）", "5月1日至5日，共5天", "12月1日至3日举行，为期两天": the span
# holds as many days as it says (a few words, 举行 or 开放, may stand between).
_SPAN = re.compile(
    r"(?:((?:19|20)[0-9]{2})年)?([0-9]{1,2})月([0-9]{1,2})日(?:（星期.）|（周.）)?"
    r"(?:至|到|—|－|～)(?:(?:19|20)[0-9]{2}年)?(?:([0-9]{1,2})月)?([0-9]{1,2})日"
    r"(?:（星期.）|（周.）)?[\u4e00-\u9fff]{0,12}[，,（(]?$"
)
_COUNT = re.compile("([0-9]{1,3}|[一二两三四五六七八九十]{1,3})天")
_SPAN_AFTER = re.compile(
    r"[，,（(]?(?:时间|日期|展期|会期)?(?:为|是|即|自|从|：|:)?"
    r"(?:((?:19|20)[0-9]{2})年)?([0-9]{1,2})月([0-9]{1,2})日(?:（星期.）|（周.）)?"
    r"(?:至|到|—|－|～)(?:(?:19|20)[0-9]{2}年)?(?:([0-9]{1,2})月)?([0-9]{1,2})日"
)
_CN_DIGITS = "一二三四五六七八九"


def _count(written: str) -> int | None:
    """3, 两, 十五, 二十一: a count of days written with digits or in Chinese numerals."""
    if written.isdigit():
        return int(written)
    if written == "两":
        return 2
    try:
        return _cn_number(written)
    except KeyError:
        return None  # 一二, 十十: no number


def _in_chinese(n: int) -> str:
    """2 -> 两, 15 -> 十五, 21 -> 二十一 (a count of days, below a hundred)."""
    if n == 2:
        return "两"
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else _CN_DIGITS[tens - 1]) + "十" if tens else ""
    return head + (_CN_DIGITS[ones - 1] if ones else "")


def _days_counted(text: str, start: int, end: int) -> Finding | None:
    end -= 1  # the anchor holds the count's first digit
    m = _COUNT.match(text, end)
    if m is None or (said := _count(m[1])) is None:
        return None
    lo = start - 40 if start > 40 else 0
    span = _SPAN.search(text, lo, start)
    if span is None:
        # 为期5天，时间为2026年7月6日至7月8日: the span right after the count, or after
        # 时间为, 即, 自 (not 报名时间为: another span).
        span = _SPAN_AFTER.match(text, m.end())
        if span is None:
            return None
    year = int(span[1]) if span[1] else (_year_before(text, span.start()) or 2024)
    first_month, first_day = int(span[2]), int(span[3])
    last_month = int(span[4]) if span[4] else first_month
    last_day = int(span[5])
    try:
        first = date(year, first_month, first_day)
        last = date(year + (last_month < first_month), last_month, last_day)
    except ValueError:
        return None  # an impossible date is the dates check's finding
    days = (last - first).days + 1
    if days < 1 or days == said:
        return None
    right = f"{days}天" if m[1].isdigit() else f"{_in_chinese(days)}天"
    return new_finding(
        "date", WARN, end, m.end(), m.group(), right,
        f"{first_month}月{first_day}日至{last_month}月{last_day}日共{days}天",
        "date:days_counted",
    )  # fmt: skip


_SHORT_NAMES = (
    ("春节", "春节"), ("除夕", "除夕"), ("元宵", "元宵节"), ("端午", "端午节"),
    ("中秋", "中秋节"), ("清明", "清明节"), ("七夕", "七夕节"), ("重阳", "重阳节"),
    *((name, name) for name in FESTIVALS if name.startswith("农历")),
)  # fmt: skip

FESTIVAL_ANCHORS: dict[str, Callable[[str, int, int], Finding | None]] = {
    **{name + bracket: _festival_then_day(name) for name in FESTIVALS for bracket in "（("},
    **{bracket + name: _day_then_festival(name) for name in FESTIVALS for bracket in "（("},
    **{name + verb: _festival_is_day(name) for name in FESTIVALS for verb in ("为", "是")},
    **{
        before + short: _day_before_festival(name)
        for short, name in _SHORT_NAMES
        for before in _DAY_RIGHT_BEFORE_ENDS
    },
    # The words with the count's first digit, so that the rule runs only before a count.
    **{
        word + digit: _days_counted
        for word in ("共", "共计", "为期")
        for digit in "123456789两一二三四五六七八九十"
    },
}

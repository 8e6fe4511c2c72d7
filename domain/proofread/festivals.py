"""Festivals of the lunar calendar and the solar terms, told with their date.

春节, 除夕, 元宵, 端午, 七夕, 中秋, 重阳 and 清明, by name or by lunar date (农历八月十五), and
the 24 solar terms (冬至（12月22日）, 2026年立春是2月4日).

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

from domain.proofread.dates import _cn_number, chinese_count
from domain.proofread.model import WARN, Finding, new_finding

SOURCE = "紫金山天文台《中国天文年历》；GB/T 33661-2017《农历的编算和颁行》"
DATE = "2026-12-03"
VERSION = "2026.12.20"

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
    2025: (4, 4), 2026: (4, 5), 2027: (4, 5), 2028: (4, 4), 2029: (4, 4), 2030: (4, 5),
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


# The other 23 solar terms (清明 is above), by year: computed from the sun's apparent
# longitude (Meeus, Astronomical Algorithms, ch. 25) in Beijing time, and checked against the
# 寿星 tables of ``lunar_python`` (1.4.8), which agree on all 264 dates (a check made once,
# outside the project); nine fall within half an hour of midnight and agree as well. 清明's
# 2029 and 2030 were computed and checked so too.
_SOLAR_TERMS: dict[str, dict[int, tuple[int, int]]] = {
    "小寒": {
        2020: (1, 6), 2021: (1, 5), 2022: (1, 5), 2023: (1, 5), 2024: (1, 6), 2025: (1, 5),
        2026: (1, 5), 2027: (1, 5), 2028: (1, 6), 2029: (1, 5), 2030: (1, 5),
    },
    "大寒": {
        2020: (1, 20), 2021: (1, 20), 2022: (1, 20), 2023: (1, 20), 2024: (1, 20),
        2025: (1, 20),
        2026: (1, 20), 2027: (1, 20), 2028: (1, 20), 2029: (1, 20), 2030: (1, 20),
    },
    "立春": {
        2020: (2, 4), 2021: (2, 3), 2022: (2, 4), 2023: (2, 4), 2024: (2, 4), 2025: (2, 3),
        2026: (2, 4), 2027: (2, 4), 2028: (2, 4), 2029: (2, 3), 2030: (2, 4),
    },
    "雨水": {
        2020: (2, 19), 2021: (2, 18), 2022: (2, 19), 2023: (2, 19), 2024: (2, 19),
        2025: (2, 18),
        2026: (2, 18), 2027: (2, 19), 2028: (2, 19), 2029: (2, 18), 2030: (2, 18),
    },
    "惊蛰": {
        2020: (3, 5), 2021: (3, 5), 2022: (3, 5), 2023: (3, 6), 2024: (3, 5), 2025: (3, 5),
        2026: (3, 5), 2027: (3, 6), 2028: (3, 5), 2029: (3, 5), 2030: (3, 5),
    },
    "春分": {
        2020: (3, 20), 2021: (3, 20), 2022: (3, 20), 2023: (3, 21), 2024: (3, 20),
        2025: (3, 20),
        2026: (3, 20), 2027: (3, 21), 2028: (3, 20), 2029: (3, 20), 2030: (3, 20),
    },
    "谷雨": {
        2020: (4, 19), 2021: (4, 20), 2022: (4, 20), 2023: (4, 20), 2024: (4, 19),
        2025: (4, 20),
        2026: (4, 20), 2027: (4, 20), 2028: (4, 19), 2029: (4, 20), 2030: (4, 20),
    },
    "立夏": {
        2020: (5, 5), 2021: (5, 5), 2022: (5, 5), 2023: (5, 6), 2024: (5, 5), 2025: (5, 5),
        2026: (5, 5), 2027: (5, 6), 2028: (5, 5), 2029: (5, 5), 2030: (5, 5),
    },
    "小满": {
        2020: (5, 20), 2021: (5, 21), 2022: (5, 21), 2023: (5, 21), 2024: (5, 20),
        2025: (5, 21),
        2026: (5, 21), 2027: (5, 21), 2028: (5, 20), 2029: (5, 21), 2030: (5, 21),
    },
    "芒种": {
        2020: (6, 5), 2021: (6, 5), 2022: (6, 6), 2023: (6, 6), 2024: (6, 5), 2025: (6, 5),
        2026: (6, 5), 2027: (6, 6), 2028: (6, 5), 2029: (6, 5), 2030: (6, 5),
    },
    "夏至": {
        2020: (6, 21), 2021: (6, 21), 2022: (6, 21), 2023: (6, 21), 2024: (6, 21),
        2025: (6, 21),
        2026: (6, 21), 2027: (6, 21), 2028: (6, 21), 2029: (6, 21), 2030: (6, 21),
    },
    "小暑": {
        2020: (7, 6), 2021: (7, 7), 2022: (7, 7), 2023: (7, 7), 2024: (7, 6), 2025: (7, 7),
        2026: (7, 7), 2027: (7, 7), 2028: (7, 6), 2029: (7, 7), 2030: (7, 7),
    },
    "大暑": {
        2020: (7, 22), 2021: (7, 22), 2022: (7, 23), 2023: (7, 23), 2024: (7, 22),
        2025: (7, 22),
        2026: (7, 23), 2027: (7, 23), 2028: (7, 22), 2029: (7, 22), 2030: (7, 23),
    },
    "立秋": {
        2020: (8, 7), 2021: (8, 7), 2022: (8, 7), 2023: (8, 8), 2024: (8, 7), 2025: (8, 7),
        2026: (8, 7), 2027: (8, 8), 2028: (8, 7), 2029: (8, 7), 2030: (8, 7),
    },
    "处暑": {
        2020: (8, 22), 2021: (8, 23), 2022: (8, 23), 2023: (8, 23), 2024: (8, 22),
        2025: (8, 23),
        2026: (8, 23), 2027: (8, 23), 2028: (8, 22), 2029: (8, 23), 2030: (8, 23),
    },
    "白露": {
        2020: (9, 7), 2021: (9, 7), 2022: (9, 7), 2023: (9, 8), 2024: (9, 7), 2025: (9, 7),
        2026: (9, 7), 2027: (9, 8), 2028: (9, 7), 2029: (9, 7), 2030: (9, 7),
    },
    "秋分": {
        2020: (9, 22), 2021: (9, 23), 2022: (9, 23), 2023: (9, 23), 2024: (9, 22),
        2025: (9, 23),
        2026: (9, 23), 2027: (9, 23), 2028: (9, 22), 2029: (9, 23), 2030: (9, 23),
    },
    "寒露": {
        2020: (10, 8), 2021: (10, 8), 2022: (10, 8), 2023: (10, 8), 2024: (10, 8),
        2025: (10, 8),
        2026: (10, 8), 2027: (10, 8), 2028: (10, 8), 2029: (10, 8), 2030: (10, 8),
    },
    "霜降": {
        2020: (10, 23), 2021: (10, 23), 2022: (10, 23), 2023: (10, 24), 2024: (10, 23),
        2025: (10, 23),
        2026: (10, 23), 2027: (10, 23), 2028: (10, 23), 2029: (10, 23), 2030: (10, 23),
    },
    "立冬": {
        2020: (11, 7), 2021: (11, 7), 2022: (11, 7), 2023: (11, 8), 2024: (11, 7),
        2025: (11, 7),
        2026: (11, 7), 2027: (11, 7), 2028: (11, 7), 2029: (11, 7), 2030: (11, 7),
    },
    "小雪": {
        2020: (11, 22), 2021: (11, 22), 2022: (11, 22), 2023: (11, 22), 2024: (11, 22),
        2025: (11, 22),
        2026: (11, 22), 2027: (11, 22), 2028: (11, 22), 2029: (11, 22), 2030: (11, 22),
    },
    "大雪": {
        2020: (12, 7), 2021: (12, 7), 2022: (12, 7), 2023: (12, 7), 2024: (12, 6),
        2025: (12, 7),
        2026: (12, 7), 2027: (12, 7), 2028: (12, 6), 2029: (12, 7), 2030: (12, 7),
    },
    "冬至": {
        2020: (12, 21), 2021: (12, 21), 2022: (12, 22), 2023: (12, 22), 2024: (12, 21),
        2025: (12, 21),
        2026: (12, 22), 2027: (12, 22), 2028: (12, 21), 2029: (12, 21), 2030: (12, 22),
    },
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
# The solar terms, by their names and as 某节气 (大雪节气（12月7日）), and the days of the
# solstices and equinoxes (冬至日为12月22日). Not a date before the name (12月7日大雪 is
# weather as often as the term): only the name with its date after it or in brackets.
FESTIVALS.update(_SOLAR_TERMS)
FESTIVALS.update(
    {name + "节气": days for name, days in (*_SOLAR_TERMS.items(), ("清明", _QINGMING))}
)
FESTIVALS.update({name + "日": _SOLAR_TERMS[name] for name in ("冬至", "夏至", "春分", "秋分")})
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


# The festivals of the lunar calendar, on their fixed lunar days (中秋节（农历八月十五）).
LUNAR_DAYS: dict[str, tuple[int, int]] = {
    "春节": (1, 1), "元宵节": (1, 15), "端午节": (5, 5), "七夕节": (7, 7), "中秋节": (8, 15),
    "重阳节": (9, 9),
}  # fmt: skip
LUNAR_DAYS.update(
    {name[:-1]: LUNAR_DAYS[name] for name in ("元宵节", "端午节", "七夕节", "中秋节", "重阳节")}
)
_LUNAR_MONTH_NAMES = "正二三四五六七八九十冬腊"
# 正月 is 一月 too, and 冬月 and 腊月 十一月 and 十二月.
_LUNAR_MONTHS = {name: month for month, name in enumerate(_LUNAR_MONTH_NAMES, 1)} | {
    "一": 1, "十一": 11, "十二": 12,
}  # fmt: skip
_LUNAR_DAY = re.compile(
    "农历(正|十一|十二|冬|腊|[一二三四五六七八九十])月"
    "(初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)"
    "日?[）)]"
)


def _lunar_day_number(written: str) -> int:
    """初五 5, 十五 15, 二十三 and 廿三 23, 三十 30."""
    return chinese_count(written.removeprefix("初").replace("廿", "二十"))


def _lunar_day_name(day: int) -> str:
    """5 初五, 15 十五 (the days the festivals keep)."""
    ones = "一二三四五六七八九十"
    return f"初{ones[day - 1]}" if day <= 10 else f"十{ones[day - 11]}"


def _wrong_lunar_day(name: str, m: re.Match[str]) -> Finding | None:
    right = LUNAR_DAYS.get(name)
    if right is None or (_LUNAR_MONTHS[m[1]], _lunar_day_number(m[2])) == right:
        return None
    said = f"农历{_LUNAR_MONTH_NAMES[right[0] - 1]}月{_lunar_day_name(right[1])}"
    written = m.group()[:-1]  # without the closing bracket
    return new_finding(
        "date", WARN, m.start(), m.start() + len(written), written, said,
        f"{name}是{said}", "date:lunar_day",
    )  # fmt: skip


def _festival_then_day(name: str) -> Callable[[str, int, int], Finding | None]:
    """春节（2月17日）, 春节（2026年2月17日）: the date in the brackets after the
    festival's name (its year there, or the last one written before the name); 中秋节
    （农历八月十六）: the lunar day, which is fixed."""

    def rule(text: str, start: int, end: int) -> Finding | None:
        m = _DAY.match(text, end)
        if m is None:
            lunar = _LUNAR_DAY.match(text, end)
            return None if lunar is None else _wrong_lunar_day(name, lunar)
        if not _ONE_DAY.match(text, m.end()):
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

"""数字用法: how years, dates and amounts are written, after GB/T 15835-2011《出版物上数字用法》.

* a year is written in full, never shortened (98年 → 1998年, 九八年 → 一九九八年;
  GB/T 15835 4.2.? "年份一般不应简写");
* the months and days of the lunar calendar in Chinese numerals (农历8月15日 → 农历八月十五,
  正月初8 → 正月初八, 腊月23 → 腊月二十三), and so are the years of the dynasties and of the
  Republic (乾隆28年 → 乾隆二十八年, 民国12年 → 民国十二年) and an approximate number with 几
  (10几家 → 十几家), and two neighbouring numbers that make one (5、6分钟 → 五六分钟; 3、4月
  and 第1、2批 are lists), and the Party's congresses and plenums (党的20大 → 党的二十大);
* one date is written in one kind of numerals (2026年五月一日, 二〇二六年5月1日 mix
  them), and the month and day of a 年月日 date take no leading zero (2026年05月06日);
* a decade names its century (20世纪80年代, not 八十年代 or 上世纪80年代);
* Arabic numerals are not joined to the Chinese numerals 十, 百, 千 (3千人 → 3000人,
  1千2百万 → 1200万): only 万 and 亿 (and the prefixes of legal units, 千米, 千克) may
  follow them;
* in a range, 万, 亿 and % stay on both numbers (9亿～16亿, not 9～16亿; 15%～30%, not
  15～30%: the shorter form reads as 9 to 16亿);
* 百分之 takes Chinese numerals (百分之50 → 50%, or 百分之五十), and the count two
  before a measure word is 两 (二个 → 两个, not in 十二个, 第二个, 二本院校);
* the units of the law (GB 3100—1993《国际单位制及其应用》): 厘米, 米 and 升, not 公分, 公尺
  and 公升; 平方米 and 立方米 written whole after a number (12万平方 → 12万平方米).

Findings are warnings of the ``date`` category (日期和数字); those of units, of ``usage``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.proofread.context import ER_MEASURES
from domain.proofread.context import counted as counted_measure
from domain.proofread.dates import backwards_clock_span
from domain.proofread.model import WARN, Finding, new_finding

SOURCE = "GB/T 15835-2011《出版物上数字用法》"
DATE = "2011-11-01"
VERSION = "2026.12.30"

CATEGORY = "date"
_DIGITS = frozenset("0123456789")
_CN_DIGITS = "〇零一二三四五六七八九"
_CN_VALUE = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _finding(start: int, text: str, kind: str, suggestion: str | None, message: str) -> Finding:
    return new_finding(
        CATEGORY, WARN, start, start + len(text), text, suggestion, message, f"{CATEGORY}:{kind}"
    )


# -- shortened years -------------------------------------------------------------------
# "98年" is a point in time when a month follows it, or when it follows a word that
# places something in time (于98年, 在98年, 自98年); "10年" after anything else is a
# length of time (用10年时间).
_MONTH_AFTER = re.compile("(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})月")
# Words that place what follows at a point in time: after them a year is meant.
_AT_TIME = ("于", "早在", "始于", "建于", "生于", "成立于", "自", "从", "截至", "直到")
# Words after which a number of years may be a length of time too (在10年内, 到50年……):
# a shortened year is read there only from 50 on, and not before a word of length.
_MAYBE_AT_TIME = ("在", "是", "到", "至")
_LENGTH_AFTER = frozenset("内间来以后前中多余左之里代度时轮半过")
_PLACE_IN_YEAR = tuple(a + b for a in "全我本" for b in "市省县区国镇乡")
# A sentence that opens with the year ("98年，我市……") dates what it tells.
_OPENS = frozenset("。；！？\n")


# Read backwards (see dates.py): "98年" is "年89", a literal first, so that every year
# written in full is passed over inside ``re``.
_SHORT_YEAR_REVERSED = re.compile("年([0-9]{2})(?![0-9.．])")


def check_short_years(text: str, reversed_text: str) -> list[Finding]:
    """Years shortened to two digits (98年), read where a month follows or a word of time
    stands before."""
    if "年" not in text:
        return []
    n = len(text)
    findings = []
    for m in _SHORT_YEAR_REVERSED.finditer(reversed_text):
        found = _short_year(text, n - m.end() + 1, n - m.start())
        if found is not None:
            findings.append(found)
    findings.reverse()
    return findings


def _short_year(text: str, start: int, end: int) -> Finding | None:
    # [start, end) is the year's last digit and 年 ("8年" of "98年").
    lo = start - 1
    year = int(text[lo : start + 1])
    # 05年 is no length of time, nor is 26年度 (a year's budget, plan or report), nor 25年底.
    dated = (
        text[lo] == "0"
        or text.startswith(("底", "初", "末"), end)
        or (text.startswith("度", end) and not text.startswith("度过", end))
    )
    if not dated and not _MONTH_AFTER.match(text, end):
        if end < len(text) and text[end] in _LENGTH_AFTER:
            return None
        opens = not lo or text[lo - 1] in _OPENS
        # 25年全市共接待: a sentence that opens with the year and what the city did in it
        # (not 10年磨一剑, 15年累计投入: lengths of time).
        if opens and text.startswith(_PLACE_IN_YEAR, end):
            pass
        elif not (
            text.endswith(_AT_TIME, 0, lo)
            or (year >= 50 and (opens or text.endswith(_MAYBE_AT_TIME, 0, lo)))
        ):
            return None
    if lo and text[lo - 1] in "'’‘":
        lo -= 1
    full = f"{1900 + year if year >= 50 else 2000 + year}年"
    return _finding(lo, text[lo:end], "short_year", full, "年份不应简写，应写全（如“1998年”）")


_CN_SHORT_YEAR = re.compile(f"(?<![{_CN_DIGITS}十])([{_CN_DIGITS}]{{2}})年(?!级|代)")


def _cn_short_year(text: str, start: int, end: int) -> Finding | None:
    # The anchor is two Chinese numerals and 年 (九八年); 三四年 is a count of years.
    m = _CN_SHORT_YEAR.match(text, start)
    if m is None or (start and text[start - 1] in _CN_DIGITS + "十百第" + _NOT_ZERO):
        return None  # 二〇二六年, and 二O二六年 (its O is the year_zero rule's)
    a, b = (_CN_VALUE[ch] for ch in m.group(1))
    if b - a == 1 and not _MONTH_AFTER.match(text, end):
        return None  # 三四年: three or four years
    if not (_MONTH_AFTER.match(text, end) or a in (0, 9) or text.endswith(_AT_TIME, 0, start)):
        return None
    message = "年份不应简写，应写全（如“一九九八年”）"
    return _finding(start, text[start:end], "short_year", None, message)


# -- one date, one kind of numerals; no leading zero -----------------------------------
_MIXED_DATE = re.compile(
    "(?:[0-9]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?"
    "|[0-9]{1,2}月[一二三四五六七八九十]{1,3}日)"
    f"|[{_CN_DIGITS}]{{4}}年(?:[0-9]{{1,2}}月|[一二三四五六七八九十]{{1,2}}月[0-9]{{1,2}}日))"
)


def _mixed_date(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 年 with the first numeral of the month after it (2026年五月), or the
    # last numeral of a year in Chinese numerals with 年 and a digit (二〇二六年5月).
    lo = text.index("年", start, end) - 4
    if lo < 0:
        return None
    m = _MIXED_DATE.match(text, lo)
    if m is None or (lo and (text[lo - 1] in _DIGITS or text[lo - 1] in _CN_DIGITS)):
        return None
    return _finding(lo, m.group(), "mixed_numerals", None, "同一日期中阿拉伯数字与汉字数字混用")


_MONTH_THEN_CN_DAY = re.compile(
    "(?:[0-9]{4}年)?[0-9]{1,2}月[一二三四五六七八九十]{1,3}[日号](?!游)"
)


def _mixed_month_day(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the month's last digit, 月 and the day's first numeral (9月一日).
    lo = start
    while lo and text[lo - 1] in _DIGITS:
        lo -= 1
    if end - lo > 5 or (lo and text[lo - 1] in ".．-/"):
        return None
    if lo >= 5 and text[lo - 1] == "年" and all(ch in _DIGITS for ch in text[lo - 5 : lo - 1]):
        lo -= 5
    m = _MONTH_THEN_CN_DAY.match(text, lo)
    if m is None or (lo and text[lo - 1] in _DIGITS):
        return None
    return _finding(lo, m.group(), "mixed_numerals", None, "同一日期中阿拉伯数字与汉字数字混用")


# The 〇 of a year in Chinese numerals is the numeral 〇 (U+3007), not the circle ○ or a
# letter O or the digit 0 (二○二六年, 二0二六年; GB/T 15835-2011 4.1.2 and 附录).
_NOT_ZERO = "○◯OoＯｏ0０"
_CN_YEAR_RUN = re.compile(f"[{_CN_DIGITS}{_NOT_ZERO}]{{4}}年")


def _circle_for_zero(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a Chinese numeral and a stand-in for 〇 after it (二○).
    lo = start
    while lo and text[lo - 1] in _CN_DIGITS + _NOT_ZERO and start - lo < 3:
        lo -= 1
    m = _CN_YEAR_RUN.match(text, lo)
    if m is None or (lo and text[lo - 1] in _CN_DIGITS + _NOT_ZERO):
        return None
    year = m.group()[:4]
    if not any(ch in _CN_DIGITS for ch in year) or sum(ch in _NOT_ZERO for ch in year) > 2:
        return None
    first = min(i for i in range(lo, lo + 4) if text[i] in _NOT_ZERO)
    if first + 1 != end:
        return None  # an earlier stand-in in the same year reports it
    fixed = "".join("〇" if ch in _NOT_ZERO else ch for ch in year)
    return _finding(lo, year, "year_zero", fixed, f"年份中的“〇”应使用汉字数字“〇”：{fixed}年")


# A year written half in Chinese numerals and half in Arabic ones (二〇26年, 20二六年), or
# with a Latin O among its digits (2O26年): one style, with its own zero (GB/T 15835).
_ARABIC = "0123456789"
_LATIN_O = "OoＯｏ"
_YEAR_CHARS = _CN_DIGITS + _ARABIC + _LATIN_O


def _year_run(text: str, at: int) -> tuple[int, str] | None:
    """The four characters of a year around ``at``, with 年 after them, and their start."""
    lo = at
    while lo and text[lo - 1] in _YEAR_CHARS and at - lo < 3:
        lo -= 1
    if lo and text[lo - 1] in _YEAR_CHARS:
        return None
    hi = lo
    while hi < len(text) and text[hi] in _YEAR_CHARS:
        hi += 1
    if hi - lo != 4 or not text.startswith("年", hi):
        return None
    return lo, text[lo:hi]


def _year_of_two_styles(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a Chinese numeral and an Arabic digit, either way round.
    run = _year_run(text, start)
    if run is None:
        return None
    lo, year = run
    if any(ch in _LATIN_O for ch in year):
        return None  # the Latin O's rule
    first = next(i for i in range(lo, lo + 3) if (text[i] in _ARABIC) != (text[i + 1] in _ARABIC))
    if first != start:
        return None  # reported at the first change of style
    fixed = "".join(str(_CN_VALUE[ch]) if ch in _CN_VALUE else ch for ch in year)
    return _finding(
        lo, year, "year_two_styles", fixed, f"年份的数字混用了汉字数字和阿拉伯数字：{fixed}年"
    )


def _latin_o_in_year(text: str, start: int, end: int) -> Finding | None:
    # The anchor is an Arabic digit and a Latin O, either way round.
    run = _year_run(text, start)
    if run is None:
        return None
    lo, year = run
    if sum(ch in _ARABIC for ch in year) < 2 or any(ch in _CN_DIGITS for ch in year):
        return None
    if next(i for i in range(lo, lo + 4) if text[i] in _LATIN_O) != end - 1:
        return None  # reported by the anchor that ends with the first O
    fixed = "".join("0" if ch in _LATIN_O else ch for ch in year)
    return _finding(lo, year, "year_latin_o", fixed, f"年份中的字母“O”应为数字“0”：{fixed}年")


# GB/T 15835-2011 4.1.2: the months and days of the lunar calendar are written in Chinese
# numerals (农历八月十五, 正月初五), not Arabic ones.
_LUNAR_ARABIC = re.compile("[0-9]{1,2}月(?:[0-9]{1,2}(?:日|号)?)?")


def _lunar_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 农历 or 阴历 with the month's first digit (农历8).
    m = _LUNAR_ARABIC.match(text, end - 1)
    if m is None:
        return None
    return _finding(
        end - 1, m.group(), "lunar_arabic", None, "农历月日用汉字数字（如“农历八月十五”）"
    )


# ...and so are the days of a month of its own name (正月初八, 腊月二十三).
_LUNAR_MONTHS = ("正月", "腊月", "冬月")
_LUNAR_DAY_ARABIC = re.compile("[0-9]{1,2}(?:日|号)?")


def _lunar_day_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 正月, 腊月, 冬月 or 月初 with the day's first digit (腊月2, 正月初8).
    m = _LUNAR_DAY_ARABIC.match(text, end - 1)
    if m is None:
        return None
    digits = m.group().rstrip("日号")
    day = int(digits)
    if text[end - 2] == "初":
        # 初 takes one digit (初一 to 初十), in a month named in Chinese (十二月初3, 正月初8;
        # 5月初3天 is the first three days of May).
        if len(digits) > 1 or start == 0 or text[start - 1] not in _LUNAR_MONTH_NUMERALS:
            return None
        lo, suggestion = end - 2, "初" + _chinese_number(day)
    else:
        if not 0 < day <= 30:
            return None
        lo, suggestion = end - 1, ("初" if day <= 10 else "") + _chinese_number(day)
    return _finding(
        lo, text[lo : m.end()], "lunar_arabic", suggestion,
        "农历月日用汉字数字（如“正月初八”“腊月二十三”）",
    )  # fmt: skip


_LUNAR_MONTH_NUMERALS = frozenset("正腊冬一二三四五六七八九十")


def _chinese_number(n: int) -> str:
    """1 to 99 in Chinese numerals: 八, 十, 二十三."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _CN_DIGITS[tens + 1] + "十"
    return head + ("" if units == 0 else _CN_DIGITS[units + 1])


# GB/T 15835-2011 4.1.2: an approximate number with 几 is written in Chinese numerals
# (十几, 二十几, 一百几十), not 10几.
def _rough_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a digit and 几 after it.
    lo = start
    while lo and text[lo - 1] in _DIGITS:
        lo -= 1
    if lo and (text[lo - 1] in ".．" or (text[lo - 1].isascii() and text[lo - 1].isalnum())):
        return None
    digits = text[lo : start + 1]
    number = int(digits)
    suggestion = _chinese_number(number) + "几" if 10 <= number < 100 and number % 10 == 0 else None
    return _finding(
        lo, digits + "几", "rough_arabic", suggestion,
        "含“几”的概数用汉字数字（如“十几”“二十几”“一百几十”）",
    )  # fmt: skip


# GB/T 15835-2011 4.1.2: the years of China's dynasties (and of the Republic) are written in
# Chinese numerals: 清乾隆二十八年, 明万历十五年, 民国十二年.
REIGN_TITLES: tuple[str, ...] = (
    "贞观", "开元", "天宝", "景德", "庆历", "熙宁", "元丰", "元祐", "崇宁", "淳熙", "至元",
    "至正", "洪武", "永乐", "宣德", "成化", "弘治", "嘉靖", "隆庆", "万历", "天启", "崇祯",
    "顺治", "康熙", "雍正", "乾隆", "嘉庆", "道光", "咸丰", "同治", "光绪", "宣统", "民国",
)  # fmt: skip
_REIGN_YEAR = re.compile("([0-9]{1,2})(年)")


def _reign_year_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the reign title with the year's first digit (乾隆2).
    return _numbered_in_arabic(
        text, start, end - 1, _REIGN_YEAR, "reign_arabic",
        "历史纪年用汉字数字（如“乾隆二十八年”“民国十二年”）",
    )  # fmt: skip


def _numbered_in_arabic(
    text: str, lo: int, at: int, pattern: re.Pattern[str], kind: str, message: str
) -> Finding | None:
    """The finding of ``text[lo:at]`` and a number of one or two digits at ``at`` with what
    ``pattern`` reads after it (its groups: the digits, the word after them), suggesting the
    number in Chinese numerals."""
    m = pattern.match(text, at)
    if m is None or not 0 < int(m.group(1)) < 100:
        return None
    suggestion = text[lo:at] + _chinese_number(int(m.group(1))) + m.group(2)
    return _finding(lo, text[lo : m.end()], kind, suggestion, message)


# GB/T 15835-2011 4.1.2: two neighbouring numbers that make an approximation are written in
# Chinese numerals, with no mark between them (五六分钟, 三四十人, 七八十岁); 5、6分钟 is
# neither. Months, days, ordinals and numbered things (3、4月, 第1、2批, 1、2号线) are items of
# a list, not an approximation.
_LISTED_UNITS = tuple("月日号年批期届层楼版条款项章节级号线路班组排座次栋单元区")
_LABELS = frozenset("第图表件例式号条款章节、，.．-/:：")


def _neighbours_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a digit, 、 and the next digit (5、6).
    lo = start
    while lo and text[lo - 1] in _DIGITS:
        lo -= 1
    before = text[lo - 1] if lo else ""
    if before and (before in _LABELS or (before.isascii() and before.isalnum())):
        return None  # 第1、2批, 图1、2, 附件1、2, a list of three (1、2、3) or a version
    hi = end
    while hi < len(text) and text[hi] in _DIGITS:
        hi += 1
    first, second = int(text[lo : start + 1]), int(text[start + 2 : hi])
    if not (
        second == first + 1
        or (first < 10 and second == (first + 1) * 10)  # 3、40
        or (first % 10 == 0 and second == first + 10)  # 70、80
    ):
        return None
    after = text[hi : hi + 1]
    if not after or not ("\u4e00" <= after <= "\u9fff") or text.startswith(_LISTED_UNITS, hi):
        return None
    return _finding(
        lo, text[lo:hi], "approximate_arabic", None,
        "相邻两数表示概数用汉字数字，中间不用顿号（如“五六分钟”“三四十人”）",
    )  # fmt: skip


# The Party's congresses and the plenums of its Central Committees are named in Chinese
# numerals (党的二十大, 党的二十届四中全会), as the Party's own documents write them.
_CONGRESS = re.compile("([0-9]{1,2})(大|届)")


def _congress_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 党的 and the number's first digit (党的2).
    return _numbered_in_arabic(
        text, end - 1, end - 1, _CONGRESS, "congress_arabic",
        "党的代表大会和中央全会的届次用汉字数字（如“党的二十大”“二十届四中全会”）",
    )  # fmt: skip


def _leading_zero(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 年0 (2026年05月) or 月0 (5月06日).
    at = start + 1
    closing = ("月",) if text[start] == "年" else ("日", "号")
    if not text.startswith(closing, at + 2) or text[at + 1 : at + 2] not in "123456789":
        return None
    return _finding(
        at, text[at : at + 2], "leading_zero", text[at + 1], "年月日写法中的月、日不加前导“0”"
    )


# -- decades -----------------------------------------------------------------------------
_TENS = re.compile("[二三四五六七八九]十年代|[2-9]0年代")


def _decade(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 十年代 or 0年代.
    lo = start - 1
    if lo < 0:
        return None
    m = _TENS.match(text, lo)
    if m is None or (lo and (text[lo - 1] in _DIGITS or text[lo - 1] in "二三四五六七八九十")):
        return None
    before = text[max(0, lo - 4) : lo]
    if "世纪" in before and "上世纪" not in before:
        return None
    if "上世纪" in before:
        return None  # 上世纪 reports itself
    return _finding(lo, m.group(), "decade", None, "年代前应写明世纪（如“20世纪80年代”）")


def _last_century(text: str, start: int, end: int) -> Finding | None:
    return _finding(start, "上世纪", "last_century", "20世纪", "“上世纪”应写明世纪（如“20世纪”）")


# -- Arabic numerals with 十百千 -------------------------------------------------------
_UNIT_PREFIXES = (
    "千米", "千克", "千瓦", "千伏", "千帕", "千赫", "千焦", "千卡", "千兆", "千字",
    "百分点", "百分之", "十分",
)  # fmt: skip


def _arabic_with_chinese(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a digit and 十, 百 or 千 after it.
    at = start + 1
    if text.startswith(_UNIT_PREFIXES, at):
        return None
    lo = start
    while lo and (text[lo - 1] in _DIGITS or text[lo - 1] in ".．"):
        lo -= 1
    if lo and (text[lo - 1].isascii() and text[lo - 1].isalpha()):
        return None  # a model name (G7十……)
    hi = end
    while hi < len(text) and (text[hi] in _DIGITS or text[hi] in "十百千万亿"):
        hi += 1
    return _finding(
        lo, text[lo:hi], "mixed_numerals", None,
        "阿拉伯数字不与“十”“百”“千”连用（“万”“亿”除外），如“3000”“1200万”",
    )  # fmt: skip


# 十2个, 几10名: a Chinese numeral of tens, hundreds or thousands before Arabic digits.
_CN_NUMERALS = frozenset("〇零一二三四五六七八九十百千两几")


def _chinese_with_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 十, 百, 千 or 几 and a digit after it.
    if text[start] == "几" and start and text[start - 1] == "茶":
        return None  # 茶几
    lo = start
    while lo and text[lo - 1] in _CN_NUMERALS:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] in _DIGITS:
        hi += 1
    return _finding(
        lo, text[lo:hi], "mixed_numerals", None,
        "汉字数字不与阿拉伯数字连用，如“12个”“几十名”",
    )  # fmt: skip


# 4万万元: a hundred million is 亿.
def _wan_wan(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a digit and 万万.
    return _finding(
        start + 1, "万万", "wan_wan", "亿", "“万万”应写作“亿”，如“4亿元”"
    )  # fmt: skip


# -- ranges that drop 万, 亿 or % from the first number --------------------------------
_RANGE = re.compile(r"([0-9]+(?:\.[0-9]+)?)([～~—－-]|至|到)([0-9]+(?:\.[0-9]+)?)([万亿]|%|％)")


def _range_unit(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the range mark after a digit.
    lo = start
    while lo and (text[lo - 1] in _DIGITS or text[lo - 1] in "."):
        lo -= 1
    if lo and text[lo - 1] in ":：":
        return backwards_clock_span(text, lo - 1)  # 9:00—17:00, a span of time of day
    if lo and (text[lo - 1] in "-/年月" or (text[lo - 1].isascii() and text[lo - 1].isalnum())):
        return None
    m = _RANGE.match(text, lo)
    if m is None or m.start(2) != start + 1:
        return None
    unit = m.group(4)
    suggestion = f"{m.group(1)}{unit}{m.group(2)}{m.group(3)}{unit}"
    return _finding(
        lo, m.group(), "range_unit", suggestion,
        f"表示数值范围时，前一个数的“{unit}”不能省略（如“9亿～16亿”“15%～30%”）",
    )  # fmt: skip


# -- ranges that run backwards -------------------------------------------------------
# 18～12岁, （2028—2026年）: a range runs from the smaller number to the larger. Whole
# numbers of the same unit only (not 2026—27: see below; not a score, 3∶1, nor a list
# of numbers, 1—3、5—2).
_WHOLE_RANGE = re.compile(r"([0-9]{1,4})(?:[～~—－-]|至|到)([0-9]{1,4})(?![0-9.．:：])")


def _backwards_range(m: re.Match[str], text: str) -> Finding | None:
    first, last = int(m.group(1)), int(m.group(2))
    if first <= last or (len(m.group(1)) == 4 and len(m.group(2)) < 4):
        return None  # (2026—27: a year cut short, its own finding)
    after = text[m.end() : m.end() + 2]
    if not after or not (_CJK_UNIT.match(after) or after[0] in "%％"):
        return None
    if m.start() and (text[m.start() - 1] in "第、，—～-.．/" or text[m.start() - 1].isascii()):
        return None  # (a list of ranges, a code, a version)
    mark = m.group()[len(m.group(1)) : -len(m.group(2))]
    return _finding(
        m.start(), m.group(), "backwards_range", f"{last}{mark}{first}",
        "数值或年份范围应从小到大：前一个数大于后一个数",
    )  # fmt: skip


_CJK_UNIT = re.compile("[\u4e00-\u9fff]")


def _range(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the range mark after a digit.
    found = _range_unit(text, start, end)
    if found is not None:
        return found
    lo = start
    while lo and text[lo - 1] in _DIGITS:
        lo -= 1
    if lo and text[lo - 1] in "-/年月.．:：":
        return None  # (a date's parts, a clock time, a decimal)
    m = _WHOLE_RANGE.match(text, lo)
    if m is None or m.start() != lo:
        return None
    if len(m.group(1)) == 4 and len(m.group(2)) == 2 and text.startswith(_YEAR_WORDS, m.end()):
        return _finding(
            m.start(), m.group(), "year_cut", f"{m.group(1)}{m.group()[4:-2]}{m.group(1)[:2]}"
            f"{m.group(2)}", "年份不能简写：写全四位（如“2026—2027学年”）",
        )  # fmt: skip
    return _backwards_range(m, text)


_YEAR_WORDS = ("学年", "年度", "年", "财年", "赛季")


# '26年, ’26年: a year cut to two digits after an apostrophe (GB/T 15835: 年份不能简写).
def _apostrophe_year(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the apostrophe and the first of two digits; 年 follows them.
    digits = text[start + 1 : start + 3]
    if not (digits.isdigit() and text.startswith("年", start + 3)):
        return None
    return _finding(
        start, text[start : start + 4], "year_cut", f"20{digits}年",
        "年份不能简写：写全四位（如“2026年”）",
    )  # fmt: skip


# 3月5号: in writing, the day of a date is 日 (号 is spoken; 5号楼, 3号线 are names).
_NOT_A_DAY = frozenset("楼线院文令门馆库机车台厅站口位窗场仓码房室桥船洞泊厂井坑")


def _hao_for_ri(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 月, the day's digits and 号 (so the rule runs only where 号 is).
    day = text[start + 1 : end - 1]
    if not 1 <= int(day) <= 31 or (end < len(text) and text[end] in _NOT_A_DAY):
        return None
    lo = start
    while lo and text[lo - 1] in _DIGITS:
        lo -= 1
    if lo == start or start - lo > 2 or not 1 <= int(text[lo:start]) <= 12:
        return None
    if lo and text[lo - 1].isascii() and text[lo - 1].isalnum():
        return None
    month = text[lo:start]
    return _finding(lo, text[lo:end], "hao", f"{month}月{day}日", "书面语中日期用“日”，不用“号”")


# -- 百分之 with Arabic numerals -----------------------------------------------------
_PERCENT_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _percent_in_arabic(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 百分之 and the first digit after it.
    m = _PERCENT_DIGITS.match(text, end - 1)
    assert m is not None
    return _finding(
        start, text[start : m.end()], "percent", f"{m.group()}%",
        f"“百分之”后不用阿拉伯数字：写“{m.group()}%”，或全用汉字（如“百分之五十”）",
    )  # fmt: skip


# -- 二 before a measure word -----------------------------------------------------------
# 两个人, 两辆车: before a measure word the count two is 两 (GB/T 15835-2011 与《现代汉语
# 词典》: "两" 用于一般量词前). Not in a longer number (十二个, 一二个), an ordinal (第二个,
# 初二, 周二) or a name of its own (二本院校, 二套房, 央视二台, 二类疫苗, 光绪二年): the
# measures here are those that make no such name.
_ER_MEASURES = (
    *sorted(ER_MEASURES),
    "小时",
    "分钟",
    "星期",
    "位老",
    "名游",
    "位非",
    "名儿",
    "名学",
)
_NOT_BEFORE_ER = frozenset("0123456789〇零一二三四五六七八九十百千万亿两第初周期拜之老小排")


def _er_before_measure(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 二 and the measure after it; where 二 is right (十二篇), the measure
    # is read by what it counts (十二篇歌曲 → 首).
    if (
        (start and text[start - 1] in _NOT_BEFORE_ER)
        or (
            start and text[start - 1] in "前后" and text[start + 1] in "名位"  # 前二名
        )
        or (end < len(text) and text[end] in "十百千万亿")
    ):
        return counted_measure(text, start, end) if end - start == 2 else None
    return _finding(
        start, "二", "two", "两", f"量词前的数目“二”一般用“两”（两{text[start + 1 : end]}）"
    )


# -- units: 平方 and 立方 without 米 ---------------------------------------------------
_AREA_UNITS_AFTER = ("米", "公里", "千米", "厘米", "分米", "毫米", "英尺", "英里", "码", "根", "和")


def _square_without_metre(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a digit (or 万, 亿) and 平方 or 立方 after it.
    if text.startswith(_AREA_UNITS_AFTER, end) or text.startswith("体", end):
        return None
    unit = text[end - 2 : end]
    return new_finding(
        "usage", WARN, end - 2, end, unit, unit + "米",
        f"计量单位写全：“{unit}米”（GB 3100—1993《国际单位制及其应用》）", f"usage:{unit}+米",
    )  # fmt: skip


# 公分, 公尺, 公升 are no units of the law (GB 3100—1993; 国务院《关于在我国统一实行法定计量
# 单位的命令》, 1984): 厘米, 米, 升. After a number only (公分母 is a common denominator).
_OLD_UNITS = {"公分": "厘米", "公尺": "米", "公升": "升"}


def _old_unit(text: str, start: int, end: int) -> Finding | None:
    # The anchor is a numeral and the unit after it.
    unit = text[end - 2 : end]
    if unit == "公分" and text.startswith("母", end):
        return None
    right = _OLD_UNITS[unit]
    return new_finding(
        "usage", WARN, end - 2, end, unit, right,
        f"使用法定计量单位：“{right}”，不用“{unit}”（GB 3100—1993《国际单位制及其应用》）",
        f"usage:{unit}",
    )  # fmt: skip


Rule = Callable[[str, int, int], Finding | None]

NUMBER_ANCHORS: dict[str, Rule] = {
    **{f"{a}{b}年": _cn_short_year for a in _CN_DIGITS for b in _CN_DIGITS},
    **{f"年{n}": _mixed_date for n in "一二三四五六七八九十"},
    **{f"{y}年{d}": _mixed_date for y in _CN_DIGITS for d in "123456789"},
    **{f"{d}月{n}": _mixed_month_day for d in "0123456789" for n in "一二三四五六七八九十"},
    **{f"{n}{z}": _circle_for_zero for n in "〇一二三四五六七八九" for z in _NOT_ZERO},
    **{f"{word}{d}": _lunar_in_arabic for word in ("农历", "阴历") for d in "123456789"},
    **{
        f"{word}{d}": _lunar_day_in_arabic for word in (*_LUNAR_MONTHS, "月初") for d in "123456789"
    },
    **{f"{d}几": _rough_in_arabic for d in "0123456789"},
    **{f"党的{d}": _congress_in_arabic for d in "123456789"},
    **{f"{d}、{e}": _neighbours_in_arabic for d in "0123456789" for e in "123456789"},
    **{f"{title}{d}": _reign_year_in_arabic for title in REIGN_TITLES for d in "123456789"},
    "年0": _leading_zero,
    "月0": _leading_zero,
    "十年代": _decade,
    "0年代": _decade,
    "上世纪": _last_century,
    **{f"{d}{c}": _arabic_with_chinese for d in "0123456789" for c in "十百千"},
    **{f"{c}{d}": _chinese_with_arabic for c in "十百千几" for d in "0123456789"},
    **{f"{d}万万": _wan_wan for d in "0123456789"},
    **{f"{d}{mark}": _range for d in "0123456789" for mark in ("～", "~", "—", "至", "到")},
    **{f"{a}{d}": _apostrophe_year for a in "'’‘" for d in "0123456789"},
    **{f"月{e}号": _hao_for_ri for e in "123456789"},
    **{f"月{d}{e}号": _hao_for_ri for d in "123" for e in "0123456789"},
    **{f"百分之{d}": _percent_in_arabic for d in "0123456789"},
    **{"二" + measure: _er_before_measure for measure in _ER_MEASURES},
    **{f"{d}{unit}": _square_without_metre for d in "0123456789万亿" for unit in ("平方", "立方")},
    **{
        f"{d}{unit}": _old_unit
        for d in "0123456789一二三四五六七八九十百千两几"
        for unit in _OLD_UNITS
    },
    **{f"{c}{d}": _year_of_two_styles for c in _CN_DIGITS for d in "123456789"},
    **{f"{d}{c}": _year_of_two_styles for d in _ARABIC for c in _CN_DIGITS},
    **{pair: _latin_o_in_year for d in _ARABIC for o in _LATIN_O for pair in (d + o, o + d)},
}

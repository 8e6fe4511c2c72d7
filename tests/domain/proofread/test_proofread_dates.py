"""Dates: impossible dates, contradicting weekdays, mixed styles."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.proofread import check_dates
from domain.proofread.dates import CN, ISO, SLASH, find_dates


def found(text: str) -> list[tuple[str, str, int, str | None, str]]:
    findings = check_dates(text)
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.category == "date"
    return [(f.rule.split(":")[1], f.text, f.start, f.suggestion, f.severity) for f in findings]


@pytest.mark.parametrize(
    ("text", "date_text"),
    [
        ("定于2024年6月31日举行", "2024年6月31日"),
        ("定于2023年2月29日举行", "2023年2月29日"),
        ("定于2024年13月1日举行", "2024年13月1日"),
        ("定于2024-06-31举行", "2024-06-31"),
        ("定于2024/6/31举行", "2024/6/31"),
        ("定于6月31日举行", "6月31日"),
        ("定于2月30号举行", "2月30号"),
    ],
)
def test_impossible_dates_block(text: str, date_text: str) -> None:
    assert found(text) == [("impossible", date_text, 2, None, "block")]


@pytest.mark.parametrize(
    "text",
    [
        "2024年2月29日是闰日",
        "2月29日",  # possible in a leap year
        "2024年6月24日（星期一）",
        "2024年6月24日(周一)",
        "2024年6月24日 星期一",
        "2024年6月23日周日",
        "2024年6月23日星期天",
        "2024-06-24（星期一）",
        "版本2026.11.1发布",  # dotted numbers are not dates
        "详见https://example.gov.cn/2024/06/31/a.html",  # a path, not a date
        "编号12024-06-31",
        "123月1日",
        "2024-13-45",  # not even meant as a date
        "6月1日周末",
    ],
)
def test_correct_or_irrelevant_text_is_quiet(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "weekday", "suggestion"),
    [
        ("2024年6月24日（星期二）", "（星期二）", "（星期一）"),
        ("2024年6月24日(周二)", "(周二)", "(周一)"),
        ("2024年6月24日星期二", "星期二", "星期一"),
        ("2024年6月24日 周二", "周二", "周一"),
        ("2024/6/23（星期六）", "（星期六）", "（星期日）"),
    ],
)
def test_weekday_that_contradicts_the_date(text: str, weekday: str, suggestion: str) -> None:
    [(kind, found_text, start, suggested, severity)] = found(text)
    assert (kind, found_text, suggested, severity) == ("weekday", weekday, suggestion, "block")
    assert start == text.index(weekday)


def test_weekday_of_a_date_without_year_uses_the_year_before_it() -> None:
    text = "活动自2025年9月20日（星期六）至10月18日（星期五）。"
    [(kind, weekday, _start, suggestion, severity)] = found(text)
    assert (kind, weekday, suggestion, severity) == ("weekday", "（星期五）", "（星期六）", "warn")
    assert found("10月18日（星期五）") == []  # no year anywhere: nothing to judge


@pytest.mark.parametrize(
    "text",
    [
        "2025年度工作安排：自查报告于10月18日（星期五）前报送。",
        "关于2025年“十一”假期的通知：值班表于10月18日（星期五）前报送。",
        "二〇二五年十月举办。请于10月18日（星期五）前报名。",
    ],
)
def test_a_year_written_alone_gives_the_year_of_a_later_date(text: str) -> None:
    [(kind, weekday, _start, suggestion, severity)] = found(text)
    assert (kind, weekday, suggestion, severity) == ("weekday", "（星期五）", "（星期六）", "warn")


def test_the_nearest_year_before_is_the_last_one_written_whatever_its_style() -> None:
    # 2025-06-05 is a Thursday, 2024-06-05 a Wednesday: the year is 2025's, the date
    # written last, though the slash date (2024) was written in a rarer style.
    text = "2024/6/1发布，2025-06-01实施。6月5日（星期四）开放。"
    assert [kind for kind, *_ in found(text)] == ["mixed_style", "mixed_style"]


def test_a_number_of_years_is_not_a_year() -> None:
    assert found("有着1000年历史的古镇，10月18日（星期五）开放。") == []


def test_mixed_styles_warn_on_the_minority() -> None:
    text = "报名自2025年5月1日起，至2025年5月20日止，2025-05-25公布结果。"
    [(kind, date_text, start, suggestion, severity)] = found(text)
    assert (kind, date_text, suggestion, severity) == (
        "mixed_style", "2025-05-25", "2025年5月25日", "warn",
    )  # fmt: skip
    assert start == text.index("2025-05-25")


def test_mixed_styles_iso_majority_and_ties() -> None:
    iso = found("2026-05-20至2026-05-21维护，2026-06-30再次维护，2026年6月1日起新增功能")
    assert [(k, t, s) for k, t, _, s, _ in iso] == [("mixed_style", "2026年6月1日", "2026-06-01")]
    tie = found("2025/5/20与2025年5月21日")
    assert [(t, s) for _, t, _, s, _ in tie] == [("2025/5/20", "2025年5月20日")]


def test_an_impossible_date_is_not_also_a_style_warning() -> None:
    text = "2025年4月1日至2025年4月30日，截止2025-04-31"
    assert [k for k, *_ in found(text)] == ["impossible"]


def test_find_dates_reports_style_and_fields() -> None:
    mentions = find_dates("2024年6月1日、6月2日、2024-06-03、2024/6/4")
    assert [(m.style, m.year, m.month, m.day) for m in mentions] == [
        (CN, 2024, 6, 1), (CN, None, 6, 2), (ISO, 2024, 6, 3), (SLASH, 2024, 6, 4),
    ]  # fmt: skip


# The reversed-text scan must agree with the obvious forward regex.
_REFERENCE = re.compile(r"(?<![0-9])(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})[日号](?![0-9])")
_pieces = st.sampled_from(
    ["2024", "年", "6", "12", "月", "31", "1", "日", "号", "0", "星期", "一", "（", "）", "-",
     "/", "\n", "文", "周", "2024年6月1日", "12月31号", "2024-06-01"]
)  # fmt: skip


@given(st.lists(_pieces, max_size=15).map("".join))
def test_reversed_scan_equals_the_forward_regex(text: str) -> None:
    fast = [(m.start, m.end) for m in find_dates(text, skip=()) if m.style == CN]
    reference = []
    for m in _REFERENCE.finditer(text):
        start = m.start() if m.group(1) else m.start(2)
        reference.append((start, m.end()))
    assert fast == reference


# check_dates only builds objects for the dates that may yield a finding; it must
# agree with the plain reading: judge every find_dates mention in turn.
_WEEKDAY = re.compile(
    r"[ \u3000]*(?:([（(])[ \u3000]*(?:[^（()）\n，。；]{1,10}[，,、][ \u3000]*)?)?"
    r"((?:星期|周)([一二三四五六日天]))([）)])?"
)
_WEEKDAYS = "一二三四五六日"


def _reference(text: str) -> set[tuple[str, int, int, str | None, str]]:
    mentions = find_dates(text)
    result = set()
    for d in mentions:
        if not d.possible:
            result.add(("impossible", d.start, d.end, None, "block"))
            continue
        m = _WEEKDAY.match(text, d.end)
        if m is None:
            continue
        # The nearest year written before the date: alone (2024年) or in a numeric date.
        years = [(y.end(), int(y.group(1))) for y in _YEAR.finditer(text) if y.end() <= d.start]
        years += [(e.end, e.year) for e in mentions if e.year is not None and e.end <= d.start]
        year = d.year if d.year is not None else (max(years)[1] if years else None)
        if year is None:
            continue
        try:
            actual = datetime.date(year, d.month, d.day).weekday()
        except ValueError:
            continue
        written = 6 if m.group(3) == "天" else _WEEKDAYS.index(m.group(3))
        if written != actual:
            start = m.start(1) if m.group(1) else m.start(2)
            suggestion = text[start : m.start(3)] + _WEEKDAYS[actual] + text[m.end(3) : m.end()]
            severity = "block" if d.year is not None else "warn"
            result.add(("weekday", start, m.end(), suggestion, severity))
    styles = Counter(d.style for d in mentions)
    if len(styles) >= 2:
        order = {CN: 0, ISO: 1, SLASH: 2}
        majority = max(styles, key=lambda s: (styles[s], -order[s]))
        for d in mentions:
            if d.style != majority and d.possible:
                result.add(("mixed_style", d.start, d.end, "?", "warn"))
    return result


_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年")

_date_pieces = st.sampled_from(
    ["2024年", "2023年", "6月", "2月", "13月", "0月", "12月", "1日", "24日", "29日", "31日",
     "30号", "0日", "（星期一）", "(周二)", "星期日", " 周六", "2024-06-24", "2024/6/31",
     "2023-02-29", "2024-06-01", "https://a.cn/2024/06/31", "，", "\n", "9", "文", "2026年度",
     "1000年", "4月", "11月", "02月", "30日", "32日"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_date_pieces, max_size=12).map("".join))
def test_check_dates_equals_the_plain_reading(text: str) -> None:
    fast = {
        (
            f.rule.split(":")[1],
            f.start,
            f.end,
            "?" if f.rule.endswith("mixed_style") else f.suggestion,
            f.severity,
        )
        for f in check_dates(text)
    }
    assert fast == _reference(text)


def _date_findings(text: str) -> list[tuple[str, str]]:
    from domain.proofread import Checker

    return [(f.text, f.rule) for f in Checker([]).check(text) if f.category == "date"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A range that ends before it starts.
        ("活动于5月20日至5月10日举行。", [("5月20日至5月10日", "date:range")]),
        ("活动于5月20日至10日举行。", [("5月20日至10日", "date:range")]),
        ("活动于12月20日至1月5日举行。", []),  # across the new year
        ("活动于11月1日至2月28日举行。", []),  # a winter season, across the new year
        ("2026年5月1日至4月30日报名。", [("2026年5月1日至4月30日", "date:range")]),
        ("报名时间为7月1日至3月31日。", [("7月1日至3月31日", "date:range")]),
        ("供暖期为10月20日至4月20日。", []),  # six months across the new year
        ("2026年5月1日至2027年4月30日。", []),
        # A date that cannot be, with the hour of a time right after it.
        ("报名截至2026年4月31日17时。", [("2026年4月31日", "date:impossible")]),
        ("4月31日9:00开幕", [("4月31日", "date:impossible")]),
        ("报名截至2026年4月30日17时，4月30日9:00开幕。", []),
        # ...its first date with a weekday in brackets.
        (
            "2026年12月6日（星期日）至12月5日（星期六）",
            [("2026年12月6日（星期日）至12月5日", "date:range")],
        ),
        ("活动于5月20日(周三)—5月10日举行。", [("5月20日(周三)—5月10日", "date:range")]),
        ("2026年12月5日（星期六）至12月6日（星期日）", []),
        ("2026年12月5日（星期六）至7日（星期一），（详见附件）至今有效。", []),
        # 下午 with a 24-hour time, and times that do not exist.
        ("下午14:30开会。", [("下午14:30", "date:clock")]),
        ("上午9:30开会。", []),
        ("晚上25:00闭馆。", [("晚上25:00", "date:clock")]),
        # A time its word cannot hold: 下午 at nine is evening, 凌晨 at ten is morning.
        ("活动于下午9时30分开始。", [("下午9时", "date:clock")]),
        ("凌晨10点，游客陆续入园。", [("凌晨10点", "date:clock")]),
        ("下午2:30开会，下午6时闭馆，凌晨2时抵达，晚上9点烟花秀。", []),
        # A 12-hour start and a 24-hour end after 下午; 12 o'clock is noon, not 上午.
        ("讲座时间为下午2:00—17:00。", [("下午2:00—17:00", "date:clock")]),
        ("每天上午12:30供应午餐。", [("上午12:30", "date:clock")]),
        ("下午2:00—5:00举行，下午12:30—14:00午休，晚上7:00—9:30演出。", []),
        # Days fixed by law or by the State Council.
        ("国庆节（10月2日）放假。", [("10月2日", "date:fixed_day")]),
        ("5月19日是中国旅游日。", []),
        # A festival or the lunar date before the weekday inside the brackets.
        (
            "2026年4月5日（清明节，星期六），各烈士纪念设施免费开放。",
            [("（清明节，星期六）", "date:weekday")],
        ),
        ("2026年2月17日（农历正月初一，星期三）", [("（农历正月初一，星期三）", "date:weekday")]),
        ("2026年4月5日（清明节，星期日）", []),
        ("2026-04-05（清明节，周日）", []),
        # Weekdays the plain check does not read.
        ("二〇二六年五月二十日（星期四）", [("星期四", "date:weekday")]),
        ("二〇二六年五月二十日（星期三）", []),
        ("2026年5月20日，星期四", [("星期四", "date:weekday")]),
        ("2026年5月20日至21日（星期四、星期五）", [("星期四、星期五", "date:weekday")]),
        ("2026年5月20日—22日（周三至周五）", []),
        # The weekday after a range's last day, written without its month.
        ("2026年5月1日至5日（星期三）举行。", [("星期三", "date:weekday")]),
        ("2026年5月1日至5日（星期二）举行。", []),
        ("2026年5月1日到15日(周六)截止。", [("周六", "date:weekday")]),
        ("2026年5月28日至6月2日（星期二）。", []),
        ("2026年5月1日（星期五）至5日（星期二）。", []),
        ("2026年5月1日（星期五）至5日（星期一）。", [("星期一", "date:weekday")]),
        # A weekday before the date it names, the date in brackets.
        ("定于本周五（2026年5月9日）上午举行。", [("周五", "date:weekday")]),
        ("2026年工作安排：星期日（5月11日）闭馆。", [("星期日", "date:weekday")]),
        ("定于本周六（2026年5月9日）上午举行；星期天(2026年5月10日)闭馆。", []),
        ("周五（5月9日）上午举行；每周五（5月9日除外）闭馆；周五至周日（5月9日至11日）。", []),
        # A quarter, month or weekday that does not exist.
        ("2026年第五季度", [("第五季度", "date:impossible")]),
        ("2026年13月", [("13月", "date:impossible")]),
        ("下周星期八", [("星期八", "date:impossible")]),
    ],
)
def test_dates_read_with_the_words_around_them(text: str, expected: list[tuple[str, str]]) -> None:
    assert _date_findings(text) == expected

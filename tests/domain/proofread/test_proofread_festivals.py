"""Festivals told with their date, and a span of days counted (domain/proofread/festivals.py)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from domain.proofread import Checker, default_lexicons
from domain.proofread.festivals import FESTIVALS


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(default_lexicons())


def _rules(checker: Checker, text: str) -> list[tuple[str, str | None]]:
    return [
        (f.text, f.suggestion)
        for f in checker.check(text)
        if f.rule in {"date:festival", "date:days_counted"}
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2026年春节（2月18日）。", ("2月18日", "2月17日")),
        ("2026年2月18日（春节）。", ("2月18日", "2月17日")),
        ("今年（2026年）中秋（9月26日）。", ("9月26日", "9月25日")),
        ("2026年端午节（6月20日）。", ("6月20日", "6月19日")),
        ("5月1日至5月5日（共6天）。", ("6天", "5天")),
        ("2026年5月1日至5月5日，为期4天。", ("4天", "5天")),
        ("2026年春节（2月15日—23日，共8天）放假。", ("8天", "9天")),
        # A count in Chinese numerals, and a few words between the span and its count.
        ("2026年12月1日至12月3日，为期两天。", ("两天", "三天")),
        ("2026年5月1日至20日，共十九天。", ("十九天", "二十天")),
        ("活动于2026年12月1日至3日举行，为期4天。", ("4天", "3天")),
        ("展览于2026年5月1日至5日开放，为期三天。", ("三天", "五天")),
        # The year in the brackets with the day; it holds over an earlier year.
        ("端午节（2026年6月21日）。", ("6月21日", "6月19日")),
        ("2025年工作总结。中秋节（2026年9月15日）期间游客大增。", ("9月15日", "9月25日")),
        # The date said after the name; the count before its span.
        ("2026年春节为2月16日，当天闭馆。", ("2月16日", "2月17日")),
        ("2025年中秋节是10月7日。", ("10月7日", "10月6日")),
        ("本次培训为期5天，时间为2026年7月6日至7月8日。", ("5天", "3天")),
        ("展览共10天，自2026年10月1日至10月7日免费开放。", ("10天", "7天")),
    ],
)
def test_a_wrong_day_or_count_is_found(checker: Checker, text: str, found: tuple) -> None:
    assert _rules(checker, text) == [found]


@pytest.mark.parametrize(
    "text",
    [
        "2026年春节（2月17日）。",
        "2026年春节（2月15日至23日）放假。",
        "2026年2月15日（春节假期）。",
        "2026年元宵节（3月3日），2026年除夕（2月16日）。",
        "2025年中秋节（10月6日）。",
        "5月1日至5日，共5天。",
        "共同推进共5项工作。",
        "2026年12月30日至2027年1月3日，共5天。",
        "2019年春节（2月1日）。",
        "中秋节（2026年9月25日），2026年春节（2025年1月29日）。",
        "端午节（2019年6月7日）。",
        "2026年5月1日至5日，共五天。活动于12月1日至3日举行，为期三天。5月1日至20日，共二十天。",
        "5月1日至5日报名，活动为期3天。5月1日至5日，共三个部分。展览于5月1日至7日开放，为期一周。",
        "2026年春节为2月17日。2026年春节为2月15日至23日放假。春节是我国最重要的传统节日。",
        "活动为期3天，报名时间为2026年5月1日至5月10日。为期两天的活动于7月6日至7月7日举行。",
    ],
)
def test_right_days_and_years_outside_the_table_are_no_finding(checker: Checker, text: str) -> None:
    assert _rules(checker, text) == []


def test_the_table_holds_real_dates_in_their_season() -> None:
    for name, days in FESTIVALS.items():
        for year, (month, day) in days.items():
            when = date(year, month, day)
            assert 2020 <= when.year <= 2030, name
    # 除夕 is the eve of 春节, 元宵节 its fifteenth day.
    for year, (m, d) in FESTIVALS["春节"].items():
        spring = date(year, m, d)
        assert date(year, *FESTIVALS["除夕"][year]).toordinal() == spring.toordinal() - 1
        assert date(year, *FESTIVALS["元宵节"][year]).toordinal() == spring.toordinal() + 14


SOLAR_TERMS = (
    "小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至",
    "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "冬至",
)  # fmt: skip


def test_the_solar_terms_follow_each_other_half_a_month_apart() -> None:
    # The sun moves 15 degrees from one term to the next: 14 to 16 days, faster in winter.
    for year in range(2020, 2031):
        days = [date(year, *FESTIVALS[name][year]) for name in SOLAR_TERMS]
        gaps = [(b - a).days for a, b in itertools.pairwise(days)]
        assert all(14 <= gap <= 16 for gap in gaps), (year, gaps)
    # Facts of the calendar: the 2026 winter solstice, the beginning of spring in 2026 and
    # 2025, the summer solstice of 2024.
    assert FESTIVALS["冬至"][2026] == (12, 22)
    assert (FESTIVALS["立春"][2026], FESTIVALS["立春"][2025]) == ((2, 4), (2, 3))
    assert FESTIVALS["夏至"][2024] == (6, 21)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2026年冬至是12月21日。", ("12月21日", "12月22日")),
        ("2027年立春为2月3日。", ("2月3日", "2月4日")),
        ("大雪节气（2026年12月6日）到来。", ("12月6日", "12月7日")),
        ("2026年冬至日为12月21日，白昼最短。", ("12月21日", "12月22日")),
        ("2026年12月6日（大雪）。", ("12月6日", "12月7日")),
    ],
)
def test_a_solar_term_told_with_a_wrong_day(checker: Checker, text: str, found: tuple) -> None:
    assert _rules(checker, text) == [found]


@pytest.mark.parametrize(
    "text",
    [
        "2026年冬至（12月22日）。",
        "12月8日大雪纷飞，道路结冰。",
        "今年大雪是历年少见的。",
        "2031年冬至是12月22日。",
    ],
)
def test_a_solar_term_on_its_day_or_snow_that_falls(checker: Checker, text: str) -> None:
    assert _rules(checker, text) == []

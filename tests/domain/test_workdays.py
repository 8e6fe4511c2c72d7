"""Working days on China's calendar: the table from chinesecalendar, checked for 2026."""

from __future__ import annotations

from datetime import date, timedelta

from domain.workdays import WorkCalendar
from sqlmodel_db.calendar import china_calendar


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_2026_table() -> None:
    cal = china_calendar()
    # 元旦 1-3 Jan, Sunday 4 Jan worked.
    assert not any(cal.is_workday(d) for d in _days(date(2026, 1, 1), date(2026, 1, 3)))
    assert cal.is_workday(date(2026, 1, 4))
    # 春节 15-23 Feb; Saturdays 14 and 28 Feb worked.
    assert not any(cal.is_workday(d) for d in _days(date(2026, 2, 15), date(2026, 2, 23)))
    assert cal.is_workday(date(2026, 2, 14)) and cal.is_workday(date(2026, 2, 28))
    assert cal.is_workday(date(2026, 2, 24))
    # 劳动节 1-5 May, Saturday 9 May worked.
    assert not any(cal.is_workday(d) for d in _days(date(2026, 5, 1), date(2026, 5, 5)))
    assert cal.is_workday(date(2026, 5, 9))
    # 中秋 25-27 Sep, 国庆 1-7 Oct; Sunday 20 Sep and Saturday 10 Oct worked.
    assert not any(cal.is_workday(d) for d in _days(date(2026, 9, 25), date(2026, 9, 27)))
    assert not any(cal.is_workday(d) for d in _days(date(2026, 10, 1), date(2026, 10, 7)))
    assert cal.is_workday(date(2026, 9, 20)) and cal.is_workday(date(2026, 10, 10))
    # An ordinary weekend is off.
    assert not cal.is_workday(date(2026, 3, 7)) and cal.is_workday(date(2026, 3, 9))
    # 261 weekdays, 19 of them holidays, 6 make-up days worked: 248.
    assert sum(cal.is_workday(d) for d in _days(date(2026, 1, 1), date(2026, 12, 31))) == 248


def test_counting_across_holidays() -> None:
    cal = china_calendar()
    # 5 working days from Fri 13 Feb 2026: Sat 14 (worked), then the festival, then 24-27.
    assert cal.add(date(2026, 2, 13), 5) == date(2026, 2, 27)
    # 10 working days from 30 Sep 2026: 8, 9, 10 (Sat, worked), 12..16, 19, 20 Oct.
    assert cal.add(date(2026, 9, 30), 10) == date(2026, 10, 20)
    assert cal.between(date(2026, 9, 30), date(2026, 10, 20)) == 10
    plain = WorkCalendar()
    assert plain.add(date(2026, 9, 30), 10) == date(2026, 10, 14)

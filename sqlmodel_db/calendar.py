"""China's working-day table from the maintained ``chinesecalendar`` package (the State
Council's holiday schedule each year, with its make-up working days), for the pure
:class:`domain.workdays.WorkCalendar`."""

from __future__ import annotations

from functools import cache

import chinese_calendar

from domain.workdays import WorkCalendar


@cache
def china_calendar() -> WorkCalendar:
    return WorkCalendar.of(
        holidays=chinese_calendar.holidays.keys(), makeup=chinese_calendar.workdays.keys()
    )

"""The fixed rest days of 《全国年节及纪念日放假办法》, by the version in force each year.

This module owns the *statutory fallback*: the rest days that the law itself
fixes, independent of the yearly 国务院办公厅 notice. They are used

* to classify dates in a year for which no notice is loaded (a deadline set in
  November 2026 that ends in February 2027, before the 2027 notice is out);
* to sanity-check an imported notice: every statutory day must be a rest day.

The 办法 fixes the *全体公民放假的节日* (art. 2). Which days, by version
(each applies from 1 January of its first year):

============  ==========================================================
years         rest days
============  ==========================================================
2004–2007     (1999-09-18 text) 元旦 1/1; 春节 正月初一至初三;
              劳动节 5/1–5/3; 国庆节 10/1–10/3
2008–2013     (2007-12-14 amendment) 元旦; 春节 除夕、正月初一、初二;
              清明节; 劳动节 5/1; 端午节; 中秋节; 国庆节 10/1–10/3
2014–2024     (2013-12-11 amendment) as 2008 but 春节 正月初一至初三
2025–         (2024-11-10 amendment, in force 2025-01-01) 元旦; 春节
              除夕、正月初一至初三 (4 days); 清明节; 劳动节 5/1、5/2;
              端午节; 中秋节; 国庆节 10/1–10/3 (13 days in all)
============  ==========================================================

What the fallback does **not** know, and why results using it stay
provisional: the notice's 调休 (weekends turned into workdays and weekdays
into rest days to build long blocks) and the 补假 a holiday falling on a
weekend earns (art. 6: "适逢星期六、星期日，应当在工作日补假") — the law says
a 补假 is due but the notice decides which day, so guessing one would be
inventing data. Every version is checked against the real 2004–2026 data in
the unit tests.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from .lunar import FIRST_YEAR, LAST_YEAR, lunar_festivals, qingming
from .model import CalendarYearData

__all__ = [
    "FALLBACK_FIRST_YEAR",
    "FALLBACK_LAST_YEAR",
    "statutory_conflicts",
    "statutory_rest_days",
]

FALLBACK_FIRST_YEAR = FIRST_YEAR
FALLBACK_LAST_YEAR = LAST_YEAR

_ONE = _dt.timedelta(days=1)


@cache
def statutory_rest_days(year: int) -> Mapping[_dt.date, str]:
    """Date → festival name of every rest day the 放假办法 in force in ``year`` fixes.

    When two festivals fall on the same date (中秋 on 1 October 2020 and on
    3 October 2028) the name lists both in the order the 办法 lists them,
    "中秋节、国庆节"; the day is counted once.
    Raises KeyError outside 2004–2099, where the lunar table and the 清明
    formula end.
    """
    if not FALLBACK_FIRST_YEAR <= year <= FALLBACK_LAST_YEAR:
        raise KeyError(
            f"no statutory holiday rules for {year} "
            f"(supported {FALLBACK_FIRST_YEAR}–{FALLBACK_LAST_YEAR})"
        )
    lunar = lunar_festivals(year)
    eve, first = lunar.new_years_eve, lunar.spring_festival
    d = _dt.date
    days: list[tuple[_dt.date, str]] = [(d(year, 1, 1), "元旦")]

    if year <= 2007:
        days += [(first + n * _ONE, "春节") for n in range(3)]
        days += [(d(year, 5, n), "劳动节") for n in (1, 2, 3)]
    else:
        if year <= 2013:
            spring = [eve, first, first + _ONE]
        elif year <= 2024:
            spring = [first, first + _ONE, first + 2 * _ONE]
        else:
            spring = [eve, first, first + _ONE, first + 2 * _ONE]
        days += [(s, "春节") for s in spring]
        days.append((qingming(year), "清明节"))
        days += [(d(year, 5, 1), "劳动节")]
        if year >= 2025:
            days.append((d(year, 5, 2), "劳动节"))
        days.append((lunar.dragon_boat, "端午节"))
        days.append((lunar.mid_autumn, "中秋节"))
    days += [(d(year, 10, n), "国庆节") for n in (1, 2, 3)]

    out: dict[_dt.date, str] = {}
    for day, name in days:
        if day not in out:
            out[day] = name
        elif name not in out[day].split("、"):
            out[day] = f"{out[day]}、{name}"
    return MappingProxyType(dict(sorted(out.items())))


def statutory_conflicts(data: CalendarYearData) -> list[str]:
    """Ways in which a year's notice data contradicts the 放假办法.

    A notice may add rest days but never removes a statutory one, so:
    a statutory day must not be listed as a workday, and a statutory day that
    falls Monday–Friday must be listed as a holiday (one on a weekend may be
    omitted — chinese_calendar omits e.g. Saturday 2012-06-23, 端午). An empty
    list means consistent; years outside the rules' range are not checked.
    """
    if not FALLBACK_FIRST_YEAR <= data.year <= FALLBACK_LAST_YEAR:
        return []
    problems: list[str] = []
    for day, name in statutory_rest_days(data.year).items():
        if day in data.workdays:
            problems.append(
                f"{day.isoformat()} is {name} under 《全国年节及纪念日放假办法》 "
                "but is listed as a workday"
            )
        elif day.weekday() < 5 and day not in data.holidays:
            problems.append(
                f"{day.isoformat()} ({day.strftime('%a')}) is {name} under "
                "《全国年节及纪念日放假办法》 but is not listed as a holiday"
            )
    return problems

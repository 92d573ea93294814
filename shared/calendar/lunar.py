"""Gregorian dates of the three lunar festivals, 2004–2099, and the 清明 solar term.

This module owns the astronomical facts the statutory fallback needs and that
the standard library cannot compute:

* 春节 (农历正月初一), 端午节 (农历五月初五) and 中秋节 (农历八月十五) as an
  embedded table of Gregorian dates. 除夕 is the day before 正月初一 (the last
  day of 腊月, whether that month has 29 or 30 days), so it needs no column.
* 清明 (the solar term, not the lunar date) by the 寿星 formula.

Why a table and not a lunar-conversion library: the table is 96 short lines a
reviewer can check against any almanac, it adds no dependency, and the years
it covers are exactly the years the fallback may be asked about. It was
generated with two independent libraries that agree on every row — PyPI
``lunardate`` 0.3.0 (table-based) and ``lunar-python`` 1.4.8 (astronomical)
— and the unit tests check it against the real 2004–2026 holidays in
chinese_calendar and, when ``lunardate`` is installed, against that library.
"""

from __future__ import annotations

import datetime as _dt
from functools import cache

__all__ = ["FIRST_YEAR", "LAST_YEAR", "LunarFestivals", "lunar_festivals", "qingming"]

# year  正月初一  五月初五  八月十五   (MM-DD, Gregorian, Beijing time)
_TABLE = """
2004 01-22 06-22 09-28
2005 02-09 06-11 09-18
2006 01-29 05-31 10-06
2007 02-18 06-19 09-25
2008 02-07 06-08 09-14
2009 01-26 05-28 10-03
2010 02-14 06-16 09-22
2011 02-03 06-06 09-12
2012 01-23 06-23 09-30
2013 02-10 06-12 09-19
2014 01-31 06-02 09-08
2015 02-19 06-20 09-27
2016 02-08 06-09 09-15
2017 01-28 05-30 10-04
2018 02-16 06-18 09-24
2019 02-05 06-07 09-13
2020 01-25 06-25 10-01
2021 02-12 06-14 09-21
2022 02-01 06-03 09-10
2023 01-22 06-22 09-29
2024 02-10 06-10 09-17
2025 01-29 05-31 10-06
2026 02-17 06-19 09-25
2027 02-06 06-09 09-15
2028 01-26 05-28 10-03
2029 02-13 06-16 09-22
2030 02-03 06-05 09-12
2031 01-23 06-24 10-01
2032 02-11 06-12 09-19
2033 01-31 06-01 09-08
2034 02-19 06-20 09-27
2035 02-08 06-10 09-16
2036 01-28 05-30 10-04
2037 02-15 06-18 09-24
2038 02-04 06-07 09-13
2039 01-24 05-27 10-02
2040 02-12 06-14 09-20
2041 02-01 06-03 09-10
2042 01-22 06-22 09-28
2043 02-10 06-11 09-17
2044 01-30 05-31 10-05
2045 02-17 06-19 09-25
2046 02-06 06-08 09-15
2047 01-26 05-29 10-04
2048 02-14 06-15 09-22
2049 02-02 06-04 09-11
2050 01-23 06-23 09-30
2051 02-11 06-13 09-19
2052 02-01 06-01 09-07
2053 02-19 06-20 09-26
2054 02-08 06-10 09-16
2055 01-28 05-30 10-05
2056 02-15 06-17 09-24
2057 02-04 06-06 09-13
2058 01-24 06-25 10-02
2059 02-12 06-14 09-21
2060 02-02 06-03 09-09
2061 01-21 06-22 09-28
2062 02-09 06-11 09-17
2063 01-29 06-01 10-06
2064 02-17 06-19 09-25
2065 02-05 06-08 09-15
2066 01-26 05-28 10-03
2067 02-14 06-16 09-23
2068 02-03 06-04 09-11
2069 01-23 06-23 09-29
2070 02-11 06-13 09-19
2071 01-31 06-02 09-08
2072 02-19 06-20 09-26
2073 02-07 06-10 09-16
2074 01-27 05-30 10-05
2075 02-15 06-17 09-24
2076 02-05 06-06 09-12
2077 01-24 06-24 10-01
2078 02-12 06-14 09-20
2079 02-02 06-04 09-10
2080 01-22 06-22 09-28
2081 02-09 06-11 09-17
2082 01-29 06-01 10-06
2083 02-17 06-19 09-26
2084 02-06 06-07 09-14
2085 01-26 05-27 10-03
2086 02-14 06-15 09-22
2087 02-03 06-05 09-11
2088 01-24 06-23 09-29
2089 02-10 06-13 09-18
2090 01-30 06-02 09-08
2091 02-18 06-21 09-27
2092 02-07 06-09 09-16
2093 01-27 05-29 10-05
2094 02-15 06-17 09-24
2095 02-05 06-06 09-13
2096 01-25 06-24 09-30
2097 02-12 06-14 09-20
2098 02-01 06-04 09-09
2099 01-21 06-23 09-29
"""

FIRST_YEAR = 2004
LAST_YEAR = 2099


class LunarFestivals:
    """The Gregorian dates of one year's lunar festivals."""

    __slots__ = ("year", "spring_festival", "dragon_boat", "mid_autumn")

    def __init__(
        self, year: int, spring_festival: _dt.date, dragon_boat: _dt.date, mid_autumn: _dt.date
    ) -> None:
        self.year = year
        #: 农历正月初一
        self.spring_festival = spring_festival
        #: 农历五月初五 (端午)
        self.dragon_boat = dragon_boat
        #: 农历八月十五 (中秋)
        self.mid_autumn = mid_autumn

    @property
    def new_years_eve(self) -> _dt.date:
        """农历除夕: always the day before 正月初一."""
        return self.spring_festival - _dt.timedelta(days=1)

    def __repr__(self) -> str:
        return (
            f"LunarFestivals({self.year}, 正月初一={self.spring_festival}, "
            f"端午={self.dragon_boat}, 中秋={self.mid_autumn})"
        )


def _parse_table() -> dict[int, LunarFestivals]:
    out: dict[int, LunarFestivals] = {}
    for line in _TABLE.strip().splitlines():
        year_s, *days = line.split()
        year = int(year_s)
        d1, d2, d3 = (_dt.date.fromisoformat(f"{year_s}-{md}") for md in days)
        out[year] = LunarFestivals(year, d1, d2, d3)
    # A gap or a misordered edit of the table would silently turn a festival
    # into an ordinary day; refuse to import instead.
    if sorted(out) != list(range(FIRST_YEAR, LAST_YEAR + 1)):
        raise RuntimeError("lunar festival table must cover every year 2004–2099")
    return out


_FESTIVALS = _parse_table()


def lunar_festivals(year: int) -> LunarFestivals:
    """The lunar festivals of ``year``; KeyError outside 2004–2099."""
    try:
        return _FESTIVALS[year]
    except KeyError:
        raise KeyError(
            f"no lunar festival data for {year} (table covers {FIRST_YEAR}–{LAST_YEAR})"
        ) from None


@cache
def qingming(year: int) -> _dt.date:
    """The day of the 清明 solar term in Beijing time, 2001–2099.

    寿星 formula: day = ⌊Y·0.2422 + C⌋ − ⌊Y/4⌋ with Y = year mod 100 and the
    21st-century constant C = 4.81. Done in integers (×10 000) so no float
    rounding can shift a day. Checked against the astronomical computation of
    lunar-python for every year 2004–2099 (no exceptions in that range,
    unlike some other solar terms) and against real 清明 holidays 2008–2026.
    """
    if not 2001 <= year <= 2099:
        raise KeyError(f"清明 formula is only valid for 2001–2099, not {year}")
    y = year % 100
    return _dt.date(year, 4, (y * 2422 + 48100) // 10000 - y // 4)

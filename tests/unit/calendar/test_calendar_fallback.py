"""Years without a loaded notice: statutory fallback, provisional flags, with_year, UnknownYear.

chinesecalendar 1.11.0 knows 2004–2026; 2027 is computed from weekends plus
《全国年节及纪念日放假办法》 days. The 2027 tests use a table cut off after 2026
(``UP_TO_2026``) so that they keep testing the fallback after a chinesecalendar
release or a data file adds the real 2027. The fallback rules are also checked
against every real year the package knows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar
import pytest

from shared.calendar import (
    CalendarYearData,
    Deadline,
    DayKind,
    HolidayTable,
    Unit,
    UnknownYear,
    day_info,
    default_table,
    is_working_day,
    load_year_file,
    period_end,
    statutory_conflicts,
    statutory_rest_days,
    working_days_before,
)
from shared.calendar.lunar import FIRST_YEAR, LAST_YEAR, lunar_festivals, qingming
from shared.calendar.table import chinese_calendar_years

DAY, WD, MONTH = Unit.DAY, Unit.WORKING_DAY, Unit.MONTH
FIXTURE_2027 = Path(__file__).with_name("fictional_2027.csv")
UP_TO_2026 = HolidayTable({y: d for y, d in chinese_calendar_years().items() if y <= 2026})


def provisional(d: date) -> Deadline:
    return Deadline(d, provisional=True)


def known(d: date) -> Deadline:
    return Deadline(d, provisional=False)


# ---------------------------------------------------------------- 2027 fallback


def test_cut_off_table() -> None:
    assert UP_TO_2026.known_years == frozenset(range(2004, 2027))


def test_default_table_answers_2027_whatever_the_package_knows() -> None:
    # chinesecalendar 1.11.0 raises here; we answer, provisionally until 2027 data is loaded.
    if 2027 not in chinese_calendar_years():
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(date(2027, 1, 4))
    info = day_info(date(2027, 1, 4))
    assert info.kind is DayKind.WORKDAY and info.is_working
    assert info.provisional == (2027 not in default_table().known_years)
    assert is_working_day(date(2027, 1, 4))
    info = UP_TO_2026.kind(date(2027, 1, 4))
    assert (info.kind, info.provisional) == (DayKind.WORKDAY, True)


def test_2027_fallback_days() -> None:
    # 2027: 正月初一 Sat 02-06 (除夕 Fri 02-05); 清明 Mon 04-05; 端午 Wed 06-09; 中秋 Wed 09-15.
    expected_rest = {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }
    assert dict(statutory_rest_days(2027)) == expected_rest
    for d, name in expected_rest.items():
        info = UP_TO_2026.kind(d)
        assert (info.kind, info.name, info.known) == (DayKind.HOLIDAY, name, False)
    # No 调休 is guessed: an ordinary 2027 Saturday stays a rest day.
    assert UP_TO_2026.kind(date(2027, 2, 20)).kind is DayKind.WEEKEND
    assert UP_TO_2026.kind(date(2027, 2, 9)).kind is DayKind.WORKDAY


def end(start: date, amount: int, unit: Unit, custody: bool = False) -> Deadline:
    return period_end(start, amount, unit, custody=custody, table=UP_TO_2026)


def before(day: date, n: int) -> Deadline:
    return working_days_before(day, n, table=UP_TO_2026)


def test_three_month_period_from_november_2026_lands_on_fallback_spring_festival() -> None:
    # 2026-11-06 + 3 月 = Sat 2027-02-06 (正月初一) → 02-07, 02-08 rest → Tue 02-09.
    assert end(date(2026, 11, 6), 3, MONTH) == provisional(date(2027, 2, 9))
    # 2026-11-05 + 3 月 = Fri 2027-02-05, 除夕, a statutory day since 2025.
    assert end(date(2026, 11, 5), 3, MONTH) == provisional(date(2027, 2, 9))


def test_three_month_period_into_2027_on_ordinary_day_is_still_provisional() -> None:
    assert end(date(2026, 11, 10), 3, MONTH) == provisional(date(2027, 2, 10))
    # 30 Nov + 3 月 → 28 Feb 2027 (no 31st), a Sunday → Monday 1 March.
    assert end(date(2026, 11, 30), 3, MONTH) == provisional(date(2027, 3, 1))


def test_custody_period_into_2027_is_not_provisional() -> None:
    assert end(date(2026, 11, 6), 3, MONTH, True) == known(date(2027, 2, 6))
    assert end(date(2026, 12, 20), 30, DAY, True) == known(date(2027, 1, 19))


def test_day_period_onto_fallback_new_year() -> None:
    # Fri 2027-01-01 元旦, then the weekend.
    assert end(date(2026, 12, 31), 1, DAY) == provisional(date(2027, 1, 4))


def test_working_days_across_year_boundary_into_2027() -> None:
    start = date(2026, 12, 30)  # Wednesday
    assert end(start, 1, WD) == known(date(2026, 12, 31))
    assert end(start, 2, WD) == provisional(date(2027, 1, 4))
    assert end(start, 3, WD) == provisional(date(2027, 1, 5))


def test_working_days_before_into_2026_from_2027() -> None:
    assert before(date(2027, 1, 5), 2) == provisional(date(2026, 12, 31))
    # Only known days classified: 2027-01-05 itself is never classified.
    assert before(date(2027, 1, 5), 0) == known(date(2027, 1, 5))


# ---------------------------------------------------------------- with_year


def test_with_year_makes_2027_results_known() -> None:
    base = UP_TO_2026
    data = load_year_file(FIXTURE_2027)
    table = base.with_year(data)
    assert 2027 in table.known_years
    assert 2027 not in base.known_years  # immutable: the original table is untouched
    # Fictional 2027 block 02-05..02-12 (Fri..Fri); Sat 02-13 not a workday → Mon 02-15.
    assert period_end(date(2026, 11, 6), 3, MONTH, table=table) == known(date(2027, 2, 15))
    assert period_end(date(2026, 12, 30), 3, WD, table=table) == known(date(2027, 1, 5))
    info = table.kind(date(2027, 2, 20))
    assert (info.kind, info.known, info.name) == (DayKind.MAKEUP_WORKDAY, True, "春节")
    # The same computation without the year stays provisional.
    assert period_end(date(2026, 11, 6), 3, MONTH, table=base).provisional


def test_with_year_replaces_existing_year() -> None:
    empty_2024 = CalendarYearData(2024, {}, {}, source="test")
    table = default_table().with_year(empty_2024)
    assert table.kind(date(2024, 2, 12)).kind is DayKind.WORKDAY
    assert default_table().kind(date(2024, 2, 12)).kind is DayKind.HOLIDAY


def test_previous_december_entries_of_next_year_win() -> None:
    # A notice for year N may redefine a December day of N−1 (2012's made Sat
    # 2011-12-31 a workday). Here 2027's data overrides 2026-12-26 (Sat).
    data_2027 = CalendarYearData(2027, {}, {date(2026, 12, 26): "元旦"}, source="test")
    table = UP_TO_2026.with_year(data_2027)
    info = table.kind(date(2026, 12, 26))
    assert (info.kind, info.known) == (DayKind.MAKEUP_WORKDAY, True)
    assert UP_TO_2026.kind(date(2026, 12, 26)).kind is DayKind.WEEKEND


def test_later_notice_wins_when_two_years_disagree() -> None:
    data_2026 = CalendarYearData(2026, {date(2026, 12, 26): "某节"}, {}, source="test")
    data_2027 = CalendarYearData(2027, {}, {date(2026, 12, 26): "元旦"}, source="test")
    for years in ([data_2026, data_2027], [data_2027, data_2026]):
        assert HolidayTable(years).kind(date(2026, 12, 26)).kind is DayKind.MAKEUP_WORKDAY


def test_real_cross_year_makeup_day_2011_12_31() -> None:
    assert day_info(date(2011, 12, 31)).kind is DayKind.MAKEUP_WORKDAY
    assert day_info(date(2018, 12, 29)).kind is DayKind.MAKEUP_WORKDAY


def test_empty_table_uses_fallback_everywhere() -> None:
    table = HolidayTable()
    assert table.known_years == frozenset()
    info = table.kind(date(2024, 2, 10))
    assert (info.kind, info.known) == (DayKind.HOLIDAY, False)
    # 调休 unknown: the real 2024-02-18 makeup Sunday is a rest day here.
    assert table.kind(date(2024, 2, 18)).kind is DayKind.WEEKEND


# ---------------------------------------------------------------- UnknownYear


def test_years_before_2004_fail_loudly() -> None:
    with pytest.raises(UnknownYear) as exc:
        is_working_day(date(2003, 12, 31))
    assert exc.value.year == 2003
    with pytest.raises(UnknownYear):
        period_end(date(2003, 12, 20), 5, DAY)
    with pytest.raises(UnknownYear):
        # walks back over 2004-01-01 (元旦) into 2003
        working_days_before(date(2004, 1, 2), 2)
    with pytest.raises(UnknownYear):
        HolidayTable().kind(date(2003, 6, 1))


def test_years_past_2099_need_data() -> None:
    with pytest.raises(UnknownYear):
        is_working_day(date(2100, 1, 4))
    table = HolidayTable().with_year(CalendarYearData(2100, {}, {}, source="test"))
    assert table.kind(date(2100, 1, 4)).known
    # Custody arithmetic classifies nothing, so it needs no data.
    assert period_end(date(2099, 12, 1), 60, DAY, custody=True) == known(date(2100, 1, 30))


# ---------------------------------------------------------------- fallback vs real data


REAL_LUNAR = {
    # year: (清明, 正月初一, 端午, 中秋) — the real holiday dates
    2020: ("04-04", "01-25", "06-25", "10-01"),
    2021: ("04-04", "02-12", "06-14", "09-21"),
    2022: ("04-05", "02-01", "06-03", "09-10"),
    2023: ("04-05", "01-22", "06-22", "09-29"),
    2024: ("04-04", "02-10", "06-10", "09-17"),
    2025: ("04-04", "01-29", "05-31", "10-06"),
    2026: ("04-05", "02-17", "06-19", "09-25"),
}


@pytest.mark.parametrize("year", sorted(REAL_LUNAR))
def test_qingming_and_lunar_dates_match_real_holidays(year: int) -> None:
    qm, cny, dbf, maf = (date.fromisoformat(f"{year}-{md}") for md in REAL_LUNAR[year])
    assert qingming(year) == qm
    lunar = lunar_festivals(year)
    assert (lunar.spring_festival, lunar.dragon_boat, lunar.mid_autumn) == (cny, dbf, maf)
    # and chinese_calendar agrees these are the festivals
    names = chinese_calendar.holidays
    assert names[qm] == "Tomb-sweeping Day"
    assert names[cny] == "Spring Festival"
    assert names[dbf] == "Dragon Boat Festival"
    assert names[maf] in ("Mid-autumn Festival", "National Day")  # 2020: both on 10-01


@pytest.mark.parametrize("year", range(2004, 2027))
def test_statutory_days_are_rest_days_in_real_data(year: int) -> None:
    for d, name in statutory_rest_days(year).items():
        assert not chinese_calendar.is_workday(d), f"{d} {name} is a workday in real data"


@pytest.mark.parametrize("year", range(2004, 2027))
def test_real_years_pass_statutory_check(year: int) -> None:
    data = default_table().year_data(year)
    assert data is not None
    assert statutory_conflicts(data) == []


def test_festival_names_match_real_data() -> None:
    table = default_table()
    for year in range(2004, 2027):
        for d, name in statutory_rest_days(year).items():
            real = table.kind(d)
            if real.kind is DayKind.HOLIDAY:
                assert real.name in name.split("、"), (d, name, real.name)


def test_statutory_rules_are_versioned() -> None:
    # 除夕: holiday 2008–2013 and from 2025; not 2004–2007 nor 2014–2024.
    def has_eve(year: int) -> bool:
        return lunar_festivals(year).new_years_eve in statutory_rest_days(year)

    assert [y for y in range(2004, 2030) if has_eve(y)] == [*range(2008, 2014), *range(2025, 2030)]
    # And it matters: 除夕 2024 (Fri 02-09) was a real working day.
    assert chinese_calendar.is_workday(date(2024, 2, 9))
    assert date(2024, 5, 2) not in statutory_rest_days(2024)
    assert date(2025, 5, 2) in statutory_rest_days(2025)
    assert date(2007, 5, 3) in statutory_rest_days(2007)
    assert len(statutory_rest_days(2025)) == 13
    assert len(statutory_rest_days(2024)) == 11


def test_coinciding_festivals_are_one_day() -> None:
    # 2028: 中秋 falls on 10-03 inside 国庆.
    days = statutory_rest_days(2028)
    assert days[date(2028, 10, 3)] == "中秋节、国庆节"
    assert len(days) == 12


def test_lunar_table_is_plausible_for_every_year() -> None:
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        lunar = lunar_festivals(year)
        assert date(year, 1, 21) <= lunar.spring_festival <= date(year, 2, 20)
        assert date(year, 5, 26) <= lunar.dragon_boat <= date(year, 6, 26)
        assert date(year, 9, 7) <= lunar.mid_autumn <= date(year, 10, 8)
        assert qingming(year) in (date(year, 4, 4), date(year, 4, 5))
    with pytest.raises(KeyError):
        lunar_festivals(2100)


def test_lunar_table_matches_lunardate_library() -> None:
    # Optional cross-check: runs where the PyPI package lunardate (>= 0.3) is installed.
    lunardate = pytest.importorskip("lunardate")
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        got = lunar_festivals(year)
        for (m, d), ours in (((1, 1), got.spring_festival), ((5, 5), got.dragon_boat),
                             ((8, 15), got.mid_autumn)):
            assert lunardate.LunarDate(year, m, d).to_solar_date() == ours, (year, m, d)


def test_qingming_matches_lunar_python_library() -> None:
    # Optional cross-check against an astronomical computation (PyPI lunar-python).
    lunar_python = pytest.importorskip("lunar_python")
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        solar = lunar_python.Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
        assert qingming(year) == date(solar.getYear(), solar.getMonth(), solar.getDay()), year

"""HolidayTable construction, default_table and the chinese_calendar import."""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from shared.calendar import CalendarYearData, DayKind, HolidayTable, default_table
from shared.calendar.table import chinese_calendar_years


def test_default_table_is_cached() -> None:
    assert default_table() is default_table()


def test_package_data_read_completely() -> None:
    years = chinese_calendar_years()
    first, last = min(years), max(years)
    assert first == 2004 and last >= 2026
    assert sorted(years) == list(range(first, last + 1))
    assert sum(len(y.holidays) for y in years.values()) == len(chinese_calendar.holidays)
    assert sum(len(y.workdays) for y in years.values()) == len(chinese_calendar.workdays)
    assert all(y.source.startswith("PyPI chinesecalendar") for y in years.values())


def test_table_agrees_with_chinese_calendar_on_every_known_day() -> None:
    table = default_table()
    last = max(chinese_calendar_years())
    d = date(2004, 1, 1)
    while d.year <= last:
        assert table.is_working_day(d) == chinese_calendar.is_workday(d), d
        assert table.kind(d).known
        d = d.fromordinal(d.toordinal() + 1)


def test_names_are_chinese() -> None:
    assert default_table().kind(date(2015, 9, 3)).name == "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    assert default_table().kind(date(2024, 4, 4)).name == "清明节"
    assert default_table().kind(date(2024, 6, 15)).name is None


def test_kinds() -> None:
    table = default_table()
    assert table.kind(date(2024, 6, 12)).kind is DayKind.WORKDAY
    assert table.kind(date(2024, 6, 15)).kind is DayKind.WEEKEND
    assert not DayKind.WEEKEND.is_working and not DayKind.HOLIDAY.is_working
    assert DayKind.WORKDAY.is_working and DayKind.MAKEUP_WORKDAY.is_working


def test_table_from_mapping_checks_keys() -> None:
    data = CalendarYearData(2027, {}, {})
    assert HolidayTable({2027: data}).known_years == {2027}
    assert HolidayTable([data]).known_years == {2027}
    with pytest.raises(ValueError):
        HolidayTable({2028: data})
    with pytest.raises(ValueError):
        HolidayTable([data, data])


def test_year_data_and_repr() -> None:
    assert default_table().year_data(2003) is None
    assert default_table().year_data(2026) is not None
    assert repr(HolidayTable([CalendarYearData(2027, {}, {}), CalendarYearData(2030, {}, {})])) == (
        "<HolidayTable known years 2027–2030 (2)>"
    )

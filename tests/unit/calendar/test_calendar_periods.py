"""period_end / working_days_before over real holiday periods (chinesecalendar 1.11.0 data).

Expected dates were checked by printing chinese_calendar's holidays/workdays
dicts for each period, not derived from the code under test.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from shared.calendar import (
    DayKind,
    Deadline,
    Unit,
    add_months,
    day_info,
    is_working_day,
    period_end,
    working_days_before,
)

DAY, WD, MONTH = Unit.DAY, Unit.WORKING_DAY, Unit.MONTH


def known(d: date) -> Deadline:
    return Deadline(d, provisional=False)


# ---------------------------------------------------------------- 春节 2024
# Real 2024: rest 02-10 (Sat) .. 02-17 (Sat); 调休 workdays Sun 02-04, Sun 02-18.
# 除夕 02-09 (Fri) was a WORKDAY in 2024 (the 2013 放假办法 had dropped 除夕).


def test_spring_festival_2024_day_kinds() -> None:
    assert day_info(date(2024, 2, 9)).kind is DayKind.WORKDAY
    assert day_info(date(2024, 2, 10)).kind is DayKind.HOLIDAY
    assert day_info(date(2024, 2, 10)).name == "春节"
    assert day_info(date(2024, 2, 4)).kind is DayKind.MAKEUP_WORKDAY
    assert day_info(date(2024, 2, 18)).kind is DayKind.MAKEUP_WORKDAY
    assert day_info(date(2024, 2, 18)).known


def test_spring_festival_2024_day_period_moves_to_makeup_sunday() -> None:
    # 7 日 from Mon 02-05 ends Mon 02-12, inside the holiday; the first working
    # day after the holiday is the 调休 Sunday 02-18.
    assert period_end(date(2024, 2, 5), 7, DAY) == known(date(2024, 2, 18))


def test_spring_festival_2024_custody_does_not_move() -> None:
    assert period_end(date(2024, 2, 5), 7, DAY, custody=True) == known(date(2024, 2, 12))


def test_spring_festival_2024_working_days() -> None:
    start = date(2024, 2, 8)  # Thursday
    assert period_end(start, 1, WD) == known(date(2024, 2, 9))
    assert period_end(start, 2, WD) == known(date(2024, 2, 18))  # Sunday 调休 counts
    assert period_end(start, 3, WD) == known(date(2024, 2, 19))


def test_spring_festival_2024_working_days_before() -> None:
    assert working_days_before(date(2024, 2, 19), 1) == known(date(2024, 2, 18))
    assert working_days_before(date(2024, 2, 19), 2) == known(date(2024, 2, 9))


# ---------------------------------------------------------------- 春节 2025
# Real 2025: rest 01-28 (Tue, 除夕) .. 02-04 (Tue); workdays Sun 01-26, Sat 02-08.


def test_spring_festival_2025() -> None:
    assert day_info(date(2025, 1, 28)).kind is DayKind.HOLIDAY  # 除夕 is statutory from 2025
    assert period_end(date(2025, 1, 20), 8, DAY) == known(date(2025, 2, 5))
    start = date(2025, 1, 24)  # Friday
    assert period_end(start, 1, WD) == known(date(2025, 1, 26))
    assert period_end(start, 2, WD) == known(date(2025, 1, 27))
    assert period_end(start, 3, WD) == known(date(2025, 2, 5))
    assert period_end(start, 6, WD) == known(date(2025, 2, 8))  # Saturday 调休


# ---------------------------------------------------------------- 春节 2026
# Real 2026: rest 02-15 (Sun) .. 02-23 (Mon); workdays Sat 02-14, Sat 02-28.


def test_spring_festival_2026() -> None:
    assert period_end(date(2026, 2, 10), 10, DAY) == known(date(2026, 2, 24))
    assert period_end(date(2026, 2, 10), 10, DAY, custody=True) == known(date(2026, 2, 20))
    start = date(2026, 2, 13)  # Friday
    assert period_end(start, 1, WD) == known(date(2026, 2, 14))
    assert period_end(start, 2, WD) == known(date(2026, 2, 24))


# ---------------------------------------------------------------- 国庆 2023
# Real 2023: 中秋 Fri 09-29 adjoining 国庆 09-30 .. 10-06; workdays Sat 10-07, Sun 10-08.


def test_national_day_2023_kinds() -> None:
    assert day_info(date(2023, 9, 29)).name == "中秋节"
    assert day_info(date(2023, 10, 1)).name == "国庆节"
    for d in (date(2023, 10, 7), date(2023, 10, 8)):
        info = day_info(d)
        assert info.kind is DayKind.MAKEUP_WORKDAY and info.is_working


def test_national_day_2023_day_period_moves_to_makeup_saturday() -> None:
    assert period_end(date(2023, 9, 20), 10, DAY) == known(date(2023, 10, 7))
    assert period_end(date(2023, 9, 20), 10, DAY, custody=True) == known(date(2023, 9, 30))


def test_day_period_ending_on_makeup_saturday_does_not_move() -> None:
    # The last day is the 调休 Saturday 10-07: a working day, so it stays.
    assert period_end(date(2023, 9, 30), 7, DAY) == known(date(2023, 10, 7))


def test_national_day_2023_working_days_count_makeup_weekend() -> None:
    start = date(2023, 9, 28)
    assert period_end(start, 1, WD) == known(date(2023, 10, 7))  # Saturday
    assert period_end(start, 2, WD) == known(date(2023, 10, 8))  # Sunday
    assert period_end(start, 3, WD) == known(date(2023, 10, 9))
    assert working_days_before(date(2023, 10, 9), 2) == known(date(2023, 10, 7))
    assert working_days_before(date(2023, 10, 9), 3) == known(date(2023, 9, 28))


# ---------------------------------------------------------------- 国庆 2025
# Real 2025: rest 10-01 .. 10-08 with 中秋 on 10-06; workdays Sun 09-28, Sat 10-11.


def test_national_day_2025() -> None:
    assert day_info(date(2025, 10, 6)).name == "中秋节"
    assert period_end(date(2025, 9, 30), 6, DAY) == known(date(2025, 10, 9))
    assert period_end(date(2025, 9, 30), 6, DAY, custody=True) == known(date(2025, 10, 6))
    start = date(2025, 9, 26)  # Friday
    expected = [date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 9),
                date(2025, 10, 10), date(2025, 10, 11)]
    assert [period_end(start, n, WD).date for n in range(1, 7)] == expected


# ---------------------------------------------------------------- months


def test_add_months_corresponding_day_or_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2026, 5, 15), 0) == date(2026, 5, 15)


def test_month_end_leap_year_2024() -> None:
    assert period_end(date(2024, 1, 31), 1, MONTH) == known(date(2024, 2, 29))  # Thursday


def test_month_end_non_leap_year_2025() -> None:
    assert period_end(date(2025, 1, 31), 1, MONTH) == known(date(2025, 2, 28))  # Friday


def test_month_end_on_weekend_moves() -> None:
    # 2021-02-28 is an ordinary Sunday.
    assert period_end(date(2021, 1, 31), 1, MONTH) == known(date(2021, 3, 1))
    assert period_end(date(2021, 1, 31), 1, MONTH, custody=True) == known(date(2021, 2, 28))


def test_month_end_on_makeup_saturday_stays() -> None:
    # 2026-02-28 is a Saturday but a 调休 workday for 春节 2026.
    assert period_end(date(2026, 1, 31), 1, MONTH) == known(date(2026, 2, 28))


def test_month_period_landing_in_national_day_moves() -> None:
    assert period_end(date(2023, 8, 31), 1, MONTH) == known(date(2023, 10, 7))
    assert period_end(date(2023, 8, 31), 1, MONTH, custody=True) == known(date(2023, 9, 30))


# ---------------------------------------------------------------- start on a holiday


def test_period_starting_on_a_holiday() -> None:
    # 国庆 2024: rest 10-01 .. 10-07, workdays Sun 09-29 and Sat 10-12.
    start = date(2024, 10, 1)
    assert period_end(start, 3, DAY) == known(date(2024, 10, 8))
    assert period_end(start, 10, DAY) == known(date(2024, 10, 11))
    assert period_end(start, 1, WD) == known(date(2024, 10, 8))
    assert period_end(start, 5, WD) == known(date(2024, 10, 12))  # Saturday 调休


def test_start_day_is_not_counted() -> None:
    # Ordinary week in 2024: Monday 06-17 + 3 日 = Thursday.
    assert period_end(date(2024, 6, 17), 3, DAY) == known(date(2024, 6, 20))
    assert period_end(date(2024, 6, 17), 3, WD) == known(date(2024, 6, 20))
    # Friday + 1 working day = Monday.
    assert period_end(date(2024, 6, 21), 1, WD) == known(date(2024, 6, 24))


def test_dragon_boat_monday_2024() -> None:
    # 端午 2024: Monday 06-10 rest, no 调休.
    assert working_days_before(date(2024, 6, 11), 1) == known(date(2024, 6, 7))
    assert period_end(date(2024, 6, 7), 1, WD) == known(date(2024, 6, 11))


# ---------------------------------------------------------------- amount 0 and errors


def test_zero_amount_is_start_day_moved_off_rest_days() -> None:
    assert period_end(date(2024, 10, 8), 0, DAY) == known(date(2024, 10, 8))
    assert period_end(date(2024, 10, 1), 0, DAY) == known(date(2024, 10, 8))
    assert period_end(date(2024, 10, 1), 0, DAY, custody=True) == known(date(2024, 10, 1))
    assert period_end(date(2024, 10, 1), 0, MONTH) == known(date(2024, 10, 8))
    assert period_end(date(2024, 10, 1), 0, WD) == known(date(2024, 10, 8))
    assert working_days_before(date(2024, 10, 1), 0) == known(date(2024, 10, 1))


@pytest.mark.parametrize("unit", list(Unit))
def test_negative_amount_rejected(unit: Unit) -> None:
    with pytest.raises(ValueError):
        period_end(date(2024, 1, 10), -1, unit)


def test_bad_arguments_rejected() -> None:
    with pytest.raises(ValueError):
        working_days_before(date(2024, 1, 10), -2)
    with pytest.raises(TypeError):
        period_end(datetime(2024, 1, 10, tzinfo=timezone.utc), 1, DAY)
    with pytest.raises(TypeError):
        period_end(date(2024, 1, 10), True, DAY)
    with pytest.raises(TypeError):
        period_end(date(2024, 1, 10), 1, "day")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        is_working_day(datetime(2024, 1, 10))


def test_custody_working_day_is_same_as_without() -> None:
    start = date(2023, 9, 28)
    assert period_end(start, 2, WD, custody=True) == period_end(start, 2, WD)


def test_unit_values_and_labels() -> None:
    assert [u.value for u in Unit] == ["day", "working_day", "month"]
    assert [u.label for u in Unit] == ["日", "工作日", "月"]


def test_deadline_is_frozen() -> None:
    d = Deadline(date(2024, 1, 2), False)
    with pytest.raises(AttributeError):
        d.provisional = True  # type: ignore[misc]

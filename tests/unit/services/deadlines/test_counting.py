"""Deriving due dates over real holiday periods (国庆 2025, 春节 2026), with pauses and extensions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.review.deadlines.counting import Extension, Pause, compute
from shared.calendar import Unit, default_table, is_working_day, load_year_file

TABLE = default_table()
FICTIONAL_2027 = Path(__file__).resolve().parents[2] / "calendar" / "fictional_2027.csv"


def _due(start: date, amount: int, unit: Unit, *, custody: bool = False, pauses=(), extensions=(), table=TABLE):  # type: ignore[no-untyped-def]
    return compute(start_on=start, amount=amount, unit=unit, custody=custody, warn_before=2, table=table,
                   pauses=list(pauses), extensions=list(extensions))


def test_the_2025_national_day_block_is_what_the_tests_assume() -> None:
    # 2025 notice: 10月1日至8日放假调休; 9月28日(周日)、10月11日(周六)上班.
    assert not any(is_working_day(date(2025, 10, d)) for d in range(1, 9))
    assert is_working_day(date(2025, 9, 28)) and is_working_day(date(2025, 10, 11))


def test_seven_days_ending_in_national_day_rolls_to_the_first_working_day() -> None:
    got = _due(date(2025, 9, 26), 7, Unit.DAY)
    assert (got.base_due_on, got.due_on, got.provisional) == (date(2025, 10, 9), date(2025, 10, 9), False)
    # Warning: two working days before Thu 10-09, counting back over the holiday: Tue 09-30, Mon 09-29.
    assert got.warn_on == date(2025, 9, 29)


def test_a_pause_inside_the_holiday_changes_nothing_for_day_periods_that_roll_past_it() -> None:
    # 3 paused days move the raw end from 10-03 to 10-06, still inside the holiday: 10-09.
    got = _due(date(2025, 9, 26), 7, Unit.DAY, pauses=[Pause(date(2025, 9, 29), date(2025, 10, 2))])
    assert got.due_on == date(2025, 10, 9)
    # 7 paused days move it to Fri 10-10.
    longer = _due(date(2025, 9, 26), 7, Unit.DAY, pauses=[Pause(date(2025, 9, 29), date(2025, 10, 6))])
    assert longer.due_on == date(2025, 10, 10)
    assert longer.base_due_on == date(2025, 10, 9)


def test_working_day_pause_only_removes_the_working_days_inside_it() -> None:
    # 3 working days from Fri 09-26: Sun 09-28 (调休上班), Mon 09-29, Tue 09-30.
    assert _due(date(2025, 9, 26), 3, Unit.WORKING_DAY).due_on == date(2025, 9, 30)
    # Paused 09-29 .. 10-08: 09-28 counts, then Thu 10-09 and Fri 10-10.
    got = _due(date(2025, 9, 26), 3, Unit.WORKING_DAY, pauses=[Pause(date(2025, 9, 29), date(2025, 10, 9))])
    assert got.due_on == date(2025, 10, 10)


def test_a_working_day_pause_over_spring_festival_2026_costs_nothing() -> None:
    start = date(2026, 2, 10)
    plain = _due(start, 10, Unit.WORKING_DAY)
    # 春节 2026: 2月15日至23日放假, 2月14日(周六)、2月28日(周六)上班.
    assert plain.due_on == date(2026, 3, 2)
    paused = _due(start, 10, Unit.WORKING_DAY, pauses=[Pause(date(2026, 2, 15), date(2026, 2, 24))])
    assert paused.due_on == plain.due_on
    # The same pause on a 日 period adds its 9 calendar days: raw end 02-20 (holiday → 02-24)
    # becomes Sun 03-01, rolled to Mon 03-02.
    assert _due(start, 10, Unit.DAY).due_on == date(2026, 2, 24)
    assert _due(start, 10, Unit.DAY, pauses=[Pause(date(2026, 2, 15), date(2026, 2, 24))]).due_on == date(2026, 3, 2)


def test_custody_periods_add_paused_days_but_never_roll() -> None:
    got = _due(date(2025, 9, 25), 10, Unit.DAY, custody=True)
    assert got.due_on == date(2025, 10, 5)  # inside the holiday, not moved (刑诉法 第一百零五条)
    paused = _due(date(2025, 9, 25), 10, Unit.DAY, custody=True, pauses=[Pause(date(2025, 9, 27), date(2025, 10, 2))])
    assert paused.due_on == date(2025, 10, 10)


def test_days_before_the_start_day_are_not_paused() -> None:
    # The start day itself is never counted, so a pause starting on it costs only the days after.
    got = _due(date(2025, 11, 3), 3, Unit.DAY, pauses=[Pause(date(2025, 11, 3), date(2025, 11, 5))])
    assert got.due_on == date(2025, 11, 7)  # Mon + 3 = Thu, + 1 paused day (Tue) = Fri


def test_an_open_pause_leaves_the_due_date_unknown() -> None:
    got = _due(date(2025, 9, 26), 7, Unit.DAY, pauses=[Pause(date(2025, 9, 29), None)])
    assert got.paused and got.due_on is None and got.warn_on is None
    assert got.base_due_on == date(2025, 10, 9)


def test_extension_counts_from_the_due_date_in_force() -> None:
    # 10 working days from Fri 09-19: 9-22..9-26 (5), Sun 9-28 (6), 9-29, 9-30 (8), 10-09, 10-10 (10).
    base = _due(date(2025, 9, 19), 10, Unit.WORKING_DAY)
    assert base.due_on == date(2025, 10, 10)
    ext = _due(date(2025, 9, 19), 10, Unit.WORKING_DAY, extensions=[Extension(5, Unit.WORKING_DAY)])
    # Sat 10-11 is a 调休 workday: 10-11, 10-13, 10-14, 10-15, 10-16.
    assert ext.due_on == date(2025, 10, 16)


def test_a_month_period_may_end_on_a_makeup_saturday() -> None:
    # 3 months from 2025-11-30 is Sat 2026-02-28, a 调休上班日: it stays.
    assert _due(date(2025, 11, 30), 3, Unit.MONTH).due_on == date(2026, 2, 28)


def test_a_period_into_2027_is_provisional_until_the_year_is_loaded() -> None:
    start = date(2026, 11, 20)
    provisional = _due(start, 3, Unit.MONTH)
    # 2027-02-20 is a Saturday: weekends-only fallback rolls it to Monday.
    assert (provisional.due_on, provisional.provisional) == (date(2027, 2, 22), True)
    table = TABLE.with_year(load_year_file(FICTIONAL_2027))  # FICTIONAL data, tests only
    known = _due(start, 3, Unit.MONTH, table=table)
    assert (known.due_on, known.provisional) == (date(2027, 2, 20), False)  # 调休上班 in the fixture


@pytest.mark.parametrize("amount", [0, 1, 5, 20])
def test_working_day_results_are_working_days(amount: int) -> None:
    got = _due(date(2026, 2, 13), amount, Unit.WORKING_DAY, pauses=[Pause(date(2026, 2, 14), date(2026, 2, 16))])
    assert got.due_on is not None and is_working_day(got.due_on)
    assert got.due_on != date(2026, 2, 14) or amount == 0

"""Property tests: invariants of period counting over 2004–2027 (2027 via the fallback)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shared.calendar import Unit, add_months, default_table, period_end, working_days_before

TABLE = default_table()
# database=None: keep Hypothesis from writing .hypothesis/ into the repository.
PROPS = settings(max_examples=150, deadline=None, database=None)

starts = st.dates(min_value=date(2004, 1, 10), max_value=date(2027, 6, 30))
day_amounts = st.integers(min_value=0, max_value=400)
wd_amounts = st.integers(min_value=0, max_value=250)
month_amounts = st.integers(min_value=0, max_value=30)
LAST_KNOWN = max(TABLE.known_years)


def working(d: date) -> bool:
    return TABLE.is_working_day(d)


@PROPS
@given(starts, wd_amounts)
def test_working_day_result_is_nth_working_day_after_start(start: date, n: int) -> None:
    assume(n >= 1)
    end = period_end(start, n, Unit.WORKING_DAY).date
    assert end > start
    assert working(end)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(working(d) for d in between) == n


@PROPS
@given(starts, day_amounts)
def test_day_result_is_first_working_day_from_nominal_end(start: date, amount: int) -> None:
    result = period_end(start, amount, Unit.DAY)
    nominal = start + timedelta(days=amount)
    assert result.date >= nominal
    assert working(result.date)
    gap = [nominal + timedelta(days=i) for i in range((result.date - nominal).days)]
    assert not any(working(d) for d in gap)
    # provisional exactly when a classified day lies past the known years
    assert result.provisional == (result.date.year > LAST_KNOWN)


@PROPS
@given(starts, day_amounts)
def test_custody_is_plain_arithmetic_and_never_provisional(start: date, amount: int) -> None:
    assert period_end(start, amount, Unit.DAY, custody=True) == period_end(
        start, amount, Unit.DAY, custody=True, table=TABLE
    )
    result = period_end(start, amount, Unit.DAY, custody=True)
    assert result.date == start + timedelta(days=amount)
    assert not result.provisional


@PROPS
@given(starts, month_amounts)
def test_month_result_is_at_or_after_corresponding_day(start: date, months: int) -> None:
    nominal = add_months(start, months)
    assert nominal.day <= start.day
    result = period_end(start, months, Unit.MONTH)
    assert result.date >= nominal and working(result.date)
    assert period_end(start, months, Unit.MONTH, custody=True).date == nominal


@PROPS
@given(starts, st.sampled_from(list(Unit)), st.integers(0, 200), st.integers(0, 200))
def test_monotonic_in_amount(start: date, unit: Unit, a: int, b: int) -> None:
    if unit is Unit.MONTH:
        a, b = a % 31, b % 31
    lo, hi = sorted((a, b))
    assert period_end(start, lo, unit).date <= period_end(start, hi, unit).date


@PROPS
@given(starts, wd_amounts)
def test_working_days_before_inverts_working_day_period(start: date, n: int) -> None:
    assume(n >= 1 and working(start))
    end = period_end(start, n, Unit.WORKING_DAY).date
    assert working_days_before(end, n).date == start


@PROPS
@given(st.dates(min_value=date(2004, 3, 1), max_value=date(2027, 6, 30)), st.integers(1, 30))
def test_working_days_before_is_a_working_day_strictly_before(day: date, n: int) -> None:
    result = working_days_before(day, n)
    assert result.date < day and working(result.date)
    # Days classified are result .. day-1: provisional iff day-1 is past the known years.
    assert result.provisional == ((day - timedelta(days=1)).year > LAST_KNOWN)

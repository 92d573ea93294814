"""Beijing calendar dates from aware instants."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from shared.calendar.clock import BEIJING, beijing_date, utcnow


def test_late_evening_beijing_given_as_utc_is_same_day() -> None:
    # 2026-09-30 23:30 +08:00 == 2026-09-30 15:30 UTC: still the 30th in Beijing.
    assert beijing_date(datetime(2026, 9, 30, 15, 30, tzinfo=timezone.utc)) == date(2026, 9, 30)
    assert beijing_date(datetime(2026, 9, 30, 23, 30, tzinfo=BEIJING)) == date(2026, 9, 30)


def test_utc_afternoon_is_next_day_in_beijing() -> None:
    assert beijing_date(datetime(2026, 9, 30, 16, 0, tzinfo=timezone.utc)) == date(2026, 10, 1)
    assert beijing_date(datetime(2026, 9, 30, 15, 59, 59, tzinfo=timezone.utc)) == date(2026, 9, 30)


def test_other_offsets_are_converted() -> None:
    new_york_evening = datetime(2026, 9, 30, 20, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert beijing_date(new_york_evening) == date(2026, 10, 1)


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        beijing_date(datetime(2026, 9, 30, 15, 30))


def test_plain_date_rejected() -> None:
    with pytest.raises(TypeError):
        beijing_date(date(2026, 9, 30))  # type: ignore[arg-type]


def test_utcnow_is_aware_utc() -> None:
    now = utcnow()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)

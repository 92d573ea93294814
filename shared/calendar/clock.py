"""Time-zone handling: which calendar day an instant falls on in Beijing.

This module owns the one conversion every deadline depends on. Timestamps
are stored and passed around as aware UTC datetimes; a 期间 is counted in
calendar days of 北京时间 (Asia/Shanghai, UTC+8 with no daylight saving since
1991). A petition received at 2026-09-30 23:30 Beijing time is 15:30 UTC —
its day is the 30th, not the 1st, and getting that wrong moves a deadline by
a day (here across the 国庆 holiday).

Naive datetimes are refused: whether one means UTC or Beijing time cannot be
told from the value, and guessing wrong is an off-by-one-day deadline.
"""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

__all__ = ["BEIJING", "beijing_date", "beijing_today", "utcnow"]

#: 北京时间. Uses the system tz database (or the ``tzdata`` package on
#: systems without one).
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_date(dt: _dt.datetime) -> _dt.date:
    """The Beijing calendar date of an aware datetime (any offset, usually UTC).

    Raises ValueError for a naive datetime and TypeError for a plain date
    (which has no instant to convert).
    """
    if not isinstance(dt, _dt.datetime):
        raise TypeError(f"expected an aware datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(
            f"naive datetime {dt.isoformat()} has no time zone; pass an aware UTC datetime"
        )
    return dt.astimezone(BEIJING).date()


def beijing_midnight(day: _dt.date) -> _dt.datetime:
    """The instant a Beijing day begins (00:00 +08:00): the bound of a filter by days."""
    return _dt.datetime.combine(day, _dt.time(), tzinfo=BEIJING)


def utcnow() -> _dt.datetime:
    """The current time as an aware UTC datetime (never the naive ``datetime.utcnow()``)."""
    return _dt.datetime.now(_dt.timezone.utc)


def beijing_today() -> _dt.date:
    """Today's date in Beijing, whatever the server's local time zone."""
    return beijing_date(utcnow())

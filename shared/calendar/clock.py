"""Time zone rules: stored in UTC, decided in Asia/Shanghai (北京时间).

A petition received at 23:30 Beijing time on the 30th is received on the 30th, although it is
15:30 UTC: every period counts from the Beijing calendar date.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def beijing_date(dt: datetime) -> date:
    """The Beijing calendar date of an aware instant; a naive datetime is refused."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware (UTC) datetime")
    return dt.astimezone(BEIJING).date()


def beijing_today() -> date:
    return beijing_date(utcnow())

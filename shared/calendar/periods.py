"""Counting 期间: when a period of n 日 / 工作日 / 月 that starts on a given day ends.

This module owns the counting rules every deadline in huhang uses:

* 刑事诉讼法 第一百零五条: "期间以时、日、月计算。期间开始的时和日不算在期间以内。
  … 期间的最后一日为节假日的，以节假日后的第一日为期满日期，但犯罪嫌疑人、被告人
  或者罪犯在押期间，应当至期满之日为止，不得因节假日而延长。"
* 民事诉讼法 第八十五条: the same for a period ending on a 法定休假日.
* 民法典 第二百零二条: a period in months ends on the corresponding day
  (对应日) of the last month, or on that month's last day when it has none.
* working-day rules (行政处罚法 art. 85, 失信 deletion within 三个工作日, the
  2016 羁押必要性审查 10 + 5 working days, …): count only 工作日, where
  statutory holidays are not working days and 调休 weekend workdays are.

Each result is a :class:`Deadline` whose ``provisional`` flag says whether a
day that had to be classified lies in a year with no 国务院 notice loaded, so
the caller can show it as provisional and recompute it once the notice is
imported. Only days whose classification could change the answer count:
custody periods classify nothing and are never provisional.
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass

from .model import DayInfo, require_date
from .table import HolidayTable, default_table

__all__ = [
    "Deadline",
    "Unit",
    "add_months",
    "day_info",
    "is_working_day",
    "period_end",
    "working_days_before",
]

_ONE = _dt.timedelta(days=1)
# Longest run of consecutive rest days we accept before calling the data
# broken: real runs are ≤ 10 days (春节 2020 extended for COVID-19). A table
# that lists a whole month as holidays is a typo, not a reason to loop.
_MAX_REST_RUN = 60


class Unit(enum.Enum):
    """The unit a period is expressed in. Values are stable strings for settings."""

    #: 日: calendar days; start day not counted; a period ending on a rest day
    #: ends on the next working day (not for custody).
    DAY = "day"
    #: 工作日: only working days count (调休 weekend workdays included).
    WORKING_DAY = "working_day"
    #: 月: calendar months to the corresponding day (对应日), else month-end.
    MONTH = "month"

    @property
    def label(self) -> str:
        """The Chinese word, for display: 日 / 工作日 / 月."""
        return {"day": "日", "working_day": "工作日", "month": "月"}[self.value]


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a period, and whether it rests on guessed calendar data.

    ``provisional`` is True when some day the computation classified lies in
    a year with no loaded notice (weekends and statutory days were assumed,
    调休 unknown). Recompute such deadlines when that year's data arrives.
    """

    date: _dt.date
    provisional: bool


class _Probe:
    """Classifies days through a table and remembers if any answer was a guess."""

    __slots__ = ("table", "provisional")

    def __init__(self, table: HolidayTable) -> None:
        self.table = table
        self.provisional = False

    def working(self, day: _dt.date) -> bool:
        info = self.table.kind(day)
        if not info.known:
            self.provisional = True
        return info.kind.is_working

    def roll_forward(self, day: _dt.date) -> _dt.date:
        """``day`` if it is a working day, else the first working day after it."""
        for _ in range(_MAX_REST_RUN):
            if self.working(day):
                return day
            day += _ONE
        raise RuntimeError(
            f"no working day within {_MAX_REST_RUN} days of {day - _MAX_REST_RUN * _ONE}; "
            "the holiday data is probably wrong"
        )


def _check_count(value: object, what: str) -> int:
    # bool is an int subclass; period_end(d, True, ...) is a bug, not "1 day".
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{what} must be >= 0, got {value}")
    return value


def _table(table: HolidayTable | None) -> HolidayTable:
    return default_table() if table is None else table


def add_months(start: _dt.date, months: int) -> _dt.date:
    """The corresponding day ``months`` months after ``start`` (民法典 第二百零二条).

    When the target month is shorter, its last day: 31 January + 1 month is
    28 February, or 29 February in a leap year. Negative ``months`` go back.
    """
    require_date(start)
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    if not _dt.MINYEAR <= year <= _dt.MAXYEAR:
        raise ValueError(f"{start} + {months} months is outside the supported date range")
    # Month length without the stdlib ``calendar`` module: this package is
    # itself named "calendar", and if shared/ ever lands on sys.path the
    # stdlib module would be shadowed.
    if month0 == 11:
        last = 31
    else:
        last = (_dt.date(year, month0 + 2, 1) - _ONE).day
    return _dt.date(year, month0 + 1, min(start.day, last))


def period_end(
    start: _dt.date,
    amount: int,
    unit: Unit,
    *,
    custody: bool = False,
    table: HolidayTable | None = None,
) -> Deadline:
    """The last day of a period of ``amount`` ``unit`` that starts on ``start``.

    The start day is never counted (期间开始的日不算在期间以内), so 3 日 from
    Monday ends on Thursday.

    * ``Unit.DAY``: ``start + amount`` days; if that day is not a working day
      (a weekend or a statutory holiday that is not a 调休 workday), the first
      working day after it. A 调休 Saturday is a working day: nothing moves.
    * ``Unit.WORKING_DAY``: the ``amount``-th working day after ``start``.
    * ``Unit.MONTH``: :func:`add_months`, then moved off a rest day as for DAY.

    ``custody=True`` (在押期间, 刑诉法 第一百零五条): the end is never moved for
    a holiday, and since no day needs classifying the result is never
    provisional. It changes nothing for WORKING_DAY, whose end is a working
    day by construction.

    ``amount == 0`` means "due on the start day itself", moved to the next
    working day if the start day is a rest day (a same-day duty arising on a
    Sunday is met on Monday) — in every unit, except that a custody DAY or
    MONTH period never moves. Chosen so that the result is monotonic in
    ``amount`` and, outside custody, never a rest day.

    Raises ValueError for a negative amount, TypeError for a datetime (use
    :func:`~shared.calendar.clock.beijing_date`), and
    :class:`~shared.calendar.model.UnknownYear` if a day to classify lies
    before 2004 or past 2099 without data.
    """
    require_date(start)
    amount = _check_count(amount, "amount")
    if not isinstance(unit, Unit):
        raise TypeError(f"unit must be a Unit, got {unit!r}")
    probe = _Probe(_table(table))

    if unit is Unit.WORKING_DAY:
        if amount == 0:
            return Deadline(probe.roll_forward(start), probe.provisional)
        day = start
        remaining = amount
        while remaining:
            day += _ONE
            if probe.working(day):
                remaining -= 1
        return Deadline(day, probe.provisional)

    if unit is Unit.DAY:
        try:
            end = start + amount * _ONE
        except OverflowError:
            raise ValueError(
                f"{start} + {amount} days is outside the supported date range"
            ) from None
    else:
        end = add_months(start, amount)

    if custody:
        return Deadline(end, False)
    return Deadline(probe.roll_forward(end), probe.provisional)


def working_days_before(
    day: _dt.date, n: int, table: HolidayTable | None = None
) -> Deadline:
    """The date ``n`` working days before ``day`` ("warn 2 working days before it is due").

    Counts back from the day before ``day``: with ``day`` a Friday and no
    holidays, ``n=2`` gives Wednesday; with ``day`` a Monday, the previous
    Thursday. ``n=0`` returns ``day`` itself, classifying nothing. The result
    is always a working day for ``n >= 1``. ``provisional`` as for
    :func:`period_end`.
    """
    require_date(day)
    n = _check_count(n, "n")
    probe = _Probe(_table(table))
    remaining = n
    while remaining:
        day -= _ONE
        if probe.working(day):
            remaining -= 1
    return Deadline(day, probe.provisional)


def is_working_day(day: _dt.date, table: HolidayTable | None = None) -> bool:
    """True for a 工作日 or 调休上班日.

    Unlike ``chinese_calendar.is_workday`` this does not raise for a year the
    data lacks (2027 today): it answers from the statutory fallback. Use
    :func:`day_info` to learn whether the answer is provisional. Raises
    :class:`~shared.calendar.model.UnknownYear` only before 2004 or past 2099.
    """
    return _table(table).is_working_day(day)


def day_info(day: _dt.date, table: HolidayTable | None = None) -> DayInfo:
    """Kind, name and known/provisional status of ``day``; see :meth:`HolidayTable.kind`."""
    return _table(table).kind(day)

"""Deriving a deadline's due date from its start, its rule, its pauses and its extensions.

Pure functions over ``shared.calendar``: no database. The stored due date is always the output
of :func:`compute` over the stored inputs, so lifting a suspension or importing a holiday year
just recomputes it.

How a pause (中止, 不计入期限: 补充侦查, 鉴定, waiting for a party's materials, or a rule's own
不计入 period) is counted. A pause covers the half-open range ``[start, resumed)`` of Beijing
dates; days before the deadline's start day (which itself is never counted) are ignored.

* 日 and 月 periods: the raw end (start + n days, or the 对应日 n months later) moves back by
  the number of paused calendar days, *then* a last day on a rest day moves to the next working
  day. So a 7-day clock paused for 3 days ends 10 calendar days after the start, rolled.
* 工作日 periods: working days inside a pause are not counted; the rest are counted as usual.
  A pause over 春节 therefore costs no working days.
* custody (在押) periods: paused days are added the same way (刑诉法 第一百四十九条:
  精神病鉴定期间不计入办案期限), and the end is never moved for a holiday.
* While a pause is open the due date is unknown: :func:`compute` returns ``due_on=None``.

Extensions (延长, with approval) are counted from the due date in force (after pauses) in the
extension's own unit, with the same rules as :func:`shared.calendar.period_end`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shared.calendar import HolidayTable, Unit, add_months, day_info, period_end, working_days_before

_ONE = _dt.timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    start: _dt.date
    resumed: _dt.date | None  # None: still paused


@dataclass(frozen=True)
class Extension:
    amount: int
    unit: Unit


@dataclass(frozen=True)
class Computed:
    base_due_on: _dt.date
    due_on: _dt.date | None
    warn_on: _dt.date | None
    provisional: bool

    @property
    def paused(self) -> bool:
        return self.due_on is None


def _paused_days(start_on: _dt.date, pauses: Iterable[Pause]) -> set[_dt.date]:
    days: set[_dt.date] = set()
    first_counted = start_on + _ONE
    for pause in pauses:
        assert pause.resumed is not None
        day = max(pause.start, first_counted)
        while day < pause.resumed:
            days.add(day)
            day += _ONE
    return days


def compute(
    *,
    start_on: _dt.date,
    amount: int,
    unit: Unit,
    custody: bool,
    warn_before: int,
    table: HolidayTable,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
) -> Computed:
    """The due date (last day on which the duty is met on time), warning date and provisional flag."""
    base = period_end(start_on, amount, unit, custody=custody, table=table)
    if any(p.resumed is None for p in pauses):
        return Computed(base.date, None, None, base.provisional)
    skipped = _paused_days(start_on, pauses)
    provisional = base.provisional

    if not skipped:
        due, prov = base.date, base.provisional
    elif unit is Unit.WORKING_DAY:
        due, prov = _working_days_after(start_on, amount, skipped, table)
    else:
        raw = start_on + amount * _ONE if unit is Unit.DAY else add_months(start_on, amount)
        rolled = period_end(raw + len(skipped) * _ONE, 0, Unit.DAY, custody=custody, table=table)
        due, prov = rolled.date, rolled.provisional
    provisional = provisional or prov

    for ext in extensions:
        extended = period_end(due, ext.amount, ext.unit, custody=custody, table=table)
        due, provisional = extended.date, provisional or extended.provisional

    warn = working_days_before(due, warn_before, table=table)
    return Computed(base.date, due, warn.date, provisional or warn.provisional)


def _working_days_after(
    start_on: _dt.date, amount: int, skipped: set[_dt.date], table: HolidayTable
) -> tuple[_dt.date, bool]:
    """The ``amount``-th working day after ``start_on`` that is not paused."""
    provisional = False
    day = start_on
    remaining = amount
    # amount 0: the first working, unpaused day from the start day on (as period_end does).
    if remaining == 0:
        while True:
            info = day_info(day, table)
            provisional = provisional or not info.known
            if info.is_working and day not in skipped:
                return day, provisional
            day += _ONE
    while remaining:
        day += _ONE
        if day in skipped:
            continue
        info = day_info(day, table)
        provisional = provisional or not info.known
        if info.is_working:
            remaining -= 1
    return day, provisional

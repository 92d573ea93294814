"""Calendar service: counting 期间 with Chinese statutory holidays and 调休.

This package owns every question of the form "when is this due?":

* :func:`period_end` — the last day of a period of n 日 / 工作日 / 月
  (刑诉法 第一百零五条, 民诉法 第八十五条, 民法典 第二百零二条), with the
  custody (在押期间) exception;
* :func:`working_days_before`, :func:`is_working_day`, :func:`day_info` —
  helpers for schedulers ("warn 2 working days before it is due");
* :class:`HolidayTable` and :func:`default_table` — which days are 工作日,
  from chinese_calendar's data (2004–2026 in 1.11.0), year files in
  ``shared/calendar/data/`` and administrator imports (:meth:`HolidayTable.with_year`);
  years without data fall back to the fixed days of 《全国年节及纪念日放假办法》
  and make results ``provisional``;
* :func:`load_year_file` / :func:`dump_year_file` — the per-year file format
  (see ``FORMAT.md``);
* :mod:`shared.calendar.clock` — 北京时间 dates from aware UTC datetimes.

Pure Python: no database, web framework or message bus. Dates are
``datetime.date`` in Beijing time; convert instants with
:func:`shared.calendar.clock.beijing_date` first.
"""

from __future__ import annotations

from .clock import BEIJING, beijing_date, beijing_today, utcnow
from .fileformat import dump_year_file, load_year_file, parse_year_text
from .model import (
    EARLIEST_YEAR,
    CalendarDataError,
    CalendarYearData,
    DayInfo,
    DayKind,
    UnknownYear,
)
from .periods import (
    Deadline,
    Unit,
    add_months,
    day_info,
    is_working_day,
    period_end,
    working_days_before,
)
from .statutory import statutory_conflicts, statutory_rest_days
from .table import DATA_DIR, HolidayTable, default_table

__all__ = [
    "BEIJING",
    "DATA_DIR",
    "EARLIEST_YEAR",
    "CalendarDataError",
    "CalendarYearData",
    "DayInfo",
    "DayKind",
    "Deadline",
    "HolidayTable",
    "Unit",
    "UnknownYear",
    "add_months",
    "beijing_date",
    "beijing_today",
    "day_info",
    "default_table",
    "dump_year_file",
    "is_working_day",
    "load_year_file",
    "parse_year_text",
    "period_end",
    "statutory_conflicts",
    "statutory_rest_days",
    "utcnow",
    "working_days_before",
]

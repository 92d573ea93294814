"""The holiday table: which dates are working days, from which data.

This module owns :class:`HolidayTable` — an immutable mapping year →
:class:`~shared.calendar.model.CalendarYearData` that classifies any date —
and :func:`default_table`, the table the rest of huhang uses unless it passes
its own.

Where answers come from, in order:

1. the loaded year data (a 国务院办公厅 notice: chinese_calendar's built-in
   years, files in ``shared/calendar/data/``, or years an administrator
   imported, added with :meth:`HolidayTable.with_year`) — ``known=True``;
2. for a year with no data, the statutory fallback: weekends plus the fixed
   days of 《全国年节及纪念日放假办法》 — ``known=False`` (provisional);
3. nothing: years before 2004 raise :class:`~shared.calendar.model.UnknownYear`
   (we do not guess into the past), as do years past 2099 with no data.

Why not call ``chinese_calendar.is_workday`` per date: it raises for any
year it lacks (``is_workday(date(2027, 1, 4))``), cannot be extended with
imported notices, and is slower than one dict lookup. Its data, two
module-level dicts, is read once instead.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from .fileformat import load_year_file
from .model import (
    EARLIEST_YEAR,
    CalendarDataError,
    CalendarYearData,
    DayInfo,
    DayKind,
    UnknownYear,
    require_date,
)
from .statutory import FALLBACK_LAST_YEAR, statutory_rest_days

__all__ = [
    "DATA_DIR",
    "HolidayTable",
    "chinese_calendar_years",
    "default_table",
    "load_data_dir",
]

#: Year files shipped with the code; each overrides chinese_calendar's year.
DATA_DIR = Path(__file__).resolve().parent / "data"

_YEAR_FILE = re.compile(r"^(\d{4})\.csv$")


class HolidayTable:
    """Classifies dates using per-year 放假安排 data plus the statutory fallback.

    Immutable: :meth:`with_year` returns a new table, so a table cached by
    :func:`default_table` and shared across threads can never change under a
    computation. Build a table from a mapping year → data or from an iterable
    of :class:`CalendarYearData`.
    """

    __slots__ = ("_years", "_explicit")

    def __init__(
        self,
        years: Mapping[int, CalendarYearData] | Iterable[CalendarYearData] = (),
    ) -> None:
        by_year: dict[int, CalendarYearData] = {}
        if isinstance(years, Mapping):
            for key, data in years.items():
                if key != data.year:
                    raise ValueError(f"table key {key} holds data for year {data.year}")
                by_year[key] = data
        else:
            for data in years:
                if data.year in by_year:
                    raise ValueError(f"two data sets for year {data.year}")
                by_year[data.year] = data
        self._years: Mapping[int, CalendarYearData] = MappingProxyType(
            dict(sorted(by_year.items()))
        )

        # One flat lookup so kind() is a single dict probe. Years are applied
        # in ascending order so that when year N+1's notice redefines a
        # December date of year N (it happened for 2011-12-31 and 2018-12-29)
        # the later notice wins.
        explicit: dict[_dt.date, tuple[DayKind, str]] = {}
        for data in self._years.values():
            for day, name in data.holidays.items():
                explicit[day] = (DayKind.HOLIDAY, name)
            for day, name in data.workdays.items():
                explicit[day] = (DayKind.MAKEUP_WORKDAY, name)
        self._explicit = explicit

    @property
    def known_years(self) -> frozenset[int]:
        """Years for which a notice's data is loaded (answers are not provisional)."""
        return frozenset(self._years)

    def year_data(self, year: int) -> CalendarYearData | None:
        """The loaded data for ``year``, or None if the year falls back to the statutory rules."""
        return self._years.get(year)

    def with_year(self, data: CalendarYearData) -> HolidayTable:
        """A new table with ``data`` added, replacing any data already held for that year."""
        years = dict(self._years)
        years[data.year] = data
        return HolidayTable(years)

    def kind(self, day: _dt.date) -> DayInfo:
        """What ``day`` is: its :class:`DayKind`, whether that is known or guessed, and its name.

        Raises :class:`UnknownYear` for a year before 2004 with no data, or a
        year past 2099 with no data; never for a year in between.
        """
        require_date(day)
        known = day.year in self._years
        if not known and not EARLIEST_YEAR <= day.year <= FALLBACK_LAST_YEAR:
            reason = (
                f"years before {EARLIEST_YEAR} are not supported"
                if day.year < EARLIEST_YEAR
                else f"the statutory fallback stops at {FALLBACK_LAST_YEAR}; "
                "import that year's notice"
            )
            raise UnknownYear(day.year, reason)

        hit = self._explicit.get(day)
        if hit is not None:
            return DayInfo(day, hit[0], known, hit[1])
        if not known:
            name = statutory_rest_days(day.year).get(day)
            if name is not None:
                return DayInfo(day, DayKind.HOLIDAY, False, name)
        kind = DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY
        return DayInfo(day, kind, known)

    def is_working_day(self, day: _dt.date) -> bool:
        """True for a 工作日 or a 调休上班日 (known or provisional alike)."""
        return self.kind(day).kind.is_working

    def __repr__(self) -> str:
        years = sorted(self._years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<HolidayTable known years {span} ({len(years)})>"


# English names used by chinese_calendar → the names used in the 放假办法.
_CC_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}


def chinese_calendar_years() -> dict[int, CalendarYearData]:
    """The years the installed ``chinese_calendar`` package knows, as CalendarYearData.

    Reads the package's ``holidays`` and ``workdays`` dicts (date → English
    festival name) directly. Every year from the first to the last date in
    ``holidays`` is included — that is the range chinese_calendar itself
    accepts — even if a year had no entries.
    """
    # importlib rather than an import statement: the package ships no type
    # information, and checking the shapes at run time also catches a future
    # release that reorganises these module attributes.
    module = importlib.import_module("chinese_calendar")
    version = str(getattr(module, "__version__", "unknown"))
    holidays = getattr(module, "holidays", None)
    workdays = getattr(module, "workdays", None)
    if not isinstance(holidays, dict) or not isinstance(workdays, dict) or not holidays:
        raise RuntimeError(
            f"chinese_calendar {version}: expected module-level dicts 'holidays' and 'workdays'"
        )
    holiday_enum = getattr(module, "Holiday", None)

    def name_of(value: object) -> str:
        if isinstance(value, str) and value in _CC_NAMES:
            return _CC_NAMES[value]
        # A festival we have no name for (e.g. the 2015 抗战胜利70周年纪念日):
        # use the package's own Chinese name rather than fail.
        if holiday_enum is not None:
            try:
                return str(holiday_enum(value).chinese)
            except (ValueError, AttributeError):
                pass
        return str(value)

    def dates_of(d: dict[object, object]) -> Iterable[tuple[_dt.date, str]]:
        for day, value in d.items():
            if isinstance(day, _dt.datetime) or not isinstance(day, _dt.date):
                raise RuntimeError(f"chinese_calendar {version}: non-date key {day!r}")
            yield day, name_of(value)

    first = min(holidays).year
    last = max(holidays).year
    per_year_h: dict[int, dict[_dt.date, str]] = {y: {} for y in range(first, last + 1)}
    per_year_w: dict[int, dict[_dt.date, str]] = {y: {} for y in range(first, last + 1)}
    for day, name in dates_of(holidays):
        per_year_h.setdefault(day.year, {})[day] = name
    for day, name in dates_of(workdays):
        per_year_w.setdefault(day.year, {})[day] = name

    source = f"PyPI chinesecalendar {version}"
    return {
        year: CalendarYearData(
            year=year,
            holidays=per_year_h[year],
            workdays=per_year_w.get(year, {}),
            source=source,
        )
        for year in sorted(per_year_h)
    }


def load_data_dir(directory: Path = DATA_DIR) -> dict[int, CalendarYearData]:
    """Every ``YYYY.csv`` year file in ``directory``; other files are ignored.

    A file whose name disagrees with its ``year`` line is an error: the file
    name is what a reviewer sees in a diff.
    """
    out: dict[int, CalendarYearData] = {}
    if not directory.is_dir():
        return out
    for path in sorted(directory.iterdir()):
        match = _YEAR_FILE.match(path.name)
        if not match:
            continue
        data = load_year_file(path)
        if data.year != int(match.group(1)):
            raise CalendarDataError(
                [f"file is named {path.name} but its year line says {data.year}"], origin=str(path)
            )
        out[data.year] = data
    return out


@cache
def default_table() -> HolidayTable:
    """The shared table: chinese_calendar's years overlaid with ``shared/calendar/data/``.

    Built once per process. Files in the data directory replace the
    package's data for their year, so a correction or a new notice can ship
    without waiting for a chinesecalendar release. Administrator imports kept
    in the database are added by the caller with :meth:`HolidayTable.with_year`.
    """
    years = chinese_calendar_years()
    years.update(load_data_dir())
    return HolidayTable(years)

"""Value types of the calendar: what kind of day a date is, and one year's 放假安排.

This module owns the vocabulary shared by the rest of the package:

* :class:`DayKind` — 工作日 / 休息日 (weekend) / 法定节假日 / 调休上班日;
* :class:`DayInfo` — the answer to "what is this date?", including whether the
  answer comes from a published 国务院 notice (``known``) or was guessed from
  the statutory rules because no notice is loaded for that year;
* :class:`CalendarYearData` — the holidays and make-up workdays (调休) that the
  国务院办公厅 notice for one year announces;
* the errors :class:`UnknownYear` and :class:`CalendarDataError`.

Nothing here knows where data comes from or how periods are counted.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "EARLIEST_YEAR",
    "CalendarDataError",
    "CalendarYearData",
    "DayInfo",
    "DayKind",
    "UnknownYear",
    "entry_problems",
    "require_date",
    "validate_year_entries",
]

#: The first year the calendar answers for. chinese_calendar's data starts in
#: 2004; before that we have neither notices nor a reason to guess, and a
#: deadline computed silently on weekends-only for 2003 would look authoritative.
EARLIEST_YEAR = 2004


class UnknownYear(LookupError):
    """Raised for a date the calendar refuses to classify.

    That is a year before :data:`EARLIEST_YEAR` (we never guess into the past),
    or a year with no loaded notice that is also beyond the statutory fallback's
    horizon (the embedded lunar table and the 清明 formula stop at 2099).
    """

    def __init__(self, year: int, reason: str) -> None:
        super().__init__(f"no calendar data for year {year}: {reason}")
        self.year = year
        self.reason = reason


class CalendarDataError(ValueError):
    """Holiday data that contradicts itself or the calendar.

    ``errors`` lists every problem found (not just the first), so an
    administrator importing a year file can fix them all in one pass.
    """

    def __init__(self, errors: list[str], *, origin: str | None = None) -> None:
        self.errors = list(errors)
        self.origin = origin
        head = f"{origin}: " if origin else ""
        if len(self.errors) == 1:
            message = head + self.errors[0]
        else:
            message = head + f"{len(self.errors)} problems:\n  " + "\n  ".join(self.errors)
        super().__init__(message)


class DayKind(enum.Enum):
    """How a single date is treated for counting 期间."""

    #: 工作日: Monday–Friday with no holiday on it.
    WORKDAY = "workday"
    #: 休息日: Saturday or Sunday that is not a 调休 make-up workday.
    WEEKEND = "weekend"
    #: 法定节假日, including the weekday rest days a notice adds by 调休 and the
    #: weekends inside a 放假 block when the data lists them.
    HOLIDAY = "holiday"
    #: 调休上班日: a Saturday or Sunday that a notice turns into a working day.
    MAKEUP_WORKDAY = "makeup_workday"

    @property
    def is_working(self) -> bool:
        """True for 工作日 and 调休上班日: the days on which a period may end."""
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What one date is, and how sure we are.

    ``known`` is False when no 国务院 notice for the date's year is loaded and
    the answer was derived from the statutory rules (weekends plus the fixed
    days of 《全国年节及纪念日放假办法》); such an answer ignores 调休 and
    补假 and must be shown as provisional.
    """

    day: _dt.date
    kind: DayKind
    known: bool
    #: Holiday name (e.g. "春节", "中秋节、国庆节") for HOLIDAY and
    #: MAKEUP_WORKDAY; None for ordinary days.
    name: str | None = None

    @property
    def is_working(self) -> bool:
        return self.kind.is_working

    @property
    def provisional(self) -> bool:
        return not self.known


def require_date(day: object) -> None:
    """Reject anything but a plain ``date``.

    A datetime is a date subclass, but which *calendar* day it is depends on
    the time zone; callers must convert with ``clock.beijing_date()`` first.
    """
    if isinstance(day, _dt.datetime):
        raise TypeError("pass a date, not a datetime; use clock.beijing_date() to convert")
    if not isinstance(day, _dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")


def _frozen(mapping: Mapping[_dt.date, str]) -> Mapping[_dt.date, str]:
    # Copy before wrapping so that a caller mutating its own dict afterwards
    # cannot change a table that is already in use (tables are shared/cached).
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class CalendarYearData:
    """One year's 放假安排 as announced by the 国务院办公厅 notice.

    ``holidays`` maps each rest day the notice announces to its festival name;
    it may include the weekends inside a 放假 block (chinese_calendar lists
    most of them) — that is harmless, a weekend is a rest day anyway.
    ``workdays`` maps each 调休上班 Saturday/Sunday to the festival it serves.

    Dates must lie in ``year``, or in December of ``year - 1``: a notice
    sometimes reaches back across New Year (the 2012 notice made Saturday
    2011-12-31 a workday; the 2019 notice did the same for 2018-12-29). When
    two years' data disagree about such a date, the later notice wins.

    ``source`` and ``published`` record where the data came from (notice
    number, or the package it was read from) so a deadline can be traced.
    """

    year: int
    holidays: Mapping[_dt.date, str]
    workdays: Mapping[_dt.date, str]
    source: str = ""
    published: _dt.date | None = None

    def __post_init__(self) -> None:
        errors = validate_year_entries(self.year, self.holidays, self.workdays)
        if self.published is not None and (
            isinstance(self.published, _dt.datetime) or not isinstance(self.published, _dt.date)
        ):
            errors.append(f"published must be a date, got {self.published!r}")
        if errors:
            raise CalendarDataError(errors, origin=f"calendar data for {self.year}")
        object.__setattr__(self, "holidays", _frozen(self.holidays))
        object.__setattr__(self, "workdays", _frozen(self.workdays))

    def covers(self, day: _dt.date) -> bool:
        """Whether ``day`` may appear in this year's data (own year or previous December)."""
        return day.year == self.year or (day.year == self.year - 1 and day.month == 12)


def entry_problems(year: int, day: object, kind: str, name: object) -> list[str]:
    """Problems with one entry of ``year``'s data; ``kind`` is "holiday" or "workday"."""
    if isinstance(day, _dt.datetime) or not isinstance(day, _dt.date):
        return [f"{kind} {day!r}: not a date"]
    problems: list[str] = []
    if not (day.year == year or (day.year == year - 1 and day.month == 12)):
        problems.append(
            f"{kind} {day.isoformat()}: not in {year} "
            f"(only {year} and December {year - 1} are allowed in {year}'s data)"
        )
    if kind == "workday" and day.weekday() < 5:
        problems.append(
            f"workday {day.isoformat()}: is a {day.strftime('%A')}; "
            "a 调休 workday must be a Saturday or Sunday"
        )
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{kind} {day.isoformat()}: empty name")
    return problems


def validate_year_entries(
    year: int,
    holidays: Mapping[_dt.date, str],
    workdays: Mapping[_dt.date, str],
) -> list[str]:
    """Every problem with one year's entries, as human-readable strings.

    Shared by :class:`CalendarYearData` and the file parser so both refuse the
    same things. Rules:

    * dates are plain ``date`` objects in ``year`` or December of ``year - 1``;
    * no date is both a holiday and a workday;
    * a workday (调休上班) is a Saturday or Sunday — a notice never needs to
      declare a Monday–Friday a workday, so listing one is a typo;
    * a holiday may be any day, weekends included: notices announce blocks
      such as "10月1日至8日放假调休" whose weekends chinese_calendar lists;
    * names are non-empty.
    """
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9998:
        return [f"year must be an integer between 1900 and 9998, got {year!r}"]
    errors: list[str] = []
    for day, name in holidays.items():
        errors += entry_problems(year, day, "holiday", name)
    for day, name in workdays.items():
        errors += entry_problems(year, day, "workday", name)
    both = {d for d in set(holidays) & set(workdays) if isinstance(d, _dt.date)}
    for day in sorted(both):
        errors.append(f"{day.isoformat()}: listed as both holiday and workday")
    return errors

"""Stored holiday years (国务院办公厅 放假安排): import and list them, and the HolidayTable they make.

The table is ``shared.calendar.default_table()`` (chinesecalendar's years plus the files in
``shared/calendar/data/``) with every year an administrator imported laid over it; an imported
year replaces the package's data for that year. It is cached per process and rebuilt when the
stored years change (one small query per call tells).

This package knows nothing of what the table is used for: recomputing the deadlines a new year
changes is the deadline engine's flow (``services/review/deadlines/flows.py``), which calls
:func:`store_year` and then :func:`holiday_table`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.holidays.models import CalendarYear
from shared.calendar import CalendarDataError, HolidayTable, default_table, load_year_file
from shared.db.base import utcnow
from shared.errors import DomainError


class InvalidYearFile(DomainError):
    code = "invalid_calendar_year_file"
    message_en = "The holiday year file is invalid"
    message_zh = "节假日数据文件有误"


_cache_lock = threading.Lock()
_cache: dict[tuple[tuple[int, datetime], ...], HolidayTable] = {}


def holiday_table(session: Session) -> HolidayTable:
    """default_table() plus the stored years; cached until the stored years change."""
    signature = tuple((y, at) for y, at in session.execute(
        select(CalendarYear.year, CalendarYear.imported_at).order_by(CalendarYear.year)
    ))
    with _cache_lock:
        cached = _cache.get(signature)
    if cached is not None:
        return cached
    table = default_table()
    for row in session.scalars(select(CalendarYear).order_by(CalendarYear.year)):
        # Stored text was validated on import; a statutory check that fails now would mean the
        # 办法 changed under it, which must not take deadlines down.
        table = table.with_year(load_year_file(row.text, check_statutory=False))
    with _cache_lock:
        _cache.clear()
        _cache[signature] = table
    return table


def store_year(session: Session, *, text: str, imported_by: str) -> CalendarYear:
    """Validate a year file (shared/calendar/FORMAT.md) and store it, replacing that year's row."""
    if "\n" not in text:
        text += "\n"  # load_year_file treats one-line strings as paths
    try:
        data = load_year_file(text)
    except CalendarDataError as exc:
        raise InvalidYearFile(problems=exc.errors) from exc
    row = session.get(CalendarYear, data.year)
    if row is None:
        row = CalendarYear(year=data.year)
        session.add(row)
    row.source = data.source[:400]
    row.published = data.published
    row.text = text
    row.imported_at = utcnow()
    row.imported_by = imported_by
    session.flush()
    return row


@dataclass(frozen=True)
class KnownYear:
    year: int
    source: str
    published: date | None
    stored: bool
    imported_at: datetime | None = None
    imported_by: str | None = None


def list_years(session: Session) -> list[KnownYear]:
    """Every year the calendar knows: the package's and data files' years, and stored imports."""
    stored = {row.year: row for row in session.scalars(select(CalendarYear))}
    base = default_table()
    out: list[KnownYear] = []
    for year in sorted(base.known_years | set(stored)):
        row = stored.get(year)
        if row is not None:
            out.append(KnownYear(year, row.source, row.published, True, row.imported_at, row.imported_by))
        else:
            data = base.year_data(year)
            assert data is not None
            out.append(KnownYear(year, data.source, data.published, False))
    return out

"""Use cases of the deadline engine that span another review domain.

Importing a holiday year (`huhang calendar import`) is two steps in one transaction: store the
year (``services.review.holidays``), then recompute every open deadline it may move, each change
with its ``recomputed`` history row and ``deadline.recomputed`` event. The flow lives here, on the
deadlines side, because the dependency already points this way (the engine counts with the
holiday table); ``holidays`` stays a plain store of 放假安排 that knows nothing of deadlines, so the
two no longer import each other. Like every service function, a flow flushes and never commits:
the caller (the CLI command, a test) owns the transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.deadlines.recompute import recompute_open
from services.review.holidays.models import CalendarYear
from services.review.holidays.service import holiday_table, store_year


def import_year(session: Session, *, text: str, imported_by: str) -> tuple[CalendarYear, list[str]]:
    """Store a year and recompute every open deadline it may change (期间 re-counted); returns the
    row and the ids of the deadlines whose due date or provisional flag changed."""
    row = store_year(session, text=text, imported_by=imported_by)
    changed = recompute_open(
        session, table=holiday_table(session), year=row.year, actor=imported_by, reason="calendar_imported"
    )
    return row, changed

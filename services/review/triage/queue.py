"""The triage queue as people work it (分流队列): filters, counts per status, nearest due date first, keyset pages.

One query reads a page: the items joined to the nearest open 期限 of each petition (a grouped
subquery over the open deadlines), scoped to the units the principal sees; a second counts the
items per status under the same filters.  Pages are addressed by key (the last row's due date
and id), so page 2,000 costs what page 1 does.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN, Deadline
from services.review.triage.models import TriageItem
from services.review.triage.schemas import QUEUE_STATUSES
from shared.auth import Principal, scope
from shared.errors import DomainError

STATUSES = QUEUE_STATUSES
# A petition with no running clock (none attached, or every one paused) sorts after every date.
NO_DUE = _dt.date(9999, 12, 31)


class BadCursor(DomainError):
    """The `after` parameter is not a cursor this queue wrote."""

    code = "bad_cursor"
    message_en = "The page cursor (after) is not valid: start again from the first page"
    message_zh = "翻页参数无效，请从第一页重新开始"


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    line: str | None = None
    channel: str | None = None
    is_enterprise: bool | None = None
    due_within_days: int | None = None  # the nearest 期限 falls within N days from today (or is overdue)
    overdue: bool = False
    case_number: str | None = None  # a prefix of the case number


@dataclass(frozen=True)
class QueueRow:
    item: TriageItem
    next_due_on: _dt.date | None
    open_deadlines: int


@dataclass
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def filters_from(args: dict[str, Any]) -> QueueFilters:
    """The filters of a parsed QueueArgs (the page's query string or the API's)."""
    enterprise = args.get("enterprise")
    return QueueFilters(
        status=args.get("status"), line=args.get("line"), channel=args.get("channel"),
        is_enterprise=None if enterprise is None else enterprise == "yes",
        due_within_days=args.get("due_within"), overdue=args.get("overdue") == "1",
        case_number=args.get("case_number"),
    )


def encode_cursor(row: QueueRow) -> str:
    return f"{(row.next_due_on or NO_DUE).isoformat()}~{row.item.id}"


def decode_cursor(value: str) -> tuple[_dt.date, str]:
    day, sep, item_id = value.partition("~")
    try:
        if not sep or not item_id or len(item_id) > 36:
            raise ValueError(value)
        return _dt.date.fromisoformat(day), item_id
    except ValueError:
        raise BadCursor(after=value[:60]) from None


def _nearest_due() -> Any:
    return (
        select(Deadline.subject.label("subject"), func.min(Deadline.due_on).label("next_due_on"),
               func.count().label("open_deadlines"))
        .where(Deadline.status == OPEN)
        .group_by(Deadline.subject)
        .subquery("nearest")
    )


def _filtered(query: Select[Any], nearest: Any, filters: QueueFilters, today: _dt.date,
              *, with_status: bool) -> Select[Any]:
    if with_status and filters.status is not None:
        query = query.where(TriageItem.status == filters.status)
    if filters.line is not None:
        query = query.where(TriageItem.line == filters.line)
    if filters.channel is not None:
        query = query.where(TriageItem.channel == filters.channel)
    if filters.is_enterprise is not None:
        query = query.where(TriageItem.is_enterprise == filters.is_enterprise)
    if filters.case_number:
        query = query.where(TriageItem.case_number.startswith(filters.case_number, autoescape=True))
    if filters.overdue:
        query = query.where(nearest.c.next_due_on < today)
    if filters.due_within_days is not None:
        query = query.where(nearest.c.next_due_on <= today + _dt.timedelta(days=filters.due_within_days))
    return query


def page(
    session: Session, *, principal: Principal, filters: QueueFilters, today: _dt.date, limit: int = 50,
    after: str | None = None,
) -> QueuePage:
    """One page of the queue, nearest due date first; `after` is the cursor of the previous page's last row."""
    nearest = _nearest_due()
    # A typed bind, not CAST(... AS DATE): SQLite gives a CAST to DATE numeric affinity (9999), which
    # sorts before every date stored as text, so paused petitions came first and a cursor on one lost rows.
    due_key = func.coalesce(nearest.c.next_due_on, literal(NO_DUE, Date))
    query = (
        select(TriageItem, nearest.c.next_due_on, func.coalesce(nearest.c.open_deadlines, 0))
        .outerjoin(nearest, nearest.c.subject == TriageItem.petition_id)
    )
    query = _filtered(scope(query, TriageItem.unit_code, principal), nearest, filters, today, with_status=True)
    if after is not None:
        day, item_id = decode_cursor(after)
        query = query.where(or_(due_key > day, and_(due_key == day, TriageItem.id > item_id)))
    result = session.execute(query.order_by(due_key, TriageItem.id).limit(limit + 1)).all()
    rows = [QueueRow(item, due, int(count)) for item, due, count in result]
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    counts_query = select(TriageItem.status, func.count()).select_from(TriageItem).group_by(TriageItem.status)
    if filters.overdue or filters.due_within_days is not None:
        # Only a due-date filter needs the deadlines: the grouped subquery has one row per
        # petition, so without such a filter the join changes no count and is skipped.
        counts_query = counts_query.outerjoin(nearest, nearest.c.subject == TriageItem.petition_id)
    counts_query = _filtered(scope(counts_query, TriageItem.unit_code, principal), nearest, filters, today,
                             with_status=False)
    counts = {status: 0 for status in STATUSES}
    counts.update({status: int(n) for status, n in session.execute(counts_query).all()})
    return QueuePage(rows[:limit], next_cursor, counts)

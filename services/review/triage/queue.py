"""The triage queue as people work it (分流队列): filters, counts per status, nearest due date first, keyset pages.

One query reads a page: the items, sorted on their copy of the nearest running 期限
(``next_due_on``, kept by triage/due.py) over an index, scoped to the units the principal sees
(triage/access.py), joined to one row of counts per status under the same filters (the status
filter aside), and to each row's count of open 期限.  One statement, however many rows: no
per-row query.  Pages are addressed by key (the last row's due date and id), so page 2,000
costs what page 1 does.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, true, union_all
from sqlalchemy.orm import Session, aliased

from services.review.deadlines.models import OPEN, Deadline
from services.review.triage.models import TriageItem
from services.review.triage.schemas import QUEUE_STATUSES
from services.review.triage.access import visible
from shared.auth import Principal
from shared.errors import DomainError

STATUSES = QUEUE_STATUSES
# A petition with no running clock (none attached, or every one paused) sorts after every date;
# its cursor says so with this key instead of a date.
NO_DUE_KEY = "none"


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
    category: str | None = None  # as classified, else as registered
    unit: str | None = None  # the receiving or the handling unit
    handling_unit: str | None = None
    supervised: bool | None = None  # under 督办 (True) or not (False)


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
    supervised = args.get("supervised")
    return QueueFilters(
        status=args.get("status"), line=args.get("line"), channel=args.get("channel"),
        is_enterprise=None if enterprise is None else enterprise == "yes",
        due_within_days=args.get("due_within"), overdue=args.get("overdue") == "1",
        case_number=args.get("case_number"), category=args.get("category"), unit=args.get("unit"),
        handling_unit=args.get("handling_unit"), supervised=None if supervised is None else supervised == "yes",
    )


def encode_cursor(row: QueueRow) -> str:
    return f"{row.next_due_on.isoformat() if row.next_due_on else NO_DUE_KEY}~{row.item.id}"


def decode_cursor(value: str) -> tuple[_dt.date | None, str]:
    day, sep, item_id = value.partition("~")
    try:
        if not sep or not item_id or len(item_id) > 36:
            raise ValueError(value)
        return (None if day == NO_DUE_KEY else _dt.date.fromisoformat(day)), item_id
    except ValueError:
        raise BadCursor(after=value[:60]) from None


def _filtered(query: Select[Any], filters: QueueFilters, today: _dt.date, *, with_status: bool) -> Select[Any]:
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
    if filters.category is not None:
        # Spelled as an OR of the two columns (not coalesce) so the planner estimates it from their statistics.
        query = query.where(or_(TriageItem.category == filters.category,
                                and_(TriageItem.category.is_(None), TriageItem.petition_type == filters.category)))
    if filters.unit is not None:
        query = query.where(or_(TriageItem.unit_code == filters.unit, TriageItem.handling_unit_code == filters.unit))
    if filters.handling_unit is not None:
        query = query.where(TriageItem.handling_unit_code == filters.handling_unit)
    if filters.supervised is not None:
        query = query.where(TriageItem.supervised.is_(filters.supervised))
    if filters.overdue:
        query = query.where(TriageItem.next_due_on < today)
    if filters.due_within_days is not None:
        query = query.where(TriageItem.next_due_on <= today + _dt.timedelta(days=filters.due_within_days))
    return query


def _units(principal: Principal | None) -> list[str] | None:
    """The units the principal sees, when they are a list (None: every unit, or a system caller)."""
    if principal is None or principal.visible_units is None:
        return None
    return sorted(principal.visible_units)


def _unit_branches(query: Select[Any], units: list[str], *, each: bool = True) -> list[Select[Any]]:
    """The visible items as disjoint branches: by receiving unit, then by handling unit where the
    receiving one is not seen. ``each``: one branch per unit (for the ordered page), else two."""
    unseen = or_(TriageItem.unit_code.is_(None), TriageItem.unit_code.not_in(units))
    if not each:
        return [query.where(TriageItem.unit_code.in_(units)),
                query.where(TriageItem.handling_unit_code.in_(units), unseen)]
    return ([query.where(TriageItem.unit_code == unit) for unit in units]
            + [query.where(TriageItem.handling_unit_code == unit, unseen) for unit in units])


def _keyset(query: Select[Any], after: str | None) -> Select[Any]:
    """Rows after the cursor in (next_due_on nulls last, id) order."""
    if after is None:
        return query
    day, item_id = decode_cursor(after)
    if day is None:
        return query.where(TriageItem.next_due_on.is_(None), TriageItem.id > item_id)
    return query.where(or_(TriageItem.next_due_on > day, and_(TriageItem.next_due_on == day, TriageItem.id > item_id),
                           TriageItem.next_due_on.is_(None)))


def page(
    session: Session, *, principal: Principal, filters: QueueFilters, today: _dt.date, limit: int = 50,
    after: str | None = None,
) -> QueuePage:
    """One page of the queue, nearest due date first (none running: last); `after` is the previous page's cursor.

    One statement: the page (a keyset subquery over the due-date index) outer-joined to the one row
    of counts, so an empty page still carries its counts.
    """
    units = _units(principal)
    rows_query = _keyset(_filtered(visible(select(TriageItem), principal), filters, today, with_status=True), after)
    if units:
        # The access path (scoping stays visible()'s, above): each visible unit's own keyset page
        # off its (unit, next_due_on, id) index, so an OR of IN-lists never forces a scan of
        # every row of the units and a sort.
        branches = [_keyset(_filtered(branch, filters, today, with_status=True), after)
                    .order_by(TriageItem.next_due_on.asc().nulls_last(), TriageItem.id).limit(limit + 1).subquery()
                    for branch in _unit_branches(select(TriageItem.id), units)]
        rows_query = rows_query.where(TriageItem.id.in_(union_all(*[select(b.c.id) for b in branches])))
    rows = (rows_query.order_by(TriageItem.next_due_on.asc().nulls_last(), TriageItem.id)
            .limit(limit + 1).subquery("page"))
    row = aliased(TriageItem, rows)
    counters = [func.count().filter(TriageItem.status == s).label(f"n_{s}") for s in STATUSES]
    if units:
        # Counted per branch (receiving unit; handling unit when the receiving one is not seen):
        # each an index-only scan of (unit, status) when no other filter applies.
        parts = [_filtered(branch, filters, today, with_status=False).subquery()
                 for branch in _unit_branches(select(*counters).select_from(TriageItem), units, each=False)]
        counts = select(*[(parts[0].c[f"n_{s}"] + parts[1].c[f"n_{s}"]).label(f"n_{s}") for s in STATUSES]
                        ).select_from(parts[0]).join(parts[1], true()).subquery("counts")
    else:
        counts = _filtered(visible(select(*counters).select_from(TriageItem), principal), filters, today,
                           with_status=False).subquery("counts")
    open_deadlines = (select(func.count()).select_from(Deadline)
                      .where(Deadline.subject == row.petition_id, Deadline.status == OPEN).scalar_subquery())
    statement = (select(counts, row, open_deadlines).select_from(counts).outerjoin(rows, true())
                 .order_by(rows.c.next_due_on.asc().nulls_last(), rows.c.id))
    result = session.execute(statement).all()
    n = len(STATUSES)
    totals = {status: int(result[0][i] or 0) for i, status in enumerate(STATUSES)} if result else \
        {status: 0 for status in STATUSES}
    found = [QueueRow(r[n], r[n].next_due_on, int(r[n + 1])) for r in result if r[n] is not None]
    next_cursor = encode_cursor(found[limit - 1]) if len(found) > limit else None
    return QueuePage(found[:limit], next_cursor, totals)

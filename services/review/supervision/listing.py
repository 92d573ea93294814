"""The 督办 list: every 督办 (挂牌 and escalated) the caller sees, nearest due date first, keyset pages.

One query reads a page: the 督办 joined to its item (case number, status), scoped to the units
the principal sees by the supervised unit (a unit above sees every unit below, so the supervising
unit sees its own 督办 too; the task force sees all), sorted on the 督办's copy of its own due date
(``sort_due_on``: ``due_on``, or a date after all others while paused) over an index.  Pages are addressed by key (the last row's due date and id).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Select, false, literal, select, tuple_
from sqlalchemy.orm import Session

from services.review.supervision.models import UNCLOSED, Supervision
from services.review.triage.models import TriageItem
from shared.auth import Principal
from shared.errors import DomainError

OPEN_STATES = "unclosed"  # the state filter's value for "every state but closed"


class BadCursor(DomainError):
    code = "bad_cursor"
    message_en = "The page cursor (after) is not valid: start again from the first page"
    message_zh = "翻页参数无效，请从第一页重新开始"


@dataclass(frozen=True)
class ListFilters:
    state: str | None = None  # one of models.STATES, or OPEN_STATES
    kind: str | None = None
    supervised_unit: str | None = None
    supervising_unit: str | None = None
    overdue: bool = False
    case_number: str | None = None  # a prefix


@dataclass(frozen=True)
class ListRow:
    supervision: Supervision
    case_number: str
    item_status: str
    today: _dt.date

    @property
    def overdue(self) -> bool:
        return self.supervision.overdue(self.today)

    def __getattr__(self, name: str) -> Any:  # the API's schema reads the 督办's fields off the row
        return getattr(self.supervision, name)


@dataclass
class ListPage:
    rows: list[ListRow]
    next_cursor: str | None


def filters_from(args: dict[str, Any]) -> ListFilters:
    return ListFilters(state=args.get("state"), kind=args.get("kind"), supervised_unit=args.get("supervised_unit"),
                       supervising_unit=args.get("supervising_unit"), overdue=bool(args.get("overdue")),
                       case_number=args.get("case_number"))


def encode_cursor(supervision: Supervision) -> str:
    """The key of a row: its sort date (NO_DUE_DATE while paused) and id."""
    return f"{supervision.sort_due_on.isoformat()}~{supervision.id}"


def decode_cursor(value: str) -> tuple[_dt.date, str]:
    day, sep, key = value.partition("~")
    try:
        if not sep or not key or len(key) > 36:
            raise ValueError(value)
        return _dt.date.fromisoformat(day), key
    except ValueError:
        raise BadCursor(after=value[:60]) from None


def scoped(query: Select[Any], principal: Principal | None) -> Select[Any]:
    """``query`` (over supervisions) narrowed to the 督办 the principal sees."""
    if principal is None or principal.visible_units is None:
        return query
    if not principal.visible_units:
        return query.where(false())
    return query.where(Supervision.supervised_unit_code.in_(sorted(principal.visible_units)))


def filtered(query: Select[Any], filters: ListFilters, today: _dt.date) -> Select[Any]:
    if filters.state == OPEN_STATES:
        query = query.where(Supervision.state.in_(UNCLOSED))
    elif filters.state is not None:
        query = query.where(Supervision.state == filters.state)
    if filters.kind is not None:
        query = query.where(Supervision.kind == filters.kind)
    if filters.supervised_unit is not None:
        query = query.where(Supervision.supervised_unit_code == filters.supervised_unit)
    if filters.supervising_unit is not None:
        query = query.where(Supervision.supervising_unit_code == filters.supervising_unit)
    if filters.overdue:
        # sort_due_on is due_on where there is one (and never before today where there is none).
        query = query.where(Supervision.state.in_(UNCLOSED), Supervision.sort_due_on < today)
    if filters.case_number:
        query = query.where(TriageItem.case_number.startswith(filters.case_number, autoescape=True))
    return query


def after_key(query: Select[Any], after: str | None) -> Select[Any]:
    if after is None:
        return query
    day, key = decode_cursor(after)
    return query.where(tuple_(Supervision.sort_due_on, Supervision.id) > tuple_(literal(day, Date()), literal(key)))


def page(
    session: Session, *, principal: Principal | None, filters: ListFilters, today: _dt.date, limit: int = 50,
    after: str | None = None,
) -> ListPage:
    """One page of the 督办 list, nearest due date first (paused: last); ``after``: the previous page's cursor."""
    query = select(Supervision, TriageItem.case_number, TriageItem.status).join(
        TriageItem, TriageItem.petition_id == Supervision.petition_id)
    query = after_key(filtered(scoped(query, principal), filters, today), after)
    result = session.execute(query.order_by(Supervision.sort_due_on, Supervision.id)
                             .limit(limit + 1)).all()
    rows = [ListRow(s, case_number, status, today) for s, case_number, status in result]
    next_cursor = encode_cursor(rows[limit - 1].supervision) if len(rows) > limit else None
    return ListPage(rows[:limit], next_cursor)

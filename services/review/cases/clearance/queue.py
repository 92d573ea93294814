"""The 挂案 queue: the cases a person sees, filtered by unit, status, flagged rule and age, keyset pages.

Order: oldest first.  Without a rule filter that is the 立案 date (``filed_on``, then id: the
hanging index ``ix_hanging_cases_unit_status_filed``); with a rule filter it is the flag's period
start (``started_on``), which for one rule is "most overdue first" (the same period counted from an
earlier day ended earlier; ``ix_hanging_clearance_flags_unit_rule``).  Pages are addressed by the
last row's key (date and id), so a page is one index range whatever the page number.
"""

from __future__ import annotations

import base64
import datetime as _dt
from dataclasses import dataclass, field

from sqlalchemy import Date, and_, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from services.review.cases.clearance.access import visible
from services.review.cases.clearance.models import ClearanceFlag
from services.review.cases.hanging.models import HangingCase
from shared.auth import Principal
from shared.errors import DomainError


class BadCursor(DomainError):
    code = "bad_cursor"
    message_en = "The page cursor (after) is not valid: start again from the first page"
    message_zh = "翻页参数无效，请从第一页重新开始"


@dataclass(frozen=True)
class Filters:
    unit: str | None = None
    status: str | None = None
    rule: str | None = None
    min_age_days: int | None = None  # days since 立案


@dataclass(frozen=True)
class Row:
    case: HangingCase
    key_on: _dt.date  # filed_on, or the flag's started_on with a rule filter
    age_days: int
    rules: tuple[str, ...]  # its open flags' rules


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)
    next_cursor: str | None = None


def encode(day: _dt.date, case_id: str) -> str:
    return base64.urlsafe_b64encode(f"{day.isoformat()}|{case_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[_dt.date, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, case_id = raw.split("|", 1)
        return _dt.date.fromisoformat(day), case_id[:36]
    except (ValueError, UnicodeDecodeError):
        raise BadCursor() from None


def page(session: Session, *, principal: Principal | None, filters: Filters, today: _dt.date, limit: int,
         after: str | None = None) -> Page:
    c, f = HangingCase, ClearanceFlag
    if filters.rule:
        key = f.started_on
        query = select(c, f.started_on).join(f, and_(f.case_id == c.id, f.rule_code == filters.rule))
    else:
        key = c.filed_on
        query = select(c, c.filed_on)
    query = visible(query, principal)
    if filters.unit:
        query = query.where(c.unit_code == filters.unit)
    if filters.status:
        query = query.where(c.status == filters.status)
    if filters.min_age_days is not None:
        query = query.where(c.filed_on <= today - _dt.timedelta(days=filters.min_age_days))
    if after:
        day, case_id = decode(after)
        query = query.where(or_(key > literal(day, Date), and_(key == literal(day, Date), c.id > case_id)))
    rows = session.execute(query.order_by(key, c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0].id for r in rows]
    flagged: dict[str, list[str]] = {}
    if ids:
        for case_id, rule in session.execute(select(f.case_id, f.rule_code).where(
                f.case_id.in_(ids), f.resolved_on.is_(None)).order_by(f.rule_code)):
            flagged.setdefault(case_id, []).append(rule)
    out = [Row(case, day, (today - case.filed_on).days, tuple(flagged.get(case.id, ()))) for case, day in rows]
    return Page(out, encode(out[-1].key_on, out[-1].case.id) if more and out else None)


def counts_by_rule(session: Session, *, principal: Principal | None) -> dict[str, int]:
    """Open flags per rule the person sees (the queue's filter shows them)."""
    query = visible(select(ClearanceFlag.rule_code, func.count()).where(ClearanceFlag.resolved_on.is_(None)),
                    principal, ClearanceFlag.unit_code).group_by(ClearanceFlag.rule_code)
    return {rule: int(n) for rule, n in session.execute(query)}


__all__ = ["Filters", "Page", "Row", "page", "BadCursor", "counts_by_rule", "exists"]

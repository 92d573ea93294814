"""What the home page shows each role: the 期限 due today and overdue, the queue waiting, the accounts locked.

Read through the same scoped queries as the API, so a unit's officer sees only the units they see.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN, Deadline
from services.review.identity.accounts.models import StaffAccount
from services.review.triage.models import TriageItem
from shared.auth import Principal, scope
from shared.auth.principal import CASE_ROLES
from shared.calendar import beijing_today

LIST_SIZE = 10


@dataclass
class HomeWork:
    """The parts of the home page; a part a role has no business with stays None."""

    due_today: list[Deadline] | None = None
    due_today_count: int = 0
    overdue: list[Deadline] | None = None
    overdue_count: int = 0
    pending_triage: int | None = None
    locked_accounts: list[StaffAccount] | None = None
    links: list[tuple[str, str]] = field(default_factory=list)


def today() -> _dt.date:
    return beijing_today()


def _deadlines(session: Session, principal: Principal, condition: Any) -> tuple[list[Deadline], int]:
    base = scope(select(Deadline), Deadline.unit_code, principal).where(Deadline.status == OPEN, condition)
    rows = list(session.scalars(base.order_by(Deadline.due_on, Deadline.id).limit(LIST_SIZE)))
    count = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    return rows, count


def work_of(session: Session, principal: Principal, *, on: _dt.date | None = None,
            now: _dt.datetime | None = None) -> HomeWork:
    """The home page's parts for `principal`: due `on` (today) and before, and the locks still running at `now`."""
    day = on or today()
    work = HomeWork()
    if principal.has_role(*CASE_ROLES):
        work.due_today, work.due_today_count = _deadlines(session, principal, Deadline.due_on == day)
        work.overdue, work.overdue_count = _deadlines(session, principal, Deadline.due_on < day)
    if principal.has_role("triage_officer", "case_handler", "unit_leader", "task_force"):
        pending = scope(select(TriageItem), TriageItem.unit_code, principal).where(TriageItem.status == "pending")
        work.pending_triage = session.scalar(select(func.count()).select_from(pending.subquery())) or 0
    if principal.has_role("admin"):
        now = now or _dt.datetime.now(_dt.timezone.utc)
        work.locked_accounts = list(session.scalars(
            select(StaffAccount).where(StaffAccount.locked_until > now).order_by(StaffAccount.username)))
        work.links.append(("/admin/accounts", "账户管理"))
        work.links.append(("/admin/units", "单位"))
    if principal.has_role("auditor"):
        work.links.extend([("/audit/intake", "受理审计日志"), ("/audit/review", "审查审计日志"),
                           ("/audit/notify", "通知审计日志")])
    return work

"""Who sees a 挂案 and who acts on it (the contract's access for 挂案, as triage/access.py does for 事项).

* Reading: ``prosecutor`` and ``unit_leader`` of the case's supervising unit and of the units above
  it, and the task force (every unit).  Another unit's case does not exist for them (404).
* Acting (actions, replies, outcomes, property): only the case's own unit's prosecutors
  (``require_acts_for``: a unit above reads and may set up a campaign, but never acts for the unit
  below).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from services.review.cases.hanging.models import OPEN, HangingCase
from services.review.triage.access import NotYourUnit, WrongState, require_acts_for
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.errors import NotFound

READERS = ("prosecutor", "unit_leader", "task_force")
ACTORS = ("prosecutor",)
#: Who sets up a 专项清理 (over units they see).
CAMPAIGNERS = ("prosecutor", "unit_leader", "task_force")

Q = TypeVar("Q", bound=Select[Any])


class CaseNotFound(NotFound):
    code = "hanging_case_not_found"
    message_zh = "未找到该挂案"
    message_en = "No such hanging case"


def visible(query: Q, principal: Principal | None, column: Any = HangingCase.unit_code) -> Q:
    """``query`` narrowed to the units the principal sees (None: a system caller sees all)."""
    if principal is None or principal.visible_units is None:
        return query
    if not principal.visible_units:
        return query.where(false())
    return query.where(column.in_(sorted(principal.visible_units)))


def get_case(session: Session, case_id: str, *, principal: Principal | None, for_update: bool = False) -> HangingCase:
    query = select(HangingCase).where(HangingCase.id == case_id[:36])
    if for_update:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None or not can_see(principal, row.unit_code):
        raise CaseNotFound(case_id=case_id[:40])
    return row


def require_open(case: HangingCase) -> None:
    if case.status != OPEN:
        raise WrongState(status=case.status, allowed=[OPEN])


def may_act(principal: Principal, case: HangingCase) -> bool:
    return principal.has_role(*ACTORS) and principal.unit_code == case.unit_code


__all__ = ["READERS", "ACTORS", "CAMPAIGNERS", "CaseNotFound", "NotYourUnit", "WrongState", "get_case",
           "require_acts_for", "require_open", "visible", "may_act"]

"""Who sees a 事项 and who may act on it (every workflow step checks through here).

* Seeing: a person sees an item when its receiving unit (``unit_code``) or its handling unit
  (``handling_unit_code``) is among the units they see (their unit and those below it; the task
  force every unit).  Otherwise the item does not exist for them (404, existence not revealed).
* Acting *for* a unit (分流 for the receiving unit, 答复 for the handling unit): only that unit's
  own people.  A unit above sees the item and may 督办 it, but never answers for the unit below.
* Supervising (督办): a unit strictly above the handling unit, or the task force.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from services.review.triage.models import TriageItem
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.errors import DomainError, ErrorKind, NotFound

Q = TypeVar("Q", bound=Select[Any])


class ItemNotFound(NotFound):
    code = "item_not_found"
    message_zh = "未找到该事项"
    message_en = "No such matter"


class NotYourUnit(DomainError):
    """Seen but not this person's to act on: another unit's item, or a unit above answering for one below."""

    kind = ErrorKind.FORBIDDEN
    code = "not_your_unit"
    message_zh = "该事项不由您所在单位办理，不能进行此操作"
    message_en = "This matter is not your unit's to act on"


class WrongState(DomainError):
    """The action does not apply in the item's present state (e.g. routing an item already routed)."""

    kind = ErrorKind.CONFLICT
    code = "wrong_state"
    message_zh = "该事项当前状态不允许此操作"
    message_en = "The matter's present state does not allow this action"


def visible(query: Q, principal: Principal | None) -> Q:
    """``query`` (over triage_items) narrowed to the items the principal sees; None = a system caller."""
    if principal is None or principal.visible_units is None:
        return query
    if not principal.visible_units:
        return query.where(false())
    units = sorted(principal.visible_units)
    return query.where(or_(TriageItem.unit_code.in_(units), TriageItem.handling_unit_code.in_(units)))


def sees(principal: Principal | None, item: TriageItem) -> bool:
    return can_see(principal, item.unit_code) or (
        item.handling_unit_code is not None and can_see(principal, item.handling_unit_code))


def get_item(session: Session, petition_id: str, *, principal: Principal | None, for_update: bool = False) -> TriageItem:
    """The petition's item if the principal sees it (row-locked with ``for_update``); else ItemNotFound."""
    query = select(TriageItem).where(TriageItem.petition_id == petition_id)
    if for_update:
        query = query.with_for_update()
    item = session.scalar(query)
    if item is None or not sees(principal, item):
        raise ItemNotFound(petition_id=petition_id)
    return item


def require_acts_for(principal: Principal, unit_code: str | None) -> None:
    """Only the unit's own people act for it: not a unit above it, not the task force."""
    if unit_code is None or principal.unit_code != unit_code:
        raise NotYourUnit(unit_code=unit_code)


def supervises(principal: Principal, unit_code: str | None) -> bool:
    """A unit strictly above ``unit_code`` (it sees it and is not it), or the task force."""
    if unit_code is None:
        return principal.has_role("task_force")
    if principal.has_role("task_force"):
        return True
    return principal.unit_code != unit_code and can_see(principal, unit_code)


def require_supervises(principal: Principal, unit_code: str | None) -> None:
    if not supervises(principal, unit_code):
        raise NotYourUnit(unit_code=unit_code)


def require_state(item: TriageItem, *states: str) -> None:
    if item.status not in states:
        raise WrongState(status=item.status, allowed=list(states))

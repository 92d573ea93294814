"""Which units other than the 受理单位 may read a petition: those review 交办'd or 移送'd it to.

A petition is its receiving unit's (``Petition.unit_code``).  When review routes it to another unit
— 交办 to a department or lower unit (route ``assigned``: the 承办单位 is ``handling_unit_code``),
or 移送 inside the tree (``transferred_in_tree``: the other organ's receiving unit, ``to_unit_code``)
— that unit's staff must read the petition they answer: review's case page includes intake's
panel.  A grant says so.  Grants are for reading only (the page, the panel, the reveal for the
roles that may reveal, the receipt, the 信访材料); writing (a new 查询码, an upload, a 重复件
split) stays the receiving unit's.

Grants are kept after a 退回 or a later 改派: the unit that handled the matter may still read
what it answered (its own records point at the petition); the history is the audit's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session

from services.intake.petitions.models import Petition, PetitionUnitGrant
from shared.auth import Principal

# The routes that hand the matter to a unit of the tree, and where the event names that unit.
GRANTING_ROUTES = {"assigned": "handling_unit_code", "transferred_in_tree": "to_unit_code"}


def on_routed(session: Session, *, petition_id: str, route: str | None, handling_unit_code: str | None,
              to_unit_code: str | None, event_id: str, at: datetime) -> PetitionUnitGrant | None:
    """``triage.routed``: grant the unit the matter went to, unless the petition is that unit's already.

    The event's own ``unit_code`` is review's item's (after a 移送 the other organ's), not the
    petition's 受理单位: the petition row says which unit it belongs to.
    """
    field = GRANTING_ROUTES.get(route or "")
    unit = handling_unit_code if field == "handling_unit_code" else to_unit_code if field else None
    if not unit:
        return None
    owner = session.scalar(select(Petition.unit_code).where(Petition.id == petition_id))
    if owner == unit:
        return None
    return grant(session, petition_id=petition_id, unit_code=unit, reason=str(route), source_event_id=event_id,
                 at=at)


def grant(session: Session, *, petition_id: str, unit_code: str, reason: str, source_event_id: str,
          at: datetime) -> PetitionUnitGrant:
    """The unit's grant on the petition, added once (a redelivered or repeated routing keeps the first)."""
    found = session.scalar(select(PetitionUnitGrant).where(PetitionUnitGrant.petition_id == petition_id,
                                                           PetitionUnitGrant.unit_code == unit_code))
    if found is not None:
        return found
    row = PetitionUnitGrant(petition_id=petition_id, unit_code=unit_code, reason=reason,
                            source_event_id=source_event_id, granted_at=at)
    session.add(row)
    session.flush()
    return row


def granted_units(session: Session, *, petition_id: str) -> list[str]:
    """The units granted on one petition, in code order."""
    return list(session.scalars(select(PetitionUnitGrant.unit_code)
                                .where(PetitionUnitGrant.petition_id == petition_id)
                                .order_by(PetitionUnitGrant.unit_code)))


def readable_by(petition_id: Any, unit_code: Any, principal: Principal | None) -> ColumnElement[bool]:
    """The condition that a row of `petition_id`, `unit_code` (columns) is readable by `principal`.

    Its unit is one the principal sees, or a unit granted on the petition is (None: a system caller).
    """
    if principal is None or principal.visible_units is None:
        return true()
    if not principal.visible_units:
        return false()
    units = sorted(principal.visible_units)
    granted = exists().where(PetitionUnitGrant.petition_id == petition_id, PetitionUnitGrant.unit_code.in_(units))
    return or_(unit_code.in_(units), granted)

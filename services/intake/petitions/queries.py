"""Reading petitions, scoped to the units the caller may see (a unit's petitions are its own).

`get`/`get_or_raise` answer for the receiving unit only (the callers that change a petition);
`readable`/`readable_or_raise` also for the units review routed it to (grants.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.petitions.grants import readable_by
from services.intake.petitions.models import Petition
from shared.auth import Principal, scope
from shared.errors import NotFound


def get(session: Session, petition_id: str, *, principal: Principal | None = None) -> Petition | None:
    """One petition if it exists and `principal` may see its unit (None: a system caller)."""
    query = scope(select(Petition).where(Petition.id == petition_id), Petition.unit_code, principal)
    return session.scalar(query)


def get_or_raise(session: Session, petition_id: str, *, principal: Principal | None = None) -> Petition:
    """:raise NotFound: no such petition, or one of a unit the principal may not see (same answer)."""
    petition = get(session, petition_id, principal=principal)
    if petition is None:
        raise NotFound()
    return petition


def readable(session: Session, petition_id: str, *, principal: Principal | None) -> Petition | None:
    """One petition if it exists and `principal` sees its unit or a unit granted on it (grants.py)."""
    return session.scalar(select(Petition).where(Petition.id == petition_id,
                                                 readable_by(Petition.id, Petition.unit_code, principal)))


def readable_or_raise(session: Session, petition_id: str, *, principal: Principal | None) -> Petition:
    """:raise NotFound: no such petition, or one the principal may not read (same answer)."""
    petition = readable(session, petition_id, principal=principal)
    if petition is None:
        raise NotFound()
    return petition


def list_(
    session: Session, *, line: str | None = None, is_enterprise: bool | None = None, limit: int = 50, offset: int = 0,
    principal: Principal | None = None,
) -> list[Petition]:
    query = scope(select(Petition), Petition.unit_code, principal).order_by(Petition.received_at.desc(), Petition.id)
    if line is not None:
        query = query.where(Petition.line == line)
    if is_enterprise is not None:
        query = query.where(Petition.is_enterprise == is_enterprise)
    return list(session.scalars(query.limit(limit).offset(offset)))

"""Petitioners' personal numbers (个人信息): lookup by blind index, audited reveal.

The numbers are encrypted at rest (shared/pii); everything here finds them through the keyed
blind index and never compares plaintext in SQL.  Every lookup and every reveal is audited
(`pii.search`, `pii.reveal`), including refused ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.petitions.models import Petition
from services.intake.petitions.queries import readable
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import scope
from shared.errors import DomainError, ErrorKind, NotFound
from shared.pii.crypto import blind_index
from shared.pii.masking import mask_id_number, mask_name, mask_phone

# Who may see a full number: the clerks who register petitions and the people who handle them.
REVEAL_ROLES = ("intake_clerk", "court_clerk", "case_handler", "judge")
SEARCH_ROLES = REVEAL_ROLES
REVEALABLE = ("id_number", "phone")


class RevealNotAllowed(DomainError):
    kind = ErrorKind.FORBIDDEN
    keeps_writes = True  # the refused attempt's pii.reveal audit row is committed
    code = "reveal_not_allowed"
    message_en = "Your role may not see full personal numbers"
    message_zh = "您的角色无权查看完整的个人信息"


def masked_summary(petition: Petition) -> dict[str, Any]:
    """What the audit log keeps of a petition: no personal number in clear."""
    return {
        "case_number": petition.case_number,
        "line": petition.line,
        "channel": petition.channel,
        "petition_type": petition.petition_type,
        "status": petition.status,
        "unit_code": getattr(petition, "unit_code", None),
        "petitioner": {
            "name": mask_name(petition.petitioner_name),
            "id_number": mask_id_number(petition.petitioner_id_number),
            "phone": mask_phone(petition.petitioner_phone),
        },
        "enterprise_credit_code": petition.enterprise_credit_code,
    }


def search(
    session: Session, *, actor: Actor, id_number: str | None = None, phone: str | None = None, limit: int = 50,
) -> list[Petition]:
    """Petitions whose petitioner has exactly this ID number and/or phone, in the actor's units.

    Writes the `pii.search` audit row in the caller's transaction.
    """
    principal = actor.principal
    query = scope(select(Petition), Petition.unit_code, principal)
    by: list[str] = []
    if id_number:
        query = query.where(Petition.petitioner_id_number_bidx == blind_index(id_number, kind="id_number"))
        by.append("id_number")
    if phone:
        query = query.where(Petition.petitioner_phone_bidx == blind_index(phone, kind="phone"))
        by.append("phone")
    found = list(session.scalars(query.order_by(Petition.received_at.desc(), Petition.id).limit(limit)))
    record(
        session, action="pii.search", subject_type="petition",
        detail={"by": by, "results": len(found), "petition_ids": [p.id for p in found]}, **actor.fields(),
    )
    return found


class PetitionNotVisible(NotFound):
    """No such petition, or one of a unit the caller may not see; the attempt is still audited."""

    keeps_writes = True


@dataclass(frozen=True)
class Revealed:
    petition_id: str
    case_number: str
    values: dict[str, str | None]


def reveal(session: Session, *, petition_id: str, fields: list[str], reason: str, actor: Actor) -> Revealed:
    """The full numbers of one petition, for a role that needs them; audited whether allowed or not.

    Writes the `pii.reveal` audit row in the caller's transaction; both refusals keep it.
    :raise PetitionNotVisible: no such petition, or one of a unit the actor may not see.
    :raise RevealNotAllowed: the actor holds none of `REVEAL_ROLES`.
    """
    fields = [f for f in REVEALABLE if f in fields]
    principal = actor.principal
    petition = readable(session, petition_id, principal=principal)
    allowed = principal is not None and principal.has_role(*REVEAL_ROLES)
    outcome = "success" if petition is not None and allowed else "denied"
    record(
        session, action="pii.reveal", outcome=outcome, subject_type="petition", subject_id=petition_id,
        detail={"fields": fields, "reason": reason, **({} if petition is not None else {"visible": False})},
        **actor.fields(),
    )
    values = {}
    if petition is not None and allowed:
        values = {f: getattr(petition, f"petitioner_{f}") for f in fields}
        case_number = petition.case_number
    if petition is None:
        raise PetitionNotVisible()
    if not allowed:
        raise RevealNotAllowed()
    return Revealed(petition_id, case_number, values)

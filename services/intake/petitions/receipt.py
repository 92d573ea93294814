"""The 受理回执: what the petitioner takes away, and the audit row of every time it is shown.

The query code is printed only when it is known: on the receipt given with a registration or a
re-issue (the code is kept as a hash and cannot be printed again).  A reprint says where the code
went.  Every showing is audited as ``petition.receipt`` (without the code).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.credentials import codes
from services.intake.petitions import lines, queries, receiving_units
from shared.actor import Actor
from shared.audit.service import record
from shared.calendar import beijing_today
from shared.pii import mask_name


@dataclass(frozen=True)
class Receipt:
    petition_id: str
    case_number: str
    line: str
    line_name: str
    organ: str
    channel: str
    petition_type: str
    received_at: datetime
    received_on: date
    receiving_unit: str
    petitioner_masked: str
    enterprise_name: str | None
    commitments: tuple[str, ...]
    query_code: str | None  # displayed form, ABCD-EFGH; None on a reprint
    issued_on: date
    note: str | None


def issue(session: Session, *, petition_id: str, actor: Actor, settings: IntakeSettings,
          query_code: str | None = None) -> Receipt:
    """The receipt of a petition the actor may see, with `query_code` if it was just issued; audited (caller commits).

    :raise NotFound: no such petition, or one of a unit the actor may not see.
    """
    petition = queries.get_or_raise(session, petition_id, principal=actor.principal)
    line = lines.line(petition.line, settings)
    record(session, action="petition.receipt", subject_type="petition", subject_id=petition.id,
           detail={"case_number": petition.case_number, "with_code": query_code is not None}, **actor.fields())
    return Receipt(
        petition_id=petition.id,
        case_number=petition.case_number,
        line=petition.line,
        line_name=line.name,
        organ=line.organ,
        channel=lines.CHANNEL_TEXT.get(petition.channel, petition.channel),
        petition_type=petition.petition_type,
        received_at=petition.received_at,
        received_on=petition.received_on,
        receiving_unit=receiving_units.name_of(petition.unit_code, line=petition.line),
        petitioner_masked=mask_name(petition.petitioner_name) or "",
        enterprise_name=petition.enterprise_name,
        commitments=line.commitments,
        query_code=codes.display(query_code),
        issued_on=beijing_today(),
        note=line.note,
    )

"""Verifying an enterprise in person and issuing its access code; finding a verified enterprise.

A verification is the row, its ``enterprise.verify`` audit row (numbers masked) and a fresh
``enterprise`` credential (services/intake/credentials), in the caller's transaction.  A second
verification of the same credit code re-issues: the enterprise's earlier code stops working, and
the credentials service audits that as ``credential.reissue``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.credentials import service as credentials
from services.intake.enterprises.models import EnterpriseVerification
from shared.actor import Actor
from shared.audit.service import record
from shared.db.base import utcnow
from shared.pii import mask_id_number, mask_name

# The desks that receive enterprises in person: 12309 and 12368 (issue 9 point 9).
VERIFY_ROLES = ("intake_clerk", "court_clerk")
CREDENTIAL_KIND = "enterprise"


@dataclass(frozen=True)
class Verified:
    verification: EnterpriseVerification
    access_code: str  # shown once (codes.display), never stored
    reissued: bool


def masked(row: EnterpriseVerification) -> dict[str, Any]:
    """The check without personal numbers in clear: for the audit row and every answer."""
    return {
        "credit_code": row.credit_code,
        "enterprise_name": row.enterprise_name,
        "licence": {"number": row.licence_number, "issued_on": row.licence_issued_on.isoformat()},
        "representative": {"name": mask_name(row.representative_name),
                           "id_number": mask_id_number(row.representative_id_number)},
        "checks": list(row.checks),
    }


def verify(session: Session, *, verification_in: dict[str, Any], actor: Actor) -> Verified:
    """Record the in-person check and issue the enterprise's access code (revoking an earlier one).

    Flushes; the caller commits.  The input is `schemas.VerificationCreate`'s (numbers checked).
    """
    credit_code = verification_in["credit_code"]  # normalised by the schema's field
    representative = verification_in["representative"]
    licence = verification_in["licence"]
    reissued = credentials.has_active(session, kind=CREDENTIAL_KIND, subject_id=credit_code)
    row = EnterpriseVerification(
        credit_code=credit_code,
        enterprise_name=verification_in["enterprise_name"].strip(),
        licence_number=licence["number"].strip(),
        licence_issued_on=licence["issued_on"],
        representative_name=representative["name"].strip(),
        representative_id_number=representative["id_number"],
        checks=list(dict.fromkeys(verification_in["checks"])),
        reason=verification_in["reason"],
        verified_by=actor.name,
        unit_code=actor.unit,
        verified_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record(session, action="enterprise.verify", subject_type="enterprise", subject_id=credit_code,
           after=masked(row), detail={"verification_id": row.id, "reason": row.reason, "reissue": reissued},
           **actor.fields())
    # The enterprise is the subject: one active code per credit code, re-issued on each check.
    issued = credentials.issue(session, kind=CREDENTIAL_KIND, subject_id=credit_code, lookup_key=credit_code,
                               actor=actor, subject_type="enterprise", reason=row.reason)
    row.credential_id = issued.credential_id
    session.flush()
    return Verified(row, issued.code, reissued)


def _latest(credit_code: str) -> Any:
    return (select(EnterpriseVerification).where(EnterpriseVerification.credit_code == credit_code)
            .order_by(EnterpriseVerification.verified_at.desc(), EnterpriseVerification.id).limit(1))


def find(session: Session, credit_code: str) -> str | None:
    """The latest verification of `credit_code`, or None (the public query's audit reason)."""
    row = session.scalar(_latest(credit_code))
    return row.id if row is not None else None


def name_of(session: Session, credit_code: str) -> str | None:
    """The enterprise's name as last verified (the licence's), shown on its public view."""
    row = session.scalar(_latest(credit_code))
    return row.enterprise_name if row is not None else None

"""What intake's events say of a petition: personal data stays in intake, the masked name travels."""

from __future__ import annotations

from typing import Any

from services.intake.petitions.models import Petition
from shared.identifiers.credit_code import NATIONAL_DIVISION, is_valid_credit_code, normalise
from shared.pii import mask_name


def enterprise_division(credit_code: str | None) -> str | None:
    """The 县区 of the enterprise's registration (GB/T 2260, characters 3–8 of its credit code).

    None without a valid code, or for a national registration (100000), which names no 县区.
    """
    if not credit_code or not is_valid_credit_code(credit_code):
        return None
    division = normalise(credit_code)[2:8]
    return None if division == NATIONAL_DIVISION else division


def received_data(petition: Petition) -> dict[str, Any]:
    """What `petition.received` says of a petition (and `petition.duplicate_split`, which repeats it)."""
    return {
        "petition_id": petition.id,
        "case_number": petition.case_number,
        "line": petition.line,
        "channel": petition.channel,
        "petition_type": petition.petition_type,
        "subject": petition.subject,
        "related_case_number": petition.related_case_number,
        "is_enterprise": petition.is_enterprise,
        "petitioner_masked": mask_name(petition.petitioner_name),
        "enterprise_name": petition.enterprise_name,
        "summary": petition.claim[:200],
        "received_at": petition.received_at,
        "received_on": petition.received_on,
        "unit_code": petition.unit_code,
        "enterprise_division": enterprise_division(petition.enterprise_credit_code),
    }

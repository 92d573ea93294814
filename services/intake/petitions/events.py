"""What intake's events say of a petition: personal data stays in intake, the masked name travels."""

from __future__ import annotations

from typing import Any

from services.intake.petitions.models import Petition
from shared.pii import mask_name


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
    }
